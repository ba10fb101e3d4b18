"""The generated workbooks: up to date, live, and recalculated by LibreOffice to the
notebook's numbers, also after a learner changes their inputs."""

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from nbcourse.lessons import LESSONS, blank_layout
from nbcourse.sheet import agree
from nbcourse.workbook import blank_bytes, to_bytes

SPREADSHEETS = Path(__file__).resolve().parent.parent / "spreadsheets"
# new values for every input cell a learner might change, per lesson (lesson 04's own
# tests edit its larger workbook: tests/test_lesson04.py)
CHANGES = {
    "01": {"A2": 0.3, "B2": -0.2, "C2": 1.1, "D2": -0.4, "E2": 0.05, "H2": -0.3},
    "02": {"B2": 0.9, "C2": -0.7, "D2": 0.25, "G2": 0.1, "B11": 0.001},
    "03": {"A2": 0.35, "G3": -0.2, "I3": 0.8, **{f"C{r}": 0.02 for r in range(3, 1003)}},
}


@pytest.mark.parametrize("key", LESSONS)
def test_committed_workbook_is_what_build_makes(key):
    lesson = LESSONS[key]
    # byte for byte: the committed file was built in another process at another time, so this
    # also proves the build stable (no time stamps, no set order)
    committed, built = (SPREADSHEETS / lesson.FILE).read_bytes(), to_bytes(lesson.sheets())
    assert committed == built, f"run `python -m nbcourse build` for {lesson.FILE}"


@pytest.mark.parametrize("key", LESSONS)
def test_workbook_has_live_formulas_names_and_no_macros(key):
    lesson, sheet = LESSONS[key], LESSONS[key].sheet()
    path = SPREADSHEETS / lesson.FILE
    book = openpyxl.load_workbook(path)
    page = book.worksheets[0]
    assert page.title == sheet.title
    for address, cell in sheet.cells.items():
        assert page[address].value == (cell.formula or cell.value), address
    for name, address in sheet.names.items():
        assert book.defined_names[name].attr_text.endswith("$" + "$".join(_split(address)))
    assert page.freeze_panes == sheet.freeze
    assert all(page[a].font.b for a, cell in sheet.cells.items() if cell.kind == "header")
    assert not any(n.startswith("xl/vbaProject") for n in zipfile.ZipFile(path).namelist())


def _split(address):
    column = address.rstrip("0123456789")
    return column, address[len(column):]


@pytest.mark.parametrize("key", LESSONS)
def test_cached_values_are_the_python_values(key):
    """Previewers and pandas.read_excel read the cached values without recalculating."""
    sheet = LESSONS[key].sheet()
    cached = openpyxl.load_workbook(SPREADSHEETS / LESSONS[key].FILE, data_only=True).worksheets[0]
    assert sheet.mismatches({a: cached[a].value for a in sheet.derived()}) == []
    frame = pd.read_excel(SPREADSHEETS / LESSONS[key].FILE, header=None)
    assert frame.notna().sum().sum() == sum(1 for c in sheet.cells.values() if c.value is not None)


def test_part3_has_a_native_loss_chart():
    page = openpyxl.load_workbook(SPREADSHEETS / LESSONS["03"].FILE).worksheets[0]
    with zipfile.ZipFile(SPREADSHEETS / LESSONS["03"].FILE) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "<c:lineChart>" in chart and "$Q$3:$Q$1002" in chart and "$O$3:$O$1002" in chart
    assert page.max_row == 1002


def values_of(path):
    book = openpyxl.load_workbook(path, data_only=True)
    return {c.coordinate: c.value for row in book.worksheets[0].iter_rows() for c in row
            if c.value is not None}


@pytest.fixture(scope="module")
def engine(tmp_path_factory, testrun_uid):
    from tests.test_check import once

    return once(tmp_path_factory, testrun_uid, "engine", lambda: recalculated(tmp_path_factory))


def recalculated(tmp_path_factory):
    """One LibreOffice start for this module: {(what, key): the recalculated workbook's first sheet's
    values}, for the course's workbooks 01-03 (lesson 04's, both sheets, in tests/test_lesson04.py),
    copies with a learner's new inputs, and the blanks."""
    from nbcourse.libreoffice import convert, find_soffice

    if find_soffice() is None:
        return None
    folder = tmp_path_factory.mktemp("engine")
    jobs = {("course", key): SPREADSHEETS / LESSONS[key].FILE for key in CHANGES}
    for key, changes in CHANGES.items():
        book = openpyxl.load_workbook(SPREADSHEETS / LESSONS[key].FILE)
        for address, value in changes.items():
            book.worksheets[0][address] = value
        copy = folder / f"changed-{LESSONS[key].FILE}"
        book.save(copy)  # openpyxl drops the cached values: only a recalculation gives numbers
        jobs["changed", key] = copy
    jobs |= {("blank", key): SPREADSHEETS / "blank" / LESSONS[key].FILE for key in LESSONS}
    results = convert(jobs.values(), "xlsx", folder / "out")
    return {job: values_of(result) for job, result in zip(jobs, results, strict=True)}


@pytest.mark.libreoffice
@pytest.mark.parametrize("key", CHANGES)
def test_libreoffice_recalculates_to_the_python_values(soffice, engine, key):
    assert LESSONS[key].sheet().mismatches(engine["course", key]) == []


@pytest.mark.libreoffice
@pytest.mark.parametrize("key", CHANGES)
def test_changed_inputs_recalculate_to_the_course_maths(soffice, engine, key):
    """A learner's edit of every input: the engine and nbcourse agree on every derived cell."""
    lesson, changes, values = LESSONS[key], CHANGES[key], engine["changed", key]
    expected = lesson.sheet(**lesson.arguments(values))
    assert all(values[a] == v for a, v in changes.items())
    assert expected.mismatches(values) == []
    # and the numbers did move: most derived cells differ from the article's
    before = lesson.sheet()
    moved = [a for a in before.derived() if not agree(before[a].value, values[a])]
    assert len(moved) > len(before.derived()) / 2


# -- the blanks ----------------------------------------------------------------------------------

BLANKS = SPREADSHEETS / "blank"


@pytest.mark.parametrize("key", LESSONS)
def test_committed_blank_is_what_build_makes(key):
    lesson = LESSONS[key]
    assert (BLANKS / lesson.FILE).read_bytes() == blank_bytes(lesson), \
        f"run `python -m nbcourse build` for blank/{lesson.FILE}"


@pytest.mark.parametrize("key", ["01", "02", "03"])
def test_a_blank_is_the_course_workbook_with_the_worked_out_cells_empty(key):
    """Cell by cell against the committed course workbook: the same words, inputs and names;
    empty where the course has a formula (or, for lesson 02's D3, the constant 1)."""
    lesson = LESSONS[key]
    course, blank = (openpyxl.load_workbook(folder / lesson.FILE) for folder in (SPREADSHEETS, BLANKS))
    page, empty = course.worksheets[0], blank.worksheets[0]
    assert empty.title == page.title and blank.sheetnames == [page.title, "How to"]
    constants = {"02": {"D3"}}.get(key, set())
    filled = 0
    for row in page.iter_rows():
        for cell in row:
            mine = empty[cell.coordinate]
            if str(cell.value).startswith("=") or cell.coordinate in constants:
                assert mine.value is None, cell.coordinate
                assert mine.fill.fgColor.rgb == "FFE8F1FB"  # blue, D3 too: fill me in
                filled += 1
            else:
                assert mine.value == cell.value, cell.coordinate
    assert filled == len(lesson.sheet().to_fill())
    assert {n: d.attr_text for n, d in blank.defined_names.items()} == \
        {n: d.attr_text for n, d in course.defined_names.items()}
    assert empty.freeze_panes == page.freeze_panes


@pytest.mark.parametrize("key", LESSONS)
def test_a_blank_says_what_to_fill_in_and_how_to_check_it(key):
    lesson = LESSONS[key]
    book = openpyxl.load_workbook(BLANKS / lesson.FILE)
    words = "\n".join(str(c.value) for c in book["How to"]["A"] if c.value)
    assert f"python -m nbcourse check spreadsheets/blank/{lesson.FILE}" in words
    assert f'check_in_notebook("../spreadsheets/blank/{lesson.FILE}")' in words
    assert "right, which are wrong" in words and "still to do" in words
    sheet = book.worksheets[0]
    for part in blank_layout(lesson).sheet().parts:
        assert f"({part.name})" in words
    assert "How to" in sheet["A1"].comment.text  # a note on the first sheet points there
    assert not any(n.startswith("xl/vbaProject") for n in zipfile.ZipFile(BLANKS / lesson.FILE).namelist())


@pytest.mark.libreoffice
@pytest.mark.parametrize("key", LESSONS)
def test_libreoffice_opens_the_blanks_to_empty_cells(soffice, engine, key):
    """No cached value hides in a blank: LibreOffice reads its worked-out cells as empty, and its
    inputs as the course's numbers (to LibreOffice's 15 digits)."""
    values, sheet = engine["blank", key], blank_layout(LESSONS[key]).sheet()
    assert all(a not in values for a in sheet.to_fill())
    assert all(agree(c.value, values[a]) for a, c in sheet.cells.items() if c.kind == "input")


def test_another_xlsxwriter_fails_loudly(monkeypatch):
    """The number writer overrides a private method of the pinned XlsxWriter."""
    import xlsxwriter

    from nbcourse import workbook
    from nbcourse.errors import CourseError

    monkeypatch.setattr(xlsxwriter, "__version__", "9.9.9")
    with pytest.raises(CourseError, match=r"XlsxWriter 3\.3\.1 .* but XlsxWriter 9\.9\.9 is installed"):
        to_bytes(LESSONS["01"].sheets())
    pins = (SPREADSHEETS.parent / "pyproject.toml").read_text()
    assert f'"xlsxwriter=={workbook.XLSXWRITER}"' in pins  # the version checked is the one pinned
