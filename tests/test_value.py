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


def test_an_integer_too_large_for_a_float_is_refused_in_a_short_message():
    # Value(10**5000) raised Python's "Exceeds the limit (4300 digits)" from inside the message
    # that tried to print the number; Value(10**400)'s message was 453 characters, mostly digits
    for number, digits in [(10 ** 5000, 5001), (10 ** 400, 401), (-(10 ** 400), 401),
                           (2 ** 1024, 309)]:
        with pytest.raises(OverflowError) as error:
            Value(number)
        message = str(error.value)
        assert f"integer of {digits} digits is too large for a float" in message
        assert ("negative" in message) == (number < 0)
        assert len(message) < 130 and "0000" not in message
    assert Value(2 ** 1023).data == 2.0 ** 1023  # what fits is converted
    with pytest.raises(OverflowError, match="an integer of 401 digits"):
        Value(1.0) * 10 ** 400
    with pytest.raises(OverflowError, match="an integer of 5001 digits"):
        Value(2.0) ** 10 ** 5000
    with pytest.raises(OverflowError, match="an integer of 5001 digits"):
        10 ** 5000 - Value(2.0)


def test_a_long_repr_in_an_error_is_cut_short():
    with pytest.raises(TypeError) as error:
        Value("1" * 1000)
    assert len(str(error.value)) < 200 and "..." in str(error.value)


@pytest.mark.parametrize("true, false", [(True, False), (np.True_, np.False_),
                                         (np.bool_(True), np.bool_(False))])
def test_numpy_bools_are_numbers_as_python_bools_are_on_both_sides(true, false):
    # Value(1.5) * np.True_ raised a TypeError whose hint was about arrays
    x = Value(1.5)
    assert Value(true).data == 1.0 and Value(false).data == 0.0 and type(Value(true).data) is float
    for result, expected in [(x * true, 1.5), (true * x, 1.5), (x + true, 2.5), (true + x, 2.5),
                             (x - false, 1.5), (false - x, -1.5), (x / true, 1.5),
                             (x ** true, 1.5), (true ** x, 1.0)]:
        assert isinstance(result, Value) and result.data == expected
    y = Value(3.0)
    (y * true + false * y).backward()
    assert y.grad == 1.0
    assert Value(1.0) == true and true == Value(1.0) and Value(0.0) != true
    assert Value(0.5) < true and Value(0.0) >= false


@pytest.mark.parametrize("bad, named", [("3", "str"), (None, "NoneType"), ([1.0], "list"),
                                        (Value(1.0), "Value"), (np.array([1.0, 2.0]), "ndarray")])
def test_assigning_a_non_number_to_data_is_refused_at_once_naming_the_value(bad, named):
    # v.data = "3" was accepted; the failure showed only at the next op, far away
    w = Value(2.0, label="w")
    with pytest.raises(TypeError, match=rf"cannot set \.data of Value\(data=2\.0, grad=0\.0, "
                                        rf"label='w'\) to {named}: "):
        w.data = bad
    assert w.data == 2.0 and type(w.data) is float


def test_assigning_a_number_to_data_stores_a_float():
    v = Value(0.0)
    for number, expected in [(3, 3.0), (np.float32(0.5), 0.5), (np.int64(-2), -2.0),
                             (np.True_, 1.0), (False, 0.0), (Fraction(1, 4), 0.25), (-0.0, -0.0)]:
        v.data = number
        assert type(v.data) is float and v.data == expected
    v.data -= 0.5  # the optimizers' update
    assert v.data == -0.5
    with pytest.raises(OverflowError, match=r"cannot set \.data of Value\(data=-0\.5, .*\) to "
                                            r"int: an integer of 401 digits is too large"):
        v.data = 10 ** 400


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


def test_comparisons_and_equality_use_the_numbers_as_floats_do():
    a, b = Value(1.0), Value(1.0)
    assert a < 2 and a <= b and b >= a and not a > b and Value(3) > a
    assert a == b and a == 1 and 1.0 == a and a == True and not (a != b)  # noqa: E712
    assert a != Value(2.0) and a != 2 and 2 != a
    assert (a == b) is True and (a != 2) is True  # plain bools, not Values
    nan = Value(math.nan)
    assert nan != nan and not (nan == nan) and nan != math.nan  # IEEE, as floats
    assert Value(0.0) == Value(-0.0) and Value(math.inf) == math.inf
    assert Value(1.0) == np.float64(1.0) and Value(0.5) == Fraction(1, 2)
    # anything that is not a number is simply unequal, as for a float (no TypeError)
    assert a != "1.0" and a != None and a != [1.0] and not (a == (1.0,))  # noqa: E711
    assert sorted([Value(3), Value(1), Value(2)])[0].data == 1.0


def test_equality_makes_branches_in_differentiated_functions_take_the_float_branch():
    import autograd
    # HIPS autograd's test_comparison_values: f on floats and under value_and_grad agree
    y = 2.0
    f = lambda x: (x == y) + 0.0  # noqa: E731
    with pytest.warns(UserWarning, match="plain number"):  # a bool + 0.0 is a constant
        assert f(2.0) == 1.0 and autograd.value_and_grad(f)(2.0)[0] == 1.0
    g = lambda x: x * x if x == 0 else x * 3.0  # noqa: E731
    assert autograd.grad(g)(0.0) == 0.0 and autograd.grad(g)(1.0) == 3.0


def test_hash_stays_by_identity_so_equal_numbers_are_distinct_keys():
    a, b = Value(1.0), Value(1.0)
    assert hash(a) != hash(b) and hash(a) == object.__hash__(a)
    assert len({a, b}) == 2 and {a: "a", b: "b"}[a] == "a"
    many = [Value(0.0) for _ in range(2000)]
    assert len(set(many)) == 2000
    table = {v: i for i, v in enumerate(many)}
    assert [table[v] for v in many] == list(range(2000))
    assert Value(0.0) not in table and Value(0.0) not in set(many)  # a new node, not an equal one
    # lists compare with ==, as for torch's tensors: `in` on a list means "an equal number"
    assert Value(0.0) in many and many.index(many[7]) == 0


def test_dicts_and_sets_never_call_eq_between_distinct_values(monkeypatch):
    # A dict calls __eq__ only for keys whose full hashes are equal; identity hashes of distinct
    # live Values never are. So graph traversal keyed on Values cannot confuse equal numbers.
    calls = []
    original = Value.__eq__
    monkeypatch.setattr(Value, "__eq__", lambda self, other: calls.append(1) or original(self, other))
    import autograd
    x = Value(0.0)
    nodes = [x]
    for _ in range(300):  # every node holds 0.0 (tanh(0) = 0 and 0 * 0 = 0)
        nodes.append(nodes[-1].tanh() * nodes[len(nodes) // 2])
    order = autograd.topological_order(nodes[-1])
    assert len(order) == len({id(v) for v in order}) == 601
    nodes[-1].backward()
    assert {v: True for v in nodes} and len(set(order) | set(nodes)) == 601 and not calls


def test_truth_is_the_numbers_as_torch():
    # torch 2.13.0: bool(torch.tensor(0.0)) False, bool(torch.tensor(-0.0)) False,
    # bool(torch.tensor(nan)) True
    assert not Value(0.0) and not Value(-0.0) and Value(1e-300) and Value(-2.0)
    assert Value(math.nan) and Value(math.inf)
    assert bool(Value(5e-324)) is True and bool(Value(0.0)) is False


def test_conversions_work_on_the_number():
    assert int(Value(-2.7)) == -2 and type(int(Value(2.7))) is int
    assert round(Value(2.5)) == 2 and round(Value(3.5)) == 4 and type(round(Value(2.5))) is int
    assert round(Value(2.567), 2) == 2.57 and type(round(Value(2.5), 0)) is float
    assert round(Value(2.675), 2) == round(2.675, 2) == 2.67  # float rounding, not decimal
    assert math.floor(Value(-2.5)) == -3 and math.ceil(Value(-2.5)) == -2
    assert math.trunc(Value(-2.5)) == -2 and math.trunc(Value(2.5)) == 2
    assert math.floor(Value(3.0)) == 3 and type(math.ceil(Value(0.1))) is int
    assert "%d" % Value(2.7) == "2" and complex(Value(1.5)) == 1.5 + 0j
    # the errors of float, as torch: int(torch.tensor(inf)) raises OverflowError, nan ValueError
    with pytest.raises(OverflowError, match="infinity"):
        int(Value(math.inf))
    with pytest.raises(ValueError, match="NaN"):
        math.floor(Value(math.nan))


@pytest.mark.parametrize("use", [
    lambda v: [1, 2][v], lambda v: range(v), lambda v: "abc"[v:], lambda v: hex(v),
    lambda v: __import__("operator").index(v),
])
def test_a_value_is_no_index_as_torch_float_tensors(use):
    # torch 2.13.0: [1, 2][torch.tensor(1.)] raises TypeError "only integer tensors of a single
    # element can be converted to an index"
    with pytest.raises(TypeError, match=r"cannot be used as an index.*int\(v\)"):
        use(Value(1.0))


def test_item_and_detach():
    import autograd
    x = Value(3.0, label="x")
    assert x.item() == 3.0 and type(Value(2).item()) is float
    y = (x * 2).tanh()
    d = y.detach()
    assert d is not y and d.data == y.data and d.is_leaf and d.op is None
    assert d.grad is None and not d.requires_grad  # torch: x.detach().requires_grad is False
    assert x.detach().label == "x"
    # gradients stop at the detached copy: d/dx (x * detach(x)) = detach(x) = 3, not 2x = 6
    d = x.detach()
    (x * d).backward()
    assert x.grad == 3.0 and d.grad is None
    assert autograd.grad(lambda t: t * t.detach())(5.0) == 5.0


def test_label_is_free_text():
    v = Value(1.0, label='weird "label" {with} <html> | and \\ newline\n')
    assert v.label.endswith("newline\n")
    v.label = "renamed"
    assert v.label == "renamed"


def test_nodes_record_parents_and_op():
    a, b = Value(2.0), Value(3.0)
    c = a * b
    assert len(c.parents) == 2 and c.parents[0] is a and c.parents[1] is b
    assert c.op.name == "*" and not c.is_leaf
    d = c.tanh()
    assert len(d.parents) == 1 and d.parents[0] is c and d.op.name == "tanh"
    e = a * 2  # a number becomes a constant leaf
    assert e.parents[0] is a and e.parents[1].data == 2.0 and e.parents[1].is_leaf


def test_values_are_slotted():
    with pytest.raises(AttributeError):
        Value(1.0).something = 1
