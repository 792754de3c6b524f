"""Backpropagation told step by step, with the numbers.

`explain(L)` runs the same pass as `L.backward()`: nodes are visited from the output back to the
inputs, and each node's gradient is the sum, over every use of the node, of the chain rule

    dL/da = dL/dc * dc/da          (c: an op that used a; dc/da: that op's local derivative)

Each step is returned as data (`BackwardStep`) and printed as a line of arithmetic, e.g.

    dL/da = dL/dc * dc/da = -2.0 * 3.0 = -6.0

`save_backward_steps(L, "steps.html")` turns the same steps into a page where the graph's gradients
fill in one step at a time.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import TextIO

from ._text import check_root, format_number, node_names
from .value import Value, topological_order

_SIMPLE_NAME = re.compile(r"[\w#.']+")
_MAX_TERMS_SHOWN = 6  # a node used by 100 neurons gets a shortened line (the data keeps all)


@dataclass(frozen=True)
class ChainTerm:
    """One use of a node: `consumer` (an op's output) took it as input.

    The term contributes `upstream * local` to the node's gradient, where `upstream` is
    dL/d(consumer) and `local` is d(consumer)/d(node) (summed over positions when the consumer
    takes the node more than once, as in x * x).
    """

    consumer: Value
    consumer_name: str
    upstream: float
    local: float


@dataclass(frozen=True)
class BackwardStep:
    """The moment backward finishes one node's gradient.

    Attributes:
        node: the Value.
        name: its label, else a short formula of its inputs' names (`x*w`, `tanh(n)`), else
            `v<i>` (its position in `autograd.topological_order(root)`).
        grad: dL/d(node), the number `backward()` puts in `node.grad` (leaves starting from 0).
        terms: one `ChainTerm` per op that used the node; empty for the root, whose gradient is
            the seed dL/dL = 1.
        root_name: the name of L, used in the text.
    """

    node: Value
    name: str
    grad: float
    terms: tuple[ChainTerm, ...]
    root_name: str

    @property
    def text(self) -> str:
        """The step as one line of arithmetic: symbols, then numbers, then the result."""
        L, name = _symbol(self.root_name), _symbol(self.name)
        if not self.terms:
            return f"d{L}/d{name} = {format_number(self.grad)}  (the seed: backward starts here)"
        terms = self.terms
        hidden = len(terms) - _MAX_TERMS_SHOWN if len(terms) > _MAX_TERMS_SHOWN + 1 else 0
        shown = terms[:_MAX_TERMS_SHOWN] if hidden else terms
        more = f" + ... ({hidden} more uses)" if hidden else ""
        symbols = " + ".join(f"d{L}/d{_symbol(t.consumer_name)} * d{_symbol(t.consumer_name)}/d{name}"
                             for t in shown) + more
        numbers = " + ".join(f"{_factor(t.upstream, k == 0)} * {_factor(t.local, False)}"
                             for k, t in enumerate(shown)) + more
        return f"d{L}/d{name} = {symbols} = {numbers} = {format_number(self.grad)}"

    def __str__(self) -> str:
        return self.text


def _symbol(name: str) -> str:
    """A name as it appears after a d: `a`, `w#3`, or in parentheses, `d(x1*w1 + x2*w2)`."""
    return name if _SIMPLE_NAME.fullmatch(name) else f"({name})"


def _factor(x: float, first: bool) -> str:
    """A number in a product; negative ones in parentheses unless they open the line: 2.0 * (-3.0)."""
    text = format_number(x)
    return f"({text})" if text.startswith("-") and not first else text


class BackwardSteps(list):
    """The list of `BackwardStep`s, in the order backward completes them (root first).

    `print(steps)` shows the explanation; a notebook can walk the list and render each step.
    """

    def __str__(self) -> str:
        return "\n".join(step.text for step in self)

    def __repr__(self) -> str:
        return f"<BackwardSteps: {len(self)} steps; print() them, or index them for the data>"


def backward_steps(root: Value) -> BackwardSteps:
    """The steps of `root.backward()`, computed without touching any `.grad`.

    Same order and same float arithmetic as `Value.backward` (so the numbers are identical to the
    grads it computes, with leaf grads starting from zero): nodes in reverse topological order,
    each passing `grad * d(node)/d(input)` to its inputs via `node.op.derivatives(...)`, which is
    why custom ops are explained too.
    """
    order = topological_order(root)
    names = node_names(order)
    root_name = names[root]
    grads: dict[Value, float] = {root: 1.0}
    uses: dict[Value, dict[Value, float]] = {}  # node -> {consumer: summed local derivative}
    steps = BackwardSteps()
    for node in reversed(order):
        g = grads.get(node, 0.0)
        terms = tuple(ChainTerm(c, names[c], grads[c], local) for c, local in uses.pop(node, {}).items())
        steps.append(BackwardStep(node, names[node], g, terms, root_name))
        if not node.parents:
            continue
        partials = node.op.derivatives(node.data, *[p.data for p in node.parents])
        for parent, d in zip(node.parents, partials):
            if d is None:  # no gradient flows to this input: nothing is passed on
                d = contribution = 0.0
            else:
                d = d.data if isinstance(d, Value) else float(d)
                contribution = g * d
            grads[parent] = grads.get(parent, 0.0) + contribution
            consumers = uses.setdefault(parent, {})
            consumers[node] = consumers.get(node, 0.0) + d
    return steps


def explain(root: Value, print_steps: bool = True, file: TextIO | None = None) -> BackwardSteps:
    """Explain `root.backward()` one chain-rule step at a time, with the numbers.

    For each node, in the order backward completes them (the output first, inputs last):

        dL/da = sum over the ops c that used a of  dL/dc * dc/da

    printed as e.g. `dL/da = dL/dc * dc/da = -2.0 * 3.0 = -6.0`. Nothing's `.grad` is changed: call
    `root.backward()` to fill them; the numbers are the ones it computes (leaves counted from zero).

    Args:
        root: the output Value, L.
        print_steps: print the explanation (to `file`, default stdout).
        file: where to print.

    Returns:
        The steps as data (`BackwardSteps`, a list of `BackwardStep`).
    """
    check_root(root, "explain")
    steps = backward_steps(root)
    if print_steps:
        print(str(steps), file=file or sys.stdout)
    return steps
