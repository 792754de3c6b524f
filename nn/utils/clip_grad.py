"""Gradient clipping, as `torch.nn.utils`: keep one bad batch from throwing the weights far away.

`clip_grad_norm_` rescales all gradients together so their joint norm is at most `max_norm` (the
direction of the step is kept); `clip_grad_value_` clamps each gradient on its own. Call either
between `loss.backward()` and `optimizer.step()`.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Real
from typing import Any

from autograd import Value

ParamsT = Value | Iterable[Value]


def _as_list(parameters: ParamsT) -> list[Value]:
    if hasattr(parameters, "parameters") and callable(parameters.parameters):
        raise TypeError(f"expected Values, got the model ({type(parameters).__name__}) itself; "
                        "pass model.parameters()")
    params = [parameters] if isinstance(parameters, Value) else list(parameters)
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"expected Values (model.parameters()), but item {i} is a "
                            f"{type(p).__name__}: {p!r}")
    return params


_FLOAT_ONLY = {float}


def _grad_float(g: Any) -> float:
    """A gradient (a float, a Value or another number) as a float."""
    return g if type(g) is float else g.data if isinstance(g, Value) else float(g)


def get_total_norm(grads: Iterable[float | Value], norm_type: float = 2.0,
                   error_if_nonfinite: bool = False) -> float:
    """The p-norm of a list of gradients (numbers or Values) viewed as one vector.

    ||g||_p = (sum_i |g_i|^p)^(1/p);  ||g||_inf = max_i |g_i|.
    The 2-norm is computed with `math.hypot`, which does not overflow for huge gradients.

    Args:
        grads: the gradients, e.g. `[p.grad for p in model.parameters()]`.
        norm_type: p, a positive number or `float("inf")` (default 2).
        error_if_nonfinite: raise a RuntimeError if the norm is nan or inf.
    """
    p = float(norm_type)
    if not p > 0:
        raise ValueError(f"norm_type must be positive or inf, got {norm_type!r}")
    values = grads if type(grads) is list else list(grads)
    if set(map(type, values)) - _FLOAT_ONLY:  # all floats, the common case, is checked in C
        values = [_grad_float(g) for g in values if g is not None]  # None: torch skips it
    if not values:
        return 0.0
    if p == math.inf:
        total = max(abs(g) for g in values)
        if any(g != g for g in values):  # max() would skip a nan
            total = math.nan
    elif p == 2.0:
        total = math.hypot(*values)
    elif p == 1.0:
        total = math.fsum(abs(g) for g in values)
    else:
        total = math.fsum(abs(g) ** p for g in values) ** (1.0 / p)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"the total norm of order {norm_type} of the gradients is {total}, so they cannot "
            "be clipped; find where the nan/inf appears (autograd.detect_anomaly()), or pass "
            "error_if_nonfinite=False to scale them by the non-finite norm anyway")
    return total


def _check_max_norm(max_norm: Any) -> None:
    if isinstance(max_norm, bool) or not isinstance(max_norm, Real):
        raise TypeError(f"max_norm must be a number, got {type(max_norm).__name__} {max_norm!r}")
    if not float(max_norm) >= 0:  # a negative norm would flip every gradient
        raise ValueError(f"max_norm must be >= 0 (the largest gradient norm allowed), "
                         f"got {max_norm!r}")


def clip_grads_with_norm_(parameters: ParamsT, max_norm: float, total_norm: float) -> None:
    """Scale every gradient by min(max_norm / (total_norm + 1e-6), 1), in place.

    The 1e-6 (PyTorch's) keeps the division finite when all gradients are zero.
    """
    _check_max_norm(max_norm)
    coef = min(float(max_norm) / (total_norm + 1e-6), 1.0)
    if total_norm != total_norm:  # min() would ignore a nan coefficient; PyTorch propagates it
        coef = math.nan
    for p in _as_list(parameters):
        g = p.grad
        if g is None:  # no gradient (zero_grad(set_to_none=True), not reached): skipped, as torch
            continue
        if type(g) is float:
            p.grad = g * coef
        else:  # a Value grad from backward(create_graph=True): scale it in place, as torch does
            g.data *= coef


def clip_grad_norm_(parameters: ParamsT, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> float:
    """Rescale the gradients so that their joint norm is at most `max_norm`; return the norm.

    total = ||(p.grad for p in parameters)||_norm_type
    every p.grad <- p.grad * min(max_norm / (total + 1e-6), 1)

    Args:
        parameters: a Value or an iterable of Values whose `.grad` is clipped in place.
        max_norm: the largest norm allowed.
        norm_type: p of the p-norm, `float("inf")` for the largest |grad| (default 2).
        error_if_nonfinite: raise a RuntimeError if the total norm is nan or inf.

    Returns:
        The total norm of the gradients BEFORE clipping (a float): worth logging, a rising
        gradient norm is an early sign of divergence.
    """
    params = _as_list(parameters)
    _check_max_norm(max_norm)
    total = get_total_norm([p.grad for p in params], norm_type, error_if_nonfinite)
    clip_grads_with_norm_(params, max_norm, total)
    return total


def clip_grad_value_(parameters: ParamsT, clip_value: float) -> None:
    """Clamp every gradient into [-clip_value, clip_value], in place (nan stays nan).

    Unlike `clip_grad_norm_` this changes the direction of the step when some gradients are
    clipped and others are not.
    """
    c = float(clip_value)
    if c < 0:
        raise ValueError(f"clip_value must be >= 0, got {clip_value!r}")
    for p in _as_list(parameters):
        g = p.grad
        if g is None:
            continue
        if type(g) is float:
            p.grad = max(min(g, c), -c)
        else:
            g.data = max(min(g.data, c), -c)
