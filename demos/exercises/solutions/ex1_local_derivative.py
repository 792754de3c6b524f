"""Solution to exercise 1 (the task is in demos/exercises/ex1_local_derivative.py)."""
import math

from autograd import log, sin


def f(x):
    return 3 * x**2 - 4 * x + 5


def g(x):
    return x * sin(x)


def h(x):
    return log(1 + x**2)


def df(x):
    return 6 * x - 4


def dg(x):
    return math.sin(x) + x * math.cos(x)


def dh(x):
    return 2 * x / (1 + x**2)
