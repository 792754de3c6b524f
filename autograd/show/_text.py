"""How numbers and nodes are written in pictures, trees and explanations (one place for all)."""
from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Iterable
from typing import Any

from ..core import DISPLAY, Value

DEFAULT_MAX_NODES = 500  # the largest graph drawn unless asked for more (max_nodes=None)
DEFAULT_TIMEOUT = 60.0  # seconds `dot` may take to lay a graph out before it is stopped


def format_number(x: Any, digits: int = 4) -> str:
    """`x` rounded to `digits` significant digits, always looking like a float: 1.0, -6.0, 0.7071,
    1.2e-08.

    A Value (a gradient left by `backward(create_graph=True)`) is shown by its number; None (the
    gradient of a Value that needs none, or has none yet) as "None".
    """
    if x is None:
        return "None"
    if isinstance(x, Value):
        x = x.data
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = f"{x:.{digits}g}"
    if text.lstrip("-").isdigit():
        text += ".0"
    return text


def grad_number(v: Value) -> float:
    """The node's gradient as a float (a Value after `backward(create_graph=True)`); 0.0 for None
    (no gradient: requires_grad=False, or none yet), so heat maps and scales take it as no flow."""
    g = v.grad
    if g is None:
        return 0.0
    return g.data if isinstance(g, Value) else float(g)


def check_root(root: Any, who: str) -> None:
    """A clear TypeError unless `root` is a Value (a student may pass `loss.data`, or a list)."""
    if not isinstance(root, Value):
        raise TypeError(f"{who} works on the graph of one Value (the output of a computation, "
                        f"e.g. the loss), got {type(root).__name__}: {root!r:.60}")


def printable(text: Any) -> str:
    """`text` with control characters (other than newline) written as escapes, e.g. '\\t', '\\x1b'.

    Graph pictures go through XML, which cannot hold most control characters at all. A label that
    is not a string is shown as `str(label)`; a falsy one (None, "") as no text, as in `draw_dot`.
    """
    if not isinstance(text, str):
        text = str(text) if text else ""
    if text.isprintable():
        return text
    out = []
    for ch in text.replace("\r\n", "\n"):
        if ch == "\n" or ch.isprintable() or unicodedata.category(ch) == "Zs":
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])
    return "".join(out)


_INFIX = {"+", "-", "*", "/", "**", "%", "//"}
_MAX_FORMULA = 24  # longer formulas read worse than a short id


def node_names(order: Iterable[Value]) -> dict[Value, str]:
    """A short name for every node of a graph given in topological order (inputs first).

    - a labelled node: its label; a label carried by several nodes (every neuron's weight "w")
      gets the node's index appended, `w#3`, so an explanation never mixes two nodes up;
    - an unlabelled op output: a short formula of its inputs' names when one fits, `x*w`,
      `tanh(n)`, `(x*w)+b`, `x**2`;
    - anything else: `v<i>`, its index in the order.
    """
    order = list(order)
    labels = [printable(node.label).replace("\n", "\\n") for node in order]  # one line each
    counts: dict[str, int] = {}
    for label in labels:
        if label:
            counts[label] = counts.get(label, 0) + 1
    names: dict[Value, str] = {}
    for i, (node, label) in enumerate(zip(order, labels)):
        if label:
            names[node] = f"{label}#{i}" if counts[label] > 1 else label
        else:
            names[node] = _formula(node, names) or f"v{i}"
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    for i, (node, label) in enumerate(zip(order, labels)):
        if not label and seen[names[node]] > 1:
            names[node] = f"{names[node]}#{i}"  # two different x*w nodes
    return names


def _formula(node: Value, names: dict[Value, str]) -> str | None:
    parents = node.parents
    if not parents:
        return None
    args = [_operand(p, names) for p in parents]
    op = printable(node.op.name)
    if op in _INFIX and len(args) == 2:
        text = f"{args[0]}{op}{args[1]}"
    elif op.startswith("**") and len(args) == 1:
        text = f"{args[0]}{op}"
    elif len(args) == 1:
        text = f"{op}({names[parents[0]]})"
    else:  # a weighted sum and the like: named by its first input, dot(l0.n3.w0, …)
        text = f"{op}({names[parents[0]]}, …)"
    return text if len(text) <= _MAX_FORMULA and "\n" not in text else None


def _operand(v: Value, names: dict[Value, str]) -> str:
    if not v.label and not v.parents:
        return format_number(v.data)  # a constant: show the number
    name = names[v]
    plain = name.translate(_NAME_PUNCTUATION)
    return name if plain.isalnum() else f"({name})"


_NAME_PUNCTUATION = str.maketrans("", "", "_#.[]")  # x[0], l0.n3.w1, w#3 need no parentheses


def value_card(v: Value) -> str:
    """A Value as a notebook shows it: one small box with its label, data, grad and the op that
    made it (its text repr, `Value(data=..., grad=...)`, is unchanged)."""
    cells = []
    if v.label:
        cells.append(f"<b>{html.escape(printable(v.label))}</b>")
    cells.append(f"data {format_number(v.data)}")
    cells.append(f"grad {format_number(v.grad)}")
    made = f"made by {html.escape(printable(v.op.name))}" if v.parents else "leaf"
    cells.append(f'<span style="color: #777">{made}</span>')
    return ('<span class="chainrule-value" style="display: inline-block; border: 1px solid #bbb; '
            'border-radius: 4px; padding: 2px 8px; font-family: ui-monospace, Menlo, Consolas, '
            'monospace">' + " &nbsp;│&nbsp; ".join(cells) + "</span>")



DISPLAY.register(card=value_card)  # Value._repr_html_, in a notebook
