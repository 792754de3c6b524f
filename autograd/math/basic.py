"""Every built-in op, each defined once: its forward on floats next to its local derivatives.

An op is declared with `@define(name, derivatives)` above its forward function. `derivatives(out,
*inputs)` returns d(out)/d(input) for each input, written with plain arithmetic and the functions
below (`div`, `pow`, `cos`, ...), so the very same line serves the fast float backward pass and the
`create_graph=True` pass on Values. Custom ops use the same mechanism through `autograd.op`.
The ops of many inputs (`sum`, `dot`) also give a fast float `backward` beside their derivatives
(see `Op`), and compute their output straight from the Values' numbers.

Forwards follow IEEE float semantics, as PyTorch does: `exp(1000)` is inf, `log(0)` is -inf,
`log(-1)` and `sqrt(-1)` are nan, `1 / 0` is inf; no OverflowError or ValueError escapes.
"""
from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from functools import lru_cache, reduce
from typing import Any

from ..core import NO_GRAD, OPS, Op, Over, Value, apply, data_of

INF = math.inf
NAN = math.nan


def define(name: str, derivatives: Callable[..., Sequence[Any]],
           backward: Callable[[float, float, tuple], None] | None = None
           ) -> Callable[[Callable], Op]:
    """Decorator for built-in ops: turn a forward function on floats into an `Op`.

    `backward` is the optional fast path of the float backward pass (see `Op`)."""
    return lambda forward: Op(name, forward, derivatives, backward=backward)


def _is_odd_integer(y: float) -> bool:
    return y % 2 == 1  # Python's % takes the divisor's sign: -3 % 2 == 1


def _float_div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:  # IEEE: x/±0 is ±inf, 0/0 is nan
        if a == 0 or a != a:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def _float_pow(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except OverflowError:
        return -INF if a < 0 and _is_odd_integer(b) else INF
    except ValueError:  # 0 to a negative power, or a negative base to a non-integer power
        if a == 0:
            return math.copysign(INF, a) if _is_odd_integer(b) else INF
        return NAN


def _scalar_pow(x: float, c: float) -> float:
    # x ** c for a constant c, as torch.pow(tensor, number) computes it: a few exponents take a
    # cheaper formula instead of pow(), and the formulas differ from pow() at the edges:
    # (-inf) ** 0.5 is nan (sqrt), (-0.0) ** 0.5 is -0.0 and (-0.0) ** -0.5 is -inf (1 / sqrt).
    if c == 0.5:
        return math.sqrt(x) if x >= 0 or x != x else NAN
    if c == -0.5:
        return _float_div(1.0, math.sqrt(x)) if x >= 0 or x != x else NAN
    if c == 2:
        return x * x
    if c == 3:
        return x * x * x
    if c == -1:
        return _float_div(1.0, x)
    if c == -2:
        return _float_div(1.0, x * x)
    return _float_pow(x, c)


def div(a: Any, b: Any) -> Any:
    """a / b for numbers or Values, with IEEE results for division by zero (1/0 = inf)."""
    if isinstance(a, Value) or isinstance(b, Value):
        return DIV(a, b)
    return _float_div(float(a), float(b))


def pow(a: Any, b: Any) -> Any:  # noqa: A001 - mirrors math.pow / torch.pow
    """a ** b for numbers or Values, with IEEE results (0 ** -1 = inf, (-8) ** 0.5 = nan).

    With a constant exponent it is `Value(a) ** b`, computed as PyTorch does: x ** 0.5 is sqrt(x),
    so (-inf) ** 0.5 is nan and (-0.0) ** 0.5 is -0.0.
    """
    if isinstance(a, Value):
        return a ** b
    if isinstance(b, Value):
        return b.__rpow__(a)
    return _scalar_pow(float(a), float(b))


# -- arithmetic ------------------------------------------------------------------------------------
@define("+", lambda out, a, b: (1.0, 1.0))
def add(a: float, b: float) -> float:
    """a + b."""
    return a + b


@define("-", lambda out, a, b: (1.0, -1.0))
def sub(a: float, b: float) -> float:
    """a - b."""
    return a - b


@define("*", lambda out, a, b: (b, a))
def mul(a: float, b: float) -> float:
    """a * b; d/da = b, d/db = a."""
    return a * b


@define("/", lambda out, a, b: (Over(b), -div(out, b)))
def _divide(a: float, b: float) -> float:
    """a / b; d/da = 1/b, d/db = -a/b^2 = -out/b."""
    return _float_div(a, b)


DIV = _divide


def _pow_derivatives(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    # As PyTorch: at b = 0 no gradient flows to a (a^0 is constant in a: masked, so not even an inf
    # from above leaks), and at a = 0 with b >= 0 the slope in b is 0 rather than 0 * ln(0) = nan;
    # that 0 multiplies, so an inf from above still gives nan there, as in PyTorch.
    d_a = None if data_of(b) == 0 else b * POW(a, b - 1)
    d_b = 0.0 if data_of(a) == 0 and b >= 0 else out * log(a)
    return d_a, d_b


@define("**", _pow_derivatives)
def _power(a: float, b: float) -> float:
    """a ** b with both sides differentiable; d/da = b a^(b-1), d/db = a^b ln a."""
    return _float_pow(a, b)


POW = _power


@lru_cache(maxsize=256)
def power_by(c: float) -> Op:
    """The op x ** c for a constant exponent c (cached: one Op per exponent, not per node)."""

    def derivatives(out: Any, x: Any) -> tuple[Any]:
        # PyTorch masks x ** 0: no gradient flows to x at all (an inf from above gives 0, not nan)
        return (None if c == 0 else c * pow(x, c - 1),)

    return Op(f"**{c:g}", lambda x: _scalar_pow(x, c), derivatives).made_by(power_by, c)


@define("neg", lambda out, x: (-1.0,))
def neg(x: float) -> float:
    """-x."""
    return -x


# -- elementwise functions -------------------------------------------------------------------------
@define("exp", lambda out, x: (out,))
def exp(x: float) -> float:
    """e^x; d/dx = e^x (the output itself). exp(1000) is inf."""
    try:
        return math.exp(x)
    except OverflowError:
        return INF


@define("log", lambda out, x: (Over(x),))
def log(x: float) -> float:
    """Natural log; d/dx = 1/x. log(0) is -inf, log of a negative number is nan."""
    if x > 0:
        return math.log(x)
    return -INF if x == 0 else NAN


@define("sqrt", lambda out, x: (Over(2.0 * out),))
def sqrt(x: float) -> float:
    """Square root; d/dx = 1 / (2 sqrt(x)). sqrt of a negative number is nan."""
    return math.sqrt(x) if x >= 0 else NAN


def _one_minus_square(t: float) -> float:
    # 1 - t^2 to within an ulp, as PyTorch's fused multiply-add gives it: near |t| = 1, 1 - t * t
    # loses the low digits (13 ulps at tanh(3)) while 1 - t is exact.
    return (1.0 - t) * (1.0 + t) if t >= 0.5 or t <= -0.5 else 1.0 - t * t


# The slopes of tanh and sigmoid as ops of the output, for the graph of the backward pass
# (create_graph), like PyTorch's tanh_backward and sigmoid_backward: a second derivative is then one
# product (an inf times a finite slope stays inf) rather than a sum of two that gives inf - inf.
TANH_SLOPE = Op("tanh'", _one_minus_square, lambda slope, t: (-2.0 * t,))
SIGMOID_SLOPE = Op("sigmoid'", lambda s: s * (1.0 - s), lambda slope, s: (1.0 - 2.0 * s,))


@define("tanh", lambda out, x: (_one_minus_square(out) if type(out) is float
                                else apply(TANH_SLOPE, (out,)),))
def tanh(x: float) -> float:
    """Hyperbolic tangent; d/dx = 1 - tanh(x)^2."""
    return math.tanh(x)


@define("sigmoid", lambda out, x: (out * (1.0 - out) if type(out) is float
                                   else apply(SIGMOID_SLOPE, (out,)),))
def sigmoid(x: float) -> float:
    """1 / (1 + e^-x); d/dx = s (1 - s).

    Computed by that very formula, as PyTorch does: below x = -709, e^-x overflows to inf and the
    result is 0.0 (not the subnormal e^x), with no OverflowError.
    """
    try:
        return 1.0 / (1.0 + math.exp(-x))
    except OverflowError:  # e^-x is inf
        return 0.0


# PyTorch masks relu's gradient at x <= 0 (None: nothing flows back, so relu(x).sqrt() at x = -1
# has gradient 0, not 0 * inf = nan).
@define("relu", lambda out, x: (None if x <= 0 else 1.0,))
def relu(x: float) -> float:
    """max(0, x); d/dx = 1 for x > 0, else 0 (0 at the kink, as PyTorch). nan, -0.0 pass through."""
    return 0.0 if x < 0 else x


@lru_cache(maxsize=64)
def leaky_relu_by(negative_slope: float) -> Op:
    """The op leaky_relu with a given slope (cached: one Op per slope, not per node)."""
    return Op("leaky_relu",
              lambda x: x if x > 0 else x * negative_slope,
              lambda out, x: (1.0 if x > 0 else negative_slope,)).made_by(leaky_relu_by,
                                                                         negative_slope)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Any:
    """x for x > 0, else negative_slope * x; d/dx = 1 or negative_slope (the slope at 0)."""
    return leaky_relu_by(float(negative_slope))(x)


@define("abs", lambda out, x: (1.0 if x > 0 else -1.0 if x < 0 else 0.0,))
def abs(x: float) -> float:  # noqa: A001 - mirrors torch.abs
    """|x|; d/dx = sign(x), 0 at x = 0 (as PyTorch)."""
    return math.fabs(x)


@define("sin", lambda out, x: (cos(x),))  # type: ignore[has-type]  # cos: below
def sin(x: float) -> float:
    """sin x; d/dx = cos x. sin(inf) is nan."""
    return math.sin(x) if math.isfinite(x) else NAN


@define("cos", lambda out, x: (-sin(x),))
def cos(x: float) -> float:
    """cos x; d/dx = -sin x. cos(inf) is nan."""
    return math.cos(x) if math.isfinite(x) else NAN


# -- n-ary ops: one node for many inputs -----------------------------------------------------------
def _sum_backward(g: float, out: float, inputs: tuple[Value, ...]) -> None:
    for x in inputs:
        x.grad += g  # g * 1.0 is g, to the bit


@define("sum", lambda out, *xs: (1.0,) * len(xs), backward=_sum_backward)
def _sum_forward(*xs: float) -> float:
    return reduce(operator.add, xs, 0.0)  # left to right, exactly like a chain of `+` nodes


SUM = _sum_forward


def sum(values: Sequence[Any]) -> Any:  # noqa: A001 - the name users expect
    """x_1 + ... + x_n as one node (a chain of `+` would make n - 1); d/dx_i = 1."""
    values = tuple(values)
    if not values:
        return 0.0
    try:  # fast path, all of them Values: the forward above, reading their numbers in place
        data = 0.0
        for x in values:
            data += x._data
    except (AttributeError, TypeError):
        return SUM(*values)
    return apply(SUM, values, data)


def _dot_derivatives(out: Any, *inputs: Any) -> tuple[Any, ...]:
    # inputs are w_1..w_n, x_1..x_n and, if present, the bias: d/dw_i = x_i, d/dx_i = w_i, d/db = 1
    n = len(inputs) // 2
    return inputs[n:2 * n] + inputs[:n] + (1.0,) * (len(inputs) % 2)


def _dot_backward(g: float, out: float, inputs: tuple[Value, ...]) -> None:
    if g == 0.0 and out - out == 0.0:
        # A finite output means every w_i and x_i is finite, so each g * partial is a zero, and
        # adding a zero changes no gradient (grads start at +0.0, never -0.0): skip them all. This
        # is most of a ReLU network's neurons, the inactive ones, and every sample past a margin.
        return
    n = len(inputs) // 2
    ws, xs = inputs[:n], inputs[n:2 * n]
    for w, x in zip(ws, xs):
        w.grad += g * x._data
    if xs and xs[0]._b is NO_GRAD:
        # The model's input numbers need no gradient (requires_grad=False, as torch's inputs):
        # one look at the first x tells a first layer, whose xs backward then skips.
        for x, w in zip(xs, ws):
            if x._b is not NO_GRAD:
                x.grad += g * w._data
    else:
        for x, w in zip(xs, ws):
            x.grad += g * w._data
    if len(inputs) % 2:
        inputs[-1].grad += g


@define("dot", _dot_derivatives, backward=_dot_backward)
def _dot_forward(*inputs: float) -> float:
    n = len(inputs) // 2
    start = 0.0 + inputs[-1] if len(inputs) % 2 else 0.0  # torch's sum starts at +0.0: never -0.0
    # bias + w1*x1 + w2*x2 + ..., left to right: the same float result as micrograd's neuron
    return reduce(operator.add, map(operator.mul, inputs[:n], inputs[n:2 * n]), start)


DOT = _dot_forward


# A ReLU neuron as one node: relu(bias + w . x). Built from the two ops above, not a new formula.
# relu's slope is read off its output (x > 0 exactly when relu(x) > 0, and the slope at the kink
# is the slope left of it), so no pre-activation needs keeping.
def _relu_dot_derivatives(out: Any, *inputs: Any) -> tuple[Any, ...]:
    (slope,) = relu.derivatives(out, out)
    if slope is None:
        return (None,) * len(inputs)
    partials = _dot_derivatives(out, *inputs)
    return partials if slope == 1.0 else tuple(slope * d for d in partials)


def _relu_dot_backward(g: float, out: float, inputs: tuple[Value, ...]) -> None:
    # relu's slope written out rather than called (this runs for every neuron and sample): a mask
    # at out <= 0, as in relu's derivatives; else 1, and out is then the dot's own output, which
    # the dot's zero skip looks at. tests/test_fast_paths.py checks it against the definition.
    if out <= 0:
        return
    _dot_backward(g, out, inputs)


@define("relu(dot)", _relu_dot_derivatives, backward=_relu_dot_backward)
def _relu_dot_forward(*inputs: float) -> float:
    return relu.forward(DOT.forward(*inputs))


RELU = relu
RELU_DOT = _relu_dot_forward


def dot(ws: Sequence[Any], xs: Sequence[Any], bias: Any = None, relu: bool = False) -> Any:
    """bias + w_1 x_1 + ... + w_n x_n as one node; d/dw_i = x_i, d/dx_i = w_i, d/dbias = 1.

    A neuron's weighted sum as a single node instead of 2n: the main reason chainrule is fast.

    Args:
        ws, xs: equal-length sequences of numbers or Values.
        bias: an optional number or Value added to the sum.
        relu: give relu(bias + w . x) as ONE node (op "relu(dot)"), a ReLU neuron: the same numbers
            and gradients as `dot(ws, xs, bias).relu()`, one node fewer per neuron.
    """
    if len(ws) != len(xs):
        raise ValueError(f"dot needs as many weights as inputs, got {len(ws)} and {len(xs)}")
    inputs = (*ws, *xs) if bias is None else (*ws, *xs, bias)
    try:  # fast path, all of them Values: the forward above, reading their numbers in place
        data = 0.0 if bias is None else 0.0 + bias._data
        for w, x in zip(ws, xs):
            data += w._data * x._data
    except (AttributeError, TypeError):  # some numbers among them
        if not any(isinstance(x, Value) for x in inputs):
            return (RELU_DOT if relu else DOT)(*inputs)  # numbers in, a number out
        n = len(ws)
        inputs = tuple(x if isinstance(x, Value) else Value(x) for x in inputs)
        return dot(inputs[:n], inputs[n:2 * n], None if bias is None else inputs[-1], relu)
    if not relu:
        return apply(DOT, inputs, data)
    if data - data == 0.0:  # relu's forward written out (a call per neuron costs 2% of a step)
        return apply(RELU_DOT, inputs, 0.0 if data < 0 else data)
    # An infinite or nan pre-activation keeps its own node, so that, where relu masks it, the dot
    # still passes on 0 * inf = nan as the two nodes do (PyTorch too); one node would pass nothing.
    return apply(RELU, (apply(DOT, inputs, data),))


# -- the ops behind Value's operators and methods (declared in autograd/core/value.py) -------------
OPS.register(add=add, sub=sub, mul=mul, div=DIV, pow=POW, power_by=power_by, neg=neg, abs=abs,
             exp=exp, log=log, sqrt=sqrt, tanh=tanh, sigmoid=sigmoid, relu=relu,
             leaky_relu_by=leaky_relu_by, sin=sin, cos=cos)
