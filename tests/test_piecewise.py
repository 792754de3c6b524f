"""sign, floor, ceil, round, trunc, clamp, maximum, minimum, % and //: values, the zero gradient of
the step functions (even under an inf gradient from above), the tie rules, and first and second
derivatives against central differences (gradcheck, gradgradcheck) away from the jumps. The edges
against PyTorch are in test_torch_reference.py."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value
from derivative_checks import assert_derivatives

inf, nan = math.inf, math.nan
STEPS = [autograd.sign, autograd.floor, autograd.ceil, autograd.round, autograd.trunc,
         lambda x: autograd.round(x, 1), lambda x: autograd.floor_divide(x, 0.7),
         lambda x: autograd.floor_divide(2.0, x)]


@pytest.mark.parametrize("f", STEPS)
def test_steps_have_zero_derivatives_between_their_jumps(f):
    for x in (-2.33, -0.62, 0.31, 1.22, 3.71):
        assert_derivatives(f, [x], first=[0.0], second=[[0.0]])


@pytest.mark.parametrize("f", STEPS)
def test_steps_pass_no_gradient_even_an_infinite_one(f):
    # PyTorch's backward of floor & co. is zeros, not 0 * incoming: inf or nan from above stays out
    for seed in (inf, nan):
        x = Value(1.3)
        (f(x) * seed).backward()
        assert x.grad == 0.0


def test_rounding_values():
    xs = [-2.5, -1.5, -0.5, -0.4, 0.4, 0.5, 1.5, 2.5, 2.6]
    assert [autograd.floor(x) for x in xs] == [-3, -2, -1, -1, 0, 0, 1, 2, 2]
    assert [autograd.ceil(x) for x in xs] == [-2, -1, -0.0, -0.0, 1, 1, 2, 3, 3]
    assert [autograd.trunc(x) for x in xs] == [-2, -1, 0, 0, 0, 0, 1, 2, 2]
    assert [autograd.round(x) for x in xs] == [-2, -2, 0, 0, 0, 0, 2, 2, 3]  # halves to even
    assert [autograd.sign(x) for x in (-3.0, -0.0, 0.0, 2.0, nan, -inf)] == [-1, 0, 0, 1, 0, -1]
    assert math.copysign(1, autograd.ceil(-0.5)) == -1 and math.copysign(1, autograd.floor(-0.0)) == -1
    assert autograd.round(1.2345, 2) == 1.23 and autograd.round(1250.0, -2) == 1200.0
    assert autograd.round(2.675, 2) == 2.68  # torch.round's formula; Python's round gives 2.67
    assert autograd.floor(inf) == inf and math.isnan(autograd.round(nan, 3))
    assert autograd.floor(2.0 ** 60 + 0.5) == 2.0 ** 60


def test_round_checks_decimals():
    with pytest.raises(TypeError, match="decimals must be an int"):
        autograd.round(Value(1.0), 1.5)
    assert autograd.round(Value(1.26), decimals=1).op is autograd.round(Value(7.0), 1).op  # cached


def test_clamp_values_and_gradients():
    assert [autograd.clamp(x, -1.0, 2.0) for x in (-3.0, -1.0, 0.5, 2.0, 5.0)] == [-1, -1, 0.5, 2, 2]
    assert autograd.clamp(-3, min=0) == 0.0 and autograd.clamp(3, max=0) == 0.0
    assert autograd.clamp(0.5, 2.0, 1.0) == 1.0  # bounds crossed: max wins, as in torch
    # inside and on the bounds the gradient passes; outside none
    for x0, expected in ((-3.0, 0.0), (-1.0, 1.0), (0.5, 1.0), (2.0, 1.0), (5.0, 0.0)):
        assert autograd.grad(lambda x: autograd.clamp(x, -1.0, 2.0) * 3.0)(x0) == 3.0 * expected
    assert_derivatives(lambda x: autograd.clamp(x * x, 0.0, 4.0), [1.5], 2.25, [3.0], [[2.0]])
    assert_derivatives(lambda x: autograd.clamp(x * x, 0.0, 4.0), [2.5], 4.0, [0.0], [[0.0]])


def test_clamp_with_value_bounds_sends_the_gradient_to_the_chosen_bound():
    grad = autograd.grad(autograd.clamp, (0, 1, 2))
    assert grad(-1.0, 0.0, 1.0) == (0.0, 1.0, 0.0)
    assert grad(0.5, 0.0, 1.0) == (1.0, 0.0, 0.0)
    assert grad(2.0, 0.0, 1.0) == (0.0, 0.0, 1.0)
    assert grad(0.5, 2.0, 1.0) == (0.0, 0.0, 1.0)  # crossed bounds: the output is max
    low, high = Value(-1.0), Value(1.0)
    assert autograd.clamp(Value(3.0), min=low).op.name == "clamp_min"
    assert autograd.clamp(3.0, max=high).op.name == "clamp_max"
    assert_derivatives(lambda x, lo: autograd.clamp(x, lo * lo), [0.2, 0.7], 0.49, [0.0, 1.4],
                       [[0.0, 0.0], [0.0, 2.0]])
    assert_derivatives(lambda x, hi: autograd.clamp(x * x, max=hi), [0.5, 3.0], 0.25, [1.0, 0.0],
                       [[2.0, 0.0], [0.0, 0.0]])


def test_clamp_needs_a_bound():
    with pytest.raises(ValueError, match="min or max"):
        autograd.clamp(Value(1.0))
    with pytest.raises(TypeError, match="real number"):
        autograd.clamp(Value(1.0), "0")


@pytest.mark.parametrize("f, larger", [(autograd.maximum, True), (autograd.minimum, False)])
def test_maximum_and_minimum(f, larger):
    grad = autograd.grad(f, (0, 1))
    assert f(1.0, 2.0) == (2.0 if larger else 1.0) and math.isnan(f(nan, 1.0))
    assert grad(1.0, 2.0) == ((0.0, 1.0) if larger else (1.0, 0.0))
    assert grad(3.0, 3.0) == (0.5, 0.5)  # a tie splits the gradient evenly, as torch
    assert grad(nan, 3.0) == (1.0, 1.0)  # nan: both get it, as torch
    # second order through the chosen input: max(x^2, y) at x = 2, y = 1 is x^2
    expected = [[2.0, 0.0], [0.0, 0.0]] if larger else [[0.0, 0.0], [0.0, 0.0]]
    assert_derivatives(lambda x, y: f(x * x, y), [2.0, 1.0], 4.0 if larger else 1.0,
                       [4.0, 0.0] if larger else [0.0, 1.0], expected)
    assert_derivatives(lambda x, y: f(x * y, y * y), [0.5, 3.0])


def test_remainder_and_floor_divide_follow_python():
    for a, b in ((7.0, 2.0), (-7.0, 2.0), (7.0, -2.0), (-7.0, -2.0), (5.5, 1.5), (1.0, 0.1)):
        assert autograd.remainder(a, b) == a % b and autograd.floor_divide(a, b) == a // b
        assert (Value(a) % b).data == a % b == (a % Value(b)).data
        assert (Value(a) // b).data == a // b == (a // Value(b)).data
    assert autograd.floor_divide(1.0, 0.0) == inf and math.isnan(autograd.remainder(1.0, 0.0))
    assert math.copysign(1, autograd.remainder(-4.0, 2.0)) == -1  # torch's sign; Python gives 0.0


@settings(max_examples=200, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(-1e3, 1e3).filter(lambda b: b != 0))
def test_remainder_and_floor_divide_equal_pythons_on_any_numbers(a, b):
    assert autograd.remainder(a, b) == a % b
    assert autograd.floor_divide(a, b) == a // b


def test_remainder_derivatives():
    # a % b = a - b floor(a / b): d/da = 1, d/db = -floor(a / b), flat in second order
    for a, b in ((7.3, 2.0), (-7.3, 2.0), (7.3, -2.0), (0.4, 3.0)):
        assert_derivatives(autograd.remainder, [a, b], a % b, [1.0, -(a // b)],
                           [[0.0, 0.0], [0.0, 0.0]])
    assert_derivatives(lambda x: (x * x) % 1.0, [1.3], 1.69 % 1.0, [2.6], [[2.0]])
    assert_derivatives(lambda x: 5.0 % x, [1.5], 0.5, [-3.0], [[0.0]])


def test_methods_and_operators():
    x, y = Value(-1.7), Value(0.6)
    for name in ("sign", "floor", "ceil", "trunc"):
        assert getattr(x, name)().data == getattr(autograd, name)(-1.7)
    assert x.round().data == -2.0 and x.round(1).data == -1.7 and x.clamp(-1, 1).data == -1.0
    assert x.maximum(y).data == 0.6 and x.minimum(0.0).data == -1.7
    assert x.remainder(y).data == (x % y).data == -1.7 % 0.6
    assert x.floor_divide(y).data == (x // y).data == -1.7 // 0.6
    assert (x % y).op.name == "%" and (x // y).op.name == "//"
    assert (3 % y).data == 3 % 0.6 and (3 // y).data == 3 // 0.6
    assert "torch.clamp" in Value.clamp.__doc__ and "torch.round" in Value.round.__doc__
    assert Value.clamp.__name__ == "clamp" and Value.round.__qualname__ == "Value.round"  # help(Value)


def test_explanations_write_percent_and_floor_division_between_their_inputs():
    x, y = Value(7.0, label="x"), Value(2.0, label="y")
    text = str(autograd.explain((x % y) * (x // y)))
    assert "dL/d(x%y) = " in text and "dL/d(x//y) = " in text
    assert "dL/dy = dL/d(x%y) · ∂(x%y)/∂y + dL/d(x//y) · ∂(x//y)/∂y = 3.0 · (−3.0)" in text
