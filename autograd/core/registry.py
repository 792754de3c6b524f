"""What the node uses but the layers above it define: the ops behind its methods, its displays.

`Value.__add__`, `Value.tanh`, `Value.tree()` ... are declared in the class (core/value.py), so that
help(Value), an editor and a type checker see every one. Their ops are defined in the op library
(autograd/math), and the text tree and notebook card in autograd/show, which core may not import.
So each of those modules registers what it provides here, by name, when it is imported
(`import autograd` imports the op library and the text displays, nothing more), and each method
looks up its op or display at call time.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .op import Op
    from .value import Value


class _Table:
    """Named slots, filled once by `register`: a misspelt or missing name fails loudly."""

    __slots__: tuple[str, ...] = ()

    def register(self, **entries: Callable[..., Any]) -> None:
        """Fill the named slots (each name must be one of the table's)."""
        for name, entry in entries.items():
            if name not in self.__slots__:
                raise AttributeError(f"{type(self).__name__} has no slot {name!r}; its slots are "
                                     f"{', '.join(self.__slots__)}")
            setattr(self, name, entry)


class OpTable(_Table):
    """The ops behind Value's operators and methods (filled by autograd/math)."""

    # the ops themselves, except: factories of one op per constant (x ** c, leaky_relu's slope) and
    # functions that choose their op from their arguments (round's decimals, clamp's bounds)
    power_by: Callable[[float], Op]
    leaky_relu_by: Callable[[float], Op]
    round: Callable[..., Value]
    clamp: Callable[..., Value]
    add: Op
    sub: Op
    mul: Op
    div: Op
    pow: Op
    neg: Op
    abs: Op
    exp: Op
    log: Op
    sqrt: Op
    tanh: Op
    sigmoid: Op
    relu: Op
    sin: Op
    cos: Op
    tan: Op
    asin: Op
    acos: Op
    atan: Op
    atan2: Op
    sinh: Op
    cosh: Op
    asinh: Op
    acosh: Op
    atanh: Op
    log1p: Op
    expm1: Op
    log2: Op
    log10: Op
    exp2: Op
    square: Op
    reciprocal: Op
    rsqrt: Op
    hypot: Op
    logaddexp: Op
    sign: Op
    floor: Op
    ceil: Op
    trunc: Op
    maximum: Op
    minimum: Op
    remainder: Op
    floor_divide: Op

    __slots__ = ("add", "sub", "mul", "div", "pow", "power_by", "neg", "abs", "exp", "log",
                 "sqrt", "tanh", "sigmoid", "relu", "leaky_relu_by", "sin", "cos",
                 "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "asinh", "acosh", "atanh",
                 "log1p", "expm1", "log2", "log10", "exp2", "square", "reciprocal", "rsqrt",
                 "hypot", "logaddexp", "sign", "floor", "ceil", "trunc", "round", "clamp",
                 "maximum", "minimum", "remainder", "floor_divide")


class DisplayTable(_Table):
    """How a Value shows itself beyond its repr (filled by autograd/show)."""

    __slots__ = ("tree", "card")
    tree: Callable[[Value, int | None, int | None], Any]
    card: Callable[[Value], str]


OPS = OpTable()
DISPLAY = DisplayTable()
