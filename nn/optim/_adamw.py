"""AdamW: Adam with weight decay applied to the weights directly, not through the gradient."""
from __future__ import annotations

from ._adam import Adam, adam
from .optimizer import ParamsT


def adamw(params: list[float], grads: list[float], exp_avgs: list[float],
          exp_avg_sqs: list[float], max_exp_avg_sqs: list[float], steps: list[int], *,
          amsgrad: bool, beta1: float, beta2: float, lr: float, weight_decay: float, eps: float,
          maximize: bool) -> None:
    """One AdamW step on plain floats, in place: `adam` with the weight decay decoupled from the
    gradient (see `AdamW` for the update, `adam` for the arguments)."""
    adam(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, amsgrad=amsgrad,
         beta1=beta1, beta2=beta2, lr=lr, weight_decay=weight_decay, eps=eps, maximize=maximize,
         decoupled_weight_decay=True)


class AdamW(Adam):
    r"""AdamW (Loshchilov & Hutter, 2019), as `torch.optim.AdamW`.

    The algorithm, for each parameter theta with gradient g at step t (m, v, v_max start at 0)::

        if maximize:   g = -g
        theta = theta * (1 - lr * weight_decay)  decay the weight itself, decoupled from g
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g^2
        m^ = m / (1 - beta1^t)
        v^ = v / (1 - beta2^t)
        if amsgrad:
            v_max = max(v_max, v)
            theta = theta - lr * m^ / (sqrt(v_max) / sqrt(1 - beta2^t) + eps)
        else:
            theta = theta - lr * m^ / (sqrt(v^) + eps)

    In Adam an L2 term in the gradient gets divided by sqrt(v^) like the rest of the gradient, so
    parameters with large gradients are barely regularized; AdamW shrinks every weight by the same
    factor each step, which regularizes as intended.

    Args:
        params: Values to optimize, or dicts defining parameter groups.
        lr: learning rate (default 1e-3).
        betas: (beta1, beta2), decay rates of the two running averages (default (0.9, 0.999)).
        eps: added to the denominator for numerical stability (default 1e-8).
        weight_decay: decoupled weight decay coefficient (default 1e-2).
        amsgrad: use the AMSGrad variant.
        maximize: ascend the objective instead of descending it.

    State per parameter: as `Adam`.
    """

    _decoupled_weight_decay = True

    def __init__(self, params: ParamsT, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)
