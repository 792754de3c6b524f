"""The PyTorch habits a student brings, one test each: nn.Linear, requires_grad, `p.grad = None`,
`zero_grad(set_to_none=...)`, `numel()` and the usual parameter count."""
import math
import random

import pytest

import autograd
import nn
from autograd import Value


def test_linear_has_torchs_names_shapes_and_initial_range():
    layer = nn.Linear(4, 3, seed=0)
    names = [name for name, _ in layer.named_parameters()]
    assert names == [f"weight.{i}.{j}" for i in range(3) for j in range(4)] + \
        [f"bias.{i}" for i in range(3)]
    assert len(layer.weight) == 3 and all(len(row) == 4 for row in layer.weight)
    bound = 1 / math.sqrt(4)  # torch: kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(in), 1/sqrt(in))
    values = [p.data for p in layer.parameters()]
    assert all(-bound <= v <= bound for v in values) and len(set(values)) == 15
    assert repr(layer) == "Linear(in_features=4, out_features=3, bias=True)"
    x = [1.0, -2.0, 0.5, 3.0]
    out = layer(x)
    for i in range(3):
        expected = layer.bias[i].data
        for j in range(4):
            expected += layer.weight[i][j].data * x[j]
        assert out[i].data == expected
    assert list(layer.state_dict()) == names


def test_linear_without_bias_in_a_sequential_trains():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1, bias=False))
    assert [name for name, _ in model.named_parameters()][-1] == "2.weight.0.7"
    assert sum(p.numel() for p in model.parameters()) == 2 * 8 + 8 + 8
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    X = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
    y = [1.0, 1.0, 0.0, 0.0]
    losses = []
    for _ in range(200):
        loss = nn.MSELoss()(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
    assert losses[-1] < 0.5 * losses[0]
    with pytest.raises(ValueError, match="in_features"):
        nn.Linear(-1, 2)
    with pytest.raises(TypeError, match="bias"):
        nn.Linear(2, 2, bias="no")


def test_numel_and_the_usual_parameter_count():
    assert Value(3.0).numel() == 1
    model = nn.MLP(2, [16, 16, 1])
    assert sum(p.numel() for p in model.parameters()) == 337 == len(model.parameters())


def test_requires_grad_parameters_true_inputs_and_targets_false():
    nn.manual_seed(0)
    model = nn.MLP(2, [3, 1])
    assert all(p.requires_grad for p in model.parameters())
    score = model([0.5, -1.0])
    loss = nn.MSELoss()(score, 1.0)
    loss.backward()
    leaves = [v for v in autograd.topological_order(loss) if v.is_leaf]
    inputs = [v for v in leaves if v.label in ("x[0]", "x[1]", "y")]
    assert len(inputs) == 3
    assert all(v.requires_grad is False and v.grad is None for v in inputs)
    assert all(isinstance(p.grad, float) for p in model.parameters())
    assert score.requires_grad and loss.requires_grad
    # pictures still show them, with no gradient; explain gives them no step, as backward
    assert "x[0]  data=0.5  grad=None" in str(loss.tree())
    assert "grad None" in autograd.draw_dot(loss).source
    steps = autograd.explain(loss)
    assert not any(step.name in ("x[0]", "x[1]", "y") for step in steps) and len(steps) > 3


def test_inputs_that_need_no_gradient_change_no_weight_gradient_to_the_bit():
    rng = random.Random(3)
    X = [[rng.uniform(-2, 2) for _ in range(8)] for _ in range(6)]
    grads = []
    for make_input in (lambda v: v, lambda v: Value(v, requires_grad=True)):
        nn.manual_seed(1)
        model = nn.MLP(8, [5, 3])
        scores = model([[make_input(v) for v in x] for x in X])
        nn.CrossEntropyLoss()(scores, [0, 1, 2, 0, 1, 2]).backward()
        grads.append([p.grad for p in model.parameters()])
    assert grads[0] == grads[1]


def test_an_input_made_with_requires_grad_gets_its_gradient_for_saliency():
    nn.manual_seed(0)
    model = nn.MLP(2, [4, 1])
    x = [Value(0.5, requires_grad=True, label="x0"), Value(-1.0, requires_grad=True, label="x1")]
    model(x).backward()
    h = 1e-6
    for i in range(2):
        up = [v.data for v in x]; up[i] += h  # noqa: E702
        down = [v.data for v in x]; down[i] -= h  # noqa: E702
        numeric = (model(up).data - model(down).data) / (2 * h)
        assert x[i].grad == pytest.approx(numeric, rel=1e-6, abs=1e-9)
    c = Value(2.0, requires_grad=False)
    assert c.requires_grad_() is c and c.requires_grad and c.grad is None
    (c * 3.0).backward()
    assert c.grad == 3.0
    c.requires_grad = False
    assert c.grad is None
    (c * 3.0 + Value(1.0)).backward()
    assert c.grad is None


def test_requires_grad_is_refused_on_nodes_and_backward_of_a_constant_explains():
    x = Value(1.0)
    y = x * 2
    with pytest.raises(RuntimeError, match="leaf"):
        y.requires_grad = False
    with pytest.raises(TypeError, match="True or False"):
        x.requires_grad = 1
    c = Value(1.0, requires_grad=False)
    assert not (c * c).requires_grad and (c * 2).requires_grad  # 2 is a leaf that gets a gradient
    with pytest.raises(RuntimeError, match="requires_grad=False"):
        c.backward()


def test_grad_none_is_a_valid_state_started_afresh():
    w, b, unused = Value(2.0), Value(1.0), Value(5.0)
    w.grad = None
    b.grad = None
    unused.grad = None
    (w * 3.0 + b).backward()
    assert (w.grad, b.grad, unused.grad) == (3.0, 1.0, None)
    (w * 3.0).backward()  # accumulates from there on
    assert w.grad == 6.0
    w.grad = None
    (w * w).backward(create_graph=True)
    assert w.grad.data == 4.0
    leaf = Value(1.5)
    leaf.grad = None
    leaf.backward()
    assert leaf.grad == 1.0


def test_grad_none_with_hooks_and_by_hand_steps():
    w = Value(2.0)
    w.grad = None
    seen = []
    handle = w.register_hook(lambda g: seen.append(g))
    (w * 3.0).backward()
    handle.remove()
    assert seen == [3.0] and w.grad == 3.0
    a, b = Value(2.0), Value(4.0)
    a.grad = None
    out = a * b
    out.grad = 1.0
    out._backward()
    assert (a.grad, b.grad) == (4.0, 2.0)


@pytest.mark.parametrize("owner", ["module", "optimizer"])
def test_zero_grad_set_to_none_means_torchs_none(owner):
    nn.manual_seed(0)
    model = nn.MLP(2, [3, 1])
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    zero_grad = model.zero_grad if owner == "module" else optimizer.zero_grad
    model([1.0, 2.0]).backward()
    zero_grad()  # the default here: zeros
    assert all(p.grad == 0.0 for p in model.parameters())
    zero_grad(set_to_none=True)
    assert all(p.grad is None for p in model.parameters())
    before = [p.data for p in model.parameters()]
    out = model.layers[1].neurons[0].b * 2.0  # reaches one parameter only
    out.backward()
    optimizer.step()  # the others keep None and are skipped, as in torch
    after = [p.data for p in model.parameters()]
    changed = [i for i, (u, v) in enumerate(zip(before, after)) if u != v]
    assert changed == [len(before) - 1]
    assert sum(p.grad is None for p in model.parameters()) == len(before) - 1


def test_clipping_skips_gradients_that_are_none_as_torch():
    a, b, unused = Value(1.0), Value(1.0), Value(1.0)
    for p in (a, b, unused):
        p.grad = None
    (3.0 * a + 4.0 * b).backward()
    total = nn.utils.clip_grad_norm_([a, b, unused], max_norm=1.0)
    assert total == 5.0 and unused.grad is None
    assert (a.grad, b.grad) == pytest.approx((0.6, 0.8), rel=1e-6)
    nn.utils.clip_grad_value_([a, b, unused], 0.5)
    assert (a.grad, b.grad, unused.grad) == (0.5, 0.5, None)


def test_a_value_that_needs_no_gradient_stays_so_when_copied_or_pickled():
    import copy
    import pickle
    c = Value(2.0, requires_grad=False)
    for twin in (copy.copy(c), copy.deepcopy(c), pickle.loads(pickle.dumps(c))):
        assert twin.requires_grad is False and twin.grad is None
        w = Value(3.0)
        (w * twin).backward()
        assert twin.grad is None and w.grad == 2.0


def test_parameters_walks_linear_rows_as_named_parameters_does():
    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    named = [p for _, p in model.named_parameters()]
    assert len(named) == 3 * 2 + 2 + 2 * 1 + 1
    assert all(a is b for a, b in zip(model.parameters(), named, strict=True))


def test_one_input_asking_for_its_gradient_gets_it_beside_numbers_that_do_not():
    """The first input a number (no gradient), the second a Value that asks for one: a first
    layer's backward skips only the first (the mix is taken one input at a time)."""
    nn.manual_seed(0)
    model = nn.MLP(2, [4, 1])
    x1 = Value(-1.0, requires_grad=True)
    model([0.5, x1]).backward()
    h = 1e-6
    numeric = (model([0.5, -1.0 + h]).data - model([0.5, -1.0 - h]).data) / (2 * h)
    assert x1.grad == pytest.approx(numeric, rel=1e-6) and abs(x1.grad) > 0.1  # -0.239


@pytest.mark.parametrize("owner", ["module", "optimizer"])
@pytest.mark.parametrize("jit", [False, True])
def test_a_frozen_layer_stays_as_it_was_through_training(owner, jit):
    """requires_grad_(False) freezes a layer, as in torch: zero_grad() leaves its None gradients
    None (it zeroes only the gradients there are), backward gives it none, and SGD skips it."""
    model = nn.MLP(2, [3, 1], seed=0)
    for p in model.layers[0].parameters():
        p.requires_grad_(False)
    frozen = [p.data for p in model.layers[0].parameters()]
    trained = [p.data for p in model.layers[1].parameters()]
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    zero_grad = model.zero_grad if owner == "module" else optimizer.zero_grad
    step = autograd.jit(lambda X, y: nn.functional.mse_loss(model(X), y))
    for _ in range(3):
        zero_grad()
        if jit:
            step([[1.0, 2.0], [0.5, -1.0]], [1.0, 0.0])
        else:
            nn.functional.mse_loss(model([[1.0, 2.0], [0.5, -1.0]]), [1.0, 0.0]).backward()
        optimizer.step()
    assert [p.data for p in model.layers[0].parameters()] == frozen
    assert all(p.grad is None for p in model.layers[0].parameters())
    assert [p.data for p in model.layers[1].parameters()] != trained
