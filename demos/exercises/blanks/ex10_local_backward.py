"""Exercise 10 (core): give each node its local backward, the micrograd way.

Below is a whole autograd engine in 60 lines, micrograd's: a Value holds a number (.data), its
gradient (.grad, dL/d this node), the nodes it was made from (._prev), and a function _backward
that, once this node's .grad is known, passes the gradient on to its inputs. backward() (given)
sets the seed dL/dL = 1 and calls every node's _backward, from the output back to the leaves.

exp's _backward is written for you: for out = exp(x), d out/dx = exp(x) = out.data, so

    self.grad += out.data * out.grad          # the local derivative times dL/d out

Two rules to keep in every _backward:
  * multiply the local derivative by out.grad (the chain rule: dL/dx = dL/d out · d out/dx);
  * ADD into .grad (+=), never assign: a node used twice, as in a + a or a * a, or feeding two
    other nodes, collects one contribution from each use.

TODO: write the _backward of __add__, __mul__, __pow__ and tanh. The local derivatives:

    out = a + b     d out/da = 1,                  d out/db = 1
    out = a * b     d out/da = b,                  d out/db = a
    out = a ** b    d out/da = b · a^(b - 1),      d out/db = a^b · ln(a)   (b a Value too)
    out = tanh(a)   d out/da = 1 - tanh(a)^2 = 1 - out.data^2

Then run  python -m demos.exercises check 10
The checker builds small graphs with your Value class (a node used twice, a neuron, ...), runs
backward() and compares every node's .grad with the right one.
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

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            # TODO: add out.grad times d out/d self into self.grad, and the same for other
            raise NotImplementedError("TODO (exercise 10): write __add__'s _backward")
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            # TODO
            raise NotImplementedError("TODO (exercise 10): write __mul__'s _backward")
        out._backward = _backward
        return out

    def __pow__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data ** other.data, (self, other), "**")

        def _backward():
            # TODO: both: self (the base) and other (the exponent, ln needs self.data > 0)
            raise NotImplementedError("TODO (exercise 10): write __pow__'s _backward")
        out._backward = _backward
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            # TODO
            raise NotImplementedError("TODO (exercise 10): write tanh's _backward")
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def backward(self):
        """dL/d(node) for every node this Value depends on: the seed, then each node's
        _backward in reverse topological order (see exercise 11)."""
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()

    # the rest is made of the ops above
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
