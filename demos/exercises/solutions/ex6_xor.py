"""Solution to exercise 6 (the task is in demos/exercises/ex6_xor.py)."""
import nn
from nn.optim import Adam

X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
y = [0.0, 1.0, 1.0, 0.0]

STEPS = 100


def make_model():
    return nn.MLP(2, [8, 1], activation="tanh")


def make_optimizer(parameters):
    return Adam(parameters, lr=0.1)
