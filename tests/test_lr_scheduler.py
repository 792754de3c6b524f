"""Learning-rate schedulers: the same lr sequences as torch.optim.lr_scheduler."""
import math

import pytest

from autograd import Value
from nn.optim import SGD, Adam
from nn.optim.lr_scheduler import (CosineAnnealingLR, ExponentialLR, LambdaLR, LinearLR,
                                   MultiStepLR, ReduceLROnPlateau, StepLR)


def make_optimizer(lrs=(0.1,)):
    return SGD([{"params": [Value(0.0)], "lr": lr} for lr in lrs], lr=lrs[0])


CASES = {
    "StepLR": (StepLR, dict(step_size=3, gamma=0.5), (0.1,)),
    "StepLR_two_groups": (StepLR, dict(step_size=2), (0.1, 0.03)),
    "MultiStepLR": (MultiStepLR, dict(milestones=[2, 5, 5, 9], gamma=0.3), (0.1,)),
    "ExponentialLR": (ExponentialLR, dict(gamma=0.9), (0.1,)),
    "CosineAnnealingLR": (CosineAnnealingLR, dict(T_max=5), (0.1,)),
    "CosineAnnealingLR_eta_min": (CosineAnnealingLR, dict(T_max=4, eta_min=0.01), (0.1, 0.5)),
    "LinearLR": (LinearLR, dict(), (0.1,)),
    "LinearLR_decay": (LinearLR, dict(start_factor=1.0, end_factor=0.2, total_iters=7), (0.3,)),
    "LambdaLR": (LambdaLR, dict(lr_lambda=lambda k: 1.0 - 0.9 * k / 100), (1.0,)),
}
PLATEAU_CASES = {
    "plateau": dict(patience=2),
    "plateau_cooldown": dict(patience=1, cooldown=2, factor=0.5, min_lr=0.02),
    "plateau_max_abs": dict(mode="max", threshold_mode="abs", threshold=0.05, patience=0,
                            factor=0.5),
}
PLATEAU_METRICS = [1.0, 0.9, 0.95, 0.9, 0.91, 0.92, 0.93, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6,
                   0.6]
# mode="max" with its default threshold_mode "rel" (and "abs"), with cooldowns: a rising metric with
# steps just under and just over the threshold, and repeats (an equal metric is no improvement)
PLATEAU_MAX_CASES = {
    "plateau_max_rel": dict(mode="max", threshold=0.1, patience=1, cooldown=1, factor=0.5),
    "plateau_max_rel_default": dict(mode="max", patience=1, cooldown=2),
    "plateau_max_abs_cooldown": dict(mode="max", threshold_mode="abs", threshold=0.05, patience=1,
                                     cooldown=2, factor=0.5, min_lr=0.01),
}
PLATEAU_MAX_METRICS = [0.5, 0.52, 0.56, 0.56, 0.5, 0.6, 0.6, 0.64, 0.7, 0.69, 0.7, 0.77, 0.78, 0.8,
                       0.9, 0.9, 0.85, 0.95, 0.95, 0.95]

# Reference values from torch 2.13.0: get_last_lr() after construction and after each of 13
# optimizer.step(); scheduler.step() pairs for CASES (same arguments, SGD with one param group
# per initial lr); for ReduceLROnPlateau (groups with lr 0.1 and 1.0), get_last_lr() after each
# step(metric) over PLATEAU_METRICS (PLATEAU_MAX_METRICS for PLATEAU_MAX_CASES).
TORCH_LRS = \
{'CosineAnnealingLR': [[0.1],
                       [0.09045084971874738],
                       [0.06545084971874737],
                       [0.03454915028125263],
                       [0.009549150281252633],
                       [0.0],
                       [0.009549150281252628],
                       [0.03454915028125265],
                       [0.06545084971874741],
                       [0.09045084971874744],
                       [0.10000000000000006],
                       [0.09045084971874746],
                       [0.06545084971874743],
                       [0.03454915028125267]],
 'CosineAnnealingLR_eta_min': [[0.1, 0.5],
                               [0.08681980515339464, 0.4282411613907041],
                               [0.05500000000000001, 0.255],
                               [0.023180194846605363, 0.08175883860929586],
                               [0.01, 0.01],
                               [0.023180194846605363, 0.08175883860929584],
                               [0.05500000000000002, 0.255],
                               [0.08681980515339469, 0.42824116139070423],
                               [0.10000000000000006, 0.5000000000000001],
                               [0.0868198051533947, 0.4282411613907043],
                               [0.05500000000000005, 0.2550000000000001],
                               [0.023180194846605412, 0.08175883860929607],
                               [0.01, 0.01],
                               [0.023180194846605363, 0.08175883860929584]],
 'ExponentialLR': [[0.1],
                   [0.09000000000000001],
                   [0.08100000000000002],
                   [0.07290000000000002],
                   [0.06561000000000002],
                   [0.05904900000000002],
                   [0.05314410000000002],
                   [0.04782969000000002],
                   [0.043046721000000024],
                   [0.03874204890000002],
                   [0.03486784401000002],
                   [0.03138105960900001],
                   [0.028242953648100012],
                   [0.025418658283290013]],
 'LambdaLR': [[1.0],
              [0.991],
              [0.982],
              [0.973],
              [0.964],
              [0.955],
              [0.946],
              [0.937],
              [0.9279999999999999],
              [0.919],
              [0.91],
              [0.901],
              [0.892],
              [0.883]],
 'LinearLR': [[0.03333333333333333],
              [0.04666666666666667],
              [0.060000000000000005],
              [0.07333333333333335],
              [0.08666666666666668],
              [0.1],
              [0.1],
              [0.1],
              [0.1],
              [0.1],
              [0.1],
              [0.1],
              [0.1],
              [0.1]],
 'LinearLR_decay': [[0.3],
                    [0.2657142857142857],
                    [0.2314285714285714],
                    [0.19714285714285712],
                    [0.16285714285714284],
                    [0.12857142857142856],
                    [0.09428571428571428],
                    [0.059999999999999984],
                    [0.059999999999999984],
                    [0.059999999999999984],
                    [0.059999999999999984],
                    [0.059999999999999984],
                    [0.059999999999999984],
                    [0.059999999999999984]],
 'MultiStepLR': [[0.1],
                 [0.1],
                 [0.03],
                 [0.03],
                 [0.03],
                 [0.0026999999999999997],
                 [0.0026999999999999997],
                 [0.0026999999999999997],
                 [0.0026999999999999997],
                 [0.0008099999999999998],
                 [0.0008099999999999998],
                 [0.0008099999999999998],
                 [0.0008099999999999998],
                 [0.0008099999999999998]],
 'StepLR': [[0.1],
            [0.1],
            [0.1],
            [0.05],
            [0.05],
            [0.05],
            [0.025],
            [0.025],
            [0.025],
            [0.0125],
            [0.0125],
            [0.0125],
            [0.00625],
            [0.00625]],
 'StepLR_two_groups': [[0.1, 0.03],
                       [0.1, 0.03],
                       [0.010000000000000002, 0.003],
                       [0.010000000000000002, 0.003],
                       [0.0010000000000000002, 0.00030000000000000003],
                       [0.0010000000000000002, 0.00030000000000000003],
                       [0.00010000000000000003, 3.0000000000000004e-05],
                       [0.00010000000000000003, 3.0000000000000004e-05],
                       [1.0000000000000004e-05, 3.0000000000000005e-06],
                       [1.0000000000000004e-05, 3.0000000000000005e-06],
                       [1.0000000000000004e-06, 3.000000000000001e-07],
                       [1.0000000000000004e-06, 3.000000000000001e-07],
                       [1.0000000000000005e-07, 3.000000000000001e-08],
                       [1.0000000000000005e-07, 3.000000000000001e-08]],
 'plateau': [[0.1, 1.0],
             [0.1, 1.0],
             [0.1, 1.0],
             [0.1, 1.0],
             [0.010000000000000002, 0.1],
             [0.010000000000000002, 0.1],
             [0.010000000000000002, 0.1],
             [0.010000000000000002, 0.1],
             [0.010000000000000002, 0.1],
             [0.010000000000000002, 0.1],
             [0.0010000000000000002, 0.010000000000000002],
             [0.0010000000000000002, 0.010000000000000002],
             [0.0010000000000000002, 0.010000000000000002],
             [0.00010000000000000003, 0.0010000000000000002],
             [0.00010000000000000003, 0.0010000000000000002],
             [0.00010000000000000003, 0.0010000000000000002]],
 'plateau_cooldown': [[0.1, 1.0],
                      [0.1, 1.0],
                      [0.1, 1.0],
                      [0.05, 0.5],
                      [0.05, 0.5],
                      [0.05, 0.5],
                      [0.05, 0.5],
                      [0.05, 0.5],
                      [0.05, 0.5],
                      [0.025, 0.25],
                      [0.025, 0.25],
                      [0.025, 0.25],
                      [0.025, 0.25],
                      [0.02, 0.125],
                      [0.02, 0.125],
                      [0.02, 0.125]],
 'plateau_max_abs_cooldown': [[0.1, 1.0], [0.1, 1.0], [0.1, 1.0], [0.1, 1.0], [0.05, 0.5],
                              [0.05, 0.5], [0.05, 0.5], [0.05, 0.5], [0.05, 0.5], [0.05, 0.5],
                              [0.025, 0.25], [0.025, 0.25], [0.025, 0.25], [0.025, 0.25],
                              [0.025, 0.25], [0.025, 0.25], [0.0125, 0.125], [0.0125, 0.125],
                              [0.0125, 0.125], [0.0125, 0.125]],
 'plateau_max_rel': [[0.1, 1.0], [0.1, 1.0], [0.1, 1.0], [0.1, 1.0], [0.05, 0.5], [0.05, 0.5],
                     [0.05, 0.5], [0.05, 0.5], [0.05, 0.5], [0.025, 0.25], [0.025, 0.25],
                     [0.025, 0.25], [0.025, 0.25], [0.0125, 0.125], [0.0125, 0.125],
                     [0.0125, 0.125], [0.00625, 0.0625], [0.00625, 0.0625], [0.00625, 0.0625],
                     [0.003125, 0.03125]],
 'plateau_max_rel_default': [[0.1, 1.0], [0.1, 1.0], [0.1, 1.0], [0.1, 1.0],
                             [0.010000000000000002, 0.1], [0.010000000000000002, 0.1],
                             [0.010000000000000002, 0.1], [0.010000000000000002, 0.1],
                             [0.010000000000000002, 0.1], [0.010000000000000002, 0.1],
                             [0.0010000000000000002, 0.010000000000000002],
                             [0.0010000000000000002, 0.010000000000000002],
                             [0.0010000000000000002, 0.010000000000000002],
                             [0.0010000000000000002, 0.010000000000000002],
                             [0.0010000000000000002, 0.010000000000000002],
                             [0.0010000000000000002, 0.010000000000000002],
                             [0.00010000000000000003, 0.0010000000000000002],
                             [0.00010000000000000003, 0.0010000000000000002],
                             [0.00010000000000000003, 0.0010000000000000002],
                             [0.00010000000000000003, 0.0010000000000000002]],
 'plateau_max_abs': [[0.1, 1.0],
                     [0.05, 0.5],
                     [0.025, 0.25],
                     [0.0125, 0.125],
                     [0.00625, 0.0625],
                     [0.003125, 0.03125],
                     [0.0015625, 0.015625],
                     [0.00078125, 0.0078125],
                     [0.000390625, 0.00390625],
                     [0.0001953125, 0.001953125],
                     [9.765625e-05, 0.0009765625],
                     [4.8828125e-05, 0.00048828125],
                     [2.44140625e-05, 0.000244140625],
                     [1.220703125e-05, 0.0001220703125],
                     [6.103515625e-06, 6.103515625e-05],
                     [3.0517578125e-06, 3.0517578125e-05]]}


@pytest.mark.parametrize("name", sorted(CASES))
def test_lr_sequence_matches_torch(name):
    cls, kwargs, lrs = CASES[name]
    opt = make_optimizer(lrs)
    sched = cls(opt, **kwargs)
    got = [sched.get_last_lr()]
    for _ in range(13):
        opt.step()
        sched.step()
        got.append(sched.get_last_lr())
    assert len(got) == len(TORCH_LRS[name])
    for epoch, (g, w) in enumerate(zip(got, TORCH_LRS[name])):
        assert g == pytest.approx(w, rel=1e-13, abs=1e-15), f"{name}, epoch {epoch}"
    assert [group["lr"] for group in opt.param_groups] == got[-1]


@pytest.mark.parametrize("name", sorted(PLATEAU_CASES) + sorted(PLATEAU_MAX_CASES))
def test_reduce_on_plateau_matches_torch(name):
    opt = make_optimizer((0.1, 1.0))
    if name in PLATEAU_MAX_CASES:
        sched, metrics = ReduceLROnPlateau(opt, **PLATEAU_MAX_CASES[name]), PLATEAU_MAX_METRICS
    else:
        sched, metrics = ReduceLROnPlateau(opt, **PLATEAU_CASES[name]), PLATEAU_METRICS
    got = []
    for metric in metrics:
        opt.step()
        sched.step(metric)
        got.append(sched.get_last_lr())
    assert len(got) == len(TORCH_LRS[name])
    for epoch, (g, w) in enumerate(zip(got, TORCH_LRS[name])):
        assert g == pytest.approx(w, rel=1e-13, abs=1e-15), f"{name}, epoch {epoch}"


def test_closed_forms():
    # the chainable recursions agree with the textbook closed forms
    opt = make_optimizer((0.2,))
    cos = CosineAnnealingLR(opt, T_max=10, eta_min=0.01)
    for epoch in range(1, 11):
        cos.step()
        expected = 0.01 + (0.2 - 0.01) * (1 + math.cos(math.pi * epoch / 10)) / 2
        assert cos.get_last_lr()[0] == pytest.approx(expected, rel=1e-12)
    opt = make_optimizer((0.2,))
    step = StepLR(opt, step_size=4, gamma=0.5)
    for epoch in range(1, 13):
        step.step()
        assert step.get_last_lr() == [pytest.approx(0.2 * 0.5 ** (epoch // 4))]


def test_linear_warmup_changes_lr_at_construction():
    opt = make_optimizer((0.3,))
    LinearLR(opt, start_factor=0.1, total_iters=3)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.03)
    assert opt.param_groups[0]["initial_lr"] == 0.3


def test_get_last_lr_is_a_copy():
    opt = make_optimizer()
    sched = ExponentialLR(opt, gamma=0.5)
    sched.get_last_lr()[0] = 42.0
    assert sched.get_last_lr() == [0.1]


def test_state_dict_round_trip():
    opt = make_optimizer()
    sched = MultiStepLR(opt, milestones=[2, 4], gamma=0.1)
    for _ in range(3):
        sched.step()
    saved = sched.state_dict()
    assert "optimizer" not in saved and saved["last_epoch"] == 3
    opt2 = make_optimizer()
    opt2.load_state_dict(opt.state_dict())
    sched2 = MultiStepLR(opt2, milestones=[7], gamma=0.5)
    sched2.load_state_dict(saved)
    sched2.step()
    sched.step()
    assert sched2.get_last_lr() == sched.get_last_lr() == [pytest.approx(0.001)]


def test_plateau_state_dict_and_value_metric():
    opt = make_optimizer()
    sched = ReduceLROnPlateau(opt, patience=0)
    sched.step(Value(1.0))
    sched.step(Value(2.0))
    assert sched.get_last_lr() == [pytest.approx(0.01)]
    saved = sched.state_dict()
    assert saved["best"] == 1.0 and "optimizer" not in saved


def test_resuming_needs_initial_lr():
    with pytest.raises(KeyError, match="initial_lr"):
        StepLR(make_optimizer(), step_size=2, last_epoch=5)


@pytest.mark.parametrize("make, error, words", [
    (lambda opt: StepLR(opt, step_size=0), ValueError, "step_size"),
    (lambda opt: LinearLR(opt, start_factor=0.0), ValueError, "Starting multiplicative"),
    (lambda opt: CosineAnnealingLR(opt, T_max=0), ValueError, "T_max"),
    (lambda opt: ReduceLROnPlateau(opt, factor=1.5), ValueError, "factor"),
    (lambda opt: ReduceLROnPlateau(opt, mode="up"), ValueError, "mode"),
    (lambda opt: ReduceLROnPlateau(opt, min_lr=[0.0, 0.0]), ValueError, "min_lrs"),
    (lambda opt: LambdaLR(opt, [lambda k: 1.0] * 2), ValueError, "lr_lambdas"),
    (lambda opt: StepLR("sgd", step_size=1), TypeError, "not an Optimizer"),
])
def test_bad_arguments_are_explained(make, error, words):
    with pytest.raises(error, match=words):
        make(make_optimizer())


def test_two_schedulers_chain():
    # chainable forms: ExponentialLR and StepLR on one optimizer multiply their factors
    opt = Adam([Value(0.0)], lr=1.0)
    exp, step = ExponentialLR(opt, gamma=0.9), StepLR(opt, step_size=2, gamma=0.5)
    for _ in range(4):
        exp.step()
        step.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.9 ** 4 * 0.5 ** 2)
