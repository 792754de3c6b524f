"""nn.LiveTraining without a browser: its training, the messages its front end sends, the throttle,
and the still picture it falls back to where no widget front end runs
(tests/test_live_view_browser.py drives the real front end in JupyterLab)."""
import json
import math
import subprocess
import sys
import time

import pytest

import autograd
import nn
from nn.live.plane import Labels, boundary_grid, read_labels
from nn.live.view import _make_widget

anywidget = pytest.importorskip("anywidget", reason="pip install -e '.[dev]' (anywidget)")


def moons_view(**options):
    X, y = nn.data.make_moons(40, noise=0.1, seed=1337)
    model = nn.MLP(2, [4, 4, 1], seed=0)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    return nn.LiveTraining(model, X, nn.data.to_signed(y), nn.HingeLoss(), optimizer, **options)


class Front:
    """Stands in for the browser: a widget on a comm that goes nowhere, and the messages it got."""

    def __init__(self, view):
        self.view = view
        view._widget = _make_widget(view)
        view._push(status=True, curves=True, plane=True, network=True, weights=True)
        self.received = []
        view._widget.send = self.received.append  # what Python sends as custom messages

    def press(self, **content):
        self.view._on_message(self.view._widget, content)
        return self.received[-1] if self.received else None

    @property
    def status(self):
        return self.view._widget.status


def test_import_nn_imports_no_widget_library():
    code = ("import sys, nn; print(sorted(m for m in ('anywidget', 'ipywidgets', 'IPython', "
            "'traitlets', 'matplotlib.pyplot') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_step_is_full_batch_gradient_descent():
    view = moons_view(l2=1e-3)
    twin = nn.MLP(2, [4, 4, 1], seed=0)
    optimizer = nn.optim.SGD(twin.parameters(), lr=0.1)
    expected = []
    for _ in range(3):
        loss = nn.HingeLoss()(twin(view.X), view.y) + 1e-3 * nn.functional.l2_penalty(
            twin.parameters())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        expected.append(loss.data)
    last = view.step(3)
    assert [loss for _, loss in view.losses] == pytest.approx(expected, rel=1e-12)
    assert [step for step, _ in view.losses] == [1, 2, 3] and view.steps == 3
    assert last == view.losses[-1][1]
    assert [p.data for p in view.model.parameters()] == pytest.approx(
        [p.data for p in twin.parameters()], rel=1e-12)


def test_without_a_front_end_it_is_a_picture_with_alt_text():
    view = moons_view()
    view.step(2)
    assert view.widget is None  # no kernel here: no widget, and no error
    bundle, metadata = view._display_bundle()
    assert metadata["image/png"]["alt"] == view.snapshot().alt
    assert "application/vnd.jupyter.widget-view+json" not in bundle
    assert bundle["text/plain"].startswith("LiveTraining(step 2, loss ")
    assert 'alt="Training after 2 steps: the loss went from ' in bundle["text/html"]
    png = view.snapshot().png
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "40 points" in view.snapshot().alt


def test_a_kernel_without_anywidget_gets_the_picture(monkeypatch):
    import IPython

    from nn.live import view as view_module

    class Shell:
        kernel = object()

    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell())
    assert view_module._kernel_with_widgets()  # a kernel, and anywidget: a widget
    monkeypatch.setitem(sys.modules, "anywidget", None)  # import anywidget now fails
    assert not view_module._kernel_with_widgets()
    view = moons_view()
    assert view.widget is None
    assert "image/png" in view._display_bundle()[0]


def test_step_redraws_the_shown_picture_until_a_front_end_says_hello(monkeypatch):
    import IPython.display

    shown = []

    class Handle:
        def update(self, bundle, metadata, raw):
            shown.append(("update", bundle))

    def display(bundle, metadata, raw, display_id):
        shown.append(("display", bundle))
        return Handle()

    monkeypatch.setattr(IPython.display, "display", display)
    view = moons_view()
    view._ipython_display_()
    view.step(2)
    assert [kind for kind, _ in shown] == ["display", "update"]
    assert shown[0][1]["text/plain"].startswith("LiveTraining(step 0,")
    assert shown[1][1]["text/plain"].startswith("LiveTraining(step 2, loss ")
    assert shown[1][1]["image/png"] != shown[0][1]["image/png"]
    view._front_end_seen = True  # a browser shows the widget: it follows by itself
    view.step(1)
    assert len(shown) == 2


def test_one_step_from_the_front_end_moves_the_step_and_the_loss():
    view = moons_view()
    front = Front(view)
    first = front.status["loss"]
    assert front.status["step"] == 0 and first == pytest.approx(view.current_loss())
    answer = front.press(type="step", id="v1")
    assert answer == {"type": "done", "request": "step", "id": "v1", "playing": False}
    assert front.status["step"] == 1
    assert front.status["loss"] != first
    assert front.status["loss"] == pytest.approx(view.current_loss())
    assert view._widget.curves["train"] == [[1, pytest.approx(first)]]


def test_play_is_a_chain_of_chunks_that_pause_ends():
    view = moons_view(redraw_every=0.0)
    front = Front(view)
    answer = front.press(type="play", id="a")
    assert answer["playing"] is True and view.steps >= 1
    before = view.steps
    assert front.press(type="chunk", id="a")["playing"] is True and view.steps > before
    # another view of the same widget does not drive the chain, and closing it does not stop it
    assert front.press(type="chunk", id="b")["playing"] is False
    front.press(type="pause", id="b", closing=True)
    assert view.playing
    front.press(type="pause", id="b")  # but its pause button does
    assert not view.playing and front.status["playing"] is False
    steps = view.steps
    assert front.press(type="chunk", id="a")["playing"] is False and view.steps == steps
    front.press(type="play", id="a")
    front.press(type="pause", id="a", closing=True)  # the driving view closed
    assert not view.playing


def test_play_and_pause_from_code():
    view = moons_view()
    front = Front(view)
    view.play()
    assert front.received == [{"type": "play"}]  # each view answers with its own play request
    front.press(type="play", id="a")
    assert view.playing
    view.pause()
    assert not view.playing and front.status["playing"] is False


def test_clicks_on_the_plane_add_and_remove_points_with_the_losss_labels():
    view = moons_view()
    front = Front(view)
    front.press(type="add", x=0.5, y=0.25, cls=1)
    assert view.X[-1] == [0.5, 0.25] and view.y[-1] == 1  # class 1 of a hinge loss: +1
    front.press(type="add", x=-0.5, y=0.0, cls=0)
    assert view.y[-1] == -1 and front.status["points"] == 42
    assert view._widget.plane["points"][-1] == [-0.5, 0.0, 0]
    front.press(type="remove", index=0)
    assert front.status["points"] == 41 and view.X[-1] == [-0.5, 0.0]
    front.press(type="remove", index=99)
    assert front.status["message"] == "IndexError: there is no point 99: the view has 41 points"


def test_a_weight_slider_sets_the_weight_and_the_shown_loss():
    view = moons_view(weights=["layers.0.neurons.0.w.0", "layers.2.neurons.0.b"])
    front = Front(view)
    assert [w["name"] for w in view._widget.weights] == ["layers.0.neurons.0.w.0",
                                                         "layers.2.neurons.0.b"]
    front.press(type="manual", on=True)
    assert front.status["manual"] is True
    front.press(type="weight", name="layers.2.neurons.0.b", value=2.0)
    bias = dict(view.model.named_parameters())["layers.2.neurons.0.b"]
    assert bias.data == 2.0
    with autograd.no_grad():
        expected = nn.HingeLoss()(view.model(view.X), view.y).data
    assert front.status["loss"] == pytest.approx(expected, rel=1e-12)
    front.press(type="weight", name="nope", value=1.0)
    assert front.status["message"].startswith("KeyError")


def test_the_learning_rate_control_writes_every_param_group():
    view = moons_view()
    front = Front(view)
    front.press(type="lr", value=0.025)
    assert [g["lr"] for g in view.optimizer.param_groups] == [0.025]
    assert front.status["lr"] == 0.025
    front.press(type="lr", value=-1)
    assert front.status["message"] == "ValueError: the learning rate must be a number > 0, got -1.0"
    assert view.lr == 0.025


def test_inspecting_a_sample_shows_its_backward_steps():
    view = moons_view()
    front = Front(view)
    front.press(type="inspect", index=3)
    shown = view._widget.inspect
    assert shown["index"] == 3 and shown["title"].startswith("sample 3: x = (")
    loss = view.loss_fn(view.model([view.X[3]]), [view.y[3]])
    assert f"({len(autograd.explain(loss))} backward steps)" in shown["title"]
    assert "chainrule-steps" in shown["steps"]  # the step-through of autograd.explain
    assert shown["network"].lstrip().startswith("<svg")
    assert view._widget.plane["inspected"] == 3


def test_state_sent_to_the_front_end_is_plain_json():
    view = moons_view(val=(nn.data.make_moons(10, seed=2)[0],
                           nn.data.to_signed(nn.data.make_moons(10, seed=2)[1])))
    front = Front(view)
    front.press(type="step")
    widget = view._widget
    state = {name: getattr(widget, name) for name in
             ("status", "curves", "plane", "network", "weights", "inspect")}
    json.dumps(state, allow_nan=False)  # the kernel's messages allow no nan
    assert len(widget.plane["classes"]) == 20 * 20
    assert widget.curves["val"][-1][0] == 1


def test_redraws_are_throttled():
    view = moons_view(redraw_every=3600.0)
    Front(view)
    view.step(1)
    pushes = []
    view._push = lambda **parts: pushes.append(parts)
    view.step(5)
    assert len(pushes) == 1  # only the one at the end: the interval never passed
    view.redraw_every, view._last_redraw = 0.0, -math.inf
    pushes.clear()
    view.step(3)
    assert len(pushes) == 4  # after every step, and at the end
    # a redraw that cost c seconds waits 2.5 c, whatever redraw_every says
    view._redraw_cost, view._last_redraw = 3600.0, time.perf_counter()
    pushes.clear()
    view.step(3)
    assert len(pushes) == 1


def test_update_follows_a_hand_written_loop():
    view = moons_view()
    for _ in range(3):
        loss = view._loss()
        view.optimizer.zero_grad()
        loss.backward()
        view.optimizer.step()
        view.update(loss)
    view.update(force=True)
    assert view.steps == 3 and len(view.losses) == 3


def test_the_view_follows_fit():
    view = moons_view()
    front = Front(view)
    history = nn.fit(view.model, view.loss_fn, view.optimizer, (view.X, view.y), epochs=2,
                     batch_size=20, progress=False, callback=view.on_step)
    view.update()
    assert view.steps == 4 and len(view.losses) == 4  # 2 epochs of 2 batches
    batch_losses = [loss for _, loss in view.losses]
    assert history.train_loss == pytest.approx([sum(batch_losses[:2]) / 2,
                                                sum(batch_losses[2:]) / 2])
    assert front.status["step"] == 4


def test_a_diverging_step_keeps_the_last_finite_weights():
    X, y = [[1.0, 2.0], [3.0, -1.0]], [1e150, -1e150]  # a loss of ~1e300, then inf
    model = nn.MLP(2, [1], seed=0)
    view = nn.LiveTraining(model, X, y, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=1e10),
                           plane=False)
    with pytest.raises(FloatingPointError, match="the loss became inf at step 2: training "
                       "diverged. Lower the learning rate"):
        view.step(5)
    assert view.steps == 1 and len(view.losses) == 1
    assert all(math.isfinite(p.data) for p in model.parameters())


@pytest.mark.parametrize("bad, match", [
    (dict(loss_fn=42), "loss_fn must be a function"),
    (dict(optimizer="sgd"), "optimizer must be an nn.optim optimizer"),
    (dict(l2=-1e-4), "LiveTraining: l2 must be a finite number >= 0"),
    (dict(l2="1e-4"), "LiveTraining: l2 must be a number"),
    (dict(y=[1, -1]), "X has 40 samples and y 2 labels"),
    (dict(grid=1), "grid must be a whole number of cells from 2 to 200"),
    (dict(weights=["w"]), r"weights \['w'\] are not among the model's named_parameters"),
    (dict(y=[3] * 40), r"labels 0/1 or -1/\+1; got labels \[3\]"),
])
def test_bad_settings_say_what_to_do(bad, match):
    X, y = nn.data.make_moons(40, seed=0)
    model = nn.MLP(2, [3, 1], seed=0)
    args = dict(model=model, X=X, y=y, loss_fn=nn.BCEWithLogitsLoss(),
                optimizer=nn.optim.SGD(model.parameters(), lr=0.1))
    args.update(bad)
    with pytest.raises((TypeError, ValueError), match=match):
        nn.LiveTraining(**args)


def test_regression_targets_have_no_plane():
    X = [[x / 10, 1.0] for x in range(10)]
    model = nn.MLP(2, [3, 1], seed=0)
    view = nn.LiveTraining(model, X, [x[0] ** 2 + 0.5 for x in X], nn.MSELoss(),
                           nn.optim.SGD(model.parameters(), lr=0.1))
    assert view.labels is None and view._boundary(4) is None
    view.step(2)
    assert "decision" not in view.snapshot().alt and view.steps == 2


def test_labels_and_their_classes():
    assert read_labels([-1, 1, 1], 1, nn.HingeLoss()) == Labels("signed", 2, 0.0)
    assert read_labels([0, 1], 1, nn.BCEWithLogitsLoss()) == Labels("binary", 2, 0.0)
    assert read_labels([0, 1], 1, nn.BCELoss()) == Labels("binary", 2, 0.5)
    assert read_labels([0, 2, 1], 3, nn.CrossEntropyLoss()) == Labels("classes", 3, 0.0)
    with pytest.raises(ValueError, match="labels must be 0..2; got 3"):
        read_labels([0, 3], 3, nn.CrossEntropyLoss())
    signed = Labels("signed", 2, 0.0)
    sure = pytest.approx(1 / (1 + math.exp(-2)))
    assert signed.scores_to_classes([0.0, 2.0, -2.0]) == ([0, 1, 0], [0.5, sure, sure])
    three = Labels("classes", 3, 0.0)
    classes, sure = three.scores_to_classes([[0.0, 0.0, 0.0], [0.0, 5.0, 0.0]])
    assert classes == [0, 1] and sure[0] == pytest.approx(0.5)
    p = math.exp(5) / (math.exp(5) + 2)
    assert sure[1] == pytest.approx(0.5 + 0.5 * (p - 1 / 3) / (2 / 3))


def test_boundary_grid_of_a_known_model():
    neuron = nn.Neuron(2, "linear", seed=0)  # score = x0: class 1 right of x = 0
    w0, w1, b = neuron.parameters()
    w0.data, w1.data, b.data = 1.0, 0.0, 0.0
    grid = boundary_grid(neuron, Labels("signed", 2, 0.0), (-1.0, 1.0, -1.0, 1.0), 4)
    assert grid["classes"] == [0, 0, 1, 1] * 4
    near, far = round(1 / (1 + math.exp(-0.25)), 3), round(1 / (1 + math.exp(-0.75)), 3)
    assert grid["sure"][:4] == [far, near, near, far]  # cell centres at x = -0.75, -0.25, ...
    w0.data, w1.data = 0.0, 1.0  # score = x1: row 0 is the top of the plane, where y is largest
    grid = boundary_grid(neuron, Labels("signed", 2, 0.0), (-1.0, 1.0, -1.0, 1.0), 4)
    assert grid["classes"] == [1] * 8 + [0] * 8
