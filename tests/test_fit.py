"""The fit loop, History, EarlyStopping and the divergence guard, end to end with nn modules."""
import copy as copy_module
import math
import pickle

import pytest

import autograd
import nn
import nn.functional as F
from nn.data import DataLoader, make_blobs, make_moons, make_sine, to_signed
from nn.early_stopping import EarlyStopping
from nn.training import History, TrainingDivergedError, accuracy, evaluate, fit
from nn.optim import SGD, Adam
from nn.optim.lr_scheduler import LambdaLR, ReduceLROnPlateau

# Reference values from micrograd 0.1.0's demo notebook loop (random.seed(1337) before
# MLP(2, [16, 16, 1]); np.random.seed(1337); sklearn make_moons(n_samples=100, noise=0.1); y*2-1;
# hinge loss + 1e-4 * sum p^2; SGD with lr = 1.0 - 0.9 * k / 100 at step k): data loss and
# accuracy at steps 1, 2, 5, 10, 20, 30, 40, 41. Accuracy first reaches 100% at step 41.
MICROGRAD_DEMO = {
    1: (0.8862514464368222, 0.5),
    2: (1.7131661092908994, 0.81),
    5: (0.3595892590805581, 0.84),
    10: (0.2607669695671688, 0.91),
    20: (0.1744561722097505, 0.93),
    30: (0.07739072039834263, 0.96),
    40: (0.041627027218148975, 0.98),
    41: (0.04953037342477801, 1.0),
}


def test_micrograd_demo_reaches_100_percent_within_100_steps():
    X, y = make_moons(100, noise=0.1, seed=1337)  # the demo's data, exactly
    nn.manual_seed(1337)                           # and the demo's initial weights
    model = nn.MLP(2, [16, 16, 1])
    opt = SGD(model.parameters(), lr=1.0)
    schedule = LambdaLR(opt, lambda k: 1.0 - 0.9 * k / 100)
    # the schedule is defined over 100 steps; the run stops once the target is reached, to keep
    # the suite fast (the steps taken are exactly those of the 100-step run)
    history = fit(model, nn.HingeLoss(), opt, (X, to_signed(y)), epochs=41, scheduler=schedule,
                  l2=1e-4, shuffle=False, progress=False)
    for step, (loss, acc) in MICROGRAD_DEMO.items():
        assert history.train_loss[step - 1] == pytest.approx(loss, rel=1e-10)
        assert history.train_acc[step - 1] == acc
    first_perfect = history.train_acc.index(1.0) + 1
    assert first_perfect == 41 <= 100
    assert history.lr[:3] == pytest.approx([1.0, 0.991, 0.982])
    assert history.lr[-1] == pytest.approx(1.0 - 0.9 * 40 / 100)


def linear_model(seed=0):
    return nn.MLP(1, [1], seed=seed)


def line_data(slope, n=8):
    X = [[i / n] for i in range(-n, n)]
    return X, [slope * x[0] for x in X]


def test_history_records_every_epoch():
    X, y = make_sine(40, noise=0.1, seed=0)
    model = nn.MLP(1, [8, 1], activation="tanh", seed=0)
    history = fit(model, nn.MSELoss(), Adam(model.parameters(), lr=0.05), (X, y),
                  val=make_sine(20, noise=0.1, seed=1), epochs=6, batch_size=10, seed=0,
                  progress=False)
    assert history.epoch == [1, 2, 3, 4, 5, 6] and len(history) == 6
    for name in ("train_loss", "val_loss", "lr", "grad_norm", "time"):
        values = getattr(history, name)
        assert len(values) == 6 and all(math.isfinite(v) for v in values), name
    assert history.train_acc == [] and history.val_acc == []  # regression: no accuracy
    assert history.train_loss[-1] < history.train_loss[0]
    assert set(history.as_dict()) == {"epoch", "train_loss", "val_loss", "lr", "grad_norm", "time"}
    assert history.last()["epoch"] == 6 and "6 epochs" in repr(history)
    assert model.training  # fit evaluates in eval mode and leaves the model training
    # the last validation loss is that of the final model
    assert evaluate(model, nn.MSELoss(), *make_sine(20, noise=0.1, seed=1))[0] == \
        pytest.approx(history.val_loss[-1], rel=1e-12)


def test_fit_gives_exactly_the_weights_of_the_loop_written_by_hand():
    X, y = make_blobs(50, centers=3, std=1.5, seed=2)
    by_fit, by_hand = nn.MLP(2, [6, 3], seed=4), nn.MLP(2, [6, 3], seed=4)
    history = fit(by_fit, nn.CrossEntropyLoss(), SGD(by_fit.parameters(), lr=0.1, momentum=0.9),
                  DataLoader(X, y, batch_size=8, seed=5), epochs=3, progress=False)
    optimizer = SGD(by_hand.parameters(), lr=0.1, momentum=0.9)
    loader = DataLoader(X, y, batch_size=8, seed=5)
    losses = []
    for epoch in range(3):
        for xb, yb in loader:
            loss = F.cross_entropy(by_hand(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.data * len(yb))
    assert by_fit.state_dict() == by_hand.state_dict()  # bit for bit
    assert history.train_loss[-1] == sum(losses[-7:]) / 50 and len(history.train_acc) == 3


def test_no_step_keeps_its_graph_beyond_the_step():
    import gc
    import weakref
    X, y = make_blobs(40, centers=3, seed=0)
    model = nn.MLP(2, [8, 3], seed=0)
    built = []  # weak references to each step's predictions and loss

    def loss_fn(predictions, targets):
        loss = F.cross_entropy(predictions, targets)
        built.extend([weakref.ref(predictions[0][0]), weakref.ref(loss)])
        return loss

    alive = []
    gc.disable()  # what is freed must be freed by reference counting alone, at once
    try:
        fit(model, loss_fn, SGD(model.parameters(), lr=0.1), (X, y), batch_size=8, epochs=2,
            progress=False, callback=lambda *_: alive.append(sum(r() is not None for r in built)))
    finally:
        gc.enable()
    assert len(built) == 20 and alive == [0] * 10


def test_callback_hears_of_every_step_and_accuracy_gets_floats():
    X, y = make_blobs(30, centers=2, seed=0)
    model = nn.MLP(2, [4, 2], seed=0)
    calls, given = [], []

    def my_accuracy(predictions, targets):
        given.append(predictions)
        return 0.25

    history = fit(model, nn.CrossEntropyLoss(), SGD(model.parameters(), lr=0.1), (X, y),
                  batch_size=10, epochs=2, shuffle=False, progress=False, accuracy=my_accuracy,
                  callback=lambda epoch, step, loss: calls.append((epoch, step, loss)))
    assert [(e, s) for e, s, _ in calls] == [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]
    assert all(type(loss) is float for _, _, loss in calls)
    assert sum(loss for _, _, loss in calls[3:]) / 3 == pytest.approx(history.train_loss[1])
    assert history.train_acc == [0.25, 0.25]
    assert len(given[0]) == 30 and all(type(v) is float for p in given[0] for v in p)
    with pytest.raises(TypeError, match="callback must be a function"):
        fit(model, nn.CrossEntropyLoss(), SGD(model.parameters()), (X, y), callback="print")


def jit_and_engine_runs(make_model, **fit_arguments):
    """The same fit twice, on the engine and compiled: (model, history, the predictions the
    accuracy was given) of each."""
    runs = []
    for jit in (False, True):
        model = make_model()
        seen = []

        def recorded_accuracy(predictions, targets):
            seen.append(predictions)
            return nn.metrics.accuracy(predictions, targets)

        history = fit(model, optimizer=SGD(model.parameters(), lr=0.1, momentum=0.9),
                      progress=False, jit=jit, accuracy=recorded_accuracy, **fit_arguments)
        runs.append((model, history, seen))
    return runs


def assert_same_runs(runs):
    (engine, engine_history, engine_seen), (compiled, compiled_history, compiled_seen) = runs
    assert compiled.state_dict() == engine.state_dict()  # to the bit, buffers included
    for name in ("train_loss", "train_acc", "val_loss", "val_acc", "grad_norm", "lr"):
        assert getattr(compiled_history, name) == getattr(engine_history, name), name
    assert compiled_seen == engine_seen  # every prediction of every epoch


def test_jit_trains_to_the_same_weights_bit_for_bit():
    X, y = make_blobs(50, centers=3, std=1.5, seed=2)
    # batches of 8 and a last one of 2: two traces; the accuracy reads the compiled predictions
    assert_same_runs(jit_and_engine_runs(lambda: nn.MLP(2, [6, 3], seed=4),
                                         loss_fn=nn.CrossEntropyLoss(), train=(X, y), val=(X, y),
                                         epochs=3, batch_size=8, seed=5))
    X, y = make_moons(40, noise=0.1, seed=1)
    assert_same_runs(jit_and_engine_runs(lambda: nn.MLP(2, [8, 8, 1], seed=0),
                                         loss_fn=nn.HingeLoss(), train=(X, to_signed(y)),
                                         epochs=4, l2=1e-4, l1=1e-5, clip_grad_norm=1.0, seed=0))


def test_jit_with_dropout_and_batch_norm_draws_the_engines_masks():
    X, y = make_blobs(40, centers=2, seed=3)

    def model():
        nn.manual_seed(7)  # the dropout masks come from the shared generator
        return nn.Sequential(nn.Layer(2, 8, seed=1), nn.BatchNorm1d(8), nn.Dropout(0.3),
                             nn.Layer(8, 2, activation="linear", seed=2))

    runs = jit_and_engine_runs(model, loss_fn=F.cross_entropy, train=(X, y), val=(X, y),
                               epochs=3, batch_size=16, seed=0)
    assert_same_runs(runs)
    assert runs[0][0].state_dict()["1.running_mean.0"] != 0.0  # the statistics were updated


def test_jit_stops_on_a_nan_loss_like_the_engine():
    X, y = line_data(2.0)
    model = linear_model()
    start = model.state_dict()
    with pytest.raises(TrainingDivergedError, match="loss became nan at epoch 1, step 1"):
        fit(model, lambda p, t: F.mse_loss(p, t) * math.nan, SGD(model.parameters(), lr=0.1),
            (X, y), epochs=2, progress=False, jit=True)
    assert model.state_dict() == start
    with pytest.raises(TypeError, match="jit must be True or False"):
        fit(model, nn.MSELoss(), SGD(model.parameters()), (X, y), jit="yes")


def test_numpy_validation_data():
    import numpy as np
    X, y = line_data(1.0)
    model = linear_model()
    history = fit(model, nn.MSELoss(), SGD(model.parameters(), lr=0.1), (np.array(X), np.array(y)),
                  val=(np.array(X), np.array(y)), epochs=2, progress=False)
    assert len(history.val_loss) == 2 and type(history.val_loss[0]) is float
    with pytest.raises(ValueError, match="val data has 16 samples but 3 labels"):
        fit(model, nn.MSELoss(), SGD(model.parameters()), (X, y), val=(X, y[:3]), progress=False)


def test_multiclass_accuracy_and_dataloader_input():
    X, y = make_blobs(60, centers=[[-2.0, 0.0], [2.0, 0.0], [0.0, 3.0]], std=0.3, seed=0)
    model = nn.MLP(2, [8, 3], seed=1)
    loader = DataLoader(X, y, batch_size=16, seed=0)
    history = fit(model, nn.CrossEntropyLoss(), Adam(model.parameters(), lr=0.05), loader,
                  val=(X, y), epochs=15, progress=False)
    assert len(history.train_acc) == len(history.val_acc) == 15
    assert history.val_acc[-1] == 1.0


def test_evaluation_builds_no_graph():
    model = linear_model()
    X, y = line_data(2.0)
    seen = []

    def loss_fn(predictions, targets):
        seen.append((autograd.is_grad_enabled(), model.training))
        return F.mse_loss(predictions, targets)

    fit(model, loss_fn, SGD(model.parameters(), lr=0.1), (X, y), val=(X, y), epochs=1,
        progress=False)
    assert seen == [(True, True), (False, False)]  # training step, then validation


def test_l2_and_l1_penalties_shrink_the_weights():
    model = nn.MLP(2, [3], activation="linear", seed=0)
    def zero_loss(predictions, targets):  # a data loss with zero gradient: only the penalty acts
        return 0.0 * autograd.sum([v for sample in predictions for v in sample])

    start = [p.data for p in model.parameters()]
    fit(model, zero_loss, SGD(model.parameters(), lr=0.1), ([[1.0, 2.0]], [0]), epochs=1,
        l2=0.5, progress=False, accuracy=False)
    # d/dp (0.5 * sum p^2) = p, so one SGD step scales every weight by 1 - 0.1
    assert [p.data for p in model.parameters()] == pytest.approx([0.9 * w for w in start])
    start = [p.data for p in model.parameters()]
    fit(model, zero_loss, SGD(model.parameters(), lr=0.1), ([[1.0, 2.0]], [0]), epochs=1,
        l1=0.01, progress=False, accuracy=False)
    assert [p.data for p in model.parameters()] == pytest.approx(
        [w - 0.001 * math.copysign(1.0, w) if w else 0.0 for w in start])


def test_gradient_clipping_bounds_each_step():
    model = linear_model()
    X, y = line_data(50.0)  # large errors, large gradients
    start = [p.data for p in model.parameters()]
    history = fit(model, nn.MSELoss(), SGD(model.parameters(), lr=0.1), (X, y), epochs=1,
                  clip_grad_norm=0.5, progress=False)
    moved = math.dist(start, [p.data for p in model.parameters()])
    assert history.grad_norm[0] > 10  # recorded before clipping
    assert moved == pytest.approx(0.1 * 0.5, rel=1e-5)


def test_early_stopping_restores_the_best_weights():
    # train on y = 2x, validate on y = -2x: the validation loss is best after epoch 1 and only
    # gets worse, so training stops after `patience` more epochs and epoch 1's weights come back
    def run(epochs, stopper=None):
        model = linear_model(seed=3)
        history = fit(model, nn.MSELoss(), SGD(model.parameters(), lr=0.2), line_data(2.0),
                      val=line_data(-2.0), epochs=epochs, early_stopping=stopper, seed=0,
                      progress=False)
        return model, history

    after_one_epoch, _ = run(1)
    stopper = EarlyStopping(patience=3)
    model, history = run(50, stopper)
    assert history.val_loss[1:] == sorted(history.val_loss[1:])  # monotonically worse
    assert len(history) == 4 and history.stopped_early and history.best_epoch == 1
    assert model.state_dict() == after_one_epoch.state_dict()
    assert stopper.best == history.val_loss[0]

    model, history = run(5, EarlyStopping(patience=10, restore_best=False))
    assert len(history) == 5 and not history.stopped_early and history.best_epoch is None


def test_reduce_lr_on_plateau_gets_the_validation_loss():
    model = linear_model(seed=3)
    opt = SGD(model.parameters(), lr=0.2)
    plateau = ReduceLROnPlateau(opt, patience=1, factor=0.5)
    history = fit(model, nn.MSELoss(), opt, line_data(2.0), val=line_data(-2.0), epochs=6,
                  scheduler=plateau, progress=False)
    assert plateau.best == history.val_loss[0]
    assert history.lr == pytest.approx([0.2, 0.2, 0.2, 0.1, 0.1, 0.05])


def counting_loss(bad_call, bad_value):
    calls = []

    def loss_fn(predictions, targets):
        calls.append(1)
        loss = F.mse_loss(predictions, targets)
        return loss * bad_value if len(calls) == bad_call else loss

    return loss_fn


def test_nan_loss_stops_with_epoch_and_step_and_keeps_finite_weights():
    X, y = line_data(2.0)
    reference = linear_model()
    fit(reference, nn.MSELoss(), SGD(reference.parameters(), lr=0.1), (X, y), epochs=1,
        batch_size=4, shuffle=False, progress=False)  # 4 steps per epoch
    model = linear_model()
    with pytest.raises(TrainingDivergedError, match="loss became nan at epoch 2, step 1") as err:
        fit(model, counting_loss(5, math.nan), SGD(model.parameters(), lr=0.1), (X, y),
            epochs=3, batch_size=4, shuffle=False, progress=False)
    assert isinstance(err.value, FloatingPointError)
    assert (err.value.epoch, err.value.step, err.value.what) == (2, 1, "loss")
    assert len(err.value.history) == 1
    assert model.state_dict() == reference.state_dict()  # the weights after the last good step


def test_inf_gradient_stops_before_the_step():
    model = linear_model()
    start = model.state_dict()
    sqrt_loss = lambda p, t: autograd.sqrt(0.0 * F.mse_loss(p, t))  # noqa: E731 - d sqrt(0) = inf
    with pytest.raises(TrainingDivergedError, match="gradient norm became nan at epoch 1, step 1"):
        fit(model, sqrt_loss, SGD(model.parameters(), lr=0.1), line_data(2.0), epochs=2,
            progress=False)
    assert model.state_dict() == start


def test_overflowing_update_is_undone():
    model = linear_model()
    start = model.state_dict()
    with pytest.raises(TrainingDivergedError, match="weights became -?inf at epoch 1, step 1") as err:
        fit(model, nn.MSELoss(), SGD(model.parameters(), lr=1e308), line_data(50.0), epochs=2,
            progress=False)
    assert err.value.what == "weights"
    assert model.state_dict() == start


def test_progress_output(capsys, monkeypatch):
    X, y = line_data(1.0)
    model = linear_model()
    fit(model, nn.MSELoss(), SGD(model.parameters(), lr=0.1), (X, y), epochs=2, progress=False)
    assert capsys.readouterr() == ("", "")

    fit(model, nn.MSELoss(), SGD(model.parameters(), lr=0.1), (X, y), val=(X, y), epochs=2)
    out = capsys.readouterr().out.splitlines()  # not a terminal: one plain line per epoch
    assert len(out) == 2 and out[1].startswith("epoch 2/2: train loss ") and ", val loss " in out[1]

    import sys
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    fit(model, nn.MSELoss(), SGD(model.parameters(), lr=0.1), (X, y), val=(X, y), epochs=2,
        batch_size=4)
    captured = capsys.readouterr()
    assert captured.out == "" and "fit" in captured.err and "8/8" in captured.err
    last_frame = captured.err.replace("\r", "\n").strip().splitlines()[-1]
    assert last_frame.startswith("epoch 2/2") and "loss " in last_frame and "val loss " in last_frame
    assert len(last_frame) <= 100  # validation stays visible on a narrow terminal


def test_history_plot(tmp_path):
    pytest.importorskip("matplotlib")
    history = History()
    history.epoch, history.train_loss, history.val_loss = [1, 2], [1.0, 0.5], [1.1, 0.7]
    history.train_acc, history.best_epoch = [0.5, 0.9], 2
    fig = history.plot(tmp_path / "history.png")
    assert len(fig.axes) == 2 and (tmp_path / "history.png").stat().st_size > 1000


@pytest.mark.parametrize("predictions, targets, expected", [
    ([0.5, -2.0, 3.0], [1, -1, -1], 2 / 3),           # signed labels: sign of the score
    ([0.5, -2.0, 3.0], [1, 0, 0], 2 / 3),             # 0/1 labels, logits: score > 0
    ([[0.1, 2.0], [3.0, -1.0]], [1, 1], 0.5),         # several outputs: argmax
    ([[0.5], [-2.0], [3.0]], [1, 0, 0], 2 / 3),       # one output in a list: a score, no argmax
    ([[0.5], [-2.0], [3.0]], [1, -1, -1], 2 / 3),
    ([0.5, 0.2], [0.3, 0.1], None),                   # real targets: regression
    ([0.5, 0.2, 0.1], [0, 1, 2], None),               # one output but 3 classes: no rule
])
def test_accuracy_rules(predictions, targets, expected):
    got = accuracy([autograd.Value(p) if not isinstance(p, list) else p for p in predictions],
                   targets)
    assert got == (pytest.approx(expected) if expected is not None else None)


def test_argmax_takes_the_first_of_equal_scores_and_reads_values_and_nan():
    predictions = [[1.0, 3.0, 3.0], [2.0, 2.0, 0.0], [float("nan"), 1.0, 0.5],
                   [0.5, float("nan"), 1.0], [autograd.Value(0.1), autograd.Value(0.9), 0.3]]
    # argmax as max(range(n), key=...) reads it: the first largest; a nan first stays the max
    assert accuracy(predictions, [1, 0, 0, 2, 1]) == 1.0
    assert accuracy(predictions, [2, 1, 1, 1, 2]) == 0.0


def test_accuracy_threshold_for_probabilities():
    assert accuracy([0.4, 0.6], [0, 1], threshold=0.5) == 1.0
    model = linear_model()
    _, acc = evaluate(model, nn.BCELoss(), [[0.0]], [1], accuracy_fn=lambda p, t: 0.25)
    assert acc == 0.25


def test_accuracy_threshold_for_outputs_regressed_onto_0_1_labels():
    # every prediction is 0.2: below 0.5, so class 0. A threshold of 0 (for logits) would call
    # all of them class 1; with BCE, predictions in (0, 1) are all "positive" by the sign rule.
    model = linear_model()
    model.layers[0].neurons[0].w[0].data, model.layers[0].neurons[0].b.data = 0.0, 0.2
    X = [[0.0], [1.0], [2.0]]
    class ScaledMSE(nn.MSELoss):  # a subclass is still a regression onto the labels
        pass

    for loss_fn in (nn.MSELoss(), F.mse_loss, nn.L1Loss(), nn.HuberLoss(), nn.BCELoss(),
                    ScaledMSE(reduction="sum")):
        assert evaluate(model, loss_fn, X, [0, 0, 1])[1] == pytest.approx(2 / 3), loss_fn
        # a split whose labels are all 1 is not read as signed -1/+1 labels
        assert evaluate(model, loss_fn, X, [1, 1, 1])[1] == 0.0, loss_fn
    assert evaluate(model, nn.BCEWithLogitsLoss(), X, [0, 0, 1])[1] == pytest.approx(1 / 3)
    assert evaluate(model, nn.HingeLoss(), X, [-1, -1, 1])[1] == pytest.approx(1 / 3)


LOSSES_AND_WHAT_THEY_READ = [
    (nn.MSELoss, F.mse_loss, "regression"), (nn.L1Loss, F.l1_loss, "regression"),
    (nn.HuberLoss, F.huber_loss, "regression"), (nn.BCELoss, F.binary_cross_entropy, "probabilities"),
    (nn.BCEWithLogitsLoss, F.binary_cross_entropy_with_logits, "logits"),
    (nn.CrossEntropyLoss, F.cross_entropy, "logits"), (nn.HingeLoss, F.hinge_loss, "logits"),
]


def test_every_loss_declares_what_it_reads_its_input_as():
    import nn.loss
    assert {cls.__name__ for cls, _, _ in LOSSES_AND_WHAT_THEY_READ} == set(nn.loss.__all__)
    for cls, function, kind in LOSSES_AND_WHAT_THEY_READ:
        assert cls.output_kind == function.output_kind == kind, cls
        assert nn.metrics.decision_threshold(cls()) == nn.metrics.decision_threshold(function) \
            == (0.0 if kind == "logits" else 0.5)
    assert {kind for _, _, kind in LOSSES_AND_WHAT_THEY_READ} == set(F.OUTPUT_KINDS)


def test_a_loss_of_ones_own_can_declare_its_outputs():
    def my_bce(predictions, targets):
        return F.binary_cross_entropy(predictions, targets)

    model = linear_model()
    model.layers[0].neurons[0].w[0].data, model.layers[0].neurons[0].b.data = 0.0, 0.3
    X, y = [[0.0], [1.0]], [0, 0]  # both predictions are 0.3
    assert nn.metrics.decision_threshold(my_bce) == 0.0  # it declares nothing: logits
    assert evaluate(model, my_bce, X, y)[1] == 0.0  # 0.3 > 0: class 1 for a logit
    my_bce.output_kind = "probabilities"
    assert evaluate(model, my_bce, X, y)[1] == 1.0  # 0.3 < 0.5: class 0 for a probability


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(epochs=-1), ValueError, "epochs"),
    (dict(train=[[0.0], [1.0], [2.0]]), TypeError, "pair"),
    (dict(val="validation"), TypeError, "val data"),
    (dict(train=DataLoader([[0.0]], [0.0]), batch_size=4), ValueError, "one or the other"),
])
def test_bad_arguments_are_explained(kwargs, error, words):
    model = linear_model()
    arguments = dict(model=model, loss_fn=nn.MSELoss(), optimizer=SGD(model.parameters()),
                     train=line_data(1.0), progress=False)
    arguments.update(kwargs)
    with pytest.raises(error, match=words):
        fit(**arguments)


# -- EarlyStopping on its own -------------------------------------------------------------------
def test_early_stopping_counts_epochs_without_improvement():
    stopper = EarlyStopping(patience=2, min_delta=0.1)
    decisions = [stopper.step(v) for v in [1.0, 0.95, 0.8, 0.75, 0.72]]
    # 0.95 and 0.75 improve by less than min_delta; 0.72 is the second bad epoch in a row
    assert decisions == [False, False, False, False, True]
    assert (stopper.best, stopper.best_epoch, stopper.num_bad_epochs) == (0.8, 3, 2)
    assert "best=0.8 at epoch 3" in repr(stopper)
    stopper.reset()
    assert stopper.best == math.inf and not stopper.stopped
    # kept going after a stop (or reused for a second fit): an improvement says go on again
    stopper = EarlyStopping(patience=1)
    assert [stopper.step(v) for v in [1.0, 2.0, 0.5, 0.4, 0.6]] == [False, True, False, False, True]


def test_early_stopping_max_mode_patience_zero_and_nan():
    stopper = EarlyStopping(patience=0, mode="max")
    assert [stopper.step(v) for v in [0.5, 0.7, 0.6]] == [False, False, True]
    stopper = EarlyStopping(patience=1)
    assert [stopper.step(v) for v in [1.0, math.nan]] == [False, True]  # nan never improves


def test_early_stopping_restore_needs_a_model():
    model = linear_model()
    stopper = EarlyStopping()
    stopper.step(1.0)  # no model given: nothing saved
    assert stopper.restore(model) is False
    stopper.step(0.5, model)
    saved = model.state_dict()
    for p in model.parameters():
        p.data += 1.0
    assert stopper.restore(model) is True and model.state_dict() == saved


@pytest.mark.parametrize("kwargs, words", [
    (dict(patience=-1), "patience"), (dict(patience=1.5), "patience"),
    (dict(min_delta=-0.1), "min_delta"), (dict(mode="lowest"), "mode"),
])
def test_early_stopping_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        EarlyStopping(**kwargs)


def test_fit_called_an_epoch_at_a_time_keeps_its_traces_and_weights():
    """fit(jit=True) remembers its compiled step on the model: a fit per epoch (a notebook loop)
    traces each batch size once, and trains to the weights of one fit over all the epochs."""
    X, y = make_blobs(50, centers=3, std=1.5, seed=2)
    once, stepwise = nn.MLP(2, [6, 3], seed=4), nn.MLP(2, [6, 3], seed=4)
    fit(once, F.cross_entropy, SGD(once.parameters(), lr=0.1), (X, y), epochs=3, batch_size=8,
        shuffle=False, progress=False, jit=True)
    optimizer = SGD(stepwise.parameters(), lr=0.1)
    for _ in range(3):
        fit(stepwise, F.cross_entropy, optimizer, (X, y), epochs=1, batch_size=8, shuffle=False,
            progress=False, jit=True)
    assert stepwise.state_dict() == once.state_dict()
    (_, _, step), = stepwise._compiled_steps
    assert step.traces == 2  # batches of 8 and the last one of 2, each traced once
    assert step.compiled_calls == 3 * 7 - 2
    # another loss or penalty is another step; the model keeps a few
    fit(stepwise, F.cross_entropy, optimizer, (X, y), epochs=1, batch_size=8, l2=1e-3,
        progress=False, jit=True)
    assert len(stepwise._compiled_steps) == 2
    # a loss module made anew for each call, with the same settings, reuses the step; other
    # settings make another
    for loss in (nn.CrossEntropyLoss(), nn.CrossEntropyLoss(),
                 nn.CrossEntropyLoss(label_smoothing=0.1)):
        fit(stepwise, loss, optimizer, (X, y), epochs=1, batch_size=8, progress=False, jit=True)
    assert len(stepwise._compiled_steps) == 4
    assert [step.traces for _, _, step in stepwise._compiled_steps[2:]] == [2, 2]


def test_a_model_trained_with_jit_pickles_and_copies_without_its_compiled_steps():
    X, y = make_blobs(30, centers=2, seed=1)
    model = nn.MLP(2, [4, 2], seed=3)
    fit(model, F.cross_entropy, SGD(model.parameters(), lr=0.1), (X, y), epochs=2, batch_size=10,
        shuffle=False, progress=False, jit=True)
    for copy in (pickle.loads(pickle.dumps(model)), copy_module.deepcopy(model)):
        assert "_compiled_steps" not in vars(copy) and "_structure_kept" not in vars(copy)
        assert copy.state_dict() == model.state_dict()
        fit(copy, F.cross_entropy, SGD(copy.parameters(), lr=0.1), (X, y), epochs=1,
            batch_size=10, shuffle=False, progress=False, jit=True)
        assert copy.state_dict() != model.state_dict()
        (_, _, step), = copy._compiled_steps
        assert all(p in {id(q) for q in copy.parameters()}
                   for p in map(id, next(iter(step._traces.values())).params))
