"""Step-by-step backprop: the steps' numbers are backward()'s numbers; the step-through page."""
import html
import math
import random
import re
from pathlib import Path

import pytest

import autograd
from autograd import Value
from autograd.show._text import format_number
from graphs import micrograd_example


def number(x):
    """A number as the explanation writes it (a real minus sign)."""
    text = format_number(x)
    return "−" + text[1:] if text.startswith("-") else text


def grads_by_backward(root):
    """Run the real backward() on fresh leaf grads and return every node's grad."""
    order = autograd.topological_order(root)
    for v in order:
        v.grad = 0.0
    root.backward()
    return {v: v.grad for v in order}


def assert_steps_match_backward(root):
    steps = autograd.explain(root, print_steps=False)
    expected = grads_by_backward(root)
    assert len(steps) == len(expected)
    order = list(reversed(autograd.topological_order(root)))
    assert all(s.node is v for s, v in zip(steps, order))
    for step in steps:
        assert step.grad == expected[step.node], step.text  # the very same floats
        if step.terms:
            assert math.isclose(step.grad, math.fsum(t.upstream * t.local for t in step.terms),
                                rel_tol=1e-12, abs_tol=1e-300)
    return steps


def test_micrograd_example_steps_and_text(capsys):
    L = micrograd_example()
    steps = autograd.explain(L)
    assert capsys.readouterr().out == ""  # explain prints nothing by itself: its value shows
    expected = [
        "dL/dL = 1.0  (the seed: backward starts here)",
        "dL/dd = dL/dL · ∂L/∂d = 1.0 · (−2.0) = −2.0",
        "dL/de = dL/dd · ∂d/∂e = −2.0 · 1.0 = −2.0",
        "dL/da = dL/de · ∂e/∂a = −2.0 · (−3.0) = 6.0",
        "dL/db = dL/de · ∂e/∂b = −2.0 · 2.0 = −4.0",
        "dL/dc = dL/dd · ∂d/∂c = −2.0 · 1.0 = −2.0",
        "dL/df = dL/dL · ∂L/∂f = 1.0 · 4.0 = 4.0",
    ]
    assert [s.text for s in steps] == expected
    # shown once: the REPL's repr, str() and print() all give the steps, each exactly once
    assert str(steps) == repr(steps) == "\n".join(expected)
    print(steps)
    assert capsys.readouterr().out == "\n".join(expected) + "\n"
    autograd.explain(L, print_steps=True)  # for scripts
    assert capsys.readouterr().out.splitlines() == expected
    # explain leaves .grad alone; the numbers are those backward() computes
    assert all(v.grad == 0.0 for v in autograd.topological_order(L))
    assert {s.name: s.grad for s in steps} == {
        "L": 1.0, "d": -2.0, "e": -2.0, "b": -4.0, "a": 6.0, "c": -2.0, "f": 4.0}
    a_step = steps[3]
    assert a_step.node.label == "a" and len(a_step.terms) == 1
    term = a_step.terms[0]
    assert term.consumer.label == "e" and term.upstream == -2.0 and term.local == -3.0
    assert_steps_match_backward(L)


def test_node_used_several_times_sums_over_its_uses():
    a = Value(-1.5, label="a")
    b = Value(0.75, label="b")
    c = a * b
    c.label = "c"
    s = a * a  # used twice by the same op: one term, local derivative 2a
    s.label = "s"
    L = (c + s + a.tanh()) * 2.0
    L.label = "L"
    steps = assert_steps_match_backward(L)
    a_step = next(step for step in steps if step.name == "a")
    consumers = [t.consumer_name for t in a_step.terms]
    assert len(consumers) == 3 and {"c", "s"} <= set(consumers)  # and the unlabelled tanh
    s_term = next(t for t in a_step.terms if t.consumer_name == "s")
    assert s_term.local == 2 * -1.5
    # dL/da = 2 * (b + 2a + (1 - tanh(a)^2))
    assert a_step.grad == pytest.approx(2 * (0.75 + 2 * -1.5 + (1 - math.tanh(-1.5) ** 2)), rel=1e-15)
    assert a_step.text.count(" + ") == 4  # three terms, written twice (symbols, numbers)


def test_n_ary_dot_and_sum_nodes():
    xs = [Value(x, label=f"x{i}") for i, x in enumerate([0.5, -1.25, 2.0])]
    ws = [Value(w, label=f"w{i}") for i, w in enumerate([0.3, -0.7, 0.1])]
    b = Value(0.2, label="b")
    n = autograd.dot(ws, xs, b)  # one node with 7 parents
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    L = autograd.sum([o, xs[0] * 3.0, o * o])  # one node; o used by it and by o*o
    L.label = "L"
    steps = assert_steps_match_backward(L)
    by_name = {s.name: s for s in steps}
    assert by_name["w1"].text == f"dL/dw1 = dL/dn · ∂n/∂w1 = {number(by_name['n'].grad)} · (−1.25) = " \
        f"{number(by_name['w1'].grad)}"
    assert by_name["b"].terms[0].local == 1.0
    assert by_name["x1"].terms[0].local == -0.7
    assert len(by_name["x0"].terms) == 2  # the dot and x0 * 3.0
    assert len(by_name["o"].terms) == 2  # the sum and o * o


def test_custom_op_is_explained_through_its_derivatives():
    cube = autograd.Op("cube", lambda x: x ** 3, lambda out, x: (3 * x * x,))
    x = Value(1.5, label="x")
    y = cube(x)
    y.label = "y"
    L = y * y
    L.label = "L"
    steps = assert_steps_match_backward(L)
    assert steps[-1].text == "dL/dx = dL/dy · ∂y/∂x = 6.75 · 6.75 = 45.56"


@pytest.mark.parametrize("seed", range(5))
def test_random_graphs_match_backward_exactly(seed):
    rng = random.Random(seed)
    pool = [Value(rng.uniform(-2, 2), label=f"x{i}") for i in range(4)]
    unary = [lambda v: v.tanh(), lambda v: v.sigmoid(), lambda v: v.exp(), lambda v: v * v,
             lambda v: v.relu(), lambda v: v ** 3]
    binary = [lambda u, v: u + v, lambda u, v: u * v, lambda u, v: u - v,
              lambda u, v: autograd.dot([u, v], [v, u], 0.5), lambda u, v: autograd.sum([u, v, u])]
    for _ in range(25):
        if rng.random() < 0.4:
            pool.append(rng.choice(unary)(rng.choice(pool[-6:])))
        else:
            pool.append(rng.choice(binary)(rng.choice(pool), rng.choice(pool)))
    assert_steps_match_backward(pool[-1])


def test_many_uses_are_shortened_in_text_but_kept_in_data():
    x = Value(0.5, label="x")
    L = autograd.sum([x * float(k) for k in range(10)])
    L.label = "L"
    steps = assert_steps_match_backward(L)
    x_step = next(step for step in steps if step.name == "x")
    assert len(x_step.terms) == 10
    assert "+ ... (4 more uses)" in x_step.text
    assert x_step.text.endswith("= 45.0")


def test_explain_prints_to_file_or_not_at_all(capsys, tmp_path):
    L = micrograd_example()
    autograd.explain(L, print_steps=False)
    assert capsys.readouterr().out == ""
    with open(tmp_path / "out.txt", "w", encoding="utf-8") as f:
        autograd.explain(L, print_steps=True, file=f)
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").count("\n") == 7


# -- the step-through page ---------------------------------------------------------------------------
def test_step_page_has_one_frame_per_step_and_no_network(tmp_path):
    L = micrograd_example()
    a = L.parents[0].parents[0].parents[0]
    L = L + a  # `a` now has two uses
    L.label = "L2"
    path = Path(autograd.save_backward_steps(L, tmp_path / "deep" / "steps.html"))
    page = path.read_text(encoding="utf-8")
    steps = autograd.explain(L, print_steps=False)
    frames = re.findall(r'<li class="frame" data-node="(v\d+)" data-grad="([^"]*)" '
                        r'data-consumers="([^"]*)">', page)
    assert len(frames) == len(steps) == 8
    order = autograd.topological_order(L)
    ids = {v: f"v{i}" for i, v in enumerate(order)}
    for (node_id, grad, consumers), step in zip(frames, steps):
        assert node_id == ids[step.node]
        assert grad == format_number(step.grad)
        assert consumers.split() == [ids[t.consumer] for t in step.terms]
        assert f'<g id="page-{node_id}" class="node">' in page  # the SVG box the script fills in
    for step in steps:
        assert f"<code>{html.escape(step.text)}</code>" in page
    # self-contained: no external scripts, styles or images, and nothing fetched
    assert not re.search(r'(src|href)\s*=\s*["\']?\s*(https?:)?//', page)
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert page.count("<svg") == 1 and "<?xml" not in page
    # the controls: buttons and arrow keys
    assert 'id="page-prev"' in page and 'id="page-next"' in page
    assert '"ArrowRight"' in page and '"ArrowLeft"' in page


def test_step_page_escapes_labels_and_refuses_big_graphs(tmp_path):
    x = Value(2.0, label='<script>alert("x")</script>')
    y = x * x
    y.label = "y & </code>"
    page = Path(autograd.save_backward_steps(y, tmp_path / "s.html")).read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;/code&gt;" in page
    assert page.count("<script>") == 1
    big = Value(1.0)
    for _ in range(300):
        big = big * 1.0
    with pytest.raises(ValueError, match="max_nodes"):
        autograd.save_backward_steps(big, tmp_path / "big.html")


def test_step_page_without_dot_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(autograd.GraphvizNotFoundError, match="apt-get install graphviz"):
        autograd.save_backward_steps(micrograd_example(), tmp_path / "s.html")


def test_names_that_are_expressions_get_parentheses():
    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    p = x1 * w1
    p.label = "x1*w1"
    o = p.tanh()
    o.label = "o"
    steps = autograd.explain(o, print_steps=False)
    assert steps[1].text.startswith("do/d(x1*w1) = do/do · ∂o/∂(x1*w1) = 1.0 · ")
    assert steps[2].text == "do/dx1 = do/d(x1*w1) · ∂(x1*w1)/∂x1 = " \
        f"{number(steps[1].grad)} · (−3.0) = {number(steps[2].grad)}"


def test_unlabelled_nodes_are_named_by_short_formulas_or_indices():
    x, w = Value(2.0, label="x"), Value(-0.5, label="w")
    a = x * w
    b = a + 3.0
    t = b.tanh()
    p = t ** 2
    q = autograd.sum([p, a, x])
    q.label = "q"
    names = {s.node: s.name for s in autograd.explain(q, print_steps=False)}
    order = autograd.topological_order(q)
    constant = next(v for v in order if v.data == 3.0)
    assert names[a] == "x*w" and names[b] == "(x*w)+3.0" and names[t] == "tanh((x*w)+3.0)"
    at = [v is constant for v in order].index(True)  # by identity: other nodes may hold 3.0 too
    assert names[p] == "(tanh((x*w)+3.0))**2" and names[constant] == f"v{at}"
    # two different nodes with the same formula, or the same label, never share a name
    u, v = x * w, x * w
    r = u + v
    two = {s.node: s.name for s in autograd.explain(r, print_steps=False)}
    assert two[u] != two[v] and {two[u], two[v]} == {f"x*w#{i}" for i in (2, 3)}
    w1, w2 = Value(1.0, label="w"), Value(2.0, label="w")
    dup = {s.node: s.name for s in autograd.explain(w1 * w2, print_steps=False)}
    assert dup[w1] != dup[w2] and dup[w1].startswith("w#") and dup[w2].startswith("w#")


def test_step_page_names_unlabelled_boxes_like_its_text(tmp_path):
    x = Value(1.5, label="x")
    y = (x * 2.0).tanh() * 3.0
    page = Path(autograd.save_backward_steps(y, tmp_path / "p.html")).read_text(encoding="utf-8")
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert ">x*2.0</text>" in svg and ">tanh(x*2.0)</text>" in svg
    assert ">L</text>" in svg  # an unlabelled root is L, as in the lesson
    assert "<code>dL/dtanh(x*2.0) = " not in page  # names are parenthesised after d
    assert "<code>dL/d(x*2.0) = dL/d(tanh(x*2.0)) · ∂(tanh(x*2.0))/∂(x*2.0) " in page


def test_explaining_something_that_is_not_a_value_is_explained(tmp_path):
    with pytest.raises(TypeError, match="explain .*one Value .*got list"):
        autograd.explain([micrograd_example()])
    with pytest.raises(TypeError, match="save_backward_steps .*one Value .*got float"):
        autograd.save_backward_steps(1.0, tmp_path / "s.html")


def test_step_page_refuses_an_unknown_rankdir(tmp_path):
    with pytest.raises(ValueError, match="rankdir must be one of"):
        autograd.save_backward_steps(micrograd_example(), tmp_path / "s.html", rankdir="left")


def test_a_label_with_a_newline_keeps_each_step_on_one_line(capsys):
    x = Value(2.0, label="first\nsecond")
    y = x * 3.0
    y.label = "y"
    steps = autograd.explain(y, print_steps=True)
    assert capsys.readouterr().out.count("\n") == len(steps) == 3
    assert steps[1].name == "first\\nsecond"
    assert steps[1].text == "dy/d(first\\nsecond) = dy/dy · ∂y/∂(first\\nsecond) = 1.0 · 3.0 = 3.0"


def test_a_partial_of_none_shows_as_zero_and_says_nothing_flows():
    """relu passes no gradient at x <= 0 (the None-partial convention): an inf from above stays
    out, and the line says so instead of claiming inf · 0 = 0."""
    x = Value(-1.0, label="x")
    y = x.relu().sqrt()
    y.label = "y"
    steps = autograd.explain(y)
    assert steps[-1].text == ("dy/dx = dy/d(relu(x)) · ∂(relu(x))/∂x = inf · 0.0 "
                              "(no gradient flows here) = 0.0")
    assert steps[-1].terms[0].flows is False and steps[-1].terms[0].local == 0.0
    assert steps[1].terms[0].flows is True
    y.backward()
    assert x.grad == steps[-1].grad == 0.0


def test_the_repl_shows_the_first_and_last_steps_of_a_long_explanation():
    """Issue 22: text of big graphs is bounded by default; print() still gives every step."""
    total = autograd.sum([Value(float(i), label=f"x[{i}]") for i in range(1000)])
    steps = autograd.explain(total)
    lines = repr(steps).splitlines()
    assert len(lines) == 41 and lines[20] == "... 961 more steps (print(steps) shows them all)"
    assert lines[0] == "dL/dL = 1.0  (the seed: backward starts here)"
    assert lines[-1] == steps[-1].text
    assert len(str(steps).splitlines()) == 1001


def test_an_input_that_asks_for_no_gradient_gets_no_step():
    x = Value(2.0, label="x", requires_grad=False)
    w = Value(3.0, label="w")
    y = (w * x).tanh()
    y.label = "y"
    steps = autograd.explain(y)
    assert [step.name for step in steps] == ["y", "w*x", "w"]
    assert "dy/dx" not in str(steps) and "dy/dw = " in str(steps)
    y.backward()
    assert x.grad is None and steps[-1].grad == w.grad
