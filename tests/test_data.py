"""Toy datasets, train_test_split and DataLoader."""
import math

import numpy as np
import pytest

from nn.data import (DataLoader, load_digits, make_blobs, make_circles, make_moons, make_sine,
                     make_spirals, make_xor, to_signed, train_test_split)

MAKERS = [
    lambda seed: make_moons(50, noise=0.1, seed=seed),
    lambda seed: make_circles(50, noise=0.1, seed=seed),
    lambda seed: make_spirals(60, classes=3, noise=0.2, seed=seed),
    lambda seed: make_blobs(50, centers=3, seed=seed),
    lambda seed: make_xor(50, noise=0.1, seed=seed),
    lambda seed: make_sine(50, noise=0.1, seed=seed),
]


def flat(rows):
    return [v for row in rows for v in row]


def test_make_moons_is_sklearns_make_moons():
    # Reference values from scikit-learn 1.9.1: make_moons(n_samples=100, noise=0.1,
    # random_state=1337), the data of micrograd's demo
    X, y = make_moons(100, noise=0.1, seed=1337)
    assert flat(X[:3]) == pytest.approx([1.1221146075409685, 0.08147717341718697,
                                         -0.8188294130836691, 0.058790063907949996,
                                         1.613709660987544, -0.12464590012238597], rel=1e-14)
    assert y[:8] == [0, 0, 1, 0, 1, 1, 1, 1]


def test_make_circles_is_sklearns_make_circles():
    # Reference values from scikit-learn 1.9.1: make_circles(n_samples=10, noise=0.05, factor=0.5,
    # random_state=3)
    X, y = make_circles(10, noise=0.05, factor=0.5, seed=3)
    assert flat(X[:2]) == pytest.approx([0.4769978939668658, -0.002896042029717784,
                                         0.41289570123058866, -0.9811221401046101], rel=1e-14)
    assert y == [1, 0, 0, 0, 1, 1, 1, 0, 0, 1]


def test_moons_geometry_without_noise():
    X, y = make_moons(41, seed=0)
    assert y.count(0) == 20 and y.count(1) == 21
    for (a, b), label in zip(X, y):
        if label == 0:  # upper unit half circle
            assert a * a + b * b == pytest.approx(1.0) and b >= -1e-12
        else:  # lower half circle centred at (1, 0.5)
            assert (a - 1) ** 2 + (b - 0.5) ** 2 == pytest.approx(1.0) and b <= 0.5 + 1e-12


def test_circles_geometry_without_noise():
    X, y = make_circles(20, factor=0.3, seed=0)
    radii = {label: {round(math.hypot(a, b), 9) for (a, b), l in zip(X, y) if l == label}
             for label in (0, 1)}
    assert radii == {0: {1.0}, 1: {0.3}}


def test_spirals_arms_and_radius():
    X, y = make_spirals(100, classes=3, noise=0.0, seed=1)
    assert [y.count(k) for k in range(3)] == [34, 33, 33]
    assert max(math.hypot(a, b) for a, b in X) == pytest.approx(1.0)
    # without noise each point sits on its arm: angle t = 4k + 4r measured from the x2 axis
    for (a, b), k in zip(X, y):
        r = math.hypot(a, b)
        if r > 0:
            t = 4 * k + 4 * r
            assert (a, b) == pytest.approx((r * math.sin(t), r * math.cos(t)), abs=1e-9)


def test_blobs_sit_around_their_centers():
    centers = [[-5.0, 0.0], [5.0, 5.0]]
    X, y = make_blobs(101, centers=centers, std=0.1, seed=2)
    assert y.count(0) == 51 and y.count(1) == 50
    for point, label in zip(X, y):
        assert math.dist(point, centers[label]) < 1.0
    X, y = make_blobs(30, centers=4, seed=2)
    assert sorted(set(y)) == [0, 1, 2, 3]


def test_xor_labels_follow_the_signs():
    X, y = make_xor(200, seed=4)
    assert all(label == int((a > 0) != (b > 0)) for (a, b), label in zip(X, y))
    assert 60 < sum(y) < 140  # both classes well represented
    assert all(-1 <= a <= 1 and -1 <= b <= 1 for a, b in X)


def test_sine_regression_set():
    X, y = make_sine(30, noise=0.0, seed=5)
    assert all(len(x) == 1 and -math.pi <= x[0] <= math.pi for x in X)
    assert y == pytest.approx([math.sin(x[0]) for x in X], abs=1e-15)
    X, noisy = make_sine(30, noise=0.1, seed=5)
    assert 0 < max(abs(t - math.sin(x[0])) for x, t in zip(X, noisy)) < 0.5


@pytest.mark.parametrize("make", MAKERS)
def test_seeded_plain_lists(make):
    X, y = make(7)
    assert type(X) is list and type(X[0]) is list and type(X[0][0]) is float
    assert type(y) is list and type(y[0]) in (int, float)
    assert len(X) == len(y) in (50, 60)
    assert make(7) == (X, y)
    assert make(8) != (X, y)


def test_to_signed():
    assert to_signed([0, 1, 1, 0]) == [-1, 1, 1, -1]
    with pytest.raises(ValueError, match=r"y\[1\] is 2"):
        to_signed([0, 2])


@pytest.mark.parametrize("call, words", [
    (lambda: make_moons(0), "n must be an integer >= 1"),
    (lambda: make_moons(10, noise=-0.1), "noise"),
    (lambda: make_circles(10, factor=1.5), "factor"),
    (lambda: make_spirals(10, classes=1), "classes"),
    (lambda: make_blobs(10, centers=[1.0, 2.0]), "centers"),
    (lambda: make_sine(10, low=1.0, high=0.0), "low < high"),
])
def test_bad_arguments_are_explained(call, words):
    with pytest.raises(ValueError, match=words):
        call()


# -- train_test_split ---------------------------------------------------------------------------
def test_split_sizes_and_coverage():
    X = [[float(i)] for i in range(10)]
    y = list(range(10))
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=0)
    assert (len(X_train), len(X_test)) == (7, 3)  # ceil(2.5) = 3, as sklearn
    assert sorted(y_train + y_test) == y
    assert all(x == [float(label)] for x, label in zip(X_train + X_test, y_train + y_test))
    assert train_test_split(X, y, test_size=0.25, seed=0) == (X_train, X_test, y_train, y_test)
    assert len(train_test_split(X, y, test_size=4, seed=0)[1]) == 4
    assert train_test_split(X, y, test_size=2, shuffle=False)[3] == [8, 9]


def test_split_accepts_numpy():
    X_train, X_test, y_train, y_test = train_test_split(np.eye(4), np.arange(4), test_size=0.5,
                                                        seed=1)
    assert type(X_train[0]) is list and type(y_test[0]) is int


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(test_size=1.0), ValueError, "in \\(0, 1\\)"),
    (dict(test_size=10), ValueError, "both parts need at least one"),
    (dict(test_size="half"), TypeError, "fraction"),
])
def test_split_bad_sizes(kwargs, error, words):
    with pytest.raises(error, match=words):
        train_test_split([[0.0]] * 10, [0] * 10, **kwargs)


def test_split_length_mismatch():
    with pytest.raises(ValueError, match="3 samples and 2 labels"):
        train_test_split([[0.0]] * 3, [0, 1])


# -- DataLoader ---------------------------------------------------------------------------------
X10 = [[float(i), -float(i)] for i in range(10)]
Y10 = list(range(10))


@pytest.mark.parametrize("batch_size, drop_last, sizes", [
    (None, False, [10]),
    (1, False, [1] * 10),
    (3, False, [3, 3, 3, 1]),
    (3, True, [3, 3, 3]),
    (5, True, [5, 5]),
    (64, False, [10]),
])
def test_batch_sizes_and_coverage(batch_size, drop_last, sizes):
    loader = DataLoader(X10, Y10, batch_size=batch_size, seed=0, drop_last=drop_last)
    assert len(loader) == len(sizes)
    for _ in range(3):
        batches = list(loader)
        assert [len(yb) for _, yb in batches] == sizes
        seen = [label for _, yb in batches for label in yb]
        assert len(set(seen)) == len(seen) == sum(sizes)  # every sample at most once
        if not drop_last:
            assert sorted(seen) == Y10  # ... and exactly once per epoch
        for xb, yb in batches:  # samples stay paired with their labels
            assert all(x == [float(label), -float(label)] for x, label in zip(xb, yb))
    assert loader.num_samples == sum(sizes)


def test_shuffling_is_seeded_and_changes_every_epoch():
    a = DataLoader(X10, Y10, batch_size=4, seed=3)
    b = DataLoader(X10, Y10, batch_size=4, seed=3)
    epochs_a = [[yb for _, yb in a] for _ in range(3)]
    assert epochs_a == [[yb for _, yb in b] for _ in range(3)]
    assert epochs_a[0] != epochs_a[1]
    assert [yb for _, yb in DataLoader(X10, Y10, batch_size=4, seed=4)] != epochs_a[0]


def test_no_shuffle_keeps_order():
    loader = DataLoader(X10, Y10, batch_size=4, shuffle=False)
    assert [yb for _, yb in loader] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert "3 batches" in repr(loader)


def test_loader_accepts_numpy():
    xb, yb = next(iter(DataLoader(np.ones((4, 2)), np.zeros(4), seed=0)))
    assert xb == [[1.0, 1.0]] * 4 and yb == [0.0] * 4 and type(yb[0]) is float


@pytest.mark.parametrize("kwargs, words", [
    (dict(batch_size=0), "positive integer or None"),
    (dict(batch_size=2.5), "positive integer or None"),
    (dict(batch_size=20, drop_last=True), "leaves no batch"),
])
def test_loader_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        DataLoader(X10, Y10, **kwargs)


def test_loader_errors_on_mismatch_and_empty():
    with pytest.raises(ValueError, match="10 samples and 9 labels"):
        DataLoader(X10, Y10[:9])
    with pytest.raises(ValueError, match="empty"):
        DataLoader([], [])


# -- the handwritten digits ----------------------------------------------------------------------
def test_load_digits_is_the_uci_test_set_as_sklearn_ships_it():
    X, y = load_digits()
    assert len(X) == len(y) == 1797 and {len(x) for x in X} == {64}
    assert all(type(v) is float and 0.0 <= v <= 1.0 and (16 * v).is_integer() for x in X for v in x)
    assert all(type(label) is int for label in y)
    # counts per digit, as sklearn's DESCR and np.bincount(load_digits().target) give them
    assert [y.count(d) for d in range(10)] == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert y[:10] == list(range(10)) and y[-5:] == [9, 0, 8, 9, 8]
    # the first image, a 0, row by row (pixel counts out of 16), from the file's first line
    first = [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0,
             0, 4, 12, 0, 0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0,
             0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0]
    assert X[0] == [count / 16 for count in first]
    assert 16 * math.fsum(map(math.fsum, X)) == 561718  # every pixel count (zcat | awk)
    assert load_digits() == (X, y) and load_digits()[0] is not X  # fresh lists every call


def test_the_digits_file_is_the_one_its_readme_describes():
    import hashlib

    from nn.data.datasets import FILES
    readme = (FILES / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((FILES / "digits.csv.gz").read_bytes()).hexdigest()
    assert digest in readme
    for words in ("CC BY 4.0", "BSD 3-Clause", "scikit-learn", "Alpaydin"):
        assert words in readme


def test_a_missing_digits_file_says_how_to_get_it_back(monkeypatch, tmp_path):
    import nn.data.datasets as datasets
    monkeypatch.setattr(datasets, "FILES", tmp_path)
    with pytest.raises(FileNotFoundError, match="missing from this installation.*reinstall"):
        load_digits()
