"""A model's graph reads like the lesson: parameters, inputs and targets appear under their names
in draw_dot, tree, explain and the step page, with no extra argument."""
import json
import re

import pytest

import autograd
import nn
from autograd import Value


def lesson_loss():
    nn.manual_seed(1)
    model = nn.MLP(2, [2, 1], activation="tanh")
    loss = nn.MSELoss()(model([0.5, -1.0]), 1.0)
    return model, loss


def test_parameters_are_named_after_named_parameters_in_short():
    model, _ = lesson_loss()
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert [p.label for p in model.parameters()] == [
        "l0.n0.w0", "l0.n0.w1", "l0.n0.b", "l0.n1.w0", "l0.n1.w1", "l0.n1.b",
        "l1.n0.w0", "l1.n0.w1", "l1.n0.b"]
    assert nn._naming.short_names(["a.w.0", "a.w0", "b"]) == ["a.w.0", "a.w0", "b"]  # clash: full


def test_inputs_and_targets_are_named_and_everything_shows_it():
    model, loss = lesson_loss()
    loss.backward()
    order = autograd.topological_order(loss)
    leaves = {v.label for v in order if v.is_leaf}
    assert {"x[0]", "x[1]", "y", "l0.n0.w0", "l1.n0.b"} <= leaves
    source = autograd.draw_dot(loss).source
    for name in ("x[0]", "x[1]", "l0.n1.w1", "l1.n0.b", ">y<"):
        assert name in source, name
    text = loss.tree(max_depth=None)
    assert "l0.n0.w0  data=" in text and "x[1]  data=" in text and "└── y  data=1.0" in text
    steps = autograd.explain(loss)
    by_name = {step.name: step for step in steps}
    assert by_name["l1.n0.b"].grad == model.layers[1].neurons[0].b.grad
    assert "∂(dot(l1.n0.w0, …))/∂l1.n0.b" in by_name["l1.n0.b"].text
    assert "(dot(l1.n0.w0, …))-y" in by_name  # the prediction minus the target
    # the step-through its cell's script puts in place (a JSON string inside the script)
    widget = json.loads(re.search(r"box\.innerHTML = (\".*?\");\n", steps._repr_html_()).group(1))
    assert ">l0.n0.w0</text>" in widget and ">x[0]</text>" in widget


def test_a_batch_names_each_sample_and_target():
    nn.manual_seed(0)
    model = nn.MLP(2, [1])
    loss = nn.MSELoss()(model([[1.0, 2.0], [3.0, 4.0]]), [1.0, 0.0])
    labels = {v.label for v in autograd.topological_order(loss) if v.is_leaf}
    assert {"x[0][0]", "x[0][1]", "x[1][0]", "x[1][1]", "y[0]", "y[1]"} <= labels
    assert nn._naming.named_targets([Value(1.0)] * 2, [1.0, 2.0], [1, 1])[1].label == "y[1][0]"


def test_names_never_overwrite_a_label_and_follow_the_whole_model():
    layer = nn.Layer(2, 1)
    layer.neurons[0].b.label = "bias"
    layer([1.0, 2.0])  # the layer alone names its parameters n0.w0, ...
    assert layer.neurons[0].w[0].label == "n0.w0"
    model = nn.Sequential(layer, nn.Layer(1, 1))
    model([1.0, 2.0])  # inside a model they are renamed by the model, the user's label kept
    assert [p.label for p in model.parameters()] == ["0.n0.w0", "0.n0.w1", "bias",
                                                     "1.n0.w0", "1.n0.b"]
    x = Value(3.0, label="height")
    out = nn.Neuron(1)([x])
    assert x.label == "height" and out.parents[1] is x  # Values passed in keep theirs


def test_plain_numbers_stay_plain_and_checks_still_apply():
    assert nn.MSELoss()(2.0, 1.0) == 1.0 and type(nn.MSELoss()(2.0, 1.0)) is float
    with pytest.raises(ValueError, match="hinge_loss targets must be -1 or 1"):
        nn.HingeLoss()([Value(0.5)], [0.0])
    loss = nn.HingeLoss()([Value(0.5)], [1.0])
    assert loss.data == 0.5
