"""Any file, safely: check opens workbooks that learners, or strangers, sent.

It must not reach the network (a listener on a local port sees every connection attempt), run
macros (their files are refused), or fall over: a zip bomb, a million rows, a 100 MB file and
XML entities are refused before openpyxl or LibreOffice opens anything, in bounded memory, and
a workbook LibreOffice hangs on is stopped and is one line of the table.
"""

import io
import socket
import struct
import subprocess
import sys
import threading
import urllib.request
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nbcourse import check, files, libreoffice
from nbcourse.errors import CourseError
from nbcourse.hostile import million_rows, too_big, zip_bomb
from nbcourse.lessons import LESSONS
from tests.test_check import BLANKS, course_answers, edit, once
from tests.test_libreoffice import heavy

ROOT = Path(__file__).resolve().parent.parent


# -- nothing is fetched ------------------------------------------------------------------------------

@pytest.fixture
def listener():
    """A local web server that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    seen = []

    def serve():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            seen.append(connection.recv(4096))
            connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n<a>42</a>")
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    url = f"http://127.0.0.1:{server.getsockname()[1]}"
    urllib.request.urlopen(url + "/probe", timeout=10).read()  # it does see a connection
    assert len(seen) == 1 and b"GET /probe" in seen[0]
    seen.clear()
    yield url, seen
    server.close()


def fetching(url, folder):
    """Lesson 01's finished sheet with formulas that would fetch beside it: WEBSERVICE, FILTERXML of
    it, a link to another workbook on the web and a DDE link, as .xlsx and .ods. LibreOffice writes
    the link as Excel keeps it (an externalLink part) from its own syntax, converting a flat .fods
    (under the same settings: a fetch then would count too)."""
    source = edit(BLANKS / LESSONS["01"].FILE, folder / "web.xlsx", {
        **course_answers("01"),
        "K1": f'=_xlfn.WEBSERVICE("{url}/webservice")',
        "K2": f'=_xlfn.FILTERXML(_xlfn.WEBSERVICE("{url}/filterxml"),"//a")',
        "K3": f'=DDE("soffice";"{url}/dde.ods";"Sheet1.A1")'})
    flat = folder / "link.fods"
    flat.write_text(f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet><table:table table:name="Single neuron">
<table:table-row><table:table-cell office:value-type="string"><text:p>Input 1</text:p></table:table-cell>
<table:table-cell table:formula="of:=['{url}/other.ods'#$Sheet1.A1]" office:value-type="float"
 office:value="0"/>
</table:table-row></table:table></office:spreadsheet></office:body></office:document>''')
    (link,) = libreoffice.convert([flat], "xlsx", folder / "link")
    assert any(n.startswith("xl/externalLinks/") for n in zipfile.ZipFile(link).namelist())
    book = openpyxl.load_workbook(link)  # the link, in lesson 01's finished sheet
    formula = book.worksheets[0]["B1"].value
    done = edit(BLANKS / LESSONS["01"].FILE, folder / "linked.xlsx", course_answers("01"))
    linked = openpyxl.load_workbook(done)
    linked.worksheets[0]["K4"] = formula
    linked._external_links = book._external_links
    linked.save(done)
    (ods,) = libreoffice.convert([source], "ods", folder / "ods")
    return [source, done, ods]


@pytest.mark.libreoffice
def test_formulas_that_fetch_are_never_fetched(soffice, listener, tmp_path):
    url, seen = listener
    workbooks = fetching(url, tmp_path)
    assert url.encode() in zipfile.ZipFile(workbooks[1]).read("xl/externalLinks/_rels/externalLink1.xml.rels")
    reports = check.check_many(workbooks)
    values = [libreoffice.recalculated_values(path) for path in workbooks[:2]]
    assert seen == []  # no connection, while converting, checking or recalculating
    for report in reports:
        assert report.ok and report.lesson == "01", report.text()  # the lesson's cells are judged
    assert values[0]["K1"] == "#N/A" and values[0]["K2"] == "#N/A"  # fetched nothing
    assert values[1]["K4"] != 42


# -- macros never run --------------------------------------------------------------------------------

def repacked(source, path, extra):
    """`source` with more parts in its zip."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist():
            out.writestr(item, z.read(item))
        for name, data in extra.items():
            out.writestr(name, data)
    return path


@pytest.fixture(scope="module")
def an_ods(tmp_path_factory, testrun_uid):
    """Lesson 01's blank as LibreOffice's own .ods."""
    if libreoffice.find_soffice() is None:
        return None
    return once(tmp_path_factory, testrun_uid, "an-ods", lambda: libreoffice.convert(
        [BLANKS / LESSONS["01"].FILE], "ods", tmp_path_factory.mktemp("ods"))[0])


def test_macro_workbooks_are_refused(tmp_path, an_ods):
    blank = BLANKS / LESSONS["01"].FILE
    xlsm = tmp_path / "macros.xlsm"
    xlsm.write_bytes(blank.read_bytes())
    cases = {
        xlsm: ".xlsm is Excel's format for workbooks with macros",
        repacked(blank, tmp_path / "vba.xlsx", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}): "Visual Basic",
        repacked(blank, tmp_path / "xlm.xlsx", {"xl/macrosheets/sheet1.xml": b"<xm/>"}): "Excel 4 macros",
    }
    if an_ods is not None:
        basic = repacked(an_ods, tmp_path / "basic.ods",
                         {"Basic/Standard/Module1.xml": b"<script:module/>", "Basic/script-lc.xml": b"<x/>"})
        cases[basic] = "LibreOffice Basic"
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    results = check.check_many([*cases, old])
    for (path, what), result in zip(cases.items(), results, strict=False):
        assert isinstance(result, check.Unusable), path
        assert result.problem.startswith(f"{path.name} holds macros (") and what in result.problem
        assert "the check never runs them" in result.problem
        assert "Save a copy without macros" in result.problem
    assert "old.xls is an old Excel workbook (.xls) or a password-protected one" in results[-1].problem


# -- too big: refused before anything opens it, in bounded memory -------------------------------------

def lying(path):
    """A zip whose sheet says it unpacks to 5,000 bytes but holds 100 MB of zeros."""
    zip_bomb(path, 0.1)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        local = z.getinfo("xl/worksheets/sheet1.xml").header_offset
    assert data[local:local + 4] == b"PK\x03\x04"
    data[local + 22:local + 26] = struct.pack("<I", 5000)  # the local header's unpacked size
    central = data.rindex(b"PK\x01\x02")  # the last part's entry in the central directory
    data[central + 24:central + 28] = struct.pack("<I", 5000)
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size == 5000
    return path


def million_ods_rows(path, an_ods):
    """An .ods whose one row, with a number in it, repeats a million times."""
    with zipfile.ZipFile(an_ods) as z:
        parts = {item.filename: z.read(item) for item in z.infolist()}
    content = parts["content.xml"].decode()
    row = ('<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
           'office:value-type="float" office:value="1"/></table:table-row>')
    parts["content.xml"] = content.replace("</table:table>", row + "</table:table>", 1).encode()
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return path


def big_array(path):
    """One array formula over 702,000 cells (A1:ZZ1000)."""
    blank = BLANKS / LESSONS["01"].FILE
    with zipfile.ZipFile(blank) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").replace(
            b"</sheetData>", b'<row r="3"><c r="A3"><f t="array" ref="A1:ZZ1000">1</f></c></row></sheetData>')
    return repacked_with(blank, path, {"xl/worksheets/sheet1.xml": sheet})


def laughs(path):
    """The billion laughs: XML entities that expand to a gigabyte."""
    blank = BLANKS / LESSONS["01"].FILE
    entities = '<!ENTITY a "lol">' + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                                              for i in range(9))
    with zipfile.ZipFile(blank) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet", 1)
    sheet = sheet.replace("<sheetData>", '<sheetData><row r="20"><c r="A20" t="inlineStr"><is><t>&j;</t></is>'
                                         "</c></row>", 1)
    return repacked_with(blank, path, {"xl/worksheets/sheet1.xml": sheet.encode()})


def repacked_with(source, path, replaced):
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist():
            out.writestr(item, replaced.get(item.filename, z.read(item)))
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, testrun_uid, an_ods):
    return once(tmp_path_factory, testrun_uid, "hostile", lambda: make_hostile(tmp_path_factory, an_ods))


def make_hostile(tmp_path_factory, an_ods):
    folder = tmp_path_factory.mktemp("hostile")
    made = {"bomb": zip_bomb(folder / "bomb.xlsx"), "lying": lying(folder / "lying.xlsx"),
            "million": million_rows(folder / "million.xlsx"), "array": big_array(folder / "array.xlsx"),
            "laughs": laughs(folder / "laughs.xlsx")}
    made["big"] = too_big(folder / "big.xlsx")
    if an_ods is not None:
        made["million-ods"] = million_ods_rows(folder / "million.ods", an_ods)
    return made


REFUSALS = {
    "bomb": "bomb.xlsx would unpack to 1,500 MB, more than a workbook of this course can (at most 60 MB)",
    "lying": "lying.xlsx is damaged (its zip does not read back whole)",
    "million": "million.xlsx has 1,000,000 rows, more than a workbook of this course (at most 100,000",
    "array": "array.xlsx has 702,0",
    "laughs": "laughs.xlsx declares XML entities (in xl/worksheets/sheet1.xml), which no spreadsheet",
    "big": "big.xlsx is 100 MB, more than a workbook of this course can be (at most 20 MB)",
    "million-ods": "million.ods has 1,000,0",  # and the rows of the blank it was made from
}


def test_hostile_files_are_refused_before_anything_opens_them(hostile, monkeypatch):
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a))
    monkeypatch.setattr(libreoffice, "_run", lambda *a: opened.append(a))
    results = check.check_many(hostile.values())
    assert opened == []
    for name, result in zip(hostile, results, strict=True):
        assert isinstance(result, check.Unusable), name
        assert result.problem.startswith(REFUSALS[name]), (name, result.problem)


def test_admit_reads_no_further_than_a_part_says(tmp_path, hostile):
    """zipfile stops at the stated size and the checksum fails: the lie is caught, not unpacked."""
    with pytest.raises(CourseError, match="is damaged"):
        files.admit(hostile["lying"], tmp_path, "copy")


def test_refusing_them_takes_little_memory(hostile):
    """The command line on every hostile file at once, in a process of its own: its peak memory is
    a Python with the course's packages loaded, not gigabytes."""
    code = ("import resource, subprocess, sys; "
            "done = subprocess.run([sys.executable, '-m', 'nbcourse', 'check', *sys.argv[1:]], "
            "capture_output=True, text=True, timeout=300); "
            "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
            "print(done.stdout)")
    result = subprocess.run([sys.executable, "-c", code, *map(str, hostile.values())], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    status, peak = map(int, result.stdout.splitlines()[0].split())
    assert status == 2, result.stdout
    assert peak < 400_000, f"{peak / 1000:.0f} MB"  # kilobytes, on Linux
    assert result.stdout.count("cannot be checked: ") == len(hostile)


# -- a workbook LibreOffice hangs on is one line -------------------------------------------------------

@pytest.mark.libreoffice
def test_a_workbook_libreoffice_hangs_on_is_one_line(soffice, tmp_path, monkeypatch):
    """Lesson 01's finished sheet, with a minute of sums of sines beside it."""
    monkeypatch.setattr(libreoffice, "TIMEOUT", 2)  # the slow file is never first, so no STARTUP more
    slow = heavy(tmp_path / "slow-sums.xlsx")
    done = edit(BLANKS / LESSONS["01"].FILE, tmp_path / "slow.xlsx", course_answers("01"))
    book = openpyxl.load_workbook(done)
    for (cell,) in openpyxl.load_workbook(slow).worksheets[0].iter_rows(max_col=1):
        book.worksheets[0][f"K{cell.row}"] = cell.value
    book.save(tmp_path / "slow.xlsx")
    fine = edit(BLANKS / LESSONS["01"].FILE, tmp_path / "fine.xlsx", course_answers("01"))
    fine_result, slow_result = check.check_many([fine, tmp_path / "slow.xlsx"])  # the first gets STARTUP more
    assert isinstance(slow_result, check.Unusable)
    assert slow_result.line() == ("cannot be checked: LibreOffice took more than 2 s over slow.xlsx and "
                                  "was stopped: the workbook may be too heavy to calculate (or, on a first "
                                  "start, try again).")
    assert fine_result.ok
