"""Checking derivatives against finite differences: `gradcheck`, `gradgradcheck`, `numeric_grad`.

The derivative of f at x can be estimated without any calculus, from two evaluations of f:

    df/dx  ~=  (f(x + eps) - f(x - eps)) / (2 eps)        (central difference, error O(eps^2))

`gradcheck` computes every partial derivative both ways, analytically with backward and
numerically with central differences, and accepts the analytic one when

    |analytic - numeric| <= atol + rtol * |numeric|

(the rule of `torch.allclose`, with PyTorch's defaults eps=1e-6, atol=1e-5, rtol=1e-3). When a
derivative disagrees it raises `GradcheckError` with a table of every partial derivative, so a
student sees at once which input's derivative is wrong and by how much::

    >>> import autograd
    >>> autograd.gradcheck(lambda x, y: x * y.tanh(), [0.5, -1.2])
    True

`gradgradcheck` does the same one level up: it checks the derivatives of the first derivatives (the
Hessian computed with `create_graph=True`) against central differences of the first derivatives.

`numeric_grad(f, *xs)` is the same central difference on its own (MiniTorch's `central_difference`):
the gradient estimated without any calculus, for exercises that compare a derivative worked out by
hand with the numbers. gradcheck's numeric column is computed by exactly that code.

Central differences need f to be smooth near the point: at a kink (relu or abs at 0) the two
estimates legitimately differ, so check at points away from kinks.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from numbers import Real
from typing import Any

from ..core import Value
from ..core.modes import enable_grad, no_grad
from .functional import differentiating, grad, gradients, several_outputs


class GradcheckError(RuntimeError):
    """Raised by `gradcheck` / `gradgradcheck` when analytic and numeric derivatives disagree.

    The message is a table of every partial derivative checked (as `torch.autograd.GradcheckError`,
    this is a RuntimeError).
    """


def gradcheck(f: Callable[..., Any], inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True) -> bool:
    """Check f's analytic first derivatives against central finite differences.

    Args:
        f: a function of Values returning a Value (or a plain number), or a list/tuple of them
            (then every output is checked with respect to every input). It is called with fresh
            leaf Values holding the numbers of `inputs`.
        inputs: the point to check at: a number, a Value, or a sequence of them (one per argument
            of f). Only their numbers are used.
        eps: the step of the central difference (f(x + eps) - f(x - eps)) / (2 eps).
        atol, rtol: a derivative passes when |analytic - numeric| <= atol + rtol * |numeric|.
        raise_exception: raise `GradcheckError` on a mismatch (default), or return False.

    Returns:
        True when every derivative passes.

    Raises:
        GradcheckError: with a table input / analytic / numeric / difference, when a derivative
            differs, or when the backward pass itself fails (for example a custom op whose
            derivatives function returns the wrong number of partials).
    """
    points, names = _points(inputs)
    return _check(f, points, names, eps, atol, rtol, raise_exception, what="gradcheck")


def gradgradcheck(f: Callable[..., Any], inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, raise_exception: bool = True) -> bool:
    """Check f's analytic second derivatives against central differences of its first derivatives.

    The first derivatives d(out)/d(x_j) are computed with `grad` (a create_graph pass, so they are
    Values); `gradcheck` is then run on the function x -> [d(out)/d(x_0), d(out)/d(x_1), ...]. This
    finds derivatives that are right on floats but wrong on Values, such as a custom op whose
    derivatives function uses `math.exp` and so hides its dependence on x from `create_graph`.

    Arguments, return value and errors as `gradcheck`; f may return one Value or a list of them.
    """
    points, names = _points(inputs)
    every = tuple(range(len(points)))
    with enable_grad():
        n_outputs = len(_outputs(f(*[Value(p) for p in points])))

    def output(k: int) -> Callable[..., Any]:
        return lambda *xs: _outputs(f(*xs))[k]

    def first_derivatives(*xs: Value) -> list[Any]:
        return [d for k in range(n_outputs) for d in grad(output(k), every)(*xs)]

    prefix = ["d(out)/"] if n_outputs == 1 else [f"d(out{k})/" for k in range(n_outputs)]
    output_names = [p + f"d({name})" for p in prefix for name in names]
    return _check(first_derivatives, points, names, eps, atol, rtol, raise_exception,
                  what="gradgradcheck", output_names=output_names)


def numeric_grad(f: Callable[..., Any], *xs: Any, eps: float = 1e-6) -> Any:
    """The gradient of f at the point xs, estimated by central differences (no derivatives used).

        df/dx_i  ~=  (f(..., x_i + eps, ...) - f(..., x_i - eps, ...)) / (2 eps)

    The error is O(eps^2) for a smooth f (eps^2 f^(3)(x) / 6, by Taylor's theorem) plus the
    rounding of the two evaluations, about 1e-16 |f| / eps: with the default eps=1e-6 the estimate
    is good to roughly 1e-9 for numbers near 1. It is the numeric column of `gradcheck`, computed by
    this very code. Where f has a kink (relu or abs at 0) the estimate is the average of the two
    one-sided slopes.

    Args:
        f: a function of len(xs) numbers returning one number or Value. It is called with Values
            holding the shifted numbers inside `no_grad()` (no graph is built), so it may use Value
            methods, autograd functions, or plain `math` functions on them.
        *xs: the point, one number or Value per argument of f (only their numbers are used).
        eps: the step, a small positive number.

    Returns:
        df/dx as a float when f takes one argument, else the tuple (df/dx_0, ..., df/dx_n-1): the
        shapes `grad(f)` and `grad(f, argnum=(0, ..., n-1))` return, so the two can be compared.

        >>> round(numeric_grad(lambda x: x ** 3, 2.0), 6)          # 3x^2
        12.0
        >>> [round(d, 6) for d in numeric_grad(lambda x, y: x * y, 3.0, 2.0)]
        [2.0, 3.0]
    """
    if not callable(f):
        raise TypeError(f"numeric_grad needs a function to differentiate, got "
                        f"{type(f).__name__}: {f!r:.60}")
    if not xs:
        raise TypeError("numeric_grad needs the point too: numeric_grad(f, x_0, ..., x_n-1), one "
                        "number per argument of f")
    points, _ = _points(list(xs), who="numeric_grad")
    rows = _numeric(f, points, eps)
    if len(rows) != 1:
        raise TypeError(f"numeric_grad estimates the gradient of a function returning one number, "
                        f"but f returned {len(rows)} outputs; use autograd.jacobian(f), or "
                        f"numeric_grad on each output")
    return rows[0][0] if len(points) == 1 else tuple(rows[0])


# -- the check -------------------------------------------------------------------------------------
def _check(f: Callable[..., Any], points: list[float], names: list[str], eps: float, atol: float,
           rtol: float, raise_exception: bool, what: str,
           output_names: Sequence[str] | None = None) -> bool:
    _check_eps(eps)
    analytic = _analytic(f, points, names, what)
    numeric = _numeric(f, points, eps, len(analytic))
    rows = []
    for k, (analytic_row, numeric_row) in enumerate(zip(analytic, numeric)):
        for i, (a, n) in enumerate(zip(analytic_row, numeric_row)):
            allowed = atol + rtol * abs(n)
            difference = abs(a - n)
            # nan fails; an infinite numeric derivative (f overflows) passes only if matched exactly
            passed = difference <= allowed if math.isfinite(allowed) else a == n
            rows.append((k, i, a, n, difference, allowed, passed))
    failures = sum(not row[-1] for row in rows)
    if not failures:
        return True
    if not raise_exception:
        return False
    if output_names is None:
        output_names = ["out"] if len(analytic) == 1 else [f"out{k}" for k in range(len(analytic))]
    raise GradcheckError(_report(rows, failures, points, names, output_names, what,
                                 eps, atol, rtol))


def _analytic(f: Callable[..., Any], points: list[float], names: list[str],
              what: str) -> list[list[float]]:
    """Row k: d(output k)/d(input i) for every input i, from backward passes."""
    leaves = [Value(p, label=name) for p, name in zip(points, names)]
    with enable_grad():
        with differentiating():
            outputs = _outputs(f(*leaves))
        rows = []
        for out in outputs:
            try:
                derivatives = gradients(out, leaves)
            except Exception as error:  # a broken derivative must be a gradcheck failure
                raise GradcheckError(
                    f"{what} failed: the backward pass raised {type(error).__name__}, so there is "
                    f"no analytic derivative to compare:\n  {error}") from error
            rows.append([d if type(d) is float else float(d) for d in derivatives])
    return rows


def _check_eps(eps: Any) -> None:
    if not (isinstance(eps, Real) and float(eps) > 0):
        raise ValueError(f"eps must be a small positive step such as 1e-6 (f is evaluated at "
                         f"x + eps and x - eps), got {eps!r}")


def _numeric(f: Callable[..., Any], points: list[float], eps: float,
             n_outputs: int | None = None) -> list[list[float]]:
    """Row k: (out_k(x + eps e_i) - out_k(x - eps e_i)) / (2 eps) for every input i.

    The one central-difference loop behind `gradcheck`, `gradgradcheck` and `numeric_grad`.
    `n_outputs`, when known, is the number of outputs f must return (else that of its first call).
    """
    _check_eps(eps)
    if n_outputs is None:
        n_outputs = len(_evaluate(f, points, None))
    columns = []
    for i in range(len(points)):
        shifted = list(points)
        shifted[i] = points[i] + eps
        plus = _evaluate(f, shifted, n_outputs)
        shifted[i] = points[i] - eps
        minus = _evaluate(f, shifted, n_outputs)
        columns.append([(p - m) / (2 * eps) for p, m in zip(plus, minus)])
    return [list(row) for row in zip(*columns)] if columns else [[] for _ in range(n_outputs)]


def _evaluate(f: Callable[..., Any], points: list[float], n_outputs: int | None) -> list[float]:
    with no_grad():  # only the numbers are needed: no graph
        outputs = _outputs(f(*[Value(p) for p in points]))
    if n_outputs is not None and len(outputs) != n_outputs:
        raise ValueError(f"f returned {len(outputs)} outputs at one point and {n_outputs} at "
                         f"another; it must always return the same number of outputs")
    return [out.data if isinstance(out, Value) else float(out) for out in outputs]


# -- inputs, outputs and the report ----------------------------------------------------------------
def _points(inputs: Any, who: str = "gradcheck") -> tuple[list[float], list[str]]:
    """The numbers to check at and a name for each (its label if it is a labelled Value)."""
    if isinstance(inputs, (Value, Real)):
        inputs = [inputs]
    if not isinstance(inputs, Sequence) or isinstance(inputs, str):
        raise TypeError(f"inputs must be a number, a Value or a list of them (one per argument of "
                        f"f), got {type(inputs).__name__}: {inputs!r:.60}")
    points, names = [], []
    for i, x in enumerate(inputs):
        if isinstance(x, Value):
            points.append(x.data)
            names.append(x.label or f"x{i}")
        elif isinstance(x, Real):
            points.append(float(x))
            names.append(f"x{i}")
        else:
            raise TypeError(f"input {i} is {type(x).__name__} {x!r:.60}; {who} takes "
                            f"derivatives with respect to numbers: pass one number or Value per "
                            f"argument of f")
    if len(inputs) == 1 and names == ["x0"]:
        names = ["x"]
    return points, names


def _outputs(out: Any) -> list[Any]:
    return several_outputs(out, "gradcheck")


def _report(rows: list[tuple], failures: int, points: list[float], names: list[str],
            output_names: Sequence[str], what: str, eps: float, atol: float, rtol: float) -> str:
    several_outputs = len(output_names) > 1
    header = (["output"] if several_outputs else []) + [
        "input", "analytic", "numeric", "difference", "allowed", ""]
    shown = rows if len(rows) <= 40 else [row for row in rows if not row[-1]][:40]
    table = [header]
    for k, i, a, n, difference, allowed, ok in shown:
        cells = [output_names[k]] if several_outputs else []
        cells += [f"{names[i]} = {points[i]:.6g}", _number_text(a), _number_text(n),
                  _number_text(difference),
                  _number_text(allowed), "ok" if ok else "<-- WRONG"]
        table.append(cells)
    widths = [max(len(row[c]) for row in table) for c in range(len(header))]
    numeric_columns = range(len(header) - 5, len(header) - 1)
    lines = []
    for row in table:
        cells = [cell.rjust(w) if c in numeric_columns else cell.ljust(w)
                 for c, (cell, w) in enumerate(zip(row, widths))]
        lines.append("  " + "  ".join(cells).rstrip())
    total = len(rows)
    title = (f"{what} failed: {failures} of {total} derivative{'s' if total != 1 else ''} "
             f"disagree{'s' if failures == 1 else ''} with central differences "
             f"(eps={eps:g}, atol={atol:g}, rtol={rtol:g})")
    note = ("  (only the wrong ones are shown)\n" if shown is not rows else "")
    rule = "A derivative passes when |analytic - numeric| <= allowed = atol + rtol * |numeric|."
    return f"{title}\n{note}" + "\n".join(lines) + "\n" + rule


def _number_text(x: float) -> str:
    return f"{x:.8g}" if math.isfinite(x) else repr(x)
