"""backward(gradient=...) and Value.register_hook, against torch 2.13.0 (float64) numbers.

The reference numbers were computed with /work/torchenv/bin/python (torch 2.13.0), running the
same expressions on float64 tensors with requires_grad=True.
"""
import gc
import math

import pytest

import autograd
from autograd import Value


def test_backward_seeds_the_output_with_the_given_gradient():
    x = Value(1.5)
    x.exp().backward(2.0)
    assert x.grad == 8.963378140676129  # torch: 2 * e^1.5
    y = Value(3.0)
    (y * y).backward(gradient=-0.5)
    assert y.grad == -3.0
    leaf = Value(4.0)
    leaf.backward(gradient=2.5)
    leaf.backward(gradient=2.5)
    assert leaf.grad == 5.0  # a leaf output accumulates its seeds


def test_a_value_seed_with_create_graph_is_differentiable():
    x, s = Value(2.0), Value(3.0)
    (x * x).backward(gradient=s, create_graph=True)  # x.grad = s * 2x
    g = x.grad
    assert g.data == 12.0
    x.grad = s.grad = 0.0
    g.backward()
    assert s.grad == 4.0 and x.grad == 6.0  # d/ds (2 s x) = 2x, d/dx = 2s


def test_a_seed_that_is_not_a_number_is_a_clear_error():
    with pytest.raises(TypeError, match="backward.gradient=.... is the seed"):
        (Value(1.0) * 2).backward(gradient="1")


def test_hooks_see_each_gradient_and_may_replace_it():
    x = Value(2.0)
    y = x * x
    seen = []
    handle = y.register_hook(lambda g: (seen.append(g), g * 3)[1])
    z = y * y + y
    z.backward(0.5)
    assert seen == [4.5] and x.grad == 54.0  # torch: [4.5], 54.0
    assert y.grad == 13.5  # the replacement is what y passed on
    handle.remove()
    handle.remove()  # twice: nothing happens
    x.grad = 0.0
    ((x * x) * 2.0).backward()
    assert x.grad == 8.0 and seen == [4.5]


def test_a_leafs_hook_gets_each_passes_gradient_before_it_is_added():
    w = Value(3.0)
    calls = []
    w.register_hook(lambda g: (calls.append(g), g + 1)[1])
    (w * w * 2).backward()
    assert calls == [12.0] and w.grad == 13.0  # torch: [12.0], 13.0
    (w * 5).backward()
    assert calls == [12.0, 5.0] and w.grad == 19.0  # torch: [12.0, 5.0], 19.0


def test_the_outputs_hook_gets_the_seed():
    a = Value(1.5)
    r = a.exp()
    seeds = []
    r.register_hook(seeds.append)
    r.backward(2.0)
    assert seeds == [2.0] and a.grad == 8.963378140676129  # torch


def test_hooks_outside_the_graph_are_not_called_and_none_changes_no_bit():
    unused = Value(7.0)
    other = unused * 2
    calls = []
    unused.register_hook(calls.append)
    other.register_hook(calls.append)
    results = []
    for hooked in (True, False):
        x = Value(0.3)
        h = x.tanh()
        if hooked:
            h.register_hook(lambda g: None)
            x.register_hook(lambda g: None)
        (autograd.dot([x, h], [h.sin(), x], x) * h.relu()).backward()
        results.append((x.grad, h.grad))
    assert calls == [] and results[0] == results[1]


def test_hooks_in_a_create_graph_pass_receive_values():
    x = Value(2.0)
    y = x * x
    got = []
    y.register_hook(lambda g: got.append(g))
    (y * y).backward(create_graph=True)
    assert isinstance(got[0], Value) and got[0].data == 8.0


def test_a_hook_lives_as_long_as_its_value():
    x = Value(1.0)
    y = x * 2
    y.register_hook(lambda g: None)
    hooked = len(autograd.value._HOOKS)
    del y
    gc.collect()
    assert len(autograd.value._HOOKS) == hooked - 1
    with pytest.raises(TypeError, match="register_hook needs a function"):
        x.register_hook(3)
