"""Derive tests/reference/micrograd_demo.json: micrograd 0.1.0's demo.ipynb run once, as written.

Not part of the suite and not a dependency of it: run it in a scratch environment,

    python -m venv /tmp/mgvenv && /tmp/mgvenv/bin/pip install micrograd==0.1.0 scikit-learn
    /tmp/mgvenv/bin/python tests/reference/make_micrograd_demo.py

The cells below are the demo's own (its imports, seeds, data, model, loss and training loop); the
only additions are the lines that record the 100 points, the initial weights and every step's loss
and accuracy. tests/test_micrograd_demo.py runs the same cells on chainrule and compares.
"""
import json
import random
import sys
from pathlib import Path

import micrograd
import numpy as np
import sklearn
from micrograd.engine import Value
from micrograd.nn import MLP

np.random.seed(1337)
random.seed(1337)

from sklearn.datasets import make_moons  # noqa: E402 (where the demo imports it)

X, y = make_moons(n_samples=100, noise=0.1)
y = y * 2 - 1  # make y be -1 or 1

model = MLP(2, [16, 16, 1])  # 2-layer neural network
initial_weights = [p.data for p in model.parameters()]


def loss(batch_size=None):
    # inline DataLoader :)
    if batch_size is None:
        Xb, yb = X, y
    else:
        ri = np.random.permutation(X.shape[0])[:batch_size]
        Xb, yb = X[ri], y[ri]
    inputs = [list(map(Value, xrow)) for xrow in Xb]

    # forward the model to get scores
    scores = list(map(model, inputs))

    # svm "max-margin" loss
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    # L2 regularization
    alpha = 1e-4
    reg_loss = alpha * sum((p * p for p in model.parameters()))
    total_loss = data_loss + reg_loss

    # also get accuracy
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
    return total_loss, sum(accuracy) / len(accuracy)


trajectory = []
for k in range(100):
    # forward
    total_loss, acc = loss()

    # backward
    model.zero_grad()
    total_loss.backward()

    # update (sgd)
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad

    trajectory.append({"step": k, "loss": float(total_loss.data), "accuracy": float(acc)})
    print(f"step {k} loss {total_loss.data}, accuracy {acc*100}%")

fixture = {
    "how": "tests/reference/make_micrograd_demo.py: micrograd 0.1.0's demo.ipynb with "
           f"micrograd {getattr(micrograd, '__version__', '0.1.0')}, scikit-learn {sklearn.__version__}, "
           f"numpy {np.__version__}, Python {sys.version.split()[0]}; make_moons(n_samples=100, "
           "noise=0.1) after np.random.seed(1337) and random.seed(1337), as the demo",
    "X": X.tolist(),
    "y": [int(v) for v in y],
    "initial_weights": initial_weights,
    "trajectory": trajectory,
}
Path(__file__).with_name("micrograd_demo.json").write_text(json.dumps(fixture, indent=1) + "\n")
