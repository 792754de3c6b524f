"""Neuron, Layer, MLP, Sequential: shapes, batches, seeding, fused vs long form, micrograd parity."""
import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value

X3 = [[1.0, -2.0], [0.3, 0.7], [-1.5, 0.2]]


def test_mlp_matches_micrograd_with_the_same_seed():
    # reference values from micrograd 0.1.0: random.seed(1337); m = MLP(2, [16, 16, 1]);
    # loss = sum(m(x) for x in X3); loss.backward()
    nn.manual_seed(1337)
    model = nn.MLP(2, [16, 16, 1])
    params = model.parameters()
    assert len(params) == 337
    assert params[0].data == 0.23550571390294128
    assert params[1].data == 0.06653114721000164
    assert params[50].data == -0.598037011209763
    assert params[100].data == -0.6597694707506181
    ys = model(X3)
    assert [y.data for y in ys] == [-1.3324313779586294, -0.537929140972945, -2.244485392341169]
    loss = autograd.sum(ys)
    assert loss.data == -4.114845911272743
    loss.backward()
    # gradients may differ in the last bit: the two engines add a node's contributions in
    # different orders
    for i, g in [(0, -0.940591826578165), (1, 1.0312788848527048), (50, 0.0),
                 (100, 0.16533599180189196), (336, 3.0)]:
        assert params[i].grad == pytest.approx(g, rel=1e-13, abs=1e-15)


def test_manual_seed_and_seed_argument_are_reproducible_and_private():
    nn.manual_seed(3)
    a = nn.MLP(2, [4, 1]).state_dict()
    nn.manual_seed(3)
    b = nn.MLP(2, [4, 1]).state_dict()
    assert a == b
    random.seed(0)
    before = random.random()
    random.seed(0)
    nn.MLP(2, [4, 1], seed=7)
    nn.manual_seed(11)
    nn.MLP(2, [4, 1])
    assert random.random() == before  # the global random state is not touched
    c = nn.MLP(2, [4, 1], seed=7).state_dict()
    d = nn.MLP(2, [4, 1], seed=7).state_dict()
    assert c == d and c != a


def test_fused_and_long_form_give_identical_outputs_and_gradients():
    grads = []
    for fused in (True, False):
        model = nn.MLP(2, [16, 16, 1], seed=5, fused=fused)
        loss = autograd.sum(model(X3))
        loss.backward()
        grads.append((loss.data, [p.grad for p in model.parameters()]))
    assert grads[0] == grads[1]
    assert any(g != 0.0 for g in grads[0][1])


def test_long_form_builds_micrograds_graph_and_fused_one_dot_node():
    fused = nn.Neuron(3, activation="linear", seed=1)
    long_form = nn.Neuron(3, activation="linear", seed=1, fused=False)
    x = [Value(1.0), Value(2.0), Value(3.0)]
    y_fused, y_long = fused(x), long_form(x)
    assert y_fused.op.name == "dot" and len(y_fused.parents) == 7
    assert y_long.op.name == "+"
    assert len(autograd.topological_order(y_long)) - 7 == 6  # three `*` and three `+` nodes
    assert y_fused.data == y_long.data


def test_neuron_activations():
    x = [0.5, -1.0]
    for name, f in [("relu", lambda s: max(s, 0.0)), ("tanh", np.tanh),
                    ("sigmoid", lambda s: 1 / (1 + np.exp(-s))),
                    ("leaky_relu", lambda s: s if s > 0 else 0.01 * s), ("linear", lambda s: s)]:
        n = nn.Neuron(2, activation=name, seed=2)
        n.b.data = 0.1
        s = 0.1 + n.w[0].data * 0.5 - n.w[1].data
        assert n(x).data == pytest.approx(f(s), rel=1e-15)


def test_output_shapes_sample_and_batch():
    layer = nn.Layer(3, 4, seed=0)
    out = layer([1, 2, 3])
    assert isinstance(out, list) and len(out) == 4 and all(isinstance(v, Value) for v in out)
    assert isinstance(nn.Layer(3, 1, seed=0)([1, 2, 3]), Value)
    batch = layer([[1, 2, 3], [4, 5, 6]])
    assert len(batch) == 2 and all(len(o) == 4 for o in batch)
    model = nn.MLP(3, [4, 2], seed=0)
    assert len(model([1, 2, 3])) == 2
    assert [len(o) for o in model([[1, 2, 3]] * 5)] == [2] * 5
    one = nn.MLP(3, [4, 1], seed=0)
    assert all(isinstance(v, Value) for v in one([[1, 2, 3]] * 5))
    # a sample and the same sample in a batch give the same numbers
    assert one([[1, 2, 3]])[0].data == one([1, 2, 3]).data
    # numpy arrays: 1-d is a sample, 2-d a batch
    assert one(np.array([1.0, 2.0, 3.0])).data == one([1, 2, 3]).data
    assert len(one(np.ones((4, 3)))) == 4


def test_inputs_are_converted_once_and_values_kept():
    model = nn.MLP(2, [3, 1], seed=0)
    x = [Value(1.0), Value(-1.0)]
    model(x).backward()
    assert x[0].grad != 0.0  # gradients reach Values passed in


def test_middle_layer_of_size_one():
    model = nn.MLP(2, [1, 3], seed=0)
    assert len(model([1.0, 2.0])) == 3


@pytest.mark.parametrize("module, bad, expected", [
    (nn.Neuron(3), [1, 2], "Neuron expected 3 inputs, got 2"),
    (nn.Layer(3, 2), [1, 2, 3, 4], "Layer expected 3 inputs, got 4"),
    (nn.MLP(2, [3, 1]), [1.0], "^layers.0: expected 2 inputs, got 1$"),
    (nn.MLP(2, [3, 1]), [[1.0, 2.0], [1.0]], "^layers.0: expected 2 inputs, got 1 in sample 1 of "
                                             "the batch$"),
    (nn.MLP(2, [3, 1]), [], "expected 2 inputs, got 0"),
])
def test_wrong_input_size_is_a_clear_value_error(module, bad, expected):
    with pytest.raises(ValueError, match=expected):
        module(bad)


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="unknown activation 'relux'"):
        nn.MLP(2, [3, 1], activation="relux")
    with pytest.raises(ValueError, match="unknown init 'gauss'"):
        nn.MLP(2, [3, 1], init="gauss")
    with pytest.raises(ValueError, match="at least one layer"):
        nn.MLP(2, [])
    with pytest.raises(TypeError, match="Sequential takes modules"):
        nn.Sequential(nn.ReLU(), lambda x: x)
    with pytest.raises(TypeError, match="got str"):
        nn.MLP(2, [1])(["a", "b"])
    for bad in (None, "ab", {1.0, 2.0}, (v for v in [1.0, 2.0])):
        with pytest.raises(TypeError, match=r"a module takes a sample \(a list of numbers or "
                                            r"Values\) or a batch \(a list of samples\), got"):
            nn.MLP(2, [1])(bad)
    with pytest.raises(TypeError, match=r"nouts is the list of layer sizes, e\.g\. MLP\(2, \[16, 1\]\)"):
        nn.MLP(2, 3)
    with pytest.raises(ValueError, match="Layer: nin must be a whole number >= 0, got -1"):
        nn.Layer(-1, 2)
    with pytest.raises(ValueError, match="Layer: nout must be a whole number >= 0, got 2.5"):
        nn.Layer(2, 2.5)
    with pytest.raises(ValueError, match="Neuron: nin must be a whole number >= 0, got '3'"):
        nn.Neuron("3")
    with pytest.raises(ValueError, match="Layer: nout must be a whole number >= 0, got -2"):
        nn.MLP(2, [3, -2, 1])
    with pytest.raises(ValueError, match="BatchNorm1d: num_features must be a whole number"):
        nn.BatchNorm1d(-3)


def test_init_schemes_bounds():
    xavier = nn.MLP(50, [200, 10], init="xavier", seed=0)
    bound = np.sqrt(6 / 250)
    weights = [p.data for n in xavier.layers[0].neurons for p in n.w]
    assert max(map(abs, weights)) <= bound and max(map(abs, weights)) > 0.95 * bound
    he = nn.MLP(50, [200, 10], init="he", seed=0)
    weights = [p.data for n in he.layers[0].neurons for p in n.w]
    bound = np.sqrt(2) * np.sqrt(3 / 50)
    assert max(map(abs, weights)) <= bound and max(map(abs, weights)) > 0.95 * bound
    assert np.var(weights) == pytest.approx(2 / 50, rel=0.05)  # He: Var = 2 / fan_in
    assert all(n.b.data == 0.0 for n in he.layers[0].neurons)
    uniform = [p.data for n in nn.Layer(10, 100, seed=0).neurons for p in n.w]
    assert min(uniform) >= -1 and max(uniform) <= 1 and np.var(uniform) == pytest.approx(1 / 3, rel=0.1)


def test_sequential_names_indexing_and_batches():
    seq = nn.Sequential(nn.Layer(2, 3, seed=0), nn.Tanh(), nn.Layer(3, 1, activation="linear", seed=1))
    assert len(seq) == 3 and isinstance(seq[1], nn.Tanh) and isinstance(seq[-1], nn.Layer)
    names = [name for name, _ in seq.named_parameters()]
    assert names[0] == "0.neurons.0.w.0" and names[-1] == "2.neurons.0.b"
    single = seq([0.5, -0.5])
    batch = seq([[0.5, -0.5], [1.0, 1.0]])
    assert isinstance(single, Value) and batch[0].data == single.data
    # the first layer's relu comes before the Tanh module
    h = [np.tanh(max(sum(p.data * x for p, x in zip(n.w, [0.5, -0.5])) + n.b.data, 0.0))
         for n in seq[0].neurons]
    expected = sum(p.data * v for p, v in zip(seq[2].neurons[0].w, h)) + seq[2].neurons[0].b.data
    assert single.data == pytest.approx(expected, rel=1e-14)
    body = seq[:-1]  # a slice is a Sequential of the same modules, as in torch
    assert isinstance(body, nn.Sequential) and len(body) == 2 and body[0] is seq[0]
    assert [v.data for v in body([0.5, -0.5])] == pytest.approx(h, rel=1e-14)


def test_user_defined_module_composes():
    class TwoHeads(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Layer(2, 4, seed=0)
            self.heads = [nn.Neuron(4, activation="linear", seed=i) for i in range(2)]

        def forward(self, x):
            h = self.body(x)
            return [head(h) for head in self.heads]

    model = TwoHeads()
    names = [name for name, _ in model.named_parameters()]
    assert names[:2] == ["body.neurons.0.w.0", "body.neurons.0.w.1"]
    assert names[-1] == "heads.1.b" and len(names) == 4 * 3 + 2 * 5
    out = model([1.0, 2.0])
    autograd.sum(out).backward()
    assert model.body.neurons[0].w[0].grad != 0.0 or model.body.neurons[1].w[0].grad != 0.0
    assert [name for name, _ in model.named_modules()] == (
        ["", "body"] + [f"body.neurons.{i}" for i in range(4)] + ["heads.0", "heads.1"])


def test_init_functions():
    # reference values from torch 2.13.0: torch.nn.init.calculate_gain
    assert nn.init.calculate_gain("relu") == 1.4142135623730951
    assert nn.init.calculate_gain("tanh") == pytest.approx(1.6666666666666667, rel=1e-15)
    assert nn.init.calculate_gain("leaky_relu") == pytest.approx(1.4141428569978354, rel=1e-15)
    assert nn.init.calculate_gain("leaky_relu", 0.2) == pytest.approx(1.3867504905630728, rel=1e-15)
    assert nn.init.calculate_gain("sigmoid") == 1.0
    with pytest.raises(ValueError, match="unknown nonlinearity"):
        nn.init.calculate_gain("swish")
    params = [Value(0.0) for _ in range(2000)]
    nn.init.uniform_(params, -0.5, 0.25, seed=0)
    assert -0.5 <= min(p.data for p in params) < -0.49 and 0.24 < max(p.data for p in params) <= 0.25
    nn.init.xavier_uniform_(params, fan_in=10, fan_out=20, seed=0)
    bound = math.sqrt(6 / 30)
    assert 0.99 * bound < max(abs(p.data) for p in params) <= bound
    nn.init.kaiming_uniform_(params, fan_in=10, seed=0)
    bound = math.sqrt(2) * math.sqrt(3 / 10)
    assert 0.99 * bound < max(abs(p.data) for p in params) <= bound
    nn.init.constant_(params, 0.5)
    assert {p.data for p in params} == {0.5}
    nn.init.zeros_(params)
    assert {p.data for p in params} == {0.0}


@settings(max_examples=30, deadline=None)
@given(nin=st.integers(1, 5), nouts=st.lists(st.integers(1, 4), min_size=1, max_size=3),
       seed=st.integers(0, 10 ** 6), activation=st.sampled_from(["relu", "tanh", "sigmoid", "leaky_relu"]),
       data=st.data())
def test_fused_long_form_and_batch_agree_everywhere(nin, nouts, seed, activation, data):
    samples = data.draw(st.lists(st.lists(st.floats(-3, 3), min_size=nin, max_size=nin),
                                 min_size=1, max_size=3))
    results = []
    for fused in (True, False):
        model = nn.MLP(nin, nouts, activation=activation, seed=seed, fused=fused)
        outs = model(samples)
        flat = [v for o in outs for v in (o if isinstance(o, list) else [o])]
        autograd.sum(flat).backward()
        results.append(([v.data for v in flat], [p.grad for p in model.parameters()]))
        one_by_one = [model(s) for s in samples]
        assert [v.data for o in one_by_one for v in (o if isinstance(o, list) else [o])] == results[-1][0]
    assert results[0] == results[1]


def test_a_bare_number_is_a_sample_of_one():
    layer = nn.Layer(1, 3, seed=0)
    out = layer(2.0)
    assert isinstance(out, list) and [v.data for v in out] == [v.data for v in layer([2.0])]
    assert isinstance(nn.Neuron(1, seed=0)(Value(2.0)), Value)
    assert isinstance(nn.Tanh()(0.5), Value)


@pytest.mark.parametrize("activation", ["relu", "linear", "tanh"])
@pytest.mark.parametrize("unfuse", [False, True])
def test_a_batch_builds_the_nodes_of_its_samples_one_by_one(activation, unfuse):
    """A Layer (and an MLP) runs a batch layer by layer, calling dot itself for fused linear and
    ReLU neurons: the very nodes, numbers and gradients of calling it on each sample."""
    batch = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [0.0, 3.0, -2.0]]
    results = []
    for how in ("batch", "samples"):
        model = nn.MLP(3, [4, 4, 2], activation=activation, seed=1)
        if unfuse:
            model.layers[1].neurons[2].fused = False  # that layer goes sample by sample
        outs = model(batch) if how == "batch" else [model(x) for x in batch]
        loss = autograd.sum([o * o for out in outs for o in out])
        loss.backward()
        results.append(([[o.data for o in out] for out in outs],
                        [[o.op.name for o in out] for out in outs],
                        [p.grad for p in model.parameters()]))
    assert results[0] == results[1]


def test_a_wrong_sample_in_a_batch_is_named_with_its_layer():
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match=r"layers\.0: expected 2 inputs, got 3.*sample 1"):
        model([[1.0, 2.0], [1.0, 2.0, 3.0]])
