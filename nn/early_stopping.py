"""Early stopping: end training when the validation loss stops improving, keep the best weights."""
from __future__ import annotations

import copy
import math
from typing import Any


class EarlyStopping:
    """Watch a metric once per epoch; say when to stop; remember the best model's weights.

    An epoch improves on the best so far when (mode "min"; "max" mirrors it)

        metric < best - min_delta

    After `patience` epochs in a row without improvement `step()` returns True (with patience 0,
    at the first epoch that does not improve). With
    `restore_best`, the model's `state_dict()` is saved at every improvement, and `restore(model)`
    (which `nn.fit` calls at the end of training) loads the best one back, so the model you get is
    the one that did best on validation data, not the last, overfitted one.

        stopper = EarlyStopping(patience=5)
        for epoch in range(1000):
            train_one_epoch()
            if stopper.step(validation_loss(), model):
                break
        stopper.restore(model)

    Args:
        patience: epochs without improvement to wait before stopping (default 10).
        min_delta: the least decrease that counts as an improvement (default 0).
        restore_best: keep a copy of the best weights, for `restore()` (default True).
        mode: "min" for losses, "max" for accuracies.

    Attributes:
        best: the best metric seen; best_epoch: its epoch (counting `step()` calls from 1);
        num_bad_epochs: epochs since the last improvement; stopped: whether it said stop.
    """

    def __init__(self, patience: int = 10, min_delta: float = 0.0, restore_best: bool = True,
                 mode: str = "min") -> None:
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(f"patience must be an integer >= 0, got {patience!r}")
        if not min_delta >= 0:
            raise ValueError(f"min_delta must be >= 0, got {min_delta!r}")
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best = restore_best
        self.mode = mode
        self.reset()

    def reset(self) -> None:
        """Forget everything seen so far (to reuse the object for a new run)."""
        self.best = math.inf if self.mode == "min" else -math.inf
        self.best_epoch: int | None = None
        self.best_state: dict[str, Any] | None = None
        self.num_bad_epochs = 0
        self.epoch = 0
        self.stopped = False

    def is_better(self, metric: float) -> bool:
        """Whether `metric` improves on the best so far by more than min_delta (nan never does)."""
        if self.mode == "min":
            return metric < self.best - self.min_delta
        return metric > self.best + self.min_delta

    def step(self, metric: float, model: Any = None) -> bool:
        """Record one epoch's metric (a float or a Value); return True when training should stop.

        Args:
            metric: this epoch's validation loss (or whatever is monitored).
            model: the model, whose weights are saved on improvement when restore_best is set.
        """
        metric = float(metric)
        self.epoch += 1
        if self.is_better(metric):
            self.best = metric
            self.best_epoch = self.epoch
            self.num_bad_epochs = 0
            self.stopped = False  # training that went on after a stop and improves may go on
            if self.restore_best and model is not None:
                self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
            self.stopped = self.num_bad_epochs >= self.patience
        return self.stopped

    def restore(self, model: Any) -> bool:
        """Load the best weights seen into `model`; return whether there were any to load."""
        if not self.restore_best or self.best_state is None:
            return False
        model.load_state_dict(self.best_state)
        return True

    def __repr__(self) -> str:
        return (f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, "
                f"restore_best={self.restore_best}, best={self.best:.6g} at epoch "
                f"{self.best_epoch})")
