"""Switches that change how ops behave: graph building on/off, anomaly checks, scope recording.

`no_grad()` turns graph building off (inference, optimizer updates); `detect_anomaly()` makes the
first op that produces nan or inf raise; `record_scopes()` notes which `scope` made each node. All
are context managers and decorators, and all nest.

Every switch is per thread, as PyTorch's grad mode is: a background thread evaluating inside
`no_grad()` does not stop the main thread's training from building its graph, and a new thread
starts with the defaults (graph on, no anomaly checks, no recording), whatever its parent had.

Cost: every op reads two flags shared by all threads, `MODE.graph` (always True: the graph is
recorded unless this thread says otherwise) and `MODE.slow` (True while any thread has some switch
away from its default). Only then does an op look up its own thread's switches (`MODE.thread`, a
`threading.local`, several times slower to read than a plain attribute). So the hot path, building a
graph with every switch at its default, costs what it did before the switches were per thread.
"""
from __future__ import annotations

import functools
import inspect
import threading
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _ThreadSwitches(threading.local):
    """One thread's switches; `__init__` runs again, with the defaults, in each new thread."""

    def __init__(self) -> None:
        self.graph = True  # record parents and ops, so backward() can run
        self.anomaly = False  # check every forward and backward result for nan/inf
        self.scopes: Recording | None = None  # the innermost record_scopes() of this thread

    def is_default(self) -> bool:
        return self.graph and not self.anomaly and self.scopes is None


class _Mode:
    """What every op reads: the shared flags `graph` and `slow`, and `thread` for the details."""

    __slots__ = ("graph", "slow", "thread", "_lock", "_threads_off_default")

    def __init__(self) -> None:
        self.graph = True
        self.slow = False
        self.thread = _ThreadSwitches()
        self._lock = threading.Lock()
        self._threads_off_default = 0

    # read-only views of the calling thread's switches
    @property
    def anomaly(self) -> bool:
        return self.thread.anomaly

    @property
    def scopes(self) -> Recording | None:
        return self.thread.scopes

    def set(self, name: str, value: Any) -> Any:
        """Set this thread's switch `name` to `value`; return the old value."""
        here = self.thread
        was_default = here.is_default()
        old = getattr(here, name)
        setattr(here, name, value)
        now_default = here.is_default()
        if was_default != now_default:
            with self._lock:
                self._threads_off_default += -1 if now_default else 1
                self.slow = self._threads_off_default > 0
        return old


MODE = _Mode()


def _run_inside(make_context: Callable[[], Any], func: F) -> F:
    """`func` wrapped so that it runs inside a fresh `make_context()`.

    A generator function gets the context around each of its resumptions (and not while it is
    suspended at a `yield`), as torch's decorators do; otherwise the switch would apply only while
    the generator object is created, that is to none of its body.
    """
    if inspect.isgeneratorfunction(func):
        @functools.wraps(func)
        def generator_wrapper(*args: Any, **kwargs: Any) -> Any:
            generator = func(*args, **kwargs)
            try:
                with make_context():
                    response = generator.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with make_context():
                            generator.close()
                        raise
                    except BaseException as error:
                        with make_context():
                            response = generator.throw(error)
                    else:
                        with make_context():
                            response = generator.send(request)
            except StopIteration as stop:
                return stop.value

        return generator_wrapper  # type: ignore[return-value]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with make_context():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class _Reentrant:
    """Sets a switch of this thread on entry and puts back what it found on exit.

    One instance may be entered again while it is already open (nested, or from another thread):
    what each entry found is kept per thread, last in first out.
    """

    def __init__(self) -> None:
        self._saved: dict[int, list[Any]] = {}

    def _set(self, name: str, value: Any) -> None:
        old = MODE.set(name, value)
        self._saved.setdefault(threading.get_ident(), []).append(old)

    def _restore(self, name: str) -> None:
        thread = threading.get_ident()
        stack = self._saved[thread]
        old = stack.pop()
        if not stack:
            del self._saved[thread]
        MODE.set(name, old)


class _Switch(_Reentrant):
    """A context manager and decorator that sets one switch of this thread and restores it after."""

    _name = ""
    _value = False

    def __enter__(self) -> _Switch:
        self._set(self._name, self._value)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._restore(self._name)

    def __call__(self, func: F) -> F:
        return _run_inside(type(self), func)


class no_grad(_Switch):
    """Build no graph in this thread: ops return plain leaf Values with no parents.

    Use it for evaluation and for updating parameters, as with `torch.no_grad()`::

        with no_grad():
            for p in model.parameters():
                p.data -= lr * p.grad

    As a decorator (`@no_grad()`) it applies to every call of the function, and for a generator
    function to its body each time it runs. Other threads keep their own setting.
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
    nan in a long training run can be found. Slower: every result is checked. Only the ops of the
    thread that opened the block are checked.
    """

    _name = "anomaly"
    _value = True


def is_grad_enabled() -> bool:
    """True when ops record the graph in this thread (outside `no_grad()`)."""
    return not MODE.slow or MODE.thread.graph


class Recording:
    """What `record_scopes()` fills in: node -> scope path, and the scope path open right now.

    At most `limit` nodes are recorded (None: no limit), because a recorded node is kept alive by
    the recording, and with it the whole graph it belongs to: a training loop run inside
    `record_scopes()` would otherwise keep every step's graph.
    """

    __slots__ = ("nodes", "path", "limit", "full")

    def __init__(self, limit: int | None) -> None:
        self.nodes: dict[Any, tuple[str, ...]] = {}
        self.path: tuple[str, ...] = ()
        self.limit = limit
        self.full = False

    def record(self, node: Any) -> None:
        """Tag `node` with the open scopes (the engine calls this for every new node)."""
        if not self.path or self.full:
            return
        if self.limit is not None and len(self.nodes) >= self.limit:
            self.full = True
            warnings.warn(
                f"record_scopes() has recorded {self.limit} nodes and records no more: each "
                "recorded node keeps its graph alive, so recording a whole training loop would "
                "keep every step's graph in memory. Record only the step you want to draw "
                "(or pass max_nodes=None to record without a limit).", RuntimeWarning,
                stacklevel=4)
            return
        self.nodes[node] = self.path


class record_scopes(_Reentrant):
    """Record which `scope` made each node created inside this block (in this thread).

    Yields a dict {node: (outermost scope key, ..., innermost)} filled as ops run; nodes made
    outside every scope are not in it. Graph pictures use it to group a network's nodes by the
    module (layer, neuron) that made them::

        with record_scopes() as scopes:
            with scope("layer 1"):
                h = (w * x + b).relu()
        scopes[h]  # ('layer 1',)

    Args:
        max_nodes: stop recording, with a RuntimeWarning, after this many nodes (None: never).
            The dict keeps every recorded node, and so its whole graph, alive: the bound keeps a
            training loop run by mistake inside the block from filling the memory with the
            graphs of all its steps. A picture is of one step, far below the default.

    Costs nothing when not recording: `scope()` then does nothing.
    """

    def __init__(self, max_nodes: int | None = 100_000) -> None:
        if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int)
                                      or max_nodes < 1):
            raise ValueError(f"record_scopes: max_nodes must be a positive int or None, "
                             f"got {max_nodes!r}")
        super().__init__()
        self.max_nodes = max_nodes

    def __enter__(self) -> dict[Any, tuple[str, ...]]:
        recording = Recording(self.max_nodes)
        self._set("scopes", recording)
        return recording.nodes

    def __exit__(self, *exc_info: object) -> None:
        self._restore("scopes")

    def __call__(self, func: F) -> F:
        max_nodes = self.max_nodes
        return _run_inside(lambda: record_scopes(max_nodes), func)


class scope:
    """Tag the nodes created inside this block with `key` (any hashable: a name, a module).

    Scopes nest; the tags are seen only by an enclosing `record_scopes()` of the same thread, and
    without one this is a no-op, so library code (a layer's forward) can always open a scope at no
    real cost.
    """

    __slots__ = ("key", "_saved", "_recording")

    def __init__(self, key: Any) -> None:
        self.key = key
        self._recording: Recording | None = None

    def __enter__(self) -> scope:
        recording = MODE.thread.scopes if MODE.slow else None
        if recording is not None:
            self._recording = recording
            self._saved = recording.path
            recording.path = self._saved + (self.key,)
        return self

    def __exit__(self, *exc_info: object) -> None:
        recording = self._recording
        if recording is not None:
            recording.path = self._saved
            self._recording = None


def is_recording_scopes() -> bool:
    """True inside `record_scopes()` in this thread: callers may skip opening scopes otherwise."""
    return MODE.slow and MODE.thread.scopes is not None
