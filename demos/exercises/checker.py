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
from nn.optim import SGD, Adam

from .workspace import load_from


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


# -- running a check ------------------------------------------------------------------------------
def load(number: int, solution: bool = False) -> ModuleType:
    """Import exercise `number`'s file, or its model answer from solutions/."""
    package = "demos.exercises.solutions" if solution else "demos.exercises"
    return importlib.import_module(f"{package}.{EXERCISES[number].module}")


def check(number: int, solution: bool = False, module: Any = None,
          folder: str | Path | None = None) -> Result:
    """Check exercise `number`: the student's file, the model answer (`solution=True`), the
    student's copy in `folder` (made by `python -m demos.exercises copy FOLDER`), or any object
    with the right names (`module=`, used by the tests to check deliberate mistakes)."""
    exercise = EXERCISES[number]
    if folder is not None:
        path = str(Path(folder) / f"{exercise.module}.py")
    else:
        where = "demos/exercises/solutions" if solution else "demos/exercises"
        path = f"{where}/{exercise.module}.py"
    try:
        if module is None and folder is not None:
            module = load_from(exercise.module, Path(folder))
        elif module is None:
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


# -- helpers --------------------------------------------------------------------------------------
def _close(got: float, expected: float, tol: float = 1e-6) -> bool:
    return abs(got - expected) <= tol * (1 + abs(expected))


def _number(x: Any, what: str) -> float:
    """x as a float, or Wrong/NotDone saying what `what` (a call or a name) is instead."""
    verb = "returned" if what.endswith(")") else "is"
    if x is None:
        raise NotDone(f"{what} {verb} None: it should be a number"
                      f"{' (a missing return?)' if verb == 'returned' else ''}.")
    if isinstance(x, autograd.Value):
        raise Wrong(f"{what} {verb} a Value ({x!r}); it should be a plain number (its .data).")
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise Wrong(f"{what} {verb} {type(x).__name__} {x!r:.60}; it should be a number.")
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

    checks = ((autograd.gradcheck, "the first derivatives are wrong", hint_first),
              (autograd.gradgradcheck, "the first derivatives pass gradcheck, but the second "
                                       "derivatives are wrong", hint_second))
    for check, problem, hint in checks:  # every point's first derivatives before any second
        for point in points:
            where = ", ".join(f"{name} = {v:g}" for name, v in zip(names, point))
            try:
                check(f, labelled(point))
            except autograd.GradcheckError as error:
                raise Wrong(f"{problem} at {where}:\n{error}\n  Hint: {hint}") from None

_MATH_HINT = ("Does your derivatives function use math.* (math.exp, math.tanh...)? On Values "
              "(backward(create_graph=True)) that turns them into constants; use autograd's "
              "functions (autograd.sigmoid, autograd.exp) and arithmetic instead.")


# -- exercise 1: local derivatives ----------------------------------------------------------------
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


# -- exercise 2: a custom op's backward -----------------------------------------------------------
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


# -- exercise 3: a neuron by hand -----------------------------------------------------------------
_EX3_KEYS = ["do/dn", "do/dw1", "do/dw2", "do/dx1", "do/dx2", "do/db"]
_EX3_HINTS = {
    "do/dn": "o = tanh(n), and d tanh(n)/dn = 1 - tanh(n)^2 = 1 - o^2, with o = 0.6.",
    "do/dw1": "do/dw1 = do/dn · ∂n/∂w1, and ∂n/∂w1 = x1 = 1.5.",
    "do/dw2": "do/dw2 = do/dn · ∂n/∂w2, and ∂n/∂w2 = x2 = -2 (mind the sign).",
    "do/dx1": "do/dx1 = do/dn · ∂n/∂x1, and ∂n/∂x1 = w1 = 0.5.",
    "do/dx2": "do/dx2 = do/dn · ∂n/∂x2, and ∂n/∂x2 = w2 = 0.25.",
    "do/db": "do/db = do/dn · ∂n/∂b, and ∂n/∂b = 1.",
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


# -- exercise 4: the broken backward --------------------------------------------------------------
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


# -- exercises 5 and 9: optimizer steps -----------------------------------------------------------
def _loss(p: list) -> Any:
    """A stretched, tilted bowl: momentum helps on it, plain SGD zig-zags."""
    x, y = p
    return (x - 1) ** 2 + 10 * (y + 2) ** 2 + x * y


def _unpack(answer: Any, function: str, shape: str, n: int) -> list[list]:
    if answer is None:
        raise NotDone(f"{function} returned None: return {shape}.")
    if not (isinstance(answer, (tuple, list)) and len(answer) == n):
        raise Wrong(f"{function} should return {n} lists {shape}, got {answer!r:.80}.")
    return [list(part) for part in answer]


def _side_by_side(take_step: Callable, reference: Any, setting: str, steps: int,
                  hint_first: str, hint_later: str) -> None:
    """Run the student's `take_step(params, grads, step) -> new_params` and the optimizer
    `reference` (on Values starting at the same point) for `steps` steps; Wrong at a difference."""
    values = reference.param_groups[0]["params"]
    params = [v.data for v in values]
    for step in range(1, steps + 1):
        grads = [float(g) for g in autograd.grad(lambda x, y: _loss([x, y]), (0, 1))(*params)]
        new_params = take_step(list(params), list(grads), step)
        reference.zero_grad()
        _loss(values).backward()
        reference.step()
        expected = [v.data for v in values]
        if len(new_params) != len(expected):
            raise Wrong(f"step {step}: {len(expected)} parameters went in, {len(new_params)} "
                        f"came out.")
        rows = []
        for i, (p, g, q, e) in enumerate(zip(params, grads, new_params, expected)):
            q = _number(q, f"new_params[{i}]")
            rows.append([f"params[{i}]", f"{p:.10g}", f"{g:.10g}", f"{q:.10g}", f"{e:.10g}",
                         "ok" if _close(q, e, 1e-9) else "<-- WRONG"])
        if any(row[-1] != "ok" for row in rows):
            name = type(reference).__name__
            raise Wrong(f"step {step} of {steps} ({setting}) differs from nn.optim.{name}:\n"
                        + _table(["", "before", "grad", "yours after", f"{name} after", ""], rows)
                        + f"\n  {hint_first if step == 1 else hint_later}")
        params = new_params


def check_momentum_step(m: ModuleType) -> str:
    lr, momentum, steps = 0.02, 0.9, 15
    velocities, torch_velocities = [0.0, 0.0], [0.0, 0.0]
    velocity_rows: list[tuple[int, list, list]] = []  # (step, yours, PyTorch's) per step

    def take_step(params: list, grads: list, step: int) -> list:
        nonlocal velocities, torch_velocities
        new_params, velocities = _unpack(
            m.sgd_momentum_step(params, grads, list(velocities), lr, momentum),
            "sgd_momentum_step", "(new_params, new_velocities)", 2)
        torch_velocities = [momentum * v + g for v, g in zip(torch_velocities, grads)]
        velocity_rows.append((step, velocities, torch_velocities))
        return new_params

    reference = SGD([autograd.Value(3.0), autograd.Value(1.0)], lr=lr, momentum=momentum)
    _side_by_side(take_step, reference, f"lr={lr}, momentum={momentum}", steps,
                  "The first step should be p - lr * g (v starts at 0, so v = g).",
                  "The first steps were right: check how v carries over between steps "
                  "(v = momentum * v + g) and that you return the new velocities.")
    # Folding lr into v (v = momentum * v + lr * g; p = p - v) moves the parameters the same way
    # while lr is constant, but not once a scheduler changes lr: the velocities tell them apart.
    for step, yours, expected in velocity_rows:
        rows = [[f"velocities[{i}]", f"{_number(v, f'new_velocities[{i}]'):.10g}", f"{e:.10g}",
                 "ok" if _close(v, e, 1e-9) else "<-- WRONG"]
                for i, (v, e) in enumerate(zip(yours, expected))]
        if len(yours) != len(expected) or any(row[-1] != "ok" for row in rows):
            raise Wrong(f"the parameters match nn.optim.SGD, but the velocities returned at step "
                        f"{step} are not v = momentum * v + g:\n"
                        + _table(["", "yours", "expected", ""], rows)
                        + "\n  Hint: keep lr out of v (apply it in p = p - lr * v): with lr folded "
                        "into v the two agree only while lr never changes, and a learning-rate "
                        "scheduler changes it.")
    return f"{steps} steps of your update match nn.optim.SGD(lr={lr}, momentum={momentum}) exactly."


def check_adam_step(m: ModuleType) -> str:
    lr, beta1, beta2, eps, steps = 0.1, 0.9, 0.999, 1e-8, 15
    ms, vs = [0.0, 0.0], [0.0, 0.0]

    def take_step(params: list, grads: list, step: int) -> list:
        nonlocal ms, vs
        new_params, ms, vs = _unpack(
            m.adam_step(params, grads, list(ms), list(vs), step, lr, beta1, beta2, eps),
            "adam_step", "(new_params, new_m, new_v)", 3)
        return new_params

    reference = Adam([autograd.Value(3.0), autograd.Value(1.0)], lr=lr, betas=(beta1, beta2),
                     eps=eps)
    _side_by_side(take_step, reference, f"lr={lr}, betas=({beta1}, {beta2}), eps={eps:g}", steps,
                  "On the first step m_hat = g and v_hat = g^2, so each parameter should move "
                  "by almost exactly lr, against the sign of its gradient. Check the bias "
                  "corrections.",
                  "The first steps were right: check that m and v carry over (return the new "
                  "ones) and that t is used in the bias corrections.")
    return f"{steps} steps of your update match nn.optim.Adam(lr={lr}) to 1e-9."


# -- exercise 6: XOR ------------------------------------------------------------------------------
XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_Y = [0.0, 1.0, 1.0, 0.0]
MAX_STEPS = 1000
MAX_PARAMETERS = 500


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
    if len(model.parameters()) > MAX_PARAMETERS:
        raise Wrong(f"the model has {len(model.parameters())} parameters; keep it at most "
                    f"{MAX_PARAMETERS} (a few hidden neurons are enough for XOR, and every "
                    f"parameter is a Python object the checker trains).")
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
             "ok" if (s > 0) == (t > 0.5) else "<-- WRONG"]
            for x, t, s in zip(XOR_X, XOR_Y, scores)]
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


# -- exercise 7: the chain rule on a graph --------------------------------------------------------
def _ex7_graph() -> autograd.Value:
    a, b, c = autograd.Value(3.0, label="a"), autograd.Value(-2.0, label="b"), \
        autograd.Value(4.0, label="c")
    e = a * b
    e.label = "e"
    d = e + a
    d.label = "d"
    L = d * c
    L.label = "L"
    return L


def check_chain_rule_graph(m: ModuleType) -> str:
    steps = autograd.explain(_ex7_graph(), print_steps=False)  # backward's order: L first
    answers = _ex7_answers(m.GRADS, [step.name for step in steps])
    wrong = []
    for step in steps:
        got = _number(answers[step.name], f"GRADS[{step.name!r}]")
        if _close(got, step.grad, 1e-9):
            continue
        if not step.terms:
            rule = "dL/dL = 1: backward starts from the seed 1."
        else:
            rule = f"dL/d{step.name} = " + " + ".join(
                f"dL/d{t.consumer_name} · ∂{t.consumer_name}/∂{step.name}" for t in step.terms)
            if len(step.terms) > 1:
                rule += f"  ({step.name} is used {len(step.terms)} times: one term per use)"
        wrong.append(f"  dL/d{step.name}: you wrote {got:g}, which is not right. {rule}")
    if wrong:
        raise Wrong("some gradients are wrong (listed in the order backward computes them; fix "
                    "the first one first, the later ones depend on it):\n" + "\n".join(wrong))
    explanation = str(autograd.explain(_ex7_graph(), print_steps=False))
    return ("every gradient is right. This is what backward() does, step by step "
            "(autograd.explain(L)):\n  " + explanation.replace("\n", "\n  "))


def _ex7_answers(grads: Any, names: list[str]) -> dict:
    if not isinstance(grads, dict) or any(name not in grads for name in names):
        raise Wrong(f"GRADS should be a dict with the keys {names}.")
    open_keys = [name for name in names if grads[name] is None]
    if open_keys:
        raise NotDone(f"GRADS still has None for {', '.join(open_keys)}; replace each None by "
                      f"the number dL/d(node).")
    return grads


# -- exercise 8: tanh from exp --------------------------------------------------------------------
def check_tanh_from_exp(m: ModuleType) -> str:
    x = autograd.Value(0.5, label="x")
    out = m.my_tanh(x)
    if out is None:
        raise NotDone("my_tanh returned None: return the Value tanh(x), built from autograd.exp.")
    if not isinstance(out, autograd.Value):
        raise Wrong(f"my_tanh(Value(0.5)) returned {type(out).__name__} {out!r:.60}; it should "
                    f"return a Value computed from x, so that backward() can reach x.")
    graph = autograd.topological_order(out)
    if not any(node is x for node in graph):  # `x in graph` would accept any node equal to 0.5
        raise Wrong("the Value my_tanh returns does not depend on x in the graph (did you use "
                    "x.data or math.exp? Then backward() cannot reach x).")
    used = sorted({node.op.name for node in graph if node.op is not None})
    if "tanh" in used:
        raise Wrong(f"my_tanh uses the tanh op (its graph has the ops {used}): build it from "
                    f"autograd.exp and arithmetic instead.")
    rows, wrong = [], 0
    for point in [-400.0, -3.0, -0.5, 0.0, 0.8, 2.0, 400.0]:
        x = autograd.Value(point)
        out = m.my_tanh(x)
        out.backward()
        expected, slope = math.tanh(point), 1 - math.tanh(point) ** 2
        ok = _close(out.data, expected, 1e-9) and _close(x.grad, slope, 1e-9)
        wrong += not ok
        rows.append([f"{point:g}", f"{out.data:.10g}", f"{expected:.10g}", f"{x.grad:.10g}",
                     f"{slope:.10g}", "ok" if ok else "<-- WRONG"])
    if wrong:
        table = _table(["x", "my_tanh(x)", "tanh(x)", "its x.grad", "1 - tanh(x)^2", ""], rows)
        big = any(row[-1] != "ok" for row in (rows[0], rows[-1]))
        hint = ("nan or a wrong value at x = +-400: e^(2x) or e^(-2x) overflowed to inf; use "
                "the form with e^(-2|x|), which is at most 1." if big else
                "compare your expression with the formulas in the docstring.")
        raise Wrong(f"my_tanh is wrong at {wrong} of {len(rows)} points:\n{table}\n  Hint: {hint}")
    return (f"my_tanh matches tanh and backward() finds 1 - tanh(x)^2 through its graph of "
            f"{len(graph)} nodes (ops: {', '.join(used)}), even at x = +-400.")


EXERCISES = {e.number: e for e in [
    Exercise(1, "ex1_local_derivative", "Derive local derivatives by hand",
             check_local_derivatives),
    Exercise(2, "ex2_custom_op", "A custom op's backward (swish)", check_custom_op),
    Exercise(3, "ex3_neuron_by_hand", "A neuron's gradients by hand", check_neuron_by_hand),
    Exercise(4, "ex4_find_the_bug", "Find the bug in a broken backward", check_find_the_bug),
    Exercise(5, "ex5_momentum_step", "An optimizer step: SGD with momentum", check_momentum_step),
    Exercise(6, "ex6_xor", "Make an MLP learn XOR", check_xor),
    Exercise(7, "ex7_chain_rule_graph", "Extra: the chain rule on a graph by hand",
             check_chain_rule_graph),
    Exercise(8, "ex8_tanh_from_exp", "Extra: tanh built from exp", check_tanh_from_exp),
    Exercise(9, "ex9_adam_step", "Extra: an optimizer step: Adam", check_adam_step),
]}
