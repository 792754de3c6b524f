"""A model seen as a network picture sees it: columns of neurons, and their numbers on a sample.

`columns(model)` turns an MLP, Layer, Neuron or Sequential into the list of columns the picture
draws: the inputs, then one column per layer of neurons, each with the elementwise modules that
follow it (activations, Dropout, BatchNorm1d) as its `steps`. `run(model, columns, sample)` computes
every column's values on one sample in evaluation mode without recording a graph, and leaves the
model exactly as it was.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import autograd
from autograd import Value

from ._batching import SampleModule
from .activation import LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from .batchnorm import BatchNorm1d
from .dropout import Dropout
from .layers import MLP, Layer, Neuron, Sequential
from .module import Module

ELEMENTWISE = (ReLU, Tanh, Sigmoid, LeakyReLU, Softmax, Dropout, BatchNorm1d)
ACTIVATION_OF: dict[type, str] = {ReLU: "relu", Tanh: "tanh", Sigmoid: "sigmoid",
                                  LeakyReLU: "leaky_relu", Softmax: "softmax"}
SUPPORTED = ("nn.MLP, nn.Layer, nn.Neuron, or an nn.Sequential of those with ReLU, Tanh, Sigmoid, "
             "LeakyReLU, Softmax, Dropout and BatchNorm1d modules between them")


@dataclass
class Column:
    """The inputs (`activation` "input", no neurons) or one layer of neurons."""

    name: str  # the layer's module name ("layers.0"), "input" for the inputs
    heading: str  # what the picture writes above it
    size: int
    neurons: list[tuple[str, Neuron]]  # (module name, neuron), top to bottom
    activation: str  # the layer's own activation ("relu", "linear"...)
    steps: list[tuple[str, SampleModule]] = field(default_factory=list)  # elementwise, after it

    def final_kind(self) -> str:
        """The last thing that changes the column's values: its activation or a step after it
        ("batchnorm"); Dropout is the identity in evaluation mode."""
        kind = self.activation
        for _, step in self.steps:
            if not isinstance(step, Dropout):
                kind = ACTIVATION_OF.get(type(step), "batchnorm")
        return kind


def one_line(model: Any) -> str:
    """The model in one line: "MLP(2, [16, 1], activation='relu')" or
    "Sequential(Layer, ReLU, Layer)"."""
    if isinstance(model, Sequential):
        return f"Sequential({', '.join(type(child).__name__ for child in model.children())})"
    return f"{type(model).__name__}({model.extra_repr()})"


def step_name(step: SampleModule) -> str:
    """"relu", "dropout", "batchnorm": a step as a column's caption names it."""
    if isinstance(step, Dropout):
        return "dropout"
    return ACTIVATION_OF.get(type(step), "batchnorm")


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _flatten(module: Any, name: str, heading: str,
             model: Any) -> list[tuple[str, str, SampleModule]]:
    """(name, heading, module) of the layers and elementwise modules, in the order a sample goes
    through them."""
    if isinstance(module, (Neuron, Layer) + ELEMENTWISE):
        return [(name, heading or type(module).__name__, module)]
    if isinstance(module, MLP):
        return [(_join(name, f"layers.{i}"), _join(name, f"layers.{i}"), layer)
                for i, layer in enumerate(module.layers)]
    if isinstance(module, Sequential):
        parts: list[tuple[str, str, SampleModule]] = []
        for child_name, child in module.named_children():
            full = _join(name, child_name)
            parts.extend(_flatten(child, full, f"{full}: {type(child).__name__}", model))
        return parts
    what = type(module).__name__ if isinstance(module, Module) else \
        f"{type(module).__name__} {module!r:.60}"
    if module is model:
        raise TypeError(f"draw_network draws a model made of layers of neurons ({SUPPORTED}); "
                        f"got {what}")
    raise TypeError(f"draw_network cannot draw {name} of {type(model).__name__}: it is a "
                    f"{what}; it draws {SUPPORTED}")


def columns(model: Any) -> list[Column]:
    """The columns of `model`'s picture, the inputs first; a clear error for what does not fit."""
    parts = _flatten(model, "", "", model)
    layers = [module for _, _, module in parts if isinstance(module, (Neuron, Layer))]
    if not layers:
        raise TypeError(f"draw_network: {type(model).__name__} has no layer of neurons to draw; "
                        f"it draws {SUPPORTED}")
    result = [Column("input", "input", layers[0].nin, [], "input")]
    for name, heading, module in parts:
        before = result[-1]
        where, given = name or type(model).__name__, (
            "the input" if before.activation == "input" else f"the layer before ({before.name})")
        if isinstance(module, (Neuron, Layer)):
            if module.nin != before.size:
                raise ValueError(f"cannot draw {type(model).__name__}: {where} ({module!r}) takes "
                                 f"{module.nin} inputs, but {given} gives it {before.size}")
            neurons = ([(name or "neuron", module)] if isinstance(module, Neuron) else
                       [(_join(name, f"neurons.{j}"), n) for j, n in enumerate(module.neurons)])
            result.append(Column(name or heading, heading, len(neurons), neurons,
                                 module.activation))
        else:
            if isinstance(module, BatchNorm1d) and module.num_features != before.size:
                raise ValueError(f"cannot draw {type(model).__name__}: {where} ({module!r}) "
                                 f"normalises {module.num_features} features, but {given} gives "
                                 f"it {before.size}")
            before.steps.append((name, module))
    return result


def sample_numbers(sample: Any, size: int, model: Any) -> list[float]:
    """`sample` (numbers, Values, a tuple, a numpy array) as `size` floats, or a clear error."""
    if isinstance(sample, (Real, Value)):
        sample = [sample]  # a bare number is a sample of one, as modules take it
    elif hasattr(sample, "tolist") and not isinstance(sample, (list, tuple)):
        sample = sample.tolist()  # numpy
        sample = [sample] if isinstance(sample, Real) else sample
    if isinstance(sample, (str, bytes, dict)) or not hasattr(sample, "__len__"):
        raise TypeError(f"draw_network(sample=...) takes one input vector (a list of {size} "
                        f"numbers), got {type(sample).__name__} {sample!r:.60}")
    entries = list(sample)
    if entries and not isinstance(entries[0], (Real, Value)) and hasattr(entries[0], "__len__"):
        raise ValueError(f"draw_network(sample=...) takes one sample, got a batch of "
                         f"{len(entries)}; pass one of them, e.g. sample=X[0]")
    if len(entries) != size:
        raise ValueError(f"draw_network: the sample has {len(entries)} entries, but "
                         f"{type(model).__name__} takes {size} inputs")
    numbers = []
    for i, entry in enumerate(entries):
        entry = entry.data if isinstance(entry, Value) else entry
        if isinstance(entry, bool) or not isinstance(entry, Real):
            raise TypeError(f"draw_network: sample entry {i} is {type(entry).__name__} "
                            f"{entry!r:.40}, expected a number")
        numbers.append(float(entry))
    return numbers


@dataclass
class ColumnRun:
    """One column's numbers on the sample."""

    values: list[float]  # what each neuron passes on, after the steps
    sums: list[float] | None = None  # each neuron's weighted sum w . x + b (None for the inputs)
    stages: list[tuple[str, list[float]]] = field(default_factory=list)  # (what, values after it)
    activations: list[tuple[str, list[float]]] = field(default_factory=list)  # (kind, outputs)

    def apply_steps(self, column: Column, x: list[Value]) -> list[Value]:
        for name, step in column.steps:
            x = step._sample(x)
            numbers = [v.data for v in x]
            self.stages.append((f"{name}: {type(step).__name__}" if name else type(step).__name__,
                                numbers))
            kind = ACTIVATION_OF.get(type(step))
            if kind is not None:
                self.activations.append((kind, numbers))
        self.values = [v.data for v in x]
        return x

    def mark(self, i: int) -> tuple[str, str] | None:
        """("dead", "relu") when a ReLU gives neuron i exactly 0, else ("saturated", "tanh") when
        a tanh gives it more than 0.99 in size (("saturated", "sigmoid"): a sigmoid outside
        [0.01, 0.99]), else None. Either way (almost) no gradient flows back through it."""
        for kind, values in self.activations:
            if kind == "relu" and values[i] == 0.0:
                return "dead", kind
        for kind, values in self.activations:
            value = values[i]
            if (kind == "tanh" and abs(value) > 0.99) or \
                    (kind == "sigmoid" and (value < 0.01 or value > 0.99)):
                return "saturated", kind
        return None


def run(model: Module, columns: list[Column], sample: list[float]) -> list[ColumnRun]:
    """Every column's values on the sample: in evaluation mode (Dropout off, BatchNorm on its
    running statistics, so nothing in the model moves), recording no graph; every module's
    train/eval flag is put back as it was. The layers' own code computes the values."""
    flags = [(module, module.training) for module in model.modules()]
    runs: list[ColumnRun] = []
    try:
        model.eval()
        with autograd.no_grad():
            x = [Value(v) for v in sample]
            inputs = ColumnRun([v.data for v in x])
            x = inputs.apply_steps(columns[0], x)
            runs.append(inputs)
            for column in columns[1:]:
                sums = [autograd.dot(n.w, x, n.b).data for _, n in column.neurons]
                x = [n._value(x) for _, n in column.neurons]
                outputs = [v.data for v in x]
                layer = ColumnRun(outputs, sums)
                if column.activation != "linear":
                    layer.stages.append((column.activation, outputs))
                    layer.activations.append((column.activation, outputs))
                x = layer.apply_steps(column, x)
                runs.append(layer)
    finally:
        for module, training in flags:
            module.training = training
    return runs
