"""Check a learner's workbook against the course's maths, for the learner's own inputs.

LibreOffice recalculates the workbook (forced, as the tests do); the course's sheet
built from the same inputs gives the expected value of every cell, and its formulas
give the chain between cells. Values decide, not formula text: a learner may write an
equivalent formula. A wrong cell downstream of another wrong cell follows from it, so
the report names the first wrong cell of each chain and sums up what follows.

    from nbcourse.check import check_in_notebook, uploader
    check_in_notebook("my-workbook.xlsx")   # prints the report
    uploader()                              # a widget: upload a workbook, read its report
"""

import functools
import math
import numbers
import re
import tempfile
import zipfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name

from nbcourse import libreoffice
from nbcourse.errors import CourseError, Diverged
from nbcourse.files import locked_by
from nbcourse.lessons import LESSONS
from nbcourse.sheet import agree

LISTED = 5  # cells named before "and N more"
TYPED = "typed a number instead of a formula"
NOT_A_WORKBOOK = ("{path} is not an Excel workbook (.xlsx): save it from your spreadsheet program "
                  "as an Excel workbook (.xlsx) and check that file.")


@dataclass
class Wrong:
    address: str
    formula: str | None  # the learner's; None where they typed a number or left it empty
    got: object
    expected: object
    course_formula: str | None  # None for an input or constant
    followers: list = field(default_factory=list)  # for a root: the wrong cells downstream


@dataclass
class Report:
    path: Path
    lesson: str  # "01" ...
    engine: str  # "LibreOffice" or "cached values"
    checked: int  # cells compared: formulas, inputs and constants
    wrong: list  # every Wrong, in sheet order
    roots: list  # the first wrong cell of each chain
    notes: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.wrong

    def text(self):
        how = "recalculated in LibreOffice" if self.engine == "LibreOffice" else "its stored values"
        lines = [*self.notes, f"Checked {self.path.name} as lesson {self.lesson} ({how})."]
        if self.ok:
            return "\n".join([*lines, f"All {self.checked:,} cells agree with the course's maths."])
        lines.append(f"{len(self.wrong):,} of {self.checked:,} cells disagree with the course's maths "
                     f"for your inputs; {_count(self.roots, 'mistake')} to fix:")
        for root in self.roots[:LISTED]:
            lines.append(f"- {_describe(root)}")
            if root.followers:
                lines.append(f"  {_count(root.followers, 'cell')} follow from it: {_names(root.followers)} "
                             f"(fix {root.address} first; their own formulas may be right).")
        if len(self.roots) > LISTED:
            lines.append(f"- and {_count(self.roots[LISTED:], 'more mistake')}: "
                         f"{_names([r.address for r in self.roots[LISTED:]])}.")
        return "\n".join(lines)

    __str__ = text


def _count(items, word):
    return f"{len(items):,} {word}{'' if len(items) == 1 else 's'}"


def _names(addresses):
    more = f" and {len(addresses) - LISTED:,} more" if len(addresses) > LISTED else ""
    return ", ".join(addresses[:LISTED]) + more


def _show(value, digits=10):
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return "nothing (empty)" if value is None else str(value)


def _plain(formula):
    return re.sub(r"[\s$]|_xlfn\.", "", formula).upper()


def _describe(w):
    got, expected = _show(w.got), _show(w.expected)
    if got == expected:  # they differ beyond 10 digits: show all of them
        got, expected = _show(w.got, 17), _show(w.expected, 17)
    if w.course_formula is None:
        return (f"{w.address} holds {got}, where the course's sheet has {expected}: the check does not "
                "read its inputs from this cell (see LAYOUTS.md).")
    if w.formula is None:
        return (f"{w.address}: {TYPED if w.got is not None else 'empty'} ({got}); the course's maths "
                f"gives {expected}, with {w.course_formula}.")
    same = _plain(w.formula) == _plain(w.course_formula)
    return (f"{w.address}: your formula {w.formula} gives {got}; the course's maths gives {expected}"
            + ("." if same else f", e.g. with {w.course_formula}."))


# -- reading the workbook -------------------------------------------------------------------

def _open(path, data_only):
    """{address: value} of the first worksheet: formulas as text, unless data_only."""
    import openpyxl  # only needed here

    try:
        book = openpyxl.load_workbook(path, data_only=data_only)
    except PermissionError:
        raise CourseError(f"Cannot read {path}: another program has it open. Close it first.") from None
    except Exception:  # a zip that is not a workbook: openpyxl raises several kinds
        raise CourseError(NOT_A_WORKBOOK.format(path=path)) from None
    try:
        return {c.coordinate: getattr(c.value, "text", c.value)  # an array formula's text
                for row in book.worksheets[0].iter_rows() for c in row if c.value is not None}
    finally:
        book.close()


@functools.cache
def _default(key):
    return LESSONS[key].sheet()


def _layout_problems(sheet, texts):
    """The course's header and label cells that the workbook lacks (case and spaces aside)."""
    def plain(text):
        return " ".join(str(text).split()).casefold() if text is not None else ""
    return [f"{a} should say {c.value!r} but " + (f"says {texts[a]!r}" if a in texts else "is empty")
            for a, c in sheet.cells.items()
            if c.kind in ("header", "label") and plain(c.value) != plain(texts.get(a))]


def _lesson(path, texts, key):
    """The lesson whose headers and labels the first worksheet has (most of them: a lesson
    04 workbook with more steps has its "Trained" label lower), or `key`'s if it has them."""
    scores = {k: len(_layout_problems(_default(k), texts)) / len(_layout_problems(_default(k), {}))
              for k in ([key] if key else LESSONS)}
    best = min(scores, key=scores.get)
    if scores[best] < 0.5:
        return best
    problems = "; ".join(_layout_problems(_default(best), texts)[:3])
    like = f"lesson {best}'s: {problems}" if key else f"any lesson's (closest, lesson {best}: {problems})"
    also = ", or leave out --lesson to detect the lesson" if key else ""
    raise CourseError(f"{path.name}'s first sheet is not laid out like {like}. Start from the "
                      f"course's {LESSONS[best].FILE} in spreadsheets/{also}.")


def _values(path, formulas, derived, notes):
    """The workbook's values: LibreOffice's recalculation, or without it the cached values."""
    if libreoffice.find_soffice() is not None:
        return "LibreOffice", libreoffice.recalculated_values(path)
    cached = _open(path, data_only=True)
    if not any(a in cached for a in derived if str(formulas.get(a)).startswith("=")):
        raise CourseError(f"{path.name} holds no calculated values (a program that does not "
                          "calculate, such as openpyxl, saved it), so nothing can be checked without "
                          f"LibreOffice. {libreoffice.INSTALL_HINT}")
    notes.append("LibreOffice is not installed, so this compares the values your spreadsheet program "
                 f"saved instead of recalculating them. {libreoffice.INSTALL_HINT}")
    return "cached values", cached


def _expected(key, values):
    """The course's sheet for the workbook's own inputs; a bad input cell is named."""
    lesson = LESSONS[key]
    for address, name in lesson.INPUTS.items():
        value = values.get(address)
        if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)
                                  or not math.isfinite(value)):
            raise CourseError(f"{address} holds {value!r}, not a number: lesson {key} reads its "
                              f"{name.replace('_', ' ')} there. Type a number in {address}.")
    try:
        return lesson.sheet(**lesson.arguments(values))
    except Diverged:
        raise
    except CourseError as problem:
        if empty := [a for a in lesson.INPUTS if values.get(a) is None]:
            name = lesson.INPUTS[empty[0]].replace("_", " ")
            raise CourseError(f"{empty[0]} is empty: lesson {key} reads its {name} there. "
                              "Type a number in it.") from None
        raise CourseError(f"Your inputs: {problem}") from None


# -- the chain ------------------------------------------------------------------------------

REFERENCE = re.compile(r"(?<![A-Za-z0-9_])\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"
                       r"|[A-Za-z_][A-Za-z0-9_]*")


def precedents(formula, names):
    """The cells a formula reads: references, ranges and defined names (Tiny -> B11)."""
    for match in REFERENCE.finditer(formula):
        column, row, last_column, last_row = match.groups()
        if column is None:  # a word: a function's name, or a defined name
            if match.group(0) in names:
                yield names[match.group(0)]
            continue
        top, left = xl_cell_to_rowcol(column + row)
        bottom, right = xl_cell_to_rowcol((last_column or column) + (last_row or row))
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                yield f"{xl_col_to_name(c)}{r + 1}"


def _chains(sheet, wrong):
    """The roots among the wrong cells, each with the wrong cells downstream of it.

    A root has no wrong cell anywhere upstream, not only among its direct precedents: after
    a wrong G10 in lesson 03 a later output may agree to 12 digits while output - target,
    a small difference of two close numbers, does not.
    """
    dependents = {}
    for address in sheet.derived():
        for before in precedents(sheet[address].formula, sheet.names):
            dependents.setdefault(before, []).append(address)

    def downstream(starts):
        seen, queue = set(), deque(starts)
        while queue:
            for after in dependents.get(queue.popleft(), ()):
                if after not in seen:
                    seen.add(after)
                    queue.append(after)
        return seen

    tainted = downstream(wrong)
    roots = [w for a, w in wrong.items() if a not in tainted]
    for root in roots:
        root.followers = sorted(downstream([root.address]) & wrong.keys(), key=xl_cell_to_rowcol)
    return roots


def check(path, lesson=None):
    """Check the workbook at `path` against lesson `lesson` ("01".."04"; default: detected)."""
    path = Path(path)
    if not path.is_file():
        raise CourseError(f"No workbook at {path}: check the file name.")
    try:
        with open(path, "rb") as file:
            if not zipfile.is_zipfile(file):
                raise CourseError(NOT_A_WORKBOOK.format(path=path))
    except PermissionError:
        raise CourseError(f"Cannot read {path}: another program has it open. Close it first.") from None
    notes = []
    if lock := locked_by(path):  # reading it is harmless, but unsaved edits are not in the file
        notes.append(f"{path.name} is open in a spreadsheet program ({lock.name} exists): this checks "
                     "what was last saved, so save it there first if you changed it.")
    formulas = _open(path, data_only=False)
    key = _lesson(path, formulas, lesson)
    engine, values = _values(path, formulas, _default(key).derived(), notes)
    # typed numbers as the file holds them: LibreOffice writes back only 15 digits
    values |= {a: v for a, v in formulas.items() if isinstance(v, numbers.Real) and not isinstance(v, bool)}
    sheet = _expected(key, values)
    if problems := _layout_problems(sheet, formulas):
        raise CourseError(f"{path.name} is not laid out like lesson {key}'s sheet: "
                          f"{'; '.join(problems[:3])}. Put them back as LAYOUTS.md has them.")
    compared = sorted((a for a, c in sheet.cells.items() if c.kind in ("input", "constant", "formula")),
                      key=xl_cell_to_rowcol)
    wrong = {}
    for a in compared:
        if not agree(sheet[a].value, values.get(a)):
            text = formulas.get(a) if str(formulas.get(a)).startswith("=") else None
            wrong[a] = Wrong(a, text, values.get(a), sheet[a].value, sheet[a].formula)
    if typed := [a for a in sheet.derived() if a not in wrong and not str(formulas.get(a)).startswith("=")]:
        notes.append(f"{_names(typed)}: right, but {TYPED}, so "
                     f"{'it' if len(typed) == 1 else 'they'} won't follow a change of inputs.")
    return Report(path, key, engine, len(compared), list(wrong.values()), _chains(sheet, wrong), notes)


def cli(path, lesson=None):
    """`python -m nbcourse check`: print the report; 0 when all agree, 1 when not."""
    report = check(path, lesson)
    print(report.text())
    return 0 if report.ok else 1


# -- in a notebook --------------------------------------------------------------------------

def check_in_notebook(path, lesson=None):
    """Print the report, or what is wrong with the file (no traceback); return the report or None."""
    try:
        report = check(path, lesson)
    except CourseError as problem:
        print(f"error: {problem}")
        return None
    print(report.text())
    return report


def uploader(lesson=None):
    """A widget: upload a workbook, read its report below the button."""
    import ipywidgets as widgets

    upload = widgets.FileUpload(accept=".xlsx", description="Check a workbook")
    out = widgets.Output()

    def on_upload(change):
        out.outputs = ()  # clear_output needs a kernel; this works in tests too
        for file in change.new:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / Path(file["name"]).name
                path.write_bytes(bytes(file["content"]))
                try:
                    out.append_stdout(check(path, lesson).text() + "\n")
                except CourseError as problem:
                    out.append_stdout(f"error: {problem}\n")

    upload.observe(on_upload, names="value")
    return widgets.VBox([upload, out])
