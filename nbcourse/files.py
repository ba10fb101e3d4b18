"""Writing workbooks without losing anything a learner made, and reading workbooks from anyone.

Every file is written to a temporary file beside it and renamed over it, so an
interrupted build leaves the old workbook whole. A manifest of content hashes
records what the course last generated: a workbook that differs from it was
edited by someone, and is never overwritten without keeping their copy.
A workbook sent to the checker is hostile until admit() has measured it.
"""

import datetime
import hashlib
import json
import numbers
import os
import re
import tempfile
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from nbcourse.errors import CourseError

MANIFEST = ".manifest.json"


def digest(data):
    return hashlib.sha256(data).hexdigest()


def write_atomic(path, data):
    """Write bytes to path so that readers only ever see the old or the new file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a workbook is for sharing
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def locked_by(path):
    """The lock file an office program keeps while the workbook is open, if any."""
    for lock in (f".~lock.{path.name}#", f"~${path.name}"):
        if (path.parent / lock).exists():
            return path.parent / lock
    return None


def set_aside(path):
    """Move a learner's workbook to NAME-edited-<time>.xlsx (never over an earlier one)."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}-edited-{stamp}{path.suffix}")
    number = 1
    while aside.exists():  # forced twice in one second
        number += 1
        aside = path.with_name(f"{path.stem}-edited-{stamp}-{number}{path.suffix}")
    os.rename(path, aside)  # not os.replace: on Windows rename refuses to overwrite, safely
    return aside


def manifest(folder):
    """{file name: hash} of what the course last wrote; empty when unreadable, which counts
    every workbook there as edited: the safe side."""
    file = Path(folder) / MANIFEST
    try:
        hashes = json.loads(file.read_text())
    except (OSError, ValueError):
        return {}
    return hashes if isinstance(hashes, dict) else {}


def publish(path, data, force=False, keep=False):
    """Write a generated workbook; returns a sentence saying what happened.

    An existing file that the course did not generate (its hash is not the one in
    the manifest) is the learner's: refuse, or with force move it aside first. With
    keep (a blank workbook, which a learner fills in in place) it is kept as it is.
    """
    path = Path(path)
    try:
        return _publish(path, data, force, keep)
    except PermissionError:  # Windows locks a workbook open in Excel; or a read-only folder
        raise CourseError(f"Cannot write {path}: permission denied. Close any "
                          "program that has it open, or check the folder's permissions.") from None


def _publish(path, data, force, keep):
    hashes = manifest(path.parent)
    saved = ""
    if path.exists():
        current = digest(path.read_bytes())
        if current == digest(data):
            return f"{path}: up to date"
        edited = current != hashes.get(path.name)
        if edited and keep and not force:
            return (f"{path}: kept as you filled it in (build --force moves it aside as "
                    "...-edited-<time>.xlsx and writes a fresh one)")
        if lock := locked_by(path):
            raise CourseError(f"{path} is open in a spreadsheet program ({lock.name} exists): "
                              "close it there, then build again.")
        if edited:
            if not force:
                raise CourseError(f"{path} has changes that the course did not make (your edits?). "
                                  "Rename it to keep it, or build with --force, which keeps your copy "
                                  "beside it as ...-edited-<time>.xlsx.")
            saved = f" (your edited copy is now {set_aside(path)})"
    write_atomic(path, data)
    hashes[path.name] = digest(data)
    write_atomic(path.parent / MANIFEST, (json.dumps(hashes, indent=1, sort_keys=True) + "\n").encode())
    return f"{path}: written{saved}"


# -- reading a workbook from anyone ---------------------------------------------------------------
# check opens files that learners, or strangers, sent. Before openpyxl or LibreOffice sees one,
# admit() measures it without unpacking more than it says it holds, and copies it part by part,
# so what they open has honest sizes. The course's biggest workbook (lesson 04's: 1.3 MB, 4.9 MB
# unpacked, 56,000 cells, 1,003 rows) is far below every limit.
MAX_BYTES = 20_000_000
MAX_UNPACKED = 60_000_000
MAX_PARTS = 5_000  # files inside the zip
MAX_CELLS = 400_000  # filled cells, all sheets together (repeated cells of an .ods counted each)
MAX_ROWS = 100_000  # the last row of any sheet
CHUNK = 1 << 20
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected workbook
STRICT = b"http://purl.oclc.org/ooxml/spreadsheetml/main"  # Excel's "Strict Open XML Spreadsheet"
SAVE_AS = "Save it from your spreadsheet program as an Excel workbook (.xlsx) or .ods and check that file."
MACROS = ("{name} holds macros ({what}): the check never runs them, so it does not open such files. "
          "Save a copy without macros as .xlsx (or .ods) and check that file.")
# XML that can make a parser expand or fetch: no spreadsheet program writes it into a workbook.
DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)")
# a cell, the row number of a row, the area of a shared or array formula (any namespace prefix)
XLSX_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
XLSX_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
XLSX_AREA = re.compile(rb"<(?:\w+:)?f\b[^>]*?\bref=\"\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)\"")
# an .ods row (and how many times it repeats) or cell (filled: a value type or formula)
ODS_TAG = re.compile(rb"<(?:\w+:)?(table-row|table-cell|covered-table-cell)\b([^>]*)>")
ODS_REPEAT = re.compile(rb"number-(?:rows|columns)-repeated=\"(\d+)\"")
ODS_FILLED = re.compile(rb"value-type=|formula=")


class Admitted(NamedTuple):
    path: Path  # the checked copy
    kind: str  # "xlsx" or "ods"


def admit(path, folder, stem):
    """A checked copy of the spreadsheet at `path` (from anyone), as folder/STEM.xlsx or .ods.

    Refused with a CourseError saying why and what to do: a missing, empty, locked or damaged
    file; one that is not an .xlsx or .ods workbook, or is a Strict one; one with macros; one too
    big to be a workbook of this course, in bytes, unpacked, cells or rows (a zip bomb, a million
    rows).
    """
    path = Path(path)
    if not path.is_file():
        raise CourseError(f"No workbook at {path}: check the file name.")
    size = path.stat().st_size
    if size == 0:
        raise CourseError(f"{path.name} is empty, not a workbook: save it again.")
    if size > MAX_BYTES:
        raise CourseError(f"{path.name} is {size / 1e6:,.0f} MB, more than a workbook of this course "
                          f"can be (at most {MAX_BYTES / 1e6:.0f} MB), so it is not opened.")
    if path.suffix.lower() in (".xlsm", ".xltm", ".xlam", ".xlsb"):
        raise CourseError(MACROS.format(name=path.name, what=f"{path.suffix.lower()} is Excel's format "
                                        "for workbooks with macros"))
    try:
        with open(path, "rb") as file:
            if file.read(8) == OLE:
                raise CourseError(f"{path.name} is an old Excel workbook (.xls) or a password-protected "
                                  f"one, which the check does not open. {SAVE_AS}")
            if not zipfile.is_zipfile(file):
                raise CourseError(f"{path.name} is not a workbook (.xlsx or .ods). {SAVE_AS}")
            with zipfile.ZipFile(file) as z:
                kind = _kind(path.name, z)
                copy = Path(folder) / f"{stem}.{kind}"
                _repack(path.name, kind, z, copy)
    except CourseError:
        raise
    except PermissionError:
        raise CourseError(f"Cannot read {path}: another program has it open. Close it first.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError):
        raise CourseError(f"{path.name} is damaged (its zip does not read back whole). {SAVE_AS}") from None
    return Admitted(copy, kind)


def _kind(name, z):
    """"xlsx" or "ods" from what the zip holds; a refusal for anything else, macros included."""
    parts = z.infolist()
    if len(parts) > MAX_PARTS:
        raise CourseError(f"{name} holds {len(parts):,} files inside, more than a workbook of this course "
                          f"(at most {MAX_PARTS:,}), so it is not opened.")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED:
        raise CourseError(f"{name} would unpack to {unpacked / 1e6:,.0f} MB, more than a workbook of this "
                          f"course can (at most {MAX_UNPACKED / 1e6:.0f} MB), so it is not opened.")
    names = {part.filename for part in parts}
    if "mimetype" in names:
        if b"opendocument.spreadsheet" not in z.open("mimetype").read(100):
            raise CourseError(f"{name} is an OpenDocument file but not a spreadsheet. {SAVE_AS}")
        if scripts := sorted(n for n in names if n.startswith(("Basic/", "Scripts/"))):
            raise CourseError(MACROS.format(name=name, what=f"LibreOffice {scripts[0].split('/')[0]}"))
        return "ods"
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        if any("vbaproject" in n.lower() or n.startswith(("xl/macrosheets/", "xl/activeX/"))
               for n in names):
            raise CourseError(MACROS.format(name=name, what="Visual Basic or Excel 4 macros"))
        with z.open("xl/workbook.xml") as workbook:  # its namespaces are declared first
            if STRICT in workbook.read(4096):  # openpyxl would find no sheets in it
                raise CourseError(f"{name} is saved as Strict Open XML, which the check does not read. Save "
                                  "it as an Excel Workbook (.xlsx), not Strict, and check that file.")
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise CourseError(f"{name} is a binary Excel workbook (.xlsb). {SAVE_AS}")
    if any(n.startswith("Index/") for n in names):
        raise CourseError(f"{name} is a Numbers file: in Numbers, File > Export To > Excel, and check "
                          "the .xlsx.")
    raise CourseError(f"{name} is not a workbook (.xlsx or .ods). {SAVE_AS}")


def _repack(name, kind, z, copy):
    """Copy the zip part by part (each read no further than its stated size, its checksum
    checked; stored, not compressed again), counting cells and rows on the way; refuse what is
    too big or declares XML entities."""
    count = _Count()
    with zipfile.ZipFile(copy, "w") as out:
        for part in z.infolist():
            if part.is_dir():
                continue
            scan = part.filename.endswith((".xml", ".rels", ".vml"))
            info = zipfile.ZipInfo(part.filename, part.date_time)  # stored: a copy to read once
            with z.open(part) as source, out.open(info, "w") as target:
                tail = b""
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    if scan:
                        tail = count.scan(kind, tail + chunk, final=False)
                if scan:
                    count.scan(kind, tail, final=True)
            if count.declared:
                raise CourseError(f"{name} declares XML entities (in {part.filename}), which no "
                                  f"spreadsheet program writes, so it is not opened. {SAVE_AS}")
            if count.cells > MAX_CELLS or count.rows > MAX_ROWS:
                what = (f"{count.rows:,} rows" if count.rows > MAX_ROWS
                        else f"{count.cells:,} filled cells")
                raise CourseError(f"{name} has {what}, more than a workbook of this course (at most "
                                  f"{MAX_ROWS:,} rows and {MAX_CELLS:,} cells), so it is not opened.")


class _Count:
    """Cells and rows counted over a stream of XML, chunk by chunk."""

    OVERLAP = 4096  # a tag is shorter than this, so one cut between chunks is seen whole next time

    def __init__(self):
        self.cells = self.rows = 0
        self.declared = False
        self.row_repeat = 1
        self.row_filled = False

    def scan(self, kind, data, final):
        """Count what starts in data (all of it when final, else before its last OVERLAP bytes);
        return the rest, to go before the next chunk."""
        cut = len(data) if final else max(0, len(data) - self.OVERLAP)
        self.declared |= bool(DECLARATION.search(data, 0, cut + 10 if not final else len(data)))
        if kind == "xlsx":
            self.cells += len(XLSX_CELL.findall(data, 0, cut + 2))  # each match is 3 bytes
            for m in XLSX_ROW.finditer(data):
                if m.start() < cut:
                    self.rows = max(self.rows, int(m.group(1)))
            for m in XLSX_AREA.finditer(data):
                if m.start() < cut:
                    (top, left), (bottom, right) = (_place(m.group(2), m.group(1)),
                                                    _place(m.group(4), m.group(3)))
                    self.cells += (abs(bottom - top) + 1) * (abs(right - left) + 1)
                    self.rows = max(self.rows, top, bottom)
        else:
            for m in ODS_TAG.finditer(data):
                if m.start() >= cut:
                    break
                repeat = ODS_REPEAT.search(m.group(2))
                times = min(int(repeat.group(1)), 1 << 31) if repeat else 1
                if m.group(1) == b"table-row":
                    self.row_repeat, self.row_filled = times, False
                elif ODS_FILLED.search(m.group(2)):
                    self.cells += times * self.row_repeat
                    if not self.row_filled:
                        self.rows += self.row_repeat  # rows with something in them
                        self.row_filled = True
        return data[cut:]


def _place(row, column):
    number = 0
    for letter in column:
        number = number * 26 + letter - 64
    return int(row), number


# -- what check reads, and what it gives LibreOffice ------------------------------------------------
# check needs each cell's formula or value, nothing of a workbook's looks. An admitted .xlsx is read
# by openpyxl in read-only mode, cells and names only: 0.09-0.11 s for lesson 03's 13,000 cells
# (its full reading, styles and drawings built, 0.11-0.15 s). A parser of our own took 0.05-0.07 s,
# and a class of 30 0.6-1 s less (5.5-6.3 s, against 6.1-7.1 s): too little to own one (most of
# openpyxl's time is defusedxml's guarded parsing). A formula's stored value takes a second pass,
# as long again, so it is read only when used: without LibreOffice, or for an .ods LibreOffice
# converted. The copy LibreOffice calculates is written here as cells only: XlsxWriter takes 0.28 s
# for these cells where this takes 0.03 s, openpyxl writes styles too (0.2-0.4 s), and LibreOffice
# spends twice as long on a styled copy.
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Cell(NamedTuple):
    """A cell as its file holds it. `value`: a number, text, True/False, an error ("#N/A"), or a
    formula's text ("=A1*2", kind "f"); a date is its serial number, as a formula sees it;
    `cached`: a formula's stored value (None: none stored, or not read); `options`: an array or
    data-table formula's attributes (t, ref ...)."""

    value: object
    kind: str  # "n" number, "s" text, "b" true/false, "e" error, "f" formula
    cached: object = None
    options: tuple = ()


class Book(NamedTuple):
    sheets: list  # [(title, {address: Cell})], the worksheets in the workbook's order
    names: list  # [(name, the index in `sheets` of the sheet it belongs to, or None, what it stands for)]


def read_xlsx(path, cached=False):
    """The worksheets' cells and the defined names of an admitted .xlsx (see admit()); with
    `cached`, each formula's stored value too. Raises ValueError, KeyError and the like for a
    damaged one."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # about what openpyxl drops (extensions, shapes): not cells
        book = openpyxl.load_workbook(path, read_only=True)
        _numbers_as_numbers(book)
        try:
            sheets = [(page.title, _cells(page, book.epoch)) for page in book.worksheets]
            names = [(name, None, d.attr_text or "") for name, d in book.defined_names.items()]
            names += [(name, number, d.attr_text or "") for number, page in enumerate(book.worksheets)
                      for name, d in page.defined_names.items()]
        finally:
            book.close()
        if cached:
            stored = openpyxl.load_workbook(path, read_only=True, data_only=True)
            _numbers_as_numbers(stored)
            try:
                for (_, cells), page in zip(sheets, stored.worksheets, strict=True):
                    values = _cells(page, stored.epoch)
                    for address, cell in cells.items():
                        if cell.kind == "f" and address in values:
                            cells[address] = cell._replace(cached=values[address].value)
            finally:
                stored.close()
    # a print area, a filter's range ...: the program's own, not the learner's
    return Book(sheets, [name for name in names if not name[0].startswith("_xlnm.")])


def _numbers_as_numbers(book):
    """Numbers shown as dates or times read as the numbers they are: openpyxl would make them
    dates rounded to the millisecond (0.9216685544 shown as a time came back 1.2e-9 off, and 60.5,
    on 1900's 29 February, one less)."""
    book._date_formats, book._timedelta_formats = set(), set()


def _cells(page, epoch):
    """{address: Cell} of a read-only worksheet's filled cells."""
    from openpyxl.utils.datetime import to_excel

    page.reset_dimensions()  # the size a file states can be wrong: read every cell there is
    cells = {}
    for row in page.iter_rows():
        for c in row:
            value, kind, options = c.value, c.data_type, ()
            if value is None:
                continue
            if kind == "f" and not isinstance(value, str):  # an array or a data-table formula:
                value, options = getattr(value, "text", None) or "=", tuple(value)  # t="array", ref=...
            if kind == "f" and value == "=" and not options:
                continue  # an empty formula, or a shared one whose first cell is gone
            if kind == "d":  # a date stored as a date (t="d", ISO text): to a formula, its number
                value, kind = to_excel(value, epoch), "n"
            cells[c.coordinate] = Cell(value, kind, None, options)
    return cells


def write_xlsx(path, sheets, names=()):
    """A workbook of cells only: `sheets` [(title, {address: Cell})], the first the one LibreOffice
    shows and writes as CSV; `names` [(name, index in `sheets` or None, what it stands for)]. No
    styles, so LibreOffice writes every number as a number (not as 12% or a date); no cached values,
    so it calculates every formula; no drawings, notes or links, which a calculation does not need."""
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
            'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.'
                      'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for n in range(1, len(sheets) + 1)) + "</Types>"))
        out.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.'
            'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
            'org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"))
        out.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.'
            'org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" '
                      f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1))
            + "</Relationships>"))
        defined = "".join(f'<definedName name={quoteattr(name)}'
                          + ("" if local is None else f' localSheetId="{local}"')
                          + f">{escape(text)}</definedName>" for name, local, text in names)
        out.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            "<sheets>" + "".join(f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
                                 for n, (title, _) in enumerate(sheets, 1)) + "</sheets>"
            + (f"<definedNames>{defined}</definedNames>" if defined else "") + "</workbook>"))
        for n, (_, cells) in enumerate(sheets, 1):
            out.writestr(f"xl/worksheets/sheet{n}.xml", _sheet_xml(cells))


def _sheet_xml(cells):
    from openpyxl.utils.cell import coordinate_to_tuple

    rows = {}
    for address, cell in cells.items():
        row, column = coordinate_to_tuple(address)
        rows.setdefault(row, []).append((column, _cell_xml(address, cell)))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}"><sheetData>'
            + "".join(f'<row r="{r}">' + "".join(x for _, x in sorted(rows[r])) + "</row>"
                      for r in sorted(rows))
            + "</sheetData></worksheet>")


def _cell_xml(address, cell):
    value, kind = cell.value, cell.kind
    if kind == "f":
        options = "".join(f" {k}={quoteattr(v)}" for k, v in cell.options)
        return f'<c r="{address}"><f{options}>{escape(value[1:])}</f></c>'
    if kind == "s":
        return f'<c r="{address}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    if kind == "b":
        return f'<c r="{address}" t="b"><v>{int(value)}</v></c>'
    if kind == "e":
        return f'<c r="{address}" t="e"><v>{escape(value)}</v></c>'
    number = int(value) if isinstance(value, numbers.Integral) else float(value)  # numpy's too
    return f'<c r="{address}"><v>{number!r}</v></c>'  # repr: every digit of the double
