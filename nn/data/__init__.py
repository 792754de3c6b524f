"""Toy datasets, real handwritten digits, train/test splits and a DataLoader: everything is plain
Python lists.

    >>> from nn.data import make_moons, train_test_split, DataLoader, to_signed, load_digits
    >>> X, y = make_moons(100, noise=0.1, seed=1337)   # micrograd's demo data, y in {0, 1}
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
    >>> batches = DataLoader(X_train, y_train, batch_size=16, seed=0)
    >>> X, y = load_digits()          # real data: 1797 handwritten 8x8 digits, y in 0..9
"""
from .datasets import (
    load_digits,
    make_blobs,
    make_circles,
    make_moons,
    make_sine,
    make_spirals,
    make_xor,
    to_signed,
)
from .loader import DataLoader, train_test_split

__all__ = ["make_moons", "make_circles", "make_spirals", "make_blobs", "make_xor", "make_sine",
           "load_digits", "to_signed", "train_test_split", "DataLoader"]


def __dir__() -> list[str]:
    return sorted(__all__)
