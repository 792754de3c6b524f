"""A worker for tests/test_pickle.py's spawn test: a module-level function a spawned Python can
import (spawn pickles the function by name and the child imports this module from tests/, which
the parent's sys.path holds and spawn hands down)."""
import nn


def train(model: nn.Module, X: list, y: list, steps: int) -> nn.Module:
    """`steps` full-batch SGD steps of the hinge loss on (X, y); returns the trained model."""
    optimizer = nn.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.HingeLoss()
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
    return model
