"""The exercises' checker: runs a student's exercise file and says PASS, or exactly what is wrong.

`check(n)` runs exercise n's file in its own Python process (`sandbox.run`), which reports what
the student's code produced at the checker's points (`probes.py`), as data. Every verdict is made
here, in the checker's process, from that data and from numbers computed here: nothing the
student's code patches (this module, autograd.gradcheck, the exit status) can change it.

A TODO left undone (NotImplementedError, or a None left in place) is "not done"; a wrong answer is
"fail", with the points, the expected and the actual numbers and, where it is one of the classic
mistakes, its name; a process that ends badly (a timeout, sys.exit, too much output, out of memory)
is "error" with a one-line reason.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import catalog, reference_value, sandbox, workspace
from .catalog import EXERCISES, Exercise

__all__ = ["EXERCISES", "Exercise", "Result", "check", "check_file"]

HERE = Path(__file__).resolve().parent


class Wrong(Exception):
    """A check found a mistake; the message says what and where."""


class NotDone(Exception):
    """A TODO is still open; the message says which."""


class Malformed(Exception):
    """The reply from the student's process is not what was asked for."""


HEADS = {"pass": "PASS", "fail": "FAIL", "not done": "NOT DONE YET", "error": "ERROR"}


@dataclass
class Result:
    """What `check` found: `status` is "pass", "fail", "not done" or "error" (the code could not
    be checked: a timeout, an exit, a crash of Python); `message` the details; `output` the start
    of what the student's code printed; `seconds` how long its process ran."""

    exercise: Exercise
    path: str
    status: str
    message: str
    output: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def head(self) -> str:
        return HEADS[self.status]

    def __str__(self) -> str:
        title = f"Exercise {self.exercise.number}: {self.exercise.title} ({self.path})"
        text = f"{title}\n{self.head}: {self.message}"
        if self.output.strip():
            shown = self.output.rstrip().replace("\n", "\n  | ")
            text += f"\n  Your code printed:\n  | {shown}"
        return text

    def one_line(self) -> str:
        """The message's first line, for a class's table and CSV."""
        return self.message.strip().splitlines()[0] if self.message.strip() else ""


# -- running a check ------------------------------------------------------------------------------
def exercise_path(number: int, solution: bool = False, folder: str | Path | None = None) -> Path:
    """The file exercise `number` is checked in: the student's copy in `folder`, the model answer
    (solutions/), or the file in demos/exercises/."""
    module = EXERCISES[number].module
    if folder is not None:
        return Path(folder) / f"{module}.py"
    return HERE / "solutions" / f"{module}.py" if solution else HERE / f"{module}.py"


def check(number: int, solution: bool = False, folder: str | Path | None = None,
          timeout: float = sandbox.DEFAULT_TIMEOUT, memory: int = sandbox.DEFAULT_MEMORY) -> Result:
    """Check exercise `number`: the student's file in demos/exercises/, the model answer
    (`solution=True`), or the student's copy in `folder` (made by `python -m demos.exercises copy
    FOLDER`). `timeout` (seconds; exercise 6, which trains a network, gets `time_scale` = 3 times
    as long) and `memory` (bytes) limit the student's process."""
    return check_file(number, exercise_path(number, solution, folder), timeout, memory)


def check_file(number: int, path: str | Path, timeout: float = sandbox.DEFAULT_TIMEOUT,
               memory: int = sandbox.DEFAULT_MEMORY) -> Result:
    """Check the file `path` as exercise `number` (any name, any folder)."""
    exercise = EXERCISES[number]
    path = Path(path)
    shown = _shown(path)
    if not path.is_file():
        return Result(exercise, shown, "error",
                      f"there is no {path}: make your copies with `python -m demos.exercises "
                      f"copy {path.parent}`, or reset it with `reset {number}`.")
    encoding = workspace.not_utf8(path)
    if encoding:
        return Result(exercise, shown, "error", encoding)
    run = sandbox.run(number, path, timeout=timeout * exercise.time_scale, memory=memory)
    if run.problem is not None:
        return Result(exercise, shown, "error", run.problem, run.output, run.seconds)
    status, message = judge(number, run.reply, shown, memory)
    return Result(exercise, shown, status, message, run.output, run.seconds)


def _shown(path: Path) -> str:
    """The path as a student reads it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(sandbox.REPO).as_posix()
    except ValueError:
        return str(path)


def judge(number: int, reply: Any, path: str, memory: int = sandbox.DEFAULT_MEMORY
          ) -> tuple[str, str]:
    """The verdict (status, message) on the reply of exercise `number`'s process (`memory`: its
    memory limit, for the message when it ran out)."""
    try:
        if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
            raise Malformed("no ok field")
        if not reply["ok"]:
            return _crash(reply, path, memory)
        return "pass", JUDGES[number](reply.get("data"))
    except NotDone as problem:
        return "not done", f"{problem}\nOpen {path} and complete the TODO."
    except Wrong as problem:
        return "fail", str(problem)
    except Malformed as problem:
        return "error", (f"the reply from your code's process was not what the checker asked for "
                         f"({problem}): did your code change the checker? Remove that.")
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as problem:
        return "error", (f"the reply from your code's process was not what the checker asked for "
                         f"({type(problem).__name__}): did your code change the checker?")


def _error_text(error: Any) -> tuple[str, str, str, bool]:
    """(type, message, where, not_done) of an error the student's process described."""
    if not isinstance(error, dict):
        raise Malformed("an error without a description")
    kind, message = str(error.get("type", "?"))[:80], str(error.get("message", ""))[:400]
    where = "".join(f"\n  line {int(line)}: {str(text)[:200]}"
                    for line, text in list(error.get("where") or [])[-3:])
    return kind, message, where, bool(error.get("not_done"))


def _crash(reply: dict, path: str, memory: int) -> tuple[str, str]:
    kind, message, where, not_done = _error_text(reply.get("error"))
    during = "while Python loaded your file" if reply.get("phase") == "import" else ""
    if not_done:
        return "not done", f"{message}.\nOpen {path}, complete the TODO, and check again."
    if kind == "SystemExit":
        return "error", (f"your code called sys.exit({message}) {during or 'during the checks'}: "
                         f"remove it (an exercise file only defines things).{where}")
    if kind == "KeyboardInterrupt":
        return "error", f"your code raised KeyboardInterrupt {during}: remove that.{where}"
    if kind == "MemoryError":
        return "error", (f"your code ran out of memory {during}{' ' if during else ''}(the "
                         f"checker's limit is {memory / 1024 ** 3:g} GB): a list "
                         f"or a loop that grows without end?{where}")
    if kind == "RecursionError":
        return "fail", (f"your code raised RecursionError: {message} (a function that calls "
                        f"itself without end?){where}")
    if kind == "SyntaxError" or kind == "IndentationError":
        return "fail", f"Python cannot read your file: {kind}: {message}{where}"
    return "fail", f"your code raised {kind}: {message}{f' ({during})' if during else ''}{where}"


# -- reading the reply ----------------------------------------------------------------------------
def _kind(x: Any) -> str | None:
    return x.get("kind") if isinstance(x, dict) else None


def _describe(x: Any) -> str:
    """What a non-number in the reply is, in a student's words."""
    kind = _kind(x)
    if kind == "bool":
        return f"{x.get('value')!r} (a bool, True or False)"
    if kind == "str":
        return f"the string {str(x.get('value'))[:60]!r}"
    if kind == "Value":
        return f"a Value ({str(x.get('repr'))[:60]})"
    if kind == "list":
        return f"a {x.get('type', 'list')} of {x.get('length')} items"
    if kind == "dict":
        return "a dict"
    if kind == "object":
        return f"{str(x.get('type'))[:40]} {str(x.get('repr'))[:60]}"
    raise Malformed("an unknown kind of answer")


def _number(x: Any, what: str) -> float:
    """The reply's number for `what` (a call or a name), or NotDone/Wrong saying what it is."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return float(x)
    verb = "returned" if what.endswith(")") else "is"
    if x is None:
        raise NotDone(f"{what} {verb} None: it should be a number"
                      f"{' (a missing return?)' if verb == 'returned' else ''}.")
    if _kind(x) == "Value":
        raise Wrong(f"{what} {verb} {_describe(x)}; it should be a plain number (its .data).")
    raise Wrong(f"{what} {verb} {_describe(x)}; it should be a number.")


def _items(x: Any, what: str, n: int | None = None) -> list:
    """The items of a list or tuple in the reply (Wrong if it is something else)."""
    if _kind(x) != "list":
        raise Wrong(f"{what} should be a list, got {_describe(x) if x is not None else None}.")
    items = x.get("items")
    if not isinstance(items, list):
        raise Malformed("a list without items")
    if n is not None and x.get("length") != n:
        raise Wrong(f"{what} should have {n} items, got {x.get('length')}.")
    return items


def _dict(x: Any, what: str, keys: list[str]) -> dict:
    if _kind(x) != "dict":
        raise Wrong(f"{what} should be a dict with the keys {keys}, got "
                    f"{_describe(x) if x is not None else None}.")
    pairs = x.get("items")
    if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
        raise Malformed("a dict without items")
    found = {str(k): v for k, v in pairs}
    missing = [k for k in keys if k not in found]
    if missing:
        raise Wrong(f"{what} is missing the key(s) {missing}; it needs {keys}.")
    return found


def _floats(x: Any, n: int) -> list[float]:
    if not isinstance(x, list) or len(x) != n or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in x):
        raise Malformed(f"expected {n} numbers")
    return [float(v) for v in x]


def _guarded_value(part: Any, where: str) -> Any:
    """The value of a part the probe ran on its own (see probes._guarded); Wrong if it raised."""
    if not isinstance(part, dict):
        raise Malformed("a part without value or error")
    if "error" in part:
        kind, message, lines, _ = _error_text(part["error"])
        raise Wrong(f"{where} your derivatives raise {kind}: {message}{lines}\n  Hint: part of "
                    f"your formula overflows for large inputs; write it with autograd's stable "
                    f"functions (autograd.sigmoid, autograd.exp(a - out)).")
    return part.get("value")


# -- helpers --------------------------------------------------------------------------------------
def _close(got: float, expected: float, tol: float = 1e-6) -> bool:
    if math.isnan(expected):
        return math.isnan(got)
    return abs(got - expected) <= tol * (1 + abs(expected))


def _all_close(got: list[float], expected: list[float], tol: float = 1e-6) -> bool:
    return len(got) == len(expected) and all(_close(g, e, tol) for g, e in zip(got, expected))


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[c])) for row in [header] + rows) for c in range(len(header))]
    return "\n".join("  " + "  ".join(str(cell).rjust(w) for cell, w in zip(row, widths)).rstrip()
                     for row in [header] + rows)


def _named(got: list[float], variants: list[tuple[str, list[float]]], tol: float = 1e-6) -> str:
    """The explanation of the first variant (a known mistake's numbers) that `got` matches."""
    for explanation, numbers in variants:
        if _all_close(got, numbers, tol):
            return explanation
    return ""


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


# -- exercise 1: local derivatives ----------------------------------------------------------------
_EX1 = {
    "df": ("f", lambda x: 6 * x - 4,
           "f is a polynomial: use the power rule term by term (the constant 5 has derivative 0).",
           [("the power rule: d/dx 3x^2 = 3 · 2 x^(2-1) = 6x (the exponent comes down and "
             "multiplies the 3).", lambda x: 3 * x - 4),
            ("the constant's derivative: d/dx 5 = 0, and d/dx (-4x) = -4.",
             lambda x: 6 * x + 1),
            ("d/dx (-4x) = -4: the -4x term has a derivative too.", lambda x: 6 * x)]),
    "dg": ("g", lambda x: math.sin(x) + x * math.cos(x),
           "g = x * sin(x) is a product u v with u = x, v = sin(x): g' = u' v + u v'.",
           [("the product rule has two terms, u' v + u v': you wrote only u v' = x cos(x) (the "
             "other term, u' v = sin(x), is missing).", lambda x: x * math.cos(x)),
            ("the product rule has two terms, u' v + u v': you wrote only u' v = sin(x).",
             math.sin),
            ("you differentiated each factor and multiplied (u' v' = cos(x)): the product rule is "
             "u' v + u v'.", math.cos)]),
    "dh": ("h", lambda x: 2 * x / (1 + x * x),
           "h = log(u) with u = 1 + x^2: h' = u' / u, and u' = 2x.",
           [("the chain rule's inner derivative is missing: d/dx log(u(x)) = u'(x) / u(x), and "
             "u'(x) = 2x, not 1.", lambda x: 1 / (1 + x * x)),
            ("d/dx log(u) = u' / u: you have u' = 2x but forgot to divide by u = 1 + x^2.",
             lambda x: 2 * x)]),
}


def _judge_ex1(data: Any) -> str:
    points = catalog.EX1_POINTS
    problems = []
    for derivative, (name, right, hint, mistakes) in _EX1.items():
        answers = _floats_or_wrong(data[derivative], derivative, points)
        expected = [right(x) for x in points]
        ok = [_close(g, e) for g, e in zip(answers, expected)]
        if all(ok):
            continue
        rows = [[f"{x:g}", f"{g:.6g}", f"{e:.6g}", "ok" if good else "<-- WRONG"]
                for x, g, e, good in zip(points, answers, expected, ok)]
        table = _table(["x", f"your {derivative}(x)", f"the derivative of {name}", ""], rows)
        mistake = _named(answers, [(text, [f(x) for x in points]) for text, f in mistakes])
        advice = f"Mistake: {mistake}" if mistake else f"Hint: {hint}"
        problems.append(f"{derivative} is wrong at {ok.count(False)} of {len(points)} points:\n"
                        f"{table}\n  {advice}")
    if problems:
        raise Wrong("\n\n".join(problems))
    return f"df, dg and dh are right at x = {', '.join(f'{x:g}' for x in points)}."


def _floats_or_wrong(answers: Any, name: str, points: list[float]) -> list[float]:
    if not isinstance(answers, list) or len(answers) != len(points):
        raise Malformed(f"{name}: expected {len(points)} answers")
    return [_number(a, f"{name}({x:g})") for a, x in zip(answers, points)]


# -- exercise 2: a custom op's backward -----------------------------------------------------------
def _swish(x: float) -> float:
    return x * _sigmoid(x)


def _swish_first(x: float) -> float:
    s = _sigmoid(x)
    return s + x * s * (1 - s)


def _swish_second(x: float) -> float:
    s = _sigmoid(x)
    return 2 * s * (1 - s) + x * s * (1 - s) * (1 - 2 * s)


_MATH_HINT = ("does your derivatives function use math.* (math.exp, math.tanh...) or float()? On "
              "Values (second derivatives run your function on Values) that turns them into "
              "constants; use autograd's functions (autograd.sigmoid, autograd.exp) and "
              "arithmetic instead.")


def _derivative_table(points: list, got: list[float], expected: list[float], name: str,
                      label: Callable[[Any], str] = lambda x: f"{x:g}") -> tuple[str, int]:
    ok = [_close(g, e, 1e-6) for g, e in zip(got, expected)]
    rows = [[label(x), f"{g:.10g}", f"{e:.10g}", "ok" if good else "<-- WRONG"]
            for x, g, e, good in zip(points, got, expected, ok)]
    return _table(["at", f"your {name}", "expected", ""], rows), ok.count(False)


def _judge_ex2(data: Any) -> str:
    if data.get("direct") is None:
        raise NotDone("swish_derivatives returned None: return a tuple (d swish / dx,).")
    for x, got in zip(catalog.EX2_FORWARD_POINTS, data["forward"]):
        got = _number(got, f"swish({x:g})")
        if not _close(got, _swish(x)):
            raise Wrong(f"the forward pass changed: swish({x:g}) = {got!r}, expected "
                        f"{_swish(x)!r}. Leave the forward alone; the task is the derivative.")
    points = catalog.EX2_POINTS
    first = [_number(g, f"d swish/dx at {x:g}") for g, x in zip(data["first"], points)]
    expected = [_swish_first(x) for x in points]
    if not _all_close(first, expected):
        table, wrong = _derivative_table(points, first, expected, "d swish/dx")
        mistake = _named(first, [
            ("you wrote sigmoid(x) alone: that is only the first term of the product rule, "
             "u' v = 1 · sigmoid(x). Add u v' = x · sigmoid'(x).",
             [_sigmoid(x) for x in points]),
            ("you wrote sigmoid's own derivative, sigmoid(x) (1 - sigmoid(x)): swish is "
             "x · sigmoid(x), a product, so use the product rule.",
             [_sigmoid(x) * (1 - _sigmoid(x)) for x in points]),
            ("you wrote only the second term of the product rule, x · sigmoid'(x); add u' v = "
             "sigmoid(x).", [x * _sigmoid(x) * (1 - _sigmoid(x)) for x in points])])
        advice = f"Mistake: {mistake}" if mistake else (
            "Hint: check your product rule: u = x, v = sigmoid(x), and sigmoid' = "
            "sigmoid (1 - sigmoid).")
        raise Wrong(f"the first derivatives are wrong at {wrong} of {len(points)} points:\n"
                    f"{table}\n  {advice}")
    second = [_number(g, f"d2 swish/dx2 at {x:g}") for g, x in zip(data["second"], points)]
    expected = [_swish_second(x) for x in points]
    if not _all_close(second, expected, 1e-5):
        table, wrong = _derivative_table(points, second, expected, "d2 swish/dx2")
        raise Wrong(f"the first derivatives are right, but the second derivatives are wrong at "
                    f"{wrong} of {len(points)} points:\n{table}\n  Mistake: {_MATH_HINT}")
    for x, got in zip(catalog.EX2_LARGE, _guarded_value(data["large"], "for large |x|")):
        limit = 0.0 if x < 0 else 1.0
        got = _number(got, f"d swish/dx at {x:g}")
        if not abs(got - limit) < 1e-6:
            raise Wrong(f"d swish/dx at x = {x:g} should be about {limit:g}, got {got!r}: part of "
                        f"your formula overflows for large |x|. Write it with autograd.sigmoid(x), "
                        f"which is stable, rather than with exp(-x).")
    return (f"the first and second derivatives are right at x = "
            f"{', '.join(f'{x:g}' for x in points)}, and stay finite for large |x|.")


# -- exercise 3: a neuron by hand -----------------------------------------------------------------
_EX3_NUMBERS = (1.5, -2.0, 0.5, 0.25, math.log(2) - 0.25)
_EX3_HINTS = {
    "do/dn": "o = tanh(n), and d tanh(n)/dn = 1 - tanh(n)^2 = 1 - o^2, with o = 0.6.",
    "do/dw0": "do/dw0 = do/dn · ∂n/∂w0, and ∂n/∂w0 = x0 = 1.5.",
    "do/dw1": "do/dw1 = do/dn · ∂n/∂w1, and ∂n/∂w1 = x1 = -2 (mind the sign).",
    "do/dx0": "do/dx0 = do/dn · ∂n/∂x0, and ∂n/∂x0 = w0 = 0.5.",
    "do/dx1": "do/dx1 = do/dn · ∂n/∂x1, and ∂n/∂x1 = w1 = 0.25.",
    "do/db": "do/db = do/dn · ∂n/∂b, and ∂n/∂b = 1.",
}
# the local derivative alone, without the factor do/dn: a missing out.grad
_EX3_LOCAL = {"do/dw0": 1.5, "do/dw1": -2.0, "do/dx0": 0.5, "do/dx1": 0.25}


def _neuron_gradients() -> dict[str, float]:
    import autograd

    x0, x1, w0, w1, b = (autograd.Value(v) for v in _EX3_NUMBERS)
    n = w0 * x0 + w1 * x1 + b
    n.tanh().backward()
    return dict(zip(catalog.EX3_KEYS, [n.grad, w0.grad, w1.grad, x0.grad, x1.grad, b.grad]))


def _judge_ex3(data: Any) -> str:
    numbers = data["numbers"]
    if not isinstance(numbers, list) or [x if isinstance(x, float) else None for x in numbers] \
            != list(_EX3_NUMBERS):
        raise Wrong("the neuron's numbers (x0, x1, w0, w1, b) were changed; put them back.")
    truth = _neuron_gradients()
    keys = catalog.EX3_KEYS
    by_hand = _dict(data["by_hand"], "BY_HAND", keys)
    open_keys = [k for k in keys if by_hand[k] is None]
    if open_keys:
        raise NotDone(f"part 1: BY_HAND still has None for {', '.join(open_keys)}; replace each "
                      f"None by the number you computed by hand.")
    wrong = []
    for key in keys:
        got = _number(by_hand[key], f"BY_HAND[{key!r}]")
        if abs(got - truth[key]) <= 1e-3:  # room for rounding by hand
            continue
        hint = _EX3_HINTS[key]
        if key in _EX3_LOCAL and abs(got - _EX3_LOCAL[key]) <= 1e-3:
            hint = (f"Mistake: that is the local derivative ∂n/∂{key[4:]} alone; the chain rule "
                    f"multiplies it by do/dn (in code: the factor out.grad).")
        elif key == "do/dn" and abs(got - (1 - math.log(2) ** 2)) <= 1e-3:
            hint = "Mistake: you used 1 - n^2; tanh's derivative is 1 - tanh(n)^2 = 1 - o^2."
        wrong.append(f"  {key}: you wrote {got:g}, which is not right. {hint}")
    if wrong:
        raise Wrong("part 1: some hand-computed gradients are wrong (the correct numbers are left "
                    "for you to find):\n" + "\n".join(wrong))
    if "with_backward_error" in data:
        kind, message, where, not_done = _error_text(data["with_backward_error"])
        if not_done:
            raise NotDone(f"part 1 is right! Part 2 is not done yet: {message}.")
        raise Wrong(f"part 1 is right, but with_backward() raised {kind}: {message}{where}")
    from_code = _dict(data["with_backward"], "with_backward()", keys)
    got = [_number(from_code[k], f"with_backward()[{k!r}]") for k in keys]
    expected = [truth[k] for k in keys]
    if not _all_close(got, expected, 1e-9):
        rows = [[k, f"{g:.10g}", f"{e:.10g}", "ok" if _close(g, e, 1e-9) else "<-- WRONG"]
                for k, g, e in zip(keys, got, expected)]
        leaves = [k != "do/dn" for k in keys]  # a non-leaf's .grad is set afresh each time
        mistake = _named([g for g, leaf in zip(got, leaves) if leaf], [
            ("the leaves' gradients are exactly twice the right ones: backward() ran twice on "
             "the same Values, and a leaf's .grad adds up (call it once, or set every .grad to 0 "
             "in between, as optimizer.zero_grad() does).",
             [2 * e for e, leaf in zip(expected, leaves) if leaf])], 1e-9)
        advice = f"Mistake: {mistake}" if mistake else (
            "Hint: build n and o from the Values, call o.backward() once, then read each "
            "Value's .grad.")
        raise Wrong("part 1 is right, but with_backward() returns wrong gradients:\n"
                    + _table(["", "with_backward()", "expected", ""], rows) + f"\n  {advice}")
    return "your hand-computed gradients match backward()'s, and with_backward() returns them."


# -- exercise 4: the broken backward --------------------------------------------------------------
def _logaddexp(a: float, b: float) -> float:
    big = max(a, b)
    return big + math.log(math.exp(a - big) + math.exp(b - big))


def _pair(x: Any, what: str) -> list[float]:
    return [_number(v, what) for v in _items(x, what, 2)]


def _judge_ex4(data: Any) -> str:
    points = catalog.EX4_POINTS
    for (a, b), got in zip(points + [catalog.EX4_LARGE], data["forward"]):
        got = _number(got, f"logaddexp({a:g}, {b:g})")
        if not _close(got, _logaddexp(a, b)):
            raise Wrong(f"the forward pass changed: logaddexp({a:g}, {b:g}) = {got!r}, expected "
                        f"{_logaddexp(a, b)!r}. The bug is in the derivatives; leave the forward.")
    firsts = [_pair(d, "the derivatives") for d in data["first"]]
    expected, swapped = [], []
    for a, b in points:
        out = _logaddexp(a, b)
        pa, pb = math.exp(a - out), math.exp(b - out)
        expected += [pa, pb]
        swapped += [pb, pa]
    got = [v for pair in firsts for v in pair]
    if not _all_close(got, expected):
        labels = [f"d out/d{n} at ({a:g}, {b:g})" for a, b in points for n in "ab"]
        table, wrong = _derivative_table(labels, got, expected, "derivative",
                                         label=lambda s: s)
        # (the bug as shipped is not named: finding it is the exercise)
        mistake = _named(got, [
            ("the two partial derivatives are swapped: d out/da belongs to a, e^(a - out).",
             swapped)])
        advice = f"Mistake: {mistake}" if mistake else (
            "Hint: derive d out/da and d out/db yourself: d/db log(e^a + e^b) = "
            "e^b / (e^a + e^b).")
        raise Wrong(f"the first derivatives are wrong at {wrong} of {len(got)} places:\n{table}\n"
                    f"  {advice}")
    got, expected, labels = [], [], []
    for (a, b), hessian in zip(points, data["second"]):
        rows = [_pair(row, "the second derivatives") for row in _items(hessian, "hessian", 2)]
        out = _logaddexp(a, b)
        pa, pb = math.exp(a - out), math.exp(b - out)
        got += [rows[0][0], rows[0][1], rows[1][1]]
        expected += [pa * pb, -pa * pb, pa * pb]
        labels += [f"d2/d{n} at ({a:g}, {b:g})" for n in ("a2", "a db", "b2")]
    if not _all_close(got, expected, 1e-5):
        table, wrong = _derivative_table(labels, got, expected, "second derivative",
                                         label=lambda s: s)
        raise Wrong(f"the first derivatives are right, but the second derivatives are wrong at "
                    f"{wrong} of {len(got)} places:\n{table}\n  Mistake: {_MATH_HINT}")
    large = _pair(_guarded_value(data["large"], "at a = 1000, b = 999"),
                  "the derivatives at (1000, 999)")
    if not all(math.isfinite(x) for x in large):
        raise Wrong(f"at a = 1000, b = 999 the derivatives are {large}: they overflow. Write them "
                    f"with exp(a - out) and exp(b - out), which are at most 1.")
    return ("the first and second derivatives are right at "
            + "; ".join(f"(a, b) = ({a:g}, {b:g})" for a, b in points)
            + ". Note the first point: with a == b the bug was invisible.")


# -- exercises 5 and 9: optimizer steps -----------------------------------------------------------
Step = Callable[[int, list, list, list], tuple]


def _simulate(step: Step, n_state: int, steps: int) -> list[list[list[float]]]:
    """A rule's own run from the exercise's start: per step, [new_params, new_state...]."""
    params, state = list(catalog.EX5_START), [[0.0, 0.0] for _ in range(n_state)]
    out = []
    for t in range(1, steps + 1):
        try:
            parts = step(t, params, catalog.loss_gradient(params), state)
        except (ZeroDivisionError, OverflowError, ValueError):
            break
        out.append([list(p) for p in parts])
        params, state = list(parts[0]), [list(s) for s in parts[1:]]
    return out


def _sgd(damp: float = 0.0, sign: float = 1.0, along_g: bool = False, lr_in_v: bool = False,
         v_sign: float = 1.0) -> Step:
    lr, mu = catalog.EX5_LR, catalog.EX5_MOMENTUM

    def step(t: int, p: list, g: list, state: list) -> tuple:
        v = [mu * vi + v_sign * (1 - damp) * (lr if lr_in_v else 1) * gi
             for vi, gi in zip(state[0], g)]
        move = g if along_g else v
        scale = 1 if lr_in_v else lr
        return [pi - sign * v_sign * scale * mi for pi, mi in zip(p, move)], v
    return step


def _adam(correct: bool = True, root: bool = True, m_scale: bool = True,
          square: bool = True, sign: float = 1.0) -> Step:
    (b1, b2), lr, eps = catalog.EX9_BETAS, catalog.EX9_LR, catalog.EX9_EPS

    def step(t: int, p: list, g: list, state: list) -> tuple:
        m = [b1 * mi + (1 - b1 if m_scale else 1) * gi for mi, gi in zip(state[0], g)]
        v = [b2 * vi + (1 - b2) * (gi * gi if square else gi) for vi, gi in zip(state[1], g)]
        new = []
        for pi, mi, vi in zip(p, m, v):
            m_hat = mi / (1 - b1 ** t) if correct else mi
            v_hat = vi / (1 - b2 ** t) if correct else vi
            new.append(pi - sign * lr * m_hat / ((math.sqrt(v_hat) if root else v_hat) + eps))
        return new, m, v
    return step


_EX5_MISTAKES = [
    ("a sign error: your step goes uphill (p + lr · v). A step goes against the gradient: "
     "p = p - lr · v.", _sgd(sign=-1.0)),
    ("that is an exponential average, v = momentum · v + (1 - momentum) · g (dampening): "
     "PyTorch's momentum adds the whole gradient, v = momentum · v + g.", _sgd(damp=0.9)),
    ("the parameters move along the gradient g instead of the velocity v: p = p - lr · v.",
     _sgd(along_g=True)),
]
_EX9_MISTAKES = [
    ("Adam without bias correction: m and v start at 0, so divide them by (1 - beta1^t) and "
     "(1 - beta2^t) before the step (m_hat, v_hat).", _adam(correct=False)),
    ("the square root is missing: the step divides by sqrt(v_hat) + eps, not by v_hat + eps.",
     _adam(root=False)),
    ("m = beta1 · m + g is missing the factor (1 - beta1) on g.", _adam(m_scale=False)),
    ("v averages the squared gradient, g^2, not g.", _adam(square=False)),
    ("a sign error: your step goes uphill; Adam subtracts lr · m_hat / (sqrt(v_hat) + eps).",
     _adam(sign=-1.0)),
]


def _optimizer_trajectory(data: Any, function: str, shape: str, n_state: int
                          ) -> list[list[list[float]]]:
    """The student's returns, step by step, as numbers; NotDone/Wrong where one is not."""
    steps = data["steps"]
    if not isinstance(steps, list) or not steps:
        raise Malformed("no steps")
    out = []
    for t, answer in enumerate(steps, 1):
        if answer is None:
            raise NotDone(f"{function} returned None: return {shape}.")
        parts = _items(answer, f"what {function} returns", 1 + n_state) if _kind(answer) == \
            "list" else None
        if parts is None:
            raise Wrong(f"{function} should return {shape}, got {_describe(answer)}.")
        names = ["new_params", "new_velocities"] if n_state == 1 else ["new_params", "new_m",
                                                                        "new_v"]
        out.append([[_number(v, f"{name}[{i}] at step {t}") for i, v in
                     enumerate(_items(part, f"{name} at step {t}", 2))]
                    for name, part in zip(names, parts)])
    return out


def _judge_optimizer(data: Any, function: str, shape: str, n_state: int, steps: int,
                     reference: Any, setting: str, mistakes: list, hint_first: str,
                     hint_later: str) -> list[list[list[float]]]:
    """Compare the student's steps with `reference` (an nn.optim optimizer on Values) step by
    step; Wrong at the first difference, naming the mistake if it is a known one."""

    mine = _optimizer_trajectory(data, function, shape, n_state)
    values = reference.param_groups[0]["params"]
    name = type(reference).__name__
    for t in range(1, steps + 1):
        before = [v.data for v in values]
        grads = catalog.loss_gradient(before)
        reference.zero_grad()
        x, y = values
        ((x - 1) ** 2 + 10 * (y + 2) ** 2 + x * y).backward()
        reference.step()
        expected = [v.data for v in values]
        got = mine[t - 1][0] if t <= len(mine) else None
        if got is not None and _all_close(got, expected, 1e-9):
            continue
        if got is None:
            raise Malformed(f"no step {t}")
        rows = [[f"params[{i}]", f"{p:.10g}", f"{g:.10g}", f"{q:.10g}", f"{e:.10g}",
                 "ok" if _close(q, e, 1e-9) else "<-- WRONG"]
                for i, (p, g, q, e) in enumerate(zip(before, grads, got, expected))]
        params = [step[0] for step in mine]
        mistake = ""
        for text, rule in mistakes:
            theirs = [s[0] for s in _simulate(rule, n_state, len(params))]
            if len(theirs) == len(params) and all(_all_close(a, b, 1e-9)
                                                  for a, b in zip(params, theirs)):
                mistake = text
                break
        advice = f"Mistake: {mistake}" if mistake else (hint_first if t == 1 else hint_later)
        raise Wrong(f"step {t} of {steps} ({setting}) differs from nn.optim.{name}:\n"
                    + _table(["", "before", "grad", "yours after", f"{name} after", ""], rows)
                    + f"\n  {advice}")
    return mine


def _judge_ex5(data: Any) -> str:
    import autograd
    from nn.optim import SGD

    lr, momentum, steps = catalog.EX5_LR, catalog.EX5_MOMENTUM, catalog.EX5_STEPS
    reference = SGD([autograd.Value(v) for v in catalog.EX5_START], lr=lr, momentum=momentum)
    mine = _judge_optimizer(
        data, "sgd_momentum_step", "(new_params, new_velocities)", 1, steps, reference,
        f"lr={lr}, momentum={momentum}", _EX5_MISTAKES,
        "Hint: the first step should be p - lr * g (v starts at 0, so v = g).",
        "Hint: the first steps were right: check how v carries over between steps "
        "(v = momentum * v + g) and that you return the new velocities.")
    # Folding lr into v (v = momentum * v + lr * g; p = p - v) moves the parameters the same way
    # while lr is constant, but not once a scheduler changes lr: the velocities tell them apart.
    right = _simulate(_sgd(), 1, steps)
    for t, (yours, expected) in enumerate(zip(mine, right), 1):
        if _all_close(yours[1], expected[1], 1e-9):
            continue
        rows = [[f"velocities[{i}]", f"{v:.10g}", f"{e:.10g}",
                 "ok" if _close(v, e, 1e-9) else "<-- WRONG"]
                for i, (v, e) in enumerate(zip(yours[1], expected[1]))]
        velocities = [s[1] for s in mine]
        mistake = _named([v for vs in velocities for v in vs], [
            ("keep lr out of v (apply it in p = p - lr * v): with lr folded into v the two agree "
             "only while lr never changes, and a learning-rate scheduler changes it.",
             [v for s in _simulate(_sgd(lr_in_v=True), 1, len(mine)) for v in s[1]]),
            ("your velocities have the opposite sign (v = momentum · v - g, then p = p + lr · v): "
             "the parameters agree, but PyTorch's v, the one its state_dict saves, is "
             "momentum · v + g.",
             [v for s in _simulate(_sgd(v_sign=-1.0), 1, len(mine)) for v in s[1]])], 1e-9)
        raise Wrong(f"the parameters match nn.optim.SGD, but the velocities returned at step {t} "
                    f"are not v = momentum * v + g:\n"
                    + _table(["", "yours", "expected", ""], rows)
                    + f"\n  {'Mistake: ' + mistake if mistake else 'Hint: v = momentum * v + g.'}")
    return f"{steps} steps of your update match nn.optim.SGD(lr={lr}, momentum={momentum}) exactly."


def _judge_ex9(data: Any) -> str:
    import autograd
    from nn.optim import Adam

    (beta1, beta2), lr, eps, steps = catalog.EX9_BETAS, catalog.EX9_LR, catalog.EX9_EPS, \
        catalog.EX9_STEPS
    reference = Adam([autograd.Value(v) for v in catalog.EX5_START], lr=lr, betas=(beta1, beta2),
                     eps=eps)
    _judge_optimizer(
        data, "adam_step", "(new_params, new_m, new_v)", 2, steps, reference,
        f"lr={lr}, betas=({beta1}, {beta2}), eps={eps:g}", _EX9_MISTAKES,
        "Hint: on the first step m_hat = g and v_hat = g^2, so each parameter should move by "
        "almost exactly lr, against the sign of its gradient. Check the bias corrections.",
        "Hint: the first steps were right: check that m and v carry over (return the new ones) "
        "and that t is used in the bias corrections.")
    return f"{steps} steps of your update match nn.optim.Adam(lr={lr}) to 1e-9."


# -- exercise 6: XOR ------------------------------------------------------------------------------
def _judge_ex6(data: Any) -> str:
    import nn

    steps = data["steps"]
    if steps is None:
        raise NotDone(f"STEPS is still None: set it to the number of training steps (at most "
                      f"{catalog.EX6_MAX_STEPS}).")
    if not (isinstance(steps, float) and steps.is_integer()
            and 1 <= steps <= catalog.EX6_MAX_STEPS) or "model" not in data:
        shown = int(steps) if isinstance(steps, float) and steps.is_integer() else \
            _describe(steps) if not isinstance(steps, float) else steps
        raise Wrong(f"STEPS must be a whole number from 1 to {catalog.EX6_MAX_STEPS}, got "
                    f"{shown}.")
    steps = int(steps)
    model = data["model"]
    if _kind(model) != "MLP":
        raise Wrong(f"make_model() should return an nn.MLP, e.g. nn.MLP(2, [8, 1], "
                    f"activation=\"tanh\"), got {_describe(model) if model else None}.")
    nin = _number(model["nin"], "the model's nin")
    nouts = [int(_number(v, "a layer size")) for v in _items(model["nouts"], "nouts")]
    activation = model["activation"]
    activation = activation.get("value") if _kind(activation) == "str" else None
    if nin != 2 or not nouts or nouts[-1] != 1 or activation is None:
        raise Wrong(f"the model should take 2 inputs and give 1 output, e.g. nn.MLP(2, [8, 1]); "
                    f"it is nn.MLP({nin:g}, {nouts}).")
    count = model["parameters"]
    if not isinstance(count, int) or count > catalog.EX6_MAX_PARAMETERS:
        raise Wrong(f"the model has {count} parameters; keep it at most "
                    f"{catalog.EX6_MAX_PARAMETERS} (a few hidden neurons are enough for XOR, and "
                    f"every parameter is a Python object the checker trains).")
    if "optimizer" in data:
        raise Wrong(f"make_optimizer() should return an optimizer such as SGD(parameters, "
                    f"lr=0.1), got {_describe(data['optimizer'])}.")
    losses = data["losses"]
    if not isinstance(losses, list) or len(losses) != steps:
        raise Malformed("losses")
    losses = [_number(x, "a loss") for x in losses]
    rebuilt = nn.MLP(2, nouts, activation=activation)
    parameters = rebuilt.parameters()
    trained = _floats(data["trained"], len(parameters))
    for p, v in zip(parameters, trained):
        p.data = v
    scores = [s.data for s in rebuilt(catalog.EX6_X)]
    rows = [[f"({x[0]:g}, {x[1]:g})", f"{int(t)}", f"{s:+.4f}", f"{int(s > 0)}",
             "ok" if (s > 0) == (t > 0.5) else "<-- WRONG"]
            for x, t, s in zip(catalog.EX6_X, catalog.EX6_Y, scores)]
    right = sum(row[-1] == "ok" for row in rows)
    curve = ", ".join(f"{losses[i]:.4f}" for i in sorted({0, len(losses) // 2, len(losses) - 1}))
    report = (f"after {steps} steps: loss {losses[-1]:.4f} (loss at the start, middle and end: "
              f"{curve}), {right} of 4 points right\n"
              + _table(["point", "class", "score", "predicted", ""], rows))
    if right == 4:
        return report
    if len(nouts) == 1:
        hint = ("Mistake: no hidden layer. A single neuron draws one straight line, and no line "
                "separates XOR's classes: add a hidden layer, e.g. nn.MLP(2, [8, 1]).")
    elif activation == "linear":
        hint = ("Mistake: activation=\"linear\" makes the hidden layers linear, so the whole "
                "network is one straight line: use \"tanh\" or \"relu\".")
    elif not all(math.isfinite(x) for x in losses + scores):
        hint = "Hint: the loss became nan/inf: the learning rate is too high."
    elif losses[-1] > 0.6:
        hint = ("Hint: the loss hardly moved from log 2 = 0.693 (a coin toss): more steps, a "
                "larger learning rate, or more hidden neurons.")
    else:
        hint = "Hint: the loss is still falling: train longer or with a larger learning rate."
    raise Wrong(report + f"\n  {hint}")


# -- exercise 7: the chain rule on a graph --------------------------------------------------------
def _ex7_graph() -> Any:
    import autograd

    a, b, c = (autograd.Value(v, label=n) for v, n in ((3.0, "a"), (-2.0, "b"), (4.0, "c")))
    e = a * b
    e.label = "e"
    d = e + a
    d.label = "d"
    L = d * c
    L.label = "L"
    return L


def _judge_ex7(data: Any) -> str:
    import autograd

    steps = autograd.explain(_ex7_graph(), print_steps=False)  # backward's order: L first
    names = [step.name for step in steps]
    grads = _dict(data["grads"], "GRADS", names)
    open_keys = [name for name in names if grads[name] is None]
    if open_keys:
        raise NotDone(f"GRADS still has None for {', '.join(open_keys)}; replace each None by "
                      f"the number dL/d(node).")
    wrong = []
    for step in steps:
        got = _number(grads[step.name], f"GRADS[{step.name!r}]")
        if _close(got, step.grad, 1e-9):
            continue
        if not step.terms:
            rule = "dL/dL = 1: backward starts from the seed 1."
        else:
            rule = f"dL/d{step.name} = " + " + ".join(
                f"dL/d{t.consumer_name} · ∂{t.consumer_name}/∂{step.name}" for t in step.terms)
            if len(step.terms) > 1:
                rule += f"  ({step.name} is used {len(step.terms)} times: one term per use)"
                if step.name == "a" and (_close(got, -8.0, 1e-9) or _close(got, 4.0, 1e-9)):
                    path = "e" if _close(got, -8.0, 1e-9) else "d"
                    rule += (f". Mistake: you counted only the path through {path}; a node used "
                             f"twice collects a term from each use, which is why backward adds "
                             f"into .grad (+=).")
        wrong.append(f"  dL/d{step.name}: you wrote {got:g}, which is not right. {rule}")
    if wrong:
        raise Wrong("some gradients are wrong (listed in the order backward computes them; fix "
                    "the first one first, the later ones depend on it):\n" + "\n".join(wrong))
    explanation = str(autograd.explain(_ex7_graph(), print_steps=False))
    return ("every gradient is right. This is what backward() does, step by step "
            "(autograd.explain(L)):\n  " + explanation.replace("\n", "\n  "))


# -- exercise 8: tanh from exp --------------------------------------------------------------------
def _judge_ex8(data: Any) -> str:
    first = data["first"]
    if first is None:
        raise NotDone("my_tanh returned None: return the Value tanh(x), built from autograd.exp.")
    if _kind(first) != "Value":
        raise Wrong(f"my_tanh(Value(0.5)) returned {_describe(first)}; it should return a Value "
                    f"computed from x, so that backward() can reach x.")
    if data["reaches_x"] is not True:
        raise Wrong("the Value my_tanh returns does not depend on x in the graph (did you use "
                    "x.data or math.exp? Then backward() cannot reach x).")
    used = [str(op)[:40] for op in data["ops"]][:30]
    if "tanh" in used:
        raise Wrong(f"my_tanh uses the tanh op (its graph has the ops {used}): build it from "
                    f"autograd.exp and arithmetic instead.")
    rows, wrong = [], 0
    for point, pair in zip(catalog.EX8_POINTS, data["points"]):
        value = _number(pair[0], f"my_tanh({point:g}).data")
        slope_got = _number(pair[1], f"x.grad at {point:g}")
        expected, slope = math.tanh(point), 1 - math.tanh(point) ** 2
        ok = _close(value, expected, 1e-9) and _close(slope_got, slope, 1e-9)
        wrong += not ok
        rows.append([f"{point:g}", f"{value:.10g}", f"{expected:.10g}", f"{slope_got:.10g}",
                     f"{slope:.10g}", "ok" if ok else "<-- WRONG"])
    if len(rows) != len(catalog.EX8_POINTS):
        raise Malformed("points")
    if wrong:
        table = _table(["x", "my_tanh(x)", "tanh(x)", "its x.grad", "1 - tanh(x)^2", ""], rows)
        big = any(row[-1] != "ok" for row in (rows[0], rows[-1]))
        hint = ("Mistake: nan or a wrong value at x = +-400: e^(2x) or e^(-2x) overflowed to inf; "
                "use the form with e^(-2|x|), which is at most 1." if big else
                "Hint: compare your expression with the formulas in the docstring.")
        raise Wrong(f"my_tanh is wrong at {wrong} of {len(rows)} points:\n{table}\n  {hint}")
    return (f"my_tanh matches tanh and backward() finds 1 - tanh(x)^2 through its graph of "
            f"{int(data['nodes'])} nodes (ops: {', '.join(used)}), even at x = +-400.")


# -- exercises 10 and 11: micrograd's _backward and backward() ------------------------------------
_NODE_MISTAKE_TEXT = {
    "assign": "`=` instead of `+=` in {op}'s _backward: a node used twice (here {twice}) keeps "
              "only its last contribution. Add into .grad: self.grad += ...",
    "local only": "{op}'s _backward sets the local derivative alone: multiply it by out.grad "
                  "(the chain rule: d L/d input = d L/d out · d out/d input).",
    "no exponent": "Value ** Value: the exponent's gradient is missing. d(a^b)/db = a^b · ln(a), "
                   "so other.grad += out.data * math.log(self.data) * out.grad.",
    "tanh of x": "tanh's local derivative is 1 - t^2 with t = tanh(x), the output (out.data), "
                 "not 1 - x^2 with the input.",
    "power rule": "the power rule: d(a^n)/da = n · a^(n-1), not n · a^n.",
}
_ORDER_MISTAKE_TEXT = {
    "no seed": "the seed is missing: backward() must start with self.grad = 1.0 (dL/dL = 1); "
               "without it every gradient stays 0.",
    "not reversed": "the order is not reversed: build the topological order (inputs before the "
                    "nodes that use them), then call _backward() in reverse, from the output "
                    "back to the leaves.",
    "recursive": "a node was visited before all of its consumers: backward() recursing into "
                 "the inputs runs a shared node's _backward while another consumer has not yet "
                 "added into its .grad (and runs it once per consumer). Build a topological order "
                 "first, then run each node's _backward once, in reverse order.",
    "no visited": "the topological sort has no visited set: a node used twice enters the order "
                  "twice, so its _backward runs twice and passes its gradient on twice. Skip "
                  "nodes already visited.",
}
_GRAPH_WORDS = {"+": "a + b, then that + a", "+ twice": "a + a", "*": "a * b, then that * a",
                "* twice": "a * a", "pow": "a ** 3 and a ** -1", "**": "a ** b (both Values)",
                "tanh": "tanh(a)", "neuron": "a neuron, o = tanh(w0 x0 + w1 x1 + b), L = o * o",
                "diamond": "a diamond-shaped graph (shared nodes)"}
_TWICE = {"+": "a", "+ twice": "a, in a + a", "*": "a", "* twice": "a, in a * a", "pow": "a",
          "neuron": "o, in o * o", "diamond": "a and c"}


def _graph_grads(reply: Any, name: str) -> tuple[list[float] | None, tuple | None]:
    """(grads, None) or (None, the error's (type, message, where, not_done))."""
    if not isinstance(reply, dict):
        raise Malformed(f"graph {name}")
    if "error" in reply:
        return None, _error_text(reply["error"])
    grads = reply.get("grads")
    n = len(catalog.GRAPHS[name])
    if not isinstance(grads, list) or len(grads) != n:
        raise Malformed(f"graph {name}")
    return [_number(g, f"a node's .grad in {_GRAPH_WORDS[name]}") for g in grads], None


def _graph_table(name: str, got: list[float], expected: list[float]) -> str:
    values = reference_value.values(catalog.GRAPHS[name])
    rows = [[f"node {k}", f"{catalog.GRAPHS[name][k][0]}", f"{v:.6g}", f"{g:.10g}", f"{e:.10g}",
             "ok" if _close(g, e, 1e-9) else "<-- WRONG"]
            for k, (v, g, e) in enumerate(zip(values, got, expected))]
    return _table(["", "op", ".data", "your .grad", "expected", ""], rows)


def _judge_graphs(data: Any, names: list[str], node_mistakes: bool) -> list[str]:
    graphs = data["graphs"]
    if not isinstance(graphs, dict):
        raise Malformed("graphs")
    problems, not_done = [], []
    for name in names:
        grads, error = _graph_grads(graphs.get(name), name)
        if error is not None:
            kind, message, where, is_todo = error
            if is_todo:
                not_done.append(message)
                continue
            problems.append(f"on {_GRAPH_WORDS[name]}: your code raised {kind}: {message}{where}")
            continue
        expected = reference_value.gradients(catalog.GRAPHS[name])
        if _all_close(grads, expected, 1e-9):
            continue
        graph = catalog.GRAPHS[name]
        if node_mistakes:
            ops = sorted({step[0] for step in graph if step[0] != "leaf"})
            candidates = [(m, op) for op in ops for m in reference_value.NODE_MISTAKES]
        else:
            candidates = [(m, None) for m in reference_value.ORDER_MISTAKES]
        mistake = ""
        for which, op in candidates:
            if _all_close(grads, reference_value.gradients(graph, which, op), 1e-9):
                text = (_NODE_MISTAKE_TEXT if node_mistakes else _ORDER_MISTAKE_TEXT)[which]
                mistake = text.format(op=f"`{op}`", twice=_TWICE.get(name, "a node"))
                break
        advice = f"Mistake: {mistake}" if mistake else (
            "Hint: each _backward adds out.grad times the local derivative into each input's "
            ".grad." if node_mistakes else
            "Hint: seed the output with 1, then run every node's _backward once, in reverse "
            "topological order.")
        problems.append(f"the gradients of {_GRAPH_WORDS[name]} are wrong:\n"
                        f"{_graph_table(name, grads, expected)}\n  {advice}")
    if not_done and not problems:
        count = len(set(not_done))
        raise NotDone(f"{not_done[0]}." + (f" ({count} TODOs are still open.)" if count > 1
                                           else ""))
    if problems:
        first_three = problems[:3]
        more = f"\n\n(and {len(problems) - 3} more graphs)" if len(problems) > 3 else ""
        raise Wrong("\n\n".join(first_three) + more)
    return [_GRAPH_WORDS[name] for name in names]


def _judge_ex10(data: Any) -> str:
    checked = _judge_graphs(data, catalog.EX10_GRAPHS, node_mistakes=True)
    return ("every _backward is right: backward() gives the right gradients on "
            + "; ".join(checked) + ".")


def _judge_ex11(data: Any) -> str:
    checked = _judge_graphs(data, catalog.EX11_GRAPHS, node_mistakes=False)
    deep = data["deep"]
    if not isinstance(deep, dict):
        raise Malformed("deep")
    if "error" in deep:
        kind, message, where, _ = _error_text(deep["error"])
        if kind == "RecursionError":
            raise Wrong(f"on a chain {catalog.EX11_DEEP} nodes deep, backward() raised "
                        f"RecursionError.{where}\n  Mistake: a recursive topological sort dies on "
                        f"a deep graph (Python stops at about 1000 nested calls): keep the nodes "
                        f"still to visit on a list (a stack) instead of recursing.")
        raise Wrong(f"on a chain {catalog.EX11_DEEP} nodes deep, backward() raised {kind}: "
                    f"{message}{where}")
    got = _number(deep.get("grad"), "x.grad on the deep chain")
    if not _close(got, 1.0, 1e-9):
        raise Wrong(f"on a chain of {catalog.EX11_DEEP} multiplications by 1, x.grad should be 1, "
                    f"got {got:g}.")
    return ("backward() gives the right gradients on " + "; ".join(checked)
            + f", and on a chain {catalog.EX11_DEEP} nodes deep.")


JUDGES: dict[int, Callable[[Any], str]] = {
    1: _judge_ex1, 2: _judge_ex2, 3: _judge_ex3, 4: _judge_ex4, 5: _judge_ex5, 6: _judge_ex6,
    7: _judge_ex7, 8: _judge_ex8, 9: _judge_ex9, 10: _judge_ex10, 11: _judge_ex11}
