"""Float code for one recorded training step: the code generator behind `autograd.jit`.

The input is a `Graph` (recorded by _tracing.py): numbered leaves and nodes, each node an `Op` and
the numbers of its inputs, listed parents first. The output is the source of one Python function
that computes the same floats as the engine, forward and backward, without building a `Value`:

    def step(A, P, Q, F):
        v0, v1, = A                # the call's arguments, flattened
        v2, v3, v4, = P            # the parameters' .data
        CHECK = 0.0
        v5 = 0.0 + v4 + v2 * v0 + v3 * v1       # a dot node, added in the engine's order
        ...
        g2, g3, g4, = Q            # the parameters' .grad, to accumulate into
        g9 = 1.0                   # the seed, then the chain rule in the engine's backward order
        if not (g9 == 0.0 and v9 - v9 == 0.0):  # a dot's zero-gradient skip, as in the engine
            g2 = g2 + g9 * v0
        ...
        return v9, (g2, g3, g4,), ()

Every op the engine knows by heart has a template that writes out exactly the float operations of
its forward and of the engine's fast backward (_templates.py); any other op is called through its
own `forward` and `derivatives` functions, which is as exact and only slower. Gradients are
computed only where they can be seen: on the way to a parameter. The inputs' and constants'
gradients would be thrown away with their Values, and adding those contributions elsewhere
changes no bit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..core import Op
from ._templates import NAMESPACE, TEMPLATES, Template, _sum_lines

INF = math.inf


# -- the graph the generator reads -----------------------------------------------------------------
@dataclass
class Graph:
    """One traced step, with no Values left in it: what `jit` records and the generator reads.

    Numbers 0 .. n_leaves - 1 are leaves, the rest nodes. `leaf_kind[i]` is "arg" (a number of the
    call's arguments, `leaf_slot[i]` its index in the flattened arguments), "param" (a Value that
    outlives the call: read `.data` each call, `.grad` accumulated; slot: index in the parameter
    list), "frozen" (one with requires_grad=False and no gradient, which backward leaves alone:
    read `.data` each call; its slot comes after the parameters'), "fresh" (a number some module
    draws anew each call, such as a dropout mask: slot: index in the call's fresh numbers) or
    "const" (a number fixed in the trace: `leaf_value[i]`).
    `nodes[k]` is (op, input numbers) of node n_leaves + k; `order` lists the nodes the output
    depends on in the engine's backward order (parents first), `forward` every node to compute.
    """

    n_leaves: int
    leaf_kind: list[str]
    leaf_slot: list[int]
    leaf_value: list[float]
    nodes: list[tuple[Op, tuple[int, ...]]]
    order: list[int]
    forward: list[int]
    root: int
    outputs: list[int]  # extra numbers to return (aux outputs, effect arguments)
    n_args: int
    n_params: int  # the parameters' and the frozen leaves' numbers
    n_fresh: int
    # the samples (for the loop over samples, see _loops.py): (flat start, count, numbers per
    # sample) of each argument that is a list of n_samples samples; each leaf's sample (-1: none)
    arg_layout: list[tuple[int, int, int]] = field(default_factory=list)
    leaf_sample: list[int] = field(default_factory=list)
    n_samples: int = 0


# -- the emitter -----------------------------------------------------------------------------------
class Emitter:
    """Writes the function's lines, tracking which gradient variables have been started.

    A node's gradient starts at 0.0 in the engine and each contribution is added to it: the first
    unconditional contribution is written `g = 0.0 + c` (so -0.0 becomes 0.0 exactly as there),
    and a variable first touched inside an `if` is set to 0.0 just before it.
    """

    def __init__(self, graph: Graph, needs: list[bool]) -> None:
        self.graph = graph
        self.needs = needs
        self.lines: list[str] = []
        self.indent = ""  # inside the loop over samples: "    "
        self.started: set[int] = set()
        self.globals: dict[str, Any] = dict(NAMESPACE)
        # node -> the (dot node, partner input) pairs that give all of its gradient (see gather)
        self.gathered: dict[int, list[tuple[int, int]]] = {}
        self.flows: set[int] = set()  # relu(dot)s whose `f..` (see gather_flows) is made

    def section(self) -> None:
        """Entering or leaving the loop over samples: its `f..` variables are made again."""
        self.flows = set()

    def plan_gathering(self, processing: list[int],
                       exclude: frozenset[int] | set[int] = frozenset()) -> None:
        """Find the nodes among `processing` (steps in the engine's order) whose every gradient
        contribution comes from dot or relu(dot) steps among them, one each, as g * partner.

        Such a node's gradient is then gathered at its own step as one sum,
        `0.0 + g'1 * partner1 + g'2 * partner2 + ...`: the engine's additions, in its order. A
        dot that skipped (g == 0.0, finite output) or a relu(dot) that masked (g' = 0.0 then)
        adds zeros here that the engine left out; they change no bit: the other factor is finite
        there (a finite output, or a pre-activation checked finite, means every input is), and a
        sum started at +0.0 is never -0.0. A relu(dot) node's own gradient is gathered only where
        relu lets it through: most hidden units of a ReLU network are inactive for a given
        sample, and their gradients are never computed."""
        graph = self.graph
        n_leaves = graph.n_leaves
        in_section = set(processing)
        consumers: dict[int, list[tuple[int, int]] | None] = {}
        for node in processing:
            if not self.needs[node]:
                continue
            op, ins = graph.nodes[node - n_leaves]
            template = TEMPLATES.get(op)
            kind = template.kind if template is not None else ""
            half = len(ins) // 2
            for position, i in enumerate(ins):
                if i < n_leaves or not self.needs[i]:
                    continue
                if kind and position < 2 * half and ins.count(i) == 1:
                    partner = ins[position + half] if position < half else ins[position - half]
                    entry = consumers.setdefault(i, [])
                    if entry is not None:
                        entry.append((node, partner))
                else:
                    consumers[i] = None  # some other step adds to it: written out as usual
        self.gathered = {i: pairs for i, pairs in consumers.items()
                         if pairs and i in in_section and i not in exclude}

    def gather(self, node: int) -> None:
        """g = the sum of g' * partner over the dots that use the node (see plan_gathering),
        written out (straight-line arithmetic on local variables is faster than Python's sum of a
        map over lists, at any length)."""
        terms = [f"{flow} * {self.var(partner)}" for flow, (_, partner)
                 in zip(self.gather_flows(node), self.gathered[node])]
        for text in _sum_lines(self.grad(node), "0.0", terms):
            self.line(text)
        self.started.add(node)

    def gather_flows(self, node: int) -> list[str]:
        """The g' of each dot that uses the node. A relu(dot)'s is its gradient where its relu
        lets it through, else 0.0: a variable `f..` made where first needed (outside any `if`)
        and kept for the section, as all the units of a layer share it."""
        graph = self.graph
        flows = []
        for dot, _ in self.gathered[node]:
            template = TEMPLATES[graph.nodes[dot - graph.n_leaves][0]]
            if template.kind != "relu(dot)":
                flows.append(self.grad(dot))
                continue
            if dot not in self.flows:
                self.line(f"f{dot} = {self.grad(dot)} if v{dot} > 0.0 else 0.0")
                self.flows.add(dot)
            flows.append(f"f{dot}")
        return flows

    def var(self, i: int) -> str:
        graph = self.graph
        if i < graph.n_leaves and graph.leaf_kind[i] == "const":
            return self.literal(graph.leaf_value[i])
        return f"v{i}"

    def literal(self, x: float) -> str:
        if x != x:
            return "nan"
        if x in (INF, -INF):
            return "inf" if x > 0 else "(-inf)"
        text = repr(float(x))
        return f"({text})" if text.startswith("-") else text

    def grad(self, i: int) -> str:
        return f"g{i}"

    def line(self, text: str) -> None:
        self.lines.append(self.indent + text)

    def add(self, i: int, contribution: str, subtract: bool = False, indent: str = "") -> None:
        """gradient of i += contribution (or -= it), if i's gradient can be seen."""
        if not self.needs[i]:
            return
        g = self.grad(i)
        sign = "-" if subtract else "+"
        if i in self.started:
            self.line(f"{indent}{g} = {g} {sign} {contribution}")
        else:
            self.started.add(i)
            self.line(f"{indent}{g} = 0.0 {sign} {contribution}")

    def conditional(self, test: str, steps: list[tuple[int, str]]) -> None:
        """`if test:` then each (input, contribution) added in order; inputs not yet started get
        their 0.0 before the if."""
        steps = [(i, c) for i, c in steps if self.needs[i]]
        if not steps:
            return
        for i, _ in steps:
            if i not in self.started:
                self.started.add(i)
                self.line(f"{self.grad(i)} = 0.0")
        self.line(f"if {test}:")
        for i, c in steps:
            self.add(i, c, indent="    ")

    def generic(self, node: int, op: Op, ins: list[int], name: str) -> None:
        """An op without a template: its own derivatives, as the engine's generic rule."""
        self.globals[f"D_{name}"] = op.derivatives
        args = ", ".join([self.var(node)] + [self.var(i) for i in ins])
        partials = f"d{node}"
        g = self.grad(node)
        self.line(f"{partials} = D_{name}({args})")
        for k, i in enumerate(ins):
            if not self.needs[i]:
                continue
            self.conditional(f"{partials}[{k}] is not None", [(i, f"{g} * {partials}[{k}]")])


def op_names(graph: Graph) -> dict[int, str]:
    """A short name per distinct op without a template (F_0, D_0 in the namespace)."""
    names: dict[int, str] = {}
    for op, _ in graph.nodes:
        if op not in TEMPLATES and id(op) not in names:
            names[id(op)] = str(len(names))
    return names


def needed(graph: Graph) -> list[bool]:
    """For every leaf and node: is its gradient on the way to a parameter (so worth computing)?"""
    n_leaves = graph.n_leaves
    needs = [kind == "param" for kind in graph.leaf_kind]
    for _, ins in graph.nodes:
        needs.append(any(needs[i] for i in ins))
    assert len(needs) == n_leaves + len(graph.nodes)
    return needs


def emit_forward(e: Emitter, nodes: list[int], names: dict[int, str]) -> None:
    graph = e.graph
    for node in nodes:
        op, ins = graph.nodes[node - graph.n_leaves]
        template = TEMPLATES.get(op)
        in_vars = [e.var(i) for i in ins]
        if template is not None:
            for text in template.forward(f"v{node}", in_vars):
                e.line(text)
        else:
            fname = f"F_{names[id(op)]}"
            e.globals[fname] = op.forward
            e.line(f"v{node} = {fname}({', '.join(in_vars)})")


def emit_backward(e: Emitter, nodes: list[int], names: dict[int, str]) -> None:
    """The chain-rule steps of `nodes`, given in the engine's processing order."""
    graph = e.graph
    for node in nodes:
        if not e.needs[node]:
            continue
        op, ins = graph.nodes[node - graph.n_leaves]
        template = TEMPLATES.get(op)
        if node in e.gathered:
            if template is None or not template.kind:  # dots gather it themselves
                e.gather(node)
        elif node not in e.started:  # nothing reached it: its gradient stays the engine's 0.0
            e.line(f"g{node} = 0.0")
            e.started.add(node)
        if template is not None:
            template.backward(e, node, list(ins))
        else:
            e.generic(node, op, list(ins), names[id(op)])


def unpack(e: Emitter, kinds: tuple[str, ...], source: str, total: int,
           skip: frozenset[int] | set[int] = frozenset()) -> None:
    """v.. = the numbers of `source` (A, P or F) that leaves of these kinds read; "_" for the
    rest."""
    graph = e.graph
    names = ["_"] * total
    for i in range(graph.n_leaves):
        if graph.leaf_kind[i] in kinds and i not in skip:
            names[graph.leaf_slot[i]] = f"v{i}"
    if any(name != "_" for name in names):
        e.line(f"{', '.join(names)}, = {source}")


def generate(graph: Graph, name: str = "step", loop: Any = None) -> tuple[str, dict[str, Any]]:
    """The source of the step function for `graph`, and the globals it needs.

    The function takes (A, P, Q, F): the flattened argument numbers, the parameters' numbers, the
    parameters' gradients so far and the fresh numbers, and returns (output, new gradients of the
    parameters, extra outputs), or None when a check fails (a relu(dot) whose pre-activation is
    inf or nan: the engine would have built another graph). With a `loop` (a `_loops.LoopPlan`),
    the samples' identical parts of the graph are written once, inside a loop over the samples.
    """
    n_leaves = graph.n_leaves
    needs = needed(graph)
    e = Emitter(graph, needs)
    names = op_names(graph)
    in_loop: frozenset[int] | set[int] = loop.leaves if loop is not None else frozenset()
    unpack(e, ("arg",), "A", graph.n_args, in_loop)
    unpack(e, ("param", "frozen"), "P", graph.n_params)
    unpack(e, ("fresh",), "F", graph.n_fresh, in_loop)
    e.line("CHECK = 0.0")
    if loop is None:
        emit_forward(e, graph.forward, names)
    else:
        loop.emit_forward(e, names)
    e.line("if CHECK - CHECK != 0.0: return None")
    # backward: the engine's order, reversed; only what reaches a parameter
    param_leaves = sorted((graph.leaf_slot[i], i) for i in range(n_leaves)
                          if graph.leaf_kind[i] == "param")
    if param_leaves:
        e.line(f"{', '.join(f'g{i}' for _, i in param_leaves)}, = Q")
        e.started.update(i for _, i in param_leaves)
    root = graph.root
    if needs[root] and root >= n_leaves:
        e.line(f"g{root} = 1.0")
        e.started.add(root)
        if loop is None:
            processing = list(reversed(graph.order))
            e.plan_gathering(processing)
            emit_backward(e, processing, names)
        else:
            loop.emit_backward(e, names)
    elif needs[root]:  # the output is a parameter itself: d out / d out = 1, accumulated
        e.line(f"g{root} = g{root} + 1.0")
    grads = ", ".join(f"g{i}" for _, i in param_leaves)
    sources = {"arg": "A", "fresh": "F"}
    extra = ", ".join(f"{sources[graph.leaf_kind[i]]}[{graph.leaf_slot[i]}]" if i in in_loop
                      else e.var(i) for i in graph.outputs)
    e.line(f"return {e.var(root)}, ({grads}{',' if param_leaves else ''}), "
           f"({extra}{',' if graph.outputs else ''})")
    body = "\n".join("    " + text for text in e.lines)
    source = f"def {name}(A, P, Q, F):\n{body}\n"
    return source, e.globals


__all__ = ["Graph", "Emitter", "Template", "TEMPLATES", "generate", "needed"]
