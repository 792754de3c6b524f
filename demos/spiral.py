"""Three interleaved spiral arms, one class each: softmax cross-entropy on three class scores.

    python -m demos.spiral       (--fast for a tiny run)

The model now has 3 outputs, one score (logit) per class; the loss is the cross-entropy
-log softmax(scores)[true class], and the predicted class is the one with the highest score.
No straight line separates the arms, so the hidden layers have to bend the plane. Writes the
decision regions with the points, and the loss and accuracy curves.
"""
from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file, not with -m: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import autograd
import nn
import nn.functional as F
from nn.data import make_spirals
from nn.optim import Adam

from demos._common import decision_regions, parse_args, plt, progress, report, save


def predicted_classes(model: nn.Module, points: list[list[float]]) -> list[int]:
    """For each point, the index of its highest class score."""
    with autograd.no_grad():
        return [max(range(len(s)), key=lambda k: s[k].data) for s in model(points)]


def main(argv: list[str] | None = None) -> dict:
    args = parse_args("spiral", "An MLP separates a 3-class spiral with cross-entropy.", argv)
    n_points, n_steps = (60, 40) if args.fast else (150, 200)
    X, y = make_spirals(n_points, classes=3, noise=0.2, seed=args.seed)  # y in {0, 1, 2}

    nn.manual_seed(args.seed)
    model = nn.MLP(2, [16, 16, 3], init="he")
    optimizer = Adam(model.parameters(), lr=0.02)
    print(f"{model}\n{n_points} points, {n_steps} full-batch Adam steps")

    losses, accuracies = [], []
    for step in (bar := progress(range(n_steps), "training")):
        scores = model(X)  # one list of 3 scores per point
        loss = F.cross_entropy(scores, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        guesses = [max(range(3), key=lambda k: s[k].data) for s in scores]
        losses.append(loss.data)
        accuracies.append(sum(g == t for g, t in zip(guesses, y)) / len(y))
        bar.set_postfix_str(f"loss {loss.data:.4f}, accuracy {accuracies[-1]:.0%}", refresh=False)
    final_accuracy = sum(g == t for g, t in zip(predicted_classes(model, X), y)) / len(y)

    fig, (ax_regions, ax_curves) = plt.subplots(1, 2, figsize=(10, 4.2),
                                                gridspec_kw={"width_ratios": [1.1, 1]})
    with autograd.no_grad():
        decision_regions(ax_regions, lambda points: [[v.data for v in s] for s in model(points)],
                         X, y)
    ax_regions.set_title(f"Decision regions: {final_accuracy:.0%} of training points right")
    ax_curves.plot(losses, label="cross-entropy loss")
    ax_curves.plot(accuracies, color="tab:green", label="accuracy")
    ax_curves.set(title="Training", xlabel="step", ylabel="loss / accuracy")
    ax_curves.grid(alpha=0.3)
    ax_curves.legend()
    figure = save(fig, args.out / "spiral.png")

    return report("3-class spiral", {"final loss": losses[-1], "accuracy": final_accuracy,
                                     "steps": n_steps}, [figure])


if __name__ == "__main__":
    main()
