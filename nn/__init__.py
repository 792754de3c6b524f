"""chainrule.nn: a small torch.nn-shaped library built from scalar `autograd.Value`s.

    >>> import nn
    >>> nn.manual_seed(0)
    >>> model = nn.MLP(2, [16, 16, 1])          # micrograd's model
    >>> score = model([0.5, -1.0])               # one sample -> one Value
    >>> scores = model([[0.5, -1.0], [1.0, 2.0]])  # a batch -> a list of Values

Samples and batches: a sample is a list of numbers or Values (one input vector), a batch is a list
of samples. Modules tell them apart by the first element: a number or Value means a sample, a
list/tuple/array means a batch. A layer-like module (Neuron, Layer, MLP, Sequential) returns a
single Value when it has one output, as micrograd does, and a list otherwise; a batch gives a list
of those. Activation and dropout modules keep the form of their input. Numbers become Values once,
as they enter the model.
"""
from autograd import __version__ as __version__  # nn's version is chainrule's

from . import functional, init
from .activation import LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from .batchnorm import BatchNorm1d
from .dropout import Dropout
from .graph import trace_modules
from .init import manual_seed
from .layers import MLP, Layer, Linear, Neuron, Sequential
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HingeLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
)
from .module import IncompatibleKeys, Module
from .network_picture import NetworkPicture, draw_network, network_scene
from .serialization import StateDictError, load_state, save_state

__all__ = [
    "Module", "StateDictError", "IncompatibleKeys", "save_state", "load_state",
    "Neuron", "Layer", "MLP", "Sequential", "Linear",
    "ReLU", "Tanh", "Sigmoid", "LeakyReLU", "Softmax", "Dropout", "BatchNorm1d",
    "MSELoss", "L1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss",
    "HingeLoss",
    "functional", "init", "manual_seed", "trace_modules",
    "draw_network", "network_scene", "NetworkPicture",
]

# training: optimizers and schedules, clipping, data, metrics, early stopping and the fit loop
from . import data, metrics, optim, utils
from .early_stopping import EarlyStopping
from .history import History
from .training import TrainingDivergedError, fit

__all__ += ["optim", "utils", "data", "metrics", "fit", "History", "EarlyStopping",
            "TrainingDivergedError"]

# watching it learn: a notebook widget (anywidget, imported only when one is shown)
from .live import LiveTraining  # noqa: E402 - grouped with its comment

__all__ += ["LiveTraining"]


def __dir__() -> list[str]:
    # The documented API, not the submodules it is implemented in.
    return sorted(__all__ + ["__version__"])
