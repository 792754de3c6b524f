"""Overfitting and four cures: L2, L1, dropout and early stopping.

    python -m demos.overfitting  (--fast for a tiny run)

A big MLP and only 30 noisy training points: it can learn the noise itself, so its training loss
keeps falling while the loss on fresh validation points turns back up. Each cure trains the same
network from the same initial weights with `nn.fit`:
- L2: add l2 * sum(w^2) to the loss, pulling every weight towards 0 (smoother functions);
- L1: add l1 * sum(|w|), pushing small weights to exactly 0;
- dropout: zero 30% of the hidden activations at random while training (`nn.Dropout`), so no
  neuron can rely on one particular other;
- early stopping: watch the validation loss and keep the weights of its best epoch
  (`nn.EarlyStopping`).
Writes each run's training and validation loss curves side by side.
"""
from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file, not with -m: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nn
from nn.data import make_moons
from nn.optim import Adam

from demos._common import parse_args, plt, progress, report, save

WIDTH = 24


def big_mlp(seed: int) -> nn.MLP:
    nn.manual_seed(seed)
    return nn.MLP(2, [WIDTH, WIDTH, 1])


def big_mlp_with_dropout(seed: int) -> nn.Sequential:
    """The same layers (and initial weights) as big_mlp, with Dropout(0.3) after each hidden one."""
    nn.manual_seed(seed)
    return nn.Sequential(nn.Layer(2, WIDTH), nn.Dropout(0.3), nn.Layer(WIDTH, WIDTH),
                         nn.Dropout(0.3), nn.Layer(WIDTH, 1, "linear"))


def main(argv: list[str] | None = None) -> dict:
    args = parse_args("overfitting", "A big MLP on a small noisy set, with and without cures.",
                      argv)
    n_train, n_val, epochs = (12, 20, 8) if args.fast else (30, 100, 150)
    train = make_moons(n_train, noise=0.3, seed=args.seed)
    val = make_moons(n_val, noise=0.3, seed=args.seed + 1)  # fresh points from the same source
    runs = {  # name -> (model maker, extra arguments of nn.fit)
        "no regularization": (big_mlp, {}),
        "L2 (l2=0.01)": (big_mlp, {"l2": 0.01}),
        "L1 (l1=0.003)": (big_mlp, {"l1": 0.003}),
        "dropout (p=0.3)": (big_mlp_with_dropout, {}),
        "early stopping (patience 20)": (big_mlp, {"early_stopping": nn.EarlyStopping(20)}),
    }
    print(f"MLP(2, [{WIDTH}, {WIDTH}, 1]) on {n_train} noisy moons points "
          f"({n_val} for validation), full-batch Adam, up to {epochs} epochs")

    histories = {}
    for name, (make_model, options) in (bar := progress(runs.items(), "runs", len(runs))):
        bar.set_description(name)
        model = make_model(args.seed)
        histories[name] = h = nn.fit(model, nn.BCEWithLogitsLoss(),
                                     Adam(model.parameters(), lr=0.01), train, val=val,
                                     epochs=epochs, seed=args.seed, progress=False, **options)

    # the validation loss of the model each run hands back (early stopping: its restored best)
    final = {name: (min(h.val_loss) if h.best_epoch else h.val_loss[-1])
             for name, h in histories.items()}
    fig, axes = plt.subplots(1, len(runs), figsize=(3.2 * len(runs), 3.3), sharey=True)
    for ax, (name, h) in zip(axes, histories.items()):
        ax.plot(h.epoch, h.train_loss, label="training")
        ax.plot(h.epoch, h.val_loss, label="validation")
        if name.startswith("dropout"):  # the one panel where training loss sits above validation
            ax.text(0.97, 0.97, "training loss: measured in train()\n"
                    "mode, 30% of the units dropped\nat random each step (noisy and\n"
                    "higher); validation: the whole\nnet, in eval() mode",
                    transform=ax.transAxes, ha="right", va="top",
                    multialignment="left", fontsize=7.5,
                    bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.85, "lw": 0.5})
        if h.best_epoch is not None:
            ax.axvline(h.best_epoch, color="grey", ls=":", label="weights kept")
        ax.set_title(f"{name}\nvalidation loss {final[name]:.3f}", fontsize=10)
        ax.set(xlabel="epoch", xlim=(0, epochs))
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("binary cross-entropy")
    axes[0].set_ylim(0, 1.0)
    axes[-1].legend(fontsize=8)
    figure = save(fig, args.out / "overfitting.png")

    numbers = {f"{name}: validation loss": loss for name, loss in final.items()}
    numbers.update({f"{name}: training loss": h.train_loss[-1] for name, h in histories.items()})
    numbers.update({f"{name}: stopped early, kept epoch": h.best_epoch
                    for name, h in histories.items() if h.stopped_early})
    return report("overfitting", numbers, [figure])


if __name__ == "__main__":
    main()
