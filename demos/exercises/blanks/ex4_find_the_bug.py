"""Exercise 4: find the bug in a broken backward.

logaddexp(a, b) = log(e^a + e^b) is a "soft maximum" of a and b (it is how softmax and
cross-entropy are computed without overflow). Below it is a custom op: the forward on floats, and
the derivatives function that gives backward its local derivatives

    (d out / da,  d out / db)

One of them is wrong. The code runs, the loss goes down a bit, nothing crashes: the classic
backprop bug, which only a gradient check finds. Run

    python -m demos.exercises check 4

read gradcheck's table (which input's derivative is wrong, at which point, by how much), derive
both partial derivatives yourself, and fix the derivatives function (leave the forward alone).
Useful: d/da log(u) = (du/da) / u, d/da e^a = e^a, and e^a / (e^a + e^b) = e^(a - out).
Why does the check pass at some points and not at others?
"""
import math

import autograd


def logaddexp_derivatives(out, a, b):
    """(d out/da, d out/db) for out = log(e^a + e^b)."""
    # d out/da = e^a / (e^a + e^b) = e^(a - out): stable, as out >= a
    return autograd.exp(a - out), autograd.exp(a - out)


@autograd.op(derivatives=logaddexp_derivatives)
def logaddexp(a, b):
    """log(e^a + e^b), computed without overflow: the larger of a, b is taken out first."""
    big = max(a, b)
    return big + math.log(math.exp(a - big) + math.exp(b - big))
