"""Reading classes off a model's predictions: `accuracy`, and `evaluate` (loss and accuracy on
held-out data, in eval mode, without building a graph).

How a prediction becomes a class depends on what the loss reads it as, which every loss declares
in its `output_kind` (see `nn.functional.OUTPUT_KINDS`): the sign or the largest score for logits,
0.5 for probabilities and for outputs regressed onto 0/1 labels.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from numbers import Real
from typing import Any

import autograd
from autograd import Value

__all__ = ["accuracy", "evaluate", "decision_threshold"]

AccuracyFn = Callable[[Sequence[Any], Sequence[Any]], "float | None"]


def _float_of(x: Any) -> Any:
    """A Value's number, anything else as it is."""
    return x.data if isinstance(x, Value) else x


def _floats_of(predictions: Sequence[Any]) -> list:
    """A batch of predictions (Values, or lists of Values) as the same nesting of floats."""
    return [[_float_of(v) for v in p] if isinstance(p, (list, tuple)) else _float_of(p)
            for p in predictions]


def _is_class_label(t: Any) -> bool:
    return isinstance(t, Real) and not isinstance(t, bool) and float(t).is_integer()


def accuracy(predictions: Sequence[Any], targets: Sequence[Any],
             threshold: float = 0.0) -> float | None:
    """Fraction of samples classified correctly, or None when the task is not classification.

    Read from the shapes and the targets (an output wrapped in a list of one counts as one output):
    - one output per sample, targets in {0, 1}: correct when (score > threshold) == label (0 for
      logits, as with BCEWithLogitsLoss; 0.5 for probabilities or outputs regressed onto the
      labels: `decision_threshold(loss_fn)` says which, and `fit` and `evaluate` use it);
    - one output per sample, targets in {-1, +1}: correct when the score's sign is the label's
      (hinge loss, micrograd's demo);
    - several outputs per sample, integer targets: correct when the largest output's index is the
      label (cross-entropy);
    - anything else (real-valued targets: regression): None.

    Args:
        predictions: one prediction per sample: numbers or Values, or lists of them.
        targets: one label per sample.
        threshold: the score above which a single output means class 1 (for 0/1 labels).
    """
    if not targets or len(predictions) != len(targets):
        return None
    if not all(_is_class_label(t) for t in targets):
        return None
    first = predictions[0]
    if isinstance(first, (list, tuple)) and all(len(p) == 1 for p in predictions):
        predictions = [p[0] for p in predictions]  # one score per sample, wrapped in a list
    elif isinstance(first, (list, tuple)):
        correct = 0
        for scores, t in zip(predictions, targets):
            values = scores if set(map(type, scores)) == _FLOATS else [_float_of(s) for s in scores]
            correct += values.index(max(values)) == int(t)  # the first largest, as argmax
        return correct / len(targets)
    labels = {int(t) for t in targets}
    scores = [_float_of(p) for p in predictions]
    # {0, 1} first: a split whose labels are all 1 is read with `threshold`, which for
    # probabilities is 0.5 (by the sign rule every probability > 0 would count as correct)
    if labels <= {0, 1}:
        return sum((s > threshold) == (t == 1) for s, t in zip(scores, targets)) / len(targets)
    if labels <= {-1, 1}:
        return sum((s > 0) == (t > 0) for s, t in zip(scores, targets)) / len(targets)
    return None


_FLOATS = {float}


def decision_threshold(loss_fn: Any) -> float:
    """The score at which a single output changes class, for predictions trained with `loss_fn`:
    0.5 when the loss reads them as probabilities or pulls them onto 0/1 labels (its
    `output_kind` is "probabilities" or "regression"), else 0 (logits, margins; also for a loss
    that declares nothing)."""
    kind = getattr(loss_fn, "output_kind", "logits")
    return 0.5 if kind in ("probabilities", "regression") else 0.0


def _accuracy_for(loss_fn: Any) -> AccuracyFn:
    """`accuracy` with the decision threshold of `loss_fn`'s predictions."""
    threshold = decision_threshold(loss_fn)
    return lambda predictions, targets: accuracy(predictions, targets, threshold)


def evaluate(model: Any, loss_fn: Callable, X: Sequence, y: Sequence,
             accuracy_fn: AccuracyFn | None = None) -> tuple[float, float | None]:
    """Loss and accuracy of `model` on (X, y), in eval mode and without building a graph.

    Args:
        model: a Module (or any callable mapping a batch to a list of predictions).
        loss_fn: `loss_fn(predictions, targets)` -> a Value (or a number).
        X, y: the samples and their targets.
        accuracy_fn: `accuracy_fn(predictions, targets)` -> a fraction or None, given the
            predictions as floats (default: `accuracy` with `decision_threshold(loss_fn)`).

    Returns:
        (loss, accuracy), the accuracy None when it does not apply (see `accuracy`).
    """
    was_training = getattr(model, "training", False)
    if hasattr(model, "eval"):
        model.eval()
    try:
        with autograd.no_grad():
            predictions = model(list(X))
            loss = float(_float_of(loss_fn(predictions, list(y))))
    finally:
        if was_training:
            model.train()
    acc = (accuracy_fn or _accuracy_for(loss_fn))(_floats_of(predictions), y)
    return loss, acc
