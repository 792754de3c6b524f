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
from .adagrad import Adagrad, adagrad
from .adam import Adam, adam
from .adamw import AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop, rmsprop
from .sgd import SGD, sgd

__all__ = ["Optimizer", "SGD", "RMSprop", "Adagrad", "Adam", "AdamW", "lr_scheduler",
           "sgd", "rmsprop", "adagrad", "adam"]
