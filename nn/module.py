"""`Module`: the base class of every layer and model, shaped like `torch.nn.Module`.

A module finds its parts by looking at its own attributes, in the order they were set:

- a `Value` attribute is a parameter (`self.b = Value(0.0)` -> name "b");
- a list or tuple of Values is a list of parameters (`self.w` -> "w.0", "w.1", ...), and a list
  of lists of Values a matrix of them (`Linear`'s `self.weight` -> "weight.0.0", "weight.0.1", ...);
- a `Module` attribute is a child module, a list or tuple of Modules a numbered list of children
  (`self.layers` -> "layers.0", "layers.1", ...);
- names listed in the class attribute `_buffers` hold a plain number or a list of numbers that
  belong to the state but are not trained, such as BatchNorm's running statistics;
- attributes whose name starts with "_" are private and never looked at.

So `MLP(2, [16, 16, 1])` names its parameters "layers.0.neurons.3.w.1" and so on, one name per
scalar, because every parameter is one scalar `Value`.

Calling a module runs `forward`. While `autograd.record_scopes()` is recording (graph pictures do
that), the call is wrapped in `autograd.scope(module)`, so every node can be traced back to the
module that made it; otherwise that costs a single function call.
"""
from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from numbers import Real
from typing import Any, NamedTuple

import autograd
from autograd import Value

from . import _naming as naming
from . import _summary as summary
from .serialization import StateDictError, load_state, save_state

__all__ = ["Module", "IncompatibleKeys"]

_is_tracing = autograd.jit.is_tracing
_SETTINGS = frozenset({int, float, bool, str, type(None)})  # a module's settings, by exact type
_EDITS = [0]  # assignments to modules' public attributes so far (see Module._structure_now)


def _zero_grads(params: Iterable[Value], set_to_none: bool) -> None:
    """`zero_grad` of a module or an optimizer (see Module.zero_grad)."""
    if set_to_none:
        for p in params:
            p.grad = None
    else:
        for p in params:
            if p.grad is not None:
                p.grad = 0.0


def _identities(items: list) -> tuple[int, ...]:
    return tuple(map(id, items))


class IncompatibleKeys(NamedTuple):
    """What `load_state_dict(..., strict=False)` skipped (as torch's `_IncompatibleKeys`)."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class Module:
    """Base class for everything with parameters (or none) that maps inputs to outputs.

    Subclasses set their parameters and children as attributes in `__init__` (after calling
    `super().__init__()`) and define `forward`. Everything else (parameters, names, train/eval,
    state dicts, saving) comes from here.
    """

    _auto_labels: dict[int, str]  # the short names nn gave its parameters (nn/_naming.py)

    training = True  # class default, so a subclass that forgets super().__init__() still works
    _buffers: tuple[str, ...] = ()
    _named = False  # parameters labelled for pictures yet (see nn._naming)

    def __init__(self) -> None:
        self.training = True

    # -- calling -----------------------------------------------------------------------------------
    def forward(self, *args: Any) -> Any:
        """What the module computes from its inputs; every subclass defines it. Call the module
        (`model(x)`), not `forward`, so graph pictures can tell which module made which node."""
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run `forward(*args, **kwargs)` (inside `autograd.scope(self)` while scopes are recorded).

        The first call labels the parameters with their names (see `nn._naming`), so pictures and
        explanations of what the model computed show `l0.n3.w1` rather than an anonymous box.
        """
        if not self._named:
            naming.name_parameters(self)
        if _is_tracing():  # autograd.jit replays this call only while the model stays the same
            autograd.jit.guard(self._structure_now, f"{type(self).__name__}'s structure")
        if autograd.is_recording_scopes():
            with autograd.scope(self):
                return self.forward(*args, **kwargs)
        return self.forward(*args, **kwargs)

    def __getstate__(self) -> dict[str, Any]:
        """What pickling and copying keep: everything but what the module keeps for speed, made
        for this very object: the steps `fit(jit=True)` compiled (generated code; a copy trained
        with jit compiles its own) and the walks `_kept` remembers."""
        state = self.__dict__.copy()
        state.pop("_compiled_steps", None)
        state.pop("_structure_kept", None)
        state.pop("_parameters_kept", None)
        return state

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name[0] != "_" and name not in self._buffers:  # (buffers change on every step)
            _EDITS[0] += 1

    def __delattr__(self, name: str) -> None:
        object.__delattr__(self, name)
        _EDITS[0] += 1

    # -- structure ---------------------------------------------------------------------------------
    def _kept(self, key: str, walk: Callable[[list], Any]) -> Any:
        """`walk(lists)`'s answer, walked again only when it may have changed. A module's
        attributes change only through `__setattr__`, which counts the edits; the lists the walk
        read (it collects them) can change in place, so the identities of their items are
        compared on every call, in C, and any difference walks again. (For what runs on every
        step: jit's guard, `parameters()` in `zero_grad()`.)"""
        kept = self.__dict__.get(key)
        edits = _EDITS[0]
        if kept is not None and kept[0] == edits:
            _, answer, read, lengths, items = kept
            if (list(map(len, read)) == lengths
                    and all(map(operator.is_, itertools.chain.from_iterable(read), items))):
                return answer
        lists: list = []
        answer = walk(lists)
        self.__dict__[key] = (edits, answer, lists, list(map(len, lists)),
                              list(itertools.chain.from_iterable(lists)))
        return answer

    def _structure_now(self) -> list:
        """`_structure()`, as `autograd.jit`'s guard reads it before every compiled step."""
        return self._kept("_structure_kept", self._structure)

    def _structure(self, lists: list) -> list:
        """What a traced step assumes of this module (`autograd.jit`'s guard): for it and every
        module inside, its training mode, its settings (numbers, flags, text) and the identity of
        its parameters and children (`lists` collects the lists they were read from)."""
        out: list = []
        append = out.append
        stack: list[Module] = [self]
        seen: set[int] = set()
        while stack:
            module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            append(module.training)
            for name, value in module.__dict__.items():
                if name[0] == "_":
                    continue
                kind = type(value)
                if kind is list or kind is tuple:
                    if not value:
                        continue
                    if type(value[0]) is list:  # rows of Values (Linear's weight)
                        lists.append(value)
                        lists.extend(value)
                        append(tuple(map(_identities, value)))
                    elif type(value[0]) is Value or isinstance(value[0], Module):
                        lists.append(value)
                        append(_identities(value))
                        if isinstance(value[0], Module):
                            stack.extend(value)
                elif kind is Value:
                    append(id(value))
                elif kind in _SETTINGS:
                    if name not in module._buffers:  # buffers change on every step
                        append(value)
                elif isinstance(value, Module):
                    append(id(value))
                    stack.append(value)
        return out

    def _attributes(self, kind: type, skip: tuple[str, ...] = (),
                    named: bool = True) -> Iterator[tuple[Any, Any]]:  # (name or None, value)
        """Attributes holding a `kind`, alone or in a list/tuple ("w.1"); private names skipped.

        With `named=False` every name is None: the same walk without a string built per list item,
        for `parameters()` and `zero_grad()`, which run every training step.
        """
        for name, value in vars(self).items():
            if name.startswith("_") or name in skip:
                continue
            if isinstance(value, kind):
                yield (name if named else None), value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, kind):
                        yield (f"{name}.{i}" if named else None), item
                    elif isinstance(item, list) and kind is Value:  # rows: Linear's weight
                        for j, entry in enumerate(item):
                            if isinstance(entry, Value):
                                yield (f"{name}.{i}.{j}" if named else None), entry

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules, with their attribute names ("layers.0", "neurons.3")."""
        return self._attributes(Module)

    def children(self) -> Iterator[Module]:
        """The direct sub-modules."""
        for _, child in self.named_children():
            yield child

    def _walk(self, prefix: str, named: bool) -> Iterator[tuple[Any, Module]]:
        """Every module depth first, each once, with its dotted name (None when not `named`)."""
        stack: list[tuple[Any, Module]] = [(prefix, self)]
        seen: set[int] = set()
        while stack:
            name, module = stack.pop()
            if id(module) in seen:  # a module used twice is listed once, as in torch
                continue
            seen.add(id(module))
            yield name, module
            children = [(_dotted(name, child_name) if named else None, child)
                        for child_name, child in module._attributes(Module, (), named)]
            stack.extend(reversed(children))

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module (named `prefix`, "" by default) and every module inside it, depth first."""
        return self._walk(prefix, named=True)

    def modules(self) -> Iterator[Module]:
        """This module and every module inside it."""
        for _, module in self._walk("", named=False):
            yield module

    def _parameters(self, named: bool) -> list[tuple[Any, Value]]:  # (name or None, parameter)
        """The walk behind `named_parameters()` and `parameters()` (names None when not `named`)."""
        result: list[tuple[Any, Value]] = []
        seen: set[int] = set()
        for prefix, module in self._walk("", named):
            for name, p in module._attributes(Value, module._buffers, named):
                if id(p) not in seen:
                    seen.add(id(p))
                    result.append((_dotted(prefix, name) if named else None, p))
        return result

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter with its dotted name, e.g. ("layers.0.neurons.3.w.1", Value(...)).

        The order is stable: attributes in the order they were set, depth first. A parameter
        shared by two modules is listed once.
        """
        return self._parameters(named=True)

    def parameters(self) -> list[Value]:
        """Every parameter (scalar `Value`), in the order of `named_parameters()`."""
        return list(self._kept("_parameters_kept", self._parameter_walk))

    def _parameter_walk(self, lists: list) -> list[Value]:
        """`parameters()`: the walk of _parameters written out without generators or names
        (3-4x faster on a 64-32-10 MLP; the same list, checked by tests); `lists` collects the
        lists it read."""
        result: list[Value] = []
        append = result.append
        seen: set[int] = set()
        done: set[int] = set()
        stack: list[Module] = [self]
        while stack:
            module = stack.pop()
            if id(module) in done:  # a module used twice is listed once, as in torch
                continue
            done.add(id(module))
            skip = module._buffers
            children = []
            for name, value in module.__dict__.items():
                if name[0] == "_":
                    continue
                if isinstance(value, Value):
                    if name not in skip and id(value) not in seen:
                        seen.add(id(value))
                        append(value)
                elif isinstance(value, Module):
                    children.append(value)
                elif isinstance(value, (list, tuple)):
                    params = name not in skip
                    lists.append(value)
                    for item in value:
                        if isinstance(item, Value):
                            if params and id(item) not in seen:
                                seen.add(id(item))
                                append(item)
                        elif isinstance(item, Module):
                            children.append(item)
                        elif isinstance(item, list) and params:  # rows: Linear's weight
                            lists.append(item)
                            for entry in item:
                                if isinstance(entry, Value) and id(entry) not in seen:
                                    seen.add(id(entry))
                                    append(entry)
            children.reverse()
            stack.extend(children)
        return result

    def named_buffers(self) -> list[tuple[str, float]]:
        """Every buffer entry (state that is not trained, e.g. running statistics) with its name."""
        result: list[tuple[str, float]] = []
        for prefix, module in self.named_modules():
            for buffer in module._buffers:
                value = getattr(module, buffer)
                full = f"{prefix}.{buffer}" if prefix else buffer
                if isinstance(value, list):
                    result.extend((f"{full}.{i}", float(v)) for i, v in enumerate(value))
                else:
                    result.append((full, float(value)))
        return result

    # -- training helpers --------------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = False) -> None:
        """Reset every parameter's gradient (call it before each `backward()`).

        Args:
            set_to_none: False (the default here; torch's is True): set each gradient to 0.0;
                one that is None stays None, as in torch, so a frozen parameter
                (`requires_grad_(False)`) gets none. True: set it to None, as torch: the next
                backward starts it afresh, a parameter it does not reach keeps None, and
                optimizers skip parameters whose gradient is None.
        """
        _zero_grads(self.parameters(), set_to_none)

    def train(self, mode: bool = True) -> Module:
        """Switch this module and all inside it to training mode (Dropout drops, BatchNorm uses
        batch statistics), or to evaluation mode with `mode=False`. Returns the module."""
        if not isinstance(mode, bool):
            raise TypeError(f"train(mode) expects True or False, got {mode!r}")
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode: the same as `train(False)`."""
        return self.train(False)

    # -- state -------------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, float]:
        """Every parameter's number and every buffer entry, as plain floats, by name, in order."""
        state = {name: p.data for name, p in self.named_parameters()}
        state.update(self.named_buffers())
        return state

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True
                        ) -> IncompatibleKeys:
        """Copy the numbers in `state_dict` into this model's parameters and buffers.

        Everything is checked before anything changes, so a bad state dict leaves the model as it
        was: every value must be a finite real number, and with `strict=True` (the default) the
        keys must be exactly the model's own (`state_dict().keys()`); a list of a different length
        is reported as a size mismatch. With `strict=False` matching keys are loaded and the others
        are returned as `(missing_keys, unexpected_keys)`.

        Raises:
            StateDictError: (a ValueError) saying which keys or values are wrong.
        """
        if not isinstance(state_dict, Mapping):
            raise StateDictError(f"a state dict must be a mapping of names to numbers, "
                                 f"got {type(state_dict).__name__}")
        targets = self._state_targets()
        bad = []
        for key, value in state_dict.items():
            if not isinstance(key, str):
                bad.append(f"key {key!r} is not a string")
            elif isinstance(value, bool) or not isinstance(value, Real):  # numpy floats too
                bad.append(f"{key}: expected a number, got {type(value).__name__} {value!r:.60}")
            elif not _is_finite(value):
                bad.append(f"{key}: {value!r:.60} is not a finite number")
            elif key in targets and isinstance(targets[key][0], Module):
                owner, buffer, _ = targets[key]
                problem = owner._check_buffer(buffer, float(value))
                if problem:
                    bad.append(f"{key}: {problem}")
        if bad:
            raise StateDictError("cannot load state dict: " + "; ".join(_first(bad)))
        missing = [k for k in targets if k not in state_dict]
        unexpected = [k for k in state_dict if k not in targets]
        if strict and (missing or unexpected):
            raise StateDictError(_key_mismatch_message(type(self).__name__, targets, state_dict,
                                                        missing, unexpected))
        for key, (owner, attribute, index) in targets.items():
            if key in state_dict:
                value = float(state_dict[key])
                if index is None:
                    if isinstance(owner, Value):
                        owner.data = value
                    elif isinstance(getattr(owner, attribute), int) and value.is_integer():
                        setattr(owner, attribute, int(value))  # counters stay ints
                    else:
                        setattr(owner, attribute, value)
                elif isinstance(getattr(owner, attribute)[index], Value):
                    getattr(owner, attribute)[index].data = value
                else:
                    getattr(owner, attribute)[index] = value
        return IncompatibleKeys(missing, unexpected)

    def _check_buffer(self, name: str, value: float) -> str | None:
        """What is wrong with `value` for the buffer `name` of this module, or None if it fits.

        Modules with constrained buffers (a count, a variance) override this, so that a corrupt
        state dict is refused at load time rather than failing in a later forward pass."""
        return None

    def _state_targets(self) -> dict[str, tuple[Any, str, int | None]]:
        """name -> where its number lives: (Value, "", None), (module, attribute, None) for a
        scalar buffer, or (module, attribute, index) for an entry of a buffer list."""
        targets: dict[str, tuple[Any, str, int | None]] = {
            name: (p, "", None) for name, p in self.named_parameters()}
        for prefix, module in self.named_modules():
            for buffer in module._buffers:
                value = getattr(module, buffer)
                full = f"{prefix}.{buffer}" if prefix else buffer
                if isinstance(value, list):
                    for i in range(len(value)):
                        targets[f"{full}.{i}"] = (module, buffer, i)
                else:
                    targets[full] = (module, buffer, None)
        return targets

    def save(self, path: str) -> None:
        """Write `state_dict()` to `path` as JSON (see `nn.save_state`). Never pickle.

        Missing folders are created, as by every chainrule saver; the file is replaced atomically.
        """
        save_state(self.state_dict(), path)

    def load(self, path: str, strict: bool = True) -> Module:
        """Load a file written by `save` into this model (checked first; see `nn.load_state`).

        Returns the module, so `model = nn.MLP(2, [16, 1]).load("model.json")` reads naturally.
        """
        self.load_state_dict(load_state(path), strict=strict)
        return self

    # -- printing ----------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's repr (its settings)."""
        return ""

    def __repr__(self) -> str:
        """The module's settings; a container lists its parts, each with its parameter count,
        and ends with the total."""
        parts = summary.rows(self)
        if not parts:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        texts = [f"  ({part.name}): " + part.text.replace("\n", "\n  ") for part in parts]
        width = max(len(text) for text in texts if "\n" not in text)
        digits = max(len(f"{part.parameters:,}") for part in parts)
        for text, part in zip(texts, parts):
            if "\n" in text:  # a container inside: it ends with its own total
                lines.append(text)
            else:
                count = summary.count_text(part.parameters).rjust(digits + 11)
                lines.append(f"{text.ljust(width)} {count}")
        lines.append(f")  {summary.count_text(len(self.parameters()))} in all")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """In a notebook: a table of the layers, their parameter counts and the total."""
        return summary.html_summary(self)


def _is_finite(value: Real) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond any float
        return False


def _first(items: list[str], n: int = 5) -> list[str]:
    return items[:n] + [f"... and {len(items) - n} more"] if len(items) > n else items


def _list_sizes(keys: Iterable[str]) -> dict[str, int]:
    """"a.w.0", "a.w.1", "a.b" -> {"a.w": 2}: how long each per-scalar list is."""
    sizes: dict[str, int] = {}
    for key in keys:
        head, _, tail = key.rpartition(".")
        if head and tail.isdigit():
            sizes[head] = sizes.get(head, 0) + 1
    return sizes


def _key_mismatch_message(model: str, model_keys: Iterable[str], given_keys: Iterable[str],
                          missing: list[str], unexpected: list[str]) -> str:
    parts = [f"state dict does not match {model}"]
    ours, theirs = _list_sizes(model_keys), _list_sizes(given_keys)
    for name, size in ours.items():
        if name in theirs and theirs[name] != size:
            parts.append(f"size mismatch for {name}: the state dict has {theirs[name]} entries, "
                         f"the model has {size}")
    if missing:
        parts.append("missing keys: " + ", ".join(_first(missing)))
    if unexpected:
        parts.append("unexpected keys: " + ", ".join(_first(unexpected)))
    return "; ".join(parts)


def _dotted(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name
