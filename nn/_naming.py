"""Names in pictures: a model's parameters, the numbers fed to it and the targets of a loss.

`autograd` knows nothing of models, so `nn` writes the names into the Values' labels, which every
picture, tree and explanation shows:

- parameters get a short form of their `named_parameters()` name, unique within the model:
  "layers.0.neurons.3.w.1" -> "l0.n3.w1" (a container's list name shortened to its first letter,
  the parameter's own name kept); a model labels its parameters the first time it is called,
  and never overwrites a label someone else gave;
- numbers that enter a model become `x[i]` (a sample) or `x[k][i]` (sample k of a batch);
- numbers given to a loss as targets become `y`, `y[k]` or `y[k][j]`.

Labels are plain strings made once and cached, so naming costs the hot path nothing measurable.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autograd import Value

if TYPE_CHECKING:
    from .module import Module

_SAMPLE: list[str] = []
_BATCH: list[list[str]] = []


def input_labels(n: int, k: int | None = None) -> list[str]:
    """At least n labels "x[0]", "x[1]", ..., or "x[k][0]", ... for sample k of a batch (cached:
    called once per sample on the hot path, it only looks the list up)."""
    row = _SAMPLE if k is None else _BATCH[k] if k < len(_BATCH) else None
    if row is not None and len(row) >= n:
        return row
    return _more_labels(n, k)


def _more_labels(n: int, k: int | None) -> list[str]:
    if k is None:
        _SAMPLE.extend(f"x[{i}]" for i in range(len(_SAMPLE), n))
        return _SAMPLE
    while len(_BATCH) <= k:
        _BATCH.append([])
    row = _BATCH[k]
    row.extend(f"x[{k}][{i}]" for i in range(len(row), n))
    return row


def named_targets(inputs: list, targets: list, shape: Any) -> list:
    """The targets with each plain number paired with a Value prediction made a labelled Value
    (`y`, `y[k]`, `y[k][j]` following `shape`, as `nn.functional._flatten` returns it)."""
    if shape is None:
        labels = ["y"]
    elif isinstance(shape, int):
        labels = [f"y[{k}]" for k in range(shape)]
    else:
        labels = [f"y[{k}][{j}]" for k, n in enumerate(shape) for j in range(n)]
    # a target needs no gradient, as in torch: Value(data, _children, _op, label, requires_grad)
    return [Value(t, (), "", label, False)
            if isinstance(p, Value) and not isinstance(t, Value) else t
            for p, t, label in zip(inputs, targets, labels)]


def short_names(full_names: list[str]) -> list[str]:
    """Short forms of dotted parameter names, each unique within the list (else the full name)."""
    shorts = [_short(name) for name in full_names]
    counts: dict[str, int] = {}
    for short in shorts:
        counts[short] = counts.get(short, 0) + 1
    return [short if counts[short] == 1 else full for short, full in zip(shorts, full_names)]


def _short(name: str) -> str:
    parts = name.split(".")
    out = []
    i = 0
    while i < len(parts):
        part = parts[i]
        index = parts[i + 1] if i + 1 < len(parts) and parts[i + 1].isdigit() else None
        if index is not None:
            last = i + 2 == len(parts)  # the parameter itself: keep its name, w1
            out.append((part if last or not part[:1].isalpha() else part[0]) + index)
            i += 2
        else:
            out.append(part)
            i += 1
    return ".".join(out)


def name_parameters(model: Module) -> None:
    """Label `model`'s parameters with their short names (those still unlabelled, or labelled by
    an earlier naming of a part of the model), and mark the model and its parts as named."""
    named = model.named_parameters()
    ours: dict[int, str] = {}
    modules = list(model.modules())
    for module in modules:
        ours.update(module.__dict__.get("_auto_labels", {}))
    labels = {}
    for (_, p), short in zip(named, short_names([name for name, _ in named])):
        if not p.label or ours.get(id(p)) == p.label:
            p.label = short
            labels[id(p)] = short
    for module in modules:
        module._named = True
    model._auto_labels = labels
