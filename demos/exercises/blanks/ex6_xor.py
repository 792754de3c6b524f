"""Exercise 6: make an MLP learn XOR.

XOR is the classic problem a single neuron cannot solve: the points (0,1) and (1,0) are class 1,
(0,0) and (1,1) class 0, and no straight line separates them. A hidden layer can.

TODO: choose a model, an optimizer and a number of steps below. The checker then trains exactly
like this (full batch: all four points every step), with nn.manual_seed(0) before make_model():

    loss_fn = nn.BCEWithLogitsLoss()          # the model outputs one raw score per point
    for step in range(STEPS):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()

and passes when every point is classified right (score > 0 means class 1) within 1000 steps
(and at most 500 parameters).
Things to try: how many hidden neurons? "tanh" or "relu" (nn.MLP's activation=...)? SGD (what lr,
what momentum?) or Adam? What happens with lr = 10, or with no hidden layer at all?
Run  python -m demos.exercises check 6  to train and see the result.
"""
import nn
from nn.optim import SGD, Adam  # noqa: F401  (pick one)

X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
y = [0.0, 1.0, 1.0, 0.0]

STEPS = None  # TODO: how many training steps (at most 1000)


def make_model():
    """TODO: return a model, 2 inputs and 1 output: nn.MLP(2, [hidden, 1], activation=...)."""
    raise NotImplementedError("TODO (exercise 6): write make_model()")


def make_optimizer(parameters):
    """TODO: return an optimizer for `parameters`, e.g. SGD(parameters, lr=..., momentum=...)."""
    raise NotImplementedError("TODO (exercise 6): write make_optimizer(parameters)")
