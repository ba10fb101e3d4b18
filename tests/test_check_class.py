"""A teacher's folder at once, and what real spreadsheet programs save.

`python -m nbcourse check FOLDER` checks every workbook in it with one LibreOffice start (one more
for .ods files, whose formulas LibreOffice writes out first), prints one line per workbook and,
with --csv, the table for a gradebook. The workbooks here are saved by LibreOffice itself (.xlsx and
.ods, converted in the test with soffice), by Gnumeric (ssconvert), by openpyxl, and written as
Excel, Google Sheets and Numbers write theirs (shared and array formulas, inline strings, no
cached values).
"""

import csv
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nbcourse import check, files, libreoffice
from nbcourse.__main__ import main
from nbcourse.lessons import LESSONS, blank_layout
from nbcourse.workbook import blank_bytes, to_bytes
from tests.test_check import BLANKS, ROW_2, TO_FILL, course_answers, edit, once

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.libreoffice


def finished(key, folder, name=None):
    """Lesson `key`'s blank filled in with the course's formulas, saved by openpyxl."""
    return edit(BLANKS / LESSONS[key].FILE, folder / (name or f"finished-{key}.xlsx"), course_answers(key))


def excel_like(source, path):
    """`source` (written by XlsxWriter) rewritten as Excel, Google Sheets or Numbers may save it:
    each column's formulas below row 3 one shared formula, every string inline, no cached value
    of any formula, and G2 (when a formula) an array formula."""
    with zipfile.ZipFile(source) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    strings = re.findall(r"<si><t[^>]*>(.*?)</t></si>", parts.get("xl/sharedStrings.xml", b"").decode())
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'<c r="([A-Z]+\d+)"( s="\d+")? t="s"><v>(\d+)</v></c>',
                   lambda m: (f'<c r="{m[1]}"{m[2] or ""} t="inlineStr"><is><t>{strings[int(m[3])]}'
                              "</t></is></c>"), sheet)
    sheet = re.sub(r"(<f>[^<]*</f>)<v>[^<]*</v>", r"\1", sheet)  # no cached values
    sheet = re.sub(r'(<c r="G2"[^>]*>)<f>([^<]*)</f>', r'\1<f t="array" ref="G2">\2</f>', sheet)
    shared = {}

    def share(match):
        column, row, formula = match[3], int(match[4]), match[5]
        if row < 4:
            return match[0]
        key = column
        if key not in shared:
            shared[key] = len(shared)
            last = max(int(r) for r in re.findall(rf'<c r="{column}(\d+)"', sheet))
            return (f'{match[1]}<f t="shared" ref="{column}{row}:{column}{last}" si="{shared[key]}">'
                    f"{formula}</f>")
        return f'{match[1]}<f t="shared" si="{shared[key]}"/>'

    sheet = re.sub(r'(<c r="(([A-Z]+)(\d+))"[^>]*>)(?:<f>([^<]*)</f>)', share, sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    for name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):  # no shared strings any more
        parts[name] = re.sub(rb"<(Relationship|Override)[^>]*sharedStrings[^>]*/>", b"", parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            if name != "xl/sharedStrings.xml":
                out.writestr(name, data)
    return path


def ssconvert(source, path):
    if shutil.which("ssconvert") is None:
        pytest.skip("Gnumeric's ssconvert is not installed: sudo apt-get install gnumeric")
    subprocess.run(["ssconvert", str(source), str(path)], check=True, capture_output=True, timeout=120)
    return path


# -- what spreadsheet programs save ---------------------------------------------------------------

@pytest.fixture(scope="module")
def saved(tmp_path_factory, testrun_uid):
    if libreoffice.find_soffice() is None:
        return None
    return once(tmp_path_factory, testrun_uid, "saved", lambda: programs(tmp_path_factory.mktemp("programs")))


def programs(folder):
    """{name: workbook} of finished and half-done sheets as each program saves them."""
    row_2 = edit(BLANKS / LESSONS["02"].FILE, folder / "row-2.xlsx", ROW_2)
    # LibreOffice saves .xlsx, and its own .ods
    sources = {"01": finished("01", folder), "row-2": row_2, "04": finished("04", folder)}
    workbooks = {}
    for to, more in (("xlsx", {"03": finished("03", folder)}),
                     ("ods", {"untouched-02": BLANKS / LESSONS["02"].FILE})):
        jobs = {**sources, **more}
        for name, result in zip(jobs, libreoffice.convert(jobs.values(), to, folder / to), strict=True):
            workbooks[f"lo-{name}.{to}"] = result.rename(folder / f"lo-{name}.{to}")
    workbooks["gnumeric-row-2.xlsx"] = ssconvert(row_2, folder / "gnumeric-row-2.xlsx")
    workbooks["gnumeric-02.xlsx"] = ssconvert(finished("02", folder), folder / "gnumeric-02.xlsx")
    workbooks["openpyxl-01.xlsx"] = finished("01", folder, "openpyxl-01.xlsx")
    for key in ("01", "03"):
        source = folder / f"xlsxwriter-{key}.xlsx"
        source.write_bytes(to_bytes([LESSONS[key].sheet()]))
        workbooks[f"excel-like-{key}.xlsx"] = excel_like(source, folder / f"excel-like-{key}.xlsx")
    return workbooks


@pytest.fixture(scope="module")
def saved_reports(saved, tmp_path_factory, testrun_uid):
    if saved is None:
        return None
    return once(tmp_path_factory, testrun_uid, "saved-reports",
                lambda: dict(zip(saved, check.check_many(saved.values()), strict=True)))


@pytest.mark.parametrize("name, key", [("lo-01.xlsx", "01"), ("lo-03.xlsx", "03"), ("lo-04.xlsx", "04"),
                                       ("lo-01.ods", "01"), ("lo-04.ods", "04"), ("gnumeric-02.xlsx", "02"),
                                       ("openpyxl-01.xlsx", "01"), ("excel-like-01.xlsx", "01"),
                                       ("excel-like-03.xlsx", "03")])
def test_finished_sheets_saved_by_each_program_are_all_right(soffice, saved_reports, name, key):
    report = saved_reports[name]
    assert isinstance(report, check.Report), report.line()
    assert report.ok and report.lesson == key, report.text()
    assert len(report.right) == TO_FILL[key]


@pytest.mark.parametrize("name", ["lo-row-2.xlsx", "lo-row-2.ods", "gnumeric-row-2.xlsx"])
def test_work_in_progress_saved_by_each_program(soffice, saved_reports, name):
    report = saved_reports[name]
    assert report.right == ["E2", "F2", "H2", "I2"] and not report.wrong, report.text()
    assert len(report.to_do) == TO_FILL["02"] - 4


def test_an_untouched_ods_blank_is_all_to_do(soffice, saved_reports):
    report = saved_reports["lo-untouched-02.ods"]
    assert len(report.to_do) == TO_FILL["02"] and not report.right and not report.wrong


def test_the_excel_like_files_really_are(soffice, saved):
    """The test's own files hold what it says: shared and array formulas, inline strings, no
    cached values (so LibreOffice, not the cache, gives the numbers)."""
    sheet = zipfile.ZipFile(saved["excel-like-03.xlsx"]).read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count('t="shared"') > 9000 and 't="inlineStr"' in sheet and "<v>" in sheet
    assert not re.search(r"</f><v>", sheet)
    one = zipfile.ZipFile(saved["excel-like-01.xlsx"]).read("xl/worksheets/sheet1.xml").decode()
    assert '<f t="array" ref="G2">TANH(F2)</f>' in one
    assert "xl/sharedStrings.xml" not in zipfile.ZipFile(saved["excel-like-01.xlsx"]).namelist()


# -- a class at once ------------------------------------------------------------------------------

def classroom(folder):
    """A teacher's folder: finished, half-done and broken submissions, in folders of their own,
    under names with spaces, other alphabets and a leading dash."""
    folder.mkdir()
    (folder / "anna").mkdir()
    finished("01", folder / "anna", "lesson 1 ü.xlsx")
    edit(BLANKS / LESSONS["02"].FILE, folder / "-bo.xlsx", ROW_2)
    edit(BLANKS / LESSONS["02"].FILE, folder / "chen.xlsx", {**ROW_2, "E3": "=1-F2"})
    damaged = bytearray((BLANKS / LESSONS["01"].FILE).read_bytes())
    damaged[300:400] = bytes(100)  # inside the first part's packed data: its checksum fails
    (folder / "dara.xlsx").write_bytes(damaged)
    book = openpyxl.Workbook()
    book.active.append(["Name", "Price"])
    book.save(folder / "eli.xlsx")  # another layout
    with open(folder / "fay.xlsx", "wb") as big:  # too big (sparse: no disk space used)
        big.truncate(files.MAX_BYTES + 1)
    shutil.copyfile(BLANKS / LESSONS["03"].FILE, folder / "gus.xlsx")
    (folder / "notes.txt").write_text("not a workbook, not looked at")
    (folder / ".~lock.chen.xlsx#").write_text("chen,laptop,2024")
    return folder


def test_a_folder_is_one_line_per_workbook_with_one_libreoffice_start(soffice, tmp_path, starts, capsys):
    folder = classroom(tmp_path / "class")
    table = tmp_path / "marks.csv"
    assert main(["check", str(folder), "--csv", str(table)]) == 2  # the worst: a file that cannot be used
    assert len(starts) == 1
    lines = capsys.readouterr().out.splitlines()
    said = {line.split("  ")[0].strip(): line for line in lines if line.startswith(str(folder))}
    assert list(said) == [str(folder / name) for name in
                          ("-bo.xlsx", "anna/lesson 1 ü.xlsx", "chen.xlsx", "dara.xlsx", "eli.xlsx",
                           "fay.xlsx", "gus.xlsx")]
    assert said[str(folder / "-bo.xlsx")].endswith("lesson 02: 4 right, 0 wrong, 48 to do")
    assert said[str(folder / "anna/lesson 1 ü.xlsx")].endswith("lesson 01: 3 right, 0 wrong, 0 to do")
    assert said[str(folder / "chen.xlsx")].endswith("lesson 02: 4 right, 1 wrong, 47 to do; first mistake E3")
    assert "cannot be checked: dara.xlsx is damaged" in said[str(folder / "dara.xlsx")]
    assert "cannot be checked: eli.xlsx's first sheet is not laid out like any lesson's" in \
        said[str(folder / "eli.xlsx")]
    assert "cannot be checked: fay.xlsx is 20 MB, more than a workbook of this course can be" in \
        said[str(folder / "fay.xlsx")]
    assert said[str(folder / "gus.xlsx")].endswith(f"lesson 03: 0 right, 0 wrong, {TO_FILL['03']:,} to do")
    assert lines[-2] == "7 workbooks: 1 all right, 3 with something wrong or to do, 3 that cannot be checked."
    assert lines[-1] == f"The table is in {table}."
    with open(table, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == ["file", "lesson", "right", "wrong", "to_do", "first_mistake", "problem"]
    assert rows[2] == {"file": str(folder / "chen.xlsx"), "lesson": "02", "right": "4", "wrong": "1",
                       "to_do": "47", "first_mistake": "E3", "problem": ""}
    assert rows[3]["lesson"] == "" and rows[3]["problem"].startswith("dara.xlsx is damaged")
    assert [row["file"] for row in rows] == list(said)


def test_the_table_holds_no_formula_from_a_file_name(tmp_path, monkeypatch):
    """A file named like a formula, passed by its name: a spreadsheet opening the table would
    calculate it (and an =HYPERLINK or =WEBSERVICE could fetch); an apostrophe keeps it text."""
    monkeypatch.chdir(tmp_path)
    for name in ("=1+1.xlsx", "-x.xlsx", "@sum.xlsx", "plain.xlsx"):
        (tmp_path / name).write_text("not a workbook")
    assert main(["check", "--csv", "marks.csv", "--", "=1+1.xlsx", "-x.xlsx", "@sum.xlsx", "plain.xlsx"]) == 2
    with open("marks.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [row["file"] for row in rows] == ["'=1+1.xlsx", "'-x.xlsx", "'@sum.xlsx", "plain.xlsx"]
    assert rows[0]["problem"].startswith("'=1+1.xlsx is not a workbook")
    assert rows[3]["problem"].startswith("plain.xlsx is not a workbook")


def test_the_exit_code_is_the_worst_of_the_files(tmp_path, monkeypatch):
    """Without LibreOffice (the course's workbooks keep their values): all right, to do, unusable."""
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: None)
    right, to_do = ROOT / "spreadsheets" / LESSONS["01"].FILE, BLANKS / LESSONS["02"].FILE
    (tmp_path / "text.xlsx").write_text("no")
    assert main(["check", str(right)]) == 0
    assert main(["check", str(right), str(to_do)]) == 1
    assert main(["check", str(right), str(to_do), str(tmp_path / "text.xlsx")]) == 2


def test_the_table_never_overwrites_something_else(tmp_path, capsys):
    mine = tmp_path / "marks.csv"
    mine.write_text("name,mark\nanna,10\n")
    assert main(["check", str(BLANKS), "--csv", str(mine)]) == 2
    assert "is not a table that check wrote" in capsys.readouterr().err
    assert mine.read_text() == "name,mark\nanna,10\n"
    assert main(["check", str(BLANKS / LESSONS["01"].FILE), "--csv",
                 str(BLANKS / LESSONS["01"].FILE)]) == 2
    assert "is one of the workbooks to check" in capsys.readouterr().err


def test_an_empty_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert f"No workbooks (.xlsx or .ods) in {tmp_path}" in capsys.readouterr().err


def test_a_locked_file_is_one_line(soffice, tmp_path, monkeypatch, capsys):
    """A workbook open in Excel on Windows cannot be read (PermissionError). As root every file
    here can be read, so there this one file's open() raises it, as Windows would."""
    locked = shutil.copyfile(finished("01", tmp_path), tmp_path / "locked.xlsx")
    if os.geteuid() != 0:
        locked.chmod(0)
    else:
        real_open = open

        def windows_open(path, *args, **kwargs):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(files, "open", windows_open, raising=False)
    assert main(["check", str(locked), str(tmp_path / "finished-01.xlsx")]) == 2
    first, second = capsys.readouterr().out.splitlines()[:2]
    assert first.startswith(str(locked)) and "cannot be checked: Cannot read" in first
    assert "another program has it open. Close it first." in first
    assert second.startswith(str(tmp_path / "finished-01.xlsx"))
    assert second.endswith("lesson 01: 3 right, 0 wrong, 0 to do")


def test_a_file_name_with_a_leading_dash_from_the_command_line(soffice, tmp_path):
    """After `--` (as for any command), and as ./-name."""
    dash = finished("01", tmp_path, "-mine ü.xlsx")
    result = subprocess.run([sys.executable, "-m", "nbcourse", "check", "--", dash.name, f"./{dash.name}"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["-mine ü.xlsx  lesson 01: 3 right, 0 wrong, 0 to do"] * 2


def test_a_lesson_registered_at_run_time_has_a_blank_that_checks(soffice, tmp_path):
    """The contract's proof, for blanks: the extra lesson gets a blank, and check goes from all to
    do to all right on it (tests/test_structure.py builds it with the others)."""
    from nbcourse import lessons
    from tests.test_structure import tiny_lesson

    lesson = lessons.register(tiny_lesson())
    try:
        blank = tmp_path / lesson.FILE
        blank.write_bytes(blank_bytes(lesson))
        untouched, done = check.check_many([blank, edit(blank, tmp_path / "done.xlsx", {"B2": "=A2*2"})])
        assert untouched.lesson == "99" and untouched.to_do == ["B2"]
        assert done.ok and done.right == ["B2"]
        assert blank_layout(lesson).sheet().to_fill() == ["B2"]
    finally:
        lessons.unregister(lesson.KEY)
