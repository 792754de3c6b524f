"""Write tests/reference/torch_math.json: PyTorch's numbers for the ops of autograd's trig.py,
exp_log.py, piecewise.py and reductions.py, in float64.

Run with a Python that has torch (the suite itself never imports torch):

    /work/torchenv/bin/python tests/reference/make_torch_math.py      # torch 2.13.0, CPU

For every case it records the forward value, the gradient for an incoming gradient of 1, of inf
(inf shows where torch masks a gradient instead of multiplying by a zero slope) and of 1e-10 (which
shows where torch divides the incoming gradient rather than multiplying it by a reciprocal: with
x = 1e-310, 1e-10 / x is 1e300 where 1e-10 * (1 / x) is inf), and the Hessian
H[i][j] = d/dx_j (d out / dx_i) from a double backward. tests/test_torch_reference.py evaluates the
same functions with chainrule.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import torch

inf, nan = math.inf, math.nan
F64 = torch.float64

EDGES = [0.0, -0.0, 5e-324, -5e-324, 1e-310, 1e308, -1e308, inf, -inf, nan]
PAIR_EDGES = [(0.0, 0.0), (0.0, -0.0), (-0.0, 0.0), (-0.0, -0.0), (1.0, 0.0), (0.0, 1.0),
              (-1.0, 0.0), (0.0, -1.0), (inf, inf), (inf, -inf), (-inf, inf), (-inf, -inf),
              (nan, 1.0), (1.0, nan), (inf, 1.0), (1.0, inf), (-inf, 1.0), (1.0, -inf),
              (5e-324, 5e-324), (5e-324, -5e-324), (1e308, 1e308), (-1e308, 1e308)]
ROUNDING = [-2.5, -1.5, -0.5, -0.3, 0.3, 0.5, 1.5, 2.5, 2.7, -2.7, 4503599627370497.0]


def unary(*points):
    return [(x,) for x in (*points, *EDGES)]


def binary(*points):
    return [*points, *PAIR_EDGES]


def floor_divide_grads(a, b):
    # torch's floor_divide has no derivative; torch.div(..., rounding_mode="floor") is the same
    # function with a zero derivative
    assert same(torch.floor_divide(a.detach(), b.detach()).item(),
                torch.div(a.detach(), b.detach(), rounding_mode="floor").item())
    return torch.div(a, b, rounding_mode="floor")


# key: (torch function of 0-d tensors, points); the tests map each key to chainrule's function
ELEMENTWISE = {
    # trig.py
    "tan": (torch.tan, unary(-1.2, -0.5, 0.3, 1.0, 1.5707963267948966, 100.0)),
    "asin": (torch.asin, unary(-0.9, -0.5, 0.2, 0.7, 0.999, 1.0, -1.0, 1.5, -2.0)),
    "acos": (torch.acos, unary(-0.9, -0.5, 0.2, 0.7, 0.999, 1.0, -1.0, 1.5, -2.0)),
    "atan": (torch.atan, unary(-3.0, -0.5, 0.2, 2.0, 1e10)),
    "atan2": (torch.atan2, binary((2.0, 3.0), (-1.0, 0.5), (0.5, -2.0), (-0.3, -0.7), (1e-200, 1e-200),
                                  (1e-160, 1e-160), (1e154, 1e154))),
    "sinh": (torch.sinh, unary(-3.0, -0.5, 0.2, 2.0, 710.0, 711.0, -711.0)),
    "cosh": (torch.cosh, unary(-3.0, -0.5, 0.2, 2.0, 710.0, 711.0, -711.0)),
    "asinh": (torch.asinh, unary(-3.0, -0.5, 0.2, 2.0, 1e200)),
    "acosh": (torch.acosh, unary(1.0, 1.001, 1.5, 3.0, 1e200, 0.5, -2.0)),
    "atanh": (torch.atanh, unary(-0.9, -0.3, 0.2, 0.7, 0.999, 1.0, -1.0, 1.5)),
    # exp_log.py
    "log1p": (torch.log1p, unary(-0.9, -0.5, 1e-10, 0.3, 2.0, 1e5, -1.0, -2.0)),
    "expm1": (torch.expm1, unary(-30.0, -1.0, 1e-10, 0.3, 2.0, 709.0, 710.0)),
    "log2": (torch.log2, unary(1e-3, 0.5, 1.0, 2.0, 8.0, 1e5, -1.0)),
    "log10": (torch.log10, unary(1e-3, 0.5, 1.0, 2.0, 8.0, 1e5, -1.0)),
    "exp2": (torch.exp2, unary(-3.0, -0.5, 0.2, 2.5, 1023.0, 1024.0, -1074.0, -1080.0)),
    "hypot": (torch.hypot, binary((3.0, 4.0), (-1.0, 0.5), (0.5, -2.0), (1e-200, 1e-200))),
    "logaddexp": (torch.logaddexp, binary((0.5, 0.5), (1.0, 2.0), (-3.0, 0.5), (1000.0, 1000.0),
                                          (-1000.0, -1000.0), (30.0, -30.0))),
    "square": (torch.square, unary(-3.0, -0.1, 0.4, 5.0, 1e154, 1e155)),
    "reciprocal": (torch.reciprocal, unary(-2.0, -0.1, 0.4, 3.0)),
    "rsqrt": (torch.rsqrt, unary(0.04, 0.5, 2.0, 1e4, -1.0)),
    # piecewise.py
    "sign": (torch.sign, unary(*ROUNDING)),
    "floor": (torch.floor, unary(*ROUNDING)),
    "ceil": (torch.ceil, unary(*ROUNDING)),
    "round": (torch.round, unary(*ROUNDING)),
    "trunc": (torch.trunc, unary(*ROUNDING)),
    "round(x, 2)": (lambda x: torch.round(x, decimals=2),
                    unary(1.2345, 2.675, -0.001, 0.125, -0.125, 1e300)),
    "round(x, -1)": (lambda x: torch.round(x, decimals=-1), unary(1234.5, 15.0, 25.0, -35.0, 4.9)),
    "clamp(x, -1, 2)": (lambda x: torch.clamp(x, -1.0, 2.0), unary(-3.0, -1.0, -0.5, 1.5, 2.0, 3.0)),
    "clamp(x, min=0)": (lambda x: torch.clamp(x, min=0.0), unary(-1.0, 1.0)),
    "clamp(x, max=0)": (lambda x: torch.clamp(x, max=0.0), unary(-1.0, 1.0)),
    "clamp(x, 2, 1)": (lambda x: torch.clamp(x, 2.0, 1.0), unary(0.5, 1.0, 1.5, 2.0, 3.0)),
    "clamp(x, nan, 1)": (lambda x: torch.clamp(x, nan, 1.0), unary(0.5, 3.0)),
    "clamp(x, lo, hi)": (torch.clamp, [(-1.0, 0.0, 1.0), (0.0, 0.0, 1.0), (0.5, 0.0, 1.0),
                                       (1.0, 0.0, 1.0), (2.0, 0.0, 1.0), (0.5, 2.0, 1.0),
                                       (1.5, 2.0, 1.0), (2.5, 2.0, 1.0), (0.5, 1.0, 1.0),
                                       (1.0, 1.0, 1.0), (nan, 0.0, 1.0), (0.5, nan, 1.0),
                                       (0.5, 0.0, nan), (inf, 0.0, 1.0), (-inf, 0.0, 1.0),
                                       (0.5, -inf, inf)]),
    "clamp(x, lo, None)": (lambda x, lo: torch.clamp(x, min=lo),
                           [(-1.0, 0.0), (0.0, 0.0), (1.0, 0.0), (nan, 0.0), (0.0, nan), (-0.0, 0.0),
                            (0.0, -0.0)]),
    "clamp(x, None, hi)": (lambda x, hi: torch.clamp(x, max=hi),
                           [(-1.0, 0.0), (0.0, 0.0), (1.0, 0.0), (nan, 0.0), (0.0, nan), (-0.0, 0.0),
                            (0.0, -0.0)]),
    "maximum": (torch.maximum, binary((1.0, 2.0), (2.0, 1.0), (-1.0, -1.0), (3.0, 3.0))),
    "minimum": (torch.minimum, binary((1.0, 2.0), (2.0, 1.0), (-1.0, -1.0), (3.0, 3.0))),
    "a % b": (torch.remainder, binary((7.0, 2.0), (-7.0, 2.0), (7.0, -2.0), (-7.0, -2.0),
                                      (5.5, 1.5), (-4.0, 2.0), (4.0, -2.0), (1e308, 3.0),
                                      (0.1, 1e-300), (-1e-300, 2.0))),
    "x % 2.5": (lambda x: torch.remainder(x, 2.5), unary(7.0, -7.0, 2.5, -2.5, 6.2)),
    "a // b": (floor_divide_grads, binary((7.0, 2.0), (-7.0, 2.0), (7.0, -2.0), (-7.0, -2.0),
                                          (5.5, 1.5), (-4.0, 2.0), (1e308, 3.0), (0.1, 1e-300),
                                          (-1e-300, 2.0), (1.0, 0.1))),
}

# key: (torch function of a 1-d tensor, lists of inputs)
REDUCTIONS = {
    "mean": (torch.mean, [[1.0, 2.0, 4.0], [0.5], [1.0, 2.0, 3.0, 4.0, 5.0], [1e308, 1e308],
                          [inf, -inf], [inf, 1.0], [nan, 1.0], [-0.0, -0.0], [5e-324, 5e-324, 5e-324]]),
    "prod": (torch.prod, [[2.0, 3.0, 4.0], [2.0, 0.0, 4.0], [0.0, 0.0, 4.0], [inf, 2.0], [inf, 0.0],
                          [1e-200, 1e-200, 1e200], [nan, 2.0], [-0.0, 3.0], [1e200, 1e200, 0.0],
                          [5.0], [0.5, -1.5, 2.0, -0.25], [1e200, 1e200, 1e-200]]),
    "max": (torch.max, [[1.0, 3.0, 3.0, 2.0], [1.0, nan, 3.0, nan], [1.0, inf, inf], [-inf, -inf],
                        [0.0, -0.0], [-0.0, 0.0], [5.0], [2.0, 1.0, 2.0, 1.0, 2.0], [-1.0, -2.0]]),
    "min": (torch.min, [[1.0, 3.0, 1.0, 2.0], [1.0, nan, 3.0, nan], [1.0, -inf, -inf], [inf, inf],
                        [0.0, -0.0], [-0.0, 0.0], [5.0], [2.0, 1.0, 2.0, 1.0, 2.0], [-1.0, -2.0]]),
}


def same(a, b):
    return (a != a and b != b) or (a == b and math.copysign(1, a) == math.copysign(1, b))


def derivatives(f, xs):
    """(value, gradients for an incoming gradient of 1, inf and 1e-10, Hessian) of f at xs."""
    ts = [torch.tensor(x, dtype=F64, requires_grad=True) for x in xs]
    out = f(*ts)
    if not out.requires_grad:
        raise AssertionError(f"{f} does not differentiate")
    results = []
    for seed in (1.0, inf, 1e-10):
        gs = torch.autograd.grad(f(*ts), ts, torch.tensor(seed, dtype=F64), allow_unused=True)
        results.append(tuple(0.0 if g is None else g.item() for g in gs))
    firsts = torch.autograd.grad(f(*ts), ts, create_graph=True, allow_unused=True)
    hessian = []
    for g in firsts:
        if g is None or not g.requires_grad:
            hessian.append((0.0,) * len(ts))
            continue
        row = torch.autograd.grad(g, ts, retain_graph=True, allow_unused=True)
        hessian.append(tuple(0.0 if h is None else h.item() for h in row))
    return out.item(), results, tuple(hessian)


def reduction_derivatives(f, xs):
    return derivatives(lambda *ts: f(torch.stack(ts)), xs)


def main() -> None:
    tables = {"source": f"torch {torch.__version__}, float64, CPU; written by "
                        "tests/reference/make_torch_math.py"}
    for table, cases, measure in (("elementwise", ELEMENTWISE, derivatives),
                                  ("reductions", REDUCTIONS, reduction_derivatives)):
        tables[table] = {}
        for key, (f, points) in cases.items():
            rows = tables[table][key] = []
            for xs in points:
                value, (ones, infs, small), hessian = measure(f, xs)
                rows.append({"at": list(xs), "value": value, "grad": list(ones),
                             "grad_inf": list(infs), "grad_small": list(small),
                             "hessian": [list(row) for row in hessian]})
    # one case a line, so that a change of torch's numbers reads well in a diff
    lines = ["{", f'"source": {json.dumps(tables.pop("source"))},']
    for t, (table, cases) in enumerate(tables.items()):
        lines.append(f"{json.dumps(table)}: {{")
        for k, (key, rows) in enumerate(cases.items()):
            lines.append(f"{json.dumps(key)}: [")
            lines += [json.dumps(row) + ("," if i < len(rows) - 1 else "") for i, row in enumerate(rows)]
            lines.append("]" + ("," if k < len(cases) - 1 else ""))
        lines.append("}" + ("," if t < len(tables) - 1 else ""))
    lines.append("}")
    path = Path(__file__).with_name("torch_math.json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
