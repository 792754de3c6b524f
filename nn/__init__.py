"""chainrule.nn: a small torch.nn-shaped library built from scalar `autograd.Value`s.

    >>> import nn
    >>> nn.manual_seed(0)
    >>> model = nn.MLP(2, [16, 16, 1])          # micrograd's model
    >>> score = model([0.5, -1.0])               # one sample -> one Value
    >>> scores = model([[0.5, -1.0], [1.0, 2.0]])  # a batch -> a list of Values
"""
from . import init
from .activation import LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from .graph import trace_modules
from .init import manual_seed
from .layers import MLP, Layer, Neuron, Sequential
from .module import IncompatibleKeys, Module, StateDictError
from .serialization import load_state, save_state

__all__ = [
    "Module", "StateDictError", "IncompatibleKeys", "save_state", "load_state",
    "Neuron", "Layer", "MLP", "Sequential",
    "ReLU", "Tanh", "Sigmoid", "LeakyReLU", "Softmax",
    "init", "manual_seed", "trace_modules",
]
