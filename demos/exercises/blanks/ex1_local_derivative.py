"""Exercise 1: derive local derivatives by hand.

Every node of a computation graph needs one thing from you, its *local derivative*: how its output
changes when its input changes. backward() then multiplies these along the graph (the chain rule).
Here you derive three of them on paper and write them as Python functions.

The rules you need:

    power rule     d/dx x^n       = n x^(n-1)          (and d/dx c = 0 for a constant c)
    product rule   d/dx u(x) v(x) = u'(x) v(x) + u(x) v'(x)
    chain rule     d/dx g(u(x))   = g'(u(x)) u'(x)      for example d/dx log(u(x)) = u'(x) / u(x)
    known ones     d/dx sin(x) = cos(x),   d/dx log(x) = 1/x

TODO: write df, dg and dh below (return a number for a number x), then run

    python -m demos.exercises check 1

The checker compares your functions with autograd's derivatives at several points.
"""
import math

from autograd import log, sin


def f(x):
    return 3 * x**2 - 4 * x + 5


def g(x):
    return x * sin(x)


def h(x):
    return log(1 + x**2)


def df(x):
    """The derivative of f at x."""
    raise NotImplementedError("TODO (exercise 1): write df(x), the derivative of f")


def dg(x):
    """The derivative of g at x (product rule)."""
    raise NotImplementedError("TODO (exercise 1): write dg(x), the derivative of g")


def dh(x):
    """The derivative of h at x (chain rule)."""
    raise NotImplementedError("TODO (exercise 1): write dh(x), the derivative of h")
