"""Derivatives as functions: `grad`, `value_and_grad` and `hessian`.

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
"""
from __future__ import annotations

import warnings
from contextlib import contextmanager
from numbers import Real
from typing import Any, Callable, Iterator, Sequence

from .modes import enable_grad, is_grad_enabled
from .value import Op, Value, topological_order

# The edge that joins the fresh leaf `grad` differentiated with respect to back to the caller's
# Value: d(leaf)/d(caller's Value) = 1, so outer derivatives flow straight through it.
_ARGUMENT = Op("argument", lambda x: x, lambda out, x: (1.0,))

# How many functions are being evaluated for differentiation right now (by grad, gradcheck).
_outer_calls = [0]


@contextmanager
def differentiating() -> Iterator[None]:
    """Evaluate a function whose output is about to be differentiated.

    A `grad` called inside then keeps its graph even when given plain numbers, because the
    function may close over the Values being differentiated with respect to.
    """
    _outer_calls[0] += 1
    try:
        yield
    finally:
        _outer_calls[0] -= 1


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
        One derivative per element of `wrt`: floats, or with `create_graph` Values or floats (a float
        there is a constant derivative such as the 1.0 of `x + c`).
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
    return _Derivative(f, argnum, with_value=False)


def value_and_grad(f: Callable[..., Any],
                   argnum: int | tuple[int, ...] = 0) -> Callable[..., tuple[Any, Any]]:
    """Like `grad`, but the function returns `(f(*args), derivative)` from a single evaluation of f.

    Training code wants both the loss and its gradient; this costs one forward and one backward pass.
    The value is a float when called with plain numbers, a Value (differentiable) otherwise.

        >>> value_and_grad(lambda x: x ** 3)(2.0)
        (8.0, 12.0)
    """
    return _Derivative(f, argnum, with_value=True)


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
            raise TypeError("hessian(f) needs f's arguments: call it as hessian(f)(x_0, ..., x_n-1)")
        points = [x.data if isinstance(x, Value) else _as_number(x, i, "hessian")
                  for i, x in enumerate(xs)]
        every = tuple(range(len(points)))
        return [list(grad(grad(f, i), every)(*points)) for i in range(len(points))]

    hessian_of_f.__name__ = f"hessian_of_{getattr(f, '__name__', 'f')}"
    hessian_of_f.__doc__ = f"The Hessian of {getattr(f, '__name__', repr(f))} (see autograd.hessian)."
    return hessian_of_f


class _Derivative:
    """The function returned by `grad` / `value_and_grad`: f and the argnum to differentiate by.

    A small class rather than a closure so that it prints as what it is, `grad(f, argnum=0)`.
    """

    __slots__ = ("f", "argnums", "single", "with_value")

    def __init__(self, f: Callable[..., Any], argnum: Any, with_value: bool) -> None:
        if not callable(f):
            raise TypeError(f"grad needs a function to differentiate, got {type(f).__name__}: {f!r}")
        if isinstance(argnum, tuple):
            if not argnum:
                raise ValueError("argnum=() asks for no derivative; give an int or a non-empty tuple")
            argnums = argnum
        else:
            argnums = (argnum,)
        for a in argnums:
            if type(a) is not int:
                raise TypeError(f"argnum must be an int or a tuple of ints, got {argnum!r}")
        self.f = f
        self.argnums = argnums
        self.single = not isinstance(argnum, tuple)
        self.with_value = with_value

    def __repr__(self) -> str:
        name = "value_and_grad" if self.with_value else "grad"
        argnum = self.argnums[0] if self.single else self.argnums
        return f"{name}({getattr(self.f, '__name__', repr(self.f))}, argnum={argnum!r})"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        positions = self._positions(len(args))
        # Values in, Values out. Inside the f of an outer grad, f's graph may reach that grad's
        # variable (closed over) even when this call gets plain numbers, so keep the graph then too.
        symbolic = (_outer_calls[0] > 0 or any(isinstance(a, Value) for a in args)
                    or any(isinstance(a, Value) for a in kwargs.values()))
        keep_graph = symbolic and is_grad_enabled()  # inside no_grad(), return constants instead
        args = list(args)
        callers: dict[Value, Value] = {}  # fresh leaf -> the caller's Value it stands for
        leaves: dict[int, Value] = {}
        for i in positions:
            if i in leaves:  # argnum=(0, 0): the same leaf twice
                continue
            x = args[i]
            if isinstance(x, Value):
                leaf = Value(x.data, label=x.label)
                callers[leaf] = x
            else:
                leaf = Value(_as_number(x, i, "grad"))
            leaves[i] = args[i] = leaf
        wrt = [leaves[i] for i in positions]
        with enable_grad():  # f's graph is needed even when grad is called inside no_grad()
            with differentiating():
                out = self.f(*args, **kwargs)
            if not isinstance(out, Value):
                _warn_constant(self, out)
            derivatives = gradients(out, wrt, create_graph=keep_graph)
        if keep_graph:
            # Join each fresh leaf to the caller's Value, so outer derivatives flow through it.
            for leaf, caller in callers.items():
                leaf._parents = (caller,)
                leaf._op = _ARGUMENT
        if symbolic:
            derivatives = [d if isinstance(d, Value) else Value(d) for d in derivatives]
        result = derivatives[0] if self.single else tuple(derivatives)
        if not self.with_value:
            return result
        if symbolic:
            value = out if isinstance(out, Value) else Value(out)
        else:
            value = out.data if isinstance(out, Value) else float(out)
        return value, result

    def _positions(self, n_args: int) -> list[int]:
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


def _check_scalar_output(out: Any) -> None:
    if not isinstance(out, Real):
        raise TypeError(f"the function being differentiated must return one number or Value, got "
                        f"{type(out).__name__}: {out!r:.80}")
