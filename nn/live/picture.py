"""The live view as a still picture: what a notebook shows where no widget front end runs.

Drawn with matplotlib's Agg canvas directly (not pyplot), so it never opens a window and never
shows up a second time as a notebook's stray figure: the loss curves, the decision map with the
points, and the network picture beside them, one PNG with a sentence of alternative text.
"""
from __future__ import annotations

import base64
import html
import io
import math
import os
from collections.abc import Sequence
from typing import Any

from autograd import write_atomically

from .plane import CLASS_COLOURS


class TrainingPicture:
    """A PNG of a training run's state, with alternative text saying what it shows.

    Attributes:
        png: the picture's bytes. alt: one or two sentences describing it (for screen readers,
            and what a REPL prints).
    """

    def __init__(self, png: bytes, alt: str) -> None:
        self.png, self.alt = png, alt

    def save(self, path: str | os.PathLike) -> str:
        """Write the PNG to `path` (atomically); return the path."""
        return write_atomically(path, self.png)

    def _repr_png_(self) -> bytes:
        return self.png

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                          **_: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The PNG, as HTML with the alt text, and as an image with the alt text in its
        metadata (for front ends that show no HTML), and the text."""
        data = base64.b64encode(self.png).decode("ascii")
        return ({"image/png": data, "text/plain": self.alt,
                 "text/html": f'<img src="data:image/png;base64,{data}" '
                              f'alt="{html.escape(self.alt, quote=True)}" '
                              f'style="max-width: 100%; height: auto">'},
                {"image/png": {"alt": self.alt}})

    def __repr__(self) -> str:
        return f"TrainingPicture({self.alt})"


def _hex_to_rgb(colour: str) -> tuple[float, float, float]:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return r, g, b


def map_colours(grid: dict[str, Any]) -> list[list[tuple[float, float, float]]]:
    """Each cell's colour: its class's colour, mixed with white the less sure the model is."""
    n, rows = grid["n"], []
    for row in range(n):
        line = []
        for col in range(n):
            k = row * n + col
            r, g, b = _hex_to_rgb(CLASS_COLOURS[grid["classes"][k] % len(CLASS_COLOURS)])
            depth = 0.15 + 0.45 * (2 * grid["sure"][k] - 1)  # 0.15 at the boundary, 0.6 if sure
            line.append(tuple(1 - depth * (1 - c) for c in (r, g, b)))
        rows.append(line)
    return rows


def draw_training(losses: Sequence[tuple[int, float]], val_losses: Sequence[tuple[int, float]],
                  steps: int, grid: dict[str, Any] | None, points: Sequence[Sequence[float]],
                  accuracy: float | None, network: bytes | None, title: str) -> TrainingPicture:
    """The picture: loss curves; the decision map with the points (if `grid`); the network PNG.

    Raises:
        ImportError: matplotlib is not installed (the caller falls back to text).
    """
    import matplotlib.image
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    panels = 1 + (grid is not None) + (network is not None)
    figure = Figure(figsize=(4.2 * panels, 3.6), dpi=90)
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, panels, squeeze=False)[0]
    curves = axes[0]
    finite = [(s, v) for s, v in losses if math.isfinite(v)]
    if finite:
        curves.plot(*zip(*finite), color="#2166ac", lw=1.5, label="training loss")
    if val_losses:
        curves.plot(*zip(*val_losses), "--", color="#e66101", lw=1.5, label="validation loss")
    if finite and min(v for _, v in finite) > 0 and \
            max(v for _, v in finite) > 50 * min(v for _, v in finite):
        curves.set_yscale("log")
    curves.set(title="loss", xlabel="step")
    curves.grid(alpha=0.3)
    if finite or val_losses:
        curves.legend(fontsize=8)
    alt = [f"Training after {steps} steps: "]
    if finite:
        alt.append(f"the loss went from {finite[0][1]:.3g} to {finite[-1][1]:.3g}")
        if val_losses:
            alt.append(f" (validation {val_losses[-1][1]:.3g})")
        alt.append(". ")
    else:
        alt.append("no loss recorded yet. ")
    k = 1
    if grid is not None:
        plane = axes[k]
        k += 1
        x0, x1, y0, y1 = grid["box"]
        plane.imshow(map_colours(grid), extent=(x0, x1, y0, y1), origin="upper",
                     interpolation="bilinear", aspect="auto")
        for cls in sorted({int(p[2]) for p in points}):
            mine = [p for p in points if int(p[2]) == cls]
            plane.scatter([p[0] for p in mine], [p[1] for p in mine], s=16,
                          color=CLASS_COLOURS[cls % len(CLASS_COLOURS)], edgecolors="black",
                          linewidths=0.5, label=f"class {cls}")
        plane.set(xlim=(x0, x1), ylim=(y0, y1), title="decision boundary")
        alt.append(f"The decision map shades the plane by the class the model picks, over "
                   f"{len(points)} points")
        alt.append(f", {accuracy:.0%} of them on their side. " if accuracy is not None else ". ")
    if network is not None:
        ax = axes[k]
        ax.imshow(matplotlib.image.imread(io.BytesIO(network), format="png"))
        ax.set_axis_off()
        ax.set_title("network")
        alt.append("The network's picture shows its weights as lines.")
    figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return TrainingPicture(buffer.getvalue(), "".join(alt).strip())
