"""The referee: LibreOffice really recalculates our workbooks instead of trusting the cache."""

import math
import subprocess
import zipfile

import openpyxl
import pytest
import xlsxwriter

from nbcourse import libreoffice
from nbcourse.errors import CourseError

pytestmark = pytest.mark.libreoffice


def cached(path, cell):
    """The value stored in the file, as a reader that does not calculate sees it."""
    return openpyxl.load_workbook(path, data_only=True).worksheets[0][cell].value


@pytest.fixture
def doubling(tmp_path):
    """A workbook whose B1 = A1*2 carries a deliberately wrong cached value, 999."""
    path = tmp_path / "doubling.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Sheet1")
    sheet.write("A1", 21)
    sheet.write_formula("B1", "=A1*2", None, 999)
    book.close()
    return path


def test_recalculation_is_forced_not_read_from_the_cache(soffice, doubling):
    assert cached(doubling, "B1") == 999  # the wrong cache really is in the file
    result = libreoffice.recalculate(doubling)
    assert result != doubling and result.is_file()
    assert cached(result, "B1") == 42
    assert cached(doubling, "B1") == 999  # the original is left alone
    assert libreoffice.recalculated_values(doubling) == {"A1": 21, "B1": 42}


def test_tanh_and_defined_names_recalculate(soffice, tmp_path):
    path = tmp_path / "names.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Inputs")
    sheet.write("A1", 1e-4)
    sheet.write("A2", 0.7)
    book.define_name("Tiny", "=Inputs!$A$1")
    sheet.write_formula("B1", "=Tiny*10", None, 0)
    sheet.write_formula("B2", "=TANH(A2)", None, 0)
    sheet.write_formula("B3", "=TANH(-3*A2)+Tiny", None, 0)
    book.close()

    values = libreoffice.recalculated_values(path, sheet="Inputs")
    assert values["B1"] == pytest.approx(1e-3, rel=1e-12)
    assert values["B2"] == pytest.approx(math.tanh(0.7), rel=1e-12)
    assert values["B3"] == pytest.approx(math.tanh(-2.1) + 1e-4, rel=1e-12)
    with pytest.raises(CourseError, match="No sheet 'Nope'"):
        libreoffice.recalculated_values(path, sheet="Nope")


def test_a_changed_input_updates_its_dependents(soffice, doubling, tmp_path):
    book = openpyxl.load_workbook(doubling)  # formulas, not values
    book["Sheet1"]["A1"] = 5
    edited = tmp_path / "edited.xlsx"
    book.save(edited)  # openpyxl keeps the formula but drops every cached value
    assert cached(edited, "B1") is None

    result = libreoffice.recalculate(edited, out_dir=tmp_path / "out")
    assert result == tmp_path / "out" / "edited.xlsx"
    assert cached(result, "B1") == 10


def test_missing_file_is_a_clear_error(soffice, tmp_path):
    with pytest.raises(CourseError, match="No workbook at .*absent.xlsx"):
        libreoffice.recalculate(tmp_path / "absent.xlsx")


@pytest.mark.parametrize("content", [b"just some text, not a spreadsheet\n", b""])
def test_a_file_that_is_not_a_workbook_is_a_clear_error(soffice, tmp_path, content):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(content)
    with pytest.raises(CourseError, match="fake.xlsx.*not a workbook"):
        libreoffice.recalculate(fake)


def test_the_result_never_replaces_the_original(soffice, doubling):
    with pytest.raises(CourseError, match="out_dir other than"):
        libreoffice.recalculate(doubling, out_dir=doubling.parent)
    assert cached(doubling, "B1") == 999


def test_without_libreoffice_the_error_says_how_to_install(monkeypatch, doubling):
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: None)
    with pytest.raises(CourseError) as error:
        libreoffice.recalculate(doubling)
    assert "doubling.xlsx" in str(error.value)
    assert "sudo apt-get install libreoffice-calc-nogui" in str(error.value)
    assert "brew install --cask libreoffice" in str(error.value)


# -- many files, one start ----------------------------------------------------------------------

def test_a_batch_is_one_start_and_keeps_going_past_bad_files(soffice, doubling, tmp_path, starts):
    """Names with spaces, other alphabets, a leading dash, the same name twice: each its own result,
    in order; a missing file and a file that is no workbook are each one error."""
    odd = [tmp_path / name for name in ("my work.xlsx", "Übung ü.xlsx", "-dash.xlsx", "日本.xlsx")]
    for number, path in enumerate(odd):
        book = xlsxwriter.Workbook(path)
        sheet = book.add_worksheet()
        sheet.write("A1", number)
        sheet.write_formula("B1", "=A1*2", None, 999)
        book.close()
    (tmp_path / "again").mkdir()
    twin = tmp_path / "again" / "doubling.xlsx"
    twin.write_bytes(doubling.read_bytes())
    (tmp_path / "text.xlsx").write_text("not a workbook")
    paths = [*odd, doubling, tmp_path / "absent.xlsx", tmp_path / "text.xlsx", twin]
    told = []  # each result as soon as it is known: a workbook already written, for a caller to read

    def ready(i, result):
        told.append((i, result, isinstance(result, CourseError) or cached(result, "B1")))

    results = libreoffice.convert(paths, "xlsx", tmp_path / "out", ready=ready)
    assert len(starts) == 1
    assert sorted((i, r) for i, r, _ in told) == list(enumerate(results))  # each told once
    assert [i for i, _, _ in told] == [5, 0, 1, 2, 3, 4, 6, 7]  # the missing file at once, then in order
    assert [value for i, _, value in sorted(told, key=lambda t: t[0])][:5] == [0, 2, 4, 6, 42]
    assert [cached(r, "B1") for r in results[:4]] == [0, 2, 4, 6]
    assert [r.name for r in results[:5]] == ["my work.xlsx", "Übung ü.xlsx", "-dash.xlsx", "日本.xlsx",
                                            "doubling.xlsx"]
    assert "No workbook at" in str(results[5]) and "text.xlsx" in str(results[6])
    assert isinstance(results[5], CourseError) and isinstance(results[6], CourseError)
    assert results[7].name == "doubling-2.xlsx" and cached(results[7], "B1") == 42


def test_convert_to_ods_and_back(soffice, doubling, tmp_path):
    (ods,) = libreoffice.convert([doubling], "ods", tmp_path)
    assert ods.suffix == ".ods" and zipfile.ZipFile(ods).read("mimetype").startswith(
        b"application/vnd.oasis.opendocument.spreadsheet")
    assert libreoffice.recalculated_values(ods) == {"A1": 21, "B1": 42}


def heavy(path, cells=1000):
    """A workbook LibreOffice calculates for a long while (about a minute here): a sum of
    200,000 sines in each of `cells` cells."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    for row in range(cells):
        sheet.write_formula(row, 0, f"=SUMPRODUCT(SIN(ROW($B$1:$B$200000)+{row}))", None, 0)
    book.close()
    return path


def test_a_workbook_libreoffice_hangs_on_is_stopped_and_the_rest_go_on(soffice, doubling, tmp_path,
                                                                       monkeypatch, starts):
    monkeypatch.setattr(libreoffice, "TIMEOUT", 2)  # the slow file is never first, so no STARTUP more
    slow = heavy(tmp_path / "slow.xlsx")
    results = libreoffice.convert([doubling, slow, doubling], "xlsx", tmp_path / "out")
    assert cached(results[0], "B1") == 42 and cached(results[2], "B1") == 42
    assert isinstance(results[1], CourseError)
    assert "LibreOffice took more than 2 s over slow.xlsx and was stopped" in str(results[1])
    assert len(starts) == 2  # started again after the file it hung on


def test_a_hung_libreoffice_is_stopped(soffice, doubling, monkeypatch):
    monkeypatch.setattr(libreoffice, "TIMEOUT", 0.01)
    monkeypatch.setattr(libreoffice, "STARTUP", 0)
    with pytest.raises(CourseError, match="more than 0.01 s over doubling.xlsx and was stopped"):
        libreoffice.recalculate(doubling)
    monkeypatch.undo()
    assert libreoffice.recalculated_values(doubling)["B1"] == 42  # the profile still works


def test_a_caller_failing_midway_leaves_no_libreoffice_running(soffice, doubling, tmp_path):
    """ready() raising while LibreOffice is busy with the next (slow) file: LibreOffice is stopped,
    and the next conversion starts afresh."""
    slow = heavy(tmp_path / "slow.xlsx", cells=40)

    def ready(i, result):
        raise RuntimeError("the caller's own mistake")

    with pytest.raises(RuntimeError, match="own mistake"):
        libreoffice.convert([doubling, slow], "xlsx", tmp_path / "out", ready=ready)
    profile = str(libreoffice._private_dir())
    assert subprocess.run(["pgrep", "-f", profile], capture_output=True).returncode == 1  # none left
    assert libreoffice.recalculated_values(doubling)["B1"] == 42
