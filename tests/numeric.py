"""Central finite differences, the independent reference every analytic gradient is checked against."""
from __future__ import annotations

from typing import Callable, Sequence


def central_difference(f: Callable[..., float], xs: Sequence[float], i: int, h: float = 1e-6) -> float:
    """(f(x + h e_i) - f(x - h e_i)) / 2h, with h scaled to the size of x_i."""
    step = h * max(abs(xs[i]), 1e-2)  # relative to x, so steps near 0 stay small
    up = list(xs)
    down = list(xs)
    up[i] += step
    down[i] -= step
    return (f(*up) - f(*down)) / (2 * step)


def close(a: float, b: float, rel: float = 1e-5, abs_: float = 1e-6) -> bool:
    return abs(a - b) <= abs_ + rel * abs(b)
