"""What every demo does the same way: its command line, where it writes, and how it saves figures.

Each demo is a short script read top to bottom; this module keeps the plumbing out of them:

- `parse_args(name, description, argv)`: `--out` (default `out/NAME` in the repository,
  git-ignored; `out/fast/NAME` for a `--fast` run, a tiny run for the tests), and `--seed`, with
  the output folder created;
- `progress(items, description)`: a progress bar while long work runs, gone when it is done;
- `plt`: matplotlib's pyplot on the Agg backend (files only, no window, no display needed);
- `save(fig, path)`: write a figure as a small PNG and close it;
- `decision_regions(ax, scores, X, y)`: shade the plane by a model's class, points on top;
- `graph_picture(root, path)`: `autograd.save_graph`, falling back to the DOT text without graphviz;
- `report(title, numbers, files, others)`: print the measured numbers, the pictures and other
  files written, return them.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

try:
    import matplotlib
except ImportError:  # pragma: no cover - only without the `demos` extra
    raise SystemExit("the demos draw with matplotlib, which is not installed: run `make demo`, or "
                     "`.venv/bin/python -m pip install -e '.[demos]'`") from None
matplotlib.use("Agg")
import matplotlib.lines  # noqa: E402  (after choosing the backend)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from tqdm.auto import tqdm  # noqa: E402

import autograd  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DPI = 90  # small files: the gallery keeps each picture well under 100 KB
CLASS_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")

__all__ = ["plt", "parse_args", "progress", "save", "decision_regions", "graph_picture",
           "report", "CLASS_COLOURS"]


def parse_args(name: str, description: str, argv: Sequence[str] | None,
               seed: int = 0) -> argparse.Namespace:
    """The demo's options: `out` (a Path, created), `seed` (int) and `fast` (bool)."""
    parser = argparse.ArgumentParser(prog=f"python -m demos.{name}", description=description)
    parser.add_argument("--out", type=Path, default=None,
                        help=f"folder for the pictures (default: out/{name} in the repository, "
                             f"out/fast/{name} with --fast)")
    parser.add_argument("--seed", type=int, default=seed,
                        help=f"seed for the data and the initial weights (default: {seed})")
    parser.add_argument("--fast", action="store_true",
                        help="a tiny run (small data, few steps) that finishes in seconds")
    args = parser.parse_args(argv)
    if args.out is None:  # a tiny run must not overwrite the full run's pictures
        args.out = REPO / "out" / ("fast" if args.fast else "") / name
        if args.fast:
            print(f"a --fast run: its pictures go to {_shown(args.out)}, "
                  f"apart from the full run's")
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def progress(items: Iterable, description: str, total: int | None = None) -> "tqdm":
    """`items` with a progress bar on the terminal while long work runs (nothing when the output
    is not a terminal); the bar disappears when done, so results are printed once, after it."""
    return tqdm(items, desc=description, total=total, leave=False, disable=None,
                dynamic_ncols=True)


def save(fig: "matplotlib.figure.Figure", path: Path) -> Path:
    """Write `fig` to `path` as a PNG and close it (figures left open pile up in memory)."""
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return path


def decision_regions(ax: "matplotlib.axes.Axes",
                     scores: Callable[[list[list[float]]], Sequence[Any]],
                     X: Sequence[Sequence[float]], y: Sequence[int], steps: int = 100) -> None:
    """Shade the plane around the points `X` by the class a model gives each point, and draw the
    points coloured by their true class `y` (0, 1, 2...) on top, with a legend of the colours.

    `scores(points)` returns the model's scores for a list of points: one number per point for two
    classes (class 1 where it is > 0), or a list of one score per class (the largest wins). The
    regions are contours of those continuous scores, so their edges are smooth lines rather than
    the steps of the grid they are computed on.
    """
    points = np.asarray(X, dtype=float)
    (x0, y0), (x1, y1) = points.min(axis=0) - 0.4, points.max(axis=0) + 0.4
    gx, gy = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    grid = np.asarray(scores(np.c_[gx.ravel(), gy.ravel()].tolist()), dtype=float)
    if grid.ndim == 1:  # one score: class 1 above 0, class 0 below, i.e. scores (0, s)
        grid = np.c_[np.zeros_like(grid), grid]
    grid = grid.reshape(*gx.shape, -1)
    classes = max(grid.shape[-1], int(max(y)) + 1)
    for k in range(grid.shape[-1]):  # class k wins where it beats the best of the others
        margin = grid[..., k] - np.delete(grid, k, axis=-1).max(axis=-1)
        ax.contourf(gx, gy, margin, levels=[0, np.inf], colors=[CLASS_COLOURS[k]], alpha=0.25,
                    antialiased=True)
    ax.scatter(points[:, 0], points[:, 1], c=[CLASS_COLOURS[int(c)] for c in y], s=18,
               edgecolors="black", linewidths=0.4)
    handles = [matplotlib.lines.Line2D([], [], ls="", marker="o", markersize=7,
                                       markerfacecolor=CLASS_COLOURS[k], markeredgecolor="black",
                                       markeredgewidth=0.4, label=f"class {k}")
               for k in range(classes)]
    ax.legend(handles=handles, title="dots: true class\nshade: model's", fontsize=8,
              title_fontsize=8, loc="best", framealpha=0.85)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")


def graph_picture(root: autograd.Value, path: Path, **options) -> Path:
    """`autograd.save_graph(root, path, **options)`; when graphviz's `dot` program is missing,
    write the DOT text next to it instead (any graphviz viewer shows it) and say so."""
    try:
        return Path(autograd.save_graph(root, path, **options))
    except autograd.GraphvizNotFoundError as err:
        print(f"note: {str(err).splitlines()[0]}")
        return Path(autograd.save_graph(root, path.with_suffix(".dot"), **options))


def _shown(path: Path) -> str:
    """A path as the user can type it: relative to the working directory when inside it."""
    path = Path(path).resolve()
    here = Path.cwd()
    return str(path.relative_to(here)) if path.is_relative_to(here) else str(path)


def report(title: str, numbers: dict[str, float | int | str], files: Sequence[Path],
           others: Sequence[Path] = ()) -> dict:
    """Print the demo's measured numbers, the pictures it drew (`files`) and any other files it
    wrote (`others`: text, pages); return them as one dict (`numbers` plus `"files"`, all the
    files written), which is what the demo's `main()` returns."""
    print(f"\n{title}")
    width = max(map(len, numbers), default=0)
    for key, value in numbers.items():
        if isinstance(value, float):
            shown = f"{value:.1%}" if "accuracy" in key else f"{value:.4g}"
        else:
            shown = str(value)
        print(f"  {key:<{width}}  {shown}")
    for heading, paths in (("pictures written:", files), ("other files written:", others)):
        if paths:
            print(heading)
        for path in paths:
            print(f"  {_shown(path)}")
    return {**numbers, "files": [*files, *others]}
