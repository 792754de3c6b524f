"""Samples and batches: how modules tell them apart, and the base class of layer-like modules.

A *sample* is a list (or tuple, or 1-d numpy array) of numbers or Values: one input vector.
A *batch* is a list of samples. The two are told apart by the first element: a number or a Value
means a sample, a list/tuple/array means a batch. That is unambiguous because a sample's entries are
scalars. A bare number or Value counts as a sample of one.
"""
from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral, Real
from typing import Any

import autograd
from autograd import Value

from ._naming import input_labels
from .module import Module


def is_batch(x: Any) -> bool:
    """True if `x` is a batch (a non-empty sequence whose first element is itself a sequence)."""
    if isinstance(x, (Value, Real)):
        return False
    if isinstance(x, Mapping):  # it would be read as its keys
        raise TypeError(f"a module takes a sample (a list of numbers or Values), not a "
                        f"{type(x).__name__}; for a dict of inputs pass list(d.values()) in the "
                        f"order the model expects: {x!r:.60}")
    if not (hasattr(x, "__len__") and hasattr(x, "__getitem__")) or isinstance(x, (str, bytes)):
        raise TypeError(f"a module takes a sample (a list of numbers or Values) or a batch (a list "
                        f"of samples), got {type(x).__name__}: {x!r:.60}")
    if not len(x):
        return False
    first = x[0]
    return not isinstance(first, (Value, Real)) and hasattr(first, "__len__")


def as_values(sample: Any, k: int | None = None) -> list[Value]:
    """The sample as a list of Values: numbers become new leaf Values, Values are kept as they are.

    Models convert their input once here, at the entry, so every layer inside works on Values only
    (which is what `autograd.dot`'s fast path wants). New Values need no gradient
    (requires_grad=False, as torch's inputs: backward skips them; pass Values made with
    requires_grad=True to get an input's gradient, for saliency). New Values are labelled `x[i]`,
    or `x[k][i]` for sample `k` of a batch, so pictures of the graph tell inputs from weights.
    """
    if type(sample) is not list:  # a list, the common case, skips the slower checks
        if isinstance(sample, (Value, Real)):
            sample = (sample,)
        elif isinstance(sample, Mapping):
            is_batch(sample)  # refuses it, saying why
        elif hasattr(sample, "tolist") and not isinstance(sample, tuple):
            sample = sample.tolist()  # numpy arrays: numbers as Python floats in one C call
    labels = input_labels(len(sample), k)
    # Value(data, _children, _op, label, requires_grad) by position: keywords cost a third more
    return [v if isinstance(v, Value) else Value(v, (), "", label, False)
            for v, label in zip(sample, labels)]


def check_count(owner: str, name: str, value: Any) -> int:
    """`value` if it is an int >= 0 (a number of inputs, outputs or features), or a clear error."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
        raise ValueError(f"{owner}: {name} must be a whole number >= 0, got {value!r}")
    return int(value)


class InputSizeError(ValueError):
    """A sample with the wrong number of entries. The message names the module by its place in
    the model (`layers.1: expected 16 inputs, got 3`), which the containers fill in on the way
    out, and in a batch the sample."""

    def __init__(self, module: Module, expected: int, got: int) -> None:
        super().__init__()
        self.kind, self.expected, self.got = type(module).__name__, expected, got
        self.path: list[str] = []  # child names, outermost first
        self.sample: int | None = None  # the index in the batch

    def __str__(self) -> str:
        where = f"{'.'.join(self.path)}: expected" if self.path else f"{self.kind} expected"
        text = f"{where} {self.expected} inputs, got {self.got}"
        if not self.got:
            text += (" (an empty list: a sample needs one number per input, a batch at least "
                     "one sample)")
        if self.sample is not None:
            text += f" in sample {self.sample} of the batch"
        return text


def check_size(module: Module, expected: int, got: int) -> None:
    """Raise an InputSizeError (a ValueError) when a sample has the wrong number of entries."""
    if expected != got:
        raise InputSizeError(module, expected, got)


def named_in(error: InputSizeError, name: str) -> InputSizeError:
    """`error`, now saying it happened in the child `name` (a container adds its child's name)."""
    error.path.insert(0, name)
    return error


class SampleModule(Module):
    """A module that maps a sample to a sample and a batch to a batch (layers, activations...).

    Subclasses implement `_sample(x)` on a list of Values (no conversion needed) and may override
    `_batch(xs)` when samples are not independent (BatchNorm). `forward` converts inputs, dispatches
    on sample vs batch and shapes the output: layer-like modules (`_squeeze = True`) return a single
    Value for a one-element output, as micrograd's Layer does; elementwise modules
    (`_squeeze = False`) keep the form of their input (Value in, Value out; list in, list out).
    """

    _squeeze = True

    def _sample(self, x: list[Value]) -> list[Value]:
        raise NotImplementedError

    def _batch(self, xs: list[list[Value]]) -> list[list[Value]]:
        sample = self._sample
        out: list[list[Value]] = []
        try:
            for x in xs:
                out.append(sample(x))
        except InputSizeError as error:
            if error.sample is None:
                error.sample = len(out)
            raise
        return out

    def forward(self, x: Any) -> Any:
        """Apply the module to one sample (a list of numbers/Values) or a batch (a list of them)."""
        if is_batch(x):
            outs = self._batch([as_values(s, k) for k, s in enumerate(x)])
            if self._squeeze:
                return [o[0] if len(o) == 1 else o for o in outs]
            return outs
        out = self._sample(as_values(x))
        if len(out) == 1 and (self._squeeze or isinstance(x, (Value, Real))):
            return out[0]
        return out


def run_sample(module: Module, x: list[Value]) -> list[Value]:
    """`module` on a sample inside a container (Sequential, MLP): the output always as a list, and
    under `autograd.scope(module)` while scopes are being recorded."""
    if isinstance(module, SampleModule):
        if autograd.is_recording_scopes():
            with autograd.scope(module):
                return module._sample(x)
        return module._sample(x)
    out = module(x)
    return [out] if isinstance(out, Value) else as_values(out)


def run_batch(module: Module, xs: list[list[Value]]) -> list[list[Value]]:
    """`module` on a batch inside a container: outputs always as lists of lists."""
    if isinstance(module, SampleModule):
        if autograd.is_recording_scopes():
            with autograd.scope(module):
                return module._batch(xs)
        return module._batch(xs)
    outs = module(xs)
    return [[o] if isinstance(o, Value) else as_values(o) for o in outs]
