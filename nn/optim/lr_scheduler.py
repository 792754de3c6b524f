"""Learning-rate schedules, as `torch.optim.lr_scheduler`: each changes `group["lr"]` per step.

Call `scheduler.step()` once per epoch (or per batch, if the schedule is meant per batch) after
`optimizer.step()`::

    opt = SGD(model.parameters(), lr=0.1)
    sched = StepLR(opt, step_size=30, gamma=0.1)   # 0.1 for 30 epochs, then 0.01, then 0.001...
    for epoch in range(100):
        train_one_epoch(model, opt)
        sched.step()

Creating a scheduler already counts as its step 0 (`last_epoch == 0`) and may change the lr
(`LinearLR` scales it by `start_factor`). Like PyTorch, each schedule multiplies the lr the
optimizer currently holds (a "chainable" form), so two schedulers on one optimizer combine, and the
learning-rate sequences are the same floats as PyTorch's.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from numbers import Integral, Real
from typing import Any

from .optimizer import Optimizer

__all__ = ["LRScheduler", "LambdaLR", "StepLR", "MultiStepLR", "ExponentialLR",
           "CosineAnnealingLR", "LinearLR", "ReduceLROnPlateau"]


def _check_factor(owner: str, name: str, value: Any, below_one: bool = False) -> float:
    """`value` if it is a finite number >= 0 (and < 1 with `below_one`), else a clear error."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{owner}: {name} must be a number, got {type(value).__name__} {value!r}")
    number = float(value)
    if below_one and not 0.0 <= number < 1.0:
        raise ValueError(f"{owner}: {name} must be >= 0 and < 1 (the lr is multiplied by it), "
                         f"got {value!r}")
    if not 0.0 <= number < math.inf:
        raise ValueError(f"{owner}: {name} must be a finite number >= 0 (the lr is multiplied "
                         f"by it), got {value!r}")
    return value  # type: ignore[return-value]  # a Real: mypy sees no float in it


class LRScheduler:
    """Base class: keeps `last_epoch` and `base_lrs`; subclasses say how `get_lr()` moves the lr.

    Args:
        optimizer: the optimizer whose param groups' `"lr"` this scheduler sets.
        last_epoch: index of the last epoch when resuming a run (default -1: start fresh). To
            resume, the groups must hold `"initial_lr"` (load the optimizer's state dict first).
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer; pass the optimizer "
                            "whose learning rate should be scheduled")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"param 'initial_lr' is not specified in param_groups[{i}] "
                                   "when resuming a scheduler with last_epoch >= 0; load the "
                                   "optimizer's state dict first")
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._is_initial = True
        self.step()
        self._is_initial = False

    def get_lr(self) -> list[float]:
        """The learning rates for the step `last_epoch` that `step()` has just moved to."""
        raise NotImplementedError

    def step(self) -> None:
        """Advance one epoch and write the new learning rate into every param group."""
        self._step_count += 1
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list[float]:
        """The learning rates last set by this scheduler, one per param group."""
        return list(self._last_lr)

    def _current_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Everything the scheduler holds except the optimizer (save it with the optimizer's)."""
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what `state_dict()` saved."""
        self.__dict__.update(state_dict)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, lr={self._last_lr})"


class LambdaLR(LRScheduler):
    """lr = initial_lr * lr_lambda(epoch): any schedule written as a function.

    micrograd's demo decays the lr linearly from 1.0 to 0.1 over 100 steps::

        LambdaLR(SGD(params, lr=1.0), lambda k: 1.0 - 0.9 * k / 100)

    Args:
        optimizer: the optimizer to schedule.
        lr_lambda: a function of the epoch index, or one per param group.
        last_epoch: see `LRScheduler`.
    """

    def __init__(self, optimizer: Optimizer,
                 lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
                 last_epoch: int = -1) -> None:
        n = len(optimizer.param_groups)
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != n:
                raise ValueError(f"expected {n} lr_lambdas (one per param group), "
                                 f"got {len(lr_lambda)}")
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * n
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base_lr * fn(self.last_epoch) for fn, base_lr in zip(self.lr_lambdas,
                                                                    self.base_lrs)]

    def state_dict(self) -> dict[str, Any]:
        """As `LRScheduler.state_dict`, without the functions (they cannot be saved as data)."""
        return {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "lr_lambdas")}


class StepLR(LRScheduler):
    """Multiply the lr by gamma every `step_size` epochs.

    lr_epoch = initial_lr * gamma ** (epoch // step_size)

    Args:
        optimizer: the optimizer to schedule.
        step_size: epochs between decays.
        gamma: the decay factor (default 0.1).
        last_epoch: see `LRScheduler`.
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        if not isinstance(step_size, int) or step_size <= 0:
            raise ValueError(f"step_size must be a positive integer, got {step_size!r}")
        self.step_size = step_size
        self.gamma = _check_factor("StepLR", "gamma", gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]


class MultiStepLR(LRScheduler):
    """Multiply the lr by gamma at each epoch listed in `milestones`.

    lr_epoch = initial_lr * gamma ** (number of milestones <= epoch)

    Args:
        optimizer: the optimizer to schedule.
        milestones: epoch indices at which to decay (a milestone listed twice decays twice).
        gamma: the decay factor (default 0.1).
        last_epoch: see `LRScheduler`.
    """

    def __init__(self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        if not isinstance(milestones, (list, tuple, set, frozenset, range)) or not all(
                isinstance(m, Integral) and not isinstance(m, bool) for m in milestones):
            raise TypeError(f"MultiStepLR: milestones must be a list of epoch numbers (ints), "
                            f"e.g. [30, 80], got {milestones!r}")
        self.milestones = Counter(milestones)
        self.gamma = _check_factor("MultiStepLR", "gamma", gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch not in self.milestones:
            return self._current_lrs()
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [lr * factor for lr in self._current_lrs()]


class ExponentialLR(LRScheduler):
    """Multiply the lr by gamma every epoch: lr_epoch = initial_lr * gamma ** epoch.

    Args:
        optimizer: the optimizer to schedule.
        gamma: the decay factor per epoch.
        last_epoch: see `LRScheduler`.
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = _check_factor("ExponentialLR", "gamma", gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self._is_initial:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]


class CosineAnnealingLR(LRScheduler):
    """Anneal the lr from its initial value down to eta_min along half a cosine over T_max epochs.

    lr_epoch = eta_min + (initial_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2

    computed, as in PyTorch, by the equivalent recursive form from the current lr,

    lr_epoch = eta_min + (lr_{epoch-1} - eta_min) * (1 + cos(pi * epoch / T_max))
                                                  / (1 + cos(pi * (epoch - 1) / T_max)),

    so it composes with other schedulers. Past T_max the lr climbs back up (the cosine goes on);
    use T_max = the number of epochs to stop at eta_min.

    Args:
        optimizer: the optimizer to schedule.
        T_max: epochs of one half period.
        eta_min: the lowest lr (default 0).
        last_epoch: see `LRScheduler`.
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0,
                 last_epoch: int = -1) -> None:
        if T_max <= 0:
            raise ValueError(f"T_max must be a positive number of epochs, got {T_max!r}")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        epoch, T_max, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current_lrs()
        if (epoch - 1 - T_max) % (2 * T_max) == 0:  # the bottom of the cosine: the ratio is 0/0
            return [lr + (base_lr - eta_min) * (1 - math.cos(math.pi / T_max)) / 2
                    for lr, base_lr in zip(self._current_lrs(), self.base_lrs)]
        ratio = ((1 + math.cos(math.pi * epoch / T_max))
                 / (1 + math.cos(math.pi * (epoch - 1) / T_max)))
        return [ratio * (lr - eta_min) + eta_min for lr in self._current_lrs()]


class LinearLR(LRScheduler):
    """Scale the lr linearly from start_factor * lr to end_factor * lr over total_iters epochs.

    lr_epoch = initial_lr * (start_factor + (end_factor - start_factor) * min(epoch, total_iters)
                                           / total_iters)

    Usually a warm-up: LinearLR(opt, start_factor=0.1, total_iters=5) ramps up to the full lr.

    Args:
        optimizer: the optimizer to schedule.
        start_factor: multiplier at epoch 0, in (0, 1] (default 1/3).
        end_factor: multiplier from epoch total_iters on, in [0, 1] (default 1.0).
        total_iters: epochs of the ramp (default 5).
        last_epoch: see `LRScheduler`.
    """

    start_factor: float
    end_factor: float
    total_iters: int

    def __init__(self, optimizer: Optimizer, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5, last_epoch: int = -1) -> None:
        if not 0 < start_factor <= 1:
            raise ValueError("Starting multiplicative factor expected to be greater than 0 and "
                             f"less or equal to 1, got {start_factor}")
        if not 0 <= end_factor <= 1:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1, "
                             f"got {end_factor}")
        if (isinstance(total_iters, bool) or not isinstance(total_iters, Integral)
                or total_iters < 1):
            raise ValueError(f"LinearLR: total_iters must be a whole number of epochs >= 1, "
                             f"got {total_iters!r}")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0:
            return [lr * self.start_factor for lr in self._current_lrs()]
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._current_lrs()
        span = self.end_factor - self.start_factor
        factor = 1.0 + span / (self.total_iters * self.start_factor + (self.last_epoch - 1) * span)
        return [lr * factor for lr in self._current_lrs()]


class ReduceLROnPlateau(LRScheduler):
    """Cut the lr by `factor` when a metric (validation loss, say) has stopped improving.

    Call `step(metric)` once per epoch. A metric counts as an improvement over the best so far
    when (mode "min"; "max" mirrors it)

        threshold_mode "rel":  metric < best * (1 - threshold)
        threshold_mode "abs":  metric < best - threshold

    After more than `patience` epochs in a row without improvement, every group's lr becomes
    max(lr * factor, min_lr) (changes smaller than eps are skipped), and the count pauses for
    `cooldown` epochs.

    Args:
        optimizer: the optimizer to schedule.
        mode: "min" (the metric should fall, e.g. a loss) or "max" (e.g. an accuracy).
        factor: multiplier applied to the lr, < 1 (default 0.1).
        patience: epochs without improvement tolerated before a cut (default 10).
        threshold: the least change that counts as an improvement (default 1e-4).
        threshold_mode: "rel" (relative to best) or "abs".
        cooldown: epochs to wait after a cut before counting again (default 0).
        min_lr: a lower bound on the lr, one number or one per group (default 0).
        eps: the smallest lr change worth making (default 1e-8).
    """

    def __init__(self, optimizer: Optimizer, mode: str = "min", factor: float = 0.1,
                 patience: int = 10, threshold: float = 1e-4, threshold_mode: str = "rel",
                 cooldown: int = 0, min_lr: float | list[float] = 0, eps: float = 1e-8) -> None:
        _check_factor("ReduceLROnPlateau", "factor", factor, below_one=True)
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold_mode must be 'rel' or 'abs', got {threshold_mode!r}")
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        n = len(optimizer.param_groups)
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != n:
                raise ValueError(f"expected {n} min_lrs (one per param group), got {len(min_lr)}")
            self.min_lrs = list(min_lr)
        else:
            self.min_lrs = [min_lr] * n
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode = threshold, threshold_mode
        self.cooldown, self.eps = cooldown, eps
        self.last_epoch = 0
        self._last_lr = self._current_lrs()
        self.best = math.inf if mode == "min" else -math.inf
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def is_better(self, metric: float, best: float) -> bool:
        """Whether `metric` improves on `best` by more than the threshold."""
        if self.mode == "min":
            if self.threshold_mode == "rel":
                return metric < best * (1.0 - self.threshold)
            return metric < best - self.threshold
        if self.threshold_mode == "rel":
            return metric > best * (self.threshold + 1.0)
        return metric > best + self.threshold

    def step(self, metrics: float) -> None:  # type: ignore[override]
        """Record this epoch's metric (a float or a Value) and cut the lr if it has plateaued."""
        current = float(metrics)
        self.last_epoch += 1
        if self.is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
                old_lr = float(group["lr"])
                new_lr = max(old_lr * self.factor, min_lr)
                if old_lr - new_lr > self.eps:
                    group["lr"] = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self._current_lrs()
