"""Reductions of a sequence to one number, each ONE node whatever the length: mean, prod, max, min
(next to `sum` and `dot` in basic.py). Forward on floats next to the local derivatives, as in
basic.py.

One node instead of a chain of n - 1 binary nodes keeps graphs small and backward fast, and lets
the local derivatives say what the reduction does as a whole: max and min share the gradient evenly
between tied winners, exactly as PyTorch's `torch.max(t)` and `torch.min(t)` do.
"""
from __future__ import annotations

import builtins
import operator
from collections.abc import Iterable
from functools import reduce
from typing import Any

from ..core import Op, Over, Value, apply, data_of
from .basic import NAN, define, div


def _inputs(values: Iterable[Any], who: str) -> tuple[Any, ...]:
    if isinstance(values, Value) or not hasattr(values, "__iter__") or isinstance(values, str):
        raise TypeError(f"{who} takes one sequence of numbers or Values, such as {who}([a, b, c]); "
                        f"got {type(values).__name__}: {values!r:.60}")
    return tuple(values)


def _reduce(op: Op, values: tuple[Any, ...]) -> Any:
    if builtins.all(isinstance(v, Value) for v in values):
        return apply(op, values)
    return op(*values)  # numbers only give a float; numbers among Values become leaves


# -- mean ------------------------------------------------------------------------------------------
def _mean_backward(g: float, out: float, inputs: tuple[Value, ...]) -> None:
    share = g / len(inputs)  # g * Over(n), the generic rule's number
    for x in inputs:
        x.grad += share


# d/dx_i = 1/n, applied as g / n (PyTorch divides the incoming gradient)
@define("mean", lambda out, *xs: (Over(float(len(xs))),) * len(xs), backward=_mean_backward)
def _mean_forward(*xs: float) -> float:
    return reduce(operator.add, xs, 0.0) / len(xs)  # the sum left to right, as `sum`


MEAN = _mean_forward


def mean(values: Iterable[Any]) -> Any:
    """(x_1 + ... + x_n) / n as one node; d/dx_i = 1/n.

    Args:
        values: a sequence of numbers or Values. Empty: nan, as `torch.mean` of an empty tensor.
    """
    values = _inputs(values, "mean")
    if not values:
        return NAN
    try:  # fast path, all of them Values: the forward above, reading their numbers in place
        total = 0.0
        for x in values:
            total += x._data
    except AttributeError:
        return MEAN(*values)
    return apply(MEAN, values, total / len(values))


# -- prod ------------------------------------------------------------------------------------------
def _products_of_the_others(xs: tuple[Any, ...]) -> list[Any]:
    # prod of x_j for j != i, from the products before i and after i: n multiplications each way,
    # no division, so a zero input gives the right answer (PyTorch's prod_safe_zeros_backward)
    before, acc = [], 1.0
    for x in xs:
        before.append(acc)
        acc = acc * x
    others: list[Any] = [None] * len(xs)
    acc = 1.0
    for i in range(len(xs) - 1, -1, -1):
        others[i] = before[i] * acc
        acc = acc * xs[i]
    return others


def _prod_derivatives(out: Any, *xs: Any) -> tuple[Any, ...]:
    # PyTorch's rule: out / x_i when no input is 0 (so an inf input gives inf / inf = nan there),
    # else the product of the others; with two zeros or more all of those are 0, and PyTorch's
    # plain backward then passes none (not 0 * an incoming inf). Under create_graph the products
    # are kept: they are 0, but their derivatives are not (d^2/dx_1 dx_2 of x_1 x_2 x_3 is x_3).
    zeros = builtins.sum(data_of(x) == 0 for x in xs)
    if not zeros:
        return tuple(div(out, x) for x in xs)
    if zeros > 1 and not isinstance(out, Value):
        return (None,) * len(xs)
    return tuple(_products_of_the_others(xs))


def _prod_backward(g: float, out: float, inputs: tuple[Value, ...]) -> None:
    # the rule above on the numbers, with the divisions written out (no input is 0 there)
    zeros = builtins.sum(x._data == 0 for x in inputs)
    if not zeros:
        for x in inputs:
            x.grad += g * (out / x._data)
    elif zeros == 1:
        for x, others in zip(inputs, _products_of_the_others(tuple(x._data for x in inputs))):
            x.grad += g * others


@define("prod", _prod_derivatives, backward=_prod_backward)
def _prod_forward(*xs: float) -> float:
    return reduce(operator.mul, xs, 1.0)  # left to right


PROD = _prod_forward


def prod(values: Iterable[Any]) -> Any:
    """x_1 * x_2 * ... * x_n as one node; d/dx_i = the product of the other x_j.

    As PyTorch, the partials are computed as out / x_i when no input is 0 (so where an input is
    inf its partial is nan, and an underflowed product gives 0s), and as the product of the others
    when some input is 0 (with two zeros or more, no gradient flows at all).

    Args:
        values: a sequence of numbers or Values. Empty: 1.0.
    """
    values = _inputs(values, "prod")
    return _reduce(PROD, values) if values else 1.0


# -- max and min -----------------------------------------------------------------------------------
def _winners(best: float, numbers: Iterable[float]) -> list[bool]:
    # the inputs equal to the output: all the nans, if the output is nan
    if best != best:
        return [x != x for x in numbers]
    return [x == best for x in numbers]


def _share_among_winners(out: Any, *xs: Any) -> tuple[Any, ...]:
    # as torch.max(t) / torch.min(t): the gradient is split evenly between the winners, as g / k;
    # the others get none
    winners = _winners(data_of(out), [data_of(x) for x in xs])
    share = Over(float(winners.count(True)))
    return tuple(share if won else None for won in winners)


def _share_backward(g: float, out: float, inputs: tuple[Value, ...]) -> None:
    winners = _winners(out, [x._data for x in inputs])
    share = g / winners.count(True)  # g * Over(k), the generic rule's number
    for x, won in zip(inputs, winners):
        if won:
            x.grad += share


def _extreme(xs: tuple[float, ...], better: Any) -> float:
    best = xs[0]
    for x in xs:
        if x != x:
            return x  # nan wins, as in PyTorch
        if not better(best, x):
            best = x  # of equal numbers the later one, as PyTorch: max(0.0, -0.0) is -0.0
    return best


@define("max", _share_among_winners, backward=_share_backward)
def _max_forward(*xs: float) -> float:
    return _extreme(xs, operator.gt)


@define("min", _share_among_winners, backward=_share_backward)
def _min_forward(*xs: float) -> float:
    return _extreme(xs, operator.lt)


MAX, MIN = _max_forward, _min_forward


def max(values: Iterable[Any], *more: Any) -> Any:  # noqa: A001 - torch.max(t)
    """The largest of the values as one node (nan if any is nan), as `torch.max(t)` / `amax`.

    d/dx_i = 1/k for the k inputs equal to the maximum (a tie shares the gradient evenly, as
    PyTorch's max and amax do), 0 for the others (nothing flows to them, even an inf). With a nan
    among the values the gradient goes to the nans, as `torch.max(t)` (`amax` gives every input
    nan there, and nan to the others under an inf gradient: 0 * inf).

    Args:
        values: a non-empty sequence of numbers or Values; or, as Python's max, several arguments:
            `max(a, b, c)` is `max([a, b, c])` (for two, the same as `maximum(a, b)`).
    """
    values = (values, *more) if more else _inputs(values, "max")
    if not values:
        raise ValueError("max of an empty sequence has no value (torch.max refuses it too)")
    return _reduce(MAX, values)


def min(values: Iterable[Any], *more: Any) -> Any:  # noqa: A001 - torch.min(t)
    """The smallest of the values as one node (nan if any is nan), as `torch.min(t)` / `amin`.

    d/dx_i = 1/k for the k inputs equal to the minimum (a tie shares the gradient evenly), 0 for
    the others. With a nan among the values the gradient goes to the nans, as `torch.min(t)`.

    Args:
        values: a non-empty sequence of numbers or Values; or, as Python's min, several arguments:
            `min(a, b, c)` is `min([a, b, c])`.
    """
    values = (values, *more) if more else _inputs(values, "min")
    if not values:
        raise ValueError("min of an empty sequence has no value (torch.min refuses it too)")
    return _reduce(MIN, values)
