"""nn.functional and the loss classes: closed forms, torch reference values, finite differences."""
import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Value
from numeric import central_difference, close

P = [0.3, -1.2, 2.5, 0.9]
T = [0.0, -1.0, 0.4, 2.9]


def values(xs):
    return [Value(x) for x in xs]


def run(loss_fn, preds, targets):
    """loss, d loss / d preds, d loss / d targets (both as Values)."""
    p, t = values(preds), values(targets)
    loss = loss_fn(p, t)
    loss.backward()
    return loss.data, [v.grad for v in p], [v.grad for v in t]


def approx(xs, rel=1e-12, abs=1e-12):
    return pytest.approx(xs, rel=rel, abs=abs)


# -- activations ----------------------------------------------------------------------------------
def test_elementwise_activations_closed_form_and_shapes():
    xs = [-2.0, -0.5, 0.0, 0.7, 3.0]
    assert [v.data for v in F.relu(values(xs))] == [0.0, 0.0, 0.0, 0.7, 3.0]
    assert [v.data for v in F.tanh(values(xs))] == approx([math.tanh(x) for x in xs], 1e-15)
    assert [v.data for v in F.sigmoid(values(xs))] == approx([1 / (1 + math.exp(-x)) for x in xs], 1e-15)
    assert [v.data for v in F.leaky_relu(values(xs), 0.1)] == approx([-0.2, -0.05, 0.0, 0.7, 3.0])
    assert F.relu(-1.0) == 0.0 and F.sigmoid(0.0) == 0.5  # plain numbers give plain numbers
    batch = F.tanh([[0.1, 0.2], [0.3, 0.4]])
    assert [[round(v, 12) for v in row] for row in batch] == [[round(math.tanh(x), 12) for x in r]
                                                              for r in [[0.1, 0.2], [0.3, 0.4]]]
    assert F.sigmoid(Value(-1000.0)).data == 0.0 and F.sigmoid(Value(1000.0)).data == 1.0


def test_activation_modules_keep_the_input_form():
    assert isinstance(nn.ReLU()(Value(2.0)), Value)
    assert [v.data for v in nn.ReLU()([1.0, -1.0])] == [1.0, 0.0]
    assert [[v.data for v in r] for r in nn.Sigmoid()([[0.0], [0.0]])] == [[0.5], [0.5]]
    assert nn.LeakyReLU(0.2)([-1.0])[0].data == -0.2
    assert nn.Tanh()([0.5])[0].data == math.tanh(0.5)
    probs = nn.Softmax()([1.0, 2.0, 3.0])
    assert sum(p.data for p in probs) == pytest.approx(1.0, abs=1e-15)


WEIGHTS = [0.3, -1.0, 2.0, 0.5]
X = [1.0, -2.0, 0.5, 3.0]


def test_softmax_log_softmax_logsumexp_against_torch():
    # reference values from torch 2.13.0 (float64): F.softmax / F.log_softmax(x, 0), gradients of
    # (out * WEIGHTS).sum(); torch.logsumexp(x, 0) and its gradient
    x = values(X)
    out = F.softmax(x)
    autograd.dot(WEIGHTS, out).backward()
    assert [v.data for v in out] == approx([0.11055375036173921, 0.005504147127583673,
                                            0.06705423914061147, 0.8168878633700657])
    assert [v.grad for v in x] == approx([-0.029873213989264232, -0.008642691013110103,
                                          0.0958731863503944, -0.05735728134802014])
    x = values(X)
    out = F.log_softmax(x)
    autograd.dot(WEIGHTS, out).backward()
    assert [v.data for v in out] == approx([-2.2022534476793516, -5.202253447679352,
                                            -2.7022534476793516, -0.20225344767935172])
    assert [v.grad for v in x] == approx([0.10100324934886937, -1.0099074648296507,
                                          1.8793023695468993, -0.9703981540661183])
    x = values(X)
    lse = F.logsumexp(x)
    lse.backward()
    assert lse.data == pytest.approx(3.2022534476793516, rel=1e-15)
    assert [v.grad for v in x] == approx([0.11055375036173923, 0.005504147127583671,
                                          0.06705423914061148, 0.8168878633700658])
    assert len(autograd.topological_order(lse)) == len(X) + 1  # one node


def test_softmax_family_with_extreme_scores():
    # reference values from torch 2.13.0: logsumexp([1000, -1000, 0]) = 1000, grad [1, 0, 0];
    # log_softmax = [0, -2000, -1000], gradient of (out * [0.3, -1, 2]).sum() = [-1, -1, 2]
    x = values([1000.0, -1000.0, 0.0])
    lse = F.logsumexp(x)
    lse.backward()
    assert lse.data == 1000.0 and [v.grad for v in x] == [1.0, 0.0, 0.0]
    x = values([1000.0, -1000.0, 0.0])
    out = F.log_softmax(x)
    autograd.dot([0.3, -1.0, 2.0], out).backward()
    assert [v.data for v in out] == [0.0, -2000.0, -1000.0]
    assert [v.grad for v in x] == approx([-1.0, -1.0, 2.0])
    probs = F.softmax([1000.0, 1000.0])
    assert probs == [0.5, 0.5]
    assert F.logsumexp([-math.inf, -math.inf]) == -math.inf
    assert F.logsumexp([math.inf, 1.0]) == math.inf


def test_softmax_family_batches_and_errors():
    rows = [[1.0, 2.0], [3.0, -1.0]]
    assert F.logsumexp(rows) == approx([math.log(math.e + math.e ** 2), math.log(math.e ** 3 + math.e ** -1)])
    assert len(F.softmax(np.array(rows))) == 2
    with pytest.raises(ValueError, match="empty"):
        F.logsumexp([])
    with pytest.raises(TypeError, match="list of scores"):
        F.softmax(1.0)


def test_logsumexp_second_derivative():
    # d^2/dx_i dx_j logsumexp = diag(s) - s s^T (s = softmax)
    x = values([0.5, -1.0, 2.0])
    F.logsumexp(x).backward(create_graph=True)
    g0 = x[0].grad
    for v in x:
        v.grad = 0.0
    g0.backward()
    s = [math.exp(v) for v in (0.5, -1.0, 2.0)]
    s = [v / sum(s) for v in s]
    assert [v.grad for v in x] == approx([s[0] - s[0] * s[0], -s[0] * s[1], -s[0] * s[2]], 1e-12)


# -- regression losses ----------------------------------------------------------------------------
# reference values from torch 2.13.0 (float64): F.<loss>(P, T, reduction=...) and its gradients
REGRESSION = [
    ("mse", F.mse_loss, {}, "mean", 2.135, [0.15, -0.09999999999999998, 1.05, -1.0]),
    ("mse", F.mse_loss, {}, "sum", 8.54, [0.6, -0.3999999999999999, 4.2, -4.0]),
    ("l1", F.l1_loss, {}, "mean", 1.15, [0.25, -0.25, 0.25, -0.25]),
    ("l1", F.l1_loss, {}, "sum", 4.6, [1.0, -1.0, 1.0, -1.0]),
    ("huber", F.huber_loss, {}, "mean", 0.79125, [0.075, -0.04999999999999999, 0.25, -0.25]),
    ("huber", F.huber_loss, {}, "sum", 3.165, [0.3, -0.19999999999999996, 1.0, -1.0]),
    ("huber", F.huber_loss, {"delta": 0.5}, "mean", 0.46625, [0.075, -0.04999999999999999, 0.125, -0.125]),
    ("huber", F.huber_loss, {"delta": 0.5}, "sum", 1.865, [0.3, -0.19999999999999996, 0.5, -0.5]),
]


@pytest.mark.parametrize("name, fn, kwargs, reduction, loss, grad", REGRESSION,
                         ids=[f"{r[0]}-{r[3]}-{r[2]}" for r in REGRESSION])
def test_regression_losses_against_torch(name, fn, kwargs, reduction, loss, grad):
    value, gp, gt = run(lambda p, t: fn(p, t, reduction=reduction, **kwargs), P, T)
    assert value == pytest.approx(loss, rel=1e-14)
    assert gp == approx(grad)
    assert gt == approx([-g for g in grad])


def test_huber_none_against_torch_and_closed_form():
    # reference values from torch 2.13.0: F.huber_loss(P, T, reduction="none", delta=0.5)
    out = F.huber_loss(values(P), T, reduction="none", delta=0.5)
    assert [v.data for v in out] == approx([0.045, 0.01999999999999999, 0.925, 0.875])
    with pytest.raises(ValueError, match="delta > 0"):
        F.huber_loss(1.0, 2.0, delta=0.0)


def test_loss_shapes_scalars_batches_and_none():
    assert F.mse_loss(Value(3.0), 1.0).data == 4.0
    assert F.mse_loss(3.0, 1.0) == 4.0
    none = F.l1_loss([[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [0.0, 1.0]], reduction="none")
    assert [[v for v in row] for row in none] == [[1.0, 2.0], [3.0, 3.0]]
    assert F.mse_loss([[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [0.0, 1.0]]) == (1 + 4 + 9 + 9) / 4
    assert F.mse_loss(np.array([1.0, 2.0]), np.array([1.0, 0.0])) == 2.0
    assert F.l1_loss(Value(2.0), 5.0, reduction="none").data == 3.0


@pytest.mark.parametrize("call, message", [
    (lambda: F.mse_loss([1.0, 2.0], [1.0]), "input has 2 entries but target has 1"),
    (lambda: F.mse_loss([1.0, 2.0], 1.0), "same shape"),
    (lambda: F.mse_loss([], []), "empty input"),
    (lambda: F.l1_loss([[1.0, 2.0]], [[1.0]]), "sample 0"),
    (lambda: F.mse_loss([1.0], [1.0], reduction="avg"), "reduction must be"),
    (lambda: nn.MSELoss(reduction="avg"), "reduction must be"),
    (lambda: F.binary_cross_entropy([1.5], [1.0]), r"probabilities in \[0, 1\]"),
    (lambda: F.hinge_loss([0.5], [0.0]), r"must be -1 or 1, got 0\.0; convert 0/1 labels with "
                                         r"nn\.data\.to_signed\(y\)"),
    (lambda: F.cross_entropy([1.0, 2.0], [0, 1]), "one class index"),
    (lambda: F.cross_entropy([[1.0, 2.0]], [0, 1]), "needs 1 target"),
])
def test_loss_input_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# -- classification losses ------------------------------------------------------------------------
def test_binary_cross_entropy_against_torch():
    # reference values from torch 2.13.0: F.binary_cross_entropy(PR, Y), gradients for input and target
    pr, y = [0.2, 0.9, 0.5, 1e-3], [0.0, 1.0, 0.3, 1.0]
    loss, gp, gt = run(F.binary_cross_entropy, pr, y)
    assert loss == pytest.approx(1.9823516316285295, rel=1e-14)
    assert gp == approx([0.31249999999999994, -0.2777777777777778, 0.2, -249.99999999999997])
    assert gt == approx([0.34657359027997264, -0.5493061443340549, 0.0, 1.7266886946621385])
    loss, gp, gt = run(lambda a, b: F.binary_cross_entropy(a, b, reduction="sum"), pr, y)
    assert loss == pytest.approx(7.929406526514118, rel=1e-14)


def test_binary_cross_entropy_clamps_logs_like_torch():
    # reference values from torch 2.13.0: BCE(sum) of p = [0, 1, 0], y = [1, 0, 0] is 200 (each log
    # clamped at -100) and d/dp = (p - y) / max((1 - p) p, 1e-12 as float32)
    loss, gp, gt = run(lambda a, b: F.binary_cross_entropy(a, b, reduction="sum"), [0.0, 1.0, 0.0],
                       [1.0, 0.0, 0.0])
    assert loss == 200.0
    assert gp == approx([-1000000003995.8029, 1000000003995.8029, 0.0])
    assert gt[:2] == [math.inf, -math.inf]


def test_bce_with_logits_against_torch_including_extremes():
    # reference values from torch 2.13.0: F.binary_cross_entropy_with_logits(X, Y) and gradients
    x, y = [0.0, 2.0, -3.5, 1000.0, -1000.0], [1.0, 0.0, 1.0, 0.0, 1.0]
    loss, gx, gy = run(F.binary_cross_entropy_with_logits, x, y)
    assert loss == pytest.approx(401.26996512197513, rel=1e-14)
    assert gx == approx([-0.1, 0.17615941559557646, -0.19413755384972872, 0.2, -0.2])
    assert gy == approx([0.0, -0.4, 0.7, -200.0, 200.0])
    none = F.binary_cross_entropy_with_logits(values(x), y, reduction="none")
    assert [v.data for v in none] == approx([0.6931471805599453, 2.1269280110429727,
                                             3.5297504182726205, 1000.0, 1000.0])
    # the same as BCE on sigmoid(x) where that is finite
    assert F.binary_cross_entropy_with_logits(0.7, 0.2) == pytest.approx(
        F.binary_cross_entropy(1 / (1 + math.exp(-0.7)), 0.2), rel=1e-14)


L3 = [[1.0, -2.0, 0.5, 3.0], [0.2, 0.1, -0.3, 0.0], [1000.0, -1000.0, 0.0, 5.0]]
C3 = [3, 0, 1]


def test_cross_entropy_batch_against_torch_with_extreme_logits():
    # reference values from torch 2.13.0: F.cross_entropy(L3, C3) and d/dlogits
    rows = [values(r) for r in L3]
    loss = F.cross_entropy(rows, C3)
    loss.backward()
    assert loss.data == pytest.approx(667.135085143386, rel=1e-14)
    expected = [[0.03685125012057974, 0.001834715709194557, 0.022351413046870494, -0.06103737887664477],
                [-0.23323620400861728, 0.09057162805098758, 0.0607119778846608, 0.0819525980729689],
                [0.3333333333333333, -0.3333333333333333, 0.0, 0.0]]
    for row, grads in zip(rows, expected):
        assert [v.grad for v in row] == approx(grads)
        assert all(math.isfinite(v.grad) for v in row)
    none = F.cross_entropy(L3, C3, reduction="none")
    assert none == approx([0.20225344767935172, 1.2030019824788412, 2000.0])


def test_cross_entropy_label_smoothing_against_torch():
    # reference values from torch 2.13.0: F.cross_entropy(L3, C3, label_smoothing=0.1)
    rows = [values(r) for r in L3]
    loss = nn.CrossEntropyLoss(label_smoothing=0.1)(rows, C3)
    loss.backward()
    assert loss.data == pytest.approx(633.8459184767194, rel=1e-14)
    assert [v.grad for v in rows[2]] == approx([0.32500000000000007, -0.30833333333333335,
                                                -0.008333333333333333, -0.008333333333333333])


def test_cross_entropy_single_sample_and_target_errors():
    x = values([2.0, 1.0, 0.1])
    loss = F.cross_entropy(x, 0)
    expected = -math.log(math.exp(2) / (math.exp(2) + math.exp(1) + math.exp(0.1)))
    assert loss.data == pytest.approx(expected, rel=1e-15)
    assert F.cross_entropy([2.0, 1.0, 0.1], 0, reduction="none") == pytest.approx(expected, rel=1e-15)
    with pytest.raises(IndexError, match="target 3 is out of range for 3 classes"):
        F.cross_entropy(x, 3)
    with pytest.raises(IndexError, match=r"target\[1\] -1"):
        F.cross_entropy([[1.0, 2.0], [1.0, 2.0]], [0, -1])
    with pytest.raises(TypeError, match="class index"):
        F.cross_entropy(x, 0.5)
    with pytest.raises(ValueError, match=r"scores\[1\] has 3 class scores but scores\[0\] has 2"):
        F.cross_entropy([[1.0, 2.0], [1.0, 2.0, 3.0]], [0, 1])


def test_cross_entropy_refuses_a_huge_class_index_as_out_of_range():
    # cross_entropy(scores, [10**400]) raised OverflowError (math.isfinite of the int)
    with pytest.raises(IndexError, match=r"target\[0\] \(an integer of about 401 digits\) is "
                                         r"out of range for 2 classes"):
        F.cross_entropy([[1.0, 2.0]], [10 ** 400])
    with pytest.raises(IndexError, match=r"target \(a negative integer of about 5001 digits\)"):
        F.cross_entropy(values([1.0, 2.0]), -10 ** 5000)
    with pytest.raises(IndexError, match=r"target 12345678901234567890 is out of range"):
        F.cross_entropy([1.0, 2.0], 12345678901234567890)
    np = pytest.importorskip("numpy")
    assert F.cross_entropy([1.0, 2.0], np.int64(1)) == F.cross_entropy([1.0, 2.0], 1)


def test_hinge_loss():
    scores, labels = [2.0, 0.5, -0.3, -2.0], [1, 1, 1, -1]
    loss, gs, _ = run(F.hinge_loss, scores, labels)
    assert loss == pytest.approx((0 + 0.5 + 1.3 + 0) / 4)
    assert gs == [0.0, -0.25, -0.25, 0.0]
    assert nn.HingeLoss(reduction="sum")(values(scores), labels).data == pytest.approx(1.8)


# -- every loss against central finite differences ------------------------------------------------
FD_CASES = [
    ("mse", F.mse_loss, [0.3, -1.2, 2.5], [0.1, -1.0, 0.4]),
    ("l1", F.l1_loss, [0.3, -1.2, 2.5], [0.1, -1.0, 0.4]),
    ("huber", F.huber_loss, [0.3, -1.2, 2.5], [0.1, -1.0, 0.4]),
    # targets inside (0, 1): the differences step past the ends, where targets are refused
    ("bce", F.binary_cross_entropy, [0.2, 0.7, 0.45], [0.1, 0.9, 0.3]),
    ("bce_logits", F.binary_cross_entropy_with_logits, [0.0, -2.0, 3.0], [0.0, 1.0, 0.3]),
    ("hinge", F.hinge_loss, [0.3, -1.2, 2.5], [1.0, 1.0, -1.0]),
]


@pytest.mark.parametrize("name, fn, preds, targets", FD_CASES, ids=[c[0] for c in FD_CASES])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_losses_match_finite_differences(name, fn, preds, targets, reduction):
    n = len(preds)
    trainable_target = name != "hinge"

    def f(*xs):
        return fn(list(xs[:n]), list(xs[n:]), reduction=reduction)

    point = preds + targets
    vs = values(point)
    loss = fn(vs[:n], vs[n:], reduction=reduction)
    loss.backward()
    assert loss.data == pytest.approx(f(*point), rel=1e-14)
    for i in range(2 * n if trainable_target else n):
        assert close(vs[i].grad, central_difference(f, point, i)), (name, i)


def test_cross_entropy_and_softmax_match_finite_differences():
    logits = [0.3, -1.2, 2.5, 0.1]
    f = lambda *xs: F.cross_entropy(list(xs), 2)  # noqa: E731
    vs = values(logits)
    F.cross_entropy(vs, 2).backward()
    for i in range(4):
        assert close(vs[i].grad, central_difference(f, logits, i))
    g = lambda *xs: F.softmax(list(xs))[1] * 3.0 + F.softmax(list(xs))[3]  # noqa: E731
    vs = values(logits)
    out = F.softmax(vs)
    (out[1] * 3.0 + out[3]).backward()
    for i in range(4):
        assert close(vs[i].grad, central_difference(g, logits, i))


def test_loss_classes_match_functions_and_repr():
    p, t = [0.3, -1.2, 2.5], [0.1, -1.0, 0.4]
    for cls, fn in [(nn.MSELoss, F.mse_loss), (nn.L1Loss, F.l1_loss), (nn.HuberLoss, F.huber_loss),
                    (nn.HingeLoss, None), (nn.BCEWithLogitsLoss, F.binary_cross_entropy_with_logits)]:
        if fn is not None:
            assert cls()(p, t) == fn(p, t)
            assert cls(reduction="sum")(p, t) == fn(p, t, reduction="sum")
    assert nn.BCELoss()([0.2, 0.7], [0.0, 1.0]) == F.binary_cross_entropy([0.2, 0.7], [0.0, 1.0])
    assert nn.HuberLoss(delta=0.1)(p, t) == F.huber_loss(p, t, delta=0.1)
    assert repr(nn.MSELoss()) == "MSELoss()"
    assert repr(nn.HuberLoss(reduction="sum", delta=2)) == "HuberLoss(reduction='sum', delta=2.0)"


def test_extreme_values_give_finite_losses_and_gradients():
    for fn, x, y in [(F.binary_cross_entropy_with_logits, [1000.0, -1000.0], [1.0, 1.0]),
                     (F.cross_entropy, [[1000.0, -1000.0], [-1000.0, 1000.0]], [1, 1]),
                     (F.binary_cross_entropy, [0.0, 1.0], [1.0, 0.0])]:
        xs = [values(r) for r in x] if isinstance(x[0], list) else values(x)
        loss = fn(xs, y)
        loss.backward()
        flat = [v for r in xs for v in r] if isinstance(x[0], list) else xs
        assert math.isfinite(loss.data) and all(math.isfinite(v.grad) for v in flat)


# -- regularization -------------------------------------------------------------------------------
def test_penalties():
    ps = values([0.5, -2.0, 0.0, 3.0])
    l1 = F.l1_penalty(ps)
    l2 = F.l2_penalty(ps)
    assert l1.data == 5.5 and l2.data == 0.25 + 4 + 0 + 9
    (l1 + l2).backward()
    assert [p.grad for p in ps] == [1.0 + 1.0, -1.0 - 4.0, 0.0, 1.0 + 6.0]
    assert l2.op.name == "dot"
    model = nn.MLP(2, [3, 1], seed=0)
    assert F.l2_penalty(model.parameters()).data == pytest.approx(
        sum(p.data ** 2 for p in model.parameters()), rel=1e-14)
    assert F.l2_penalty([]) == 0.0 and F.l1_penalty([]) == 0.0


def test_cross_entropy_keeps_precision_for_large_logits():
    # the log-sum-exp is taken of x - max(x), so a loss of 0.31 next to logits of 1000 keeps
    # all its digits: log(1 + e^-1)
    assert F.cross_entropy([1000.0, 999.0], 0) == math.log1p(math.exp(-1.0))
    assert F.log_softmax([1000.0, 999.0])[0] == -math.log1p(math.exp(-1.0))
    assert F.cross_entropy([1000.0, -1000.0], 0) == 0.0
    x = values([1000.0, -1000.0])
    F.cross_entropy(x, 1).backward()
    assert [v.grad for v in x] == [1.0, -1.0]


def test_cross_entropy_second_derivative():
    # d^2/dx_i dx_j cross_entropy(x, t) = diag(s) - s s^T, s = softmax(x), whatever t is
    x = values([0.5, -1.0, 2.0])
    F.cross_entropy(x, 1).backward(create_graph=True)
    g2 = x[2].grad
    for v in x:
        v.grad = 0.0
    g2.backward()
    s = F.softmax([0.5, -1.0, 2.0])
    assert [v.grad for v in x] == approx([-s[2] * s[0], -s[2] * s[1], s[2] - s[2] * s[2]], 1e-12)


@pytest.mark.parametrize("name, fn", [("relu", F.relu), ("tanh", F.tanh), ("sigmoid", F.sigmoid),
                                      ("leaky_relu", lambda x: F.leaky_relu(x, 0.2)),
                                      ("log_softmax", F.log_softmax)])
def test_activations_match_finite_differences(name, fn):
    point = [0.7, -1.3, 2.1]
    weights = [0.5, -2.0, 1.5]

    def f(*xs):
        return sum(w * y for w, y in zip(weights, fn(list(xs))))

    xs = values(point)
    autograd.dot(weights, fn(xs)).backward()
    for i in range(3):
        assert close(xs[i].grad, central_difference(f, point, i)), (name, i)


def test_bce_with_logits_second_derivative_and_value_targets():
    # d^2/dx^2 BCE(sigmoid(x), y) = s (1 - s); d^2/dx dy = -1
    x, y = Value(0.8), Value(0.3)
    F.binary_cross_entropy_with_logits(x, y).backward(create_graph=True)
    gx = x.grad
    s = 1 / (1 + math.exp(-0.8))
    assert gx.data == pytest.approx(s - 0.3, rel=1e-15)
    x.grad = y.grad = 0.0
    gx.backward()
    assert x.grad == pytest.approx(s * (1 - s), rel=1e-14) and y.grad == -1.0
    # BCE on probabilities: d^2/dp^2 of -(y log p + (1-y) log(1-p)) = y/p^2 + (1-y)/(1-p)^2
    p, t = Value(0.3), Value(0.8)
    F.binary_cross_entropy(p, t).backward(create_graph=True)
    gp = p.grad
    p.grad = t.grad = 0.0
    gp.backward()
    assert p.grad == pytest.approx(0.8 / 0.09 + 0.2 / 0.49, rel=1e-12)


@pytest.mark.parametrize("xs, expected", [
    ([1.0, 3.0, 2.0], "3.0"), ([0.0, -0.0], "0.0"), ([-0.0, 0.0], "-0.0"),
    ([1.0, float("nan"), 2.0], "nan"), ([float("inf"), float("-inf")], "inf"),
    ([1e308, 1e308], "1e+308"), ([], "-inf"),
])
def test_max_float_is_max_except_that_a_nan_anywhere_wins(xs, expected):
    from nn.functional import _max_float
    assert repr(_max_float(xs)) == expected
    assert repr(_max_float(iter(xs))) == expected
