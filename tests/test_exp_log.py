"""log1p, expm1, log2, log10, exp2, hypot, logaddexp, square, reciprocal, rsqrt: first and second
derivatives against closed forms and central differences (gradcheck, gradgradcheck), exact values
at known points. The edges (±0, ±inf, nan, subnormals, overflow) are in test_torch_reference.py."""
import math

import pytest

import autograd
from autograd import Value
from derivative_checks import assert_derivatives

LN2, LN10 = math.log(2), math.log(10)

# (name, f, points inside the domain, f, f', f'' in closed form)
UNARY = [
    ("log1p", autograd.log1p, [-0.9, -0.3, 0.0, 1e-8, 2.0, 50.0],
     math.log1p, lambda x: 1 / (1 + x), lambda x: -1 / (1 + x) ** 2),
    ("expm1", autograd.expm1, [-5.0, -0.2, 0.0, 1e-8, 3.0],
     math.expm1, math.exp, math.exp),
    ("log2", autograd.log2, [0.01, 0.5, 1.0, 3.0, 1e6],
     math.log2, lambda x: 1 / (x * LN2), lambda x: -1 / (x * x * LN2)),
    ("log10", autograd.log10, [0.01, 0.5, 1.0, 3.0, 1e6],
     math.log10, lambda x: 1 / (x * LN10), lambda x: -1 / (x * x * LN10)),
    ("exp2", autograd.exp2, [-4.0, -0.5, 0.0, 0.7, 10.0],
     lambda x: 2 ** x, lambda x: 2 ** x * LN2, lambda x: 2 ** x * LN2 ** 2),
    ("square", autograd.square, [-3.0, -0.1, 0.0, 0.5, 7.0],
     lambda x: x * x, lambda x: 2 * x, lambda x: 2.0),
    ("reciprocal", autograd.reciprocal, [-3.0, -0.1, 0.2, 5.0],
     lambda x: 1 / x, lambda x: -1 / x ** 2, lambda x: 2 / x ** 3),
    ("rsqrt", autograd.rsqrt, [0.01, 0.5, 1.0, 4.0, 1e4],
     lambda x: x ** -0.5, lambda x: -0.5 * x ** -1.5, lambda x: 0.75 * x ** -2.5),
]


@pytest.mark.parametrize("name, f, points, value, d1, d2", UNARY, ids=[u[0] for u in UNARY])
def test_unary_derivatives(name, f, points, value, d1, d2):
    for x in points:
        assert_derivatives(f, [x], value(x), [d1(x)], [[d2(x)]], rel=1e-10)


@pytest.mark.parametrize("a, b", [(3.0, 4.0), (-1.0, 0.5), (0.5, -2.0), (1e-3, 2e-3), (1.0, 0.0)])
def test_hypot_derivatives(a, b):
    r = math.hypot(a, b)
    hessian = [[b * b / r ** 3, -a * b / r ** 3], [-a * b / r ** 3, a * a / r ** 3]]
    assert_derivatives(autograd.hypot, [a, b], r, [a / r, b / r], hessian)


@pytest.mark.parametrize("a, b", [(0.0, 0.0), (1.0, 2.0), (-3.0, 0.5), (40.0, -5.0), (-700.0, -701.0)])
def test_logaddexp_derivatives(a, b):
    p = 1 / (1 + math.exp(b - a))  # softmax weight of a
    q = 1 - p
    value = max(a, b) + math.log1p(math.exp(-abs(a - b)))
    assert_derivatives(autograd.logaddexp, [a, b], value, [p, q], [[p * q, -p * q], [-p * q, p * q]])


def test_exact_values_at_known_points():
    assert autograd.log2(8.0) == 3.0 and autograd.log10(1e-3) == -3.0 and autograd.exp2(10.0) == 1024.0
    assert autograd.log1p(1e-20) == 1e-20 and autograd.expm1(1e-20) == 1e-20  # where log/exp lose it
    assert autograd.hypot(3.0, 4.0) == 5.0 and autograd.hypot(1e300, 1e300) == 1e300 * math.sqrt(2)
    assert autograd.logaddexp(0.0, 0.0) == math.log(2.0)
    assert autograd.logaddexp(1000.0, 1000.0) == 1000.0 + math.log(2.0)  # exp(1000) overflows
    assert autograd.square(-3.0) == 9.0 and autograd.reciprocal(4.0) == 0.25
    assert autograd.rsqrt(0.25) == 2.0
    # d/dx log2 at 1 is 1/ln 2, exp2' at 0 is ln 2, rsqrt' at 1 is -1/2, reciprocal' at 2 is -1/4
    assert autograd.grad(autograd.log2)(1.0) == 1 / LN2 and autograd.grad(autograd.exp2)(0.0) == LN2
    assert autograd.grad(autograd.rsqrt)(1.0) == -0.5
    assert autograd.grad(autograd.reciprocal)(2.0) == -0.25
    assert autograd.grad(autograd.hypot, (0, 1))(3.0, 4.0) == (0.6, 0.8)
    assert autograd.grad(autograd.logaddexp, (0, 1))(5.0, 5.0) == (0.5, 0.5)


def test_third_derivatives():
    d3 = lambda f: autograd.grad(autograd.grad(autograd.grad(f)))  # noqa: E731
    assert d3(autograd.log1p)(1.0) == pytest.approx(2 / 8, rel=1e-12)
    assert d3(autograd.rsqrt)(4.0) == pytest.approx(-15 / 8 * 4.0 ** -3.5, rel=1e-12)
    assert d3(autograd.square)(1.5) == 0.0


def test_methods_and_functions_agree():
    x, y = Value(0.3), Value(1.7)
    for name in ("log1p", "expm1", "log2", "log10", "exp2", "square", "reciprocal", "rsqrt"):
        method, function = getattr(x, name)(), getattr(autograd, name)(x)
        assert method.data == function.data and method.op is function.op
    for name in ("hypot", "logaddexp"):
        method, function = getattr(y, name)(x), getattr(autograd, name)(y, x)
        assert method.data == function.data and method.op is function.op
        assert getattr(y, name)(0.3).data == function.data  # a number as the other argument
        assert "∂/∂self" in getattr(Value, name).__doc__  # its math, as every method of Value
    assert type(autograd.hypot(1, 2)) is float and isinstance(autograd.logaddexp(1.0, x), Value)
