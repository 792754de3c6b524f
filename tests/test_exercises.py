"""The classroom exercises: every model answer passes its checker, every untouched exercise file
fails with a message that says what to do, the classic wrong answers are named, and no student file
can hang, crash or fool the checker (each check runs it in its own process)."""
import csv
import math
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `demos` is not installed

from submissions import HOSTILE, blank, make_class, put, solution

from demos.exercises import catalog, checker, reference_value, workspace
from demos.exercises.__main__ import build_parser, main

REPO = Path(__file__).resolve().parents[1]
NUMBERS = sorted(checker.EXERCISES)
MODULES = {n: e.module for n, e in checker.EXERCISES.items()}
HERE = REPO / "demos" / "exercises"


def submit(folder: Path, number: int, text: str | bytes) -> Path:
    """Hand in `text` as exercise `number` in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{MODULES[number]}.py"
    put(path, text)
    return path


def check_text(tmp_path: Path, number: int, text: str | bytes, **limits) -> checker.Result:
    submit(tmp_path, number, text)
    return checker.check(number, folder=tmp_path, **limits)


def solution_with(number: int, addition: str) -> str:
    """The model answer with `addition` after it (a later `def` replaces the answer's)."""
    return solution(MODULES[number]) + "\n\n" + addition


def solution_replacing(number: int, old: str, new: str) -> str:
    text = solution(MODULES[number])
    assert old in text, old
    return text.replace(old, new)


def has_row(message, *cells):
    """True when `message` has a table row with these cells in order (any spacing between them)."""
    return re.search(r"[ \t]+".join(map(re.escape, cells)), message) is not None


def test_every_exercise_has_a_blank_a_file_and_a_solution():
    assert NUMBERS == list(range(1, 12))
    assert sorted(catalog.SUGGESTED_ORDER) == NUMBERS
    for module in MODULES.values():
        assert (HERE / "blanks" / f"{module}.py").is_file()
        assert (HERE / f"{module}.py").is_file()
        assert (HERE / "solutions" / f"{module}.py").is_file()


def test_the_committed_exercise_files_are_the_blanks():
    """demos/exercises/exN_*.py, as committed, equal blanks/ (students edit the former in place)."""
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    for module in MODULES.values():
        shown = subprocess.run(["git", "-C", str(REPO), "show",
                                f"HEAD:demos/exercises/{module}.py"], capture_output=True)
        if shown.returncode != 0:  # not committed yet (a new exercise on a working branch)
            continue
        assert shown.stdout == (HERE / "blanks" / f"{module}.py").read_bytes(), module


@pytest.mark.parametrize("number", NUMBERS)
def test_every_solution_passes(number):
    result = checker.check(number, solution=True)
    assert result.status == "pass", str(result)
    assert str(result).splitlines()[1].startswith("PASS: ")
    assert "solutions/" in result.path


# What an untouched exercise says: the status and a phrase that tells the student what to do.
UNTOUCHED = {
    1: ("not done", "write df(x), the derivative of f"),
    2: ("not done", "write swish_derivatives(out, x)"),
    3: ("not done", "BY_HAND still has None for do/dn, do/dw0"),
    4: ("fail", "the first derivatives are wrong at 3 of 8 places"),  # the bug, in a table
    5: ("not done", "write sgd_momentum_step"),
    6: ("not done", "STEPS is still None"),
    7: ("not done", "GRADS still has None for L, d, e, b, a, c"),
    8: ("not done", "write my_tanh(x) with autograd.exp"),
    9: ("not done", "write adam_step"),
    10: ("not done", "write __add__'s _backward. (4 TODOs are still open.)"),
    11: ("not done", "write backward()"),
}


@pytest.mark.parametrize("number", NUMBERS)
def test_every_blank_fails_helpfully(number, tmp_path):
    result = check_text(tmp_path, number, blank(MODULES[number]))
    status, phrase = UNTOUCHED[number]
    assert result.status == status and not result.passed, str(result)
    assert phrase in result.message
    assert f"{MODULES[number]}.py" in str(result)
    if number == 4:  # the table points at d out/db (yours e^(a-out), expected e^(b-out))
        assert has_row(result.message, "d out/db at (1, -2)", "0.9525741268", "0.04742587318",
                       "<-- WRONG")
        assert has_row(result.message, "d out/db at (0.5, 0.5)", "0.5", "0.5", "ok")
        assert "Mistake" not in result.message  # finding that bug is the exercise


def test_command_line_exit_codes_and_output(capsys, tmp_path):
    assert main(["check", "1", "--solution"]) == 0
    assert "PASS" in capsys.readouterr().out
    submit(tmp_path, 1, blank(MODULES[1]))
    assert main(["check", "1", "--dir", str(tmp_path)]) == 1
    assert "NOT DONE YET: TODO (exercise 1)" in capsys.readouterr().out
    assert main(["list"]) == 0
    listed = capsys.readouterr().out
    assert " 6. Make an MLP learn XOR" in listed
    assert listed.index("10. Core") < listed.index(" 3. A neuron")  # the suggested order
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "99"])
    assert exit_info.value.code == 2
    assert "no exercise '99'" in capsys.readouterr().err


def test_the_documented_commands_exist():
    """Every `python -m demos.exercises ...` line of the README and the teacher's guide parses."""
    parser = build_parser()
    found = 0
    for doc in (REPO / "README.md", REPO / "docs" / "teaching.md"):
        text = doc.read_text(encoding="utf-8")
        for line in re.findall(r"^python -m demos\.exercises (.*)$", text, re.M):
            words = line.split("#")[0].split()
            parser.parse_args([w.replace("~", "/tmp") for w in words])
            found += 1
    assert found >= 12


def test_all_solutions_from_the_command_line(capsys):
    assert main(["check", "all", "--solution"]) == 0
    out = capsys.readouterr().out
    assert out.count("PASS: ") == len(NUMBERS)
    assert out.rstrip().endswith(f"{len(NUMBERS)} of {len(NUMBERS)} done: "
                                 + ", ".join(map(str, NUMBERS)))


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """`python -m demos.exercises ARGS` as a user runs it, in its own process."""
    env = dict(os.environ, PYTHONPATH=str(cwd))
    return subprocess.run([sys.executable, "-m", "demos.exercises", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_exit_status_is_zero_only_on_pass(tmp_path):
    """A script that trusts the exit status: 0 only when everything checked passes, whatever the
    student's file does to its own process."""
    copies = tmp_path / "copies"
    for n in NUMBERS:
        submit(copies, n, solution(MODULES[n]))
    assert run_cli("check", "1", "--dir", str(copies)).returncode == 0
    assert run_cli("check", "all", "--dir", str(copies)).returncode == 0
    submit(copies, 1, HOSTILE["sys.exit(0) at import"][1])
    done = run_cli("check", "1", "--dir", str(copies))
    assert done.returncode == 1 and "ERROR: your code called sys.exit(0)" in done.stdout
    done = run_cli("check", "all", "--dir", str(copies))
    assert done.returncode == 1
    assert done.stdout.rstrip().endswith(
        "10 of 11 done: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11; could not be checked: 1")


# -- files that try to hang, crash or fool the checker -------------------------------------------
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_never_passes_and_says_why(name, tmp_path):
    number, text, status, phrase = HOSTILE[name]
    start = time.monotonic()
    result = check_text(tmp_path, number, text, timeout=3)
    assert time.monotonic() - start < 30
    assert result.status == status, str(result)
    assert phrase in result.message, str(result)
    first = result.message.splitlines()[0]
    assert len(first) < 300  # a one-line reason


def test_the_endless_loop_reason_names_the_limit(tmp_path):
    result = check_text(tmp_path, 1, HOSTILE["endless loop"][1], timeout=2)
    assert result.message == "your code ran for more than 2 s: an endless loop?"
    assert 2 <= result.seconds < 20


def test_output_is_capped_and_shown(tmp_path):
    result = check_text(tmp_path, 1, HOSTILE["10 MB print"][1])
    assert len(result.output) <= 2000 and result.output.startswith("xxxx")
    result = check_text(tmp_path, 5, solution_with(5, "print('hello from ex5')\n"))
    assert result.passed and "Your code printed:\n  | hello from ex5" in str(result)


def test_a_patch_in_one_exercise_does_not_leak_into_another(tmp_path, capsys):
    """Under `check all`, ex1 patches the checker and passes nothing; a do-nothing ex5 still fails
    (each exercise runs in a fresh process, and verdicts are made in the checker's)."""
    for n in NUMBERS:
        submit(tmp_path, n, blank(MODULES[n]))
    submit(tmp_path, 1, HOSTILE["patches the checker"][1])
    submit(tmp_path, 5, HOSTILE["do-nothing momentum step"][1])
    assert main(["check", "all", "--dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "0 of 11 done" in out and "failing: 1, 4, 5" in out


def test_reply_channel_is_validated():
    """A reply of the wrong shape is an ERROR that says so, never a pass or a traceback."""
    for reply in [None, [], {"ok": "yes"}, {"ok": True}, {"ok": True, "data": {"df": "x"}},
                  {"ok": True, "data": {"df": [{"kind": "weird"}] * 6, "dg": [], "dh": []}},
                  {"ok": False, "error": 3}]:
        status, message = checker.judge(1, reply, "ex1.py")
        assert status == "error" and "not what the checker asked for" in message, reply


def test_not_utf8_is_reported_by_check_and_kept_by_reset(tmp_path, capsys):
    text = HOSTILE["latin-1 file"][1]
    path = submit(tmp_path, 1, text)
    assert main(["check", "1", "--dir", str(tmp_path)]) == 1
    assert "Save it as UTF-8" in capsys.readouterr().out
    assert main(["reset", "1", "--dir", str(tmp_path)]) == 0
    assert f"yours is kept as {path}.bak" in capsys.readouterr().out
    assert (tmp_path / f"{path.name}.bak").read_bytes() == text  # byte for byte
    assert path.read_text(encoding="utf-8") == blank(MODULES[1])


# -- the classic mistakes, named ------------------------------------------------------------------
EX10_ADD = "            self.grad += out.grad\n            other.grad += out.grad"
EX10_MUL = ("            self.grad += other.data * out.grad\n"
            "            other.grad += self.data * out.grad")
EX10_POW_B = ("            if self.data > 0:\n"
              "                other.grad += out.data * math.log(self.data) * out.grad")
EX10_POW_A = "            self.grad += other.data * self.data ** (other.data - 1) * out.grad"
EX10_TANH = "            self.grad += (1 - out.data ** 2) * out.grad"
EX11_SEED = "        self.grad = 1.0\n        for node in reversed(topo):"
EX11_BODY_START = "        topo, visited = [], set()"
EX11_BODY_END = "            node._backward()\n"


def ex11_with(body: str) -> str:
    """Exercise 11's answer with backward()'s body replaced by `body`."""
    text = solution(MODULES[11])
    start, end = text.index(EX11_BODY_START), text.index(EX11_BODY_END) + len(EX11_BODY_END)
    return text[:start] + body + text[end:]


MICROGRAD_TOPO = """        topo, visited = [], set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
"""
RECURSIVE = """        self.grad = 1.0
        def run(v):
            v._backward()
            for child in v._prev:
                run(child)
        run(self)
"""
NO_VISITED = """        topo, stack = [], [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                topo.append(node)
            else:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node._prev))
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()
"""

# (exercise, its text, a phrase of the verdict): each is a wrong answer students really give
MISTAKES = {
    "ex1 product rule with one term": (
        1, solution_with(1, "def dg(x):\n    return x * math.cos(x)\n"),
        "you wrote only u v' = x cos(x)"),
    "ex1 chain rule without the inner derivative": (
        1, solution_with(1, "def dh(x):\n    return 1 / (1 + x**2)\n"),
        "the chain rule's inner derivative is missing"),
    "ex1 power rule": (1, solution_with(1, "def df(x):\n    return 3 * x - 4\n"),
                       "the power rule: d/dx 3x^2"),
    "ex2 sigmoid alone": (
        2, solution_replacing(2, "return (s + x * s * (1 - s),)", "return (s,)"),
        "you wrote sigmoid(x) alone"),
    "ex2 math in the derivatives": (
        2, solution_replacing(2, "    s = autograd.sigmoid(x)\n",
                              "    s = 1 / (1 + math.exp(-float(x)))\n    x = float(x)\n"),
        "the first derivatives are right, but the second derivatives are wrong"),
    "ex3 backward twice without zeroing": (
        3, solution_replacing(3, "    o.backward()\n", "    o.backward()\n    o.backward()\n"),
        "backward() ran twice on the same Values"),
    "ex3 the local derivative alone": (
        3, solution_replacing(3, '"do/dw0": 0.64 * 1.5,', '"do/dw0": 1.5,'),
        "that is the local derivative ∂n/∂w0 alone"),
    "ex3 tanh' of the input": (
        3, solution_replacing(3, '"do/dn": 0.64,', '"do/dn": 1 - math.log(2) ** 2,'),
        "you used 1 - n^2"),
    "ex4 partials swapped": (
        4, solution_replacing(4, "return autograd.exp(a - out), autograd.exp(b - out)",
                              "return autograd.exp(b - out), autograd.exp(a - out)"),
        "the two partial derivatives are swapped"),
    "ex5 sign error": (
        5, solution_replacing(5, "p - lr * v", "p + lr * v"), "Mistake: a sign error"),
    "ex5 dampening": (
        5, solution_replacing(5, "momentum * v + g", "momentum * v + (1 - momentum) * g"),
        "that is an exponential average"),
    "ex5 along the gradient": (
        5, solution_with(5, "def sgd_momentum_step(params, grads, velocities, lr, momentum):\n"
                            "    v = [momentum * v + g for v, g in zip(velocities, grads)]\n"
                            "    return [p - lr * g for p, g in zip(params, grads)], v\n"),
        "move along the gradient g instead of the velocity v"),
    "ex5 velocity not carried over": (
        5, solution_replacing(5, "return new_params, new_velocities",
                              "return new_params, velocities"),
        "step 2 of 15"),
    "ex5 lr folded into v": (
        5, solution_with(5, "def sgd_momentum_step(params, grads, velocities, lr, momentum):\n"
                            "    v = [momentum * v + lr * g for v, g in zip(velocities, grads)]\n"
                            "    return [p - vi for p, vi in zip(params, v)], v\n"),
        "keep lr out of v"),
    "ex5 velocities of the opposite sign": (
        5, solution_with(5, "def sgd_momentum_step(params, grads, velocities, lr, momentum):\n"
                            "    v = [momentum * v - g for v, g in zip(velocities, grads)]\n"
                            "    return [p + lr * vi for p, vi in zip(params, v)], v\n"),
        "your velocities have the opposite sign"),
    "ex6 no hidden layer": (
        6, solution_replacing(6, "nn.MLP(2, [8, 1], activation=\"tanh\")", "nn.MLP(2, [1])"),
        "Mistake: no hidden layer"),
    "ex6 linear hidden layer": (
        6, solution_replacing(6, "activation=\"tanh\"", "activation=\"linear\""),
        "the whole network is one straight line"),
    "ex7 one path only": (
        7, solution_replacing(7, '"a": 4.0 * -2 + 4.0,', '"a": 4.0 * -2,'),
        "you counted only the path through e"),
    "ex8 overflow": (
        8, solution_with(8, "def my_tanh(x):\n    e = autograd.exp(2 * x)\n"
                            "    return (e - 1) / (e + 1)\n"), "overflowed"),
    "ex8 the tanh op": (8, solution_with(8, "def my_tanh(x):\n    return x.tanh()\n"),
                        "uses the tanh op"),
    "ex8 a copy of x": (
        8, solution_with(8, "def my_tanh(x):\n    y = x.detach()\n    e = autograd.exp(-2 * y)\n"
                            "    return (1 - e) / (1 + e)\n"), "does not depend on x"),
    "ex9 no bias correction": (
        9, solution_replacing(9, "m_hat = mi / (1 - beta1 ** t)", "m_hat = mi").replace(
            "v_hat = vi / (1 - beta2 ** t)", "v_hat = vi"), "Adam without bias correction"),
    "ex9 no square root": (
        9, solution_replacing(9, "(math.sqrt(v_hat) + eps)", "(v_hat + eps)"),
        "the square root is missing"),
    "ex10 = instead of +=": (
        10, solution_replacing(10, EX10_ADD, EX10_ADD.replace("+=", "=")),
        "`=` instead of `+=` in `+`'s _backward"),
    "ex10 no out.grad": (
        10, solution_replacing(10, EX10_MUL, EX10_MUL.replace(" * out.grad", "")),
        "`*`'s _backward sets the local derivative alone: multiply it by out.grad"),
    "ex10 exponent forgotten": (
        10, solution_replacing(10, EX10_POW_B, "            pass"),
        "Value ** Value: the exponent's gradient is missing"),
    "ex10 tanh of the input": (
        10, solution_replacing(10, EX10_TANH,
                               "            self.grad += (1 - self.data ** 2) * out.grad"),
        "not 1 - x^2 with the input"),
    "ex10 power rule": (
        10, solution_replacing(10, EX10_POW_A, EX10_POW_A.replace("(other.data - 1)",
                                                                  "other.data")),
        "the power rule: d(a^n)/da = n · a^(n-1)"),
    "ex11 no seed": (11, solution_replacing(11, EX11_SEED, "        for node in reversed(topo):"),
                     "the seed is missing"),
    "ex11 not reversed": (
        11, solution_replacing(11, "for node in reversed(topo):", "for node in topo:"),
        "the order is not reversed"),
    "ex11 recursion instead of a topological order": (
        11, ex11_with(RECURSIVE), "a node was visited before all of its consumers"),
    "ex11 no visited set": (11, ex11_with(NO_VISITED), "the topological sort has no visited set"),
    "ex11 recursion dies on a deep graph": (
        11, ex11_with(MICROGRAD_TOPO), "a recursive topological sort dies on a deep graph"),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_classic_mistake_is_named(name, tmp_path):
    number, text, phrase = MISTAKES[name]
    result = check_text(tmp_path, number, text)
    assert result.status == "fail", str(result)
    assert phrase in result.message, str(result)


def test_mistake_tables_show_the_numbers(tmp_path):
    result = check_text(tmp_path, 1, MISTAKES["ex1 product rule with one term"][1])
    assert "dg is wrong at 5 of 6 points" in result.message  # right only at x = 0
    # at x = 1: yours 1 * cos 1 = 0.540302, the derivative sin 1 + cos 1 = 1.38177
    assert has_row(result.message, "1", "0.540302", "1.38177", "<-- WRONG")
    assert "df is wrong" not in result.message
    result = check_text(tmp_path, 5, MISTAKES["ex5 dampening"][1])
    # params[0] = 3, grad = 2 (3 - 1) + 1 = 5: SGD gives 3 - 0.02 * 5 = 2.9, the EMA 3 - 0.002 * 5
    assert has_row(result.message, "params[0]", "3", "5", "2.99", "2.9", "<-- WRONG")
    result = check_text(tmp_path, 9, MISTAKES["ex9 no bias correction"][1])
    # Adam's first step moves each parameter by lr against its gradient's sign: 3 -> 2.9
    assert has_row(result.message, "params[0]", "3", "5", "2.683772254", "2.9", "<-- WRONG")
    result = check_text(tmp_path, 3, MISTAKES["ex3 backward twice without zeroing"][1])
    assert has_row(result.message, "do/dw0", "1.92", "0.96", "<-- WRONG")  # 0.64 * 1.5 = 0.96


def test_ex3_hints_without_giving_the_answer(tmp_path):
    result = check_text(tmp_path, 3, solution_replacing(3, '"do/dw1": 0.64 * -2.0,',
                                                        '"do/dw1": 1.28,'))
    assert "do/dw1: you wrote 1.28" in result.message and "mind the sign" in result.message
    assert "-1.28" not in result.message and "do/dw0" not in result.message
    result = check_text(tmp_path, 3, solution_with(
        3, "def with_backward():\n    raise NotImplementedError('TODO (exercise 3, part 2): "
           "write with_backward()')\n"))
    assert result.status == "not done"
    assert "part 1 is right! Part 2 is not done yet" in result.message


def test_ex6_budget_and_types(tmp_path):
    result = check_text(tmp_path, 6, solution_replacing(6, "STEPS = 100", "STEPS = 5000"))
    assert "STEPS must be a whole number from 1 to 1000, got 5000" in result.message
    result = check_text(tmp_path, 6, solution_replacing(6, "STEPS = 100", "STEPS = True"))
    assert "STEPS must be a whole number" in result.message and "bool" in result.message
    result = check_text(tmp_path, 6, solution_replacing(6, "[8, 1]", "[32, 32, 1]"))
    # 2*32 + 32, 32*32 + 32, 32 + 1 weights and biases
    assert "the model has 1185 parameters; keep it at most 500" in result.message


def test_ex7_pass_shows_backwards_steps():
    message = checker.check(7, solution=True).message
    assert "dL/da = dL/dd · ∂d/∂a + dL/de · ∂e/∂a = 4.0 · 1.0 + 4.0 · (−2.0) = −4.0" in message


def test_ex10_a_partly_done_file_reports_what_is_right_and_what_is_open(tmp_path):
    todo = ("            # TODO: add out.grad times d out/d self into self.grad, and the same for "
            "other\n            raise NotImplementedError(\"TODO (exercise 10): write __add__'s "
            "_backward\")")
    assert todo in blank(MODULES[10])
    text = blank(MODULES[10]).replace(todo, EX10_ADD)
    result = check_text(tmp_path, 10, text)
    assert result.status == "not done" and "write __mul__'s _backward" in result.message


def test_numbers_of_any_real_type_are_numbers_and_strings_are_not(tmp_path):
    result = check_text(tmp_path, 1, solution_with(
        1, "import numpy as np\n_df = df\ndef df(x):\n    return np.float32(_df(x)) if x != 0.3 "
           "else np.array(_df(x))\n"))
    assert result.passed, str(result)
    result = check_text(tmp_path, 1, solution_with(1, "def df(x):\n    return str(6 * x - 4)\n"))
    assert result.status == "fail" and "df(-2) returned the string '-16.0'" in result.message
    result = check_text(tmp_path, 1, solution_with(1, "def df(x):\n    return True\n"))
    assert "a bool" in result.message


def test_the_reference_micrograd_agrees_with_autograd():
    """reference_value's right gradients, which exercises 10 and 11 are judged by, are
    chainrule's."""
    import autograd

    for name, graph in catalog.GRAPHS.items():
        nodes = []
        for step in graph:
            op = step[0]
            if op == "leaf":
                nodes.append(autograd.Value(step[1]))
            elif op == "pow":
                nodes.append(nodes[step[1]] ** step[2])
            elif op in ("tanh", "exp"):
                nodes.append(getattr(nodes[step[1]], op)())
            else:
                a, b = nodes[step[1]], nodes[step[2]]
                nodes.append(a + b if op == "+" else a * b if op == "*" else a ** b)
        nodes[-1].backward()
        expected = reference_value.gradients(graph)
        for node, e in zip(nodes, expected):
            assert math.isclose(node.grad, e, rel_tol=1e-12, abs_tol=1e-15), name
        # every mistake changes something on some graph it is looked for on
    for mistake in reference_value.ORDER_MISTAKES:
        assert any(reference_value.gradients(catalog.GRAPHS[g], mistake)
                   != reference_value.gradients(catalog.GRAPHS[g]) for g in catalog.EX11_GRAPHS)


# -- working on a copy, resetting, files ----------------------------------------------------------
def test_a_copy_starts_blank_and_is_checked_there(tmp_path, capsys):
    copies = tmp_path / "my exercises"
    assert main(["copy", str(copies)]) == 0
    assert sorted(p.name for p in copies.iterdir()) == sorted(f"{m}.py" for m in MODULES.values())
    for module in MODULES.values():  # never a model answer
        assert (copies / f"{module}.py").read_text(encoding="utf-8") == blank(module)
    capsys.readouterr()
    for n in (1, 5):  # the student solves two
        submit(copies, n, solution(MODULES[n]))
    assert main(["copy", str(copies)]) == 0  # copying again keeps the student's work
    assert "kept" in capsys.readouterr().out
    assert main(["check", "all", "--dir", str(copies)]) == 1
    out = capsys.readouterr().out
    assert str(copies / "ex3_neuron_by_hand.py") in out
    assert not (copies / "__pycache__").exists()  # checked from source: no stale bytecode
    assert out.rstrip().splitlines()[-1] == \
        "2 of 11 done: 1, 5; not done yet: 2, 3, 6, 7, 8, 9, 10, 11; failing: 4"


def test_copies_get_the_users_normal_mode(tmp_path):
    old = os.umask(0o022)
    try:
        workspace.copy([MODULES[1]], tmp_path)
        file = tmp_path / f"{MODULES[1]}.py"
        assert file.stat().st_mode & 0o777 == 0o644
        file.write_text("edited\n")
        workspace.reset(MODULES[1], tmp_path)
        assert file.stat().st_mode & 0o777 == 0o644
        assert (tmp_path / f"{file.name}.bak").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


def test_reset_restores_the_blank_and_keeps_every_version_of_the_student(tmp_path, capsys):
    main(["copy", str(tmp_path)])
    module = MODULES[5]
    file = tmp_path / f"{module}.py"
    answer = solution(module)
    file.write_text(answer)
    assert checker.check(5, folder=tmp_path).passed
    assert main(["reset", "5", "--dir", str(tmp_path)]) == 0
    assert f"yours is kept as {file}.bak" in capsys.readouterr().out
    assert file.read_text() == blank(module) and (tmp_path / f"{module}.py.bak").read_text() == \
        answer
    assert checker.check(5, folder=tmp_path).status == "not done"
    file.write_text("second attempt\n")
    main(["reset", "5", "--dir", str(tmp_path)])
    assert (tmp_path / f"{module}.py.bak").read_text() == answer  # the first backup stays
    assert (tmp_path / f"{module}.py.bak2").read_text() == "second attempt\n"
    main(["reset", "5", "--dir", str(tmp_path)])
    assert "blank already" in capsys.readouterr().out.splitlines()[-1]
    assert not (tmp_path / f"{module}.py.bak3").exists()


def test_copy_reset_and_check_work_in_a_folder_without_git(tmp_path):
    """As a student who downloaded a zip of the project: no .git, no git history."""
    project = tmp_path / "chainrule-main"
    for part in ("autograd", "nn", "demos"):
        shutil.copytree(REPO / part, project / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.ipynb", "notebooks"))
    assert not (project / ".git").exists()
    done = run_cli("copy", str(tmp_path / "mine"), cwd=project)
    assert done.returncode == 0, done.stderr
    module = MODULES[1]
    (project / "demos" / "exercises" / f"{module}.py").write_text(solution(module))
    done = run_cli("reset", "1", cwd=project)
    assert done.returncode == 0 and "is blank again; yours is kept" in done.stdout, done.stderr
    assert (project / "demos" / "exercises" / f"{module}.py").read_text() == blank(module)
    done = run_cli("check", "1", "--dir", str(tmp_path / "mine"), cwd=project)
    assert done.returncode == 1 and "NOT DONE YET" in done.stdout, done.stderr


def test_check_in_a_folder_without_copies_says_how_to_make_them(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["check", "1", "--dir", str(tmp_path / "missing")])
    assert "python -m demos.exercises copy" in capsys.readouterr().err
    result = checker.check(1, folder=tmp_path)  # the folder exists, the file does not
    assert result.status == "error" and "make your copies" in result.message


# -- grading a class ------------------------------------------------------------------------------
def test_grade_a_small_class(tmp_path, capsys):
    class_dir = tmp_path / "class"
    for n in NUMBERS:
        submit(class_dir / "ada", n, solution(MODULES[n]))
        submit(class_dir / "bob", n, blank(MODULES[n]))
    submit(class_dir / "bob", 1, HOSTILE["sys.exit(0) at import"][1])
    submit(class_dir / "bob", 2, "while True:\n    pass\n")
    submit(class_dir / "bob", 5, HOSTILE["10 MB print"][1])
    (class_dir / "notes.txt").write_text("not a student")
    assert main(["grade", str(class_dir), "--timeout", "3"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["student"] + [str(n) for n in NUMBERS] + ["passed"]
    assert lines[1].split() == ["ada"] + ["ok"] * 11 + ["11", "of", "11"]
    assert lines[2].split() == ["bob", "ERR", "ERR", "-", "FAIL", "ERR", "-", "-", "-", "-", "-",
                                "-", "0", "of", "11"]
    with open(class_dir / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["student", "exercise", "status", "seconds", "reason"]
    assert len(rows) == 1 + 2 * 11
    bob = {int(r[1]): r for r in rows[1:] if r[0] == "bob"}
    assert bob[1][2] == "ERROR" and "sys.exit(0)" in bob[1][4]
    assert bob[2][2] == "ERROR" and "ran for more than 3 s" in bob[2][4]
    assert bob[3][2] == "NOT DONE YET" and bob[4][2] == "FAIL"
    assert all(r[2] == "PASS" and r[4] == "" for r in rows[1:] if r[0] == "ada")
    assert all(float(r[3]) >= 0 for r in rows[1:])


def test_grade_says_what_a_class_folder_is(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["grade", str(tmp_path / "nobody")])
    assert "one folder per student" in capsys.readouterr().err


@pytest.mark.slow
def test_grade_a_class_of_thirty_with_every_hostile_case(tmp_path):
    """30 students x 11 exercises, every hostile file among them, with the default limits: done
    within three minutes on two cores, every verdict as expected, nothing left running."""
    class_dir = tmp_path / "class"
    handed_in = make_class(class_dir, 30)
    assert {kind for s in handed_in.values() for kind in s.values()} >= set(HOSTILE)
    start = time.monotonic()
    done = run_cli("grade", str(class_dir), "--csv", str(tmp_path / "grades.csv"), "--jobs", "2")
    elapsed = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    assert elapsed < 180, f"grading took {elapsed:.0f} s"
    with open(tmp_path / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 30 * 11
    for row in rows:
        kind = handed_in[row["student"]][int(row["exercise"])]
        if kind == "solution":
            assert row["status"] == "PASS", row
        elif kind == "blank":
            status = UNTOUCHED[int(row["exercise"])][0]
            assert row["status"] == checker.HEADS[status], row
        else:
            number, _, status, phrase = HOSTILE[kind]
            assert row["status"] == checker.HEADS[status] and phrase in row["reason"], row
