"""Learning-rate schedules: constant, step decay, exponential decay and cosine annealing.

    python -m demos.schedules    (--fast for a tiny run)

Mini-batch gradients are noisy, so with a constant learning rate the weights keep jittering around
a minimum instead of settling into it. A schedule starts with large steps (fast progress) and ends
with small ones (settling). The same MLP (same initial weights, same batches) trains with
`nn.fit` under each schedule from `nn.optim.lr_scheduler`, stepped once per epoch. Writes the
learning rate and the training loss of every run, epoch by epoch.
"""
from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file, not with -m: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nn
from nn.data import make_moons
from nn.optim import SGD
from nn.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, StepLR

from demos._common import parse_args, plt, progress, report, save

LR = 1.0


def schedules(epochs: int) -> dict:
    """name -> a function making the scheduler for an optimizer (None: constant lr)."""
    return {
        "constant": None,
        "step (x0.3 every 1/4 of the run)": lambda opt: StepLR(opt, step_size=max(1, epochs // 4),
                                                               gamma=0.3),
        "exponential (x0.9 per epoch)": lambda opt: ExponentialLR(opt, gamma=0.9),
        "cosine": lambda opt: CosineAnnealingLR(opt, T_max=epochs),
    }


def main(argv: list[str] | None = None) -> dict:
    args = parse_args("schedules", "Constant, step, exponential and cosine learning rates.", argv)
    n_points, epochs = (24, 4) if args.fast else (100, 30)
    X, y = make_moons(n_points, noise=0.3, seed=args.seed)  # overlapping: noisy gradients
    print(f"MLP(2, [16, 16, 1]) on {n_points} noisy moons points, mini-batches of 10, "
          f"{epochs} epochs, SGD starting at lr={LR}")

    histories = {}
    for name, make_scheduler in (bar := progress(schedules(epochs).items(), "schedules")):
        bar.set_description(name)
        nn.manual_seed(args.seed)
        model = nn.MLP(2, [16, 16, 1])
        optimizer = SGD(model.parameters(), lr=LR)
        scheduler = make_scheduler(optimizer) if make_scheduler else None
        histories[name] = h = nn.fit(model, nn.BCEWithLogitsLoss(), optimizer, (X, y),
                                     epochs=epochs, batch_size=10, scheduler=scheduler,
                                     seed=args.seed, progress=False)

    fig, (ax_lr, ax_loss) = plt.subplots(1, 2, figsize=(10, 3.8))
    for name, h in histories.items():
        ax_lr.plot(h.epoch, h.lr, label=name)
        ax_loss.semilogy(h.epoch, h.train_loss, label=name)
    ax_lr.set(title="Learning rate", xlabel="epoch", ylabel="lr")
    ax_loss.set(title="Training loss (mean over each epoch's batches)", xlabel="epoch",
                ylabel="binary cross-entropy (log scale)")
    for ax in (ax_lr, ax_loss):
        ax.grid(alpha=0.3)
    ax_loss.legend(fontsize=8)  # the same colours on the left
    figure = save(fig, args.out / "schedules.png")

    numbers = {f"{name}: final loss": h.train_loss[-1] for name, h in histories.items()}
    numbers.update({f"{name}: final lr": h.lr[-1] for name, h in histories.items()})
    return report("learning-rate schedules", numbers, [figure])


if __name__ == "__main__":
    main()
