"""Solution to exercise 3 (the task is in demos/exercises/ex3_neuron_by_hand.py)."""
import math

from autograd import Value

x0, x1 = 1.5, -2.0
w0, w1 = 0.5, 0.25
b = math.log(2) - 0.25

# o = 0.6, so do/dn = 1 - 0.36 = 0.64; then multiply by dn/d(each) = the other factor (1 for b).
BY_HAND = {
    "do/dn": 0.64,
    "do/dw0": 0.64 * 1.5,
    "do/dw1": 0.64 * -2.0,
    "do/dx0": 0.64 * 0.5,
    "do/dx1": 0.64 * 0.25,
    "do/db": 0.64,
}


def with_backward():
    vx1, vx2, vw1, vw2, vb = Value(x0), Value(x1), Value(w0), Value(w1), Value(b)
    n = vw1 * vx1 + vw2 * vx2 + vb
    o = n.tanh()
    o.backward()
    return {"do/dn": n.grad, "do/dw0": vw1.grad, "do/dw1": vw2.grad,
            "do/dx0": vx1.grad, "do/dx1": vx2.grad, "do/db": vb.grad}
