"""BatchNorm1d against a numpy reference (train and eval, forward and gradients, running
statistics), and Dropout's keep rate, scaling, seeding and identity in eval."""
import math

import numpy as np
import pytest

import autograd
import nn
from autograd import Value
from numeric import central_difference, close

RNG = np.random.default_rng(0)
XB = RNG.normal(1.0, 2.0, size=(5, 3))
WB = RNG.normal(size=(5, 3))  # the loss is sum(WB * y), so dL/dy = WB
GAMMA = np.array([1.5, -0.5, 2.0])
BETA = np.array([0.1, 0.2, -0.3])
EPS = 1e-5


def make_bn(**kwargs):
    bn = nn.BatchNorm1d(3, **kwargs)
    for p, g in zip(bn.weight, GAMMA):
        p.data = float(g)
    for p, b in zip(bn.bias, BETA):
        p.data = float(b)
    return bn


def forward_backward(bn, x):
    xs = [[Value(v) for v in row] for row in x.tolist()]
    ys = bn(xs)
    loss = autograd.dot([w for row in WB.tolist() for w in row], [y for row in ys for y in row])
    loss.backward()
    return (np.array([[y.data for y in row] for row in ys]),
            np.array([[v.grad for v in row] for row in xs]))


def test_batchnorm_training_forward_and_gradients_match_numpy():
    bn = make_bn()
    y, dx = forward_backward(bn, XB)
    n = len(XB)
    mean, var = XB.mean(0), XB.var(0)  # numpy's var is the biased one
    inv_std = 1 / np.sqrt(var + EPS)
    xhat = (XB - mean) * inv_std
    np.testing.assert_allclose(y, GAMMA * xhat + BETA, rtol=1e-13, atol=1e-13)
    # the standard batch-norm backward: dx = gamma inv_std / N (N dy - sum dy - xhat sum(dy xhat))
    expected_dx = GAMMA * inv_std / n * (n * WB - WB.sum(0) - xhat * (WB * xhat).sum(0))
    np.testing.assert_allclose(dx, expected_dx, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose([p.grad for p in bn.weight], (WB * xhat).sum(0), rtol=1e-12)
    np.testing.assert_allclose([p.grad for p in bn.bias], WB.sum(0), rtol=1e-12)


def test_batchnorm_running_statistics_update_like_torch():
    bn = make_bn()
    x2 = XB * 0.5 - 1.0
    for x in (XB, x2):
        forward_backward(bn, x)
    n = len(XB)
    mean, var = np.zeros(3), np.ones(3)
    for x in (XB, x2):
        mean = 0.9 * mean + 0.1 * x.mean(0)
        var = 0.9 * var + 0.1 * x.var(0, ddof=1)  # unbiased, as torch
    np.testing.assert_allclose(bn.running_mean, mean, rtol=1e-14)
    np.testing.assert_allclose(bn.running_var, var, rtol=1e-14)
    assert bn.num_batches_tracked == 2
    assert n == 5
    # reference values from torch 2.13.0: BatchNorm1d(2) after one training batch
    # [[1, 2], [3, 5], [4, -1]]: running_mean [0.26666666666666666, 0.2], running_var
    # [1.1333333333333333, 1.8]
    bn2 = nn.BatchNorm1d(2)
    bn2([[1.0, 2.0], [3.0, 5.0], [4.0, -1.0]])
    assert bn2.running_mean == pytest.approx([0.26666666666666666, 0.2], rel=1e-15)
    assert bn2.running_var == pytest.approx([1.1333333333333333, 1.8], rel=1e-15)


def test_batchnorm_cumulative_average_when_momentum_is_none():
    bn = nn.BatchNorm1d(3, momentum=None)
    batches = [XB, XB * 2.0, XB + 3.0]
    for x in batches:
        bn(x.tolist())
    # a cumulative average of the batch means and of the unbiased batch variances, as torch's
    np.testing.assert_allclose(bn.running_mean, np.mean([x.mean(0) for x in batches], 0), rtol=1e-13)
    np.testing.assert_allclose(bn.running_var, np.mean([x.var(0, ddof=1) for x in batches], 0),
                               rtol=1e-13)
    assert bn.num_batches_tracked == 3
    # torch 2.13.0, BatchNorm1d(3, momentum=None, dtype=torch.float64) on the same three batches
    assert bn.running_mean == pytest.approx([1.236895006768898, 2.0331949867770303,
                                             1.8499720008746416], rel=1e-14)
    assert bn.running_var == pytest.approx([15.778014274534726, 3.148713884832702,
                                            4.851721036798843], rel=1e-14)


def test_batchnorm_eval_uses_running_statistics():
    bn = make_bn()
    bn.running_mean[:] = [0.5, -1.0, 2.0]
    bn.running_var[:] = [4.0, 0.25, 1.0]
    bn.eval()
    y, dx = forward_backward(bn, XB)
    scale = GAMMA / np.sqrt(np.array([4.0, 0.25, 1.0]) + EPS)
    np.testing.assert_allclose(y, (XB - [0.5, -1.0, 2.0]) * scale + BETA, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(dx, WB * scale, rtol=1e-13)
    np.testing.assert_allclose([p.grad for p in bn.weight],
                               (WB * (XB - [0.5, -1.0, 2.0]) / np.sqrt([4.0 + EPS, 0.25 + EPS, 1.0 + EPS])).sum(0),
                               rtol=1e-12)
    assert bn.num_batches_tracked == 0 and bn.running_mean == [0.5, -1.0, 2.0]  # not updated
    single = bn(XB[0].tolist())  # a single sample is fine in eval
    np.testing.assert_allclose([v.data for v in single], y[0], rtol=1e-15)


def test_batchnorm_gradients_match_finite_differences():
    x0 = XB[:3].ravel().tolist()
    wflat = WB[:3].ravel().tolist()

    def f(*flat):
        bn = make_bn()
        ys = bn([list(flat[i:i + 3]) for i in range(0, 9, 3)])
        return sum(w * y.data for w, y in zip(wflat, [y for row in ys for y in row]))

    bn = make_bn()
    xs = [Value(v) for v in x0]
    ys = bn([xs[i:i + 3] for i in range(0, 9, 3)])
    autograd.dot(wflat, [y for row in ys for y in row]).backward()
    for i in range(9):
        assert close(xs[i].grad, central_difference(f, x0, i), rel=1e-5, abs_=1e-7)


def test_batchnorm_errors_state_and_inside_sequential():
    bn = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match="needs a batch"):
        bn([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"more than 1 sample.*drop_last=True\) skips it"):
        bn([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="BatchNorm1d expected 3 inputs, got 2"):
        bn([[1.0, 2.0], [3.0, 4.0]])
    names = list(bn.state_dict())
    assert names == ["weight.0", "weight.1", "weight.2", "bias.0", "bias.1", "bias.2",
                     "running_mean.0", "running_mean.1", "running_mean.2",
                     "running_var.0", "running_var.1", "running_var.2", "num_batches_tracked"]
    assert [n for n, _ in bn.named_parameters()] == names[:6]
    assert bn.gamma is bn.weight and bn.beta is bn.bias
    model = nn.Sequential(nn.Layer(2, 3, seed=0), nn.BatchNorm1d(3), nn.Layer(3, 1, activation="linear"))
    out = model([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]])
    assert len(out) == 3 and all(isinstance(v, Value) for v in out)
    assert model[1].num_batches_tracked == 1
    other = nn.Sequential(nn.Layer(2, 3, seed=1), nn.BatchNorm1d(3), nn.Layer(3, 1, activation="linear"))
    other.load_state_dict(model.state_dict())
    assert other[1].running_mean == model[1].running_mean
    assert other[1].num_batches_tracked == 1 and type(other[1].num_batches_tracked) is int
    model.eval()
    assert isinstance(model([1.0, 2.0]), Value)
    plain = nn.BatchNorm1d(2, affine=False)
    assert plain.parameters() == []
    ys = plain([[1.0, 2.0], [3.0, 6.0]])
    a, b = 1 / math.sqrt(1 + 1e-5), 2 / math.sqrt(4 + 1e-5)  # x - mean over sqrt(var + eps)
    assert [v.data for r in ys for v in r] == pytest.approx([-a, -b, a, b], rel=1e-15)


def test_batchnorm_save_load_round_trip(tmp_path):
    bn = make_bn()
    bn(XB.tolist())
    bn.save(tmp_path / "bn.json")
    fresh = nn.BatchNorm1d(3)
    fresh.load(tmp_path / "bn.json")
    assert fresh.state_dict() == bn.state_dict()


# -- dropout --------------------------------------------------------------------------------------
def test_dropout_keep_rate_and_scaling_over_many_draws():
    drop = nn.Dropout(0.3, seed=0)
    x = [Value(2.0)] * 20000
    out = drop(x)
    kept = [v.data for v in out if v.data != 0.0]
    rate = len(kept) / len(x)
    assert abs(rate - 0.7) < 4 * math.sqrt(0.7 * 0.3 / len(x))  # within 4 standard errors
    assert set(kept) == {2.0 / 0.7}  # inverted dropout: kept entries scaled by 1 / (1 - p)
    mean = sum(v.data for v in out) / len(out)
    assert abs(mean - 2.0) < 0.05  # the expected value is unchanged


def test_dropout_gradients_follow_the_mask():
    drop = nn.Dropout(0.5, seed=1)
    x = [Value(float(i)) for i in range(1, 101)]  # nonzero, so a dropped output is exactly 0
    out = drop(x)
    autograd.sum(out).backward()
    grads = [xi.grad for xi in x]
    assert grads == [2.0 if yi.data != 0.0 else 0.0 for yi in out]
    assert 0.0 in grads and 2.0 in grads


def test_dropout_eval_identity_seeding_and_edges():
    x = [Value(1.0), Value(-2.0), Value(3.0)]
    drop = nn.Dropout(0.5)
    drop.eval()
    out = drop(x)
    assert len(out) == 3 and all(o is v for o, v in zip(out, x))  # the very same Values
    a = [v.data for v in nn.Dropout(0.5, seed=3)([1.0] * 50)]
    b = [v.data for v in nn.Dropout(0.5, seed=3)([1.0] * 50)]
    assert a == b and 0.0 in a
    nn.manual_seed(4)
    c = [v.data for v in nn.Dropout(0.5)([1.0] * 50)]
    nn.manual_seed(4)
    assert c == [v.data for v in nn.Dropout(0.5)([1.0] * 50)]
    assert [v.data for v in nn.Dropout(1.0)([1.0, 2.0])] == [0.0, 0.0]
    assert [v.data for v in nn.Dropout(0.0)([1.0, 2.0])] == [1.0, 2.0]
    batch = nn.Dropout(0.5, seed=0)([[1.0, 2.0], [3.0, 4.0]])
    assert len(batch) == 2 and len(batch[0]) == 2
    assert isinstance(nn.Dropout(0.5, seed=0)(Value(1.0)), Value)
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)
    assert repr(nn.Dropout(0.25)) == "Dropout(p=0.25)"
