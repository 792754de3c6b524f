"""Custom ops made with `@autograd.op`: forward, backward, create_graph, pictures, clear errors."""
import math

import pytest

import autograd
from autograd import Value, grad, gradcheck, gradgradcheck, hessian


@autograd.op(derivatives=lambda out, x: (autograd.sigmoid(x),))
def softplus(x):
    """log(1 + e^x), computed without overflow."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


@autograd.op(derivatives=lambda out, x, y: (x / out, y / out))
def hypot(x, y):
    """sqrt(x^2 + y^2)."""
    return math.hypot(x, y)


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def test_custom_op_is_an_op_with_name_and_doc():
    assert isinstance(softplus, autograd.Op)
    assert softplus.name == "softplus" and repr(softplus) == "<op softplus>"
    assert softplus.__doc__ == "log(1 + e^x), computed without overflow."
    renamed = autograd.op(derivatives=lambda out, x: (1.0,), name="identity")(lambda x: x)
    assert renamed.name == "identity"


def test_custom_op_on_floats_and_on_values():
    assert softplus(0.5) == pytest.approx(math.log1p(math.exp(0.5)))
    assert type(softplus(1)) is float
    assert softplus(1000.0) == 1000.0  # the stable formula does not overflow
    x = Value(0.5)
    y = softplus(x)
    assert isinstance(y, Value) and y.op is softplus and len(y.parents) == 1 and y.parents[0] is x


def test_custom_op_backward():
    x = Value(-0.3)
    (softplus(x) * 2).backward()
    assert x.grad == pytest.approx(2 * sigmoid(-0.3))
    a, b = Value(3.0), Value(-4.0)
    hypot(a, b).backward()
    assert (a.grad, b.grad) == pytest.approx((0.6, -0.8))


def test_custom_op_under_create_graph():
    x = Value(0.7)
    softplus(x).backward(create_graph=True)
    first = x.grad
    assert isinstance(first, Value) and first.data == pytest.approx(sigmoid(0.7))
    x.grad = 0.0
    first.backward()
    s = sigmoid(0.7)
    assert x.grad == pytest.approx(s * (1 - s))


def test_custom_op_higher_derivatives_with_the_functional_api():
    s = sigmoid(0.2)
    assert grad(grad(softplus))(0.2) == pytest.approx(s * (1 - s))
    assert grad(grad(grad(softplus)))(0.2) == pytest.approx(s * (1 - s) * (1 - 2 * s))
    x, y = 3.0, -4.0
    r3 = 125.0
    expected = [[y * y / r3, -x * y / r3], [-x * y / r3, x * x / r3]]
    for row, expected_row in zip(hessian(hypot)(x, y), expected):
        assert row == pytest.approx(expected_row)


def test_custom_ops_pass_gradcheck_and_gradgradcheck():
    for x in (-3.0, -0.2, 0.0, 1.5):
        assert gradcheck(softplus, [x]) and gradgradcheck(softplus, [x])
    assert gradcheck(hypot, [3.0, -4.0]) and gradgradcheck(hypot, [3.0, -4.0])
    assert gradcheck(lambda a, b: softplus(hypot(a, b) * a), [0.5, 1.2])


def test_custom_op_appears_by_name_in_graph_pictures():
    y = softplus(Value(0.5, label="x"))
    assert "softplus" in autograd.draw_dot(y).source


def test_derivatives_may_return_a_bare_number_or_ints():
    square = autograd.op(derivatives=lambda out, x: 2 * x)(lambda x: x * x)
    assert grad(square)(3.0) == 6.0
    assert grad(grad(square))(3.0) == 2.0
    triple = autograd.op(derivatives=lambda out, x: (3,))(lambda x: 3 * x)
    x = Value(1.0)
    triple(x).backward()
    assert x.grad == 3.0 and type(x.grad) is float


def test_forward_result_is_stored_as_float():
    count = autograd.op(derivatives=lambda out, x: (0.0,), name="floor")(lambda x: math.floor(x))
    assert type(count(Value(2.7)).data) is float and count(Value(2.7)).data == 2.0


# -- clear errors -----------------------------------------------------------------------------------
def test_too_many_partials_is_a_clear_error():
    wrong = autograd.op(derivatives=lambda out, x: (1.0, 2.0), name="wrong")(lambda x: x)
    with pytest.raises(ValueError) as error:
        wrong(Value(1.0)).backward()
    message = str(error.value)
    assert "custom op 'wrong'" in message
    assert "returned 2 partial derivatives for 1 input" in message
    assert "(d_x,)" in message


def test_too_few_partials_is_a_clear_error_also_under_create_graph():
    wrong = autograd.op(derivatives=lambda out, x, y: (y,), name="mul2")(lambda x, y: x * y)
    with pytest.raises(ValueError, match=r"'mul2': derivatives returned 1 partial derivative for "
                                         r"2 inputs.*\(d_x0, d_x1\)"):
        grad(grad(wrong))(1.0, 2.0)


def test_wrong_partials_in_gradcheck_is_a_gradcheck_error_naming_the_op():
    wrong = autograd.op(derivatives=lambda out, x: (), name="nothing")(lambda x: x)
    with pytest.raises(autograd.GradcheckError,
                       match=r"(?s)backward pass raised ValueError.*custom op 'nothing': derivatives "
                             r"returned 0 partial derivatives for 1 input"):
        gradcheck(wrong, [1.0])


def test_non_number_partial_is_a_clear_error():
    wrong = autograd.op(derivatives=lambda out, x: ("1",), name="text")(lambda x: x)
    with pytest.raises(TypeError, match=r"custom op 'text': derivatives returned str '1' as the "
                                        r"partial derivative for input 0"):
        wrong(Value(1.0)).backward()
    wrong = autograd.op(derivatives=lambda out, x: ([1.0],), name="listed")(lambda x: x)
    with pytest.raises(TypeError, match="custom op 'listed'.*list.*a number, a Value, or None"):
        grad(wrong)(1.0)


def test_forward_must_return_a_number():
    wrong = autograd.op(derivatives=lambda out, x: (1.0,), name="pair")(lambda x: (x, x))
    with pytest.raises(TypeError, match=r"custom op 'pair': forward returned tuple.*one number"):
        wrong(Value(1.0))
    with pytest.raises(TypeError, match="custom op 'pair'"):
        wrong(1.0)
    leaky = autograd.op(derivatives=lambda out, x: (1.0,), name="leaky")(lambda x: Value(x))
    with pytest.raises(TypeError, match="return a number, not a Value"):
        leaky(Value(1.0))


def test_forgetting_the_out_argument_is_caught_when_the_op_is_defined():
    with pytest.raises(TypeError, match=r"custom op 'cube': forward takes 1 input, so derivatives "
                                        r"must take 2 arguments \(out, then the same inputs"):
        @autograd.op(derivatives=lambda x: (3 * x * x,))
        def cube(x):
            return x ** 3


def test_derivatives_that_only_work_on_floats_get_a_hint_under_create_graph():
    wrong = autograd.op(derivatives=lambda out, x: (divmod(x, 7.0)[1],), name="modulo")(lambda x: x)
    x = Value(1.0)
    wrong(x).backward()  # fine on floats
    with pytest.raises(TypeError, match=r"custom op 'modulo': its derivatives function failed on "
                                        r"Values.*autograd functions"):
        grad(grad(wrong))(1.0)


def test_bad_decorator_arguments():
    with pytest.raises(TypeError, match="needs a function derivatives"):
        autograd.op(derivatives=2.0)
    with pytest.raises(TypeError, match="name must be a string"):
        autograd.op(derivatives=lambda out, x: (1.0,), name=3)
    with pytest.raises(TypeError, match="decorates a forward function"):
        autograd.op(derivatives=lambda out, x: (1.0,))(5)


def test_calling_an_op_made_by_a_bare_decorator_is_explained():
    # `@autograd.op` without (derivatives=...) takes the forward itself as the derivatives
    @autograd.op
    def softplus(x):
        return math.log1p(math.exp(x))

    @autograd.op
    def hypot(x, y):
        return math.hypot(x, y)

    for call in (lambda: softplus(Value(0.5)), lambda: softplus(0.5), lambda: hypot(3.0, 4.0)):
        with pytest.raises(TypeError, match=r"(?s)bare @autograd.op.*"
                                            r"@autograd.op\(derivatives=lambda out, x: \(d_x,\)\)"):
            call()


# A partial of None means "no gradient flows to this input here": PyTorch masks like this (relu at
# x <= 0), so an inf from above gives 0, not 0 * inf = nan. A partial of 0.0 multiplies as usual.
@autograd.op(derivatives=lambda out, x: (None if x <= 0 else 1.0,))
def masked_relu(x):
    return max(x, 0.0)


@autograd.op(derivatives=lambda out, x: (0.0 if x <= 0 else 1.0,))
def multiplied_relu(x):
    return max(x, 0.0)


@pytest.mark.parametrize("create_graph", [False, True])
def test_a_none_partial_passes_no_gradient_even_an_infinite_one(create_graph):
    x = Value(-1.0)
    masked_relu(x).sqrt().backward(create_graph=create_graph)  # d sqrt/dx at 0 is inf
    assert float(x.grad) == 0.0
    y = Value(-1.0)
    multiplied_relu(y).sqrt().backward(create_graph=create_graph)
    assert math.isnan(float(y.grad))
    z = Value(2.0)
    masked_relu(z).backward(create_graph=create_graph)
    assert float(z.grad) == 1.0


def test_explain_shows_a_none_partial_as_zero():
    x = Value(-1.0, label="x")
    steps = autograd.explain(masked_relu(x).sqrt(), print_steps=False)
    assert steps[-1].node is x and steps[-1].grad == 0.0
