"""Adding your own op: `@autograd.op(derivatives=...)` on a forward function written for floats.

An op needs exactly two things: how to compute its output from its inputs (the forward, on plain
floats), and the local derivative of the output with respect to each input. Give both, and the new
op works everywhere a built-in one does: in `backward()`, in `backward(create_graph=True)` and so in
`grad(grad(...))`, in graph pictures (under its name), and under `gradcheck`::

    import math
    import autograd

    @autograd.op(derivatives=lambda out, x: (autograd.sigmoid(x),))
    def softplus(x):
        "log(1 + e^x), computed without overflow."
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))

    y = softplus(autograd.Value(0.5))
    y.backward()
    autograd.gradcheck(softplus, [0.5])   # True, or a table showing where the math is wrong

The `derivatives` function receives the op's output first, then its inputs, and returns a tuple
with one partial derivative d(out)/d(input) per input. Write it with ordinary arithmetic and
autograd's functions (`autograd.exp`, `autograd.div`, ...), NOT `math.*`: the same function runs
on floats during a plain backward pass and on Values during `create_graph=True`, and `math.exp(v)`
quietly turns a Value into a float, which makes every higher derivative through it wrong (treated as
a constant). `gradgradcheck` catches exactly that mistake.

Why a decorator and not a `Function` class with `forward` and `backward` methods, as in PyTorch?
In PyTorch, `backward` receives the incoming gradient of a whole tensor and must return
vector-Jacobian products, and `ctx.save_for_backward` carries tensors between the two methods. For
a scalar op the local derivatives are the whole story (the chain-rule multiplication is the
engine's job), and the derivatives function already receives everything it might need (the output
and the inputs), so there is no state to carry. A class would add ceremony (static methods, a
context object, `.apply`) for nothing, and would be a second way of saying what `Op` already says:
the decorator produces exactly the kind of `Op` the built-in ops are made of.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from numbers import Real
from typing import Any

from .op import Op
from .partials import Over
from .value import Value


def op(derivatives: Callable[..., Any], name: str | None = None
       ) -> Callable[[Callable[..., float]], Op]:
    """Decorator: turn a forward function on floats into a differentiable `Op`.

    Args:
        derivatives: `derivatives(out, *inputs)` returning one partial derivative d(out)/d(x_i) per
            input, as a tuple (a single number or Value is accepted for a one-input op); None for
            an input means no gradient flows to it there (not even 0 * an inf). `out` is
            the op's output; with Values as inputs (the create_graph pass) everything is a Value,
            so write it with arithmetic and autograd functions, not `math.*`.
        name: the op's name in graph pictures and error messages; default: the forward's name.

    Returns:
        A decorator; applied to `forward(*xs: float) -> float` it returns an `Op`, callable on
        numbers (giving a float) or on Values (giving a node of the graph).

    A derivatives function that returns the wrong number of partials or something that is not a
    number raises an error naming the op and saying what it returned, rather than a confusing
    failure deep inside backward.

    Defined at module level, the op pickles (by its module and name, as the built-in ops), and so
    do the Values it makes; an op made inside a function cannot be pickled (see `Op.made_by`).
    """
    if not callable(derivatives):
        raise TypeError(f"op(derivatives=...) needs a function derivatives(out, *inputs), "
                        f"got {type(derivatives).__name__}: {derivatives!r}")
    if name is not None and not isinstance(name, str):
        raise TypeError(f"an op's name must be a string, got {type(name).__name__}: {name!r}")

    def decorate(forward: Callable[..., float], *more: Any) -> Op:
        if more or not callable(forward):  # most likely a call of an op made by a bare @op
            raise TypeError(
                f"@op(...) decorates a forward function, got {type(forward).__name__}. If you "
                f"called {getattr(derivatives, '__name__', 'an op')!r} defined under a bare "
                f"@autograd.op, give the decorator the local derivatives: "
                f"@autograd.op(derivatives=lambda out, x: (d_x,))")
        op_name: str = name or getattr(forward, "__name__", None) or "custom op"
        _check_signatures(op_name, forward, derivatives)
        return Op(op_name, _checked_forward(op_name, forward),
                  _checked_derivatives(op_name, derivatives), doc=forward.__doc__)

    return decorate


def _checked_forward(name: str, forward: Callable[..., Any]) -> Callable[..., float]:
    def checked(*xs: float) -> float:
        out = forward(*xs)
        if type(out) is float:
            return out
        if isinstance(out, Real) and not isinstance(out, Value):
            return float(out)
        hint = " (the forward works on plain floats: return a number, not a Value)" \
            if isinstance(out, Value) else ""
        raise TypeError(f"custom op '{name}': forward returned {type(out).__name__} {out!r:.60}; "
                        f"it must return one number{hint}")

    checked.__wrapped__ = forward  # type: ignore[attr-defined]
    return checked


def _checked_derivatives(name: str, derivatives: Callable[..., Any]
                         ) -> Callable[..., tuple[Any, ...]]:
    def checked(out: Any, *xs: Any) -> tuple[Any, ...]:
        try:
            partials = derivatives(out, *xs)
        except TypeError as error:
            if not isinstance(out, Value):
                raise
            raise TypeError(
                f"custom op '{name}': its derivatives function failed on Values (during "
                f"backward(create_graph=True) or a nested grad): {error}. Write it with arithmetic "
                f"and autograd functions (autograd.exp, autograd.div, ...) so that it works on "
                f"both floats and Values") from error
        if not isinstance(partials, (tuple, list)):
            partials = (partials,)  # a bare number for a one-input op: fine; else caught below
        if len(partials) != len(xs):
            raise ValueError(
                f"custom op '{name}': derivatives returned {len(partials)} partial derivative"
                f"{'s' if len(partials) != 1 else ''} for {len(xs)} "
                f"input{'s' if len(xs) != 1 else ''}"
                f"; return a tuple with one d(out)/d(input) per input, in the order of the "
                f"forward's arguments, e.g. {_example_tuple(len(xs))}")
        checked_partials = []
        for position, d in enumerate(partials):
            if d is None or isinstance(d, (Value, Over)) or type(d) is float:
                checked_partials.append(d)
            elif isinstance(d, Real):
                checked_partials.append(float(d))
            else:
                raise TypeError(
                    f"custom op '{name}': derivatives returned {type(d).__name__} {d!r:.60} as the "
                    f"partial derivative for input {position}; each partial must be a number, "
                    f"a Value, or None (no gradient flows to that input)")
        return tuple(checked_partials)

    checked.__wrapped__ = derivatives  # type: ignore[attr-defined]
    return checked


def _example_tuple(n: int) -> str:
    return "(d_x,)" if n == 1 else "(" + ", ".join(f"d_x{i}" for i in range(n)) + ")"


def _positional_range(function: Callable[..., Any]) -> tuple[int, float] | None:
    """(fewest, most) positional arguments `function` accepts, or None if unknown (a builtin)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    fewest, most = 0, 0.0
    for p in parameters:
        if p.kind is p.VAR_POSITIONAL:
            most = float("inf")
        elif p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            most += 1
            fewest += p.default is p.empty
    return fewest, most


def _check_signatures(name: str, forward: Callable[..., Any],
                      derivatives: Callable[..., Any]) -> None:
    """Catch the classic slip early: a derivatives function that forgot the `out` argument."""
    inputs, takes = _positional_range(forward), _positional_range(derivatives)
    if inputs is None or takes is None or inputs[0] != inputs[1]:
        return  # a forward taking any number of inputs: checked when called instead
    n = inputs[0]
    if takes[0] <= n + 1 <= takes[1]:
        return
    takes_text = str(takes[0]) if takes[0] == takes[1] else f"{takes[0]} to {takes[1]:g}"
    raise TypeError(
        f"custom op '{name}': forward takes {n} input{'s' if n != 1 else ''}, so derivatives "
        f"must take {n + 1} arguments (out, then the same inputs as forward), but it takes "
        f"{takes_text}")
