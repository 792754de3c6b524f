"""Training inside nn.trace_modules / record_scopes must not keep every step's graph alive."""
import gc
import tracemalloc

import pytest

import nn


def test_training_inside_trace_modules_stops_recording_and_frees_old_graphs():
    model = nn.MLP(2, [8, 8, 1], seed=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.01)
    X, y = [[0.5, -1.0]] * 20, [1.0] * 20
    loss_fn = nn.MSELoss()

    def step():
        loss = loss_fn(model(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

    with pytest.warns(RuntimeWarning, match="records no more"):
        with nn.trace_modules(model, max_nodes=2000) as groups:
            for _ in range(5):  # fills the recording (one step records 20 * 17 nodes)
                step()
            gc.collect()
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
            for _ in range(20):
                step()
            gc.collect()
            grown = tracemalloc.get_traced_memory()[0] - before
            tracemalloc.stop()
    # one step's graph is ~800 nodes, ~150 kB; 20 kept graphs would be ~3 MB
    assert grown < 300_000
    assert 0 < len(groups) <= 2000


def test_trace_modules_records_without_limit_when_asked():
    model = nn.MLP(2, [4, 1], seed=0)
    with nn.trace_modules(model, max_nodes=None) as groups:
        for _ in range(3):
            model([[1.0, 2.0]] * 100)
    assert len(groups) == 3 * 100 * 5  # four ReLU neurons (one node each), one linear neuron
