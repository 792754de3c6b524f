"""The templates of `autograd.jit`'s code generator: for each built-in op, the float code of its
forward and of the engine's backward step for it, written as text (see _codegen.py).

`use_templates` registers them by the ops' identity (autograd/__init__ calls it with the op
library's ops: calculus imports no op library). An op without a template is called through its own
`forward` and `derivatives` functions by the generated code: as exact, only slower.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core import Op

if TYPE_CHECKING:
    from ._codegen import Emitter

INF = math.inf
TERMS_PER_LINE = 48  # a long sum is split over lines (one expression of 10,000 terms would
# overflow the compiler's recursion); the split keeps the left-to-right order: v = v + a + b ...


# -- templates -------------------------------------------------------------------------------------
@dataclass
class Template:
    """How to write one op: `forward(out, ins) -> lines` and `backward(e, node, ins)` (see Emitter).

    `out` and `ins` are variable names (or literals). A template's lines compute exactly the floats
    of the op's forward and of the engine's backward step for it, in the same order.
    """

    forward: Callable[[str, list[str]], list[str]]
    backward: Callable[[Emitter, int, list[int]], None]
    kind: str = ""  # "dot" or "relu(dot)": the ops whose gradients to an input can be gathered
    # every partial is finite where the op's inputs and output are (not so 1/x: log, div), so a
    # zero gradient through it stays zero (see _loops.LoopPlan.zero_stays_zero)
    finite_partials: bool = False
    masks: bool = False  # passes no gradient where its input is <= 0 (relu)


TEMPLATES: dict[Op, Template] = {}
NAMESPACE: dict[str, Any] = {"SUM": sum, "inf": INF, "nan": math.nan, "COPYSIGN": math.copysign,
                             "EXP": math.exp, "TANH": math.tanh, "FABS": math.fabs}


def _sum_lines(out: str, start: str, terms: list[str]) -> list[str]:
    """out = start + t0 + t1 + ..., left to right, over as many lines as needed."""
    lines = []
    first = True
    for i in range(0, max(len(terms), 1), TERMS_PER_LINE):
        chunk = terms[i:i + TERMS_PER_LINE]
        head = start if first else out
        lines.append(f"{out} = {' + '.join([head, *chunk])}")
        first = False
    return lines


def _dot_terms(ins: list[str]) -> tuple[str, list[str]]:
    n = len(ins) // 2
    start = f"0.0 + {ins[-1]}" if len(ins) % 2 else "0.0"
    return start, [f"{w} * {x}" for w, x in zip(ins[:n], ins[n:2 * n])]


def _dot_forward(out: str, ins: list[str]) -> list[str]:
    start, terms = _dot_terms(ins)
    return _sum_lines(out, start, terms)


def _relu_dot_forward(out: str, ins: list[str]) -> list[str]:
    # the dot, then the finiteness check (summed: a non-finite term makes the sum non-finite; the
    # sum is checked once, after the forward), then relu: 0.0 if x < 0 else x, so -0.0 stays
    start, terms = _dot_terms(ins)
    return _sum_lines(out, start, terms) + [f"CHECK = CHECK + {out}",
                                            f"if {out} < 0.0: {out} = 0.0"]


def _dot_backward(e: Emitter, node: int, ins: list[int], relu: bool = False) -> None:
    g, out = e.grad(node), e.var(node)
    n = len(ins) // 2
    ws, xs = ins[:n], ins[n:2 * n]
    # inputs whose gradient is gathered at their own step (see Emitter.gather) get nothing here
    steps = [(w, f"{g} * {e.var(x)}") for w, x in zip(ws, xs) if w not in e.gathered]
    steps += [(x, f"{g} * {e.var(w)}") for x, w in zip(xs, ws) if x not in e.gathered]
    if len(ins) % 2:
        steps.append((ins[-1], g))
    # relu(dot): nothing when out <= 0 (relu's mask), and out is finite (checked in the forward),
    # so the dot's skip is g == 0.0; a dot skips when g == 0.0 and its output is finite
    if relu and node in e.gathered:  # its gradient is needed only where relu lets it through
        e.gather_flows(node)  # (made outside the ifs)
        for i, _ in steps:  # the inputs' gradients start outside both ifs
            if e.needs[i] and i not in e.started:
                e.started.add(i)
                e.line(f"{e.grad(i)} = 0.0")
        e.line(f"if {out} > 0.0:")
        e.indent += "    "
        e.gather(node)
        e.conditional(f"{g} != 0.0", steps)
        e.indent = e.indent[:-4]
        return
    if node in e.gathered:
        e.gather(node)
    test = (f"{out} > 0.0 and {g} != 0.0" if relu
            else f"not ({g} == 0.0 and {out} - {out} == 0.0)")
    e.conditional(test, steps)


def _elementwise(forward: str, partials: Callable[[str, list[str]], list[str | None]],
                 ) -> Template:
    """A template from a forward expression and the partials as expressions ("g * d" is added;
    a partial written as "/x" divides g by x as Over does; "-" subtracts g)."""

    def fwd(out: str, ins: list[str]) -> list[str]:
        return [f"{out} = {forward.format(*ins)}"]

    def bwd(e: Emitter, node: int, ins: list[int]) -> None:
        g = e.grad(node)
        names = [e.var(i) for i in ins]
        for i, d in zip(ins, partials(e.var(node), names)):
            if d is None:
                continue
            if d == "1":
                e.add(i, g)
            elif d == "-1":
                e.add(i, g, subtract=True)
            elif d.startswith("/"):  # Over(den): g / den, IEEE at a zero den
                den = d[1:]
                e.add(i, f"({g} / {den} if {den} else {g} * COPYSIGN(inf, {den}))")
            else:
                e.add(i, f"{g} * {d}")

    return Template(fwd, bwd)


def _relu_backward(e: Emitter, node: int, ins: list[int]) -> None:
    # relu's partial is None (nothing flows) at x <= 0, else 1.0: g * 1.0 is g
    x = e.var(ins[0])
    e.conditional(f"not {x} <= 0.0", [(ins[0], e.grad(node))])


def _reduce_backward(share: Callable[[str], str | None]) -> Callable:
    def bwd(e: Emitter, node: int, ins: list[int]) -> None:
        g = e.grad(node)
        each = share(g)
        if each is not None:
            e.line(f"SHARE = {each}")
            g = "SHARE"
        for i in ins:
            e.add(i, g)

    return bwd


def _mean_forward(out: str, ins: list[str]) -> list[str]:
    return _sum_lines(out, "0.0", ins) + [f"{out} = {out} / {len(ins)}"]


def builtin_templates(ops: dict[str, Op]) -> dict[Op, Template]:
    """The templates of the built-in ops, given the ops by name (autograd/__init__ passes them:
    calculus imports no op library). Each mirrors the op's forward and the engine's backward."""
    # 1 - t^2 as tanh's derivatives computes it (see math/basic.py's _one_minus_square)
    tanh_slope = ("(((1.0 - {0}) * (1.0 + {0})) if ({0} >= 0.5 or {0} <= -0.5) "
                  "else (1.0 - {0} * {0}))")
    table = {
        "add": _elementwise("{0} + {1}", lambda o, x: ["1", "1"]),
        "sub": _elementwise("{0} - {1}", lambda o, x: ["1", "-1"]),
        "mul": _elementwise("{0} * {1}", lambda o, x: [x[1], x[0]]),
        "div": _elementwise("({0} / {1} if {1} else DIV({0}, {1}))",
                            lambda o, x: ["/" + x[1], f"-({o} / {x[1]} if {x[1]} else "
                                                      f"DIV({o}, {x[1]}))"]),
        "neg": _elementwise("-{0}", lambda o, x: ["-1"]),
        "exp": _elementwise("(EXP({0}) if {0} < 709.0 else EXP_OP({0}))", lambda o, x: [o]),
        "log": _elementwise("LOG({0})", lambda o, x: ["/" + x[0]]),
        "tanh": _elementwise("TANH({0})", lambda o, x: [tanh_slope.format(o)]),
        "sigmoid": _elementwise("SIGMOID({0})", lambda o, x: [f"({o} * (1.0 - {o}))"]),
        "relu": Template(lambda out, ins: [f"{out} = 0.0 if {ins[0]} < 0 else {ins[0]}"],
                         _relu_backward),
        "abs": _elementwise("FABS({0})", lambda o, x: [
            f"(1.0 if {x[0]} > 0 else -1.0 if {x[0]} < 0 else 0.0)"]),
        "dot": Template(_dot_forward, _dot_backward, "dot"),
        "relu_dot": Template(_relu_dot_forward,
                             lambda e, node, ins: _dot_backward(e, node, ins, relu=True),
                             "relu(dot)"),
        "sum": Template(lambda out, ins: _sum_lines(out, "0.0", ins),
                        _reduce_backward(lambda g: None)),
    }
    NAMESPACE.update({"DIV": ops["div"].forward, "EXP_OP": ops["exp"].forward,
                      "LOG": ops["log"].forward, "SIGMOID": ops["sigmoid"].forward})

    def mean_backward(e: Emitter, node: int, ins: list[int]) -> None:
        _reduce_backward(lambda g: f"{g} / {len(ins)}")(e, node, ins)  # g / n, as Over(n)

    table["mean"] = Template(_mean_forward, mean_backward)
    for name in ("add", "sub", "mul", "neg", "exp", "tanh", "sigmoid", "relu", "abs", "dot",
                 "relu_dot", "sum", "mean"):
        table[name].finite_partials = True
    table["relu"].masks = table["relu_dot"].masks = True
    return {ops[name]: template for name, template in table.items() if name in ops}


def use_templates(ops: dict[str, Op]) -> None:
    """Register the built-in ops' templates (called once by autograd/__init__)."""
    TEMPLATES.update(builtin_templates(ops))


__all__ = ["Template", "TEMPLATES", "NAMESPACE", "use_templates"]
