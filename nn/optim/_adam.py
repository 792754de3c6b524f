"""Adam: momentum on the gradient, per-parameter scaling by its running RMS, bias-corrected."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

# div divides as IEEE and torch do: with eps=0 a zero gradient gives 0 / 0 = nan (fit then stops,
# saying the weights became nan), not a ZeroDivisionError
from autograd import div, get_data, set_data

from .optimizer import Optimizer, ParamsT, lerp


def adam(params: list[float], grads: list[float], exp_avgs: list[float], exp_avg_sqs: list[float],
         max_exp_avg_sqs: list[float], steps: list[int], *, amsgrad: bool, beta1: float,
         beta2: float, lr: float, weight_decay: float, eps: float, maximize: bool,
         decoupled_weight_decay: bool = False) -> None:
    """One Adam (or, with `decoupled_weight_decay`, AdamW) step on plain floats, in place.

    `steps[i]` is the number of this step for parameter i (1 on the first). `max_exp_avg_sqs` is
    used only with `amsgrad`. The operations run in PyTorch's order, so float results agree with
    torch.optim.Adam / AdamW.
    """
    for i, g in enumerate(grads):
        p = params[i]
        if maximize:
            g = -g
        if weight_decay != 0:
            if decoupled_weight_decay:
                p = p * (1 - lr * weight_decay)
            else:
                g = g + weight_decay * p
        m = lerp(exp_avgs[i], g, 1 - beta1)
        v = exp_avg_sqs[i] * beta2 + (1 - beta2) * g * g
        exp_avgs[i], exp_avg_sqs[i] = m, v
        step = steps[i]
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2 ** 0.5
        if amsgrad:
            v = max_exp_avg_sqs[i] = max(max_exp_avg_sqs[i], v)
        denom = math.sqrt(v) / bias_correction2_sqrt + eps
        params[i] = p + div(-step_size * m, denom)


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2014), as `torch.optim.Adam`.

    The algorithm, for each parameter theta with gradient g at step t (m, v, v_max start at 0)::

        if maximize:            g = -g
        if weight_decay != 0:   g = g + weight_decay * theta
        m = beta1 * m + (1 - beta1) * g          first moment: a running mean of g
        v = beta2 * v + (1 - beta2) * g^2        second moment: a running mean of g^2
        m^ = m / (1 - beta1^t)                   bias corrections: m and v start at 0
        v^ = v / (1 - beta2^t)
        if amsgrad:
            v_max = max(v_max, v)                never let the denominator shrink
            theta = theta - lr * m^ / (sqrt(v_max) / sqrt(1 - beta2^t) + eps)
        else:
            theta = theta - lr * m^ / (sqrt(v^) + eps)

    The step is about lr in size whatever the gradient's scale: m^ / sqrt(v^) is near +-1 for a
    steady gradient. Weight decay here is an L2 term added to the gradient, so it is rescaled
    like the gradient; `AdamW` decouples it.

    Args:
        params: Values to optimize, or dicts defining parameter groups.
        lr: learning rate (default 1e-3).
        betas: (beta1, beta2), decay rates of the two running averages (default (0.9, 0.999)).
        eps: added to the denominator for numerical stability (default 1e-8).
        weight_decay: L2 penalty coefficient (default 0).
        amsgrad: use the AMSGrad variant (Reddi et al., 2018).
        maximize: ascend the objective instead of descending it.

    State per parameter: `"step"`, `"exp_avg"` (m), `"exp_avg_sq"` (v), and `"max_exp_avg_sq"`
    (v_max, with amsgrad).
    """

    _decoupled_weight_decay = False

    def __init__(self, params: ParamsT, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        given_betas = tuple(betas) if isinstance(betas, (list, tuple)) else betas
        defaults = dict(lr=lr, betas=given_betas, eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize)
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Take one Adam step for every parameter (see the class docstring for the update)."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            params, grads = self._with_grad(group["params"])
            fresh = {"step": 0, "exp_avg": 0.0, "exp_avg_sq": 0.0}
            if group["amsgrad"]:
                fresh["max_exp_avg_sq"] = 0.0
            states = self._advance(params, fresh)
            data = get_data(params)
            exp_avgs = [s["exp_avg"] for s in states]
            exp_avg_sqs = [s["exp_avg_sq"] for s in states]
            max_exp_avg_sqs = [s.get("max_exp_avg_sq", 0.0) for s in states]
            beta1, beta2 = group["betas"]
            adam(data, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs,
                 [s["step"] for s in states], amsgrad=group["amsgrad"], beta1=beta1,
                 beta2=beta2, lr=group["lr"], weight_decay=group["weight_decay"],
                 eps=group["eps"], maximize=group["maximize"],
                 decoupled_weight_decay=self._decoupled_weight_decay)
            set_data(params, data)
            for s, m, v, v_max in zip(states, exp_avgs, exp_avg_sqs, max_exp_avg_sqs):
                s["exp_avg"], s["exp_avg_sq"] = m, v
                if group["amsgrad"]:
                    s["max_exp_avg_sq"] = v_max
        return loss
