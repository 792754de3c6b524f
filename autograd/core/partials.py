"""Partial derivatives that are more than a number (`Over`: one to divide by)."""
from __future__ import annotations

import math
from typing import Any


class Over:
    """A partial derivative 1 / den that the engine applies by dividing: `g / den`, not
    `g * (1/den)`.

    Where an op's derivative is a reciprocal, PyTorch divides the incoming gradient by the divisor
    (log x: grad / x; a / b: grad / b; sqrt x: grad / (2 sqrt x)). Dividing keeps a subnormal
    divisor from overflowing: with x = 1e-310, 1 / x is inf, but 1e-10 / x is 1e300. A `derivatives`
    function returns `Over(den)` for such a partial; `den` is a float or, in a create_graph pass, a
    Value (the division is then a node of the graph, as any other contribution).
    """

    __slots__ = ("den",)

    def __init__(self, den: Any) -> None:
        self.den = den

    def __rmul__(self, g: Any) -> Any:  # `g * partial` in the backward passes means g / den
        try:
            return g / self.den
        except ZeroDivisionError:  # a float divided by +-0.0, as IEEE: +-inf, or nan for 0 or nan
            return g * math.copysign(math.inf, self.den)

    def __float__(self) -> float:  # the partial as a number, for explanations
        den = float(self.den)
        return 1.0 / den if den else math.copysign(math.inf, den)

    def __repr__(self) -> str:
        return f"Over({self.den!r})"
