"""Seeded toy datasets for classroom experiments, and one real one, returned as plain Python lists.

Every function returns `(X, y)`: `X` a list of samples, each a list of floats (two features, one
for `make_sine`, 64 pixels for `load_digits`), and `y` a list of labels. Classification labels
are ints 0..k-1 (as sklearn and `nn.functional.cross_entropy` expect); margin losses such as the
hinge loss of micrograd's demo want -1/+1 labels instead: `to_signed(y)` converts.

The same seed gives the same data on every machine and numpy version: sampling uses numpy's legacy
`RandomState`, whose streams never change. `make_moons` and `make_circles` make the same calls as
scikit-learn's functions, so `make_moons(100, noise=0.1, seed=1337)` is the data of micrograd's
demo (`np.random.seed(1337); make_moons(n_samples=100, noise=0.1)`).

`load_digits` reads real data shipped with chainrule (nn/data/files/, with its source and license
in the README there): 1797 handwritten digits of 8x8 pixels. Nothing is ever downloaded.
"""
from __future__ import annotations

import csv
import gzip
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

Dataset = tuple[list[list[float]], list]

FILES = Path(__file__).resolve().parent / "files"


def _rng(seed: int | None) -> np.random.RandomState:
    return np.random.RandomState(seed)


def _check(n: int, noise: float, least: int = 1) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < least:
        raise ValueError(f"n must be an integer >= {least}, got {n!r}")
    if not noise >= 0:
        raise ValueError(f"noise must be a standard deviation >= 0, got {noise!r}")


def _shuffle_and_noise(X: np.ndarray, y: np.ndarray, rng: np.random.RandomState,
                       noise: float) -> Dataset:
    order = np.arange(len(X))
    rng.shuffle(order)
    X, y = X[order], y[order]
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X.tolist(), y.tolist()


def make_moons(n: int = 100, noise: float = 0.0, seed: int | None = None) -> Dataset:
    """Two interleaving half circles: the data of micrograd's demo.

    Class 0 is the upper half circle cos t, sin t for t in [0, pi]; class 1 the lower one,
    1 - cos t, 0.5 - sin t. n // 2 points go to class 0, the rest to class 1, evenly spaced in t,
    then shuffled, then Gaussian noise of standard deviation `noise` is added to both coordinates.

    Args:
        n: number of points.
        noise: standard deviation of the Gaussian noise (0.1 makes a good exercise).
        seed: makes the data reproducible (None: different every call).

    Returns:
        X (n lists [x1, x2]) and y (n labels in {0, 1}).
    """
    _check(n, noise)
    n_out, n_in = n // 2, n - n // 2
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.vstack([np.append(np.cos(t_out), 1 - np.cos(t_in)),
                   np.append(np.sin(t_out), 1 - np.sin(t_in) - 0.5)]).T
    y = np.hstack([np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)])
    return _shuffle_and_noise(X, y, _rng(seed), noise)


def make_circles(n: int = 100, noise: float = 0.0, factor: float = 0.8,
                 seed: int | None = None) -> Dataset:
    """A small circle inside a large one: not linearly separable, easy with one hidden layer.

    Class 0 lies on the unit circle, class 1 on the circle of radius `factor`; n // 2 points on
    the outer one, evenly spaced, then shuffled and blurred by Gaussian noise.

    Args:
        n: number of points.
        noise: standard deviation of the Gaussian noise.
        factor: radius of the inner circle, in (0, 1).
        seed: makes the data reproducible.

    Returns:
        X (n lists [x1, x2]) and y (n labels in {0, 1}).
    """
    _check(n, noise)
    if not 0 < factor < 1:
        raise ValueError(f"factor is the inner circle's radius and must be in (0, 1), "
                         f"got {factor!r}")
    n_out, n_in = n // 2, n - n // 2
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.append(np.cos(t_out), factor * np.cos(t_in)),
                   np.append(np.sin(t_out), factor * np.sin(t_in))]).T
    y = np.hstack([np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)])
    return _shuffle_and_noise(X, y, _rng(seed), noise)


def make_spirals(n: int = 300, classes: int = 3, noise: float = 0.2,
                 seed: int | None = None) -> Dataset:
    """`classes` interleaved spiral arms (the CS231n spiral): a hard multi-class problem.

    Arm k has points at radius r from 0 to 1 and angle t = 4k + 4r (radians) plus Gaussian noise
    of standard deviation `noise` on the angle: (r sin t, r cos t). Points are split evenly between
    the arms (the first n % classes arms get one more), then shuffled.

    Args:
        n: total number of points.
        classes: number of arms (and labels).
        noise: standard deviation of the noise on the angle, in radians.
        seed: makes the data reproducible.

    Returns:
        X (n lists [x1, x2]) and y (n labels in 0..classes-1).
    """
    _check(n, noise)
    if isinstance(classes, bool) or not isinstance(classes, int) or classes < 2:
        raise ValueError(f"classes must be an integer >= 2, got {classes!r}")
    rng = _rng(seed)
    X, y = [], []
    for k in range(classes):
        count = n // classes + (k < n % classes)
        r = np.linspace(0.0, 1.0, count)
        t = np.linspace(4.0 * k, 4.0 * (k + 1), count)
        if noise:
            t = t + rng.normal(scale=noise, size=count)
        X.append(np.c_[r * np.sin(t), r * np.cos(t)])
        y.append(np.full(count, k))
    return _shuffle_and_noise(np.concatenate(X), np.concatenate(y), rng, 0.0)


def make_blobs(n: int = 100, centers: int | Sequence[Sequence[float]] = 3, std: float = 1.0,
               box: tuple[float, float] = (-10.0, 10.0), seed: int | None = None) -> Dataset:
    """Gaussian clusters, one per class: the easiest classification data.

    Args:
        n: total number of points, split evenly between the centers (the first n % k get one more).
        centers: the number of clusters (their centers drawn uniformly in `box` x `box`), or the
            list of centers [[x1, x2], ...].
        std: standard deviation of each cluster.
        box: the range the random centers are drawn from.
        seed: makes the data reproducible.

    Returns:
        X (n lists [x1, x2]) and y (n labels in 0..k-1, the index of each point's center).
    """
    _check(n, std)
    rng = _rng(seed)
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        if centers < 1:
            raise ValueError(f"centers must be >= 1, got {centers!r}")
        points = rng.uniform(box[0], box[1], size=(int(centers), 2))
    else:
        points = np.asarray(centers, dtype=float)
        if points.ndim != 2 or points.shape[1] != 2 or not len(points):
            raise ValueError("centers must be a count or a list of [x1, x2] pairs, "
                             f"got an array of shape {points.shape}")
    k = len(points)
    X, y = [], []
    for i, center in enumerate(points):
        count = n // k + (i < n % k)
        X.append(rng.normal(loc=center, scale=std, size=(count, 2)))
        y.append(np.full(count, i))
    return _shuffle_and_noise(np.concatenate(X), np.concatenate(y), rng, 0.0)


def make_xor(n: int = 100, noise: float = 0.0, seed: int | None = None) -> Dataset:
    """Points in the square [-1, 1]^2 labelled by the XOR of the signs of their coordinates.

    The label is 1 when exactly one coordinate is positive (quadrants II and IV), else 0: the
    classic problem a single neuron cannot solve. Labels are computed before the Gaussian noise
    is added, so noise blurs the boundary.

    Args:
        n: number of points.
        noise: standard deviation of the Gaussian noise added afterwards.
        seed: makes the data reproducible.

    Returns:
        X (n lists [x1, x2]) and y (n labels in {0, 1}).
    """
    _check(n, noise)
    rng = _rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(int)
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X.tolist(), y.tolist()


def make_sine(n: int = 100, noise: float = 0.1, low: float = -math.pi, high: float = math.pi,
              seed: int | None = None) -> Dataset:
    """A 1-D regression set: y = sin(x) + Gaussian noise, for x drawn uniformly in [low, high].

    Args:
        n: number of points.
        noise: standard deviation of the noise on y.
        low, high: the range of x.
        seed: makes the data reproducible.

    Returns:
        X (n lists [x], in random order) and y (n floats).
    """
    _check(n, noise)
    if not low < high:
        raise ValueError(f"need low < high, got low={low!r}, high={high!r}")
    rng = _rng(seed)
    x = rng.uniform(low, high, size=n)
    y = np.sin(x) + (rng.normal(scale=noise, size=n) if noise else 0.0)
    return x[:, None].tolist(), y.tolist()


def to_signed(y: Sequence[int]) -> list[int]:
    """Labels {0, 1} -> {-1, +1} (0 -> -1, 1 -> +1), for the hinge loss and other margin losses."""
    out = []
    for i, label in enumerate(y):
        if label not in (0, 1):
            raise ValueError(f"to_signed expects labels 0 and 1, but y[{i}] is {label!r}")
        out.append(2 * int(label) - 1)
    return out


def load_digits() -> Dataset:
    """1797 handwritten digits, 8x8 pixels each: the UCI "Optical Recognition of Handwritten
    Digits" test set, as scikit-learn's `load_digits` gives it (its copy of the file ships with
    chainrule; source and license in nn/data/files/README.md).

    Each pixel counts the ink in a 4x4 block of a 32x32 bitmap of the digit, 0..16; it is returned
    divided by 16, so every feature lies in [0, 1] (exactly: k / 16 is a float without rounding).
    The samples keep the file's order (the writers' order, not sorted by digit); about 180 of
    each digit.

    Returns:
        X (1797 lists of 64 floats: the image's rows, top to bottom, each left to right) and
        y (1797 ints, the digits 0..9).
    """
    path = FILES / "digits.csv.gz"
    if not path.is_file():
        raise FileNotFoundError(f"the digits file {path} is missing from this installation of "
                                "chainrule; reinstall it (pip install -e . in the repository)")
    X, y = [], []
    with gzip.open(path, "rt", encoding="ascii", newline="") as rows:
        for row in csv.reader(rows):
            *pixels, digit = row
            X.append([int(p) / 16.0 for p in pixels])
            y.append(int(digit))
    return X, y
