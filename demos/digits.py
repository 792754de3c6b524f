"""Real data: an MLP(64, [32, 10]) learns to read handwritten digits.

    python -m demos.digits        (--fast for a tiny run)

The data is the UCI handwritten digits as scikit-learn ships them (1797 images of 8x8 pixels,
shipped with chainrule: `nn.data.load_digits()`), a fifth of them held out for testing. Softmax
cross-entropy on 10 class scores, mini-batches of 32, SGD with momentum, trained by
`nn.fit(..., jit=True)`: the steps compiled by `autograd.jit` (the same weights as the engine's,
to the bit, in a third of the time).
Writes the loss and accuracy curves, the test digits the model gets wrong, the confusion matrix,
and the first layer's weights drawn as 8x8 images: what each hidden neuron looks for.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file, not with -m: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

import autograd
import nn
from demos._common import parse_args, plt, progress, report, save
from nn.data import load_digits, train_test_split
from nn.optim import SGD


def predicted_classes(model: nn.MLP, X: list[list[float]]) -> list[int]:
    """The digit each image gets: the index of its largest score."""
    with autograd.no_grad():
        scores = model(X)
    return [max(range(10), key=lambda k: row[k].data) for row in scores]


def confusion_matrix(truth: list[int], predicted: list[int]) -> np.ndarray:
    """counts[i, j]: how many images of digit i were read as digit j (the diagonal is right)."""
    counts = np.zeros((10, 10), dtype=int)
    np.add.at(counts, (truth, predicted), 1)
    return counts


def draw_misclassified(X: list, truth: list[int], predicted: list[int], path: Path) -> Path:
    wrong = [i for i, (t, p) in enumerate(zip(truth, predicted)) if t != p][:16]
    columns = 8
    rows = max(1, -(-len(wrong) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(1.3 * columns, 1.55 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, i in zip(axes.flat, wrong):
        ax.imshow(np.reshape(X[i], (8, 8)), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{truth[i]} read as {predicted[i]}", fontsize=8)
    fig.suptitle(f"Test digits the model gets wrong ({len(wrong)} shown)" if wrong
                 else "The model reads every test digit right", fontsize=10)
    fig.tight_layout()
    return save(fig, path)


def draw_confusion(counts: np.ndarray, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(5, 4.4))
    ax.imshow(counts, cmap="Blues")
    for (i, j), n in np.ndenumerate(counts):
        if n:
            ax.text(j, i, str(n), ha="center", va="center", fontsize=8,
                    color="white" if n > counts.max() / 2 else "black")
    ax.set(xticks=range(10), yticks=range(10), xlabel="the model's answer", ylabel="true digit",
           title="Confusion matrix on the test digits")
    return save(fig, path)


def draw_first_layer(model: nn.MLP, path: Path) -> Path:
    neurons = model.layers[0].neurons
    fig, axes = plt.subplots(4, 8, figsize=(8, 4.6))
    for ax, neuron in zip(axes.flat, neurons):
        weights = np.reshape([w.data for w in neuron.w], (8, 8))
        limit = np.abs(weights).max()
        ax.imshow(weights, cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.axis("off")
    fig.suptitle("The first layer: each hidden neuron's 64 weights as an 8x8 image\n"
                 "(red: ink there raises its output, blue: lowers it)", fontsize=10)
    fig.tight_layout()
    return save(fig, path)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args("digits", "MLP(64, [32, 10]) learns the handwritten digits (real data).",
                      argv)
    epochs = 2 if args.fast else 10
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=args.seed)
    model = nn.MLP(64, [32, 10], init="he", seed=args.seed)
    optimizer = SGD(model.parameters(), lr=0.05, momentum=0.9)
    print(f"{model}\n{len(X_train)} training and {len(X_test)} test digits, {epochs} epochs")

    steps = epochs * -(-len(X_train) // 32)
    with progress(None, "training", total=steps) as bar:
        start = time.perf_counter()
        history = nn.fit(model, nn.CrossEntropyLoss(), optimizer, (X_train, y_train),
                         val=(X_test, y_test), epochs=epochs, batch_size=32, seed=args.seed,
                         progress=False, jit=True,
                         callback=lambda epoch, step, loss: bar.update(1))
        seconds = time.perf_counter() - start

    predicted = predicted_classes(model, X_test)
    counts = confusion_matrix(y_test, predicted)
    fig = history.plot()
    curves = save(fig, args.out / "curves.png")
    wrong = draw_misclassified(X_test, y_test, predicted, args.out / "misclassified.png")
    confusion = draw_confusion(counts, args.out / "confusion.png")
    weights = draw_first_layer(model, args.out / "first_layer.png")
    return report("handwritten digits", {
        "test accuracy": history.val_acc[-1], "training accuracy": history.train_acc[-1],
        "final training loss": history.train_loss[-1], "misclassified test digits":
        int(len(y_test) - np.trace(counts)), "epochs": epochs,
        "training seconds": round(seconds, 2)}, [curves, wrong, confusion, weights])


if __name__ == "__main__":
    main()
