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
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from nbcourse import files
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


def hostile(folder):
    sys.path.insert(0, str(ROOT))
    from tests.test_check_safety import million_rows, zip_bomb

    big = folder / "big.xlsx"
    with open(big, "wb") as file:
        file.truncate(100_000_000)
    return {"a 1.5 GB zip bomb": zip_bomb(folder / "bomb.xlsx"),
            "a million rows": million_rows(folder / "million.xlsx"), "a 100 MB file": big}


def main():
    print(f"python -m nbcourse check, a fresh process each time (median of {RUNS} runs)")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        timed(BLANKS / LESSONS["01"].FILE)  # warm-up: caches, LibreOffice's files in memory
        for key in ("02", "03"):
            workbooks = class_of(key, folder / key)
            one, many = timed(workbooks[len(workbooks) // 2]), timed(folder / key)
            verdict = "met" if many / one <= TARGET else "NOT met"
            print(f"lesson {key}: 1 workbook {one:5.1f} s, a class of {CLASS} {many:5.1f} s: "
                  f"{many / one:.1f} x (target: at most {TARGET:g} x, {verdict}); "
                  f"{many / CLASS:.2f} s a workbook")
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
