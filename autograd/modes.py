"""Global switches that change how ops behave: graph building on/off, anomaly checks.

`no_grad()` turns graph building off (inference, optimizer updates); `detect_anomaly()` makes the
first op that produces nan or inf raise. Both are context managers and decorators, and both nest.
The state is process-wide (not per thread), which is what a REPL or a notebook needs.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _Mode:
    """The switches every op reads. One object, so an op pays a single attribute look-up."""

    __slots__ = ("graph", "anomaly", "scopes", "slow")

    def __init__(self) -> None:
        self.graph = True  # record parents and ops, so backward() can run
        self.anomaly = False  # check every forward and backward result for nan/inf
        self.scopes: list | None = None  # [recordings, open scope path] while record_scopes() runs
        self.slow = False  # anomaly or scopes: the one flag the hot path reads

    def refresh(self) -> None:
        self.slow = self.anomaly or self.scopes is not None


MODE = _Mode()


class _Switch:
    """A context manager and decorator that sets one attribute of MODE and restores it after."""

    _name = ""
    _value = False

    def __enter__(self) -> "_Switch":
        self._saved = getattr(MODE, self._name)
        setattr(MODE, self._name, self._value)
        MODE.refresh()
        return self

    def __exit__(self, *exc_info: object) -> None:
        setattr(MODE, self._name, self._saved)
        MODE.refresh()

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with type(self)():
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_Switch):
    """Build no graph: ops return plain leaf Values with no parents.

    Use it for evaluation and for updating parameters, as with `torch.no_grad()`::

        with no_grad():
            for p in model.parameters():
                p.data -= lr * p.grad
    """

    _name = "graph"
    _value = False


class enable_grad(_Switch):
    """Build the graph again inside a `no_grad()` block (as `torch.enable_grad()`)."""

    _name = "graph"
    _value = True


class detect_anomaly(_Switch):
    """Raise `FloatingPointError` at the first op whose forward or backward gives nan or inf.

    The message names the op, its inputs and the expression that led to them, so the source of a
    nan in a long training run can be found. Slower: every result is checked.
    """

    _name = "anomaly"
    _value = True


def is_grad_enabled() -> bool:
    """True when ops record the graph (outside `no_grad()`)."""
    return MODE.graph


class record_scopes:
    """Record which `scope` made each node created inside this block.

    Yields a dict {node: (outermost scope key, ..., innermost)} filled as ops run; nodes made
    outside every scope are not in it. Graph pictures use it to group a network's nodes by the
    module (layer, neuron) that made them::

        with record_scopes() as scopes:
            with scope("layer 1"):
                h = (w * x + b).relu()
        scopes[h]  # ('layer 1',)

    Costs nothing when not recording: `scope()` then does nothing.
    """

    def __enter__(self) -> dict:
        self._saved = MODE.scopes
        self.nodes: dict = {}
        MODE.scopes = [self.nodes, ()]
        MODE.refresh()
        return self.nodes

    def __exit__(self, *exc_info: object) -> None:
        MODE.scopes = self._saved
        MODE.refresh()


class scope:
    """Tag the nodes created inside this block with `key` (any hashable: a name, a module).

    Scopes nest; the tags are seen only by an enclosing `record_scopes()`, and without one this is a
    no-op, so library code (a layer's forward) can always open a scope at no real cost.
    """

    __slots__ = ("key", "_saved")

    def __init__(self, key: Any) -> None:
        self.key = key

    def __enter__(self) -> "scope":
        if MODE.scopes is not None:
            self._saved = MODE.scopes[1]
            MODE.scopes[1] = self._saved + (self.key,)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if MODE.scopes is not None and hasattr(self, "_saved"):
            MODE.scopes[1] = self._saved


def is_recording_scopes() -> bool:
    """True inside `record_scopes()`: callers may skip opening scopes when this is False."""
    return MODE.scopes is not None
