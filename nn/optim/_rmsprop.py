"""RMSprop: divide each step by a running root-mean-square of recent gradients."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

# div divides as IEEE and torch do: with eps=0 a zero gradient gives 0 / 0 = nan (fit then stops,
# saying the weights became nan), not a ZeroDivisionError
from autograd import div, get_data, set_data

from .optimizer import Optimizer, ParamsT, lerp


def rmsprop(params: list[float], grads: list[float], square_avgs: list[float],
            grad_avgs: list[float], momentum_buffers: list[float], *, lr: float, alpha: float,
            eps: float, weight_decay: float, momentum: float, centered: bool,
            maximize: bool) -> None:
    """One RMSprop step on plain floats; updates params and the three buffer lists in place.

    `grad_avgs` is used only when `centered`, `momentum_buffers` only when momentum > 0.
    The operations run in PyTorch's order, so float results agree with torch.optim.RMSprop.
    """
    for i, g in enumerate(grads):
        p = params[i]
        if maximize:
            g = -g
        if weight_decay != 0:
            g = g + weight_decay * p
        v = square_avgs[i] * alpha + (1 - alpha) * g * g
        square_avgs[i] = v
        if centered:
            g_avg = lerp(grad_avgs[i], g, 1 - alpha)
            grad_avgs[i] = g_avg
            avg = math.sqrt(v + -1 * g_avg * g_avg)
        else:
            avg = math.sqrt(v)
        avg = avg + eps
        if momentum > 0:
            buf = momentum_buffers[i] * momentum + div(1 * g, avg)
            momentum_buffers[i] = buf
            params[i] = p + -lr * buf
        else:
            params[i] = p + div(-lr * g, avg)


class RMSprop(Optimizer):
    r"""RMSprop (Hinton's lecture 6e), as `torch.optim.RMSprop`.

    The algorithm, for each parameter theta with gradient g (v, g_avg, b start at 0)::

        if maximize:            g = -g
        if weight_decay != 0:   g = g + weight_decay * theta
        v = alpha * v + (1 - alpha) * g^2                  running mean of squared gradients
        v~ = v
        if centered:
            g_avg = alpha * g_avg + (1 - alpha) * g        running mean of gradients
            v~ = v~ - g_avg^2                              so v~ estimates the variance
        if momentum > 0:
            b = momentum * b + g / (sqrt(v~) + eps)
            theta = theta - lr * b
        else:
            theta = theta - lr * g / (sqrt(v~) + eps)

    Each parameter gets its own step size lr / sqrt(v): small steps where its gradients have been
    large, large steps where they have been small. eps is added after the square root (as PyTorch
    does; TensorFlow adds it inside).

    Args:
        params: Values to optimize, or dicts defining parameter groups.
        lr: learning rate (default 1e-2).
        alpha: smoothing constant of the running averages (default 0.99).
        eps: added to the denominator for numerical stability (default 1e-8).
        weight_decay: L2 penalty coefficient (default 0).
        momentum: momentum factor (default 0).
        centered: normalize by an estimate of the gradient's variance instead of its second moment.
        maximize: ascend the objective instead of descending it.

    State per parameter: `"step"`, `"square_avg"`, and `"momentum_buffer"` (momentum > 0) and
    `"grad_avg"` (centered).
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False, *,
                 maximize: bool = False) -> None:
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                        momentum=momentum, centered=centered, maximize=maximize)
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Take one RMSprop step for every parameter (see the class docstring for the update)."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params, grads = self._with_grad(group["params"])
            fresh = {"step": 0, "square_avg": 0.0}
            if group["momentum"] > 0:
                fresh["momentum_buffer"] = 0.0
            if group["centered"]:
                fresh["grad_avg"] = 0.0
            states = self._advance(params, fresh)
            data = get_data(params)
            square_avgs = [s["square_avg"] for s in states]
            grad_avgs = [s.get("grad_avg", 0.0) for s in states]
            buffers = [s.get("momentum_buffer", 0.0) for s in states]
            rmsprop(data, grads, square_avgs, grad_avgs, buffers,
                    lr=group["lr"], alpha=group["alpha"], eps=group["eps"],
                    weight_decay=group["weight_decay"], momentum=group["momentum"],
                    centered=group["centered"], maximize=group["maximize"])
            set_data(params, data)
            for s, v, g_avg, buf in zip(states, square_avgs, grad_avgs, buffers):
                s["square_avg"] = v
                if group["centered"]:
                    s["grad_avg"] = g_avg
                if group["momentum"] > 0:
                    s["momentum_buffer"] = buf
        return loss
