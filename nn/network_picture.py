"""A network drawn as people draw it on a whiteboard: `nn.draw_network(model, sample)`.

    >>> picture = nn.draw_network(model, sample=[0.5, -1.0])   # shows itself in a notebook
    >>> picture.save("network.svg")                            # or "network.png"

Inputs on the left, one circle per neuron, layer by layer; one line per weight, its colour the
weight's sign and its width its size (or, with `gradients=True`, those of dL/dw after the user's
`backward()`); neurons shaded by their output on the sample, dead ReLUs and saturated tanh/sigmoid
neurons marked; every line and circle names itself on hover. See `nn._network_scene` for the
layout and the colours: both the SVG (written here in plain Python) and the PNG (the same scene
rasterised with matplotlib's Agg backend, imported only when a PNG is asked for) draw that scene.
"""
from __future__ import annotations

import base64
import html
import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import autograd

from ._network_scene import NetworkScene, NeuronCircle, network_scene
from .module import Module

__all__ = ["draw_network", "network_scene", "NetworkPicture"]

PNG_SCALE = 2  # PNG pixels per SVG pixel: sharp on high-density screens
_MODEL_PICTURE_LIMIT = 1200  # a model's notebook display draws it up to this many weights
_EASY_HOVER_LIMIT = 600  # up to this many lines, each gets a wide invisible line to hover


class NetworkPicture:
    """A picture of a network: `.svg` (text), `.png` (bytes), `.save(path)`, `.scene` (the layout).

    In a notebook it shows itself as SVG, with the PNG beside it for untrusted or exported
    notebooks that do not show SVG.
    """

    def __init__(self, scene: NetworkScene) -> None:
        self.scene = scene
        self._svg: str | None = None
        self._png: bytes | None = None
        self._png_1x: bytes | None = None

    @property
    def svg(self) -> str:
        """The picture as a self-contained SVG document that scales to its container's width."""
        if self._svg is None:
            self._svg = scene_svg(self.scene)
        return self._svg

    @property
    def png(self) -> bytes:
        """The picture as PNG bytes, at twice the SVG's pixel size (needs matplotlib)."""
        if self._png is None:
            self._png = scene_png(self.scene)
        return self._png

    def _small_png(self) -> bytes:
        """The PNG at 1x, which a model's notebook display carries beside its SVG (kept small)."""
        if self._png_1x is None:
            self._png_1x = scene_png(self.scene, 1)
        return self._png_1x

    def save(self, path: str | os.PathLike) -> str:
        """Write the picture to `path`, as SVG or PNG by its suffix (.svg or .png), atomically
        (see `autograd.write_atomically`); returns the path as a string. Missing folders are
        created, as by every chainrule saver."""
        text = os.fspath(path)
        if not text or text.endswith(("/", os.sep)):  # no file name: write_atomically says so,
            return autograd.write_atomically(path, b"")  # as for every saver, before rendering
        suffix = Path(text).suffix.lower()
        if suffix not in (".svg", ".png"):
            raise ValueError(f"cannot tell the picture format from {os.fspath(path)!r}: use a "
                             f"file name ending in .svg or .png")
        return autograd.write_atomically(path, self.svg if suffix == ".svg" else self.png)

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_png_(self) -> bytes:
        return self.png

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """SVG, PNG and text, as IPython asks for them (`include`/`exclude`: lists of types)."""
        return _bundle({"text/plain": lambda: repr(self), "image/svg+xml": lambda: self.svg,
                        "image/png": lambda: self.png}, include, exclude)

    def __repr__(self) -> str:
        scene = self.scene
        inputs = sum(c.column == 0 for c in scene.circles)
        what = "gradients" if scene.gradients else "weights"
        return (f"<NetworkPicture of {scene.model}: {inputs} inputs, "
                f"{len(scene.circles) - inputs} neurons, {len(scene.lines)} {what}. It shows "
                f"itself in Jupyter; here .save('network.svg') or .save('network.png') writes it, "
                f".svg is the SVG text, .png the PNG bytes, .scene the layout>")


def draw_network(model: Module, sample: Sequence[float] | None = None, *, gradients: bool = False,
                 width: float | None = None) -> NetworkPicture:
    """Draw `model` as a network of neurons: inputs, one circle per neuron, one line per weight.

    Columns go left to right, the inputs first; input 0 and neuron 0 are at the top of their
    columns. A line is blue for a positive weight and orange for a negative one, the wider and
    more opaque the larger |w|; a legend under the picture says so and gives the largest |w|.

    Args:
        model: an `nn.MLP`, `nn.Layer`, `nn.Neuron`, or an `nn.Sequential` of those with
            activation (ReLU, Tanh, Sigmoid, LeakyReLU, Softmax), Dropout and BatchNorm1d modules
            between them.
        sample: one input vector (a list of numbers). When given, the model is run on it in
            evaluation mode under `autograd.no_grad()` (the model is left exactly as it was,
            train/eval flags included), each neuron is shaded by its output and shows its numbers
            on hover; a ReLU giving exactly 0 is marked dead (grey, crossed), a tanh beyond
            +-0.99 or a sigmoid outside [0.01, 0.99] saturated (a purple ring).
        gradients: draw every line by dL/dw, each weight's current `.grad` (call
            `loss.backward()` first), instead of by the weight itself.
        width: the picture's width in pixels (None: about 170 per layer; at least 100 per layer
            is used). On a page the picture still shrinks to fit a narrower container.

    Returns:
        a `NetworkPicture` (`.svg`, `.png`, `.save(path)`, `.scene`), shown inline in a notebook.

    Raises:
        TypeError: `model` is not made of layers of neurons, or `sample` is not numbers.
        ValueError: the layers' sizes do not fit together, or `sample` has the wrong length.
    """
    return NetworkPicture(network_scene(model, sample, gradients=gradients, width=width))


# -- SVG -------------------------------------------------------------------------------------------
def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _f(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def scene_svg(scene: NetworkScene) -> str:
    """The scene as an SVG document: viewBox in pixels, width 100% up to its own width, a <title>
    and aria-label for screen readers, a <title> on every line and circle for hovering."""
    w, h = scene.width, scene.height
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chainrule-network" role="img" '
           f'viewBox="0 0 {_f(w)} {_f(h)}" width="100%" '
           f'style="max-width: {_f(w)}px; height: auto; font-family: sans-serif" '
           f'aria-label="{_attr(scene.title)}">',
           f"<title>{html.escape(scene.title)}</title>",
           f'<rect width="{_f(w)}" height="{_f(h)}" fill="#ffffff"/>',
           '<g class="weights" stroke-linecap="round">']
    # an invisible 6 px line over each thin one makes it easy to hover, while they are few enough
    # to be told apart (and the file small enough)
    easy = len(scene.lines) <= _EASY_HOVER_LIMIT
    for line in scene.lines:
        ends = f'x1="{_f(line.x1)}" y1="{_f(line.y1)}" x2="{_f(line.x2)}" y2="{_f(line.y2)}"'
        hit = f'<line {ends} stroke="#000000" stroke-opacity="0" stroke-width="6"/>' if easy else ""
        out.append(f'<g class="weight" data-name="{_attr(line.name)}">'
                   f"<title>{html.escape(line.title)}</title>"
                   f'<line {ends} stroke="{line.colour}" stroke-width="{_f(line.width)}" '
                   f'stroke-opacity="{_f(line.opacity)}"/>{hit}</g>')
    out.append("</g>")
    out.append('<g class="neurons">')
    for c in scene.circles:
        kind = "input" if c.column == 0 else "neuron"
        mark = f" {c.mark}" if c.mark else ""
        out.append(f'<g class="{kind}{mark}" data-name="{_attr(c.name)}">'
                   f"<title>{html.escape(c.title)}</title>"
                   f'<circle cx="{_f(c.x)}" cy="{_f(c.y)}" r="{_f(c.r)}" fill="{c.fill}" '
                   f'stroke="{c.stroke}" stroke-width="{_f(c.stroke_width)}"/>')
        if c.mark == "dead":
            (a, b), (e, f) = _cross(c)
            out.append(f'<path d="M{_f(a[0])},{_f(a[1])}L{_f(b[0])},{_f(b[1])}'
                       f'M{_f(e[0])},{_f(e[1])}L{_f(f[0])},{_f(f[1])}" '
                       f'stroke="{c.stroke}" stroke-width="1.4"/>')
        out.append("</g>")
    out.append("</g>")
    out.append('<g class="labels">')
    for label in scene.labels:
        weight = ' font-weight="bold"' if label.bold else ""
        spans = "".join(f'<tspan fill="{colour}">{html.escape(text)}</tspan>'
                        for text, colour in label.segments)
        hover = f"<title>{html.escape(label.title)}</title>" if label.title else ""
        out.append(f'<text x="{_f(label.x)}" y="{_f(label.y)}" font-size="{_f(label.size)}" '
                   f'text-anchor="{label.anchor}"{weight}>{hover}{spans}</text>')
    out.append("</g></svg>")
    return "\n".join(out)


# -- PNG -------------------------------------------------------------------------------------------
def _rgba(colour: str, opacity: float = 1.0) -> tuple[float, float, float, float]:
    return (int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255,
            opacity)


def _cross(c: NeuronCircle) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The two strokes of the cross on a dead neuron."""
    d = 0.55 * c.r
    return [((c.x - d, c.y - d), (c.x + d, c.y + d)), ((c.x - d, c.y + d), (c.x + d, c.y - d))]


def scene_png(scene: NetworkScene, scale: float = PNG_SCALE) -> bytes:
    """The scene rasterised with matplotlib's Agg backend (no pyplot, no display, no graphviz).

    One SVG pixel is one point at 72 dpi, so sizes carry over as they are; `scale` multiplies the
    resolution. The image is stored with a palette of 256 colours (under half the bytes of full
    colour, and no visible difference on flat lines and circles), its title as PNG text.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.collections import LineCollection, PatchCollection
        from matplotlib.figure import Figure
        from matplotlib.patches import Circle
        from PIL import Image  # a dependency of matplotlib
        from PIL.PngImagePlugin import PngInfo
    except ImportError:
        raise ImportError("a PNG of the network needs matplotlib: pip install matplotlib "
                          "(the SVG, picture.svg, needs nothing)") from None
    w, h = scene.width, scene.height
    figure = Figure(figsize=(w / 72, h / 72), dpi=72 * scale, facecolor="white")
    canvas = FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_axis_off()
    # collections, not one artist per line or circle: a 64-64 net draws in a fraction of the time
    ax.add_collection(LineCollection(
        [((line.x1, line.y1), (line.x2, line.y2)) for line in scene.lines],
        colors=[_rgba(line.colour, line.opacity) for line in scene.lines],
        linewidths=[line.width for line in scene.lines], capstyle="round"), autolim=False)
    circles = scene.circles
    ax.add_collection(PatchCollection(
        [Circle((c.x, c.y), c.r) for c in circles], facecolors=[c.fill for c in circles],
        edgecolors=[c.stroke for c in circles], linewidths=[c.stroke_width for c in circles],
        zorder=3), autolim=False)
    crosses = [c for c in circles if c.mark == "dead"]
    ax.add_collection(LineCollection(
        [segment for c in crosses for segment in _cross(c)],
        colors=[c.stroke for c in crosses for _ in (0, 1)], linewidths=1.4, zorder=4),
        autolim=False)
    renderer = canvas.get_renderer()
    to_data = ax.transData.inverted()
    for label in scene.labels:
        weight = "bold" if label.bold else "normal"
        texts = [ax.text(0, label.y, text, color=colour, fontsize=label.size, fontweight=weight,
                         ha="left", va="baseline", zorder=5, parse_math=False)  # "$" is a "$"
                 for text, colour in label.segments]
        widths = []
        for text in texts:
            box = text.get_window_extent(renderer)
            (x0, _), (x1, _) = to_data.transform([(box.x0, 0), (box.x1, 0)])
            widths.append(x1 - x0)
        total = sum(widths)
        x = label.x - {"start": 0.0, "middle": total / 2, "end": total}[label.anchor]
        for text, width in zip(texts, widths):
            text.set_x(x)
            x += width
    canvas.draw()
    image = Image.fromarray(np.asarray(canvas.buffer_rgba()))
    # 256 colours are plenty for flat lines and circles, and make the file under half the size;
    # median cut (method 0) keeps faint lines, which the fast octree drops, and dithering would
    # speckle them
    no_dither = getattr(Image, "Dither", Image).NONE  # Image.Dither since Pillow 9.1
    image = image.convert("RGB").quantize(256, method=0, dither=no_dither)
    info = PngInfo()
    info.add_text("Title", scene.title)
    info.add_text("Software", "chainrule")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


# -- a model's own notebook display ----------------------------------------------------------------
def model_picture(model: Module) -> NetworkPicture | None:
    """The picture a model's notebook display shows, or None when it cannot or should not be
    drawn (parts draw_network does not know, or more than 1200 weights: a picture of a
    megabyte in every notebook that shows the model)."""
    try:
        scene = network_scene(model)
    except (TypeError, ValueError):
        return None
    if len(scene.lines) > _MODEL_PICTURE_LIMIT:
        return None
    return NetworkPicture(scene)


def model_html(model: Module, table: str) -> str:
    """The model's summary `table` with its picture under it (when it has one)."""
    return _with_picture(table, model_picture(model))


def model_mimebundle(model: Module, table: str, include: Any = None,
                     exclude: Any = None) -> dict[str, Any]:
    """text/plain (the repr), text/html (the table and the picture) and image/png (the picture,
    for exports that take no HTML, such as PDF)."""
    picture = model_picture(model)
    return _bundle({"text/plain": lambda: repr(model),
                    "text/html": lambda: _with_picture(table, picture),
                    "image/png": lambda: None if picture is None else picture._small_png()},
                   include, exclude)


# Untrusted notebooks (JupyterLab's sanitizer) strip <svg> and <style> from HTML but keep an <img>
# with a data: address. So the HTML carries the SVG (crisp, names on hover) and after it the PNG,
# which the style hides wherever the SVG survives.
_FALLBACK_STYLE = ("<style>.chainrule-model svg.chainrule-network + img.chainrule-network-png "
                   "{display: none}</style>")


def _with_picture(table: str, picture: NetworkPicture | None) -> str:
    if picture is None:
        return table
    try:
        png = base64.b64encode(picture._small_png()).decode("ascii")
        fallback = (f'<img class="chainrule-network-png" src="data:image/png;base64,{png}" '
                    f'alt="{_attr(picture.scene.title)}" style="max-width: 100%">')
    except ImportError:  # no matplotlib: the SVG alone
        fallback = ""
    return f'<div class="chainrule-model">{_FALLBACK_STYLE}{table}{picture.svg}{fallback}</div>'


def _bundle(makers: dict[str, Callable[[], Any]], include: Any, exclude: Any) -> dict[str, Any]:
    """A mimebundle as IPython asks for it: only the types in `include` (when given), none of
    those in `exclude`, each made only if asked for; a PNG is left out without matplotlib."""
    bundle = {}
    for kind, make in makers.items():
        if (include and kind not in include) or (exclude and kind in exclude):
            continue
        try:
            data = make()
        except ImportError:
            continue
        if data is not None:
            bundle[kind] = data
    return bundle
