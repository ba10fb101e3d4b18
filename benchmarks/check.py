"""How fast does a teacher check a class? Run: .venv/bin/python benchmarks/check.py

`python -m nbcourse check` on one learner's workbook, then on a folder of 30 (a class), each
timed as a teacher runs it: a fresh process, Python's start and LibreOffice's included, the
median of a few runs. The target: the 30 take at most 3 to 4 times as long as the one (one
LibreOffice start for the lot; each workbook's own reading and judging shared between two
processes). The class is lesson 02's blank at every stage, from untouched to finished, some
with mistakes; then the same for lesson 03, whose sheets are 250 times bigger (12,000 cells to
fill each): there each workbook's own work, not the start, takes most of the time.

Then how long a hostile file takes to be refused (a 1.5 GB zip bomb, a million rows, a 100 MB
file): before openpyxl or LibreOffice opens anything.

With --stages, first where the time goes: lesson 03's class checked in this process, one workbook
after another (no second process), each stage's seconds added up over the 30. The machine's load
(other programs wanting its cores) is printed beside the figures: compare runs at a similar load.
"""

import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from nbcourse import check, files, libreoffice
from nbcourse.hostile import million_rows, too_big, zip_bomb
from nbcourse.lessons import LESSONS, blank_layout

ROOT = Path(__file__).resolve().parent.parent
BLANKS = ROOT / "spreadsheets" / "blank"
RUNS = 3
CLASS = 30
TARGET = 4.0


def class_of(key, folder):
    """CLASS learners' workbooks of lesson `key`: learner n has filled in the first n/CLASS of
    the cells (in the sheet's order) with the course's formulas, every fifth one with a mistake."""
    folder.mkdir(parents=True)
    sheet = blank_layout(LESSONS[key]).sheet()
    cells = sheet.to_fill()
    for n in range(CLASS):
        book = openpyxl.load_workbook(BLANKS / LESSONS[key].FILE)
        page = book.worksheets[0]
        for address in cells[:len(cells) * n // (CLASS - 1)]:
            page[address] = sheet[address].formula or sheet[address].value
        if n % 5 == 4:
            page[cells[0]] = "=1"
        book.save(folder / f"learner-{n:02d}.xlsx")
    return sorted(folder.glob("*.xlsx"))


def timed(*arguments):
    """Median wall-clock seconds of `python -m nbcourse check ARGUMENTS` over RUNS runs."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nbcourse", "check", *map(str, arguments)], cwd=ROOT,
                       capture_output=True, text=True, timeout=900)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def stages(workbooks):
    """Seconds spent in each stage of check_many() over `workbooks`, one at a time."""
    spent = {}

    def timed(name, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0) + time.perf_counter() - start
        return wrapper

    saved = {(check, "PARALLEL"): check.PARALLEL, (libreoffice, "convert"): libreoffice.convert,
             (files, "read_xlsx"): files.read_xlsx, (files, "write_xlsx"): files.write_xlsx,
             (libreoffice, "csv_values"): libreoffice.csv_values,
             **{(check._Job, step): getattr(check._Job, step)
                for step in ("admit", "read", "values", "judge")}}
    check.PARALLEL = len(workbooks) + 1
    for (owner, name), function in saved.items():
        if callable(function):
            setattr(owner, name, timed(name, function))
    try:
        start = time.perf_counter()
        check.check_many(workbooks)
        spent["all"] = time.perf_counter() - start
    finally:
        for (owner, name), value in saved.items():
            setattr(owner, name, value)
    return spent


def load():
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f}, {five:.1f}, {fifteen:.1f} (1, 5, 15 min) on {os.cpu_count()} cores"


def hostile(folder):
    return {"a 1.5 GB zip bomb": zip_bomb(folder / "bomb.xlsx"),
            "a million rows": million_rows(folder / "million.xlsx"),
            "a 100 MB file": too_big(folder / "big.xlsx")}


def main():
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        classes = {key: class_of(key, folder / key) for key in ("02", "03")}
        if "--stages" in sys.argv:
            print(f"Where the time goes: lesson 03's class of {CLASS}, one workbook after another, in "
                  f"this process ({load()})")
            t = stages(classes["03"])
            print(f"  admit {t['admit']:.2f} s (measured and copied); read {t['read']:.2f} s (of which "
                  f"read_xlsx {t['read_xlsx']:.2f} s, write_xlsx {t['write_xlsx']:.2f} s: the copy "
                  f"LibreOffice calculates); LibreOffice {t['convert']:.2f} s (its start included), "
                  f"meanwhile each workbook it is done with: values {t['values']:.2f} s (csv_values "
                  f"{t['csv_values']:.2f} s), judge {t['judge']:.2f} s; all {t['all']:.2f} s")
        print(f"python -m nbcourse check, a fresh process each time (median of {RUNS} runs; {load()})")
        timed(BLANKS / LESSONS["01"].FILE)  # warm-up: caches, LibreOffice's files in memory
        for key, workbooks in classes.items():
            one, many = timed(workbooks[len(workbooks) // 2]), timed(folder / key)
            verdict = "met" if many / one <= TARGET else "NOT met"
            print(f"lesson {key}: 1 workbook {one:5.1f} s, a class of {CLASS} {many:5.1f} s: "
                  f"{many / one:.1f} x (target: at most {TARGET:g} x, {verdict}); "
                  f"{many / CLASS:.2f} s a workbook ({load()})")
        print("Refused before anything opens them:")
        for what, path in hostile(folder).items():
            start = time.perf_counter()
            try:
                files.admit(path, folder, "copy")
            except files.CourseError as problem:
                said = str(problem).split(", more than")[0]
            print(f"  {what:20s} {time.perf_counter() - start:6.2f} s  ({said})")


if __name__ == "__main__":
    main()
