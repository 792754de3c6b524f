"""`fit`: the training loop, written once, with the record of what happened in a `History`.

One step of training is always the same five lines::

    loss = loss_fn(model(X_batch), y_batch) + l2 * l2_penalty(model.parameters())
    optimizer.zero_grad()
    loss.backward()
    clip_grad_norm_(model.parameters(), max_norm)     # optional
    optimizer.step()

`fit` runs them for every batch of every epoch, evaluates on validation data, steps the learning-rate
scheduler, asks early stopping whether to go on, shows progress, and stops with a clear error
when the loss or the gradients stop being finite numbers.
"""
from __future__ import annotations

import html
import math
import sys
import time
from numbers import Real
from typing import Any, Callable, Sequence

import autograd
from autograd import Value

from . import functional as F
from .data import DataLoader
from .data.loader import _as_list
from .early_stopping import EarlyStopping
from .loss import BCELoss, HuberLoss, L1Loss, MSELoss
from .optim.lr_scheduler import ReduceLROnPlateau
from .utils.clip_grad import clip_grads_with_norm_, get_total_norm

AccuracyFn = Callable[[Sequence[Any], Sequence[Any]], float]


class TrainingDivergedError(FloatingPointError):
    """Training produced nan or inf (loss, gradient or weights); the model keeps finite weights.

    Attributes:
        epoch, step: where it happened (both counted from 1; step within the epoch).
        what: "loss", "gradient norm" or "weights"; value: the offending number.
        history: the `History` of the epochs completed before.
    """

    def __init__(self, message: str, epoch: int, step: int, what: str, value: float,
                 history: "History") -> None:
        super().__init__(message)
        self.epoch, self.step, self.what, self.value, self.history = epoch, step, what, value, history


class History:
    """Per-epoch record of a training run: lists indexed like `epoch`, ready to plot.

    Attributes:
        epoch: 1, 2, ... for each completed epoch.
        train_loss: mean data loss over the epoch's batches (weighted by batch size; without the
            l1/l2 penalties, so it compares with val_loss), measured during training.
        val_loss: loss on the validation data after the epoch (empty without validation data).
        train_acc, val_acc: fraction classified correctly (empty when accuracy does not apply,
            e.g. regression); train_acc comes from the training steps' own predictions.
        lr: learning rate of the first parameter group during the epoch.
        grad_norm: mean over the epoch's steps of the gradients' 2-norm, before clipping.
        time: seconds the epoch took.
        stopped_early: whether early stopping ended the run; best_epoch: the epoch whose weights
            were restored (None if none were).
    """

    METRICS = ("train_loss", "val_loss", "train_acc", "val_acc", "lr", "grad_norm", "time")

    def __init__(self) -> None:
        self.epoch: list[int] = []
        self.train_loss: list[float] = []
        self.val_loss: list[float] = []
        self.train_acc: list[float] = []
        self.val_acc: list[float] = []
        self.lr: list[float] = []
        self.grad_norm: list[float] = []
        self.time: list[float] = []
        self.stopped_early = False
        self.best_epoch: int | None = None

    def __len__(self) -> int:
        return len(self.epoch)

    def as_dict(self) -> dict[str, list]:
        """{"epoch": [...], "train_loss": [...], ...} with only the metrics that were recorded."""
        out = {"epoch": list(self.epoch)}
        out.update({name: list(getattr(self, name)) for name in self.METRICS
                    if getattr(self, name)})
        return out

    def last(self) -> dict[str, float]:
        """The last epoch's numbers, {"epoch": n, "train_loss": ..., ...}."""
        return {name: values[-1] for name, values in self.as_dict().items() if values}

    def plot(self, path: str | None = None) -> Any:
        """Draw loss (and accuracy, if recorded) against epoch with matplotlib; return the figure.

        Args:
            path: also save the picture there (e.g. "loss.png").
        """
        try:
            import matplotlib
            if path is not None and "matplotlib.pyplot" not in sys.modules:
                matplotlib.use("Agg")  # saving a file needs no window
            import matplotlib.pyplot as plt
        except ImportError:
            raise ImportError("History.plot needs matplotlib: pip install matplotlib "
                              "(or pip install 'chainrule[demos]')") from None
        panels = [("loss", "train_loss", "val_loss")]
        if self.train_acc or self.val_acc:
            panels.append(("accuracy", "train_acc", "val_acc"))
        fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4), squeeze=False)
        for ax, (title, train, val) in zip(axes[0], panels):
            for name, style in ((train, "-"), (val, "--")):
                values = getattr(self, name)
                if values:
                    ax.plot(self.epoch, values, style, label=name.replace("_", " "))
            if self.best_epoch is not None:
                ax.axvline(self.best_epoch, color="grey", lw=0.8, ls=":", label="best epoch")
            ax.set_xlabel("epoch")
            ax.set_title(title)
            ax.legend()
        fig.tight_layout()
        if path is not None:
            fig.savefig(path, dpi=120)
        return fig

    def _repr_html_(self) -> str:
        """In a notebook: a table with one row per epoch (first and last 10 of a long run)."""
        table = self.as_dict()
        names = list(table)
        rows = list(range(len(self)))
        if len(rows) > 20:
            rows = rows[:10] + [None] + rows[-10:]
        head = "".join(f"<th>{name.replace('_', ' ')}</th>" for name in names)
        body = []
        for i in rows:
            if i is None:
                body.append(f'<tr><td colspan="{len(names)}">…</td></tr>')
                continue
            cells = "".join(f'<td style="text-align: right">{_cell(name, table[name][i])}</td>'
                            for name in names)
            style = ' style="font-weight: bold"' if self.epoch[i] == self.best_epoch else ""
            body.append(f"<tr{style}>{cells}</tr>")
        note = (f"stopped early; best epoch {self.best_epoch} (bold), its weights restored"
                if self.stopped_early and self.best_epoch is not None else
                f"best epoch {self.best_epoch} (bold)" if self.best_epoch is not None else "")
        caption = html.escape(f"History: {len(self)} epochs" + (f"; {note}" if note else ""))
        return (f'<table class="chainrule-history" style="border-collapse: collapse">'
                f'<caption style="text-align: left">{caption}. <code>.plot()</code> draws the '
                f"curves.</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
                f"</table>")

    def __repr__(self) -> str:
        if not self.epoch:
            return "History(no epochs)"
        last = ", ".join(f"{k}={v:.4g}" for k, v in self.last().items() if k != "epoch")
        return f"History({len(self)} epochs; last: {last})"


def _cell(name: str, value: Any) -> str:
    if name == "epoch":
        return str(value)
    if name == "time":
        return f"{value:.2f} s"
    return f"{value:.4g}"


# -- accuracy ---------------------------------------------------------------------------------------
def _number(x: Any) -> Any:
    return x.data if isinstance(x, Value) else x


def _is_integer(t: Any) -> bool:
    return isinstance(t, Real) and not isinstance(t, bool) and float(t).is_integer()


def accuracy(predictions: Sequence[Any], targets: Sequence[Any], threshold: float = 0.0) -> float | None:
    """Fraction of samples classified correctly, or None when the task is not classification.

    Read from the shapes and the targets (an output wrapped in a list of one counts as one output):
    - one output per sample, targets in {0, 1}: correct when (score > threshold) == label (0 for
      logits, as with BCEWithLogitsLoss; pass 0.5 for probabilities or outputs regressed onto
      the labels: `fit` and `evaluate` do for BCELoss, MSELoss, L1Loss and HuberLoss);
    - one output per sample, targets in {-1, +1}: correct when the score's sign is the label's
      (hinge loss, micrograd's demo);
    - several outputs per sample, integer targets: correct when the largest output's index is the
      label (cross-entropy);
    - anything else (real-valued targets: regression): None.
    """
    if not targets or len(predictions) != len(targets):
        return None
    if not all(_is_integer(t) for t in targets):
        return None
    first = predictions[0]
    if isinstance(first, (list, tuple)) and all(len(p) == 1 for p in predictions):
        predictions = [p[0] for p in predictions]  # one score per sample, wrapped in a list
    elif isinstance(first, (list, tuple)):
        correct = 0
        for scores, t in zip(predictions, targets):
            values = [_number(s) for s in scores]
            correct += max(range(len(values)), key=values.__getitem__) == int(t)
        return correct / len(targets)
    labels = {int(t) for t in targets}
    scores = [_number(p) for p in predictions]
    # {0, 1} first: a split whose labels are all 1 is read with `threshold`, which for
    # probabilities is 0.5 (by the sign rule every probability > 0 would count as correct)
    if labels <= {0, 1}:
        return sum((s > threshold) == (t == 1) for s, t in zip(scores, targets)) / len(targets)
    if labels <= {-1, 1}:
        return sum((s > 0) == (t > 0) for s, t in zip(scores, targets)) / len(targets)
    return None


# losses that pull the output itself towards a 0/1 target (probabilities, or a regression onto
# the labels), so 0.5 is the decision threshold; for logits and margin losses it is 0
_OUTPUT_IS_TARGET_LOSSES = (BCELoss, MSELoss, L1Loss, HuberLoss)
_OUTPUT_IS_TARGET_FUNCTIONS = (F.binary_cross_entropy, F.mse_loss, F.l1_loss, F.huber_loss)


def _probability_loss(loss_fn: Any) -> bool:
    """Whether outputs are read as probabilities (threshold 0.5) rather than scores (0)."""
    return (isinstance(loss_fn, _OUTPUT_IS_TARGET_LOSSES)
            or any(loss_fn is f for f in _OUTPUT_IS_TARGET_FUNCTIONS))


def evaluate(model: Any, loss_fn: Callable, X: Sequence, y: Sequence,
             accuracy_fn: AccuracyFn | None = None) -> tuple[float, float | None]:
    """Loss and accuracy of `model` on (X, y), in eval mode and without building a graph.

    Returns (loss, accuracy), the accuracy None when it does not apply (see `accuracy`).
    """
    was_training = getattr(model, "training", False)
    if hasattr(model, "eval"):
        model.eval()
    try:
        with autograd.no_grad():
            predictions = model(list(X))
            loss = float(_number(loss_fn(predictions, list(y))))
    finally:
        if was_training:
            model.train()
    acc = (accuracy_fn or _default_accuracy(loss_fn))(predictions, y)
    return loss, acc


def _default_accuracy(loss_fn: Any) -> AccuracyFn:
    threshold = 0.5 if _probability_loss(loss_fn) else 0.0
    return lambda predictions, targets: accuracy(predictions, targets, threshold)


# -- the loop ---------------------------------------------------------------------------------------
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


def _restore_if_not_finite(params: list[Value], before: list[float]) -> float | None:
    """None if every weight is finite; else put `before` back and return a non-finite weight."""
    if math.isfinite(sum(p.data for p in params)):  # one pass; inf - inf gives nan, not an error
        return None
    bad = next((p.data for p in params if not math.isfinite(p.data)), None)
    if bad is not None:  # (if None, only the sum overflowed)
        for p, value in zip(params, before):
            p.data = value
    return bad


class _Progress:
    """A tqdm bar on a terminal, one printed line per epoch otherwise, or nothing."""

    def __init__(self, enabled: bool, epochs: int, steps_per_epoch: int) -> None:
        self.enabled, self.epochs, self.bar = enabled, epochs, None
        if enabled and sys.stderr.isatty():
            from tqdm.auto import tqdm
            self.bar = tqdm(total=epochs * steps_per_epoch, unit="step", desc="fit",
                            dynamic_ncols=True, leave=True)

    def step(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def epoch(self, history: History) -> None:
        if not self.enabled:
            return
        last = history.last()
        shown = [k for k in ("train_loss", "train_acc", "val_loss", "val_acc") if k in last]
        if self.bar is not None:  # short, so that an 80-column terminal still shows validation
            self.bar.set_description_str(f"epoch {last['epoch']}/{self.epochs}")
            self.bar.set_postfix_str(", ".join(
                f"{k.replace('train_', '').replace('_', ' ')} "
                + (f"{last[k]:.0%}" if "acc" in k else f"{last[k]:.3g}") for k in shown))
        else:
            parts = [f"{k.replace('_', ' ')} "
                     + (f"{last[k]:.1%}" if "acc" in k else f"{last[k]:.4f}") for k in shown]
            print(f"epoch {last['epoch']}/{self.epochs}: " + ", ".join(parts)
                  + f", lr {last['lr']:.4g}, {last['time']:.2f}s", flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _check_settings(loss_fn: Any, optimizer: Any, clip_grad_norm: Any, l1: Any, l2: Any) -> None:
    if not callable(loss_fn):
        raise TypeError(f"fit: loss_fn must be a function of (predictions, targets), such as "
                        f"nn.MSELoss() or nn.functional.mse_loss, got {loss_fn!r}")
    if not (hasattr(optimizer, "step") and hasattr(optimizer, "param_groups")):
        raise TypeError(f"fit: optimizer must be an nn.optim optimizer, e.g. "
                        f"nn.optim.SGD(model.parameters(), lr=0.1), got {optimizer!r}")
    for name, value in (("l1", l1), ("l2", l2), ("clip_grad_norm", clip_grad_norm)):
        if value is None and name == "clip_grad_norm":
            continue
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"fit: {name} must be a number, got {type(value).__name__} {value!r}")
        if not 0.0 <= value < math.inf:
            raise ValueError(f"fit: {name} must be a finite number >= 0, got {value!r}"
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


def fit(model: Any, loss_fn: Callable, optimizer: Any, train: Any, val: Any = None,
        epochs: int = 100, batch_size: int | None = None, scheduler: Any = None,
        early_stopping: EarlyStopping | None = None, clip_grad_norm: float | None = None,
        l1: float = 0.0, l2: float = 0.0, progress: bool = True, shuffle: bool = True,
        seed: int | None = None, accuracy: AccuracyFn | bool | None = None) -> History:
    """Train `model` for `epochs` passes over `train`; return the `History` of the run.

    Each step: loss = loss_fn(model(X_batch), y_batch) + l1 * sum|p| + l2 * sum p^2, then
    zero_grad, backward, optional gradient-norm clipping, optimizer.step(). After each epoch: the
    validation loss/accuracy (eval mode, no graph), `scheduler.step()` (ReduceLROnPlateau gets the
    validation loss, or the training loss without validation data), and the early-stopping check.

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
            are in `accuracy()` in this module), False to skip it, or a function
            (predictions, targets) -> float.

    Returns:
        The `History`: per-epoch train/val loss and accuracy, lr, gradient norm, time.

    Raises:
        TrainingDivergedError: the loss, the gradient norm or the updated weights became nan or
            inf. It names the epoch and step; the model keeps its last finite weights.
    """
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be an integer >= 0, got {epochs!r}")
    _check_settings(loss_fn, optimizer, clip_grad_norm, l1, l2)
    loader = _as_loader(train, batch_size, shuffle, seed)
    val_data = None if val is None else _split_pair(val, "val")
    params = list(model.parameters())
    _check_optimizer_owns(optimizer, params)
    if accuracy is False:
        accuracy_fn = None
    elif accuracy is None or accuracy is True:
        accuracy_fn = _default_accuracy(loss_fn)
    else:
        accuracy_fn = accuracy
    history = History()
    bar = _Progress(progress, epochs, len(loader))
    if hasattr(model, "train"):
        model.train()

    def diverged(epoch: int, step: int, what: str, value: float, advice: str) -> TrainingDivergedError:
        where = f"epoch {epoch}, step {step}"
        return TrainingDivergedError(
            f"training diverged: the {what} became {value} at {where}. The model keeps its last "
            f"finite weights. {advice}", epoch, step, what, value, history)

    try:
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            lr = optimizer.param_groups[0]["lr"]
            loss_sum = n_seen = 0
            preds_seen: list = []
            targets_seen: list = []
            norms: list[float] = []
            for step, (xb, yb) in enumerate(loader, 1):
                predictions = model(xb)
                data_loss = loss_fn(predictions, yb)
                loss = data_loss
                if l1:
                    loss = loss + l1 * F.l1_penalty(params)
                if l2:
                    loss = loss + l2 * F.l2_penalty(params)
                value = _number(loss)
                if not math.isfinite(value):
                    raise diverged(epoch, step, "loss", value,
                                   "Try a smaller learning rate or clip_grad_norm=1.0; run the "
                                   "step under autograd.detect_anomaly() to find the op.")
                optimizer.zero_grad()
                loss.backward()
                norm = get_total_norm([p.grad for p in params])
                if not math.isfinite(norm):
                    raise diverged(epoch, step, "gradient norm", norm,
                                   "An op has an infinite derivative here (sqrt or log at 0?); "
                                   "autograd.detect_anomaly() names it.")
                if clip_grad_norm is not None:
                    clip_grads_with_norm_(params, clip_grad_norm, norm)
                before = [p.data for p in params]
                optimizer.step()
                bad = _restore_if_not_finite(params, before)
                if bad is not None:
                    raise diverged(epoch, step, "weights", bad,
                                   "The update overflowed: lower the learning rate.")
                norms.append(norm)
                loss_sum += _number(data_loss) * len(yb)
                n_seen += len(yb)
                if accuracy_fn is not None:
                    preds_seen.extend(predictions)
                    targets_seen.extend(yb)
                bar.step()

            history.epoch.append(epoch)
            history.train_loss.append(loss_sum / n_seen)
            history.lr.append(lr)
            history.grad_norm.append(sum(norms) / len(norms))
            if accuracy_fn is not None:
                acc = accuracy_fn(preds_seen, targets_seen)
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
