"""The scene of a network picture: where every input, neuron and weight goes, and how each looks.

`network_scene(model, sample)` sees the model as columns of neurons, runs it on the sample if there
is one (see `nn._network_model`) and returns a `NetworkScene`: plain numbers and strings, nothing
to parse. The SVG writer and the PNG rasteriser (`nn.network_picture`) both draw from it, so the two
pictures always agree; a live view can read it too, to update colours and widths in place (each
SVG element carries the `data-name` of its weight or neuron, the `name` in the scene).

Layout (in pixels, y downwards as in SVG): one column per layer, left to right, the inputs first;
input 0 and neuron 0 at the top of their columns; columns centred vertically. Every weight is one
line from the neuron (or input) it reads to the neuron it belongs to.

Styling:
- a line's colour is the sign of its weight (or, with `gradients=True`, of dL/dw): blue for +,
  orange for -, grey for 0, magenta for nan/inf. Its width grows linearly with |w| (or |dL/dw|)
  from the thinnest to the widest, the largest finite value in the picture being the widest, and
  its opacity with |w|^1.5; with many lines all are thinner and the small ones fade, so that the
  large ones stand out.
- a circle is shaded by the value the neuron passes on for the sample, blue for +, orange for -,
  the deeper the larger |value| (relative to 1 after tanh/sigmoid/softmax, which are bounded, or to
  the column's largest |value| otherwise). A ReLU neuron whose output is exactly 0 on the sample is
  dead: grey with a cross. A tanh neuron with |output| > 0.99, or a sigmoid one below 0.01 or above
  0.99, is saturated: a thick purple ring. Both pass back (almost) no gradient.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

from ._naming import short_names
from ._network_model import Column, ColumnRun, columns, one_line, run, sample_numbers, step_name
from .layers import Neuron
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

    `title` describes the picture in words (the SVG's alt text); `model` names the model in one
    line ("MLP(2, [16, 1], activation='relu')");
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
        """The line of the weight called `name`: long ("layers.0.neurons.3.w.1") or short
        ("l0.n3.w1")."""
        for line in self.lines:
            if name in (line.name, line.short):
                return line
        raise KeyError(f"the picture has no weight called {name!r}")


# -- colours and numbers ---------------------------------------------------------------------------
def mix(colour: str, t: float) -> str:
    """`colour` ("#rrggbb") at strength t in [0, 1] over white."""
    t = min(max(t, 0.0), 1.0)
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 + (c - 255) * t):02x}" for c in rgb)


def _sign_colour(x: float) -> str:
    if not math.isfinite(x):
        return NONFINITE
    return POSITIVE if x > 0 else NEGATIVE if x < 0 else ZERO


def _num(x: float, digits: int = 4) -> str:
    """A number for a person: 4 significant digits (or `digits`), a true minus sign."""
    return "nan" if math.isnan(x) else f"{x:.{digits}g}".replace("-", "\u2212")


def _largest(numbers: Sequence[float]) -> float:
    return max((abs(x) for x in numbers if math.isfinite(x)), default=0.0)


def _input_text(i: int, sample: list[float] | None) -> str:
    return f"x[{i}]" if sample is None else f"x[{i}] = {_num(sample[i], 3)}"


# -- layout ----------------------------------------------------------------------------------------
class _Layout:
    """Where the columns and circles go: circles `spacing` apart, every column centred on the
    tallest, margins wide enough for the input labels and the output values."""

    top = 54.0  # room for the headings

    def __init__(self, columns: list[Column], sample: list[float] | None,
                 width: float | None) -> None:
        self.sizes = [column.size for column in columns]
        self.most = most = max(self.sizes)
        self.spacing = 30.0 if most <= 6 else max(9.0, min(30.0, 420.0 / most))
        self.radius = max(2.5, min(13.0, 0.36 * self.spacing))
        self.small = max(8.0, min(11.0, 1.1 * self.radius))  # input and output labels
        longest = max((len(_input_text(i, sample)) for i in range(columns[0].size)), default=0)
        left = max(40.0, self.radius + 12 + 0.6 * self.small * longest)
        right = max(40.0, self.radius + 12 + 0.62 * self.small * (0 if sample is None else 7))
        gaps = len(columns) - 1
        narrowest = left + right + 100.0 * gaps  # room for each column's heading
        self.width = max(float(width), narrowest) if width is not None else \
            max(520.0, left + right + 170.0 * gaps)
        gap = (self.width - left - right) / gaps
        self.xs = [left + k * gap for k in range(len(columns))]
        self.legend_top = self.top + most * self.spacing + 22.0  # the first legend line

    def fit_height(self, labels: list[Label]) -> None:
        """The picture ends under its lowest label (the legend's last line)."""
        self.height = max(label.y for label in labels) + 12.0

    def y(self, column: int, index: int) -> float:
        offset = (self.most - self.sizes[column]) * self.spacing / 2
        return self.top + offset + (index + 0.5) * self.spacing


# -- the scene -------------------------------------------------------------------------------------
def network_scene(model: Module, sample: Sequence[float] | None = None, *,
                  gradients: bool = False, width: float | None = None) -> NetworkScene:
    """The scene `nn.draw_network` draws: where every input, neuron and weight of `model` goes,
    its colour, size and hover text (see this module's docstring for what they mean).

    It is plain data, so a live view can redraw from it without parsing SVG: `scene.lines` holds
    each weight's name, ends, value, gradient, colour and width, `scene.circles` each neuron's
    name, centre, value and mark; `scene.circle(column, i)` and `scene.line(name)` find one.

    Args: as `nn.draw_network`.
    Raises:
        TypeError: `model` is not made of layers of neurons, or `sample` is not numbers.
        ValueError: the layers do not fit together, or the sample has the wrong length.
    """
    if not isinstance(gradients, bool):
        raise TypeError(f"draw_network(gradients=...) is True or False, got {gradients!r}")
    if width is not None and (isinstance(width, bool) or not isinstance(width, Real)
                              or not 240 <= width <= 20000):
        raise ValueError(f"draw_network(width=...) is the picture's width in pixels, a number "
                         f"from 240 to 20000 (or None to choose one), got {width!r}")
    cols = columns(model)
    numbers = None if sample is None else sample_numbers(sample, cols[0].size, model)
    runs = None if numbers is None else run(model, cols, numbers)
    named = model.named_parameters()
    names = {id(p): (name, short)
             for (name, p), short in zip(named, short_names([name for name, _ in named]))}
    layout = _Layout(cols, numbers, width)
    circles = [_circle(layout, k, i, cols[k], runs[k] if runs else None, numbers, names)
               for k in range(len(cols)) for i in range(cols[k].size)]
    lines = _lines(layout, cols, circles, names, gradients)
    shown = [line.grad if gradients else line.weight for line in lines]
    labels = (_labels(layout, cols, circles, numbers)
              + _legend(gradients, shown, runs is not None, circles, layout))
    layout.fit_height(labels)
    return NetworkScene(layout.width, layout.height,
                        _title(model, cols, len(lines), numbers, gradients), one_line(model),
                        gradients, None if numbers is None else tuple(numbers), tuple(circles),
                        tuple(lines), tuple(labels))


def _circle(layout: _Layout, k: int, i: int, column: Column, numbers: ColumnRun | None,
            sample: list[float] | None, names: dict[int, tuple[str, str]]) -> NeuronCircle:
    """Input or neuron i of column k: shaded by its value, ringed or crossed by its mark."""
    value = numbers.values[i] if numbers else None
    mark, marked_by = (numbers.mark(i) if numbers else None) or (None, None)
    fill, stroke, stroke_width = "#ffffff", INK, 1.2
    if numbers and value is not None:
        bounded = column.final_kind() in ("tanh", "sigmoid", "softmax")
        scale = 1.0 if bounded else _largest(numbers.values)  # unbounded: the column's largest
        if not math.isfinite(value):
            fill = NONFINITE
        elif scale > 0:
            fill = mix(POSITIVE if value > 0 else NEGATIVE, 0.85 * min(abs(value) / scale, 1.0))
    if mark == "dead":
        fill, stroke = DEAD_FILL, MUTED
    elif mark == "saturated":
        stroke, stroke_width = SATURATED, max(2.0, 0.3 * layout.radius)
    if k == 0:
        name = short = f"x[{i}]"
        title = f"input x[{i}]"
        if sample is not None and numbers is not None:
            title = f"input x[{i}] = {_num(sample[i])}" + "".join(
                f"\nafter {what} \u2192 {_num(values[i])}" for what, values in numbers.stages)
    else:
        name, neuron = column.neurons[i]
        bias_short = names.get(id(neuron.b), ("b", "b"))[1]
        short = bias_short.rpartition(".")[0] or name
        title = _neuron_title(name, short, bias_short, neuron, numbers, i, mark, marked_by)
    return NeuronCircle(layout.xs[k], layout.y(k, i), layout.radius, k, i, name, short, value,
                        fill, stroke, stroke_width, mark, title)


def _neuron_title(name: str, short: str, bias_short: str, neuron: Neuron,
                  numbers: ColumnRun | None, i: int, mark: str | None,
                  marked_by: str | None) -> str:
    b = neuron.b
    called = name if short == name else f"{short} ({name})"
    lines = [f"{called}: {neuron.nin} inputs, {neuron.activation}",
             f"bias {bias_short} = {_num(b.data)}, grad dL/db = {_num(b.grad)}"]
    if numbers is not None and numbers.sums is not None:
        lines.append(f"w \u00b7 x + b = {_num(numbers.sums[i])}")
        lines.extend(f"{what} \u2192 {_num(values[i])}" for what, values in numbers.stages)
    if mark == "dead":
        lines.append("dead: its ReLU gives exactly 0 on this sample, so no gradient flows "
                     "back through it")
    elif mark == "saturated":
        lines.append(f"saturated: its {marked_by} is nearly flat here, so almost no "
                     "gradient flows back through it")
    return "\n".join(lines)


def _lines(layout: _Layout, cols: list[Column], circles: list[NeuronCircle],
           names: dict[int, tuple[str, str]], gradients: bool) -> list[WeightLine]:
    """One line per weight, from the input it reads to its neuron, in parameter order."""
    at = {(c.column, c.index): c for c in circles}
    weights = [(k, j, i, w) for k, column in enumerate(cols[1:], start=1)
               for j, (_, neuron) in enumerate(column.neurons) for i, w in enumerate(neuron.w)]
    top = _largest([w.grad if gradients else w.data for *_, w in weights])
    # the more lines, the thinner and fainter the small ones, so that the large ones stand out
    widest = max(1.2, min(6.0, 0.5 * layout.spacing, 40.0 / math.sqrt(max(len(weights), 1))))
    thinnest = min(0.6, 0.3 * widest)
    faintest = 0.6 if len(weights) <= 40 else 0.1
    strongest = max(0.35, min(0.85, 0.85 * math.sqrt(400 / max(len(weights), 1))))
    lines = []
    for k, j, i, w in weights:
        x = w.grad if gradients else w.data
        if math.isfinite(x):
            t = abs(x) / top if top > 0 else 0.0
            width = thinnest + (widest - thinnest) * t
            opacity = faintest + (strongest - faintest) * t ** 1.5
        else:
            width, opacity = widest, 0.9
        source, target = at[k - 1, i], at[k, j]
        name, short = names.get(id(w), (f"w.{i}", f"w{i}"))
        title = (f"{short} ({name})\nweight = {_num(w.data)}\ngrad dL/dw = {_num(w.grad)}\n"
                 f"from {source.short} to {target.short}")
        lines.append(WeightLine(source.x, source.y, target.x, target.y, (k - 1, i), (k, j), name,
                                short, w.data, w.grad, _sign_colour(x), round(width, 3),
                                round(opacity, 3), title))
    return lines


# -- words -----------------------------------------------------------------------------------------
def _labels(layout: _Layout, cols: list[Column], circles: list[NeuronCircle],
            sample: list[float] | None) -> list[Label]:
    """Each column's heading and caption, the inputs' names (and numbers), the outputs' values."""
    labels = []
    for x, column in zip(layout.xs, cols):
        if column.activation == "input":
            caption = f"{column.size} number{'s' if column.size != 1 else ''}"
        else:
            caption = f"{column.size} {column.activation}"
        if column.steps:
            caption += ", then " + ", ".join(step_name(step) for _, step in column.steps)
        detail = "\n".join(f"{name}: {step!r}" for name, step in column.steps) or None
        labels.append(Label(x, 18.0, ((column.heading, INK),), "middle", 12.0, True))
        labels.append(Label(x, 33.0, ((caption, MUTED),), "middle", 10.5, title=detail))
    size, r = layout.small, layout.radius
    for c in circles:
        if c.column == 0:
            labels.append(Label(c.x - r - 5, c.y + 0.35 * size,
                                ((_input_text(c.index, sample), INK),), "end", size))
        elif c.column == len(cols) - 1 and c.value is not None:
            labels.append(Label(c.x + r + 5, c.y + 0.35 * size, ((_num(c.value, 3), INK),),
                                "start", size, True))
    return labels


def _legend(gradients: bool, shown: list[float], shaded: bool, circles: list[NeuronCircle],
            layout: _Layout) -> list[Label]:
    """Under the picture: what the lines mean, then what the circles mean, wrapped to the width."""
    what = "dL/dw" if gradients else "w"
    lines: list[list[tuple[str, str]]] = [
        [("lines: " + ("gradients dL/dw " if gradients else "weights "), INK)],
        [("\u2014 positive ", POSITIVE), ("\u2014 negative", NEGATIVE)],
        [(f"; width grows with |{what}|, widest = {_num(_largest(shown))}", INK)]]
    if gradients and all(x == 0 for x in shown):
        lines.append([("; all 0: call loss.backward() first", NEGATIVE)])
    if any(not math.isfinite(x) for x in shown):
        lines.append([("; \u2014 nan/inf", NONFINITE)])
    if not shaded:
        dots = [[("circles: inputs and neurons", INK)],
                [(" (give a sample to shade them by their output)", INK)]]
    else:
        dots = [[("circles: output on the sample, ", INK)],
                [("\u25cf positive ", POSITIVE), ("\u25cf negative", NEGATIVE)]]
        dead = sum(c.mark == "dead" for c in circles)
        saturated = sum(c.mark == "saturated" for c in circles)
        if dead:
            dots.append([(f"; \u00d7 dead ReLU ({dead})", MUTED)])
        if saturated:
            dots.append([(f"; \u25cb saturated ({saturated})", SATURATED)])
    rows: list[list[tuple[str, str]]] = []
    room = (layout.width - 20.0) / (0.6 * 11.0)  # characters of 11 px text that fit
    for items in (lines, dots):
        rows.append([])
        for item in items:
            used = sum(len(text) for text, _ in rows[-1])
            if rows[-1] and used + sum(len(text) for text, _ in item) > room:
                text, colour = item[0]
                rows.append([(text.lstrip("; "), colour)] + item[1:])  # wrapped
            else:
                rows[-1].extend(item)
    return [Label(10.0, layout.legend_top + 17.0 * n, tuple(row)) for n, row in enumerate(rows)]


def _title(model: Any, cols: list[Column], weights: int, sample: list[float] | None,
           gradients: bool) -> str:
    """The picture in words, for screen readers and as the SVG's <title>."""
    sizes = ", ".join(str(c.size) for c in cols[1:])
    text = (f"Network picture of {one_line(model)}: {cols[0].size} inputs, then layers of "
            f"{sizes} neurons, {weights} weights drawn as lines coloured by the sign of "
            f"{'their gradient' if gradients else 'the weight'} (blue +, orange -), as wide as "
            f"{'|dL/dw|' if gradients else '|w|'}")
    if sample is not None:
        text += f"; neurons shaded by their output on the sample [{', '.join(map(_num, sample))}]"
    return text
