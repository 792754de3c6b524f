"""The computation graph as indented text, for a plain REPL with no picture viewer.

    >>> print(L.tree())
    [*] L  data=-8.0  grad=1.0
    ├── [+] d  data=4.0  grad=-2.0
    │   ├── [*] e  data=-6.0  grad=-2.0
    ...

Each line is one node, `[op] label  data=...  grad=...`, with the node's inputs indented under it.
A subexpression used more than once is drawn the first time only; later uses say "(see above)".
`tree()` returns a `TextTree`: the text itself (a `str`), which also displays as the tree, at the
REPL without quotes and in a notebook as a block of the same lines.
"""
from __future__ import annotations

import html

from ..core import DISPLAY, Value, topological_order
from ._text import check_root, format_number, node_names, printable

_BRANCH, _LAST = "├── ", "└── "
_PIPE, _SPACE = "│   ", "    "
_WRAP = 16  # levels of indentation before the deeper part starts again at the left margin
_EDGE = 5  # a node with more inputs than 2 * _EDGE + 1 shows its first and last _EDGE of them


class TextTree(str):
    """The text of `tree()`: a `str` in every way, displayed as the tree itself.

    Typed at the REPL it shows the lines (not a quoted one-line string); in a notebook the same
    lines as a monospaced block. `str(t)` or `print(t)` give the text.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return ('<pre class="chainrule-tree" style="line-height: 1.25; font-family: ui-monospace, '
                f'Menlo, Consolas, monospace">{html.escape(str(self))}</pre>')


def tree(root: Value, max_depth: int | None = 8,
         max_inputs: int | None = 2 * _EDGE + 1) -> TextTree:
    """`root`'s graph as a tree of text lines, root first, each node's inputs indented below it.

    Args:
        root: the output Value.
        max_depth: inputs more than this many steps below the root are summarised by one line
            "... N more nodes" (None: draw everything).
        max_inputs: a node with more inputs than this (a sum of 10,000 terms) shows its first
            and last 5 and one line "... N more inputs" between them (None: every input).

    Returns:
        The text as a `TextTree` (a `str` that displays as the tree). A node used more than once
        is drawn once; later it is referred to by its label or short name followed by "(see
        above)"; consecutive references share a line. Past 16 levels of indentation the deeper
        part continues at the left margin, after a line saying so, so the text grows linearly
        with the graph however deep it is.
    """
    check_root(root, "tree")
    order = topological_order(root)
    names = node_names(order)
    uses: dict[Value, int] = {}
    for node in order:
        for parent in node.parents:
            uses[parent] = uses.get(parent, 0) + 1
    shared = {node for node, n in uses.items() if n > 1}

    lines: list[str] = []
    drawn: set[Value] = set()
    counted: set[Value] = set()  # hidden below a depth cut, already in some "... N more nodes"
    # (node, text before the connector, connector, depth); a stack, so deep graphs need no recursion
    stack: list[tuple[Value | None, str, str, int]] = [(root, "", "", 0)]
    refs: tuple = ()  # (indent, line number, names) of the last "(see above)" line
    while stack:
        item, indent, connector, depth = stack.pop()
        if item is None:  # the "... N more inputs" line
            lines.append(f"{indent}{connector}")
            continue
        node = item
        name = (names[node] if node in shared else printable(node.label)).replace("\n", "\\n")
        if node in drawn:
            # consecutive references among one node's inputs share a line: a neuron's dot node
            # refers to all of its layer's inputs at once
            if refs and refs[0] == indent and refs[1] == len(lines) - 1:
                refs[2].append(name)
                lines[-1] = f"{indent}{connector}{_references(refs[2])}"
            else:
                refs = (indent, len(lines), [name])
                lines.append(f"{indent}{connector}{_references(refs[2])}")
            continue
        drawn.add(node)
        op = f"[{printable(node.op.name)}]" if node.parents else ""
        head = " ".join(filter(None, [op, name]))
        numbers = f"data={format_number(node.data)}  grad={format_number(node.grad)}"
        lines.append(f"{indent}{connector}{head}  {numbers}" if head else
                     f"{indent}{connector}{numbers}")
        if not node.parents:
            continue
        child_indent = indent + (_PIPE if connector == _BRANCH else _SPACE if connector else "")
        if len(child_indent) > 4 * _WRAP:
            lines.append(f"{child_indent[:4 * _WRAP]}↓ depth {depth + 1} continues at the left "
                         f"margin: the inputs of {_short(node, names)}")
            child_indent = ""
        if max_depth is not None and depth >= max_depth:
            hidden = _count_hidden(node, drawn, counted)
            more = (f"... {hidden} more node{'s' if hidden != 1 else ''}" if hidden
                    else "... (inputs drawn or counted above)")
            lines.append(f"{child_indent}{_LAST}{more}")
            continue
        parents = node.parents
        shown: list[int | None] = list(range(len(parents)))
        if max_inputs is not None and len(parents) > max(max_inputs, 2 * _EDGE + 1):
            shown = [*range(_EDGE), None, *range(len(parents) - _EDGE, len(parents))]
        for k in reversed(shown):
            if k is None:  # the middle of a very wide node: one line instead of thousands
                hidden = len(parents) - 2 * _EDGE
                stack.append((None, child_indent, f"{_BRANCH}... {hidden} more inputs "
                              f"(autograd.tree(node, max_inputs=None) shows them all)", depth + 1))
                continue
            stack.append((parents[k], child_indent, _LAST if k == len(parents) - 1 else _BRANCH,
                          depth + 1))
    return TextTree("\n".join(lines))


def _short(node: Value, names: dict[Value, str]) -> str:
    op = f"[{printable(node.op.name)}] " if node.parents else ""
    return op + names[node].replace("\n", "\\n")


def _count_hidden(node: Value, drawn: set[Value], counted: set[Value]) -> int:
    """How many of node's ancestors are neither drawn nor counted yet; marks them counted.

    Each hidden node is counted once, so a graph whose cut-off parts share inputs costs one walk.
    """
    count = 0
    stack = list(node.parents)
    while stack:
        v = stack.pop()
        if v in drawn or v in counted:
            continue
        counted.add(v)
        count += 1
        stack.extend(v.parents)
    return count


def _references(names: list[str], shown: int = 6) -> str:
    if len(names) > shown + 1:
        return f"{', '.join(names[:shown])} and {len(names) - shown} more (see above)"
    return f"{', '.join(names)} (see above)"


DISPLAY.register(tree=tree)  # Value.tree()
