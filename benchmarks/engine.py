"""How fast is chainrule's engine, side by side with micrograd and a pure-float floor, in one process.

Workloads:
  1. micrograd's demo step: MLP(2, [16, 16, 1]) on 100 two-moons points, hinge loss
     relu(1 - y * score) averaged plus 1e-4 times the sum of squared parameters; one forward,
     backward and SGD update. The three contenders start from the same weights:
       - chainrule, as a user writes it;
       - micrograd 0.1.0, as its demo writes it;
       - the float floor: the same step on plain floats with a hand-written backward, as fast as
         plain Python allows (`sum(map(mul, w, x), b)` per neuron, no work for inactive ReLUs or for
         samples past the hinge margin). It gives chainrule's gradients bit for bit (checked);
       - chainrule's step compiled by `autograd.jit` (traced before timing; its gradients are
         checked bit for bit against the engine's).
  2. An epoch of the handwritten digits (`nn.data.load_digits`, 1797 images of 8x8 pixels):
     MLP(64, [32, 10]), softmax cross-entropy, mini-batches of 32, SGD with lr 0.1, the same
     batches for every engine:
       - chainrule, the loop a user writes (forward, loss, zero_grad, backward, step);
       - the same loop with its forward and backward compiled by `autograd.jit`;
       - the same epoch by `nn.fit`, and by `nn.fit(jit=True)` (its steps compiled by
         `autograd.jit`); all three are checked to end with the loop's weights, bit for bit;
       - the float floor: the same steps on plain floats with a hand-written backward, checked to
         give chainrule's loss and gradients bit for bit;
       - micrograd 0.1.0, its MLP with exp and log written as its own ops are: only the first 2
         batches are timed (a batch takes seconds), extrapolated to the epoch's 1797 samples.
     Every contender but micrograd runs one untimed epoch first (the jit's traces, warm caches).
  3. A pairwise sum of 100,000 leaves written op by op (`a + b`, level by level): an ordinary graph a
     student writes, with no fused node to hide behind. With the garbage collector on and off.
  4. A chain `y = y * x + x` of 1e4, 1e5 and 1e6 ops: the cost per op should not grow with depth
     (collector off); with it on, the collector's rescans of the live graph are what grows.
  5. Bytes per graph node (tracemalloc), and `backward(create_graph=True)` on the demo's loss.

Timing is fair to every engine: `gc.collect()` before every timed run, the engines take turns in
every round, CPU time (`time.process_time`), and each ratio is the median of the per-round ratios
(the machines are shared and noisy: read the ratios, not the seconds). Progress goes to stderr.
micrograd is measured when importable (`pip install micrograd==0.1.0`, or `make bench`).

    python benchmarks/engine.py [--rounds 15] [--quick]
"""
from __future__ import annotations

import argparse
import gc
import statistics
import struct
import sys
import threading
import time
import tracemalloc
from functools import reduce
from math import exp, log
from operator import add, mul
from typing import Callable

import autograd
import nn
import nn.functional as F
from autograd import Value
from nn.data import DataLoader, load_digits, make_moons
from nn.optim import SGD

try:
    import micrograd.engine as micrograd_engine
    import micrograd.nn as micrograd_nn
except ImportError:  # the comparison columns are left empty
    micrograd_engine = micrograd_nn = None

LR = 0.01
L2 = 1e-4
Times = dict[str, float]  # phase name -> CPU seconds of one run


def progress(text: str) -> None:
    sys.stderr.write(f"\r\x1b[K{text}")
    sys.stderr.flush()


def race(contenders: dict[str, Callable[[], Times]], rounds: int, what: str,
         gc_on: bool = True) -> dict[str, list[Times]]:
    """Run every contender once per round, in turns, each after a full collection."""
    results: dict[str, list[Times]] = {name: [] for name in contenders}
    for r in range(rounds):
        for name, run in contenders.items():
            progress(f"{what}: round {r + 1}/{rounds}, {name}")
            gc.collect()
            if not gc_on:
                gc.disable()
            try:
                results[name].append(run())
            finally:
                gc.enable()
    return results


def median_of(runs: list[Times], phase: str) -> float:
    return statistics.median(t[phase] for t in runs)


def median_ratio(slow: list[Times], fast: list[Times], phase: str) -> float:
    """The median over rounds of slow/fast, both timed in the same round."""
    return statistics.median(s[phase] / f[phase] for s, f in zip(slow, fast))


# -- the demo step, three ways -----------------------------------------------------------------------
def moons(n: int = 100) -> tuple[list[list[float]], list[float]]:
    X, y = make_moons(n, noise=0.1, seed=1337)  # micrograd demo's data
    return X, [1.0 if label == 1 else -1.0 for label in y]


def chainrule_step(model: "nn.MLP", X: list, y: list) -> Callable[[], Times]:
    params = model.parameters()

    def step() -> Times:
        start = time.process_time()
        scores = model(X)
        data_loss = autograd.sum([(1 - yi * s).relu() for yi, s in zip(y, scores)]) * (1.0 / len(y))
        loss = data_loss + L2 * autograd.dot(params, params)
        forward = time.process_time()
        model.zero_grad()
        loss.backward()
        backward = time.process_time()
        with autograd.no_grad():
            for p in params:
                p.data -= LR * p.grad
        end = time.process_time()
        step.loss = loss.data
        return {"step": end - start, "forward": forward - start, "backward": backward - forward}

    return step


def micrograd_step(model: object, X: list, y: list) -> Callable[[], Times]:
    V = micrograd_engine.Value

    def step() -> Times:
        start = time.process_time()
        scores = [model([V(a), V(b)]) for a, b in X]
        losses = [(1 + -yi * s).relu() for yi, s in zip(y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + L2 * sum(p * p for p in model.parameters())
        forward = time.process_time()
        model.zero_grad()
        loss.backward()
        backward = time.process_time()
        for p in model.parameters():
            p.data -= LR * p.grad
        end = time.process_time()
        step.loss = loss.data
        return {"step": end - start, "forward": forward - start, "backward": backward - forward}

    return step


class FloatMLP:
    """The demo's MLP on plain floats, with the weights of a chainrule `nn.MLP`: `layers[i]` is
    (one weight list per neuron, the biases); hidden layers are ReLU, the last one linear."""

    def __init__(self, model: "nn.MLP") -> None:
        self.layers = [([[w.data for w in n.w] for n in layer.neurons],
                        [n.b.data for n in layer.neurons]) for layer in model.layers]
        self.grads: list[float] = []  # after a step, in the order of model.parameters()


def floor_step(net: FloatMLP, X: list, y: list) -> Callable[[], Times]:
    """The demo step with a hand-written backward that adds every gradient in chainrule's order
    (samples in order, then the L2 term; a layer's neurons in order), so the sums agree bitwise.
    Adding the zero gradients of inactive ReLUs would change no bit, so they are skipped."""
    inv = 1.0 / len(X)

    def step() -> Times:
        start = time.process_time()
        layers = net.layers
        *hidden, (out_ws, out_bs) = layers
        total, active = 0.0, []
        square_sum = 0.0
        for ws, bs in layers:
            for w, b in zip(ws, bs):
                square_sum = sum(map(mul, w, w), square_sum) + b * b
        for x, t in zip(X, y):
            acts = [x]
            for ws, bs in hidden:
                h = acts[-1]
                acts.append([0.0 if d <= 0 else d
                             for d in [sum(map(mul, w, h), b) for w, b in zip(ws, bs)]])
            margin = 1.0 - t * sum(map(mul, out_ws[0], acts[-1]), out_bs[0])
            if margin > 0:  # samples past the margin pass no gradient back
                total += margin
                active.append((acts, t))
        loss = total * inv + L2 * square_sum
        forward = time.process_time()

        grads = [([[0.0] * len(w) for w in ws], [0.0] * len(bs)) for ws, bs in layers]
        last = len(layers) - 1
        for acts, t in active:
            g_out = [-inv * t]  # d loss / d score, through the mean, 1 - m and t * score
            for i in range(last, -1, -1):
                (ws, _), (gws, gbs), h = layers[i], grads[i], acts[i]
                outs = acts[i + 1] if i < last else None
                g_in = [0.0] * len(h)
                for j, g in enumerate(g_out):
                    if outs is not None and outs[j] <= 0:  # an inactive ReLU: nothing flows back
                        continue
                    gws[j] = [a + g * v for a, v in zip(gws[j], h)]
                    gbs[j] += g
                    if i:
                        g_in = [a + g * w for a, w in zip(g_in, ws[j])]
                g_out = g_in
        g_l2 = 1.0 * L2  # d loss / d (sum of squares); each parameter appears twice in p . p
        flat = []
        for (ws, bs), (gws, gbs) in zip(layers, grads):
            for j, (w, gw) in enumerate(zip(ws, gws)):
                gw = [g + g_l2 * p + g_l2 * p for g, p in zip(gw, w)]
                gb = gbs[j] + g_l2 * bs[j] + g_l2 * bs[j]
                flat += gw
                flat.append(gb)
                ws[j] = [p - LR * g for p, g in zip(w, gw)]
                bs[j] -= LR * gb
        backward = time.process_time()  # the update is folded into the last loop
        net.grads = flat
        step.loss = loss
        return {"step": backward - start, "forward": forward - start, "backward": backward - forward}

    return step


def same_bits(a: float, b: float) -> bool:
    return struct.pack("<d", a) == struct.pack("<d", b)


def demo_contenders(X: list, y: list) -> tuple[dict[str, Callable[[], Times]], "nn.MLP"]:
    """Three steps from the same weights, after checking that they compute the same step."""
    ours_model = nn.MLP(2, [16, 16, 1], seed=0)
    net = FloatMLP(ours_model)
    contenders = {"chainrule": chainrule_step(ours_model, X, y), "floor": floor_step(net, X, y)}
    if micrograd_nn is not None:
        theirs = micrograd_nn.MLP(2, [16, 16, 1])
        for mine, its in zip(ours_model.parameters(), theirs.parameters(), strict=True):
            its.data = mine.data
        contenders["micrograd"] = micrograd_step(theirs, X, y)
    for step in contenders.values():
        step()
    ours, floor = contenders["chainrule"], contenders["floor"]
    assert same_bits(ours.loss, floor.loss), (ours.loss, floor.loss)
    ours_grads = [p.grad for p in ours_model.parameters()]
    mismatches = [i for i, (a, b) in enumerate(zip(ours_grads, net.grads)) if not same_bits(a, b)]
    assert not mismatches, f"the floor's gradients differ from chainrule's at {mismatches[:5]}"
    if "micrograd" in contenders:
        assert abs(ours.loss - contenders["micrograd"].loss) < 1e-9
    return contenders, ours_model


# -- the demo step compiled by autograd.jit -------------------------------------------------------------
def demo_loss(model: "nn.MLP") -> Callable:
    """The demo's loss as a function of the data and the labels (both arguments of a jit step)."""
    params = model.parameters()

    def loss_fn(X: list, y: list) -> Value:
        scores = model(X)
        data_loss = autograd.sum([(1 - yi * s).relu() for yi, s in zip(y, scores)]) * (1.0 / len(y))
        return data_loss + L2 * autograd.dot(params, params)

    return loss_fn


def jit_step(model: "nn.MLP", X: list, y: list) -> Callable[[], Times]:
    """The chainrule step with `loss.backward()` replaced by the compiled step (zero_grad and the
    update as in chainrule_step); forward and backward are one call, so only the step is timed."""
    params = model.parameters()
    compiled = autograd.jit(demo_loss(model))

    def step() -> Times:
        start = time.process_time()
        model.zero_grad()
        step.loss = compiled(X, y)
        with autograd.no_grad():
            for p in params:
                p.data -= LR * p.grad
        return {"step": time.process_time() - start}

    step.compiled = compiled
    return step


def jit_contenders(X: list, y: list) -> dict[str, Callable[[], Times]]:
    """The jit step, from the weights the others start from, after checking on two steps (the
    trace, then a compiled one) that its losses and gradients are the engine's bit for bit."""
    reference, compiled = nn.MLP(2, [16, 16, 1], seed=0), nn.MLP(2, [16, 16, 1], seed=0)
    engine_loss, run = demo_loss(reference), jit_step(compiled, X, y)
    for _ in range(2):
        reference.zero_grad()
        loss = engine_loss([[Value(a) for a in x] for x in X], [Value(t) for t in y])
        loss.backward()
        for p in reference.parameters():
            p.data -= LR * p.grad
        run()
        assert same_bits(run.loss, loss.data), (run.loss, loss.data)
        assert all(same_bits(a.grad, b.grad)
                   for a, b in zip(reference.parameters(), compiled.parameters()))
    assert run.compiled.compiled_calls == 1, run.compiled.last_fallback
    return {"jit": run}


def jit_ratio_line(demo: dict[str, list[Times]]) -> str:
    ratio = median_ratio(demo["jit"], demo["floor"], "step")
    return (f"demo step, autograd.jit: {ratio:.2f}x the float floor (target <= 0.8x), "
            f"{median_ratio(demo['chainrule'], demo['jit'], 'step'):.1f}x faster than the engine")


def create_graph_run(model: "nn.MLP", X: list, y: list) -> Callable[[], Times]:
    params = model.parameters()

    def run() -> Times:
        scores = model(X)
        loss = autograd.sum([(1 - yi * s).relu() for yi, s in zip(y, scores)]) * (1.0 / len(y))
        loss = loss + L2 * autograd.dot(params, params)
        start = time.process_time()
        loss.backward(create_graph=True)
        seconds = time.process_time() - start
        for p in params:
            p.grad = 0.0
        return {"pass": seconds}

    return run


# -- a digits epoch, four ways -----------------------------------------------------------------------
DIGITS_SIZES = [32, 10]  # MLP(64, [32, 10]): 64 pixels, 32 ReLU neurons, 10 class scores
DIGITS_BATCH = 32
DIGITS_LR = 0.1


def digits_loader(X: list, y: list) -> DataLoader:
    return DataLoader(X, y, batch_size=DIGITS_BATCH, seed=0)  # the same batches for every engine


def digits_hand_loop(model: "nn.MLP", loader: DataLoader) -> Callable[[], Times]:
    """An epoch of the loop a user writes: forward, cross-entropy, zero_grad, backward, SGD."""
    optimizer = SGD(model.parameters(), lr=DIGITS_LR)

    def epoch() -> Times:
        start = time.process_time()
        for xb, yb in loader:
            loss = F.cross_entropy(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return {"epoch": time.process_time() - start}

    return epoch


def digits_jit_loop(model: "nn.MLP", loader: DataLoader) -> Callable[[], Times]:
    """The hand-written loop with its step compiled by `autograd.jit`: zero_grad, the compiled
    forward and backward, SGD (as jit_step for the demo)."""
    optimizer = SGD(model.parameters(), lr=DIGITS_LR)
    compiled = autograd.jit(lambda xb, yb: F.cross_entropy(model(xb), yb))

    def epoch() -> Times:
        start = time.process_time()
        for xb, yb in loader:
            optimizer.zero_grad()
            compiled(xb, yb)
            optimizer.step()
        return {"epoch": time.process_time() - start}

    return epoch


def digits_fit(model: "nn.MLP", loader: DataLoader, jit: bool = False) -> Callable[[], Times]:
    """The same epoch by `nn.fit` (which also records the loss, accuracy and gradient norm);
    with jit=True its steps compiled by `autograd.jit`."""
    optimizer = SGD(model.parameters(), lr=DIGITS_LR)

    def epoch() -> Times:
        start = time.process_time()
        nn.fit(model, F.cross_entropy, optimizer, loader, epochs=1, progress=False, jit=jit)
        return {"epoch": time.process_time() - start}

    return epoch


def digits_floor_step(net: FloatMLP, X: list, y: list) -> float:
    """One step of the digits MLP on plain floats with a hand-written backward: softmax
    cross-entropy averaged over the batch, SGD. Gradients are added in chainrule's order (samples
    in order; a hidden unit's gradient over the output neurons in order), so the sums agree
    bitwise; inactive ReLUs pass nothing back and are skipped. Returns the loss."""
    (w1, b1), (w2, b2) = net.layers
    g_term = 1.0 / len(X)  # d mean / d term_i
    gw1, gb1 = [[0.0] * len(w) for w in w1], [0.0] * len(b1)
    gw2, gb2 = [[0.0] * len(w) for w in w2], [0.0] * len(b2)
    total = 0.0
    for x, t in zip(X, y):
        h = [0.0 if d <= 0 else d for d in [sum(map(mul, w, x), b) for w, b in zip(w1, b1)]]
        scores = [sum(map(mul, w, h), b) for w, b in zip(w2, b2)]
        m = max(scores)
        shifted = [s - m for s in scores]
        log_total = log(sum(map(exp, shifted)))
        total += log_total - shifted[t]
        # d term / d score_k = softmax_k - [k == t]
        g_scores = [g_term * exp(s - log_total) for s in shifted]
        g_scores[t] = g_term * (exp(shifted[t] - log_total) - 1.0)
        g_h = [0.0] * len(h)
        for k, g in enumerate(g_scores):
            gw2[k] = [a + g * v for a, v in zip(gw2[k], h)]
            gb2[k] += g
            g_h = [a + g * w for a, w in zip(g_h, w2[k])]
        for j, g in enumerate(g_h):
            if h[j] > 0 and g != 0.0:  # an inactive ReLU: nothing flows back
                gw1[j] = [a + g * v for a, v in zip(gw1[j], x)]
                gb1[j] += g
    for (ws, bs), (gws, gbs) in zip(net.layers, ((gw1, gb1), (gw2, gb2))):
        for j, (w, gw) in enumerate(zip(ws, gws)):
            ws[j] = [p + -DIGITS_LR * g for p, g in zip(w, gw)]
            bs[j] += -DIGITS_LR * gbs[j]
    net.grads = [g for gws, gbs in ((gw1, gb1), (gw2, gb2))
                 for gw, gb in zip(gws, gbs) for g in (*gw, gb)]
    return total / len(X)


def digits_floor(net: FloatMLP, loader: DataLoader) -> Callable[[], Times]:
    def epoch() -> Times:
        start = time.process_time()
        for xb, yb in loader:
            digits_floor_step(net, xb, yb)
        return {"epoch": time.process_time() - start}

    return epoch


def micrograd_exp(v: object) -> object:
    """e^v as a micrograd node, written as micrograd writes its ops (it has no exp or log)."""
    out = micrograd_engine.Value(exp(v.data), (v,), "exp")

    def _backward() -> None:
        v.grad += out.data * out.grad
    out._backward = _backward
    return out


def micrograd_log(v: object) -> object:
    out = micrograd_engine.Value(log(v.data), (v,), "log")

    def _backward() -> None:
        v.grad += out.grad / v.data
    out._backward = _backward
    return out


def micrograd_digits_step(model: object, X: list, y: list) -> float:
    """One step of the digits MLP in micrograd: its MLP, cross-entropy from its ops plus exp and
    log, backward, SGD. Returns the loss."""
    V = micrograd_engine.Value
    terms = []
    for x, t in zip(X, y):
        scores = model([V(v) for v in x])
        m = max(s.data for s in scores)
        shifted = [s - m for s in scores]
        terms.append(micrograd_log(sum(micrograd_exp(s) for s in shifted)) - shifted[t])
    loss = sum(terms) * (1.0 / len(terms))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= DIGITS_LR * p.grad
    return loss.data


def micrograd_digits_batches(model: object, loader: DataLoader, batches: int) -> Callable[[], Times]:
    """The first `batches` batches of an epoch in micrograd, each timed after a collection;
    "epoch" is their time extrapolated to the epoch's samples."""
    def run() -> Times:
        seconds, samples = 0.0, 0
        for _, (xb, yb) in zip(range(batches), loader):
            gc.collect()
            start = time.process_time()
            micrograd_digits_step(model, xb, yb)
            seconds += time.process_time() - start
            samples += len(xb)
        return {"epoch": seconds * len(loader.X) / samples}

    return run


def digits_contenders(micrograd_batches: int) -> dict[str, Callable[[], Times]]:
    """An epoch of the digits each way, all from the same weights, after checking that they
    compute the same step: the floor's loss and gradients equal chainrule's bit for bit, and
    micrograd's loss equals chainrule's to rounding. (fit's weights are checked against the hand
    loop's after the race.)"""
    X, y = load_digits()
    xb, yb = next(iter(digits_loader(X, y)))
    check = nn.MLP(64, DIGITS_SIZES, seed=0)
    floor_net = FloatMLP(check)
    loss = F.cross_entropy(check(xb), yb)
    loss.backward()
    floor_loss = digits_floor_step(floor_net, xb, yb)
    assert same_bits(loss.data, floor_loss), (loss.data, floor_loss)
    mismatches = [i for i, (p, g) in enumerate(zip(check.parameters(), floor_net.grads))
                  if not same_bits(p.grad, g)]
    assert not mismatches, f"the floor's gradients differ from chainrule's at {mismatches[:5]}"

    names = ("chainrule", "jit", "fit", "fit jit", "floor")
    models = {name: nn.MLP(64, DIGITS_SIZES, seed=0) for name in names}
    contenders = {"chainrule": digits_hand_loop(models["chainrule"], digits_loader(X, y)),
                  "jit": digits_jit_loop(models["jit"], digits_loader(X, y)),
                  "fit": digits_fit(models["fit"], digits_loader(X, y)),
                  "fit jit": digits_fit(models["fit jit"], digits_loader(X, y), jit=True),
                  "floor": digits_floor(FloatMLP(models["floor"]), digits_loader(X, y))}
    for name in names:  # a first epoch untimed: the jit's traces, every cache warm
        contenders[name]()
    if micrograd_nn is not None:
        theirs = micrograd_nn.MLP(64, DIGITS_SIZES)
        for mine, its in zip(nn.MLP(64, DIGITS_SIZES, seed=0).parameters(), theirs.parameters(),
                             strict=True):
            its.data = mine.data
        assert abs(micrograd_digits_step(theirs, xb, yb) - loss.data) < 1e-9
        contenders["micrograd"] = micrograd_digits_batches(theirs, digits_loader(X, y),
                                                           micrograd_batches)
    for name in ("chainrule", "jit", "fit", "fit jit"):
        contenders[name].model = models[name]
    return contenders


# -- graphs written op by op --------------------------------------------------------------------------
def pairwise_sum(V: type, n: int) -> Callable[[], Times]:
    def run() -> Times:
        level = [V(float(i % 7)) for i in range(n)]
        start = time.process_time()
        while len(level) > 1:
            nxt = [a + b for a, b in zip(level[::2], level[1::2])]
            if len(level) % 2:
                nxt.append(level[-1])
            level = nxt
        middle = time.process_time()
        level[0].backward()
        end = time.process_time()
        ops = n - 1
        return {"fwd+bwd": (end - start) / ops, "backward": (end - middle) / ops}

    return run


def chain(V: type, ops: int, deep: bool = False) -> Callable[[], Times]:
    def build_and_run() -> float:
        x = V(1.0)
        y = x
        start = time.process_time()
        for _ in range(ops // 2):
            y = y * x + x
        y.backward()
        seconds = time.process_time() - start
        chain.keep = y  # freed outside the timed part
        return seconds

    def run() -> Times:
        seconds = deep_recursion(build_and_run) if deep else build_and_run()
        chain.keep = None
        return {"per op": seconds / ops}

    return run


def deep_recursion(func: Callable[[], float]) -> float:
    """Run func in a thread with a 1 GiB stack: micrograd's backward recurses once per node."""
    limit = sys.getrecursionlimit()
    result: list = []
    threading.stack_size(1 << 30)
    sys.setrecursionlimit(10 ** 8)
    try:
        worker = threading.Thread(target=lambda: result.append(func()))
        worker.start()
        worker.join()
    finally:
        sys.setrecursionlimit(limit)
        threading.stack_size(0)
    return result[0]


def bytes_per_node(V: type, n: int = 20_000) -> float:
    gc.collect()
    tracemalloc.start()
    x = V(0.5)
    y = x
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(n):
        y = y * x + x  # two nodes, no constants
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / (2 * n)


# -- the report -------------------------------------------------------------------------------------
COLUMNS = ("chainrule", "jit", "micrograd", "floor")


def table_row(name: str, unit: str, values: dict[str, float | None], scale: float) -> str:
    cells = "".join(f"{'-':>12}" if values.get(c) is None else f"{values[c] * scale:>12.3f}"
                    for c in COLUMNS)
    return f"{name:<44}{unit:<11}{cells}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="rounds of the demo step")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, no 1e6 chain")
    args = parser.parse_args(argv)
    have_micrograd = micrograd_engine is not None
    rounds = 5 if args.quick else args.rounds
    small_rounds = max(3, rounds // 3)
    rows: list[str] = []
    ratios: list[str] = []

    # 1. the demo step
    X, y = moons()
    contenders, model = demo_contenders(X, y)
    contenders.update(jit_contenders(X, y))
    demo = race(contenders, rounds, "demo step")
    for phase in ("step", "forward", "backward"):
        name = "demo step (MLP 2-16-16-1, 100 moons)" if phase == "step" else f"  {phase}"
        rows.append(table_row(name, "ms", {c: median_of(demo[c], phase) for c in demo
                                           if phase in demo[c][0]}, 1e3))
    floor_ratio = median_ratio(demo["chainrule"], demo["floor"], "step")
    line = f"demo step: {floor_ratio:.2f}x the float floor (target <= 2.9x)"
    if have_micrograd:
        line += (f"; {median_ratio(demo['micrograd'], demo['chainrule'], 'step'):.1f}x faster than "
                 f"micrograd (the floor: {median_ratio(demo['micrograd'], demo['floor'], 'step'):.1f}x)")
    ratios.append(line)
    ratios.append(jit_ratio_line(demo))

    # 2. an epoch of the handwritten digits
    digits = digits_contenders(micrograd_batches=2)
    result = race(digits, small_rounds, "digits epoch")
    hand = digits["chainrule"].model.state_dict()
    for name in ("jit", "fit", "fit jit"):
        assert digits[name].model.state_dict() == hand, f"{name}: weights differ from the loop's"
    rows.append(table_row("digits epoch (MLP 64-32-10, batch 32)", "s",
                          {c: median_of(result[c], "epoch") for c in result if "fit" not in c}, 1))
    rows.append(table_row("  the same epoch by nn.fit (jit=True)", "s",
                          {"chainrule": median_of(result["fit"], "epoch"),
                           "jit": median_of(result["fit jit"], "epoch")}, 1))
    line = (f"digits epoch: {median_ratio(result['chainrule'], result['floor'], 'epoch'):.2f}x "
            f"the float floor (target <= 3.5x)")
    if have_micrograd:
        line += (f"; {median_ratio(result['micrograd'], result['chainrule'], 'epoch'):.0f}x faster "
                 f"than micrograd (its epoch extrapolated from 2 batches)")
    ratios.append(line)
    ratios.append(f"digits epoch by nn.fit: "
                  f"{median_ratio(result['fit'], result['chainrule'], 'epoch'):.3f}x the "
                  f"hand-written loop (target <= 1.1x; the same weights, checked)")
    ratios.append(f"digits epoch, autograd.jit: "
                  f"{median_ratio(result['jit'], result['floor'], 'epoch'):.2f}x the float floor "
                  f"(target <= 0.8x), {median_ratio(result['chainrule'], result['jit'], 'epoch'):.1f}x "
                  f"faster than the engine's loop (the same weights, checked)")
    ratios.append(f"digits epoch by nn.fit(jit=True): "
                  f"{median_ratio(result['fit jit'], result['floor'], 'epoch'):.2f}x the float "
                  f"floor, {median_ratio(result['fit jit'], result['jit'], 'epoch'):.3f}x the "
                  f"compiled loop (fit also checks the loss, gradient norm and weights, and "
                  f"records the accuracy)")

    # 3. the pairwise sum, op by op
    n = 100_000
    V_theirs = micrograd_engine.Value if have_micrograd else None
    for gc_on in (True, False):
        runs = {"chainrule": pairwise_sum(Value, n)}
        if have_micrograd:
            runs["micrograd"] = pairwise_sum(V_theirs, n)
        state = "on" if gc_on else "off"
        result = race(runs, small_rounds, f"pairwise sum, gc {state}", gc_on=gc_on)
        for phase in ("fwd+bwd", "backward"):
            rows.append(table_row(f"pairwise sum 100k, gc {state}: {phase}", "us/op",
                                  {c: median_of(result[c], phase) for c in result}, 1e6))
            if have_micrograd:
                target = {("fwd+bwd", True): " (target >= 4x)",
                          ("fwd+bwd", False): " (target >= 1.5x)"}.get((phase, gc_on), "")
                ratios.append(f"pairwise sum, gc {state}, {phase}: "
                              f"{median_ratio(result['micrograd'], result['chainrule'], phase):.2f}x "
                              f"micrograd{target}")

    # 4. deep chains
    sizes = (10_000, 100_000) if args.quick else (10_000, 100_000, 1_000_000)
    per_op: dict[int, float] = {}
    for ops in sizes:
        big = ops >= 1_000_000
        runs = {"chainrule": chain(Value, ops)}
        if have_micrograd and (not big or not args.quick):
            runs["micrograd"] = chain(V_theirs, ops, deep=True)
        result = race(runs, 3 if big else small_rounds, f"chain of {ops:.0e} ops, gc off",
                      gc_on=False)
        per_op[ops] = median_of(result["chainrule"], "per op")
        rows.append(table_row(f"chain of {ops:.0e} ops, gc off", "us/op",
                              {c: median_of(result[c], "per op") for c in result}, 1e6))
        if big:
            on = race({"chainrule": chain(Value, ops)}, 3, f"chain of {ops:.0e} ops, gc on")
            rows.append(table_row(f"chain of {ops:.0e} ops, gc on", "us/op",
                                  {"chainrule": median_of(on["chainrule"], "per op")}, 1e6))
            extra = median_of(on["chainrule"], "per op") - per_op[ops]
            ratios.append(f"chain of 1e6 ops: the collector's rescans add {extra * 1e6:.2f} us/op "
                          f"({extra / per_op[ops]:.0%} of the gc-off time)")
    smallest, largest = min(per_op), max(per_op)
    ratios.append(f"chain, cost per op at {largest:.0e} / at {smallest:.0e} ops (gc off): "
                  f"{per_op[largest] / per_op[smallest]:.2f} (flat is 1)")

    # 5. memory and create_graph
    progress("memory per node")
    ours_bytes = bytes_per_node(Value)
    theirs_bytes = bytes_per_node(V_theirs) if have_micrograd else None
    rows.append(table_row("memory per node", "bytes", {"chainrule": ours_bytes,
                                                       "micrograd": theirs_bytes}, 1))
    if have_micrograd:
        ratios.append(f"memory per node: {ours_bytes / theirs_bytes:.2f}x micrograd's "
                      f"(target <= 0.2x)")
    result = race({"chainrule": create_graph_run(model, X, y)}, small_rounds, "create_graph")
    rows.append(table_row("backward(create_graph=True), demo loss", "ms",
                          {"chainrule": median_of(result["chainrule"], "pass")}, 1e3))
    progress("")

    header = f"{'workload':<44}{'unit':<11}" + "".join(f"{c:>12}" for c in COLUMNS)
    print(header)
    print("\n".join(rows))
    print("\nratios (medians of per-round ratios):")
    print("\n".join(f"  {line}" for line in ratios))
    if not have_micrograd:
        print("(micrograd is not installed: pip install micrograd==0.1.0 for the comparison)")


if __name__ == "__main__":
    main()
