"""Pictures of the computation graph, drawn with graphviz.

`draw_dot(root)` draws what micrograd's `draw_dot` draws: one box per Value (label | data | grad)
and one small node per op between its inputs and its output, so the picture reads left to right
like the forward pass, and backward runs right to left over it. On top of that:

- `heat=True` colours each box by |grad| on a log scale, with a legend, so vanishing or exploding
  gradients in a deep network are visible at a glance;
- `groups=` (node -> module names, from `autograd.record_scopes()`) draws each module (layer,
  neuron) as a framed cluster, and `collapse=True` draws one box per module instead of its nodes;
- `max_nodes` stops a graph too big for `dot` to lay out in reasonable time, and says what to do.

Labels are written as graphviz HTML-like labels with every character escaped, so no label (quotes,
braces, `<`, `|`, backslashes, newlines, any unicode) can break the DOT source. When the `dot`
program is missing, rendering raises `GraphvizNotFoundError` saying how to install it; the DOT text
itself (`graph.source`, or `save_graph(root, "graph.dot")`) never needs it.
"""
from __future__ import annotations

import base64
import html
import math
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import graphviz

from ..core import Value, topological_order
from ._text import (
    DEFAULT_MAX_NODES,
    DEFAULT_TIMEOUT,
    check_root,
    format_number,
    grad_number,
    op_name,
    printable,
)
from .files import checked_path, write_atomically

RANKDIRS = ("LR", "TB", "RL", "BT")  # graphviz's layout directions; it ignores anything else

# Colours for heat=True: light (tiny gradient, "faded") to dark (large gradient).
HEAT_STOPS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")
ZERO_COLOUR = "#e0e0e0"  # exactly zero: no gradient reaches the node at all
NONFINITE_COLOUR = "#00bcd4"  # nan or inf: something blew up

INSTALL_HINTS = """\
  Debian/Ubuntu:  sudo apt-get install graphviz
  macOS:          brew install graphviz
  conda:          conda install -c conda-forge graphviz"""


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """Graphviz's `dot` program is not installed, so a graph cannot be turned into an image.

    A `RuntimeError` (and a `graphviz.ExecutableNotFound`, so existing handlers still catch it)
    whose message says how to install graphviz and how to get the DOT text without it.
    """

    def __init__(self, output: str = "an image") -> None:
        RuntimeError.__init__(
            self,
            f"cannot draw the graph as {output}: graphviz's `dot` program is not installed "
            f"(or not on PATH): install graphviz, or use the DOT text.\n"
            f"The `graphviz` Python package only writes the DOT text; the picture is made by "
            f"the `dot` program. Install it:\n{INSTALL_HINTS}\n"
            f"The DOT source is still available without it: `graph.source`, or "
            f"autograd.save_graph(root, 'graph.dot'); paste it into any graphviz viewer.")




class GraphTooSlowError(TimeoutError):
    """Graphviz's `dot` took longer than the time budget to lay a graph out, and was stopped.

    A `TimeoutError` whose message says how to draw a smaller view or allow more time.
    """


def _too_slow(timeout: float, nodes: int) -> GraphTooSlowError:
    return GraphTooSlowError(
        f"graphviz's `dot` took more than timeout={timeout:g} s to lay out this graph of {nodes} "
        f"boxes and ovals, and was stopped. Draw a smaller view: pass groups= (e.g. from "
        f"nn.trace_modules(model)) with collapse=True to draw one box per module, or draw a "
        f"smaller expression; or allow more time with timeout={max(4 * timeout, 60):g} "
        f"(timeout=None: wait as long as it takes), e.g. draw_dot(loss, timeout=...).")


# What a notebook is given for each picture format (Jupyter shows these image types inline).
JUPYTER_MIMETYPES = {"svg": "image/svg+xml", "png": "image/png", "jpeg": "image/jpeg",
                     "jpg": "image/jpeg"}


class GraphPicture(graphviz.Digraph):
    """A `graphviz.Digraph` that shows itself in a notebook (and in exported ones), within a
    time budget, and explains how to install `dot` when it is missing.

    In a notebook it offers, at once: an HTML `<img>` with alternative text ("a computation
    graph of 7 values and 3 ops"), scaled down to the width of the output; the SVG, also
    scaled to fit; and a PNG. A trusted notebook shows the first; an untrusted one, or one
    exported by nbconvert, still has one it may show. A click on the HTML picture shows it at its
    own size (a click elsewhere fits it again); `full_size = True` (or
    `draw_dot(..., full_size=True)`) shows it at its own size from the start, with a scrollbar
    when it is wider than the output. With `format="png"` (or "jpeg") it offers that image alone.

    `pipe` and the notebook display stop `dot` after `timeout` seconds (`draw_dot`'s argument;
    None: no limit) with a `GraphTooSlowError` saying how to draw less or wait longer.
    Elsewhere its repr says how to save or view it. The rest is graphviz's own: `.source`,
    `.render(...)`, `.view()`.
    """

    timeout: float | None = DEFAULT_TIMEOUT
    full_size: bool = False
    alt: str = "a computation graph"

    @property
    def _jupyter_mimetype(self) -> str:  # what graphviz's _repr_mimebundle_ renders by default
        return JUPYTER_MIMETYPES.get(self.format, "image/svg+xml")

    def __repr__(self) -> str:
        ext = self.format if self.format in ("svg", "png", "pdf", "jpeg", "jpg") else "svg"
        return (f"<GraphPicture ({self.format}): {self.alt}. It shows itself in "
                f"Jupyter; here, .render('graph') writes graph.{ext} and .view() opens it, "
                f"autograd.save_graph(root, 'graph.{ext}') draws and saves in one step, and "
                f".source is the DOT text>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                          **_: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        wanted = ({"text/html", "image/svg+xml", "image/png"} if self._jupyter_mimetype ==
                  "image/svg+xml" else {self._jupyter_mimetype})
        if include is not None:
            wanted &= set(include)
        wanted -= set(exclude or ())
        data: dict[str, Any] = {}
        if wanted & {"text/html", "image/svg+xml"}:
            svg = self._fitted_svg()
            if "text/html" in wanted:
                data["text/html"] = self._html(svg)
            if "image/svg+xml" in wanted:
                data["image/svg+xml"] = svg
        for mimetype in sorted(wanted - {"text/html", "image/svg+xml"}):
            data[mimetype] = self.pipe(format=mimetype.split("/")[1])
        metadata = {mimetype: {"alt": self.alt} for mimetype in data if mimetype != "text/html"}
        return data, metadata

    def _repr_png_(self) -> bytes:
        return self.pipe(format="png")

    def _repr_svg_(self) -> str:
        return self._fitted_svg()

    def _fitted_svg(self) -> str:
        """The SVG, scaled down to the width it is shown in (unless `full_size`), keeping its
        proportions: its viewBox stays, its width and height become a maximum."""
        svg = self.pipe(format="svg", encoding="utf-8")
        if self.full_size:
            return svg
        return re.sub(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"',
                      lambda m: (f'<svg width="{m.group(1)}pt" height="{m.group(2)}pt" '
                                 f'style="max-width: 100%; height: auto"'), svg, count=1)

    def _html(self, svg: str) -> str:
        """An `<img>` of the SVG with alternative text: what nbconvert's HTML shows (it warns
        about images without one), scaled to fit unless `full_size`."""
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        width = re.search(r'<svg width="([\d.]+)pt"', svg)
        size = f'width="{float(width.group(1)) * 4 / 3:.0f}" ' if width else ""
        if self.full_size:
            return (f'<div class="chainrule-graph" style="overflow-x: auto"><img {size}'
                    f'src="data:image/svg+xml;base64,{data}" alt="{html.escape(self.alt)}"></div>')
        # a click gives the picture the focus, and focused it is shown at its own size (a
        # front end that strips <style> still shows it scaled to fit)
        return (f'<div class="chainrule-graph" style="overflow-x: auto"><style>'
                f'.chainrule-graph img:focus {{ max-width: none !important; cursor: zoom-out; }}'
                f'</style><img {size}src="data:image/svg+xml;base64,{data}" '
                f'alt="{html.escape(self.alt)}" style="max-width: 100%; height: auto" '
                f'tabindex="0" title="click: full size; click elsewhere: fit" '
                f'class="chainrule-zoom" role="img"></div>')

    def pipe(self, format: str | None = None, renderer: str | None = None,
             formatter: str | None = None, neato_no_op: Any = None, quiet: bool = False, *,
             engine: str | None = None, encoding: str | None = None) -> Any:
        """The picture as bytes (or text, given an `encoding`) in `format`, drawn by `dot`
        within `self.timeout` seconds (graphviz's `pipe`, with a time budget)."""
        if renderer or formatter or neato_no_op or engine not in (None, self.engine):
            return self._graphviz_pipe(format, renderer, formatter, neato_no_op, quiet,
                                       engine=engine, encoding=encoding)
        fmt = format or self.format
        try:
            done = subprocess.run([self.engine, f"-T{fmt}"], input=self.source.encode("utf-8"),
                                  capture_output=True, timeout=self.timeout, check=False)
        except FileNotFoundError:
            raise GraphvizNotFoundError(fmt) from None
        except subprocess.TimeoutExpired as expired:  # only ever with a timeout
            raise _too_slow(expired.timeout, self.source.count(" [label=")) from None
        if done.returncode:
            raise graphviz.CalledProcessError(done.returncode, [self.engine, f"-T{fmt}"],
                                              output=done.stdout, stderr=done.stderr)
        if done.stderr and not quiet:
            sys.stderr.write(done.stderr.decode("utf-8", "replace"))
        return done.stdout.decode(encoding) if encoding else done.stdout

    def _graphviz_pipe(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as err:
            if isinstance(err, GraphvizNotFoundError):
                raise
            raise GraphvizNotFoundError(f"{args[0] or self.format}") from None

    def render(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as err:
            if isinstance(err, GraphvizNotFoundError):
                raise
            raise GraphvizNotFoundError(f"{kwargs.get('format') or self.format}") from None


# -- escaping --------------------------------------------------------------------------------------
def html_text(text: Any) -> str:
    """Any text as the content of a graphviz HTML-like label: entities escaped, lines as <BR/>.

    Backslashes are doubled: graphviz expands `\\N` (the node's name), `\\G` and friends even
    inside HTML-like labels (entities are decoded first, so `&#92;` would not help), and reads
    `\\\\` as one backslash.
    """
    lines = printable(str(text)).replace("\\", "\\\\").split("\n")
    return '<BR ALIGN="CENTER"/>'.join(html.escape(line, quote=True) for line in lines)


# -- gradient heat ---------------------------------------------------------------------------------
class HeatScale:
    """Maps |grad| to a colour on a log scale spanning the graph's smallest to largest |grad|.

    Zero gradients are grey and nan/inf are cyan, both outside the scale.
    """

    def __init__(self, grads: Sequence[float]) -> None:
        logs = [math.log10(abs(g)) for g in grads if g != 0 and math.isfinite(g)]
        self.has_zero = any(g == 0 for g in grads)
        self.has_nonfinite = any(not math.isfinite(g) for g in grads)
        self.lo = min(logs) if logs else 0.0
        self.hi = max(logs) if logs else 0.0
        self.has_scale = bool(logs)

    def position(self, g: float) -> float:
        """Where |g| falls on the scale: 0.0 at the smallest |grad|, 1.0 at the largest."""
        if self.hi - self.lo < 1e-12:
            return 1.0
        return min(1.0, max(0.0, (math.log10(abs(g)) - self.lo) / (self.hi - self.lo)))

    def colour(self, g: float) -> str:
        """The fill colour for a node whose gradient is g."""
        if not math.isfinite(g):
            return NONFINITE_COLOUR
        if g == 0:
            return ZERO_COLOUR
        return _interpolate(HEAT_STOPS, self.position(g))

    def legend(self) -> str:
        """An HTML-like label: a column of colour swatches with the |grad| each stands for."""
        rows = ['<TR><TD COLSPAN="2"><B>|grad|</B> (log scale)</TD></TR>']
        if self.has_scale and self.hi - self.lo < 1e-12:
            rows.append(_legend_row(HEAT_STOPS[-1], f"{10 ** self.hi:.1e}"))
        elif self.has_scale:
            for k in range(4, -1, -1):  # largest at the top
                t = k / 4
                rows.append(_legend_row(_interpolate(HEAT_STOPS, t),
                                        f"{10 ** (self.lo + t * (self.hi - self.lo)):.1e}"))
        if self.has_zero:
            rows.append(_legend_row(ZERO_COLOUR, "0"))
        if self.has_nonfinite:
            rows.append(_legend_row(NONFINITE_COLOUR, "nan / inf"))
        return ('<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">'
                + "".join(rows) + "</TABLE>>")


def _legend_row(colour: str, text: str) -> str:
    swatch = f'<TD BGCOLOR="{colour}" WIDTH="24"> </TD>'
    return f'<TR>{swatch}<TD ALIGN="LEFT">{html_text(text)}</TD></TR>'


def _interpolate(stops: Sequence[str], t: float) -> str:
    """The colour at position t in [0, 1] along evenly spaced hex colour stops."""
    x = t * (len(stops) - 1)
    i = min(int(x), len(stops) - 2)
    f = x - i
    a, b = _rgb(stops[i]), _rgb(stops[i + 1])
    return "#" + "".join(f"{round(p + (q - p) * f):02x}" for p, q in zip(a, b))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _text_colour(fill: str) -> str:
    r, g, b = _rgb(fill)
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 128 else "black"


# -- the node pictures -----------------------------------------------------------------------------
def value_label(v: Value, show_grad: bool = True, fill: str | None = None,
                grad: float | None = None, name: str | None = None,
                compact: bool = False) -> str:
    """The HTML-like label of a Value's box: [label |] data | grad, like micrograd's record.

    `grad` replaces `v.grad` in the box (the step-through page shows gradients it computed);
    `name` is shown in grey italics when the Value has no label (so the page's text can refer
    to every box). `compact` stacks the label over the numbers in a smaller font, for pictures
    of whole models.
    """
    if compact:
        return _compact_label(v, show_grad, fill, v.grad if grad is None else grad)
    font = f'<FONT COLOR="{_text_colour(fill)}">' if fill else ""
    end = "</FONT>" if fill else ""
    cells = []
    if v.label:
        cells.append(f"<TD><B>{font}{html_text(v.label)}{end}</B></TD>")
    elif name:
        cells.append(f'<TD><I><FONT COLOR="#777777">{html_text(name)}</FONT></I></TD>')
    cells.append(f"<TD>{font}data {format_number(v.data)}{end}</TD>")
    if show_grad:
        shown = v.grad if grad is None else grad
        cells.append(f"<TD>{font}grad {format_number(shown)}{end}</TD>")
    bg = fill or "white"
    return (f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" BGCOLOR="{bg}">'
            f'<TR>{"".join(cells)}</TR></TABLE>>')


def _compact_label(v: Value, show_grad: bool, fill: str | None, grad: float) -> str:
    colour = _text_colour(fill) if fill else "black"
    font = f'<FONT POINT-SIZE="9" COLOR="{colour}">'
    numbers = f"<TD>{font}{format_number(v.data, 3)}</FONT></TD>"
    if show_grad:
        numbers += f"<TD>{font}∇ {format_number(grad, 3)}</FONT></TD>"
    top = (f'<TR><TD COLSPAN="{2 if show_grad else 1}">{font}<B>{html_text(v.label)}</B>'
           f"</FONT></TD></TR>" if v.label else "")
    return (f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2" '
            f'BGCOLOR="{fill or "white"}">{top}<TR>{numbers}</TR></TABLE>>')


def _new_picture(format: str, rankdir: str) -> GraphPicture:
    if rankdir not in RANKDIRS:
        known = ", ".join(map(repr, RANKDIRS))
        raise ValueError(f"rankdir must be one of {known}, got {rankdir!r}")
    return GraphPicture(name="chainrule", format=format, graph_attr={"rankdir": rankdir},
                        node_attr={"fontname": "Helvetica", "fontsize": "12"},
                        edge_attr={"arrowsize": "0.7"})


# a - b and b - a draw the same boxes and oval: the edges into an op whose inputs do not commute
# say which side of the operator each input is on
INPUT_ROLES = {"-": ("left", "right"), "/": ("left", "right"), "**": ("base", "exponent")}
# next to the arrowhead, at the op it belongs to (a label in the middle of a long edge drifts
# away from it, and dot may put it beside another edge)
ROLE_STYLE = {"labelfontsize": "9", "labelfontname": "Helvetica", "labelfontcolor": "#555555",
              "labeldistance": "2.2", "labelangle": "35"}


def _too_many(count: int, max_nodes: int, what: str) -> ValueError:
    return ValueError(
        f"the picture would have {count} {what}, more than max_nodes={max_nodes}; graphviz's `dot` "
        f"needs a long time to lay out graphs that big and the result is unreadable. Draw a "
        f"smaller view: pass groups= (which module made each node: nn.trace_modules(model) for a "
        f"model, autograd.record_scopes() for your own scopes) with collapse=True to draw one box "
        f"per module, or draw a smaller expression; or raise the limit with max_nodes={count} "
        f"(max_nodes=None: no limit).")


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR", show_grad: bool = True, *,
             heat: bool = False, groups: Mapping[Value, Sequence[Any]] | None = None,
             collapse: bool | int = False,
             max_nodes: int | None = DEFAULT_MAX_NODES,
             timeout: float | None = DEFAULT_TIMEOUT, full_size: bool = False) -> GraphPicture:
    """Draw the graph that computed `root` as a `graphviz.Digraph` (micrograd's `draw_dot`,
    extended).

    Each Value is a box `label | data | grad` (numbers to 4 significant digits) and each op a small
    oval between its inputs and its output. The result shows inline in Jupyter, and
    `.render("name")` or `save_graph(...)` writes it to a file.

    Args:
        root: the output Value (usually the loss).
        format: the image format used by `.render()` and shown by Jupyter ("svg", "png",
            "jpeg"; others such as "pdf" are rendered to files and shown as SVG).
        rankdir: layout direction: "LR" (left to right, as micrograd), "TB" (top to bottom), ...
        show_grad: include each node's `.grad` in its box.
        heat: colour each box by |grad| on a log scale, with a legend.
        groups: node -> the names of the modules that made it, outermost first, e.g.
            `{h: ("layer1", "neuron0")}`; each module becomes a framed cluster. Leaves not in the
            mapping (parameters, constants) join their consumer's cluster when all their consumers
            are in the same one. Typically what `autograd.record_scopes()` recorded.
        collapse: with `groups`, draw one box per module instead of its nodes, with the edges
            between modules. True collapses the innermost modules (neurons); an int n collapses at
            depth n (1: the outermost, e.g. layers).
        max_nodes: raise ValueError instead of drawing a picture with more boxes than this
            (None: no limit).
        timeout: seconds graphviz's `dot` may spend laying the picture out when it is shown,
            piped or saved; past them it is stopped with a `GraphTooSlowError` saying what to
            do (None: no limit).
        full_size: in a notebook, show the picture at its own size (with a scrollbar when it
            is wider than the output) instead of scaled down to the output's width.

    Returns:
        A `GraphPicture` (a `graphviz.Digraph`): in a notebook an image with alternative text,
        as SVG and as PNG, so untrusted and exported notebooks show it too.
    """
    picture = _draw(root, format, rankdir, show_grad, heat, groups, collapse, max_nodes)
    picture.timeout, picture.full_size = timeout, full_size
    return picture


def _draw(root: Value, format: str, rankdir: str, show_grad: bool, heat: bool,
          groups: Mapping[Value, Sequence[Any]] | None, collapse: bool | int,
          max_nodes: int | None) -> GraphPicture:
    check_root(root, "draw_dot")
    order = topological_order(root)
    placement = _placement(order, groups) if groups else {}
    if collapse:
        if not groups:
            raise ValueError("collapse=True needs groups= (which module made each node), e.g. from "
                             "autograd.record_scopes(); without groups there is nothing to "
                             "collapse")
        return _draw_collapsed(order, placement, collapse, format, rankdir, show_grad, heat,
                               max_nodes)
    if max_nodes is not None and len(order) > max_nodes:
        raise _too_many(len(order), max_nodes, "value nodes")
    picture = _draw_every_node(order, placement, format, rankdir, show_grad, heat)
    ops = sum(1 for node in order if node.parents)
    picture.alt = (f"a computation graph of {len(order)} values and {ops} ops, the output "
                   f"{_describe(root)} on the right" + (", boxed by module" if placement else "")
                   + (", coloured by the size of each gradient" if heat else ""))
    return picture


def _describe(v: Value) -> str:
    name = f"{printable(v.label)} " if v.label else ""
    return f"{name}= {format_number(v.data)} (grad {format_number(grad_number(v))})"


def _draw_every_node(order: list[Value], placement: Mapping[Value, tuple], format: str,
                     rankdir: str, show_grad: bool, heat: bool,
                     grads: Mapping[Value, float] | None = None,
                     names: Mapping[Value, str] | None = None) -> GraphPicture:
    """The full picture: a box per Value and an oval per op; `grads` overrides the `.grad`s and
    `names` names the unlabelled boxes."""
    picture = _new_picture(format, rankdir)
    if placement:  # a whole model: small boxes, close together, so it fits on a screen
        picture.attr(ranksep="0.3", nodesep="0.08")
        # and in its own order (see _reading_order): a second crossing minimisation after the
        # clusters are placed would shuffle the weights of every layer after the first
        picture.graph_attr["remincross"] = "false"
    grad_of = grads.__getitem__ if grads is not None else grad_number
    scale = HeatScale([grad_of(v) for v in order]) if heat else None
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    clusters = _Clusters(picture)
    edges: list[tuple[str, str, str, dict[str, str]]] = []
    for node in (_reading_order(order, placement) if placement else _tree_order(order)):
        nid = ids[node]
        fill = scale.colour(grad_of(node)) if scale else None
        target = clusters.graph_for(placement.get(node, ()))
        name = names.get(node) if names else None
        shown = node.grad if grads is None else grads.get(node)  # None (no gradient) is shown so
        target.node(nid, label=value_label(node, show_grad, fill, shown, name,
                                           compact=bool(placement)),
                    shape="plaintext", id=nid)
        if node.parents:
            op_id = f"{nid}_op"
            own = _own_inputs(node, placement) if placement else []
            target.node(op_id, label=f"<{html_text(op_name(node))}>", shape="ellipse", id=op_id,
                        width="0.3", height="0.3", margin="0.03")
            if len(own) > 1:  # the weights in one column, w0 on top (dot stacks rows bottom-up)
                chain = [ids[p] for p in (reversed(own) if rankdir in ("LR", "RL") else own)]
                target.body.append("\t{rank=same; " + " -> ".join(chain) + " [style=invis]}\n")
            edges.append((op_id, nid, f"e_{op_id}_{nid}", {}))
            roles = INPUT_ROLES.get(op_name(node), ())
            inputs = list(enumerate(node.parents))
            if own:  # a neuron: its own weights and bias first, in their order, then its inputs
                inputs.sort(key=lambda item: item[1] not in own)
            for k, parent in inputs:
                attributes = {"headlabel": roles[k], **ROLE_STYLE} if k < len(roles) else {}
                if own and parent not in own:
                    attributes["minlen"] = "2"  # leaves the neuron's own column to its weights
                edges.append((ids[parent], op_id, f"e_{ids[parent]}_{op_id}_{k}", attributes))
    clusters.close()
    for tail, head, eid, attributes in edges:
        picture.edge(tail, head, id=eid, **attributes)
    if scale:
        picture.node("legend", label=scale.legend(), shape="plaintext")
    return picture


def _own_inputs(node: Value, placement: Mapping[Value, tuple]) -> list[Value]:
    """The inputs of `node` that belong to its module alone: a neuron's weights and bias."""
    path = placement.get(node)
    return [p for p in node.parents if path and p.is_leaf and placement.get(p) == path]


def _tree_order(order: list[Value]) -> list[Value]:
    """The nodes in the order they are declared to dot, which keeps it where crossings tie
    (first declared on top of an LR picture): the order of the lines of `tree()`, the output
    first and each op's inputs in their order below it (a depth-first walk, linear in the
    graph's size)."""
    if not order:
        return []
    place: dict[Value, int] = {}
    stack = [order[-1]]
    while stack:
        node = stack.pop()
        if node in place:
            continue
        place[node] = len(place)
        stack.extend(reversed(node.parents))
    return sorted(order, key=lambda node: place.get(node, len(place)))


def _reading_order(order: list[Value], placement: Mapping[Value, tuple]) -> list[Value]:
    """The nodes of a model in the order they are declared to dot, which keeps it where crossings
    tie (first declared on top of an LR picture): the model's inputs x[0], x[1], ... in their
    order, and each neuron's weights w0, w1, ... and bias before the op that uses them."""
    position = {node: i for i, node in enumerate(order)}
    own_rank: dict[Value, tuple] = {}
    for node in order:
        for k, leaf in enumerate(_own_inputs(node, placement)):
            own_rank.setdefault(leaf, (position[node], k))

    def key(node: Value) -> tuple:
        if node in own_rank:  # just before its op, in the op's order of inputs
            return own_rank[node]
        if not node.parents and node.label and node not in placement:
            return (-1, _natural((str(node.label),)))  # an input of the model: by its name
        return (position[node], math.inf)
    return sorted(order, key=key)


def save_graph(root: Value, path: str | os.PathLike, **options: Any) -> str:
    """Draw `root`'s graph (see `draw_dot` for the options) into a file; returns its path as a
    string, as graphviz's `render` does.

    The format follows the extension: .svg, .png, .pdf, or .dot/.gv for the DOT text itself,
    which needs no graphviz binary. Missing folders are created, as by every chainrule saver; the
    file is replaced atomically (see `write_atomically`), so an interrupted save leaves the old
    picture whole. Any name the file system accepts works.
    """
    check_root(root, "save_graph")
    path = Path(checked_path(path))
    ext = path.suffix.lower().lstrip(".")
    if ext not in ("svg", "png", "pdf", "dot", "gv"):
        raise ValueError(f"cannot tell the picture format from {str(path)!r}: use a file name "
                         f"ending in .svg, .png, .pdf, or .dot (the DOT text, no graphviz needed)")
    options.pop("format", None)
    picture = draw_dot(root, format="svg" if ext in ("dot", "gv") else ext, **options)
    data = picture.source if ext in ("dot", "gv") else picture.pipe(format=ext)
    return write_atomically(path, data)


# -- modules: clusters and collapsed views ---------------------------------------------------------
def _placement(order: list[Value], groups: Mapping[Value, Sequence[Any]]) -> dict[Value, tuple]:
    """Node -> module path for every node in a module: the recorded nodes, plus each leaf whose
    consumers all lie in one same module (a neuron's weights and bias)."""
    placement = {}
    consumer_paths: dict[Value, set] = {}
    for node in order:
        path = groups.get(node)
        if isinstance(path, str):
            path = (path,)  # one module name, not a path of one-letter modules
        if path:
            placement[node] = tuple(str(k) for k in path)
        for parent in node.parents:
            if parent.is_leaf and parent not in groups:
                consumer_paths.setdefault(parent, set()).add(placement.get(node))
    for leaf, paths in consumer_paths.items():
        if len(paths) == 1:
            (path,) = paths
            if path:
                placement[leaf] = path
    return placement


class _Clusters:
    """One framed subgraph per module path; nested modules nest. `close()` attaches them all."""

    def __init__(self, picture: GraphPicture) -> None:
        self.picture = picture
        self.subgraphs: dict[tuple, GraphPicture] = {}

    def graph_for(self, path: tuple) -> graphviz.Digraph:
        """The (sub)graph a node of module `path` is declared in; () is the whole picture."""
        if not path:
            return self.picture
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix not in self.subgraphs:
                title = prefix[-1]
                if depth > 1 and title.startswith(f"{prefix[-2]}."):
                    title = title[len(prefix[-2]) + 1:]  # inside layers.0: neurons.3
                self.subgraphs[prefix] = GraphPicture(
                    name=f"cluster_{len(self.subgraphs)}",
                    graph_attr={"label": f"<{html_text(title)}>", "style": "rounded",
                                "color": "#888888", "fontname": "Helvetica",
                                "fontsize": "11", "margin": "6"})
        return self.subgraphs[path]

    def close(self) -> None:
        # innermost first: a cluster's body is copied into its parent when attached
        # in their modules' order (neuron 0, 1, ...): dot keeps the order of declaration where
        # crossings tie, first declared on top of an LR picture
        paths = sorted(self.subgraphs, key=_natural)
        for path in sorted(paths, key=len, reverse=True):
            parent = self.subgraphs[path[:-1]] if len(path) > 1 else self.picture
            parent.subgraph(self.subgraphs[path])


def _natural(path: tuple) -> list:
    """Sort key for module paths that puts "neurons.2" before "neurons.10"."""
    return [tuple((0, int(part)) if part.isdigit() else (1, part)
                  for part in re.split(r"(\d+)", str(name))) for name in path]


def _keep_sibling_order(clusters: _Clusters, members: Mapping[tuple, list], ids: Mapping[Any, str],
                        edges: Mapping[tuple[str, str], int]) -> None:
    """Side by side modules (the neurons of a layer: siblings with no edge between them) are laid
    out in their own order, neuron 0 first, rather than wherever dot's crossing minimisation puts
    them: one rank with invisible edges from each to the next (and no second crossing
    minimisation after the clusters are placed, which would ignore those edges)."""
    siblings: dict[tuple, list[tuple]] = {}
    for path in members:
        siblings.setdefault(path[:-1], []).append(path)
    for parent, paths in siblings.items():
        chain = [ids[path] for path in sorted(paths, key=_natural)]
        inside = set(chain)
        if len(chain) < 2 or any(t in inside and h in inside for t, h in edges):
            continue  # one module, or modules in sequence (layers): dot's ranks order them
        if parent and clusters.picture.graph_attr.get("rankdir") in ("LR", "RL"):
            chain.reverse()  # dot stacks a cluster's row bottom-up in these directions
        row = graphviz.Digraph(graph_attr={"rank": "same"})
        for tail, head in zip(chain, chain[1:]):
            row.edge(tail, head, style="invis")
        clusters.graph_for(parent).subgraph(row)
        clusters.picture.graph_attr["remincross"] = "false"


def _draw_collapsed(order: list[Value], placement: dict[Value, tuple], collapse: bool | int,
                    format: str, rankdir: str, show_grad: bool, heat: bool,
                    max_nodes: int | None) -> GraphPicture:
    depth = None if collapse is True else int(collapse)
    if depth is not None and depth < 1:
        raise ValueError(f"collapse must be True or a depth >= 1, got {collapse!r}")
    unit: dict[Value, Any] = {}  # node -> its module path (collapsed) or itself (drawn alone)
    members: dict[tuple, list[Value]] = {}
    for node in order:
        path = placement.get(node)
        if path:
            path = path[:depth] if depth else path
            unit[node] = path
            members.setdefault(path, []).append(node)
        else:
            unit[node] = node
    singles = [node for node in _tree_order(order) if unit[node] is node]  # in reading order
    count = len(members) + len(singles)
    if max_nodes is not None and count > max_nodes:
        raise _too_many(count, max_nodes, "boxes even collapsed")

    picture = _new_picture(format, rankdir)
    ids: dict[Any, str] = {}
    for k, path in enumerate(members):
        ids[path] = f"m{k}"
    for i, node in enumerate(order):
        if unit[node] is node:
            ids[node] = f"v{i}"
    grads = {path: [grad_number(v) for v in nodes] for path, nodes in members.items()}
    mean_abs = {path: math.fsum(map(abs, g)) / len(g) for path, g in grads.items()}
    scale = HeatScale(list(mean_abs.values()) + [grad_number(v) for v in singles]) if heat else None
    clusters = _Clusters(picture)
    # declared in their modules' order (neuron 0, 1, 2...), which dot keeps where crossings tie
    for path, nodes in sorted(members.items(), key=lambda item: _natural(item[0])):
        fill = scale.colour(mean_abs[path]) if scale else "#ffffff"
        font = f'<FONT COLOR="{_text_colour(fill)}">'
        n_ops = sum(1 for v in nodes if v.parents)
        lines = [f"<B>{font}{html_text(path[-1])}</FONT></B>",
                 f"{font}{n_ops} ops, {len(nodes) - n_ops} leaves</FONT>"]
        if show_grad:
            lines.append(f"{font}mean |grad| {format_number(mean_abs[path])}</FONT>")
        label = (f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" '
                 f'BGCOLOR="{fill}"><TR><TD>{"<BR/>".join(lines)}</TD></TR></TABLE>>')
        clusters.graph_for(path[:-1]).node(ids[path], label=label, shape="plaintext", id=ids[path])
    edge_counts: dict[tuple[str, str], int] = {}
    edge_roles: dict[tuple[str, str], str] = {}  # which side of a - b (see INPUT_ROLES)
    for node in singles:
        node_fill = scale.colour(grad_number(node)) if scale else None
        nid = ids[node]
        picture.node(nid, label=value_label(node, show_grad, node_fill), shape="plaintext",
                     id=nid)
        if node.parents:
            picture.node(f"{nid}_op", label=f"<{html_text(op_name(node))}>", shape="ellipse",
                         width="0.3", height="0.3", margin="0.03")
            edge_counts[(f"{nid}_op", nid)] = 1
    for node in order:
        head = ids[unit[node]] + ("_op" if unit[node] is node else "")
        roles = INPUT_ROLES.get(op_name(node), ()) if unit[node] is node and node.op else ()
        for k, parent in enumerate(node.parents):
            if ids[unit[parent]] != ids[unit[node]]:  # not `unit !=`: equal Values are not one box
                key = (ids[unit[parent]], head)
                edge_counts[key] = edge_counts.get(key, 0) + 1
                if k < len(roles):
                    edge_roles[key] = roles[k]
    _keep_sibling_order(clusters, members, ids, edge_counts)
    clusters.close()
    for (tail, head), n in edge_counts.items():
        if n > 1:
            picture.edge(tail, head, label=f"×{n}", penwidth=f"{min(1 + math.log2(n) / 2, 4):.2f}")
        elif (tail, head) in edge_roles:  # an op drawn alone, as in the full picture
            picture.edge(tail, head, headlabel=edge_roles[tail, head], **ROLE_STYLE)
        else:
            picture.edge(tail, head)
    if scale:
        picture.node("legend", label=scale.legend(), shape="plaintext")
    picture.alt = (f"a computation graph drawn one box per module: {len(members)} modules and "
                   f"{len(singles)} other values" + (", coloured by the mean size of their "
                                                     "gradients" if heat else ""))
    return picture
