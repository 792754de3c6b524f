"""Command line: `list` the exercises, `check N` one of them (or `all`), `reset N` to the blank,
`copy DIR` to work outside the repository."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import workspace
from .checker import EXERCISES, check


def _numbers(parser: argparse.ArgumentParser, number: str) -> list[int]:
    if number == "all":
        return list(EXERCISES)
    if number.isdigit() and int(number) in EXERCISES:
        return [int(number)]
    parser.error(f"no exercise {number!r}: choose one of {', '.join(map(str, EXERCISES))} "
                 f"or 'all' (see `python -m demos.exercises list`)")


def tally(results: list) -> str:
    """One line: how many exercises pass, which, and what is left."""
    done = [r.exercise.number for r in results if r.passed]
    line = f"{len(done)} of {len(results)} done"
    line += f": {', '.join(map(str, done))}" if done else ""
    for status, label in (("not done", "not done yet"), ("fail", "failing")):
        numbers = [str(r.exercise.number) for r in results if r.status == status]
        if numbers:
            line += f"; {label}: {', '.join(numbers)}"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demos.exercises", description="chainrule's classroom exercises, checked")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the exercises, easiest first")
    check_parser = commands.add_parser("check", help="check exercise N (or 'all')")
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
    for sub in (check_parser, reset_parser):
        sub.add_argument("--dir", type=Path, default=None,
                         help="your copies made by `copy DIR` instead of demos/exercises/")
    args = parser.parse_args(argv)

    if args.command == "list":
        for exercise in EXERCISES.values():
            print(f"{exercise.number}. {exercise.title:<48} demos/exercises/{exercise.module}.py")
        return 0
    if args.command == "copy":
        written, kept = workspace.copy([e.module for e in EXERCISES.values()], args.dir)
        for path in written:
            print(f"wrote {path}")
        for path in kept:
            print(f"kept {path} (already there: `reset N --dir {args.dir}` for the blank)")
        print(f"edit them there, then: python -m demos.exercises check N --dir {args.dir}")
        return 0
    numbers = _numbers(parser, args.number)
    if args.dir is not None and not args.dir.is_dir():
        parser.error(f"no folder {str(args.dir)!r}: make your copies first with "
                     f"`python -m demos.exercises copy {args.dir}`")
    if args.command == "reset":
        for n in numbers:
            module = EXERCISES[n].module
            folder = args.dir if args.dir is not None else workspace.HERE
            backup = workspace.reset(module, folder)
            kept = f"; yours is kept as {backup}" if backup else " (it was blank already)"
            print(f"exercise {n}: {Path(folder) / module}.py is blank again{kept}")
        return 0
    results = [check(n, solution=args.solution, folder=args.dir) for n in numbers]
    print("\n\n".join(str(result) for result in results))
    if len(results) > 1:
        print(f"\n{tally(results)}")
    return 0 if all(result.passed for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
