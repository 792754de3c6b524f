"""The `Value` node: a number that remembers how it was computed.

A `Value` wraps one float. Every op on Values (the op library is `autograd.math`) returns a new
Value that remembers its inputs (`parents`) and the `Op` that made it (`core/op.py`); the op knows
the local derivatives ∂(out)/∂(input). `backward()` applies the chain rule from the output back to
the inputs (`core/backward.py`: the readable reference first, then the fast passes it defines).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from numbers import Real
from typing import TYPE_CHECKING, Any, SupportsFloat, Union

from . import backward as _passes
from . import pickling as _pickling
from .anomaly import check_forward, describe
from .hooks import HOOKS, HookHandle, backprop_with_hooks, call_hooks
from .modes import MODE, enable_grad
from .partials import Over
from .registry import DISPLAY, OPS

if TYPE_CHECKING:
    from .op import Op

Number = SupportsFloat  # an int, a float, a numpy real scalar or a bool (checked when it arrives)
Operand = Union["Value", Number]  # what the arithmetic operators take on either side
_new = object.__new__


class _NoGrad:
    """The mark of a leaf that needs no gradient, in its `_b` slot (a leaf's inputs are empty)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_GRAD"

    def __reduce__(self) -> str:  # pickled and copied as the one mark itself, never a new one
        return "NO_GRAD"


NO_GRAD = _NoGrad()



class Value:
    """A scalar that remembers how it was computed, so gradients can flow back through it.

    Args:
        data: the number (int, float or numpy real scalar), stored as a Python float. A bool is
            a number too, as in Python and in torch (`torch.tensor(True, dtype=torch.float64)`
            is 1.0): `Value(True)` is 1.0, `Value(False)` 0.0.
        _children, _op: micrograd's way of making a node by hand, `Value(t, (x,), 'tanh')`: its
            inputs and the op's symbol; then assign its `_backward` closure (see `_backward`).
            Ops of chainrule never need these.
        label: free text shown in graph pictures and explanations (`Value(2.0, "a")` works too).
        requires_grad: False for a number that needs no gradient, such as the numbers fed to a
            model and a loss's targets (nn makes those so): backward computes none for it and its
            `.grad` stays None, as in torch. Every other Value gets its gradient (micrograd's
            rule, and what a lesson wants; torch's default is False).

    `float(v)` gives the number, so `math.exp(v)` quietly returns a plain float and the graph is
    cut there: use `v.exp()` or `autograd.exp(v)` to keep differentiating.

    Comparisons (`==`, `!=`, `<`, ...), truth (`if v:`), `int(v)`, `round(v, n)`, `math.floor(v)`,
    `math.ceil(v)` and `math.trunc(v)` work on the number, as for a float or a 0-d torch tensor,
    and give plain Python bools and numbers. Hashing is by identity, so two nodes holding the same
    number are two dict keys; a Value is no index (`[1, 2][Value(1.0)]` raises, as in torch).

    Attributes:
        data: the float value; assigning anything but a real number raises at once.
        grad: d(root)/d(self) after `root.backward()`; a float, or a Value after
            `backward(create_graph=True)`.
        label: the name shown in pictures.
    """

    # The number lives in `_data`, which the engine's hot paths read; `data` is the checked door
    # for everyone else (a property: reads cost a call, so the engine does not use it).
    __slots__ = ("_data", "grad", "label", "_operation", "_a", "_b", "__weakref__")

    def __init__(self, data: Number, _children: Any = (), _op: str = "", label: str = "",
                 requires_grad: bool = True) -> None:
        self._data = data if type(data) is float else as_float(data)
        self.grad: Any = 0.0
        self.label = label
        # The Op that made this node, None for a leaf. Typed Any: the passes read it only on nodes
        # that ops made, where it is never None.
        self._operation: Any = None
        # The inputs, without a tuple (see the module's docstring): (a, b), (a, None), or
        # (tuple of all the inputs, None) for an op of more than two; (None, None) for a leaf, or
        # (None, NO_GRAD) for a leaf that needs no gradient (requires_grad=False).
        self._a: Any = None
        self._b: Any = None
        if _children or not requires_grad:  # one test for the common Value(x), Value(x, label=...)
            if type(_children) is str:  # Value(2.0, "a"): the label in second place, as before
                _children, self.label = (), _children
            if _children:  # micrograd's way of making a node: its `_backward` closure is set next
                from .micrograd import made_micrograd_style
                made_micrograd_style(self, _children, _op)
            elif not requires_grad:
                self._b = NO_GRAD
                self.grad = None

    @property
    def data(self) -> float:
        """The number, a Python float. Assigning converts any real number (int, numpy scalar, bool)
        to a float and refuses anything else at once, naming this Value."""
        return self._data

    @data.setter
    def data(self, value: Number) -> None:
        if type(value) is float:
            self._data = value
            return
        try:
            self._data = as_float(value)
        except (TypeError, OverflowError) as error:
            raise type(error)(f"cannot set .data of {self!r} to {type(value).__name__}: "
                              f"{error}") from None

    # -- what the node is -------------------------------------------------------------------
    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this one was computed from (empty for a leaf)."""
        if self._operation is None:
            return ()
        a, b = self._a, self._b
        if b is not None:
            return (a, b)
        if a is None:
            return ()
        return a if type(a) is tuple else (a,)

    @property
    def op(self) -> Op | None:
        """The `Op` that made this Value, or None for a leaf (an input or a parameter)."""
        made_by: Op | None = self._operation
        return made_by

    @property
    def is_leaf(self) -> bool:
        """True for inputs and parameters: Values that no op made."""
        return self._operation is None

    @property
    def requires_grad(self) -> bool:
        """Whether backward computes this Value's gradient (torch's flag).

        True for every leaf made without `requires_grad=False`; for a node an op made, True when
        any of its inputs, near or far, requires it (as torch). Set it on a leaf
        (`x.requires_grad = True`, or `x.requires_grad_()`) to get the gradient of an input.
        """
        if self._operation is None:
            return self._b is not NO_GRAD
        seen, stack = set(), [self]
        while stack:
            node = stack.pop()
            if node._operation is None:
                if node._b is not NO_GRAD:
                    return True
            elif id(node) not in seen:
                seen.add(id(node))
                stack.extend(node.parents)
        return False

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        if not isinstance(flag, bool):
            raise TypeError(f"requires_grad is True or False, got {flag!r}")
        if self._operation is not None:
            raise RuntimeError(f"requires_grad can only be set on a leaf (an input or a "
                               f"parameter); {describe(self)} was made by an op (torch: you can "
                               f"only change requires_grad flags of leaf variables); use "
                               f".detach() for a leaf holding its number")
        if flag and self._b is NO_GRAD:
            self._b = None
            self.grad = None  # no gradient yet: the next backward starts it (torch's None)
        elif not flag:
            self._b = NO_GRAD
            self.grad = None

    def requires_grad_(self, requires_grad: bool = True) -> Value:
        """Set `requires_grad` on this leaf and return it (torch's in-place setter)."""
        self.requires_grad = requires_grad
        return self

    def numel(self) -> int:
        """The number of numbers it holds: 1 (torch's `numel()`, for the usual parameter count
        `sum(p.numel() for p in model.parameters())`)."""
        return 1

    # -- micrograd's names for the node's parts, so code written for micrograd runs -----------
    @property
    def _prev(self) -> set[Value]:
        """micrograd's name for the inputs: the set of the Values this one was computed from."""
        return set(self.parents)

    @property
    def _op(self) -> str:
        """micrograd's op string: the op's symbol ('+', '*', 'tanh', ...), '' for a leaf."""
        return "" if self._operation is None else self._operation.name

    @property
    def _backward(self) -> Callable[[], None]:
        """micrograd's `_backward`: `node._backward()` does this node's local chain-rule step.

        It adds `node.grad * ∂node/∂input` into each input's `.grad` (`core.chain_rule_step`),
        exactly what backward does at this node; for a leaf it does nothing. Assign a closure to
        a node made micrograd's way, `out = Value(t, (x,), 'tanh')`, and that closure is the node's
        backward step: `backward()`, `draw_dot`, `tree` and `explain` then use it.
        """
        from .micrograd import backward_step
        return backward_step(self)

    @_backward.setter
    def _backward(self, closure: Callable[[], None]) -> None:
        from .micrograd import set_backward
        set_backward(self, closure)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self._data!r}, grad={self.grad!r}{label})"

    def __float__(self) -> float:
        return self._data

    def __format__(self, spec: str) -> str:
        return format(self._data, spec) if spec else repr(self)

    # -- comparisons, truth and conversions: on the number, as floats and torch's 0-d tensors ----
    # `==` compares numbers, so `if x == 0:` inside a function given to `grad` takes the branch it
    # takes on floats. Hashing stays by identity (as torch's tensors): Values are dict and set keys
    # throughout the engine, and a dict only calls __eq__ on keys whose full hashes are equal, which
    # identity hashes of two distinct live Values never are. So equal numbers in distinct nodes stay
    # distinct keys; code that means "this very node" in a list writes `is`, never `in`/`index`.
    def __eq__(self, other: Any) -> bool:
        if isinstance(other, Value):
            return self._data == other._data
        if isinstance(other, Real):
            return self._data == other
        if _is_numpy_bool(other):
            return self._data == bool(other)
        return NotImplemented  # Python then answers False, as for a float compared with "a"

    def __ne__(self, other: Any) -> bool:
        if isinstance(other, Value):
            return self._data != other._data
        if isinstance(other, Real):
            return self._data != other
        if _is_numpy_bool(other):
            return self._data != bool(other)
        return NotImplemented

    def __lt__(self, other: Any) -> bool:
        return self._data < data_of(other)

    def __le__(self, other: Any) -> bool:
        return self._data <= data_of(other)

    def __gt__(self, other: Any) -> bool:
        return self._data > data_of(other)

    def __ge__(self, other: Any) -> bool:
        return self._data >= data_of(other)

    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        """The number's truth, as a float's: False for 0.0 and -0.0, True otherwise (nan too)."""
        return self._data != 0.0

    def __int__(self) -> int:
        return int(self._data)

    def __round__(self, ndigits: int | None = None) -> int | float:
        return round(self._data, ndigits)

    def __floor__(self) -> int:
        return math.floor(self._data)

    def __ceil__(self) -> int:
        return math.ceil(self._data)

    def __trunc__(self) -> int:
        return math.trunc(self._data)

    def __index__(self) -> int:
        # As torch's float tensors: a float is no index, even when it is whole (`[1,
        # 2][Value(1.0)]`).
        raise TypeError(f"a Value holds a float ({self._data!r}) and cannot be used as an index "
                        f"(torch: only integer tensors of a single element can be converted to an "
                        f"index); convert it explicitly with int(v) or round(v)")

    # -- pickle and copy (core/pickling.py): whole graphs, at any depth ----------------------------
    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its number, gradient, label and, if an op made it, its op and inputs (so
        `backward()` works after loading); a graph of any depth, without recursion. Hooks are not
        pickled. `copy.deepcopy` copies the whole graph the same way."""
        return _pickling.reduce_value(self)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        _pickling.set_value_state(self, state)

    def __copy__(self) -> Value:
        """A new node with the same number, gradient, label, op and inputs (the inputs shared)."""
        twin = _new(type(self))
        twin._data, twin.grad, twin.label = self._data, self.grad, self.label
        twin._operation, twin._a, twin._b = self._operation, self._a, self._b
        return twin

    def item(self) -> float:
        """The number as a plain Python float (torch's `Tensor.item()`); the same as `.data`."""
        return self._data

    def detach(self) -> Value:
        """A new leaf holding the same number (and label), outside the graph (torch's `detach()`).

        Gradients do not flow through it: whatever is computed from the detached Value treats it as
        a constant, so `(x * x.detach()).backward()` gives x.grad = x, not 2x. As in torch, it
        asks for no gradient of its own (`requires_grad` False, `.grad` None).
        """
        return Value(self._data, label=self.label, requires_grad=False)

    # -- the operators and methods: each op is defined in autograd/math, looked up in OPS ---------
    # Written out here (not attached at import time) so that help(Value), an editor and a type
    # checker see every one. A number on either side becomes a leaf Value first.
    def __add__(self, other: Operand) -> Value:
        """self + other. Local derivatives: ∂/∂self = 1, ∂/∂other = 1."""
        return apply(OPS.add, (self, other if isinstance(other, Value) else Value(other)))

    def __radd__(self, other: Number) -> Value:
        """other + self, where other is a number: Python calls x.__radd__(2) for 2 + x.

        Local derivatives: ∂/∂other = 1, ∂/∂self = 1."""
        return apply(OPS.add, (Value(other), self))

    def __sub__(self, other: Operand) -> Value:
        """self - other. Local derivatives: ∂/∂self = 1, ∂/∂other = -1."""
        return apply(OPS.sub, (self, other if isinstance(other, Value) else Value(other)))

    def __rsub__(self, other: Number) -> Value:
        """other - self, where other is a number: Python calls x.__rsub__(2) for 2 - x.

        Local derivatives: ∂/∂other = 1, ∂/∂self = -1."""
        return apply(OPS.sub, (Value(other), self))

    def __mul__(self, other: Operand) -> Value:
        """self * other. Local derivatives: ∂/∂self = other, ∂/∂other = self."""
        if isinstance(other, Value):
            return apply(OPS.mul, (self, other))
        if type(other) is Over:  # `g * Over(d)` in a create_graph pass: Over divides instead
            return NotImplemented
        return apply(OPS.mul, (self, Value(other)))

    def __rmul__(self, other: Number) -> Value:
        """other * self, where other is a number: Python calls x.__rmul__(2) for 2 * x.

        Local derivatives: ∂/∂other = self, ∂/∂self = other."""
        return apply(OPS.mul, (Value(other), self))

    def __truediv__(self, other: Operand) -> Value:
        """self / other, with IEEE results: 1 / 0 is inf, 0 / 0 is nan.

        Local derivatives: ∂/∂self = 1 / other, ∂/∂other = -self / other² (= -out / other)."""
        return apply(OPS.div, (self, other if isinstance(other, Value) else Value(other)))

    def __rtruediv__(self, other: Number) -> Value:
        """other / self, where other is a number: Python calls x.__rtruediv__(2) for 2 / x.

        IEEE results: 1 / 0 is inf. Local derivatives: ∂/∂other = 1 / self,
        ∂/∂self = -other / self² (= -out / self)."""
        return apply(OPS.div, (Value(other), self))

    def __pow__(self, exponent: Operand) -> Value:
        """self ** exponent, with IEEE results: 0 ** -1 is inf, (-8) ** 0.5 is nan.

        A number exponent c makes the one-input op x ** c, computed as PyTorch does (x ** 0.5 is
        sqrt(x), so (-inf) ** 0.5 is nan); a Value exponent is an input too.

        Local derivatives: ∂/∂self = exponent * self^(exponent - 1), except that no gradient flows
        to self when the exponent is 0 (masked, as PyTorch); ∂/∂exponent = self^exponent * ln(self)
        = out * ln(self), taken as 0 at self = 0 with exponent >= 0."""
        if isinstance(exponent, Value):
            return apply(OPS.pow, (self, exponent))
        return apply(OPS.power_by(as_float(exponent)), (self,))

    def __rpow__(self, base: Number) -> Value:
        """base ** self, where base is a number: Python calls x.__rpow__(2) for 2 ** x.

        Local derivatives: ∂/∂self = base^self * ln(base) = out * ln(base),
        ∂/∂base = self * base^(self - 1)."""
        return apply(OPS.pow, (Value(base), self))

    def __mod__(self, other: Operand) -> Value:
        """self % other: the remainder with the sign of other, as Python's % and torch.remainder
        (IEEE: x % 0 is nan).

        Local derivatives: ∂/∂self = 1, ∂/∂other = -floor(self / other)."""
        return _binary(OPS.remainder, self, other)

    def __rmod__(self, other: Number) -> Value:
        """other % self, where other is a number: Python calls x.__rmod__(2) for 2 % x.

        Local derivatives: ∂/∂other = 1, ∂/∂self = -floor(other / self)."""
        return apply(OPS.remainder, (Value(other), self))

    def __floordiv__(self, other: Operand) -> Value:
        """self // other = floor(self / other), as Python's // and torch.floor_divide (IEEE: 1 // 0
        is inf).

        Local derivatives: none flow (0 for both, as torch.div(..., rounding_mode="floor"))."""
        return _binary(OPS.floor_divide, self, other)

    def __rfloordiv__(self, other: Number) -> Value:
        """other // self, where other is a number: Python calls x.__rfloordiv__(2) for 2 // x.

        Local derivatives: none flow (0 for both)."""
        return apply(OPS.floor_divide, (Value(other), self))

    def __neg__(self) -> Value:
        """-self. Local derivative: ∂/∂self = -1."""
        return apply(OPS.neg, (self,))

    def __abs__(self) -> Value:
        """abs(self) = |self|. Local derivative: ∂/∂self = sign(self): 1 above 0, -1 below, 0 at 0
        (as PyTorch)."""
        return apply(OPS.abs, (self,))

    # functions of one Value (autograd.math.basic, trig, exp_log, piecewise): v.tanh() is tanh(v)
    def exp(self) -> Value:
        """e^self; ∂/∂self = e^self (the output itself). exp(1000) is inf."""
        return apply(OPS.exp, (self,))

    def log(self) -> Value:
        """Natural log; ∂/∂self = 1/self. log(0) is -inf, log of a negative number is nan."""
        return apply(OPS.log, (self,))

    def sqrt(self) -> Value:
        """Square root; ∂/∂self = 1 / (2 sqrt(self)). sqrt of a negative number is nan."""
        return apply(OPS.sqrt, (self,))

    def tanh(self) -> Value:
        """Hyperbolic tangent; ∂/∂self = 1 - tanh(self)²."""
        return apply(OPS.tanh, (self,))

    def sigmoid(self) -> Value:
        """1 / (1 + e^-self); ∂/∂self = s (1 - s), s the output."""
        return apply(OPS.sigmoid, (self,))

    def relu(self) -> Value:
        """max(0, self); ∂/∂self = 1 above 0, else 0 (0 at the kink, as PyTorch)."""
        return apply(OPS.relu, (self,))

    def leaky_relu(self, negative_slope: float = 0.01) -> Value:
        """self above 0, else negative_slope * self; ∂/∂self = 1 or negative_slope (at 0 too)."""
        return apply(OPS.leaky_relu_by(float(negative_slope)), (self,))

    def abs(self) -> Value:
        """|self|; ∂/∂self = sign(self), 0 at 0 (as PyTorch)."""
        return apply(OPS.abs, (self,))

    def sin(self) -> Value:
        """sin(self); ∂/∂self = cos(self). sin(inf) is nan."""
        return apply(OPS.sin, (self,))

    def cos(self) -> Value:
        """cos(self); ∂/∂self = -sin(self). cos(inf) is nan."""
        return apply(OPS.cos, (self,))

    def tan(self) -> Value:
        """tan(self); ∂/∂self = 1 + tan²(self). tan(inf) is nan."""
        return apply(OPS.tan, (self,))

    def asin(self) -> Value:
        """arcsin(self), in [-pi/2, pi/2]; ∂/∂self = 1 / sqrt(1 - self²). Outside [-1, 1]: nan."""
        return apply(OPS.asin, (self,))

    def acos(self) -> Value:
        """arccos(self), in [0, pi]; ∂/∂self = -1 / sqrt(1 - self²). Outside [-1, 1]: nan."""
        return apply(OPS.acos, (self,))

    def atan(self) -> Value:
        """arctan(self), in (-pi/2, pi/2); ∂/∂self = 1 / (1 + self²)."""
        return apply(OPS.atan, (self,))

    def sinh(self) -> Value:
        """(e^self - e^-self) / 2; ∂/∂self = cosh(self)."""
        return apply(OPS.sinh, (self,))

    def cosh(self) -> Value:
        """(e^self + e^-self) / 2; ∂/∂self = sinh(self)."""
        return apply(OPS.cosh, (self,))

    def asinh(self) -> Value:
        """The inverse of sinh; ∂/∂self = 1 / sqrt(self² + 1)."""
        return apply(OPS.asinh, (self,))

    def acosh(self) -> Value:
        """The inverse of cosh on [1, inf); ∂/∂self = 1 / sqrt(self² - 1). Below 1: nan."""
        return apply(OPS.acosh, (self,))

    def atanh(self) -> Value:
        """The inverse of tanh on (-1, 1); ∂/∂self = 1 / (1 - self²). atanh(±1) is ±inf."""
        return apply(OPS.atanh, (self,))

    def log1p(self) -> Value:
        """ln(1 + self), accurate for tiny self; ∂/∂self = 1 / (1 + self)."""
        return apply(OPS.log1p, (self,))

    def expm1(self) -> Value:
        """e^self - 1, accurate for tiny self; ∂/∂self = e^self = out + 1."""
        return apply(OPS.expm1, (self,))

    def log2(self) -> Value:
        """Base-2 logarithm; ∂/∂self = 1 / (self ln 2)."""
        return apply(OPS.log2, (self,))

    def log10(self) -> Value:
        """Base-10 logarithm; ∂/∂self = 1 / (self ln 10)."""
        return apply(OPS.log10, (self,))

    def exp2(self) -> Value:
        """2^self; ∂/∂self = 2^self ln 2."""
        return apply(OPS.exp2, (self,))

    def square(self) -> Value:
        """self * self; ∂/∂self = 2 self."""
        return apply(OPS.square, (self,))

    def reciprocal(self) -> Value:
        """1 / self; ∂/∂self = -1 / self² = -out². reciprocal(0) is inf."""
        return apply(OPS.reciprocal, (self,))

    def rsqrt(self) -> Value:
        """1 / sqrt(self); ∂/∂self = -out³ / 2. rsqrt(0) is inf."""
        return apply(OPS.rsqrt, (self,))

    def sign(self) -> Value:
        """-1, 0 or 1 as self is negative, zero or positive; the gradient is 0."""
        return apply(OPS.sign, (self,))

    def floor(self) -> Value:
        """The largest whole number <= self, as a float; the gradient is 0."""
        return apply(OPS.floor, (self,))

    def ceil(self) -> Value:
        """The smallest whole number >= self, as a float; the gradient is 0."""
        return apply(OPS.ceil, (self,))

    def trunc(self) -> Value:
        """self with its fractional part dropped (towards 0), as a float; the gradient is 0."""
        return apply(OPS.trunc, (self,))

    def round(self, decimals: int = 0) -> Value:
        """self rounded to the nearest whole number (halves to even), or to `decimals` places, as
        `torch.round`; the gradient is 0. (`round(v)`, Python's builtin, gives a plain int.)"""
        return OPS.round(self, decimals)

    def clamp(self, min: Operand | None = None, max: Operand | None = None) -> Value:
        """self limited to [min, max], as `torch.clamp`; ∂/∂self = 1 inside the bounds (ends
        included), 0 outside. Either bound may be None (no bound on that side), not both."""
        return OPS.clamp(self, min, max)

    # functions of two Values: v.atan2(x) is atan2(v, x); a number on the right becomes a leaf
    def atan2(self, other: Operand) -> Value:
        """The angle of the point (other, self) from the positive x axis (y first, as math.atan2);
        ∂/∂self = other / r², ∂/∂other = -self / r², both 0 at the origin (as PyTorch)."""
        return _binary(OPS.atan2, self, other)

    def hypot(self, other: Operand) -> Value:
        """sqrt(self² + other²) without overflow; ∂/∂self = self / out, ∂/∂other = other / out."""
        return _binary(OPS.hypot, self, other)

    def logaddexp(self, other: Operand) -> Value:
        """ln(e^self + e^other) without overflow; ∂/∂self = 1 / (1 + e^(other - self))."""
        return _binary(OPS.logaddexp, self, other)

    def maximum(self, other: Operand) -> Value:
        """The larger of self and other (nan if either is), as torch.maximum; the gradient goes to
        the larger, split evenly at a tie."""
        return _binary(OPS.maximum, self, other)

    def minimum(self, other: Operand) -> Value:
        """The smaller of self and other (nan if either is), as torch.minimum; the gradient goes to
        the smaller, split evenly at a tie."""
        return _binary(OPS.minimum, self, other)

    def remainder(self, other: Operand) -> Value:
        """self % other, with the sign of other (Python's %, torch.remainder)."""
        return _binary(OPS.remainder, self, other)

    def floor_divide(self, other: Operand) -> Value:
        """self // other = floor(self / other) (Python's //, torch.floor_divide); no gradient."""
        return _binary(OPS.floor_divide, self, other)

    # -- how it shows itself (the text and pictures live in autograd/show) ---------------------
    def tree(self, max_depth: int | None = 8, max_inputs: int | None = 11) -> Any:
        """This Value's graph as a tree of text lines, itself first, each node's inputs indented
        below it: `print(L.tree())`. The same as `autograd.tree(L, max_depth)`.

        Args:
            max_depth: inputs more than this many steps below this Value are summarised by one line
                "... N more nodes" (None: draw everything).
            max_inputs: a node with more inputs shows its first and last few and a count of the
                rest (None: all of them).

        Returns:
            The text as a `TextTree` (a `str` that displays as the tree); see `autograd.tree` for
            how shared and very deep graphs are drawn.
        """
        return DISPLAY.tree(self, max_depth, max_inputs)

    def _repr_html_(self) -> str:
        """In a notebook: a card with the number, the gradient, the label and the op."""
        return DISPLAY.card(self)

    # -- reverse mode ---------------------------------------------------------------------------
    def backward(self, gradient: Any = 1.0, create_graph: bool = False) -> None:
        """Fill `.grad` of every Value this one depends on with d(self)/d(that Value).

        The output's grad is seeded with `gradient` (1.0: d(self)/d(self)) and the chain rule runs
        from the output back to the inputs, in reverse topological order, so each node passes on its
        gradient only once it has received the gradient from every node that used it. Leaves
        (inputs, parameters) accumulate across calls, as in PyTorch: between training steps call
        the optimizer's or the model's `zero_grad()` (`optimizer.zero_grad()`, `model.zero_grad()`),
        or set `x.grad = 0.0` for a Value of your own. A leaf whose `.grad` is None (after
        `zero_grad(set_to_none=True)`, or `x.grad = None`) starts afresh, as in torch, and keeps
        None if this pass does not reach it; a Value with `requires_grad=False` gets no gradient.
        Other nodes are reset at the start of each pass, so they always show the latest pass.

        Args:
            gradient: the seed, dL/d(self) for some L further on (torch's `gradient=`): every
                gradient is then d L/d(that Value) = gradient * d(self)/d(that Value). A number, or
                a Value with `create_graph=True` (its graph is then part of the result's). None
                is 1.0, as in torch; a bool is refused (`backward(True)` once meant create_graph).
            create_graph: build the graph of the backward pass too, so each `.grad` is a Value that
                can itself be differentiated (second derivatives, Newton's method).

        Hooks registered with `register_hook` are called as the gradients are computed.
        """
        seed = _seed(gradient, create_graph)
        if self._operation is None:  # a leaf: d(self)/d(self) = 1, accumulated as a leaf's gradient
            if self._b is NO_GRAD:
                raise RuntimeError(f"backward() of {describe(self)}, which does not require a "
                                   f"gradient (requires_grad=False): there is nothing to compute "
                                   f"(torch: element 0 of tensors does not require grad)")
            old = 0.0 if self.grad is None else self.grad
            self.grad = old + (call_hooks(self, seed, create_graph) if HOOKS else seed)
            return
        started: list[Value] = []  # leaves found with no gradient (None), given 0.0 for the pass
        order = _passes.backward_order(self, started)
        self.grad = seed
        run = _passes.backprop_values if create_graph else _passes.backprop_floats
        try:
            # even inside no_grad(), as torch
            with enable_grad() if create_graph else nullcontext():
                if HOOKS:
                    backprop_with_hooks(order, run, create_graph)
                else:
                    run(order)
        finally:
            for leaf in started:  # what the ops passed to a number that needs no gradient goes
                if leaf._b is NO_GRAD:
                    leaf.grad = None

    def register_hook(self, hook: Callable[[Any], Any]) -> HookHandle:
        """Call `hook(gradient)` each time backward computes this Value's gradient (torch's).

        For a node that an op made, the gradient is complete when the node's turn comes, before it
        is passed on to its inputs; for a leaf, it is this pass's gradient, before it is added to
        `.grad`. The hook may return a replacement, which is then used (passed on, or accumulated)
        instead; returning None keeps the gradient. In a `create_graph=True` pass it receives and
        may return Values. Great for watching the gradient flow::

            h = hidden.register_hook(lambda g: print("dL/dh =", g))
            loss.backward()      # prints dL/dh = ...
            h.remove()

        Returns:
            A handle whose `remove()` unregisters the hook (also a context manager that does it).
        Costs nothing in backward while no Value anywhere has a hook. A hook goes when its Value
        does, unless the hook itself refers to that Value (`lambda g: print(x.label, g)`): then
        both stay alive until `remove()`.
        """
        if not callable(hook):
            raise TypeError(f"register_hook needs a function of the gradient, got "
                            f"{type(hook).__name__}: {hook!r}")
        return HookHandle(self, hook)



def _seed(gradient: Any, create_graph: bool) -> Any:
    if gradient is None:  # torch's default for a one-number output
        return 1.0
    if isinstance(gradient, bool):  # backward(True) meant create_graph before gradient came first
        raise TypeError(f"backward(gradient={gradient}): the seed is a number, not a bool; to "
                        f"build the graph of the gradients write backward(create_graph=True)")
    if isinstance(gradient, Value):
        return gradient if create_graph else gradient._data
    try:
        return as_float(gradient)
    except TypeError:
        raise TypeError(f"backward(gradient=...) is the seed dL/d(output): a number, or a Value "
                        f"with create_graph=True; got {type(gradient).__name__}: "
                        f"{gradient!r:.60}") from None


def as_float(x: Any) -> float:
    """`x` as a float if it is a real number (int, float, numpy scalar, bool), else a clear error.

    numpy's bools count as Python's do (`np.True_` is 1.0). An integer too large for a float is
    refused with an OverflowError that gives its number of digits, not the digits.
    """
    if isinstance(x, float):
        return float(x)
    if isinstance(x, Real) and not isinstance(x, Value):
        try:
            return float(x)
        except OverflowError:
            raise OverflowError(f"{_too_large(x)} is too large for a float (the largest is about "
                                f"1.8e308); Values hold 64-bit floats") from None
    if _is_numpy_bool(x):  # not a numbers.Real, unlike Python's bool
        return 1.0 if x else 0.0
    if isinstance(x, Value):
        raise TypeError("expected a number, got a Value; use the Value itself, or its .data")
    hint = ""
    if hasattr(x, "shape"):
        hint = " (for a one-element array, pass array.item())"
    elif isinstance(x, (list, tuple)):
        hint = " (a Value holds one number; make one Value per element)"
    elif isinstance(x, complex):
        hint = " (Values are real numbers)"
    elif isinstance(x, str):
        hint = " (convert text with float(...) first)"
    raise TypeError(f"Value needs a real number (int, float or numpy scalar), "
                    f"got {type(x).__name__}: {_shown(x)}{hint}")


def _is_numpy_bool(x: Any) -> bool:
    kind = type(x)
    return kind.__module__ == "numpy" and kind.__name__ in ("bool_", "bool")  # numpy 1 and 2


def _digit_count(n: int) -> int:
    """The number of decimal digits of the integer n, even past Python's 4300-digit str limit."""
    n = -n if n < 0 else n
    digits = max(1, int((n.bit_length() - 1) * 0.30102999566398120) + 1)  # log10(2)
    while n >= 10 ** digits:  # the estimate is exact or one short; a float may round it either way
        digits += 1
    while digits > 1 and n < 10 ** (digits - 1):
        digits -= 1
    return digits


def _too_large(x: Real) -> str:
    if isinstance(x, int) and _digit_count(x) > 24:
        return f"{'a negative' if x < 0 else 'an'} integer of {_digit_count(x)} digits"
    return _shown(x)


def _shown(x: Any, longest: int = 60) -> str:
    """repr(x) cut to `longest` characters; never fails (a huge int's repr raises past 4300 digits,
    and a long one would fill the message)."""
    if isinstance(x, int) and not isinstance(x, bool) and x.bit_length() > 3 * longest:
        return f"{type(x).__name__} of {_digit_count(x)} digits"
    try:
        text = repr(x)
    except Exception:  # a repr that fails must not hide the real error
        return f"<{type(x).__name__}>"
    return text if len(text) <= longest else f"{text[:longest - 3]}..."


def data_of(x: Any) -> float:
    """The number in `x`: a Value's `.data`, or a number as a float (a clear error otherwise)."""
    return x._data if isinstance(x, Value) else as_float(x)


# -- many numbers at once: what an optimizer reads and writes every step ---------------------------
_FLOAT_ONLY, _VALUE_ONLY = {float}, {Value}


def get_data(values: Iterable[Value]) -> list[float]:
    """The numbers of many Values: `[v.data for v in values]`, about four times faster.

    `.data` is a checked property; an optimizer or a training loop that reads every parameter on
    every step reads them in one pass with this instead (as `torch.nn.utils.parameters_to_vector`
    reads a model's parameters into one vector).

    Args:
        values: Values, such as `model.parameters()`.
    """
    values = values if type(values) is list else list(values)
    try:
        return [v._data for v in values]
    except AttributeError:
        i = next(i for i, v in enumerate(values) if not isinstance(v, Value))
        raise TypeError(f"get_data: item {i} is a {type(values[i]).__name__}, not a Value: "
                        f"{values[i]!r:.60}") from None


def set_data(values: Iterable[Value], numbers: Iterable[Any]) -> None:
    """`v.data = x` for each Value and number, in one pass (as torch's `vector_to_parameters`).

    Every number is checked as `.data = x` checks it (any real number, kept as a float) before any
    Value changes, so a bad number changes nothing.

    Args:
        values: Values, such as `model.parameters()`.
        numbers: as many real numbers, in the same order.
    """
    values = values if type(values) is list else list(values)
    numbers = numbers if type(numbers) is list else list(numbers)
    if len(values) != len(numbers):
        raise ValueError(f"set_data: {len(values)} Values but {len(numbers)} numbers; give one "
                         f"number per Value")
    if set(map(type, numbers)) - _FLOAT_ONLY:  # the common case, all floats, is checked in C
        checked = []
        for i, x in enumerate(numbers):
            try:
                checked.append(as_float(x))
            except (TypeError, OverflowError) as error:
                raise type(error)(f"set_data: number {i}: {error}") from None
        numbers = checked
    if set(map(type, values)) - _VALUE_ONLY and not all(isinstance(v, Value) for v in values):
        i = next(i for i, v in enumerate(values) if not isinstance(v, Value))
        raise TypeError(f"set_data: item {i} is a {type(values[i]).__name__}, not a Value: "
                        f"{values[i]!r:.60}")
    for v, x in zip(values, numbers):
        v._data = x


# -- how an op's output becomes a node -------------------------------------------------------------
def apply(op: Op, inputs: tuple[Value, ...], data: float | None = None) -> Value:
    """Run `op` forward on the inputs' numbers and return the result as a new node.

    `data`, when given, is the op's output already computed from the inputs (by an op that reads
    the Values' numbers faster than a call of `forward` with them). Inside `no_grad()` (of this
    thread) the result is a leaf: it records no inputs, so no graph is kept.
    """
    a: Any
    b: Value | None
    if len(inputs) == 2:
        a, b = inputs
        if data is None:
            data = op.forward(a._data, b._data)
    elif len(inputs) == 1:
        a, b = inputs[0], None
        if data is None:
            data = op.forward(a._data)
    else:
        a, b = inputs, None
        if data is None:
            data = op.forward(*[x._data for x in inputs])
    node = _new(Value)
    node._data = data
    node.grad = 0.0
    node.label = ""
    if MODE.graph:
        node._operation = op
        node._a = a
        node._b = b
    else:
        node._operation = node._a = node._b = None
    if MODE.slow:  # some thread has a switch off its default: read this thread's own
        here = MODE.thread
        if not here.graph:
            node._operation = node._a = node._b = None
        if here.anomaly:
            check_forward(op, inputs, data)
        if here.scopes is not None:
            here.scopes.record(node)
    return node


def attach(node: Value, op: Op, inputs: tuple[Value, ...]) -> None:
    """Make `node` the output of `op` on `inputs` after the fact (its data is left as it is)."""
    node._operation = op
    node._a, node._b = (inputs if len(inputs) == 2 else
                        (inputs[0], None) if len(inputs) == 1 else (inputs, None))


def _binary(op: Op, a: Value, b: Any) -> Value:
    """`op` on a Value and a Value or number (wrapped in a leaf): the methods of two inputs."""
    return apply(op, (a, b if isinstance(b, Value) else Value(b)))
