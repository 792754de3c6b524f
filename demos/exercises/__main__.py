"""Command line: `list` the exercises, `check N [--solution]` one of them (or `all`)."""
from __future__ import annotations

import argparse
import sys

from .checker import EXERCISES, check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demos.exercises", description="chainrule's classroom exercises, checked")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the exercises, easiest first")
    check_parser = commands.add_parser("check", help="check exercise N (or 'all')")
    check_parser.add_argument("number", help="the exercise number, or 'all'")
    check_parser.add_argument("--solution", action="store_true",
                              help="check the model answer in solutions/ instead of your file")
    args = parser.parse_args(argv)

    if args.command == "list":
        for exercise in EXERCISES.values():
            print(f"{exercise.number}. {exercise.title:<48} demos/exercises/{exercise.module}.py")
        return 0
    if args.number == "all":
        numbers = list(EXERCISES)
    elif args.number.isdigit() and int(args.number) in EXERCISES:
        numbers = [int(args.number)]
    else:
        parser.error(f"no exercise {args.number!r}: choose one of {', '.join(map(str, EXERCISES))} "
                     f"or 'all' (see `python -m demos.exercises list`)")
    results = [check(n, solution=args.solution) for n in numbers]
    print("\n\n".join(str(result) for result in results))
    return 0 if all(result.passed for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
