"""Optimizers compared: SGD, SGD with momentum, RMSprop and Adam, on a network and on Rosenbrock.

    python -m demos.optimizers   (--fast for a tiny run)

All four get the same gradients; they differ in what they do with them. SGD steps along -grad.
Momentum keeps a running direction, so steps build up along a consistent slope. RMSprop divides each
parameter's step by a running average of its squared gradient, so steep and flat directions move at
similar speeds. Adam does both. First each trains the same MLP (same initial weights) on moons;
then each walks down the Rosenbrock valley f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum at (1, 1),
with x and y two Values, and its path is drawn on the contour plot.
"""
from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file, not with -m: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

import nn
import nn.functional as F
from autograd import Value
from nn.data import make_moons
from nn.optim import SGD, Adam, RMSprop

from demos._common import parse_args, plt, progress, report, save

# name -> how to build the optimizer, for the network and for Rosenbrock (each tuned by hand)
NETWORK = {
    "SGD": lambda params: SGD(params, lr=0.1),
    "SGD + momentum": lambda params: SGD(params, lr=0.1, momentum=0.9),
    "RMSprop": lambda params: RMSprop(params, lr=0.01),
    "Adam": lambda params: Adam(params, lr=0.02),
}
ROSENBROCK = {
    "SGD": lambda params: SGD(params, lr=1e-3),
    "SGD + momentum": lambda params: SGD(params, lr=1e-3, momentum=0.9),
    "RMSprop": lambda params: RMSprop(params, lr=1e-2),
    "Adam": lambda params: Adam(params, lr=5e-2),
}
START = (-1.5, 2.0)


def rosenbrock(x, y):
    """(1 - x)^2 + 100 (y - x^2)^2: Values in, a Value out (numpy arrays in, an array out)."""
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def train_network(make_optimizer, X, y, n_steps: int, seed: int) -> list[float]:
    """Loss after each full-batch step of a fresh MLP(2, [16, 16, 1]), same weights each time."""
    nn.manual_seed(seed)
    model = nn.MLP(2, [16, 16, 1])
    optimizer = make_optimizer(model.parameters())
    losses = []
    for _ in range(n_steps):
        loss = F.binary_cross_entropy_with_logits(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
    return losses


def walk_rosenbrock(make_optimizer, n_steps: int) -> list[tuple[float, float]]:
    """The points (x, y) an optimizer visits on Rosenbrock, starting at START."""
    x, y = Value(START[0], label="x"), Value(START[1], label="y")
    optimizer = make_optimizer([x, y])
    path = [(x.data, y.data)]
    for _ in range(n_steps):
        optimizer.zero_grad()
        rosenbrock(x, y).backward()
        optimizer.step()
        path.append((x.data, y.data))
    return path


def main(argv: list[str] | None = None) -> dict:
    args = parse_args("optimizers", "SGD, momentum, RMSprop and Adam compared.", argv)
    n_points, n_steps, walk_steps = (30, 10, 300) if args.fast else (80, 60, 1000)
    X, y = make_moons(n_points, noise=0.1, seed=args.seed)

    losses, paths = {}, {}
    for name in (bar := progress(NETWORK, "optimizers")):
        bar.set_description(name)
        losses[name] = train_network(NETWORK[name], X, y, n_steps, args.seed)
        paths[name] = walk_rosenbrock(ROSENBROCK[name], walk_steps)

    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for name, curve in losses.items():
        ax.plot(curve, label=name)
    ax.set(title=f"MLP(2, [16, 16, 1]) on {n_points} moons, same initial weights",
           xlabel="full-batch step", ylabel="binary cross-entropy")
    ax.grid(alpha=0.3)
    ax.legend()
    curves = save(fig, args.out / "loss_curves.png")

    fig, axes = plt.subplots(2, 2, figsize=(9, 7), sharex=True, sharey=True)
    gx, gy = np.meshgrid(np.linspace(-2, 2, 300), np.linspace(-1, 3, 300))
    log_f = np.log10(rosenbrock(gx, gy) + 1e-3)
    for ax, (name, path) in zip(axes.flat, paths.items()):
        shading = ax.contourf(gx, gy, log_f, levels=20, cmap="Blues_r")
        xs, ys = zip(*path)
        ax.plot(xs, ys, ".-", color="tab:orange", ms=2, lw=1)
        ax.plot(*START, "ko", ms=6, label="start")
        ax.plot(1, 1, "*", color="gold", mec="black", ms=14, label="minimum (1, 1)")
        ax.set_title(f"{name}: f = {rosenbrock(*path[-1]):.1e} at the end", fontsize=10)
    for ax in axes[1]:
        ax.set_xlabel("x")
    for ax in axes[:, 0]:
        ax.set_ylabel("y")
    axes[0, 0].legend(fontsize=8, loc="lower right")
    bar = fig.colorbar(shading, ax=axes, shrink=0.8, pad=0.03)
    bar.set_label("log10 f(x, y)  (dark: low, the valley)")
    fig.suptitle(f"Rosenbrock f = (1 - x)² + 100 (y - x²)², {walk_steps} steps each")
    contour = save(fig, args.out / "rosenbrock_paths.png")

    numbers = {f"{name}: final loss": losses[name][-1] for name in losses}
    numbers.update({f"{name}: Rosenbrock f": rosenbrock(*paths[name][-1]) for name in paths})
    return report("optimizers", numbers, [curves, contour])


if __name__ == "__main__":
    main()
