"""Check a learner's workbook against the course's maths, for the learner's own inputs.

Each cell a learner works out (a blue cell of the blank) is right, wrong or still to do.
LibreOffice recalculates the workbook (forced, as the tests do) in a copy of its cells (the
learner's sheet first, whose values LibreOffice writes as CSV; no styles or drawings) where every
cell still to do holds the course's own formula (an emptied input, the course's number; a deleted
defined name, its cell), so a cell the learner filled in is judged by its own formula even
before the cells it reads are done. The course's sheet built from the learner's inputs gives
the expected value of every cell, and its formulas the chain between cells. Values decide, not
formula text: a learner may write an equivalent formula. A wrong cell downstream of another
wrong cell follows from it, so the report names the first wrong cell of each chain and sums up
what follows.

Workbooks come from anyone: files.admit() measures and copies each before anything opens it,
and LibreOffice runs with links and macros off. A class's folder takes one LibreOffice start
(check_many); a file that cannot be used is one line of the table, never the end of the run.

    from nbcourse.check import check_in_notebook, uploader
    check_in_notebook("../spreadsheets/blank/02-single-neuron-gradients.xlsx")  # prints the report
    uploader()  # a widget: upload a workbook (.xlsx or .ods), read its report
"""

import csv
import functools
import io
import math
import multiprocessing
import numbers
import os
import re
import tempfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils.cell import get_column_letter, range_boundaries
from xlsxwriter.utility import quote_sheetname, xl_cell_to_rowcol, xl_col_to_name

from nbcourse import files, libreoffice
from nbcourse.errors import CourseError
from nbcourse.lessons import LESSONS, layouts
from nbcourse.sheet import agree, in_words, listed, place, ranges

LISTED = 5  # mistakes described before "and N more"
TYPED = "typed a number instead of a formula"
# what a folder's workbooks may be called (the ones check refuses get a line saying why)
SUFFIXES = (".xlsx", ".ods", ".xlsm", ".xls", ".xlsb", ".numbers")
COLUMNS = ("file", "lesson", "right", "wrong", "to_do", "first_mistake", "problem")
MEANINGS = {"#NAME?": "a name the spreadsheet does not know: check the spelling of functions and names",
            "#REF!": "a reference to a cell that is gone", "#DIV/0!": "a division by zero",
            "#VALUE!": "text or an error where a number should be",
            "Err:522": "a circular reference: the formula reads its own cell, directly or through others",
            "#N/A": "a value that is not available (a link or web lookup, which the check never fetches)"}


@dataclass
class Wrong:
    address: str  # a cell, or a defined name
    formula: str | None  # the learner's; None where they typed a number
    got: object
    expected: object
    course_formula: str | None  # None for an input, a constant or a label
    followers: list = field(default_factory=list)  # for a root: the wrong cells downstream
    why: str | None = None  # the whole sentence, for an input, a label or a defined name


@dataclass
class Report:
    path: Path
    lesson: str  # "01" ...
    engine: str  # "LibreOffice", "cached values" (without LibreOffice) or "nothing" (nothing filled in)
    right: list  # cells filled in and agreeing, in sheet order
    wrong: list  # every Wrong, in sheet order (defined names first)
    roots: list  # the first wrong cell of each chain
    to_do: list  # cells (and defined names) still to fill in
    to_do_words: list = field(default_factory=list)  # the same, grouped in words
    right_words: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    judged_by_own_formula: bool = False  # cells still to do held the course's formulas

    @property
    def ok(self):
        return not self.wrong and not self.to_do

    @property
    def code(self):
        """The command line's exit code: 0 all there and right, 1 something wrong or to do."""
        return 0 if self.ok else 1

    @property
    def first_mistake(self):
        return self.roots[0].address if self.roots else ""

    @property
    def checked(self):
        return len(self.right) + len(self.wrong) + len(self.to_do)

    def counts(self):
        return f"{len(self.right):,} right, {len(self.wrong):,} wrong, {len(self.to_do):,} to do"

    def text(self):
        how = {"LibreOffice": "recalculated in LibreOffice", "cached values": "its stored values",
               "nothing": "nothing filled in yet"}[self.engine]
        lines = [*self.notes, f"Checked {self.path.name} as lesson {self.lesson} ({how}): {self.counts()}."]
        if self.ok:
            return "\n".join([*lines, f"All {len(self.right):,} cells are filled in and agree with the "
                                      "course's maths."])
        if self.right:
            lines.append(f"Right: {'; '.join(self.right_words)}.")
        if self.roots:
            lines.append(f"Wrong: {_count(self.roots, 'mistake')} to fix:")
            for root in self.roots[:LISTED]:
                lines.append(f"- {_describe(root)}")
                if root.followers:
                    one = len(root.followers) == 1
                    lines.append(f"  {_count(root.followers, 'cell')} follow{'s' if one else ''} from it: "
                                 f"{listed(root.followers)} (fix {root.address} first; "
                                 f"{'its own formula' if one else 'their own formulas'} may be right).")
            if len(self.roots) > LISTED:
                lines.append(f"- and {_count(self.roots[LISTED:], 'more mistake')}: "
                             f"{listed([r.address for r in self.roots[LISTED:]])}.")
        if self.to_do:
            lines.append(f"To do: {'; '.join(self.to_do_words)}.")
            if self.judged_by_own_formula and (self.right or self.wrong):
                lines.append("(While checking, each cell still to do held the course's own formula, so "
                             "each cell you filled in was judged by its own formula.)")
        return "\n".join(lines)

    __str__ = text

    def line(self):
        """One line of a class's table."""
        first = f"; first mistake {self.first_mistake}" if self.roots else ""
        stored = " (stored values)" if self.engine == "cached values" else ""
        return f"lesson {self.lesson}: {self.counts()}{first}{stored}"

    def row(self, name):
        return dict(file=name, lesson=self.lesson, right=len(self.right), wrong=len(self.wrong),
                    to_do=len(self.to_do), first_mistake=self.first_mistake, problem="")


@dataclass
class Unusable:
    """A file the check cannot use (missing, damaged, locked, another layout, too big ...)."""

    path: Path
    problem: str
    code = 2

    def line(self):
        return f"cannot be checked: {self.problem}"

    def row(self, name):
        return dict(file=name, lesson="", right="", wrong="", to_do="", first_mistake="",
                    problem=self.problem)


def _count(items, word):
    return f"{len(items):,} {word}{'' if len(items) == 1 else 's'}"


def _show(value, digits=10):
    if isinstance(value, bool):  # as a spreadsheet shows it
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    if isinstance(value, str) and value in MEANINGS:
        return f"{value} ({MEANINGS[value]})"
    return "nothing (empty)" if value is None else repr(value) if isinstance(value, str) else str(value)


def _plain(formula):
    return re.sub(r"[\s$]|_xlfn\.", "", formula).upper()


def _describe(w):
    if w.why:
        return w.why
    got, expected = _show(w.got), _show(w.expected)
    if got == expected:  # they differ beyond 10 digits: show all of them
        got, expected = _show(w.got, 17), _show(w.expected, 17)
    if w.formula is None:
        typed = isinstance(w.got, numbers.Number) and w.course_formula
        what = f"{TYPED} ({got})" if typed else f"holds {got}"
        how = f", with {w.course_formula}" if w.course_formula else ""
        return f"{w.address}: {what}; the course's maths gives {expected}{how}."
    same = w.course_formula and _plain(w.formula) == _plain(w.course_formula)
    return (f"{w.address}: your formula {w.formula} gives {got}; the course's maths gives {expected}"
            + ("." if same or not w.course_formula else f", e.g. with {w.course_formula}."))


# -- the chain ------------------------------------------------------------------------------

def precedents(formula, names, title=None, keep_names=False):
    """The cells a formula reads on its own sheet (`title`): references and ranges, read by
    openpyxl's tokenizer (so text in quotes is not a reference, and Sheet!A1 is another
    sheet's), and defined names (Tiny -> B11; with keep_names, "Tiny" too)."""
    folded = {name.casefold(): address for name, address in names.items()}
    for token in Tokenizer(formula).items:
        if token.type != Token.OPERAND or token.subtype != Token.RANGE:
            continue
        sheet, _, reference = token.value.rpartition("!")
        if sheet and sheet.strip("'").replace("''", "'") != title:
            continue  # another sheet's cell
        if reference.casefold() in folded:
            if keep_names:
                yield next(name for name in names if name.casefold() == reference.casefold())
            yield folded[reference.casefold()]
            continue
        try:
            left, top, right, bottom = range_boundaries(reference)
        except ValueError:  # a name the sheet does not define
            continue
        if None in (left, top, right, bottom):
            continue  # a whole column or row (A:A, 3:3): no cell of the chain
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                yield f"{get_column_letter(c)}{r}"


def _chains(sheet, wrong):
    """The roots among the wrong cells (and names), each with the wrong cells downstream of it.

    A root has no wrong cell anywhere upstream, not only among its direct precedents: after
    a wrong G10 in lesson 03 a later output may agree to 12 digits while output - target,
    a small difference of two close numbers, does not.
    """
    if not wrong:
        return []
    tainted = _downstream(sheet, wrong)
    roots = [w for a, w in wrong.items() if a not in tainted]
    for root in roots:
        root.followers = sorted(_downstream(sheet, [root.address]) & wrong.keys(), key=place)
    return roots


def _downstream(sheet, starts):
    """The cells whose formulas read, step by step, any of `starts` (cells or defined names)."""
    dependents = _dependents(sheet)
    seen, queue = set(), deque(starts)
    while queue:
        for after in dependents.get(queue.popleft(), ()):
            if after not in seen:
                seen.add(after)
                queue.append(after)
    return seen


@functools.lru_cache(maxsize=8)
def _in_order(sheet):
    """The sheet's cells row by row (the course's sheets are made once per set of inputs)."""
    return sorted(sheet.cells, key=place)


@functools.lru_cache(maxsize=8)
def _dependents(sheet):
    """{cell or defined name: the cells whose formulas read it} (the course's sheets are made
    once per set of inputs, so this is worked out once for each)."""
    dependents = {}
    for address in sheet.derived():
        for before in precedents(sheet[address].formula, sheet.names, sheet.title, keep_names=True):
            dependents.setdefault(before, []).append(address)
    return dependents


# -- reading a workbook ---------------------------------------------------------------------

def _load(name, path, cached=False):
    """The workbook's cells and names (files.read_xlsx), or a CourseError saying it does not read."""
    try:
        return files.read_xlsx(path, cached)
    except Exception:  # a zip that is not a workbook after all: damage shows as several kinds
        raise CourseError(f"{name} does not read as a workbook. {files.SAVE_AS}") from None


def _texts(cells):
    """{address: content} of a worksheet's filled cells: formulas as text (an array formula's too)."""
    return {a: c.value for a, c in cells.items() if not _empty(c.value)}


def _formula(value):
    return isinstance(value, str) and value.startswith("=")


@functools.lru_cache(maxsize=8)
def _extent(sheet):
    """How many rows and columns the sheet spans from A1."""
    return (max(place(a)[0] for a in sheet.cells) + 1, max(place(a)[1] for a in sheet.cells) + 1)


def _empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _plain_words(text):
    return " ".join(str(text).split()).casefold() if text is not None else ""


@functools.cache
def _default(key, blank):
    """The course's sheet of a layout, for the article's values."""
    return next(layout for layout in layouts(LESSONS[key]) if layout.blank == blank).sheet()


def _layout_problems(sheet, texts):
    """The course's header and label cells that the workbook lacks (case and spaces aside)."""
    return [f"{a} should say {value!r} but " + (f"says {texts[a]!r}" if a in texts else "is empty")
            for a, value, words in _words(sheet) if words != _plain_words(texts.get(a))]


@functools.lru_cache(maxsize=16)
def _words(sheet):
    """The sheet's headers and labels: (address, text, text without case and extra spaces)."""
    return [(a, c.value, _plain_words(c.value)) for a, c in sheet.cells.items()
            if c.kind in ("header", "label")]


def _find(name, book, key):
    """(the sheet's number in book.sheets, layout, texts) of the sheet laid out like a lesson's
    (most of its headers and labels: a lesson 04 workbook with more steps has its "Trained" label
    lower), or key's lesson's."""
    candidates = [layout for k in ([key] if key else LESSONS) for layout in layouts(LESSONS[k])]
    scores = []
    for number, (_, cells) in enumerate(book.sheets[:10]):
        texts = _texts(cells)
        for layout in candidates:
            default = _default(layout.lesson.KEY, layout.blank)
            share = len(_layout_problems(default, texts)) / max(1, len(_layout_problems(default, {})))
            scores.append((share, number, layout, texts))
            if share == 0:  # nothing can be closer (and lesson 04's big sheet need not be made)
                return number, layout, texts
    share, number, layout, texts = min(scores, key=lambda s: s[:2])
    if share < 0.5:
        return number, layout, texts
    first = next(s for s in scores if s[1] == 0 and s[2] is layout)  # the first sheet, closest lesson
    problems = "; ".join(_layout_problems(_default(layout.lesson.KEY, layout.blank), first[3])[:3])
    best = layout.lesson.KEY
    like = f"lesson {best}'s: {problems}" if key else f"any lesson's (closest, lesson {best}: {problems})"
    also = ", or leave out --lesson to detect the lesson" if key else ""
    raise CourseError(f"{name}'s first sheet is not laid out like {like}. Start from the blank "
                      f"spreadsheets/blank/{LESSONS[best].FILE}{also}.")


@functools.cache
def _tables(key, blank):
    """{column: (first row, last row)} of the course's sheet's columns of inputs, row after row:
    lesson 03's training inputs, lesson 04's samples. A workbook's table is as long
    as such a column runs without an empty cell (a learner may make it shorter or longer)."""
    rows = {}
    for address, cell in _default(key, blank).cells.items():
        if cell.kind == "input":
            row, column = place(address)
            rows.setdefault(column, []).append(row)
    tables = {}
    for column, found in rows.items():  # its longest run of rows, if three or more
        runs = []
        for row in sorted(found):
            if runs and runs[-1][1] == row - 1:
                runs[-1][1] = row
            else:
                runs.append([row, row])
        first, last = max(runs, key=lambda run: run[1] - run[0])
        if last - first >= 2:
            tables[column] = (first, last)
    return tables


def _as_table(cells, tables, fill):
    """`cells` with a table read as the learner means it: an emptied
    cell with the table going on below it holds fill(address), so it is to do and the rows after
    it are still checked (they were not, and the check said "all right"); text under the table
    (a "Total" label) is not a row of it."""
    lowest, under = {}, []
    for address, value in cells.items():
        row, column = place(address)
        if column in tables:
            first, last = tables[column]
            if row > last and isinstance(value, str) and not _formula(value):
                under.append(address)
            elif first <= row <= last and not _empty(value):
                lowest[column] = max(lowest.get(column, row), row)
    holes = [f"{xl_col_to_name(column)}{row + 1}" for column, (first, _) in tables.items()
             for row in range(first, lowest.get(column, first))]
    holes = {address for address in holes if _empty(cells.get(address))}
    if not holes and not under:
        return cells
    return {a: v for a, v in cells.items() if a not in under} | {a: fill(a) for a in holes}


@functools.lru_cache(maxsize=64)
def _course_sheet(key, blank, arguments):
    layout = next(layout for layout in layouts(LESSONS[key]) if layout.blank == blank)
    return layout.sheet(**{k: _unfreeze(v) for k, v in arguments})


def _freeze(value):
    return tuple(map(_freeze, value)) if isinstance(value, list | tuple) else value


def _unfreeze(value):
    return list(map(_unfreeze, value)) if isinstance(value, tuple) else value


def _arguments(layout, cells):
    """The layout's sheet() keywords for the inputs in `cells`, frozen (a key for _course_sheet),
    once the course's sheet for them is known to be made (a bad input: a CourseError)."""
    key = tuple((k, _freeze(v)) for k, v in sorted(layout.arguments(cells).items()))
    try:
        _course_sheet(layout.lesson.KEY, layout.blank, key)
    except CourseError as problem:
        raise CourseError(f"Your inputs: {problem}") from None
    except ArithmeticError:  # Python raises where a spreadsheet shows #NUM! (a target of 1e200, squared)
        sizes = {a: abs(v) for a in layout.inputs if _number(v := cells.get(a))}
        largest = max(sizes, key=sizes.get, default=None)
        if largest is None:
            raise CourseError("Your inputs are too large for the course's maths: type numbers of "
                              "everyday size, as the course's.") from None
        usual = _default(layout.lesson.KEY, layout.blank).value(largest)
        raise CourseError(f"Your inputs are too large for the course's maths: with {_show(cells[largest])} "
                          f"in {largest}, a number grows beyond what a computer can hold. Type a number of "
                          f"everyday size in {largest} (the course's is {_show(usual)}).") from None
    return key


def _course(layout, cells):
    """The course's sheet for the inputs in `cells` (the same inputs: made once)."""
    return _course_sheet(layout.lesson.KEY, layout.blank, _arguments(layout, cells))


# -- one workbook, step by step -------------------------------------------------------------

class _Job:
    """One workbook on its way through check_many(); `result` is set when it is done."""

    def __init__(self, path, number, folder):
        self.path, self.stem, self.folder = Path(path), f"{number:05d}", Path(folder)
        self.result = None
        self.notes = []

    def attempt(self, step, *args):
        if self.result is None:
            try:
                step(*args)
            except CourseError as problem:
                self.result = Unusable(self.path, str(problem))

    def admit(self):
        if lock := files.locked_by(self.path):  # reading is harmless, but unsaved edits are not in the file
            self.notes.append(f"{self.path.name} is open in a spreadsheet program ({lock.name} exists): "
                              "this checks what was last saved, so save it there first if you changed it.")
        self.admitted = files.admit(self.path, self.folder, self.stem)
        self.source = self.admitted.path  # the .xlsx whose formulas are read (an .ods's is converted)

    def read(self, key, engine):
        """Find the lesson, what is filled in and what is still to do; with LibreOffice, write the
        copy to recalculate (cells only, the learner's sheet first), where what is still to do
        holds the course's formulas; without it, keep the values the file stores."""
        # the values a file stores are only used without LibreOffice, or for an .ods it converted
        book = _load(self.path.name, self.source, engine != "LibreOffice" or self.admitted.kind == "ods")
        if not book.sheets:
            raise CourseError(f"{self.path.name} has no sheet of cells. {files.SAVE_AS}")
        number, layout, self.texts = _find(self.path.name, book, key)
        self.words = {a for a, c in book.sheets[number][1].items() if c.kind == "s"}
        self.title, self.layout_key = book.sheets[number][0], (layout.lesson.KEY, layout.blank)
        # the course's sheet for the learner's inputs as far as they are typed numbers (an empty or
        # bad one: the course's): the cells to compare, and the formulas to complete with
        cells = dict(self.texts)
        default = _default(*self.layout_key)
        for address in layout.inputs:
            if not _number(cells.get(address)) and address in default.cells:
                cells[address] = default.value(address)
        cells = _as_table(cells, _tables(*self.layout_key), default.value)
        self.shape_key = _arguments(layout, cells)
        shape = self.shape
        self.empty = {a for a, c in shape.cells.items()
                      if c.kind in ("input", "constant", "formula", "header", "label")
                      and a not in self.texts}
        self.names = self._names(book, number)
        complete = [a for a in self.empty if shape[a].kind in ("input", "constant", "formula")]
        self.rewritten = bool(complete or any(self.names.values()))
        self.engine, self.to_recalculate, self.got = engine, None, {}
        if not any(a in self.texts for a in shape.to_fill()) and not any(
                _formula(self.texts.get(a)) for a in layout.inputs):
            self.engine = "nothing"  # nothing filled in: nothing to calculate
        elif engine != "LibreOffice" or (self.admitted.kind == "ods" and not self.rewritten):
            # the values the file stores (an .ods's, as LibreOffice calculated them converting it)
            self.got = {a: c.cached if c.kind == "f" else c.value for a, c in book.sheets[number][1].items()}
            self.got = {a: v for a, v in self.got.items() if v is not None}
        else:
            page = dict(book.sheets[number][1])
            for address in complete:
                cell = shape[address]
                page[address] = (files.Cell(cell.formula, "f") if cell.formula else
                                 files.Cell(cell.value, "n" if _number(cell.value) else "s"))
            sheets = [(self.title, page)] + [sheet for n, sheet in enumerate(book.sheets) if n != number]
            order = [number] + [n for n in range(len(book.sheets)) if n != number]
            self.to_recalculate = self.folder / f"{self.stem}-completed.xlsx"
            files.write_xlsx(self.to_recalculate, sheets, self._define(book, order))

    @property
    def layout(self):
        key, blank = self.layout_key
        return next(layout for layout in layouts(LESSONS[key]) if layout.blank == blank)

    @property
    def shape(self):
        """The course's sheet for the learner's typed inputs (made once for the same inputs)."""
        return _course_sheet(*self.layout_key, self.shape_key)

    def _names(self, book, number):
        """{name: None (as the course's), "missing", or where the learner's name points}."""
        from openpyxl.workbook.defined_name import DefinedName  # it reads what a name stands for

        found = {}
        for local in (None, number):  # the workbook's names, then the sheet's own
            for name, sheet, text in book.names:
                if sheet == local:
                    found[name.casefold()] = DefinedName(name, attr_text=text)
        state = {}
        for name, address in self.shape.names.items():
            defined = found.get(name.casefold())
            if defined is None:
                state[name] = "missing"
                continue
            try:
                places = list(defined.destinations)
            except Exception:  # a name for a formula or constant, not a cell
                places = []
            # openpyxl keeps a quoted sheet name's doubled quote: 'Neil''s sheet'!$B$11
            ok = [(sheet.replace("''", "'"), cells.replace("$", "")) for sheet, cells in places] == [
                (self.title, address)]
            state[name] = None if ok else (defined.attr_text or "nothing")
        return state

    def _define(self, book, order):
        """The copy's defined names: the learner's (for the sheets in their new `order`), except
        that each course name the learner lacks, or points elsewhere, stands for its cell."""
        fixed = {name.casefold(): name for name, state in self.names.items() if state is not None}
        names = [(name, None if sheet is None else order.index(sheet), text) for name, sheet, text
                 in book.names if name.casefold() not in fixed]
        for name in fixed.values():
            row, column = xl_cell_to_rowcol(self.shape.names[name])
            names.append((name, None, f"{quote_sheetname(self.title)}!${xl_col_to_name(column)}${row + 1}"))
        return names

    def values(self, recalculated):
        """The cell values to judge: LibreOffice's (its CSV of the copy's first sheet, the
        learner's), or the values the file stores (kept by read())."""
        if self.engine == "nothing":
            return
        if self.to_recalculate is not None:
            rows, columns = _extent(self.shape)
            self.got = libreoffice.csv_values(recalculated, rows, columns)
        elif self.engine != "LibreOffice":
            formulas = [a for a in self.shape.derived() if _formula(self.texts.get(a))]
            if formulas and not any(a in self.got for a in formulas):
                raise CourseError(f"{self.path.name} holds no calculated values (a program that does not "
                                  "calculate, such as openpyxl, saved it), so nothing can be checked "
                                  f"without LibreOffice. {libreoffice.INSTALL_HINT}")

    def judge(self):
        layout, shape, texts = self.layout, self.shape, self.texts
        values = dict(self.got)
        # typed numbers as the file holds them, every digit (LibreOffice writes back 15), as the
        # copy LibreOffice calculated holds them too
        values |= {a: v for a, v in texts.items() if _number(v)}
        cells, bad = dict(values), {}
        for address in layout.inputs:
            if address in self.empty or address not in shape.cells:
                cells[address] = shape.value(address) if address in shape.cells else None
            elif not _number(values.get(address)):
                bad[address], cells[address] = values.get(address), shape.value(address)
        cells = _as_table(cells, _tables(*self.layout_key), shape.value)
        expected = _course(layout, cells)
        recalculated = self.engine != "cached values"
        waiting = set() if recalculated else _downstream(expected, self.empty)
        key = layout.lesson.KEY
        right, wrong, to_do, waits = [], {}, [], []
        for name, state in self.names.items():
            if state == "missing":
                to_do.append(name)
            elif state is not None:
                wrong[name] = Wrong(name, None, state, expected.names[name], None, why=(
                    f"The name {name} stands for {state}, where the course's sheet has it for "
                    f"{expected.names[name]}: define {name} for {expected.names[name]} again."))
        for a in _in_order(expected):
            cell, text = expected[a], texts.get(a)
            if cell.kind not in ("input", "constant", "formula", "header", "label"):
                continue
            if a in self.empty or a not in shape.cells:
                to_do.append(a)
            elif cell.kind in ("header", "label"):
                if _plain_words(text) != _plain_words(cell.value):
                    wrong[a] = Wrong(a, None, text, cell.value, None, why=(
                        f"{a} says {text!r} where the course's sheet says {cell.value!r}: put the "
                        "course's words back (the check finds each cell by its place)."))
            elif cell.kind == "input":
                if a in bad:
                    what = _called(layout.inputs[a], expected)
                    wrong[a] = Wrong(a, None, bad[a], cell.value, None, why=(
                        f"{a} holds {_show(bad[a])}, not a number: lesson {key} reads its {what} "
                        f"there. Type a number in {a} (the course's is {_show(cell.value)})."))
                elif not agree(cell.value, values.get(a)):
                    formula = text if _formula(text) else None
                    wrong[a] = Wrong(a, formula, values.get(a), cell.value, None, why=(
                        f"{a} holds {_show(values.get(a))}, where the course's sheet, made from the "
                        f"inputs lesson {key} reads ({listed(ranges(layout.inputs))}), has "
                        f"{_show(cell.value)}: type {_show(cell.value)} in {a}."))
            elif a in waiting:
                waits.append(a)
            elif agree(cell.value, values.get(a)) and not isinstance(values.get(a), bool):
                right.append(a)  # TRUE is not the number 1, though Python's True == 1
            else:
                words = a in self.words  # text, even if it looks like a formula
                formula = text if _formula(text) and not words else None
                wrong[a] = Wrong(a, formula, values.get(a), cell.value, cell.formula,
                                 why=_as_text(a, text, cell.value) if words else None)
        if typed := [a for a in right if expected[a].formula and not _formula(texts.get(a))]:
            self.notes.append(f"{listed(typed)}: right, but {TYPED}, so "
                              f"{'it' if len(typed) == 1 else 'they'} won't follow a change of inputs.")
        if not recalculated:
            self.notes.insert(0, "LibreOffice is not installed, so this compares the values your "
                                 "spreadsheet program saved instead of recalculating them. "
                                 f"{libreoffice.INSTALL_HINT}")
        words = self._to_do_words(expected, to_do)
        if waits:
            words.append(f"{listed(ranges(waits))} (filled in, but they read cells still to do: without "
                         "LibreOffice they are judged once those are done)")
        self.result = Report(self.path, key, self.engine, right, list(wrong.values()),
                             _chains(expected, wrong), to_do + waits, words,
                             in_words(expected, right), self.notes, judged_by_own_formula=self.rewritten)

    def _to_do_words(self, expected, to_do):
        cells = [a for a in to_do if a in expected.cells]
        words = in_words(expected, [a for a in cells if expected[a].kind in ("formula", "constant")])
        inputs = {}
        for a in cells:
            if expected[a].kind == "input":
                inputs.setdefault(expected.value(a), []).append(a)
            elif expected[a].kind in ("header", "label"):
                words.append(f"{a} (the words {expected.value(a)!r})")
        for value, addresses in inputs.items():
            what = _called(self.layout.inputs.get(addresses[0], ""), expected)
            what = f"{what}: " if len(addresses) == 1 and what else ""
            words.append(f"{listed(ranges(addresses))} ({what}type back {_show(value)}, the course's "
                         f"number{'s' if len(addresses) > 1 else ''})")
        words += [f"the name {name} for {expected.names[name]} (define it again)"
                  for name in to_do if name in expected.names]
        return words


def _as_text(address, text, expected):
    """Why a cell holding text that looks like a formula or a number is wrong (None for other
    text): a cell formatted as text before typing keeps what is typed as words."""
    try:
        what = "a formula" if _formula(text) else "a number" if _number(float(text)) else None
    except ValueError:
        what = None
    if what is None:
        return None
    return (f"{address} holds the text {text!r}, not {what}: its cell is formatted as text (or what you "
            f"typed began with an apostrophe). Format {address} as a number (General), then type "
            f"{text.strip()} in it again; the course's maths gives {_show(expected)}.")


def _called(keyword, sheet):
    """An input's name in words: "input1" -> "input 1", "tiny" -> its defined name "Tiny"."""
    for name in sheet.names:
        if name.casefold() == keyword.casefold():
            return name
    return re.sub(r"(\D)(\d)", r"\1 \2", keyword.replace("_", " "))


def check_many(paths, lesson=None):
    """Check many workbooks with one LibreOffice start: a Report, or an Unusable saying why the
    file cannot be checked, for each of `paths` in order. With many, each workbook's own reading
    and judging runs in one of two processes (one a core), kept for both steps (each has the
    course's sheets it made); LibreOffice converts them all between, and each workbook is judged
    as soon as LibreOffice is done with it, while it goes on with the next."""
    engine = "LibreOffice" if libreoffice.find_soffice() is not None else "cached values"
    with tempfile.TemporaryDirectory(prefix="nbcourse-check-") as folder, _workers(len(paths)) as pool:
        jobs = [_Job(path, number, folder) for number, path in enumerate(paths)]
        _each(pool, jobs, _Job.admit)
        ods = [job for job in jobs if job.result is None and job.admitted.kind == "ods"]
        if ods and engine != "LibreOffice":
            for job in ods:
                job.result = Unusable(job.path, f"{job.path.name} is an .ods workbook, which the check "
                                                f"reads through LibreOffice. {libreoffice.INSTALL_HINT}")
        elif ods:  # LibreOffice writes their formulas as .xlsx (and recalculates them)
            converted = libreoffice.convert([j.source for j in ods], "xlsx", Path(folder) / "ods",
                                            names=[j.path.name for j in ods])
            for job, result in zip(ods, converted, strict=True):
                job.attempt(_converted, job, result)
        _each(pool, jobs, _read, lesson, engine)
        again = [n for n, job in enumerate(jobs) if job.result is None and job.to_recalculate is not None]
        judged = {}

        def ready(i, result):  # LibreOffice is done with again[i]
            jobs[again[i]].recalculated = result
            judged[again[i]] = pool.submit(_attempt, _judge, jobs[again[i]])

        if again:
            libreoffice.convert([jobs[n].to_recalculate for n in again], "csv", Path(folder) / "recalculated",
                                names=[jobs[n].path.name for n in again], ready=ready)
        for number, job in enumerate(jobs):
            if job.result is None and number not in judged:
                judged[number] = pool.submit(_attempt, _judge, job)
        for number, future in judged.items():
            jobs[number] = future.result()
        return [job.result for job in jobs]


def _each(pool, jobs, step, *args):
    """step(job, *args) for each job not done yet, in the pool; the jobs as it left them."""
    for number, future in [(n, pool.submit(_attempt, step, job, *args))
                           for n, job in enumerate(jobs) if job.result is None]:
        jobs[number] = future.result()


PARALLEL = 4  # workbooks from which their reading and judging is shared between processes


def _workers(count):
    """Where `count` workbooks are read and judged: two processes when there are many (and the
    system can fork), else a thread of this process (judging while LibreOffice goes on)."""
    workers = min(2, os.cpu_count() or 1)
    if count < PARALLEL or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return ThreadPoolExecutor(1)
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))


def _attempt(step, job, *args):
    job.attempt(step, job, *args)
    return job


def _read(job, lesson, engine):
    job.read(lesson, engine)


def _judge(job):
    result = getattr(job, "recalculated", None)
    if isinstance(result, CourseError):
        raise result
    job.values(result)
    job.judge()


def _converted(job, result):
    if isinstance(result, CourseError):
        raise result
    job.source = result


def check(path, lesson=None):
    """Check the workbook at `path` against lesson `lesson` ("01".."04"; default: detected).
    Returns the Report; a file that cannot be checked raises CourseError saying why."""
    (result,) = check_many([path], lesson)
    if isinstance(result, Unusable):
        raise CourseError(result.problem)
    return result


# -- the command line -----------------------------------------------------------------------

def workbooks(arguments):
    """The files to check: each FILE, and each spreadsheet in each FOLDER (and its folders),
    leaving out hidden files and the lock files of open workbooks."""
    found = []
    for argument in map(Path, arguments):
        if argument.is_dir():
            inside = sorted(p for p in argument.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                            and not any(part.startswith((".", "~$"))
                                        for part in p.relative_to(argument).parts))
            if not inside:
                raise CourseError(f"No workbooks (.xlsx or .ods) in {argument}.")
            found += inside
        else:
            found.append(argument)
    return found


def cli(paths, lesson=None, table=None):
    """`python -m nbcourse check FILE... | FOLDER [--csv PATH]`: one FILE gets its report;
    several, or a folder, one line each. Exit code: the worst of the files' (0 every cell
    there and right, 1 something wrong or to do, 2 a file that cannot be checked)."""
    if isinstance(paths, str | Path):
        paths = [paths]
    files_ = workbooks(paths)
    if table is not None:
        _may_write(Path(table), files_)
    results = check_many(files_, lesson)
    if table is not None:
        _write(Path(table), files_, results)
    if len(paths) == 1 and not Path(paths[0]).is_dir():
        (result,) = results
        if isinstance(result, Unusable):
            raise CourseError(result.problem)
        print(result.text())
    else:
        width = max(len(str(p)) for p in files_)
        for path, result in zip(files_, results, strict=True):
            print(f"{str(path):<{width}}  {result.line()}")
        codes = [r.code for r in results]
        print(f"{len(results)} workbooks: {codes.count(0)} all right, {codes.count(1)} with something "
              f"wrong or to do, {codes.count(2)} that cannot be checked.")
    if table is not None:
        print(f"The table is in {table}.")
    return max(r.code for r in results)


def _may_write(table, paths):
    """Refuse to write the table over a workbook, or over a file that is not an earlier table."""
    if table.resolve() in {p.resolve() for p in paths}:
        raise CourseError(f"--csv {table} is one of the workbooks to check: name another file.")
    if table.exists():
        try:
            with open(table, encoding="utf-8") as file:
                first = file.readline().strip()
        except (OSError, UnicodeDecodeError):
            first = ""
        if first != ",".join(COLUMNS):
            raise CourseError(f"{table} exists and is not a table that check wrote: name another "
                              "file, so nothing of yours is overwritten.")


def _write(table, paths, results):
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for path, result in zip(paths, results, strict=True):
        writer.writerow({k: _no_formula(v) for k, v in result.row(str(path)).items()})
    files.write_atomic(table, out.getvalue().encode("utf-8"))


def _no_formula(value):
    """A text a spreadsheet would take for a formula (a learner's file named =HYPERLINK(...).xlsx,
    or -x.xlsx), opening the table, gets an apostrophe before it: kept as text, and shown without it."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


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
    """A widget: upload a workbook (.xlsx or .ods), read its report below the button."""
    import ipywidgets as widgets

    upload = widgets.FileUpload(accept=".xlsx,.ods", description="Check a workbook")
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
