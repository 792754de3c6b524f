"""Every switch (no_grad, enable_grad, detect_anomaly, record_scopes) is per thread, as torch's grad
mode is. Each test runs real threads, ordered step by step with events so the interleaving the
issue describes happens every time, not by luck."""
import threading
import warnings

import pytest

import autograd
from autograd import Value
from autograd.core.modes import MODE


class Steps:
    """Run `body(wait, done)` in a thread; `wait(name)` blocks until the main thread `go(name)`s."""

    def __init__(self, body):
        self.events: dict[str, threading.Event] = {}
        self.reached: dict[str, threading.Event] = {}
        self.error: BaseException | None = None

        def run():
            try:
                body(self)
            except BaseException as error:  # reported in the main thread by join()
                self.error = error

        self.thread = threading.Thread(target=run, daemon=True)

    def _event(self, table, name):
        return table.setdefault(name, threading.Event())

    # called from the worker
    def at(self, name):
        """The worker has reached `name` and waits until the main thread says go."""
        self._event(self.reached, name).set()
        assert self._event(self.events, name).wait(10), f"main thread never released {name}"

    # called from the main thread
    def start(self):
        self.thread.start()
        return self

    def until(self, name):
        assert self._event(self.reached, name).wait(10), f"worker never reached {name}"

    def go(self, name):
        self._event(self.events, name).set()

    def join(self):
        self.thread.join(10)
        assert not self.thread.is_alive()
        if self.error is not None:
            raise self.error


def test_a_background_no_grad_does_not_stop_the_main_threads_training():
    def evaluate(steps):
        with autograd.no_grad():
            steps.at("inside no_grad")
            assert (Value(2.0) * 3).is_leaf  # the worker itself builds no graph

    worker = Steps(evaluate).start()
    worker.until("inside no_grad")
    w = Value(0.5)
    for _ in range(100):  # the issue: 100 of 100 steps had all-zero gradients
        w.grad = 0.0
        loss = (w * 3.0 - 1.0) ** 2
        loss.backward()
        assert not loss.is_leaf and w.grad == pytest.approx(6 * (0.5 * 3 - 1))
    assert autograd.is_grad_enabled()
    worker.go("inside no_grad")
    worker.join()


def test_interleaved_no_grad_in_two_threads_leaves_grad_mode_on_everywhere():
    def first(steps):
        with autograd.no_grad():
            steps.at("a entered")
        steps.at("a left")
        assert autograd.is_grad_enabled()

    def second(steps):
        with autograd.no_grad():
            steps.at("b entered")
        assert autograd.is_grad_enabled()
        assert not (Value(1.0) * 2).is_leaf

    a, b = Steps(first).start(), Steps(second).start()
    a.until("a entered")
    b.until("b entered")
    a.go("a entered")  # a leaves first, although it entered first: not last in first out
    a.until("a left")
    b.go("b entered")
    b.join()
    a.go("a left")
    a.join()
    assert autograd.is_grad_enabled()
    assert not (Value(1.0) * 2).is_leaf
    assert MODE.slow is False  # every thread is back at the defaults: the fast path again


def test_another_threads_detect_anomaly_does_not_raise_here():
    def watch(steps):
        with autograd.detect_anomaly():
            steps.at("checking")
            with pytest.raises(FloatingPointError):
                Value(0.0).log()

    worker = Steps(watch).start()
    worker.until("checking")
    assert Value(0.0).log().data == float("-inf")  # plain IEEE here, no error
    y = Value(0.0).sqrt() * 0.0
    y.backward()  # nor in the backward pass
    worker.go("checking")
    worker.join()


def test_another_threads_recording_does_not_record_this_threads_nodes():
    recorded = {}

    def record(steps):
        with autograd.record_scopes() as scopes:
            with autograd.scope("worker"):
                steps.at("recording")
                recorded["own"] = Value(1.0) * 2
        recorded.update(scopes)

    worker = Steps(record).start()
    worker.until("recording")
    assert not autograd.is_recording_scopes()
    with autograd.scope("main"):
        mine = Value(1.0) * 3
    worker.go("recording")
    worker.join()
    assert recorded[recorded["own"]] == ("worker",)
    assert mine not in recorded


def test_scopes_recorded_in_two_threads_at_once_stay_apart():
    def record(steps):
        with autograd.record_scopes() as scopes:
            steps.at("recording")
            with autograd.scope("worker"):
                own = Value(1.0) * 2
        assert scopes == {own: ("worker",)}

    worker = Steps(record).start()
    worker.until("recording")
    with autograd.record_scopes() as scopes:
        with autograd.scope("main"):
            worker.go("recording")
            worker.join()
            mine = Value(1.0) * 3
    assert scopes == {mine: ("main",)}


def test_a_thread_started_inside_no_grad_starts_with_the_defaults():
    seen = {}

    def child(steps):
        seen["grad"] = autograd.is_grad_enabled()
        seen["leaf"] = (Value(1.0) * 2).is_leaf
        seen["recording"] = autograd.is_recording_scopes()

    with autograd.no_grad(), autograd.detect_anomaly(), autograd.record_scopes():
        worker = Steps(child).start()
        worker.join()
    assert seen == {"grad": True, "leaf": False, "recording": False}


def test_enable_grad_inside_a_threads_no_grad_is_that_threads_only():
    def worker_body(steps):
        with autograd.no_grad():
            with autograd.enable_grad():
                steps.at("enabled")
                assert not (Value(1.0) * 2).is_leaf
            assert (Value(1.0) * 2).is_leaf

    worker = Steps(worker_body).start()
    worker.until("enabled")
    with autograd.no_grad():
        assert (Value(1.0) * 2).is_leaf  # the worker's enable_grad does not reach this thread
    worker.go("enabled")
    worker.join()


def test_no_grad_on_a_generator_function_applies_while_it_runs_and_only_then():
    @autograd.no_grad()
    def evaluations(x):
        received = yield x * 2
        while received is not None:
            received = yield x * received
        return "done"

    x = Value(3.0)
    gen = evaluations(x)
    first = next(gen)
    assert first.is_leaf and first.data == 6.0
    assert not (x * 2).is_leaf  # between resumptions the caller builds its graph
    second = gen.send(5.0)
    assert second.is_leaf and second.data == 15.0
    with pytest.raises(StopIteration) as stop:
        gen.send(None)
    assert stop.value.value == "done"
    assert autograd.is_grad_enabled()


def test_no_grad_on_a_generator_passes_exceptions_in_and_closes_cleanly():
    log = []

    @autograd.no_grad()
    def worker():
        try:
            yield 1
        except KeyError:
            log.append(("caught", autograd.is_grad_enabled()))
            yield 2
        finally:
            log.append(("finally", autograd.is_grad_enabled()))

    gen = worker()
    assert next(gen) == 1
    assert gen.throw(KeyError("k")) == 2
    gen.close()
    assert log == [("caught", False), ("finally", False)]
    assert autograd.is_grad_enabled() and not MODE.slow


def test_one_no_grad_instance_reused_nested_restores_grad_mode():
    off = autograd.no_grad()
    with off:
        with off:
            assert not autograd.is_grad_enabled()
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()
    on = autograd.enable_grad()
    with autograd.no_grad():
        with on:
            with autograd.no_grad():
                with on:
                    assert autograd.is_grad_enabled()
                assert not autograd.is_grad_enabled()
            assert autograd.is_grad_enabled()
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()


def test_one_no_grad_instance_shared_by_two_threads():
    off = autograd.no_grad()

    def body(steps):
        with off:
            steps.at("inside")
        assert autograd.is_grad_enabled()

    worker = Steps(body).start()
    worker.until("inside")
    with off:
        worker.go("inside")
        worker.join()
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()


def test_backward_with_create_graph_builds_the_graph_even_inside_no_grad():
    x = Value(3.0)
    y = x * x * x
    with autograd.no_grad():
        y.backward(create_graph=True)
    assert not x.grad.is_leaf  # 3 x^2 as a graph, as torch builds it too
    x_grad = x.grad
    x.grad = 0.0
    x_grad.backward()
    assert x.grad == 18.0


def test_recording_stops_with_a_warning_at_max_nodes():
    x = Value(1.0)
    with pytest.warns(RuntimeWarning, match="records no more"):
        with autograd.record_scopes(max_nodes=50) as scopes:
            with autograd.scope("step"):
                for _ in range(200):  # a training loop inside the block, by mistake
                    x * 2
    assert len(scopes) == 50
    with pytest.raises(ValueError, match="max_nodes"):
        autograd.record_scopes(max_nodes=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with autograd.record_scopes(max_nodes=None) as scopes:
            with autograd.scope("step"):
                for _ in range(200):
                    x * 2
    assert len(scopes) == 200


def test_an_outer_grad_in_one_thread_does_not_make_another_threads_grad_symbolic():
    # grad returns floats for numbers, Values only inside the f of an outer grad of the same thread
    inside, outside = threading.Event(), threading.Event()
    seen = {}

    def outer_f(w):
        inside.set()
        outside.wait(5)
        return w * w

    worker = threading.Thread(target=lambda: autograd.grad(outer_f)(3.0), daemon=True)
    worker.start()
    assert inside.wait(5)
    seen["main"] = autograd.grad(lambda x: x * x)(2.0)  # while the worker is inside outer_f
    outside.set()
    worker.join(5)
    assert type(seen["main"]) is float and seen["main"] == 4.0
