"""The exercises' checker: runs one exercise's checks and says PASS, or exactly what is wrong.

`check(n)` imports the exercise's file (or its model answer with `solution=True`), runs the checks
for exercise n and returns a `Result`. A TODO left undone raises NotImplementedError (or leaves a
None): that is reported as "not done yet", never as a crash. A check that finds a mistake raises
`Wrong` with the explanation (the point, the expected and the actual number, a gradcheck table).
"""
from __future__ import annotations

import importlib
import math
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import autograd
import nn
from nn.optim import SGD

HERE = Path(__file__).parent


class Wrong(Exception):
    """A check found a mistake; the message says what and where."""


class NotDone(Exception):
    """A TODO is still open (a None left in place); the message says which."""


@dataclass(frozen=True)
class Exercise:
    number: int
    module: str
    title: str
    check: Callable[[ModuleType], str]


@dataclass
class Result:
    """What `check` found: `status` is "pass", "fail" or "not done"; `message` the details."""

    exercise: Exercise
    path: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def __str__(self) -> str:
        head = {"pass": "PASS", "fail": "FAIL", "not done": "NOT DONE YET"}[self.status]
        title = f"Exercise {self.exercise.number}: {self.exercise.title} ({self.path})"
        return f"{title}\n{head}: {self.message}"


# -- running a check ---------------------------------------------------------------------------------
def load(number: int, solution: bool = False) -> ModuleType:
    """Import exercise `number`'s file, or its model answer from solutions/."""
    package = "demos.exercises.solutions" if solution else "demos.exercises"
    return importlib.import_module(f"{package}.{EXERCISES[number].module}")


def check(number: int, solution: bool = False, module: Any = None) -> Result:
    """Check exercise `number`: the student's file, the model answer (`solution=True`), or any
    object with the right names (`module=`, used by the tests to check deliberate mistakes)."""
    exercise = EXERCISES[number]
    folder = "demos/exercises/solutions" if solution else "demos/exercises"
    path = f"{folder}/{exercise.module}.py"
    try:
        if module is None:
            module = load(number, solution)
        return Result(exercise, path, "pass", exercise.check(module))
    except NotImplementedError as error:
        return Result(exercise, path, "not done",
                      f"{error}.\nOpen {path}, complete the TODO, and check again.")
    except NotDone as error:
        return Result(exercise, path, "not done", f"{error}\nOpen {path} and complete the TODO.")
    except Wrong as error:
        return Result(exercise, path, "fail", str(error))
    except Exception as error:  # the student's code crashed: say where, in their file
        return Result(exercise, path, "fail", _crash_report(error, exercise.module))


def _crash_report(error: Exception, module: str) -> str:
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if Path(frame.filename).stem == module]
    where = "".join(f"\n  line {frame.lineno}: {frame.line}" for frame in frames[-3:])
    if isinstance(error, SyntaxError):
        where = f"\n  line {error.lineno}: {(error.text or '').strip()}"
    return f"your code raised {type(error).__name__}: {error}{where}"


# -- helpers -----------------------------------------------------------------------------------------
def _close(got: float, expected: float, tol: float = 1e-6) -> bool:
    return abs(got - expected) <= tol * (1 + abs(expected))


def _number(x: Any, what: str) -> float:
    """x as a float, or Wrong/NotDone saying what `what` returned instead."""
    if x is None:
        raise NotDone(f"{what} returned None: it should return a number.")
    if isinstance(x, autograd.Value):
        raise Wrong(f"{what} returned a Value ({x!r}); return a plain number (its .data).")
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise Wrong(f"{what} returned {type(x).__name__} {x!r:.60}; it should return a number.")
    return float(x)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[c])) for row in [header] + rows) for c in range(len(header))]
    return "\n".join("  " + "  ".join(str(cell).rjust(w) for cell, w in zip(row, widths)).rstrip()
                     for row in [header] + rows)


def _gradchecks(f: Callable, names: str, points: list[tuple], hint_first: str,
                hint_second: str) -> None:
    """gradcheck, then gradgradcheck, of f at each point; Wrong with the table at the first failure.

    `names` are f's argument names (one letter each), so the table says "b = -2", not "x1 = -2".
    """
    def labelled(point: tuple) -> list:
        return [autograd.Value(v, label=name) for name, v in zip(names, point)]

    for point in points:
        where = ", ".join(f"{name} = {v:g}" for name, v in zip(names, point))
        try:
            autograd.gradcheck(f, labelled(point))
        except autograd.GradcheckError as error:
            raise Wrong(f"the first derivatives are wrong at {where}:\n{error}\n"
                        f"  Hint: {hint_first}") from None
    for point in points:
        where = ", ".join(f"{name} = {v:g}" for name, v in zip(names, point))
        try:
            autograd.gradgradcheck(f, labelled(point))
        except autograd.GradcheckError as error:
            raise Wrong(f"the first derivatives pass gradcheck, but the second derivatives are "
                        f"wrong at {where}:\n{error}\n  Hint: {hint_second}") from None


_MATH_HINT = ("Does your derivatives function use math.* (math.exp, math.tanh...)? On Values "
              "(backward(create_graph=True)) that turns them into constants; use autograd's "
              "functions (autograd.sigmoid, autograd.exp) and arithmetic instead.")


# -- exercise 1: local derivatives -------------------------------------------------------------------
_EX1_HINTS = {
    "df": "f is a polynomial: use the power rule term by term (the constant 5 has derivative 0).",
    "dg": "g = x * sin(x) is a product u v with u = x, v = sin(x): g' = u' v + u v'.",
    "dh": "h = log(u) with u = 1 + x^2: h' = u' / u, and u' = 2x.",
}


def check_local_derivatives(m: ModuleType) -> str:
    points = [-2.0, -0.5, 0.0, 0.3, 1.0, 2.5]
    problems = []
    for name, derivative in [("f", "df"), ("g", "dg"), ("h", "dh")]:
        f, df = getattr(m, name), getattr(m, derivative)
        rows, wrong = [], 0
        for x in points:
            expected = autograd.grad(f)(x)
            got = _number(df(x), f"{derivative}({x:g})")
            ok = _close(got, expected)
            wrong += not ok
            rows.append([f"{x:g}", f"{got:.6g}", f"{expected:.6g}", "ok" if ok else "<-- WRONG"])
        if wrong:
            table = _table(["x", f"your {derivative}(x)", f"autograd.grad({name})(x)", ""], rows)
            problems.append(f"{derivative} is wrong at {wrong} of {len(points)} points:\n{table}\n"
                            f"  Hint: {_EX1_HINTS[derivative]}")
    if problems:
        raise Wrong("\n\n".join(problems))
    return (f"df, dg and dh agree with autograd's derivatives at x = "
            f"{', '.join(f'{x:g}' for x in points)}.")


# -- exercise 2: a custom op's backward --------------------------------------------------------------
def _swish(x: float) -> float:
    return x / (1 + math.exp(-x)) if x >= 0 else x * math.exp(x) / (1 + math.exp(x))


def check_custom_op(m: ModuleType) -> str:
    partials = m.swish_derivatives(_swish(0.5), 0.5)
    if partials is None:
        raise NotDone("swish_derivatives returned None: return a tuple (d swish / dx,).")
    for x in [-3.0, -0.5, 0.0, 1.7]:
        got = m.swish(x)
        if not _close(got, _swish(x)):
            raise Wrong(f"the forward pass changed: swish({x:g}) = {got!r}, expected "
                        f"{_swish(x)!r}. Leave the forward alone; the task is the derivative.")
    points = [-3.0, -0.5, 0.0, 0.7, 2.5]
    _gradchecks(m.swish, "x", [(x,) for x in points],
                "'analytic' is what swish_derivatives returns, 'numeric' the slope measured with "
                "central differences. Check your product rule: u = x, v = sigmoid(x).", _MATH_HINT)
    for x, limit in [(-50.0, 0.0), (50.0, 1.0), (-800.0, 0.0), (800.0, 1.0)]:
        got = autograd.grad(m.swish)(x)
        if not abs(got - limit) < 1e-6:
            raise Wrong(f"d swish/dx at x = {x:g} should be about {limit:g}, got {got!r}: part of "
                        f"your formula overflows for large |x|. Write it with autograd.sigmoid(x), "
                        f"which is stable, rather than with exp(-x).")
    return (f"gradcheck and gradgradcheck pass at x = {', '.join(f'{x:g}' for x in points)}, "
            f"and the derivative stays finite for large |x|.")


# -- exercise 3: a neuron by hand --------------------------------------------------------------------
_EX3_KEYS = ["do/dn", "do/dw1", "do/dw2", "do/dx1", "do/dx2", "do/db"]
_EX3_HINTS = {
    "do/dn": "o = tanh(n), and d tanh(n)/dn = 1 - tanh(n)^2 = 1 - o^2, with o = 0.6.",
    "do/dw1": "do/dw1 = do/dn * dn/dw1, and dn/dw1 = x1 = 1.5.",
    "do/dw2": "do/dw2 = do/dn * dn/dw2, and dn/dw2 = x2 = -2 (mind the sign).",
    "do/dx1": "do/dx1 = do/dn * dn/dx1, and dn/dx1 = w1 = 0.5.",
    "do/dx2": "do/dx2 = do/dn * dn/dx2, and dn/dx2 = w2 = 0.25.",
    "do/db": "do/db = do/dn * dn/db, and dn/db = 1.",
}


def _neuron_gradients(m: ModuleType) -> dict[str, float]:
    leaves = [autograd.Value(v) for v in (m.x1, m.x2, m.w1, m.w2, m.b)]
    x1, x2, w1, w2, b = leaves
    n = w1 * x1 + w2 * x2 + b
    n.tanh().backward()
    return dict(zip(_EX3_KEYS, [n.grad, w1.grad, w2.grad, x1.grad, x2.grad, b.grad]))


def _ex3_dict(answer: Any, what: str) -> dict:
    if not isinstance(answer, dict):
        raise Wrong(f"{what} should be a dict with the keys {_EX3_KEYS}, got "
                    f"{type(answer).__name__}.")
    missing = [k for k in _EX3_KEYS if k not in answer]
    if missing:
        raise Wrong(f"{what} is missing the key(s) {missing}; it needs {_EX3_KEYS}.")
    return answer


def check_neuron_by_hand(m: ModuleType) -> str:
    if (m.x1, m.x2, m.w1, m.w2, m.b) != (1.5, -2.0, 0.5, 0.25, math.log(2) - 0.25):
        raise Wrong("the neuron's numbers (x1, x2, w1, w2, b) were changed; put them back.")
    truth = _neuron_gradients(m)
    by_hand = _ex3_dict(m.BY_HAND, "BY_HAND")
    open_keys = [k for k in _EX3_KEYS if by_hand[k] is None]
    if open_keys:
        raise NotDone(f"part 1: BY_HAND still has None for {', '.join(open_keys)}; replace each "
                      f"None by the number you computed by hand.")
    wrong = []
    for key in _EX3_KEYS:
        got = _number(by_hand[key], f"BY_HAND[{key!r}]")
        if abs(got - truth[key]) > 1e-3:  # room for rounding by hand
            wrong.append(f"  {key}: you wrote {got:g}, which is not right. {_EX3_HINTS[key]}")
    if wrong:
        raise Wrong("part 1: some hand-computed gradients are wrong (the correct numbers are left "
                    "for you to find):\n" + "\n".join(wrong))
    try:
        from_code = _ex3_dict(m.with_backward(), "with_backward()")
    except NotImplementedError as error:
        raise NotDone(f"part 1 is right! Part 2 is not done yet: {error}.") from None
    rows, mistakes = [], 0
    for key in _EX3_KEYS:
        got = _number(from_code[key], f"with_backward()[{key!r}]")
        ok = _close(got, truth[key], 1e-9)
        mistakes += not ok
        rows.append([key, f"{got:.10g}", f"{truth[key]:.10g}", "ok" if ok else "<-- WRONG"])
    if mistakes:
        raise Wrong("part 1 is right, but with_backward() returns wrong gradients:\n"
                    + _table(["", "with_backward()", "expected", ""], rows) + "\n  Hint: build "
                    "n and o from the Values, call o.backward() once, then read each Value's .grad "
                    "(a fresh Value has grad 0.0; calling backward twice adds up).")
    return "your hand-computed gradients match backward()'s, and with_backward() returns them."


# -- exercise 4: the broken backward -----------------------------------------------------------------
def _logaddexp(a: float, b: float) -> float:
    big = max(a, b)
    return big + math.log(math.exp(a - big) + math.exp(b - big))


def check_find_the_bug(m: ModuleType) -> str:
    points = [(0.5, 0.5), (1.0, -2.0), (-3.0, 0.25), (10.0, 12.5)]
    for a, b in points + [(1000.0, 999.0)]:
        got = m.logaddexp(a, b)
        if not _close(got, _logaddexp(a, b)):
            raise Wrong(f"the forward pass changed: logaddexp({a:g}, {b:g}) = {got!r}, expected "
                        f"{_logaddexp(a, b)!r}. The bug is in the derivatives; leave the forward.")
    _gradchecks(m.logaddexp, "ab", points,
                "the rows marked WRONG say which partial derivative logaddexp_derivatives gets "
                "wrong. Derive it yourself and compare with the code.", _MATH_HINT)
    d = autograd.grad(m.logaddexp, (0, 1))(1000.0, 999.0)
    if not all(math.isfinite(x) for x in d):
        raise Wrong(f"at a = 1000, b = 999 the derivatives are {d}: they overflow. Write them with "
                    f"exp(a - out) and exp(b - out), which are at most 1.")
    return ("gradcheck and gradgradcheck pass at "
            + "; ".join(f"(a, b) = ({a:g}, {b:g})" for a, b in points)
            + ". Note the first point: with a == b the bug was invisible.")


# -- exercise 5: an optimizer step -------------------------------------------------------------------
def _loss(p: list) -> Any:
    """A stretched, tilted bowl: momentum helps on it, plain SGD zig-zags."""
    x, y = p
    return (x - 1) ** 2 + 10 * (y + 2) ** 2 + x * y


def check_momentum_step(m: ModuleType) -> str:
    start, lr, momentum, steps = [3.0, 1.0], 0.02, 0.9, 15
    values = [autograd.Value(v) for v in start]
    reference = SGD(values, lr=lr, momentum=momentum)
    params, velocities = list(start), [0.0, 0.0]
    for step in range(1, steps + 1):
        grads = [float(g) for g in autograd.grad(lambda x, y: _loss([x, y]), (0, 1))(*params)]
        answer = m.sgd_momentum_step(list(params), list(grads), list(velocities), lr, momentum)
        if answer is None:
            raise NotDone("sgd_momentum_step returned None: return (new_params, new_velocities).")
        if not (isinstance(answer, (tuple, list)) and len(answer) == 2):
            raise Wrong(f"sgd_momentum_step should return two lists (new_params, new_velocities), "
                        f"got {answer!r:.80}.")
        new_params, velocities = list(answer[0]), list(answer[1])
        reference.zero_grad()
        _loss(values).backward()
        reference.step()
        expected = [v.data for v in values]
        if len(new_params) != len(expected):
            raise Wrong(f"step {step}: {len(expected)} parameters went in, {len(new_params)} "
                        f"came out of sgd_momentum_step.")
        rows = []
        for i, (p, g, q, e) in enumerate(zip(params, grads, new_params, expected)):
            q = _number(q, f"sgd_momentum_step's new_params[{i}]")
            rows.append([f"params[{i}]", f"{p:.10g}", f"{g:.10g}", f"{q:.10g}", f"{e:.10g}",
                         "ok" if _close(q, e, 1e-9) else "<-- WRONG"])
        if any(row[-1] != "ok" for row in rows):
            raise Wrong(f"step {step} of {steps} (lr={lr}, momentum={momentum}) differs from "
                        f"nn.optim.SGD:\n"
                        + _table(["", "before", "grad", "yours after", "SGD after", ""], rows)
                        + ("\n  The first step should be p - lr * g (v starts at 0, so v = g)."
                           if step == 1 else
                           "\n  The first steps were right: check how v carries over between "
                           "steps (v = momentum * v + g) and that you return the new velocities."))
        params = new_params
    return f"{steps} steps of your update match nn.optim.SGD(lr={lr}, momentum={momentum}) exactly."


# -- exercise 6: XOR ---------------------------------------------------------------------------------
XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_Y = [0.0, 1.0, 1.0, 0.0]
MAX_STEPS = 1000


def check_xor(m: ModuleType) -> str:
    if m.STEPS is None:
        raise NotDone("STEPS is still None: set it to the number of training steps (at most "
                      f"{MAX_STEPS}).")
    if isinstance(m.STEPS, bool) or not isinstance(m.STEPS, int) or not 1 <= m.STEPS <= MAX_STEPS:
        raise Wrong(f"STEPS must be a whole number from 1 to {MAX_STEPS}, got {m.STEPS!r}.")
    nn.manual_seed(0)
    model = m.make_model()
    if not isinstance(model, nn.Module):
        raise Wrong(f"make_model() should return an nn model (e.g. nn.MLP(2, [8, 1])), got "
                    f"{type(model).__name__}.")
    optimizer = m.make_optimizer(model.parameters())
    if not hasattr(optimizer, "step"):
        raise Wrong(f"make_optimizer() should return an optimizer such as SGD(parameters, lr=0.1), "
                    f"got {type(optimizer).__name__}.")
    loss_fn = nn.BCEWithLogitsLoss()
    losses = []
    for _ in range(m.STEPS):
        optimizer.zero_grad()
        scores = model(XOR_X)
        if not (isinstance(scores, list) and all(isinstance(s, autograd.Value) for s in scores)):
            raise Wrong("the model should give one score per point (2 inputs, 1 output), e.g. "
                        f"nn.MLP(2, [8, 1]); it gave {scores!r:.80}.")
        loss = loss_fn(scores, XOR_Y)
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
    scores = [s.data for s in model(XOR_X)]
    rows = [[f"({x[0]:g}, {x[1]:g})", f"{int(t)}", f"{s:+.4f}", f"{int(s > 0)}",
             "ok" if (s > 0) == (t > 0.5) else "<-- WRONG"] for x, t, s in zip(XOR_X, XOR_Y, scores)]
    right = sum(row[-1] == "ok" for row in rows)
    curve = ", ".join(f"{losses[i]:.4f}" for i in sorted({0, len(losses) // 2, len(losses) - 1}))
    report = (f"after {m.STEPS} steps: loss {losses[-1]:.4f} (loss at the start, middle and end: "
              f"{curve}), {right} of 4 points right\n"
              + _table(["point", "class", "score", "predicted", ""], rows))
    if right == 4:
        return report
    if not all(math.isfinite(x) for x in losses):
        hint = "the loss became nan/inf: the learning rate is too high."
    elif losses[-1] > 0.6:
        hint = ("the loss hardly moved from log 2 = 0.693 (a coin toss): more steps, a larger "
                "learning rate, or more hidden neurons (is there a hidden layer at all?).")
    else:
        hint = "the loss is still falling: train longer or with a larger learning rate."
    raise Wrong(report + f"\n  Hint: {hint}")


EXERCISES = {e.number: e for e in [
    Exercise(1, "ex1_local_derivative", "Derive local derivatives by hand", check_local_derivatives),
    Exercise(2, "ex2_custom_op", "A custom op's backward (swish)", check_custom_op),
    Exercise(3, "ex3_neuron_by_hand", "A neuron's gradients by hand", check_neuron_by_hand),
    Exercise(4, "ex4_find_the_bug", "Find the bug in a broken backward", check_find_the_bug),
    Exercise(5, "ex5_momentum_step", "An optimizer step: SGD with momentum", check_momentum_step),
    Exercise(6, "ex6_xor", "Make an MLP learn XOR", check_xor),
]}
