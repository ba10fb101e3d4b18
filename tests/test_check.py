"""`python -m nbcourse check`: a learner's workbook against the course's maths, cell by cell
right, wrong or still to do.

Learners' workbooks are made here the way a learner's program would leave them: the blanks or
the course's workbooks edited by openpyxl (which keeps the formulas and drops every cached
value), or written from scratch with openpyxl. Most are checked together, in one LibreOffice
start (the `reports` fixture), as a teacher's folder would be.
"""

import datetime
import math
import pickle
import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName
from xlsxwriter.utility import quote_sheetname

from nbcourse import check, libreoffice
from nbcourse.__main__ import main
from nbcourse.errors import CourseError
from nbcourse.lessons import LESSONS, blank_layout, lesson01, lesson02, lesson03
from nbcourse.sheet import Sheet, formula, header, text
from nbcourse.workbook import to_bytes

SPREADSHEETS = Path(__file__).resolve().parent.parent / "spreadsheets"
BLANKS = SPREADSHEETS / "blank"
# the cells a learner fills in, counted from the articles' sheets (LAYOUTS.md), not from nbcourse
TO_FILL = {
    "01": 3,  # F2, G2, I2
    "02": 4 + 5 + 5 + 4 + 5 + 3 * 8 + 5,  # E2:I2 less G2; rows 3 and 4; rows 6-10 from the nudge; K6:K10
    "03": 9 + 999 * 12,  # row 3's nine formulas; each later row also nudges G, I and counts O
    "04": 2 + 8 * 2 + 4 + 8 + 29,  # targets; net and value of 8 neurons; outputs, errors; 8 gradients; 29 new
}
OUTPUT = math.tanh(0.4 * 0.5 + 0.6)  # lesson 02's F2, worked out here


def committed(key):
    return SPREADSHEETS / LESSONS[key].FILE


def edit(source, path, changes=(), drop_names=()):
    """A copy of `source` with some cells of its first sheet changed, saved by openpyxl."""
    book = openpyxl.load_workbook(source)
    for address, value in dict(changes).items():
        book.worksheets[0][address] = value
    for name in drop_names:
        del book.defined_names[name]
    book.save(path)
    return path


def course_answers(key):
    """Every cell a learner fills in, as the course fills it: its formula (or number)."""
    sheet = blank_layout(LESSONS[key]).sheet()
    return {a: sheet[a].formula or sheet[a].value for a in sheet.to_fill()}


ROW_2 = {"E2": "=B2*C2+D2", "F2": "=TANH(E2)", "H2": "=F2-G2", "I2": "=H2^2/2"}


def scenarios(folder):
    """name -> workbook, each a learner's situation."""
    made = {}

    def blank(name, key, changes=(), drop_names=()):
        made[name] = edit(BLANKS / LESSONS[key].FILE, folder / f"{name}.xlsx", changes, drop_names)
        return made[name]

    def course(name, key, changes=()):
        made[name] = edit(committed(key), folder / f"{name}.xlsx", changes)

    for key in LESSONS:
        made[f"course-{key}"] = committed(key)
        made[f"untouched-{key}"] = BLANKS / LESSONS[key].FILE
        blank(f"finished-{key}", key, course_answers(key))
    blank("02-row-2", "02", ROW_2)
    blank("02-ahead", "02", {"C4": "=C3*E4", "E4": "=E3*F4"})  # E3, F4 and C3 still to do
    blank("02-wrong-ahead", "02", {"C4": "=C3+E4"})
    blank("02-no-tiny", "02", {"B11": None, "K6": "=(I6-I2)/Tiny"}, drop_names=["Tiny"])
    blank("02-spaces", "02", {"E2": "   ", "F2": "=TANH(E2)"})
    blank("02-constant", "02", {"D3": 2})
    blank("04-some", "04", {"B5": "=B3*B4", "B11": "=B8+B9*B3+B10*B4", "B12": "=TANH(B11)",
                            "B72": 0.01})  # a learning rate of their own
    course("02-e3", "02", {"E3": "=1-F2"})
    course("02-inputs", "02", {"B2": 0.9, "C2": -0.7, "D2": 0.25, "G2": 0.1, "B11": 0.001})
    course("02-relabelled", "02", {"A11": "Small"})
    course("03-g10", "03", {"G10": "=G9+H9*LEARNING_RATE"})
    course("03-c5", "03", {"C5": 0.02})
    course("01-typed-right", "01", {"F2": 1.61})
    course("01-typed-wrong", "01", {"F2": 2})
    course("01-text-input", "01", {"A2": "abc"})
    course("01-empty-input", "01", {"A2": None})
    formatted = openpyxl.load_workbook(blank("01-formatted", "01", course_answers("01")))
    for address, shown in {"A2": "0%", "F2": "0.0%", "G2": "yyyy-mm-dd", "I2": "0.00E+00"}.items():
        formatted.worksheets[0][address].number_format = shown  # 90%, 161.0%, a date, 7.67E-03
    formatted.save(made["01-formatted"])
    made["01-other-sheet"] = other_sheet(folder / "01-other-sheet.xlsx")
    scratch = openpyxl.Workbook()  # lesson 01 typed from scratch: own inputs, no stored values
    scratch.active.append(list(lesson01.HEADERS))
    scratch.active.append([0.1, 0.2, 0.3, 0.4, 0.5, "=A2*C2 + B2*D2 + E2", "=tanh(F2)", 0.6,
                           "=(G2-H2)*(G2-H2)"])
    scratch.save(folder / "01-scratch.xlsx")
    made["01-scratch"] = folder / "01-scratch.xlsx"
    return made


def other_sheet(path):
    """Lesson 01's blank behind a sheet of the learner's notes, its net read through the lesson
    sheet's own name Bias (E2) and a cell of the notes (0); the notes sheet has a Bias of its own
    (0), which the lesson's sheet must not see."""
    book = openpyxl.load_workbook(BLANKS / LESSONS["01"].FILE)
    page = book.worksheets[0]
    notes = book.create_sheet("My notes", 0)
    notes["A1"], notes["B1"] = 0, "what I tried"
    page["F2"] = "=A2*C2+B2*D2+Bias+'My notes'!A1"
    page["G2"], page["I2"] = course_answers("01")["G2"], course_answers("01")["I2"]
    page.defined_names["Bias"] = DefinedName("Bias", attr_text=f"{quote_sheetname(page.title)}!$E$2")
    notes.defined_names["Bias"] = DefinedName("Bias", attr_text="'My notes'!$A$1")
    book.save(path)
    return path


def once(tmp_path_factory, testrun_uid, name, make):
    """make()'s result, made once in the whole test run, even when pytest-xdist runs the tests in
    several processes: the first to ask makes it and leaves it pickled beside the processes'
    temporary folders; the others wait for it and read it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: each process makes its own
        return make()
    shared = tmp_path_factory.getbasetemp().parent  # the processes' folders are side by side
    result = shared / f"{name}-{testrun_uid}.pickle"
    with open(shared / f"{name}-{testrun_uid}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if result.exists():
            return pickle.loads(result.read_bytes())
        value = make()
        result.write_bytes(pickle.dumps(value))
        return value


@pytest.fixture(scope="module")
def reports(tmp_path_factory, testrun_uid):
    """Every scenario checked at once, in one LibreOffice start."""
    if libreoffice.find_soffice() is None:
        return None

    def make():
        made = scenarios(tmp_path_factory.mktemp("learners"))
        return dict(zip(made, check.check_many(made.values()), strict=True))

    return once(tmp_path_factory, testrun_uid, "reports", make)


@pytest.fixture
def report(reports, soffice, request):
    return reports[request.param]


def scenario(name):
    return pytest.mark.parametrize("report", [name], indirect=True)



# -- the course's workbooks and the blanks -----------------------------------------------------

@pytest.mark.libreoffice
@pytest.mark.parametrize("key", LESSONS)
def test_the_course_workbooks_are_all_right(soffice, reports, key):
    report = reports[f"course-{key}"]
    assert report.ok and report.lesson == key and report.engine == "LibreOffice", report.text()
    assert report.code == 0 and not report.to_do and not report.wrong
    assert "agree with the course's maths" in report.text()


@pytest.mark.libreoffice
@pytest.mark.parametrize("key", LESSONS)
def test_a_blank_is_all_to_do_and_needs_no_calculation(soffice, reports, key):
    report = reports[f"untouched-{key}"]
    assert report.lesson == key and report.engine == "nothing", report.text()
    assert len(report.to_do) == TO_FILL[key] and not report.right and not report.wrong
    assert report.code == 1
    assert report.text().startswith(f"Checked {LESSONS[key].FILE} as lesson {key} (nothing filled in "
                                    f"yet): 0 right, 0 wrong, {TO_FILL[key]:,} to do.")


@pytest.mark.libreoffice
@pytest.mark.parametrize("key", LESSONS)
def test_a_blank_filled_with_the_course_formulas_is_all_right(soffice, reports, key):
    """From "N cells to do" to "all right": the learner's goal, reached for every lesson."""
    report = reports[f"finished-{key}"]
    assert report.ok and report.engine == "LibreOffice", report.text()
    assert len(report.right) == TO_FILL[key]
    assert report.text().endswith(f"All {TO_FILL[key]:,} cells are filled in and agree with the "
                                  "course's maths.")


# -- work in progress ----------------------------------------------------------------------

@pytest.mark.libreoffice
@scenario("02-row-2")
def test_row_2_of_lesson_02_done_reads_well(report):
    """The report a learner reads after building row 2 of lesson 02's blank."""
    assert report.text().splitlines() == [
        "Checked 02-row-2.xlsx as lesson 02 (recalculated in LibreOffice): 4 right, 0 wrong, 48 to do.",
        "Right: E2, F2, H2 and I2 (net, output, error and loss).",
        "To do: row 3 (real local gradients); row 4 (real global gradients); rows 6–10 (row 2 "
        "again, each with one cell nudged by Tiny); K6:K10 (faux gradients).",
        "(While checking, each cell still to do held the course's own formula, so each cell you "
        "filled in was judged by its own formula.)"]
    assert report.code == 1 and report.first_mistake == ""


@pytest.mark.libreoffice
@scenario("02-ahead")
def test_a_right_formula_counts_before_the_cells_it_reads(report):
    """C4 = C3*E4 and E4 = E3*F4 are right although C3, E3 and F4 are still empty."""
    assert report.right == ["C4", "E4"] and not report.wrong, report.text()
    assert {"C3", "E3", "F4"} <= set(report.to_do)


@pytest.mark.libreoffice
@scenario("02-wrong-ahead")
def test_a_wrong_formula_ahead_of_its_inputs_is_wrong(report):
    (root,) = report.roots
    assert root.address == "C4" and root.formula == "=C3+E4" and root.course_formula == "=C3*E4"
    assert root.expected == pytest.approx(0.4 * (1 - OUTPUT**2) * (OUTPUT - 0.7), rel=1e-12)
    assert root.got == pytest.approx(0.4 + (1 - OUTPUT**2) * (OUTPUT - 0.7), rel=1e-12)
    assert ("- C4: your formula =C3+E4 gives 0.3798945706; the course's maths gives -0.008042171772"
            in report.text())


@pytest.mark.libreoffice
@scenario("02-no-tiny")
def test_a_deleted_input_and_name_are_to_do_with_the_article_value(report):
    """Tiny deleted, B11 emptied: K6 = (I6-I2)/Tiny is still judged (right), and both are to do."""
    assert report.right == ["K6"], report.text()
    assert "B11" in report.to_do and "Tiny" in report.to_do
    text = report.text()
    assert "B11 (Tiny: type back 0.0001, the course's number)" in text
    assert "the name Tiny for B11 (define it again)" in text
    assert report.code == 1


@pytest.mark.libreoffice
@scenario("02-spaces")
def test_spaces_are_an_empty_cell(report):
    assert "E2" in report.to_do and report.right == ["F2"]


@pytest.mark.libreoffice
@scenario("02-constant")
def test_a_constant_is_filled_in_like_a_formula(report):
    (root,) = report.roots
    assert root.address == "D3" and root.got == 2 and root.expected == 1
    assert "- D3: holds 2; the course's maths gives 1." in report.text()


@pytest.mark.libreoffice
@scenario("04-some")
def test_lesson_04s_blank_is_its_one_step_sheet(report):
    """With a learning rate of the learner's own in B72 (LEARNING_RATE)."""
    assert report.lesson == "04" and report.right == ["B5", "B11", "B12"], report.text()
    assert not report.wrong and len(report.to_do) == TO_FILL["04"] - 3


# -- mistakes --------------------------------------------------------------------------------

@pytest.mark.libreoffice
@scenario("02-e3")
def test_a_wrong_formula_is_the_root_and_the_chain_follows(report):
    """Lesson 02: E3 = 1 - F2 instead of 1 - F2^2; E4, and B4, C4, D4 through it, follow."""
    assert not report.ok and report.engine == "LibreOffice"
    (root,) = report.roots
    assert root.address == "E3" and root.formula == "=1-F2" and root.course_formula == "=1-F2^2"
    assert root.got == pytest.approx(1 - OUTPUT, rel=1e-12)
    assert root.expected == pytest.approx(1 - OUTPUT**2, rel=1e-12)
    assert set(root.followers) == {"E4", "B4", "C4", "D4"}
    assert {w.address for w in report.wrong} == {"E3", "E4", "B4", "C4", "D4"}
    text = report.text()
    assert "E3: your formula =1-F2 gives 0.3359632297; the course's maths gives 0.5590551677" in text
    assert "e.g. with =1-F2^2" in text
    assert "4 cells follow from it: B4, C4, D4 and E4 (fix E3 first" in text
    assert "1 mistake to fix" in text and "- E4:" not in text  # the followers are not listed as mistakes
    assert report.first_mistake == "E3" and report.code == 1


@pytest.mark.libreoffice
@scenario("02-inputs")
def test_changed_inputs_with_the_right_formulas_are_all_right(report):
    assert report.ok, report.text()


@pytest.mark.libreoffice
@scenario("01-scratch")
def test_right_formulas_without_cached_values_are_all_right(report):
    """Lesson 01 typed from scratch: the learner's own inputs, formulas spelt differently."""
    assert report.ok and report.lesson == "01", report.text()
    assert report.right == ["F2", "G2", "I2"]


@pytest.mark.libreoffice
@scenario("03-g10")
def test_one_wrong_row_of_a_thousand_is_one_short_mistake(report):
    """Lesson 03: G10 adds the gradient instead of subtracting it; every later row follows."""
    assert [r.address for r in report.roots] == ["G10"]
    (root,) = report.roots
    assert len(root.followers) > 1000 and root.followers[:3] == ["H10", "J10", "K10"]
    assert len(report.wrong) == 1 + len(root.followers)
    lines = report.text().splitlines()
    assert len(lines) <= 5, lines
    assert lines[-1].startswith(f"  {len(root.followers):,} cells follow from it: H10, J10, K10, L10, "
                                f"P10 and {len(root.followers) - 5:,} more")


@pytest.mark.libreoffice
@scenario("01-formatted")
def test_number_formats_do_not_change_the_values(report):
    """An input shown as 90%, the net as 161.0%, the output as a date: the values are judged."""
    assert report.ok and report.right == ["F2", "G2", "I2"], report.text()


@pytest.mark.libreoffice
@scenario("01-other-sheet")
def test_formulas_reading_another_sheet_and_a_sheet_s_own_name(report):
    """The lesson's sheet second, behind the learner's notes: its formulas read a cell of the notes
    and its own name Bias, not the notes sheet's Bias."""
    assert report.lesson == "01" and report.ok and report.right == ["F2", "G2", "I2"], report.text()


@pytest.mark.libreoffice
@pytest.mark.parametrize("report", ["01-typed-right", "01-typed-wrong"], indirect=True)
def test_typed_numbers_instead_of_formulas(report):
    if report.path.stem == "01-typed-right":
        assert report.ok
        assert "F2: right, but typed a number instead of a formula" in report.text()
    else:
        (root,) = report.roots
        assert root.address == "F2" and root.formula is None and root.got == 2
        assert root.followers == ["G2", "I2"]
        assert "F2: typed a number instead of a formula (2); the course's maths gives 1.61" in report.text()


@pytest.mark.libreoffice
@scenario("01-text-input")
def test_text_in_an_input_is_a_mistake_not_an_unusable_file(report):
    (root,) = report.roots
    assert root.address == "A2" and report.code == 1
    assert ("A2 holds 'abc', not a number: lesson 01 reads its input 1 there. Type a number in A2 "
            "(the course's is 0.9).") in report.text()


@pytest.mark.libreoffice
@scenario("01-empty-input")
def test_an_emptied_input_is_to_do(report):
    assert report.to_do == ["A2"] and report.right == ["F2", "G2", "I2"], report.text()
    assert "A2 (input 1: type back 0.9, the course's number)" in report.text()


@pytest.mark.libreoffice
@scenario("03-c5")
def test_a_changed_cell_that_is_not_an_input_is_reported(report):
    """Lesson 03 reads the training input from C3; C5 is the same number, repeated."""
    assert report.roots[0].address == "C5" and report.roots[0].course_formula is None
    assert ("C5 holds 0.02, where the course's sheet, made from the inputs lesson 03 reads (A2, C3, G3 "
            "and I3), has 0.01: type 0.01 in C5.") in report.text()


@pytest.mark.libreoffice
@scenario("02-relabelled")
def test_a_relabelled_cell_is_named(report):
    (root,) = report.roots
    assert root.address == "A11"
    assert ("A11 says 'Small' where the course's sheet says 'Tiny': put the course's words back"
            in report.text())


def test_no_message_sends_learners_to_a_file_they_do_not_have():
    source = Path(check.__file__).read_text()
    assert "LAYOUTS.md" not in source


# -- lesson detection and layouts (no engine needed) --------------------------------------

@pytest.fixture
def no_libreoffice(monkeypatch):
    """LibreOffice absent, as far as nbcourse can tell."""
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: None)


def cached_workbook(tmp_path, sheet):
    """A workbook whose stored values are `sheet`'s (as a spreadsheet program would save it)."""
    path = tmp_path / "cached.xlsx"
    path.write_bytes(to_bytes([sheet]))
    return path


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
    assert "Start from the blank spreadsheets/blank/02-single-neuron-gradients.xlsx" in err
    assert "leave out --lesson" in err
    assert len(err.strip().splitlines()) == 1


def test_a_workbook_of_no_lesson_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = "Shopping list"
    book.save(tmp_path / "list.xlsx")
    with pytest.raises(CourseError, match="not laid out like any lesson's"):
        check.check(tmp_path / "list.xlsx")


def test_the_lesson_s_sheet_need_not_be_the_first(no_libreoffice, tmp_path):
    notes = Sheet("My notes")
    notes["A1"] = text("what I tried")
    (tmp_path / "notes-first.xlsx").write_bytes(to_bytes([notes, lesson02.sheet()]))
    report = check.check(tmp_path / "notes-first.xlsx")
    assert report.lesson == "02" and report.ok


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


def test_without_libreoffice_cells_reading_cells_to_do_wait(no_libreoffice, tmp_path):
    """Excel saved E4 = E3*F4 with E3 empty (so 0): it is not judged until E3 is filled in."""
    sheet = lesson02.sheet()
    for address in ("E3", "B4", "C4", "D4"):
        del sheet.cells[address]
    sheet["E4"] = formula("=E3*F4", 0.0, 4)
    report = check.check(cached_workbook(tmp_path, sheet))
    assert "E4" not in report.right and not report.wrong and "E4" in report.to_do
    assert "E4 (filled in, but they read cells still to do" in report.text()


def test_without_libreoffice_a_workbook_with_no_stored_values_cannot_be_checked(
        no_libreoffice, tmp_path, capsys):
    path = edit(committed("01"), tmp_path / "mine.xlsx", {"A2": 0.3})  # openpyxl drops stored values
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "holds no calculated values" in err and "without LibreOffice" in err
    assert libreoffice.INSTALL_HINT in err


def test_without_libreoffice_a_blank_is_still_all_to_do(no_libreoffice):
    report = check.check(BLANKS / LESSONS["02"].FILE)
    assert len(report.to_do) == TO_FILL["02"] and report.code == 1


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
    with pytest.raises(CourseError, match=r"notes.xlsx is not a workbook \(.xlsx or .ods\)"):
        check.check(text)
    with pytest.raises(CourseError, match=r"is not a workbook \(.xlsx or .ods\)"):
        check.check(SPREADSHEETS.parent / "pyproject.toml")


# -- the chain --------------------------------------------------------------------------

def test_precedents_read_references_ranges_and_defined_names():
    names = {"Tiny": "B11", "LEARNING_RATE": "A2"}
    assert list(check.precedents("=(I6-I2)/Tiny", names)) == ["I6", "I2", "B11"]
    assert list(check.precedents("=(I6-I2)/tiny", names)) == ["I6", "I2", "B11"]  # names ignore case
    assert list(check.precedents("=TANH(K3)", names)) == ["K3"]
    assert list(check.precedents("=G3-H3*LEARNING_RATE", names)) == ["G3", "H3", "A2"]
    assert list(check.precedents("=AVERAGE(L$3:L5)", names)) == ["L3", "L4", "L5"]
    assert list(check.precedents("=ABS(AA3-$AB$4)", names)) == ["AA3", "AB4"]


def test_precedents_skip_text_other_sheets_and_whole_columns():
    """What the tokenizer knows and a regex did not: "B2" in quotes is text, Training!B3 is another
    sheet's cell (unless it names this sheet), A:A is no cell of the chain."""
    assert list(check.precedents('=IF(A1="B2",C3,0)', {})) == ["A1", "C3"]
    assert list(check.precedents("=Training!B3+B4", {}, title="One step")) == ["B4"]
    assert list(check.precedents("='One step'!B3+B4", {}, title="One step")) == ["B3", "B4"]
    assert list(check.precedents("=SUM(A:A)+LOG10(D2)", {})) == ["D2"]


def test_every_lesson_formula_reads_cells_of_its_sheet():
    """The chain is complete: each reference lands on a cell the sheet defines."""
    sheets = [LESSONS[key].sheet() for key in ("01", "02", "03")] + [blank_layout(LESSONS["04"]).sheet()]
    for sheet in sheets:
        for address in sheet.derived():
            reads = list(check.precedents(sheet[address].formula, sheet.names, sheet.title))
            assert reads and all(a in sheet.cells for a in reads), (sheet.title, address)


# -- in a notebook ----------------------------------------------------------------------

def test_check_in_notebook_prints_instead_of_raising(no_libreoffice, tmp_path, capsys):
    assert check.check_in_notebook(tmp_path / "absent.xlsx") is None
    assert capsys.readouterr().out.startswith("error: No workbook at")
    assert check.check_in_notebook(committed("01")).ok
    assert "All 3 cells are filled in and agree" in capsys.readouterr().out
    report = check.check_in_notebook(BLANKS / LESSONS["02"].FILE)
    assert len(report.to_do) == TO_FILL["02"]
    assert "nothing filled in yet" in capsys.readouterr().out


def test_the_upload_widget_checks_what_is_uploaded(no_libreoffice):
    box = check.uploader()
    upload, out = box.children
    assert upload.accept == ".xlsx,.ods"

    def send(name, data):
        upload.value = ({"name": name, "type": "", "size": len(data), "content": memoryview(data),
                         "last_modified": datetime.datetime(2024, 3, 10)},)
        return "".join(o["text"] for o in out.outputs)

    assert "Checked 01-single-neuron.xlsx as lesson 01" in send("01-single-neuron.xlsx",
                                                                committed("01").read_bytes())
    text = send("notes.xlsx", b"just text")
    assert text.startswith("error: ") and "is not a workbook" in text
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
    # the no-LibreOffice note, the summary, what is right, the count, five roots, the rest
    assert len(lines) == 5 + check.LISTED, lines
    assert lines[-1] == f"- and {roots - 5} more mistakes: Q8, Q9, Q10, Q11, Q12 and {roots - 10} more."
