"""Hostile workbooks, made in seconds, for trying the checker's limits (see files.admit).

Test and benchmark tooling, not part of the lessons: tests/test_check_safety.py and
benchmarks/check.py use it.
"""

import zipfile

SHEET_START = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


def _workbook(path, sheet, force_zip64=False):
    """A zip laid out like a workbook whose one sheet's XML sheet(file) writes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=force_zip64) as file:
            sheet(file)
    return path


def zip_bomb(path, gigabytes=1.5):
    """A workbook that unpacks to `gigabytes` of zeros (a few MB packed)."""
    chunk = bytes(10_000_000)

    def zeros(file):
        for _ in range(int(gigabytes * 100)):
            file.write(chunk)

    return _workbook(path, zeros, force_zip64=gigabytes > 2)


def million_rows(path):
    """A workbook of a million rows, a number in each."""
    def rows(file):
        file.write(SHEET_START)
        for start in range(1, 1_000_001, 10_000):
            file.write(b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r)
                                for r in range(start, start + 10_000)))
        file.write(b"</sheetData></worksheet>")

    return _workbook(path, rows)


def too_big(path, megabytes=100):
    """A file of `megabytes` (sparse: no disk space used)."""
    with open(path, "wb") as file:
        file.truncate(megabytes * 1_000_000)
    return path
