"""How numbers and nodes are written in pictures, trees and explanations (one place for all three)."""
from __future__ import annotations

import math
import unicodedata
from typing import Any, Iterable

from .value import Value


def format_number(x: Any, digits: int = 4) -> str:
    """`x` rounded to `digits` significant digits, always looking like a float: 1.0, -6.0, 0.7071, 1.2e-08.

    A Value (a gradient left by `backward(create_graph=True)`) is shown by its number.
    """
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
    """The node's gradient as a float (a Value after `backward(create_graph=True)`)."""
    g = v.grad
    return g.data if isinstance(g, Value) else float(g)


def printable(text: str) -> str:
    """`text` with control characters (other than newline) written as escapes, e.g. '\\t', '\\x1b'.

    Graph pictures go through XML, which cannot hold most control characters at all.
    """
    if text.isprintable():
        return text
    out = []
    for ch in text.replace("\r\n", "\n"):
        if ch == "\n" or ch.isprintable() or unicodedata.category(ch) == "Zs":
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])
    return "".join(out)


def node_names(order: Iterable[Value]) -> dict[Value, str]:
    """A short unique name for every node: its label, or `v<i>` (its index in topological order).

    A label carried by several nodes (every neuron's weight called "w") gets its index appended,
    `w#3`, so that an explanation never mixes two nodes up.
    """
    order = list(order)
    counts: dict[str, int] = {}
    for node in order:
        if node.label:
            counts[node.label] = counts.get(node.label, 0) + 1
    names = {}
    for i, node in enumerate(order):
        label = printable(node.label)
        if not label:
            names[node] = f"v{i}"
        elif counts[node.label] > 1:
            names[node] = f"{label}#{i}"
        else:
            names[node] = label
    return names
