"""Exercise 7 (extra): backpropagate through a small graph by hand.

    a = 3,  b = -2,  c = 4
    e = a * b            (= -6)
    d = e + a            (= -3)     note: a is used twice, by e and by d
    L = d * c            (= -12)

Fill in GRADS with dL/dx for every node x, working backward from L, as backward() does:

    dL/dL = 1                                    (the seed)
    dL/dx = sum over every node y that uses x of   dL/dy · ∂y/∂x     (the chain rule)

∂y/∂x is the local derivative: how the op that made y changes with its input x alone (a partial
derivative), not the whole way from L. Local derivatives you need:  ∂(u * v)/∂u = v,
∂(u + v)/∂u = 1.
A node used twice (a) collects one term per use: that is why backward ADDS into .grad.

Then run  python -m demos.exercises check 7
When it passes, compare with what autograd.explain(L) shows for the same graph.
"""

# TODO: replace each None by the number dL/d(node).
GRADS = {
    "L": None,
    "d": None,
    "c": None,
    "e": None,
    "b": None,
    "a": None,
}
