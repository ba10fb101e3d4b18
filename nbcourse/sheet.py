"""One declarative definition per sheet.

A Sheet holds each cell once: its Python value (computed by nbcourse's maths)
and, for derived cells, its Excel formula. From it come the table the notebooks and
explorers show (Sheet.html) and the .xlsx the learner opens (nbcourse.workbook). The values
never come from evaluating the formulas, so a real spreadsheet engine can check
one against the other.
"""

import functools
import html
import math
import weakref
from dataclasses import dataclass, replace

from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name


@dataclass(frozen=True)
class Cell:
    value: object  # number or text; for a formula, its value from the maths
    formula: str | None = None  # Excel syntax, starting with "="
    kind: str = "formula"  # header, label, input, constant, formula, note or text: decides its look
    decimals: int | None = None  # digits shown; None shows the number in full
    fill: str | None = None  # a background colour such as "#e2efda" (a layer's); None: the kind's


def header(text, fill=None):
    return Cell(text, kind="header", fill=fill)


def label(text, fill=None):
    return Cell(text, kind="label", fill=fill)


def note(text):
    return Cell(text, kind="note")


def text(words):
    """Plain words (a blank's instructions)."""
    return Cell(words, kind="text")


def given(value, decimals=None):
    """A constant the learner may change (an input cell)."""
    return Cell(value, kind="input", decimals=decimals)


def constant(value):
    """A fixed number that is part of the maths, not an input (d net / d bias = 1)."""
    return Cell(value, kind="constant")


def formula(text, value, decimals=None):
    return Cell(value, formula=text, kind="formula", decimals=decimals)


@dataclass(frozen=True)
class Part:
    """Cells a learner fills in together, named: the blank's "How to" lists the parts, and check
    groups what is still to do by them ("rows 6–10 (the nudged copies of row 2)")."""

    name: str
    cells: str  # a range such as "B6:I10", or one cell

    def corners(self):
        first, _, last = self.cells.partition(":")
        return place(first), place(last or first)

    def __contains__(self, address):
        (top, left), (bottom, right) = self.corners()
        row, col = place(address)
        return top <= row <= bottom and left <= col <= right

    def where(self):
        """"rows 6–10" for a block of several columns, else the range itself ("K6:K10")."""
        (top, left), (bottom, right) = self.corners()
        if left == right:
            return self.cells
        return f"row {top + 1}" if top == bottom else f"rows {top + 1}–{bottom + 1}"


@dataclass(frozen=True)
class Chart:
    """A native line chart of one column (or a few) against another."""

    title: str
    x: str  # range such as "O3:O1002"
    y: str
    x_title: str
    y_title: str
    anchor: str  # top-left cell
    more: tuple = ()  # further lines as (name, range); with them the lines get names and a legend
    name: str | None = None  # the first line's name in the legend (default: y_title)


class Sheet:
    def __init__(self, title, *, freeze="A2", widths=None, names=None):
        self.title = title
        self.freeze = freeze  # the first cell that scrolls
        self.widths = widths or {}  # column letter -> width in characters
        self.names = names or {}  # defined name -> cell address on this sheet
        self.cells = {}
        self.charts = []
        self.merges = []  # ranges such as "D1:K1", shown as one cell holding their first cell
        self.parts = []  # Part()s: what a learner fills in, in the order they would

    def __setitem__(self, address, cell):
        self.cells[address] = cell if isinstance(cell, Cell) else given(cell)

    def __getitem__(self, address):
        return self.cells[address]

    def value(self, address):
        return self.cells[address].value

    def row(self, number, **cells):
        """Set several cells of one row: sheet.row(2, B=given(0.4), E=formula(...))."""
        for column, cell in cells.items():
            self[f"{column}{number}"] = cell

    def derived(self):
        return [a for a, c in self.cells.items() if c.formula]

    def to_fill(self):
        """The cells a learner works out (formulas and constants): what a blank workbook leaves empty."""
        return [a for a, c in self.cells.items() if c.kind in ("formula", "constant")]

    def mismatches(self, values):
        """Derived cells whose value in `values` (address -> value, e.g. from a real
        engine) disagrees with the maths: a list of (address, expected, got)."""
        return [(a, self.cells[a].value, values.get(a)) for a in self.derived()
                if not agree(self.cells[a].value, values.get(a))]

    def formulas(self):
        """The sheet as a spreadsheet shows it when you press Ctrl+`: each formula cell shows its
        formula instead of its value, in the same table and colours."""
        shown = Sheet(self.title, freeze=self.freeze, widths=self.widths, names=self.names)
        shown.cells = {address: replace(cell, value=cell.formula, formula=None, decimals=None)
                       if cell.formula else cell for address, cell in self.cells.items()}
        return shown

    def html(self, rows=None):
        """The sheet as an HTML table (class TABLE, its look in STYLE): each cell as the sheet shows
        it, and over a formula's cell, when hovered, its formula and full value."""
        places = {xl_cell_to_rowcol(address): cell for address, cell in self.cells.items()}
        rows = list(rows) if rows is not None else range(1, max(r for r, _ in places) + 2)
        columns = max(c for _, c in places) + 1
        head = "".join(f"<th>{xl_col_to_name(c)}</th>" for c in range(columns))
        body = []
        for r in rows:
            cells = []
            for c in range(columns):
                cell = places.get((r - 1, c))
                if cell is None:
                    cells.append("<td></td>")
                    continue
                tip = (f'<span class="tip">{html.escape(f"= {cell.formula[1:]}  →  {cell.value!r}")}</span>'
                       if cell.formula else "")
                cells.append(f'<td class="{cell.kind}">{display(cell)}{tip}</td>')
            body.append(f"<tr><th>{r}</th>{''.join(cells)}</tr>")
        return (f'<div style="overflow-x: auto"><table class="{TABLE}"><thead><tr><th>row</th>{head}</tr>'
                f"</thead><tbody>{''.join(body)}</tbody></table></div>")

    def head(self, rows=12):
        """The first rows only: a big sheet's top, to show in a notebook."""
        top = Sheet(self.title, freeze=self.freeze, widths=self.widths, names=self.names)
        top.cells = {a: c for a, c in self.cells.items() if xl_cell_to_rowcol(a)[0] < rows}
        return top

    def __repr__(self):
        return f"Sheet({self.title!r}, {len(self.cells)} cells)"

    def _repr_html_(self):
        """Notebooks show a sheet as its table (the first 30 rows), with the table's look."""
        return STYLE + self.html(rows=range(1, min(30, self._last_row()) + 1))

    def _last_row(self):
        return max(xl_cell_to_rowcol(a)[0] for a in self.cells) + 1


def read_inputs(inputs, cells):
    """A lesson's sheet() keywords from a workbook's cells: {keyword: value of its input cell}."""
    return {key: cells.get(address) for address, key in inputs.items()}


def in_words(sheet, addresses):
    """Cells of `sheet` (cells to fill, say) as phrases grouped by its parts, in sheet order:
    ["F2, G2 and I2 (net, output and loss)", "rows 6–10 (row 2 again, ...)", "K6:K10 (faux gradients)"]."""
    parts, whole, plain = _parts(sheet)
    mine = [[] for _ in parts]
    left = []
    for address in sorted(set(addresses), key=place):
        number = _part_of(parts, address)
        (mine[number] if number is not None else left).append(address)
    phrases = []
    for part, cells, everything, only_blue in zip(parts, mine, whole, plain, strict=True):
        if not cells:
            continue
        complete = len(cells) == everything
        if len(cells) <= 4 or (not (complete and only_blue) and len(cells) <= 6):
            text = listed(cells)
        elif complete and only_blue:
            text = part.where()
        else:
            text = listed(ranges(cells))
        phrases.append(f"{text} ({part.name})")
    if left:
        phrases.append(listed(ranges(left)))
    return phrases


def _part_of(parts, address):
    row, column = place(address)
    for number, part in enumerate(parts):
        (top, left), (bottom, right) = part.corners()
        if top <= row <= bottom and left <= column <= right:
            return number
    return None


_described = weakref.WeakKeyDictionary()


def _parts(sheet):
    """A sheet's parts, how many cells to fill each holds, and whether it is plain: several
    columns, or a column of only cells to fill (no input among them). Worked out once a sheet."""
    key = (len(sheet.cells), len(sheet.parts))
    if sheet not in _described or _described[sheet][0] != key:
        whole, inputs = [0] * len(sheet.parts), [False] * len(sheet.parts)
        for address, cell in sheet.cells.items():
            if cell.kind in ("formula", "constant", "input"):
                number = _part_of(sheet.parts, address)
                if number is not None and cell.kind == "input":
                    inputs[number] = True
                elif number is not None:
                    whole[number] += 1
        plain = [part.corners()[0][1] < part.corners()[1][1] or not inputs[n]
                 for n, part in enumerate(sheet.parts)]
        _described[sheet] = (key, (list(sheet.parts), whole, plain))
    return _described[sheet][1]


@functools.lru_cache(maxsize=1 << 17)
def place(address):
    """(row, column), from 0, of an address such as "B11" (each worked out once)."""
    return xl_cell_to_rowcol(address)


def ranges(addresses):
    """Cells as ranges: each column's runs of rows, then side-by-side columns with the same run
    joined ("D5:E1002"), in sheet order."""
    places = sorted((c, r) for r, c in map(place, addresses))
    runs = []  # [first row, last row, first column, last column]
    for column, row in places:
        if runs and runs[-1][3] == column and runs[-1][1] == row - 1:
            runs[-1][1] = row
        else:
            runs.append([row, row, column, column])
    blocks = []
    for top, bottom, left, right in sorted(runs, key=lambda run: (run[2], run[0])):
        if blocks and blocks[-1][:2] == [top, bottom] and blocks[-1][3] == left - 1:
            blocks[-1][3] = right
        else:
            blocks.append([top, bottom, left, right])
    blocks.sort()
    return [f"{xl_col_to_name(left)}{top + 1}" + ("" if (top, left) == (bottom, right)
                                                  else f":{xl_col_to_name(right)}{bottom + 1}")
            for top, bottom, left, right in blocks]


def listed(items, most=6):
    """ "A, B and C"; past `most` items, "A, B, ... and 7 more"."""
    items = list(items)
    if len(items) > most:
        return ", ".join(items[:most - 1]) + f" and {len(items) - most + 1:,} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def agree(expected, got):
    """Equal to 12 significant digits (engines' tanh may differ from numpy's by an ulp,
    and LibreOffice stores 15 digits), or both within 1e-15 of zero: LibreOffice
    rounds a difference of nearly equal numbers to exactly 0, where a double keeps ~1e-16."""
    if isinstance(expected, str) or isinstance(got, str) or got is None:
        return expected == got
    return math.isclose(expected, got, rel_tol=1e-12, abs_tol=1e-15)


def display(cell):
    """A cell's text as the spreadsheet shows it, at its own number of decimals."""
    if isinstance(cell.value, float) and cell.decimals is not None:
        return f"{cell.value + 0.0:.{cell.decimals}f}"  # + 0.0 turns -0.0 into 0.0
    if isinstance(cell.value, float):
        return f"{cell.value:.10g}"
    return html.escape(str(cell.value))


TOOLTIP = ("visibility: hidden; position: absolute; z-index: 1; background: #333; color: #fff; "
           "padding: 2px 6px; font-family: monospace; white-space: nowrap; border-radius: 3px;")
COLOURS = {"input": "#fff4c2", "formula": "#e8f1fb"}
TABLE_STYLES = [
    {"selector": "td", "props": "text-align: right; border: 1px solid #ddd; padding: 2px 6px;"},
    {"selector": "th", "props": "background: #f3f3f3; color: #666; font-weight: normal;"},
    {"selector": ".header", "props": "font-weight: bold; text-align: center;"},
    {"selector": ".label", "props": "font-weight: bold; text-align: left;"},
    {"selector": ".note", "props": "font-style: italic; text-align: left; color: #666;"},
    *({"selector": f".{kind}", "props": f"background: {colour};"} for kind, colour in COLOURS.items()),
]
TABLE = "nbcourse-sheet"  # the class of a sheet's HTML table
STYLE = "<style>" + "\n".join(  # the look of every sheet table on a page, however many
    [*(f".{TABLE} {rule['selector']} {{{rule['props']}}}" for rule in TABLE_STYLES),
     f".{TABLE} td {{position: relative}}",
     f".{TABLE} .tip {{{TOOLTIP}}}",
     f".{TABLE} td:hover .tip {{visibility: visible}}"]) + "</style>"
