"""What a student sees: REPL text and notebook displays (IPython's display protocol, no IPython).

A notebook asks an object for `_repr_mimebundle_(include, exclude)` and the `_repr_*_` methods;
these tests call them as IPython would and check what comes back.
"""
import base64
import json
import re

import pytest

import autograd
import nn
from autograd import Value
from graphs import micrograd_example
from nn import History


def test_value_card_in_a_notebook_and_text_repr_unchanged():
    L = micrograd_example(backward=True)
    assert repr(L) == "Value(data=-8.0, grad=1.0, label='L')"
    card = L._repr_html_()
    assert "<b>L</b>" in card and "data -8.0" in card and "grad 1.0" in card
    assert "made by *" in card
    leaf = Value(2.5)
    assert "leaf" in leaf._repr_html_() and "<b>" not in leaf._repr_html_()
    hostile = Value(1.0, label="<script>x</script>")
    assert "<script>" not in hostile._repr_html_()


def test_tree_displays_as_the_tree_and_is_still_its_text():
    L = micrograd_example(backward=True)
    t = L.tree()
    text = ("[*] L  data=-8.0  grad=1.0\n"
            "├── [+] d  data=4.0  grad=-2.0\n"
            "│   ├── [*] e  data=-6.0  grad=-2.0\n"
            "│   │   ├── a  data=2.0  grad=6.0\n"
            "│   │   └── b  data=-3.0  grad=-4.0\n"
            "│   └── c  data=10.0  grad=-2.0\n"
            "└── f  data=-2.0  grad=4.0")
    assert t == text and str(t) == text and type(str(t)) is str
    assert repr(t) == text  # the REPL shows the lines, not a quoted one-line string
    page = t._repr_html_()
    assert page.startswith("<pre") and "├── [+] d  data=4.0  grad=-2.0" in page


def live_widget(shown):
    """The step-through that the script of an explanation's cell puts in place of its still
    picture (a JSON string inside the script)."""
    return json.loads(re.search(r"box\.innerHTML = (\".*?\");\n", shown).group(1))


def test_explain_displays_the_step_through_inline():
    L = micrograd_example()
    steps = autograd.explain(L)
    shown = steps._repr_html_()
    widget = live_widget(shown)
    uid = re.search(r'<div class="chainrule-steps" id="([\w-]+)"', widget).group(1)
    assert widget.count("<svg") == 1 and widget.count('<li class="frame"') == 7
    # every id in the widget starts with its own id, and the script is told which widget it runs
    ids = re.findall(r'\bid="([^"]+)"', widget)
    assert len(ids) > 20 and all(i.startswith(uid) for i in ids)
    assert f'("{uid}", "widget", box.querySelector(".chainrule-steps"));' in shown
    assert "<code>dL/dd = dL/dL · ∂L/∂d = 1.0 · (−2.0) = −2.0</code>" in widget
    # self-contained
    assert not re.search(r'(src|href)\s*=\s*["\']?\s*(https?:)?//', shown)
    # two displays on one page do not share ids
    other = live_widget(steps._repr_html_())
    other_uid = re.search(r'id="([\w-]+)"', other).group(1)
    assert other_uid != uid and not set(ids) & set(re.findall(r'\bid="([^"]+)"', other))


def test_explain_without_scripts_shows_a_still_picture_and_says_to_rerun_the_cell():
    """Issue 20: an untrusted notebook showed loose SVG text and dead buttons. Outside its
    script the cell holds only a PNG (with alternative text) and one line; no SVG, no buttons."""
    shown = autograd.explain(micrograd_example())._repr_html_()
    outside = re.sub(r"<script>.*?</script>", "", shown, flags=re.S)
    assert "<svg" not in outside and "<button" not in outside and "<li" not in outside
    picture = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)"', outside)
    assert base64.b64decode(picture.group(1))[:8] == b"\x89PNG\r\n\x1a\n"
    assert picture.group(2) == ("the computation graph of L with every gradient filled in, "
                                "as backward leaves it")
    assert "Re-run this cell to step through backpropagation (7 steps)" in " ".join(outside.split())


def test_steps_built_by_hand_display_too():
    from autograd.show.explanation import BackwardSteps

    assert repr(BackwardSteps()) == "BackwardSteps([])"
    by_hand = BackwardSteps(autograd.explain(micrograd_example())[:2])
    assert by_hand._repr_html_().startswith("<pre>dL/dL = 1.0")  # no root: the text


def test_explain_inline_without_dot_or_too_big_still_shows_the_steps(monkeypatch):
    big = Value(1.0, label="x")
    for _ in range(300):
        big = big * 1.0
    shown = autograd.explain(big)._repr_html_()
    assert shown.startswith("<pre>") and "too many to draw" in shown
    monkeypatch.setenv("PATH", "")
    widget = live_widget(autograd.explain(micrograd_example())._repr_html_())
    assert "<svg" not in widget and widget.count('<li class="frame"') == 7
    assert "not installed" in widget


def test_draw_dot_displays_in_the_format_asked_for():
    L = micrograd_example(backward=True)
    png = autograd.draw_dot(L, format="png")
    bundle, metadata = png._repr_mimebundle_()
    assert list(bundle) == ["image/png"] and bundle["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert metadata["image/png"]["alt"].startswith("a computation graph of 7 values and 3 ops")
    assert list(autograd.draw_dot(L, format="pdf")._repr_mimebundle_()[0]) == [
        "text/html", "image/svg+xml", "image/png"]
    # include/exclude as IPython passes them
    svg = autograd.draw_dot(L)
    assert list(svg._repr_mimebundle_(include=["image/svg+xml"])[0]) == ["image/svg+xml"]
    assert png._repr_mimebundle_(exclude=["image/png"])[0] == {}


def test_a_graph_offers_html_with_alt_text_svg_and_png_all_scaled_to_fit():
    """Issue 20: an untrusted or exported notebook showed only the repr text (SVG alone was
    offered, which untrusted notebooks do not show), and a wide graph ran off the output."""
    L = micrograd_example(backward=True)
    picture = autograd.draw_dot(L)
    bundle, metadata = picture._repr_mimebundle_()
    assert list(bundle) == ["text/html", "image/svg+xml", "image/png"]
    assert bundle["image/png"][:8] == b"\x89PNG\r\n\x1a\n" == picture._repr_png_()[:8]
    alt = ("a computation graph of 7 values and 3 ops, the output L = -8.0 (grad 1.0) "
           "on the right")
    assert metadata == {"image/svg+xml": {"alt": alt}, "image/png": {"alt": alt}}
    img = re.search(r'<img width="(\d+)" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)" '
                    r'style="max-width: 100%; height: auto"', bundle["text/html"])
    assert img.group(3) == alt and b"<svg" in base64.b64decode(img.group(2))
    assert re.search(r'<svg width="[\d.]+pt" height="[\d.]+pt" style="max-width: 100%; '
                     r'height: auto"\s+viewBox=', bundle["image/svg+xml"])
    # full size on request: no scaling
    full, _ = autograd.draw_dot(L, full_size=True)._repr_mimebundle_()
    assert "max-width" not in full["image/svg+xml"] and "max-width" not in full["text/html"]
    # outside Jupyter the repr says what it shows and what to do with it
    png = autograd.draw_dot(L, format="png")
    text = repr(png)
    assert alt in text
    assert ".render('graph')" in text and "graph.png" in text and "save_graph" in text
    assert ".view()" in text and ".source" in text


def test_module_summary_text_and_html():
    model = nn.MLP(2, [16, 16, 1])
    text = repr(model)
    assert text.splitlines() == [
        "MLP(2, [16, 16, 1], activation='relu'",
        "  (layers.0): Layer(2, 16, activation='relu')    48 parameters",
        "  (layers.1): Layer(16, 16, activation='relu')  272 parameters",
        "  (layers.2): Layer(16, 1, activation='linear')  17 parameters",
        ")  337 parameters in all"]
    table = model._repr_html_()
    cells = re.findall(r'<td style="text-align: right">([\d,]+)</td>', table)
    assert cells == ["48", "272", "17"]
    assert re.search(r"total</th><th[^>]*>337</th>", table)
    assert "<code>layers.1</code>" in table
    assert "<tfoot>" in nn.ReLU()._repr_html_()  # no layers: the total alone


def test_history_table_and_plot():
    history = History()
    for epoch in range(1, 26):
        history.epoch.append(epoch)
        history.train_loss.append(1.0 / epoch)
        history.val_loss.append(1.5 / epoch)
        history.train_acc.append(min(1.0, 0.5 + epoch / 50))
    history.best_epoch = 24
    history.stopped_early = True
    table = history._repr_html_()
    assert "<th>train loss</th>" in table and "<th>val loss</th>" in table
    assert table.count("<tr") == 1 + 10 + 1 + 10  # header, first 10, …, last 10
    assert "best epoch 24" in table and '<tr style="font-weight: bold"><td style="text-align: right">24<' in table
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    figure = history.plot()
    axes = figure.get_axes()
    assert [ax.get_title() for ax in axes] == ["loss", "accuracy"]
    assert [line.get_label() for line in axes[0].get_lines()][:2] == ["train loss", "val loss"]
    assert list(axes[0].get_lines()[0].get_ydata()) == history.train_loss


def test_explain_offers_a_png_of_the_graph_beside_its_html():
    """Issue 20: the step-through offered HTML alone (no picture where HTML is not shown)."""
    data, metadata = autograd.explain(micrograd_example())._repr_mimebundle_()
    assert list(data) == ["text/html", "text/plain", "image/png"]
    assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert data["text/plain"].splitlines()[0] == "dL/dL = 1.0  (the seed: backward starts here)"
    assert metadata["image/png"]["alt"].startswith("the computation graph of L")
    assert "Re-run this cell" in data["text/html"]
    assert list(autograd.explain(micrograd_example())._repr_mimebundle_(
        include=["text/plain"])[0]) == ["text/plain"]
