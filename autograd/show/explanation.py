"""Backpropagation told step by step, with the numbers.

`explain(L)` runs the same pass as `L.backward()`: nodes are visited from the output back to the
inputs, and each node's gradient is the sum, over every use of the node, of the chain rule

    dL/da = dL/dc · ∂c/∂a          (c: an op that used a; ∂c/∂a: that op's local derivative)

The local derivative is written as a partial, ∂c/∂a: the op's own slope with respect to that one
input, the others held fixed, which is a different thing from the total derivative dL/da it helps
to compute. Each step is returned as data (`BackwardStep`) and shown as a line of arithmetic, e.g.

    dL/da = dL/dc · ∂c/∂a = −2.0 · 3.0 = −6.0

An input that gets no gradient from an op at that point (relu's at x <= 0, see `Op`) shows the
partial 0. The steps display themselves: as text in a REPL (`print(steps)` too), and in a notebook
as the step-through that `save_backward_steps(L, "steps.html")` writes to a page of its own.
"""
from __future__ import annotations

import html
import os
import re
import sys
from dataclasses import dataclass
from typing import Any, TextIO

from ..core import Value, reference_backward, topological_order
from ._text import DEFAULT_MAX_NODES, DEFAULT_TIMEOUT, check_root, format_number, node_names
from .files import checked_path, write_atomically

_SIMPLE_NAME = re.compile(r"[\w#.'\[\]]+")  # a, w#3, l0.n3.w1, x[0]
_MAX_TERMS_SHOWN = 6  # a node used by 100 neurons gets a shortened line (the data keeps all)
_EDGE_STEPS = 20  # the REPL shows the first and last 20 steps of a longer explanation


@dataclass(frozen=True)
class ChainTerm:
    """One use of a node: `consumer` (an op's output) took it as input.

    The term contributes `upstream * local` to the node's gradient, where `upstream` is
    dL/d(consumer) and `local` is d(consumer)/d(node) (summed over positions when the consumer
    takes the node more than once, as in x * x). `flows` is False where the op passes no
    gradient to the node at all (its partial is None, e.g. relu at x <= 0): the term is then 0
    whatever `upstream` is (an inf from above stays out), and `local` is shown as 0.
    """

    consumer: Value
    consumer_name: str
    upstream: float
    local: float
    flows: bool = True


@dataclass(frozen=True)
class BackwardStep:
    """The moment backward finishes one node's gradient.

    Attributes:
        node: the Value.
        name: its label, else a short formula of its inputs' names (`x*w`, `tanh(n)`), else
            `v<i>` (its position in `autograd.topological_order(root)`); an unlabelled root is
            called `L` (unless another node is).
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
            return f"d{L}/d{name} = {_number_text(self.grad)}  (the seed: backward starts here)"
        terms = self.terms
        hidden = len(terms) - _MAX_TERMS_SHOWN if len(terms) > _MAX_TERMS_SHOWN + 1 else 0
        shown = terms[:_MAX_TERMS_SHOWN] if hidden else terms
        more = f" + ... ({hidden} more uses)" if hidden else ""
        symbols = " + ".join(f"d{L}/d{_symbol(t.consumer_name)} · "
                             f"∂{_symbol(t.consumer_name)}/∂{name}" for t in shown) + more
        numbers = " + ".join(f"{_factor(t.upstream, k == 0)} · {_factor(t.local, False)}"
                             + ("" if t.flows else " (no gradient flows here)")
                             for k, t in enumerate(shown)) + more
        return f"d{L}/d{name} = {symbols} = {numbers} = {_number_text(self.grad)}"

    def __str__(self) -> str:
        return self.text


def _symbol(name: str) -> str:
    """A name as it appears after a d: `a`, `w#3`, or in parentheses, `d(x1*w1 + x2*w2)`."""
    return name if _SIMPLE_NAME.fullmatch(name) else f"({name})"


def _number_text(x: float) -> str:
    """A number as written in a formula: the minus sign is a real one, −2.0."""
    text = format_number(x)
    return "\N{MINUS SIGN}" + text[1:] if text.startswith("-") else text


def _factor(x: float, first: bool) -> str:
    """A number in a product, negative ones in parentheses unless they open the line: 2·(−3)."""
    text = _number_text(x)
    return f"({text})" if text.startswith("\N{MINUS SIGN}") and not first else text


class BackwardSteps(list):
    """The list of `BackwardStep`s, in the order backward completes them (root first).

    It displays as the explanation: in a REPL the steps as text, one per line (the first and last
    20 of a longer one, with a count of the rest; `print` shows them all);
    in a notebook the step-through of `save_backward_steps` inline, the graph's gradients filling
    in one step at a time (buttons, or the arrow keys once clicked). Index it for the data.

    Attributes:
        root: the Value whose backward pass the steps explain (None for a list built by hand).
    """

    root: Value | None = None

    def __str__(self) -> str:
        return "\n".join(step.text for step in self)

    def __repr__(self) -> str:  # the REPL's view: bounded, as a graph may have 10,000 nodes
        if not self:
            return "BackwardSteps([])"
        if len(self) <= 2 * _EDGE_STEPS + 1:
            return str(self)
        hidden = len(self) - 2 * _EDGE_STEPS
        return "\n".join([step.text for step in self[:_EDGE_STEPS]]
                         + [f"... {hidden} more steps (print(steps) shows them all)"]
                         + [step.text for step in self[-_EDGE_STEPS:]])

    def _repr_html_(self) -> str:
        from .step_page import inline_html  # the page knows the steps, not the other way round
        if self.root is None:
            return f"<pre>{html.escape(str(self))}</pre>"
        return inline_html(self.root, self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                          **_: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The step-through as HTML, and beside it a PNG of the graph with its final gradients
        (for front ends that show no HTML), and the text."""
        from .step_page import inline_parts
        if self.root is None:
            return {"text/html": self._repr_html_(), "text/plain": repr(self)}, {}
        page, png, alt = inline_parts(self.root, self)
        data: dict[str, Any] = {"text/html": page, "text/plain": repr(self)}
        if png is not None:
            data["image/png"] = png
        wanted = set(data if include is None else include) - set(exclude or ())
        data = {mimetype: value for mimetype, value in data.items() if mimetype in wanted}
        return data, ({"image/png": {"alt": alt}} if "image/png" in data else {})


def backward_steps(root: Value) -> BackwardSteps:
    """The steps of `root.backward()`, taken by the engine's definition of it, with every `.grad`
    put back as it was afterwards.

    The steps come from `autograd.core.reference_backward`, the readable reverse mode that the fast
    passes of `Value.backward` are tested against bit for bit, so the numbers are the ones backward
    computes (leaf grads counted from zero): nodes in reverse topological order, each passing
    `grad * ∂node/∂input` to its inputs via its op's `derivatives`, which is why custom ops are
    explained too.
    """
    order = topological_order(root)
    names = node_names(order)
    if not root.label and root.parents and "L" not in names.values():
        names[root] = "L"  # the lesson's name for what is differentiated: dL/dw, not d(v31/1.0)/dw
    root_name = names[root]
    uses: dict[Value, dict[Value, tuple[float, bool]]] = {}  # node -> {consumer: (∂c/∂node, flows)}
    steps = BackwardSteps()
    steps.root = root

    def record(node: Value, partials: tuple) -> None:
        terms = tuple(ChainTerm(c, names[c], c.grad, local, flows)
                      for c, (local, flows) in uses.pop(node, {}).items())
        if node.is_leaf and not node.requires_grad:
            return  # an input that asks for no gradient: backward gives it none (torch's too)
        steps.append(BackwardStep(node, names[node], node.grad, terms, root_name))
        for parent, d in zip(node.parents, partials):
            flows = d is not None  # None: no gradient flows to this input, nothing is passed on
            consumers = uses.setdefault(parent, {})
            local, flowed = consumers.get(node, (0.0, False))
            consumers[node] = (local + (float(d) if flows else 0.0), flowed or flows)

    saved = [(node, node.grad) for node in order]
    try:
        for node in order:
            if node.is_leaf:
                node.grad = 0.0  # leaves counted from zero: this pass's gradients alone
        reference_backward(root, on_step=record)
    finally:
        for node, grad in saved:
            node.grad = grad
    return steps


def explain(root: Value, print_steps: bool = False, file: TextIO | None = None) -> BackwardSteps:
    """Explain `root.backward()` one chain-rule step at a time, with the numbers.

    For each node, in the order backward completes them (the output first, inputs last):

        dL/da = sum over the ops c that used a of  dL/dc · ∂c/∂a

    written e.g. `dL/da = dL/dc · ∂c/∂a = −2.0 · 3.0 = −6.0`. Nothing's `.grad` is changed: call
    `root.backward()` to fill them; the numbers are the ones it computes (leaves counted from zero).
    They are the chain rule's own: hooks (`Value.register_hook`) are not run, since explaining must
    not call your functions (their printing and logging belong to backward), so from a node whose
    hook replaces its gradient on, backward's numbers differ from these.

    The result displays itself, once: typed at the REPL (or printed) it shows the steps as text;
    as a notebook cell's value, the step-through page inline. Nothing is printed otherwise.

    Args:
        root: the output Value, L.
        print_steps: also print the explanation now (to `file`, default stdout), for scripts.
        file: where to print.

    Returns:
        The steps as data (`BackwardSteps`, a list of `BackwardStep`).
    """
    check_root(root, "explain")
    steps = backward_steps(root)
    if print_steps:
        print(str(steps), file=file or sys.stdout)
    return steps


def save_backward_steps(root: Value, path: str | os.PathLike = "backward_steps.html",
                        rankdir: str = "LR", max_nodes: int | None = DEFAULT_MAX_NODES,
                        timeout: float | None = DEFAULT_TIMEOUT) -> str:
    """Write a web page that steps through `root`'s backward pass, one gradient at a time.

    The page shows the computation graph (drawn by graphviz's `dot`, which must be installed)
    and the chain-rule steps of `explain(root)`. The previous/next buttons, the left/right arrow
    keys, or a click on a step move through them; each step fills in one node's gradient and
    highlights the nodes it was computed from. The file needs no network and no other file.

    Args:
        root: the output Value, L.
        path: the .html file to write (missing folders are created, as by every chainrule saver;
            it is replaced atomically, see `write_atomically`).
        rankdir: layout direction of the graph, as in `draw_dot`.
        max_nodes: refuse graphs with more Values than this (a page of 1000 steps helps no one).
        timeout: seconds graphviz's `dot` may spend laying the graph out; past them it is
            stopped with a `GraphTooSlowError` saying what to do (None: no limit).

    Returns:
        The path written, as a string (as `save_graph`).
    """
    check_root(root, "save_backward_steps")
    path = checked_path(path)  # before the rendering: an empty path is refused at once
    from .step_page import page, render  # the page needs graphviz: loaded when asked for
    svg, steps, ids = render(root, backward_steps(root), rankdir, max_nodes, timeout)
    return write_atomically(path, page(svg, steps, ids))
