"""Where a model's first numbers come from: the random generator and the weight initialisers.

Random numbers (initial weights, dropout masks) come from Python's `random` module, as micrograd's
do, until `nn.manual_seed(n)` is called; from then on from chainrule's own generator, seeded with
n. So both ways of seeding give micrograd's weights:

    random.seed(1337); model = nn.MLP(2, [16, 16, 1])        # micrograd's demo, as it is written
    nn.manual_seed(1337); model = nn.MLP(2, [16, 16, 1])     # torch's habit: the same weights

and after `nn.manual_seed`, other code that uses `random` no longer moves chainrule's draws (nor
they its). Modules also take `seed=`: that gives them a private generator and leaves the shared
one alone.

Schemes (each draws one weight list for one neuron with `fan_in` inputs in a layer of `fan_out`
neurons; biases always start at 0, as in micrograd):

- "uniform": w ~ U(-1, 1), micrograd's choice.
- "xavier":  w ~ U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))  (torch.nn.init.xavier_uniform_)
- "he":      w ~ U(-a, a), a = gain * sqrt(3 / fan_in), gain = sqrt(2) for relu
             (torch.nn.init.kaiming_uniform_ with nonlinearity="relu")
"""
from __future__ import annotations

import math
import random
from collections.abc import Iterable

import autograd

__all__ = ["manual_seed", "generator", "calculate_gain", "uniform_", "zeros_", "constant_",
           "xavier_uniform_", "kaiming_uniform_", "SCHEMES", "draw_weights"]

_generator: random.Random | None = None  # chainrule's own, once nn.manual_seed has been called

SCHEMES = ("uniform", "xavier", "he")


def manual_seed(seed: int) -> None:
    """Seed chainrule's shared random generator (weights, dropout masks), like `torch.manual_seed`.

    From this call on, nn draws from its own generator instead of Python's `random` module.
    """
    global _generator
    if _generator is None:
        _generator = random.Random()
    _generator.seed(seed)


def generator(seed: int | None = None) -> random.Random:
    """The shared generator, or a fresh private one seeded with `seed` when a seed is given.

    The shared one is Python's `random` module's own (what `random.seed` seeds, and what micrograd
    draws from) until `nn.manual_seed` is called, then chainrule's own generator.
    """
    if seed is not None:
        return random.Random(seed)
    return _generator if _generator is not None else random._inst  # the random module's state


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The gain that keeps activations' variance steady through `nonlinearity` (as torch's).

    linear/sigmoid: 1, tanh: 5/3, relu: sqrt(2), leaky_relu: sqrt(2 / (1 + slope^2)) with
    slope = param (default 0.01).
    """
    if nonlinearity in ("linear", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1.0 + slope * slope))
    raise ValueError(f"unknown nonlinearity {nonlinearity!r}; expected one of "
                     "'linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu'")


def draw_weights(scheme: str, fan_in: int, fan_out: int, rng: random.Random) -> list[float]:
    """`fan_in` initial weights for one neuron, drawn from `rng` with the named scheme."""
    if scheme == "uniform":
        bound = 1.0
    elif scheme == "xavier":
        bound = math.sqrt(6.0 / (fan_in + fan_out)) if fan_in + fan_out else 0.0
    elif scheme == "he":
        bound = calculate_gain("relu") * math.sqrt(3.0 / fan_in) if fan_in else 0.0
    else:
        known = ", ".join(map(repr, SCHEMES))
        raise ValueError(f"unknown init {scheme!r}; expected one of {known}")
    return [rng.uniform(-bound, bound) for _ in range(fan_in)]


# -- in-place initialisers on lists of parameters, named as torch.nn.init's ----------------------
def uniform_(params: Iterable[autograd.Value], a: float = 0.0, b: float = 1.0,
             seed: int | None = None) -> None:
    """Set every parameter's data to a draw from U(a, b)."""
    rng = generator(seed)
    for p in params:
        p.data = rng.uniform(a, b)


def constant_(params: Iterable[autograd.Value], val: float) -> None:
    """Set every parameter's data to `val`."""
    for p in params:
        p.data = float(val)


def zeros_(params: Iterable[autograd.Value]) -> None:
    """Set every parameter's data to 0."""
    constant_(params, 0.0)


def xavier_uniform_(params: Iterable[autograd.Value], fan_in: int, fan_out: int,
                    gain: float = 1.0, seed: int | None = None) -> None:
    """U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio, 2010)."""
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    uniform_(params, -bound, bound, seed)


def kaiming_uniform_(params: Iterable[autograd.Value], fan_in: int, nonlinearity: str = "relu",
                     a: float = 0.0, seed: int | None = None) -> None:
    """U(-b, b) with b = gain * sqrt(3 / fan_in) (He et al., 2015); `a` is leaky_relu's slope."""
    gain = calculate_gain(nonlinearity, a) if nonlinearity == "leaky_relu" else \
        calculate_gain(nonlinearity)
    bound = gain * math.sqrt(3.0 / fan_in)
    uniform_(params, -bound, bound, seed)
