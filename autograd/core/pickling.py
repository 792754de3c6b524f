"""Pickling and deep-copying Values and Ops: whole graphs, at any depth, without recursion.

A leaf pickles as its number, gradient and label. A node that an op made pickles as those plus its
`Op` and its inputs, so `backward()` works after a round trip. An op pickles by reference: the
module and name it is defined under (`autograd.math.basic.add`), or the call of the factory that
made it (`power_by(3.0)`), never as code.

Depth: pickle (and `copy.deepcopy`) follow a node's inputs by recursion, so a chain of 10,000 ops
would overflow Python's stack. So the Value pickled first (the root) lists the nodes it depends on
in topological order ahead of its own state ("warm-up"): pickle stores each of them once, inputs
before the nodes that use them, and each of them then stores its inputs as references to Values
already stored, one level deep. Which nodes are being stored this way is kept per thread
(`_PLAIN`), from the root's reduction until pickle has gone through its list (`_WarmUp`), and no
longer than pickle holds the list, so an error half-way leaves nothing behind. A listed node met
before its turn (a leaf's gradient that is that very node) is stored as a root of its own.

What a round trip keeps: every Value appears once in one pickle, whatever refers to it, as for any
Python object. A model's parameters inside a pickled loss are the very parameters of the model
pickled beside it; two losses sharing a hidden node share it after loading too. Hooks are not
pickled (functions of the session, as in torch).
"""
from __future__ import annotations

import importlib
import pickle
import sys
import threading
import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .op import Op
    from .value import Value


class _WarmUp:
    """The last item of a root's warm-up list. While it lives (pickle holds it until done, or
    drops it on an error), the nodes of the list are stored in their plain form; once pickle
    reaches it, the list is through. It holds the nodes, so their ids cannot be reused meanwhile."""

    __slots__ = ("nodes", "__weakref__")

    def __init__(self, nodes: list[Value]) -> None:
        self.nodes = nodes
        for node in nodes:
            _PLAIN.nodes[id(node)] = self

    def _done(self) -> tuple[()]:
        plain = _PLAIN.nodes
        for node in self.nodes:
            if plain.get(id(node)) is self:
                del plain[id(node)]
        return ()

    def __reduce__(self) -> tuple[Any, ...]:
        self._done()
        return (tuple, ())  # loads as ()

    def __deepcopy__(self, memo: dict[int, Any]) -> tuple[()]:
        return self._done()


class _Plain(threading.local):
    def __init__(self) -> None:
        # id(node) -> the warm-up storing it, for the nodes whose inputs are stored before them;
        # weak, so an entry goes with its warm-up even if pickle stops half-way (an error)
        self.nodes: weakref.WeakValueDictionary[int, _WarmUp] = weakref.WeakValueDictionary()


_PLAIN = _Plain()


def value_state(node: Value) -> tuple[Any, ...]:
    """What pickle stores for `node` (see `set_value_state` for the forms)."""
    if node._operation is None:  # a leaf; with its NO_GRAD mark if it needs no gradient
        if node._b is None:
            return (node._data, node.grad, node.label)
        return (node._data, node.grad, node.label, node._b)
    plain = _PLAIN.nodes
    if id(node) in plain:  # in a warm-up list
        del plain[id(node)]
        if not any(id(parent) in plain for parent in node.parents):  # its inputs are stored
            return (node._data, node.grad, node.label, node._operation, node._a, node._b)
        # reached before its turn (a leaf's gradient that is this node): a root of its own below
    from .backward import topological_order
    ancestors = [n for n in topological_order(node) if n._operation is not None]
    ancestors.pop()  # the node itself
    if not ancestors:
        return (node._data, node.grad, node.label, node._operation, node._a, node._b)
    return ((ancestors, _WarmUp(ancestors)), node._data, node.grad, node.label, node._operation,
            node._a, node._b)


def set_value_state(node: Value, state: tuple[Any, ...]) -> None:
    """Fill an empty node from `value_state`'s tuple: (data, grad, label) for a leaf, plus its
    NO_GRAD mark for a leaf that needs no gradient; (data, grad, label, op, a, b) for a node an op
    made, preceded by the warm-up list for a root."""
    if len(state) <= 4:
        node._data, node.grad, node.label = state[:3]
        node._operation = node._a = None
        node._b = state[3] if len(state) == 4 else None
        return
    if len(state) == 7:
        state = state[1:]  # the warm-up list: its nodes are filled in by now
    node._data, node.grad, node.label, node._operation, node._a, node._b = state


def reduce_value(node: Value) -> tuple[Any, ...]:
    return (empty_value, (type(node),), value_state(node))


def empty_value(kind: type[Value]) -> Value:
    """A node with no slot filled yet, for pickle to fill with `set_value_state`."""
    return object.__new__(kind)


# -- ops: by reference ----------------------------------------------------------------------------
def reduce_op(op: Op) -> tuple[Any, ...]:
    """How pickle stores an op: `(factory, args)` if a factory recorded itself (`made_by`), else a
    lookup of the module-level name the op is bound to."""
    recipe: tuple[Any, ...] | None = op.__dict__.get("_made_by")
    if recipe is not None:
        return recipe
    return (op_named, _where_defined(op))


def op_named(module: str, name: str) -> Op:
    """The op bound to `name` in `module` (how pickle finds an op again)."""
    found: Any = importlib.import_module(module)
    for part in name.split("."):
        found = getattr(found, part)
    op: Op = found
    return op


def _where_defined(op: Op) -> tuple[str, str]:
    """(module, name) under which `op` is a module-level name, found from its forward's module."""
    cached: tuple[str, str] | None = op.__dict__.get("_defined_as")
    if cached is not None:
        return cached
    forward = getattr(op.forward, "__wrapped__", op.forward)  # a custom op's checked forward
    module_name: str = getattr(forward, "__module__", None) or ""
    module = sys.modules.get(module_name)
    names = [getattr(forward, "__qualname__", "")] + (list(vars(module)) if module else [])
    for name in names:
        if name and module is not None and "<locals>" not in name:
            try:
                if op_named(module_name, name) is op:
                    op.__dict__["_defined_as"] = (module_name, name)
                    return module_name, name
            except (AttributeError, ImportError):
                continue
    raise pickle.PicklingError(
        f"the op {op.name!r} cannot be pickled: pickle stores an op as the module-level name it "
        f"is defined under, and this op has none (it was made inside a function, or by a "
        f"function that makes ops). Define it at module level (e.g. @autograd.op on a top-level "
        f"function), or have the function that makes it record itself with "
        f"op.made_by(function, *args)")
