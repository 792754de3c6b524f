"""Gradient hooks (`Value.register_hook`): the registry and the backward pass that calls them."""
from __future__ import annotations

import weakref
from collections.abc import Callable
from numbers import Real
from typing import TYPE_CHECKING, Any

from .anomaly import describe

if TYPE_CHECKING:
    from .value import Value


# Value -> its hooks, in the order registered. Weak keys: a hook goes with its Value, except when
# the hook refers to that Value itself (the registry then keeps both until remove()).
HOOKS: weakref.WeakKeyDictionary[Value, list[Callable[[Any], Any]]] = weakref.WeakKeyDictionary()


class HookHandle:
    """What `Value.register_hook` returns: `remove()` unregisters the hook (torch's handle)."""

    def __init__(self, node: Value, hook: Callable[[Any], Any]) -> None:
        self._node = weakref.ref(node)
        self._hook = hook
        HOOKS.setdefault(node, []).append(hook)

    def remove(self) -> None:
        """Unregister the hook; removing it twice does nothing."""
        node = self._node()
        if node is None:
            return
        hooks = HOOKS.get(node)
        if hooks and self._hook in hooks:
            hooks.remove(self._hook)
            if not hooks:
                del HOOKS[node]

    def __enter__(self) -> HookHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()


def call_hooks(node: Value, g: Any, create_graph: bool) -> Any:
    for hook in list(HOOKS.get(node, ())):
        replacement = hook(g)
        if replacement is None:
            continue
        if isinstance(replacement, type(node)):  # a Value (this module sits below value.py)
            g = replacement if create_graph else replacement._data
        elif isinstance(replacement, Real) and _fits_a_float(replacement):
            g = float(replacement)
        else:
            raise TypeError(f"the hook {hook!r:.60} on {describe(node)} returned "
                            f"{type(replacement).__name__}: {replacement!r:.60}; a hook returns "
                            f"None (keep the gradient) or the gradient to use instead, a number or "
                            f"a Value")
    return g


def backprop_with_hooks(order: list[Value], run: Callable[[list[Value]], None],
                         create_graph: bool) -> None:
    """The same pass one node at a time, calling the hooks of the nodes and leaves that have them.

    Slower, which is why backward takes this path only while some Value has a hook. A hooked
    leaf's contributions of this pass are gathered apart, from -0.0 (x + -0.0 is x for every x, so
    a first -0.0 stays -0.0, as in torch), then handed to its hooks, then added to `.grad`. As in
    torch, a leaf's hooks run as soon as its gradient is complete: right after the last node that
    uses it; the leaves of one node in the order of the node's inputs (so for `x0 + x1 + ... + x5`
    the hooks run from x5 down to x0, as torch's). A leaf reached only through masks (relu at
    x <= 0) is called with 0.0. If a hook raises, the leaves not yet done keep their `.grad`.
    """
    nodes = order[::-1]
    last: dict[Value, int] = {}  # hooked leaf -> where the last node that uses it is in `nodes`
    for i, node in enumerate(nodes):
        for p in node.parents:
            if p._operation is None and p in HOOKS:
                last[p] = i
    due = {i: [p for p in dict.fromkeys(nodes[i].parents) if last.get(p) == i]
           for i in set(last.values())}  # where in `nodes` -> the leaves complete after it
    start = -float("0")  # a fresh object: `is start` tells that nothing arrived
    saved = {leaf: leaf.grad for leaf in last}
    for leaf in saved:
        leaf.grad = start
    try:
        for i, node in enumerate(nodes):
            if node in HOOKS:
                node.grad = call_hooks(node, node.grad, create_graph)
            run([node])
            for leaf in due.get(i, ()):
                g = leaf.grad
                g = call_hooks(leaf, 0.0 if g is start else g, create_graph)
                old = saved.pop(leaf)
                leaf.grad = g if type(old) is float and old == 0.0 else old + g
    finally:
        for leaf, old in saved.items():
            leaf.grad = old


def _fits_a_float(x: Real) -> bool:
    try:
        float(x)
    except OverflowError:
        return False
    return True
