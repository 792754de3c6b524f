"""Activation functions as modules, for `nn.Sequential`: ReLU, Tanh, Sigmoid, LeakyReLU, Softmax.

Each applies its function to every entry of a sample (or of every sample of a batch) and keeps the
form of its input: a Value gives a Value, a list a list of the same length.
"""
from __future__ import annotations

from collections.abc import Callable

from autograd import Value

from ._batching import SampleModule

__all__ = ["ReLU", "Tanh", "Sigmoid", "LeakyReLU", "Softmax", "ACTIVATIONS", "activation_function"]

# name -> the function a neuron applies to its weighted sum (None: "linear", nothing applied)
ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "leaky_relu": Value.leaky_relu,  # negative slope 0.01, torch's default
    "linear": None,
}


def activation_function(name: str) -> Callable[[Value], Value] | None:
    """The function for an activation name, or a ValueError listing the names that exist."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {name!r}; expected one of "
                         f"{', '.join(map(repr, ACTIVATIONS))}") from None


class _Elementwise(SampleModule):
    _squeeze = False
    _function: Callable[[Value], Value]

    def _sample(self, x: list[Value]) -> list[Value]:
        f = self._function
        return [f(v) for v in x]


class ReLU(_Elementwise):
    """relu(x) = max(0, x) on every entry."""

    _function = staticmethod(Value.relu)


class Tanh(_Elementwise):
    """tanh(x) on every entry."""

    _function = staticmethod(Value.tanh)


class Sigmoid(_Elementwise):
    """sigmoid(x) = 1 / (1 + e^-x) on every entry."""

    _function = staticmethod(Value.sigmoid)


class LeakyReLU(_Elementwise):
    """x for x > 0, negative_slope * x otherwise, on every entry (torch's default slope 0.01)."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = float(negative_slope)

    def _sample(self, x: list[Value]) -> list[Value]:
        slope = self.negative_slope
        return [v.leaky_relu(slope) for v in x]

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Softmax(_Elementwise):
    """softmax over the entries of each sample: e^x_i / sum_j e^x_j, computed stably.

    Unlike torch there is no `dim`: a sample is one vector, and a batch is handled sample by sample.
    """

    def _sample(self, x: list[Value]) -> list[Value]:
        from .functional import softmax
        return softmax(x)
