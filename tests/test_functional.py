"""The functional API: grad, value_and_grad, hessian (and the Newton demo built on them)."""
import math

import pytest

import autograd
from autograd import Value, grad, hessian, no_grad, value_and_grad


# -- grad on floats ----------------------------------------------------------------------------------
def test_grad_of_polynomial_returns_float():
    df = grad(lambda x: 3 * x ** 3 - 2 * x + 1)
    result = df(2.0)
    assert type(result) is float
    assert result == pytest.approx(9 * 4 - 2)


def test_grad_accepts_ints_and_module_functions():
    assert grad(autograd.exp)(0) == pytest.approx(1.0)
    assert grad(autograd.log)(4) == pytest.approx(0.25)
    assert grad(lambda x: x.tanh())(0.5) == pytest.approx(1 - math.tanh(0.5) ** 2)


def test_argnum_int_tuple_and_negative():
    f = lambda x, y, z: x * y * y + z  # noqa: E731
    assert grad(f, argnum=1)(2.0, 3.0, 5.0) == pytest.approx(12.0)
    assert grad(f, argnum=-1)(2.0, 3.0, 5.0) == pytest.approx(1.0)
    assert grad(f, argnum=(0, 1, 2))(2.0, 3.0, 5.0) == pytest.approx((9.0, 12.0, 1.0))
    assert grad(f, argnum=(2, 0))(2.0, 3.0, 5.0) == pytest.approx((1.0, 9.0))
    assert isinstance(grad(f, argnum=(0,))(2.0, 3.0, 5.0), tuple)


def test_repeated_argnum_gives_the_same_derivative_twice():
    assert grad(lambda x, y: x * y, argnum=(0, 0))(2.0, 5.0) == (5.0, 5.0)


def test_other_arguments_pass_through_untouched():
    def loss(w, xs, scale=1.0):
        return scale * autograd.sum([w * x for x in xs])

    assert grad(loss)(0.5, [1.0, 2.0, 3.0], scale=2.0) == pytest.approx(12.0)


def test_constant_and_unused_arguments_have_zero_derivative():
    with pytest.warns(UserWarning, match="plain number"):
        assert grad(lambda x: 5.0)(1.0) == 0.0
    assert grad(lambda x, y: y * y, argnum=(0, 1))(1.0, 3.0) == (0.0, 6.0)
    assert grad(lambda x: Value(2.0) * 3)(1.0) == 0.0


def test_value_and_grad_on_floats():
    value, derivative = value_and_grad(lambda x: x ** 3)(2.0)
    assert (value, derivative) == (8.0, 12.0)
    value, derivatives = value_and_grad(lambda x, y: x * y, argnum=(0, 1))(2.0, 5.0)
    assert value == 10.0 and derivatives == (5.0, 2.0)
    with pytest.warns(UserWarning, match="plain number"):
        assert value_and_grad(lambda x: 7)(1.0) == (7.0, 0.0)


def test_grad_works_inside_no_grad():
    with no_grad():
        assert grad(lambda x: x * x)(3.0) == pytest.approx(6.0)
        assert autograd.is_grad_enabled() is False


# -- grad on Values: higher derivatives -----------------------------------------------------------------
@pytest.mark.parametrize("x", [-2.0, -0.3, 0.0, 0.7, 1.9])
def test_derivatives_of_sin_cycle(x):
    d1 = grad(autograd.sin)
    d2 = grad(d1)
    d3 = grad(d2)
    d4 = grad(d3)
    assert d1(x) == pytest.approx(math.cos(x), abs=1e-12)
    assert d2(x) == pytest.approx(-math.sin(x), abs=1e-12)
    assert d3(x) == pytest.approx(-math.cos(x), abs=1e-12)
    assert d4(x) == pytest.approx(math.sin(x), abs=1e-12)


def test_grad_with_values_returns_connected_values():
    x = Value(1.5, label="x")
    g = grad(lambda t: t ** 3)(x)  # 3 x^2
    assert isinstance(g, Value) and g.data == pytest.approx(6.75)
    g.backward()  # d(3x^2)/dx = 6x reaches the caller's Value
    assert x.grad == pytest.approx(9.0)


def test_grad_with_values_of_constant_is_a_value():
    x = Value(1.0)
    with pytest.warns(UserWarning, match="plain number"):
        assert isinstance(grad(lambda t: 4.0)(x), Value) and grad(lambda t: 4.0)(x).data == 0.0
    assert grad(lambda t: t + 1)(x).data == 1.0
    value, derivative = value_and_grad(lambda t: t * t)(x)
    assert isinstance(value, Value) and (value.data, derivative.data) == (1.0, 2.0)


def test_partial_derivatives_treat_each_argument_as_independent():
    # the same Value passed twice: d(xy)/dx = y and d(xy)/dy = x, not the total derivative 2x
    v = Value(3.0)
    dx, dy = grad(lambda x, y: x * y, argnum=(0, 1))(v, v)
    assert (dx.data, dy.data) == (3.0, 3.0)
    b = v * 2  # an argument computed from another argument is still its own variable
    dx, dy = grad(lambda x, y: x * y, argnum=(0, 1))(v, b)
    assert (dx.data, dy.data) == (6.0, 3.0)


def test_mixed_partial_by_nesting_grad():
    f = lambda x, y: x ** 2 * autograd.sin(y)  # noqa: E731
    dfdx = grad(f, argnum=0)  # 2x sin y
    d2f_dxdy = grad(dfdx, argnum=1)  # 2x cos y
    assert d2f_dxdy(1.5, 0.4) == pytest.approx(3.0 * math.cos(0.4))
    d2f_dx2 = grad(dfdx, argnum=0)  # 2 sin y
    assert d2f_dx2(1.5, 0.4) == pytest.approx(2 * math.sin(0.4))


def test_gradient_penalty_reaches_closed_over_parameters():
    # g = d(w x^2)/dx = 2 w x; penalty g^2 = 4 w^2 x^2: d/dw = 8 w x^2 = 36, d/dx = 8 w^2 x = 48
    w, x = Value(2.0), Value(1.5)
    g = grad(lambda t: w * t ** 2)(x)
    (g * g).backward()
    assert w.grad == pytest.approx(36.0) and x.grad == pytest.approx(48.0)


def test_grad_leaves_every_existing_grad_untouched():
    w, x = Value(2.0), Value(-1.0)
    h = w * x  # an intermediate node of the caller's graph
    w.grad, x.grad, h.grad = 7.0, -3.0, 0.5
    grad(lambda t: (t * w + h).tanh())(x)
    grad(lambda t: (t * w + h).tanh())(1.0)
    grad(grad(lambda t: (t * w + h).tanh()))(x)
    assert (w.grad, x.grad, h.grad) == (7.0, -3.0, 0.5)


def test_grad_restores_grads_when_backward_fails():
    bad = autograd.Op("bad", lambda x: x, lambda out, x: (1 / 0,))
    w = Value(1.0)
    w.grad = 4.0
    with pytest.raises(ZeroDivisionError):
        grad(lambda t: bad(t * w))(2.0)
    assert w.grad == 4.0


def test_grad_inside_no_grad_with_values_returns_constants():
    x = Value(2.0)
    with no_grad():
        g = grad(lambda t: t ** 3)(x)
    assert g.data == pytest.approx(12.0) and g.is_leaf


def test_long_chain_does_not_recurse():
    def f(x):
        for _ in range(20_000):
            x = x * 1.0
        return x

    assert grad(f)(3.0) == 1.0


# -- errors --------------------------------------------------------------------------------------------
def test_argnum_out_of_range_is_explained():
    with pytest.raises(IndexError, match="argnum 2 is out of range.*2 positional arguments"):
        grad(lambda x, y: x * y, argnum=2)(1.0, 2.0)


def test_bad_argnum_and_bad_function():
    with pytest.raises(TypeError, match="argnum must be an int"):
        grad(lambda x: x, argnum="x")
    with pytest.raises(ValueError, match="no derivative"):
        grad(lambda x: x, argnum=())
    with pytest.raises(TypeError, match="needs a function"):
        grad(3.0)


def test_non_scalar_argument_and_output_are_explained():
    with pytest.raises(TypeError, match="argument 0 is list"):
        grad(lambda xs: xs[0])([1.0, 2.0])
    with pytest.raises(TypeError, match="must return one number or Value, got list"):
        grad(lambda x: [x, x])(1.0)


def test_repr_names_the_function():
    assert repr(grad(autograd.sin)) == "grad(sin, argnum=0)"
    assert repr(value_and_grad(autograd.sin, (0,))) == "value_and_grad(sin, argnum=(0,))"


# -- hessian -------------------------------------------------------------------------------------------
def assert_matrix_close(actual, expected, tol=1e-9):
    assert len(actual) == len(expected)
    for row, expected_row in zip(actual, expected):
        assert all(type(v) is float for v in row)
        assert row == pytest.approx(expected_row, rel=tol, abs=tol)


def test_hessian_of_product():
    x, y = 3.0, 2.0
    assert_matrix_close(hessian(lambda x, y: x * x * y)(x, y), [[2 * y, 2 * x], [2 * x, 0.0]])


@pytest.mark.parametrize("x, y", [(-1.2, 1.0), (1.0, 1.0), (0.3, -0.5)])
def test_hessian_of_rosenbrock(x, y):
    def rosenbrock(x, y):
        return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2

    expected = [[2 - 400 * (y - x * x) + 800 * x * x, -400 * x], [-400 * x, 200.0]]
    assert_matrix_close(hessian(rosenbrock)(x, y), expected)


def test_hessian_of_exp_of_product():
    x, y = 0.7, -0.4
    e = math.exp(x * y)
    expected = [[y * y * e, (1 + x * y) * e], [(1 + x * y) * e, x * x * e]]
    assert_matrix_close(hessian(lambda x, y: autograd.exp(x * y))(x, y), expected)


def test_hessian_of_three_variables():
    def f(x, y, z):
        return x * y * z + autograd.log(x) + z ** 3 + autograd.sin(y)

    x, y, z = 1.5, 0.5, -2.0
    expected = [[-1 / x ** 2, z, y], [z, -math.sin(y), x], [y, x, 6 * z]]
    assert_matrix_close(hessian(f)(x, y, z), expected)


def test_hessian_of_quadratic_form_with_dot():
    # f = x^T A x / 2 with A symmetric, written with one dot node: H = A
    A = [[2.0, -1.0], [-1.0, 3.0]]

    def f(x0, x1):
        xs = [x0, x1]
        Ax = [autograd.dot(row, xs) for row in A]
        return 0.5 * autograd.dot(xs, Ax)

    assert_matrix_close(hessian(f)(0.3, -1.1), A)


def test_hessian_of_one_variable_and_of_a_constant():
    assert_matrix_close(hessian(lambda x: x.sigmoid())(0.0), [[0.0]])
    assert_matrix_close(hessian(lambda x: x ** 4)(2.0), [[48.0]])
    with pytest.warns(UserWarning, match="plain number"):
        assert_matrix_close(hessian(lambda x, y: 1.0)(2.0, 3.0), [[0.0, 0.0], [0.0, 0.0]])


def test_hessian_accepts_values_and_needs_arguments():
    assert hessian(lambda x: x ** 3)(Value(1.0)) == [[6.0]]
    with pytest.raises(TypeError, match="needs f's arguments"):
        hessian(lambda x: x)()


# -- the Newton demo -----------------------------------------------------------------------------------
def test_newton_demo_fast_mode(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from demos import newton

    result = newton.main(["--fast", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert "Rosenbrock, Newton" in out and "distance to min" in out  # the tables, printed once
    runs = result["runs"]
    one_d = runs["1-D Newton"]["points"]
    assert len(one_d) <= 10 and one_d[-1][0] == pytest.approx(math.log(2), abs=1e-14)
    two_d = runs["2-D Newton"]["points"]
    # the first Newton step from (-1.2, 1), by hand: H = [[1330, 480], [480, 200]], g = (-215.6, -88)
    assert two_d[1] == pytest.approx([-1.2 + 880 / 35600, 1 + 13552 / 35600], rel=1e-12)
    assert len(two_d) <= 10 and two_d[-1] == pytest.approx([1.0, 1.0], abs=1e-12)
    assert result["2-D Newton distance left"] < 1e-12
    assert result["2-D gradient descent steps"] == 500
    assert result["2-D gradient descent distance left"] > 0.5
    picture = tmp_path / "newton.png"
    assert result["files"] == [picture]
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 10_000


# -- nesting: an inner grad inside the function an outer grad differentiates ---------------------------
def test_inner_grad_called_with_numbers_still_carries_the_outer_variable():
    # d/dw [d/dx (x^2 w)] at x = 2 is 2x = 4: the inner grad gets a plain 2.0, but its result
    # depends on the outer grad's w (closed over, or passed by keyword), so it must stay a graph
    assert grad(lambda w: grad(lambda x: x * x * w)(2.0))(3.0) == 4.0
    assert grad(lambda w: grad(lambda x, w: x * x * w)(2.0, w=w))(3.0) == 4.0
    assert grad(lambda w: value_and_grad(lambda x: x * w)(2.0)[0])(3.0) == 2.0  # the value: xw
    assert hessian(lambda a, b: grad(lambda x: x * a * b)(1.0))(2.0, 3.0) == [[0.0, 1.0],
                                                                              [1.0, 0.0]]
    # at top level, numbers in still give numbers out
    w = Value(3.0)
    assert type(grad(lambda x: x * x * w)(2.0)) is float


def test_a_function_that_returns_a_plain_number_gets_a_warning_with_the_likely_cause():
    # math.sin(Value) quietly gives a float (Value.__float__), cutting the graph: derivative 0
    with pytest.warns(UserWarning, match=r"returned a plain number.*autograd\.sin"):
        assert grad(math.sin)(1.0) == 0.0
    with pytest.warns(UserWarning, match="taken as 0"):
        assert value_and_grad(lambda x: math.exp(x) * 2)(0.0) == (2.0, 0.0)
