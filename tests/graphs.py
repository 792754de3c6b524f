"""Small graphs shared by the tests of pictures, trees and explanations."""
from __future__ import annotations

from autograd import Value


def micrograd_example(backward: bool = False) -> Value:
    """The expression from micrograd's README walk-through, every node labelled: L = (a*b + c) * f.

    With `backward=True` the grads are filled in: L 1, d -2, e -2, a 6, b -4, c -2, f 4.
    """
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c, f = Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    if backward:
        L.backward()
    return L
