"""Checks shared by the op tests: a function's first and second derivatives at a point, against
closed forms (exact up to rounding) and against central differences (gradcheck, gradgradcheck)."""
from __future__ import annotations

import math
from typing import Callable, Sequence

import autograd


def assert_derivatives(f: Callable, point: Sequence[float], value: float | None = None,
                       first: Sequence[float] | None = None,
                       second: Sequence[Sequence[float]] | None = None, rel: float = 1e-12) -> None:
    """f's value, gradient and Hessian at `point` equal the closed forms given (to `rel`), and
    gradcheck and gradgradcheck pass there."""
    point = list(point)
    every = tuple(range(len(point)))
    if value is not None:
        got = f(*[autograd.Value(x) for x in point]).data
        assert math.isclose(got, value, rel_tol=rel, abs_tol=1e-300), f"value {got} vs {value}"
    if first is not None:
        got = autograd.grad(f, every)(*point)
        assert len(got) == len(first), f"{len(got)} partial derivatives, expected {len(first)}"
        for g, want in zip(got, first):
            assert math.isclose(g, want, rel_tol=rel, abs_tol=1e-15), f"gradient {got} vs {first}"
    if second is not None:
        got = autograd.hessian(f)(*point)
        assert len(got) == len(second), f"{len(got)} Hessian rows, expected {len(second)}"
        for row, want_row in zip(got, second):
            assert len(row) == len(want_row), f"Hessian row {row} vs {want_row}"
            for g, want in zip(row, want_row):
                assert math.isclose(g, want, rel_tol=rel, abs_tol=1e-15), f"Hessian {got} vs {second}"
    assert autograd.gradcheck(f, point)
    assert autograd.gradgradcheck(f, point)
