"""Attaching ops to `Value` as methods (`x.tan()`, `y.atan2(x)`), named and documented as the op."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

from ..math.basic import _method, _operator
from .op import Op
from .value import Value


def unary_methods(ops: Iterable[Op]) -> None:
    """`Value.<name>(self)` for each one-input op."""
    for op in ops:
        setattr(Value, op.__name__, _method(op))


def binary_methods(ops: Iterable[Op] | Mapping[str, Op]) -> None:
    """`Value.<name>(self, other)` for each two-input op; `other` may be a number. A mapping gives
    the method names of ops whose names are symbols (`{"remainder": <op %>}`)."""
    named = ops.items() if isinstance(ops, Mapping) else ((op.__name__, op) for op in ops)
    for name, op in named:
        _set(name, _operator(op)[0], op.__doc__)


def operator(name: str, op: Op, doc: str, reflected_doc: str) -> None:
    """`Value.__<name>__` and `Value.__r<name>__` for a two-input op, each with its own docstring
    (what it computes and its local derivatives, as help(Value) shows them)."""
    forward, reflected = _operator(op)
    _set(f"__{name}__", forward, doc)
    _set(f"__r{name}__", reflected, reflected_doc)


def _set(name: str, method: Callable[[Value, Any], Value], doc: str | None) -> None:
    method.__name__, method.__qualname__, method.__doc__ = name, f"Value.{name}", doc
    setattr(Value, name, method)
