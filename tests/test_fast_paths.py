"""The engine's fast paths against the generic chain rule, bit for bit, at the IEEE edges.

`backward()` dispatches on the shape of a node's inputs and lets ops of many inputs (sum, dot) run a
fast `backward` of their own. None of that may change a single bit of any gradient: here every
fast path is compared with the rule it stands for, the engine's own definition
`autograd.core.reference_backward` (`input.grad += g * derivatives(...)[i]` taken over
`topological_order` in reverse), on random graphs whose numbers include 0, -0, subnormals, huge
values, inf and nan.
"""
import importlib
import math
import pkgutil
import random
import struct

import pytest
from hypothesis import given, settings, strategies as st

import autograd
from autograd import Op, Value, core

EDGES = [0.0, -0.0, 5e-324, -1e-310, 1e308, -1e308, math.inf, -math.inf, math.nan,
         1.0, -1.0, 0.5, -2.5, 3.0]
numbers = st.one_of(st.sampled_from(EDGES), st.floats(-4, 4))


def same(a: float, b: float) -> bool:
    """Equal to the bit; any nan equals any nan (IEEE leaves a nan's sign and payload open)."""
    if a != a and b != b:
        return True
    return struct.pack("<d", a) == struct.pack("<d", b)


def reference_backward(root: Value) -> dict:
    """{node: gradient} as the engine's definition (autograd.core.reference_backward) computes it,
    leaves starting from their current grad; every grad is put back afterwards."""
    order = autograd.topological_order(root)
    before = {node: node.grad for node in order}
    core.reference_backward(root)
    after = {node: node.grad for node in order}
    for node, g in before.items():
        node.grad = g
    return after


def ops_with_fast_paths() -> list[Op]:
    """Every Op defined at module level anywhere in autograd that has a fast backward."""
    found = {}
    for info in pkgutil.walk_packages(autograd.__path__, "autograd."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, Op) and value.backward is not None:
                found[id(value)] = value
    return list(found.values())


def test_the_built_in_fast_paths_are_found():
    names = {op.name for op in ops_with_fast_paths()}
    assert {"sum", "dot"} <= names


@pytest.mark.parametrize("op", ops_with_fast_paths(), ids=lambda op: op.name)
def test_every_fast_backward_gives_the_generic_rules_floats(op):
    rng = random.Random(0)
    for trial in range(3000):
        n = rng.randint(1, 7)
        data = [rng.choice(EDGES) if rng.random() < 0.5 else rng.uniform(-3, 3) for _ in range(n)]
        inputs = [Value(x) for x in data]
        if n > 1 and rng.random() < 0.3:  # the same Value twice, as in dot(params, params)
            inputs[rng.randrange(n)] = inputs[0]
        # starting gradients: anything a pass can leave (sums that start at +0.0 are never -0.0)
        half = n // 2  # a dot's xs sit at positions half .. 2 half - 1
        if op.name in ("dot", "relu(dot)") and half and rng.random() < 0.3:
            for x in inputs[half:2 * half]:  # data that needs no gradient (requires_grad=False)
                if rng.random() < 0.8:
                    x.requires_grad_(False)
        # the dot's fast backward skips the xs that need none when the first x needs none
        skipped = ({k for k in range(half, 2 * half) if inputs[k]._b is core.NO_GRAD}
                   if op.name in ("dot", "relu(dot)") and half
                   and inputs[half]._b is core.NO_GRAD else set())
        starts = [rng.choice([0.0, 1.0, -2.0, math.inf, math.nan, 1e-310]) for _ in range(n)]
        for x, s in zip(inputs, starts):
            x.grad = s
        g = rng.choice([0.0, -0.0, 1.0, -0.5, math.inf, -math.inf, math.nan, 1e-310, 1e300])
        out = op.forward(*[x.data for x in inputs])
        expected = {x: x.grad for x in inputs}
        partials = op.derivatives(out, *[x.data for x in inputs])
        for k, (x, d) in enumerate(zip(inputs, partials)):
            if d is not None and k not in skipped:
                expected[x] += g * d
        op.backward(g, out, tuple(inputs))
        for x in inputs:
            assert same(x.grad, expected[x]), (op.name, trial, data, g, x.grad, expected[x])


UNARY = [Value.relu, Value.tanh, Value.exp, Value.log, Value.sqrt, Value.sigmoid, abs]
BINARY = [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b,
          lambda a, b: a ** b, lambda a, b: a ** 2.0]


def build(recipe, leaves):
    nodes = list(leaves)
    for kind, i, j, k in recipe:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if kind == 0:
            nodes.append(UNARY[k % len(UNARY)](a))
        elif kind == 1:
            nodes.append(BINARY[k % len(BINARY)](a, b))
        elif kind == 2:
            nodes.append(autograd.sum(nodes[-(k % 5 + 1):]))
        else:
            m = k % 4 + 1
            ws, xs = nodes[-m:], nodes[-2 * m:-m] or nodes[:m]
            m = min(len(ws), len(xs))
            nodes.append(autograd.dot(ws[:m], xs[:m], a if k % 2 else None, relu=k % 3 == 0))
    return nodes


step = st.tuples(st.integers(0, 3), st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))


@settings(max_examples=300, deadline=None)
@given(xs=st.lists(numbers, min_size=1, max_size=5), recipe=st.lists(step, min_size=1, max_size=25),
       root_at=st.integers(0, 100))
def test_backward_gives_the_generic_rules_gradients_bit_for_bit(xs, recipe, root_at):
    leaves = [Value(x) for x in xs]
    nodes = build(recipe, leaves)
    root = nodes[len(leaves) + root_at % (len(nodes) - len(leaves))] if len(nodes) > len(leaves) \
        else nodes[0]
    expected = reference_backward(root)
    root.backward()
    for node, g in expected.items():
        assert same(node.grad, g), (node, g)
    # a second pass from the same root: interior grads start again, leaves accumulate
    expected = reference_backward(root)
    root.backward()
    for node, g in expected.items():
        assert same(node.grad, g), (node, g)


def test_a_node_that_does_not_feed_the_output_touches_no_gradient():
    w = Value(2.0)
    live = w * 3.0
    dead = autograd.dot([w, w], [Value(math.inf), Value(1.0)])  # would pass nan = 0 * inf to w
    dead_sum = autograd.sum([w, dead, w])
    live.backward()
    assert w.grad == 3.0
    assert dead.grad == 0.0 and dead_sum.grad == 0.0


def test_a_dot_whose_gradient_is_zero_still_lets_its_inputs_pass_on_their_own():
    # the dot's zero gradient is skipped, but x is still visited: its other consumer feeds the root
    w, v = Value(2.0), Value(-1.0)
    x = w * v
    inactive = autograd.dot([x, x, x], [Value(1.0), Value(2.0), Value(3.0)]).relu()  # dot < 0
    root = inactive + x * 5.0
    root.backward()
    assert x.grad == 5.0 and w.grad == -5.0 and v.grad == 10.0


def test_contributions_are_added_in_the_order_of_the_generic_rule():
    # A node with many consumers: their contributions are summed in one order only (floats are
    # not associative), so a search or dispatch that visits nodes in another order fails here.
    rng = random.Random(1)
    for _ in range(200):
        x = Value(rng.uniform(-1, 1))
        leaves = [Value(rng.uniform(-1, 1)) for _ in range(6)]
        nodes = [x]
        for _ in range(30):
            a, b = rng.choice(nodes), rng.choice(leaves + nodes)
            kind = rng.randrange(5)
            nodes.append(a * b if kind == 0 else a + b if kind == 1 else a.tanh() if kind == 2
                         else autograd.dot([a, b, x], [b, a, a]) if kind == 3
                         else autograd.sum([a, b, x]) * b)
        root = nodes[-1]
        for node in rng.sample(nodes[1:], 10):
            root = root * node if rng.random() < 0.5 else node + root
        expected = reference_backward(root)
        root.backward()
        for node, g in expected.items():
            assert same(node.grad, g), (node, g)


@settings(max_examples=200, deadline=None)
@given(ws=st.lists(numbers, min_size=1, max_size=4), data=st.data(), g=numbers)
def test_a_relu_neuron_as_one_node_gives_the_two_nodes_gradients_bit_for_bit(ws, data, g):
    xs = data.draw(st.lists(numbers, min_size=len(ws), max_size=len(ws)))
    bias = data.draw(st.one_of(st.none(), numbers))
    results = []
    for fused in (True, False):
        w, x = [Value(v) for v in ws], [Value(v) for v in xs]
        b = None if bias is None else Value(bias)
        out = autograd.dot(w, x, b, relu=True) if fused else autograd.dot(w, x, b).relu()
        (out * g).backward()
        results.append([out.data] + [v.grad for v in w + x + ([b] if b is not None else [])])
    assert all(same(a, b) for a, b in zip(*results)), results


def test_a_relu_neuron_as_one_node_has_the_same_second_derivatives():
    for fused in (True, False):
        w, x, b = [Value(0.5), Value(-1.5)], [Value(2.0), Value(0.25)], Value(0.75)
        out = autograd.dot(w, x, b, relu=True) if fused else autograd.dot(w, x, b).relu()
        (out * out).backward(create_graph=True)
        first = [v.grad.data for v in w]
        dw0 = w[0].grad
        for v in w + x + [b]:
            v.grad = 0.0
        dw0.backward()
        # out = 1.375; d/dw_i (out^2) = 2 out x_i; d/dw_j of that = 2 x_i x_j, d/dx_0 = 2 (w_0 x_0 + out)
        assert first == [5.5, 0.6875]
        assert [v.grad for v in w] == [8.0, 1.0] and x[0].grad == 4.75


def test_sum_and_dot_read_their_values_numbers_exactly_as_their_float_forward():
    # sum() and dot() compute a node's output from the Values directly; it must be the op's forward
    rng = random.Random(2)
    for _ in range(3000):
        n = rng.randint(1, 5)
        xs = [rng.choice(EDGES) if rng.random() < 0.5 else rng.uniform(-3, 3) for _ in range(3 * n)]
        ws, vs, bias = xs[:n], xs[n:2 * n], xs[2 * n]
        assert same(autograd.sum([Value(x) for x in xs]).data, autograd.math.basic.SUM.forward(*xs))
        for b in (None, bias):
            args = (*ws, *vs) if b is None else (*ws, *vs, b)
            value = autograd.dot([Value(w) for w in ws], [Value(v) for v in vs],
                                 None if b is None else Value(b))
            assert same(value.data, autograd.math.basic.DOT.forward(*args)), (ws, vs, b)
            fused = autograd.dot([Value(w) for w in ws], [Value(v) for v in vs],
                                 None if b is None else Value(b), relu=True)
            assert same(fused.data, autograd.math.basic.RELU.forward(autograd.math.basic.DOT.forward(*args)))
    assert autograd.dot([1.0, 2.0], [3.0, 4.0], 0.5) == 11.5  # numbers in, a number out
    mixed = autograd.dot([Value(1.0), 2.0], [3.0, Value(4.0)], relu=True)
    assert mixed.op.name == "relu(dot)" and mixed.data == 11.0
