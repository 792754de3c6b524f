"""Dropout: during training, zero each entry with probability p and scale the rest by 1 / (1 - p).

"Inverted" dropout, as torch.nn.Dropout: the scaling happens while training, so the expected value
of every entry is unchanged and evaluation needs no correction: in `eval()` mode Dropout is the
identity.
"""
from __future__ import annotations

import random
from numbers import Real

import autograd
from autograd import Value

from ._batching import SampleModule
from .init import generator

__all__ = ["Dropout"]


class Dropout(SampleModule):
    """Zero each entry with probability `p` while training, scale kept ones by 1 / (1 - p).

    Each kept or dropped entry is one `*` node (x * 1/(1-p) or x * 0), so the graph keeps its shape
    and a dropped entry passes back a gradient of 0.

    Args:
        p: probability of dropping an entry, 0 <= p <= 1 (p = 1 drops everything).
        seed: an int for a private random generator (reproducible masks), or None for the shared
            one that `nn.manual_seed` seeds.
    """

    p: float

    _squeeze = False

    def __init__(self, p: float = 0.5, seed: int | None = None) -> None:
        super().__init__()
        if isinstance(p, bool) or not isinstance(p, Real):
            raise TypeError(f"dropout probability must be a number between 0 and 1, got "
                            f"{type(p).__name__} {p!r}")
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = float(p)
        # a private generator, or None for the shared one, looked up at each draw (manual_seed
        # called after the model was built still decides the masks, as torch's)
        self._rng: random.Random | None = None if seed is None else generator(seed)

    def _sample(self, x: list[Value]) -> list[Value]:
        p = self.p
        if not self.training or p == 0.0:
            return x
        scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
        if autograd.jit.is_tracing():  # the mask is drawn anew on every replay, never reused
            n = len(x)
            masks = autograd.jit.fresh(lambda: self._mask(n, p, scale))
            return [v * m for v, m in zip(x, masks)]
        draw = (self._rng or generator()).random
        return [v * (0.0 if draw() < p else scale) for v in x]

    def _mask(self, n: int, p: float, scale: float) -> list[float]:
        draw = (self._rng or generator()).random
        return [0.0 if draw() < p else scale for _ in range(n)]

    def extra_repr(self) -> str:
        return f"p={self.p}"
