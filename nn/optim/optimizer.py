"""The `Optimizer` base class: parameter groups, per-parameter state, and saving both.

Every optimizer in `nn.optim` has the shape of `torch.optim`'s: the update rule is a pure function
over lists of floats (in the algorithm's module, next to its class) and the class is a thin holder
of what that function needs between steps:

- `param_groups`: a list of dicts, each with its `"params"` (a list of Values) and the
  hyperparameters for them (`"lr"`, `"momentum"`, ...). A learning-rate scheduler changes
  `group["lr"]` between steps.
- `state`: a dict {parameter Value: {name: float}} with the running buffers (momentum, moment
  estimates, step counts), filled lazily on the first `step()`.

The update works on the floats `p.data` and `p.grad`, never on Values, so stepping builds no graph.
"""
from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable
from numbers import Real
from typing import Any

import autograd
from autograd import Value

from ..module import _zero_grads

ParamsT = Iterable[Value] | Iterable[dict]


def grad_of(p: Value) -> float:
    """`p.grad` as a float (after `backward(create_graph=True)` the grad is itself a Value)."""
    g = p.grad
    if type(g) is float:
        return g
    if isinstance(g, Value):
        return g.data
    if isinstance(g, Real) and not isinstance(g, bool):
        return float(g)
    raise TypeError(f"a parameter's .grad is {g!r}; optimizers need a number (set by "
                    "backward(), or 0.0 by zero_grad())")


_FLOAT_ONLY = {float}


# What each hyperparameter may be, for the messages: torch's names for the errors it raises.
_NUMBER_LABELS = {"lr": "learning rate", "momentum": "momentum value",
                  "dampening": "dampening value", "weight_decay": "weight_decay value",
                  "eps": "epsilon value", "lr_decay": "lr_decay value", "alpha": "alpha value",
                  "initial_accumulator_value": "initial_accumulator_value"}
_FLAGS = ("nesterov", "amsgrad", "centered", "maximize")
_OTHER_GROUP_KEYS = ("params", "initial_lr")  # initial_lr: set by the lr schedulers


def check_hyperparameter(name: str, value: Any) -> None:
    """Raise a TypeError/ValueError saying what is allowed if `value` is not a valid `name`."""
    if name in _NUMBER_LABELS:
        label = _NUMBER_LABELS[name]
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"Invalid {label}: {value!r} is a {type(value).__name__}; "
                            "expected a number >= 0, e.g. 0.01")
        if not 0.0 <= float(value) < math.inf:
            raise ValueError(f"Invalid {label}: {value!r} (must be a finite number >= 0)")
    elif name == "betas":
        if (not isinstance(value, (tuple, list)) or len(value) != 2
                or not all(isinstance(b, Real) and not isinstance(b, bool) for b in value)):
            raise ValueError(f"betas must be a pair of numbers (beta1, beta2), e.g. (0.9, 0.999), "
                             f"got {value!r}")
        for i, beta in enumerate(value):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta} (must be in [0, 1))")
    elif name in _FLAGS:
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False, got {value!r}")


def lerp(start: float, end: float, weight: float) -> float:
    """start + weight * (end - start), evaluated as PyTorch's `lerp` does.

    PyTorch picks between two algebraically equal forms by the size of the weight (the one that
    rounds better); running averages use it, so we do the same to match its floats exactly.
    """
    if abs(weight) < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


class Optimizer:
    """Base class of the optimizers: holds `param_groups` and `state`; subclasses define `step()`.

    Args:
        params: an iterable of Values (a list, `model.parameters()`, a generator), or an iterable
            of dicts, one per parameter group, each with a `"params"` entry and any
            hyperparameters that should differ from `defaults` for that group::

                SGD([{"params": model.layers[0].parameters(), "lr": 0.1},
                     {"params": model.layers[1].parameters()}], lr=0.01, momentum=0.9)

        defaults: the hyperparameters a group gets when it does not set them.
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.state: dict[Value, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, (Value, dict)):
            raise TypeError(
                f"params should be an iterable of Values or of dicts (parameter groups), got a "
                f"single {type(params).__name__}; wrap it in a list: "
                f"[{type(params).__name__.lower()}]")
        if hasattr(params, "parameters") and callable(params.parameters):
            # the model itself: the commonest slip (a Sequential would even iterate, over modules)
            raise TypeError(f"params should be an iterable of Values, got the model "
                            f"({type(params).__name__}) itself; pass model.parameters()")
        groups: list[Any] = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list; pass model.parameters() or "
                             "a non-empty list of Values")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters (missing ones from `defaults`).

        Useful to start training a new part of a model, or to give layers different learning rates.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"a parameter group must be a dict with a 'params' entry, "
                            f"got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError("a parameter group needs a 'params' entry (a list of Values)")
        params = param_group["params"]
        params = [params] if isinstance(params, Value) else list(params)
        for i, p in enumerate(params):
            if not isinstance(p, Value):
                raise TypeError(f"optimizers update Values, but parameter {i} of group "
                                f"{len(self.param_groups)} is a {type(p).__name__}: {p!r}")
        if len(set(params)) != len(params):
            raise ValueError(f"parameter group {len(self.param_groups)} lists the same Value "
                             "twice; it would be updated twice per step")
        seen = {p for group in self.param_groups for p in group["params"]}
        if not seen.isdisjoint(params):
            raise ValueError("some parameters appear in more than one parameter group; "
                             "each Value may belong to one group only")
        unknown = [key for key in param_group
                   if key not in self.defaults and key not in _OTHER_GROUP_KEYS]
        if unknown:
            raise ValueError(f"parameter group {len(self.param_groups)} has the unknown "
                             f"setting(s) {', '.join(map(repr, unknown))}; {type(self).__name__} "
                             f"takes {', '.join(map(repr, self.defaults))}")
        group = {"params": params}
        for key, default in self.defaults.items():
            group[key] = param_group.get(key, default)
            check_hyperparameter(key, group[key])
        for key, value in param_group.items():
            if key not in group:
                group[key] = value
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = False) -> None:
        """Reset every parameter's `.grad`: call it before each `backward()`.

        Gradients of leaves accumulate across `backward()` calls (as in PyTorch), so without it a
        step would use the sum of this batch's gradient and every earlier one.

        Args:
            set_to_none: False (the default here; torch's is True): set each gradient to 0.0;
                one that is None stays None, as in torch, so a frozen parameter
                (`requires_grad_(False)`) gets none. True: set it to None, as torch: the next
                backward starts it afresh, and `step()` skips a parameter that backward did not
                reach (its gradient is still None).
        """
        for group in self.param_groups:
            _zero_grads(group["params"], set_to_none)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter once from its current `.grad`; return `closure()`'s loss if given.

        Args:
            closure: optional function that zeroes the grads, recomputes the loss, calls
                `backward()` and returns the loss (as in PyTorch).
        """
        raise NotImplementedError(f"{type(self).__name__} does not define step()")

    def _advance(self, params: list[Value], fresh: dict[str, Any]) -> list[dict[str, Any]]:
        """Each parameter's state (a copy of `fresh` on its first step), its step count advanced."""
        states = []
        for p in params:
            state = self.state.get(p)
            if not state:
                state = self.state[p] = dict(fresh)
            missing = [key for key in fresh if key not in state]
            if missing:
                raise ValueError(f"the state of a parameter has no {', '.join(map(repr, missing))} "
                                 f"(it has {', '.join(map(repr, state)) or 'nothing'}); was it "
                                 f"loaded from another kind of optimizer than "
                                 f"{type(self).__name__}?")
            state["step"] += 1
            states.append(state)
        return states

    @staticmethod
    def _with_grad(params: list[Value]) -> tuple[list[Value], list[float]]:
        """The parameters that have a gradient (as in torch, one whose .grad is None is skipped),
        and their gradients as floats (see `grad_of`)."""
        grads = [p.grad for p in params]
        if set(map(type, grads)) - _FLOAT_ONLY:  # all floats, the common case, is checked in C
            params = [p for p, g in zip(params, grads) if g is not None]
            grads = [grad_of(p) for p in params]
        return params, grads

    def _run_closure(self, closure: Callable[[], Any] | None) -> Any:
        if closure is None:
            return None
        with autograd.enable_grad():
            return closure()

    # -- saving and loading ------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state as plain data: {"state": ..., "param_groups": ...}.

        As in PyTorch, parameters are referred to by their position (0, 1, 2, ... across the groups
        in order), so the dict can be loaded into a new optimizer over a rebuilt model:
        `state` maps a position to that parameter's buffers, and each entry of `param_groups` holds
        the group's hyperparameters with `"params"` as a list of positions.
        """
        index: dict[Value, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
            packed["params"] = [index.setdefault(p, len(index)) for p in group["params"]]
            groups.append(packed)
        state = {index[p]: copy.deepcopy(s) for p, s in self.state.items() if p in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyperparameters and buffers saved by `state_dict()` (positions must match)."""
        if (not isinstance(state_dict, dict) or not {"state", "param_groups"} <= state_dict.keys()
                or not isinstance(state_dict["state"], dict)
                or not isinstance(state_dict["param_groups"], list)
                or not all(isinstance(g, dict) and "params" in g
                           for g in state_dict["param_groups"])):
            raise ValueError("expected a dict from Optimizer.state_dict() with 'state' (a dict) "
                             "and 'param_groups' (a list of dicts with 'params') entries")
        # everything is checked before anything changes, so a bad state dict leaves this as it was
        saved = state_dict["param_groups"]
        if len(saved) != len(self.param_groups):
            raise ValueError(f"the state dict has {len(saved)} parameter groups but this "
                             f"optimizer has {len(self.param_groups)}")
        by_index: dict[int, Any] = {}
        for i, (group, saved_group) in enumerate(zip(self.param_groups, saved)):
            if len(group["params"]) != len(saved_group["params"]):
                raise ValueError(f"parameter group {i} has {len(group['params'])} parameters "
                                 f"but the state dict's has {len(saved_group['params'])}; was it "
                                 "saved from a different model?")
            missing = [key for key in self.defaults if key not in saved_group]
            if missing:
                raise ValueError(f"parameter group {i} of the state dict has no "
                                 f"{', '.join(map(repr, missing))}: was it saved from another "
                                 f"kind of optimizer than {type(self).__name__}?")
            by_index.update((int(j), p) for j, p in zip(saved_group["params"], group["params"]))
        unknown = [i for i in state_dict["state"] if int(i) not in by_index]
        if unknown:
            raise ValueError(f"the state dict has state for parameter(s) {unknown} that no "
                             "parameter group lists")
        for group, saved_group in zip(self.param_groups, saved):
            for key, value in saved_group.items():
                if key != "params":
                    group[key] = copy.deepcopy(value)
        self.state = {by_index[int(i)]: copy.deepcopy(s)
                      for i, s in state_dict["state"].items()}

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"
