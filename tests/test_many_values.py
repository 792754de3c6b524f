"""autograd.get_data / set_data: many Values' numbers read and written in one pass, checked as
`.data` is (what the optimizers and fit use on every step)."""
import numpy as np
import pytest

import autograd
from autograd import Value


def test_get_data_reads_the_numbers_in_order():
    values = [Value(1.5), Value(-0.0), Value(float("inf"))]
    got = autograd.get_data(values)
    assert got == [1.5, 0.0, float("inf")] and str(got[1]) == "-0.0"
    assert autograd.get_data(v for v in values) == got  # any iterable
    assert autograd.get_data([]) == []


def test_get_data_names_an_item_that_is_no_value():
    with pytest.raises(TypeError, match=r"get_data: item 1 is a float, not a Value: 2\.0"):
        autograd.get_data([Value(1.0), 2.0])


def test_set_data_writes_every_number_as_data_assignment_would():
    values = [Value(0.0) for _ in range(4)]
    autograd.set_data(values, [1.5, 2, True, np.float32(0.25)])
    assert [v.data for v in values] == [1.5, 2.0, 1.0, 0.25]
    assert all(type(v.data) is float for v in values)
    autograd.set_data(values, (x for x in [4.0, 3.0, 2.0, 1.0]))
    assert [v.data for v in values] == [4.0, 3.0, 2.0, 1.0]


def test_set_data_refuses_a_bad_number_and_changes_nothing():
    values = [Value(1.0), Value(2.0), Value(3.0)]
    with pytest.raises(TypeError, match=r"set_data: number 2: .*str"):
        autograd.set_data(values, [5.0, 6.0, "7"])
    with pytest.raises(OverflowError, match=r"set_data: number 0: .*too large"):
        autograd.set_data(values, [10 ** 400, 6.0, 7.0])
    assert [v.data for v in values] == [1.0, 2.0, 3.0]


def test_set_data_refuses_other_lengths_and_items_that_are_no_values():
    with pytest.raises(ValueError, match="2 Values but 3 numbers"):
        autograd.set_data([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])

    class Holder:  # an object that would silently take any attribute
        pass

    holder = Holder()
    with pytest.raises(TypeError, match=r"set_data: item 1 is a Holder, not a Value"):
        autograd.set_data([Value(1.0), holder], [1.0, 2.0])
    assert not hasattr(holder, "_data")
