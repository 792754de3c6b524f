"""`LiveTraining`: watch a model learn in a notebook, and poke at it while it does.

The view owns a small training loop (full batch: forward, loss, zero_grad, backward, step) and the
pictures of it: the loss curves, the network (`nn.draw_network`), and for 2-D inputs the decision
boundary as a shaded map with the points. In JupyterLab, Notebook 7, VS Code or Colab it is an
anywidget whose front end (widget.js, shipped with the package: no build step, no network) has the
controls: play, pause, one step, the learning rate; a click on the plane adds or removes a point or
picks a sample, whose forward values and backward steps (`autograd.explain`) are then shown; in
manual mode a slider per named weight moves that weight and the loss and boundary follow.

How play works without blocking the kernel: training runs in the kernel's main thread, in chunks.
The front end asks for a chunk (a custom message); the kernel trains for about one redraw interval,
sends the new pictures and answers "ran"; the front end asks for the next chunk while play is on.
Between chunks the kernel is idle, so pause, a slider or a click are handled at once, and cells can
run. (A background thread would race the front end's edits of the weights and the points.)

Redraws are throttled: at most one every `redraw_every` seconds, and never more often than keeps
their cost under 40% of the training time between them (a redraw that took c seconds waits at least
2.5 c). The boundary is computed on a coarse grid (`grid` x `grid` cells, one batched forward pass
under no_grad). benchmarks/live_view.py measures the cost.

Without a widget front end (no anywidget, a plain REPL, nbconvert or nbclient executing a notebook)
nothing fails: displayed, the view is a static picture (PNG, with alternative text), and `step()`
run in a notebook replaces that picture with the state it ended in.
"""
from __future__ import annotations

import html
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import autograd
from autograd import Value

from .. import functional as F
from ..training import _check_settings
from .picture import TrainingPicture, draw_training
from .plane import CLASS_COLOURS, Labels, boundary_grid, bounding_box, read_labels

_FRONT_END = Path(__file__).parent
_CURVE_POINTS = 400  # longer curves are thinned to about this many points before they are sent
_SLIDER_LIMIT = 400  # manual mode shows at most this many weights (pick them with weights=...)
# a sample's backward steps come with their graph up to this many nodes (graphviz draws ~200 in a
# second or two); beyond, as text: a 16-16 MLP's 380 boxes would be too small to read anyway
_STEPS_DRAWN = 200


def _number(x: Any) -> float:
    return float(x.data if isinstance(x, Value) else x)


def _draw_network() -> Callable | None:
    """`nn.draw_network`, looked up when needed (the package imports this module first)."""
    return getattr(sys.modules[__name__.split(".")[0]], "draw_network", None)


def _network_svg(model: Any, sample: Sequence[float] | None = None,
                 gradients: bool = False) -> str | None:
    """The network picture as SVG text, or None when the model has no picture."""
    draw = _draw_network()
    if draw is None:
        return None
    try:
        return draw(model, sample, gradients=gradients).svg
    except (TypeError, ValueError):  # a model draw_network does not know how to draw
        return None


def _is_whole(label: Any) -> bool:
    """Whether a target is a class label: a whole number (not a bool)."""
    if isinstance(label, Value):
        label = label.data
    return (isinstance(label, (int, float)) and not isinstance(label, bool)
            and math.isfinite(label) and float(label).is_integer())


def _finite(x: float | None) -> float | None:
    """x, or None for nan and inf (JSON, hence the front end, has no such numbers)."""
    return x if x is not None and math.isfinite(x) else None


def _thin(curve: list[tuple[int, float]]) -> list[list[Any]]:
    """Every k-th point of a long curve (and always the last), so a redraw stays small."""
    points: list[list[Any]] = [[step, _finite(loss)] for step, loss in curve]
    if len(points) <= _CURVE_POINTS:
        return points
    every = math.ceil(len(points) / _CURVE_POINTS)
    return points[::every] + ([points[-1]] if (len(points) - 1) % every else [])


class LiveTraining:
    """A notebook view of a model as it trains: loss curves, network, decision boundary, controls.

    In a notebook cell::

        X, y = nn.data.make_moons(100, noise=0.1, seed=1337)
        model = nn.MLP(2, [16, 16, 1], seed=1337)
        view = nn.LiveTraining(model, X, nn.data.to_signed(y), loss_fn=nn.HingeLoss(),
                               optimizer=nn.optim.SGD(model.parameters(), lr=0.1))
        view            # the live view (press play), or a still picture without a front end

    and `view.step(100)` in a later cell trains from code while the view follows.

    One step is full-batch gradient descent on the training points:
        loss = loss_fn(model(X), y) + l2 * sum(p^2); zero_grad; backward; optimizer.step()

    Args:
        model: the network (an nn Module); its weights are trained in place.
        X, y: training points and labels (lists). For 2-D points with class labels (0/1 or -1/+1
            for one output, 0..k-1 for k outputs) the plane shows the decision boundary.
        loss_fn: `loss_fn(predictions, targets)` -> a Value, e.g. `nn.HingeLoss()`.
        optimizer: an `nn.optim` optimizer over the model's parameters; the learning-rate control
            writes to its `param_groups`.
        val: optional validation data (X_val, y_val): its loss is drawn at every redraw.
        l2: coefficient of an L2 penalty added to the training loss (micrograd's demo uses 1e-4).
        grid: the decision map's resolution, grid x grid cells.
        redraw_every: seconds between redraws while training, at least.
        weights: names (from `model.named_parameters()`) of the weights that get a slider in
            manual mode; None for all of them (up to 400).
        plane: False to leave out the decision boundary (it is left out by itself for inputs
            that are not 2-D and for targets that are not class labels, as in regression).

    Attributes:
        steps: steps trained so far. losses: [(step, loss)] of every step; val_losses likewise,
        measured at redraws. X, y: the training data, with the points added in the view.
    """

    def __init__(self, model: Any, X: Sequence[Sequence[float]], y: Sequence[Any],
                 loss_fn: Callable, optimizer: Any, val: tuple[Sequence, Sequence] | None = None,
                 *, l2: float = 0.0, grid: int = 20, redraw_every: float = 0.25,
                 weights: Sequence[str] | None = None, plane: bool = True) -> None:
        _check_settings(loss_fn, optimizer, None, 0.0, l2, who="LiveTraining")
        if not hasattr(model, "named_parameters"):
            raise TypeError(f"LiveTraining: model must be an nn Module, got {type(model).__name__}")
        X, y = [list(x) for x in X], list(y)
        if not X or len(X) != len(y):
            raise ValueError(f"LiveTraining: X has {len(X)} samples and y {len(y)} labels; give "
                             "as many labels as samples, at least one")
        if isinstance(grid, bool) or not isinstance(grid, int) or not 2 <= grid <= 200:
            raise ValueError(f"LiveTraining: grid must be a whole number of cells from 2 to 200, "
                             f"got {grid!r}")
        if not (isinstance(redraw_every, (int, float)) and redraw_every >= 0):
            raise ValueError(f"LiveTraining: redraw_every must be seconds >= 0, "
                             f"got {redraw_every!r}")
        self.model, self.X, self.y = model, X, y
        self.loss_fn, self.optimizer, self.l2 = loss_fn, optimizer, float(l2)
        self.val = None if val is None else (list(val[0]), list(val[1]))
        self.grid, self.redraw_every = grid, float(redraw_every)
        self.params = dict(model.named_parameters())
        names = list(self.params) if weights is None else list(weights)
        unknown = [n for n in names if n not in self.params]
        if unknown:
            raise ValueError(f"LiveTraining: weights {unknown[:3]} are not among the model's "
                             f"named_parameters(), e.g. {list(self.params)[:3]}")
        self.slider_names = names[:_SLIDER_LIMIT]
        self.steps = 0
        self.losses: list[tuple[int, float]] = []
        self.val_losses: list[tuple[int, float]] = []
        self.labels: Labels | None = None
        self.box: tuple[float, ...] | None = None
        if plane and len(X[0]) == 2 and all(_is_whole(t) for t in y):  # 2-D classification
            with autograd.no_grad():
                first = model(X[0])
            n_outputs = len(first) if isinstance(first, (list, tuple)) else 1
            self.labels = read_labels(y, n_outputs, loss_fn)
            self.box = bounding_box(X)
        self.playing = False
        self.manual = False
        self.message = ""
        self.inspected: int | None = None
        self._widget: Any = None
        self._handle: Any = None
        self._front_end_seen = False
        self._chain: str | None = None  # the id of the view whose requests drive play
        self._last_redraw = -math.inf
        self._redraw_cost = 0.0
        self._current_loss: float | None = None

    # -- training ----------------------------------------------------------------------------------
    @property
    def lr(self) -> float:
        """The learning rate of the first parameter group; setting it sets every group's."""
        return self.optimizer.param_groups[0]["lr"]

    @lr.setter
    def lr(self, value: float) -> None:
        value = float(value)
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"the learning rate must be a number > 0, got {value!r}")
        for group in self.optimizer.param_groups:
            group["lr"] = value
        self._push(status=True)

    def _loss(self) -> Value:
        loss = self.loss_fn(self.model(self.X), self.y)
        if self.l2:
            loss = loss + self.l2 * F.l2_penalty(self.params.values())
        return loss

    def _train_step(self) -> float:
        """One step; returns the loss before it. A non-finite loss or update stops and says so."""
        if hasattr(self.model, "train"):
            self.model.train()
        loss = self._loss()
        value = _number(loss)
        if not math.isfinite(value):
            raise FloatingPointError(
                f"the loss became {value} at step {self.steps + 1}: training diverged. Lower the "
                f"learning rate (now {self.lr:g}) and start again with a fresh model")
        self.optimizer.zero_grad()
        loss.backward()
        before = [p.data for p in self.params.values()]
        self.optimizer.step()
        if not all(math.isfinite(p.data) for p in self.params.values()):
            for p, data in zip(self.params.values(), before):
                p.data = data
            raise FloatingPointError(
                f"step {self.steps + 1} made a weight nan or inf (the weights before it are kept): "
                f"lower the learning rate (now {self.lr:g})")
        self.steps += 1
        self.losses.append((self.steps, value))
        self._current_loss = None
        return value

    def step(self, n: int = 1) -> float:
        """Train `n` steps, redrawing as often as the throttle allows; return the last step's loss.

        Without a front end showing the view (nbclient, nbconvert, a notebook not yet rendered)
        the picture it was displayed as is replaced by the state training ended in.

        Raises:
            FloatingPointError: the loss or the weights stopped being finite numbers (the model
                keeps its last finite weights).
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"step(n): n must be a whole number of steps >= 0, got {n!r}")
        loss = math.nan
        try:
            for _ in range(n):
                loss = self._train_step()
                self._maybe_redraw()
        finally:
            self._push(status=True, curves=True, plane=True, network=True)
            self._refresh_picture()
        return loss

    def update(self, loss: Any = None, *, force: bool = False) -> None:
        """Follow a hand-written training loop: record `loss` (a Value or a number) as the next
        step's and redraw if the throttle allows; with `force=True`, or with no loss, redraw now.

            for step in range(100):
                loss = loss_fn(model(X), y)
                optimizer.zero_grad(); loss.backward(); optimizer.step()
                view.update(loss)
            view.update(force=True)   # the end state (and the picture, without a front end)
        """
        if loss is not None:
            self.steps += 1
            self.losses.append((self.steps, _number(loss)))
            self._current_loss = None
        if force or loss is None:
            self._push(status=True, curves=True, plane=True, network=True)
            self._refresh_picture()
        else:
            self._maybe_redraw()

    def on_step(self, epoch: int, step: int, loss: float) -> None:
        """Follow `nn.fit`: `nn.fit(model, ..., callback=view.on_step)` records each step's loss
        (a mini-batch's, with batches) and redraws as the throttle allows; `view.update()` after
        fit returns draws the end state."""
        self.update(loss)

    def play(self) -> None:
        """Ask the front end to train on, chunk after chunk, until `pause()` or the pause button.
        (Without a front end nothing trains: use `step(n)`.)"""
        if self._widget is not None:
            self._widget.send({"type": "play"})

    def pause(self) -> None:
        """Stop playing after the chunk that is running."""
        self.playing = False
        self._push(status=True)

    def current_loss(self) -> float:
        """The training loss at the current weights (no gradient step, no graph kept)."""
        if self._current_loss is None:
            with autograd.no_grad():
                self._current_loss = _number(self._loss())
        return self._current_loss

    # -- what the front end (or code) can change ---------------------------------------------------
    def add_point(self, point: Sequence[float], cls: int) -> None:
        """Add a training point of class `cls` (0, 1, ...; stored as the label the loss expects)."""
        if self.labels is None:
            raise ValueError("points can be added on the plane of 2-D classification data only")
        self.X.append([float(point[0]), float(point[1])])
        self.y.append(self.labels.label_of(int(cls)))
        self._current_loss = None
        self._push(status=True, plane=True)

    def remove_point(self, index: int) -> None:
        """Remove training point `index` (one point always stays)."""
        if not 0 <= index < len(self.X):
            raise IndexError(f"there is no point {index}: the view has {len(self.X)} points")
        if len(self.X) == 1:
            raise ValueError("the last point stays: training needs at least one")
        del self.X[index], self.y[index]
        if self.inspected is not None:
            self.inspected = (None if self.inspected == index else
                              self.inspected - (self.inspected > index))
        self._current_loss = None
        self._push(status=True, plane=True, inspect=True)

    def set_weight(self, name: str, value: float) -> float:
        """Set the weight `name` (a `named_parameters()` name) to `value`; return the new loss."""
        if name not in self.params:
            raise KeyError(f"the model has no weight {name!r}; names look like "
                           f"{next(iter(self.params), '?')!r}")
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"a weight must be a finite number, got {value!r}")
        self.params[name].data = value
        self._current_loss = None
        self._push(status=True, plane=True, network=True, inspect=True)
        return self.current_loss()

    def inspect(self, index: int | None) -> autograd.BackwardSteps | None:
        """Pick training sample `index` (None: none): the view shows its forward values on the
        network and its backward steps; returns those steps (`autograd.explain` of its loss)."""
        if index is not None and not 0 <= index < len(self.X):
            raise IndexError(f"there is no sample {index}: the view has {len(self.X)} points")
        self.inspected = index
        self._push(inspect=True, plane=True)
        return None if index is None else autograd.explain(self._sample_loss(index))

    def _sample_loss(self, index: int) -> Value:
        was_training = getattr(self.model, "training", False)
        if hasattr(self.model, "eval"):
            self.model.eval()
        try:
            return self.loss_fn(self.model([self.X[index]]), [self.y[index]])
        finally:
            if was_training:
                self.model.train()

    # -- pictures ----------------------------------------------------------------------------------
    def snapshot(self) -> TrainingPicture:
        """The view as a static picture (matplotlib): curves, boundary with points, network."""
        accuracy = None
        if self.labels is not None:
            with autograd.no_grad():
                outputs = self.model(self.X)
            predicted, _ = self.labels.scores_to_classes(outputs)
            right = sum(p == self.labels.class_of(t) for p, t in zip(predicted, self.y))
            accuracy = right / len(self.y)
        return draw_training(
            losses=self.losses, val_losses=self.val_losses, steps=self.steps,
            grid=self._boundary(max(self.grid, 30)),
            points=self._points(), accuracy=accuracy, network=_network_png(self.model),
            title=self._summary())

    def _summary(self) -> str:
        parts = [f"step {self.steps}"]
        if self.losses:
            parts.append(f"loss {self.losses[-1][1]:.4g}")
        if self.val_losses:
            parts.append(f"validation loss {self.val_losses[-1][1]:.4g}")
        parts.append(f"{len(self.X)} points")
        return ", ".join(parts)

    def __repr__(self) -> str:
        return (f"LiveTraining({self._summary()}, lr {self.lr:g}; in a notebook it shows the "
                f"curves, the network and the boundary live)")

    def _points(self) -> list[list[float]]:
        if self.labels is None:
            return []
        return [[round(p[0], 4), round(p[1], 4), self.labels.class_of(t)]
                for p, t in zip(self.X, self.y)]

    def _static_bundle(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The view as a picture, for front ends without widgets: PNG, HTML with alt text, text;
        and the metadata that gives the PNG its alt text."""
        bundle: dict[str, Any] = {"text/plain": repr(self)}
        try:
            picture = self.snapshot()
        except ImportError:  # no matplotlib: the text is all there is
            return bundle, {}
        data, metadata = picture._repr_mimebundle_()
        return {**data, "text/plain": repr(self)}, metadata

    def _refresh_picture(self) -> None:
        """Replace the displayed picture by the current state when no front end shows the widget."""
        if self._handle is not None and not self._front_end_seen:
            data, metadata = self._display_bundle()
            self._handle.update(data, metadata=metadata, raw=True)

    def _display_bundle(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """What the view displays as: the widget (where a kernel has anywidget) and the picture."""
        bundle, metadata = self._static_bundle()
        widget = self.widget
        if widget is not None:
            data = widget._repr_mimebundle_()
            data = data[0] if isinstance(data, tuple) else data
            bundle.update({k: v for k, v in data.items() if k != "text/plain"})
        return bundle, metadata

    def _ipython_display_(self) -> None:
        from IPython.display import display
        data, metadata = self._display_bundle()
        self._handle = display(data, metadata=metadata, raw=True, display_id=True)

    # -- the widget --------------------------------------------------------------------------------
    @property
    def widget(self) -> Any:
        """The anywidget showing this view, made on first use; None without anywidget or outside
        an IPython kernel (a plain REPL, a script)."""
        if self._widget is None and _kernel_with_widgets():
            self._widget = _make_widget(self)
            self._push(status=True, curves=True, plane=True, network=True, weights=True)
        return self._widget

    def _maybe_redraw(self) -> None:
        if self._widget is None:
            return
        now = time.perf_counter()
        if now - self._last_redraw >= max(self.redraw_every, 2.5 * self._redraw_cost):
            self._push(status=True, curves=True, plane=True, network=True)

    def _push(self, status: bool = False, curves: bool = False, plane: bool = False,
              network: bool = False, weights: bool = False, inspect: bool = False) -> None:
        """Send the named parts of the state to the front end (nothing without a widget)."""
        widget = self._widget
        if widget is None:
            return
        start = time.perf_counter()
        if curves and self.val is not None and self.steps and (
                not self.val_losses or self.val_losses[-1][0] != self.steps):
            self.val_losses.append((self.steps, self._val_loss()))
        with widget.hold_sync():
            if curves:
                widget.curves = {"train": _thin(self.losses), "val": _thin(self.val_losses)}
            grid = self._boundary(self.grid) if plane else None
            if grid is not None:
                grid["points"] = self._points()
                grid["inspected"] = self.inspected
                widget.plane = grid
            if network:
                widget.network = _network_svg(self.model) or ""
            if weights:
                widget.weights = [self._slider(name) for name in self.slider_names]
            if inspect:
                widget.inspect = self._inspect_state()
            if status:
                widget.status = self._status()
        self._redraw_cost = time.perf_counter() - start
        self._last_redraw = time.perf_counter()

    def _boundary(self, n: int) -> dict[str, Any] | None:
        """The decision map on an n x n grid; None when the data has no plane."""
        if self.labels is None or self.box is None:
            return None
        return boundary_grid(self.model, self.labels, self.box, n)

    def _val_loss(self) -> float:
        if self.val is None:
            return math.nan
        was_training = getattr(self.model, "training", False)
        if hasattr(self.model, "eval"):
            self.model.eval()
        try:
            with autograd.no_grad():
                return _number(self.loss_fn(self.model(self.val[0]), self.val[1]))
        finally:
            if was_training:
                self.model.train()

    def _slider(self, name: str) -> dict[str, Any]:
        value = self.params[name].data
        reach = max(3.0, 2 * abs(value))
        return {"name": name, "value": value, "min": -reach, "max": reach}

    def _status(self) -> dict[str, Any]:
        return {"step": self.steps, "loss": _finite(self.current_loss()), "lr": self.lr,
                "playing": self.playing, "manual": self.manual, "message": self.message,
                "points": len(self.X),
                "classes": 0 if self.labels is None else self.labels.n_classes,
                "colours": list(CLASS_COLOURS)}

    def _inspect_state(self) -> dict[str, Any]:
        index = self.inspected
        if index is None:
            return {}
        loss = self._sample_loss(index)
        steps = autograd.explain(loss)
        x = ", ".join(f"{v:.3g}" for v in self.X[index])
        title = (f"sample {index}: x = ({x}), label {self.y[index]}, loss {_number(loss):.4g} "
                 f"({len(steps)} backward steps)")
        network = _network_svg(self.model, self.X[index], gradients=True) or ""
        return {"index": index, "title": title, "network": network,
                "steps": steps._repr_html_() if len(steps) <= _STEPS_DRAWN else
                f"<pre>{html.escape(str(steps))}</pre>"}

    def _on_message(self, widget: Any, content: dict, buffers: Any = None) -> None:
        """A message from the front end: run it, then say so (errors are shown, not raised)."""
        kind = content.get("type")
        self.message = ""
        try:
            if kind == "hello":
                self._front_end_seen = True
                return
            if kind == "step":
                self._train_step()
                self._push(status=True, curves=True, plane=True, network=True, inspect=True)
            elif kind == "play":
                self.playing, self.manual, self._chain = True, False, content.get("id")
                self._chunk()
            elif kind == "chunk":
                if self.playing and content.get("id") == self._chain:
                    self._chunk()
            elif kind == "pause":  # a closed view stops play only if it was driving it
                if self.playing and not (content.get("closing")
                                         and content.get("id") != self._chain):
                    self.playing = False
                    self._push(status=True, curves=True, plane=True, network=True, inspect=True)
            elif kind == "lr":
                self.lr = content["value"]
            elif kind == "manual":
                self.manual, self.playing = bool(content["on"]), False
                self._push(status=True, weights=self.manual)
            elif kind == "weight":
                self.set_weight(content["name"], content["value"])
            elif kind == "add":
                self.add_point((content["x"], content["y"]), content["cls"])
            elif kind == "remove":
                self.remove_point(int(content["index"]))
            elif kind == "inspect":
                self.inspect(None if content.get("index") is None else int(content["index"]))
        except Exception as error:  # shown in the view: a kernel log is where no student looks
            self.playing = False
            self.message = f"{type(error).__name__}: {error}"
            self._push(status=True, curves=True)
        widget.send({"type": "done", "request": kind, "id": content.get("id"),
                     "playing": self.playing and content.get("id") == self._chain})

    def _chunk(self) -> None:
        """Train for about one redraw interval (at least one step), then redraw."""
        start = time.perf_counter()
        budget = max(self.redraw_every, 2.5 * self._redraw_cost, 0.05)
        while True:
            self._train_step()
            if time.perf_counter() - start >= budget:
                break
        self._push(status=True, curves=True, plane=True, network=True, inspect=True)


def _network_png(model: Any) -> bytes | None:
    draw = _draw_network()
    if draw is None:
        return None
    try:
        return draw(model).png
    except Exception:
        return None


def _kernel_with_widgets() -> bool:
    """Whether widgets can be shown: anywidget installed and an IPython kernel running."""
    if "IPython" not in sys.modules:  # not imported by anyone: no kernel here
        return False
    from IPython import get_ipython
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    try:
        import anywidget  # noqa: F401
    except ImportError:
        return False
    return True


def _make_widget(view: LiveTraining) -> Any:
    """The anywidget of `view` (the class is made on first use: anywidget is imported then)."""
    widget = _widget_class()()
    widget.on_msg(view._on_message)
    return widget


_WIDGET_CLASS: Any = None


def _widget_class() -> type:
    global _WIDGET_CLASS
    if _WIDGET_CLASS is None:
        import anywidget
        import traitlets

        class LiveTrainingWidget(anywidget.AnyWidget):
            """The front end's half of `LiveTraining`: the state it draws, as synced traits."""

            _esm = (_FRONT_END / "widget.js").read_text(encoding="utf-8")
            _css = (_FRONT_END / "widget.css").read_text(encoding="utf-8")
            status = traitlets.Dict().tag(sync=True)
            curves = traitlets.Dict().tag(sync=True)
            plane = traitlets.Dict().tag(sync=True)
            network = traitlets.Unicode("").tag(sync=True)
            weights: Any = traitlets.List().tag(sync=True)
            inspect = traitlets.Dict().tag(sync=True)

        _WIDGET_CLASS = LiveTrainingWidget
    return _WIDGET_CLASS
