"""A tour of chainrule's graph pictures and backprop explanations.

    python -m demos.graph_tour [--out out/graph_tour] [--seed 1]

Writes, into the output folder:
- expression.svg / .dot / _tree.txt: micrograd's first example, L = (a*b + c) * f, after backward;
- neuron.svg: micrograd's neuron, tanh(x[0]*w0 + x[1]*w1 + b), one node per * and +;
  neuron_dot.svg: the same neuron with `autograd.dot`, one node for the whole weighted sum;
- neuron_backward_steps.txt: the chain rule step by step, with the numbers;
- neuron_backward_steps.html: a page stepping through backward, gradients filling in one by one;
- mlp_modules.svg / mlp_collapsed.svg: a small MLP's graph boxed by layer and neuron, coloured by
  |grad|, then collapsed to one box per neuron.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

if __package__ in (None, ""):  # run as a file, not with -m: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import autograd
import nn
from autograd import Value

from demos._common import graph_picture, parse_args, report


def small_expression() -> Value:
    """micrograd's walk-through expression, every node labelled."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c, f = Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return L


def neuron(fused: bool) -> Value:
    """micrograd's neuron: o = tanh(x[0]*w0 + x[1]*w1 + b), with b chosen so that n = 0.8814.

    Counted from 0, as `named_parameters()` and the pictures of models name them (micrograd's
    video says x1, x2, w1, w2)."""
    x = [Value(2.0, label="x[0]"), Value(0.0, label="x[1]")]
    w = [Value(-3.0, label="w0"), Value(1.0, label="w1")]
    b = Value(6.8813735870195432, label="b")
    if fused:
        n = autograd.dot(w, x, b)
    else:
        x0w0 = x[0] * w[0]
        x0w0.label = "x[0]*w0"
        x1w1 = x[1] * w[1]
        x1w1.label = "x[1]*w1"
        s = x0w0 + x1w1
        s.label = "x[0]*w0 + x[1]*w1"
        n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def main(argv: Sequence[str] | None = None) -> dict:
    """Write every picture, tree and explanation of the tour; return the files and step count."""
    args = parse_args("graph_tour", "Graph pictures, text trees and backprop step by step.", argv,
                      seed=1)
    out = args.out
    pictures: list[Path] = []
    texts: list[Path] = []  # the DOT source, text trees and explanations, the step-through page

    print("1. A small expression: L = (a*b + c) * f")
    L = small_expression()
    L.backward()
    pictures.append(graph_picture(L, out / "expression.svg"))  # .dot instead when dot is missing
    if pictures[-1].suffix != ".dot":
        texts.append(Path(autograd.save_graph(L, out / "expression.dot")))
    tree = L.tree()
    print(tree)
    (out / "expression_tree.txt").write_text(tree + "\n", encoding="utf-8")
    texts.append(out / "expression_tree.txt")

    print("\n2. A single neuron: o = tanh(x[0]*w0 + x[1]*w1 + b)")
    o = neuron(fused=False)
    o.backward()
    pictures.append(graph_picture(o, out / "neuron.svg"))
    o_dot = neuron(fused=True)
    o_dot.backward()
    pictures.append(graph_picture(o_dot, out / "neuron_dot.svg"))  # the weighted sum: one node
    print(f"o = {o.data:.4f}, drawn twice: a node per * and + "
          f"({len(autograd.topological_order(o))} Values, {pictures[-2].name}),\n"
          f"then one dot node for the weighted sum "
          f"({len(autograd.topological_order(o_dot))} Values, {pictures[-1].name})")

    print("\n3. Its backward pass, step by step")
    steps = autograd.explain(o)
    print(steps)
    (out / "neuron_backward_steps.txt").write_text(str(steps) + "\n", encoding="utf-8")
    texts.append(out / "neuron_backward_steps.txt")
    try:
        texts.append(Path(autograd.save_backward_steps(o, out / "neuron_backward_steps.html")))
        print(f"open {texts[-1].name} in a browser to step through them, gradients filling in")
    except autograd.GraphvizNotFoundError as err:
        print(f"(no step-through page: {str(err).splitlines()[0]})")

    print("\n4. A small MLP, boxed by module and coloured by |grad|")
    nn.manual_seed(args.seed)
    model = nn.MLP(2, [3, 3, 1], activation="tanh")  # 25 parameters: a picture fits a screen
    with nn.trace_modules(model) as groups:
        loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    pictures.append(graph_picture(loss, out / "mlp_modules.svg", groups=groups, heat=True))
    pictures.append(graph_picture(loss, out / "mlp_collapsed.svg", groups=groups, heat=True,
                                  collapse=True))
    print(f"MLP(2, [3, 3, 1]) of tanh neurons, loss = (model(x) - 1)^2 = {loss.data:.4f}:\n"
          f"every Value boxed in its layer and neuron ({pictures[-2].name}), "
          f"then one box per neuron ({pictures[-1].name})")
    return report(f"graph tour: files written into {out}", {"backward steps": len(steps)},
                  pictures, others=texts)


if __name__ == "__main__":
    main()
