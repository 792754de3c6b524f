"""Second and third derivatives of every built-in op.

Each second derivative is computed two ways, with the engine directly (`backward(create_graph=True)`
then a second `backward`) and with the functional API (`grad(grad(f))`, `hessian`), and compared with
central differences of the first derivative and, where it is short, with the closed form.
"""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, grad, hessian
from numeric import central_difference, close


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


# (name, f of a Value, points away from kinks and domain edges, closed-form f'')
UNARY = [
    ("neg", lambda x: -x, [-1.0, 2.0], lambda x: 0.0),
    ("exp", lambda x: x.exp(), [-2.0, 0.0, 1.5], math.exp),
    ("log", lambda x: x.log(), [0.3, 1.0, 4.0], lambda x: -1 / x ** 2),
    ("sqrt", lambda x: x.sqrt(), [0.2, 1.0, 9.0], lambda x: -0.25 * x ** -1.5),
    ("tanh", lambda x: x.tanh(), [-1.5, 0.0, 0.4, 2.0],
     lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2)),
    ("sigmoid", lambda x: x.sigmoid(), [-3.0, -0.5, 0.0, 1.2],
     lambda x: sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x))),
    ("relu", lambda x: x.relu(), [-1.0, 0.5], lambda x: 0.0),
    ("leaky_relu", lambda x: x.leaky_relu(0.1), [-1.0, 0.5], lambda x: 0.0),
    ("abs", lambda x: abs(x), [-1.0, 0.5], lambda x: 0.0),
    ("sin", lambda x: x.sin(), [-2.0, 0.0, 0.9, 3.0], lambda x: -math.sin(x)),
    ("cos", lambda x: x.cos(), [-2.0, 0.0, 0.9, 3.0], lambda x: -math.cos(x)),
    ("x**3", lambda x: x ** 3, [-1.5, 0.0, 2.0], lambda x: 6 * x),
    ("x**2.5", lambda x: x ** 2.5, [0.5, 2.0], lambda x: 3.75 * x ** 0.5),
    ("x**-2", lambda x: x ** -2, [-1.5, 0.5, 2.0], lambda x: 6 * x ** -4),
    ("x**0", lambda x: x ** 0, [-1.0, 2.0], lambda x: 0.0),
    ("2**x", lambda x: 2 ** x, [-1.0, 0.0, 1.5], lambda x: math.log(2) ** 2 * 2 ** x),
    ("0.5**x", lambda x: 0.5 ** x, [-1.0, 2.0], lambda x: math.log(0.5) ** 2 * 0.5 ** x),
    ("x+1", lambda x: x + 1, [0.5], lambda x: 0.0),
    ("1-x", lambda x: 1 - x, [0.5], lambda x: 0.0),
    ("3*x", lambda x: 3 * x, [0.5], lambda x: 0.0),
    ("x/4", lambda x: x / 4, [0.5], lambda x: 0.0),
    ("2/x", lambda x: 2 / x, [-1.0, 0.5, 3.0], lambda x: 4 / x ** 3),
    ("x*x", lambda x: x * x, [-1.0, 0.5], lambda x: 2.0),
    ("module exp", autograd.exp, [0.3], math.exp),
    ("module div", lambda x: autograd.div(1.0, x), [0.5, 2.0], lambda x: 2 / x ** 3),
    ("module pow", lambda x: autograd.pow(x, 3), [0.5, -2.0], lambda x: 6 * x),
    ("tanh(sin(x))*x", lambda x: x.sin().tanh() * x, [0.3, -1.1], None),
]


def engine_second_derivative(f, x0):
    """f''(x0) with the engine alone: backward(create_graph=True), then backward through x.grad."""
    x = Value(x0)
    f(x).backward(create_graph=True)
    first = x.grad
    x.grad = 0.0
    if isinstance(first, Value):
        first.backward()
        return x.grad
    return 0.0  # a float first derivative is a constant: its derivative is 0


@pytest.mark.parametrize("name, f, points, exact", UNARY, ids=[u[0] for u in UNARY])
def test_unary_second_derivatives(name, f, points, exact):
    first = grad(f)  # floats in, floats out
    for x0 in points:
        numeric = central_difference(first, [x0], 0)
        functional = grad(grad(f))(x0)
        engine = engine_second_derivative(f, x0)
        assert type(functional) is float
        assert close(functional, numeric), f"{name}''({x0}): {functional} vs numeric {numeric}"
        assert close(engine, functional, rel=1e-12, abs_=1e-12), f"{name}''({x0})"
        if exact is not None:
            assert close(functional, exact(x0), rel=1e-9, abs_=1e-12), (
                f"{name}''({x0}): {functional} vs exact {exact(x0)}")


def numeric_hessian(f, point):
    """H[i][j] = d/dx_j (df/dx_i), by central differences of the analytic gradient."""
    n = len(point)
    every = tuple(range(n))
    return [[central_difference(lambda *xs: grad(f, every)(*xs)[i], point, j) for j in range(n)]
            for i in range(n)]


def assert_hessian(f, point, exact=None):
    h = hessian(f)(*point)
    numeric = numeric_hessian(f, point)
    for i, row in enumerate(h):
        for j, value in enumerate(row):
            assert close(value, numeric[i][j]), f"H[{i}][{j}] at {point}: {value} vs {numeric[i][j]}"
            if exact is not None:
                assert close(value, exact[i][j], rel=1e-9, abs_=1e-12), (
                    f"H[{i}][{j}] at {point}: {value} vs exact {exact[i][j]}")
    return h


@pytest.mark.parametrize("a, b", [(1.5, -2.0), (0.3, 3.0), (-0.7, 0.4)])
def test_binary_arithmetic_second_derivatives(a, b):
    zero = [[0.0, 0.0], [0.0, 0.0]]
    assert_hessian(lambda x, y: x + y, [a, b], zero)
    assert_hessian(lambda x, y: x - y, [a, b], zero)
    assert_hessian(lambda x, y: x * y, [a, b], [[0.0, 1.0], [1.0, 0.0]])
    assert_hessian(lambda x, y: x / y, [a, b],
                   [[0.0, -1 / b ** 2], [-1 / b ** 2, 2 * a / b ** 3]])


@pytest.mark.parametrize("a, b", [(1.5, -2.0), (0.3, 3.0), (2.0, 0.5), (4.0, 1.0)])
def test_value_to_the_value_second_derivatives(a, b):
    la = math.log(a)
    mixed = a ** (b - 1) * (1 + b * la)
    exact = [[b * (b - 1) * a ** (b - 2), mixed], [mixed, a ** b * la * la]]
    assert_hessian(lambda x, y: x ** y, [a, b], exact)


def test_sum_second_derivatives():
    point = [0.5, -1.0, 2.0]
    assert_hessian(lambda x, y, z: autograd.sum([x, y, z]), point, [[0.0] * 3 for _ in range(3)])
    # sum of squares and a product: H = diag(2, 0, 0) + the xy coupling
    assert_hessian(lambda x, y, z: autograd.sum([x * x, x * y, z]), point,
                   [[2.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])


def test_dot_second_derivatives_without_bias():
    # w0 x0 + w1 x1: each weight couples only with its own input
    exact = [[0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0]]
    assert_hessian(lambda w0, w1, x0, x1: autograd.dot([w0, w1], [x0, x1]),
                   [0.5, -1.5, 2.0, 0.3], exact)


def test_dot_second_derivatives_with_bias():
    exact = [[0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 0]]
    assert_hessian(lambda w0, w1, x0, x1, b: autograd.dot([w0, w1], [x0, x1], b),
                   [0.5, -1.5, 2.0, 0.3, 0.7], exact)


def test_dot_of_a_vector_with_itself_and_through_tanh():
    assert_hessian(lambda x, y: autograd.dot([x, y], [x, y], 1.0), [0.4, -2.0],
                   [[2.0, 0.0], [0.0, 2.0]])
    # tanh(w x + b): a neuron, Hessian against central differences only
    assert_hessian(lambda w, x, b: autograd.dot([w], [x], b).tanh(), [0.8, -0.6, 0.1])


@pytest.mark.parametrize("x", [-2.0, -0.4, 0.0, 0.6, 2.5])
def test_third_derivatives(x):
    d3 = lambda f: grad(grad(grad(f)))  # noqa: E731
    assert d3(autograd.sin)(x) == pytest.approx(-math.cos(x), abs=1e-12)
    assert d3(autograd.cos)(x) == pytest.approx(math.sin(x), abs=1e-12)
    assert d3(autograd.exp)(x) == pytest.approx(math.exp(x), rel=1e-12)
    assert d3(lambda t: t ** 4)(x) == pytest.approx(24 * x, abs=1e-12)
    t = math.tanh(x)
    assert d3(autograd.tanh)(x) == pytest.approx(-2 * (1 - t * t) * (1 - 3 * t * t), abs=1e-12)
    if x > 0:
        assert d3(autograd.log)(x) == pytest.approx(2 / x ** 3, rel=1e-12)


def test_third_derivative_with_the_engine_alone():
    # the create_graph pass applied twice by hand: d^3 sin / dx^3 = -cos
    x = Value(0.8)
    x.sin().backward(create_graph=True)
    g1, x.grad = x.grad, 0.0
    g1.backward(create_graph=True)
    g2, x.grad = x.grad, 0.0
    g2.backward()
    assert x.grad == pytest.approx(-math.cos(0.8), abs=1e-15)


def test_hessian_matches_torch():
    # reference values from torch 2.13.0: torch.autograd.functional.hessian of
    # f(x, y) = tanh(x * y) + sigmoid(x) * exp(-y) + sqrt(x) at (x, y) = (0.8, -0.6), float64
    def f(x, y):
        return (x * y).tanh() + x.sigmoid() * (-y).exp() + x.sqrt()

    expected = [[-0.24016313576511406, 0.06801140463200844],
                [0.0680114046320085, 1.7146639486052027]]
    assert_hessian(f, [0.8, -0.6], expected)


@settings(max_examples=40, deadline=None)
@given(st.floats(-2.0, 2.0), st.floats(-2.0, 2.0))
def test_hessian_is_symmetric_and_matches_differences_of_the_gradient(x, y):
    def f(a, b):
        return (a * b).sin() + (a - 2 * b).tanh() * a + autograd.exp(0.3 * b) * b * b

    h = assert_hessian(f, [x, y])
    assert close(h[0][1], h[1][0], rel=1e-12, abs_=1e-12)
