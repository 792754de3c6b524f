"""Forward mode against reverse mode: what a full gradient costs as the parameters grow in number.

    python -m demos.forward_vs_reverse [--fast] [--out out/forward_vs_reverse]

Training needs the gradient of one number, the loss, with respect to n parameters. The chain rule
can be run two ways:

- forward mode (`autograd.jvp`): push a tangent from the inputs to the output. One pass gives one
  directional derivative, so with the tangent e_i (1 for w_i, 0 for the others) it gives dL/dw_i,
  and the whole gradient takes n passes;
- reverse mode (`backward`, here `autograd.value_and_grad`): pull the output's gradient back to
  the inputs. One forward and one backward pass give all n derivatives at once.

Both use the same local derivatives of the same ops and give the same gradient (the demo checks it
to the last few bits); what differs is the work, which grows like n for forward mode and stays a
small constant times one evaluation for reverse mode. That is why every training loop runs
backward. (For the opposite shape, a few inputs and many outputs, forward mode wins.)

The loss is a tanh neuron's mean squared error on a few samples,
L(w_1, ..., w_n) = mean_k (tanh(w . x_k) - y_k)^2, for n from 1 up; each time is the best of a
few runs (for forward mode, of each of its n passes), the least disturbed by other programs. Draws forward_vs_reverse.png: seconds per full gradient against n, both ways and
one plain evaluation of L for scale, and the ratio forward / reverse against n.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

if __package__ in (None, ""):  # run as a file, not with -m: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

import autograd

from demos._common import parse_args, plt, progress, report, save


def make_loss(n: int, samples: int, seed: int) -> tuple[Callable[..., Any], list[float]]:
    """The loss L(w_1, ..., w_n) of a tanh neuron on random samples, and a point w to take its
    gradient at."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(samples, n)).tolist()
    y = rng.uniform(-0.8, 0.8, size=samples).tolist()
    w = (rng.normal(size=n) / np.sqrt(n)).tolist()

    def loss(*weights: Any) -> Any:
        errors = [(autograd.tanh(autograd.dot(weights, x)) - t) ** 2 for x, t in zip(X, y)]
        return autograd.sum(errors) / len(errors)

    return loss, w


def unit(n: int, i: int) -> list[float]:
    """The tangent e_i: 1 for parameter i, 0 for the others."""
    direction = [0.0] * n
    direction[i] = 1.0
    return direction


def forward_mode_gradient(f: Callable[..., Any], w: Sequence[float]) -> list[float]:
    """dL/dw_i for every i from n forward-mode passes, the i-th with the tangent e_i."""
    return [autograd.jvp(f, w, unit(len(w), i))[1] for i in range(len(w))]


def reverse_mode_gradient(f: Callable[..., Any], w: Sequence[float]) -> list[float]:
    """dL/dw_i for every i from one forward and one backward pass."""
    return list(autograd.grad(f, argnum=tuple(range(len(w))))(*w))


def best_time(run: Callable[[], Any], repeat: int) -> float:
    """The shortest of `repeat` timed runs, in seconds (the least disturbed by other work)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def measure(n: int, samples: int, repeat: int, seed: int) -> dict[str, float]:
    """Cost of one evaluation and of the full gradient both ways, for n parameters.

    The forward-mode cost is the sum over its n passes of each pass's best time, so that a pause
    caused by other programs during one pass does not count n times.
    """
    f, w = make_loss(n, samples, seed)
    forward = forward_mode_gradient(f, w)
    reverse = reverse_mode_gradient(f, w)
    values = [autograd.Value(v) for v in w]
    with autograd.no_grad():
        one_evaluation = best_time(lambda: f(*values), repeat)
    forward_time = sum(best_time(lambda: autograd.jvp(f, w, unit(n, i)), repeat)
                       for i in range(n))
    return {
        "n": n,
        "nodes": len(autograd.topological_order(f(*values))),
        "evaluation": one_evaluation,
        "forward": forward_time,
        "reverse": best_time(lambda: reverse_mode_gradient(f, w), repeat),
        "difference": max(abs(a - b) for a, b in zip(forward, reverse)),
    }


def plot(path: Path, rows: list[dict[str, float]]) -> Path:
    """Seconds per full gradient against n (log-log), and the ratio forward / reverse."""
    ns = [row["n"] for row in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    left.loglog(ns, [row["forward"] for row in rows], "o-", color="C3",
                label="forward mode: n jvp passes")
    left.loglog(ns, [row["reverse"] for row in rows], "o-", color="C0",
                label="reverse mode: 1 forward + 1 backward")
    left.loglog(ns, [row["evaluation"] for row in rows], "--", color="grey",
                label="one evaluation of L (no graph)")
    left.set(title="seconds for the full gradient of one loss", xlabel="parameters n",
             ylabel="seconds")
    left.legend()
    ratios = [row["forward"] / row["reverse"] for row in rows]
    right.loglog(ns, ratios, "o-", color="C2", label="forward / reverse")
    right.loglog(ns, [ratios[0] * n / ns[0] for n in ns], ":", color="black",
                 label="proportional to n")
    right.set(title="how many times more forward mode costs", xlabel="parameters n",
              ylabel="time ratio")
    right.legend()
    fig.tight_layout()
    return save(fig, path)


def main(argv: list[str] | None = None) -> dict:
    """Measure both ways for growing n, print the numbers, draw them.

    Returns the demo's numbers (per n: the graph's size and the seconds each way; the ratio at
    the largest n, the largest difference between the two gradients) and the files written.
    """
    args = parse_args("forward_vs_reverse", "The cost of a full gradient: n forward-mode passes "
                                            "against one backward pass.", argv)
    ns, samples, repeat = ([1, 2, 4, 8, 16], 4, 2) if args.fast else (
        [1, 2, 4, 8, 16, 32, 64, 128, 256], 8, 5)
    rows = [measure(n, samples, repeat, args.seed) for n in progress(ns, "timing")]

    numbers: dict[str, float | int | str] = {}
    for row in rows:
        numbers[f"n={row['n']} ({row['nodes']} nodes)"] = (
            f"forward {row['forward']:.2e} s, reverse {row['reverse']:.2e} s "
            f"({row['forward'] / row['reverse']:.1f} times), one L {row['evaluation']:.2e} s")
    numbers["forward/reverse time at the largest n"] = rows[-1]["forward"] / rows[-1]["reverse"]
    numbers["max |forward - reverse| gradient"] = max(row["difference"] for row in rows)
    numbers["passes for the full gradient at the largest n"] = (
        f"forward {ns[-1]} jvp, reverse 1 forward + 1 backward")
    picture = plot(args.out / "forward_vs_reverse.png", rows)
    return report(f"the full gradient of L = mean_k (tanh(w . x_k) - y_k)^2 over {samples} "
                  f"samples, both ways", numbers, [picture])


if __name__ == "__main__":
    main()
