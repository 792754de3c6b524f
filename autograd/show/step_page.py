"""The step-through page: one self-contained HTML file where backward's gradients fill in one
by one.

The graph is drawn once by graphviz (with the final gradients, so every box is wide enough) and
embedded as inline SVG. Each backward step is one `<li class="frame">` holding the step's text and,
in data attributes, which node it completes, its gradient and the nodes it came from; a few lines of
inline JavaScript show the steps up to the current one: finished gradients in black, the rest as
"grad ?", the current node in yellow and the ops whose gradients it used in blue. Nothing is fetched
from the network: the page works from a file, offline.
"""
from __future__ import annotations

import base64
import html
import json
import re
import uuid

from ..core import Value, topological_order
from ._text import format_number
from .draw import (
    DEFAULT_MAX_NODES,
    DEFAULT_TIMEOUT,
    GraphTooSlowError,
    GraphvizNotFoundError,
    _draw_every_node,
    _too_many,
)


def render(root: Value, steps: list, rankdir: str = "LR",
           max_nodes: int | None = DEFAULT_MAX_NODES, timeout: float | None = DEFAULT_TIMEOUT,
           png: bool = False) -> tuple:
    """The graph as SVG text (drawn with the final gradients, by `dot` within `timeout`
    seconds), the steps, and the node ids; with `png`, also the same picture as PNG bytes (the
    still picture of `inline_parts`)."""
    order = topological_order(root)
    if max_nodes is not None and len(order) > max_nodes:
        raise _too_many(len(order), max_nodes, "value nodes")
    grads = {step.node: step.grad for step in steps}
    names = {step.node: step.name for step in steps}
    picture = _draw_every_node(order, {}, "svg", rankdir, show_grad=True, heat=False, grads=grads,
                               names=names)
    picture.timeout = timeout
    svg = picture.pipe(format="svg", encoding="utf-8")
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    if png:
        return svg, steps, ids, picture.pipe(format="png")
    return svg, steps, ids


def inline_html(root: Value, steps: list, max_nodes: int | None = DEFAULT_MAX_NODES,
                timeout: float | None = DEFAULT_TIMEOUT) -> str:
    """The step-through as a `<div>` for a notebook cell: see `inline_parts`."""
    return inline_parts(root, steps, max_nodes, timeout)[0]


def inline_parts(root: Value, steps: list, max_nodes: int | None = DEFAULT_MAX_NODES,
                 timeout: float | None = DEFAULT_TIMEOUT) -> tuple[str, bytes | None, str]:
    """The step-through as a `<div>` for a notebook cell (what `explain(L)` displays there).

    Where scripts cannot run (an untrusted notebook, an exported one opened without
    JavaScript) the cell shows a still picture of the graph with its final gradients and one
    line saying to re-run the cell; its script replaces both with the step-through. Without
    graphviz's `dot` it steps through the text alone; a graph bigger than `max_nodes`, or too
    slow to lay out within `timeout` seconds, is shown as the text of its steps.

    Returns:
        The HTML, the still picture as PNG bytes (None when there is none) and its alternative
        text, so that a notebook can offer the PNG beside the HTML.
    """
    uid = f"chainrule-steps-{uuid.uuid4().hex[:12]}"
    png = None
    try:
        svg, steps, ids, png = render(root, steps, "LR", max_nodes, timeout, png=True)
    except GraphvizNotFoundError:
        svg, ids = None, {node: f"v{i}" for i, node in enumerate(topological_order(root))}
    except (ValueError, GraphTooSlowError) as err:  # too big to draw: the text, which says so
        why = "too slow to draw" if isinstance(err, GraphTooSlowError) else "too many to draw"
        return (f"<pre>{html.escape(f'({len(steps)} steps: {why}; print() them)')}"
                f"\n{html.escape(str(steps))}</pre>", None, "")
    live = widget(svg, steps, ids, uid, script=False)
    root_name = steps[0].name if steps else "the output"
    alt = (f"the computation graph of {root_name} with every gradient filled in, as backward "
           f"leaves it")
    if png is not None:
        still = (f'<img src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}" '
                 f'alt="{html.escape(alt)}" style="max-width: 100%; height: auto">')
    else:
        still = ""
    # as a string inside a <script>: no "</script" or "<!--" may end or bend it early
    live = json.dumps(live).replace("</", "<\\/").replace("<!--", "<\\!--")
    return (_INLINE.format(uid=uid, still=still, n=len(steps), live=live, script=_SCRIPT), png,
            alt)


def page(svg: str, steps: list, ids: dict) -> str:
    """The HTML of the page for a rendered `svg` (node ids `v<i>`) and the backward `steps`."""
    root_name = html.escape(steps[0].name) if steps else ""
    title = f"Backward pass of {root_name}"
    return _PAGE.format(title=title, widget=widget(svg, steps, ids, "page", keys="document"))


def widget(svg: str | None, steps: list, ids: dict, uid: str, keys: str = "widget",
           script: bool = True) -> str:
    """The step-through itself as one `<div>` (style and script inside), to embed in any page.

    Every id inside it starts with `uid`, and its script only looks inside its own `<div>`, so
    several widgets on one page (a notebook with many explanations) do not interfere. `keys` says
    who listens to the arrow keys: "document" (a page of its own) or "widget" (only while the
    widget has the focus, as in a notebook, where the page's keys belong to the notebook).
    `svg=None` leaves the graph out (graphviz's `dot` missing): the steps still step through.
    `script=False` leaves the script out, for a caller that runs `_SCRIPT` itself.
    """
    if svg is None:
        graph = ('<p class="cr-help">(no graph: graphviz\'s <code>dot</code> program is not '
                 'installed)</p>')
    else:
        svg = svg[svg.index("<svg"):]  # drop the XML prolog and DOCTYPE: inline SVG needs neither
        svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
        svg = re.sub(r'\bid="', f'id="{uid}-', svg)
        # a wide graph shrinks to fit the page, but to no less than 3/4 of its size (then it
        # scrolls): smaller, its numbers could not be read
        width = re.search(r'<svg width="([\d.]+)pt"', svg)
        if width:
            least = f"{0.75 * float(width.group(1)):.0f}pt"
            svg = svg.replace("<svg ", f'<svg style="min-width: {least}" ', 1)
        graph = f'<div class="cr-graph">{svg}</div>'
    frames = []
    for k, step in enumerate(steps):
        consumers = " ".join(ids[t.consumer] for t in step.terms)
        frames.append(
            f'<li class="frame" data-node="{ids[step.node]}" '
            f'data-grad="{html.escape(format_number(step.grad), quote=True)}" '
            f'data-consumers="{consumers}"><span class="num">{k + 1}</span>'
            f'<code>{html.escape(step.text)}</code></li>')
    root_name = html.escape(steps[0].name) if steps else ""
    start = (f'<script>{_SCRIPT}("{uid}", "{keys}");</script>' if script else "")
    return _WIDGET.format(uid=uid, title=f"Backward pass of {root_name}", n=len(steps),
                          graph=graph, frames="\n".join(frames), style=_STYLE, script=start)


_STYLE = """
.chainrule-steps { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
                   outline: none; }
.chainrule-steps .cr-title { font-size: 1.15em; font-weight: bold; margin: 0 0 .3em 0; }
.chainrule-steps .cr-help { color: #666; margin: 0 0 .6em 0; }
.chainrule-steps .cr-controls { display: flex; gap: .6em; align-items: center; margin: .6em 0; }
.chainrule-steps .cr-controls button { font-size: 1em; padding: .3em 1em; cursor: pointer; }
.chainrule-steps .cr-counter { font-variant-numeric: tabular-nums; color: #444; min-width: 7em; }
.chainrule-steps .cr-current { font-family: ui-monospace, Menlo, Consolas, monospace;
  background: #fff8d6; border: 1px solid #e6d27a; padding: .6em .8em; border-radius: 4px;
  min-height: 1.3em; white-space: pre-wrap; }
.chainrule-steps .cr-graph { overflow: auto; max-height: 60vh; border: 1px solid #ddd;
  border-radius: 4px; padding: .5em; margin: .8em 0; }
.chainrule-steps .cr-graph svg { max-width: 100%; height: auto; }
.chainrule-steps ol.cr-steps { list-style: none; padding: 0; margin: 0; font-size: .92em;
  max-height: 30vh; overflow-y: auto; position: relative; border: 1px solid #eee;
  border-radius: 4px; }
.chainrule-steps ol.cr-steps li { padding: .15em .4em; cursor: pointer; border-radius: 3px;
  margin: 0; }
.chainrule-steps ol.cr-steps li .num { display: inline-block; width: 2.5em; color: #999; }
.chainrule-steps ol.cr-steps li code { background: none; color: inherit; white-space: pre-wrap; }
.chainrule-steps ol.cr-steps li.todo { color: #aaa; }
.chainrule-steps ol.cr-steps li.current { background: #ffe066; }
.chainrule-steps .cr-legend span { display: inline-block; padding: 0 .5em; border-radius: 3px;
  margin-right: .4em; }
.chainrule-steps:focus-within .cr-controls button { outline-color: #4a90d9; }
"""

# One function per widget, called with the widget's id; everything it touches is looked up inside
# the widget, and SVG ids are the widget's id + "-" + the node's id ("v3").
_SCRIPT = """
(function (uid, keys, root) {
  // the widget holding this script (front ends may render outputs in ways where ids are not
  // reachable from document, so everything is looked up inside it)
  var here = document.currentScript;
  root = root || (here && here.closest && here.closest(".chainrule-steps")) ||
    document.getElementById(uid);
  if (!root || root.dataset.ready) return;  // a notebook may run an output's script twice
  root.dataset.ready = "1";
  var frames = Array.prototype.slice.call(root.querySelectorAll("li.frame"));
  if (!frames.length) return;
  function part(name) { return root.querySelector("." + name); }
  var counter = part("cr-counter"), current = part("cr-current"), graph = part("cr-graph");
  var prev = part("cr-prev"), next = part("cr-next");
  function node(id) { return root.querySelector('[id=' + JSON.stringify(uid + "-" + id) + ']'); }
  function box(id) { var g = node(id); return g && g.querySelector("polygon"); }
  function gradText(id) {  // the grad cell is the last text of a value box
    var g = node(id);
    var texts = g ? g.querySelectorAll("text") : [];
    return texts.length ? texts[texts.length - 1] : null;
  }
  function edges(from, to) {
    var start = uid + "-e_" + from + "_" + to + "_op_";
    return root.querySelectorAll('[id^="' + start + '"] path, [id^="' + start + '"] polygon');
  }
  function scrollInto(area, element) {  // scroll `area` (not the page) so `element` is visible
    if (!area || !element) return;
    var a = area.getBoundingClientRect(), e = element.getBoundingClientRect();
    if (e.top < a.top || e.bottom > a.bottom) area.scrollTop += e.top - a.top - (a.height -
    e.height) / 2; if (e.left < a.left || e.right > a.right) area.scrollLeft += e.left - a.left -
    (a.width - e.width) / 2;
  }
  var position = 0;
  function show(i) {
    position = Math.max(0, Math.min(frames.length - 1, i));
    root.querySelectorAll(".flow").forEach(function (el) {
      el.classList.remove("flow"); el.setAttribute("stroke", "black");
      el.setAttribute("stroke-width", "1");
      if (el.tagName === "polygon") el.setAttribute("fill", "black");
    });
    frames.forEach(function (frame, k) {
      var id = frame.dataset.node, text = gradText(id), rect = box(id);
      frame.className = "frame " + (k < position ? "done" : k === position ? "current" : "todo");
      if (text) {
        text.textContent = k <= position ? "grad " + frame.dataset.grad : "grad ?";
        text.setAttribute("fill", k <= position ? "black" : "#aaaaaa");
      }
      if (rect) rect.setAttribute("fill", k === position ? "#ffe066" : "white");
    });
    var frame = frames[position];
    frame.dataset.consumers.split(" ").filter(Boolean).forEach(function (c) {
      var rect = box(c);
      if (rect) rect.setAttribute("fill", "#cde8ff");
      edges(frame.dataset.node, c).forEach(function (el) {
        el.classList.add("flow"); el.setAttribute("stroke", "#d62728");
        el.setAttribute("stroke-width", "2.5");
        if (el.tagName === "polygon") el.setAttribute("fill", "#d62728");
      });
    });
    current.textContent = frame.querySelector("code").textContent;
    counter.textContent = "step " + (position + 1) + " / " + frames.length;
    prev.disabled = position === 0;
    next.disabled = position === frames.length - 1;
    scrollInto(graph, node(frame.dataset.node));
    // keep the current step in view inside the list, without scrolling the page
    var list = frame.parentNode;
    if (frame.offsetTop < list.scrollTop ||
        frame.offsetTop + frame.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = frame.offsetTop - list.clientHeight / 2;
    }
  }
  prev.addEventListener("click", function () { show(position - 1); });
  next.addEventListener("click", function () { show(position + 1); });
  frames.forEach(function (frame, k) { frame.addEventListener("click", function () { show(k); });
  }); // in a notebook the keys move through the steps only while this widget has the focus
  // (a click on it), and they go no further, so the notebook does not move between cells
  root.addEventListener("mousedown", function () { root.focus({preventScroll: true}); });
  (keys === "document" ? document : root).addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight" || event.key === "ArrowDown") { show(position + 1); }
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") { show(position - 1); }
    else if (event.key === "Home") { show(0); }
    else if (event.key === "End") { show(frames.length - 1); }
    else { return; }
    event.preventDefault();
    event.stopPropagation();
  });
  var start = keys === "document" ?
    parseInt((location.hash.match(/step=(\\d+)/) || [])[1] || "1", 10) - 1 : 0;
  show(start);
})"""

_WIDGET = """<div class="chainrule-steps" id="{uid}" tabindex="0">
<style>{style}</style>
<div class="cr-title">{title}: {n} steps</div>
<p class="cr-help">Backward visits the nodes from the output back to the inputs. At each step one
node's gradient is finished: the sum, over every op that used the node, of that op's gradient times
its local derivative. Use the buttons, the &larr; &rarr; keys, or click a step.</p>
<p class="cr-legend"><span style="background:#ffe066">this step's node</span><span
style="background:#cde8ff">the outputs of the ops that used it: its gradient comes from
theirs</span></p> <div class="cr-controls"><button class="cr-prev" id="{uid}-prev"
type="button">&larr; previous</button><button class="cr-next" id="{uid}-next" type="button">next
&rarr;</button><span class="cr-counter"></span></div> <div class="cr-current"></div>
{graph}
<ol class="cr-steps">
{frames}
</ol>
{script}
</div>"""

# A notebook cell's explanation: the still picture and a line to re-run the cell, which the
# script (when scripts run) replaces with the step-through itself.
_INLINE = """<div class="chainrule-explain">
<div class="cr-still">{still}
<p class="cr-rerun">Re-run this cell to step through backpropagation ({n} steps): the
step-through needs JavaScript, which an untrusted or exported notebook does not run.</p></div>
<script>(function () {{
  var box = document.currentScript && document.currentScript.parentNode;
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "1";
  box.innerHTML = {live};
  ({script})("{uid}", "widget", box.querySelector(".chainrule-steps"));
}})();</script>
</div>"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>body {{ margin: 1.5em; }}</style>
</head>
<body>
{widget}
</body>
</html>
"""
