"""What the student's process does: call the student's code at the checker's points and report what
it produced, as plain data (numbers, strings, lists, dicts). It judges nothing.

This module runs in the student's process (see `_child.py`), next to the student's code, so nothing
here is trusted: the checker (`checker.py`) validates every reply and compares it with the numbers
it computes itself. `answer(number, module)` is the one entry point.
"""
from __future__ import annotations

import math
import numbers
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import catalog

MAX_ITEMS = 50  # longer lists are cut (their length is kept): the checker never needs more
MAX_TEXT = 200


def _short_repr(x: Any) -> str:
    try:
        text = repr(x)
    except BaseException as error:  # a student's __repr__ may do anything
        text = f"<{type(x).__name__} whose repr raised {type(error).__name__}>"
    return text[:MAX_TEXT]


def encode(x: Any) -> Any:
    """x as JSON-ready data: a float for a real number (Python's, numpy's, a 0-d array's), None,
    or a dict saying what else it is: {"kind": "bool" | "Value" | "str" | "list" | "dict" |
    "object", ...}."""
    if x is None:
        return None
    if isinstance(x, bool):
        return {"kind": "bool", "value": x}
    if isinstance(x, numbers.Real):
        try:
            return float(x)
        except BaseException:
            return {"kind": "object", "type": type(x).__name__, "repr": _short_repr(x)}
    if type(x).__name__ == "Value" and hasattr(x, "data"):
        return {"kind": "Value", "data": encode(getattr(x, "data", None)), "repr": _short_repr(x)}
    if getattr(x, "shape", None) == () and hasattr(x, "item"):  # a 0-d numpy array
        return encode(x.item())
    if isinstance(x, str):
        return {"kind": "str", "value": x[:MAX_TEXT]}
    if isinstance(x, (list, tuple)):
        return {"kind": "list", "type": type(x).__name__, "length": len(x),
                "items": [encode(item) for item in list(x)[:MAX_ITEMS]]}
    if isinstance(x, dict):
        items = list(x.items())[:MAX_ITEMS]
        return {"kind": "dict", "items": [[_short_repr(k) if not isinstance(k, str) else k,
                                           encode(v)] for k, v in items]}
    return {"kind": "object", "type": type(x).__name__, "repr": _short_repr(x)}


def describe_error(error: BaseException, path: str | None) -> dict:
    """An exception as data: its type, message, and the last lines of the student's file it
    passed through (`path`), for the checker's one-line reason."""
    frames = traceback.extract_tb(error.__traceback__)
    mine = [f for f in frames if path is not None and Path(f.filename) == Path(path)]
    where = [[f.lineno, (f.line or "").strip()[:MAX_TEXT]] for f in mine[-3:]]
    if isinstance(error, SyntaxError) and error.lineno is not None:
        where = [[error.lineno, (error.text or "").strip()[:MAX_TEXT]]]
    try:
        message = str(error)[:MAX_TEXT * 2]
    except BaseException:
        message = "(its message could not be shown)"
    return {"type": type(error).__name__, "message": message, "where": where,
            "not_done": isinstance(error, NotImplementedError)}


def _guarded(m: Any, part: Callable[[], Any]) -> dict:
    """{"value": part()}, or {"error": ...} if it raised: a later part of a check that fails on
    its own, after the earlier parts had their say."""
    try:
        return {"value": part()}
    except Exception as error:
        return {"error": describe_error(error, getattr(m, "__file__", None))}


def _each(function: Callable, args_list: list[tuple]) -> list[Any]:
    return [encode(function(*args)) for args in args_list]


# -- one probe per exercise -----------------------------------------------------------------------
def _ex1(m: Any) -> dict:
    return {name: _each(getattr(m, name), [(x,) for x in catalog.EX1_POINTS])
            for name in ("df", "dg", "dh")}


def _ex2(m: Any) -> dict:
    import autograd

    direct = m.swish_derivatives(0.5 / (1 + math.exp(-0.5)), 0.5)
    if direct is None:
        return {"direct": None}
    first = autograd.grad(m.swish)
    return {"direct": encode(direct),
            "forward": _each(m.swish, [(x,) for x in catalog.EX2_FORWARD_POINTS]),
            "first": _each(first, [(x,) for x in catalog.EX2_POINTS]),
            "second": _each(autograd.grad(first), [(x,) for x in catalog.EX2_POINTS]),
            "large": _guarded(m, lambda: _each(first, [(x,) for x in catalog.EX2_LARGE]))}


def _ex3(m: Any) -> dict:
    reply: dict[str, Any] = {"numbers": [encode(getattr(m, n, None))
                                         for n in ("x0", "x1", "w0", "w1", "b")],
                             "by_hand": encode(getattr(m, "BY_HAND", None))}
    try:
        reply["with_backward"] = encode(m.with_backward())
    except Exception as error:  # part 2 may be undone while part 1 is right
        reply["with_backward_error"] = describe_error(error, getattr(m, "__file__", None))
    return reply


def _ex4(m: Any) -> dict:
    import autograd

    points = catalog.EX4_POINTS
    return {"forward": _each(m.logaddexp, points + [catalog.EX4_LARGE]),
            "first": [encode(autograd.grad(m.logaddexp, (0, 1))(*p)) for p in points],
            "second": [encode(autograd.hessian(m.logaddexp)(*p)) for p in points],
            "large": _guarded(m, lambda: encode(
                autograd.grad(m.logaddexp, (0, 1))(*catalog.EX4_LARGE)))}


def _as_floats(x: Any) -> list[float] | None:
    if not isinstance(x, (list, tuple)) or len(x) != 2:
        return None
    if not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in x):
        return None
    return [float(v) for v in x]


def _optimizer_steps(step: Callable, n_state: int, steps: int) -> dict:
    """Run the student's optimizer step `steps` times on the catalog's loss; every step's return,
    until it is not (new_params, state...) with lists of two numbers."""
    params = list(catalog.EX5_START)
    state = [[0.0, 0.0] for _ in range(n_state)]
    replies = []
    for t in range(1, steps + 1):
        grads = catalog.loss_gradient(params)
        answer = step(t, list(params), grads, [list(s) for s in state])
        replies.append(encode(answer))
        if not isinstance(answer, (list, tuple)) or len(answer) != 1 + n_state:
            break
        parts = [_as_floats(part) for part in answer]
        if any(part is None for part in parts):
            break
        params, state = parts[0], parts[1:]
    return {"steps": replies}


def _ex5(m: Any) -> dict:
    lr, momentum = catalog.EX5_LR, catalog.EX5_MOMENTUM
    return _optimizer_steps(
        lambda t, p, g, s: m.sgd_momentum_step(p, g, s[0], lr, momentum), 1, catalog.EX5_STEPS)


def _ex9(m: Any) -> dict:
    (beta1, beta2), lr, eps = catalog.EX9_BETAS, catalog.EX9_LR, catalog.EX9_EPS
    return _optimizer_steps(
        lambda t, p, g, s: m.adam_step(p, g, s[0], s[1], t, lr, beta1, beta2, eps), 2,
        catalog.EX9_STEPS)


def _ex6(m: Any) -> dict:
    import nn

    steps = m.STEPS
    reply: dict[str, Any] = {"steps": encode(steps)}
    if not (isinstance(steps, int) and not isinstance(steps, bool)
            and 1 <= steps <= catalog.EX6_MAX_STEPS):
        return reply
    nn.manual_seed(0)
    model = m.make_model()
    if type(model) is not nn.MLP:
        reply["model"] = encode(model)
        return reply
    parameters = model.parameters()
    reply["model"] = {"kind": "MLP", "nin": encode(model.nin), "nouts": encode(model.nouts),
                      "activation": encode(model.activation), "parameters": len(parameters)}
    if len(parameters) > catalog.EX6_MAX_PARAMETERS:
        return reply
    optimizer = m.make_optimizer(parameters)
    if not hasattr(optimizer, "step"):
        reply["optimizer"] = encode(optimizer)
        return reply
    loss_fn = nn.BCEWithLogitsLoss()
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        scores = model(catalog.EX6_X)
        loss = loss_fn(scores, catalog.EX6_Y)
        loss.backward()
        optimizer.step()
        losses.append(float(loss.data))
    reply["losses"] = losses
    reply["trained"] = [float(p.data) for p in model.parameters()]
    return reply


def _ex7(m: Any) -> dict:
    return {"grads": encode(m.GRADS)}


def _ex8(m: Any) -> dict:
    import autograd

    x = autograd.Value(0.5)
    out = m.my_tanh(x)
    reply: dict[str, Any] = {"first": encode(out)}
    if not isinstance(out, autograd.Value):
        return reply
    graph = autograd.topological_order(out)
    reply["reaches_x"] = any(node is x for node in graph)
    reply["ops"] = sorted({str(node.op.name) for node in graph if node.op is not None})
    reply["nodes"] = len(graph)
    points = []
    for point in catalog.EX8_POINTS:
        x = autograd.Value(point)
        out = m.my_tanh(x)
        out.backward()
        points.append([encode(out.data if isinstance(out, autograd.Value) else out),
                       encode(x.grad)])
    reply["points"] = points
    return reply


def _build(value_class: Any, graph: list[tuple]) -> list[Any]:
    """The nodes of one of catalog.GRAPHS, made with the student's Value class."""
    nodes: list[Any] = []
    for step in graph:
        op = step[0]
        if op == "leaf":
            nodes.append(value_class(step[1]))
        elif op == "+":
            nodes.append(nodes[step[1]] + nodes[step[2]])
        elif op == "*":
            nodes.append(nodes[step[1]] * nodes[step[2]])
        elif op == "**":
            nodes.append(nodes[step[1]] ** nodes[step[2]])
        elif op == "pow":
            nodes.append(nodes[step[1]] ** step[2])
        elif op == "tanh":
            nodes.append(nodes[step[1]].tanh())
        elif op == "exp":
            nodes.append(nodes[step[1]].exp())
    return nodes


def _graphs(m: Any, names: list[str]) -> dict:
    path = getattr(m, "__file__", None)
    replies = {}
    for name in names:
        try:
            nodes = _build(m.Value, catalog.GRAPHS[name])
            nodes[-1].backward()
            replies[name] = {"grads": [encode(getattr(n, "grad", None)) for n in nodes]}
        except Exception as error:
            replies[name] = {"error": describe_error(error, path)}
    return replies


def _ex10(m: Any) -> dict:
    return {"graphs": _graphs(m, catalog.EX10_GRAPHS)}


def _ex11(m: Any) -> dict:
    reply = {"graphs": _graphs(m, catalog.EX11_GRAPHS)}
    try:
        x = m.Value(0.5)
        y = x
        for _ in range(catalog.EX11_DEEP):
            y = y * 1.0
        y.backward()
        reply["deep"] = {"grad": encode(x.grad)}
    except Exception as error:
        reply["deep"] = {"error": describe_error(error, getattr(m, "__file__", None))}
    return reply


PROBES: dict[int, Callable[[Any], dict]] = {
    1: _ex1, 2: _ex2, 3: _ex3, 4: _ex4, 5: _ex5, 6: _ex6, 7: _ex7, 8: _ex8, 9: _ex9, 10: _ex10,
    11: _ex11}


def answer(number: int, module: Any) -> dict:
    """What exercise `number`'s code in `module` produces at the checker's points."""
    return PROBES[number](module)
