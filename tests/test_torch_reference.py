"""The ops of autograd/math (trig, exp_log, piecewise, reductions) against PyTorch, number by number.

tests/reference/torch_math.json holds torch 2.13.0's float64 results (written by
tests/reference/make_torch_math.py):
the value, the gradient for an incoming gradient of 1, of inf and of 1e-10 (where PyTorch
divides the incoming gradient by a subnormal number, multiplying by its reciprocal would overflow),
and the Hessian, at ordinary
points and at the edges (±0, subnormals, huge numbers, ±inf, nan, domain boundaries). Infinities,
nans and zeros (with their sign) must match exactly; other numbers to a few units in the last place,
since libm's functions may round differently from torch's.
"""
import json
import math
from pathlib import Path

import pytest

import autograd
from autograd import Value
from autograd.calculus.functional import gradients

inf, nan = math.inf, math.nan
TORCH = json.loads((Path(__file__).parent / "reference" / "torch_math.json").read_text("utf-8"))
ELEMENTWISE = TORCH["elementwise"]
REDUCTIONS = TORCH["reductions"]

# chainrule's function for each key of the tables (functions, so that they take plain numbers too;
# the tests of each module check that methods and operators give the same)
FUNCTIONS = {
    "tan": autograd.tan, "asin": autograd.asin, "acos": autograd.acos, "atan": autograd.atan,
    "atan2": autograd.atan2, "sinh": autograd.sinh, "cosh": autograd.cosh,
    "asinh": autograd.asinh, "acosh": autograd.acosh, "atanh": autograd.atanh,
    "log1p": autograd.log1p, "expm1": autograd.expm1, "log2": autograd.log2,
    "log10": autograd.log10, "exp2": autograd.exp2, "hypot": autograd.hypot,
    "logaddexp": autograd.logaddexp, "square": autograd.square,
    "reciprocal": autograd.reciprocal, "rsqrt": autograd.rsqrt,
    "sign": autograd.sign, "floor": autograd.floor, "ceil": autograd.ceil,
    "round": autograd.round, "trunc": autograd.trunc,
    "round(x, 2)": lambda x: autograd.round(x, 2), "round(x, -1)": lambda x: autograd.round(x, decimals=-1),
    "clamp(x, -1, 2)": lambda x: autograd.clamp(x, -1.0, 2.0),
    "clamp(x, min=0)": lambda x: autograd.clamp(x, min=0.0),
    "clamp(x, max=0)": lambda x: autograd.clamp(x, max=0),
    "clamp(x, 2, 1)": lambda x: autograd.clamp(x, 2.0, 1.0),
    "clamp(x, nan, 1)": lambda x: autograd.clamp(x, math.nan, 1.0),
    "clamp(x, lo, hi)": autograd.clamp,
    "clamp(x, lo, None)": lambda x, low: autograd.clamp(x, min=low),
    "clamp(x, None, hi)": lambda x, high: autograd.clamp(x, max=high),
    "maximum": autograd.maximum, "minimum": autograd.minimum,
    "a % b": autograd.remainder, "x % 2.5": lambda x: autograd.remainder(x, 2.5),
    "a // b": autograd.floor_divide,
}

# Deliberate differences (docs/differences-from-pytorch.md): the correctly rounded value where
# PyTorch's vectorised log1p flushes a subnormal to 0 or loses digits.
DIFFERENT = {
    ("log1p", (5e-324,)): 5e-324,
    ("log1p", (-5e-324,)): -5e-324,
    ("log1p", (1e-310,)): 1e-310,
}
# PyTorch computes these gradients as (g * a) * b or (g * a) / b, chainrule as g * (a * b) or
# g * (a / b) (a partial times the incoming gradient): the last bit can differ for a g other than 1,
# and (g * a) underflows where a / b does not.
REGROUPED = {"atan2", "exp2", "hypot"}
DIFFERENT_SMALL = {
    ("hypot", (5e-324, 5e-324)): [1e-10, 1e-10],
    ("hypot", (5e-324, -5e-324)): [1e-10, -1e-10],
}
# Hessians of prod where PyTorch's (a cumulative product's backward) overflows or gives nan: ours
# are the products of the other inputs, exactly; where the product itself overflows, the
# out / x_i rule of the first derivatives gives inf off the diagonal and inf / inf = nan on it.
DIFFERENT_HESSIANS = {
    ("prod", (inf, 0.0)): [[0.0, 1.0], [1.0, 0.0]],
    ("prod", (1e200, 1e200, 0.0)): [[0.0, 0.0, 1e200], [0.0, 0.0, 1e200], [1e200, 1e200, 0.0]],
    ("prod", (1e200, 1e200, 1e-200)): [[nan, inf, inf], [inf, nan, inf], [inf, inf, nan]],
}


def matches(got, want, rel, signed_zero=True):
    if isinstance(got, Value):
        got = got.data
    if math.isnan(want):
        return math.isnan(got)
    if want == 0 and not signed_zero:
        return got == 0
    if want == 0 or math.isinf(want):
        return got == want and math.copysign(1, got) == math.copysign(1, want)
    return math.isclose(got, want, rel_tol=rel, abs_tol=0.0)


def gradient_matches(got, want, rel):
    # The sign of a zero gradient is not compared: a leaf's gradient starts at 0.0 and
    # 0.0 + -0.0 is 0.0, where PyTorch stores the first gradient as it is.
    # strict: a gradient missing from either list is a failure, not a shorter comparison
    return [matches(g, w, rel, signed_zero=False) for g, w in zip(got, want, strict=True)]


def measure(f, xs):
    """(value, gradient for seed 1, for seed inf, for seed 1e-10, Hessian) of f at xs."""
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    ones = gradients(out, leaves)
    infs = gradients(out * inf, leaves)  # the product's partial on out is inf: an inf seed
    smalls = gradients(out * 1e-10, leaves)
    hessian = []
    for first in gradients(out, leaves, create_graph=True):
        if isinstance(first, Value):
            hessian.append(gradients(first, leaves))
        else:
            hessian.append([0.0] * len(xs))
    return out.data, ones, infs, smalls, hessian


# the reductions as functions of n arguments
for _name in REDUCTIONS:
    FUNCTIONS[_name] = lambda *xs, f=getattr(autograd, _name): f(xs)

CASES = [(key, tuple(case["at"]), case["value"], case["grad"], case["grad_inf"], case["grad_small"],
          case["hessian"])
         for table in (ELEMENTWISE, REDUCTIONS) for key, cases in table.items() for case in cases]


@pytest.mark.parametrize("key, xs, value, ones, infs, smalls, hessian", CASES,
                         ids=[f"{c[0]}{c[1]}" for c in CASES])
def test_matches_torch(key, xs, value, ones, infs, smalls, hessian):
    value = DIFFERENT.get((key, xs), value)
    hessian = DIFFERENT_HESSIANS.get((key, xs), hessian)
    got_value, got_ones, got_infs, got_smalls, got_hessian = measure(FUNCTIONS[key], xs)
    assert matches(got_value, value, 1e-15), f"value {got_value!r}, torch {value!r}"
    smalls = DIFFERENT_SMALL.get((key, xs), smalls)
    rel = 1e-15 if key in REGROUPED else 0.0  # gradients match to the bit
    assert all(gradient_matches(got_ones, ones, rel)), f"grad {got_ones}, torch {ones}"
    assert all(gradient_matches(got_infs, infs, rel)), f"inf-seeded {got_infs}, torch {infs}"
    assert all(gradient_matches(got_smalls, smalls, rel)), f"1e-10-seeded {got_smalls}, torch {smalls}"
    for got_row, row in zip(got_hessian, hessian, strict=True):
        assert all(gradient_matches(got_row, row, 1e-13)), (
            f"Hessian {got_hessian}, torch {hessian}")
    # the function on plain numbers gives the same float
    plain = FUNCTIONS[key](*xs)
    assert type(plain) is float and matches(plain, got_value, 0.0)


def test_every_reference_key_is_tested():
    assert set(FUNCTIONS) == set(ELEMENTWISE) | set(REDUCTIONS)
    assert {key for key, xs in [*DIFFERENT, *DIFFERENT_HESSIANS, *DIFFERENT_SMALL]} <= set(FUNCTIONS)
    assert REGROUPED <= set(FUNCTIONS)


FINITE = [case for case in CASES if all(map(math.isfinite, case[1] + tuple(case[3])))]


@pytest.mark.parametrize("key, xs, value, ones, infs, smalls, hessian", FINITE,
                         ids=[f"{c[0]}{c[1]}" for c in FINITE])
def test_forward_mode_gives_torchs_gradient_too(key, xs, value, ones, infs, smalls, hessian):
    # jvp with a unit tangent e_i is d out / d x_i, pushed through the same local derivatives
    for i, want in enumerate(ones):
        tangents = [1.0 if j == i else 0.0 for j in range(len(xs))]
        got_value, got = autograd.jvp(FUNCTIONS[key], list(xs), tangents)
        assert matches(got, want, 1e-15, signed_zero=False), f"d/dx{i}: jvp {got}, torch {want}"
