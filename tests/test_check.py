"""`python -m nbcourse check`: a learner's workbook against the course's maths.

Learners' workbooks are made here the way a learner's program would leave them:
copies of the course's workbooks edited by openpyxl (which keeps the formulas and
drops every cached value), or written from scratch with openpyxl.
"""

import datetime
import math
import shutil
from pathlib import Path

import openpyxl
import pytest

from nbcourse import check, libreoffice
from nbcourse.__main__ import main
from nbcourse.errors import CourseError
from nbcourse.lessons import LESSONS, lesson01, lesson02, lesson03
from nbcourse.sheet import formula, header
from nbcourse.workbook import to_bytes

SPREADSHEETS = Path(__file__).resolve().parent.parent / "spreadsheets"


def committed(key):
    return SPREADSHEETS / LESSONS[key].FILE


def edited(tmp_path, key, changes, name="learner.xlsx"):
    """A copy of lesson `key`'s workbook with some cells changed, saved by openpyxl."""
    book = openpyxl.load_workbook(committed(key))
    for address, value in changes.items():
        book.worksheets[0][address] = value
    path = tmp_path / name
    book.save(path)
    return path


@pytest.fixture
def no_libreoffice(monkeypatch):
    """LibreOffice absent, as far as nbcourse can tell."""
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: None)


def cached_workbook(tmp_path, sheet):
    """A workbook whose stored values are `sheet`'s (as a spreadsheet program would save it)."""
    path = tmp_path / "cached.xlsx"
    path.write_bytes(to_bytes([sheet]))
    return path


# -- with LibreOffice ------------------------------------------------------------------------

@pytest.mark.libreoffice
@pytest.mark.parametrize("key", LESSONS)
def test_the_course_workbooks_check_clean(soffice, key, capsys):
    assert check.cli(committed(key)) == 0
    out = capsys.readouterr().out
    assert f"as lesson {key} (recalculated in LibreOffice)" in out
    assert "agree with the course's maths" in out


@pytest.mark.libreoffice
def test_a_wrong_formula_is_the_root_and_the_chain_follows(soffice, tmp_path, capsys):
    """Lesson 02: E3 = 1 - F2 instead of 1 - F2^2; E4, and B4, C4, D4 through it, follow."""
    path = edited(tmp_path, "02", {"E3": "=1-F2"})
    report = check.check(path)
    assert not report.ok and report.engine == "LibreOffice"
    (root,) = report.roots
    output = math.tanh(0.4 * 0.5 + 0.6)
    assert root.address == "E3" and root.formula == "=1-F2" and root.course_formula == "=1-F2^2"
    assert root.got == pytest.approx(1 - output, rel=1e-12)
    assert root.expected == pytest.approx(1 - output**2, rel=1e-12)
    assert set(root.followers) == {"E4", "B4", "C4", "D4"}
    assert {w.address for w in report.wrong} == {"E3", "E4", "B4", "C4", "D4"}

    assert check.cli(path) == 1
    text = capsys.readouterr().out
    assert "E3: your formula =1-F2 gives 0.3359632297; the course's maths gives 0.5590551677" in text
    assert "e.g. with =1-F2^2" in text
    assert "4 cells follow from it: B4, C4, D4, E4 (fix E3 first" in text
    assert "1 mistake to fix" in text and "E4:" not in text  # the followers are not listed as mistakes


@pytest.mark.libreoffice
def test_right_formulas_without_cached_values_check_clean(soffice, tmp_path):
    """Lesson 01 typed from scratch with openpyxl: the learner's own inputs, no stored values."""
    book = openpyxl.Workbook()
    page = book.active
    page.append(list(lesson01.HEADERS))
    page.append([0.1, 0.2, 0.3, 0.4, 0.5, "=A2*C2 + B2*D2 + E2", "=tanh(F2)", 0.6, "=(G2-H2)*(G2-H2)"])
    path = tmp_path / "mine.xlsx"
    book.save(path)
    assert openpyxl.load_workbook(path, data_only=True).active["F2"].value is None  # no cache

    report = check.check(path)
    assert report.ok and report.lesson == "01", report.text()
    assert report.checked == 9  # 6 inputs and 3 formulas, each in a different spelling than ours


@pytest.mark.libreoffice
def test_changed_inputs_with_the_right_formulas_check_clean(soffice, tmp_path):
    path = edited(tmp_path, "02", {"B2": 0.9, "C2": -0.7, "D2": 0.25, "G2": 0.1, "B11": 0.001})
    report = check.check(path)
    assert report.ok, report.text()


@pytest.mark.libreoffice
def test_one_wrong_row_of_a_thousand_is_one_short_mistake(soffice, tmp_path):
    """Lesson 03: G10 adds the gradient instead of subtracting it; every later row follows."""
    path = edited(tmp_path, "03", {"G10": "=G9+H9*LEARNING_RATE"})
    report = check.check(path)
    assert [r.address for r in report.roots] == ["G10"]
    (root,) = report.roots
    assert len(root.followers) > 1000 and root.followers[:3] == ["H10", "J10", "K10"]
    assert len(report.wrong) == 1 + len(root.followers)
    lines = report.text().splitlines()
    assert len(lines) <= 4, lines
    assert f"{len(root.followers):,} cells follow from it: H10, J10, K10, L10, P10 and " in lines[-1]


@pytest.mark.libreoffice
def test_typed_numbers_instead_of_formulas(soffice, tmp_path):
    right = check.check(edited(tmp_path, "01", {"F2": 1.61}))
    assert right.ok
    assert "F2: right, but typed a number instead of a formula" in right.text()

    wrong = check.check(edited(tmp_path, "01", {"F2": 2}))
    (root,) = wrong.roots
    assert root.address == "F2" and root.formula is None and root.got == 2
    assert root.followers == ["G2", "I2"]
    assert "F2: typed a number instead of a formula (2); the course's maths gives 1.61" in wrong.text()


@pytest.mark.libreoffice
@pytest.mark.parametrize("value, message", [("abc", "A2 holds 'abc', not a number: lesson 01 reads "
                                                      "its input1 there"),
                                            (None, "A2 is empty: lesson 01 reads its input1 there")])
def test_a_bad_input_cell_is_named(soffice, tmp_path, value, message):
    with pytest.raises(CourseError, match=message):
        check.check(edited(tmp_path, "01", {"A2": value}))


@pytest.mark.libreoffice
def test_a_changed_cell_that_is_not_an_input_is_reported(soffice, tmp_path):
    """Lesson 03 reads the training input from C3; C5 is the same number, repeated."""
    report = check.check(edited(tmp_path, "03", {"C5": 0.02}))
    assert report.roots[0].address == "C5" and report.roots[0].course_formula is None
    assert "C5 holds 0.02, where the course's sheet has 0.01" in report.text()


@pytest.mark.libreoffice
def test_relabelled_lesson_is_named_cell_by_cell(soffice, tmp_path):
    path = edited(tmp_path, "02", {"A11": "Small"})
    with pytest.raises(CourseError, match="A11 should say 'Tiny' but says 'Small'"):
        check.check(path, "02")


# -- lesson detection and layouts (no engine needed) --------------------------------------

@pytest.mark.parametrize("key", LESSONS)
def test_the_lesson_is_detected_from_the_headers(no_libreoffice, key):
    report = check.check(committed(key))
    assert report.lesson == key and report.ok


def test_header_case_and_spaces_do_not_matter(no_libreoffice, tmp_path):
    sheet = lesson01.sheet()
    sheet["A1"], sheet["I1"] = header(" input  1 "), header("LOSS")
    assert check.check(cached_workbook(tmp_path, sheet)).lesson == "01"


def test_the_wrong_lesson_is_refused_with_the_missing_headers(no_libreoffice, capsys):
    assert main(["check", str(committed("01")), "--lesson", "02"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: 01-single-neuron.xlsx's first sheet is not laid out like lesson 02's")
    assert "B1 should say 'Input' but says 'Input 2'" in err
    assert "leave out --lesson" in err
    assert len(err.strip().splitlines()) == 1


def test_a_workbook_of_no_lesson_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = "Shopping list"
    book.save(tmp_path / "list.xlsx")
    with pytest.raises(CourseError, match="not laid out like any lesson's"):
        check.check(tmp_path / "list.xlsx")


# -- without LibreOffice ----------------------------------------------------------------

def test_without_libreoffice_the_stored_values_are_compared(no_libreoffice, capsys):
    assert check.cli(committed("02")) == 0
    out = capsys.readouterr().out
    assert "LibreOffice is not installed" in out and libreoffice.INSTALL_HINT in out
    assert "(its stored values)" in out


def test_without_libreoffice_a_wrong_stored_value_is_found(no_libreoffice, tmp_path):
    """As Excel would save it: E3's formula is wrong and so is its stored value."""
    sheet = lesson02.sheet()
    f2 = sheet.value("F2")
    sheet["E3"] = formula("=1-F2", 1 - f2, 4)
    report = check.check(cached_workbook(tmp_path, sheet))
    assert report.engine == "cached values"
    assert [(w.address, w.formula, w.got) for w in report.wrong] == [("E3", "=1-F2", 1 - f2)]


def test_without_libreoffice_a_workbook_with_no_stored_values_cannot_be_checked(
        no_libreoffice, tmp_path, capsys):
    path = edited(tmp_path, "01", {"A2": 0.3})  # openpyxl drops the stored values
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "holds no calculated values" in err and "without LibreOffice" in err
    assert libreoffice.INSTALL_HINT in err


# -- files ------------------------------------------------------------------------------

def test_an_open_workbook_is_checked_from_its_saved_copy(no_libreoffice, tmp_path):
    """Reading is harmless, so a lock file only adds a warning that unsaved edits are not seen."""
    path = tmp_path / "01.xlsx"
    shutil.copyfile(committed("01"), path)
    (tmp_path / ".~lock.01.xlsx#").write_text("someone,host,2024")
    report = check.check(path)
    assert report.ok
    assert "01.xlsx is open in a spreadsheet program (.~lock.01.xlsx# exists)" in report.text()
    assert "save it there first" in report.text()


def test_missing_and_non_workbook_files(tmp_path):
    with pytest.raises(CourseError, match="No workbook at .*absent.xlsx"):
        check.check(tmp_path / "absent.xlsx")
    text = tmp_path / "notes.xlsx"
    text.write_text("not a spreadsheet")
    with pytest.raises(CourseError, match=r"is not an Excel workbook \(.xlsx\)"):
        check.check(text)
    with pytest.raises(CourseError, match=r"is not an Excel workbook \(.xlsx\)"):
        check.check(SPREADSHEETS.parent / "pyproject.toml")


# -- the chain --------------------------------------------------------------------------

def test_precedents_read_references_ranges_and_defined_names():
    names = {"Tiny": "B11", "LEARNING_RATE": "A2"}
    assert list(check.precedents("=(I6-I2)/Tiny", names)) == ["I6", "I2", "B11"]
    assert list(check.precedents("=TANH(K3)", names)) == ["K3"]
    assert list(check.precedents("=G3-H3*LEARNING_RATE", names)) == ["G3", "H3", "A2"]
    assert list(check.precedents("=AVERAGE(L$3:L5)", names)) == ["L3", "L4", "L5"]
    assert list(check.precedents("=ABS(AA3-$AB$4)", names)) == ["AA3", "AB4"]


def test_every_lesson_formula_reads_cells_of_its_sheet():
    """The chain is complete: each reference lands on a cell the sheet defines."""
    for key in ("01", "02", "03"):
        sheet = LESSONS[key].sheet()
        for address in sheet.derived():
            reads = list(check.precedents(sheet[address].formula, sheet.names))
            assert reads and all(a in sheet.cells for a in reads), (key, address)


# -- in a notebook ----------------------------------------------------------------------

def test_check_in_notebook_prints_instead_of_raising(no_libreoffice, tmp_path, capsys):
    assert check.check_in_notebook(tmp_path / "absent.xlsx") is None
    assert capsys.readouterr().out.startswith("error: No workbook at")
    assert check.check_in_notebook(committed("01")).ok
    assert "All 9 cells agree" in capsys.readouterr().out


def test_the_upload_widget_checks_what_is_uploaded(no_libreoffice):
    box = check.uploader()
    upload, out = box.children

    def send(name, data):
        upload.value = ({"name": name, "type": "", "size": len(data), "content": memoryview(data),
                         "last_modified": datetime.datetime(2024, 3, 10)},)
        return "".join(o["text"] for o in out.outputs)

    assert "Checked 01-single-neuron.xlsx as lesson 01" in send("01-single-neuron.xlsx",
                                                                committed("01").read_bytes())
    text = send("notes.xlsx", b"just text")
    assert text.startswith("error: ") and "is not an Excel workbook" in text
    assert "Checked" not in text  # the previous report was cleared


def test_many_independent_mistakes_stay_a_short_report(no_libreoffice, tmp_path):
    """Lesson 03's loss column forgets the halving in every row: a root in each row whose loss
    is not yet within 1e-15 of zero, and nothing follows from any of them."""
    sheet = lesson03.sheet()
    for r in range(3, 1003):
        sheet[f"Q{r}"] = formula(f"=P{r}^2", sheet.value(f"P{r}") ** 2, 10)
    report = check.check(cached_workbook(tmp_path, sheet))
    roots = len(report.roots)
    assert roots > 100 and roots == len(report.wrong) and not any(r.followers for r in report.roots)
    lines = report.text().splitlines()
    assert len(lines) == 4 + check.LISTED, lines  # the no-LibreOffice note, checked, count, roots, more
    assert lines[-1] == f"- and {roots - 5} more mistakes: Q8, Q9, Q10, Q11, Q12 and {roots - 10} more."
