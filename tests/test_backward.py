"""backward(): ordering, accumulation, reuse, deep and wide graphs, create_graph."""
import math

import pytest

import autograd
from autograd import Value


def test_a_node_used_several_times_gets_the_sum_of_its_uses():
    x = Value(3.0)
    y = x * x + x  # dy/dx = 2x + 1
    y.backward()
    assert x.grad == 7.0
    a = Value(-2.0)
    b = a + a  # the same Value twice as the parents of one node
    b.backward()
    assert a.grad == 2.0


def test_leaves_accumulate_across_calls_and_other_nodes_are_reset():
    x, w = Value(2.0), Value(-1.5)
    h = x * w
    y = h.tanh()
    y.backward()
    first_x, first_h = x.grad, h.grad
    y.backward()
    assert x.grad == 2 * first_x and w.grad == pytest.approx(2 * 2.0 * (1 - math.tanh(-3.0) ** 2))
    assert h.grad == first_h  # the latest pass, not the sum of two
    assert y.grad == 1.0


def test_a_second_graph_sharing_nodes_is_not_polluted_by_the_first():
    x = Value(1.0)
    h = x * 3
    loss1 = h * h  # d/dh = 2h = 6
    loss2 = h + 1  # d/dh = 1
    loss1.backward()
    assert h.grad == 6.0
    x.grad = 0.0
    loss2.backward()
    assert h.grad == 1.0 and x.grad == 3.0


def test_backward_of_a_leaf_seeds_its_own_gradient():
    x = Value(5.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_topological_order_lists_parents_before_children():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = autograd.topological_order(e)
    assert order[-1] is e and len(order) == len(set(order)) == 5
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]


@pytest.mark.slow
def test_a_chain_of_a_million_nodes():
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + x
    y.backward()  # would overflow the stack if the graph were walked recursively
    assert y.data == 1_000_001.0 and x.grad == 1_000_001.0


def test_wide_graphs():
    leaves = [Value(float(i)) for i in range(50_000)]
    total = autograd.sum(leaves)
    chained = Value(0.0)
    for leaf in leaves[:5_000]:
        chained = chained + leaf * leaf
    (total + chained).backward()
    assert leaves[7].grad == 1.0 + 2 * 7.0 and leaves[40_000].grad == 1.0
    x = Value(0.5)
    fan_out = autograd.sum([x * float(k) for k in range(10_000)])  # x has 10,000 consumers
    fan_out.backward()
    assert x.grad == sum(range(10_000))


def test_create_graph_gives_gradients_that_are_values():
    x = Value(3.0)
    y = x ** 3  # dy/dx = 3x^2 = 27, d2y/dx2 = 6x = 18
    y.backward(create_graph=True)
    dydx = x.grad
    assert isinstance(dydx, Value) and dydx.data == 27.0
    x.grad = 0.0
    dydx.backward()
    assert x.grad == 18.0


def test_create_graph_then_a_plain_backward_reads_the_numbers():
    x = Value(2.0)
    (x * x).backward(create_graph=True)
    assert isinstance(x.grad, Value)
    (x * 5).backward()  # accumulates onto a Value-valued grad without breaking
    assert float(x.grad) == 4.0 + 5.0


def test_create_graph_mixed_partials():
    x, y = Value(1.5), Value(-0.5)
    f = (x * y).sin()  # df/dx = y cos(xy); d/dy of that = cos(xy) - xy sin(xy)
    f.backward(create_graph=True)
    dfdx = x.grad
    x.grad = y.grad = 0.0
    dfdx.backward()
    xy = 1.5 * -0.5
    assert y.grad == pytest.approx(math.cos(xy) - xy * math.sin(xy), rel=1e-12)
    assert x.grad == pytest.approx(-(-0.5) ** 2 * math.sin(xy), rel=1e-12)


def test_create_graph_works_inside_no_grad():
    x = Value(2.0)
    with autograd.no_grad():
        y = x * x
    assert y.is_leaf  # built without a graph
    z = x * x
    with autograd.no_grad():
        z.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 4.0 and not x.grad.is_leaf


def test_a_parent_that_is_also_a_sibling_is_finished_first():
    # s = a + tanh(a): s's parents are a and b = tanh(a); b must come after a, or a would pass on its
    # gradient before b has added to it (found by the property tests).
    x = Value(0.0)
    a = x.tanh()
    b = a.tanh()
    s = autograd.sum([b, a])
    order = autograd.topological_order(s)
    position = {id(v): i for i, v in enumerate(order)}  # by identity: all four nodes hold 0.0
    assert position[id(x)] < position[id(a)] < position[id(b)] < position[id(s)]
    s.backward()
    assert a.grad == 2.0 and x.grad == 2.0


def test_topological_order_of_a_non_value_is_a_clear_error():
    with pytest.raises(TypeError, match="needs a Value, got float"):
        autograd.topological_order(3.0)
