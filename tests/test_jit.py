"""autograd.jit: the compiled step gives the engine's loss and gradients bit for bit, and every
guard sends a call that the trace does not fit to a new trace or to the engine, never to a wrong
gradient."""
import math
import random
import struct

import pytest

import autograd
import nn
import nn.functional as F
from autograd import Value


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


def engine_call(fn, params, *args):
    """The definition of a call: fn on new Values, then backward; (loss, grads)."""
    for p in params:
        p.grad = 0.0
    loss = fn(*[values(a) for a in args])
    loss.backward()
    return loss.data, [p.grad for p in params]


def jit_call(step, params, *args):
    for p in params:
        p.grad = 0.0
    loss = step(*args)
    return loss, [p.grad for p in params]


def assert_same_as_engine(fn, params, calls, step=None):
    """Each call's loss and gradients from jit(fn) equal the engine's bit for bit."""
    step = step or autograd.jit(fn)
    for args in calls:
        expected = engine_call(fn, params, *args)
        got = jit_call(step, params, *args)
        assert same(got[0], expected[0]), (got[0], expected[0])
        bad = [i for i, (a, b) in enumerate(zip(got[1], expected[1])) if not same(a, b)]
        assert not bad, f"gradients differ at {bad[:5]}: {got[1][bad[0]]} != {expected[1][bad[0]]}"
    return step


def batch(rng, n, d, scale=1.0):
    return [[rng.uniform(-scale, scale) for _ in range(d)] for _ in range(n)]


# -- models and losses ----------------------------------------------------------------------------------
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu", "linear"])
def test_mlp_with_each_activation_hinge_and_l2_matches_the_engine(activation):
    rng = random.Random(1)
    model = nn.MLP(3, [8, 6, 1], activation=activation, seed=2)
    params = model.parameters()

    def loss_fn(X, y):
        scores = model(X)
        data = autograd.sum([(1 - yi * s).relu() for yi, s in zip(y, scores)]) * (1.0 / len(y))
        return data + 1e-4 * autograd.dot(params, params)

    calls = []
    for _ in range(4):
        calls.append((batch(rng, 10, 3, 2.0), [rng.choice([-1.0, 1.0]) for _ in range(10)]))
    step = assert_same_as_engine(loss_fn, params, calls)
    assert step.traces == 1 and step.compiled_calls == 3


def test_mse_regression_matches_the_engine_over_training_steps():
    rng = random.Random(3)
    model = nn.MLP(4, [5, 2], activation="tanh", seed=1)
    params = model.parameters()
    step = autograd.jit(lambda X, Y: F.mse_loss(model(X), Y))
    for _ in range(4):
        X, Y = batch(rng, 6, 4), batch(rng, 6, 2)
        assert_same_as_engine(lambda X, Y: F.mse_loss(model(X), Y), params, [(X, Y)], step)
        for p in params:
            p.data -= 0.1 * p.grad


def test_gradients_accumulate_into_existing_grads_as_backward_does():
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


def test_edge_numbers_give_the_engines_bits():
    # inf, nan, -0.0 and subnormals among the data: the generated code does the engine's floats
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    params = model.parameters()
    fn = lambda X, y: F.mse_loss(model(X), y)  # noqa: E731
    calls = [([[0.5, -1.0]], [1.0]), ([[-0.0, 5e-324]], [-0.0]), ([[1e308, -1e308]], [0.0]),
             ([[math.inf, 1.0]], [1.0]), ([[math.nan, 0.0]], [2.0])]
    assert_same_as_engine(fn, params, calls)


# -- guards -----------------------------------------------------------------------------------------------
def test_other_argument_sizes_get_their_own_trace():
    model = nn.MLP(2, [4, 1], seed=0)
    params = model.parameters()
    fn = lambda X, y: F.mse_loss(model(X), y)  # noqa: E731
    rng = random.Random(0)
    calls = [(batch(rng, n, 2), [rng.random() for _ in range(n)]) for n in (3, 5, 3, 5, 1)]
    step = assert_same_as_engine(fn, params, calls)
    assert step.traces == 3 and step.compiled_calls == 2


def test_a_relu_dot_pre_activation_turning_inf_or_nan_runs_on_the_engine():
    # the engine builds relu(dot) as one node only for a finite pre-activation; for inf or nan it
    # keeps the dot and the relu apart (so 0 * inf = nan still flows where relu masks): the trace
    # of the finite case must not be replayed on it
    model = nn.MLP(2, [3, 1], seed=0)
    params = model.parameters()
    fn = lambda X, y: F.mse_loss(model(X), y)  # noqa: E731
    calls = [([[0.5, -1.0]], [1.0]), ([[-math.inf, 1.0]], [1.0]), ([[math.nan, 1.0]], [1.0]),
             ([[0.25, 2.0]], [0.0])]
    step = assert_same_as_engine(fn, params, calls)
    assert step.engine_calls == 3 and step.compiled_calls == 1
    assert "relu(dot)" in step.last_fallback or step.compiled_calls == 1


def test_the_first_call_is_the_engine_and_source_shows_the_code():
    w = Value(2.0)
    step = autograd.jit(lambda x: (w * x).tanh())
    assert step(0.5) == math.tanh(1.0)
    assert "def " in step.source and "TANH" in step.source
    assert step.traces == 1 and step.engine_calls == 1
    w.grad = 0.0
    step(0.25)
    assert same(w.grad, 0.25 * (1 - math.tanh(0.5) ** 2)) or abs(w.grad - 0.25 * (1 - math.tanh(0.5) ** 2)) < 1e-15
    assert step.compiled_calls == 1


# -- arguments ----------------------------------------------------------------------------------------------
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
