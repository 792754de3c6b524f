"""What a model shows of itself: each layer with its parameter count, and the total.

`Module.__repr__` (text, for the REPL) and `Module._repr_html_` (a table, for a notebook) both read
these rows, so the two displays always agree.
"""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .module import Module


class Row(NamedTuple):
    """One direct part of a model: its attribute name, its own repr, its parameter count."""

    name: str
    text: str
    parameters: int


def rows(module: Module) -> list[Row]:
    """One row per direct child (a layer of an MLP, an entry of a Sequential)."""
    return [Row(name, repr(child), len(child.parameters()))
            for name, child in module.named_children()]


def count_text(n: int) -> str:
    """'1 parameter', '337 parameters'."""
    return f"{n:,} parameter{'' if n == 1 else 's'}"


def html_summary(module: Module) -> str:
    """A table: each layer, what it is, how many parameters it has; the total in the last row."""
    total = len(module.parameters())
    head = html.escape(f"{type(module).__name__}({module.extra_repr()})")
    body = [f"<tr><td><code>{html.escape(r.name)}</code></td>"
            f"<td><code>{html.escape(r.text).replace(chr(10), '<br>')}</code></td>"
            f'<td style="text-align: right">{r.parameters:,}</td></tr>' for r in rows(module)]
    own = total - sum(r.parameters for r in rows(module))
    if own and body:  # parameters held by the container itself, outside its children
        body.append(f'<tr><td colspan="2"><i>(its own)</i></td>'
                    f'<td style="text-align: right">{own:,}</td></tr>')
    return (f'<table class="chainrule-module" style="border-collapse: collapse">'
            f'<caption style="text-align: left"><code>{head}</code></caption>'
            f"<thead><tr><th>layer</th><th>what</th><th>parameters</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody>"
            f'<tfoot><tr><th colspan="2" style="text-align: left">total</th>'
            f'<th style="text-align: right">{total:,}</th></tr></tfoot></table>')
