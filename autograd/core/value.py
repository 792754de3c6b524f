"""The `Value` node and reverse-mode differentiation over a graph of them.

A `Value` wraps one float. Every op on Values (see `ops.py`) returns a new Value that remembers its
inputs (`parents`) and the `Op` that made it; the op knows the local derivatives d(out)/d(input).
`backward()` visits the graph from the output back to the inputs and applies the chain rule:

    input.grad += output.grad * d(output)/d(input)      for every edge input -> output

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

import math
import weakref
from contextlib import nullcontext
from numbers import Real
from typing import Any, Callable, Iterable, Sequence

from .modes import MODE, enable_grad

_new = object.__new__


class Value:
    """A scalar that remembers how it was computed, so gradients can flow back through it.

    Args:
        data: the number (int, float or numpy real scalar), stored as a Python float. A bool is
            a number too, as in Python and in torch (`torch.tensor(True, dtype=torch.float64)`
            is 1.0): `Value(True)` is 1.0, `Value(False)` 0.0.
        label: free text shown in graph pictures and explanations.

    `float(v)` gives the number, so `math.exp(v)` quietly returns a plain float and the graph is
    cut there: use `v.exp()` or `autograd.exp(v)` to keep differentiating.

    Comparisons (`==`, `!=`, `<`, ...), truth (`if v:`), `int(v)`, `round(v, n)`, `math.floor(v)`,
    `math.ceil(v)` and `math.trunc(v)` work on the number, as for a float or a 0-d torch tensor,
    and give plain Python bools and numbers. Hashing is by identity, so two nodes holding the same
    number are two dict keys; a Value is no index (`[1, 2][Value(1.0)]` raises, as in torch).

    Attributes:
        data: the float value.
        grad: d(root)/d(self) after `root.backward()`; a float, or a Value after
            `backward(create_graph=True)`.
        label: the name shown in pictures.
    """

    __slots__ = ("data", "grad", "label", "_operation", "_a", "_b", "__weakref__")

    def __init__(self, data: Real, label: str = "") -> None:
        self.data = data if type(data) is float else as_float(data)
        self.grad: Any = 0.0
        self.label = label
        self._operation: Op | None = None
        # The inputs, without a tuple (see the module's docstring): (a, b), (a, None), or
        # (tuple of all the inputs, None) for an op of more than two; (None, None) for a leaf.
        self._a: Any = None
        self._b: Value | None = None

    # -- what the node is -------------------------------------------------------------------
    @property
    def parents(self) -> tuple["Value", ...]:
        """The Values this one was computed from (empty for a leaf)."""
        a, b = self._a, self._b
        if b is not None:
            return (a, b)
        if a is None:
            return ()
        return a if type(a) is tuple else (a,)

    @property
    def op(self) -> "Op | None":
        """The `Op` that made this Value, or None for a leaf (an input or a parameter)."""
        return self._operation

    @property
    def is_leaf(self) -> bool:
        """True for inputs and parameters: Values that no op made."""
        return self._operation is None

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __float__(self) -> float:
        return self.data

    def __format__(self, spec: str) -> str:
        return format(self.data, spec) if spec else repr(self)

    # -- comparisons, truth and conversions: on the number, as floats and torch's 0-d tensors ----
    # `==` compares numbers, so `if x == 0:` inside a function given to `grad` takes the branch it
    # takes on floats. Hashing stays by identity (as torch's tensors): Values are dict and set keys
    # throughout the engine, and a dict only calls __eq__ on keys whose full hashes are equal, which
    # identity hashes of two distinct live Values never are. So equal numbers in distinct nodes stay
    # distinct keys; code that means "this very node" in a list writes `is`, never `in`/`index`.
    def __eq__(self, other: Any) -> bool:
        if isinstance(other, Value):
            return self.data == other.data
        if isinstance(other, Real):
            return self.data == other
        return NotImplemented  # Python then answers False, as for a float compared with "a"

    def __ne__(self, other: Any) -> bool:
        if isinstance(other, Value):
            return self.data != other.data
        if isinstance(other, Real):
            return self.data != other
        return NotImplemented

    def __lt__(self, other: Any) -> bool:
        return self.data < _number(other)

    def __le__(self, other: Any) -> bool:
        return self.data <= _number(other)

    def __gt__(self, other: Any) -> bool:
        return self.data > _number(other)

    def __ge__(self, other: Any) -> bool:
        return self.data >= _number(other)

    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        """The number's truth, as a float's: False for 0.0 and -0.0, True otherwise (nan too)."""
        return self.data != 0.0

    def __int__(self) -> int:
        return int(self.data)

    def __round__(self, ndigits: int | None = None) -> int | float:
        return round(self.data, ndigits)

    def __floor__(self) -> int:
        return math.floor(self.data)

    def __ceil__(self) -> int:
        return math.ceil(self.data)

    def __trunc__(self) -> int:
        return math.trunc(self.data)

    def __index__(self) -> int:
        # As torch's float tensors: a float is no index, even when it is whole (`[1, 2][Value(1.0)]`).
        raise TypeError(f"a Value holds a float ({self.data!r}) and cannot be used as an index "
                        f"(torch: only integer tensors of a single element can be converted to an "
                        f"index); convert it explicitly with int(v) or round(v)")

    def item(self) -> float:
        """The number as a plain Python float (torch's `Tensor.item()`); the same as `.data`."""
        return self.data

    def detach(self) -> "Value":
        """A new leaf holding the same number (and label), outside the graph (torch's `detach()`).

        Gradients do not flow through it: whatever is computed from the detached Value treats it as
        a constant, so `(x * x.detach()).backward()` gives x.grad = x, not 2x.
        """
        return Value(self.data, self.label)

    # -- reverse mode ---------------------------------------------------------------------------
    def backward(self, gradient: Any = 1.0, create_graph: bool = False) -> None:
        """Fill `.grad` of every Value this one depends on with d(self)/d(that Value).

        The output's grad is seeded with `gradient` (1.0: d(self)/d(self)) and the chain rule runs
        from the output back to the inputs, in reverse topological order, so each node passes on its
        gradient only once it has received the gradient from every node that used it. Leaves
        (inputs, parameters) accumulate across calls, as in PyTorch: between training steps call
        the optimizer's or the model's `zero_grad()` (`optimizer.zero_grad()`, `model.zero_grad()`),
        or set `x.grad = 0.0` for a Value of your own. Other nodes are reset at the start of each
        pass, so they always show the latest pass.

        Args:
            gradient: the seed, dL/d(self) for some L further on (torch's `gradient=`): every
                gradient is then d L/d(that Value) = gradient * d(self)/d(that Value). A number, or
                a Value with `create_graph=True` (its graph is then part of the result's). None
                is 1.0, as in torch; a bool is refused (`backward(True)` once meant create_graph).
            create_graph: build the graph of the backward pass too, so each `.grad` is a Value that
                can itself be differentiated (second derivatives, Newton's method).

        Hooks registered with `register_hook` are called as the gradients are computed.
        """
        seed = _seed(gradient, create_graph)
        if self._operation is None:  # a leaf: d(self)/d(self) = 1, accumulated like any leaf gradient
            self.grad = self.grad + (_call_hooks(self, seed, create_graph) if _HOOKS else seed)
            return
        order = _backward_order(self)
        self.grad = seed
        run = _backprop_values if create_graph else _backprop_floats
        with enable_grad() if create_graph else nullcontext():  # even inside no_grad(), as torch
            if _HOOKS:
                _backprop_with_hooks(order, run, create_graph)
            else:
                run(order)

    def register_hook(self, hook: Callable[[Any], Any]) -> "HookHandle":
        """Call `hook(gradient)` each time backward computes this Value's gradient (torch's).

        For a node that an op made, the gradient is complete when the node's turn comes, before it
        is passed on to its inputs; for a leaf, it is this pass's gradient, before it is added to
        `.grad`. The hook may return a replacement, which is then used (passed on, or accumulated)
        instead; returning None keeps the gradient. In a `create_graph=True` pass it receives and
        may return Values. Great for watching the gradient flow::

            h = hidden.register_hook(lambda g: print("dL/dh =", g))
            loss.backward()      # prints dL/dh = ...
            h.remove()

        Returns:
            A handle whose `remove()` unregisters the hook (also a context manager that does it).
        Costs nothing in backward while no Value anywhere has a hook. A hook goes when its Value
        does, unless the hook itself refers to that Value (`lambda g: print(x.label, g)`): then
        both stay alive until `remove()`.
        """
        if not callable(hook):
            raise TypeError(f"register_hook needs a function of the gradient, got "
                            f"{type(hook).__name__}: {hook!r}")
        return HookHandle(self, hook)


def _seed(gradient: Any, create_graph: bool) -> Any:
    if gradient is None:  # torch's default for a one-number output
        return 1.0
    if isinstance(gradient, bool):  # backward(True) meant create_graph before gradient came first
        raise TypeError(f"backward(gradient={gradient}): the seed is a number, not a bool; to "
                        f"build the graph of the gradients write backward(create_graph=True)")
    if isinstance(gradient, Value):
        return gradient if create_graph else gradient.data
    try:
        return as_float(gradient)
    except TypeError:
        raise TypeError(f"backward(gradient=...) is the seed dL/d(output): a number, or a Value "
                        f"with create_graph=True; got {type(gradient).__name__}: "
                        f"{gradient!r:.60}") from None


# Value -> its hooks, in the order registered. Weak keys: a hook goes with its Value, except when
# the hook refers to that Value itself (the registry then keeps both until remove()).
_HOOKS: "weakref.WeakKeyDictionary[Value, list]" = weakref.WeakKeyDictionary()


class HookHandle:
    """What `Value.register_hook` returns: `remove()` unregisters the hook (torch's handle)."""

    def __init__(self, node: Value, hook: Callable[[Any], Any]) -> None:
        self._node = weakref.ref(node)
        self._hook = hook
        _HOOKS.setdefault(node, []).append(hook)

    def remove(self) -> None:
        """Unregister the hook; removing it twice does nothing."""
        node = self._node()
        hooks = _HOOKS.get(node) if node is not None else None
        if hooks and self._hook in hooks:
            hooks.remove(self._hook)
            if not hooks:
                del _HOOKS[node]

    def __enter__(self) -> "HookHandle":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()


def _call_hooks(node: Value, g: Any, create_graph: bool) -> Any:
    for hook in list(_HOOKS.get(node, ())):
        replacement = hook(g)
        if replacement is None:
            continue
        if isinstance(replacement, Value):
            g = replacement if create_graph else replacement.data
        elif isinstance(replacement, Real):
            g = as_float(replacement)
        else:
            raise TypeError(f"the hook {hook!r:.60} on {describe(node)} returned "
                            f"{type(replacement).__name__}: {replacement!r:.60}; a hook returns "
                            f"None (keep the gradient) or the gradient to use instead, a number or "
                            f"a Value")
    return g


def _backprop_with_hooks(order: list[Value], run: Callable[[list[Value]], None],
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
            if p._operation is None and p in _HOOKS:
                last[p] = i
    due = {i: [p for p in dict.fromkeys(nodes[i].parents) if last.get(p) == i]
           for i in set(last.values())}  # where in `nodes` -> the leaves complete after it
    start = -float("0")  # a fresh object: `is start` tells that nothing arrived
    saved = {leaf: leaf.grad for leaf in last}
    for leaf in saved:
        leaf.grad = start
    try:
        for i, node in enumerate(nodes):
            if node in _HOOKS:
                node.grad = _call_hooks(node, node.grad, create_graph)
            run([node])
            for leaf in due.get(i, ()):
                g = leaf.grad
                g = _call_hooks(leaf, 0.0 if g is start else g, create_graph)
                old = saved.pop(leaf)
                leaf.grad = g if type(old) is float and old == 0.0 else old + g
    finally:
        for leaf, old in saved.items():
            leaf.grad = old


def _backprop_floats(order: list[Value]) -> None:
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
            op.backward(g, node.data, a if type(a) is tuple else node.parents)
        elif b is not None:
            d_a, d_b = op.derivatives(node.data, a.data, b.data)
            if d_a is not None:  # None: no gradient flows to this input (see Op)
                a.grad += g * d_a
            if d_b is not None:
                b.grad += g * d_b
        elif type(a) is not tuple:
            (d,) = op.derivatives(node.data, a.data)
            if d is not None:
                a.grad += g * d
        else:
            for parent, d in zip(a, op.derivatives(node.data, *[p.data for p in a])):
                if d is not None:
                    parent.grad += g * d
        if check:
            _check_backward(node)


def _backprop_values(order: list[Value]) -> None:
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
            _check_backward(node)


_DONE = object()  # on the search's stack: the node below it has had all its parents placed


def _backward_order(root: Value) -> list[Value]:
    """The nodes (not leaves) that `root` depends on, parents before children, grads reset to 0.

    The order of `topological_order` without its leaves. A node is marked as seen by setting its
    grad to `zero`, a float made for this pass: `is` tells it apart from every other 0.0, so no set
    of visited nodes is needed, and the reset backward needs anyway comes for free.
    """
    zero = float("0")  # a new object, unlike the constant 0.0
    order: list[Value] = []
    stack = [root]
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
            if a._operation is not None and a.grad is not zero:
                push(a)
            if b._operation is not None and b.grad is not zero:
                push(b)
        elif type(a) is not tuple:
            if a._operation is not None and a.grad is not zero:
                push(a)
        else:
            for parent in a:
                if parent._operation is not None and parent.grad is not zero:
                    push(parent)
    return order


def topological_order(root: Value) -> list[Value]:
    """Every Value that `root` depends on, each listed after all of its parents (root last).

    A depth-first search written with an explicit stack instead of recursion, so that a chain of a
    million nodes does not overflow Python's call stack. A node met on top of the stack for the first
    time pushes its parents and stays; met again, all of its parents are finished, so it is appended.
    """
    if not isinstance(root, Value):
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


# -- ops --------------------------------------------------------------------------------------------
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


def apply(op: Op, inputs: tuple[Value, ...], data: float | None = None) -> Value:
    """Run `op` forward on the inputs' numbers and return the result as a new node.

    `data`, when given, is the op's output already computed from the inputs (by an op that reads
    the Values' numbers faster than a call of `forward` with them). Inside `no_grad()` (of this
    thread) the result is a leaf: it records no inputs, so no graph is kept.
    """
    if len(inputs) == 2:
        a, b = inputs
        if data is None:
            data = op.forward(a.data, b.data)
    elif len(inputs) == 1:
        a, b = inputs[0], None
        if data is None:
            data = op.forward(a.data)
    else:
        a, b = inputs, None
        if data is None:
            data = op.forward(*[x.data for x in inputs])
    node = _new(Value)
    node.data = data
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
            _check_forward(op, inputs, data)
        if here.scopes is not None:
            here.scopes.record(node)
    return node


def attach(node: Value, op: Op, inputs: tuple[Value, ...]) -> None:
    """Make `node` the output of `op` on `inputs` after the fact (its data is left as it is)."""
    node._operation = op
    node._a, node._b = (inputs if len(inputs) == 2 else
                        (inputs[0], None) if len(inputs) == 1 else (inputs, None))


def as_float(x: Any) -> float:
    """`x` as a float if it is a real number (int, float, numpy scalar), else a clear TypeError."""
    if isinstance(x, float):
        return float(x)
    if isinstance(x, Real) and not isinstance(x, Value):
        try:
            return float(x)
        except OverflowError:
            raise OverflowError(f"{x!r} is too large for a float; Values hold 64-bit floats") from None
    if isinstance(x, Value):
        raise TypeError("expected a number, got a Value; use the Value itself, or its .data")
    hint = ""
    if hasattr(x, "shape"):
        hint = " (for a one-element array, pass array.item())"
    elif isinstance(x, (list, tuple)):
        hint = " (a Value holds one number; make one Value per element)"
    elif isinstance(x, complex):
        hint = " (Values are real numbers)"
    elif isinstance(x, str):
        hint = " (convert text with float(...) first)"
    raise TypeError(f"Value needs a real number (int, float or numpy scalar), "
                    f"got {type(x).__name__}: {x!r}{hint}")


def _number(x: Any) -> float:
    return x.data if isinstance(x, Value) else as_float(x)


# -- anomaly detection ------------------------------------------------------------------------------
def describe(v: Value, depth: int = 3) -> str:
    """A short formula for how `v` was computed, using labels where set: `tanh(w*x + b)`."""
    if v.label:
        return v.label
    parents = v.parents
    if not parents or depth == 0:
        return repr(v.data) if not parents else "..."
    args = ", ".join(describe(p, depth - 1) for p in parents[:4])
    if len(parents) > 4:
        args += f", ... ({len(parents)} inputs)"
    return f"{v._operation.name}({args})"


def _inputs_text(inputs: Iterable[Value]) -> str:
    return ", ".join(f"{describe(x)} = {x.data!r}" for x in inputs)


def _check_forward(op: Op, inputs: tuple[Value, ...], data: float) -> None:
    if math.isfinite(data):
        return
    raise FloatingPointError(
        f"op '{op.name}' produced {data!r} in the forward pass; inputs: {_inputs_text(inputs)}")


def _check_backward(node: Value) -> None:
    for parent in node.parents:
        g = parent.grad
        if not math.isfinite(g if type(g) is float else g.data):
            raise FloatingPointError(
                f"the backward of op '{node._operation.name}' produced gradient {g!r} for input "
                f"{describe(parent)}; the op's output is {describe(node)} = {node.data!r} "
                f"with gradient {node.grad!r}; inputs: {_inputs_text(node.parents)}")
