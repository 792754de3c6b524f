"""Placeholder flagship demo: a tiny model learns two moons with the bare engine.

Replaced by the full demo (MLP, loss curves, decision boundary, graph picture) once `nn` lands.
"""
import random

import numpy as np

import autograd
from autograd import Value


def main() -> None:
    rng = np.random.default_rng(0)
    t = np.linspace(0, np.pi, 50)
    X = np.concatenate([np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)]])
    y = [1.0] * 50 + [-1.0] * 50
    random.seed(0)
    w1 = [[Value(random.uniform(-1, 1)) for _ in range(2)] for _ in range(16)]
    b1 = [Value(0.0) for _ in range(16)]
    w2 = [Value(random.uniform(-1, 1)) for _ in range(16)]
    b2 = Value(0.0)
    params = [p for row in w1 for p in row] + b1 + w2 + [b2]
    for step in range(50):
        scores = []
        for x in X.tolist():
            h = [autograd.dot(w, x, b).relu() for w, b in zip(w1, b1)]
            scores.append(autograd.dot(w2, h, b2))
        loss = autograd.sum([(1 - yi * s).relu() for yi, s in zip(y, scores)]) / len(y)
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= 0.1 * p.grad
        acc = sum((s.data > 0) == (yi > 0) for s, yi in zip(scores, y)) / len(y)
        if step % 10 == 9:
            print(f"step {step + 1}: loss {loss.data:.4f}, accuracy {acc:.0%}")


if __name__ == "__main__":
    main()
