"""Stochastic gradient descent, with momentum, dampening, Nesterov momentum and weight decay."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from autograd import get_data, set_data

from .optimizer import Optimizer, ParamsT


def sgd(params: list[float], grads: list[float], momentum_buffers: list[float | None], *,
        lr: float, weight_decay: float, momentum: float, dampening: float, nesterov: bool,
        maximize: bool) -> None:
    """One SGD step on plain floats; updates `params` and `momentum_buffers` in place.

    A buffer of None means "no step taken yet": the first buffer is the gradient itself, without
    dampening. The operations run in PyTorch's order, so float results agree with torch.optim.SGD.
    """
    if not (maximize or weight_decay != 0 or momentum != 0 and None in momentum_buffers):
        # the usual cases, plain descent or momentum after the first step: the same operations,
        # one list at a time
        steps = grads
        if momentum != 0:
            keep = 1 - dampening
            buffers = [b * momentum + keep * g
                       for b, g in zip(cast("list[float]", momentum_buffers), grads)]
            momentum_buffers[:] = buffers
            steps = [g + momentum * b for g, b in zip(grads, buffers)] if nesterov else buffers
        params[:] = [p + -lr * g for p, g in zip(params, steps)]
        return
    for i, g in enumerate(grads):
        p = params[i]
        if maximize:
            g = -g
        if weight_decay != 0:
            g = g + weight_decay * p
        if momentum != 0:
            buf = momentum_buffers[i]
            if buf is None:
                buf = g
            else:
                buf = buf * momentum + (1 - dampening) * g
            momentum_buffers[i] = buf
            g = g + momentum * buf if nesterov else buf
        params[i] = p + -lr * g


class SGD(Optimizer):
    r"""Stochastic gradient descent (optionally with momentum), as `torch.optim.SGD`.

    The algorithm, for each parameter theta with gradient g at step t::

        if maximize:            g = -g
        if weight_decay != 0:   g = g + weight_decay * theta
        if momentum != 0:
            if t == 1:          b = g
            else:               b = momentum * b + (1 - dampening) * g
            if nesterov:        g = g + momentum * b
            else:               g = b
        theta = theta - lr * g

    Plain gradient descent is `SGD(params, lr)`: theta <- theta - lr * g. Momentum keeps a running
    direction b, so steps build up along consistent slopes and cancel across oscillations;
    Nesterov's variant steps along the gradient plus the look-ahead momentum * b.

    Args:
        params: Values to optimize, or dicts defining parameter groups.
        lr: learning rate (default 1e-3, PyTorch's).
        momentum: momentum factor (default 0).
        dampening: dampening of the gradient added to the momentum buffer (default 0).
        weight_decay: L2 penalty coefficient: adds weight_decay * theta to the gradient (default 0).
        nesterov: use Nesterov momentum (needs momentum > 0 and dampening = 0).
        maximize: ascend the objective instead of descending it.

    State per parameter: `"momentum_buffer"` (only when momentum != 0).
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False, *,
                 maximize: bool = False) -> None:
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum > 0 and zero dampening")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize)
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Take one SGD step for every parameter (see the class docstring for the update)."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params, grads = self._with_grad(group["params"])
            data = get_data(params)
            states: list[dict[str, Any]] = []
            if group["momentum"] != 0:  # each parameter's state, made on its first step
                state = self.state
                states = [state.get(p) or state.setdefault(p, {}) for p in params]
            buffers = [s.get("momentum_buffer") for s in states]
            sgd(data, grads, buffers,
                lr=group["lr"], weight_decay=group["weight_decay"], momentum=group["momentum"],
                dampening=group["dampening"], nesterov=group["nesterov"],
                maximize=group["maximize"])
            set_data(params, data)
            for s, buf in zip(states, buffers):
                s["momentum_buffer"] = buf
        return loss
