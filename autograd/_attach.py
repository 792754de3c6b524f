"""Attaching ops to `Value` as methods (`x.tan()`, `y.atan2(x)`), named and documented as the op."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

from .ops import _method, _operator
from .value import Op, Value


def unary_methods(ops: Iterable[Op]) -> None:
    """`Value.<name>(self)` for each one-input op."""
    for op in ops:
        setattr(Value, op.__name__, _method(op))


def binary_methods(ops: Iterable[Op] | Mapping[str, Op]) -> None:
    """`Value.<name>(self, other)` for each two-input op; `other` may be a number. A mapping gives
    the method names of ops whose names are symbols (`{"remainder": <op %>}`)."""
    named = ops.items() if isinstance(ops, Mapping) else ((op.__name__, op) for op in ops)
    for name, op in named:
        method: Callable[[Value, Any], Value] = _operator(op)[0]
        method.__name__ = name
        method.__doc__ = op.__doc__
        setattr(Value, name, method)
