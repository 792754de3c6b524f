"""Exercise 3: a neuron's gradients by hand, then confirmed with backward().

The neuron below has two inputs x0, x1, two weights w0, w1 and a bias b:

    n = w0*x0 + w1*x1 + b          (the weighted sum)
    o = tanh(n)                    (the activation)

The numbers are chosen so that n = ln 2 exactly, and tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 0.6.

Part 1 (pencil and paper). Fill in BY_HAND with the numbers do/dn, do/dw0, ... You need

    d/dn tanh(n) = 1 - tanh(n)^2        (= 1 - o^2)
    chain rule:  do/dw0 = do/dn · ∂n/∂w0,  and ∂n/∂w0 = x0  (the weighted sum is linear;
                 ∂n/∂w0, a partial derivative, is the slope of n in w0 alone)

Part 2 (code). Write with_backward(): build the same neuron from autograd Values, call
o.backward(), and return the gradients (the .grad of each Value) in a dict with the same keys.

Then run  python -m demos.exercises check 3
"""
import math

from autograd import Value

x0, x1 = 1.5, -2.0
w0, w1 = 0.5, 0.25
b = math.log(2) - 0.25       # so that n = 0.75 - 0.5 + b = ln 2

# TODO (part 1): replace each None by the number you computed by hand.
BY_HAND = {
    "do/dn": None,
    "do/dw0": None,
    "do/dw1": None,
    "do/dx0": None,
    "do/dx1": None,
    "do/db": None,
}


def with_backward():
    """Build the neuron from Values, run backward(), return {"do/dn": ..., "do/dw0": ..., ...}."""
    # TODO (part 2): make a Value for each number above, compute n and o = n.tanh(),
    # call o.backward(), and return the .grad of each in a dict with the keys of BY_HAND.
    raise NotImplementedError("TODO (exercise 3, part 2): write with_backward()")
