"""Reverse mode: the chain rule over a graph of Values, from the output back to the inputs.

`backward()` visits the graph from the output back to the inputs and applies the chain rule:

    input.grad += output.grad * ∂output/∂input      for every edge input -> output

`reference_backward` below is the definition, written to be read: order the graph, then for each
node from the output back, one chain-rule step (`chain_rule_step`, micrograd's `_backward`). It is
what `explain()` and the step-through page show. `Value.backward()` runs the fast passes that follow
it in this file, which compute the very same floats (tests/test_fast_paths.py checks them against
the reference bit for bit, at 0, -0, subnormals, inf and nan).

How the engine stays fast in pure Python (the design choices, measured in benchmarks/engine.py):

- Nodes hold no closures: the chain-rule step lives once in the node's `Op`, shared by every node
  that op made.
- A node is ONE object. Its inputs sit in two slots instead of a tuple: `_a` and `_b` for the
  two inputs of `+ - * / **`, `_a` alone for a one-input op (`_b` is None), and for an op of more
  inputs (`sum`, `dot`) their tuple in `_a`. Half the objects of a node plus a tuple: less memory,
  half the work for the garbage collector, whose rescans of a large live graph are a big part of
  the cost of building one.
- `backward()` dispatches on that shape: one call of the op's `derivatives` per node, no list or
  zip built for it. An op of many inputs may add a fast `backward` beside its `derivatives`
  (`dot`, `sum`), checked bit for bit against them by the tests. A dot whose gradient is exactly
  0 with a finite output skips its inputs (each contribution would be a zero that changes no
  sum), and `dot(..., relu=True)` makes a ReLU neuron one node: in a ReLU network most neurons are
  inactive for a given sample, and their whole backward step is then one comparison.
- Numbers that need no gradient (`requires_grad=False`: nn makes the numbers fed to a model so)
  are known when a dot node is made: a dot whose xs are all such numbers gets a backward that
  skips them, half of a first layer's backward (the dot ops of `math/basic.py`). Their `.grad` is
  None; the search below gives each None-gradient leaf a 0.0 for the pass (so a user's
  `p.grad = None` starts afresh, as in torch) and backward puts None back on those that need none.
- The search for the nodes to visit is written for backward: it never pushes leaves (they have
  nothing to pass on), and it marks a node as seen by resetting its gradient to the zero made for
  this pass, so no dictionary of visited nodes is built. It visits exactly the nodes the output
  depends on (a node that does not feed the output never touches a gradient), in the same
  depth-first order as `topological_order`, so `explain()` and the step page show the steps in the
  order backward takes them, and each node's gradient contributions are added in that order.
  (Replaying a tape of nodes in reverse creation order, PyTorch's order, would save the search but
  cost a sequence number per node or a tape holding every node alive, and would still need this
  reachability to be exact.)
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import value as _value  # value.py imports this module: its names are read at call time
from .anomaly import check_backward
from .modes import MODE

if TYPE_CHECKING:
    from .value import Value


# -- the definition --------------------------------------------------------------------------------
def chain_rule_step(node: Value) -> tuple[Any, ...]:
    """One step of backpropagation at `node`: add `node.grad * ∂node/∂input` into each input's grad.

    This is micrograd's `node._backward()`. The node's `Op` gives the local derivatives at the
    numbers of this forward pass, one per input; a partial of None means no gradient flows to that
    input here (relu at x <= 0), so nothing is added. A partial `Over(d)` divides: `grad / d`.
    An input whose `.grad` is None starts from 0, unless it needs no gradient
    (`requires_grad=False`): it then gets nothing.

    Returns:
        The partial derivatives used, one per input (for explanations).
    """
    parents = node.parents
    partials = node._operation.derivatives(node._data, *[p._data for p in parents])
    for parent, partial in zip(parents, partials):
        if partial is None:
            continue
        if parent.grad is None:  # a leaf with no gradient yet, or one that needs none
            if not parent.requires_grad:
                continue
            parent.grad = 0.0
        parent.grad += node.grad * partial
    return tuple(partials)


def reference_backward(root: Value, gradient: float = 1.0,
                       on_step: Callable[[Value, tuple[Any, ...]], None] | None = None) -> None:
    """Backpropagation in a dozen lines: the definition the fast passes below are measured against.

    1. Order the graph so that every node comes after all of its inputs (`topological_order`).
    2. Reset the gradients of the nodes ops made; leaves (inputs, parameters) keep theirs, so
       gradients accumulate across calls, as in PyTorch.
    3. Seed the output: ∂root/∂root = 1 (or `gradient`).
    4. Walk the order backwards: each node has then received the gradient from every node that
       uses it, and passes it on to its inputs with one chain-rule step.

    Args:
        root: the output L.
        gradient: the seed ∂L/∂root.
        on_step: called as `on_step(node, partials)` after each node's step, for every node in the
            order it is taken (leaves too, with no partials): explanations record the steps here.
    """
    order = topological_order(root)
    for node in order:
        if not node.is_leaf:
            node.grad = 0.0
    root.grad = gradient if not root.is_leaf else root.grad + gradient
    for node in reversed(order):
        partials = () if node.is_leaf else chain_rule_step(node)
        if on_step is not None:
            on_step(node, partials)




def topological_order(root: Value) -> list[Value]:
    """Every Value that `root` depends on, each listed after all of its parents (root last).

    A depth-first search written with an explicit stack instead of recursion, so that a chain of a
    million nodes does not overflow Python's call stack. A node met on top of the stack for the
    first time pushes its parents and stays; met again, all of its parents are finished, so it is
    appended.
    """
    if not isinstance(root, _value.Value):
        raise TypeError(f"topological_order needs a Value, got {type(root).__name__}: {root!r}")
    order: list[Value] = []
    finished: dict[Value, bool] = {}  # False while the node's parents are being visited
    stack = [root]
    while stack:
        node = stack[-1]
        state = finished.get(node)
        if state is None:
            finished[node] = False
            for parent in node.parents:
                if parent not in finished:
                    stack.append(parent)
        else:
            stack.pop()
            if state is False:  # not a leftover duplicate of a node already placed
                finished[node] = True
                order.append(node)
    return order


# -- the fast passes: the same floats, computed faster ---------------------------------------------
_DONE = object()  # on the search's stack: the node below it has had all its parents placed


def backward_order(root: Value, started: list[Value] | None = None) -> list[Value]:
    """The nodes (not leaves) that `root` depends on, parents before children, grads reset to 0.

    The order of `topological_order` without its leaves. A node is marked as seen by setting its
    grad to `zero`, a float made for this pass: `is` tells it apart from every other 0.0, so no set
    of visited nodes is needed, and the reset backward needs anyway comes for free.

    A leaf whose grad is None (no gradient yet, or one that needs none: requires_grad=False) is
    given 0.0, so that the passes can add into it, and listed in `started`: backward sets those
    that need no gradient back to None afterwards.
    """
    if started is None:
        started = []
    start = started.append
    zero = float("0")  # a new object, unlike the constant 0.0
    order: list[Value] = []
    stack: list[Any] = [root]  # nodes, and _DONE markers
    push, pop, place = stack.append, stack.pop, order.append
    while stack:
        node = pop()
        if node is _DONE:
            place(pop())
            continue
        if node.grad is zero:  # pushed twice before it was reached: already placed
            continue
        node.grad = zero
        push(node)
        push(_DONE)
        a, b = node._a, node._b
        if b is not None:
            if a._operation is not None:
                if a.grad is not zero:
                    push(a)
            elif a.grad is None:
                a.grad = 0.0
                start(a)
            if b._operation is not None:
                if b.grad is not zero:
                    push(b)
            elif b.grad is None:
                b.grad = 0.0
                start(b)
        elif type(a) is not tuple:
            if a._operation is not None:
                if a.grad is not zero:
                    push(a)
            elif a.grad is None:
                a.grad = 0.0
                start(a)
        else:
            for parent in a:
                if parent._operation is not None:
                    if parent.grad is not zero:
                        push(parent)
                elif parent.grad is None:
                    parent.grad = 0.0
                    start(parent)
    return order


def backprop_floats(order: list[Value]) -> None:
    """The chain rule on plain floats: the fast path, no graph is built.

    Each node is handled by the shape of its inputs (two, one, many), so the op's `derivatives` is
    called on the numbers directly; an op with a fast `backward` does the whole step itself.
    """
    check = MODE.anomaly
    for node in reversed(order):
        op = node._operation
        g = node.grad
        a, b = node._a, node._b
        if op.backward is not None:
            op.backward(g, node._data, a if type(a) is tuple else node.parents)
        elif b is not None:
            d_a, d_b = op.derivatives(node._data, a._data, b._data)
            if d_a is not None:  # None: no gradient flows to this input (see Op)
                a.grad += g * d_a
            if d_b is not None:
                b.grad += g * d_b
        elif type(a) is not tuple:
            (d,) = op.derivatives(node._data, a._data)
            if d is not None:
                a.grad += g * d
        else:
            for parent, d in zip(a, op.derivatives(node._data, *[p._data for p in a])):
                if d is not None:
                    parent.grad += g * d
        if check:
            check_backward(node)


def backprop_values(order: list[Value]) -> None:
    """The chain rule on Values: every gradient is itself a node of a new graph."""
    check = MODE.anomaly
    for node in reversed(order):
        parents = node.parents
        g = node.grad
        partials = node._operation.derivatives(node, *parents)
        for parent, d in zip(parents, partials):
            if d is None:
                continue
            contribution = g if type(d) is float and d == 1.0 else g * d
            old = parent.grad
            parent.grad = contribution if type(old) is float and old == 0.0 else old + contribution
        if check:
            check_backward(node)
