"""nn.Module: names, parameters, train/eval, zero_grad, state dicts, JSON save/load, repr, tracing."""
import json
import math

import pytest

import autograd
import nn


def make() -> nn.MLP:
    return nn.MLP(2, [3, 2], seed=0)


def test_named_parameters_names_and_order():
    model = nn.MLP(2, [16, 16, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert "layers.0.neurons.3.w.1" in names
    assert names[-1] == "layers.2.neurons.0.b"
    assert len(names) == len(set(names)) == 16 * 3 + 16 * 17 + 17
    assert [p for _, p in model.named_parameters()] == model.parameters()
    assert model.parameters()[0] is model.layers[0].neurons[0].w[0]
    assert isinstance(model.parameters(), list)


def test_shared_parameter_listed_once():
    layer = nn.Layer(2, 2, seed=0)
    model = nn.Sequential(layer, nn.ReLU(), layer)
    assert len(model.parameters()) == 6


class _Block(nn.Module):
    """Parameters alone, in a list and in a tuple, a private one, a shared one, and children."""

    def __init__(self, shared: autograd.Value, child: nn.Module | None = None) -> None:
        super().__init__()
        self.scale = autograd.Value(2.0)
        self.w = [autograd.Value(1.0), shared, autograd.Value(1.0)]  # equal numbers: `is` tells
        self._private = autograd.Value(1.0)
        self.pair = (shared, autograd.Value(3.0))
        if child is not None:
            self.inner = child
            self.again = [child, nn.Layer(1, 2, seed=1)]

    def forward(self, x):
        return x


def test_parameters_is_named_parameters_without_the_names():
    shared = autograd.Value(1.0)
    leaf = _Block(shared)
    model = nn.Sequential(_Block(shared, leaf), nn.BatchNorm1d(2), leaf, _Block(shared, leaf))
    named = model.named_parameters()
    params = model.parameters()
    assert len(params) == len(named) == len({id(p) for p in params})
    assert all(p is q for p, (_, q) in zip(params, named, strict=True))
    assert [name for name, _ in named[:6]] == [
        "0.scale", "0.w.0", "0.w.1", "0.w.2", "0.pair.1", "0.inner.scale"]
    assert sum(p is shared for p in params) == 1
    assert all(a is b for a, b in zip(model.modules(), (m for _, m in model.named_modules()),
                                      strict=True))
    assert not any(p is model[0]._private for p in params)


def test_modules_and_children():
    model = make()
    assert [name for name, _ in model.named_children()] == ["layers.0", "layers.1"]
    assert list(model.children()) == model.layers
    names = [name for name, _ in model.named_modules()]
    assert names == ["", "layers.0", "layers.0.neurons.0", "layers.0.neurons.1", "layers.0.neurons.2",
                     "layers.1", "layers.1.neurons.0", "layers.1.neurons.1"]
    assert list(model.modules())[0] is model


def test_train_eval_propagate():
    model = nn.Sequential(nn.Layer(2, 2), nn.Dropout(0.5), nn.BatchNorm1d(2))
    assert model.training and all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(TypeError):
        model.train("no")


def test_zero_grad():
    model = make()
    autograd.sum(model([1.0, 2.0])).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_state_dict_round_trip():
    a, b = nn.MLP(2, [3, 2], seed=1), nn.MLP(2, [3, 2], seed=2)
    sd = a.state_dict()
    assert list(sd) == [name for name, _ in a.named_parameters()]
    assert all(type(v) is float for v in sd.values())
    result = b.load_state_dict(sd)
    assert result == ([], [])
    assert b.state_dict() == sd
    assert b([0.3, 0.4])[0].data == a([0.3, 0.4])[0].data
    sd["layers.0.neurons.0.w.0"] = 123.0  # a copy: changing it does not change the model
    assert a.layers[0].neurons[0].w[0].data != 123.0


BAD_STATES = [
    ("missing", lambda sd: sd.pop("layers.1.neurons.1.b"), "missing keys: layers.1.neurons.1.b"),
    ("unexpected", lambda sd: sd.update({"extra": 1.0}), "unexpected keys: extra"),
    ("string", lambda sd: sd.update({"layers.0.neurons.0.b": "0.5"}), "expected a number, got str"),
    ("bool", lambda sd: sd.update({"layers.0.neurons.0.b": True}), "expected a number, got bool"),
    ("nan", lambda sd: sd.update({"layers.0.neurons.0.b": math.nan}), "not a finite number"),
    ("inf", lambda sd: sd.update({"layers.0.neurons.0.b": math.inf}), "not a finite number"),
    ("list", lambda sd: sd.update({"layers.0.neurons.0.b": [1.0]}), "expected a number, got list"),
]


@pytest.mark.parametrize("case, corrupt, message", BAD_STATES, ids=[c[0] for c in BAD_STATES])
def test_load_state_dict_rejects_bad_input_and_changes_nothing(case, corrupt, message):
    model = make()
    before = model.state_dict()
    sd = {k: v + 1.0 for k, v in before.items()}
    corrupt(sd)
    with pytest.raises(nn.StateDictError, match=message):
        model.load_state_dict(sd)
    assert model.state_dict() == before


def test_load_state_dict_size_mismatch_message():
    small, big = nn.MLP(2, [3, 1], seed=0), nn.MLP(3, [3, 1], seed=0)
    with pytest.raises(nn.StateDictError, match=r"size mismatch for layers\.0\.neurons\.0\.w: "
                                                r"the state dict has 3 entries, the model has 2"):
        small.load_state_dict(big.state_dict())
    with pytest.raises(ValueError):  # StateDictError is a ValueError
        small.load_state_dict([1.0, 2.0])


def test_load_state_dict_non_strict():
    model = make()
    before = model.state_dict()
    sd = {"layers.0.neurons.0.b": 0.25, "nope": 1.0}
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert unexpected == ["nope"] and len(missing) == len(before) - 1
    assert model.layers[0].neurons[0].b.data == 0.25


def test_save_and_load_json(tmp_path):
    a, b = nn.MLP(2, [3, 2], seed=1), nn.MLP(2, [3, 2], seed=2)
    a.layers[0].neurons[0].w[0].data = 0.1 + 0.2  # needs all 17 digits to round-trip
    path = tmp_path / "model.json"
    a.save(path)
    doc = json.loads(path.read_text())
    assert doc["format"] == "chainrule.state_dict" and doc["version"] == 1
    assert b.load(path) is b
    assert b.state_dict() == a.state_dict()
    assert nn.load_state(str(path)) == a.state_dict()


def test_save_into_a_missing_folder_creates_it_as_every_saver_does(tmp_path):
    model = nn.MLP(2, [1], seed=0)
    model.save(tmp_path / "missing" / "model.json")
    assert nn.MLP(2, [1]).load(tmp_path / "missing" / "model.json").state_dict() == \
        model.state_dict()


def test_load_state_dict_accepts_numpy_numbers():
    np = pytest.importorskip("numpy")
    model = make()
    sd = {k: np.float32(0.5) if i % 2 else np.float64(v) for i, (k, v) in
          enumerate(model.state_dict().items())}
    model.load_state_dict(sd)
    assert list(model.state_dict().values()) == [float(v) for v in sd.values()]
    assert all(type(p.data) is float for p in model.parameters())


CORRUPT_FILES = [
    ("not json", "{not json", "is not valid JSON"),
    ("truncated", '{"format": "chainrule.state_dict", "version": 1, "state": {"layers.0', "is not valid JSON"),
    ("binary", b"\xff\xfe\x00garbage", "not a text"),
    ("no marker", '{"state": {}}', "not a chainrule state dict"),
    ("json list", "[1, 2, 3]", "not a chainrule state dict"),
    ("future version", '{"format": "chainrule.state_dict", "version": 99, "state": {}}', "version 99"),
    ("no state", '{"format": "chainrule.state_dict", "version": 1}', 'no "state" object'),
    ("NaN literal", '{"format": "chainrule.state_dict", "version": 1, "state": {"a": NaN}}',
     "NaN is not a finite number"),
    ("overflow", '{"format": "chainrule.state_dict", "version": 1, "state": {"a": 1e400}}',
     "expected a finite number"),
    ("string value", '{"format": "chainrule.state_dict", "version": 1, "state": {"a": "1"}}',
     "expected a finite number"),
    ("null value", '{"format": "chainrule.state_dict", "version": 1, "state": {"a": null}}',
     "expected a finite number"),
]


@pytest.mark.parametrize("case, content, message", CORRUPT_FILES, ids=[c[0] for c in CORRUPT_FILES])
def test_corrupt_files_raise_and_leave_model_untouched(tmp_path, case, content, message):
    model = make()
    before = model.state_dict()
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(nn.StateDictError, match=message):
        model.load(path)
    assert model.state_dict() == before


def test_mismatched_file_leaves_model_untouched(tmp_path):
    path = tmp_path / "other.json"
    nn.MLP(2, [4, 2], seed=0).save(path)
    model = make()
    before = model.state_dict()
    with pytest.raises(nn.StateDictError, match="unexpected keys"):
        model.load(path)
    assert model.state_dict() == before
    with pytest.raises(FileNotFoundError):
        model.load(tmp_path / "missing.json")


def test_save_refuses_non_finite(tmp_path):
    model = make()
    model.layers[0].neurons[0].b.data = math.nan
    with pytest.raises(nn.StateDictError, match="layers.0.neurons.0.b"):
        model.save(tmp_path / "m.json")
    assert not (tmp_path / "m.json").exists()


def test_repr():
    text = repr(nn.MLP(2, [16, 1]))
    assert text == ("MLP(2, [16, 1], activation='relu'\n"
                    "  (layers.0): Layer(2, 16, activation='relu')   48 parameters\n"
                    "  (layers.1): Layer(16, 1, activation='linear') 17 parameters\n"
                    ")  65 parameters in all")
    assert repr(nn.Neuron(3, activation="tanh", fused=False)) == "Neuron(3, activation='tanh', fused=False)"
    seq = repr(nn.Sequential(nn.Layer(2, 2), nn.LeakyReLU(0.2)))
    assert "(1): LeakyReLU(negative_slope=0.2)" in seq


def test_trace_modules_names_every_node_by_module():
    model = nn.MLP(2, [3, 1], seed=0)
    with nn.trace_modules(model) as groups:
        out = model([1.0, 2.0])
        loss = (out - 1.0) ** 2
    assert groups[out] == ("layers.1", "layers.1.neurons.0")
    hidden = out.parents[3]  # dot(w0, w1, w2, h0, h1, h2, b): h0 is the first hidden neuron
    assert groups[hidden] == ("layers.0", "layers.0.neurons.0")
    assert hidden.op.name == "relu(dot)"  # a ReLU neuron is one node
    assert loss not in groups  # made outside the model
    assert len(groups) == 3 + 1  # three ReLU neurons, one linear output neuron
    # outside the block nothing is recorded and calls take the fast path
    assert not autograd.is_recording_scopes()


def test_trace_modules_sequential_and_foreign_modules():
    seq = nn.Sequential(nn.Layer(2, 2, activation="linear", seed=0), nn.Tanh())
    relu = nn.ReLU()
    with nn.trace_modules(seq) as groups:
        h = seq([1.0, 2.0])
        r = relu(h)
    assert groups[h[0]] == ("1",)
    assert groups[h[0].parents[0]] == ("0", "0.neurons.0")
    assert groups[r[1]] == ("ReLU",)


def test_parameters_follow_every_change_of_the_model():
    """parameters() is kept between calls (zero_grad runs it every step) but never stale: an
    assignment, a deletion or a change inside one of the model's lists is seen at once."""
    model = nn.MLP(2, [3, 1], seed=0)

    def ids():
        return [id(p) for p in model.parameters()]

    first = model.parameters()
    first.append("not a parameter")  # the list returned is the caller's own
    assert ids() == [id(p) for p in first[:-1]] and len(ids()) == 13
    neuron = model.layers[0].neurons[1]
    neuron.w[0] = autograd.Value(0.5)  # in place, in a list
    assert id(neuron.w[0]) in ids() and len(ids()) == 13
    neuron.b = autograd.Value(0.25)  # an assignment
    assert id(neuron.b) in ids()
    neuron.extra = autograd.Value(1.0)
    assert id(neuron.extra) in ids() and len(ids()) == 14
    del neuron.extra
    assert len(ids()) == 13
    model.layers.append(nn.Layer(1, 2, seed=3))  # a module appended to a list
    assert len(ids()) == 13 + 4
    model.layers[-1].neurons[0].w.append(autograd.Value(2.0))  # a list inside the new module
    assert len(ids()) == 13 + 5
    assert ids() == [id(p) for _, p in model.named_parameters()]
