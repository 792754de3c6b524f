"""The little expression language of torch_edges.json, evaluated with any library's ops.

    "x", "y"                 a variable
    2.5                      a constant (a plain float)
    ["exp", t] ...           a unary op: neg exp log sqrt tanh sigmoid relu abs sin cos
    ["leaky_relu", s, t]     leaky_relu with negative slope s
    ["+", a, b]              + - * / and **; a number on one side is a constant, so ["**", t, 2.0]
                             is t ** 2.0 (power by a constant) and ["**", 2.0, t] is 2.0 ** t
    ["sum", a, b, ...]       the sum of the arguments as one op
    ["dot", w.., x.., (b)]   w_1 x_1 + ... + w_n x_n (+ b): n weights, n inputs, an optional bias

make_torch_edges.py evaluates the trees with torch, test_torch_edges.py with chainrule: each passes
`ops`, a dict from every op name above to a function (leaky_relu takes (slope, x); sum takes the
list of arguments; dot takes (weights, inputs, bias or None)).
"""
from __future__ import annotations

from typing import Any, Callable

UNARY = ("neg", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs", "sin", "cos")
BINARY = ("+", "-", "*", "/", "**")


def evaluate(tree: Any, env: dict[str, Any], ops: dict[str, Callable]) -> Any:
    if isinstance(tree, str):
        return env[tree]
    if isinstance(tree, float):
        return tree
    name, *args = tree
    if name == "leaky_relu":
        return ops[name](args[0], evaluate(args[1], env, ops))
    values = [evaluate(a, env, ops) for a in args]
    if name == "sum":
        return ops[name](values)
    if name == "dot":
        n = len(values) // 2
        return ops[name](values[:n], values[n:2 * n], values[2 * n] if len(values) % 2 else None)
    return ops[name](*values)


def show(tree: Any) -> str:
    """The tree as a formula: (x ** 0.5), leaky_relu(x, 0.01), dot(x, y)."""
    if isinstance(tree, (str, float)):
        return tree if isinstance(tree, str) else repr(tree)
    name, *args = tree
    if name == "leaky_relu":
        return f"leaky_relu({show(args[1])}, {args[0]!r})"
    if name in BINARY:
        return f"({show(args[0])} {name} {show(args[1])})"
    return f"{name}({', '.join(show(a) for a in args)})"
