"""How fast is chainrule's engine, side by side with micrograd, in one process.

Workloads:
  1. micrograd's classic step: MLP(2, [16, 16, 1]) on 100 two-moons points, hinge loss
     relu(1 - y * score) averaged plus 1e-4 times the sum of squared parameters; one forward,
     backward and SGD update. Both engines start from the same weights and must reach the same loss.
  2. A chain of 1,000,000 nodes: forward and backward.
  3. Bytes allocated per graph node (tracemalloc).

Machines here are noisy, so read the ratios rather than the seconds. micrograd is measured when it is
importable (`pip install micrograd==0.1.0`, or `make bench`, which installs it).

    python benchmarks/engine.py [--repeat 5] [--quick]
"""
from __future__ import annotations

import argparse
import gc
import sys
import threading
import time
import tracemalloc
from typing import Callable

import autograd
import nn
from autograd import Value
from nn.data import make_moons

try:
    import micrograd.engine as micrograd_engine
    import micrograd.nn as micrograd_nn
except ImportError:  # the comparison columns are left empty
    micrograd_engine = micrograd_nn = None


def moons(n: int = 100) -> tuple[list[list[float]], list[float]]:
    X, y = make_moons(n, noise=0.1, seed=1337)  # micrograd demo's data
    return X, [1.0 if label == 1 else -1.0 for label in y]


def best_time(step: Callable[[], object], repeat: int) -> float:
    step()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def chainrule_step(model: "nn.MLP", X: list, y: list, lr: float = 0.01) -> Callable[[], float]:
    params = model.parameters()

    def step() -> float:
        scores = model(X)
        data_loss = autograd.sum([(1 - yi * s).relu() for yi, s in zip(y, scores)]) * (1.0 / len(y))
        loss = data_loss + 1e-4 * autograd.dot(params, params)
        model.zero_grad()
        loss.backward()
        with autograd.no_grad():
            for p in params:
                p.data -= lr * p.grad
        return loss.data

    return step


def micrograd_step(model: object, X: list, y: list, lr: float = 0.01) -> Callable[[], float]:
    V = micrograd_engine.Value

    def step() -> float:
        scores = [model([V(a), V(b)]) for a, b in X]
        losses = [(1 + -yi * s).relu() for yi, s in zip(y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        return loss.data

    return step


def twin_models() -> tuple["nn.MLP", object]:
    """chainrule's MLP and micrograd's with the very same weights."""
    ours = nn.MLP(2, [16, 16, 1], seed=0)
    if micrograd_nn is None:
        return ours, None
    theirs = micrograd_nn.MLP(2, [16, 16, 1])
    for mine, its in zip(ours.parameters(), theirs.parameters(), strict=True):
        its.data = mine.data
    return ours, theirs


def graph_size(root: object) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        # chainrule's Values expose .parents, micrograd's keep ._prev
        for parent in getattr(node, "parents", None) or getattr(node, "_prev", ()):
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def chain(V: type, n: int) -> float:
    start = time.perf_counter()
    x = V(1.0)
    y = x
    for _ in range(n):
        y = y * x + x
    y.backward()
    seconds = time.perf_counter() - start
    del y
    gc.collect()
    return seconds


def deep_recursion(func: Callable, *args: object) -> object:
    """Run func in a thread with a 1 GiB stack: micrograd's backward recurses once per node."""
    limit = sys.getrecursionlimit()
    result: list = []
    threading.stack_size(1 << 30)
    sys.setrecursionlimit(10 ** 8)
    try:
        worker = threading.Thread(target=lambda: result.append(func(*args)))
        worker.start()
        worker.join()
    finally:
        sys.setrecursionlimit(limit)
        threading.stack_size(0)
    return result[0] if result else None


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


def row(name: str, ours: float, theirs: float | None, unit: str, lower_is_better: bool = True) -> str:
    if theirs is None:
        return f"{name:<34}{ours:>14.4g} {unit:<8}{'-':>14}{'-':>12}"
    ratio = theirs / ours if lower_is_better else ours / theirs
    return f"{name:<34}{ours:>14.4g} {unit:<8}{theirs:>14.4g}{ratio:>11.1f}x"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions (best is kept)")
    parser.add_argument("--quick", action="store_true", help="a 100,000-node chain instead of 1M")
    args = parser.parse_args(argv)
    have_micrograd = micrograd_engine is not None
    X, y = moons()

    ours_model, their_model = twin_models()
    ours = chainrule_step(ours_model, X, y)
    theirs = micrograd_step(their_model, X, y) if have_micrograd else None
    if theirs is not None:
        first_ours, first_theirs = ours(), theirs()
        assert abs(first_ours - first_theirs) < 1e-9, (first_ours, first_theirs)

    lines = [f"{'workload':<34}{'chainrule':>14} {'':<8}{'micrograd':>14}{'speed-up':>12}"]
    ours_time = best_time(ours, args.repeat)
    theirs_time = best_time(theirs, max(1, args.repeat // 2)) if theirs else None
    lines.append(row("moons step (MLP 2-16-16-1, 100 pts)", ours_time, theirs_time, "s/step"))

    scores = ours_model(X)
    ours_nodes = graph_size(autograd.sum([(1 - yi * s).relu() for yi, s in zip(y, scores)]))
    theirs_nodes = None
    if have_micrograd:
        V = micrograd_engine.Value
        their_scores = [their_model([V(a), V(b)]) for a, b in X]
        theirs_nodes = graph_size(sum((1 + -yi * s).relu() for yi, s in zip(y, their_scores)))
    lines.append(row("  graph nodes (forward, no L2)", ours_nodes, theirs_nodes, "nodes"))

    n = 100_000 if args.quick else 1_000_000
    ours_chain = chain(Value, n)
    theirs_chain = deep_recursion(chain, micrograd_engine.Value, n) if have_micrograd else None
    lines.append(row(f"chain of {2 * n:,} nodes fwd+bwd", ours_chain, theirs_chain, "s"))

    ours_bytes = bytes_per_node(Value)
    theirs_bytes = bytes_per_node(micrograd_engine.Value) if have_micrograd else None
    lines.append(row("memory per node", ours_bytes, theirs_bytes, "bytes"))
    print("\n".join(lines))
    if not have_micrograd:
        print("(micrograd is not installed: pip install micrograd==0.1.0 for the comparison)")


if __name__ == "__main__":
    main()
