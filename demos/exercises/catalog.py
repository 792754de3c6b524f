"""The exercises and the questions the checker asks: plain data, shared by the checker (which
judges) and the student's process (which only answers).

The checker runs a student's file in a separate Python process (see `sandbox.py`). That process
imports this module to know at which points to call the student's functions; the checker keeps its
own copy, so nothing the student's code changes here can change a verdict.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    """One exercise: its number, the file name without .py (the same in blanks/, solutions/ and a
    student's folder), a title for `list`, and how many times the usual time limit its check may
    take (exercise 6 trains a network: up to 1000 steps of 500 parameters)."""

    number: int
    module: str
    title: str
    time_scale: float = 1.0


EXERCISES: dict[int, Exercise] = {e.number: e for e in [
    Exercise(1, "ex1_local_derivative", "Derive local derivatives by hand"),
    Exercise(2, "ex2_custom_op", "A custom op's backward (swish)"),
    Exercise(3, "ex3_neuron_by_hand", "A neuron's gradients by hand"),
    Exercise(4, "ex4_find_the_bug", "Find the bug in a broken backward"),
    Exercise(5, "ex5_momentum_step", "An optimizer step: SGD with momentum"),
    Exercise(6, "ex6_xor", "Make an MLP learn XOR", time_scale=3.0),
    Exercise(7, "ex7_chain_rule_graph", "Extra: the chain rule on a graph by hand"),
    Exercise(8, "ex8_tanh_from_exp", "Extra: tanh built from exp"),
    Exercise(9, "ex9_adam_step", "Extra: an optimizer step: Adam"),
    Exercise(10, "ex10_local_backward", "Core: a node's _backward, micrograd's way"),
    Exercise(11, "ex11_write_backward", "Core: write backward() itself"),
]}

# The order in which to do them: the two core exercises right after the first one.
SUGGESTED_ORDER = [1, 10, 11, 3, 2, 4, 5, 6, 7, 8, 9]

# -- the questions --------------------------------------------------------------------------------
EX1_POINTS = [-2.0, -0.5, 0.0, 0.3, 1.0, 2.5]

EX2_FORWARD_POINTS = [-3.0, -0.5, 0.0, 1.7]
EX2_POINTS = [-3.0, -0.5, 0.0, 0.7, 2.5]
EX2_LARGE = [-50.0, 50.0, -800.0, 800.0]

EX3_KEYS = ["do/dn", "do/dw0", "do/dw1", "do/dx0", "do/dx1", "do/db"]

EX4_POINTS = [(0.5, 0.5), (1.0, -2.0), (-3.0, 0.25), (10.0, 12.5)]
EX4_LARGE = (1000.0, 999.0)

EX5_START, EX5_STEPS, EX5_LR, EX5_MOMENTUM = [3.0, 1.0], 15, 0.02, 0.9
EX9_STEPS, EX9_LR, EX9_BETAS, EX9_EPS = 15, 0.1, (0.9, 0.999), 1e-8

EX6_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
EX6_Y = [0.0, 1.0, 1.0, 0.0]
EX6_MAX_STEPS = 1000
EX6_MAX_PARAMETERS = 500

EX7_NAMES = ["L", "d", "c", "e", "b", "a"]

EX8_POINTS = [-400.0, -3.0, -0.5, 0.0, 0.8, 2.0, 400.0]


def loss_gradient(params: list[float]) -> list[float]:
    """The gradient of exercises 5 and 9's loss (x - 1)^2 + 10 (y + 2)^2 + x y, a stretched,
    tilted bowl on which momentum helps and plain SGD zig-zags."""
    x, y = params
    return [2 * (x - 1) + y, 20 * (y + 2) + x]


# Exercises 10 and 11: small graphs, each a list of steps; step k makes node k. A step is
# ("leaf", number), or (op, i) / (op, i, j) / ("pow", i, exponent) on earlier nodes i, j, with op
# one of "+", "*", "**" (both Values), "pow" (a number exponent), "tanh", "exp". The last node is
# the one backward() starts from. Each graph tests one thing, named by its key.
GRAPHS: dict[str, list[tuple]] = {
    # a is used twice (by s and by t): its two contributions must add up
    "+": [("leaf", 0.5), ("leaf", -0.25), ("+", 0, 1), ("+", 2, 0), ("exp", 3)],
    "+ twice": [("leaf", 0.4), ("+", 0, 0), ("exp", 1)],
    "*": [("leaf", 1.5), ("leaf", -0.5), ("*", 0, 1), ("*", 2, 0), ("exp", 3)],
    "* twice": [("leaf", 0.7), ("*", 0, 0), ("exp", 1)],
    "pow": [("leaf", 1.5), ("pow", 0, 3.0), ("pow", 0, -1.0), ("+", 1, 2), ("exp", 3)],
    "**": [("leaf", 1.5), ("leaf", 0.5), ("**", 0, 1), ("exp", 2)],
    "tanh": [("leaf", 0.3), ("tanh", 0), ("exp", 1)],
    # a neuron: n = w0 x0 + w1 x1 + b, o = tanh(n), L = o * o (o used twice)
    "neuron": [("leaf", 1.5), ("leaf", -2.0), ("leaf", 0.5), ("leaf", 0.25), ("leaf", 0.1),
               ("*", 2, 0), ("*", 3, 1), ("+", 5, 6), ("+", 7, 4), ("tanh", 8), ("*", 9, 9)],
    # a diamond: b = 2a, c = a b, d = b + c, e = tanh(d) * c
    "diamond": [("leaf", 0.6), ("leaf", 2.0), ("*", 1, 0), ("*", 0, 2), ("+", 2, 3), ("tanh", 4),
                ("*", 5, 3)],
}
EX10_GRAPHS = ["+", "+ twice", "*", "* twice", "pow", "**", "tanh", "neuron"]
EX11_GRAPHS = ["+", "*", "neuron", "diamond"]
EX11_DEEP = 3000  # a chain this many steps long: deeper than Python's default recursion limit
