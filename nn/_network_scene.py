"""The scene of a network picture: where every input, neuron and weight goes, and how each looks.

`network_scene(model, sample)` walks a model made of layers of neurons, runs it on the sample (if
any) and returns a `NetworkScene`: plain numbers and strings, nothing to parse. The SVG writer and
the PNG rasteriser (`nn.network_picture`) both draw from it, so the two pictures always agree, and a
live view can reuse it to update colours and widths in place.

Layout (in pixels, y downwards as in SVG): one column per layer, left to right, the inputs first;
input 0 and neuron 0 at the top of their columns; columns centred vertically. Every weight is one
line from the neuron (or input) it reads to the neuron it belongs to.

Styling:
- a line's colour is the sign of its weight (or, with `gradients=True`, of dL/dw): blue for +,
  orange for -, grey for 0, magenta for nan/inf. Its width and opacity grow linearly with |w|
  (or |dL/dw|) from the thinnest to the widest, the largest finite value in the picture being the
  widest; with many lines the small ones fade, so the large ones stand out.
- a circle is shaded by the value the neuron passes on for the sample, blue for +, orange for -,
  the deeper the larger |value| (relative to 1 after tanh/sigmoid/softmax, which are bounded, or to
  the column's largest |value| otherwise). A ReLU neuron whose output is exactly 0 on the sample is
  dead: grey with a cross. A tanh neuron with |output| > 0.99, or a sigmoid one below 0.01 or above
  0.99, is saturated: a thick purple ring. Both pass back (almost) no gradient.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Sequence

import autograd
from autograd import Value

from ._naming import short_names
from .activation import LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from .batchnorm import BatchNorm1d
from .dropout import Dropout
from .layers import MLP, Layer, Neuron, Sequential
from .module import Module

__all__ = ["network_scene", "NetworkScene", "NeuronCircle", "WeightLine", "Label"]

POSITIVE = "#2166ac"  # blue
NEGATIVE = "#e66101"  # orange
ZERO = "#b0b0b0"
NONFINITE = "#d01c8b"  # magenta: nan or inf
INK = "#333333"
MUTED = "#777777"
DEAD_FILL = "#d9d9d9"
SATURATED = "#7b3294"  # purple ring

_ELEMENTWISE = (ReLU, Tanh, Sigmoid, LeakyReLU, Softmax, Dropout, BatchNorm1d)
_ACTIVATION_OF = {ReLU: "relu", Tanh: "tanh", Sigmoid: "sigmoid", LeakyReLU: "leaky_relu",
                  Softmax: "softmax"}
_BOUNDED = ("tanh", "sigmoid", "softmax")  # shaded against 1, not against the column's largest
_SUPPORTED = ("nn.MLP, nn.Layer, nn.Neuron, or an nn.Sequential of those with ReLU, Tanh, Sigmoid, "
              "LeakyReLU, Softmax, Dropout and BatchNorm1d modules between them")


@dataclass(frozen=True)
class NeuronCircle:
    """One input or neuron: a circle at (x, y) of radius r.

    `column` 0 holds the inputs, column k the k-th layer; `index` counts from the top. `name` is
    the neuron's module name from `model.named_modules()` ("layers.0.neurons.3"), or "x[i]" for
    input i; `short` its short form ("l0.n3"). `value` is what it passes on for the sample (None
    without one); `mark` is "dead", "saturated" or None; `title` the hover text.
    """

    x: float
    y: float
    r: float
    column: int
    index: int
    name: str
    short: str
    value: float | None
    fill: str
    stroke: str
    stroke_width: float
    mark: str | None
    title: str


@dataclass(frozen=True)
class WeightLine:
    """One weight: a line from the centre of the circle `source` to that of `target` ((column,
    index) pairs; the circles, drawn over the lines, hide its ends).

    `name` is the weight's `named_parameters()` name ("layers.0.neurons.3.w.1"), `short` its label
    ("l0.n3.w1"); `weight` and `grad` its `.data` and `.grad` when drawn; `colour`, `width` (px)
    and `opacity` how it is drawn; `title` the hover text.
    """

    x1: float
    y1: float
    x2: float
    y2: float
    source: tuple[int, int]
    target: tuple[int, int]
    name: str
    short: str
    weight: float
    grad: float
    colour: str
    width: float
    opacity: float
    title: str


@dataclass(frozen=True)
class Label:
    """A line of text whose baseline starts (anchor "start"), is centred ("middle") or ends ("end")
    at (x, y); it is made of (text, colour) segments, so a legend can colour its words."""

    x: float
    y: float
    segments: tuple[tuple[str, str], ...]
    anchor: str = "start"
    size: float = 11.0
    bold: bool = False
    title: str | None = None

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.segments)


@dataclass(frozen=True)
class NetworkScene:
    """Everything a picture of the network draws, in pixels (y downwards), in drawing order:
    `lines` first, then `circles`, then `labels` (headings, input names, outputs, the legend).

    `title` describes the picture in words (the SVG's alt text); `model` is the model's repr;
    `gradients` tells whether lines show dL/dw rather than w; `sample` is the sample drawn with,
    as floats (None without one).
    """

    width: float
    height: float
    title: str
    model: str
    gradients: bool
    sample: tuple[float, ...] | None
    circles: tuple[NeuronCircle, ...]
    lines: tuple[WeightLine, ...]
    labels: tuple[Label, ...]

    def circle(self, column: int, index: int) -> NeuronCircle:
        """The circle of neuron `index` (from the top) in `column` (0: the inputs)."""
        for c in self.circles:
            if c.column == column and c.index == index:
                return c
        raise IndexError(f"the picture has no neuron {index} in column {column}")

    def line(self, name: str) -> WeightLine:
        """The line of the weight called `name` (long "layers.0.neurons.3.w.1" or short "l0.n3.w1")."""
        for line in self.lines:
            if name in (line.name, line.short):
                return line
        raise KeyError(f"the picture has no weight called {name!r}")


# -- the model as columns ---------------------------------------------------------------------------
@dataclass
class _Column:
    name: str  # "input", or the layer's module name
    size: int
    neurons: list[tuple[str, Neuron]]  # (module name, neuron); empty for the inputs
    activation: str  # the layer's own activation; "input" for the inputs
    steps: list[tuple[str, Module]] = field(default_factory=list)  # elementwise modules after it


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _flatten(module: Any, name: str, model: Any) -> list[tuple[str, Module]]:
    """The model's layers and elementwise modules in the order a sample goes through them."""
    if isinstance(module, (Neuron, Layer) + _ELEMENTWISE):
        return [(name, module)]
    if isinstance(module, MLP):
        return [(_join(name, f"layers.{i}"), layer) for i, layer in enumerate(module.layers)]
    if isinstance(module, Sequential):
        parts: list[tuple[str, Module]] = []
        for child_name, child in module.named_children():
            parts.extend(_flatten(child, _join(name, child_name), model))
        return parts
    what = f"{type(module).__name__} {module!r:.60}" if not isinstance(module, Module) else \
        type(module).__name__
    if module is model:
        raise TypeError(f"draw_network draws a model made of layers of neurons ({_SUPPORTED}); "
                        f"got {what}")
    raise TypeError(f"draw_network cannot draw {name} of {type(model).__name__}: it is a "
                    f"{what}; it draws {_SUPPORTED}")


def _columns(model: Any) -> list[_Column]:
    parts = _flatten(model, "", model)
    layers = [module for _, module in parts if isinstance(module, (Neuron, Layer))]
    if not layers:
        raise TypeError(f"draw_network: {type(model).__name__} has no layer of neurons to draw; "
                        f"it draws {_SUPPORTED}")
    columns = [_Column("input", layers[0].nin, [], "input")]
    for name, module in parts:
        previous = columns[-1]
        where = name or type(model).__name__
        if isinstance(module, (Neuron, Layer)):
            if module.nin != previous.size:
                raise ValueError(f"cannot draw {type(model).__name__}: {where} ({module!r}) takes "
                                 f"{module.nin} inputs, but {_describe(previous)} gives it "
                                 f"{previous.size}")
            neurons = ([(name, module)] if isinstance(module, Neuron) else
                       [(_join(name, f"neurons.{j}"), n) for j, n in enumerate(module.neurons)])
            columns.append(_Column(name or type(module).__name__, len(neurons), neurons,
                                   module.activation))
        else:
            if isinstance(module, BatchNorm1d) and module.num_features != previous.size:
                raise ValueError(f"cannot draw {type(model).__name__}: {where} ({module!r}) "
                                 f"normalises {module.num_features} features, but "
                                 f"{_describe(previous)} gives it {previous.size}")
            previous.steps.append((name, module))
    return columns


def _describe(column: _Column) -> str:
    return "the input" if column.activation == "input" else f"the layer before ({column.name})"


# -- running the sample -----------------------------------------------------------------------------
def _sample_floats(sample: Any, size: int, model: Any) -> list[float]:
    name = type(model).__name__
    if isinstance(sample, (str, bytes)) or not hasattr(sample, "__len__") or isinstance(sample, dict):
        raise TypeError(f"draw_network(sample=...) takes one input vector (a list of {size} "
                        f"numbers), got {type(sample).__name__} {sample!r:.60}")
    if hasattr(sample, "tolist") and not isinstance(sample, (list, tuple)):
        sample = sample.tolist()
    entries = list(sample)
    if entries and not isinstance(entries[0], (Real, Value)) and hasattr(entries[0], "__len__"):
        raise ValueError(f"draw_network(sample=...) takes one sample, got a batch of "
                         f"{len(entries)}; pass one of them, e.g. sample=X[0]")
    if len(entries) != size:
        raise ValueError(f"draw_network: the sample has {len(entries)} entries, but {name} takes "
                         f"{size} inputs")
    numbers = []
    for i, entry in enumerate(entries):
        if isinstance(entry, Value):
            entry = entry.data
        if isinstance(entry, bool) or not isinstance(entry, Real):
            raise TypeError(f"draw_network: sample entry {i} is {type(entry).__name__} "
                            f"{entry!r:.40}, expected a number")
        numbers.append(float(entry))
    return numbers


@dataclass
class _Run:
    """One column's numbers on the sample."""

    values: list[float]  # what each neuron passes on (after the steps)
    sums: list[float] | None = None  # weighted sums, w . x + b
    stages: list[tuple[str, list[float]]] = field(default_factory=list)  # (what, values after it)
    marked_by: str | None = None  # the last activation applied ("relu", "tanh"...)
    marked_values: list[float] | None = None  # its outputs


def _apply_steps(column: _Column, x: list[Value], run: _Run) -> list[Value]:
    for name, step in column.steps:
        x = step._sample(x)
        kind = _ACTIVATION_OF.get(type(step))
        numbers = [v.data for v in x]
        run.stages.append((f"{name}: {type(step).__name__}" if name else type(step).__name__,
                           numbers))
        if kind is not None:
            run.marked_by, run.marked_values = kind, numbers
    run.values = [v.data for v in x]
    return x


def _run(model: Module, columns: list[_Column], sample: list[float]) -> list[_Run]:
    """Every column's values on the sample, in evaluation mode, recording no graph; every
    module's train/eval flag is put back as it was."""
    flags = [(module, module.training) for module in model.modules()]
    runs: list[_Run] = []
    try:
        model.eval()  # dropout off, batchnorm on its running statistics: nothing in it changes
        with autograd.no_grad():
            x = [Value(v) for v in sample]
            run = _Run([v.data for v in x])
            x = _apply_steps(columns[0], x, run)
            runs.append(run)
            for column in columns[1:]:
                layer_sums = [autograd.dot(n.w, x, n.b).data for _, n in column.neurons]
                x = [n._value(x) for _, n in column.neurons]
                outputs = [v.data for v in x]
                run = _Run(outputs, layer_sums, [(column.activation, outputs)])
                if column.activation not in ("linear", "leaky_relu"):
                    run.marked_by, run.marked_values = column.activation, outputs
                x = _apply_steps(column, x, run)
                runs.append(run)
    finally:
        for module, training in flags:
            module.training = training
    return runs


def _mark(kind: str | None, value: float) -> str | None:
    if kind == "relu" and value == 0.0:
        return "dead"
    if kind == "tanh" and abs(value) > 0.99:
        return "saturated"
    if kind == "sigmoid" and (value < 0.01 or value > 0.99):
        return "saturated"
    return None


# -- colours and numbers ----------------------------------------------------------------------------
def _mix(colour: str, t: float) -> str:
    """`colour` at strength t in [0, 1] over white."""
    t = min(max(t, 0.0), 1.0)
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 + (c - 255) * t):02x}" for c in rgb)


def _sign_colour(x: float) -> str:
    if not math.isfinite(x):
        return NONFINITE
    return POSITIVE if x > 0 else NEGATIVE if x < 0 else ZERO


def _num(x: float, digits: int = 4) -> str:
    """A number for a person: 4 significant digits (or `digits`), a true minus sign."""
    if math.isnan(x):
        return "nan"
    text = f"{x:.{digits}g}"
    return text.replace("-", "\u2212") if not text.startswith("-inf") else "\u2212inf"


def _largest(numbers: Sequence[float]) -> float:
    finite = [abs(x) for x in numbers if math.isfinite(x)]
    return max(finite, default=0.0)


# -- the scene --------------------------------------------------------------------------------------
def network_scene(model: Module, sample: Sequence[float] | None = None, *,
                  gradients: bool = False, width: float | None = None) -> NetworkScene:
    """The scene `nn.draw_network` draws: positions, colours and hover texts of every input,
    neuron and weight of `model` (see this module's docstring for what they mean).

    Args: as `nn.draw_network`.
    Raises:
        TypeError: `model` is not made of layers of neurons, or `sample` is not a list of numbers.
        ValueError: the layers do not fit together, or the sample has the wrong length.
    """
    if not isinstance(gradients, bool):
        raise TypeError(f"draw_network(gradients=...) is True or False, got {gradients!r}")
    if width is not None and (isinstance(width, bool) or not isinstance(width, Real)
                              or not 240 <= width <= 20000):
        raise ValueError(f"draw_network(width=...) is the picture's width in pixels, a number "
                         f"from 240 to 20000 (or None to choose one), got {width!r}")
    columns = _columns(model)
    numbers = None if sample is None else _sample_floats(sample, columns[0].size, model)
    runs = None if numbers is None else _run(model, columns, numbers)

    named = model.named_parameters()
    shorts = dict(zip((id(p) for _, p in named), short_names([n for n, _ in named])))
    names = {id(p): n for n, p in named}

    # layout
    most = max(c.size for c in columns)
    spacing = 30.0 if most <= 6 else max(9.0, min(30.0, 420.0 / most))
    radius = max(2.5, min(13.0, 0.36 * spacing))
    small = max(8.0, min(11.0, 1.1 * radius))  # the size of input and output labels
    input_text = max((len(_input_text(i, numbers)) for i in range(columns[0].size)), default=4)
    output_text = 0 if runs is None else 7
    left = max(40.0, radius + 12 + 0.6 * small * input_text)
    right = max(40.0, radius + 12 + 0.62 * small * output_text)
    top, bottom = 54.0, 58.0
    gaps = len(columns) - 1
    total_width = float(width) if width is not None else max(520.0, left + right + 170.0 * gaps)
    gap = (total_width - left - right) / gaps
    height = top + most * spacing + bottom
    xs = [left + k * gap for k in range(len(columns))]

    def y_of(column: int, index: int) -> float:
        size = columns[column].size
        return top + (most - size) * spacing / 2 + (index + 0.5) * spacing

    # circles
    circles: list[NeuronCircle] = []
    for k, column in enumerate(columns):
        run = runs[k] if runs else None
        bounded = bool(run) and _final_kind(column) in _BOUNDED
        scale = 1.0 if bounded else _largest(run.values) if run else 0.0
        for i in range(column.size):
            value = run.values[i] if run else None
            mark = _mark(run.marked_by, run.marked_values[i]) if run and run.marked_values else None
            fill, stroke, stroke_width = "#ffffff", INK, 1.2
            if value is not None:
                if not math.isfinite(value):
                    fill = NONFINITE
                elif scale > 0:
                    fill = _mix(POSITIVE if value > 0 else NEGATIVE, 0.85 * min(abs(value) / scale, 1))
            if mark == "dead":
                fill, stroke = DEAD_FILL, MUTED
            elif mark == "saturated":
                stroke, stroke_width = SATURATED, max(2.0, 0.3 * radius)
            if k == 0:
                name = short = f"x[{i}]"
                title = f"input x[{i}]" + ("" if value is None else f" = {_num(numbers[i])}")
                if run and run.stages:
                    title += "".join(f"\nafter {what} \u2192 {_num(vals[i])}"
                                     for what, vals in run.stages)
            else:
                name, neuron = column.neurons[i]
                bias_short = shorts.get(id(neuron.b), "b")
                short = bias_short.rpartition(".")[0] or name
                title = _neuron_title(name, short, neuron, column, run, i, mark, gradients,
                                      shorts, names)
            circles.append(NeuronCircle(xs[k], y_of(k, i), radius, k, i, name, short, value, fill,
                                        stroke, stroke_width, mark, title))

    # lines
    raw: list[tuple] = []
    for k, column in enumerate(columns[1:], start=1):
        for j, (_, neuron) in enumerate(column.neurons):
            for i, w in enumerate(neuron.w):
                raw.append((k, j, i, w))
    shown = [(w.grad if gradients else w.data) for *_, w in raw]
    top_size = _largest(shown)
    # the more lines, the thinner and fainter the small ones, so that the large ones stand out
    widest = max(1.2, min(6.0, 0.5 * spacing, 40.0 / math.sqrt(max(len(raw), 1))))
    thinnest = min(0.6, 0.3 * widest)
    faintest = 0.6 if len(raw) <= 40 else 0.1
    lines: list[WeightLine] = []
    for (k, j, i, w), x in zip(raw, shown):
        if math.isfinite(x):
            t = abs(x) / top_size if top_size > 0 else 0.0
            line_width = thinnest + (widest - thinnest) * t
            opacity = faintest + (0.85 - faintest) * t ** 1.5
        else:
            line_width, opacity = widest, 0.9
        source, target = circles_at(circles, k - 1, i), circles_at(circles, k, j)
        name, short = names.get(id(w), f"w{i}"), shorts.get(id(w), f"w{i}")
        title = (f"{short} ({name})\nweight = {_num(w.data)}\ngrad dL/dw = {_num(w.grad)}\n"
                 f"from {source.short} to {target.short}")
        lines.append(WeightLine(source.x, source.y, target.x, target.y,  # centre to centre
                                (k - 1, i), (k, j), name, short, w.data, w.grad,
                                _sign_colour(x), round(line_width, 3), round(opacity, 3), title))

    labels = _labels(columns, circles, xs, radius, numbers, runs, model)
    legend = _legend(gradients, top_size, len(raw), shown, runs, circles, height - bottom + 22)
    title = _title(model, columns, len(raw), numbers, gradients)
    return NetworkScene(total_width, height, title, _one_line(model), gradients,
                        None if numbers is None else tuple(numbers), tuple(circles), tuple(lines),
                        tuple(labels + legend))


def circles_at(circles: list[NeuronCircle], column: int, index: int) -> NeuronCircle:
    # circles are appended column by column; find by scanning (pictures are small)
    for c in circles:
        if c.column == column and c.index == index:
            return c
    raise IndexError((column, index))


def _final_kind(column: _Column) -> str:
    """The last thing that changes the column's values: its activation or a step after it."""
    kind = column.activation
    for _, step in column.steps:
        if isinstance(step, Dropout):
            continue  # the identity in evaluation mode
        kind = _ACTIVATION_OF.get(type(step), "batchnorm")
    return kind


def _neuron_title(name: str, short: str, neuron: Neuron, column: _Column, run: _Run | None,
                  i: int, mark: str | None, gradients: bool, shorts: dict, names: dict) -> str:
    b = neuron.b
    lines = [f"{short} ({name}): {neuron.nin} inputs, {neuron.activation}",
             f"bias {shorts.get(id(b), 'b')} = {_num(b.data)}, grad dL/db = {_num(b.grad)}"]
    if run is not None:
        lines.append(f"w \u00b7 x + b = {_num(run.sums[i])}")
        lines.extend(f"{what} \u2192 {_num(values[i])}" for what, values in run.stages)
    if mark == "dead":
        lines.append("dead: its ReLU gives exactly 0 on this sample, so no gradient flows "
                     "through it to its weights")
    elif mark == "saturated":
        lines.append(f"saturated: its {run.marked_by} is nearly flat here, so almost no "
                     "gradient flows through it")
    return "\n".join(lines)


def _labels(columns: list[_Column], circles: list[NeuronCircle], xs: list[float], radius: float,
            numbers: list[float] | None, runs: list[_Run] | None, model: Any) -> list[Label]:
    labels = []
    for k, column in enumerate(columns):
        if k == 0:
            heading, caption = "input", f"{column.size} number{'s' if column.size != 1 else ''}"
        else:
            heading, caption = column.name, f"{column.size} {column.activation}"
        if column.steps:
            caption += ", then " + ", ".join(_step_name(step) for _, step in column.steps)
        detail = "\n".join(f"{name}: {step!r}" for name, step in column.steps) or None
        labels.append(Label(xs[k], 18.0, ((heading, INK),), "middle", 12.0, True))
        labels.append(Label(xs[k], 33.0, ((caption, MUTED),), "middle", 10.5, title=detail))
    small = max(8.0, min(11.0, 1.1 * radius))
    for c in circles:
        if c.column == 0:
            labels.append(Label(c.x - radius - 5, c.y + small * 0.35,
                                ((_input_text(c.index, numbers), INK),), "end", small))
        elif c.column == len(columns) - 1 and runs is not None:
            labels.append(Label(c.x + radius + 5, c.y + small * 0.35,
                                ((_num(c.value, 3), INK),), "start", small, True))
    return labels


def _input_text(i: int, numbers: list[float] | None) -> str:
    return f"x[{i}]" if numbers is None else f"x[{i}] = {_num(numbers[i], 3)}"


def _step_name(step: Module) -> str:
    return _ACTIVATION_OF.get(type(step)) or ("dropout" if isinstance(step, Dropout) else "batchnorm")


def _legend(gradients: bool, top_size: float, count: int, shown: list[float],
            runs: list[_Run] | None, circles: list[NeuronCircle], y: float) -> list[Label]:
    what = "dL/dw" if gradients else "w"
    first: list[tuple[str, str]] = [
        ("lines: " + ("gradients dL/dw " if gradients else "weights "), INK),
        ("\u2014 positive ", POSITIVE), ("\u2014 negative", NEGATIVE),
        (f"; width grows with |{what}|, widest = {_num(top_size)}", INK)]
    if gradients and all(x == 0 for x in shown):
        first.append((" (all 0: call loss.backward() first)", NEGATIVE))
    if any(not math.isfinite(x) for x in shown):
        first.append(("; \u2014 nan/inf", NONFINITE))
    if runs is None:
        second: list[tuple[str, str]] = [
            ("circles: inputs and neurons (give a sample to shade them by their output)", INK)]
    else:
        second = [("circles: output on the sample, ", INK), ("\u25cf positive ", POSITIVE),
                  ("\u25cf negative", NEGATIVE)]
        dead = sum(c.mark == "dead" for c in circles)
        saturated = sum(c.mark == "saturated" for c in circles)
        if dead:
            second.append((f"; \u00d7 dead ReLU ({dead})", MUTED))
        if saturated:
            second.append((f"; \u25cb saturated ({saturated})", SATURATED))
    return [Label(10.0, y, tuple(first), "start", 11.0),
            Label(10.0, y + 17.0, tuple(second), "start", 11.0)]


def _title(model: Any, columns: list[_Column], weights: int, numbers: list[float] | None,
           gradients: bool) -> str:
    sizes = ", ".join(str(c.size) for c in columns[1:])
    text = (f"Network picture of {_one_line(model)}: {columns[0].size} inputs, then layers "
            f"of {sizes} neurons, {weights} weights drawn as lines coloured by the sign of "
            f"{'their gradient' if gradients else 'the weight'} (blue +, orange -), as wide as "
            f"{'|dL/dw|' if gradients else '|w|'}")
    if numbers is not None:
        text += f"; neurons shaded by their output on the sample [{', '.join(map(_num, numbers))}]"
    return text


def _one_line(model: Any) -> str:
    """The model in one line: "MLP(2, [16, 1], activation='relu')", "Sequential(Layer, ReLU, Layer)"."""
    if isinstance(model, Sequential):
        return f"Sequential({', '.join(type(child).__name__ for child in model.children())})"
    return f"{type(model).__name__}({model.extra_repr()})"
