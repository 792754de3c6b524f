"""Solution to exercise 3 (the task is in demos/exercises/ex3_neuron_by_hand.py)."""
import math

from autograd import Value

x1, x2 = 1.5, -2.0
w1, w2 = 0.5, 0.25
b = math.log(2) - 0.25

# o = 0.6, so do/dn = 1 - 0.36 = 0.64; then multiply by dn/d(each) = the other factor (1 for b).
BY_HAND = {
    "do/dn": 0.64,
    "do/dw1": 0.64 * 1.5,
    "do/dw2": 0.64 * -2.0,
    "do/dx1": 0.64 * 0.5,
    "do/dx2": 0.64 * 0.25,
    "do/db": 0.64,
}


def with_backward():
    vx1, vx2, vw1, vw2, vb = Value(x1), Value(x2), Value(w1), Value(w2), Value(b)
    n = vw1 * vx1 + vw2 * vx2 + vb
    o = n.tanh()
    o.backward()
    return {"do/dn": n.grad, "do/dw1": vw1.grad, "do/dw2": vw2.grad,
            "do/dx1": vx1.grad, "do/dx2": vx2.grad, "do/db": vb.grad}
