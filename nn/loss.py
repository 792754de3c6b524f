"""Loss modules, mirroring torch.nn's: `loss_fn = nn.MSELoss(); loss = loss_fn(prediction, target)`.

Each holds its settings (reduction, delta, ...) and calls the function of the same name in
`nn.functional`, where the formulas are written out. Each also declares, in the class attribute
`output_kind`, what it reads a prediction as: "logits" (raw scores), "probabilities" or
"regression" (see `nn.functional.OUTPUT_KINDS`); `nn.fit` and `nn.metrics.accuracy` read classes
off predictions accordingly (a subclass inherits its parent's).
"""
from __future__ import annotations

from typing import Any, ClassVar

from . import functional as F
from .module import Module

__all__ = ["MSELoss", "L1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss",
           "HingeLoss"]


class _Loss(Module):
    output_kind: ClassVar[str]  # one of F.OUTPUT_KINDS, declared by every loss

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        F._check_reduction(reduction)
        self.reduction = reduction

    def extra_repr(self) -> str:
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """Mean squared error, (input - target)^2 averaged (see `nn.functional.mse_loss`)."""

    output_kind = "regression"

    def forward(self, input: Any, target: Any) -> Any:
        return F.mse_loss(input, target, self.reduction)


class L1Loss(_Loss):
    """Mean absolute error, |input - target| averaged (see `nn.functional.l1_loss`)."""

    output_kind = "regression"

    def forward(self, input: Any, target: Any) -> Any:
        return F.l1_loss(input, target, self.reduction)


class HuberLoss(_Loss):
    """Quadratic within `delta` of the target, linear beyond (see `nn.functional.huber_loss`)."""

    output_kind = "regression"

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        if not float(delta) > 0:
            raise ValueError(f"HuberLoss needs delta > 0, got {delta}")
        self.delta = float(delta)

    def forward(self, input: Any, target: Any) -> Any:
        return F.huber_loss(input, target, self.reduction, self.delta)

    def extra_repr(self) -> str:
        return ", ".join(filter(None, [super().extra_repr(), f"delta={self.delta}"]))


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities in [0, 1] (`nn.functional.binary_cross_entropy`)."""

    output_kind = "probabilities"

    def forward(self, input: Any, target: Any) -> Any:
        return F.binary_cross_entropy(input, target, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Sigmoid plus binary cross-entropy in one stable formula, on raw scores
    (see `nn.functional.binary_cross_entropy_with_logits`)."""

    output_kind = "logits"

    def forward(self, input: Any, target: Any) -> Any:
        return F.binary_cross_entropy_with_logits(input, target, self.reduction)


class CrossEntropyLoss(_Loss):
    """Softmax plus negative log-likelihood on class scores and class indices
    (see `nn.functional.cross_entropy`)."""

    output_kind = "logits"

    def __init__(self, reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(reduction)
        if not 0.0 <= float(label_smoothing) <= 1.0:
            raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
        self.label_smoothing = float(label_smoothing)

    def forward(self, input: Any, target: Any) -> Any:
        return F.cross_entropy(input, target, self.reduction, self.label_smoothing)

    def extra_repr(self) -> str:
        smoothing = f"label_smoothing={self.label_smoothing}" if self.label_smoothing else ""
        return ", ".join(filter(None, [super().extra_repr(), smoothing]))


class HingeLoss(_Loss):
    """relu(1 - y s), labels y in {-1, 1}: micrograd's demo loss (`nn.functional.hinge_loss`)."""

    output_kind = "logits"

    def forward(self, input: Any, target: Any) -> Any:
        return F.hinge_loss(input, target, self.reduction)
