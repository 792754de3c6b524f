"""Exercise 2: give a new op its backward, with the custom-op API.

swish (also called SiLU) is the activation  swish(x) = x * sigmoid(x),  where
sigmoid(x) = 1 / (1 + e^-x). Its forward pass is written below, on plain floats. To make it a
differentiable op, `@autograd.op(derivatives=...)` needs its local derivative:

    swish_derivatives(out, x)  ->  (d swish / dx,)

It receives the op's output `out` (= swish(x)) and its input x, and returns a tuple with one
partial derivative per input. You need two facts:

    product rule:        d/dx [u v] = u' v + u v'
    sigmoid's derivative: d/dx sigmoid(x) = sigmoid(x) (1 - sigmoid(x))

Write it with ordinary arithmetic and autograd's functions (`autograd.sigmoid(x)`), NOT math.*:
the same function also runs on Values when someone asks for second derivatives, and math.*
would silently turn those Values into constants.

TODO: write swish_derivatives, then run  python -m demos.exercises check 2
The checker runs autograd.gradcheck (your derivative against finite differences) and
autograd.gradgradcheck (second derivatives) at several points.
"""
import math

import autograd


def swish_derivatives(out, x):
    """(d swish / dx,) at x, given out = swish(x)."""
    raise NotImplementedError("TODO (exercise 2): write swish_derivatives(out, x)")


@autograd.op(derivatives=swish_derivatives)
def swish(x):
    """x * sigmoid(x), computed without overflow for large |x|."""
    if x >= 0:
        return x / (1 + math.exp(-x))
    e = math.exp(x)
    return x * e / (1 + e)
