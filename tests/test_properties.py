"""Property tests: random expression graphs, backward against central finite differences."""
import math

from hypothesis import given, settings, strategies as st

import autograd
from autograd import Value
from numeric import central_difference

# Ops that stay smooth and bounded on bounded inputs, so finite differences are reliable.
UNARY = [lambda v: v.tanh(), lambda v: v.sigmoid(), lambda v: v.sin(), lambda v: v.cos(),
         lambda v: (v * 0.5).exp(), lambda v: (v * v + 1).log(), lambda v: (v * v + 0.5).sqrt(),
         lambda v: -v, lambda v: v ** 2]
BINARY = [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b,
          lambda a, b: a / (b * b + 1), lambda a, b: (a * a + 1) ** (b.tanh())]

step = st.tuples(st.integers(0, 3), st.integers(0, 100), st.integers(0, 100), st.integers(0, 100))


def evaluate(recipe, leaves):
    """Build the graph described by recipe on top of the leaves; every node may be reused."""
    nodes = list(leaves)
    for kind, i, j, k in recipe:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if kind == 0:
            nodes.append(UNARY[k % len(UNARY)](a))
        elif kind == 1:
            nodes.append(BINARY[k % len(BINARY)](a, b))
        elif kind == 2:
            nodes.append(autograd.sum(nodes[-3:]).tanh())
        else:
            c = nodes[k % len(nodes)]
            nodes.append(autograd.dot([a, b], [b, c], a).tanh())
    return autograd.sum(nodes[len(leaves):]) if len(nodes) > len(leaves) else nodes[0]


@settings(max_examples=60, deadline=None)
@given(xs=st.lists(st.floats(-2, 2), min_size=1, max_size=4),
       recipe=st.lists(step, min_size=1, max_size=15))
def test_random_graphs_match_finite_differences(xs, recipe):
    leaves = [Value(x) for x in xs]
    out = evaluate(recipe, leaves)
    out.backward()

    def f(*numbers):
        return evaluate(recipe, [Value(n) for n in numbers]).data

    for i, leaf in enumerate(leaves):
        numeric = central_difference(f, xs, i)
        assert math.isclose(leaf.grad, numeric, rel_tol=1e-4, abs_tol=1e-5), (i, leaf.grad, numeric)


@settings(max_examples=40, deadline=None)
@given(xs=st.lists(st.floats(-2, 2), min_size=1, max_size=3),
       recipe=st.lists(step, min_size=1, max_size=10))
def test_create_graph_gives_the_same_first_derivatives(xs, recipe):
    plain = [Value(x) for x in xs]
    evaluate(recipe, plain).backward()
    graphed = [Value(x) for x in xs]
    evaluate(recipe, graphed).backward(create_graph=True)
    for p, g in zip(plain, graphed):
        assert math.isclose(p.grad, float(g.grad), rel_tol=1e-12, abs_tol=1e-12)


@settings(max_examples=40, deadline=None)
@given(xs=st.lists(st.floats(-2, 2), min_size=1, max_size=3),
       recipe=st.lists(step, min_size=1, max_size=12))
def test_second_backward_doubles_leaf_grads_and_keeps_the_others(xs, recipe):
    leaves = [Value(x) for x in xs]
    out = evaluate(recipe, leaves)
    out.backward()
    once = [leaf.grad for leaf in leaves]
    inner = {node: node.grad for node in autograd.topological_order(out) if not node.is_leaf}
    out.backward()
    # The second pass adds its terms onto the first sum, so rounding differs by ~1e-16 of the terms.
    assert all(math.isclose(leaf.grad, 2 * g, rel_tol=1e-12, abs_tol=1e-9) for leaf, g in zip(leaves, once))
    assert all(node.grad == g for node, g in inner.items())
