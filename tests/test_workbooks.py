"""The generated workbooks: up to date, live, and recalculated by LibreOffice to the
notebook's numbers, also after a learner changes their inputs."""

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from nbcourse.lessons import LESSONS
from nbcourse.libreoffice import recalculated_values
from nbcourse.sheet import agree
from nbcourse.workbook import to_bytes

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
    committed = (SPREADSHEETS / lesson.FILE).read_bytes()
    assert committed == to_bytes(lesson.sheets()), f"run `python -m nbcourse build` for {lesson.FILE}"
    assert to_bytes(lesson.sheets()) == to_bytes(lesson.sheets())  # stable content


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


@pytest.mark.libreoffice
@pytest.mark.parametrize("key", LESSONS)
def test_libreoffice_recalculates_to_the_python_values(soffice, key):
    lesson = LESSONS[key]
    values = recalculated_values(SPREADSHEETS / lesson.FILE)
    assert lesson.sheet().mismatches(values) == []


@pytest.mark.libreoffice
@pytest.mark.parametrize("key", CHANGES)
def test_changed_inputs_recalculate_to_the_course_maths(soffice, key, tmp_path):
    """A learner's edit of every input: the engine and nbcourse agree on every derived cell."""
    lesson, changes = LESSONS[key], CHANGES[key]
    copy = tmp_path / lesson.FILE
    shutil.copy(SPREADSHEETS / lesson.FILE, copy)
    book = openpyxl.load_workbook(copy)
    for address, value in changes.items():
        book.worksheets[0][address] = value
    book.save(copy)  # openpyxl drops the cached values: only a recalculation gives numbers
    values = recalculated_values(copy)
    expected = lesson.sheet(**lesson.arguments(values))
    assert all(values[a] == v for a, v in changes.items())
    assert expected.mismatches(values) == []
    # and the numbers did move: most derived cells differ from the article's
    before = lesson.sheet()
    moved = [a for a in before.derived() if not agree(before[a].value, values[a])]
    assert len(moved) > len(before.derived()) / 2
