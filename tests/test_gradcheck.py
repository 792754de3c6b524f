"""gradcheck / gradgradcheck: pass on correct derivatives, fail with a readable table on wrong ones."""
import math

import pytest

import autograd
from autograd import GradcheckError, Value, gradcheck, gradgradcheck

CORRECT = [
    (lambda x: -x, [0.4]),
    (lambda x: x.exp(), [0.4]),
    (lambda x: x.log(), [0.4]),
    (lambda x: x.sqrt(), [0.4]),
    (lambda x: x.tanh(), [0.4]),
    (lambda x: x.sigmoid(), [-0.4]),
    (lambda x: x.relu(), [0.4]),
    (lambda x: x.leaky_relu(), [-0.4]),
    (lambda x: abs(x), [-0.4]),
    (lambda x: x.sin(), [0.4]),
    (lambda x: x.cos(), [0.4]),
    (lambda x: x ** 3.5, [0.4]),
    (lambda x: 3 ** x, [0.4]),
    (lambda a, b: a + b * 2, [0.4, -1.3]),
    (lambda a, b: a - b, [0.4, -1.3]),
    (lambda a, b: a * b, [0.4, -1.3]),
    (lambda a, b: a / b, [0.4, -1.3]),
    (lambda a, b: a ** b, [0.4, -1.3]),
    (lambda a, b, c: autograd.sum([a, b * c, c]), [0.4, -1.3, 2.0]),
    (lambda w0, w1, x0, x1: autograd.dot([w0, w1], [x0, x1]), [0.4, -1.3, 2.0, 0.1]),
    (lambda w, x, b: autograd.dot([w], [x], b).tanh(), [0.4, -1.3, 0.2]),
]


@pytest.mark.parametrize("f, inputs", CORRECT)
def test_correct_ops_pass(f, inputs):
    assert gradcheck(f, inputs) is True
    assert gradgradcheck(f, inputs) is True


@autograd.op(derivatives=lambda out, x: (out,))  # wrong: d softplus/dx is sigmoid(x), not softplus
def bad_softplus(x):
    return math.log1p(math.exp(x))


def table_rows(message):
    """The table's data rows: the lines between the title and the closing rule, split on spaces."""
    lines = message.splitlines()
    return [line.split() for line in lines[1:-1] if not line.strip().startswith("(")]


def test_wrong_custom_op_fails_with_a_table():
    with pytest.raises(GradcheckError) as error:
        gradcheck(bad_softplus, [0.5])
    message = str(error.value)
    lines = message.splitlines()
    assert lines[0] == ("gradcheck failed: 1 of 1 derivative disagrees with central differences "
                        "(eps=1e-06, atol=1e-05, rtol=0.001)")
    assert lines[1].split() == ["input", "analytic", "numeric", "difference", "allowed"]
    name, equals, point, analytic, numeric, difference, allowed, *verdict = table_rows(message)[1]
    softplus, sigmoid = math.log1p(math.exp(0.5)), 1 / (1 + math.exp(-0.5))
    assert (name, equals, point) == ("x", "=", "0.5")
    assert float(analytic) == pytest.approx(softplus, rel=1e-7)
    assert float(numeric) == pytest.approx(sigmoid, rel=1e-7)
    assert float(difference) == pytest.approx(softplus - sigmoid, rel=1e-6)
    assert float(allowed) == pytest.approx(1e-5 + 1e-3 * sigmoid, rel=1e-6)
    assert verdict == ["<--", "WRONG"]
    assert lines[-1] == ("A derivative passes when |analytic - numeric| <= allowed = "
                         "atol + rtol * |numeric|.")


def test_table_marks_only_the_wrong_input_and_uses_labels():
    with pytest.raises(GradcheckError) as error:
        gradcheck(lambda a, b: bad_softplus(a) * b, [Value(0.5, label="a"), 2.0])
    rows = table_rows(str(error.value))
    assert str(error.value).startswith("gradcheck failed: 1 of 2 derivatives disagrees")
    assert rows[1][:3] == ["a", "=", "0.5"] and rows[1][-2:] == ["<--", "WRONG"]
    assert rows[2][:3] == ["x1", "=", "2"] and rows[2][-1] == "ok"


def test_several_outputs_get_an_output_column():
    def f(x, y):
        return [x * y, bad_softplus(y)]

    with pytest.raises(GradcheckError) as error:
        gradcheck(f, [1.5, -0.5])
    rows = table_rows(str(error.value))
    assert rows[0][:2] == ["output", "input"]
    assert [(r[0], r[1], r[-1]) for r in rows[1:]] == [
        ("out0", "x0", "ok"), ("out0", "x1", "ok"), ("out1", "x0", "ok"), ("out1", "x1", "WRONG")]
    assert gradcheck(lambda x, y: (x * y, y.exp()), [1.5, -0.5])


def test_tolerance_rule_is_atol_plus_rtol_times_numeric():
    # the identity with a derivative off by delta; allowed = 1e-5 + 1e-3 * |1| = 1.01e-3
    def off_by(delta):
        return autograd.op(derivatives=lambda out, x: (1.0 + delta,), name="off")(lambda x: x)

    assert gradcheck(off_by(0.0009), [2.0])
    with pytest.raises(GradcheckError):
        gradcheck(off_by(0.0011), [2.0])
    assert gradcheck(off_by(0.0011), [2.0], rtol=2e-3)
    assert gradcheck(off_by(0.0011), [2.0], atol=1e-3)


def test_raise_exception_false_returns_false():
    assert gradcheck(bad_softplus, [0.5], raise_exception=False) is False
    assert gradcheck(autograd.exp, [0.5], raise_exception=False) is True


def test_kink_is_a_legitimate_failure():
    # at 0, relu's derivative is taken as 0 (as PyTorch), the central difference sees 0.5
    with pytest.raises(GradcheckError, match="<-- WRONG"):
        gradcheck(lambda x: x.relu(), [0.0])
    assert gradcheck(lambda x: x.relu(), [1e-3])


def test_nan_derivative_fails():
    with pytest.raises(GradcheckError) as error:
        gradcheck(lambda x: x.log(), [-1.0])
    assert "nan" in str(error.value)


def test_gradgradcheck_catches_math_functions_in_derivatives():
    # math.exp turns the Value into a float, so create_graph sees a constant: f'' comes out 0
    @autograd.op(derivatives=lambda out, x: (math.exp(x),))
    def my_exp(x):
        return math.exp(x)

    assert gradcheck(my_exp, [0.3])
    with pytest.raises(GradcheckError) as error:
        gradgradcheck(my_exp, [0.3])
    message = str(error.value)
    assert message.startswith("gradgradcheck failed: 1 of 1 derivative disagrees")
    x, equals, point, analytic, numeric, *_ = table_rows(message)[1]
    assert float(analytic) == 0.0 and float(numeric) == pytest.approx(math.exp(0.3), rel=1e-6)


def test_gradgradcheck_names_the_first_derivatives():
    @autograd.op(derivatives=lambda out, x, y: (y, x * math.exp(0)), name="frozen")
    def frozen(x, y):
        return x * y

    assert gradcheck(frozen, [0.3, 2.0]) and gradgradcheck(frozen, [0.3, 2.0])
    wrong = autograd.op(derivatives=lambda out, x, y: (float(y), x), name="floaty")(
        lambda x, y: x * y)
    with pytest.raises(GradcheckError) as error:
        gradgradcheck(wrong, [0.3, 2.0])
    rows = table_rows(str(error.value))
    wrong_rows = [(r[0], r[1]) for r in rows[1:] if r[-1] == "WRONG"]
    assert wrong_rows == [("d(out)/d(x0)", "x1")]  # d/dx1 of d(xy)/dx0 = 1, but float(y) hid it


def test_gradcheck_accepts_a_single_number_and_leaves_grads_alone():
    x = Value(0.3)
    x.grad = 5.0
    assert gradcheck(lambda t: t * t, 0.3)
    assert gradcheck(lambda t: t * t, x)
    assert x.grad == 5.0


def test_backward_failure_becomes_a_gradcheck_error():
    broken = autograd.Op("broken", lambda x: x, lambda out, x: (1 / 0,))
    with pytest.raises(GradcheckError, match="ZeroDivisionError"):
        gradcheck(broken, [1.0])


def test_long_tables_show_only_the_wrong_rows():
    def f(*xs):
        return autograd.sum([x * x for x in xs]) + bad_softplus(xs[7])

    with pytest.raises(GradcheckError) as error:
        gradcheck(f, [0.1 * i for i in range(50)])
    message = str(error.value)
    assert "1 of 50 derivatives" in message and "only the wrong ones are shown" in message
    assert len(table_rows(message)) == 2 and "x7 = 0.7" in message


def test_bad_inputs_and_outputs_are_explained():
    with pytest.raises(TypeError, match="input 1 is str"):
        gradcheck(lambda a, b: a, [1.0, "2"])
    with pytest.raises(TypeError, match="inputs must be a number"):
        gradcheck(lambda a: a, {1.0})
    with pytest.raises(TypeError, match="f must return a Value, a number"):
        gradcheck(lambda a: {"y": a}, [1.0])


def test_a_step_that_is_not_positive_is_explained():
    for eps in (0, 0.0, -1e-6):
        with pytest.raises(ValueError, match="eps must be a small positive step"):
            gradcheck(lambda x: x * x, [1.0], eps=eps)
    with pytest.raises(ValueError, match="eps must be a small positive step"):
        gradgradcheck(lambda x: x * x, [1.0], eps=0.0)


def test_function_using_grad_on_numbers_inside_is_checked_correctly():
    # f(w) = d/dx (x^2 w) at x = 2 = 4w: df/dw = 4, even though the inner grad gets a plain 2.0
    f = lambda w: autograd.grad(lambda x: x * x * w)(2.0)  # noqa: E731
    assert gradcheck(f, [3.0]) and gradgradcheck(f, [3.0])


def test_an_infinite_numeric_derivative_does_not_pass_everything():
    # past the overflow point the central difference is inf; inf <= atol + rtol * inf must not
    # let a wrong (or any finite) analytic derivative through (torch.allclose(x, inf) is False)
    near_overflow = 709.782712893384  # exp(x + 1e-6) overflows, exp(x - 1e-6) does not
    wrong = autograd.op(derivatives=lambda out, x: (0.0,), name="wrong_exp")(
        lambda x: math.exp(x) if x < 709.78271289338397 else math.inf)
    with pytest.raises(GradcheckError, match=r"(?s)numeric.*inf.*<-- WRONG"):
        gradcheck(wrong, [near_overflow])
    assert gradcheck(autograd.exp, [near_overflow], raise_exception=False) is False


# -- numeric_grad: the central differences on their own ----------------------------------------------
def mixed(x, y):
    return x * y.sin() + y ** 2 * (-x).exp()


# Reference values from torch 2.13.0 (float64): f = x*sin(y) + y**2*exp(-x) at (0.7, -1.3),
# torch.autograd.grad for the gradient and, with create_graph=True, for the Hessian.
TORCH_MIXED_GRAD = (-1.8027873488246753, -1.1038726098204537)
TORCH_MIXED_HESSIAN = [[0.8392291634074822, 1.5586206184822522],
                       [1.5586206184822522, 1.6676613373748541]]


def test_numeric_grad_matches_torch_and_grad():
    estimate = autograd.numeric_grad(mixed, 0.7, -1.3)
    assert type(estimate) is tuple and len(estimate) == 2
    assert estimate == pytest.approx(TORCH_MIXED_GRAD, rel=1e-8)
    assert estimate == pytest.approx(autograd.grad(mixed, (0, 1))(0.7, -1.3), rel=1e-8)
    one = autograd.numeric_grad(lambda x: x ** 3, 2.0)
    assert type(one) is float and one == pytest.approx(12.0, rel=1e-9)
    # Values give their numbers; f may be written with math on them (f only needs the numbers)
    assert autograd.numeric_grad(lambda x: math.sin(x), Value(0.5)) == pytest.approx(
        math.cos(0.5), rel=1e-9)


def test_numeric_grad_of_a_derivative_gives_second_derivatives():
    for i in range(2):
        row = autograd.numeric_grad(autograd.grad(mixed, i), 0.7, -1.3)
        assert row == pytest.approx(TORCH_MIXED_HESSIAN[i], rel=1e-7)
        assert row == pytest.approx(autograd.hessian(mixed)(0.7, -1.3)[i], rel=1e-7)


def test_numeric_grad_error_is_second_order_in_eps():
    # (e^(1+h) - e^(1-h)) / 2h = e sinh(h)/h = e (1 + h^2/6 + ...): a tenth of the step, a
    # hundredth of the error
    errors = [autograd.numeric_grad(autograd.exp, 1.0, eps=h) - math.e for h in (1e-2, 1e-3)]
    assert errors[0] == pytest.approx(math.e * 1e-4 / 6, rel=1e-3)
    assert errors[1] == pytest.approx(math.e * 1e-6 / 6, rel=1e-3)
    # at a kink it gives the mean of the two slopes, which is why gradcheck avoids kinks
    assert autograd.numeric_grad(abs, 0.0) == 0.0
    assert autograd.numeric_grad(lambda x: x.relu(), 0.0) == pytest.approx(0.5)


def test_numeric_grad_is_exactly_the_central_difference_gradcheck_documents():
    # the same formula, unscaled step and order of operations as torch.autograd.gradcheck
    f = lambda x, y: (x * y).tanh()  # noqa: E731
    h = 1e-6
    by_hand = ((math.tanh((0.3 + h) * 2.0) - math.tanh((0.3 - h) * 2.0)) / (2 * h),
               (math.tanh(0.3 * (2.0 + h)) - math.tanh(0.3 * (2.0 - h))) / (2 * h))
    assert autograd.numeric_grad(f, 0.3, 2.0) == by_hand  # bit for bit


def test_numeric_grad_explains_bad_calls():
    with pytest.raises(TypeError, match="needs the point too"):
        autograd.numeric_grad(lambda x: x)
    with pytest.raises(TypeError, match="returned 2 outputs; use autograd.jacobian"):
        autograd.numeric_grad(lambda x: [x, x * x], 1.0)
    with pytest.raises(TypeError, match="input 1 is str '2'; numeric_grad takes derivatives"):
        autograd.numeric_grad(lambda x, y: x * y, 1.0, "2")
    with pytest.raises(TypeError, match="needs a function"):
        autograd.numeric_grad(2.0, 1.0)
    for eps in (0.0, -1e-6, "1e-6"):
        with pytest.raises(ValueError, match="eps must be a small positive step"):
            autograd.numeric_grad(lambda x: x * x, 1.0, eps=eps)
