"""The plane of a 2-D classification problem: which class a label is, and the decision-boundary map.

A model with one output gives a score per point; its class is 1 when the score is above the
threshold (0 for logits and margin losses, 0.5 when the output is itself a probability or is
regressed onto 0/1 labels). A model with k outputs gives class scores; its class is the largest's
index. The map is a coarse grid over the data's bounding box (plus a margin): for every cell the
class the model picks there and how sure it is (0.5 = on the boundary, 1 = certain), computed under
`autograd.no_grad()` in one batched forward pass.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import autograd
from autograd import Value

from .. import functional as F
from ..loss import BCELoss, HuberLoss, L1Loss, MSELoss

# one colour per class (colour-blind safe: blue, orange, green, purple, ...), also used by the JS
CLASS_COLOURS = ("#2166ac", "#e66101", "#1b9e77", "#7570b3", "#d95f02", "#66a61e", "#e7298a")

# losses whose output is a probability or is pulled onto the 0/1 label: 0.5 separates the classes
_OUTPUT_IS_TARGET = (BCELoss, MSELoss, L1Loss, HuberLoss)
_OUTPUT_IS_TARGET_FUNCTIONS = (F.binary_cross_entropy, F.mse_loss, F.l1_loss, F.huber_loss)


def _number(x: Any) -> float:
    return float(x.data if isinstance(x, Value) else x)


@dataclass(frozen=True)
class Labels:
    """How labels map to classes (colours) and back, read from the data and the model's outputs.

    Attributes:
        kind: "signed" (one output, labels -1/+1), "binary" (one output, labels 0/1) or
            "classes" (one output per class, labels 0..k-1).
        n_classes: 2 for one output, else the number of outputs.
        threshold: the score above which a one-output model says class 1.
    """

    kind: str
    n_classes: int
    threshold: float

    def class_of(self, label: Any) -> int:
        """The class index (0, 1, ...) of a label."""
        label = _number(label)
        if self.kind == "classes":
            return int(label)
        return 1 if label > (0.0 if self.kind == "signed" else 0.5) else 0

    def label_of(self, cls: int) -> int:
        """The label to store for a point of class `cls` (what the loss expects)."""
        if not 0 <= cls < self.n_classes:
            raise ValueError(f"class must be 0..{self.n_classes - 1}, got {cls!r}")
        if self.kind == "signed":
            return 1 if cls == 1 else -1
        return int(cls)

    def scores_to_classes(self, outputs: Sequence[Any]) -> tuple[list[int], list[float]]:
        """For each output (a score, or a list of class scores): its class and the certainty in
        [0.5, 1] (one output: the sigmoid of the score's distance from the threshold, or the
        probability itself; k outputs: the softmax of the largest, rescaled from [1/k, 1])."""
        classes, sure = [], []
        for out in outputs:
            if self.kind == "classes":
                scores = [_number(s) for s in out]
                best = max(range(len(scores)), key=scores.__getitem__)
                top = scores[best]
                total = sum(math.exp(s - top) for s in scores)  # softmax of the best: 1 / total
                p, floor = 1.0 / total, 1.0 / len(scores)
                classes.append(best)
                sure.append(0.5 + 0.5 * (p - floor) / (1.0 - floor) if floor < 1 else 1.0)
                continue
            s = _number(out[0] if isinstance(out, (list, tuple)) else out)
            if not math.isfinite(s):
                classes.append(1 if s > self.threshold else 0)
                sure.append(1.0 if not math.isnan(s) else 0.5)
                continue
            if self.threshold == 0.5:  # the output is a probability (or a regression onto 0/1)
                p = min(1.0, max(0.0, s))
            else:
                p = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, s))))
            classes.append(1 if s > self.threshold else 0)
            sure.append(max(p, 1.0 - p))
        return classes, sure


def read_labels(y: Sequence[Any], n_outputs: int, loss_fn: Any) -> Labels:
    """The `Labels` of data `y` for a model with `n_outputs` outputs trained with `loss_fn`."""
    for i, label in enumerate(y):
        if isinstance(label, bool) or not isinstance(_number(label), Real) \
                or not float(_number(label)).is_integer():
            raise ValueError(f"the live view's plane shows classes: y[{i}] is {label!r}, not a "
                             "class label (use plane=False for regression)")
    values = {int(_number(t)) for t in y}
    if n_outputs > 1:
        bad = sorted(v for v in values if not 0 <= v < n_outputs)
        if bad:
            raise ValueError(f"the model has {n_outputs} outputs, so labels must be 0.."
                             f"{n_outputs - 1}; got {bad[0]}")
        return Labels("classes", n_outputs, 0.0)
    probability = (isinstance(loss_fn, _OUTPUT_IS_TARGET)
                   or any(loss_fn is f for f in _OUTPUT_IS_TARGET_FUNCTIONS))
    if values <= {-1, 1} and -1 in values:
        return Labels("signed", 2, 0.0)
    if values <= {0, 1}:
        return Labels("binary", 2, 0.5 if probability else 0.0)
    raise ValueError(f"a model with one output separates two classes, labels 0/1 or -1/+1; got "
                     f"labels {sorted(values)}")


def bounding_box(X: Sequence[Sequence[float]], margin: float = 0.25) -> tuple[float, ...]:
    """(x_min, x_max, y_min, y_max) around the points, widened by `margin` of each side's span."""
    xs = [_number(p[0]) for p in X]
    ys = [_number(p[1]) for p in X]
    box = []
    for values in (xs, ys):
        low, high = min(values), max(values)
        pad = margin * ((high - low) or 1.0)
        box += [low - pad, high + pad]
    return tuple(box)


def boundary_grid(model: Any, labels: Labels, box: Sequence[float], n: int) -> dict[str, Any]:
    """The decision map: an n x n grid of cell centres over `box`, row 0 at the top (largest y).

    Returns {"n": n, "box": [x_min, x_max, y_min, y_max], "classes": [...], "sure": [...]},
    classes and certainties row by row, ready to send to the front end as JSON.
    """
    x0, x1, y0, y1 = box
    centres = [[x0 + (col + 0.5) * (x1 - x0) / n, y1 - (row + 0.5) * (y1 - y0) / n]
               for row in range(n) for col in range(n)]
    was_training = getattr(model, "training", False)
    if hasattr(model, "eval"):
        model.eval()  # dropout off, batch norm on its running statistics
    try:
        with autograd.no_grad():
            outputs = model(centres)
    finally:
        if was_training:
            model.train()
    classes, sure = labels.scores_to_classes(outputs)
    return {"n": n, "box": list(box), "classes": classes, "sure": [round(s, 3) for s in sure]}
