"""The flagship demo: micrograd's MLP(2, [16, 16, 1]) learns to separate two moons.

    python -m demos.moons        (what `make demo` runs; --fast for a tiny run)

Training is the loop below, as in micrograd's demo: score every point, hinge loss plus a little L2
penalty, backward, one SGD step with a learning rate decaying from 1.0 to 0.1. About 100 steps
reach 100% training accuracy. Writes the loss and accuracy curves, the decision boundary with the
points, and the computation graph of one trained neuron on one point, after backward.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file, not with -m: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import autograd
import nn
import nn.functional as F
from autograd import Value
from nn.data import make_moons, to_signed
from nn.optim import SGD
from nn.optim.lr_scheduler import LambdaLR

from demos._common import (decision_regions, graph_picture, parse_args, plt, progress,
                           report, save)


def accuracy_of(scores: list[Value], targets: list[int]) -> float:
    """Fraction of points whose score has the sign of their label (-1 or +1)."""
    return sum((s.data > 0) == (t > 0) for s, t in zip(scores, targets)) / len(targets)


def neuron_graph(model: nn.MLP, X: list[list[float]], path: Path) -> Path:
    """Draw the first neuron of the trained model on the first point that switches it on; the
    boxes' labels say which neuron and which point."""
    neuron = nn.Neuron(2, fused=False)  # micrograd's long form: a node per * and +
    neuron.load_state_dict(model.layers[0].neurons[0].state_dict())
    # named as named_parameters() and the pictures of models name them, counting from 0
    neuron.w[0].label, neuron.w[1].label, neuron.b.label = "w0", "w1", "b"
    k = next((i for i, x in enumerate(X) if neuron(x).data > 0), 0)
    out = neuron([Value(X[k][0], label=f"x[0] (point {k})"),
                  Value(X[k][1], label=f"x[1] (point {k})")])
    out.label = f"layers.0.neurons.0, point {k}"
    out.backward()  # every box now shows d out / d node
    return graph_picture(out, path)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args("moons", "MLP(2, [16, 16, 1]) learns two moons (micrograd's demo).", argv,
                      seed=1337)
    n_points, n_steps = (60, 40) if args.fast else (100, 100)
    X, y = make_moons(n_points, noise=0.1, seed=args.seed)  # y in {0, 1}
    targets = to_signed(y)  # the hinge loss wants -1 / +1

    nn.manual_seed(args.seed)  # the same weights micrograd draws after random.seed(seed)
    model = nn.MLP(2, [16, 16, 1])
    optimizer = SGD(model.parameters(), lr=1.0)
    schedule = LambdaLR(optimizer, lambda k: 1.0 - 0.9 * k / n_steps)
    print(f"{model}\n{n_points} points, {n_steps} steps")

    losses, accuracies = [], []
    start = time.perf_counter()
    for step in (bar := progress(range(n_steps), "training")):
        scores = model(X)
        loss = F.hinge_loss(scores, targets) + 1e-4 * F.l2_penalty(model.parameters())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        losses.append(loss.data)
        accuracies.append(accuracy_of(scores, targets))
        bar.set_postfix_str(f"loss {loss.data:.4f}, accuracy {accuracies[-1]:.0%}", refresh=False)
    seconds = time.perf_counter() - start
    with autograd.no_grad():
        final_accuracy = accuracy_of(model(X), targets)

    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.4))
    ax_loss.semilogy(losses)
    ax_loss.set(title="Training loss (hinge + L2)", xlabel="step", ylabel="loss (log scale)")
    ax_acc.plot([100 * a for a in accuracies], color="tab:green")
    ax_acc.set(title="Training accuracy", xlabel="step", ylabel="accuracy (%)", ylim=(40, 102))
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
    curves = save(fig, args.out / "curves.png")

    fig, ax = plt.subplots(figsize=(5, 4.2))
    with autograd.no_grad():
        decision_regions(ax, lambda points: [s.data for s in model(points)], X, y)
    ax.set_title(f"MLP(2, [16, 16, 1]) after {n_steps} steps: {final_accuracy:.0%} correct")
    boundary = save(fig, args.out / "decision_boundary.png")

    graph = neuron_graph(model, X, args.out / "neuron.png")
    return report("two moons", {"final loss": losses[-1], "accuracy": final_accuracy,
                                "steps": n_steps, "training seconds": round(seconds, 2)},
                  [curves, boundary, graph])


if __name__ == "__main__":
    main()
