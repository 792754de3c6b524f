"""Logs, exponentials and powers beyond exp, log and sqrt: each forward on floats next to its local
derivatives, declared as in `basic.py`.

The derivatives are written with differentiable functions, so `backward(create_graph=True)` gives
every higher derivative. They are PyTorch's formulas (torch/csrc/autograd's derivatives.yaml), so
the gradients at the edges (0, ±inf, nan, overflow) are the ones float64 PyTorch gives, down to the
sign of a zero: the gradient of `rsqrt` at 0 is -inf, `log1p` at -1 gives inf.
"""
from __future__ import annotations

import math
from typing import Any

from ..core import OPS, Over
from .basic import INF, NAN, define, div, exp, sqrt

LN2 = 0.6931471805599453  # ln 2 and ln 10, the constants PyTorch divides by (float64-rounded)
LN10 = 2.3025850929940456


@define("log1p", lambda out, x: (Over(x + 1.0),))
def log1p(x: float) -> float:
    """ln(1 + x), accurate for tiny x (where `log(1 + x)` loses every digit); d/dx = 1 / (1 + x).

    log1p(-1) is -inf; below -1 it is nan.
    """
    if x > -1.0:
        return math.log1p(x)
    return -INF if x == -1.0 else NAN


@define("expm1", lambda out, x: (out + 1.0,))
def expm1(x: float) -> float:
    """e^x - 1, accurate for tiny x; d/dx = e^x = out + 1. expm1(710) is inf."""
    try:
        return math.expm1(x)
    except OverflowError:
        return INF


def _log_base(x: float, log: Any) -> float:
    if x > 0:
        return log(x)
    return -INF if x == 0 else NAN


@define("log2", lambda out, x: (Over(x * LN2),))
def log2(x: float) -> float:
    """Base-2 logarithm; d/dx = 1 / (x ln 2). log2(0) is -inf, of a negative number nan."""
    return _log_base(x, math.log2)


@define("log10", lambda out, x: (Over(x * LN10),))
def log10(x: float) -> float:
    """Base-10 logarithm; d/dx = 1 / (x ln 10). log10(0) is -inf, of a negative number nan."""
    return _log_base(x, math.log10)


@define("exp2", lambda out, x: (out * LN2,))
def exp2(x: float) -> float:
    """2^x; d/dx = 2^x ln 2. exp2(1024) is inf, exp2(-1080) is 0."""
    try:
        return math.pow(2.0, x)
    except OverflowError:
        return INF


@define("hypot", lambda out, a, b: (div(a, out), div(b, out)))
def hypot(a: float, b: float) -> float:
    """sqrt(a^2 + b^2) without overflow or underflow in the squares; d/da = a / out, d/db = b / out.

    At (0, 0) both partials are 0/0 = nan, as in PyTorch. hypot(inf, nan) is inf (IEEE).
    """
    return math.hypot(a, b)


def _logaddexp_derivatives(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    # softmax weights of the two terms: e^a / (e^a + e^b) = 1 / (1 + e^(b - a))
    return Over(1.0 + exp(b - a)), Over(1.0 + exp(a - b))


@define("logaddexp", _logaddexp_derivatives)
def logaddexp(a: float, b: float) -> float:
    """ln(e^a + e^b), computed as max(a, b) + log1p(e^-|a - b|) so it never overflows;
    d/da = 1 / (1 + e^(b - a)), d/db = 1 / (1 + e^(a - b)).

    Equal infinities give themselves (logaddexp(-inf, -inf) = -inf), with nan partials as in
    PyTorch (e^(-inf - -inf) is nan).
    """
    if a == b and math.isinf(a):
        return a
    if a != a or b != b:
        return NAN
    return (a if a > b else b) + math.log1p(math.exp(-math.fabs(a - b)))


@define("square", lambda out, x: (2.0 * x,))
def square(x: float) -> float:
    """x * x; d/dx = 2x."""
    return x * x


@define("reciprocal", lambda out, x: (-(out * out),))
def reciprocal(x: float) -> float:
    """1 / x; d/dx = -1/x^2 = -out^2. reciprocal(0) is inf, reciprocal(-0.0) is -inf."""
    return div(1.0, x)


@define("rsqrt", lambda out, x: (-0.5 * (out * out * out),))
def rsqrt(x: float) -> float:
    """1 / sqrt(x); d/dx = -1 / (2 x^(3/2)) = -out^3 / 2. rsqrt(0) is inf, of a negative nan."""
    return div(1.0, sqrt(x))


OPS.register(log1p=log1p, expm1=expm1, log2=log2, log10=log10, exp2=exp2, square=square,
             reciprocal=reciprocal, rsqrt=rsqrt, hypot=hypot, logaddexp=logaddexp)
