"""Solution to exercise 4 (the task is in demos/exercises/ex4_find_the_bug.py).

The bug: a copy-paste. d out/db is e^(b - out), not e^(a - out). The two agree only where a == b,
which is why a gradient check at a single symmetric point would have missed it.
"""
import math

import autograd


def logaddexp_derivatives(out, a, b):
    return autograd.exp(a - out), autograd.exp(b - out)


@autograd.op(derivatives=logaddexp_derivatives)
def logaddexp(a, b):
    big = max(a, b)
    return big + math.log(math.exp(a - big) + math.exp(b - big))
