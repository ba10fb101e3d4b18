"""How check reads a workbook and LibreOffice's answer, without openpyxl's whole object model.

files.read_xlsx reads an admitted .xlsx's cells and names with openpyxl in read-only mode; they
must be what openpyxl's full reading gives, on the course's workbooks and on what spreadsheet
programs save, and, on a file written as other writers write, what the file says.
files.write_xlsx writes the cells-only copy LibreOffice calculates; libreoffice.csv_values reads
the CSV LibreOffice writes of it, where only text is quoted.
"""

import datetime
import math
import warnings
import zipfile

import numpy
import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH

from nbcourse import files, libreoffice
from nbcourse.errors import CourseError
from nbcourse.files import Cell
from tests.test_check import BLANKS, SPREADSHEETS
from tests.test_check_class import saved  # noqa: F401 (a fixture: what each program saves)

OURS = sorted(SPREADSHEETS.glob("*.xlsx")) + sorted(BLANKS.glob("*.xlsx"))


def as_openpyxl_reads(path):
    """[(title, {address: formula or value}, {address: stored value})], names, as openpyxl sees them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        formulas, stored = (openpyxl.load_workbook(path, data_only=data) for data in (False, True))
    sheets = [(page.title, {c.coordinate: getattr(c.value, "text", c.value)
                            for c in page._cells.values() if c.value is not None},
               {c.coordinate: c.value for c in stored[page.title]._cells.values() if c.value is not None})
              for page in formulas.worksheets]
    names = {(name, None, d.attr_text) for name, d in formulas.defined_names.items()}
    names |= {(name, number, d.attr_text) for number, page in enumerate(formulas.worksheets)
              for name, d in page.defined_names.items()}
    return sheets, names


def assert_reads_alike(path):
    book = files.read_xlsx(path, cached=True)
    sheets, names = as_openpyxl_reads(path)
    assert [title for title, _ in book.sheets] == [title for title, _, _ in sheets]
    for (_, cells), (title, formulas, stored) in zip(book.sheets, sheets, strict=True):
        assert {a: c.value for a, c in cells.items()} == formulas, title
        mine = {a: c.cached if c.kind == "f" else c.value for a, c in cells.items()}
        mine = {a: v for a, v in mine.items() if v is not None}
        assert mine.keys() == stored.keys(), title
        for address, value in stored.items():  # a date-formatted number is a datetime to openpyxl
            if not hasattr(value, "year"):
                assert mine[address] == value, (title, address)
    assert set(book.names) == names


@pytest.mark.parametrize("path", OURS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_course_s_workbooks_read_as_openpyxl_reads_them(path):
    assert_reads_alike(path)


@pytest.mark.libreoffice
def test_what_programs_save_reads_as_openpyxl_reads_it(soffice, saved):  # noqa: F811
    """LibreOffice's .xlsx, Gnumeric's, openpyxl's and the Excel-like ones (shared and array
    formulas, inline strings, no stored values)."""
    for name, path in saved.items():
        if name.endswith(".xlsx"):
            assert_reads_alike(path)


# -- what other writers do --------------------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE = "application/vnd.openxmlformats-officedocument"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"


def handmade(path):
    """An .xlsx as writers other than ours may write it: a chart sheet first, a prefix on every
    tag (as the Open XML SDK writes), rows and cells without their r, a stated size smaller than
    the sheet, rich and phonetic text, shared and array formulas, sheet-scoped names
    (localSheetId counts the chart sheet), a print area, a number shown as a date."""
    sheet = f"""<x:worksheet xmlns:x="{MAIN}"><x:dimension ref="A1:B2"/><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="inlineStr">
<x:is><x:r><x:t>in</x:t></x:r><x:r><x:t xml:space="preserve">line </x:t></x:r></x:is></x:c></x:row>
<x:row><x:c r="A2"><x:v>2</x:v></x:c><x:c r="B2"><x:v>0.25</x:v></x:c><x:c r="C2"><x:v>1E-3</x:v></x:c>
<x:c r="D2" t="b"><x:v>1</x:v></x:c><x:c r="E2" t="e"><x:v>#N/A</x:v></x:c><x:c r="F2" s="1"/>
<x:c r="G2" s="1"><x:v>45292.75</x:v></x:c></x:row>
<x:row r="4"><x:c r="A4"><x:f t="shared" ref="A4:A6" si="0">A2*$B$2+B4</x:f><x:v>0.5</x:v></x:c>
<x:c r="B4" t="str"><x:f>"a"&amp;"b"</x:f><x:v>ab</x:v></x:c>
<x:c r="C4"><x:f t="array" ref="C4:C5">TANH(B2:B3)</x:f><x:v>0.2</x:v></x:c></x:row>
<x:row r="5"><x:c r="A5"><x:f t="shared" si="0"/></x:c><x:c r="C5"><x:v>0</x:v></x:c></x:row>
<x:row r="6"><x:c r="A6"><x:f t="shared" si="0"/><x:v>7</x:v></x:c></x:row>
</x:sheetData></x:worksheet>"""
    parts = {
        "[Content_Types].xml": f"""<Types xmlns="{TYPES}">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/strings.xml" ContentType="{OFFICE}.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="{OFFICE}.spreadsheetml.styles+xml"/></Types>""",
        "xl/_rels/workbook.xml.rels": f"""<Relationships xmlns="{PACKAGE}">
<Relationship Id="c1" Type="{RELS}/chartsheet" Target="chartsheets/sheet1.xml"/>
<Relationship Id="w1" Type="{RELS}/worksheet" Target="/xl/worksheets/data.xml"/>
<Relationship Id="w2" Type="{RELS}/worksheet" Target="worksheets/../worksheets/more.xml"/>
<Relationship Id="s" Type="{RELS}/sharedStrings" Target="strings.xml"/>
<Relationship Id="y" Type="{RELS}/styles" Target="styles.xml"/></Relationships>""",
        "xl/workbook.xml": f"""<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>
<sheet name="Chart" sheetId="3" r:id="c1"/><sheet name="Data" sheetId="1" r:id="w1"/>
<sheet name="It's more" sheetId="2" r:id="w2"/></sheets><definedNames>
<definedName name="Rate">Data!$B$2</definedName>
<definedName name="Rate" localSheetId="2">'It''s more'!$A$1</definedName>
<definedName name="_xlnm.Print_Area" localSheetId="1">Data!$A$1:$F$6</definedName>
</definedNames></workbook>""",
        "xl/chartsheets/sheet1.xml": f'<chartsheet xmlns="{MAIN}" xmlns:r="{RELS}"><drawing r:id="d"/>'
                                     "</chartsheet>",
        "xl/chartsheets/_rels/sheet1.xml.rels": f"""<Relationships xmlns="{PACKAGE}">
<Relationship Id="d" Type="{RELS}/drawing" Target="../drawings/drawing1.xml"/></Relationships>""",
        "xl/drawings/drawing1.xml": f'<wsDr xmlns="{DRAWING}"/>',
        "xl/strings.xml": f"""<sst xmlns="{MAIN}"><si><t>Input</t></si><si><r><t>Wei</t></r><r><t>ght</t></r>
<rPh sb="0" eb="1"><t>ウェイト</t></rPh></si></sst>""",
        "xl/styles.xml": f"""<styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/>
<xf numFmtId="22"/></cellXfs></styleSheet>""",  # 22: m/d/yy h:mm, a date
        "xl/worksheets/data.xml": sheet,
        "xl/worksheets/more.xml": f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>3</v></c>'
                                  "</row></sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


def test_what_other_writers_write_is_read(tmp_path):
    path = handmade(tmp_path / "handmade.xlsx")
    book = files.read_xlsx(path)
    (data, cells), (more, others) = book.sheets
    assert (data, more) == ("Data", "It's more")  # the chart sheet has no cells
    assert {a: c.value for a, c in cells.items()} == {
        "A1": "Input", "B1": "Weight", "C1": "inline ", "A2": 2, "B2": 0.25, "C2": 0.001, "D2": True,
        "E2": "#N/A", "G2": 45292.75, "A4": "=A2*$B$2+B4", "B4": '="a"&"b"', "C4": "=TANH(B2:B3)",
        "A5": "=A3*$B$2+B5", "C5": 0, "A6": "=A4*$B$2+B6"}
    assert [cells[a].kind for a in ("A1", "A2", "B2", "D2", "E2", "G2", "A4", "C5")] == list("snnbenfn")
    assert cells["A2"].value.__class__ is int and cells["B2"].value.__class__ is float
    assert [cells[a].cached for a in ("A4", "B4", "A5", "A6")] == [None] * 4  # not asked for
    assert cells["C4"].options == (("t", "array"), ("ref", "C4:C5")) and cells["A4"].options == ()
    assert others == {"A1": Cell(3, "n")}
    assert sorted(book.names, key=str) == [("Rate", 1, "'It''s more'!$A$1"), ("Rate", None, "Data!$B$2")]
    cells = files.read_xlsx(path, cached=True).sheets[0][1]
    assert [cells[a].cached for a in ("A4", "B4", "C4", "A5", "A6")] == [0.5, "ab", 0.2, None, 7]
    assert cells["A2"] == Cell(2, "n")


def test_a_strict_workbook_is_refused_with_what_to_do(tmp_path):
    """Excel's "Strict Open XML Spreadsheet": the same parts under other namespaces, in which
    openpyxl finds no sheets; the learner is told how to save it instead."""
    book = openpyxl.Workbook()
    book.active["A1"] = 2
    book.save(tmp_path / "transitional.xlsx")
    strict = tmp_path / "strict.xlsx"
    with zipfile.ZipFile(tmp_path / "transitional.xlsx") as z, zipfile.ZipFile(strict, "w") as out:
        for part in z.namelist():
            out.writestr(part, z.read(part).replace(MAIN.encode(), files.STRICT).replace(
                RELS.encode(), b"http://purl.oclc.org/ooxml/officeDocument/relationships"))
    assert files.read_xlsx(strict).sheets == []
    with pytest.raises(CourseError, match=r"strict.xlsx is saved as Strict Open XML.*not Strict"):
        files.admit(strict, tmp_path, "copy")
    assert files.admit(tmp_path / "transitional.xlsx", tmp_path, "copy").kind == "xlsx"


def test_dates_read_as_the_numbers_formulas_see(tmp_path):
    """openpyxl gives a date for a number shown as one (a learner may format an input so): check
    needs the number, to the millisecond, in a 1904 workbook too."""
    for epoch in (False, True):
        book = openpyxl.Workbook()
        book.epoch = CALENDAR_MAC_1904 if epoch else WINDOWS_EPOCH
        page = book.active
        page["A1"], page["A2"], page["A3"] = datetime.datetime(2024, 1, 1, 18), datetime.time(12), 0.8
        page["A4"] = "=A1+1"
        page["A3"].number_format = "hh:mm"
        book.save(tmp_path / "dates.xlsx")
        cells = files.read_xlsx(tmp_path / "dates.xlsx").sheets[0][1]
        assert cells == {"A1": Cell(45292.75 - 1462 * epoch, "n"), "A2": Cell(0.5, "n"), "A3": Cell(0.8, "n"),
                         "A4": Cell("=A1+1", "f")}


def test_the_copy_holds_every_kind_of_cell_and_reads_back(tmp_path):
    """What files.write_xlsx writes, read back by read_xlsx and by openpyxl: the same cells and
    names, every digit of each number, and nothing else (no styles, no stored values)."""
    cells = {"A1": Cell("Input", "s"), "B1": Cell("  spaced <&> \"quoted\" ", "s"),
             "A2": Cell(0.1 + 0.2, "n"), "B2": Cell(7, "n"), "C2": Cell(-1.2345678901234567e-300, "n"),
             "D2": Cell(False, "b"), "E2": Cell("#DIV/0!", "e"), "F2": Cell("=A2*B2+Rate", "f"),
             "G2": Cell('=IF(A1="x<y","&",A2)', "f"), "AA10": Cell("=SUM(A2:B2)", "f", 9.9),
             "H2": Cell("=TANH(A2:B2)", "f", None, (("t", "array"), ("ref", "H2:I2")))}
    names = [("Rate", None, "'My sheet'!$B$2"), ("Own", 1, "Other!$A$1")]
    path = tmp_path / "copy.xlsx"
    files.write_xlsx(path, [("My sheet", cells), ("Other", {"A1": Cell(1, "n")})], names)
    book = files.read_xlsx(path)
    assert [title for title, _ in book.sheets] == ["My sheet", "Other"]
    assert book.sheets[0][1] == {**cells, "AA10": Cell("=SUM(A2:B2)", "f")}  # no stored value
    assert book.sheets[0][1]["A2"].value == 0.30000000000000004 and book.names == names
    files.write_xlsx(tmp_path / "numpy.xlsx", [("S", {"A1": Cell(numpy.float64(0.1), "n"),
                                                      "A2": Cell(numpy.int64(3), "n")})])
    assert files.read_xlsx(tmp_path / "numpy.xlsx").sheets[0][1] == {"A1": Cell(0.1, "n"), "A2": Cell(3, "n")}
    read = openpyxl.load_workbook(path)
    assert read.worksheets[0]["C2"].value == -1.2345678901234567e-300
    assert read.worksheets[0]["B1"].value == '  spaced <&> "quoted" '
    assert "styles" not in " ".join(zipfile.ZipFile(path).namelist())


# -- LibreOffice's CSV ---------------------------------------------------------------------------------

def test_csv_values_keep_text_and_numbers_apart(tmp_path):
    csv = tmp_path / "values.csv"
    csv.write_text('"Input","1.5",1.5,,"",TRUE,FALSE\n'
                   '"say ""hi"", twice","two\nlines",1E-020,-7,12.5%,"#DIV/0!","Err:502",2024-01-02\n'
                   ",,,,,,,\n,3\n", encoding="utf-8")
    assert libreoffice.csv_values(csv) == {
        "A1": "Input", "B1": "1.5", "C1": 1.5, "F1": True, "G1": False,
        "A2": 'say "hi", twice', "B2": "two\nlines", "C2": 1e-20, "D2": -7, "E2": 0.125, "F2": "#DIV/0!",
        "G2": "#VALUE!", "H2": "2024-01-02", "B4": 3}
    assert libreoffice.csv_values(csv, rows=2, columns=2) == {"A1": "Input", "B1": "1.5",
                                                              "A2": 'say "hi", twice', "B2": "two\nlines"}
    assert libreoffice.csv_values(csv)["D2"].__class__ is int
    csv.write_bytes(csv.read_bytes().replace(b"\n", b"\r\n"))  # as on Windows
    assert libreoffice.csv_values(csv)["B2"] == "two\nlines" and libreoffice.csv_values(csv)["B4"] == 3


def test_csv_values_refuse_what_libreoffice_does_not_write(tmp_path):
    csv = tmp_path / "broken.csv"
    csv.write_text('1,"unclosed\n', encoding="utf-8")
    with pytest.raises(CourseError, match="do not read back"):
        libreoffice.csv_values(csv)


@pytest.mark.libreoffice
def test_libreoffice_s_csv_under_another_locale(soffice, tmp_path, monkeypatch):
    """Under a German locale LibreOffice would write 0,05; the profile's locale keeps points.
    Text that looks like a number stays text; a formula's "" is empty; a result LibreOffice
    shows as a percentage or a truth value still reads as its value."""
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    cells = {"A1": Cell("1.5", "s"), "B1": Cell(1.5, "n"), "C1": Cell("=B1/30", "f"), "D1": Cell('=""', "f"),
             "E1": Cell("=B1*10%", "f"), "F1": Cell("=B1>1", "f"), "G1": Cell("=SQRT(-1)", "f"),
             "H1": Cell("=TANH(0.8)", "f"), "B3": Cell("two\nlines, one cell", "s")}
    files.write_xlsx(tmp_path / "values.xlsx", [("Sheet", cells), ("Other", {"A1": Cell(5, "n")})])
    (csv,) = libreoffice.convert([tmp_path / "values.xlsx"], "csv", tmp_path / "out")
    values = libreoffice.csv_values(csv)
    assert values == {"A1": "1.5", "B1": 1.5, "C1": pytest.approx(0.05, rel=1e-14), "E1": pytest.approx(0.15),
                      "F1": True, "G1": "#VALUE!", "H1": pytest.approx(math.tanh(0.8), rel=1e-14),
                      "B3": "two\nlines, one cell"}
