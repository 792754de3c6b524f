"""Grade a class: every exercise of every student, in parallel, into a table and a CSV file.

A class folder holds one folder per student, each made by `python -m demos.exercises copy`; the
folder's name is the student's. `grade(folder)` checks every exercise of every student, each in
its own process (`checker.check`), as many at a time as there are cores, and never stops on a bad
submission: whatever a file does, it becomes one row with a status and a one-line reason.
"""
from __future__ import annotations

import csv
import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import autograd

from . import sandbox
from .catalog import EXERCISES
from .checker import Result, check

CSV_COLUMNS = ["student", "exercise", "status", "seconds", "reason"]
CELLS = {"pass": "ok", "fail": "FAIL", "not done": "-", "error": "ERR"}


@dataclass
class Grade:
    """One student's result on one exercise."""

    student: str
    result: Result

    @property
    def row(self) -> list[str]:
        r = self.result
        return [self.student, str(r.exercise.number), r.head, f"{r.seconds:.2f}",
                "" if r.passed else r.one_line()]


def students(class_dir: str | Path) -> list[Path]:
    """The student folders in `class_dir`, by name (hidden folders and files are skipped)."""
    folder = Path(class_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"no class folder {str(folder)!r}: it should hold one folder per "
                                f"student, each made by `python -m demos.exercises copy`")
    return sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))),
                  key=lambda p: p.name)


def grade(class_dir: str | Path, numbers: list[int] | None = None, jobs: int | None = None,
          timeout: float = sandbox.DEFAULT_TIMEOUT,
          memory: int = sandbox.DEFAULT_MEMORY) -> list[Grade]:
    """Check exercises `numbers` (default: all) of every student in `class_dir`.

    Args:
        class_dir: a folder with one folder per student.
        numbers: the exercises to check; all of them by default.
        jobs: how many students' processes run at once (default: the number of cores).
        timeout, memory: the limits of each student's process (see `sandbox.run`).

    Returns:
        one `Grade` per student and exercise, student by student, in exercise order.
    """
    numbers = list(EXERCISES) if numbers is None else numbers
    folders = students(class_dir)
    tasks = [(folder, n) for folder in folders for n in numbers]

    def one(task: tuple[Path, int]) -> Grade:
        folder, n = task
        try:
            result = check(n, folder=folder, timeout=timeout, memory=memory)
        except Exception as error:  # one bad folder never stops the class
            result = Result(EXERCISES[n], str(folder), "error",
                            f"the checker could not check this file: {type(error).__name__}: "
                            f"{error}")
        return Grade(folder.name, result)

    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        return list(pool.map(one, tasks))


def table(grades: list[Grade]) -> str:
    """Students down, exercises across: ok, FAIL, - (not done) or ERR, and each one's total."""
    numbers = sorted({g.result.exercise.number for g in grades})
    by_student: dict[str, dict[int, Grade]] = {}
    for g in grades:
        by_student.setdefault(g.student, {})[g.result.exercise.number] = g
    width = max([len("student")] + [len(s) for s in by_student])
    lines = [f"{'student':<{width}}  " + " ".join(f"{n:>4}" for n in numbers) + "  passed"]
    for student, row in by_student.items():
        cells = " ".join(f"{CELLS[row[n].result.status] if n in row else '':>4}" for n in numbers)
        passed = sum(g.result.passed for g in row.values())
        lines.append(f"{student:<{width}}  {cells}  {passed:>3} of {len(numbers)}")
    return "\n".join(lines)


def write_csv(grades: list[Grade], path: str | Path) -> None:
    """The grades as CSV (a header row, then `student, exercise, status, seconds, reason`),
    written atomically."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(g.row for g in grades)
    autograd.write_atomically(path, text.getvalue())
