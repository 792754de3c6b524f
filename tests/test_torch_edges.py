"""Every op against PyTorch at the edges: value, gradient and second derivatives, number by number.

Where the numbers come from: tests/reference/torch_edges.json, written once by
tests/reference/make_torch_edges.py with torch 2.13.0 (float64, CPU); the suite never imports torch.
The file holds, for each case, an expression of x (and y) as a small tree (the language is described
in trees.py), the point, and torch's value, gradient and Hessian there. Two sections:
- "ops": every op at every edge value (±0, the subnormals 5e-324 and 1e-310, ±1e308, ±inf, nan)
  and ordinary ones; the binary ops, pow with a Value exponent, sum and dot at every pair of them;
  x ** c for c in 0, 1, ±0.5, 2, -1, 3, -2, ...; c ** x; leaky_relu with several slopes.
- "expressions": 1500 random compositions of those ops (a fixed seed), at random edge points.

How numbers are compared (`agree`): nan must be nan, an infinity the same infinity, a zero a zero of
the same sign. For a single op, values and first derivatives must be bit-for-bit torch's (they are,
at every point here) and second derivatives within an ulp. In the random expressions values may
differ by an ulp (PyTorch's exp and tanh round a few points differently) and derivatives by 1e-12
(relative, or absolute near 0): PyTorch adds a node's gradient contributions in another order, so
cancellations leave different rounding crumbs.

Second derivatives are compared the same way, except for two differences PyTorch has by
construction and chainrule does not copy (docs/differences-from-pytorch.md), allowed in the random
expressions and for a ** b alone: PyTorch differentiates a piecewise-constant local derivative
(relu's mask, abs's sign, pow's selections) as a function whose derivative is a zero tensor, which
it then multiplies by whatever arrives, so an inf there makes its second derivative nan where
chainrule's is finite (and in two of the random expressions PyTorch's double-backward formulas
multiply a zero by an inf elsewhere); and the sign of a zero second derivative follows the shape of
each library's backward formulas. Where torch's second derivative is not nan, chainrule's must
agree, sign of zero aside; for every other single op, exactly as above.

Beyond the corpus, a hypothesis test draws expressions and edge points of its own and checks that
the two backward passes (on floats, and building a graph) give the same first derivatives.

One difference is deliberate and tested as such: a zero gradient is +0.0 where PyTorch's can be
-0.0 (docs/differences-from-pytorch.md says why). (Gradients that PyTorch divides, a / b, log and
sqrt, the engine divides too: see `Over` in autograd/core/partials.py.)
"""
from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import autograd
from autograd import Value
from reference.trees import BINARY, UNARY, evaluate, show

inf, nan = math.inf, math.nan

REFERENCE = json.loads((Path(__file__).parent / "reference" / "torch_edges.json").read_text())

CHAINRULE = {"neg": lambda v: -v, "abs": abs, "exp": autograd.exp, "log": autograd.log,
             "sqrt": autograd.sqrt, "tanh": autograd.tanh, "sigmoid": autograd.sigmoid,
             "relu": autograd.relu, "sin": autograd.sin, "cos": autograd.cos,
             "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
             "/": lambda a, b: a / b, "**": lambda a, b: a ** b,
             "leaky_relu": lambda slope, x: autograd.leaky_relu(x, slope),
             "sum": autograd.sum, "dot": autograd.dot}


def case_id(case) -> str:
    return f"{show(case['f'])} at {', '.join(map(repr, case['at']))}"


def chainrule_numbers(case):
    """Value, gradient (plain backward), gradient (create_graph) and Hessian, as torch's are."""
    def leaves():
        return [Value(v) for v in case["at"]]

    xs = leaves()
    out = evaluate(case["f"], dict(zip("xy", xs)), CHAINRULE)
    out.backward()
    grad = [x.grad for x in xs]

    xs = leaves()
    evaluate(case["f"], dict(zip("xy", xs)), CHAINRULE).backward(create_graph=True)
    first = [x.grad for x in xs]
    hessian = []
    for g in first:
        if isinstance(g, Value):
            for x in xs:
                x.grad = Value(0.0).grad  # as it starts, so the pass below sees fresh leaves
            g.backward()
            hessian.append([x.grad for x in xs])
        else:  # a constant derivative, as the 1.0 of x + y
            hessian.append([0.0] * len(xs))
    return {"value": out.data, "grad": grad, "graph grad": [float(g) for g in first],
            "hessian": hessian}


def agree(got: float, want: float, order: int, random_expression: bool) -> bool:
    """`got` is torch's `want` for a value (order 0) or a derivative of order 1 or 2."""
    if math.isnan(want) or math.isnan(got):
        return math.isnan(want) and math.isnan(got)
    if got == want:
        return math.copysign(1.0, got) == math.copysign(1.0, want)  # ±0 and ±inf exactly
    if math.isinf(got) or math.isinf(want):
        return False
    if random_expression and order > 0:  # sums in another order: absolute crumbs near 0
        return abs(got - want) <= 1e-12 * max(1.0, abs(want))
    ulps = 1 if random_expression or order == 2 else 0
    return got != 0 and want != 0 and abs(got - want) <= ulps * math.ulp(want)


def is_zero_of_the_other_sign(got: float, want: float) -> bool:
    return got == 0 and want == 0 and math.copysign(1, want) != math.copysign(1, got)


def mismatches(case, random_expression: bool, engine_gaps: bool = False):
    """What chainrule gets wrong in `case`, as text; with engine_gaps, only the zero-sign gaps."""
    got = chainrule_numbers(case)
    found = []
    # torch's own second-order nans and zero signs (module docstring): in random expressions, and
    # for a ** b alone (its masked selections); for every other op its second derivatives count
    loose_second_order = random_expression or case["f"][0] == "**"

    def check(what, g, w, order=1):
        zero_sign = is_zero_of_the_other_sign(g, w) and (
            order == 1 or (order == 2 and not loose_second_order))  # the deliberate +0.0
        if engine_gaps:
            if zero_sign:
                found.append(f"{what} {g!r}, torch {w!r}")
            return
        if agree(g, w, order, random_expression) or zero_sign:
            return
        if order == 2 and loose_second_order and (math.isnan(w) or (g == 0 and w == 0)):
            return
        found.append(f"{what} {g!r}, torch {w!r}")

    check("value", got["value"], case["value"], order=0)
    for kind in ("grad", "graph grad"):
        for i, (g, w) in enumerate(zip(got[kind], case["grad"])):
            check(f"{kind} d/d{'xy'[i]}", g, w)
    for i, (row, want_row) in enumerate(zip(got["hessian"], case["hessian"])):
        for j, (g, w) in enumerate(zip(row, want_row)):
            check(f"d2/d{'xy'[i]}d{'xy'[j]}", g, w, order=2)
    return found



def _by_op():
    groups = defaultdict(list)
    for case in REFERENCE["ops"]:
        groups[show(case["f"])].append(case)
    return groups


OPS = _by_op()


def assert_agree(cases, random_expression: bool) -> None:
    found = [f"{case_id(case)}: {m}" for case in cases for m in mismatches(case, random_expression)]
    assert not found, f"{len(found)} disagreements with torch:\n" + "\n".join(found[:40])


@pytest.mark.parametrize("op", list(OPS))
def test_op_agrees_with_pytorch_at_every_edge(op):
    assert_agree(OPS[op], random_expression=False)


EXPRESSIONS = REFERENCE["expressions"]


@pytest.mark.parametrize("start", range(0, len(EXPRESSIONS), 100))
def test_random_expressions_agree_with_pytorch(start):
    assert_agree(EXPRESSIONS[start:start + 100], random_expression=True)


def test_the_reference_covers_every_op_and_edge_value():
    names = set()

    def walk(tree):
        if isinstance(tree, list):
            names.add(tree[0])
            for a in tree[1:]:
                walk(a)

    for case in REFERENCE["ops"]:
        walk(case["f"])
    assert names == set(CHAINRULE)
    points = {repr(v) for case in REFERENCE["ops"] for v in case["at"]}
    assert {"0.0", "-0.0", "5e-324", "1e-310", "1e+308", "-1e+308", "inf", "-inf", "nan"} <= points
    assert len(REFERENCE["expressions"]) == 1500


# The examples of issue 12 and the masks it names, each with torch 2.13.0's float64 numbers.
ISSUE_EXAMPLES = [
    ("relu(x).sqrt() at x = -1", lambda x: x.relu().sqrt(), [-1.0], 0.0, [0.0]),  # relu masks
    ("relu(x).log() at x = -1", lambda x: x.relu().log(), [-1.0], -inf, [0.0]),
    ("1 / relu(x) at x = -1", lambda x: 1 / x.relu(), [-1.0], inf, [0.0]),
    ("x ** (y ** 0) at (-1, 2)", lambda x, y: x ** (y ** 0), [-1.0, 2.0], -1.0, [1.0, 0.0]),
    ("(x ** 0) * inf at 2", lambda x: (x ** 0) * inf, [2.0], inf, [0.0]),  # x ** 0 masks
    # the base's gradient of a ** b masks at b = 0; the exponent's at a = 0 is a 0 that multiplies
    ("(a ** b) * inf at (0, 0)", lambda a, b: (a ** b) * inf, [0.0, 0.0], inf, [0.0, nan]),
    ("sqrt(a ** b) at (0, 2)", lambda a, b: (a ** b).sqrt(), [0.0, 2.0], 0.0, [nan, nan]),
    ("sqrt(x * 0) at 0", lambda x: (x * 0.0).sqrt(), [0.0], 0.0, [nan]),  # a product multiplies
    ("relu(-0.0)", lambda x: x.relu(), [-0.0], -0.0, [0.0]),
    ("(-inf) ** 0.5", lambda x: x ** 0.5, [-inf], nan, [nan]),  # torch takes sqrt for ** 0.5
    ("(-0.0) ** 0.5", lambda x: x ** 0.5, [-0.0], -0.0, [-inf]),
    ("(-0.0) ** -0.5", lambda x: x ** -0.5, [-0.0], -inf, [-inf]),  # and 1 / sqrt for ** -0.5
    ("sigmoid(-720)", lambda x: x.sigmoid(), [-720.0], 0.0, [0.0]),  # 1 / (1 + e^720)
    ("tanh(3)", lambda x: x.tanh(), [3.0], 0.9950547536867305, [0.009866037165440166]),
]


def identical(a: float, b: float) -> bool:
    same_sign = math.copysign(1, a) == math.copysign(1, b)
    return (math.isnan(a) and math.isnan(b)) or (a == b and same_sign)


@pytest.mark.parametrize("name, f, xs, value, grads", ISSUE_EXAMPLES,
                         ids=[e[0] for e in ISSUE_EXAMPLES])
def test_issue_examples_give_pytorchs_numbers(name, f, xs, value, grads):
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    assert identical(out.data, value), f"{name}: {out.data!r}, torch {value!r}"
    for leaf, want in zip(leaves, grads):
        assert identical(leaf.grad, want), f"{name}: {[v.grad for v in leaves]}, torch {grads}"


# -- the engine's two gaps (see the module docstring) ----------------------------------------------
def _all_cases():
    return REFERENCE["ops"] + REFERENCE["expressions"]


_EXPRESSIONS = {id(c) for c in REFERENCE["expressions"]}


def test_a_zero_gradient_is_positive_zero_the_one_sign_difference():
    # Deliberate (docs/differences-from-pytorch.md, "A zero gradient is +0.0"): torch 2.13.0 gives
    # x.grad == -0.0 here, chainrule +0.0. Every zero-sign gap of the plain backward pass and of
    # the second derivatives in the corpus must be exactly that one, chainrule's +0.0 where torch
    # has -0.0, never the other way round. (The create_graph pass takes a first contribution as it
    # is, as torch does, so its gaps are the masked edges where torch adds a +0.0.)
    x, y = Value(2.0), Value(-0.0)
    (x * y).backward()
    assert x.grad == 0.0 and math.copysign(1, x.grad) == 1.0  # torch: -0.0
    found = [(case_id(c), gap) for c in _all_cases()
             for gap in mismatches(c, random_expression=id(c) in _EXPRESSIONS, engine_gaps=True)]
    other_way = [f for f in found
                 if not f[1].startswith("graph grad") and not f[1].endswith(" 0.0, torch -0.0")]
    assert len(found) > 300  # the corpus does exercise the difference
    assert not other_way, f"zero gradients of the other sign than torch's: {other_way[:5]}"


def test_engine_divides_gradients_as_pytorch_does():
    # torch 2.13.0, float64 (/work/torchenv): the gradient divided by the divisor, not multiplied
    # by its reciprocal (inf for a subnormal); in both backward passes
    for create_graph in (False, True):
        x = Value(1e-310)
        (x.log() * 1e-10).backward(create_graph=create_graph)
        assert float(x.grad) == 1.000000000000003e+300  # torch: x.grad / x
        a, b = Value(3.0), Value(1e-310)
        ((a / b) * 1e-300).backward(create_graph=create_graph)
        assert float(a.grad) == 10000000000.00003 and float(b.grad) == -inf  # torch's
        x = Value(1e-310)
        (x.sqrt() * 1e-10).backward(create_graph=create_graph)
        assert float(x.grad) == 5.0000000000000076e+144  # torch: grad / (2 * sqrt(x))


# -- beyond the corpus: both backward passes agree on any expression at any edge point -------------
EDGES = [0.0, -0.0, 5e-324, -5e-324, 1e-310, -1e-310, 1e308, -1e308, inf, -inf, nan, 1.0, -2.5]
_constants = st.sampled_from([0.0, -0.0, 0.5, 2.0, -1.0, 3.0, -0.5, inf])


def _extend(children):
    return st.one_of(
        st.tuples(st.sampled_from(UNARY), children).map(list),
        st.tuples(st.sampled_from(BINARY), children, children).map(list),
        st.tuples(st.just("**"), children, _constants).map(list),
        st.tuples(st.sampled_from(BINARY), _constants, children).map(list),
        st.tuples(st.just("leaky_relu"), st.sampled_from([0.01, 0.0, -0.5]), children).map(list),
        st.lists(children, min_size=2, max_size=5).map(lambda xs: ["sum", *xs]),
        st.lists(children, min_size=2, max_size=5).map(lambda xs: ["dot", *xs]))

trees = st.recursive(st.sampled_from(["x", "y"]), _extend, max_leaves=8)
points = st.one_of(st.sampled_from(EDGES), st.floats(allow_nan=True, allow_infinity=True))


@settings(max_examples=300, deadline=None)
@given(tree=trees, x=points, y=points)
def test_plain_and_create_graph_backward_agree_at_edge_points(tree, x, y):
    # Two code paths compute every first derivative: the float pass and the graph-building pass
    # (derivatives on Values). They must give the same numbers, nan and inf included; the sign of a
    # zero is a deliberate difference (test_a_zero_gradient_is_positive_zero...), so it is not
    # compared.
    got = chainrule_numbers({"f": tree, "at": [x, y]})
    for plain, graph in zip(got["grad"], got["graph grad"]):
        assert plain == graph or (math.isnan(plain) and math.isnan(graph)), (show(tree), x, y)
