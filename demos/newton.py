"""Newton's method with `grad` and `hessian`, against plain gradient descent.

    python -m demos.newton [--fast] [--out out/newton]

Gradient descent follows the slope: x <- x - lr * f'(x). It needs a learning rate, and on a long
curved valley it zig-zags for thousands of steps. Newton's method also uses the curvature: it jumps
to the minimum of the quadratic that matches f's value, slope and curvature at x,

    1-D:  x <- x - f'(x) / f''(x)
    n-D:  x <- x - H(x)^-1 grad f(x)        (solve H d = grad f, then x <- x - d)

and near a minimum it converges quadratically: the number of correct digits doubles every step. The
price is the second derivatives, which chainrule gets for free by differentiating twice:
`grad(grad(f))` in 1-D and `hessian(f)` in n-D. (Newton's method looks for a point where the
gradient is zero, so started near a maximum or a saddle it heads there instead; practical versions
add a line search or damping.)

Two problems, each solved both ways, with the iterates printed:
- 1-D: f(x) = e^x - 2x, minimum at x = ln 2, from x = 2;
- 2-D: Rosenbrock's valley f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum at (1, 1), from (-1.2, 1).

Draws newton.png (in out/newton unless `--out` says otherwise): both paths over the Rosenbrock
contours, and the distance to the minimum per step for every run (log scale). `--fast` runs fewer
gradient-descent steps.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

if __package__ in (None, ""):  # run as a file, not with -m: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

import autograd
from autograd import grad, hessian

from demos._common import parse_args, plt, report, save


def bowl(x: Any) -> Any:
    """f(x) = e^x - 2x: f'(x) = e^x - 2, f''(x) = e^x; the minimum is at x = ln 2."""
    return autograd.exp(x) - 2 * x


def rosenbrock(x: Any, y: Any) -> Any:
    """Rosenbrock's banana valley, minimum 0 at (1, 1): easy to find, slow to walk along."""
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def newton_1d(f: Callable, x0: float, steps: int = 20, tol: float = 1e-12) -> list[float]:
    """Newton's iterates x_{k+1} = x_k - f'(x_k) / f''(x_k), until the step is below `tol`."""
    df, d2f = grad(f), grad(grad(f))
    xs = [float(x0)]
    for _ in range(steps):
        step = df(xs[-1]) / d2f(xs[-1])
        xs.append(xs[-1] - step)
        if abs(step) < tol:
            break
    return xs


def newton(f: Callable, x0: Sequence[float], steps: int = 20,
           tol: float = 1e-12) -> list[list[float]]:
    """Newton's iterates x_{k+1} = x_k - H(x_k)^-1 grad f(x_k) for f of n scalar arguments."""
    n = len(x0)
    gradient, curvature = grad(f, argnum=tuple(range(n))), hessian(f)
    points = [[float(v) for v in x0]]
    for _ in range(steps):
        x = points[-1]
        step = np.linalg.solve(np.array(curvature(*x)), np.array(gradient(*x)))
        points.append([xi - di for xi, di in zip(x, step.tolist())])
        if float(np.max(np.abs(step))) < tol:
            break
    return points


def gradient_descent(f: Callable, x0: Sequence[float], lr: float,
                     steps: int) -> list[list[float]]:
    """Plain gradient descent x_{k+1} = x_k - lr * grad f(x_k), for comparison."""
    n = len(x0)
    gradient = grad(f, argnum=tuple(range(n)))
    points = [[float(v) for v in x0]]
    for _ in range(steps):
        x = points[-1]
        points.append([xi - lr * gi for xi, gi in zip(x, gradient(*x))])
    return points


def distance(point: Sequence[float], target: Sequence[float]) -> float:
    """The Euclidean distance |point - target|."""
    return math.sqrt(sum((p - t) ** 2 for p, t in zip(point, target)))


def show(title: str, points: Sequence[Sequence[float]], f: Callable,
         target: Sequence[float], every: int = 1) -> None:
    """Print the iterates: step, point, f(point), distance to the known minimum."""
    print(f"\n{title}")
    print(f"  {'step':>5}  {'point':<38}  {'f':>12}  {'distance to min':>15}")
    for k, p in enumerate(points):
        if k % every and k != len(points) - 1:
            continue
        coords = ", ".join(f"{v:.12f}" for v in p)
        print(f"  {k:5d}  ({coords}){'':<{max(0, 36 - len(coords))}}  {f(*p):12.4e}  "
              f"{distance(p, target):15.3e}")


def plot(path: Path, runs: dict) -> Path:
    """Draw the Rosenbrock paths over its contours, and the error per step of every run."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    xs, ys = np.meshgrid(np.linspace(-1.6, 1.6, 300), np.linspace(-3.5, 2.0, 400))
    zs = (1 - xs) ** 2 + 100 * (ys - xs ** 2) ** 2
    left.contour(xs, ys, np.log10(zs + 1e-3), levels=30, cmap="viridis", linewidths=0.7)
    for name, style in (("2-D gradient descent", "C1.-"), ("2-D Newton", "C3o-")):
        path_xy = np.array(runs[name]["points"])
        left.plot(path_xy[:, 0], path_xy[:, 1], style, markersize=3, linewidth=1, label=name)
    left.plot([1], [1], "k*", markersize=12, label="minimum (1, 1)")
    left.set(title="Rosenbrock's valley: Newton vs gradient descent", xlabel="x", ylabel="y")
    left.legend(loc="lower left")
    for name, run in runs.items():
        errors = [max(distance(p, run["target"]), 1e-17) for p in run["points"]]
        right.semilogy(errors, "o-" if "Newton" in name else "-", markersize=3, label=name)
    right.set(title="distance to the minimum", xlabel="step", ylabel="|x - x*|", xscale="symlog")
    right.legend()
    fig.tight_layout()
    return save(fig, path)


def main(argv: list[str] | None = None) -> dict:
    """Run both problems both ways, print the iterates and draw them.

    Returns the demo's numbers (steps taken and distance left per run), the files written, and
    under "runs" every run's iterates and target.
    """
    args = parse_args("newton", "Newton's method with grad and hessian, against gradient "
                                "descent.", argv)
    gd_steps_1d, gd_steps_2d = (30, 500) if args.fast else (100, 5000)

    ln2 = [math.log(2)]
    runs = {
        "1-D Newton": {"points": [[x] for x in newton_1d(bowl, 2.0)], "target": ln2},
        "1-D gradient descent": {"points": gradient_descent(bowl, [2.0], lr=0.1,
                                                            steps=gd_steps_1d), "target": ln2},
        "2-D Newton": {"points": newton(rosenbrock, [-1.2, 1.0]), "target": [1.0, 1.0]},
        "2-D gradient descent": {"points": gradient_descent(rosenbrock, [-1.2, 1.0], lr=1e-3,
                                                            steps=gd_steps_2d),
                                 "target": [1.0, 1.0]},
    }
    show("1-D, f(x) = e^x - 2x, Newton: x <- x - f'(x)/f''(x)", runs["1-D Newton"]["points"],
         bowl, ln2)
    show("1-D, gradient descent, lr = 0.1", runs["1-D gradient descent"]["points"], bowl, ln2,
         every=10)
    show("2-D, Rosenbrock, Newton: x <- x - H^-1 grad f", runs["2-D Newton"]["points"],
         rosenbrock, [1.0, 1.0])
    show("2-D, Rosenbrock, gradient descent, lr = 1e-3", runs["2-D gradient descent"]["points"],
         rosenbrock, [1.0, 1.0], every=max(1, gd_steps_2d // 10))
    numbers = {}
    for name, run in runs.items():
        numbers[f"{name} steps"] = len(run["points"]) - 1
        numbers[f"{name} distance left"] = distance(run["points"][-1], run["target"])
    picture = plot(args.out / "newton.png", runs)
    # the tables above are the results: the closing lines only say where the picture is
    result = {**report("Newton's method against gradient descent", {}, [picture]), **numbers}
    result["runs"] = runs
    return result


if __name__ == "__main__":
    main()
