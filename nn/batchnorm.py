"""BatchNorm1d: normalise every feature over the batch, then scale and shift it (Ioffe & Szegedy).

Training, for each feature j over a batch of N samples:

    mean_j = (1/N) sum_i x_ij            var_j = (1/N) sum_i (x_ij - mean_j)^2   (biased)
    y_ij   = gamma_j (x_ij - mean_j) / sqrt(var_j + eps) + beta_j

and the running statistics move towards the batch's, as torch.nn.BatchNorm1d does:

    running_mean = (1 - momentum) running_mean + momentum mean_j
    running_var  = (1 - momentum) running_var  + momentum var_j N / (N - 1)   (unbiased)

Evaluation uses the running statistics instead of the batch's, so it works on single samples.
"""
from __future__ import annotations

import functools
import math
from numbers import Real
from typing import Any

import autograd
from autograd import Value

from ._batching import InputSizeError, SampleModule, check_count, check_size

__all__ = ["BatchNorm1d"]

_dot = autograd.dot


class BatchNorm1d(SampleModule):
    """Batch normalisation over `num_features` inputs, with learnable gamma (`weight`) and beta
    (`bias`), shaped like torch.nn.BatchNorm1d.

    Args:
        num_features: entries per sample.
        eps: added to the variance before the square root, for stability.
        momentum: weight of the newest batch in the running statistics; None for a plain average
            of all batches seen so far (torch's cumulative mode).
        affine: learn gamma (starting at 1) and beta (starting at 0); False for pure normalisation.

    Training mode needs a batch of at least 2 samples; evaluation mode takes samples or batches.
    State: parameters `weight.j`, `bias.j`; buffers `running_mean.j`, `running_var.j`,
    `num_batches_tracked` (all in the state dict, as in torch).
    """

    num_features: int
    eps: float
    momentum: float | None
    affine: bool
    weight: Any  # list[Value], None when affine=False
    bias: Any
    running_mean: list[float]
    running_var: list[float]
    num_batches_tracked: int

    _buffers = ("running_mean", "running_var", "num_batches_tracked")

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True) -> None:
        super().__init__()
        num_features = check_count("BatchNorm1d", "num_features", num_features)
        if isinstance(eps, bool) or not isinstance(eps, Real) or not 0.0 <= eps < math.inf:
            raise ValueError(f"BatchNorm1d: eps must be a finite number >= 0 (it is added to the "
                             f"variance before the square root), got {eps!r}")
        if momentum is not None and (isinstance(momentum, bool) or not isinstance(momentum, Real)
                                     or not 0.0 <= momentum <= 1.0):
            raise ValueError(f"BatchNorm1d: momentum must be a number in [0, 1], or None for a "
                             f"cumulative average, got {momentum!r}")
        self.num_features = num_features
        self.eps = float(eps)
        self.momentum = momentum
        self.affine = affine
        self.weight = [Value(1.0) for _ in range(num_features)] if affine else None
        self.bias = [Value(0.0) for _ in range(num_features)] if affine else None
        self.running_mean = [0.0] * num_features
        self.running_var = [1.0] * num_features
        self.num_batches_tracked = 0

    @property
    def gamma(self) -> list[Value] | None:
        """The learnable scale (torch calls it `weight`)."""
        return self.weight

    @property
    def beta(self) -> list[Value] | None:
        """The learnable shift (torch calls it `bias`)."""
        return self.bias

    def reset_running_stats(self) -> None:
        """Running mean back to 0, running variance to 1, no batches seen."""
        self.running_mean[:] = [0.0] * self.num_features
        self.running_var[:] = [1.0] * self.num_features
        self.num_batches_tracked = 0

    # -- evaluation: running statistics, any sample --------------------------------------------
    def _sample(self, x: list[Value]) -> list[Value]:
        if self.training:
            raise ValueError("BatchNorm1d in training mode needs a batch (a list of at least 2 "
                             "samples) to compute batch statistics; call model.eval() to use "
                             "the running statistics on a single sample")
        check_size(self, self.num_features, len(x))
        if autograd.jit.is_tracing():  # the running statistics as numbers read on every replay
            constants: list[Any] = autograd.jit.fresh(self._eval_constants)
        else:
            constants = self._eval_constants()  # numbers, or Values while jit traces
        k = self.num_features
        out = []
        for j, v in enumerate(x):
            inv_std, mean = constants[j], constants[k + j]
            if self.affine:  # y = a x + c with a = gamma / std, c = beta - a mean: one node per x
                a = self.weight[j] * inv_std
                out.append(_dot((a,), (v,), self.bias[j] - a * mean))
            else:
                out.append((v - mean) * inv_std)
        return out

    def _eval_constants(self) -> list[float]:
        """1 / sqrt(running_var + eps) for each feature, then the running means."""
        return ([1.0 / math.sqrt(var + self.eps) for var in self.running_var]
                + list(self.running_mean))

    # -- training: batch statistics --------------------------------------------------------------
    def _batch(self, xs: list[list[Value]]) -> list[list[Value]]:
        if not self.training:
            return [self._sample(x) for x in xs]
        n = len(xs)
        for i, x in enumerate(xs):
            if len(x) != self.num_features:
                error = InputSizeError(self, self.num_features, len(x))
                error.sample = i
                raise error
        if n < 2:
            raise ValueError(f"BatchNorm1d in training mode needs more than 1 sample per batch to "
                             f"estimate a variance, got {n}; if this is an epoch's last, short "
                             "batch, DataLoader(X, y, batch_size, drop_last=True) skips it")
        out: list[list[Value]] = [[] for _ in range(n)]
        means, variances = [], []
        for j in range(self.num_features):
            column = [x[j] for x in xs]
            mean = autograd.sum(column) / n
            centered = [v - mean for v in column]
            var = _dot(centered, centered) / n  # biased: divides by N
            inv_std = (var + self.eps) ** -0.5
            if self.affine:
                scale, shift = self.weight[j] * inv_std, self.bias[j]
                for row, d in zip(out, centered):
                    row.append(_dot((scale,), (d,), shift))
            else:
                for row, d in zip(out, centered):
                    row.append(d * inv_std)
            means.append(mean)
            variances.append(var)
        # from the batch's numbers: an effect, so a step compiled by autograd.jit updates them too
        autograd.jit.effect(functools.partial(self._track, n), *means, *variances)
        return out

    def _track(self, n: int, *statistics: float) -> None:
        """Move the running statistics towards this batch's means and (biased) variances."""
        self.num_batches_tracked += 1
        factor = (1.0 / self.num_batches_tracked if self.momentum is None
                  else float(self.momentum))
        k = self.num_features
        for j, (mean, var) in enumerate(zip(statistics[:k], statistics[k:])):
            self.running_mean[j] = (1.0 - factor) * self.running_mean[j] + factor * mean
            self.running_var[j] = ((1.0 - factor) * self.running_var[j]
                                   + factor * var * n / (n - 1))

    def _check_buffer(self, name: str, value: float) -> str | None:
        if name == "running_var" and value < 0:
            return f"{value!r} is negative, but a variance is >= 0"
        if name == "num_batches_tracked" and not (value >= 0 and value.is_integer()):
            return f"{value!r} is not a count of batches (a whole number >= 0)"
        return None

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"
                f"{'' if self.affine else ', affine=False'}")
