"""Write tests/reference/torch_edges.json: PyTorch's numbers for chainrule's ops at extreme inputs.

Run with a Python that has torch (the suite itself never imports torch):

    /work/torchenv/bin/python tests/reference/make_torch_edges.py      # torch 2.13.0, CPU

Every case is an expression of the variables x (and y), written as a small tree (the language is
described in trees.py), evaluated at one point with float64 tensors. For each case the file holds
torch's value, gradient (first order, `torch.autograd.grad`) and Hessian (second order: the gradient
of each first-order partial, built with `create_graph=True`). tests/test_torch_edges.py evaluates
the same trees with chainrule.
"""
from __future__ import annotations

import json
import math
import random
from pathlib import Path

import torch
import torch.nn.functional as F

from trees import BINARY, UNARY, evaluate

inf, nan = math.inf, math.nan

# Edge values first (signed zeros, subnormals, the largest floats, infinities, nan), then ordinary
# ones on both sides of every kink and domain edge, and where exp and sigmoid underflow.
VALUES = [0.0, -0.0, 5e-324, -5e-324, 1e-310, -1e-310, 1e308, -1e308, inf, -inf, nan,
          1.0, -1.0, 0.5, -2.5, 3.0, 30.0, -720.0]

SLOPES = [0.01, 0.2, 0.0, -0.5, 1.5]
EXPONENTS = [0.0, 1.0, 0.5, -0.5, 2.0, -1.0, 3.0, -2.0, 1.5, 4.0, 1 / 3, -3.0, 0.25]
BASES = [2.0, 0.5, 0.0, -0.0, -2.0, 1.0, math.e, inf]


def tensor(x):
    return x if isinstance(x, torch.Tensor) else torch.tensor(float(x), dtype=torch.float64)


def _dot(ws, xs, bias):
    out = torch.dot(torch.stack([tensor(w) for w in ws]), torch.stack([tensor(x) for x in xs]))
    return out if bias is None else out + bias


TORCH = {"neg": torch.neg, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
         "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "abs": torch.abs,
         "sin": torch.sin, "cos": torch.cos,
         "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
         # torch.div rather than `/`: for `2.0 / t` PyTorch's operator computes t.reciprocal() * 2.0
         # (so 0.0 / 1e-310 is nan), while chainrule's `2.0 / x` divides (see
         # docs/differences-from-pytorch.md)
         "/": lambda a, b: torch.div(tensor(a), b), "**": lambda a, b: a ** b,
         "leaky_relu": lambda slope, x: F.leaky_relu(x, slope),
         "sum": lambda xs: torch.stack([tensor(x) for x in xs]).sum(), "dot": _dot}


def reference(tree, point):
    xs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point]
    out = evaluate(tree, dict(zip("xy", xs)), TORCH)
    grads = torch.autograd.grad(out, xs, create_graph=True, allow_unused=True,
                                materialize_grads=True)
    hessian = []
    for g in grads:
        if g.requires_grad:
            row = torch.autograd.grad(g, xs, retain_graph=True, allow_unused=True,
                                      materialize_grads=True)
            hessian.append([r.item() for r in row])
        else:  # a constant first derivative (x + y): its own derivatives are 0
            hessian.append([0.0] * len(xs))
    return {"f": tree, "at": list(point), "value": out.item(), "grad": [g.item() for g in grads],
            "hessian": hessian}


def op_cases():
    """Every op at every edge value, binary ops and sum/dot at every pair of them."""
    for op in UNARY:
        for x in VALUES:
            yield [op, "x"], (x,)
    for s in SLOPES:
        for x in VALUES:
            yield ["leaky_relu", s, "x"], (x,)
    for c in EXPONENTS:
        for x in VALUES:
            yield ["**", "x", c], (x,)
    for c in BASES:
        for x in VALUES:
            yield ["**", c, "x"], (x,)
    for op in BINARY:
        for x in VALUES:
            for y in VALUES:
                yield [op, "x", "y"], (x, y)
    for tree in (["sum", "x", "y"], ["sum", "x", "y", "x"], ["dot", "x", "y"],
                 ["dot", "x", "y", "x"]):
        for x in VALUES:
            for y in VALUES:
                yield tree, (x, y)


CONSTANTS = [0.0, -0.0, 2.0, 0.5, -1.0, 3.0, 1e308, 5e-324, inf]


def random_tree(rng: random.Random, depth: int):
    """A random expression of x and y; every op below the root has a variable in its subtree."""
    if depth == 0 or rng.random() < 0.2:
        return rng.choice("xy")
    kind = rng.random()
    if kind < 0.4:
        op = rng.choice(list(UNARY) + ["leaky_relu"])
        child = random_tree(rng, depth - 1)
        return ["leaky_relu", rng.choice(SLOPES), child] if op == "leaky_relu" else [op, child]
    if kind < 0.55:
        child = random_tree(rng, depth - 1)
        const = rng.choice(EXPONENTS if rng.random() < 0.7 else CONSTANTS)
        if rng.random() < 0.2:
            return ["**", rng.choice(BASES), child]
        return ["**", child, const] if rng.random() < 0.6 else [rng.choice(BINARY[:4]), const, child]
    if kind < 0.9:
        return [rng.choice(BINARY), random_tree(rng, depth - 1), random_tree(rng, depth - 1)]
    if rng.random() < 0.5:
        return ["sum"] + [random_tree(rng, depth - 1) for _ in range(rng.randint(2, 3))]
    n = rng.randint(1, 2)
    return ["dot"] + [random_tree(rng, depth - 1) for _ in range(2 * n + rng.randint(0, 1))]


def expression_cases(count: int = 1500, seed: int = 12):
    rng = random.Random(seed)
    made = 0
    while made < count:
        tree = random_tree(rng, rng.randint(2, 4))
        if isinstance(tree, str):
            continue
        made += 1
        yield tree, (rng.choice(VALUES), rng.choice(VALUES))


def main() -> None:
    sections = {"ops": [reference(t, p) for t, p in op_cases()],
                "expressions": [reference(t, p) for t, p in expression_cases()]}
    path = Path(__file__).with_name("torch_edges.json")
    lines = ["{", f'"source": "torch {torch.__version__}, float64, CPU; written by '
                  f'tests/reference/make_torch_edges.py",']
    for i, (name, cases) in enumerate(sections.items()):
        lines.append(f'"{name}": [')
        lines.append(",\n".join(json.dumps(c) for c in cases))
        lines.append("]" + ("," if i < len(sections) - 1 else ""))
    lines.append("}")
    path.write_text("\n".join(lines) + "\n")
    print(f"{path}: {sum(len(c) for c in sections.values())} cases")


if __name__ == "__main__":
    main()
