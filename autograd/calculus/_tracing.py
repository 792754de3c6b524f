"""Recording a trace for `autograd.jit`: what code running inside one can declare (guards, fresh
numbers, effects, branches), and the graph of the traced step as plain data (`Graph`).

The graph is read through a node's public `op` and `parents` only, so the node's slots
(core/value.py) can change without touching this file. Leaves are classified after the trace: the
call's arguments and fresh numbers are known by identity; of the others, those still alive once
the trace's Values are dropped are parameters (something outside holds them, a model), and the rest
constants of the trace.
"""
from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

from ..core import Value
from ..core.backward import backward_order
from ._codegen import Graph


# -- what code running inside a trace can declare --------------------------------------------------
class _Recording:
    """What the trace being recorded in this thread has been told, besides the graph."""

    def __init__(self) -> None:
        self.guards: list[tuple[Callable[[], Any], Any, str]] = []
        self.fresh: list[tuple[Callable[[], Any], list[Value]]] = []
        self.effects: list[tuple[Callable[..., Any], tuple[Value, ...]]] = []
        self.branches: list[tuple[Value, Callable[[float], Any], Any]] = []


class _ThreadState(threading.local):
    def __init__(self) -> None:
        self.recording: _Recording | None = None
        self.replaying: list[list[float]] | None = None  # fresh numbers to hand out again


_STATE = _ThreadState()


def is_tracing() -> bool:
    """True while `autograd.jit` records a trace in this thread (as `torch.jit.is_tracing`)."""
    return _STATE.recording is not None


def guard(read: Callable[[], Any], what: str = "") -> None:
    """Declare that the graph being traced depends on `read()`, a number or flag outside it.

    Outside a trace this does nothing. Inside one, `read()` is called now and again before every
    replay: if it then differs (by `!=`), the function is traced again. nn's modules guard their
    `training` flag this way, and a model its list of parameters.

    Args:
        read: a function of nothing, cheap to call (it runs on every step).
        what: a few words for explanations ("Dropout.training").
    """
    recording = _STATE.recording
    if recording is not None:
        recording.guards.append((read, read(), what))


def fresh(make: Callable[[], Any]) -> list[Value]:
    """Numbers drawn anew on each call (such as a dropout mask), as leaf Values.

    `make()` returns a list of numbers. Outside a trace this is `[Value(x) for x in make()]`. In a
    trace, every replay calls `make()` again, in the same order as the engine would, and feeds its
    numbers to the generated code: so a jitted step draws the very numbers the engine would (the
    same random generator, consumed in the same order), and never reuses a mask.
    """
    queue = _STATE.replaying
    if queue is not None and queue:
        numbers = queue.pop(0)  # the engine re-running a call whose numbers are already drawn
    else:
        numbers = [float(x) for x in make()]
    values = [Value(x) for x in numbers]
    recording = _STATE.recording
    if recording is not None:
        recording.fresh.append((make, values))
    return values


def effect(callback: Callable[..., Any], *values: Value) -> None:
    """Call `callback(*numbers of values)` now, and on every replay with that call's numbers.

    For side effects of a step computed from its numbers, such as BatchNorm's running statistics.
    """
    callback(*[v.data for v in values])
    recording = _STATE.recording
    if recording is not None:
        recording.effects.append((callback, values))


def branch(value: Value, test: Callable[[float], Any]) -> Any:
    """`test(value.data)`, for code that builds a different graph depending on it.

    In a trace, every replay recomputes `test` on that call's number of `value`; a different
    answer means the traced graph does not apply, and the call runs on the engine instead.
    """
    answer = test(value.data)
    recording = _STATE.recording
    if recording is not None:
        recording.branches.append((value, test, answer))
    return answer


def _numbers(x: Any) -> Any:
    """fn's extra outputs as numbers, nested as they were."""
    if isinstance(x, Value):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(_numbers(v) for v in x)
    return x


def _values_in(x: Any, out: list[Value]) -> None:
    if isinstance(x, Value):
        out.append(x)
    elif isinstance(x, (list, tuple)):
        for v in x:
            _values_in(v, out)


class _Slot:
    """In the shape of fn's extra outputs: where the number of the i-th Value goes."""

    __slots__ = ("i",)

    def __init__(self, i: int) -> None:
        self.i = i


def _refill(x: Any, numbers: Any) -> Any:
    """x's structure with its Values replaced by slots for their numbers."""
    if isinstance(x, Value):
        return _Slot(next(numbers))
    if isinstance(x, (list, tuple)):
        return type(x)(_refill(v, numbers) for v in x)
    return x


def _record_graph(loss: Value, aux: Any, arg_leaves: list[Value], recording: _Recording) -> tuple:
    """The graph as plain data (ops, numbers), with weak references to the unclassified leaves."""
    aux_values: list[Value] = []
    _values_in(aux, aux_values)
    effect_values = [v for _, values in recording.effects for v in values]
    branch_values = [v for v, _, _ in recording.branches]
    outputs = aux_values + effect_values + branch_values
    # every node to compute, parents first (the roots: the loss and the extra outputs)
    number: dict[int, int] = {}
    leaves: list[Value] = []
    nodes: list[Value] = []
    for root in [loss, *outputs]:
        if id(root) in number:
            continue
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                if id(node) not in number:
                    number[id(node)] = len(nodes)
                    nodes.append(node)
                continue
            if id(node) in number:
                continue
            if node.op is None:
                number[id(node)] = -1 - len(leaves)
                leaves.append(node)
                continue
            stack.append((node, True))
            for parent in reversed(node.parents):
                if id(parent) not in number:
                    stack.append((parent, False))
    n_leaves = len(leaves)
    # the final numbers: leaves 0 .. n_leaves - 1, then the nodes (looked up in C below)
    final = {key: -1 - k if k < 0 else n_leaves + k for key, k in number.items()}
    index = final.__getitem__
    node_list = [(v.op, tuple(map(index, map(id, v.parents)))) for v in nodes]
    order: list[int] = []
    if loss.op is not None:
        started: list[Value] = []  # leaves whose None grad the search made 0.0: None again,
        order = list(map(index, map(id, backward_order(loss, started))))
        for leaf in started:  # so that the backward after the trace treats them as it would
            leaf.grad = None
    arg_slot = {id(v): i for i, v in enumerate(arg_leaves)}
    fresh_slot: dict[int, int] = {}
    for _, values in recording.fresh:
        for v in values:
            fresh_slot[id(v)] = len(fresh_slot)
    kinds: list[str] = []
    slots: list[int] = []
    data: list[float] = []
    refs: list[weakref.ref[Value] | None] = []  # the leaves yet to classify, weakly
    for v in leaves:
        data.append(v.data)
        if id(v) in arg_slot:
            kind, slot, ref = "arg", arg_slot[id(v)], None
        elif id(v) in fresh_slot:
            kind, slot, ref = "fresh", fresh_slot[id(v)], None
        else:  # "?!": one that backward leaves alone (no gradient asked, none so far)
            kind = "?" if v.requires_grad or v.grad is not None else "?!"
            slot, ref = -1, weakref.ref(v)
        kinds.append(kind)
        slots.append(slot)
        refs.append(ref)
    fresh_counts = [len(values) for _, values in recording.fresh]
    effect_arity = [len(values) for _, values in recording.effects]
    aux_shape = _refill(aux, iter(range(len(aux_values)))) if aux is not None else None
    tests = [(test, answer) for _, test, answer in recording.branches]
    # the recording keeps no Value: only the counts
    recording.fresh = [(make, []) for make, _ in recording.fresh]
    recording.effects = [(callback, ()) for callback, _ in recording.effects]
    recording.branches = []
    info = (n_leaves, kinds, slots, data, refs, node_list, order, index(id(loss)),
            list(map(index, map(id, outputs))), len(arg_leaves), fresh_counts, effect_arity,
            aux_shape, len(aux_values), tests)
    del leaves, nodes
    return info


def _classify(n_leaves: int, kinds: list[str], slots: list[int], data: list[float], refs: list,
              node_list: list, order: list[int], root: int, outputs: list[int], n_args: int,
              fresh_counts: list[int], effect_arity: list[int], aux_shape: Any, n_aux: int,
              tests: list) -> tuple:
    """Leaves still alive now that the trace's Values are gone are parameters ("frozen" those that
    ask no gradient and have none, which backward leaves alone); others constants."""
    params: list[Value] = []
    frozen: list[Value] = []
    for i, ref in enumerate(refs):
        if ref is None:
            continue
        v = ref()
        if v is None:
            kinds[i] = "const"
        elif kinds[i] == "?!":
            kinds[i] = "frozen"
            slots[i] = len(frozen)
            frozen.append(v)
        else:
            kinds[i] = "param"
            slots[i] = len(params)
            params.append(v)
    for i, kind in enumerate(kinds):  # the frozen ones' numbers come after the parameters'
        if kind == "frozen":
            slots[i] += len(params)
    graph = Graph(n_leaves=n_leaves, leaf_kind=kinds, leaf_slot=slots, leaf_value=data,
                  nodes=node_list, order=order,
                  forward=list(range(n_leaves, n_leaves + len(node_list))), root=root,
                  outputs=outputs, n_args=n_args, n_params=len(params) + len(frozen),
                  n_fresh=sum(fresh_counts))
    return graph, (params, frozen), (fresh_counts, effect_arity, aux_shape, n_aux, tests)


def _leaf_samples(graph: Graph) -> list[int]:
    """Each leaf's sample (the index along the first axis of its argument), or -1."""
    samples = []
    for kind, slot in zip(graph.leaf_kind, graph.leaf_slot):
        s = -1
        if kind == "arg":
            for start, count, stride in graph.arg_layout:
                if start <= slot < start + count * stride:
                    s = (slot - start) // stride
                    break
        samples.append(s)
    return samples
