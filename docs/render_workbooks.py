"""Pictures of the workbooks as LibreOffice shows them, for the README.

Run: .venv/bin/python docs/render_workbooks.py [spreadsheets/01-single-neuron.xlsx ...]

For each workbook (default: every spreadsheets/*.xlsx), a copy is set to print the top left of
its first sheet, about what a window shows on opening it (at most SCREEN_WIDTH characters of
columns and SCREEN_ROWS rows: lesson 03's 1000 attempts and lesson 04's 56 columns are cut), with
row and column headings and grid lines, on one landscape page. LibreOffice recalculates the copies
and prints them to PDF in one start (nbcourse.libreoffice.convert(..., "pdf"), in its private
profile), `pdftoppm -png -r 80 -f 1 -l 1` turns each first page into a picture, and its white
margins are trimmed: docs/screenshots/NN-...-libreoffice.png. Needs LibreOffice and
poppler-utils (pdftoppm).
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from PIL import Image, ImageChops

from nbcourse import libreoffice

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
DPI = 80
SCREEN_WIDTH = 175  # characters of column width, about a laptop's spreadsheet window
SCREEN_ROWS = 40
MARGIN = 12  # pixels of white kept around the trimmed page


def printable_copy(workbook, folder):
    """A copy whose first sheet prints its top left like the screen: headings, grid, one page."""
    book = openpyxl.load_workbook(workbook)  # formulas kept; LibreOffice recalculates on load
    sheet = book.worksheets[0]
    width, columns = 0.0, 0
    while columns < sheet.max_column:
        dimension = sheet.column_dimensions.get(get_column_letter(columns + 1))
        width += dimension.width if dimension is not None and dimension.width else 8.43
        if width > SCREEN_WIDTH and columns > 0:
            break
        columns += 1
    sheet.print_area = f"A1:{get_column_letter(columns)}{min(sheet.max_row, SCREEN_ROWS)}"
    sheet.print_options.headings = True
    sheet.print_options.gridLines = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1
    Path(folder).mkdir(parents=True, exist_ok=True)
    copy = Path(folder) / Path(workbook).name
    book.save(copy)
    return copy


def to_pdf(workbooks, folder):
    """LibreOffice prints the workbooks to PDF, recalculating each first, in one start
    (nbcourse.libreoffice.convert)."""
    if libreoffice.find_soffice() is None:
        sys.exit(f"LibreOffice is needed. {libreoffice.INSTALL_HINT}")
    pdfs = libreoffice.convert(workbooks, "pdf", folder)
    for workbook, pdf in zip(workbooks, pdfs, strict=True):
        if not isinstance(pdf, Path):
            sys.exit(f"LibreOffice did not print {Path(workbook).name} to PDF: {pdf}")
    return pdfs


def first_page_png(pdf, png):
    """The PDF's first page as a PNG, its white margins trimmed."""
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm is needed: on Debian/Ubuntu `sudo apt-get install poppler-utils`.")
    prefix = png.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(prefix)], check=True, timeout=120)
    page = Image.open(png).convert("RGB")
    box = ImageChops.difference(page, Image.new("RGB", page.size, "white")).getbbox()
    if box:
        left, top, right, bottom = box
        page = page.crop((max(0, left - MARGIN), max(0, top - MARGIN),
                          min(page.width, right + MARGIN), min(page.height, bottom + MARGIN)))
    page = page.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    page.save(png, optimize=True)
    return png


def main(paths):
    workbooks = [Path(p) for p in paths] or sorted((ROOT / "spreadsheets").glob("*.xlsx"))
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        copies = [printable_copy(workbook, Path(folder) / str(number))
                  for number, workbook in enumerate(workbooks)]
        for workbook, pdf in zip(workbooks, to_pdf(copies, folder), strict=True):
            print(first_page_png(pdf, OUT / f"{workbook.stem}-libreoffice.png").relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])
