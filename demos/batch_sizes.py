"""Batch sizes: full-batch gradient descent, mini-batches, and stochastic gradient descent.

    python -m demos.batch_sizes  (--fast for a tiny run)

One epoch shows every training point once, whatever the batch size. Full batch: one exact but
expensive gradient per epoch. Batch size 1 (SGD): one cheap, noisy gradient per point, so many
more steps per epoch. Mini-batches sit in between. The same MLP (same initial weights) trains for
the same number of epochs with each, with a learning rate tuned by hand for each: larger batches
give less noisy gradients and take larger steps. The loss on the whole training set is measured
along the way (off the clock) and drawn against optimizer steps and against seconds.
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
from nn.data import DataLoader, make_moons
from nn.optim import SGD

from demos._common import parse_args, plt, progress, report, save


def train(batch_size: int | None, lr: float, X, y, epochs: int,
          seed: int) -> dict[str, list[float]]:
    """Train a fresh MLP with SGD at learning rate `lr`; the loss on the whole training set at
    checkpoints, with the step count and the training seconds (evaluation excluded) at each."""
    nn.manual_seed(seed)
    model = nn.MLP(2, [16, 16, 1])
    optimizer = SGD(model.parameters(), lr=lr)
    loader = DataLoader(X, y, batch_size=batch_size, seed=seed)
    check_every = max(1, len(loader) // 10)  # about 10 checkpoints per epoch (1 for full batch)

    def full_loss() -> float:
        with autograd.no_grad():
            return F.binary_cross_entropy_with_logits(model(X), y).data

    record = {"steps": [0], "seconds": [0.0], "loss": [full_loss()]}
    steps, seconds = 0, 0.0
    for _ in range(epochs):
        for X_batch, y_batch in loader:
            start = time.perf_counter()
            loss = F.binary_cross_entropy_with_logits(model(X_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            seconds += time.perf_counter() - start
            steps += 1
            if steps % check_every == 0:
                record["steps"].append(steps)
                record["seconds"].append(seconds)
                record["loss"].append(full_loss())
    return record


def main(argv: list[str] | None = None) -> dict:
    args = parse_args("batch_sizes", "Full batch vs mini-batch vs SGD.", argv)
    n_points, epochs = (24, 3) if args.fast else (100, 20)
    X, y = make_moons(n_points, noise=0.1, seed=args.seed)
    runs = {"full batch, lr 1.0": (None, 1.0), "mini-batch of 10, lr 0.3": (10, 0.3),
            "SGD (batch of 1), lr 0.03": (1, 0.03)}
    print(f"MLP(2, [16, 16, 1]) on {n_points} moons points, {epochs} epochs each")

    train(None, 1.0, X, y, 1, args.seed)  # warm-up: the first run pays one-off start-up costs
    records = {}
    for name, (batch_size, lr) in (bar := progress(runs.items(), "batch sizes")):
        bar.set_description(name)
        records[name] = train(batch_size, lr, X, y, epochs, args.seed)

    fig, (ax_steps, ax_time) = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    for name, r in records.items():
        ax_steps.plot(r["steps"][1:], r["loss"][1:], ".-", ms=3, label=name)  # log axis: no 0
        ax_time.plot(r["seconds"], r["loss"], ".-", ms=3, label=name)
    ax_steps.set(title=f"Against optimizer steps ({epochs} epochs each)", xscale="log",
                 xlabel="steps (log scale)", ylabel="loss on the whole training set")
    ax_time.set(title="Against training time", xlabel="seconds")
    for ax in (ax_steps, ax_time):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    figure = save(fig, args.out / "batch_sizes.png")

    numbers = {f"{name}: final loss": r["loss"][-1] for name, r in records.items()}
    numbers.update({f"{name}: steps": r["steps"][-1] for name, r in records.items()})
    return report("batch sizes", numbers, [figure])


if __name__ == "__main__":
    main()
