"""Splitting a dataset and walking through it in batches."""
from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np


def _as_list(data: Any, name: str) -> list:
    if hasattr(data, "tolist") and not isinstance(data, list):
        data = data.tolist()  # numpy arrays: Python floats, in one call
    try:
        return list(data)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of samples, got "
                        f"{type(data).__name__}") from None


def _check_pair(X: list, y: list) -> None:
    if len(X) != len(y):
        raise ValueError(f"X and y must have one entry per sample, got {len(X)} samples and "
                         f"{len(y)} labels")
    if not X:
        raise ValueError("the dataset is empty")


def train_test_split(X: Sequence, y: Sequence, test_size: float | int = 0.25,
                     seed: int | None = None, shuffle: bool = True
                     ) -> tuple[list, list, list, list]:
    """Split samples and labels into a training part and a held-out test part, as sklearn does.

    Args:
        X, y: samples and their labels (lists or numpy arrays), one label per sample.
        test_size: the fraction of samples held out (0 < test_size < 1; the count is rounded up)
            or their number (an int).
        seed: makes the shuffle reproducible.
        shuffle: shuffle before splitting (else the last samples are the test set).

    Returns:
        X_train, X_test, y_train, y_test (plain lists, in sklearn's order).
    """
    X, y = _as_list(X, "X"), _as_list(y, "y")
    _check_pair(X, y)
    n = len(X)
    if isinstance(test_size, float):
        if not 0.0 < test_size < 1.0:
            raise ValueError(f"a fractional test_size must be in (0, 1), got {test_size}")
        n_test = math.ceil(test_size * n)
    elif isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        n_test = int(test_size)
    else:
        raise TypeError(f"test_size must be a fraction (float) or a count (int), got {test_size!r}")
    if not 0 < n_test < n:
        raise ValueError(f"test_size={test_size!r} leaves {n_test} test and {n - n_test} "
                         f"training samples out of {n}; both parts need at least one")
    order = np.random.default_rng(seed).permutation(n).tolist() if shuffle else list(range(n))
    train, test = order[:n - n_test], order[n - n_test:]
    return ([X[i] for i in train], [X[i] for i in test],
            [y[i] for i in train], [y[i] for i in test])


class DataLoader:
    """Iterate over (X_batch, y_batch) pairs of plain lists, covering every sample once per epoch.

    `batch_size=None` gives one batch of everything (full-batch gradient descent, micrograd's demo),
    `1` gives single samples (stochastic gradient descent), anything else mini-batches. The last
    batch is shorter when the batch size does not divide the data, unless `drop_last=True`.

        loader = DataLoader(X, y, batch_size=32, seed=0)
        for epoch in range(10):
            for xb, yb in loader:      # a new order every epoch
                ...

    Args:
        X, y: samples and labels (lists or numpy arrays), one label per sample.
        batch_size: samples per batch, or None for all of them.
        shuffle: draw a new random order at the start of every epoch.
        seed: makes the orders reproducible: two loaders with the same seed give the same
            batches, epoch after epoch (each epoch still has its own order).
        drop_last: skip the final short batch.
    """

    def __init__(self, X: Sequence, y: Sequence, batch_size: int | None = None,
                 shuffle: bool = True, seed: int | None = None, drop_last: bool = False) -> None:
        self.X, self.y = _as_list(X, "X"), _as_list(y, "y")
        _check_pair(self.X, self.y)
        if batch_size is not None and (isinstance(batch_size, bool)
                                       or not isinstance(batch_size, (int, np.integer))
                                       or batch_size < 1):
            raise ValueError(f"batch_size must be a positive integer or None (everything at "
                             f"once), got {batch_size!r}")
        self.batch_size = len(self.X) if batch_size is None else int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.seed = seed
        self._rng = np.random.default_rng(seed)
        if len(self) == 0:
            raise ValueError(f"batch_size={batch_size} with drop_last=True leaves no batch for "
                             f"{len(self.X)} samples")

    def __len__(self) -> int:
        """Number of batches per epoch."""
        n, b = len(self.X), self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self) -> Iterator[tuple[list, list]]:
        n, b = len(self.X), self.batch_size
        order = self._rng.permutation(n).tolist() if self.shuffle else range(n)
        X, y = self.X, self.y
        for start in range(0, len(self) * b, b):
            idx = order[start:start + b]
            yield [X[i] for i in idx], [y[i] for i in idx]

    @property
    def num_samples(self) -> int:
        """Samples seen per epoch (all of them, less the dropped short batch)."""
        return min(len(self) * self.batch_size, len(self.X))

    def __repr__(self) -> str:
        return (f"DataLoader({len(self.X)} samples, batch_size={self.batch_size}, "
                f"shuffle={self.shuffle}, drop_last={self.drop_last}, {len(self)} batches)")
