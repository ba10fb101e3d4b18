"""python -m nbcourse build | backprop | check: the course's command line."""

import argparse
import sys
from pathlib import Path

from nbcourse.errors import CourseError

SPREADSHEETS = Path(__file__).resolve().parent.parent / "spreadsheets"


def build(args):
    from nbcourse.files import publish
    from nbcourse.lessons import LESSONS
    from nbcourse.workbook import to_bytes

    refused = 0
    for lesson in LESSONS.values():
        try:
            print(publish(Path(args.out) / lesson.FILE, to_bytes(lesson.sheets()), args.force))
        except CourseError as problem:  # keep building the others, then fail
            print(f"error: {problem}", file=sys.stderr)
            refused += 1
    return 2 if refused else 0


def backprop(args):
    from nbcourse.fast import cli  # numba: loaded only for this command
    from nbcourse.network import SEED

    seed = SEED if args.seed is None else args.seed
    return cli(args.iterations, args.report_every, seed, args.learning_rate)


def check(args):
    from nbcourse.check import cli

    return cli(args.workbook, args.lesson)


def parser():
    from nbcourse.lessons import LESSONS

    top = argparse.ArgumentParser(prog="python -m nbcourse", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)
    p = commands.add_parser("build", help="regenerate every workbook in spreadsheets/")
    p.add_argument("--out", default=SPREADSHEETS, help="folder to write to (default: %(default)s)")
    p.add_argument("--force", action="store_true",
                   help="move a workbook you edited aside (…-edited-<time>.xlsx) instead of refusing")
    p.set_defaults(run=build)
    p = commands.add_parser("backprop", help="train part 4's network, printing the article's lines")
    p.add_argument("--iterations", type=int, default=100_000_000)
    p.add_argument("--report-every", type=int, default=10_000_000)
    p.add_argument("--seed", type=int, help="random seed (default: the course's, 2)")
    p.add_argument("--learning-rate", type=float, default=0.001)
    p.set_defaults(run=backprop)
    p = commands.add_parser("check", help="check your own workbook against the course's maths")
    p.add_argument("workbook")
    p.add_argument("--lesson", choices=list(LESSONS))
    p.set_defaults(run=check)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except CourseError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
