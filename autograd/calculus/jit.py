"""`autograd.jit`: trace one training step, generate straight-line float code for it, replay that.

This is what tracing JITs such as `jax.jit` and `torch.compile` do, in miniature. The engine pays
for flexibility on every step: it builds one `Value` object per operation, finds the backward order
by a graph search, and dispatches on each node's op. But a training step has the same structure
every time; only the numbers change. So:

1. **Trace.** On the first call, run `fn` once with the engine on fresh Values, and keep the graph
   it built. The leaves of that graph are of four kinds: the call's *arguments* (data, targets),
   *parameters* (Values that outlive the call, such as a model's weights: found as the leaves still
   alive once the trace is dropped), *fresh* numbers a module draws anew on each call (dropout
   masks, see `fresh`) and *constants* (every other number, such as the 1 of `1 - y * s`).
2. **Generate.** Write a Python function that does, on plain floats, exactly the float operations
   the engine does for that graph: the forward in dependency order, then the chain rule in the
   engine's own backward order, so each gradient adds its contributions in the same order and the
   results are bit-identical. Decisions the engine takes per node at run time stay run-time `if`s
   (a ReLU's mask, a dot's zero-gradient skip, and the rest of a sample's backward where a relu
   has cut its gradient to zero). Every dot is written out as arithmetic on local variables, the
   fastest form in CPython. `step.source` shows the code.
3. **Replay.** Later calls check that nothing the trace assumed has changed (*guards*), then run
   the generated function on the call's numbers and write the gradients into the parameters.

The size bound: written out node by node, the code would grow with batch size x parameters (4.7 MB
of source for a batch of 32 digits through a 64-32-10 MLP). Above `UNROLL_LIMIT` node inputs, when
the samples go through alike copies of the same subgraph (an MLP, a loss averaged over samples),
one copy is written inside a loop over the samples (calculus/_loops.py): 0.2 MB, and faster too.
A graph that mixes the samples (BatchNorm in training mode) is unrolled up to `MAX_UNROLLED` node
inputs; past that its calls run on the engine, and `step.last_fallback` says so.

What a trace cannot see is the Python code around the ops: a number read from a Value to take an
`if`, a random draw, a counter. Such things are either arguments, or declared by the code that does
them while a trace is recorded: `guard(read)` (this call's `read()` must equal the trace's, else
re-trace; nn's modules guard their training mode and parameters), `fresh(make)` (numbers drawn
anew on each call), `effect(callback, *values)` (a side effect of the step on its numbers, such as
BatchNorm's running statistics), and `branch(value, test)` (the graph built here depends on
`test(value's number)`). Anything else that changes per call and is not an argument is baked into
the trace as a constant, as in `jax.jit` and `torch.jit.trace`: `jit(fn, verify=True)` runs the
engine beside every call and raises on any difference, which is how to check a function of your own.

Within what a trace sees, no call returns a wrong gradient: other argument shapes get a trace of
their own (a few are kept), a failed guard re-traces, and a call the generated code cannot take
(a relu(dot) whose pre-activation becomes inf or nan: the engine would build another graph for it;
a gradient hook; a switch such as `no_grad()` or `detect_anomaly()`) runs on the engine instead.
"""
from __future__ import annotations

import itertools
import linecache
import struct
from collections.abc import Callable
from numbers import Real
from operator import itemgetter
from typing import Any

from ..core import MODE, Value, as_float, enable_grad
from ..core.hooks import HOOKS
from . import _codegen, _loops, _templates
from ._codegen import Graph, generate
from ._tracing import (
    _STATE,
    _classify,
    _leaf_samples,
    _numbers,
    _record_graph,
    _Recording,
    _Slot,
    _values_in,
    branch,
    effect,
    fresh,
    guard,
    is_tracing,
)

MAX_TRACES = 8  # traces kept per jitted function (one per shape of the arguments)
# Above this many node inputs (about the number of multiply-adds) the samples' identical parts of
# the graph are written once, in a loop over the samples, instead of once per sample (_loops.py).
UNROLL_LIMIT = 1_000
MAX_UNROLLED = 400_000  # node inputs of straight-line code at most (about 25 MB of source)
_COUNTER = itertools.count()


class JitMismatchError(AssertionError):
    """`jit(fn, verify=True)`: the generated code and the engine gave different numbers."""


# -- arguments: nested lists of numbers ------------------------------------------------------------
_NUMBER = 0  # the key of a single number
_FLOATS, _INTS = {float}, {int}
_BIG = 2 ** 1023  # ints below it convert to a float


def _flatten(x: Any, flat: list[float], where: str) -> Any:
    """Append x's numbers to `flat`; return the key of x's nesting (equal keys: same shapes)."""
    kind = type(x)
    if kind is float:
        flat.append(x)
        return _NUMBER
    if kind is list or kind is tuple:
        if x and type(x[0]) is float and set(map(type, x)) == _FLOATS:  # the common case, in C
            flat.extend(x)
            return (kind, len(x))
        if x and type(x[0]) is int and set(map(type, x)) == _INTS and max(map(abs, x)) < _BIG:
            flat.extend(map(float, x))  # class labels
            return (kind, len(x))
        if not x:
            return (kind, 0)
        rows = _rows_of_floats(x)
        if rows is not None:
            flat.extend(rows[0])
            return (kind, ((type(x[0]), rows[1]),) * len(x))
        keys = []
        for i, v in enumerate(x):
            keys.append(_flatten(v, flat, f"{where}[{i}]"))
        numbers = [k is _NUMBER for k in keys]
        if any(numbers) and not all(numbers):
            i, j = numbers.index(True), numbers.index(False)
            raise ValueError(f"jit: {where} is ragged: entry {i} is a number but entry {j} is a "
                             f"list; pass lists of numbers nested the same way throughout")
        if keys and all(numbers):
            return (kind, len(x))
        return (kind, tuple(keys))
    if isinstance(x, Value):
        raise TypeError(f"jit: {where} is a Value; pass numbers (v.data): the step hands fn new "
                        f"Values for its arguments, and finds the Values fn reads from outside "
                        f"(parameters) by itself")
    if isinstance(x, Real):
        try:
            flat.append(as_float(x))  # ints, bools and numpy numbers, as Value(x) takes them
        except OverflowError as error:
            raise OverflowError(f"jit: {where}: {error}") from None
        return _NUMBER
    if hasattr(x, "tolist") and not isinstance(x, (str, bytes)):
        return _flatten(x.tolist(), flat, where)
    raise TypeError(f"jit: {where} must be a number or a (nested) list of numbers, got "
                    f"{type(x).__name__}: {x!r:.60}")


def _rows_of_floats(x: list | tuple) -> tuple[list[float], int] | None:
    """A batch, x's rows all lists (or all tuples) of floats of one length: (their numbers in
    order, the length), checked in C; None for anything else."""
    if set(map(type, x)) not in _ROW_KINDS or len(set(map(len, x))) != 1:
        return None
    numbers = list(itertools.chain.from_iterable(x))
    if set(map(type, numbers)) != _FLOATS:
        return None
    return numbers, len(x[0])


_ROW_KINDS = ({list}, {tuple})


def _rebuild(key: Any, numbers: Any) -> Any:
    """Values nested as `key` says, from an iterator of numbers."""
    if key is _NUMBER:
        return Value(next(numbers))
    kind, shape = key
    if type(shape) is int:
        items = [Value(next(numbers)) for _ in range(shape)]
    else:
        items = [_rebuild(k, numbers) for k in shape]
    return items if kind is list else tuple(items)


def _size(key: Any) -> int:
    """How many numbers an argument of this key holds."""
    if key is _NUMBER:
        return 1
    shape = key[1]
    return shape if type(shape) is int else sum(_size(k) for k in shape)


def _layout(key: tuple) -> tuple[list[tuple[int, int, int]], int]:
    """The arguments that are lists of samples: (flat start, count, numbers per sample) each, and
    the number of samples (the first argument's length; 0 if it is no list of alike samples)."""
    per_arg = []
    start = 0
    for k in key:
        size = _size(k)
        entry = None
        if k is not _NUMBER:
            shape = k[1]
            if type(shape) is int:
                entry = (start, shape, 1)
            elif shape and len({_size(s) for s in shape}) == 1:
                entry = (start, len(shape), _size(shape[0]))
        per_arg.append(entry)
        start += size
    n = per_arg[0][1] if per_arg and per_arg[0] is not None else 0
    return [entry for entry in per_arg if entry is not None and entry[1] == n and n], n


# -- one trace -------------------------------------------------------------------------------------
class _Trace:
    """One recorded step: its generated function and what a replay needs and checks."""

    def __init__(self, graph: Graph, params: tuple[list[Value], list[Value]],
                 recording: _Recording, fresh_counts: list[int], effect_arity: list[int],
                 aux_shape: Any, n_aux: int, branch_tests: list[tuple[Callable, Any]],
                 name: str) -> None:
        self.graph = graph
        self.params, self.frozen = params  # leaves whose .grad is accumulated; left alone
        self.guards = recording.guards
        self.fresh = [(make, count) for (make, _), count in zip(recording.fresh, fresh_counts)]
        self.effects = [(callback, arity) for (callback, _), arity in
                        zip(recording.effects, effect_arity)]
        self.aux_shape = aux_shape
        self.build_aux = _builder(tuple(aux_shape) if aux_shape is not None else ())
        self.n_aux = n_aux
        self.branch_tests = branch_tests
        size = sum(len(ins) for _, ins in graph.nodes)
        self.loop = None
        if size > UNROLL_LIMIT:
            self.loop = _loops.plan(graph, _codegen.needed(graph), graph.leaf_sample,
                                    graph.n_samples)
        self.too_large = ""  # why this trace's calls run on the engine, if they do
        self.misses = 0  # calls in a row whose branches did not fit
        self.function: Callable[..., Any] | None = None
        self.source = ""
        if self.loop is None and size > MAX_UNROLLED:
            self.too_large = (f"the step's graph has {size:,} node inputs and its samples are "
                              f"not alike copies (BatchNorm in training mode mixes them): more "
                              f"than MAX_UNROLLED = {MAX_UNROLLED:,} to write out, so it runs "
                              f"on the engine")
            return
        self.source, namespace = generate(graph, name, self.loop)
        filename = f"<autograd.jit {name}>"
        linecache.cache[filename] = (len(self.source), None, self.source.splitlines(True), filename)
        exec(compile(self.source, filename, "exec"), namespace)
        self.function = namespace[name]

    def guards_hold(self) -> bool:
        for read, expected, _ in self.guards:
            now = read()
            if now is not expected and now != expected:
                return False
        return True

    def draw_fresh(self) -> tuple[list[list[float]], bool]:
        """Every fresh list of numbers for this call, in the trace's order, and whether each has
        the trace's length (if not, the engine runs the call, handed these very draws)."""
        drawn = [[float(x) for x in make()] for make, _ in self.fresh]
        return drawn, all(len(d) == count for d, (_, count) in zip(drawn, self.fresh))

    def gradients_so_far(self) -> list[float] | None:
        """The parameters' gradients to add to, as backward starts them (None counts as 0.0, as
        after `zero_grad(set_to_none=True)`); None if backward would now treat a parameter
        otherwise than in the trace (its requires_grad has changed: a retrace)."""
        grads = [p.grad for p in self.params]
        try:
            sum(grads)  # a None among them stops the sum (in C: faster than `None in grads`)
        except TypeError:
            for i, p in enumerate(self.params):
                if grads[i] is None:
                    if not p.requires_grad:
                        return None
                    grads[i] = 0.0
        for v in self.frozen:
            if v.grad is not None or v.requires_grad:
                return None
        return grads

    def run(self, flat: list[float], drawn: list[list[float]],
            grads: list[float]) -> tuple | None:
        """The generated function on this call's numbers: (output, grads, extras) or None."""
        params, function = self.params, self.function
        assert function is not None  # a trace too large to write out never runs (see __call__)
        numbers = [p._data for p in params]
        if self.frozen:
            numbers += [v._data for v in self.frozen]
        result = function(flat, numbers, grads, [x for d in drawn for x in d])
        if result is None:
            return None
        extras = result[2]
        tests = self.branch_tests
        if tests:
            start = len(extras) - len(tests)
            for (test, answer), x in zip(tests, extras[start:]):
                if test(x) != answer:
                    return None
        return result


def _split(result: Any, name: str) -> tuple[Value, Any]:
    """fn's result as (loss, the extra outputs or None): fn returns a loss or (loss, extra, ...);
    a clear error if the loss is no Value."""
    loss, aux = (result[0], result[1:]) if isinstance(result, tuple) and result else (result, None)
    if not isinstance(loss, Value):
        raise TypeError(f"jit: {name} must return a Value (the loss), or a tuple whose first item "
                        f"is one; got {type(loss).__name__}: {loss!r:.60}")
    return loss, aux


def _trace(fn: Callable, values: list[Any], arg_leaves: list[Value], name: str, key: tuple,
           ) -> tuple[Any, _Trace]:
    """Run fn on the engine while recording; return fn's result (its numbers, after the engine's
    backward: this call's gradients are the engine's) and the trace."""
    recording = _Recording()
    _STATE.recording = recording
    try:
        with enable_grad():
            result = fn(*values)
    finally:
        _STATE.recording = None
    loss, aux = _split(result, name)
    graph_parts = _record_graph(loss, aux, arg_leaves, recording)
    numbers = (loss.data, _numbers(aux))
    loss.backward()
    del values, result, loss, aux
    graph, params, extra = _classify(*graph_parts)
    graph.arg_layout, graph.n_samples = _layout(key)
    graph.leaf_sample = _leaf_samples(graph)
    fresh_counts, effect_arity, aux_shape, n_aux, tests = extra
    trace = _Trace(graph, params, recording, fresh_counts, effect_arity, aux_shape, n_aux, tests,
                   name)
    return numbers, trace


def _same_bits(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if a != a and b != b:
            return True
        return struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_bits(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


# -- the compiled step -----------------------------------------------------------------------------
class CompiledStep:
    """What `autograd.jit(fn)` returns: `step(*args)` does what `fn(*values).backward()` does, and
    returns the loss as a float.

    Attributes:
        fn: the function being compiled.
        source: the generated code of the latest trace (read it: it is the step, written out; a
            traceback through it shows its lines, in a file named `<autograd.jit NAME>`).
        traces: how many traces were recorded; compiled_calls, engine_calls: calls replayed by
            the generated code, and calls run on the engine (traces and fallbacks).
        last_fallback: why the latest call that could not replay ran on the engine.
    """

    def __init__(self, fn: Callable, verify: bool = False) -> None:
        if not callable(fn):
            raise TypeError(f"jit needs a function, got {type(fn).__name__}: {fn!r:.60}")
        self.fn = fn
        self.verify = verify
        self.name = getattr(fn, "__name__", "step").replace("<", "").replace(">", "") or "step"
        if not self.name.isidentifier():
            self.name = "step"
        self._traces: dict[Any, _Trace] = {}
        self.source = ""
        self.traces = 0
        self.compiled_calls = 0
        self.engine_calls = 0
        self.last_fallback = ""  # why the latest call ran on the engine
        self.__doc__ = getattr(fn, "__doc__", None)
        self.__wrapped__ = fn

    def __repr__(self) -> str:
        return (f"<autograd.jit of {self.name}: {self.traces} trace(s), {self.compiled_calls} "
                f"compiled call(s), {self.engine_calls} engine call(s)>")

    def __call__(self, *args: Any) -> Any:
        flat: list[float] = []
        key = tuple(_flatten(a, flat, f"argument {i}") for i, a in enumerate(args))
        if HOOKS or (MODE.slow and not MODE.thread.is_default()):
            return self._engine(key, flat, "a gradient hook or a switch (no_grad, ...) is on")
        trace = self._traces.get(key)
        if trace is None or not trace.guards_hold():
            return self._retrace(key, flat)
        if trace.function is None:
            return self._engine(key, flat, trace.too_large)
        grads = trace.gradients_so_far()
        if grads is None:  # a parameter's requires_grad has changed
            return self._retrace(key, flat)
        drawn, fits = trace.draw_fresh()
        if not fits:
            return self._engine(key, flat, "a fresh draw has another size", drawn)
        if trace.misses >= 3 and trace.misses % 16:  # a trace that rarely fits (a Huber loss on
            trace.misses += 1                          # new batches): try it now and then only
            return self._engine(key, flat, "the trace's branches did not fit the last calls",
                                drawn)
        result = trace.run(flat, drawn, grads)
        if result is None:
            trace.misses += 1
            return self._engine(key, flat, "a value the trace branched on has changed (such as "
                                "a relu(dot) pre-activation that is inf or nan)", drawn)
        trace.misses = 0
        if self.verify:
            return self._verify(trace, key, flat, drawn, result)
        return self._finish(trace, result)

    def _finish(self, trace: _Trace, result: tuple) -> Any:
        loss, grads, extras = result
        for p, g in zip(trace.params, grads):
            p.grad = g
        if trace.effects:
            start = trace.n_aux
            for callback, arity in trace.effects:
                callback(*extras[start:start + arity])
                start += arity
        self.compiled_calls += 1
        if trace.aux_shape is None:
            return loss
        return (loss, *trace.build_aux(extras))

    def _retrace(self, key: Any, flat: list[float]) -> Any:
        arg_leaves: list[Value] = []
        numbers = iter(flat)
        values = [_rebuild(k, numbers) for k in key]
        for v in values:
            _values_in(v, arg_leaves)
        self.traces += 1
        self.engine_calls += 1
        name = f"{self.name}_{next(_COUNTER)}"
        (loss, aux), trace = _trace(self.fn, values, arg_leaves, name, key)
        if key not in self._traces and len(self._traces) >= MAX_TRACES:
            self._traces.pop(next(iter(self._traces)))
        self._traces[key] = trace
        self.source = trace.source
        self.last_fallback = trace.too_large
        return loss if aux is None else (loss, *aux)

    def _engine(self, key: Any, flat: list[float], why: str,
                drawn: list[list[float]] | None = None) -> Any:
        """This call on the engine: fn on new Values, then backward (the definition of a call)."""
        self.engine_calls += 1
        self.last_fallback = why
        numbers = iter(flat)
        values = [_rebuild(k, numbers) for k in key]
        _STATE.replaying = [list(d) for d in drawn] if drawn else None
        try:
            result = self.fn(*values)
        finally:
            _STATE.replaying = None
        loss, aux = _split(result, self.name)
        loss.backward()
        return loss.data if aux is None else (loss.data, *_numbers(aux))

    def _verify(self, trace: _Trace, key: Any, flat: list[float], drawn: list[list[float]],
                result: tuple) -> Any:
        loss, grads, extras = result
        compiled = loss if trace.aux_shape is None else (loss, *trace.build_aux(extras))
        before = [p.grad for p in trace.params]
        engine = self._engine(key, flat, "verify=True: the engine beside the generated code", drawn)
        self.engine_calls -= 1
        self.compiled_calls += 1
        if not _same_bits(compiled, engine):
            raise JitMismatchError(f"jit({self.name}, verify=True): the generated code returned "
                                   f"{compiled!r:.200} but the engine {engine!r:.200}")
        for i, (p, g) in enumerate(zip(trace.params, grads)):
            if not _same_bits(p.grad, g):
                raise JitMismatchError(
                    f"jit({self.name}, verify=True): parameter {i} ({p.label or 'unlabelled'}): "
                    f"gradient {g!r} from the generated code, {p.grad!r} from the engine (it was "
                    f"{before[i]!r} before the call)")
        return engine


def _builder(shape: Any) -> Callable[[tuple], Any]:
    """A function of the generated code's extras that nests the extra outputs' numbers as `shape`
    says (its Values replaced by slots); made once per trace, as each call nests them again."""
    if type(shape) is _Slot:
        return itemgetter(shape.i)
    if not isinstance(shape, (list, tuple)):
        return lambda extras: shape
    kind = type(shape)
    slots = [s.i for s in shape if type(s) is _Slot]
    if shape and len(slots) == len(shape) and slots == list(range(slots[0], slots[-1] + 1)):
        start, stop = slots[0], slots[-1] + 1  # a row of predictions: one slice
        return lambda extras: kind(extras[start:stop])
    parts = [_builder(s) for s in shape]
    return lambda extras: kind([part(extras) for part in parts])


class Jit:
    """Compile a training step: trace `fn` once, then replay generated float code for it.

    ::

        model = nn.MLP(2, [16, 16, 1])

        @autograd.jit
        def step(X, y):
            return nn.functional.hinge_loss(model(X), y)

        for epoch in range(100):
            model.zero_grad()
            loss = step(X, y)         # a float; the parameters' .grad are filled, as by backward
            for p in model.parameters():
                p.data -= 0.01 * p.grad

    `autograd.jit(fn, verify=False)` is the call; the rest of this object is for code that runs
    inside a trace (nn's modules use it): `is_tracing()`, `guard(read)`, `fresh(make)`,
    `effect(callback, *values)`, `branch(value, test)`.

    The contract: calling `step(*args)` with numbers or (nested) lists of numbers hands them to
    `fn` as Values nested the same way, which the trace treats as inputs. Every other Value `fn`
    reads (the model's parameters) has its `.grad` accumulated exactly as after
    `fn(*values).backward()`, and the call returns the output's number, a float (if `fn` returns a
    tuple `(loss, extra, ...)`, the call returns `(float, extra as numbers, ...)`, for predictions
    to measure accuracy on). The gradients and the loss are bit-identical to the engine's. Pass
    everything that changes between calls as an argument, targets included (nn's losses take them
    as Values, class indices too). As in backward, a gradient that is None (after
    `zero_grad(set_to_none=True)`) starts at 0.0, and a parameter frozen with
    `requires_grad_(False)` is left alone.

    How it works, and what the guards check: see `help(autograd.calculus.jit)` and `step.source`,
    the generated code. In brief: the first call of each shape of the arguments runs `fn` on the
    engine and records its graph; later calls run straight-line float code written for that graph
    (a loop over the samples when they are alike), or the engine when a guard says the graph
    would differ.

    Args:
        fn: the step, `fn(*values) -> Value`. Usable as a decorator, with or without arguments.
        verify: run the engine beside every compiled call and raise `JitMismatchError` (an
            AssertionError) on any difference in the loss, the extra outputs or a gradient: the
            check for a function of your own. (The engine's results are the ones kept.)

    Returns:
        A `CompiledStep`: callable like fn; `.source` is the generated code.
    """

    JitMismatchError = JitMismatchError
    is_tracing = staticmethod(is_tracing)
    guard = staticmethod(guard)
    fresh = staticmethod(fresh)
    effect = staticmethod(effect)
    branch = staticmethod(branch)
    use_templates = staticmethod(_templates.use_templates)

    def __call__(self, fn: Callable[..., Any] | None = None, *,
                 verify: bool = False) -> Any:
        if fn is None:
            return lambda f: CompiledStep(f, verify=verify)
        return CompiledStep(fn, verify=verify)

    def __repr__(self) -> str:
        return "<autograd.jit: jit(fn, verify=False) compiles a training step; help(autograd.jit)>"


jit = Jit()
