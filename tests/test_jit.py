"""autograd.jit: the compiled step gives the engine's loss and gradients bit for bit, for every
model family and loss in nn, unrolled or looped over the samples; and every guard sends a call
that the trace does not fit to a new trace or to the engine, never to a wrong gradient."""
import math
import random
import re
import struct

import pytest

import autograd
import nn
import nn.functional as F
from autograd import Value
from autograd.calculus import jit as jit_module


def same(a, b):
    """Equal to the bit (any nan equals any nan), through nested lists and tuples."""
    if isinstance(a, (list, tuple)):
        return (isinstance(b, (list, tuple)) and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b)))
    if a != a and b != b:
        return True
    return struct.pack("<d", a) == struct.pack("<d", b)


def values(x):
    return [values(v) for v in x] if isinstance(x, list) else Value(x)


def agrees_with_engine(step, params, *args):
    """One call of `step` on these arguments, from zeroed gradients: the loss and the parameters'
    gradients of `step.fn` run on the engine, bit for bit."""
    for p in params:
        p.grad = 0.0
    expected = step.fn(*map(values, args))
    expected.backward()
    engine_grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    assert same(step(*args), expected.data)
    assert same([p.grad for p in params], engine_grads)


@pytest.fixture(params=["unrolled", "looped"])
def layout(request, monkeypatch):
    """Every test of bit-identity runs with the code unrolled and with the loop over samples."""
    monkeypatch.setattr(jit_module, "UNROLL_LIMIT", 10 ** 9 if request.param == "unrolled" else 0)
    return request.param


def compare(make_model, loss, make_batch, calls=4, seed=5, train=True):
    """Two copies of a model, one trained by the engine and one by jit from the same weights and
    random draws: after every call the losses, every gradient and the whole state (running
    statistics included) are the same bits. Returns the jitted step."""
    nn.manual_seed(seed)
    engine_model = make_model()
    nn.manual_seed(seed)
    jit_model = make_model()
    engine_params, jit_params = engine_model.parameters(), jit_model.parameters()
    step = autograd.jit(lambda X, y: loss(jit_model(X), y))
    rng = random.Random(seed)
    for call in range(calls):
        X, y = make_batch(rng)
        for p in engine_params + jit_params:
            p.grad = 0.0
        nn.manual_seed(100 + call)  # dropout draws the same masks in both
        expected = loss(engine_model(values(X)), values(y))
        expected.backward()
        nn.manual_seed(100 + call)
        got = step(X, y)
        assert same(got, expected.data), (call, got, expected.data)
        bad = [i for i, (a, b) in enumerate(zip(engine_params, jit_params))
               if not same(a.grad, b.grad)]
        assert not bad, f"call {call}: gradients differ at {bad[:5]}"
        assert same(list(engine_model.state_dict().values()),
                    list(jit_model.state_dict().values()))
        if train:
            for a, b in zip(engine_params, jit_params):
                a.data -= 0.1 * a.grad
                b.data -= 0.1 * b.grad
    return step


def inputs(rng, n=6, d=3, scale=2.0):
    return [[rng.uniform(-scale, scale) for _ in range(d)] for _ in range(n)]


def regression(rng):
    return inputs(rng), [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(6)]


def binary(rng):
    return inputs(rng), [rng.choice([0.0, 1.0]) for _ in range(6)]


def signed(rng):
    return inputs(rng), [rng.choice([-1.0, 1.0]) for _ in range(6)]


def zeros_and_ones(rng):
    return inputs(rng), [[float(j == rng.randrange(4)) for j in range(4)] for _ in range(6)]


def classes(rng):
    return inputs(rng), [rng.randrange(4) for _ in range(6)]


# -- every model family and loss, bit for bit ------------------------------------------------------
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu", "linear"])
def test_mlp_with_each_activation_matches_the_engine(layout, activation):
    params = []

    def loss(scores, y):  # micrograd's demo loss: hinge plus an L2 penalty
        data = autograd.sum([(1 - yi * s).relu() for yi, s in zip(y, scores)]) * (1.0 / len(y))
        return data + 1e-4 * autograd.dot(params, params)

    def make():
        model = nn.MLP(3, [8, 6, 1], activation=activation)
        params[:] = model.parameters()
        return model

    # the penalty reads `params`: the last model made, the jitted one, for both steps
    nn.manual_seed(5)
    engine_model = make()
    engine_params = list(params)
    nn.manual_seed(5)
    jit_model = make()
    jit_params = list(params)
    step = autograd.jit(lambda X, y: loss(jit_model(X), y))
    rng = random.Random(1)
    for call in range(4):
        X, y = signed(rng)
        for p in engine_params + jit_params:
            p.grad = 0.0
        params[:] = engine_params
        expected = loss(engine_model(values(X)), values(y))
        expected.backward()
        params[:] = jit_params
        assert same(step(X, y), expected.data)
        assert same([p.grad for p in jit_params], [p.grad for p in engine_params])
        for a, b in zip(engine_params, jit_params):
            a.data -= 0.05 * a.grad
            b.data -= 0.05 * b.grad
    assert step.traces == 1 and step.compiled_calls == 3


@pytest.mark.parametrize("name, loss, batch, output", [
    ("mse", F.mse_loss, regression, 2),
    ("l1", F.l1_loss, regression, 2),
    ("huber", lambda p, y: F.huber_loss(p, y, delta=5.0), regression, 2),
    ("bce", lambda p, y: F.binary_cross_entropy([autograd.sigmoid(v) for v in p], y), binary, 1),
    ("bce_with_logits", F.binary_cross_entropy_with_logits, binary, 1),
    ("cross_entropy", F.cross_entropy, classes, 4),
    ("CrossEntropyLoss", nn.CrossEntropyLoss(), classes, 4),
    ("hinge", F.hinge_loss, signed, 1),
    # softmax's shift (max x) is a node: each call's scores are shifted by their own maximum
    ("label_smoothing", lambda p, y: F.cross_entropy(p, y, label_smoothing=0.1), classes, 4),
    ("softmax", lambda p, y: F.mse_loss(F.softmax(p), y), zeros_and_ones, 4),
    ("MSELoss sum", nn.MSELoss(reduction="sum"), regression, 2),
])
def test_each_loss_matches_the_engine(layout, name, loss, batch, output):
    step = compare(lambda: nn.MLP(3, [5, output], activation="tanh"), loss, batch)
    assert step.compiled_calls == 3, step.last_fallback  # every call after the trace compiled


def test_cross_entropy_labels_are_data_not_constants(layout):
    # one trace serves every labelling of the batch: the class index is an input of the op
    step = compare(lambda: nn.MLP(3, [5, 4]), F.cross_entropy, classes, calls=6)
    assert step.traces == 1


def test_batchnorm_in_training_mode_matches_the_engine_running_statistics_too(layout):
    def make():
        return nn.Sequential(nn.Layer(3, 4, activation="linear"), nn.BatchNorm1d(4),
                             nn.Layer(4, 2, activation="relu"))

    step = compare(make, F.mse_loss, regression)
    assert step.compiled_calls == 3


@pytest.mark.parametrize("momentum", [0.1, None])
def test_batchnorm_in_eval_mode_reads_the_running_statistics_at_each_call(layout, momentum):
    def make():
        model = nn.Sequential(nn.Layer(3, 4, activation="linear"),
                              nn.BatchNorm1d(4, momentum=momentum), nn.Layer(4, 2))
        model[1].running_mean[:] = [0.1, -0.2, 0.3, 0.0]
        model[1].running_var[:] = [1.5, 0.5, 2.0, 1.0]
        return model.eval()

    nn.manual_seed(0)
    engine = make()
    nn.manual_seed(0)
    jitted = make()
    step = autograd.jit(lambda X, y: F.mse_loss(jitted(X), y))
    rng = random.Random(0)
    for call in range(3):
        X, y = regression(rng)
        for bn in (engine[1], jitted[1]):  # the statistics change between calls (a load, say)
            bn.running_mean[0] = 0.1 * call
        for p in engine.parameters() + jitted.parameters():
            p.grad = 0.0
        expected = F.mse_loss(engine(values(X)), values(y))
        expected.backward()
        assert same(step(X, y), expected.data)
        assert same([p.grad for p in jitted.parameters()], [p.grad for p in engine.parameters()])
    assert step.compiled_calls == 2


@pytest.mark.parametrize("seed", [None, 3])
def test_dropout_draws_a_new_mask_on_every_call_as_the_engine(layout, seed):
    def make():
        return nn.Sequential(nn.Layer(3, 8), nn.Dropout(0.5, seed=seed),
                             nn.Layer(8, 2, activation="linear"))

    compare(make, F.mse_loss, regression, calls=5)


def test_dropout_never_reuses_a_mask():
    model = nn.Sequential(nn.Layer(2, 16, seed=0), nn.Dropout(0.5, seed=1),
                          nn.Layer(16, 1, activation="linear", seed=2))
    step = autograd.jit(lambda X, y: F.mse_loss(model(X), y))
    X, y = [[0.5, -1.0], [1.0, 2.0]], [1.0, 0.0]
    losses = [step(X, y) for _ in range(6)]  # the same data: only the masks change the loss
    assert len(set(losses)) > 3
    assert step.compiled_calls == 5


def test_extra_outputs_come_back_as_numbers(layout):
    model = nn.MLP(2, [4, 3], seed=0)

    def loss_and_scores(X, y):
        scores = model(X)
        return F.cross_entropy(scores, y), scores

    step = autograd.jit(loss_and_scores)
    X, y = [[0.5, -1.0], [1.0, 2.0]], [2, 0]
    for _ in range(2):
        loss, scores = step(X, y)
        expected_loss, expected_scores = loss_and_scores(values(X), values(y))
        assert same(loss, expected_loss.data)
        assert same(scores, [[v.data for v in row] for row in expected_scores])


def test_gradients_accumulate_into_existing_grads_as_backward_does(layout):
    model = nn.MLP(2, [3, 1], seed=0)
    params = model.parameters()
    fn = lambda X, y: F.mse_loss(model(X), y)  # noqa: E731
    step = autograd.jit(fn)
    X, y = [[0.5, -1.0], [2.0, 0.25]], [1.0, -1.0]
    step(X, y)  # the trace
    for p in params:
        p.grad = 0.125
    step(X, y)
    got = [p.grad for p in params]
    for p in params:
        p.grad = 0.125
    fn(values(X), values(y)).backward()
    assert same(got, [p.grad for p in params])


def test_edge_numbers_give_the_engines_bits(layout):
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    params = model.parameters()
    step = autograd.jit(lambda X, y: F.mse_loss(model(X), y))
    for X, y in [([[0.5, -1.0]], [1.0]), ([[-0.0, 5e-324]], [-0.0]), ([[1e308, -1e308]], [0.0]),
                 ([[math.inf, 1.0]], [1.0]), ([[math.nan, 0.0]], [2.0])]:
        agrees_with_engine(step, params, X, y)


EDGES = [0.0, -0.0, 5e-324, -1e-310, 1e308, -1e308, math.inf, -math.inf, math.nan, 1.0, -1.0, 0.5]


@pytest.mark.parametrize("seed", range(4))
def test_random_models_with_edge_weights_and_inputs_match_the_engine(layout, seed):
    # zeros of both signs, subnormals, huge numbers, inf and nan in weights and data: where the
    # generated code gathers a hidden unit's gradient in one sum, skips, masks and guards must
    # still give the engine's bits
    rng = random.Random(seed)
    for trial in range(6):
        sizes = [rng.randint(1, 4) for _ in range(rng.randint(1, 3))]
        nin = rng.randint(1, 3)
        model = nn.MLP(nin, sizes, activation=rng.choice(["relu", "tanh", "leaky_relu"]),
                       seed=trial)
        params = model.parameters()
        for p in params:
            if rng.random() < 0.15:
                p.data = rng.choice(EDGES)

        def fn(X, y):
            out = model(X)
            flat = [v for row in out for v in (row if isinstance(row, list) else [row])]
            return autograd.dot(flat, flat) + 1e-3 * autograd.dot(params, params) + 0.0 * y[0]

        step = autograd.jit(fn)
        for _ in range(3):
            X = [[rng.choice(EDGES) if rng.random() < 0.2 else rng.uniform(-3, 3)
                  for _ in range(nin)] for _ in range(rng.choice([2, 3]))]
            agrees_with_engine(step, params, X, [1.0])


@pytest.mark.parametrize("sizes", [[3, 1, 3], [4, 2, 5, 3], [1, 4, 1, 2]])
def test_narrow_and_wide_relu_layers_match_the_engine(layout, sizes):
    # a relu unit whose gradient is gathered from several dots and itself feeds other relu units
    # (their gradients then start at 0.0 before any of the ifs that add to them)
    compare(lambda: nn.MLP(3, sizes), F.mse_loss,
            lambda rng: (inputs(rng), [[rng.uniform(-1, 1) for _ in range(sizes[-1])]
                                       for _ in range(6)]))


# -- guards ----------------------------------------------------------------------------------------
def test_other_argument_sizes_get_their_own_trace():
    model = nn.MLP(2, [4, 1], seed=0)
    params = model.parameters()
    step = autograd.jit(lambda X, y: F.mse_loss(model(X), y))
    rng = random.Random(0)
    for n in (3, 5, 3, 5, 1):
        X, y = inputs(rng, n, 2), [rng.random() for _ in range(n)]
        agrees_with_engine(step, params, X, y)
    assert step.traces == 3 and step.compiled_calls == 2


def test_a_relu_dot_pre_activation_turning_inf_or_nan_runs_on_the_engine():
    # the engine builds relu(dot) as one node only for a finite pre-activation; for inf or nan it
    # keeps the dot and the relu apart (so 0 * inf = nan still flows where relu masks): the trace
    # of the finite case must not be replayed on it
    model = nn.MLP(2, [3, 1], seed=0)
    params = model.parameters()
    step = autograd.jit(lambda X, y: F.mse_loss(model(X), y))
    for X in ([[0.5, -1.0]], [[-math.inf, 1.0]], [[math.nan, 1.0]], [[0.25, 2.0]]):
        agrees_with_engine(step, params, X, [1.0])
        if X[0][0] != X[0][0] or math.isinf(X[0][0]):
            assert "inf or nan" in step.last_fallback
    assert step.engine_calls == 3 and step.compiled_calls == 1


@pytest.mark.parametrize("change", ["added", "removed", "replaced", "eval", "dropout p"])
def test_a_changed_model_is_traced_again(change):
    model = nn.Sequential(nn.Layer(2, 3, seed=0), nn.Dropout(0.0), nn.Layer(3, 1, seed=1))

    def fn(X, y):
        return F.mse_loss(model(X), y) + 0.01 * autograd.dot(model.parameters(),
                                                            model.parameters())

    step = autograd.jit(fn)
    X, y = [[0.5, -1.0], [1.0, 2.0]], [1.0, 0.0]
    last = model[2].neurons[0]
    if change == "removed":
        last.extra = Value(0.5)
    step(X, y)
    step(X, y)
    assert step.traces == 1
    if change == "added":
        last.extra = Value(0.5)
    elif change == "removed":
        del last.extra
    elif change == "replaced":
        last.w[0] = Value(last.w[0].data)
    elif change == "eval":
        model.eval()
    else:
        model[1].p = 0.5
    params = model.parameters()
    for p in params:
        p.grad = 0.0
    nn.manual_seed(0)
    got = step(X, y)
    got_grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    nn.manual_seed(0)
    expected = fn(values(X), values(y))
    expected.backward()
    assert step.traces == 2
    assert same(got, expected.data)
    assert same(got_grads, [p.grad for p in params])


def test_huber_replays_only_while_no_difference_crosses_delta():
    model = nn.MLP(1, [2, 1], activation="tanh", seed=0)
    step = autograd.jit(lambda X, y: F.huber_loss(model(X), y, delta=1.0))
    step([[0.5]], [0.0])
    step([[0.4]], [0.1])  # |d| < 1 again: the trace applies
    assert step.compiled_calls == 1
    params = model.parameters()
    for p in params:
        p.grad = 0.0
    got = step([[0.4]], [10.0])  # |d| > 1: the other piece, another graph
    assert step.engine_calls == 2 and "branched" in step.last_fallback
    got_grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    expected = F.huber_loss(model(values([[0.4]])), values([10.0]), delta=1.0)
    expected.backward()
    assert same(got, expected.data) and same(got_grads, [p.grad for p in params])
    for target in (20.0, 30.0, 40.0):  # a trace that keeps missing is tried now and then only
        step([[0.4]], [target])
    assert "did not fit the last calls" in step.last_fallback


def test_hooks_and_switches_run_on_the_engine():
    w = Value(0.5)
    step = autograd.jit(lambda x: (w * x).tanh())
    step(1.0)
    seen = []
    handle = w.register_hook(seen.append)
    step(2.0)
    handle.remove()
    assert len(seen) == 1 and step.engine_calls == 2
    with autograd.detect_anomaly():
        step(3.0)
    assert step.engine_calls == 3
    step(4.0)
    assert step.compiled_calls == 1


def test_verify_runs_both_and_raises_on_a_difference():
    model = nn.MLP(2, [3, 1], seed=0)
    step = autograd.jit(lambda X, y: F.mse_loss(model(X), y), verify=True)
    X, y = [[0.5, -1.0], [1.0, 2.0]], [1.0, 0.0]
    step(X, y)
    step(X, y)  # the same bits: no error
    trace = next(iter(step._traces.values()))
    real = trace.function

    def off_by_one_ulp(*args):
        loss, grads, extras = real(*args)
        return loss, (math.nextafter(grads[0], math.inf), *grads[1:]), extras

    trace.function = off_by_one_ulp
    with pytest.raises(autograd.jit.JitMismatchError, match="parameter 0"):
        step(X, y)

    def wrong_loss(*args):
        loss, grads, extras = real(*args)
        return loss + 1.0, grads, extras

    trace.function = wrong_loss
    with pytest.raises(AssertionError, match="the generated code returned"):
        step(X, y)


def test_what_code_inside_a_trace_declares():
    # the helpers nn's modules use, used directly: outside a trace each is a plain call
    w = Value(1.5)
    count = [2]
    scale = [1.0]
    seen = []

    def fn(x):
        assert autograd.jit.is_tracing() == tracing[0]
        autograd.jit.guard(lambda: scale[0], "the scale")
        masks = autograd.jit.fresh(lambda: [0.5 * (i + 1) for i in range(count[0])])
        y = autograd.sum([w * x * m for m in masks]) * scale[0]
        autograd.jit.effect(seen.append, y)
        if autograd.jit.branch(y, lambda v: v > 10.0):
            return y * y
        return y

    tracing = [True]
    step = autograd.jit(fn)
    assert step(2.0) == 1.5 * 2.0 * 0.5 + 1.5 * 2.0 * 1.0 and seen == [4.5]
    tracing[0] = False
    assert step(1.0) == 2.25 and seen == [4.5, 2.25] and step.compiled_calls == 1
    count[0] = 3  # a fresh draw of another size: the engine, handed the very draws
    assert step(1.0) == 1.5 * (0.5 + 1.0 + 1.5) and step.engine_calls == 2
    assert "another size" in step.last_fallback
    count[0] = 2
    assert step(10.0) == 22.5 ** 2 and "branched" in step.last_fallback  # the other branch
    scale[0] = 2.0  # a guard that changed: traced again
    tracing[0] = True
    assert step(1.0) == 4.5 and step.traces == 2
    assert autograd.jit.is_tracing() is False


# -- what a student sees ---------------------------------------------------------------------------
def test_the_first_call_is_the_engine_and_source_shows_the_code():
    w = Value(2.0)
    step = autograd.jit(lambda x: (w * x).tanh())
    assert step(0.5) == math.tanh(1.0)
    assert step.source.startswith("def ") and "TANH" in step.source
    assert step.traces == 1 and step.engine_calls == 1
    assert "1 trace(s)" in repr(step)
    w.grad = 0.0
    step(0.25)
    got = w.grad
    w.grad = 0.0
    (w * Value(0.25)).tanh().backward()
    assert same(got, w.grad) and step.compiled_calls == 1


def test_a_long_batch_is_a_loop_over_samples_not_one_copy_per_sample():
    model = nn.MLP(4, [16, 3], seed=0)
    step = autograd.jit(lambda X, y: F.cross_entropy(model(X), y))
    rng = random.Random(0)
    step(inputs(rng, 200, 4), [rng.randrange(3) for _ in range(200)])
    assert "for k in range(200):" in step.source
    assert len(step.source) < 40_000  # unrolled, it would be 200 copies of a sample's code
    # the dots are written out as arithmetic on local variables, the fastest form in Python
    assert "map(" not in step.source
    assert re.search(r"= 0\.0 \+ v\d+(?: \+ v\d+ \* v\d+){16}\n", step.source)  # 16 inputs


def test_a_graph_too_large_to_write_out_and_not_a_loop_runs_on_the_engine(monkeypatch):
    # BatchNorm in training mode mixes the samples: no loop; above MAX_UNROLLED: the engine
    monkeypatch.setattr(jit_module, "UNROLL_LIMIT", 0)
    monkeypatch.setattr(jit_module, "MAX_UNROLLED", 50)

    def make():
        return nn.Sequential(nn.Layer(3, 4, activation="linear"), nn.BatchNorm1d(4),
                             nn.Layer(4, 2, activation="relu"))

    step = compare(make, F.mse_loss, regression, calls=3)
    assert step.compiled_calls == 0 and step.engine_calls == 3
    assert "MAX_UNROLLED" in step.last_fallback and step.source == ""


def test_errors_in_the_generated_code_point_at_it():
    step = autograd.jit(lambda x: F.cross_entropy([x[0], x[1]], x[2]))
    step([0.5, 1.0, 0.0])
    with pytest.raises(IndexError, match="not a class index") as info:
        step([0.5, 1.0, 7.0])
    assert any("autograd.jit" in str(entry.path) for entry in info.traceback)


# -- arguments -------------------------------------------------------------------------------------
def test_bad_arguments_are_refused_with_where_they_are():
    step = autograd.jit(lambda x: x[0] * 2.0)
    with pytest.raises(TypeError, match=r"argument 0\[1\] must be a number"):
        step([1.0, "a"])
    with pytest.raises(ValueError, match=r"argument 0 is ragged"):
        step([1.0, [2.0]])
    with pytest.raises(TypeError, match="argument 0 is a Value"):
        step(Value(1.0))
    with pytest.raises(TypeError, match="must return a Value"):
        autograd.jit(lambda x: 1.0)(2.0)
    with pytest.raises(TypeError, match="jit needs a function"):
        autograd.jit(3)


def test_ints_bools_tuples_and_decorator_use():
    w = Value(1.5)

    @autograd.jit
    def step(pair, flag):
        return w * pair[0] + w * pair[1] * flag

    assert step((2, 3), True) == 1.5 * 2 + 1.5 * 3
    w.grad = 0.0
    assert step((1, 1), False) == 1.5
    assert w.grad == 1.0 and step.compiled_calls == 1


def test_data_that_needs_no_gradient_compiles_like_data_that_does():
    """Inputs marked requires_grad=False make dots that skip them in backward: the compiled step
    writes them with the same templates, and the weights' gradients are the engine's."""
    nn.manual_seed(3)
    model = nn.MLP(3, [4, 1])

    def loss(rows):
        for row in rows:
            for x in row:
                x.requires_grad_(False)
        return autograd.sum([model(row) ** 2 for row in rows])

    step = autograd.jit(loss)
    for xs in ([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], [[-0.5, 1.0, 0.125], [2.5, -0.25, 0.5]]):
        model.zero_grad()
        value = step(xs)
        compiled = [p.grad for p in model.parameters()]
        model.zero_grad()
        engine = loss([[Value(x) for x in row] for row in xs])
        engine.backward()
        assert value == engine.data and compiled == [p.grad for p in model.parameters()]


@pytest.mark.parametrize("change", ["weight entry", "weight row", "appended layer"])
def test_changes_inside_lists_are_seen_by_the_guard(change):
    """A module's lists can change without an assignment to the module (`w[0] = Value(...)`,
    `layers.append(...)`): the guard compares their items too, Linear's rows of weights included."""
    if change == "appended layer":
        model = nn.MLP(2, [3, 1], seed=0)
    else:
        model = nn.Sequential(nn.Linear(2, 3, seed=0), nn.ReLU(), nn.Linear(3, 1, seed=1))

    def fn(X, y):
        return F.mse_loss(model(X), y)

    step = autograd.jit(fn)
    X, y = [[0.5, -1.0], [1.0, 2.0]], [1.0, 0.0]
    step(X, y)
    step(X, y)
    assert step.traces == 1 and step.compiled_calls == 1
    if change == "weight entry":
        model[0].weight[1][0] = Value(0.75)
    elif change == "weight row":
        model[0].weight[2] = [Value(0.25), Value(-0.5)]
    else:
        model.layers.append(nn.Layer(1, 1, activation="linear", seed=2))
    params = model.parameters()
    for p in params:
        p.grad = 0.0
    got = step(X, y)
    got_grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    expected = fn(values(X), values(y))
    expected.backward()
    assert step.traces == 2
    assert same(got, expected.data) and same(got_grads, [p.grad for p in params])


def test_an_unchanged_model_reads_its_structure_once():
    model = nn.MLP(3, [4, 2], seed=0)
    first = model._structure_now()
    assert model._structure_now() is first  # nothing changed: the same answer, not read again
    model.eval()
    assert model._structure_now() is not first and model._structure_now() != first
    model.train()
    assert model._structure_now() == first


def test_batches_and_single_rows_flatten_alike():
    """A batch of rows of floats takes a faster path than other nestings: the same numbers and
    the same key (so the same trace) as the general path."""
    rows = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.0]]
    fast, slow = [], []
    key = jit_module._flatten(rows, fast, "x")
    mixed = [[0.5, -1.0, 2.0], [1.5, 0.25, -0]]  # an int: the general path, converted
    assert jit_module._flatten(mixed, slow, "x") == key
    assert fast == [0.5, -1.0, 2.0, 1.5, 0.25, -0.0] and slow[:-1] == fast[:-1]
    assert jit_module._flatten([tuple(r) for r in rows], [], "x") != key  # tuples stay tuples
    assert jit_module._flatten([[1.0], [1.0, 2.0]], [], "x") == (list, ((list, 1), (list, 2)))


@pytest.mark.parametrize("shape, expected", [
    ([[0, 1], [2, 3]], [[10.0, 11.0], [12.0, 13.0]]),
    ((0, [1, 2], "note"), (10.0, [11.0, 12.0], "note")),
    ([[2, 0], 1], [[12.0, 10.0], 11.0]),
])
def test_extra_outputs_are_nested_as_fn_returned_them(shape, expected):
    def slots(s):
        if isinstance(s, int):
            return jit_module._Slot(s)
        return type(s)(slots(x) for x in s) if isinstance(s, (list, tuple)) else s

    build = jit_module._builder(slots(shape))
    assert build((10.0, 11.0, 12.0, 13.0)) == expected


def margin_batch(edge):
    """Moons-like points and labels, most far past the hinge margin, with `edge` put into the
    label of a sample past the margin (a non-finite label must not be skipped: 0 * inf is nan)."""
    def make(rng):
        X = inputs(rng, 12, 2)
        y = [rng.choice([-1.0, 1.0]) for _ in X]
        if edge is not None:
            y[3] = edge
        return X, y
    return make


@pytest.mark.parametrize("edge", [None, math.inf, -math.inf, math.nan, 1e308])
def test_samples_past_the_hinge_margin_stop_their_backward_as_the_engine_does(monkeypatch, edge):
    """In the loop over samples, a sample whose gradient turns zero at the hinge's relu skips the
    rest of its backward, when its numbers are finite: the engine's dots add nothing for it."""
    monkeypatch.setattr(jit_module, "UNROLL_LIMIT", 0)
    step = compare(big_scores, hinge, margin_batch(edge), calls=4, train=edge is None)
    assert "if SAMPLE - SAMPLE == 0.0: continue" in step.source
    assert step.compiled_calls == 3


def hinge(scores, y):
    return autograd.sum([(1 - yi * s).relu() for yi, s in zip(y, scores)]) * (1.0 / len(y))


def big_scores():
    model = nn.MLP(2, [8, 8, 1])
    for p in model.layers[-1].parameters():
        p.data *= 40.0  # most samples are far past the margin
    return model


def test_no_sample_is_skipped_while_its_score_is_not_finite(monkeypatch):
    """An infinite output bias: every score is infinite and, all labels 1, every sample past the
    margin; but the engine's output dot does not skip (its output is not finite) and adds 0 * h
    to the weights' gradients, which turns their -0.0 into 0.0: the compiled step must too."""
    monkeypatch.setattr(jit_module, "UNROLL_LIMIT", 0)
    nn.manual_seed(1)
    engine_model, jit_model = big_scores(), None
    nn.manual_seed(1)
    jit_model = big_scores()
    for model in (engine_model, jit_model):
        model.layers[-1].neurons[0].b.data = math.inf
    step = autograd.jit(lambda X, y: hinge(jit_model(X), y))
    rng = random.Random(0)
    for _ in range(3):
        X, y = inputs(rng, 12, 2), [1.0] * 12
        for p in engine_model.parameters() + jit_model.parameters():
            p.grad = -0.0
        expected = hinge(engine_model(values(X)), values(y))
        expected.backward()
        got = step(X, y)
        assert same(got, expected.data)
        assert same([p.grad for p in jit_model.parameters()],
                    [p.grad for p in engine_model.parameters()])
    assert step.compiled_calls == 2


def test_class_labels_flatten_as_numbers_do():
    fast, slow = [], []
    key = jit_module._flatten([3, 0, 2], fast, "y")
    assert jit_module._flatten([3, 0, 2.0], slow, "y") == key  # the general path
    assert fast == slow == [3.0, 0.0, 2.0] and all(type(x) is float for x in fast)
    with pytest.raises(OverflowError, match=r"y\[1\]: .*401 digits"):
        jit_module._flatten([1, 10 ** 400], [], "y")


def test_gradients_set_to_none_and_frozen_parameters_as_backward_treats_them(layout):
    """zero_grad(set_to_none=True) leaves None, which backward starts at 0.0 (also where nothing
    reaches: a dead unit's weights); a parameter with requires_grad=False and no gradient is left
    alone; one of them frozen or thawed between calls is a retrace, never a stale trace. (A
    frozen parameter that holds a float, as after zero_grad(), accumulates into it, as backward
    does.)"""
    def make():
        model = nn.MLP(3, [4, 2], seed=2)
        model.layers[0].neurons[1].b.data = -50.0  # dead for these inputs: no gradient reaches
        return model

    engine_model, jit_model = make(), make()
    step = autograd.jit(lambda X, y: F.mse_loss(jit_model(X), y))
    rng = random.Random(1)
    X, y = inputs(rng, 5, 3), [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(5)]
    plans = [("none", None), ("none", None), ("freeze", 3), ("freeze", 3), ("zero", 3),
             ("thaw", 3), ("none", None), ("freeze", 7)]
    for what, which in plans:
        for model in (engine_model, jit_model):
            params = model.parameters()
            if what in ("freeze", "thaw"):
                params[which].requires_grad_(what == "thaw")
            for p in params:
                if p.requires_grad or what == "zero":
                    p.grad = None if what != "zero" else 0.0
        expected = F.mse_loss(engine_model(values(X)), values(y))
        expected.backward()
        got = step(X, y)
        assert same(got, expected.data)
        assert [p.grad for p in jit_model.parameters()] == \
            [p.grad for p in engine_model.parameters()], (what, which)
    assert step.traces == 4  # the first call, each freeze and the thaw
    assert engine_model.parameters()[7].grad is None is jit_model.parameters()[7].grad
