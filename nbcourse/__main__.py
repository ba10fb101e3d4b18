"""python -m nbcourse build | backprop | check: the course's command line."""

import argparse
import sys
from pathlib import Path

from nbcourse.errors import CourseError

SPREADSHEETS = Path(__file__).resolve().parent.parent / "spreadsheets"


def build(args):
    """Each lesson's workbook, and its blank in blank/ (kept as it is once a learner fills it in)."""
    from nbcourse.files import publish
    from nbcourse.lessons import LESSONS
    from nbcourse.workbook import blank_bytes, to_bytes

    refused = 0
    out = Path(args.out)
    for lesson in LESSONS.values():
        for path, make, keep in ((out / lesson.FILE, to_bytes, False),
                                 (out / "blank" / lesson.FILE, blank_bytes, True)):
            try:
                data = make(lesson.sheets()) if make is to_bytes else make(lesson)
                print(publish(path, data, args.force, keep=keep))
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

    return cli(args.workbook, args.lesson, args.csv)


def parser():
    from nbcourse.lessons import LESSONS

    top = argparse.ArgumentParser(prog="python -m nbcourse", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)
    p = commands.add_parser("build", help="regenerate every workbook in spreadsheets/ and its blank in "
                                          "spreadsheets/blank/")
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
    p = commands.add_parser(
        "check", help="check your own workbook (or a class's folder of them) against the course's maths",
        description="Check workbooks (.xlsx or .ods) against the course's maths: each cell you work out "
                    "is right, wrong or still to do. One FILE gets its full report; several, or a FOLDER, "
                    "one line each. Exit code: 0 every cell there and right, 1 something wrong or to do, "
                    "2 a file that cannot be checked (the worst of the files'). A file name that starts "
                    "with a dash goes after --: check -- -my.xlsx.")
    p.add_argument("workbook", nargs="+", help="a workbook, or a folder of them")
    p.add_argument("--lesson", choices=list(LESSONS), help="the lesson (default: found from the layout)")
    p.add_argument("--csv", metavar="PATH",
                   help="also write the table (file, lesson, right, wrong, to_do, first_mistake, problem; "
                        "a text that a spreadsheet would take for a formula starts with ')")
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
