"""Students' submissions for the exercise tests: the hostile files a real class hands in (each with
the verdict the checker must give), and a generator of whole classes for `grade`."""
from __future__ import annotations

import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXERCISES = REPO / "demos" / "exercises"


def blank(module: str) -> str:
    return (EXERCISES / "blanks" / f"{module}.py").read_text(encoding="utf-8")


def solution(module: str) -> str:
    return (EXERCISES / "solutions" / f"{module}.py").read_text(encoding="utf-8")


EX1, EX4, EX5 = "ex1_local_derivative", "ex4_find_the_bug", "ex5_momentum_step"
ZEROS = "def df(x):\n    return 0.0\n\ndef dg(x):\n    return 0.0\n\ndef dh(x):\n    return 0.0\n"

# name: (exercise number, the file's text (str, or bytes for another encoding), the status the
# checker must give, a phrase its message must contain)
HOSTILE: dict[str, tuple[int, str | bytes, str, str]] = {
    "sys.exit(0) at import": (
        1, "import sys\nsys.exit(0)\n" + solution(EX1), "error", "called sys.exit(0)"),
    "sys.exit(0) in a function": (
        1, solution(EX1) + "\ndef df(x):\n    import sys\n    sys.exit(0)\n", "error",
        "called sys.exit(0) during the checks"),
    "os._exit(0)": (1, "import os\nos._exit(0)\n", "error", "ended Python itself (os._exit?)"),
    "endless loop": (
        1, solution(EX1) + "\ndef dg(x):\n    while True:\n        pass\n", "error",
        "ran for more than"),
    "10 MB print": (1, "print('x' * 10_000_000)\n" + solution(EX1), "error",
                    "printed more than 1 MB"),
    "patches the checker": (
        1, "import demos.exercises.checker as c\nc._close = lambda *a, **k: True\n"
           "c._all_close = lambda *a, **k: True\nfrom autograd import log, sin\n"
           "def f(x):\n    return 3 * x**2 - 4 * x + 5\n" + ZEROS, "fail",
        "df is wrong at 6 of 6 points"),
    "patches gradcheck": (
        4, "import autograd\nautograd.gradcheck = autograd.gradgradcheck = "
           "lambda *a, **k: True\n" + blank(EX4), "fail", "the first derivatives are wrong"),
    "KeyboardInterrupt": (1, "raise KeyboardInterrupt\n", "error", "KeyboardInterrupt"),
    "huge allocation": (1, "x = bytearray(10 ** 11)\n", "error", "ran out of memory"),
    "latin-1 file": (1, "# café: a comment in latin-1\n".encode("latin-1") + solution(EX1).encode(),
                     "error", "is not saved as UTF-8: line 1 has the byte 0xe9"),
    "syntax error": (1, "def df(x)\n    return 6 * x - 4\n", "fail",
                     "Python cannot read your file"),
    "missing function": (1, solution(EX1).replace("def dh(x):", "def dh_(x):"), "fail",
                         "has no attribute 'dh'"),
    "prints a fake verdict": (
        5, "print('PASS: 15 steps match')\nprint('{\"ok\": true, \"data\": {}}')\n" + blank(EX5),
        "not done", "write sgd_momentum_step"),
    "forges the reply file": (
        1, "import json, os, sys\nopen(sys.argv[4], 'w').write(json.dumps({'ok': True, 'data': "
           "{'df': [0.0] * 6, 'dg': [0.0] * 6, 'dh': [0.0] * 6}}))\nos._exit(0)\n", "fail",
        "df is wrong at 6 of 6 points"),
    "do-nothing momentum step": (
        5, "def sgd_momentum_step(params, grads, velocities, lr, momentum):\n"
           "    return params, velocities\n", "fail", "step 1 of 15"),
}


def put(path: Path, text: str | bytes) -> None:
    """Write a submission: text as UTF-8, bytes as they are."""
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def make_class(folder: Path, n_students: int, seed: int = 0) -> dict[str, dict[int, str]]:
    """A class of `n_students` folders in `folder`: each exercise blank, solved or hostile, drawn at
    random (every hostile case at least once). Returns what each student handed in: {student:
    {exercise: "blank" | "solution" | a HOSTILE name}}."""
    from demos.exercises.catalog import EXERCISES as CATALOG

    rng = random.Random(seed)
    hostile = list(HOSTILE)
    handed_in: dict[str, dict[int, str]] = {}
    for s in range(n_students):
        student = f"student{s:02d}"
        where = folder / student
        where.mkdir(parents=True)
        handed_in[student] = {}
        for number, exercise in CATALOG.items():
            kind = rng.choice(["blank", "solution", "solution"])
            text: str | bytes = blank(exercise.module) if kind == "blank" else \
                solution(exercise.module)
            handed_in[student][number] = kind
            put(where / f"{exercise.module}.py", text)
        if hostile:  # the first students hand in a hostile file each
            name = hostile.pop(0)
            number, text, _, _ = HOSTILE[name]
            put(where / f"{CATALOG[number].module}.py", text)
            handed_in[student][number] = name
    return handed_in
