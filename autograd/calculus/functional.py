"""Derivatives as functions: `grad`, `value_and_grad`, `jacobian` and `hessian` (reverse mode).

`backward()` answers "how does this one output depend on every Value in its graph?" and leaves the
answers in `.grad`. The functional API answers the mathematician's question instead: given a Python
function f, what is the function f'? It follows the HIPS `autograd` / JAX convention::

    >>> from autograd import grad, sin
    >>> df = grad(sin)          # the function x -> cos(x)
    >>> round(df(0.0), 6)
    1.0
    >>> round(grad(grad(sin))(0.0), 6)     # second derivative: -sin(0)
    0.0

How it works. `grad(f)(x)` puts each argument it differentiates into a fresh leaf Value, calls f,
runs one backward pass from f's output and reads the leaves' gradients; every `.grad` it touched is
put back the way it was, so calling `grad` never disturbs a training loop's gradients.

Higher derivatives need no extra machinery. Called with plain numbers, `grad` runs the fast float
backward pass and returns floats. Called with Values, it runs `backward(create_graph=True)`, so the
derivative it returns is itself a Value with a graph, and the fresh leaf is then joined to the
caller's Value by an identity edge. An outer `grad` can therefore differentiate the result again:
`grad(grad(f))(x)` is f''(x), `grad(grad(grad(f)))(x)` is f'''(x). A `grad` called inside the
function an outer `grad` (or `gradcheck`) is differentiating keeps its graph even when given plain
numbers, since that function may close over the outer variable.

Each differentiated argument is treated as an independent variable (a partial derivative, as in
JAX): `grad(lambda x, y: x * y, argnum=(0, 1))(v, v)` is `(v, v)`, not `(2v, 2v)`, even though the
same Value was passed twice.

Forward mode, the other way of running the chain rule, is `autograd.jvp` (forward_mode.py); it
shares the way arguments become fresh leaves (`Point`) with the functions here.
"""
from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from numbers import Real
from typing import Any

from ..core import Op, Value, attach, topological_order
from ..core.modes import enable_grad, is_grad_enabled

# The edge that joins the fresh leaf `grad` differentiated with respect to back to the caller's
# Value: d(leaf)/d(caller's Value) = 1, so outer derivatives flow straight through it.
_ARGUMENT = Op("argument", lambda x: x, lambda out, x: (1.0,))

class _Nesting(threading.local):
    """How many functions this thread is evaluating for differentiation right now (by grad,
    jacobian, jvp, gradcheck): per thread, like the grad mode, so another thread's grad is not
    mistaken for an outer one."""

    depth = 0


_nesting = _Nesting()


@contextmanager
def differentiating() -> Iterator[None]:
    """Evaluate a function whose output is about to be differentiated.

    A `grad` called inside then keeps its graph even when given plain numbers, because the
    function may close over the Values being differentiated with respect to.
    """
    _nesting.depth += 1
    try:
        yield
    finally:
        _nesting.depth -= 1


def gradients(output: Any, wrt: Sequence[Value], create_graph: bool = False) -> list[Any]:
    """d(output)/d(w) for each Value w in `wrt`, leaving every `.grad` exactly as it was.

    Runs `output.backward(create_graph=...)`, reads the gradients of `wrt`, then puts back the
    previous `.grad` of every node the pass touched. A `w` that `output` does not depend on, or an
    `output` that is a plain number (a constant), has derivative 0.0.

    Args:
        output: a Value (or a plain number, a constant).
        wrt: the Values to differentiate with respect to. For a true partial derivative they should
            be leaves: backward accumulates into leaves but overwrites other nodes' gradients.
        create_graph: return Values with a graph (differentiable again) instead of floats.

    Returns:
        One derivative per element of `wrt`: floats, or with `create_graph` Values or floats (a
        float there is a constant derivative such as the 1.0 of `x + c`).
    """
    if not isinstance(output, Value):
        _check_scalar_output(output)
        return [0.0] * len(wrt)
    nodes = topological_order(output) + list(wrt)
    saved = [node.grad for node in nodes]
    try:
        for node in nodes:
            node.grad = 0.0
        output.backward(create_graph=create_graph)
        return [w.grad for w in wrt]
    finally:
        for node, g in zip(nodes, saved):
            node.grad = g


def grad(f: Callable[..., Any], argnum: int | tuple[int, ...] = 0) -> Callable[..., Any]:
    """The derivative of `f` with respect to its positional argument(s) `argnum`, as a function.

    For f(x_0, ..., x_{n-1}) returning one number, `grad(f, argnum=i)` is the function

        (x_0, ..., x_{n-1}) -> df/dx_i (x_0, ..., x_{n-1})

    and `grad(f, argnum=(i, j))` returns the tuple (df/dx_i, df/dx_j).

    Args:
        f: a Python function of numbers written with Value operators and autograd functions
            (`autograd.exp`, `autograd.tanh`, ...), returning a Value or a plain number.
        argnum: which positional argument(s) to differentiate with respect to: an int (negative
            counts from the end) or a tuple of ints.

    Returns:
        A function taking the same arguments as f. Called with plain numbers it returns floats (one
        fast float backward pass). If any argument is a Value it returns Values whose graph
        reaches the arguments, so the result can be differentiated again: `grad(grad(f))(x)` is
        the second derivative. Called inside the f of another grad it returns Values too, since
        f may use that grad's variable: `grad(lambda w: grad(lambda x: x * x * w)(2.0))(3.0)`
        is 4.0.

    Example::

        >>> df = grad(lambda x, y: x * x * y, argnum=(0, 1))
        >>> df(3.0, 2.0)     # (2xy, x^2)
        (12.0, 9.0)
    """
    return _Derivative(f, argnum, kind="grad")


def value_and_grad(f: Callable[..., Any],
                   argnum: int | tuple[int, ...] = 0) -> Callable[..., tuple[Any, Any]]:
    """Like `grad`, but the function returns `(f(*args), derivative)` from a single evaluation of f.

    Training code wants both the loss and its gradient; this costs one forward and one backward
    pass. The value is a float when called with plain numbers, a Value (differentiable) otherwise.

        >>> value_and_grad(lambda x: x ** 3)(2.0)
        (8.0, 12.0)
    """
    return _Derivative(f, argnum, kind="value_and_grad")


def jacobian(f: Callable[..., Any]) -> Callable[..., list[list[Any]]]:
    """The matrix of first derivatives of a function of n numbers giving m numbers, as a function.

        J[i][j] = d out_i / d x_j        (row i: the gradient of output i; column j: input j)

    Reverse mode, one row at a time: f is evaluated once, then one backward pass from each output
    gives its row, so the cost is one forward and m backward passes, whatever n is. Forward mode
    (`jvp`) gives J v, a combination of columns, per pass instead: n passes for the whole matrix.
    For one loss of many parameters (m = 1, n large) reverse mode wins by a factor of about n,
    which is why training uses backward (the demo `forward_vs_reverse` measures it).

    Args:
        f: a function of n numbers (every positional argument is differentiated) returning a list
            or tuple of m Values or numbers, written with Value operators and autograd functions.
            A single Value is taken as m = 1. A plain number among the outputs is a constant: its
            row is zeros.

    Returns:
        A function taking the same arguments as f and returning J as m lists of n derivatives.
        Called with plain numbers they are floats; with Values (or inside the f of another `grad`
        or `jacobian`) they are Values whose graph reaches the arguments, so the Jacobian can be
        differentiated again, as with `grad`: `jacobian(grad(f, (0, 1)))` is the Hessian.

        >>> jacobian(lambda x, y: [x * y, x + 2 * y])(3.0, 5.0)     # [[y, x], [1, 2]]
        [[5.0, 3.0], [1.0, 2.0]]
    """
    return _Derivative(f, None, kind="jacobian")


def hessian(f: Callable[..., Any]) -> Callable[..., list[list[float]]]:
    """The matrix of second derivatives of a scalar function of n scalar arguments, as a function.

        H[i][j] = d^2 f / (dx_i dx_j)

    Row i is the gradient of df/dx_i: `grad(f, i)` is evaluated with a graph (create_graph), then
    differentiated once more with respect to every argument, so n backward passes of each kind.

    Args:
        f: a function of n numbers returning one number (see `grad`).

    Returns:
        A function of n numbers (or Values: only their numbers are used) returning H as an n x n
        list of lists of floats.

        >>> hessian(lambda x, y: x * x * y)(3.0, 2.0)     # [[2y, 2x], [2x, 0]]
        [[4.0, 6.0], [6.0, 0.0]]
    """

    def hessian_of_f(*xs: Any) -> list[list[float]]:
        if not xs:
            raise TypeError("hessian(f) needs f's arguments: call it as "
                            "hessian(f)(x_0, ..., x_n-1)")
        points = [x.data if isinstance(x, Value) else _as_number(x, i, "hessian")
                  for i, x in enumerate(xs)]
        every = tuple(range(len(points)))
        return [list(grad(grad(f, i), every)(*points)) for i in range(len(points))]

    hessian_of_f.__name__ = f"hessian_of_{getattr(f, '__name__', 'f')}"
    name = getattr(f, "__name__", repr(f))
    hessian_of_f.__doc__ = f"The Hessian of {name} (see autograd.hessian)."
    return hessian_of_f


class Point:
    """One call's arguments, with a fresh leaf Value at every position being differentiated.

    Shared by `grad`, `value_and_grad`, `jacobian` and `jvp`. The leaves make each differentiated
    argument an independent variable. `symbolic` says whether results are Values (an argument is a
    Value, or an outer differentiation is evaluating this call) and `keep_graph` whether they keep
    a graph (symbolic, outside no_grad()); `join()` then links each leaf to the caller's Value it
    stands for, so outer derivatives flow through.
    """

    __slots__ = ("args", "leaves", "callers", "symbolic", "keep_graph")

    def __init__(self, args: Sequence[Any], kwargs: dict[str, Any], positions: Sequence[int],
                 who: str, also: Sequence[Any] = ()) -> None:
        # Values in, Values out. Inside the f of an outer grad, f's graph may reach that grad's
        # variable (closed over) even when this call gets plain numbers, so keep the graph then too.
        # `also`: other inputs of the result (jvp's tangents).
        self.symbolic = (_nesting.depth > 0 or any(isinstance(a, Value) for a in args)
                         or any(isinstance(a, Value) for a in kwargs.values())
                         or any(isinstance(a, Value) for a in also))
        self.keep_graph = self.symbolic and is_grad_enabled()  # inside no_grad(): constants
        self.args = list(args)
        self.callers: dict[Value, Value] = {}  # fresh leaf -> the caller's Value it stands for
        made: dict[int, Value] = {}
        for i in positions:
            if i in made:  # argnum=(0, 0): the same leaf twice
                continue
            x = self.args[i]
            if isinstance(x, Value):
                leaf = Value(x.data, label=x.label)
                self.callers[leaf] = x
            else:
                leaf = Value(_as_number(x, i, who))
            made[i] = self.args[i] = leaf
        self.leaves = [made[i] for i in positions]

    def join(self) -> None:
        """Link each fresh leaf to the caller's Value, so outer derivatives flow through it."""
        if self.keep_graph:
            for leaf, caller in self.callers.items():
                attach(leaf, _ARGUMENT, (caller,))

    def result(self, x: Any) -> Any:
        """A result as the caller gets it: a Value when symbolic, else a float."""
        if self.symbolic:
            return x if isinstance(x, Value) else Value(x)
        return x.data if isinstance(x, Value) else float(x)


class _Derivative:
    """The function returned by `grad` / `value_and_grad` / `jacobian`: f and what to return.

    A small class rather than a closure so that it prints as what it is, `grad(f, argnum=0)`.
    `argnums` None means every positional argument (jacobian).
    """

    __slots__ = ("f", "argnums", "single", "kind")

    def __init__(self, f: Callable[..., Any], argnum: Any, kind: str) -> None:
        if not callable(f):
            raise TypeError(f"{kind} needs a function to differentiate, got {type(f).__name__}: "
                            f"{f!r}")
        if argnum is None:
            argnums = None
        elif isinstance(argnum, tuple):
            if not argnum:
                raise ValueError("argnum=() asks for no derivative; give an int or a non-empty "
                                 "tuple")
            argnums = argnum
        else:
            argnums = (argnum,)
        for a in argnums or ():
            if type(a) is not int:
                raise TypeError(f"argnum must be an int or a tuple of ints, got {argnum!r}")
        self.f = f
        self.argnums = argnums
        self.single = argnum is not None and not isinstance(argnum, tuple)
        self.kind = kind

    def __repr__(self) -> str:
        name = getattr(self.f, '__name__', repr(self.f))
        if self.argnums is None:
            return f"{self.kind}({name})"
        argnum = self.argnums[0] if self.single else self.argnums
        return f"{self.kind}({name}, argnum={argnum!r})"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.argnums is None and not args:
            raise TypeError(f"{self!r} needs f's arguments: call it as "
                            f"{self.kind}(f)(x_0, ..., x_n-1)")
        point = Point(args, kwargs, self._positions(len(args)), self.kind)
        with enable_grad():  # f's graph is needed even when called inside no_grad()
            with differentiating():
                out = self.f(*point.args, **kwargs)
            if self.kind == "jacobian":
                outputs = several_outputs(out, repr(self))
            else:
                if not isinstance(out, Value):
                    _warn_constant(self, out)
                outputs = [out]
            rows = [gradients(o, point.leaves, create_graph=point.keep_graph) for o in outputs]
        point.join()
        rows = [[point.result(d) for d in row] for row in rows]
        if self.kind == "jacobian":
            return rows
        result = rows[0][0] if self.single else tuple(rows[0])
        if self.kind == "grad":
            return result
        return point.result(out), result

    def _positions(self, n_args: int) -> list[int]:
        if self.argnums is None:
            return list(range(n_args))
        positions = []
        for a in self.argnums:
            if not -n_args <= a < n_args:
                raise IndexError(f"argnum {a} is out of range: {self!r} was called with {n_args} "
                                 f"positional argument{'s' if n_args != 1 else ''}")
            positions.append(a % n_args)
        return positions


def _as_number(x: Any, position: int, who: str) -> float:
    if isinstance(x, Real):
        return float(x)
    raise TypeError(f"{who} differentiates with respect to numbers: argument {position} is "
                    f"{type(x).__name__} {x!r}; pass a number or a Value (one per scalar), or "
                    f"choose another argnum")


def _warn_constant(derivative: _Derivative, out: Any) -> None:
    _check_scalar_output(out)
    warnings.warn(f"{derivative!r}: the function returned a plain number ({out!r:.30}), not a "
                  f"Value, so its derivative is taken as 0. If it uses math.sin, math.exp, ..., "
                  f"use autograd.sin, autograd.exp, ... instead: a math function turns a Value "
                  f"into a float, which cuts the graph.", stacklevel=3)


def several_outputs(out: Any, who: str) -> list[Any]:
    """f's outputs as a list: one Value or number, or a list/tuple of them (else a TypeError)."""
    if isinstance(out, (Value, Real)):
        return [out]
    if isinstance(out, (list, tuple)):
        for k, o in enumerate(out):
            if not isinstance(o, (Value, Real)):
                raise TypeError(f"{who}: output {k} of f is {type(o).__name__} {o!r:.60}; f must "
                                f"return a Value, a number, or a list/tuple of them")
        return list(out)
    raise TypeError(f"{who}: f must return a Value, a number, or a list/tuple of them; got "
                    f"{type(out).__name__}: {out!r:.60}")


def _check_scalar_output(out: Any) -> None:
    if not isinstance(out, Real):
        raise TypeError(f"the function being differentiated must return one number or Value, got "
                        f"{type(out).__name__}: {out!r:.80}")
