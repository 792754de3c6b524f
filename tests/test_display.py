"""What a student sees: REPL text and notebook displays (IPython's display protocol, no IPython).

A notebook asks an object for `_repr_mimebundle_(include, exclude)` and the `_repr_*_` methods;
these tests call them as IPython would and check what comes back.
"""
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


def test_explain_displays_the_step_through_inline():
    L = micrograd_example()
    steps = autograd.explain(L)
    widget = steps._repr_html_()
    uid = re.search(r'<div class="chainrule-steps" id="([\w-]+)"', widget).group(1)
    assert widget.count("<svg") == 1 and widget.count('<li class="frame"') == 7
    # every id in the widget starts with its own id, and the script is told which widget it runs
    ids = re.findall(r'\bid="([^"]+)"', widget)
    assert len(ids) > 20 and all(i.startswith(uid) for i in ids)
    assert f'("{uid}", "widget");</script>' in widget
    assert "<code>dL/dd = dL/dL · ∂L/∂d = 1.0 · (−2.0) = −2.0</code>" in widget
    # self-contained
    assert not re.search(r'(src|href)\s*=\s*["\']?\s*(https?:)?//', widget)
    # two displays on one page do not share ids
    other = steps._repr_html_()
    other_uid = re.search(r'id="([\w-]+)"', other).group(1)
    assert other_uid != uid and not set(ids) & set(re.findall(r'\bid="([^"]+)"', other))


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
    widget = autograd.explain(micrograd_example())._repr_html_()
    assert "<svg" not in widget and widget.count('<li class="frame"') == 7
    assert "not installed" in widget


def test_draw_dot_displays_in_the_format_asked_for():
    L = micrograd_example(backward=True)
    png = autograd.draw_dot(L, format="png")
    bundle = png._repr_mimebundle_()
    assert list(bundle) == ["image/png"] and bundle["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    svg = autograd.draw_dot(L)._repr_mimebundle_()
    assert list(svg) == ["image/svg+xml"] and "<svg" in svg["image/svg+xml"]
    assert list(autograd.draw_dot(L, format="pdf")._repr_mimebundle_()) == ["image/svg+xml"]
    # include/exclude as IPython passes them
    assert list(png._repr_mimebundle_(include=["image/svg+xml"])) == ["image/svg+xml"]
    assert png._repr_mimebundle_(exclude=["image/png"]) == {}
    # outside Jupyter the repr says what to do with it
    text = repr(png)
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
