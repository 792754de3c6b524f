"""Anomaly detection (`detect_anomaly`): the op and the inputs where nan or inf first appear."""
from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .op import Op
    from .value import Value


def describe(v: Value, depth: int = 3) -> str:
    """A short formula for how `v` was computed, using labels where set: `tanh(w*x + b)`."""
    if v.label:
        return v.label
    parents = v.parents
    if not parents or depth == 0:
        return repr(v._data) if not parents else "..."
    args = ", ".join(describe(p, depth - 1) for p in parents[:4])
    if len(parents) > 4:
        args += f", ... ({len(parents)} inputs)"
    return f"{v._operation.name}({args})"


def _inputs_text(inputs: Iterable[Value]) -> str:
    return ", ".join(f"{describe(x)} = {x._data!r}" for x in inputs)


def check_forward(op: Op, inputs: tuple[Value, ...], data: float) -> None:
    if math.isfinite(data):
        return
    raise FloatingPointError(
        f"op '{op.name}' produced {data!r} in the forward pass; inputs: {_inputs_text(inputs)}")


def check_backward(node: Value) -> None:
    for parent in node.parents:
        g = parent.grad
        if not math.isfinite(g if type(g) is float else g._data):
            raise FloatingPointError(
                f"the backward of op '{node._operation.name}' produced gradient {g!r} for input "
                f"{describe(parent)}; the op's output is {describe(node)} = {node._data!r} "
                f"with gradient {node.grad!r}; inputs: {_inputs_text(node.parents)}")
