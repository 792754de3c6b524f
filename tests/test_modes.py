"""no_grad, enable_grad, detect_anomaly and scope recording."""
import pytest

import autograd
from autograd import Value


def test_no_grad_builds_no_graph_and_restores_afterwards():
    x = Value(2.0)
    assert autograd.is_grad_enabled()
    with autograd.no_grad():
        assert not autograd.is_grad_enabled()
        y = (x * 3).tanh()
        with autograd.enable_grad():
            z = x * 3
        with autograd.no_grad():
            pass
        assert not autograd.is_grad_enabled()  # the nested block put back what it found
    assert autograd.is_grad_enabled()
    assert y.is_leaf and y.op is None and y.data == pytest.approx(0.9999877116507956)
    assert z.parents[0] is x


def test_no_grad_as_a_decorator_and_after_an_exception():
    @autograd.no_grad()
    def evaluate(v):
        return v * v

    assert evaluate(Value(3.0)).is_leaf
    with pytest.raises(RuntimeError):
        with autograd.no_grad():
            raise RuntimeError("boom")
    assert autograd.is_grad_enabled()
    assert not (Value(1.0) * 2).is_leaf


def test_detect_anomaly_names_the_op_its_inputs_and_where_they_came_from():
    w, x = Value(400.0, label="w"), Value(3.0, label="x")
    with autograd.detect_anomaly():
        h = w * x
        with pytest.raises(FloatingPointError) as error:
            h.exp()
    message = str(error.value)
    assert "'exp'" in message and "forward" in message and "*(w, x) = 1200.0" in message
    assert h.exp().data == float("inf")  # outside the block: IEEE inf, no error


def test_detect_anomaly_catches_the_backward_pass():
    x = Value(0.0, label="x")
    y = x.sqrt() * 0.0  # forward is finite; d sqrt/dx at 0 is inf, times 0 gives nan
    with autograd.detect_anomaly():
        with pytest.raises(FloatingPointError) as error:
            y.backward()
    assert "backward of op 'sqrt'" in str(error.value) and "input x" in str(error.value)
    y.backward()  # without the checks the nan simply flows, as in PyTorch
    assert x.grad != x.grad


def test_detect_anomaly_as_a_decorator():
    @autograd.detect_anomaly()
    def f(v):
        return v.log()

    with pytest.raises(FloatingPointError, match="'log'"):
        f(Value(-1.0))
    assert f.__name__ == "f"


def test_record_scopes_tags_nodes_with_the_open_scopes():
    x = Value(1.0)
    with autograd.record_scopes() as scopes:
        with autograd.scope("layer 1"):
            h = x * 2
            with autograd.scope("neuron 0"):
                a = h.relu()
        out = a + 1
    assert scopes[h] == ("layer 1",) and scopes[a] == ("layer 1", "neuron 0")
    assert out not in scopes and x not in scopes
    assert not autograd.is_recording_scopes()
    with autograd.scope("ignored"):  # without a recording a scope is a no-op
        assert (x * 2).parents[0] is x
