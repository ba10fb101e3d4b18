"""The checker against files real learners make, found by a review from a teacher's side: each
test is a workbook on which the check once gave a wrong verdict, a confusing message or a
traceback."""

import pytest
import xlsxwriter

from nbcourse import check, libreoffice
from nbcourse.lessons import LESSONS, lesson01, lesson02
from tests.test_check import BLANKS, cached_workbook, committed, course_answers, edit

# -- without LibreOffice ---------------------------------------------------------------------

@pytest.fixture
def no_libreoffice(monkeypatch):
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: None)


@pytest.mark.parametrize("key, address", [("01", "H2"), ("02", "G2"), ("02", "B11"), ("03", "C3")])
def test_a_huge_input_is_a_problem_in_words_not_a_traceback(no_libreoffice, tmp_path, key, address):
    """A target of 1e200 makes the course's squared error overflow (Python raises, where a
    spreadsheet shows an error): the file is one line saying so, and the run goes on."""
    path = edit(committed(key), tmp_path / "huge.xlsx", {address: 1e200})
    (result,) = check.check_many([path])
    assert isinstance(result, check.Unusable)
    assert "too large" in result.problem and address in result.problem


def test_a_sheet_name_with_an_apostrophe_keeps_its_defined_name(no_libreoffice, tmp_path):
    """Tiny stands for 'Neil''s sheet'!$B$11, which is the sheet's B11 (the quote doubled)."""
    sheet = lesson02.sheet()
    sheet.title = "Neil's sheet"
    report = check.check(cached_workbook(tmp_path, sheet))
    assert report.ok, report.text()


def saved_lesson01(path, formats=(), texts=()):
    """Lesson 01 done, saved with its values (as a spreadsheet program saves it), some cells shown
    with a number format of the learner's, some holding `texts` (typed into cells formatted as text)."""
    sheet, formats, texts = lesson01.sheet(), dict(formats), dict(texts)
    book = xlsxwriter.Workbook(str(path))
    page = book.add_worksheet(sheet.title)
    for address, cell in sheet.cells.items():
        shown = book.add_format({"num_format": formats[address]}) if address in formats else None
        if address in texts:
            page.write_string(address, texts[address], book.add_format({"num_format": "@"}))
        elif cell.formula:
            page.write_formula(address, cell.formula, shown, cell.value)
        else:
            page.write(address, cell.value, shown)
    book.close()
    return path


def test_cells_shown_as_times_or_dates_keep_every_digit(no_libreoffice, tmp_path):
    """A number shown as a time is, to openpyxl, a time rounded to the millisecond: 0.92316...
    read back 1e-9 off, so the right output was called wrong."""
    path = saved_lesson01(tmp_path / "times.xlsx", {"A2": "hh:mm:ss", "G2": "yyyy-mm-dd hh:mm",
                                                        "I2": "mm:ss.0", "F2": "0.0%"})
    report = check.check(path)
    assert report.ok, report.text()


def test_text_that_looks_like_a_formula_says_so(no_libreoffice, tmp_path):
    """A cell formatted as text before the formula was typed keeps it as words: the message says
    it is text and how to make it a formula, not 'your formula =TANH(F2) gives '=TANH(F2)''."""
    said = check.check(saved_lesson01(tmp_path / "text.xlsx", texts={"G2": "=TANH(F2)"})).text()
    assert "G2 holds the text '=TANH(F2)', not a formula" in said
    assert "your formula =TANH(F2)" not in said


def test_a_number_typed_as_text_says_so(no_libreoffice, tmp_path):
    said = check.check(saved_lesson01(tmp_path / "text.xlsx", texts={"F2": "1.61"})).text()
    assert "F2 holds the text '1.61', not a number" in said


# -- recalculated in LibreOffice ---------------------------------------------------------------

@pytest.fixture(scope="module")
def reviewed(tmp_path_factory, soffice):
    """The review's workbooks that need LibreOffice, checked in one start."""
    folder = tmp_path_factory.mktemp("reviewed")
    wrong_o900 = {"O900": "=O899+2"}
    made = {
        # one training input of lesson 03 deleted: the rows after it are still checked
        "hole": edit(committed("03"), folder / "hole.xlsx", {"C500": None, **wrong_o900}),
        "hole-blank": edit(BLANKS / LESSONS["03"].FILE, folder / "hole-blank.xlsx",
                           {**course_answers("03"), "C500": None}),
        # a total under lesson 03's table, its label in the training inputs' column
        "total": edit(committed("03"), folder / "total.xlsx",
                      {"C1003": "Total", "Q1003": "=SUM(Q3:Q1002)"}),
        # lesson 04's Training sheet, an average under it
        "average": edit(committed("04"), folder / "average.xlsx", {"B1003": "Average"}),
    }
    made["true"] = edit(BLANKS / LESSONS["02"].FILE, folder / "true.xlsx", {"D3": "=TRUE()"})
    made["circular"] = edit(BLANKS / LESSONS["01"].FILE, folder / "circular.xlsx",
                            {"F2": "=A2*C2+B2*D2+E2", "G2": "=TANH(I2)", "I2": "=(G2-H2)^2"})
    made["text"] = saved_lesson01(folder / "text.xlsx", texts={"G2": "=TANH(F2)"})
    return dict(zip(made, check.check_many(made.values()), strict=True))


@pytest.mark.libreoffice
def test_one_cell_following_a_mistake_is_said_in_the_singular(reviewed):
    said = reviewed["text"].text()
    assert "G2 holds the text '=TANH(F2)', not a formula" in said
    assert "1 cell follows from it: I2 (fix G2 first; its own formula may be right)." in said


@pytest.mark.libreoffice
def test_a_deleted_training_input_does_not_end_the_check(reviewed):
    hole = reviewed["hole"]
    assert hole.to_do == ["C500"] and [w.address for w in hole.roots] == ["O900"]
    assert hole.checked == 11_997 + 1
    blank = reviewed["hole-blank"]
    assert blank.to_do == ["C500"] and not blank.wrong and len(blank.right) == 11_997
    assert "C500 (type back 0.01, the course's number)" in blank.text()


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["total", "average"])
def test_a_label_under_the_table_is_not_a_row_of_it(reviewed, name):
    report = reviewed[name]
    assert isinstance(report, check.Report) and report.ok, getattr(report, "problem", None) or report.text()


@pytest.mark.libreoffice
def test_true_is_not_the_number_1(reviewed):
    """Lesson 02's D3 is the constant 1; TRUE was right, as Python's True == 1."""
    report = reviewed["true"]
    assert [w.address for w in report.wrong] == ["D3"]
    assert "D3: your formula =TRUE() gives TRUE; the course's maths gives 1" in report.text()


@pytest.mark.libreoffice
def test_a_circular_reference_is_named(reviewed):
    """G2 reads I2, which reads G2: it was '#VALUE! (text or an error where a number should be)'."""
    said = reviewed["circular"].text()
    assert "G2: your formula =TANH(I2) gives Err:522 (a circular reference: the formula reads its own " \
           "cell, directly or through others)" in said
