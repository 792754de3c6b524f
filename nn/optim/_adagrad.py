"""Adagrad: per-parameter step sizes shrinking with the sum of all past squared gradients."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

# div divides as IEEE and torch do: with eps=0 a zero gradient gives 0 / 0 = nan (fit then stops,
# saying the weights became nan), not a ZeroDivisionError
from autograd import div, get_data, set_data

from .optimizer import Optimizer, ParamsT


def adagrad(params: list[float], grads: list[float], state_sums: list[float], steps: list[int], *,
            lr: float, weight_decay: float, lr_decay: float, eps: float, maximize: bool) -> None:
    """One Adagrad step on plain floats; updates `params` and `state_sums` in place.

    `steps[i]` is the number of this step for parameter i (1 on the first step). The operations
    run in PyTorch's order, so float results agree with torch.optim.Adagrad.
    """
    for i, g in enumerate(grads):
        p = params[i]
        if maximize:
            g = -g
        if weight_decay != 0:
            g = g + weight_decay * p
        clr = lr / (1 + (steps[i] - 1) * lr_decay)
        total = state_sums[i] + 1 * g * g
        state_sums[i] = total
        std = math.sqrt(total) + eps
        params[i] = p + div(-clr * g, std)


class Adagrad(Optimizer):
    r"""Adagrad (Duchi et al., 2011), as `torch.optim.Adagrad`.

    The algorithm, for each parameter theta with gradient g at step t (sum starts at
    initial_accumulator_value)::

        if maximize:            g = -g
        if weight_decay != 0:   g = g + weight_decay * theta
        lr_t = lr / (1 + (t - 1) * lr_decay)
        sum = sum + g^2
        theta = theta - lr_t * g / (sqrt(sum) + eps)

    Parameters with large past gradients take small steps. Because `sum` only grows, every step
    size decays over time, which suits sparse features but can stall long runs.

    Args:
        params: Values to optimize, or dicts defining parameter groups.
        lr: learning rate (default 1e-2).
        lr_decay: learning-rate decay per step (default 0).
        weight_decay: L2 penalty coefficient (default 0).
        initial_accumulator_value: starting value of each `sum` (default 0).
        eps: added to the denominator for numerical stability (default 1e-10).
        maximize: ascend the objective instead of descending it.

    State per parameter (created with the optimizer, as in PyTorch): `"step"`, `"sum"`.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, lr_decay: float = 0.0,
                 weight_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                 eps: float = 1e-10, *, maximize: bool = False) -> None:
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, maximize=maximize)
        super().__init__(params, defaults)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a parameter group, creating its state right away (PyTorch's Adagrad does too)."""
        super().add_param_group(param_group)
        group = self.param_groups[-1]
        for p in group["params"]:
            self.state[p] = {"step": 0, "sum": float(group["initial_accumulator_value"])}

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Take one Adagrad step for every parameter (see the class docstring for the update)."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params, grads = self._with_grad(group["params"])
            states = self._advance(params, {"step": 0,
                                            "sum": float(group["initial_accumulator_value"])})
            data = get_data(params)
            sums = [s["sum"] for s in states]
            adagrad(data, grads, sums, [s["step"] for s in states],
                    lr=group["lr"], weight_decay=group["weight_decay"],
                    lr_decay=group["lr_decay"], eps=group["eps"], maximize=group["maximize"])
            set_data(params, data)
            for s, total in zip(states, sums):
                s["sum"] = total
        return loss
