"""The checker's own micrograd, for exercises 10 and 11: the right gradients of a small graph, and
the gradients that each classic mistake gives, so that a wrong answer can be named.

`gradients(graph)` runs backward on one of `catalog.GRAPHS` and returns every node's .grad.
`mistake=` replays one known mistake instead:

    in a node's _backward (exercise 10), `op` says which op has it:
      "assign"       `=` instead of `+=`: a node used twice keeps only its last contribution
      "local only"   the local derivative alone, without the factor out.grad (the chain rule's
                     second half)
      "no exponent"  Value ** Value: the exponent's gradient forgotten
      "tanh of x"    tanh's derivative written 1 - x^2 (the input) instead of 1 - t^2 (the output)
      "power rule"   d/da a^n written n a^n instead of n a^(n-1)
    in backward() itself (exercise 11):
      "no seed"      the output's .grad never set to 1, so every gradient stays 0
      "not reversed" the topological order used as is, inputs before the nodes that use them
      "recursive"    self._backward() then each input's backward(): a node shared by two
                     consumers runs its _backward before all of them have added into its .grad
      "no visited"   the topological sort without a visited set: a shared node appears (and runs
                     its _backward) more than once
"""
from __future__ import annotations

import math

NODE_MISTAKES = ["assign", "local only", "no exponent", "tanh of x", "power rule"]
ORDER_MISTAKES = ["no seed", "not reversed", "recursive", "no visited"]


def _forward(graph: list[tuple]) -> tuple[list[float], list[tuple[int, ...]]]:
    """Every node's number, and its inputs (micrograd's _prev, in order)."""
    data: list[float] = []
    inputs: list[tuple[int, ...]] = []
    for step in graph:
        op = step[0]
        if op == "leaf":
            data.append(float(step[1]))
            inputs.append(())
        elif op in ("+", "*", "**"):
            a, b = data[step[1]], data[step[2]]
            data.append(a + b if op == "+" else a * b if op == "*" else a ** b)
            inputs.append((step[1], step[2]))
        elif op == "pow":
            data.append(data[step[1]] ** step[2])
            inputs.append((step[1],))
        elif op in ("tanh", "exp"):
            data.append(math.tanh(data[step[1]]) if op == "tanh" else math.exp(data[step[1]]))
            inputs.append((step[1],))
        else:
            raise ValueError(f"unknown step {step!r}")
    return data, inputs


def _local(graph: list[tuple], data: list[float], k: int, mistake: str | None) -> list[tuple]:
    """(input, d node_k / d input) for each input of node k, with `mistake` if it applies."""
    step, out = graph[k], data[k]
    op = step[0]
    if op == "+":
        return [(step[1], 1.0), (step[2], 1.0)]
    if op == "*":
        return [(step[1], data[step[2]]), (step[2], data[step[1]])]
    if op == "**":
        a, b = data[step[1]], data[step[2]]
        da = b * a ** (b - 1) if mistake != "power rule" else b * a ** b
        pairs = [(step[1], da)]
        if mistake != "no exponent":
            pairs.append((step[2], out * math.log(a)))
        return pairs
    if op == "pow":
        a, n = data[step[1]], step[2]
        return [(step[1], n * a ** (n - 1) if mistake != "power rule" else n * a ** n)]
    if op == "tanh":
        x = data[step[1]]
        return [(step[1], 1 - x * x if mistake == "tanh of x" else 1 - out * out)]
    if op == "exp":
        return [(step[1], out)]
    return []


def _topological(root: int, inputs: list[tuple[int, ...]], visited: bool = True) -> list[int]:
    """micrograd's build_topo (inputs first, in order), without recursion."""
    order: list[int] = []
    seen: set[int] = set()
    stack: list[tuple[int, int]] = [(root, 0)]
    while stack:
        node, i = stack.pop()
        if i == 0 and visited:
            if node in seen:
                continue
            seen.add(node)
        if i < len(inputs[node]):
            stack.append((node, i + 1))
            stack.append((inputs[node][i], 0))
        else:
            order.append(node)
    return order


def gradients(graph: list[tuple], mistake: str | None = None, op: str | None = None) -> list[float]:
    """Every node's .grad after backward() from the last node, done right or with `mistake` (in
    the _backward of op `op` for a node mistake)."""
    data, inputs = _forward(graph)
    grads = [0.0] * len(graph)
    root = len(graph) - 1

    def run(k: int) -> None:
        node_mistake = mistake if graph[k][0] == op else None
        for i, local in _local(graph, data, k, node_mistake):
            if node_mistake == "local only":
                grads[i] += local
            elif node_mistake == "assign":
                grads[i] = local * grads[k]
            else:
                grads[i] += local * grads[k]

    if mistake != "no seed":
        grads[root] = 1.0
    if mistake == "recursive":
        stack = [root]
        while stack:  # the order of the recursion, kept on a list
            k = stack.pop()
            run(k)
            stack.extend(reversed(inputs[k]))
        return grads
    order = _topological(root, inputs, visited=mistake != "no visited")
    for k in (order if mistake == "not reversed" else reversed(order)):
        run(k)
    return grads


def values(graph: list[tuple]) -> list[float]:
    """Every node's number (its .data)."""
    return _forward(graph)[0]
