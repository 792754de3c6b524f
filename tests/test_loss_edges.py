"""Losses at the edges: huge logits, inf and nan, against float64 PyTorch and exact arithmetic.

The numbers in the tables below come from torch 2.13.0 (CPU, float64), computed with
/work/torchenv/bin/python as, e.g.::

    x = torch.tensor([0., 0., -1e10], dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(x.unsqueeze(0), torch.tensor([2]))
    loss.backward(); loss.item(), x.grad.tolist()

The fuzz tests compare every loss, at logits up to +-1e300, with the same formulas evaluated in
decimal arithmetic (`decimal`): sums and differences of the inputs exactly (800 digits: a float64
has at most 767), exp and log to 60 digits, rounded to float only at the end.
"""
import math
from decimal import Context, Decimal, localcontext

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import nn
from autograd import Value
from nn import functional as F

inf, nan = math.inf, math.nan


def same(a, b):
    """Equal as torch prints them: nan equals nan, -0.0 equals 0.0."""
    return (a != a and b != b) or a == b


def loss_and_grads(fn, xs, *args, **kwargs):
    values = [Value(x) for x in xs]
    loss = fn(values, *args, **kwargs)
    loss.backward()
    return loss.data, [v.grad for v in values]


# -- cross_entropy against torch ------------------------------------------------------------------
TORCH_CROSS_ENTROPY = [  # (logits, target, loss, gradient), from torch 2.13.0 float64
    ([0.0, 0.0, -1e10], 2, 10000000000.693148, [0.5, 0.5, -1.0]),
    ([0.0, 0.0, -1e15], 2, 1000000000000000.8, [0.5, 0.5, -1.0]),
    ([0.0, 0.0, -1e16], 2, 1e16, [0.5, 0.5, -1.0]),
    ([0.0, 0.0, -1e100], 2, 1e100, [0.5, 0.5, -1.0]),
    ([0.0, 0.0, -1e300], 2, 1e300, [0.5, 0.5, -1.0]),
    ([0.0, 1000.0, -1e20], 2, 1e20, [0.0, 1.0, -1.0]),
    ([1e308, -1e308], 1, inf, [1.0, -1.0]),
    ([1e308, 1e308], 0, 0.6931471805599453, [-0.5, 0.5]),
    ([inf, 0.0], 0, nan, [nan, nan]),
    ([inf, 0.0], 1, nan, [nan, nan]),
    ([-inf, 0.0], 0, inf, [-1.0, 1.0]),
    ([-inf, 0.0], 1, 0.0, [0.0, 0.0]),
    ([inf, inf], 0, nan, [nan, nan]),
    ([-inf, -inf], 0, nan, [nan, nan]),
    ([nan, 0.0], 1, nan, [nan, nan]),
    ([inf, -inf], 1, nan, [nan, nan]),
]


@pytest.mark.parametrize("logits, target, loss, grads", TORCH_CROSS_ENTROPY)
def test_cross_entropy_at_extreme_logits_is_torchs(logits, target, loss, grads):
    got_loss, got_grads = loss_and_grads(F.cross_entropy, logits, target)
    assert same(got_loss, loss), (got_loss, loss)
    assert all(same(g, e) for g, e in zip(got_grads, grads)), (got_grads, grads)


def test_cross_entropy_second_derivative_at_huge_logits():
    # d^2/dx0^2 of cross_entropy([x0, 0, -1e16], 2) is s0 (1 - s0) = 0.25 at x0 = 0
    x = [Value(0.0), Value(0.0), Value(-1e16)]
    F.cross_entropy(x, 2).backward(create_graph=True)
    g0 = x[0].grad
    assert g0.data == 0.5
    for v in x:
        v.grad = 0.0
    g0.backward()
    assert x[0].grad == 0.25 and x[1].grad == -0.25 and x[2].grad == 0.0


TORCH_SOFTMAX = [  # (logits, softmax, d softmax[0] / dx, log_softmax, d log_softmax[0] / dx)
    ([inf, 0.0], [nan, nan], [nan, nan], [nan, nan], [nan, nan]),
    ([-inf, 0.0], [0.0, 1.0], [0.0, 0.0], [-inf, 0.0], [1.0, -1.0]),
    ([inf, inf], [nan, nan], [nan, nan], [nan, nan], [nan, nan]),
    ([-inf, -inf], [nan, nan], [nan, nan], [nan, nan], [nan, nan]),
    ([inf, -inf], [nan, nan], [nan, nan], [nan, nan], [nan, nan]),
    ([nan, 0.0], [nan, nan], [nan, nan], [nan, nan], [nan, nan]),
    ([0.0, nan], [nan, nan], [nan, nan], [nan, nan], [nan, nan]),
]


@pytest.mark.parametrize("logits, soft, soft_grad, log_soft, log_soft_grad", TORCH_SOFTMAX)
def test_softmax_and_log_softmax_with_inf_and_nan_logits_are_torchs(logits, soft, soft_grad,
                                                                     log_soft, log_soft_grad):
    for fn, values, grads in ((F.softmax, soft, soft_grad), (F.log_softmax, log_soft,
                                                             log_soft_grad)):
        x = [Value(v) for v in logits]
        out = fn(x)
        out[0].backward()
        assert all(same(o.data, e) for o, e in zip(out, values)), (fn.__name__, out)
        assert all(same(v.grad, e) for v, e in zip(x, grads)), (fn.__name__, [v.grad for v in x])


def test_cross_entropy_with_label_smoothing_at_huge_and_inf_logits():
    # torch 2.13.0 float64, label_smoothing=0.1
    loss, grads = loss_and_grads(F.cross_entropy, [0.0, 0.0, -1e300], 2, label_smoothing=0.1)
    assert loss == pytest.approx(9.333333333333334e+299, rel=1e-15)
    assert grads == pytest.approx([0.4666666666666667, 0.4666666666666667, -0.9333333333333333],
                                  rel=1e-15)
    loss, grads = loss_and_grads(F.cross_entropy, [inf, 0.0], 0, label_smoothing=0.1)
    assert loss != loss and all(g != g for g in grads)


def test_huber_at_nan_and_inf_is_torchs():
    # torch 2.13.0 float64: huber_loss(x, 0.) -> (loss, grad) = (nan, nan), (inf, 1.), (inf, -1.)
    for x, loss, grad in ((nan, nan, nan), (inf, inf, 1.0), (-inf, inf, -1.0)):
        v = Value(x)
        out = F.huber_loss(v, 0.0)
        out.backward()
        assert same(out.data, loss) and same(v.grad, grad), (x, out.data, v.grad)


# -- fuzz: every loss against exact arithmetic --------------------------------------------------
EDGES = [0.0, -0.0, 1e300, -1e300, 1e16, -1e16, 1e-300, -1e-300, 5e-324, 1000.0, -1000.0, 1.0,
         -1.0, 0.5]
logit = st.one_of(st.sampled_from(EDGES), st.floats(-1e300, 1e300),
                  st.floats(-50.0, 50.0))
FUZZ = settings(max_examples=150, deadline=None)


EXACT = Context(prec=800)  # for + and - of inputs: no rounding at all


def decimal_context():
    return localcontext(prec=60)


def exact(x):
    return float(x)


def close(got, want, rel=1e-12, abs_=1e-300):
    if want != want:
        return got != got
    if math.isinf(want):
        return got == want
    return math.isclose(got, want, rel_tol=rel, abs_tol=abs_)


@FUZZ
@given(st.lists(logit, min_size=1, max_size=5), st.data())
def test_fuzz_cross_entropy_against_exact_arithmetic(xs, data):
    t = data.draw(st.integers(0, len(xs) - 1))
    loss, grads = loss_and_grads(F.cross_entropy, xs, t)
    with decimal_context():
        d = [Decimal(x) for x in xs]
        m = max(d)
        shifted = [EXACT.subtract(v, m) for v in d]
        total = sum(v.exp() for v in shifted)
        want_loss = exact(EXACT.add(EXACT.subtract(m, d[t]), total.ln()))
        want_grads = [exact(v.exp() / total - (1 if j == t else 0)) for j, v in enumerate(shifted)]
    # torch's formula, log(sum e^(x - m)) - (x_t - m), rounds the sum before its log: an
    # absolute error of an ulp of 1 (cross_entropy([11., 0.], 0) is 1.670156131830428e-05 in
    # torch 2.13.0 float64, exactly 1.670156131839396e-05)
    assert close(loss, want_loss, abs_=1e-15), (loss, want_loss)
    assert all(close(g, w, abs_=1e-15) for g, w in zip(grads, want_grads)), (grads, want_grads)


@FUZZ
@given(st.lists(logit, min_size=2, max_size=5), st.data())
def test_fuzz_cross_entropy_with_label_smoothing_against_exact_arithmetic(xs, data):
    t = data.draw(st.integers(0, len(xs) - 1))
    e = 0.25
    loss, grads = loss_and_grads(F.cross_entropy, xs, t, label_smoothing=e)
    with decimal_context():
        d = [Decimal(x) for x in xs]
        n = len(d)
        m = max(d)
        shifted = [EXACT.subtract(v, m) for v in d]
        total = sum(v.exp() for v in shifted)
        log_soft = [v - total.ln() for v in shifted]
        weights = [Decimal(e) / n + (1 - Decimal(e) if j == t else 0) for j in range(n)]
        want_loss = exact(-sum(w * ls for w, ls in zip(weights, log_soft)))
        want_grads = [exact(v.exp() / total - w) for v, w in zip(shifted, weights)]
    # the loss sums terms of both signs, so its float error is relative to the largest term
    scale = max(abs(x) for x in xs) + 1.0
    assert math.isclose(loss, want_loss, rel_tol=1e-12, abs_tol=scale * 1e-15), (loss, want_loss)
    assert all(close(g, w, abs_=1e-15) for g, w in zip(grads, want_grads)), (grads, want_grads)


pairs = st.lists(st.tuples(logit, logit), min_size=1, max_size=4)


def elementwise(fn, pairs_, **kwargs):
    ps = [Value(p) for p, _ in pairs_]
    loss = fn(ps, [t for _, t in pairs_], **kwargs)
    loss.backward()
    return loss.data, [p.grad for p in ps]


def sign(d):
    return (d > 0) - (d < 0)


@FUZZ
@given(pairs)
def test_fuzz_regression_losses_against_exact_arithmetic(pairs_):
    n = len(pairs_)
    with decimal_context():
        diffs = [EXACT.subtract(Decimal(p), Decimal(t)) for p, t in pairs_]
        want = {
            "mse": (sum(d * d for d in diffs) / n, [2 * d / n for d in diffs]),
            "l1": (sum(abs(d) for d in diffs) / n, [Decimal(sign(d)) / n for d in diffs]),
            "huber": (sum(d * d / 2 if abs(d) < 1 else abs(d) - Decimal("0.5") for d in diffs) / n,
                      [(d if abs(d) < 1 else Decimal(sign(d))) / n for d in diffs]),
        }
        want = {k: (exact(loss), [exact(g) for g in grads]) for k, (loss, grads) in want.items()}
    # float64 rounds p - t first: the exact difference is not what torch or we compute with,
    # so the reference is exact arithmetic on the rounded difference where it matters
    float_diffs = [p - t for p, t in pairs_]
    if any(math.isinf(d) for d in float_diffs):
        return  # |p - t| overflows float64 (torch gives inf and nan there too)
    for name, fn in (("mse", F.mse_loss), ("l1", F.l1_loss), ("huber", F.huber_loss)):
        loss, grads = elementwise(fn, pairs_)
        want_loss, want_grads = want[name]
        assert close(loss, want_loss, rel=1e-12), (name, loss, want_loss)
        for g, w, d in zip(grads, want_grads, float_diffs):
            assert close(g, w, rel=1e-12, abs_=1e-300) or (name != "mse" and d == 0), \
                (name, grads, want_grads)


def test_bce_with_logits_gradient_near_one_is_torchs():
    # sigmoid(12.03125) - 1 cancels: the exact gradient is -5.955139348629956e-06, torch 2.13.0
    # (float64) gives -5.955139348756688e-06, 1.3e-16 away, and so does chainrule, to the bit
    loss, grads = elementwise(F.binary_cross_entropy_with_logits, [(12.03125, 1.0)])
    assert grads == [-5.955139348756688e-06]
    assert loss == 5.955157080542685e-06


@FUZZ
@given(st.lists(st.tuples(logit, st.sampled_from([0.0, 1.0, 0.25])), min_size=1, max_size=4))
@example([(12.03125, 1.0)])  # once drawn at random: 1.3e-16 from exact, as torch's
def test_fuzz_bce_with_logits_against_exact_arithmetic(pairs_):
    n = len(pairs_)
    loss, grads = elementwise(F.binary_cross_entropy_with_logits, pairs_)
    with decimal_context():
        terms, want_grads = [], []
        for x, y in pairs_:
            dx, dy = Decimal(x), Decimal(y)
            terms.append(EXACT.add(EXACT.subtract(max(dx, 0), EXACT.multiply(dx, dy)),
                                   (1 + (-abs(dx)).exp()).ln()))
            sig = 1 / (1 + (-dx).exp()) if dx >= 0 else dx.exp() / (1 + dx.exp())
            want_grads.append(exact((sig - dy) / n))
        want_loss = exact(sum(terms) / n)
    scale = max(abs(x) for x, _ in pairs_) + 1.0  # x y and max(x, 0) cancel when y = 1
    assert math.isclose(loss, want_loss, rel_tol=1e-12, abs_tol=scale * 1e-15), (loss, want_loss)
    # d/dx = (sigmoid(x) - y) / n, computed as torch computes it: sigmoid's formula 1 / (1 + e^-x)
    # rounds three times, so near 1 it is up to 3 half-ulps of 1 (2^-53 each) from exact, and
    # subtracting y cancels the leading digits but not that error; the subtraction may round once
    # more. So the gradient is within 4 * 2^-53 / n of exact arithmetic, not 1e-16.
    tolerance = 4 * 2.0 ** -53 / n
    assert all(close(g, w, abs_=tolerance) for g, w in zip(grads, want_grads, strict=True)), \
        (grads, want_grads)


@FUZZ
@given(st.lists(st.tuples(logit, st.sampled_from([-1, 1])), min_size=1, max_size=4))
def test_fuzz_hinge_against_exact_arithmetic(pairs_):
    n = len(pairs_)
    loss, grads = elementwise(F.hinge_loss, pairs_)
    with decimal_context():
        margins = [EXACT.subtract(1, EXACT.multiply(Decimal(y), Decimal(s))) for s, y in pairs_]
        want_loss = exact(sum(max(m, 0) for m in margins) / n)
        want_grads = [exact(-Decimal(y) / n) if m > 0 else 0.0 for m, (_, y) in zip(margins, pairs_)]
    assert close(loss, want_loss), (loss, want_loss)
    # at the kink (1 - y s == 0 after rounding) relu's gradient is 0, as torch's
    for g, w, (s, y) in zip(grads, want_grads, pairs_):
        assert g == w or 1.0 - y * s <= 0.0, (grads, want_grads)


@FUZZ
@given(st.lists(st.tuples(st.floats(0.0, 1.0), st.sampled_from([0.0, 1.0, 0.5])), min_size=1,
                max_size=4))
def test_fuzz_bce_against_exact_arithmetic(pairs_):
    n = len(pairs_)
    loss, grads = elementwise(F.binary_cross_entropy, pairs_)
    with decimal_context():
        terms, want_grads = [], []
        for p, y in pairs_:
            dp, dy = Decimal(p), Decimal(y)
            log_p = max(dp.ln(), Decimal(-100)) if dp > 0 else Decimal(-100)
            log_1mp = max(EXACT.subtract(1, dp).ln(), Decimal(-100)) if dp < 1 else Decimal(-100)
            terms.append(-(dy * log_p + (1 - dy) * log_1mp))
            # torch's gradient: (p - y) / max((1 - p) p, eps), eps = 1e-12 stored as a float32
            want_grads.append(exact((dp - dy) / max((1 - dp) * dp,
                                                    Decimal(9.999999960041972e-13)) / n))
        want_loss = exact(sum(terms) / n)
    assert close(loss, want_loss, rel=1e-12, abs_=1e-15), (loss, want_loss)
    # 1 - p is rounded in float64 before it is multiplied (as in torch): 1e-12 relative at worst
    assert all(close(g, w, rel=1e-9, abs_=1e-15) for g, w in zip(grads, want_grads)), \
        (grads, want_grads)
