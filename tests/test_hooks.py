"""backward(gradient=...) and Value.register_hook, against torch 2.13.0 (float64) numbers.

The reference numbers were computed with /work/torchenv/bin/python (torch 2.13.0), running the
same expressions on float64 tensors with requires_grad=True, e.g. a hook on each of x, y, z of
`x_y_z()` appending what it is called with to a log, then `z.backward()`.
"""
import gc
import math

import numpy as np
import pytest

import autograd
from autograd import Value
from autograd.core.hooks import HOOKS as _HOOKS


@pytest.fixture(autouse=True)
def no_hooks_left():
    """Each test starts and ends with no hook anywhere: a leftover sends later backward passes down
    the hooked path."""
    _HOOKS.clear()
    yield
    _HOOKS.clear()


def logger(log, name, replace=None):
    def hook(g):
        log.append((name, g))
        return None if replace is None else replace(g)
    return hook


def x_y_z():
    """x = 2, y = 3x, z = y * y: the reference graph of several tests (dz/dy 12, dz/dx 36)."""
    x = Value(2.0)
    y = x * 3
    return x, y, y * y


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
    hooked = len(autograd.core.hooks.HOOKS)
    del y
    gc.collect()
    assert len(autograd.core.hooks.HOOKS) == hooked - 1
    with pytest.raises(TypeError, match="register_hook needs a function"):
        x.register_hook(3)


# -- backward(gradient=...): what a seed may be -----------------------------------------------------
@pytest.mark.parametrize("seed", [3.0, 3, np.float64(3.0), np.int32(3), Value(3.0)])
def test_the_seed_multiplies_every_gradient(seed):
    x = Value(2.0)
    (x * x).backward(seed)
    assert x.grad == 12.0 and type(x.grad) is float  # torch: y.backward(tensor(3.)) -> 12.


def test_the_seed_flows_through_a_whole_graph_as_a_factor():
    xs = [Value(v) for v in (0.3, -1.2, 2.0)]
    def f():
        return (xs[0] * xs[1]).tanh() + xs[2].exp() * xs[0] - xs[1] ** 2
    f().backward()
    plain = [x.grad for x in xs]
    for x in xs:
        x.grad = 0.0
    f().backward(gradient=-4.0)  # a power of two: exactly -4 times each gradient
    assert [x.grad for x in xs] == [-4.0 * g for g in plain]


def test_none_is_one_and_a_zero_or_infinite_seed_is_used_as_it_is():
    x = Value(2.0)
    (x * x).backward(None)  # torch: y.backward(None) on one number seeds 1
    assert x.grad == 4.0
    x.grad = 0.0
    (x * x).backward(gradient=0.0)
    assert x.grad == 0.0
    x.grad = 0.0
    (x * x).backward(gradient=-math.inf)
    assert x.grad == -math.inf


def test_a_number_seed_under_create_graph_scales_second_derivatives():
    x = Value(2.0)
    (x ** 3).backward(gradient=2.0, create_graph=True)  # 2 * 3x^2 = 24
    dx = x.grad
    assert dx.data == 24.0
    x.grad = 0.0
    dx.backward()  # 2 * 6x = 24
    assert x.grad == 24.0


def test_a_leaf_seeded_with_a_value_under_create_graph():
    x, v = Value(2.0), Value(3.0)
    x.backward(v, create_graph=True)
    assert x.grad.data == 3.0  # torch: tensor(3.) with a grad_fn
    x.grad.backward()
    assert v.grad == 1.0


@pytest.mark.parametrize("bad", ["1.0", [1.0], 1j, np.array([1.0]), object()])
def test_a_seed_that_is_not_a_number_is_a_clear_type_error(bad):
    x = Value(2.0)
    with pytest.raises(TypeError, match=r"backward\(gradient=\.\.\.\) is the seed.*a number"):
        (x * x).backward(bad)
    assert x.grad == 0.0


@pytest.mark.parametrize("flag", [True, False])
def test_a_bool_seed_is_refused_as_the_old_positional_create_graph(flag):
    x = Value(2.0)
    with pytest.raises(TypeError, match=r"not a bool.*backward\(create_graph=True\)"):
        (x * 3).backward(flag)
    assert x.grad == 0.0


# -- hooks: when they are called, in what order, with what -------------------------------------------
@pytest.mark.parametrize("create_graph", [False, True])
def test_hooks_are_called_once_per_node_in_backward_order_with_its_gradient(create_graph):
    log = []
    x, y, z = x_y_z()
    for v, name in ((x, "x"), (y, "y"), (z, "z")):
        v.register_hook(logger(log, name))
    z.backward(create_graph=create_graph)
    # torch: [('z', 1.0), ('y', 12.0), ('x', 36.0)]
    assert [(n, float(g)) for n, g in log] == [("z", 1.0), ("y", 12.0), ("x", 36.0)]
    if create_graph:
        assert all(isinstance(g, Value) for n, g in log[1:])


def test_the_leaves_of_a_sum_are_called_in_torchs_order():
    # torch: six hooked leaves x0..x5, sum(xs).backward() (Python's sum: ((0 + x0) + x1) + ...) calls
    # them 5, 4, 3, 2, 1, 0: each leaf's hooks run as soon as its gradient is complete. Within one
    # node torch has no fixed order (torch.stack(xs).sum() gave 0, 2, 5, 4, 1, 3); here it is the
    # order of the node's inputs. a * b + c: torch calls c, a, b.
    xs = [Value(float(i)) for i in range(6)]
    log = []
    for i, x in enumerate(xs):
        x.register_hook(lambda g, i=i: log.append(i))
    sum(xs).backward()
    assert log == [5, 4, 3, 2, 1, 0]
    log.clear()
    autograd.sum(xs).backward()
    assert log == [0, 1, 2, 3, 4, 5]
    log.clear()
    (xs[0] * xs[1] + xs[2]).backward()
    assert log == [2, 0, 1]


@pytest.mark.parametrize("create_graph", [False, True])
def test_a_hook_sees_the_gradient_complete_before_it_is_passed_on(create_graph):
    log = []
    x, w = Value(2.0), Value(-1.0)
    y = x * 3
    z = y * y + y * w  # y used twice: dz/dy = 2y + w = 11
    def hook(g):
        log.append((float(g), float(x.grad)))  # x has had nothing from y yet
    y.register_hook(hook)
    x.register_hook(logger(log, "x"))  # a leaf used through y only
    z.backward(create_graph=create_graph)
    assert log[0] == (11.0, 0.0)
    assert log[1][0] == "x" and float(log[1][1]) == 33.0
    assert float(x.grad) == 33.0


def test_a_leaf_used_twice_is_called_once_with_the_sum():
    log = []
    x = Value(2.0)
    x.register_hook(logger(log, "x"))
    (x * 3 + x * 5).backward()
    assert log == [("x", 8.0)]  # torch: [('x', 8.0)]


def test_a_leafs_hook_sees_a_negative_zero_gradient_as_torch():
    x = Value(2.0)
    seen = []
    x.register_hook(seen.append)
    (x * -0.0).backward()
    assert seen == [0.0] and math.copysign(1.0, seen[0]) == -1.0  # torch: hook gets -0.
    assert math.copysign(1.0, x.grad) == -1.0  # torch: x.grad -0.


@pytest.mark.parametrize("create_graph", [False, True])
def test_several_hooks_run_in_order_each_given_what_the_last_returned(create_graph):
    log = []
    x, y, z = x_y_z()
    y.register_hook(logger(log, "h1", lambda g: g * 10))
    y.register_hook(logger(log, "h2"))
    y.register_hook(logger(log, "h3", lambda g: g + 1))
    z.backward(create_graph=create_graph)
    # torch (y.retain_grad() for y.grad): h1 12, h2 120, h3 120; x.grad 363, y.grad 121
    assert [(n, float(g)) for n, g in log] == [("h1", 12.0), ("h2", 120.0), ("h3", 120.0)]
    assert float(x.grad) == 363.0 and float(y.grad) == 121.0


def test_a_leaf_hook_replaces_what_is_accumulated_and_remove_stops_it():
    x = Value(2.0)
    handle = x.register_hook(lambda g: g * 10)
    ((x * 3) ** 2).backward()
    assert x.grad == 360.0  # torch: 360
    ((x * 3) ** 2).backward()
    assert x.grad == 720.0  # torch: 720 (the old gradient is not passed through the hook)
    handle.remove()
    ((x * 3) ** 2).backward()
    assert x.grad == 756.0  # torch: 756
    assert not _HOOKS  # no hook left: backward is back on the fast path


def test_several_hooks_on_a_leaf():
    x = Value(2.0)
    x.register_hook(lambda g: g * 2)
    x.register_hook(lambda g: g + 1)
    (x * 3).backward()
    assert x.grad == 7.0  # torch: 7


def test_a_hook_on_the_output_replaces_the_seed():
    x = Value(2.0)
    z = x * x
    z.register_hook(lambda g: g * 7)
    z.backward()
    assert x.grad == 28.0 and z.grad == 7.0  # torch: x.grad 28
    x.grad = 0.0
    z.backward(gradient=2.0)
    assert x.grad == 56.0


def test_a_hook_on_a_leaf_that_is_the_output():
    log = []
    x = Value(2.0)
    x.register_hook(logger(log, "x", lambda g: g + 1))
    x.backward(4.0)
    assert log == [("x", 4.0)] and x.grad == 5.0  # torch: called with 4, x.grad 5


def test_a_masked_leaf_is_called_with_zero_and_an_unreached_one_not_at_all():
    log = []
    x, u = Value(-1.0), Value(2.0)
    x.register_hook(logger(log, "x"))
    u.register_hook(logger(log, "u"))
    x.relu().backward()
    assert log == [("x", 0.0)] and x.grad == 0.0 and u.grad == 0.0  # torch: relu's hook got 0.
    assert math.copysign(1.0, log[0][1]) == 1.0


def test_under_create_graph_a_replacement_is_part_of_the_graph_of_the_gradients():
    # torch: y = x*x, z = 3y at x = 2, a hook on y returning g * x: it is called with 3, x.grad is
    # 3 * x * 2x = 24 and differentiating that again gives 12x = 24.
    x = Value(2.0)
    y = x * x
    z = y * 3
    seen = []
    y.register_hook(lambda g: (seen.append(g), g * x)[1])
    z.backward(create_graph=True)
    assert len(seen) == 1 and seen[0].data == 3.0
    gx = x.grad
    assert gx.data == 24.0
    x.grad = 0.0
    gx.backward()
    assert x.grad == 24.0


def test_in_a_plain_backward_a_value_returned_counts_as_its_number():
    x, s = Value(2.0), Value(10.0)
    x.register_hook(lambda g: g * s)
    (x * 3).backward()
    assert x.grad == 30.0 and type(x.grad) is float


def test_a_hook_may_remove_itself():
    log = []
    x = Value(2.0)
    def once(g):
        log.append(g)
        handle.remove()
    handle = x.register_hook(once)
    (x * 3).backward()
    (x * 3).backward()
    assert log == [3.0] and x.grad == 6.0 and not _HOOKS


def test_the_handle_is_a_context_manager():
    log = []
    x = Value(2.0)
    with x.register_hook(logger(log, "x")):
        (x * 3).backward()
    (x * 3).backward()
    assert log == [("x", 3.0)] and not _HOOKS


def test_a_bad_replacement_is_a_clear_type_error_and_the_leaf_keeps_its_gradient():
    x = Value(2.0, label="x")
    x.register_hook(lambda g: "twice")
    with pytest.raises(TypeError, match=r"on x returned str.*None \(keep the gradient\)"):
        (x * 3).backward()
    assert x.grad == 0.0


def test_a_leaf_whose_hook_raises_keeps_its_gradient():
    x, w = Value(2.0), Value(3.0)
    x.grad, w.grad = 1.0, 1.0
    x.register_hook(lambda g: None)
    def boom(g):
        raise RuntimeError("boom")
    w.register_hook(boom)
    with pytest.raises(RuntimeError, match="boom"):
        (x * w).backward()
    assert w.grad == 1.0  # its pass's gradient (2.0) is not half-added
    assert x.grad == 4.0  # x, the node's first input, was done before: 1 + 3


def test_hooks_do_not_change_the_explanation():
    x = Value(2.0, label="x")
    y = x * 3
    y.label = "y"
    L = y * y
    calls = []
    y.register_hook(lambda g: calls.append(g) or g * 10)
    steps = autograd.explain(L)
    assert calls == []  # explain does not run the hooks: it shows the chain rule's own numbers
    assert {s.name: s.grad for s in steps}["x"] == 36.0
    L.backward()
    assert x.grad == 360.0


def test_hooks_on_fresh_nodes_at_every_step_do_not_keep_every_graph():
    w = Value(0.5)
    kept = Value(1.0) * w  # a hooked node still in use: its hook stays
    log = []
    kept.register_hook(logger(log, "kept"))
    for step in range(500):
        h = (w * step).tanh()
        h.register_hook(lambda g: None)
        (h * h).backward()
    del h
    gc.collect()
    assert len(_HOOKS) == 1
    (kept * 2).backward()
    assert log == [("kept", 2.0)]
