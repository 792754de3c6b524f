"""micrograd's way of writing an op, on chainrule's nodes: `Value(t, (x,), 'tanh')` plus a closure.

micrograd (and its lecture) defines an op by building the output by hand and giving it a closure
that does the op's chain-rule step:

    out = Value(math.tanh(x.data), (x,), 'tanh')
    def _backward():
        x.grad += (1 - out.data ** 2) * out.grad
    out._backward = _backward

Such a node gets its own `ClosureOp`, whose fast backward runs the closure, so `backward()` goes
through it like any node. Pictures and explanations want the local derivatives as numbers: the
closure gives them when asked (`ClosureOp.derivatives` runs it once with the node's gradient set
to 1 and its inputs' to 0, reads what arrived, and puts every gradient back).

`node._backward` of any other node is its `Op`'s chain-rule step (`chain_rule_step`).
"""
from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from .backward import chain_rule_step
from .op import Op
from .value import Value, attach


def _nothing() -> None:
    """micrograd's `_backward` of a leaf: nothing to pass on."""


class ClosureOp(Op):
    """The op of one node made micrograd's way: its `_backward` closure is its chain-rule step.

    Args:
        node: the node (held weakly: the node holds its op).
        name: micrograd's op string ('tanh', ...), shown in pictures.
    """

    def __init__(self, node: Value, name: str) -> None:
        # Op's fields set here rather than by Op.__init__, whose bound methods would make a cycle
        self.name = self.__name__ = name
        self.__doc__ = f"an op written micrograd's way ({name!r}): its node's _backward closure"
        self.closure: Callable[[], None] = _nothing
        self._node = weakref.ref(node)

    def forward(self, *xs: float) -> float:
        raise TypeError(f"the op {self.name!r} was written micrograd's way, as one node with a "
                        f"_backward closure: it has no forward to run on other numbers; "
                        f"define it with autograd.op to reuse it")

    def backward(self, g: float, out: float, inputs: tuple[Value, ...]) -> None:
        self.closure()  # the closure reads out.grad (g) itself and adds into its inputs

    def derivatives(self, out: Any, *xs: Any) -> tuple[Any, ...]:
        node = self._node()
        if isinstance(out, Value) or node is None:
            raise TypeError(f"backward(create_graph=True) cannot go through the op {self.name!r}: "
                            f"it was written micrograd's way, with a _backward closure on floats, "
                            f"so its derivatives are not functions that can be differentiated; "
                            f"define it with autograd.op(derivatives=...) for that")
        return probe(node, self.closure)

    def __repr__(self) -> str:
        return f"<op {self.name} (micrograd-style _backward)>"

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError(self._not_copied())

    def __deepcopy__(self, memo: dict[int, Any]) -> Op:  # not Op's, which shares the op: a copy
        raise TypeError(self._not_copied())                # would run the original's closure

    def _not_copied(self) -> str:
        return (f"a node written micrograd's way ({self.name!r}, with a _backward closure) cannot "
                f"be pickled or deep-copied: the closure refers to the original nodes. Define the "
                f"op with autograd.op(derivatives=...) instead")


def probe(node: Value, closure: Callable[[], None]) -> tuple[float, ...]:
    """∂node/∂input for each input, read off the closure: run it once with node.grad = 1 and the
    inputs' grads at 0, then put every gradient back as it was. An input that appears twice gets
    the whole derivative at its first place and 0 at the others."""
    parents = node.parents
    unique = list(dict.fromkeys(parents))
    saved = [(v, v.grad) for v in [node, *unique]]
    try:
        for v in unique:
            v.grad = 0.0
        node.grad = 1.0
        closure()
        read = {v: float(v.grad) for v in unique}
    finally:
        for v, g in saved:
            v.grad = g
    partials = []
    for p in parents:
        partials.append(read.pop(p, 0.0))
    return tuple(partials)


def made_micrograd_style(node: Value, children: Any, op_string: str) -> None:
    """Make `node` the output of a micrograd-style op on `children` (Value's `_children`, `_op`)."""
    try:
        inputs = tuple(children)
    except TypeError:
        raise TypeError(f"Value(data, _children, _op): _children is the inputs, a tuple of Values "
                        f"as micrograd writes it (Value(t, (x,), 'tanh')), got "
                        f"{type(children).__name__}: {children!r:.60}") from None
    for k, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"Value(data, _children, _op): input {k} of _children is "
                            f"{type(x).__name__} {x!r:.60}, not a Value")
    if not isinstance(op_string, str):
        raise TypeError(f"Value(data, _children, _op): _op is the op's symbol as text, got "
                        f"{type(op_string).__name__}: {op_string!r:.60}")
    attach(node, ClosureOp(node, op_string), inputs)


def backward_step(node: Value) -> Callable[[], None]:
    """What `node._backward` gives: a function doing the node's chain-rule step (micrograd's)."""
    op = node._operation
    if op is None:
        return _nothing
    if isinstance(op, ClosureOp):
        return op.closure

    def _backward() -> None:
        chain_rule_step(node)

    return _backward


def set_backward(node: Value, closure: Callable[[], None]) -> None:
    """`node._backward = closure`: the closure becomes the node's chain-rule step."""
    if not callable(closure):
        raise TypeError(f"_backward is the node's chain-rule step, a function of no arguments, "
                        f"got {type(closure).__name__}: {closure!r:.60}")
    op = node._operation
    if op is None:
        raise TypeError("this Value is a leaf, with no inputs to pass a gradient to: make the "
                        "node with its inputs first, micrograd's way, "
                        "out = Value(t, (x,), 'tanh'), then set out._backward")
    if not isinstance(op, ClosureOp):  # an op's node given a closure instead: keep its inputs
        new = ClosureOp(node, op.name)
        attach(node, new, node.parents)
        op = new
    op.closure = closure
