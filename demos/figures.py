"""A lesson's matplotlib figure shown with a description: `show("what the figure shows")`.

`plt.show()` in a notebook gives a bare PNG, which a screen reader cannot describe and which
nbconvert's HTML export flags ("Alternative text is missing on N image(s)"). `show(alt)` shows
the same picture as an `<img>` with `alt` as its alternative text, and the PNG beside it (with
the same text in its metadata) for front ends that do not show HTML.
"""
from __future__ import annotations

import base64
import html
import io
from typing import Any

__all__ = ["show", "Figure"]


class Figure:
    """A rendered figure and its description, as a notebook displays it."""

    def __init__(self, png: bytes, alt: str) -> None:
        self.png, self.alt = png, alt

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                          **_: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        data = base64.b64encode(self.png).decode("ascii")
        img = (f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}" '
               f'style="max-width: 100%; height: auto">')
        return ({"text/html": img, "image/png": self.png, "text/plain": f"<figure: {self.alt}>"},
                {"image/png": {"alt": self.alt}})

    def __repr__(self) -> str:
        return f"<figure: {self.alt}>"


def show(alt: str, fig: Any = None) -> None:
    """Display `fig` (the current figure by default) with `alt` as its alternative text, and
    close it, as `plt.show()` does in a notebook.

    Args:
        alt: what the figure shows, in a sentence or two: what a reader who cannot see it needs
            to follow the lesson (the trend, not every number).
        fig: a matplotlib Figure; None: `plt.gcf()`.
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    if not alt or not alt.strip():
        raise ValueError("show(alt) needs a description of the figure (its alternative text)")
    fig = plt.gcf() if fig is None else fig
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    display(Figure(buffer.getvalue(), alt))
