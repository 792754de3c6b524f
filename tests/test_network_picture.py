"""nn.draw_network: a model drawn as inputs, one circle per neuron and one line per weight.

The tests read the SVG as XML (what a browser gets) and the scene (what the live view reuses), on
small models whose weights, gradients and samples are set by hand.
"""
import base64
import io
import math
import os
import re
import struct
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import autograd
import nn
from autograd import Value
from nn._network_scene import NEGATIVE, NONFINITE, POSITIVE, SATURATED

SVG = "{http://www.w3.org/2000/svg}"


def set_weights(layer, rows, biases=None):
    """Give `layer`'s neurons the weights in `rows` (one list per neuron) and the biases."""
    for j, (neuron, row) in enumerate(zip(layer.neurons, rows)):
        for w, value in zip(neuron.w, row):
            w.data = value
        neuron.b.data = 0.0 if biases is None else biases[j]
    return layer


def parse(picture):
    return ET.fromstring(picture.svg)


def groups(root, kind):
    """The <g> of every weight, input or neuron (kind), in document order."""
    return [g for g in root.iter(f"{SVG}g") if kind in g.get("class", "").split()]


def title_of(element):
    return element.find(f"{SVG}title").text


# -- what is drawn ---------------------------------------------------------------------------------
def test_one_circle_per_input_and_neuron_and_one_line_per_weight():
    nn.manual_seed(0)
    model = nn.MLP(3, [4, 2, 1])
    picture = nn.draw_network(model)
    root = parse(picture)
    assert len(groups(root, "input")) == 3
    assert len(groups(root, "neuron")) == 4 + 2 + 1
    assert len(root.findall(f".//{SVG}circle")) == 3 + 7
    weights = groups(root, "weight")
    assert len(weights) == 3 * 4 + 4 * 2 + 2 * 1 == len(picture.scene.lines)
    # every weight of the model is drawn once, by its named_parameters() name
    names = [g.get("data-name") for g in weights]
    assert sorted(names) == sorted(n for n, _ in model.named_parameters() if ".w." in n)


def test_inputs_and_neurons_are_drawn_top_down_in_order_and_layers_left_to_right():
    nn.manual_seed(1)
    scene = nn.draw_network(nn.MLP(4, [6, 3])).scene
    for column, size in enumerate((4, 6, 3)):
        ys = [scene.circle(column, i).y for i in range(size)]
        assert ys == sorted(ys) and len(set(ys)) == size  # input 0 / neuron 0 at the top
    xs = [scene.circle(column, 0).x for column in range(3)]
    assert xs[0] < xs[1] < xs[2]
    # a line runs from the input it reads to the neuron it belongs to
    line = scene.line("layers.0.neurons.5.w.2")
    assert line.short == "l0.n5.w2" and line.source == (0, 2) and line.target == (1, 5)
    assert line.y1 == scene.circle(0, 2).y and line.y2 == scene.circle(1, 5).y
    assert line.x1 < line.x2


def test_colour_is_the_sign_and_width_grows_with_the_size_of_the_weight():
    layer = set_weights(nn.Layer(5, 1, activation="linear"), [[0.1, -0.2, 0.4, -0.8, 1.6]])
    lines = nn.draw_network(layer).scene.lines
    assert [line.colour for line in lines] == [POSITIVE, NEGATIVE, POSITIVE, NEGATIVE, POSITIVE]
    widths = [line.width for line in lines]
    assert widths == sorted(widths) and len(set(widths)) == 5
    opacities = [line.opacity for line in lines]
    assert opacities == sorted(opacities) and len(set(opacities)) == 5
    # the same in the SVG
    drawn = [g.find(f"{SVG}line") for g in groups(parse(nn.draw_network(layer)), "weight")]
    assert [float(d.get("stroke-width")) for d in drawn] == pytest.approx(widths, abs=0.01)
    assert [d.get("stroke") for d in drawn][:2] == [POSITIVE, NEGATIVE]


def test_gradient_overlay_draws_the_size_and_sign_of_each_grad():
    layer = set_weights(nn.Layer(3, 1, activation="linear"), [[3.0, -2.0, 1.0]])
    for w, g in zip(layer.neurons[0].w, (0.01, 0.5, -2.0)):  # the reverse order of |w|
        w.grad = g
    by_weight = nn.draw_network(layer).scene.lines
    by_grad = nn.draw_network(layer, gradients=True).scene.lines
    assert by_weight[0].width > by_weight[1].width > by_weight[2].width
    assert by_grad[0].width < by_grad[1].width < by_grad[2].width
    assert [line.colour for line in by_grad] == [POSITIVE, POSITIVE, NEGATIVE]
    assert [line.grad for line in by_grad] == [0.01, 0.5, -2.0]
    svg = nn.draw_network(layer, gradients=True).svg
    assert "gradients dL/dw" in svg and "widest = 2" in svg


def test_gradient_overlay_after_a_real_backward_and_a_hint_before_it():
    nn.manual_seed(2)
    model = nn.MLP(2, [3, 1], activation="tanh")
    model.zero_grad()
    assert "call loss.backward() first" in nn.draw_network(model, gradients=True).svg
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    lines = nn.draw_network(model, gradients=True).scene.lines
    grads = {name: p.grad for name, p in model.named_parameters()}
    assert [line.grad for line in lines] == [grads[line.name] for line in lines]
    largest = max(lines, key=lambda line: abs(line.grad))
    assert largest.width == max(line.width for line in lines)
    assert "call loss.backward() first" not in nn.draw_network(model, gradients=True).svg


def test_a_nan_weight_is_drawn_in_its_own_colour():
    layer = set_weights(nn.Layer(2, 1), [[math.nan, 1.0]])
    scene = nn.draw_network(layer, [1.0, 2.0]).scene
    assert scene.lines[0].colour == NONFINITE and scene.lines[1].colour == POSITIVE
    assert "nan/inf" in nn.draw_network(layer).svg


# -- the sample ------------------------------------------------------------------------------------
def test_neurons_are_shaded_by_their_output_on_the_sample():
    layer = set_weights(nn.Layer(2, 3, activation="linear"), [[1, 0], [0, -1], [0.5, 0]])
    scene = nn.draw_network(layer, [2.0, 4.0]).scene
    values = [scene.circle(1, j).value for j in range(3)]
    assert values == [2.0, -4.0, 1.0]
    fills = [scene.circle(1, j).fill for j in range(3)]
    assert fills[0].startswith("#") and len(set(fills)) == 3
    assert scene.circle(1, 1).fill == scene_colour_at_full(NEGATIVE)  # the largest |value|
    assert scene.sample == (2.0, 4.0)
    # unshaded without a sample
    assert {c.fill for c in nn.draw_network(layer).scene.circles} == {"#ffffff"}


def scene_colour_at_full(colour):
    from nn._network_scene import mix
    return mix(colour, 0.85)


def test_the_picture_agrees_with_the_model_and_hover_shows_the_numbers():
    nn.manual_seed(3)
    model = nn.MLP(2, [4, 4, 2])
    picture = nn.draw_network(model, [0.3, -0.7])
    expected = [v.data for v in model([0.3, -0.7])]
    scene = picture.scene
    assert [scene.circle(3, j).value for j in range(2)] == expected
    neuron = scene.circle(1, 2)
    n = model.layers[0].neurons[2]
    weighted = n.w[0].data * 0.3 + n.w[1].data * -0.7 + n.b.data
    assert neuron.name == "layers.0.neurons.2" and neuron.short == "l0.n2"
    assert neuron.value == pytest.approx(max(weighted, 0.0), abs=1e-15)
    (g,) = [g for g in groups(parse(picture), "neuron") if g.get("data-name") == neuron.name]
    hover = title_of(g)
    assert hover.startswith("l0.n2 (layers.0.neurons.2): 2 inputs, relu")
    assert f"bias l0.n2.b = {n.b.data:.4g}" in hover
    # and each weight says its name, both forms, its value and its gradient
    weight = [g for g in groups(parse(picture), "weight")
              if g.get("data-name") == "layers.1.neurons.3.w.0"][0]
    text = title_of(weight)
    value = model.layers[1].neurons[3].w[0].data
    assert text.startswith("l1.n3.w0 (layers.1.neurons.3.w.0)\n")
    assert f"weight = {value:.4g}".replace("-", "\u2212") in text
    assert "from l0.n0 to l1.n3" in text
    inputs = groups(parse(picture), "input")
    assert title_of(inputs[1]) == "input x[1] = \u22120.7"


def test_dead_relus_are_marked():
    layer = set_weights(nn.Layer(1, 3), [[1.0], [-1.0], [0.0]], biases=[0.0, 0.0, 0.5])
    picture = nn.draw_network(layer, [2.0])
    marks = [picture.scene.circle(1, j).mark for j in range(3)]
    assert marks == [None, "dead", None]  # relu(-2) = 0 exactly; relu(0.5) is alive
    dead = groups(parse(picture), "dead")
    assert [g.get("data-name") for g in dead] == ["neurons.1"]
    assert dead[0].find(f"{SVG}path") is not None  # the cross
    assert "dead" in title_of(dead[0]) and "dead ReLU (1)" in picture.svg
    # a ReLU module after a linear layer counts too; no sample, no marks
    model = nn.Sequential(set_weights(nn.Layer(1, 2, activation="linear"), [[1.0], [-1.0]]),
                          nn.ReLU())
    assert [c.mark for c in nn.draw_network(model, [1.0]).scene.circles] == [None, None, "dead"]
    assert {c.mark for c in nn.draw_network(model).scene.circles} == {None}
    # a ReLU is dead even when a sigmoid follows it (sigmoid(0) = 0.5 passes on, no gradient back)
    model = nn.Sequential(set_weights(nn.Layer(1, 2), [[1.0], [-1.0]]), nn.Sigmoid())
    scene = nn.draw_network(model, [1.0]).scene
    assert [c.mark for c in scene.circles] == [None, None, "dead"]
    assert scene.circle(1, 1).value == 0.5


def test_saturated_tanh_and_sigmoid_are_marked():
    tanh = set_weights(nn.Layer(1, 3, activation="tanh"), [[3.0], [-2.6], [2.0]])
    # tanh(3) = 0.995, tanh(-2.6) = -0.989 (not beyond 0.99), tanh(2) = 0.96
    assert [c.mark for c in nn.draw_network(tanh, [1.0]).scene.circles[1:]] == [
        "saturated", None, None]
    sigmoid = set_weights(nn.Layer(1, 4, activation="sigmoid"), [[-5.0], [4.5], [4.7], [0.0]])
    # sigmoid(-5) = 0.0067, sigmoid(4.5) = 0.989, sigmoid(4.7) = 0.991, sigmoid(0) = 0.5
    picture = nn.draw_network(sigmoid, [1.0])
    assert [c.mark for c in picture.scene.circles[1:]] == ["saturated", None, "saturated", None]
    ring = picture.scene.circle(1, 0)
    assert ring.stroke == SATURATED and ring.stroke_width >= 2
    assert len(groups(parse(picture), "saturated")) == 2 and "saturated (2)" in picture.svg
    # a Tanh module after a linear layer
    model = nn.Sequential(set_weights(nn.Layer(1, 2, activation="linear"), [[10.0], [0.1]]),
                          nn.Tanh())
    assert [c.mark for c in nn.draw_network(model, [1.0]).scene.circles[1:]] == ["saturated", None]


def test_drawing_with_a_sample_leaves_the_model_as_it_was():
    nn.manual_seed(4)
    model = nn.Sequential(nn.Layer(2, 3, activation="linear"), nn.BatchNorm1d(3), nn.ReLU(),
                          nn.Dropout(0.5, seed=1), nn.Layer(3, 1))
    model([[0.1, 0.2], [1.0, -1.0], [0.3, 2.0]])  # training: moves the running statistics
    model[3].eval()  # mixed modes must come back as they were
    state = model.state_dict()
    flags = [m.training for m in model.modules()]
    rng = model[3]._rng.getstate()
    labels = [p.label for p in model.parameters()]
    grads = [p.grad for p in model.parameters()]
    picture = nn.draw_network(model, [0.5, -0.25])
    assert model.state_dict() == state and model[1].num_batches_tracked == 1
    assert [m.training for m in model.modules()] == flags
    assert [m for m in model.modules() if not m.training] == [model[3]]
    assert model[3]._rng.getstate() == rng
    assert [p.label for p in model.parameters()] == labels
    assert [p.grad for p in model.parameters()] == grads
    # it drew what the model computes in evaluation mode
    model.eval()
    expected = model([0.5, -0.25]).data
    model.train()
    assert picture.scene.circle(2, 0).value == expected
    # the batchnorm and dropout steps are named under the layer they follow
    assert "then batchnorm, relu, dropout" in picture.svg


def test_a_sample_may_be_values_a_tuple_or_a_numpy_array():
    layer = set_weights(nn.Layer(2, 1, activation="linear"), [[1.0, 2.0]])
    for sample in ([1.0, 2.0], (1, 2), np.array([1.0, 2.0]), [Value(1.0), Value(2.0)]):
        assert nn.draw_network(layer, sample).scene.circle(1, 0).value == 5.0


# -- models of every supported shape ---------------------------------------------------------------
def test_a_neuron_a_layer_and_nested_sequentials_are_drawn():
    neuron = nn.Neuron(3, activation="tanh")
    scene = nn.draw_network(neuron).scene
    assert len(scene.circles) == 4 and [line.name for line in scene.lines] == ["w.0", "w.1", "w.2"]
    assert scene.circle(1, 0).name == "neuron" and scene.lines[2].title.endswith("to neuron")
    nested = nn.Sequential(nn.Sequential(nn.Layer(2, 3), nn.Dropout(0.1)), nn.MLP(3, [2, 1]))
    scene = nn.draw_network(nested).scene
    assert len(scene.circles) == 2 + 3 + 2 + 1 and len(scene.lines) == 6 + 6 + 2
    assert scene.line("1.layers.1.neurons.0.w.1").target == (3, 0)


# -- bad input -------------------------------------------------------------------------------------
def test_models_it_cannot_draw_are_refused_saying_what_it_draws():
    with pytest.raises(TypeError, match=r"layers of neurons \(nn\.MLP.*; got int 3"):
        nn.draw_network(3)
    with pytest.raises(TypeError, match="Softmax has no layer of neurons"):
        nn.draw_network(nn.Softmax())

    class Custom(nn.Module):
        def forward(self, x):
            return x

    with pytest.raises(TypeError, match=r"cannot draw 1 of Sequential: it is a Custom; .*nn\.MLP"):
        nn.draw_network(nn.Sequential(nn.Layer(2, 2), Custom()))
    with pytest.raises(TypeError, match="nn.MLP, nn.Layer"):
        nn.draw_network(Custom())


def test_layers_that_do_not_fit_are_named():
    with pytest.raises(ValueError, match=r"2 \(Layer\(4, 1.*takes 4 inputs, but the layer "
                                         r"before \(0\) gives it 3"):
        nn.draw_network(nn.Sequential(nn.Layer(2, 3), nn.ReLU(), nn.Layer(4, 1)))
    with pytest.raises(ValueError, match=r"1 \(BatchNorm1d\(5.*normalises 5 features"):
        nn.draw_network(nn.Sequential(nn.Layer(2, 3), nn.BatchNorm1d(5)))


def test_bad_samples_are_refused_clearly():
    model = nn.MLP(2, [3, 1])
    with pytest.raises(ValueError, match="the sample has 3 entries, but MLP takes 2 inputs"):
        nn.draw_network(model, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="got a batch of 2; pass one of them"):
        nn.draw_network(model, [[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(TypeError, match="sample entry 1 is str"):
        nn.draw_network(model, [1.0, "2"])
    with pytest.raises(TypeError, match="one input vector"):
        nn.draw_network(model, "12")
    with pytest.raises(TypeError, match="gradients=...") :
        nn.draw_network(model, gradients="yes")
    with pytest.raises(ValueError, match="width in pixels"):
        nn.draw_network(model, width=10)
    assert nn.draw_network(model, width=800).scene.width == 800


# -- the picture as SVG, PNG and a file ------------------------------------------------------------
def test_the_svg_is_self_contained_accessible_and_scales_to_its_container():
    nn.manual_seed(5)
    picture = nn.draw_network(nn.MLP(2, [3, 1]), [1.0, 2.0])
    root = parse(picture)
    assert root.get("role") == "img" and root.get("width") == "100%"
    assert root.get("viewBox") == f"0 0 {picture.scene.width:g} {picture.scene.height:g}"
    assert f"max-width: {picture.scene.width:g}px" in root.get("style")
    assert root[0].tag == f"{SVG}title" and root[0].text == picture.scene.title
    assert root.get("aria-label") == picture.scene.title
    assert picture.scene.title.startswith("Network picture of MLP(2, [3, 1], activation='relu'): "
                                          "2 inputs, then layers of 3, 1 neurons, 9 weights")
    assert "http" not in picture.svg.replace("http://www.w3.org/2000/svg", "")


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_png_is_the_same_scene_at_twice_the_size():
    pytest.importorskip("matplotlib")
    nn.manual_seed(6)
    picture = nn.draw_network(nn.MLP(2, [16, 16, 1]), [0.5, 0.5])
    width, height = png_size(picture.png)
    assert abs(width - 2 * picture.scene.width) <= 1 and abs(height - 2 * picture.scene.height) <= 1
    assert 10_000 < len(picture.png) < 2_000_000
    assert picture._repr_png_() is picture.png  # made once


def test_png_draws_the_scene_line_colours_where_the_lines_are():
    pytest.importorskip("matplotlib")
    from PIL import Image

    layer = set_weights(nn.Layer(1, 2, activation="linear"), [[1.0], [-1.0]])
    picture = nn.draw_network(layer)
    image = Image.open(io.BytesIO(picture.png)).convert("RGB")
    for line in picture.scene.lines:
        middle = (round(line.x1 + line.x2), round(line.y1 + line.y2))  # 2 PNG pixels per px
        red, _, blue = image.getpixel(middle)
        assert (blue > red + 60) if line.weight > 0 else (red > blue + 60), (line.name, red, blue)
    assert image.getpixel((4, 4)) == (255, 255, 255)  # a white background


def test_odd_sizes_draw():
    assert len(nn.draw_network(nn.Layer(0, 2), []).scene.circles) == 2  # no inputs: biases only
    assert len(nn.draw_network(nn.MLP(1, [1])).scene.lines) == 1


def test_notebook_display_gives_svg_png_and_text():
    picture = nn.draw_network(nn.MLP(2, [2, 1]))
    bundle = picture._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/svg+xml", "image/png"}
    assert bundle["image/svg+xml"] == picture.svg == picture._repr_svg_()
    assert bundle["image/png"][:4] == b"\x89PNG"
    assert list(picture._repr_mimebundle_(include=["image/png"])) == ["image/png"]
    assert "image/png" not in picture._repr_mimebundle_(exclude=["image/png"])
    text = repr(picture)
    assert text.startswith("<NetworkPicture of MLP(2, [2, 1], activation='relu'): 2 inputs, "
                           "3 neurons, 6 weights.")
    assert ".save('network.svg')" in text and ".save('network.png')" in text


def test_save_writes_svg_or_png_by_the_suffix_atomically(tmp_path, monkeypatch):
    picture = nn.draw_network(nn.MLP(2, [2, 1]))
    assert picture.save(tmp_path / "net.svg") == str(tmp_path / "net.svg")
    assert (tmp_path / "net.svg").read_text(encoding="utf-8") == picture.svg
    picture.save(str(tmp_path / "net.PNG"))
    assert (tmp_path / "net.PNG").read_bytes() == picture.png
    written = []
    real = autograd.write_atomically
    monkeypatch.setattr(autograd, "write_atomically",
                        lambda path, data: written.append(path) or real(path, data))
    picture.save(tmp_path / "again.svg")
    assert written == [tmp_path / "again.svg"]
    assert sorted(os.listdir(tmp_path)) == ["again.svg", "net.PNG", "net.svg"]  # no temporary left
    with pytest.raises(ValueError, match=r"'.*net\.pdf'.*\.svg or \.png"):
        picture.save(tmp_path / "net.pdf")
    with pytest.raises(ValueError, match="cannot write to an empty path"):
        picture.save("")
    picture.save(tmp_path / "missing" / "net.svg")  # missing folders are created, as by every saver
    assert (tmp_path / "missing" / "net.svg").read_text(encoding="utf-8") == picture.svg
    assert sorted(os.listdir(tmp_path)) == ["again.svg", "missing", "net.PNG", "net.svg"]


# -- the model's own notebook display --------------------------------------------------------------
def test_a_model_shows_its_table_and_its_picture_in_a_notebook():
    nn.manual_seed(7)
    model = nn.MLP(2, [3, 1])
    page = model._repr_html_()
    assert page.count("<table") == 1 and page.count("<svg") == 1
    assert page.index("<table") < page.index("<svg")
    # after the SVG, the PNG for untrusted notebooks (which strip <svg> and <style>), hidden by a
    # style wherever the SVG is shown
    fallback = re.search(r'<img class="chainrule-network-png" src="data:image/png;base64,([^"]+)"',
                         page)
    assert fallback and page.index("<svg") < fallback.start()
    assert base64.b64decode(fallback.group(1))[:4] == b"\x89PNG"
    assert "svg.chainrule-network + img.chainrule-network-png {display: none}" in page
    bundle = model._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "image/png"}
    assert bundle["text/plain"] == repr(model) and bundle["text/html"] == page
    assert bundle["image/png"] == base64.b64decode(fallback.group(1))  # one PNG, drawn once
    assert list(model._repr_mimebundle_(exclude=["image/png", "text/plain"])) == ["text/html"]
    assert "<svg" in nn.Layer(2, 3)._repr_html_()
    assert "<svg" in nn.Sequential(nn.Layer(2, 3), nn.Tanh(), nn.Layer(3, 1))._repr_html_()


def test_a_model_too_big_to_show_in_every_notebook_shows_its_table_alone():
    big = nn.MLP(2, [40, 40, 1])  # 1720 weights
    assert "<svg" not in big._repr_html_() and "image/png" not in big._repr_mimebundle_()
    assert len(nn.draw_network(big).scene.lines) == 1720  # asked for, it is drawn


def test_a_model_it_cannot_draw_shows_its_table_alone():
    odd = nn.Sequential(nn.Layer(2, 3), nn.Layer(4, 1))  # does not fit: no picture, no error
    assert "<svg" not in odd._repr_html_() and "<table" in odd._repr_html_()
    assert set(odd._repr_mimebundle_()) == {"text/plain", "text/html"}
    assert "<svg" not in nn.ReLU()._repr_html_()


def run_python(code):
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_the_svg_needs_no_matplotlib():
    assert run_python("import sys, nn\n"
                      "nn.draw_network(nn.MLP(2, [3, 1]), [1.0, 2.0]).svg\n"
                      "print(sorted(m for m in ('matplotlib', 'PIL') if m in sys.modules))") == "[]"
    # without matplotlib: the SVG alone, and a PNG asked for says what to install
    shown = run_python(
        "import sys\n"
        "sys.modules['matplotlib'] = None  # import matplotlib raises ImportError\n"
        "import nn\n"
        "model = nn.MLP(2, [3, 1])\n"
        "picture = nn.draw_network(model)\n"
        "html = model._repr_html_()\n"
        "print('<svg' in html, '<img' in html, sorted(model._repr_mimebundle_()),\n"
        "      sorted(picture._repr_mimebundle_()))\n"
        "try:\n"
        "    picture.png\n"
        "except ImportError as error:\n"
        "    print(error)\n")
    assert shown.splitlines() == [
        "True False ['text/html', 'text/plain'] ['image/svg+xml', 'text/plain']",
        "a PNG of the network needs matplotlib: pip install matplotlib (the SVG, picture.svg, "
        "needs nothing)"]
