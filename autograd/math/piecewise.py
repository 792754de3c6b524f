"""Piecewise functions: sign and rounding, clamping, the larger or smaller of two, and `%` / `//`;
each forward on floats next to its local derivatives, declared as in `basic.py`.

sign, floor, ceil, round, trunc and `//` are flat between their jumps: PyTorch gives them a zero
gradient whatever comes from above (even inf or nan), so their partials are None (no gradient
flows), not 0.0 (which would make inf * 0 = nan). Where a piece is selected (clamp, maximum,
minimum), the gradient goes to the input that was selected, with PyTorch's tie rules.
"""
from __future__ import annotations

import builtins
import math
from functools import lru_cache
from typing import Any

from ..core import OPS, Op, Value, as_float, data_of
from .basic import INF, NAN, define, div


def _no_gradient(out: Any, *xs: Any) -> tuple[None, ...]:
    return (None,) * len(xs)


def _integral(x: float, nearest: int) -> float:
    # copysign keeps the sign of a zero result (floor(-0.0) and ceil(-0.5) are -0.0, as in IEEE)
    return math.copysign(float(nearest), x)


# -- sign and rounding -----------------------------------------------------------------------------
@define("sign", _no_gradient)
def sign(x: float) -> float:
    """-1, 0 or 1 as x is negative, zero or positive; the gradient is 0. As PyTorch, sign(-0.0) and
    sign(nan) are 0.0."""
    return float((x > 0) - (x < 0))


@define("floor", _no_gradient)
def floor(x: float) -> float:
    """The largest whole number <= x, as a float; the gradient is 0. ±inf and nan stay."""
    return _integral(x, math.floor(x)) if math.isfinite(x) else x


@define("ceil", _no_gradient)
def ceil(x: float) -> float:
    """The smallest whole number >= x, as a float; the gradient is 0. ±inf and nan stay."""
    return _integral(x, math.ceil(x)) if math.isfinite(x) else x


@define("trunc", _no_gradient)
def trunc(x: float) -> float:
    """x with its fractional part dropped (towards 0), as a float; the gradient is 0."""
    return _integral(x, math.trunc(x)) if math.isfinite(x) else x


def _nearest(x: float) -> float:
    return _integral(x, builtins.round(x)) if math.isfinite(x) else x  # halves go to even


ROUND = define("round", _no_gradient)(_nearest)
ROUND.__doc__ = "The nearest whole number, halves to even (round(2.5) = 2.0); the gradient is 0."


@lru_cache(maxsize=32)
def round_to(decimals: int) -> Op:
    """The op round(x, decimals) for a number of decimals other than 0 (cached: one Op each)."""
    scale = 10.0 ** builtins.abs(decimals)
    if decimals > 0:  # PyTorch's formulas: the scaling may round, so 2.675 gives 2.68
        forward = lambda x: _nearest(x * scale) / scale  # noqa: E731
    else:
        forward = lambda x: _nearest(x / scale) * scale  # noqa: E731
    return Op(f"round({decimals})", forward, _no_gradient).made_by(round_to, decimals)


def round(x: Any, decimals: int = 0) -> Any:  # noqa: A001 - mirrors torch.round
    """x rounded to the nearest whole number (halves to even, as `torch.round`), or to `decimals`
    decimal places (negative: to tens, hundreds...); the gradient is 0.

    With decimals, PyTorch's formula nearest(x * 10^d) / 10^d is used, so the result is that of
    `torch.round(x, decimals=d)`, not always that of Python's `round(x, d)`: 2.675 gives 2.68 here
    (2.675 * 100 rounds to 267.5 in floats) and 2.67 in Python. `round(v)` on a Value is Python's
    rounding of its number, a plain int.

    Args:
        x: a number or a Value.
        decimals: an int, as for `torch.round`.
    """
    if not isinstance(decimals, int) or isinstance(decimals, bool):
        raise TypeError(f"round's decimals must be an int, as for torch.round, got "
                        f"{type(decimals).__name__}: {decimals!r}")
    return ROUND(x) if decimals == 0 else round_to(decimals)(x)


# -- clamp -----------------------------------------------------------------------------------------
def _clamp(x: float, low: float, high: float) -> float:
    if x != x or low != low or high != high:
        return NAN
    if x < low:
        x = low
    return high if x > high else x  # with low > high every x gives high, as in PyTorch


@lru_cache(maxsize=64)
def clamp_between(low: float, high: float) -> Op:
    """The op clamp(x, low, high) for number bounds (cached: one Op per pair of bounds)."""
    # the gradient passes where x is inside the bounds, ends included (PyTorch's rule)
    return Op(f"clamp({low:g}, {high:g})", lambda x: _clamp(x, low, high),
              lambda out, x: (1.0 if low <= x <= high else None,)).made_by(clamp_between, low,
                                                                           high)


def _clamp_derivatives(out: Any, x: Any, low: Any, high: Any) -> tuple[Any, Any, Any]:
    # PyTorch's rule: x where it is inside [low, high]; low where x is below it (if low < high);
    # high where x is above it, or everywhere when the bounds cross (high < low: out is high)
    return (1.0 if low <= x <= high else None,
            1.0 if x < low and low < high else None,
            1.0 if x > high or high < low else None)


CLAMP = Op("clamp", _clamp, _clamp_derivatives)
CLAMP_MIN = Op("clamp_min", lambda x, low: _clamp(x, low, INF),
               lambda out, x, low: (1.0 if x >= low else None, 1.0 if x < low else None))
CLAMP_MAX = Op("clamp_max", lambda x, high: _clamp(x, -INF, high),
               lambda out, x, high: (1.0 if x <= high else None, 1.0 if x > high else None))


def clamp(x: Any, min: Any = None, max: Any = None) -> Any:
    """x limited to [min, max]: min where x < min, max where x > max, else x (as `torch.clamp`).

    d/dx = 1 where min <= x <= max (bounds included) and 0 outside; a bound that is a Value gets
    the gradient where it is the output. With min > max every x gives max. A nan anywhere gives nan
    and no gradient.

    Args:
        x: a number or a Value.
        min, max: numbers or Values; either may be None (no bound on that side), not both.
    """
    if min is None and max is None:
        raise ValueError("clamp needs min or max (or both), as torch.clamp: clamp(x, min=0.0)")
    if isinstance(min, Value) or isinstance(max, Value):
        if max is None:
            return CLAMP_MIN(x, min)
        if min is None:
            return CLAMP_MAX(x, max)
        return CLAMP(x, min, max)
    low = -INF if min is None else as_float(min)
    high = INF if max is None else as_float(max)
    return clamp_between(low, high)(x)


# -- the larger and the smaller of two -------------------------------------------------------------
def _maximum_derivatives(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    # a tie (a == b) splits the gradient in halves; a nan passes it to both, as in PyTorch
    tie = data_of(a) == data_of(b)
    return (None if a < b else 0.5 if tie else 1.0), (None if a > b else 0.5 if tie else 1.0)


@define("maximum", _maximum_derivatives)
def maximum(a: float, b: float) -> float:
    """The larger of a and b (nan if either is nan), as `torch.maximum`.

    d/da = 1 where a > b, 0 where a < b; at a tie each input gets half the gradient (PyTorch's
    rule: the gradient is split evenly, not given to one side).
    """
    if a != a or b != b:
        return NAN
    return b if a < b else a


def _minimum_derivatives(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    tie = data_of(a) == data_of(b)
    return (None if a > b else 0.5 if tie else 1.0), (None if a < b else 0.5 if tie else 1.0)


@define("minimum", _minimum_derivatives)
def minimum(a: float, b: float) -> float:
    """The smaller of a and b (nan if either is nan), as `torch.minimum`.

    d/da = 1 where a < b, 0 where a > b; at a tie each input gets half the gradient.
    """
    if a != a or b != b:
        return NAN
    return b if b < a else a


# -- % and // --------------------------------------------------------------------------------------
def _fmod(a: float, b: float) -> float:
    if b == 0 or math.isinf(a) or a != a or b != b:
        return NAN  # IEEE fmod; math.fmod raises here
    return math.fmod(a, b)


@define("//", _no_gradient)
def floor_divide(a: float, b: float) -> float:
    """floor(a / b), the quotient of Python's `a // b` (and of `torch.floor_divide`); the gradient
    is 0, as `torch.div(a, b, rounding_mode="floor")` (torch.floor_divide itself has no backward).

    Computed from the exact remainder, as Python and PyTorch do, so 1 // 0.1 is 9.0 (0.1 is a
    little more than 1/10). IEEE instead of ZeroDivisionError: 1 // 0 is inf, 0 // 0 is nan.
    """
    if b == 0:
        return div(a, b)
    mod = _fmod(a, b)
    quotient = (a - mod) / b
    if mod != 0 and (b < 0) != (mod < 0):
        quotient -= 1.0
    if quotient == 0:
        return math.copysign(0.0, a / b)
    floored = floor(quotient)
    return floored + 1.0 if quotient - floored > 0.5 else floored


@define("%", lambda out, a, b: (1.0, -floor_divide(a, b)))
def remainder(a: float, b: float) -> float:
    """a - b * floor(a / b): the remainder of Python's `a % b`, which takes the divisor's sign, as
    `torch.remainder`; d/da = 1, d/db = -floor(a / b).

    IEEE instead of ZeroDivisionError, as PyTorch: a % 0 and inf % b are nan. A zero remainder
    keeps the sign of fmod, as PyTorch: -4.0 % 2.0 is -0.0 (Python's float % gives 0.0).
    """
    mod = _fmod(a, b)
    if mod != 0 and (b < 0) != (mod < 0):
        mod += b
    return mod


OPS.register(sign=sign, floor=floor, ceil=ceil, trunc=trunc, round=round, clamp=clamp,
             maximum=maximum, minimum=minimum, remainder=remainder, floor_divide=floor_divide)
