"""Forward-mode differentiation: `jvp`, the Jacobian-vector product J v.

Reverse mode (`backward`, `grad`) runs the chain rule from the output back to the inputs and gets
the derivative of one output with respect to every input in one pass. Forward mode runs it the
other way, from the inputs to the outputs: give each input x_j a *tangent* v_j (how fast it moves),
and every node's tangent follows from its inputs' tangents and its op's local derivatives,

    tangent(node) = sum over inputs i of  d(node)/d(input_i) * tangent(input_i)

so one pass gives the directional derivative J v of every output at once. These are the dual
numbers x + v eps (eps^2 = 0) of the textbooks: the tangent is the eps part, and the rule above is
how every op acts on it. A full gradient of one loss of n parameters takes n forward passes (v =
each unit vector in turn) but one backward pass: reverse mode wins by about n, which is why
training runs backward (the demo `forward_vs_reverse` measures it).

How it runs. f is evaluated once on fresh leaf Values, recording its graph as usual; then the
tangents are computed node by node in topological order (each node after all of its inputs, the
order the forward pass computed them), from the same local derivatives `backward` uses, the op's
`derivatives(out, *inputs)`. Nothing flows from the outputs back, and a node's local derivatives
are evaluated only when some input with a tangent reaches it. (A dual-number engine computes the
tangent inside each op as it runs and so stores no graph; the arithmetic, the order and the results
are the same.)
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..core import Value, topological_order
from ..core.modes import enable_grad
from .functional import Point, differentiating, several_outputs


def jvp(f: Callable[..., Any], primals: Sequence[Any],
        tangents: Sequence[Any]) -> tuple[Any, Any]:
    """f's value and its directional derivative J v at a point, by forward-mode differentiation.

    For f(x_0, ..., x_n-1) with outputs out_0, ..., out_m-1, the tangent output is

        (J v)_i = sum_j  d out_i / d x_j  *  v_j            (v = tangents)

    the rate at which each output changes when the inputs move along v. One forward pass, whatever
    m is; `jvp(f, x, e_j)` with the unit vector e_j is column j of the Jacobian. As
    `torch.func.jvp(func, primals, tangents)`.

    Args:
        f: a function of n numbers written with Value operators and autograd functions, returning
            a Value or number, or a list/tuple of them.
        primals: the point, a tuple or list of n numbers or Values (one per argument of f).
        tangents: the direction v, a tuple or list of n numbers or Values, one per primal.

    Returns:
        `(outputs, tangent_outputs)`: f's output and J v in the same shape (one number, or a list
        or tuple of m). Floats when primals and tangents are plain numbers. With Values among them,
        or inside the f of a `grad` or `jvp`, they are Values with a graph reaching the primals and
        tangents, so the result can be differentiated again: `jvp` of a `jvp` (forward over
        forward) and `grad` of a `jvp` (reverse over forward) give second derivatives.

        >>> jvp(lambda x, y: x * y, (3.0, 2.0), (1.0, 0.0))      # d(xy)/dx = y
        (6.0, 2.0)
        >>> jvp(lambda x, y: [x * y, x + y], (3.0, 2.0), (1.0, 1.0))
        ([6.0, 5.0], [5.0, 2.0])
    """
    if not callable(f):
        raise TypeError(f"jvp needs a function to differentiate, got {type(f).__name__}: {f!r:.60}")
    primals = _sequence(primals, "primals")
    tangents = _sequence(tangents, "tangents")
    if len(tangents) != len(primals):
        raise ValueError(f"jvp needs one tangent per primal: got {len(primals)} primal"
                         f"{'s' if len(primals) != 1 else ''} and {len(tangents)} tangent"
                         f"{'s' if len(tangents) != 1 else ''}")
    # Tangents that are Values make the results Values too (J v is differentiable in v as well).
    point = Point(primals, {}, range(len(primals)), "jvp", also=tangents)
    seeds = {leaf: _tangent(t, j) for j, (leaf, t) in enumerate(zip(point.leaves, tangents))}
    with enable_grad():  # f's graph is needed even inside no_grad()
        with differentiating():
            out = f(*point.args)
        outputs = several_outputs(out, "jvp")
        pushed = push_tangents(outputs, seeds, on_values=point.keep_graph)
    point.join()
    values = [point.result(o) for o in outputs]
    pushed = [point.result(t) for t in pushed]
    if isinstance(out, (list, tuple)):
        return type(out)(values), type(out)(pushed)
    return values[0], pushed[0]


def push_tangents(outputs: Sequence[Any], seeds: dict[Value, Any],
                  on_values: bool = False) -> list[Any]:
    """The tangents of `outputs`, given the tangents `seeds` of some Values they are computed from.

    Every node between the seeds and the outputs gets tangent(node) = sum_i d(node)/d(input_i) *
    tangent(input_i), in topological order; a node no seed reaches has tangent 0.0. `on_values`
    evaluates the local derivatives on Values (as `backward(create_graph=True)` does), so the
    tangents are Values with a graph and can be differentiated again.
    """
    order: list[Value] = []
    placed: set[Value] = set()
    for out in outputs:
        if isinstance(out, Value):
            for node in topological_order(out):
                if node not in placed:
                    placed.add(node)
                    order.append(node)
    tangent: dict[Value, Any] = dict(seeds)
    for node in order:
        parents = node.parents
        if not parents:  # a leaf: a seed, or a constant with tangent 0
            continue
        incoming = [tangent.get(p) for p in parents]
        if all(t is None for t in incoming):
            continue  # no seed reaches this node: its tangent is 0, skipped rather than summed
        if on_values:
            partials = node._operation.derivatives(node, *parents)
        else:
            partials = node._operation.derivatives(node.data, *[p.data for p in parents])
        total = None
        for t, d in zip(incoming, partials):
            if t is None or d is None:  # None: no derivative flows along this edge (see Op)
                continue
            total = t * d if total is None else total + t * d
        if total is not None:
            tangent[node] = total
    return [tangent.get(out, 0.0) if isinstance(out, Value) else 0.0 for out in outputs]


def _sequence(xs: Any, name: str) -> list[Any]:
    if isinstance(xs, (list, tuple)):
        return list(xs)
    hint = " (for one argument: jvp(f, (x,), (v,)))" if isinstance(xs, (Value, int, float)) else ""
    raise TypeError(f"jvp's {name} must be a tuple or list with one entry per argument of f, got "
                    f"{type(xs).__name__}: {xs!r:.60}{hint}")


def _tangent(t: Any, position: int) -> Any:
    if isinstance(t, Value):
        return t
    try:
        return float(t)
    except (TypeError, ValueError):
        raise TypeError(f"jvp's tangent {position} is {type(t).__name__} {t!r:.60}; a tangent is "
                        f"a number (or a Value): how fast argument {position} moves") from None
