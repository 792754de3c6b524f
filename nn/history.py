"""`History`: what happened in a training run, epoch by epoch, as lists ready to plot.

`nn.fit` fills one in; it shows itself as text in the REPL, as a table in a notebook, and as loss
and accuracy curves with `plot()`.
"""
from __future__ import annotations

import html
import sys
from typing import Any

__all__ = ["History"]


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
        rows: list[int | None] = list(range(len(self)))
        if len(rows) > 20:
            rows = rows[:10] + [None] + rows[-10:]
        head = "".join(f"<th>{name.replace('_', ' ')}</th>" for name in names)
        body = []
        for i in rows:
            if i is None:
                body.append(f'<tr><td colspan="{len(names)}">…</td></tr>')
                continue
            cells = "".join(f'<td style="text-align: right">{_cell_text(name, table[name][i])}</td>'
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


def _cell_text(name: str, value: Any) -> str:
    if name == "epoch":
        return str(value)
    if name == "time":
        return f"{value:.2f} s"
    return f"{value:.4g}"
