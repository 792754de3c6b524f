"""What watching costs: 100 training steps of micrograd's moons demo with `nn.LiveTraining` open,
against the same 100 steps in a plain loop. The target is at most 1.5x.

The workload: MLP(2, [16, 16, 1]) on 100 two-moons points, hinge loss plus 1e-4 times the sum of
squared weights, full-batch SGD at lr 0.1 (the view's step is exactly this loop). The view runs
with a widget whose front end is mocked: every message the kernel would send is encoded to JSON, as
the kernel does, and dropped, so the redraws (the boundary grid, the network's SVG, the curves) and
their encoding are paid in full; only the browser's drawing, which happens in another process, is
not. Each round times both, in turn, after `gc.collect()`, from the same initial weights; the
ratio is the median of the per-round ratios (shared machines are noisy: read the ratio).

    python benchmarks/live_view.py [--rounds 5] [--steps 100]
"""
from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time

import nn
from nn.live.view import _make_widget


def data():
    X, y = nn.data.make_moons(100, noise=0.1, seed=1337)
    return X, nn.data.to_signed(y)


def plain_loop(steps: int) -> float:
    X, y = data()
    model = nn.MLP(2, [16, 16, 1], seed=1337)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.HingeLoss()
    gc.collect()
    start = time.perf_counter()
    for _ in range(steps):
        loss = loss_fn(model(X), y) + 1e-4 * nn.functional.l2_penalty(model.parameters())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start


def with_view(steps: int, redraw_every: float) -> tuple[float, int, int]:
    """Seconds for `steps` steps with a (mocked) front end open; redraws and bytes sent."""
    X, y = data()
    model = nn.MLP(2, [16, 16, 1], seed=1337)
    view = nn.LiveTraining(model, X, y, nn.HingeLoss(),
                           nn.optim.SGD(model.parameters(), lr=0.1), l2=1e-4,
                           redraw_every=redraw_every)
    view._widget = _make_widget(view)
    view._front_end_seen = True  # a browser shows it: no still picture is made at the end
    sent = []

    def publish(msg_type, data=None, metadata=None, buffers=None, **keys):
        sent.append(len(json.dumps(data, allow_nan=False)))  # what the kernel would encode

    view._widget.comm.publish_msg = publish
    view._push(status=True, curves=True, plane=True, network=True, weights=True)  # shown once
    sent.clear()
    gc.collect()
    start = time.perf_counter()
    view.step(steps)
    return time.perf_counter() - start, len(sent), sum(sent)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=100)
    args = parser.parse_args(argv)
    settings = [0.25, 0.1]  # the default redraw interval, and a faster one
    ratios = {s: [] for s in settings}
    detail = {}
    for k in range(args.rounds):
        base = plain_loop(args.steps)
        for s in settings:
            seconds, messages, size = with_view(args.steps, s)
            ratios[s].append(seconds / base)
            detail[s] = (messages, size)
        print(f"round {k + 1}/{args.rounds}: plain {base:.2f} s; with the view "
              + ", ".join(f"{r[-1]:.2f}x (redraw_every={s})" for s, r in ratios.items()),
              file=sys.stderr, flush=True)
    print(f"{args.steps} steps of the moons demo (MLP 2-16-16-1, 100 points), "
          f"median of {args.rounds} rounds:")
    for s in settings:
        messages, size = detail[s]
        print(f"  with the live view, redraw_every={s} s: {statistics.median(ratios[s]):.2f}x "
              f"the plain loop ({messages} messages, {size / 1e3:.0f} kB sent in the last round)")
    print("target: at most 1.5x with the default redraw_every=0.25")


if __name__ == "__main__":
    main()
