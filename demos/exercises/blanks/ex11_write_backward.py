"""Exercise 11 (core): write backward() itself.

The Value class below is micrograd's, complete except for backward(). Every node already knows its
local step: its _backward adds (its .grad times the local derivative) into its inputs' .grad. What
is missing is the loop that runs those steps in the right order:

  1. a topological order of the graph: every node after all the nodes it was made from
     (its ._prev). Walk from self to the leaves, and append a node once all its inputs are in;
     visit each node once (a visited set), even when it is used twice;
  2. the seed: self.grad = 1.0, since dL/dL = 1;
  3. the chain rule, one step per node, in REVERSE topological order: call node._backward().
     Reverse order means a node runs only after every node that uses it (its consumers) has
     added its contribution into its .grad.

Why not simply recurse, self._backward() and then each input's backward()? Try it on the graph
b = a * 2, c = a * b, L = b + c (a and b are each used twice) and compare with this order.
And mind deep graphs: Python allows about 1000 nested calls, so a recursive topological sort fails
on a chain of 3000 nodes. Keep the nodes still to visit on a list (a stack) instead.

TODO: write backward(), then run  python -m demos.exercises check 11
The checker builds graphs with shared nodes, and a chain 3000 nodes deep, with your Value class and
compares every node's .grad with the right one.
"""
import math


class Value:
    """A number in a computation graph, with its gradient."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def backward(self):
        """Set .grad = dL/d(node) for every node self depends on (L = self)."""
        # TODO: a topological order (no recursion), the seed, then _backward() in reverse order
        raise NotImplementedError("TODO (exercise 11): write backward()")

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data ** other.data, (self, other), "**")

        def _backward():
            self.grad += other.data * self.data ** (other.data - 1) * out.grad
            if self.data > 0:
                other.grad += out.data * math.log(self.data) * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1 - out.data ** 2) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other ** -1

    def __rtruediv__(self, other):
        return other * self ** -1
