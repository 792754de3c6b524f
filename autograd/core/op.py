"""What an op is (`Op`: a forward on floats and its local derivatives) and how it becomes a node."""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

from .anomaly import check_forward
from .modes import MODE
from .pickling import reduce_op
from .value import Value, as_float

_new = object.__new__


class Over:
    """A partial derivative 1 / den that the engine applies by dividing: `g / den`, not `g * (1/den)`.

    Where an op's derivative is a reciprocal, PyTorch divides the incoming gradient by the divisor
    (log x: grad / x; a / b: grad / b; sqrt x: grad / (2 sqrt x)). Dividing keeps a subnormal divisor
    from overflowing: with x = 1e-310, 1 / x is inf, but 1e-10 / x is 1e300. A `derivatives`
    function returns `Over(den)` for such a partial; `den` is a float or, in a create_graph pass, a
    Value (the division is then a node of the graph, as any other contribution).
    """

    __slots__ = ("den",)

    def __init__(self, den: Any) -> None:
        self.den = den

    def __rmul__(self, g: Any) -> Any:  # `g * partial` in the backward passes means g / den
        try:
            return g / self.den
        except ZeroDivisionError:  # a float divided by +-0.0, as IEEE: +-inf, or nan for 0 or nan
            return g * math.copysign(math.inf, self.den)

    def __float__(self) -> float:  # the partial as a number, for explanations
        den = float(self.den)
        return 1.0 / den if den else math.copysign(math.inf, den)

    def __repr__(self) -> str:
        return f"Over({self.den!r})"


class Op:
    """A differentiable operation: a name, a forward on floats, and its local derivatives.

    Args:
        name: shown in graph pictures and explanations ("+", "tanh", ...).
        forward: `forward(*xs: float) -> float`, the op on plain numbers.
        derivatives: `derivatives(out, *xs) -> tuple`, one partial derivative d(out)/d(x_i) per
            input, or None for an input that gets no gradient at that point: the engine then
            passes nothing on instead of multiplying (PyTorch masks this way, e.g. relu at x <= 0,
            so an inf or nan gradient from above does not leak through a zero slope). It is written
            with ordinary arithmetic and autograd's functions (`exp`, `div`, ...), so the same code
            runs on floats in a plain backward pass and on Values when `backward(create_graph=True)`
            builds the graph of the derivatives. A partial that is a reciprocal 1/d is given as
            `Over(d)`, so the engine divides the incoming gradient by d, as PyTorch does (see Over).
        doc: the docstring (default: the forward's).
        backward: optional, a fast path for the float backward pass, worth it for ops of many
            inputs: `backward(g, out, inputs)` gets the node's gradient `g`, its output `out` (a
            float) and its input Values, and adds `g * d` to `input.grad` for each input's partial
            `d` in the order of `inputs`, skipping the inputs whose partial is None. It must give
            exactly the floats the generic rule `g * derivatives(...)[i]` gives: the tests check
            every op's fast path bit for bit against its `derivatives` (tests/test_fast_paths.py
            finds the ops by themselves). `derivatives` stays the definition: explanations and
            `create_graph` use it.

    Calling an Op applies it: with any Value among the arguments the result is a Value in the graph;
    with plain numbers only it is a plain float.
    """

    def __init__(self, name: str, forward: Callable[..., float],
                 derivatives: Callable[..., Sequence[Any]], doc: str | None = None,
                 backward: Callable[[float, float, tuple], None] | None = None) -> None:
        self.name = name
        self.forward = forward
        self.derivatives = derivatives
        self.backward = backward
        self.__name__ = name
        self.__doc__ = doc or forward.__doc__

    def __call__(self, *args: Any) -> Any:
        for a in args:
            if isinstance(a, Value):
                return apply(self, tuple(a if isinstance(a, Value) else Value(a) for a in args))
        return self.forward(*[as_float(a) for a in args])

    def __repr__(self) -> str:
        return f"<op {self.name}>"

    # -- pickle and copy: an op is a definition, shared, never copied ------------------------------
    def __reduce__(self) -> tuple:
        """Pickled by reference: as the module-level name it is bound to, or as the call of the
        function that made it (see `made_by`); an op made inside a function cannot be pickled."""
        return reduce_op(self)

    def __copy__(self) -> "Op":
        return self

    def __deepcopy__(self, memo: dict) -> "Op":
        return self

    def made_by(self, factory: Callable[..., "Op"], *args: Any) -> "Op":
        """Record that `factory(*args)` returns this op, so that pickle stores that call.

        For ops made by a function, one per setting (`power_by(c)`, `leaky_relu_by(slope)`): such
        an op has no module-level name to be found by. `factory` must itself be a module-level
        function, and the args picklable. Returns the op, so a factory ends with
        `return Op(...).made_by(factory, arg)`.
        """
        self._made_by = (factory, args)
        return self


def apply(op: Op, inputs: tuple[Value, ...], data: float | None = None) -> Value:
    """Run `op` forward on the inputs' numbers and return the result as a new node.

    `data`, when given, is the op's output already computed from the inputs (by an op that reads
    the Values' numbers faster than a call of `forward` with them). Inside `no_grad()` (of this
    thread) the result is a leaf: it records no inputs, so no graph is kept.
    """
    if len(inputs) == 2:
        a, b = inputs
        if data is None:
            data = op.forward(a._data, b._data)
    elif len(inputs) == 1:
        a, b = inputs[0], None
        if data is None:
            data = op.forward(a._data)
    else:
        a, b = inputs, None
        if data is None:
            data = op.forward(*[x._data for x in inputs])
    node = _new(Value)
    node._data = data
    node.grad = 0.0
    node.label = ""
    if MODE.graph:
        node._operation = op
        node._a = a
        node._b = b
    else:
        node._operation = node._a = node._b = None
    if MODE.slow:  # some thread has a switch off its default: read this thread's own
        here = MODE.thread
        if not here.graph:
            node._operation = node._a = node._b = None
        if here.anomaly:
            check_forward(op, inputs, data)
        if here.scopes is not None:
            here.scopes.record(node)
    return node


def attach(node: Value, op: Op, inputs: tuple[Value, ...]) -> None:
    """Make `node` the output of `op` on `inputs` after the fact (its data is left as it is)."""
    node._operation = op
    node._a, node._b = (inputs if len(inputs) == 2 else
                        (inputs[0], None) if len(inputs) == 1 else (inputs, None))
