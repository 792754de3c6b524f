"""The Value node itself: construction, accepted and rejected inputs, printing, comparisons."""
import math
from fractions import Fraction

import numpy as np
import pytest

from autograd import Value


@pytest.mark.parametrize("number, expected", [
    (2, 2.0), (2.5, 2.5), (-0.0, -0.0), (True, 1.0), (np.float32(1.5), 1.5),
    (np.float64(-3.25), -3.25), (np.int64(3), 3.0), (np.int8(-4), -4.0), (Fraction(1, 4), 0.25),
    (math.inf, math.inf),
])
def test_accepts_real_numbers_and_stores_a_python_float(number, expected):
    v = Value(number)
    assert type(v.data) is float
    assert v.data == expected
    assert v.grad == 0.0 and v.is_leaf and v.parents == () and v.op is None


@pytest.mark.parametrize("bad, named", [
    ("1.0", "str"), (None, "NoneType"), ([1.0], "list"), ((1.0,), "tuple"), (1 + 2j, "complex"),
    (np.array([1.0]), "ndarray"), ({"x": 1}, "dict"), (np.complex128(1), "complex128"),
])
def test_rejects_anything_else_with_a_type_error_naming_the_type(bad, named):
    with pytest.raises(TypeError, match=named):
        Value(bad)


def test_error_messages_say_what_to_do():
    with pytest.raises(TypeError, match=r"array\.item\(\)"):
        Value(np.array([1.0]))
    with pytest.raises(TypeError, match="one Value per element"):
        Value([1.0, 2.0])
    with pytest.raises(TypeError, match=r"\.data"):
        Value(Value(1.0))
    with pytest.raises(OverflowError, match="too large"):
        Value(10 ** 400)


def test_ops_reject_non_numbers_too():
    with pytest.raises(TypeError, match="str"):
        Value(1.0) + "2"
    with pytest.raises(TypeError, match="NoneType"):
        None * Value(1.0)


def test_repr_float_and_format():
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    assert repr(Value(2, label="x")) == "Value(data=2.0, grad=0.0, label='x')"
    assert float(Value(-1.5)) == -1.5
    assert f"{Value(2 / 3):.3f}" == "0.667"
    assert f"{Value(1.0)}" == "Value(data=1.0, grad=0.0)"


def test_comparisons_use_the_numbers_but_equality_and_hash_use_identity():
    a, b = Value(1.0), Value(1.0)
    assert a < 2 and a <= b and b >= a and not a > b and Value(3) > a
    assert a != b and a == a
    assert len({a, b}) == 2
    assert {a: "a"}[a] == "a"
    assert sorted([Value(3), Value(1), Value(2)])[0].data == 1.0


def test_label_is_free_text():
    v = Value(1.0, label='weird "label" {with} <html> | and \\ newline\n')
    assert v.label.endswith("newline\n")
    v.label = "renamed"
    assert v.label == "renamed"


def test_nodes_record_parents_and_op():
    a, b = Value(2.0), Value(3.0)
    c = a * b
    assert c.parents == (a, b) and c.op.name == "*" and not c.is_leaf
    d = c.tanh()
    assert d.parents == (c,) and d.op.name == "tanh"
    e = a * 2  # a number becomes a constant leaf
    assert e.parents[0] is a and e.parents[1].data == 2.0 and e.parents[1].is_leaf


def test_values_are_slotted():
    with pytest.raises(AttributeError):
        Value(1.0).something = 1
