"""tan, asin, acos, atan, atan2, sinh, cosh, asinh, acosh, atanh: first and second derivatives
against closed forms and central differences (gradcheck, gradgradcheck), exact values at known
points. The edges (±0, ±inf, nan, subnormals, domain ends) are in test_torch_reference.py."""
import math

import pytest

import autograd
from autograd import Value
from derivative_checks import assert_derivatives

sec2 = lambda x: 1 / math.cos(x) ** 2  # noqa: E731

# (name, f, points inside the domain, f, f', f'' in closed form)
UNARY = [
    ("tan", autograd.tan, [-1.2, -0.3, 0.0, 0.7, 1.4],
     math.tan, sec2, lambda x: 2 * sec2(x) * math.tan(x)),
    ("asin", autograd.asin, [-0.9, -0.2, 0.0, 0.5, 0.95],
     math.asin, lambda x: (1 - x * x) ** -0.5, lambda x: x * (1 - x * x) ** -1.5),
    ("acos", autograd.acos, [-0.9, -0.2, 0.0, 0.5, 0.95],
     math.acos, lambda x: -(1 - x * x) ** -0.5, lambda x: -x * (1 - x * x) ** -1.5),
    ("atan", autograd.atan, [-4.0, -0.5, 0.0, 0.3, 10.0],
     math.atan, lambda x: 1 / (1 + x * x), lambda x: -2 * x / (1 + x * x) ** 2),
    ("sinh", autograd.sinh, [-3.0, -0.4, 0.0, 0.8, 5.0], math.sinh, math.cosh, math.sinh),
    ("cosh", autograd.cosh, [-3.0, -0.4, 0.0, 0.8, 5.0], math.cosh, math.sinh, math.cosh),
    ("asinh", autograd.asinh, [-3.0, -0.4, 0.0, 0.8, 20.0],
     math.asinh, lambda x: (x * x + 1) ** -0.5, lambda x: -x * (x * x + 1) ** -1.5),
    ("acosh", autograd.acosh, [1.01, 1.5, 3.0, 20.0],
     math.acosh, lambda x: (x * x - 1) ** -0.5, lambda x: -x * (x * x - 1) ** -1.5),
    ("atanh", autograd.atanh, [-0.9, -0.3, 0.0, 0.5, 0.95],
     math.atanh, lambda x: 1 / (1 - x * x), lambda x: 2 * x / (1 - x * x) ** 2),
]


@pytest.mark.parametrize("name, f, points, value, d1, d2", UNARY, ids=[u[0] for u in UNARY])
def test_unary_derivatives(name, f, points, value, d1, d2):
    for x in points:
        assert_derivatives(f, [x], value(x), [d1(x)], [[d2(x)]], rel=1e-10)


@pytest.mark.parametrize("y, x", [(2.0, 3.0), (-1.0, 0.5), (0.5, -2.0), (-0.3, -0.7), (1.0, 0.0)])
def test_atan2_derivatives(y, x):
    r2 = x * x + y * y
    hessian = [[-2 * x * y / r2 ** 2, (y * y - x * x) / r2 ** 2],
               [(y * y - x * x) / r2 ** 2, 2 * x * y / r2 ** 2]]
    assert_derivatives(autograd.atan2, [y, x], math.atan2(y, x), [x / r2, -y / r2], hessian)


def test_exact_values_at_known_points():
    pi = math.pi
    assert autograd.atan(1.0) == pi / 4 and autograd.asin(1.0) == pi / 2
    assert autograd.acos(-1.0) == pi and autograd.acos(1.0) == 0.0
    assert autograd.atan2(1.0, -1.0) == 3 * pi / 4 and autograd.atan2(-0.0, -1.0) == -pi
    assert autograd.sinh(0.0) == 0.0 and autograd.cosh(0.0) == 1.0 and autograd.acosh(1.0) == 0.0
    assert autograd.tan(pi / 4) == pytest.approx(1.0, abs=2e-16)
    assert autograd.asinh(math.sinh(1.5)) == pytest.approx(1.5, rel=1e-15)
    assert autograd.atanh(0.5) == pytest.approx(0.5 * math.log(3.0), rel=1e-15)
    # d/dx atan at 1 is 1/2, of asin at 1/2 is 2/sqrt(3), of atanh at 1/2 is 4/3
    assert autograd.grad(autograd.atan)(1.0) == 0.5
    assert autograd.grad(autograd.asin)(0.5) == pytest.approx(2 / math.sqrt(3), rel=1e-15)
    assert autograd.grad(autograd.atanh)(0.5) == pytest.approx(4 / 3, rel=1e-15)
    assert autograd.grad(autograd.atan2, (0, 1))(3.0, 4.0) == (4 / 25, -3 / 25)


def test_third_derivatives():
    d3 = lambda f: autograd.grad(autograd.grad(autograd.grad(f)))  # noqa: E731
    x = 0.4
    assert d3(autograd.sinh)(x) == pytest.approx(math.cosh(x), rel=1e-12)
    t = math.tan(x)
    assert d3(autograd.tan)(x) == pytest.approx(2 * (1 + t * t) * (1 + 3 * t * t), rel=1e-12)
    assert d3(autograd.atan)(x) == pytest.approx((6 * x * x - 2) / (1 + x * x) ** 3, rel=1e-12)


def test_methods_and_functions_agree():
    x, y = Value(0.3), Value(-1.7)
    for name in ("tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "atanh"):
        method, function = getattr(x, name)(), getattr(autograd, name)(x)
        assert method.data == function.data and method.op is function.op
        assert "∂/∂self" in getattr(Value, name).__doc__  # its math, as every method of Value
    assert Value(2.0).acosh().data == math.acosh(2.0)
    assert y.atan2(x).data == autograd.atan2(y, x).data == math.atan2(-1.7, 0.3)
    assert y.atan2(0.3).data == autograd.atan2(-1.7, x).data  # numbers on either side
    assert isinstance(autograd.atan2(1.0, x), Value) and type(autograd.atan2(1, 2)) is float
    assert y.tan().op.name == "tan" and y.atan2(x).op.name == "atan2"
