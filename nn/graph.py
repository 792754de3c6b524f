"""Which module made which node: the bridge between a model and a picture of its graph.

    with nn.trace_modules(model) as groups:
        loss = loss_fn(model(x), y)
    autograd.draw_dot(loss, groups=groups)   # boxes around each layer and neuron

`Module.__call__` opens `autograd.scope(module)` while scopes are recorded; this turns the recorded
module objects into the dotted names of `model.named_modules()`.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import autograd

from .module import Module

__all__ = ["trace_modules"]


@contextlib.contextmanager
def trace_modules(model: Module,
                  max_nodes: int | None = 100_000) -> Iterator[dict[Any, tuple[str, ...]]]:
    """Record, for every node created inside the block, the modules that made it.

    Yields a dict node -> tuple of dotted module names, outermost first, e.g.
    `("layers.0", "layers.0.neurons.3")`. The dict is filled when the block ends. The model itself
    (the root, named "") is left out of the tuples, since every node of the model belongs to it;
    nodes made outside any sub-module (a loss computed after the model, say) are not in the dict.
    Modules that are not part of `model` (a loss module, another model) appear under their class
    name, other scope keys as `str(key)`.

    Trace one step, not a training loop: every recorded node keeps its graph alive, so past
    `max_nodes` recorded nodes (None: no limit) the recording stops with a RuntimeWarning (see
    `autograd.record_scopes`).
    """
    if not isinstance(model, Module):
        raise TypeError(f"trace_modules needs an nn.Module, got {type(model).__name__}")
    names = {id(module): name for name, module in model.named_modules()}
    result: dict[Any, tuple[str, ...]] = {}
    with autograd.record_scopes(max_nodes) as recorded:
        yield result
    for node, path in recorded.items():
        labels = []
        for key in path:
            if key is model:
                continue
            if isinstance(key, Module):
                labels.append(names.get(id(key)) or type(key).__name__)
            else:
                labels.append(str(key))
        if labels:
            result[node] = tuple(labels)
