"""What `nn.fit` shows while it trains: a tqdm bar on a terminal, a printed line per epoch
otherwise (a notebook, a log file), or nothing."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .history import History


class Progress:
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
