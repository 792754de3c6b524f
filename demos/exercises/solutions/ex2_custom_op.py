"""Solution to exercise 2 (the task is in demos/exercises/ex2_custom_op.py)."""
import math

import autograd


def swish_derivatives(out, x):
    s = autograd.sigmoid(x)
    return (s + x * s * (1 - s),)


@autograd.op(derivatives=swish_derivatives)
def swish(x):
    if x >= 0:
        return x / (1 + math.exp(-x))
    e = math.exp(x)
    return x * e / (1 + e)
