"""Regression: a small tanh MLP fits a noisy sine wave by minimising the mean squared error.

    python -m demos.regression   (--fast for a tiny run)

The same loop as the moons demo with a different loss: the model's one output is a number, not a
class score, and the loss is mean((prediction - target)^2). Writes the fitted curve over the data
with the true sine, and the loss curve.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file, not with -m: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

import autograd
import nn
import nn.functional as F
from nn.data import make_sine
from nn.optim import Adam

from demos._common import parse_args, plt, progress, report, save


def main(argv: list[str] | None = None) -> dict:
    args = parse_args("regression", "A tanh MLP fits a noisy sine with the MSE loss.", argv)
    n_points, n_steps = (30, 60) if args.fast else (60, 300)
    X, y = make_sine(n_points, noise=0.1, seed=args.seed)  # X: [[x], ...], y = sin(x) + noise

    nn.manual_seed(args.seed)
    model = nn.MLP(1, [16, 16, 1], activation="tanh", init="xavier")
    optimizer = Adam(model.parameters(), lr=0.01)
    print(f"{model}\n{n_points} points, {n_steps} full-batch Adam steps")

    losses = []
    for step in (bar := progress(range(n_steps), "training")):
        loss = F.mse_loss(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
        bar.set_postfix_str(f"mse {loss.data:.4f}", refresh=False)

    grid = np.linspace(-math.pi, math.pi, 200)
    with autograd.no_grad():
        fitted = [p.data for p in model(grid[:, None].tolist())]
        final_mse = F.mse_loss(model(X), y).data
    true_mse = float(np.mean((np.sin(np.ravel(X)) - np.asarray(y)) ** 2))  # the noise's own MSE

    fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(9.5, 3.6))
    ax_fit.scatter(np.ravel(X), y, s=14, color="tab:gray", label="data: sin(x) + noise")
    ax_fit.plot(grid, np.sin(grid), "--", color="tab:green", label="sin(x)")
    ax_fit.plot(grid, fitted, color="tab:blue", lw=2, label="MLP(1, [16, 16, 1])")
    ax_fit.set(title="The fit", xlabel="x", ylabel="y")
    ax_fit.legend(fontsize=8)
    ax_loss.semilogy(losses)
    ax_loss.axhline(true_mse, ls=":", color="tab:green", label="MSE of sin(x) itself (the noise)")
    ax_loss.set(title="Training loss", xlabel="step", ylabel="MSE (log scale)")
    ax_loss.legend(fontsize=8)
    for ax in (ax_fit, ax_loss):
        ax.grid(alpha=0.3)
    figure = save(fig, args.out / "fit.png")

    return report("noisy sine regression", {"final mse": final_mse, "noise mse": true_mse,
                                            "first mse": losses[0], "steps": n_steps}, [figure])


if __name__ == "__main__":
    main()
