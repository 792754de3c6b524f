"""Every op: forward values, gradients against central finite differences, exact edge cases.

Edge-case numbers (kinks, domain edges, inf and nan) were taken from torch 2.13.0 in float64, so that
chainrule follows PyTorch's conventions exactly.
"""
import math

import pytest

import autograd
from autograd import Value
from numeric import central_difference, close

inf, nan = math.inf, math.nan

# (name, function of Values, points): points avoid the exact kinks, which are tested separately below,
# but sit on both sides of them and near the edges of each domain.
UNARY = [
    ("neg", lambda x: -x, [-2.0, 0.3, 5.0]),
    ("exp", lambda x: x.exp(), [-30.0, -1.0, 0.0, 0.5, 20.0]),
    ("log", lambda x: x.log(), [1e-3, 0.5, 1.0, 7.0, 1e5]),
    ("sqrt", lambda x: x.sqrt(), [1e-4, 0.25, 2.0, 1e4]),
    ("tanh", lambda x: x.tanh(), [-20.0, -1.0, -1e-3, 0.0, 1e-3, 0.7, 3.0]),
    ("sigmoid", lambda x: x.sigmoid(), [-40.0, -2.0, -1e-3, 0.0, 1e-3, 1.5, 40.0]),
    ("relu", lambda x: x.relu(), [-3.0, -1e-3, 1e-3, 2.0]),
    ("leaky_relu", lambda x: x.leaky_relu(), [-3.0, -1e-3, 1e-3, 2.0]),
    ("leaky_relu 0.2", lambda x: x.leaky_relu(0.2), [-3.0, -1e-3, 1e-3, 2.0]),
    ("abs", lambda x: abs(x), [-3.0, -1e-3, 1e-3, 2.0]),
    ("sin", lambda x: x.sin(), [-4.0, -1.0, 0.0, 1.3, 10.0]),
    ("cos", lambda x: x.cos(), [-4.0, -1.0, 0.0, 1.3, 10.0]),
    ("square", lambda x: x ** 2, [-3.0, -0.1, 0.0, 0.4, 5.0]),
    ("cube", lambda x: x ** 3, [-2.0, -0.1, 0.4, 2.0]),
    ("inverse", lambda x: x ** -1, [-2.0, -0.1, 0.4, 3.0]),
    ("root", lambda x: x ** 0.5, [1e-3, 0.4, 9.0]),
    ("two to the x", lambda x: 2 ** x, [-3.0, 0.0, 2.5]),
    ("constant minus", lambda x: 1 - x, [-3.0, 2.0]),
    ("constant over", lambda x: 3 / x, [-2.0, 0.5, 4.0]),
    ("over constant", lambda x: x / 4, [-2.0, 0.5]),
]

BINARY = [
    ("+", lambda a, b: a + b, [(1.0, 2.0), (-3.0, 0.5)]),
    ("-", lambda a, b: a - b, [(1.0, 2.0), (-3.0, 0.5)]),
    ("*", lambda a, b: a * b, [(1.5, -2.0), (0.0, 3.0), (-0.2, -0.7)]),
    ("/", lambda a, b: a / b, [(1.5, -2.0), (0.0, 3.0), (-0.2, 1e-2)]),
    ("**", lambda a, b: a ** b, [(1.5, -2.0), (0.3, 3.0), (2.0, 0.5), (5.0, 0.0)]),
]


def float_function(f):
    """f on plain floats: wrap the numbers in Values and read the result's data."""
    return lambda *xs: f(*[Value(x) for x in xs]).data


@pytest.mark.parametrize("name, f, points", UNARY, ids=[u[0] for u in UNARY])
def test_unary_gradients_match_central_differences(name, f, points):
    for x0 in points:
        x = Value(x0)
        f(x).backward()
        numeric = central_difference(float_function(f), [x0], 0)
        assert close(x.grad, numeric), f"{name}'({x0}): analytic {x.grad}, numeric {numeric}"


@pytest.mark.parametrize("name, f, points", BINARY, ids=[b[0] for b in BINARY])
def test_binary_gradients_match_central_differences(name, f, points):
    for a0, b0 in points:
        a, b = Value(a0), Value(b0)
        f(a, b).backward()
        for i, analytic in enumerate((a.grad, b.grad)):
            numeric = central_difference(float_function(f), [a0, b0], i)
            assert close(analytic, numeric), f"{name} at {(a0, b0)}, input {i}: {analytic} vs {numeric}"


def test_exact_values_of_a_hand_derived_expression():
    # L = (a*b + c) * f with a=2, b=-3, c=10, f=-2 (Karpathy's lecture example): e = a*b = -6,
    # d = e + c = 4, L = d*f = -8; dL/df = d = 4, dL/dd = f = -2, dL/dc = -2, dL/da = -2*b = 6,
    # dL/db = -2*a = -4.
    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    L = (a * b + c) * f
    L.backward()
    assert L.data == -8.0
    assert (a.grad, b.grad, c.grad, f.grad) == (6.0, -4.0, -2.0, 4.0)


def test_exact_values_of_a_tanh_neuron():
    # o = tanh(x1*w1 + x2*w2 + b) with the lecture's numbers; do/dn = 1 - o^2 = 0.5.
    x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    assert o.data == pytest.approx(0.7071067811865476, abs=1e-15)
    assert w1.grad == pytest.approx(1.0, abs=1e-12) and x1.grad == pytest.approx(-1.5, abs=1e-12)
    assert w2.grad == 0.0 and x2.grad == pytest.approx(0.5, abs=1e-12)


def gradient(f, *xs):
    values = [Value(x) for x in xs]
    out = f(*values)
    out.backward()
    return out.data, [v.grad for v in values]


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


# Reference (value, gradients) from torch 2.13.0, float64.
EDGE_CASES = [
    ("relu at 0", lambda x: x.relu(), [0.0], 0.0, [0.0]),
    ("relu of nan", lambda x: x.relu(), [nan], nan, [1.0]),
    ("abs at 0", lambda x: abs(x), [0.0], 0.0, [0.0]),
    ("leaky_relu at 0", lambda x: x.leaky_relu(0.01), [0.0], 0.0, [0.01]),
    ("x**0.5 at 0", lambda x: x ** 0.5, [0.0], 0.0, [inf]),
    ("x**0 at 0", lambda x: x ** 0, [0.0], 1.0, [0.0]),
    ("a**b at 0, 2", lambda a, b: a ** b, [0.0, 2.0], 0.0, [0.0, 0.0]),
    ("a**b at 0, 0", lambda a, b: a ** b, [0.0, 0.0], 1.0, [0.0, 0.0]),
    ("a**b at 0, -1", lambda a, b: a ** b, [0.0, -1.0], inf, [-inf, -inf]),
    ("a**b at -2, 2", lambda a, b: a ** b, [-2.0, 2.0], 4.0, [-4.0, nan]),
    ("a**b at -8, 1/3", lambda a, b: a ** b, [-8.0, 1 / 3], nan, [nan, nan]),
    ("log at 0", lambda x: x.log(), [0.0], -inf, [inf]),
    ("log at -1", lambda x: x.log(), [-1.0], nan, [-1.0]),
    ("sqrt at 0", lambda x: x.sqrt(), [0.0], 0.0, [inf]),
    ("1/0", lambda a, b: a / b, [1.0, 0.0], inf, [inf, -inf]),
    ("0/0", lambda a, b: a / b, [0.0, 0.0], nan, [inf, nan]),
    ("exp(1000)", lambda x: x.exp(), [1000.0], inf, [inf]),
    ("sigmoid(1e308)", lambda x: x.sigmoid(), [1e308], 1.0, [0.0]),
    ("sigmoid(-1e308)", lambda x: x.sigmoid(), [-1e308], 0.0, [0.0]),
    ("sigmoid(-800)", lambda x: x.sigmoid(), [-800.0], 0.0, [0.0]),
    ("tanh(1e308)", lambda x: x.tanh(), [1e308], 1.0, [0.0]),
    ("tanh(-1e308)", lambda x: x.tanh(), [-1e308], -1.0, [0.0]),
    ("sin(inf)", lambda x: x.sin(), [inf], nan, [nan]),
    ("2**x at 3", lambda x: 2 ** x, [3.0], 8.0, [5.545177444479562]),
]


@pytest.mark.parametrize("name, f, xs, value, grads", EDGE_CASES, ids=[e[0] for e in EDGE_CASES])
def test_edge_cases_follow_pytorch(name, f, xs, value, grads):
    got_value, got_grads = gradient(f, *xs)
    assert same(got_value, value), f"{name}: value {got_value}, expected {value}"
    for got, want in zip(got_grads, grads):
        assert same(got, want), f"{name}: grads {got_grads}, expected {grads}"


@pytest.mark.parametrize("expression, expected", [
    (lambda: Value(0.0) ** -1, inf),
    (lambda: Value(-0.0) ** -1, -inf),
    (lambda: Value(-0.0) ** -2, inf),
    (lambda: Value(-10.0) ** 401, -inf),
    (lambda: Value(10.0) ** 400, inf),
    (lambda: Value(-1.0) / 0.0, -inf),
    (lambda: Value(1.0) / -0.0, -inf),
    (lambda: Value(-1.0).sqrt(), nan),
    (lambda: Value(inf).cos(), nan),
    (lambda: Value(1e308) * 10, inf),
    (lambda: Value(inf) - inf, nan),
    (lambda: Value(-inf).exp(), 0.0),
    (lambda: Value(nan).sigmoid(), nan),
    (lambda: Value(-inf).sigmoid(), 0.0),
])
def test_forward_follows_ieee_without_raising(expression, expected):
    assert same(expression().data, expected)


def test_module_level_functions_take_numbers_or_values():
    assert autograd.exp(0.0) == 1.0 and type(autograd.exp(0)) is float
    assert autograd.exp(1000) == inf and autograd.log(0) == -inf and math.isnan(autograd.log(-1))
    assert autograd.div(1, 0) == inf and autograd.pow(0, -1) == inf and math.isnan(autograd.sqrt(-4))
    assert autograd.leaky_relu(-2.0, 0.5) == -1.0 and autograd.abs(-3) == 3.0
    x = Value(0.5)
    y = autograd.tanh(autograd.sin(x)) + autograd.pow(x, 2) + autograd.div(1, x)
    assert isinstance(y, Value)
    y.backward()
    s = math.sin(0.5)
    assert x.grad == pytest.approx((1 - math.tanh(s) ** 2) * math.cos(0.5) + 1.0 - 4.0, rel=1e-12)


def test_sum_and_dot_are_single_nodes_with_the_right_gradients():
    xs = [Value(float(i)) for i in range(1, 6)]
    s = autograd.sum(xs)
    assert s.data == 15.0 and s.op.name == "sum" and len(s.parents) == 5
    s.backward()
    assert [x.grad for x in xs] == [1.0] * 5

    ws = [Value(w) for w in (0.5, -1.0, 2.0)]
    xs = [Value(x) for x in (3.0, 4.0, -0.5)]
    b = Value(0.25)
    d = autograd.dot(ws, xs, b)
    assert d.op.name == "dot" and len(d.parents) == 7
    assert d.data == 0.25 + 1.5 - 4.0 - 1.0
    (d * 2).backward()
    assert [w.grad for w in ws] == [6.0, 8.0, -1.0]
    assert [x.grad for x in xs] == [1.0, -2.0, 4.0]
    assert b.grad == 2.0


def test_dot_equals_the_long_form_bit_for_bit():
    import random
    rng = random.Random(3)
    ws = [Value(rng.uniform(-1, 1)) for _ in range(17)]
    xs = [Value(rng.uniform(-1, 1)) for _ in range(17)]
    b = Value(rng.uniform(-1, 1))
    long_form = sum((w * x for w, x in zip(ws, xs)), b)
    assert autograd.dot(ws, xs, b).data == long_form.data
    assert autograd.dot(ws, xs).data == autograd.sum([w * x for w, x in zip(ws, xs)]).data


def test_dot_and_sum_accept_numbers_and_check_lengths():
    w = Value(2.0)
    d = autograd.dot([w, 3.0], [1.5, Value(-1.0)], 1.0)
    assert d.data == 1.0 + 3.0 - 3.0
    d.backward()
    assert w.grad == 1.5
    assert autograd.dot([1.0, 2.0], [3.0, 4.0]) == 11.0  # plain numbers give a plain float
    assert autograd.sum([]) == 0.0
    with pytest.raises(ValueError, match="2 and 3"):
        autograd.dot([w, w], [1.0, 2.0, 3.0])
