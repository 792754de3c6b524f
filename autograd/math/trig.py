"""Trigonometric and hyperbolic functions beyond sin, cos and tanh, and their inverses: each forward
on floats next to its local derivatives, declared as in `basic.py`.

The derivatives are PyTorch's formulas (torch/csrc/autograd's derivatives.yaml), written with
differentiable functions so that higher derivatives come from `backward(create_graph=True)`, and
the results at the edges are float64 PyTorch's: asin'(1) is inf, atanh(1) is inf, acosh(0.5) is nan.
Even the order of operations follows PyTorch where it shows at the edges: x^2 is `x * x` in the
derivatives of asin and acosh but `square(x)` in those of asinh and atanh, as in PyTorch, and the
two differ in the second derivative at a subnormal x (g x + g x underflows to 0 where g (2x) does
not) or at a huge one (0 * inf is nan).
"""
from __future__ import annotations

import math
from typing import Any

from ..core import OPS, Op, Over, data_of
from .basic import INF, NAN, define
from .exp_log import reciprocal, rsqrt, square


@define("tan", lambda out, x: (1.0 + out * out,))
def tan(x: float) -> float:
    """tan x; d/dx = 1 + tan^2 x. tan(inf) is nan."""
    return math.tan(x) if math.isfinite(x) else NAN


@define("asin", lambda out, x: (rsqrt(1.0 - x * x),))
def asin(x: float) -> float:
    """arcsin x, in [-pi/2, pi/2]; d/dx = 1 / sqrt(1 - x^2), inf at x = ±1. Outside [-1, 1]: nan."""
    return math.asin(x) if -1.0 <= x <= 1.0 else NAN


@define("acos", lambda out, x: (-rsqrt(1.0 - x * x),))
def acos(x: float) -> float:
    """arccos x, in [0, pi]; d/dx = -1 / sqrt(1 - x^2), -inf at x = ±1. Outside [-1, 1]: nan."""
    return math.acos(x) if -1.0 <= x <= 1.0 else NAN


@define("atan", lambda out, x: (Over(x * x + 1.0),))
def atan(x: float) -> float:
    """arctan x, in (-pi/2, pi/2); d/dx = 1 / (1 + x^2)."""
    return math.atan(x)


# The reciprocal of y^2 + x^2 where that sum is 0 (at the origin, or when both squares underflow) is
# replaced by 0, as PyTorch does; the replacement passes a zero on to the second derivative, so
# 0 * inf there gives the nan PyTorch gives too.
_ZEROED = Op("zeroed", lambda x: 0.0, lambda out, x: (0.0,))


def _atan2_derivatives(out: Any, y: Any, x: Any) -> tuple[Any, Any]:
    squares = y * y + x * x
    recip = reciprocal(squares)
    if data_of(squares) == 0:
        recip = _ZEROED(recip)
    return x * recip, -y * recip


@define("atan2", _atan2_derivatives)
def atan2(y: float, x: float) -> float:
    """The angle of the point (x, y) from the positive x axis, in [-pi, pi] (note: y first, as
    `math.atan2` and `torch.atan2`).

    d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2); both are 0 where x^2 + y^2 is 0 (the origin),
    as in PyTorch. Signed zeros pick the half-turn: atan2(0.0, -0.0) is pi, atan2(-0.0, -0.0) is
    -pi.
    """
    return math.atan2(y, x)


@define("sinh", lambda out, x: (cosh(x),))  # type: ignore[has-type]  # cosh: below
def sinh(x: float) -> float:
    """(e^x - e^-x) / 2; d/dx = cosh x. sinh(711) is inf."""
    try:
        return math.sinh(x)
    except OverflowError:
        return math.copysign(INF, x)


@define("cosh", lambda out, x: (sinh(x),))
def cosh(x: float) -> float:
    """(e^x + e^-x) / 2; d/dx = sinh x. cosh(±711) is inf."""
    try:
        return math.cosh(x)
    except OverflowError:
        return INF


@define("asinh", lambda out, x: (rsqrt(square(x) + 1.0),))
def asinh(x: float) -> float:
    """The inverse of sinh, ln(x + sqrt(x^2 + 1)); d/dx = 1 / sqrt(x^2 + 1)."""
    return math.asinh(x)


@define("acosh", lambda out, x: (rsqrt(x * x - 1.0),))
def acosh(x: float) -> float:
    """The inverse of cosh on [1, inf), ln(x + sqrt(x^2 - 1)); d/dx = 1 / sqrt(x^2 - 1), inf at 1.

    Below 1: nan (its derivative there is whatever the formula gives, as in PyTorch).
    """
    return math.acosh(x) if x >= 1.0 else NAN


@define("atanh", lambda out, x: (Over(1.0 - square(x)),))
def atanh(x: float) -> float:
    """The inverse of tanh on (-1, 1), ln((1 + x) / (1 - x)) / 2; d/dx = 1 / (1 - x^2).

    atanh(±1) is ±inf; beyond: nan.
    """
    if -1.0 < x < 1.0:
        return math.atanh(x)
    return math.copysign(INF, x) if math.fabs(x) == 1.0 else NAN


OPS.register(tan=tan, asin=asin, acos=acos, atan=atan, sinh=sinh, cosh=cosh, asinh=asinh,
             acosh=acosh, atanh=atanh, atan2=atan2)
