"""Graph pictures: real SVG/PNG from the real `dot`, escaping, heat, clusters, guards, errors."""
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import pytest

import autograd
from autograd import Value
from autograd.show import draw as draw_module
from graphs import micrograd_example

SVG = "{http://www.w3.org/2000/svg}"


def svg_groups(svg_text, cls):
    root = ET.fromstring(svg_text)
    return [g for g in root.iter(SVG + "g") if g.get("class") == cls]


def svg_texts(svg_text):
    return [t.text or "" for t in ET.fromstring(svg_text).iter(SVG + "text")]


def test_draw_dot_returns_a_digraph_with_one_box_per_value_and_one_oval_per_op():
    L = micrograd_example(backward=True)
    picture = autograd.draw_dot(L)
    assert isinstance(picture, graphviz.Digraph)
    assert picture.format == "svg"
    svg = picture.pipe(encoding="utf-8")
    nodes = svg_groups(svg, "node")
    edges = svg_groups(svg, "edge")
    # 7 Values (a b c f e d L) + 3 op nodes (*, +, *)
    assert len(nodes) == 10
    # each op: one edge per input (2) + one to its output
    assert len(edges) == 3 * 3
    texts = svg_texts(svg)
    for expected in ["data -8.0", "grad 1.0", "grad -2.0", "grad 6.0", "grad -4.0", "grad 4.0"]:
        assert expected in texts
    assert texts.count("*") == 2 and texts.count("+") == 1


def test_n_ary_nodes_and_shared_inputs_give_one_edge_per_use():
    x = Value(1.5, label="x")
    ws = [Value(0.5), Value(-1.0), Value(2.0)]
    s = autograd.dot(ws, [x, x, x], Value(0.1))
    y = autograd.sum([s, x * x])
    picture = autograd.draw_dot(y, show_grad=False)
    svg = picture.pipe(encoding="utf-8")
    # Values: x, 3 weights, bias, s, x*x, y = 8; ops: dot, *, sum = 3
    assert len(svg_groups(svg, "node")) == 11
    # dot: 7 inputs + 1 output; *: 2 + 1; sum: 2 + 1
    assert len(svg_groups(svg, "edge")) == 8 + 3 + 3
    assert not any(t.startswith("grad") for t in svg_texts(svg))


def test_png_render_and_save_graph_formats(tmp_path):
    L = micrograd_example(backward=True)
    png = autograd.save_graph(L, tmp_path / "sub" / "g.png")
    assert png == str(tmp_path / "sub" / "g.png")  # a string, as graphviz's render returns
    png, svg, pdf, dot = map(Path, (png, autograd.save_graph(L, tmp_path / "g.svg"),
                                    autograd.save_graph(L, tmp_path / "g.pdf"),
                                    autograd.save_graph(L, tmp_path / "g.dot")))
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "grad -4.0" in svg_texts(svg.read_text(encoding="utf-8"))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert dot.read_text(encoding="utf-8").startswith("digraph chainrule {")
    rendered = autograd.draw_dot(L, format="png").render(tmp_path / "r", cleanup=True)
    assert rendered.endswith("r.png")
    with pytest.raises(ValueError, match=r"\.svg, \.png, \.pdf"):
        autograd.save_graph(L, tmp_path / "g.bmpx")


HOSTILE = ['say "hi"', "{braces}", "<b>not bold</b>", "a|b|c", "back\\slash\\n \\N \\G \\\\", "two\nlines",
           "ünïcödé ∂L/∂x 日本 🙂", "&amp; ]; } -> \"", "tab\there"]


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_hostile_labels_render_with_real_dot(fmt, tmp_path):
    v = Value(1.0, label=HOSTILE[0])
    for k, label in enumerate(HOSTILE[1:]):
        v = v * Value(float(k + 2), label=label)
    v.label = "<root>"
    v.backward()
    path = Path(autograd.save_graph(v, tmp_path / f"hostile.{fmt}",
                                    groups={v: ['cluster "x" <y>|{z}']}))
    if fmt == "png":
        assert path.read_bytes().startswith(b"\x89PNG")
        return
    svg = path.read_text(encoding="utf-8")
    texts = svg_texts(svg)  # parses: the SVG is well-formed XML
    joined = "\n".join(texts)
    for label in HOSTILE:
        for line in label.replace("\t", "\\t").split("\n"):
            assert line in joined, line
    assert "<root>" in texts
    assert 'cluster "x" <y>|{z}' in texts
    # the DOT source itself keeps every label inside one HTML-like label: no raw < or " leak out
    source = autograd.draw_dot(v).source
    assert "<b>not bold</b>" not in source and "&lt;b&gt;not bold&lt;/b&gt;" in source


def test_missing_dot_binary_gives_install_hints_and_dot_source_still_works(monkeypatch, tmp_path):
    L = micrograd_example(backward=True)
    monkeypatch.setenv("PATH", "")
    picture = autograd.draw_dot(L)
    assert "digraph chainrule" in picture.source  # no binary needed for the source
    with pytest.raises(autograd.GraphvizNotFoundError) as info:
        picture.pipe()
    message = str(info.value)
    assert "apt-get install graphviz" in message
    assert "brew install graphviz" in message
    assert "conda install -c conda-forge graphviz" in message
    assert ".source" in message and ".dot" in message
    assert isinstance(info.value, RuntimeError)
    assert isinstance(info.value, graphviz.ExecutableNotFound)
    with pytest.raises(autograd.GraphvizNotFoundError, match="as png"):
        autograd.save_graph(L, tmp_path / "g.png")
    with pytest.raises(autograd.GraphvizNotFoundError):
        picture.render(tmp_path / "r")
    with pytest.raises(autograd.GraphvizNotFoundError):  # what Jupyter calls to show it inline
        picture._repr_mimebundle_()
    written = Path(autograd.save_graph(L, tmp_path / "g.dot"))
    assert written.read_text(encoding="utf-8") == picture.source


def chain(n):
    x = Value(0.5, label="x")
    y = x
    for _ in range(n):
        y = y * 1.0001
    return y


def test_max_nodes_guard_points_at_groups_and_collapse():
    y = chain(300)  # 601 Values
    with pytest.raises(ValueError) as info:
        autograd.draw_dot(y)
    message = str(info.value)
    assert "601" in message and "max_nodes=500" in message
    assert "groups=" in message and "collapse=True" in message and "max_nodes=None" in message
    assert "nn.trace_modules(model)" in message and "autograd.record_scopes()" in message
    with pytest.raises(ValueError, match="max_nodes=6"):
        autograd.draw_dot(micrograd_example(backward=True), max_nodes=6)
    assert "v600" in autograd.draw_dot(y, max_nodes=None).source


def tiny_mlp():
    """Two layers of tanh neurons, with every op made inside autograd.scope(...) blocks."""
    with autograd.record_scopes() as scopes:
        xs = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
        hidden = []
        with autograd.scope("layer1"):
            for i in range(3):
                with autograd.scope(f"neuron{i}"):
                    ws = [Value(0.1 * i - 0.3, label="w"), Value(0.2, label="w")]
                    hidden.append(autograd.dot(ws, xs, Value(0.1, label="b")).tanh())
        with autograd.scope("layer2"):
            with autograd.scope("neuron0"):
                out = autograd.dot([Value(0.3), Value(-0.2), Value(0.7)], hidden, Value(0.0)).tanh()
        loss = (out - 1.0) ** 2
    loss.backward()
    return loss, scopes


def cluster_members(source):
    """{cluster label: labels of the value boxes declared inside it (nested ones included)}."""
    members, stack = {}, []
    for line in source.splitlines():
        line = line.strip()
        if line.startswith("subgraph cluster_"):
            stack.append(None)
        elif line.startswith("graph [") and stack and stack[-1] is None:
            stack[-1] = re.search(r"label=<(.*?)>[ \]]", line).group(1)
            members.setdefault(stack[-1], [])
        elif line == "}" and stack:
            stack.pop()
        elif re.match(r"v\d+ \[label=<", line) and stack:
            label = re.search(r"<B>(.*?)</B>", line)
            for name in stack:
                members[name].append(label.group(1) if label else "")
    return members


def test_groups_draw_nested_clusters_with_parameters_inside_their_neuron():
    loss, scopes = tiny_mlp()
    picture = autograd.draw_dot(loss, groups=scopes)
    source = picture.source
    assert source.count("subgraph cluster_") == 1 + 3 + 1 + 1  # layer1, 3 neurons, layer2, neuron0
    svg = picture.pipe(encoding="utf-8")
    titles = sorted(g.find(f"{SVG}text").text for g in svg_groups(svg, "cluster"))
    assert titles == ["layer1", "layer2", "neuron0", "neuron0", "neuron1", "neuron2"]
    members = cluster_members(source)
    # a layer-1 neuron's cluster holds its own 2 weights and its bias (leaves placed with their
    # only consumer) plus the unlabelled dot and tanh outputs; the shared inputs x1, x2 stay out
    assert sorted(members["neuron1"]) == ["", "", "b", "w", "w"]
    assert sorted(members["layer1"]) == [""] * 6 + ["b"] * 3 + ["w"] * 6
    assert len(members["layer2"]) == 3 + 1 + 2  # 3 weights, bias, dot, tanh
    assert not any("x1" in m or "x2" in m for m in members.values())


def test_collapse_draws_one_box_per_module_with_edges_between_modules():
    loss, scopes = tiny_mlp()
    svg = autograd.draw_dot(loss, groups=scopes, collapse=True).pipe(encoding="utf-8")
    nodes = svg_groups(svg, "node")
    # 4 neuron boxes + x1, x2 + the ungrouped tail: constant 1.0, out - 1.0 with its op, **2 with
    # its op = 4 + 2 + 5
    assert len(nodes) == 11
    texts = svg_texts(svg)
    assert texts.count("neuron0") == 2 and "neuron2" in texts
    assert "2 ops, 3 leaves" in texts  # a layer-1 neuron: dot and tanh; 2 weights and a bias
    # x1 -> each layer-1 neuron, x2 -> each, each layer-1 neuron -> layer-2 neuron, then
    # neuron -> "-" op, 1.0 -> "-" op, op -> value, value -> "**2" op, op -> value
    assert len(svg_groups(svg, "edge")) == 3 + 3 + 3 + 1 + 1 + 1 + 1 + 1

    by_layer = autograd.draw_dot(loss, groups=scopes, collapse=1).source
    assert by_layer.count("ops, ") == 2 and "subgraph" not in by_layer
    assert "×3" in by_layer  # three neurons of layer 1 feed layer 2
    with pytest.raises(ValueError, match="groups="):
        autograd.draw_dot(loss, collapse=True)


def test_collapse_keeps_edges_between_ungrouped_nodes_holding_equal_numbers():
    # Outside every module each node is its own box; two of them holding the same number are still
    # two boxes joined by an edge (Values compare equal by number, so boxes are told apart by id).
    x = Value(2.0, label="x")
    with autograd.record_scopes() as scopes:
        with autograd.scope("m"):
            h = x * 1.0
    a = h * 1.0
    a.label = "a"
    b = a * 1.0
    b.label = "b"  # x, h, a, b all hold 2.0; each constant 1.0 is its own box too
    source = autograd.draw_dot(b, groups=scopes, collapse=True).source
    # m (x and h) -> a's op, 1.0 -> a's op, a's op -> a, a -> b's op, 1.0 -> b's op, b's op -> b
    assert source.count(" -> ") == 6


def test_heat_colours_by_log_grad_with_a_legend():
    a, b = Value(1e-6, label="a"), Value(1e-3, label="b")
    y = a * b  # grads: y 1, a 1e-3, b 1e-6: evenly spaced on a log scale
    y.backward()
    picture = autograd.draw_dot(y, heat=True)
    ids = {v.label: f"v{i}" for i, v in enumerate(autograd.topological_order(y))}
    fills = dict(re.findall(r'(v\d) \[label=<<TABLE[^>]*BGCOLOR="(#[0-9a-f]{6})"', picture.source))
    assert fills[ids["b"]] == draw_module.HEAT_STOPS[0]  # smallest |grad|: lightest
    assert fills[ids[""]] == draw_module.HEAT_STOPS[-1]  # y, largest: darkest
    assert fills[ids["a"]] == draw_module.HEAT_STOPS[2]  # halfway on the log scale
    texts = svg_texts(picture.pipe(encoding="utf-8"))
    assert "|grad|" in texts
    assert {"1.0e+00", "1.0e-03", "1.0e-06"} <= set(texts)

    w = Value(3.0, label="w")
    q = w * 0.0
    q.backward()
    zeros = autograd.draw_dot(q, heat=True).source
    assert f'BGCOLOR="{draw_module.ZERO_COLOUR}"><TR><TD><B><FONT COLOR="black">w<' in zeros
    assert ">0<" in zeros  # the legend's row for exact zeros


def test_create_graph_grads_are_shown_by_their_number():
    x = Value(3.0, label="x")
    y = x * x * x
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value)
    assert "grad 27.0" in autograd.draw_dot(y).source


def test_graph_tour_demo_writes_every_file(tmp_path, capsys):
    from demos import graph_tour

    written = graph_tour.main(["--out", str(tmp_path / "tour")])["files"]
    names = sorted(p.name for p in written)
    out = capsys.readouterr().out
    pictures = out[out.index("pictures written:"):out.index("other files written:")]
    assert sorted(re.findall(r"(\w+\.\w+)\n", pictures)) == sorted([
        "expression.svg", "neuron.svg", "neuron_dot.svg", "mlp_modules.svg", "mlp_collapsed.svg"])
    for heading in re.findall(r"^\d\. .*\n.*", out, re.M):  # something under every heading
        assert heading.splitlines()[1].strip(), heading
    assert names == sorted([
        "expression.svg", "expression.dot", "expression_tree.txt", "neuron.svg", "neuron_dot.svg",
        "neuron_backward_steps.txt", "neuron_backward_steps.html", "mlp_modules.svg",
        "mlp_collapsed.svg"])
    assert all(p.stat().st_size > 0 for p in written)
    assert str(tmp_path / "tour") in out
    # micrograd's numbers (its w1 and x1, counted from 0)
    assert "do/dw0 = do/d(x[0]*w0) · ∂(x[0]*w0)/∂w0 = 0.5 · 2.0 = 1.0" in out
    page = (tmp_path / "tour" / "neuron_backward_steps.html").read_text(encoding="utf-8")
    assert page.count('<li class="frame"') == 10


def test_hostile_op_names_are_escaped_too():
    name = 'f<"\\N|{x}>&\n2'
    weird = autograd.Op(name, lambda x: 2 * x, lambda out, x: (2.0,))
    y = weird(Value(1.0, label="x"))
    source = autograd.draw_dot(y).source
    assert "v1_op [label=<f&lt;&quot;\\\\N|{x}&gt;&amp;<BR" in source
    texts = svg_texts(autograd.draw_dot(y).pipe(encoding="utf-8"))
    assert 'f<"\\N|{x}>&' in texts and "2" in texts


def test_drawing_something_that_is_not_a_value_is_explained(tmp_path):
    L = micrograd_example(backward=True)
    for wrong in (L.data, [L], None):
        with pytest.raises(TypeError, match=r"draw_dot works on the graph of one Value .*got "
                                            + type(wrong).__name__):
            autograd.draw_dot(wrong)
    with pytest.raises(TypeError, match="save_graph works on the graph of one Value"):
        autograd.save_graph(L.data, tmp_path / "g.svg")


def test_unknown_rankdir_is_refused_instead_of_silently_ignored():
    with pytest.raises(ValueError, match=r"rankdir must be one of 'LR', 'TB', 'RL', 'BT', got 'lr'"):
        autograd.draw_dot(micrograd_example(backward=True), rankdir="lr")
    assert 'rankdir=TB' in autograd.draw_dot(micrograd_example(backward=True), rankdir="TB").source


def test_a_module_name_given_as_a_string_is_one_module_not_one_per_character():
    loss, scopes = tiny_mlp()
    flat = {node: path[-1] for node, path in scopes.items()}  # "neuron0", not ("neuron0",)
    source = autograd.draw_dot(loss, groups=flat).source
    assert source.count("subgraph cluster_") == 3  # neuron0 (both layers'), neuron1, neuron2
    assert "label=<n>" not in source


def test_graph_tour_without_dot_writes_dot_files_each_listed_once(tmp_path, monkeypatch, capsys):
    from demos import graph_tour

    monkeypatch.setenv("PATH", "")
    written = graph_tour.main(["--out", str(tmp_path / "tour")])["files"]
    assert len(written) == len(set(written))
    assert sorted(p.name for p in written) == sorted([
        "expression.dot", "expression_tree.txt", "neuron.dot", "neuron_dot.dot",
        "neuron_backward_steps.txt", "mlp_modules.dot", "mlp_collapsed.dot"])
    assert all(p.stat().st_size > 0 for p in written)
    notes = [line for line in capsys.readouterr().out.splitlines() if "`dot` program" in line]
    assert notes and all("install graphviz" in line and not line.endswith(":") for line in notes)


def test_a_model_picture_stands_module_by_module_and_fits_a_screen(tmp_path):
    """Modules side by side, not a staircase: graph_tour's MLP picture was 2284x2788 pt."""
    from demos import graph_tour

    graph_tour.main(["--out", str(tmp_path)])
    svg = (tmp_path / "mlp_modules.svg").read_text(encoding="utf-8")
    width, height = map(float, re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
    # each neuron's weights have a column of their own (see the next test), which costs a column
    # per layer; shown in a notebook the picture is scaled to the width of the output
    assert width <= 1900 and height <= 1300, (width, height)
    assert ">l0.n2.w1<" in svg and ">l2.n0.b<" in svg and ">x[1]<" in svg  # parameters by name


def lesson_3_graph():
    """Lesson 3's picture: the hinge loss of one point for MLP(2, [3, 1]), boxed by module."""
    import nn
    import nn.functional as F
    X, y = nn.data.make_moons(60, noise=0.1, seed=1337)
    tiny = nn.MLP(2, [3, 1], seed=0)
    with nn.trace_modules(tiny) as groups:
        score = tiny(X[0])
    loss = F.hinge_loss(score, nn.data.to_signed(y)[0])
    loss.backward()
    return loss, groups


def node_positions(picture):
    """{label or node id: (x, y)} from dot's plain output (y grows upwards), and the edges."""
    where, edges = {}, []
    for line in picture.pipe(format="plain", encoding="utf-8").splitlines():
        parts = line.split()
        if parts[0] == "node":
            label = re.search(r"<B>(.*?)</B>", line)
            where[label.group(1) if label else parts[1]] = (float(parts[2]), float(parts[3]))
            where[parts[1]] = (float(parts[2]), float(parts[3]))
        elif parts[0] == "edge" and "invis" not in parts:
            edges.append((parts[1], parts[2]))
    return where, edges


def test_a_model_reads_in_its_own_order_top_to_bottom_and_left_to_right():
    """Issue 20: lesson 3's graph had n2 above n0, w1 above w0, x[1] above x[0] and edges
    looping back to the left."""
    loss, groups = lesson_3_graph()
    where, edges = node_positions(autograd.draw_dot(loss, groups=groups))
    top_down = lambda names: [where[n][1] for n in names]  # noqa: E731
    assert top_down(["x[0]", "x[1]"]) == sorted(top_down(["x[0]", "x[1]"]), reverse=True)
    for neuron, n_in in [("l0.n0", 2), ("l0.n1", 2), ("l0.n2", 2), ("l1.n0", 3)]:
        column = [f"{neuron}.w{k}" for k in range(n_in)] + [f"{neuron}.b"]
        ys = top_down(column)
        assert ys == sorted(ys, reverse=True), (neuron, dict(zip(column, ys)))
        assert len({where[name][0] for name in column}) == 1  # one column, beside its neuron
    first_weights = top_down([f"l0.n{k}.w0" for k in range(3)])
    assert first_weights == sorted(first_weights, reverse=True)  # neuron 0 on top
    for tail, head in edges:  # no edge runs back to the left
        assert where[head][0] > where[tail][0], (tail, head)


@pytest.mark.parametrize("make, roles", [(lambda a, b: a - b, ("left", "right")),
                                         (lambda a, b: b - a, ("right", "left")),
                                         (lambda a, b: a / b, ("left", "right")),
                                         (lambda a, b: a ** b, ("base", "exponent"))])
def test_the_edges_say_which_input_is_which_where_order_matters(make, roles):
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    source = autograd.draw_dot(make(a, b)).source
    ids = dict(re.findall(r"(v\d+) \[label=<.*?<B>(\w)</B>", source))  # a/b -> their node ids
    by_label = {label: node for node, label in ids.items()}
    for name, role in zip("ab", roles):
        assert re.search(rf"{by_label[name]} -> v\d+_op \[[^\]]*label={role}\b", source), source


def test_commutative_ops_draw_no_edge_labels():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    for out in (a + b, a * b, autograd.sum([a, b])):
        assert " -> " in (source := autograd.draw_dot(out).source) and "label=left" not in source
        assert not re.search(r"-> v\d+_op \[[^\]]*label=", source)


def test_collapsed_neurons_of_a_layer_are_drawn_in_their_order():
    import nn
    model = nn.MLP(2, [3, 3, 1], "sigmoid", seed=0)
    with nn.trace_modules(model) as groups:
        out = model([Value(0.5), Value(-0.3)])
    out.backward()
    for rankdir, axis in (("TB", 2), ("LR", 3)):  # x across a TB picture, y down an LR one
        picture = autograd.draw_dot(out, groups=groups, collapse=True, rankdir=rankdir)
        plain = picture.pipe(format="plain", encoding="utf-8")
        where = {}
        for line in plain.splitlines():
            found = re.search(r">(layers\.\d\.neurons\.\d)<", line)
            if line.startswith("node ") and found:
                where[found.group(1)] = float(line.split()[axis])
        for layer in ("layers.0", "layers.1"):
            across = [where[f"{layer}.neurons.{k}"] for k in range(3)]
            assert across == (sorted(across) if rankdir == "TB" else sorted(across, reverse=True))


def test_a_collapsed_picture_also_says_which_side_of_a_minus_each_input_is():
    import nn
    model = nn.MLP(2, [2, 1], seed=0)
    with nn.trace_modules(model) as groups:
        out = Value(1.0, label="target") - model([0.5, -0.3])
    source = autograd.draw_dot(out, groups=groups, collapse=True).source
    target_id = re.search(r"(v\d+) \[label=<.*?<B>target</B>", source).group(1)
    assert re.search(rf"{target_id} -> v\d+_op \[[^\]]*headlabel=left", source)
    assert re.search(r"m\d+ -> v\d+_op \[[^\]]*headlabel=right", source)


def test_dot_is_stopped_past_its_time_budget_with_a_message_saying_what_to_do(tmp_path):
    """Issue 22: save_backward_steps of a 100-sample MLP ran inside dot for more than 600 s with
    no way to stop it; a picture now has a time budget (60 s unless told otherwise)."""
    total = Value(0.0)
    for i in range(400):
        total = total * Value(1.0) + Value(float(i))
    with pytest.raises(TimeoutError, match=r"took more than timeout=0\.01 s .* allow more time "
                                           r"with timeout=60 \(timeout=None: wait"):
        autograd.draw_dot(total, max_nodes=None, timeout=0.01).pipe()
    with pytest.raises(autograd.GraphTooSlowError, match="collapse=True"):
        autograd.save_backward_steps(total, tmp_path / "steps.html", max_nodes=None, timeout=0.01)
    assert not (tmp_path / "steps.html").exists()
    assert autograd.draw_dot(total, max_nodes=None).timeout == 60.0


def test_without_modules_each_op_draws_its_inputs_in_their_order_top_down():
    """Issue 20: lesson 2's neuron came out b, x[1], x[0], w1, w0 from the top."""
    import nn
    neuron = nn.Neuron(2, activation="tanh", seed=0)
    out = neuron([Value(2.0, label="x[0]"), Value(-1.0, label="x[1]")])
    out.backward()
    where, _ = node_positions(autograd.draw_dot(out))
    heights = [where[name][1] for name in ["w0", "w1", "x[0]", "x[1]", "b"]]
    assert heights == sorted(heights, reverse=True), heights
    a, b, c, d = (Value(v, label=k) for v, k in [(1.0, "a"), (2.0, "b"), (3.0, "c"), (4.0, "d")])
    where, _ = node_positions(autograd.draw_dot(a * b + c * d))
    heights = [where[name][1] for name in "abcd"]
    assert heights == sorted(heights, reverse=True), heights
