"""Neuron, Layer, MLP and Sequential: micrograd's model, made of scalar Values; torch's Linear.

A neuron computes act(b + w_1 x_1 + ... + w_n x_n). By default the weighted sum is ONE
`autograd.dot` node (fused), and a ReLU neuron is one node altogether (`dot(..., relu=True)`, op
"relu(dot)"); `fused=False` builds micrograd's long form, `sum((wi*xi ...), b)` and then the
activation, one `*` and one `+` node per input, which makes a nicer picture for a lesson. Both add
in the same order, so they give bit-identical outputs and gradients.

Inputs: a sample (list of numbers or Values) or a batch (list of samples), told apart by the first
element (see `nn._batching`). Numbers are turned into Values once, when they enter the model, as
Values that need no gradient (requires_grad=False, as torch's inputs): backward skips them.

micrograd's names work with micrograd's meaning: `Neuron(nin, nonlin=True)`, `Layer(nin, nout,
nonlin=False)`, `MLP(nin, nouts)`.
"""
from __future__ import annotations

import builtins
import random
from collections.abc import Sequence
from typing import Any

import autograd
from autograd import Value

from ._batching import (
    InputSizeError,
    SampleModule,
    check_count,
    check_size,
    named_in,
    run_batch,
    run_sample,
)
from .activation import activation_function
from .init import SCHEMES, draw_weights, generator
from .module import Module

__all__ = ["Neuron", "Layer", "MLP", "Sequential", "Linear"]

_dot = autograd.dot
_relu = Value.relu


def _rng(seed: int | random.Random | None) -> random.Random:
    return seed if isinstance(seed, random.Random) else generator(seed)


def _activation(activation: str | bool, nonlin: bool | None) -> str:
    """The activation's name, from chainrule's `activation` or micrograd's `nonlin` (True: ReLU,
    False: linear), which may also come in `activation`'s place: `Neuron(2, False)`."""
    if isinstance(activation, bool):
        return "relu" if activation else "linear"
    if nonlin is None:
        return activation
    if not isinstance(nonlin, bool):
        raise TypeError(f"nonlin is micrograd's switch, True (ReLU) or False (linear), "
                        f"got {nonlin!r}")
    return "relu" if nonlin else "linear"


class _Drawn(SampleModule):
    """A model made of layers of neurons: in a notebook, its summary table with a picture of the
    network under it (`nn.draw_network`), and a PNG of it for notebooks that show no SVG."""

    def _repr_html_(self) -> str:
        from .network_picture import model_html
        return model_html(self, super()._repr_html_())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from .network_picture import model_mimebundle
        return model_mimebundle(self, super()._repr_html_(), include, exclude)


class Neuron(SampleModule):
    """One neuron: act(w . x + b) with `nin` weights `w` and a bias `b`.

    Args:
        nin: number of inputs.
        activation: "relu", "tanh", "sigmoid", "leaky_relu" or "linear".
        init: how weights start: "uniform" (U(-1, 1), micrograd's), "xavier" or "he"
            (see `nn.init`); the bias starts at 0.
        seed: an int for a private random generator, a `random.Random` to draw from, or None for
            the shared generator that `nn.manual_seed` seeds.
        fused: one `autograd.dot` node for the weighted sum (with a ReLU, one node for the neuron:
            fast), or micrograd's long form.
        fan_out: size of the layer the neuron belongs to (only "xavier" uses it).
        nonlin: micrograd's switch instead of `activation`: True for ReLU, False for linear.

    Called on a sample it returns one Value; on a batch, a list of Values.
    """

    def __init__(self, nin: int, activation: str = "relu", init: str = "uniform",
                 seed: int | random.Random | None = None, fused: bool = True, fan_out: int = 1,
                 *, nonlin: bool | None = None) -> None:
        super().__init__()
        activation = _activation(activation, nonlin)
        nin = check_count("Neuron", "nin", nin)
        self._act = activation_function(activation)
        self.w = [Value(w) for w in draw_weights(init, nin, fan_out, _rng(seed))]
        self.b = Value(0.0)
        self.nin = nin
        self.activation = activation
        self.fused = fused

    def _value(self, x: Sequence[Value]) -> Value:
        act = self._act
        if self.fused:
            if act is _relu:  # the dot and the ReLU as one node
                return _dot(self.w, x, self.b, relu=True)
            total = _dot(self.w, x, self.b)
        else:  # micrograd's neuron: b + w1*x1 + w2*x2 + ..., one node per * and per +
            total = builtins.sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return total if act is None else act(total)

    def _sample(self, x: list[Value]) -> list[Value]:
        check_size(self, self.nin, len(x))
        return [self._value(x)]

    def extra_repr(self) -> str:
        fused = "" if self.fused else ", fused=False"
        return f"{self.nin}, activation={self.activation!r}{fused}"


class Layer(_Drawn):
    """`nout` neurons that all see the same `nin` inputs (torch's Linear plus an activation).

    Args: as `Neuron` (micrograd's `nonlin=` too), with `nout` the number of neurons. Returns a
    list of `nout` Values for a sample (a single Value when nout == 1, as micrograd), a list of
    those for a batch.
    """

    def __init__(self, nin: int, nout: int, activation: str = "relu", init: str = "uniform",
                 seed: int | random.Random | None = None, fused: bool = True, *,
                 nonlin: bool | None = None) -> None:
        super().__init__()
        activation = _activation(activation, nonlin)
        nin, nout = check_count("Layer", "nin", nin), check_count("Layer", "nout", nout)
        rng = _rng(seed)
        self.neurons = [Neuron(nin, activation, init, rng, fused, fan_out=nout)
                        for _ in range(nout)]
        self.nin = nin
        self.nout = nout
        self.activation = activation

    def _sample(self, x: list[Value]) -> list[Value]:
        check_size(self, self.nin, len(x))
        inputs = tuple(x)  # one tuple for every neuron: dot then checks once if it needs no grad
        if autograd.is_recording_scopes():  # let each neuron tag its own nodes
            return [run_sample(n, x)[0] for n in self.neurons]
        return [n._value(inputs) for n in self.neurons]

    def _batch(self, xs: list[list[Value]]) -> list[list[Value]]:
        """The layer on every sample: with fused linear or ReLU neurons (the usual case), one
        `autograd.dot` per neuron and sample, called from here (a call less per neuron than
        `_sample`'s way through `_value`; the same nodes). Anything else, a sample of the wrong
        size included (its error names it), goes sample by sample."""
        plan = [(n.w, n.b, n._act is _relu) for n in self.neurons
                if n.fused and (n._act is None or n._act is _relu)]
        if (len(plan) != len(self.neurons) or autograd.is_recording_scopes()
                or any(len(x) != self.nin for x in xs)):
            return super()._batch(xs)
        return [[_dot(w, x, b, relu=relu) for w, b, relu in plan] for x in map(tuple, xs)]

    def extra_repr(self) -> str:
        fused = "" if all(n.fused for n in self.neurons) else ", fused=False"
        return f"{self.nin}, {self.nout}, activation={self.activation!r}{fused}"

    def __repr__(self) -> str:  # 16 neurons would print 16 lines: the layer's settings say it all
        return f"{type(self).__name__}({self.extra_repr()})"


class MLP(_Drawn):
    """A multi-layer perceptron: `Layer`s of the sizes in `nouts`, the last one linear.

    `MLP(2, [16, 16, 1])` is micrograd's model: 2 inputs, two hidden ReLU layers of 16, one linear
    output. After `random.seed(s)` (micrograd's way) or `nn.manual_seed(s)` its weights are those
    micrograd draws after `random.seed(s)` (see `nn.init` for the rule).

    Args:
        nin: number of inputs.
        nouts: the size of every layer, the last one being the number of outputs.
        activation: of the hidden layers ("relu", "tanh", "sigmoid", "leaky_relu", "linear").
        init, seed, fused: as for `Neuron`; a seed makes the model reproducible on its own.

    Call it on a sample (-> one Value if there is one output, else a list) or a batch (-> a list
    of those, one per sample).
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu",
                 init: str = "uniform", seed: int | random.Random | None = None,
                 fused: bool = True) -> None:
        super().__init__()
        if init not in SCHEMES:
            known = ", ".join(map(repr, SCHEMES))
            raise ValueError(f"unknown init {init!r}; expected one of {known}")
        activation_function(activation)  # fail early on a misspelt name
        if not isinstance(nouts, (list, tuple)):
            raise TypeError(f"MLP: nouts is the list of layer sizes, e.g. MLP({nin!r}, [16, 1]), "
                            f"got {nouts!r}")
        nouts = list(nouts)
        if not nouts:
            raise ValueError("MLP needs at least one layer size in nouts, e.g. MLP(2, [16, 1])")
        rng = _rng(seed)
        sizes = [nin] + nouts
        self.layers = [Layer(sizes[i], sizes[i + 1],
                             activation if i < len(nouts) - 1 else "linear", init, rng, fused)
                       for i in range(len(nouts))]
        self.nin = nin
        self.nouts = nouts
        self.activation = activation
        self.init = init

    def _batch(self, xs: list[list[Value]]) -> list[list[Value]]:
        """The batch through one layer after the other (each layer's `_batch`): the same nodes as
        sample after sample, made faster."""
        if autograd.is_recording_scopes():
            return super()._batch(xs)
        for i, layer in enumerate(self.layers):
            try:
                xs = layer._batch(xs)
            except InputSizeError as error:
                raise named_in(error, f"layers.{i}") from None
        return xs

    def _sample(self, x: list[Value]) -> list[Value]:
        recording = autograd.is_recording_scopes()
        for i, layer in enumerate(self.layers):
            try:
                x = run_sample(layer, x) if recording else layer._sample(x)
            except InputSizeError as error:
                raise named_in(error, f"layers.{i}") from None
        return x

    def extra_repr(self) -> str:
        init = "" if self.init == "uniform" else f", init={self.init!r}"
        all_fused = all(n.fused for layer in self.layers for n in layer.neurons)
        fused = "" if all_fused else ", fused=False"
        return f"{self.nin}, {self.nouts}, activation={self.activation!r}{init}{fused}"


class Sequential(_Drawn):
    """Modules applied one after the other: `Sequential(Layer(2, 8), Dropout(0.1), Layer(8, 1))`.

    Children are named "0", "1", ... (so parameters are "0.neurons.3.w.1", as in torch). A batch
    goes through every module as a whole, so BatchNorm1d inside sees the batch.
    """

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential takes modules, got {type(module).__name__} at "
                                f"position {i}")
            setattr(self, str(i), module)

    def __len__(self) -> int:
        return builtins.sum(1 for _ in self.children())

    def __getitem__(self, index: int | slice) -> Module:
        """The module at `index`; a slice gives a Sequential of those modules (as in torch), so
        `model[:-1](x)` runs all but the last one."""
        children = list(self.children())
        if isinstance(index, slice):
            return Sequential(*children[index])
        return children[index]

    def __iter__(self) -> Any:
        return iter(self.children())

    def _sample(self, x: list[Value]) -> list[Value]:
        for name, module in self.named_children():
            try:
                x = run_sample(module, x)
            except InputSizeError as error:
                raise named_in(error, name) from None
        return x

    def _batch(self, xs: list[list[Value]]) -> list[list[Value]]:
        for name, module in self.named_children():
            try:
                xs = run_batch(module, xs)
            except InputSizeError as error:
                raise named_in(error, name) from None
        return xs


class Linear(SampleModule):
    """torch's `nn.Linear`: `out_features` weighted sums of the same `in_features` inputs.

    y_i = bias_i + sum_j weight[i][j] x_j, each one `autograd.dot` node, with no activation.

    Args:
        in_features: the number of inputs.
        out_features: the number of outputs.
        bias: add a learnable bias to each output (torch's default True).
        seed: an int for a private random generator, or None for the shared one (see `nn.init`).

    Attributes:
        weight: `out_features` rows of `in_features` Values (`weight[i][j]`, torch's
            `weight[i, j]`), named "weight.i.j" in `named_parameters()`.
        bias: `out_features` Values named "bias.i", or None.

    Initialised as torch does (`kaiming_uniform_(a=sqrt(5))`): weights and biases uniform in
    (-1/sqrt(in_features), 1/sqrt(in_features)), the weights row by row, then the biases.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 seed: int | None = None) -> None:
        super().__init__()
        in_features = check_count("Linear", "in_features", in_features)
        out_features = check_count("Linear", "out_features", out_features)
        if not isinstance(bias, bool):
            raise TypeError(f"Linear: bias is True or False (whether to learn one), got {bias!r}")
        rng = generator(seed)
        bound = 1.0 / in_features ** 0.5 if in_features else 0.0
        self.weight = [[Value(rng.uniform(-bound, bound)) for _ in range(in_features)]
                       for _ in range(out_features)]
        self.bias = ([Value(rng.uniform(-bound, bound)) for _ in range(out_features)]
                     if bias else None)
        self.in_features = in_features
        self.out_features = out_features

    def _sample(self, x: list[Value]) -> list[Value]:
        check_size(self, self.in_features, len(x))
        inputs = tuple(x)  # one tuple for every output: dot then checks once if it needs no grad
        if self.bias is None:
            return [_dot(row, inputs) for row in self.weight]
        return [_dot(row, inputs, b) for row, b in zip(self.weight, self.bias)]

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")
