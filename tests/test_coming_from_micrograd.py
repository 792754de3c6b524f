"""A student's micrograd material, run on chainrule with only the import changed.

The lecture (building micrograd, step by step): its expressions and its neuron, the backward pass
walked by hand node by node with `_backward()`, its graph drawing that reads `_prev` and `_op`, an
op written its way (`Value(t, (x,), 'tanh')` plus a `_backward` closure) and its small MLP. Then
micrograd 0.1.0's own engine tests, with the numbers they check, and its demo notebook, whose loss
and accuracy are compared step by step with micrograd's run (tests/reference/micrograd_demo.json,
made by tests/reference/make_micrograd_demo.py; micrograd is not needed here).
"""
import json
import math
import random
from pathlib import Path

import graphviz
import numpy as np
import pytest

import autograd
import nn
from autograd import Value

DEMO = json.loads((Path(__file__).parent / "reference" / "micrograd_demo.json").read_text())


# -- the lecture's drawing, written as the lecture writes it: it reads _prev and _op -----------------
def trace(root):
    nodes, edges = set(), set()

    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(root)
    return nodes, edges


def lecture_draw_dot(root):
    dot = graphviz.Digraph(format="svg", graph_attr={"rankdir": "LR"})
    nodes, edges = trace(root)
    for n in nodes:
        uid = str(id(n))
        dot.node(name=uid, label="{ %s | data %.4f | grad %.4f }" % (n.label, n.data, n.grad),
                 shape="record")
        if n._op:
            dot.node(name=uid + n._op, label=n._op)
            dot.edge(uid + n._op, uid)
    for n1, n2 in edges:
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)
    return dot


def lecture_expression():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b; e.label = "e"  # noqa: E702 (the lecture's style)
    d = e + c; d.label = "d"  # noqa: E702
    f = Value(-2.0, label="f")
    L = d * f; L.label = "L"  # noqa: E702
    return a, b, c, d, e, f, L


def test_the_lecture_expression_its_op_strings_and_its_drawing():
    a, b, c, d, e, f, L = lecture_expression()
    assert L.data == -8.0
    assert (L._op, d._op, e._op, a._op) == ("*", "+", "*", "")
    assert L._prev == {d, f} and e._prev == {a, b} and a._prev == set()
    nodes, edges = trace(L)
    assert len(nodes) == 7 and len(edges) == 6
    source = lecture_draw_dot(L).source
    assert source.count("shape=record") == 7 and "data -8.0000" in source
    assert f'{id(L)}* -> {id(L)}' in source.replace('"', "")


def test_the_lecture_backward_by_hand_node_by_node():
    a, b, c, d, e, f, L = lecture_expression()
    L.grad = 1.0
    L._backward()
    assert (d.grad, f.grad) == (-2.0, 4.0)
    d._backward()
    assert (e.grad, c.grad) == (-2.0, -2.0)
    e._backward()
    assert (a.grad, b.grad) == (6.0, -4.0)
    a._backward()  # a leaf: nothing to pass on, as in micrograd
    assert (a.grad, b.grad, c.grad) == (6.0, -4.0, -2.0)
    # nudging the leaves along their gradients raises L, as the lecture shows
    for leaf in (a, b, c, f):
        leaf.data += 0.01 * leaf.grad
    assert ((a * b + c) * f).data > -8.0


def lecture_neuron(with_exp=False):
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1; x1w1.label = "x1*w1"  # noqa: E702
    x2w2 = x2 * w2; x2w2.label = "x2*w2"  # noqa: E702
    x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = "x1*w1 + x2*w2"  # noqa: E702
    n = x1w1x2w2 + b; n.label = "n"  # noqa: E702
    if with_exp:
        e = (2 * n).exp()
        o = (e - 1) / (e + 1)
    else:
        o = n.tanh()
    o.label = "o"
    return (x1, x2, w1, w2, b, x1w1, x2w2, x1w1x2w2, n), o


def test_the_lecture_neuron_walked_back_by_hand():
    (x1, x2, w1, w2, b, x1w1, x2w2, x1w1x2w2, n), o = lecture_neuron()
    assert round(o.data, 4) == 0.7071 and o._op == "tanh"
    o.grad = 1.0
    o._backward()
    assert round(n.grad, 10) == 0.5
    n._backward()
    b._backward()
    x1w1x2w2._backward()
    x2w2._backward()
    x1w1._backward()
    assert [round(v.grad, 10) for v in (x1, w1, x2, w2, b)] == [-1.5, 1.0, 0.5, 0.0, 0.5]


def test_the_lecture_topological_walk_calling_each_backward():
    (x1, x2, w1, w2, b, *_), o = lecture_neuron(with_exp=True)
    topo = []
    visited = set()

    def build_topo(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)

    build_topo(o)
    o.grad = 1.0
    for node in reversed(topo):
        node._backward()
    assert [round(v.grad, 10) for v in (x1, w1, x2, w2, b)] == [-1.5, 1.0, 0.5, 0.0, 0.5]
    assert len(topo) == len(autograd.topological_order(o))


@pytest.mark.parametrize("with_exp", [False, True], ids=["tanh", "tanh from exp"])
def test_the_lecture_neuron_by_backward(with_exp):
    (x1, x2, w1, w2, b, *_), o = lecture_neuron(with_exp)
    o.backward()
    assert [round(v.grad, 10) for v in (x1, w1, x2, w2, b)] == [-1.5, 1.0, 0.5, 0.0, 0.5]
    assert lecture_draw_dot(o).source.count("shape=record") == len(trace(o)[0])


def test_the_lecture_bug_a_node_used_twice_gets_both_gradients():
    a = Value(3.0, label="a")
    b = a + a; b.label = "b"  # noqa: E702
    b.backward()
    assert a.grad == 2.0
    a, b = Value(-2.0, label="a"), Value(3.0, label="b")
    d = a * b; e = a + b; f = d * e  # noqa: E702
    f.backward()
    assert (a.grad, b.grad) == (-3.0, -8.0)


# -- an op written micrograd's way -------------------------------------------------------------------
def micrograd_tanh(x):
    t = (math.exp(2 * x.data) - 1) / (math.exp(2 * x.data) + 1)
    out = Value(t, (x,), "tanh")

    def _backward():
        x.grad += (1 - t ** 2) * out.grad

    out._backward = _backward
    return out


def micrograd_mul(a, b):
    out = Value(a.data * b.data, (a, b), "*")

    def _backward():
        a.grad += b.data * out.grad
        b.grad += a.data * out.grad

    out._backward = _backward
    return out


def test_an_op_written_micrograds_way_takes_part_in_backward():
    x, w = Value(0.5, label="x"), Value(-1.5, label="w")
    h = micrograd_tanh(micrograd_mul(x, w))
    L = h * 3.0
    L.backward()
    slope = 1 - math.tanh(-0.75) ** 2
    assert w.grad == pytest.approx(3.0 * slope * 0.5, rel=1e-15)
    assert x.grad == pytest.approx(3.0 * slope * -1.5, rel=1e-15)
    assert h._op == "tanh" and h._prev == {h.parents[0]} and h._backward.__name__ == "_backward"
    # the same numbers as chainrule's own ops
    x2, w2 = Value(0.5), Value(-1.5)
    ((x2 * w2).tanh() * 3.0).backward()
    assert (x.grad, w.grad) == pytest.approx((x2.grad, w2.grad), rel=1e-15)


def test_an_op_written_micrograds_way_shows_in_the_pictures():
    x = Value(0.5, label="x")
    h = micrograd_tanh(x); h.label = "h"  # noqa: E702
    L = h * h
    L.backward()
    text = str(L.tree())
    assert "[tanh] h" in text and "x  data=0.5" in text
    steps = autograd.explain(L)
    dx = next(step for step in steps if step.node is x)
    assert dx.grad == pytest.approx(x.grad, rel=1e-15)
    assert "∂h/∂x" in dx.text
    source = autograd.draw_dot(L).source
    assert "tanh" in source and "grad" in source
    assert x.grad == pytest.approx(2 * math.tanh(0.5) * (1 - math.tanh(0.5) ** 2), rel=1e-14)


def test_an_op_written_micrograds_way_is_refused_by_create_graph_with_a_reason():
    x = Value(0.5)
    y = micrograd_tanh(x)
    with pytest.raises(TypeError, match="micrograd's way.*autograd.op"):
        y.backward(create_graph=True)


def test_micrograd_style_mistakes_are_explained():
    with pytest.raises(TypeError, match="_children is the inputs"):
        Value(1.0, 5, "+")
    with pytest.raises(TypeError, match="not a Value"):
        Value(1.0, (2.0,), "+")
    with pytest.raises(TypeError, match="leaf"):
        Value(1.0)._backward = lambda: None
    with pytest.raises(TypeError, match="function of no arguments"):
        (Value(1.0) + 1)._backward = 3


# -- the lecture's MLP, its own classes on chainrule's Value ------------------------------------------
class LectureNeuron:
    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh()

    def parameters(self):
        return self.w + [self.b]


class LectureLayer:
    def __init__(self, nin, nout):
        self.neurons = [LectureNeuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class LectureMLP:
    def __init__(self, nin, nouts):
        sz = [nin] + nouts
        self.layers = [LectureLayer(sz[i], sz[i + 1]) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


def test_the_lecture_mlp_trains_with_its_own_loop():
    random.seed(42)
    n = LectureMLP(3, [4, 4, 1])
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    losses = []
    for k in range(30):
        ypred = [n(x) for x in xs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()
        for p in n.parameters():
            p.data += -0.1 * p.grad
        losses.append(loss.data)
    assert len(n.parameters()) == 41
    assert losses[-1] < 0.1 * losses[0]
    # the gradient the loop used is the derivative: central differences on one weight
    p = n.parameters()[7]

    def loss_at(value):
        saved, p.data = p.data, value
        try:
            return sum((n(x).data - y) ** 2 for x, y in zip(xs, ys))
        finally:
            p.data = saved

    for q in n.parameters():
        q.grad = 0.0
    sum((n(x) - y) ** 2 for x, y in zip(xs, ys)).backward()
    numeric = (loss_at(p.data + 1e-6) - loss_at(p.data - 1e-6)) / 2e-6
    assert p.grad == pytest.approx(numeric, rel=1e-5, abs=1e-8)


# -- micrograd 0.1.0's engine tests (its numbers are torch's, which they are checked against) ---------
def test_micrograd_sanity_check():
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert (y.data, x.grad) == (-20.0, 46.0)


def test_micrograd_more_ops():
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b ** 3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e ** 2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    tol = 1e-6
    assert abs(g.data - 24.70408163265306) < tol
    assert abs(a.grad - 138.83381924198252) < tol
    assert abs(b.grad - 645.5772594752186) < tol


# -- micrograd's nn, by its names and meanings ----------------------------------------------------------
def test_micrograd_nn_names_and_meanings():
    nn.manual_seed(0)
    assert nn.Neuron(2).activation == "relu"
    assert nn.Neuron(2, nonlin=False).activation == "linear"
    assert nn.Neuron(2, False).activation == "linear"  # micrograd's second argument
    layer = nn.Layer(3, 2, nonlin=False)
    assert [neuron.activation for neuron in layer.neurons] == ["linear", "linear"]
    out = layer([1.0, -2.0, 0.5])
    w = [[p.data for p in neuron.w] for neuron in layer.neurons]
    assert out[0].data == 1.0 * w[0][0] + -2.0 * w[0][1] + 0.5 * w[0][2]
    model = nn.MLP(2, [16, 16, 1])
    assert [layer.activation for layer in model.layers] == ["relu", "relu", "linear"]
    assert len(model.parameters()) == 337
    with pytest.raises(TypeError, match="nonlin"):
        nn.Neuron(2, nonlin="yes")


def test_random_seed_gives_micrograds_weights_as_does_manual_seed(monkeypatch):
    monkeypatch.setattr(nn.init, "_generator", None)  # a fresh process: no manual_seed called yet
    random.seed(1337)
    assert [p.data for p in nn.MLP(2, [16, 16, 1]).parameters()] == DEMO["initial_weights"]
    nn.manual_seed(1337)
    random.seed(0)  # from manual_seed on, the random module no longer decides
    assert [p.data for p in nn.MLP(2, [16, 16, 1]).parameters()] == DEMO["initial_weights"]


def test_the_projects_moons_are_the_demos():
    X, y = nn.data.make_moons(100, noise=0.1, seed=1337)
    assert X == DEMO["X"] and [2 * label - 1 for label in y] == DEMO["y"]


# -- micrograd's demo.ipynb, its cells as written, with only its two import lines changed -------------
def test_micrograds_demo_follows_micrograds_run_step_for_step(monkeypatch):
    monkeypatch.setattr(nn.init, "_generator", None)  # a fresh process: no manual_seed called yet
    # the demo's imports were: from micrograd.engine import Value; from micrograd.nn import ...
    from autograd import Value
    from nn import MLP

    np.random.seed(1337)
    random.seed(1337)
    # X, y = make_moons(n_samples=100, noise=0.1): scikit-learn's points, stored
    X, y = np.array(DEMO["X"]), np.array(DEMO["y"])

    model = MLP(2, [16, 16, 1])  # 2-layer neural network

    def loss(batch_size=None):
        # inline DataLoader :)
        if batch_size is None:
            Xb, yb = X, y
        else:
            ri = np.random.permutation(X.shape[0])[:batch_size]
            Xb, yb = X[ri], y[ri]
        inputs = [list(map(Value, xrow)) for xrow in Xb]

        # forward the model to get scores
        scores = list(map(model, inputs))

        # svm "max-margin" loss
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss

        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    total_loss, acc = loss()
    assert total_loss.data == pytest.approx(DEMO["trajectory"][0]["loss"], abs=1e-12)

    first_perfect = None
    for k in range(100):
        # forward
        total_loss, acc = loss()

        # backward
        model.zero_grad()
        total_loss.backward()

        # update (sgd)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad

        expected = DEMO["trajectory"][k]
        assert abs(total_loss.data - expected["loss"]) <= 1e-12, (k, total_loss.data, expected)
        assert acc == expected["accuracy"], (k, acc, expected)
        if acc == 1.0 and first_perfect is None:
            first_perfect = k
    micrograds = next(t["step"] for t in DEMO["trajectory"] if t["accuracy"] == 1.0)
    assert first_perfect == micrograds


# -- the lecture's cells in a Jupyter kernel, as a student runs them ---------------------------------
LECTURE_CELLS = [
    "from autograd import Value, draw_dot  # was: the lecture's own Value class\n"
    "from graphviz import Digraph\n"
    "import math",
    "a = Value(2.0, label='a')\nb = Value(-3.0, label='b')\nc = Value(10.0, label='c')\n"
    "e = a*b; e.label = 'e'\nd = e + c; d.label = 'd'\nf = Value(-2.0, label='f')\n"
    "L = d * f; L.label = 'L'\nL",
    "def trace(root):\n  nodes, edges = set(), set()\n  def build(v):\n    if v not in nodes:\n"
    "      nodes.add(v)\n      for child in v._prev:\n        edges.add((child, v))\n"
    "        build(child)\n  build(root)\n  return nodes, edges\n\n"
    "def lecture_draw_dot(root):\n  dot = Digraph(format='svg', graph_attr={'rankdir': 'LR'})\n"
    "  nodes, edges = trace(root)\n  for n in nodes:\n    uid = str(id(n))\n"
    "    dot.node(name=uid, label='{ %s | data %.4f | grad %.4f }' % (n.label, n.data, n.grad),"
    " shape='record')\n    if n._op:\n      dot.node(name=uid + n._op, label=n._op)\n"
    "      dot.edge(uid + n._op, uid)\n  for n1, n2 in edges:\n"
    "    dot.edge(str(id(n1)), str(id(n2)) + n2._op)\n  return dot",
    "L.grad = 1.0\nL._backward()\nd._backward()\ne._backward()\nlecture_draw_dot(L)",
    "x1 = Value(2.0, label='x1')\nx2 = Value(0.0, label='x2')\nw1 = Value(-3.0, label='w1')\n"
    "w2 = Value(1.0, label='w2')\nb = Value(6.8813735870195432, label='b')\n"
    "x1w1 = x1*w1\nx2w2 = x2*w2\nx1w1x2w2 = x1w1 + x2w2\nn = x1w1x2w2 + b\no = n.tanh()\n"
    "o.grad = 1.0\no._backward()\nn._backward()\nb._backward()\nx1w1x2w2._backward()\n"
    "x2w2._backward()\nx1w1._backward()\ndraw_dot(o)",
    "def tanh(self):\n  x = self.data\n  t = (math.exp(2*x) - 1)/(math.exp(2*x) + 1)\n"
    "  out = Value(t, (self, ), 'tanh')\n  def _backward():\n    self.grad += (1 - t**2) * out.grad\n"
    "  out._backward = _backward\n  return out\n\n"
    "z = Value(0.5, label='z')\nh = tanh(z * 2.0); h.label = 'h'\nh.backward()\ndraw_dot(h)",
    "print(round(o.data, 4), *[round(v.grad, 10) for v in (x1, w1, x2, w2)], round(z.grad, 12))",
]


@pytest.mark.slow
def test_the_lecture_cells_run_in_a_kernel_with_only_the_import_changed(tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient
    from test_notebooks import ThisPythonKernel

    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    env = dict(__import__("os").environ, IPYTHONDIR=str(tmp_path / "ipython"))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in LECTURE_CELLS])
    client = NotebookClient(nb, kernel_manager_class=ThisPythonKernel, timeout=120)
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    for cell in nb.cells:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
    pictures = [o for cell in nb.cells[3:6] for o in cell.outputs
                if "image/svg+xml" in o.get("data", {})]
    assert len(pictures) == 3
    printed = nb.cells[-1].outputs[0].text.split()
    expected_z = 2 * (1 - math.tanh(1.0) ** 2)
    assert printed == ["0.7071", "-1.5", "1.0", "0.5", "0.0", repr(round(expected_z, 12))]
