"""Command line: `list` the exercises, `check N` one of them (or `all`), `reset N` to the blank,
`copy DIR` to work outside the repository, `grade CLASS_DIR` to grade a class.

Exit status: `check` exits 0 only if every exercise checked passes, 1 otherwise; `grade` exits 0
once the table and the CSV are written, whatever the grades; 2 for a command-line mistake."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import grading, sandbox, workspace
from .catalog import EXERCISES, SUGGESTED_ORDER
from .checker import Result, check


def _numbers(parser: argparse.ArgumentParser, number: str) -> list[int]:
    if number == "all":
        return list(EXERCISES)
    if number.isdigit() and int(number) in EXERCISES:
        return [int(number)]
    parser.error(f"no exercise {number!r}: choose one of {', '.join(map(str, EXERCISES))} "
                 f"or 'all' (see `python -m demos.exercises list`)")


def tally(results: list[Result]) -> str:
    """One line: how many exercises pass, which, and what is left."""
    done = [r.exercise.number for r in results if r.passed]
    line = f"{len(done)} of {len(results)} done"
    line += f": {', '.join(map(str, done))}" if done else ""
    for status, label in (("not done", "not done yet"), ("fail", "failing"),
                          ("error", "could not be checked")):
        numbers = [str(r.exercise.number) for r in results if r.status == status]
        if numbers:
            line += f"; {label}: {', '.join(numbers)}"
    return line


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser: list, check, reset, copy and grade, with their options."""
    parser = argparse.ArgumentParser(
        prog="python -m demos.exercises", description="chainrule's classroom exercises, checked")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the exercises, in the suggested order")
    check_parser = commands.add_parser(
        "check", help="check exercise N (or 'all'); exit status 0 only if it passes")
    check_parser.add_argument("number", help="the exercise number, or 'all'")
    check_parser.add_argument("--solution", action="store_true",
                              help="check the model answer in solutions/ instead of your file")
    reset_parser = commands.add_parser(
        "reset", help="put back the blank exercise N (or 'all'), keeping yours as <file>.bak")
    reset_parser.add_argument("number", help="the exercise number, or 'all'")
    copy_parser = commands.add_parser(
        "copy", help="write blank copies of every exercise into DIR, to work outside the "
                     "repository (then: check N --dir DIR)")
    copy_parser.add_argument("dir", type=Path, help="the folder for your copies (created)")
    grade_parser = commands.add_parser(
        "grade", help="check every exercise of every student in CLASS_DIR (one folder per "
                      "student, each made by `copy`): a table, and a CSV file")
    grade_parser.add_argument("class_dir", type=Path, help="the folder of student folders")
    grade_parser.add_argument("--csv", type=Path, default=None,
                              help="where to write the grades (default: CLASS_DIR/grades.csv)")
    grade_parser.add_argument("--jobs", type=int, default=None,
                              help="students' processes run at once (default: the cores)")
    for sub in (check_parser, reset_parser):
        sub.add_argument("--dir", type=Path, default=None,
                         help="your copies made by `copy DIR` instead of demos/exercises/")
    for sub in (check_parser, grade_parser):
        sub.add_argument("--timeout", type=_positive, default=sandbox.DEFAULT_TIMEOUT,
                         help=f"seconds each exercise's code may run (default "
                              f"{sandbox.DEFAULT_TIMEOUT:g})")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)

    if args.command == "list":
        for n in SUGGESTED_ORDER:
            exercise = EXERCISES[n]
            print(f"{n:>2}. {exercise.title:<44} demos/exercises/{exercise.module}.py")
        return 0
    if args.command == "copy":
        written, kept = workspace.copy([e.module for e in EXERCISES.values()], args.dir)
        for path in written:
            print(f"wrote {path}")
        for path in kept:
            print(f"kept {path} (already there: `reset N --dir {args.dir}` for the blank)")
        print(f"edit them there, then: python -m demos.exercises check N --dir {args.dir}")
        return 0
    if args.command == "grade":
        return _grade(parser, args)
    numbers = _numbers(parser, args.number)
    if args.dir is not None and not args.dir.is_dir():
        parser.error(f"no folder {str(args.dir)!r}: make your copies first with "
                     f"`python -m demos.exercises copy {args.dir}`")
    if args.command == "reset":
        folder = args.dir if args.dir is not None else workspace.HERE
        for n in numbers:
            module = EXERCISES[n].module
            backup = workspace.reset(module, folder)
            kept = f"; yours is kept as {backup}" if backup else " (it was blank already)"
            print(f"exercise {n}: {Path(folder) / module}.py is blank again{kept}")
        return 0
    results = []
    for n in numbers:
        result = check(n, solution=args.solution, folder=args.dir, timeout=args.timeout)
        print(("\n" if results else "") + str(result), flush=True)
        results.append(result)
    if len(results) > 1:
        print(f"\n{tally(results)}")
    return 0 if all(result.passed for result in results) else 1


def _grade(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if not args.class_dir.is_dir():
        parser.error(f"no class folder {str(args.class_dir)!r}: it should hold one folder per "
                     f"student, each made by `python -m demos.exercises copy`")
    if not grading.students(args.class_dir):
        parser.error(f"{str(args.class_dir)!r} has no student folders")
    grades = grading.grade(args.class_dir, jobs=args.jobs, timeout=args.timeout)
    print(grading.table(grades))
    csv_path = args.csv if args.csv is not None else args.class_dir / "grades.csv"
    grading.write_csv(grades, csv_path)
    print(f"\nok = pass, FAIL = a wrong answer, - = not done yet, ERR = could not be checked "
          f"(a timeout, an exit, a crash)\nwrote {csv_path} (student, exercise, status, seconds, "
          f"reason)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
