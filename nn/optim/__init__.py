"""Optimizers and learning-rate schedules, shaped like `torch.optim`.

    from nn.optim import SGD
    opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    for x, y in batches:
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

Each algorithm's update is a pure function over lists of floats (`sgd`, `adam`, ...) next to a thin
class that keeps its state between steps; the class docstrings write the algorithms out.
"""
from . import lr_scheduler
from ._adagrad import Adagrad, adagrad
from ._adam import Adam, adam
from ._adamw import AdamW, adamw
from ._rmsprop import RMSprop, rmsprop
from ._sgd import SGD, sgd
from .optimizer import Optimizer

__all__ = ["Optimizer", "SGD", "RMSprop", "Adagrad", "Adam", "AdamW", "lr_scheduler",
           "sgd", "rmsprop", "adagrad", "adam", "adamw"]


def __dir__() -> list[str]:
    # The documented API: each algorithm's module is private, so that its pure function (`adam`)
    # is the only thing the name means.
    return sorted(__all__)
