"""`fit`: the training loop, written once, with the record of what happened in a `History`.

One step of training is always the same five lines::

    loss = loss_fn(model(X_batch), y_batch) + l2 * l2_penalty(model.parameters())
    optimizer.zero_grad()
    loss.backward()
    clip_grad_norm_(model.parameters(), max_norm)     # optional
    optimizer.step()

`fit` runs them for every batch of every epoch, evaluates on validation data, steps the
learning-rate scheduler, asks early stopping whether to go on, shows progress, and stops with a
clear error when the loss or the gradients stop being finite numbers.

A step's graph lives only as long as the step: the numbers the epoch's record needs (the loss, the
predictions for the accuracy) are read off as floats right after the forward pass, so the garbage
collector never has to walk an epoch's worth of graphs, and `fit` costs what the five lines cost.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from numbers import Real
from typing import Any

import autograd
from autograd import Value

from . import functional as F
from ._progress import Progress
from .data import DataLoader
from .data.loader import _as_list
from .early_stopping import EarlyStopping
from .history import History
from .metrics import AccuracyFn, _accuracy_for, _float_of, _floats_of, accuracy, evaluate
from .module import _SETTINGS, Module
from .optim.lr_scheduler import ReduceLROnPlateau
from .utils.clip_grad import clip_grads_with_norm_, get_total_norm

__all__ = ["fit", "TrainingDivergedError", "History", "accuracy", "evaluate"]

StepCallback = Callable[[int, int, float], Any]


class TrainingDivergedError(FloatingPointError):
    """Training produced nan or inf (loss, gradient or weights); the model keeps finite weights.

    Attributes:
        epoch, step: where it happened (both counted from 1; step within the epoch).
        what: "loss", "gradient norm" or "weights"; value: the offending number.
        history: the `History` of the epochs completed before.
    """

    def __init__(self, message: str, epoch: int, step: int, what: str, value: float,
                 history: History) -> None:
        super().__init__(message)
        self.epoch, self.step, self.what = epoch, step, what
        self.value, self.history = value, history


# -- checking the arguments ------------------------------------------------------------------------
def _as_loader(data: Any, batch_size: int | None, shuffle: bool, seed: int | None) -> DataLoader:
    if isinstance(data, DataLoader):
        if batch_size is not None:
            raise ValueError("batch_size applies when train is an (X, y) pair; a DataLoader has "
                             f"its own (here {data.batch_size}): pass one or the other")
        return data
    if isinstance(data, (tuple, list)) and len(data) == 2:
        return DataLoader(data[0], data[1], batch_size=batch_size, shuffle=shuffle, seed=seed)
    raise TypeError("train data must be a DataLoader or a pair (X, y), "
                    f"got {type(data).__name__}")


def _split_pair(data: Any, name: str) -> tuple[list, list]:
    if isinstance(data, DataLoader):
        return data.X, data.y
    if isinstance(data, (tuple, list)) and len(data) == 2:
        X, y = _as_list(data[0], f"{name} X"), _as_list(data[1], f"{name} y")
        if len(X) != len(y):
            raise ValueError(f"{name} data has {len(X)} samples but {len(y)} labels")
        return X, y
    raise TypeError(f"{name} data must be a pair (X, y) or a DataLoader, got {type(data).__name__}")


def _check_settings(loss_fn: Any, optimizer: Any, clip_grad_norm: Any, l1: Any, l2: Any,
                    who: str = "fit") -> None:
    """The settings fit (and nn.LiveTraining, `who`) take: a clear error for a wrong one."""
    if not callable(loss_fn):
        raise TypeError(f"{who}: loss_fn must be a function of (predictions, targets), such as "
                        f"nn.MSELoss() or nn.functional.mse_loss, got {loss_fn!r}")
    if not (hasattr(optimizer, "step") and hasattr(optimizer, "param_groups")):
        raise TypeError(f"{who}: optimizer must be an nn.optim optimizer, e.g. "
                        f"nn.optim.SGD(model.parameters(), lr=0.1), got {optimizer!r}")
    for name, value in (("l1", l1), ("l2", l2), ("clip_grad_norm", clip_grad_norm)):
        if value is None and name == "clip_grad_norm":
            continue
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"{who}: {name} must be a number, got {type(value).__name__} "
                            f"{value!r}")
        if not 0.0 <= float(value) < math.inf:
            raise ValueError(f"{who}: {name} must be a finite number >= 0, got {value!r}"
                             + (" (a negative penalty rewards large weights)"
                                if name != "clip_grad_norm" else ""))


def _check_optimizer_owns(optimizer: Any, params: list[Value]) -> None:
    """The optimizer must update some of the model's parameters, or training changes nothing."""
    ours = {id(p) for p in params}
    updated = [p for group in optimizer.param_groups for p in group["params"]]
    if params and not any(id(p) in ours for p in updated):
        raise ValueError("fit: the optimizer updates none of the model's parameters (was it "
                         "built on another model's?); create it with "
                         "optimizer = nn.optim.SGD(model.parameters(), lr=...)")


def _accuracy_function(accuracy_arg: AccuracyFn | bool | None, loss_fn: Any) -> AccuracyFn | None:
    """fit's `accuracy` argument as a function of (predictions, targets), or None to skip it."""
    if accuracy_arg is False:
        return None
    if accuracy_arg is None or accuracy_arg is True:
        return _accuracy_for(loss_fn)
    if not callable(accuracy_arg):
        raise TypeError(f"fit: accuracy must be None, True, False or a function (predictions, "
                        f"targets) -> float, got {accuracy_arg!r}")
    return accuracy_arg


def _restore_if_not_finite(params: list[Value], before: list[float]) -> float | None:
    """None if every weight is finite; else put `before` back and return a non-finite weight."""
    if math.isfinite(sum(autograd.get_data(params))):  # inf - inf gives nan, not an error
        return None
    bad = next((p.data for p in params if not math.isfinite(p.data)), None)
    if bad is not None:  # (if None, only the sum overflowed)
        for p, value in zip(params, before):
            p.data = value
    return bad


# -- one batch's loss, and its compiled step ------------------------------------------------------
def _batch_loss(model: Any, loss_fn: Callable, l1: float, l2: float,
                predictions: bool) -> Callable[[Any, Any], tuple]:
    """fit's forward: a function of a batch returning its loss (with the penalties), its data
    loss and, if `predictions`, the model's outputs (for the accuracy)."""

    def batch_loss(xb: Any, yb: Any) -> tuple:
        outputs = model(xb)
        data_loss = loss_fn(outputs, yb)
        loss = data_loss
        if l1 or l2:
            params = list(model.parameters())  # read each time: a retrace sees the model as it is
            if l1:
                loss = loss + l1 * F.l1_penalty(params)
            if l2:
                loss = loss + l2 * F.l2_penalty(params)
        return (loss, data_loss, outputs) if predictions else (loss, data_loss)

    return batch_loss


_KEPT_STEPS = 4  # compiled steps a model keeps (one per loss function and penalties)


def _compiled_batch_loss(model: Any, loss_fn: Callable, l1: float, l2: float,
                         predictions: bool) -> Any:
    """`autograd.jit` of `_batch_loss`, kept on the model (a Module) for the next fit: fit called
    an epoch at a time replays the traces it already has instead of tracing each batch size anew.
    The model's guards retrace whenever it changes (mode, parameters); Module's pickling and
    copying leave the kept steps out."""
    settings = (float(l1), float(l2), predictions)
    kept = model.__dict__.get("_compiled_steps") if isinstance(model, Module) else None
    for kept_loss, kept_settings, step in kept or ():
        if kept_settings == settings and _same_loss(kept_loss, loss_fn):
            return step
    step = autograd.jit(_batch_loss(model, loss_fn, l1, l2, predictions))
    if isinstance(model, Module):
        if kept is None:
            kept = model._compiled_steps = []
        if len(kept) >= _KEPT_STEPS:
            kept.pop(0)
        kept.append((loss_fn, settings, step))
    return step


def _same_loss(kept: Any, loss_fn: Any) -> bool:
    """Does a step compiled with the loss `kept` compute `loss_fn`'s? Yes for the same object,
    and for two nn loss modules of one class whose settings are equal plain numbers and words
    (`fit(model, nn.CrossEntropyLoss(), ...)` called again)."""
    if kept is loss_fn:
        return True
    if not isinstance(kept, Module) or type(kept) is not type(loss_fn):
        return False
    ours, theirs = vars(kept), vars(loss_fn)
    return (ours.keys() == theirs.keys()
            and all(type(v) in _SETTINGS and type(theirs[k]) is type(v) and theirs[k] == v
                    for k, v in ours.items()))


# -- the loop --------------------------------------------------------------------------------------
def fit(model: Any, loss_fn: Callable, optimizer: Any, train: Any, val: Any = None,
        epochs: int = 100, batch_size: int | None = None, scheduler: Any = None,
        early_stopping: EarlyStopping | None = None, clip_grad_norm: float | None = None,
        l1: float = 0.0, l2: float = 0.0, progress: bool = True, shuffle: bool = True,
        seed: int | None = None, accuracy: AccuracyFn | bool | None = None,
        callback: StepCallback | None = None, jit: bool = False) -> History:
    """Train `model` for `epochs` passes over `train`; return the `History` of the run.

    Each step: loss = loss_fn(model(X_batch), y_batch) + l1 * sum|p| + l2 * sum p^2, then
    zero_grad, backward, optional gradient-norm clipping, optimizer.step(). After each epoch: the
    validation loss/accuracy (eval mode, no graph), `scheduler.step()` (ReduceLROnPlateau gets the
    validation loss, or the training loss without validation data), and the early-stopping check.
    The weights are exactly those of the same steps written out by hand.

    Args:
        model: a Module (or any callable mapping a batch to a list of outputs with
            `parameters()`).
        loss_fn: `loss_fn(predictions, targets)` -> a Value, mean over the batch
            (e.g. `nn.HingeLoss()`, `nn.functional.mse_loss`).
        optimizer: an `nn.optim` optimizer over the model's parameters.
        train: a pair (X, y) or a `DataLoader`.
        val: optional validation data, (X, y) or a DataLoader.
        epochs: passes over the training data.
        batch_size: for a (X, y) pair: None (full batch, the default), 1 (SGD) or a mini-batch size.
        scheduler: an lr scheduler, stepped once per epoch.
        early_stopping: an `EarlyStopping`; it watches the validation loss (the training loss
            without validation data) and, with restore_best, its best weights are loaded back
            into the model when training ends.
        clip_grad_norm: clip the gradients' 2-norm to this value before each step.
        l1, l2: coefficients of the L1 (sum |p|) and L2 (sum p^2) penalties added to the loss.
        progress: a tqdm bar on a terminal, a line per epoch otherwise, nothing if False.
        shuffle, seed: for a (X, y) pair, the DataLoader's shuffling (seed makes it reproducible).
        accuracy: None to measure accuracy when the targets look like class labels (the rules
            are in `nn.metrics.accuracy`, the threshold from the loss's `output_kind`), False to
            skip it, or a function (predictions, targets) -> float, given the predictions as
            floats (a list with a number, or a list of numbers, per sample).
        callback: called after every optimizer step as `callback(epoch, step, loss)`, epoch and
            step counted from 1 (step within the epoch), loss the batch's data loss as a float
            (without the l1/l2 penalties): for a live plot or a log.
        jit: compile the step with `autograd.jit`: the first batch of each size runs on the
            engine and is traced, the others replay straight-line float code generated for it.
            The same losses, gradients and weights to the bit, in less time. nn's modules and
            losses tell the trace what it cannot see (dropout's random masks, BatchNorm's running
            statistics, their train/eval mode); a model or loss of your own that reads numbers
            off Values to decide what to compute must do the same (see `autograd.jit`).

    Returns:
        The `History`: per-epoch train/val loss and accuracy, lr, gradient norm, time.

    Raises:
        TrainingDivergedError: the loss, the gradient norm or the updated weights became nan or
            inf. It names the epoch and step; the model keeps its last finite weights.
    """
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be an integer >= 0, got {epochs!r}")
    _check_settings(loss_fn, optimizer, clip_grad_norm, l1, l2)
    if not isinstance(jit, bool):
        raise TypeError(f"fit: jit must be True or False, got {jit!r}")
    if callback is not None and not callable(callback):
        raise TypeError(f"fit: callback must be a function (epoch, step, loss), got {callback!r}")
    loader = _as_loader(train, batch_size, shuffle, seed)
    val_data = None if val is None else _split_pair(val, "val")
    params = list(model.parameters())
    _check_optimizer_owns(optimizer, params)
    accuracy_fn = _accuracy_function(accuracy, loss_fn)
    history = History()
    bar = Progress(progress, epochs, len(loader))
    if hasattr(model, "train"):
        model.train()
    where = [0, 0]  # the epoch and step being run, for the divergence error

    def diverged(what: str, value: float, advice: str) -> TrainingDivergedError:
        epoch, step = where
        return TrainingDivergedError(
            f"training diverged: the {what} became {value} at epoch {epoch}, step {step}. The "
            f"model keeps its last finite weights. {advice}", epoch, step, what, value, history)

    predicted = accuracy_fn is not None
    forward = _batch_loss(model, loss_fn, l1, l2, predicted)
    compiled = _compiled_batch_loss(model, loss_fn, l1, l2, predicted) if jit else None

    def check_loss(value: float) -> None:
        if not math.isfinite(value):
            raise diverged("loss", value, "Try a smaller learning rate or clip_grad_norm=1.0; run "
                           "the step under autograd.detect_anomaly() to find the op.")

    def gradients(xb: list, yb: list) -> tuple[float, list | None]:
        """Fill the parameters' .grad for one batch; return its data loss and its predictions as
        floats (None without accuracy). The graph is built and dropped in here (or, compiled,
        never built): nothing of it outlives the call."""
        if compiled is not None:
            optimizer.zero_grad()
            value, data_loss, *predictions = compiled(xb, yb)  # numbers, grads accumulated
            check_loss(value)
            return float(data_loss), predictions[0] if predictions else None
        loss, data_loss, *predictions = forward(xb, yb)
        check_loss(_float_of(loss))
        seen = _floats_of(predictions[0]) if predictions else None
        optimizer.zero_grad()
        loss.backward()
        return float(_float_of(data_loss)), seen

    def train_step(xb: list, yb: list) -> tuple[float, float, list | None]:
        """One optimizer step on one batch: (its data loss, the gradient norm before clipping,
        its predictions as floats, or None without accuracy)."""
        batch_loss, seen = gradients(xb, yb)
        norm = get_total_norm([p.grad for p in params])
        if not math.isfinite(norm):
            raise diverged("gradient norm", norm, "An op has an infinite derivative here (sqrt or "
                           "log at 0?); autograd.detect_anomaly() names it.")
        if clip_grad_norm is not None:
            clip_grads_with_norm_(params, clip_grad_norm, norm)
        before = autograd.get_data(params)
        optimizer.step()
        bad = _restore_if_not_finite(params, before)
        if bad is not None:
            raise diverged("weights", bad, "The update overflowed: lower the learning rate.")
        return batch_loss, norm, seen

    try:
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            lr = optimizer.param_groups[0]["lr"]
            loss_sum, n_seen = 0.0, 0
            predictions_seen: list = []
            targets_seen: list = []
            norms: list[float] = []
            for step, (xb, yb) in enumerate(loader, 1):
                where[:] = epoch, step
                batch_loss, norm, predictions = train_step(xb, yb)
                norms.append(norm)
                loss_sum += batch_loss * len(yb)
                n_seen += len(yb)
                if predictions is not None:
                    predictions_seen.extend(predictions)
                    targets_seen.extend(yb)
                if callback is not None:
                    callback(epoch, step, batch_loss)
                bar.step()

            history.epoch.append(epoch)
            history.train_loss.append(loss_sum / n_seen)
            history.lr.append(lr)
            history.grad_norm.append(sum(norms) / len(norms))
            if accuracy_fn is not None:
                acc = accuracy_fn(predictions_seen, targets_seen)
                if acc is not None:
                    history.train_acc.append(acc)
            monitored = history.train_loss[-1]
            if val_data is not None:
                val_loss, val_acc = evaluate(model, loss_fn, *val_data,
                                             accuracy_fn=accuracy_fn or (lambda p, t: None))
                history.val_loss.append(val_loss)
                if val_acc is not None:
                    history.val_acc.append(val_acc)
                monitored = val_loss
            if scheduler is not None:
                if isinstance(scheduler, ReduceLROnPlateau):
                    scheduler.step(monitored)
                else:
                    scheduler.step()
            history.time.append(time.perf_counter() - start)
            bar.epoch(history)
            if early_stopping is not None and early_stopping.step(monitored, model):
                history.stopped_early = True
                break
    finally:
        bar.close()
    if early_stopping is not None and early_stopping.restore(model):
        history.best_epoch = early_stopping.best_epoch
    return history
