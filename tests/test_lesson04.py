"""Lesson 04's workbook: one row per training step under the titles the issue names, cached
values from the readable trainer that the fast trainer and LibreOffice both reproduce."""

import math
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from nbcourse import fast, network
from nbcourse.errors import CourseError
from nbcourse.lessons import LESSONS, lesson04
from nbcourse.libreoffice import recalculate
from nbcourse.sheet import agree

PATH = Path(__file__).resolve().parent.parent / "spreadsheets" / "04-backpropagation.xlsx"
STEPS, FIRST, TRAINED = 1000, 3, 1003  # step rows 3..1002, then the trained net's row

# Row 2, written out from the issue's naming rule for the 2-3-3-2 net (not from the code).
PARAMETER_TITLES = (
    "L1N1 bias, L1N1 w1, L1N1 w2, L1N2 bias, L1N2 w1, L1N2 w2, L1N3 bias, L1N3 w1, L1N3 w2, "
    "L2N1 bias, L2N1 w1, L2N1 w2, L2N1 w3, L2N2 bias, L2N2 w1, L2N2 w2, L2N2 w3, "
    "L2N3 bias, L2N3 w1, L2N3 w2, L2N3 w3, "
    "L3N1 bias, L3N1 w1, L3N1 w2, L3N1 w3, L3N2 bias, L3N2 w1, L3N2 w2, L3N2 w3").split(", ")
TITLES = [
    "Step", "Width", "Height", "Target area", "Target circumference", "Output area",
    "Output circumference", "Area error %", "Circumference error %",
    "Area error %, last 50 steps", "Circumference error %, last 50 steps",
    "L1N1 value", "L1N2 value", "L1N3 value", "L2N1 value", "L2N2 value", "L2N3 value",
    "L3N1 value", "L3N2 value",
    "L3N1 activation gradient", "L3N2 activation gradient", "L2N1 activation gradient",
    "L2N2 activation gradient", "L2N3 activation gradient", "L1N1 activation gradient",
    "L1N2 activation gradient", "L1N3 activation gradient",
    *PARAMETER_TITLES,
]
PARAMETER_COLUMNS = [openpyxl.utils.get_column_letter(TITLES.index(t) + 1) for t in PARAMETER_TITLES]


def seeded(steps=STEPS, seed=network.SEED):
    """The course's draws: the initial parameters, then each step's (width, height)."""
    rng = np.random.default_rng(seed)
    parameters = network.parameters(network.new_net(rng))
    return parameters, [network.sample(rng) for _ in range(steps)]


def fast_run(learning_rate, steps=STEPS, report_every=10_000_000):
    """fast.py's trainer from the course's seed: (parameters after `steps`, reports)."""
    rng = np.random.default_rng(network.SEED)
    return fast.train(fast.new_parameters(rng), fast.SIZES, rng, steps, learning_rate, report_every)


def readable_run(learning_rate, steps=STEPS):
    rng = np.random.default_rng(network.SEED)
    net = network.new_net(rng)
    network.train(net, rng, steps, learning_rate)
    return network.parameters(net)


def row_parameters(page, row):
    return np.array([page[f"{column}{row}"].value for column in PARAMETER_COLUMNS])


@pytest.fixture(scope="module")
def book():
    return openpyxl.load_workbook(PATH)


@pytest.fixture(scope="module")
def cached():
    return openpyxl.load_workbook(PATH, data_only=True)


@pytest.fixture(scope="module")
def sheets():
    return lesson04.sheets()


def test_registered_and_small_enough():
    """(That the committed file is what build makes: test_workbooks, for every lesson.)"""
    assert LESSONS["04"] is lesson04 and lesson04.FILE == PATH.name
    assert PATH.stat().st_size < 5_000_000


def test_header_row_has_the_issue_titles(book):
    page = book.worksheets[0]
    assert book.sheetnames == ["Training", "One step"]
    assert [page.cell(2, c).value for c in range(1, len(TITLES) + 1)] == TITLES
    assert page.cell(2, len(TITLES) + 1).value is None
    assert page.freeze_panes == "D3"  # below the headers, right of width and height
    # row 1 groups the columns by pass and layer, in merged cells
    groups = {str(r): page[str(r).split(":")[0]].value for r in page.merged_cells.ranges}
    assert groups["L1:N1"] == "Forward pass: layer 1"
    assert groups["T1:U1"] == "Backward pass: layer 3"
    assert groups["AB1:AJ1"].startswith("Layer 1 biases and weights")
    assert page["L2"].fill.fgColor.rgb != page["O2"].fill.fgColor.rgb  # a colour per layer


def test_learning_rate_is_a_labelled_defined_name(book):
    page = book.worksheets[0]
    assert page["A1"].value == "Learning rate" and page["B1"].value == 0.001
    assert book.defined_names["LEARNING_RATE"].attr_text == "Training!$B$1"


def test_first_row_holds_the_seeded_constants(book, sheets):
    page = book.worksheets[0]
    parameters, samples = seeded()
    # numbers, not formulas, and the very doubles the generator drew (17 digits in the file)
    assert np.array_equal(row_parameters(page, FIRST), parameters)
    assert [(page[f"B{r}"].value, page[f"C{r}"].value) for r in range(FIRST, FIRST + STEPS)] == samples
    training = sheets[0]
    assert all(training[f"{c}{FIRST}"].kind == "input" for c in PARAMETER_COLUMNS)
    assert all(training[f"{c}{r}"].kind == "input" for c in "BC" for r in range(FIRST, FIRST + STEPS))
    assert page[f"B{FIRST + STEPS}"].value is None and page[f"A{TRAINED}"].value == "Trained"


def test_later_rows_nudge_the_row_above_with_the_learning_rate(book):
    page = book.worksheets[0]
    for r in range(FIRST + 1, TRAINED + 1):
        for column in PARAMETER_COLUMNS:
            text = page[f"{column}{r}"].value
            assert text.startswith(f"={column}{r - 1}-") and text.endswith("*LEARNING_RATE"), text
    # the training pass's operation order: bias - gradient*rate, weight - input*gradient*rate
    assert page["AB4"].value == "=AB3-Y3*LEARNING_RATE"  # L1N1 bias, L1N1 activation gradient
    assert page["AC4"].value == "=AC3-B3*Y3*LEARNING_RATE"  # L1N1 w1 and the width
    assert page["AM4"].value == "=AM3-M3*V3*LEARNING_RATE"  # L2N1 w2 and L1N2's value
    assert page[f"BD{TRAINED}"].value == f"=BD{TRAINED - 1}-Q{TRAINED - 1}*U{TRAINED - 1}*LEARNING_RATE"


def test_forward_and_backward_formulas_follow_network_py(book):
    page = book.worksheets[0]
    assert page["D3"].value == "=B3*C3"
    assert page["E3"].value == "=(C3*2+B3*2)*0.25"
    assert page["F3"].value == "=R3" and page["G3"].value == "=S3"
    assert page["H3"].value == "=ABS(D3-F3)/D3*100"
    assert page["L3"].value == "=TANH(AB3+AC3*B3+AD3*C3)"  # total = bias; += weight * input
    assert page["O3"].value == "=TANH(AK3+AL3*L3+AM3*M3+AN3*N3)"
    assert page["T3"].value == "=(1-R3*R3)*(R3-D3)"  # last layer
    assert page["V3"].value == "=(1-O3*O3)*(T3*AX3+U3*BB3)"  # sum over layer 3, weight 1
    assert page["Y3"].value == "=(1-L3*L3)*(V3*AL3+W3*AP3+X3*AT3)"
    assert page["J3"].value == "=AVERAGE(H$3:H3)" and page["J52"].value == "=AVERAGE(H3:H52)"
    assert page["K1002"].value == "=AVERAGE(I953:I1002)"


def test_cached_values_are_the_python_values(cached, sheets):
    for sheet in sheets:
        page = cached[sheet.title]
        assert sheet.mismatches({a: page[a].value for a in sheet.derived()}) == []
        # not just close: every cached number is the Python double
        assert all(page[a].value == c.value for a, c in sheet.cells.items() if c.value is not None)


def test_cached_values_are_both_trainers_bit_for_bit(cached):
    page = cached.worksheets[0]
    trained, reports = fast_run(0.001, report_every=1)
    assert np.array_equal(row_parameters(page, TRAINED), trained)
    assert np.array_equal(row_parameters(page, TRAINED), readable_run(0.001))
    # one report per step: each step's errors, measured before its update
    assert [(page[f"H{r}"].value, page[f"I{r}"].value) for r in range(FIRST, FIRST + STEPS)] == \
        [(area, circumference) for _, area, circumference in reports]
    for steps in (1, 2, 499, 999):  # row FIRST + k holds the net after k steps
        assert np.array_equal(row_parameters(page, FIRST + steps), fast_run(0.001, steps)[0])


def test_one_step_walks_the_first_row(book, cached, sheets):
    training, one = cached["Training"], cached["One step"]
    rows = {one[f"A{r}"].value: r for r in range(1, one.max_row + 1)}
    value = {what: one[f"B{r}"].value for what, r in rows.items()}
    assert value["Width"] == training["B3"].value and value["Target area"] == training["D3"].value
    for title, column in zip(PARAMETER_TITLES, PARAMETER_COLUMNS):
        key, part = title.split(" ")
        assert value[title] == training[f"{column}3"].value
        assert value[f"{key} new {part}"] == training[f"{column}4"].value, title
    for key in ("L1N1", "L2N3", "L3N2"):
        assert math.tanh(value[f"{key} net"]) == value[f"{key} value"]
        assert value[f"{key} value"] == training[f"{lesson04.COLUMN[key + ' value']}3"].value
    page = book["One step"]
    formulas = {page[f"A{r}"].value: page[f"B{r}"].value for r in range(1, page.max_row + 1)}
    net, w1, w2 = rows["L1N1 net"], rows["L1N1 w1"], rows["L1N1 w2"]
    assert formulas["L1N1 net"] == f"=B{net - 3}+B{w1}*B{rows['Width']}+B{w2}*B{rows['Height']}"
    assert formulas["L1N1 value"] == f"=TANH(B{net})"
    assert "LEARNING_RATE" in formulas["L3N2 new w3"]
    assert formulas["Learning rate"] == "=Training!B1" and value["Learning rate"] == 0.001
    assert sheets[1].title == "One step" and len(sheets[1].derived()) == 91


def test_the_blank_is_one_step_on_its_own(book, cached):
    """Lesson 04's blank: the One step sheet with the Training sheet's numbers as its inputs and its
    own LEARNING_RATE; its formulas the same text as the course workbook's."""
    blank, course = lesson04.blank(), book["One step"]
    assert blank.title == "One step"
    assert blank.names == {"LEARNING_RATE": lesson04.BLANK_CELLS["Learning rate"]}
    rows = {course[f"A{r}"].value: r for r in range(1, course.max_row + 1)}
    training = cached["Training"]
    for what, address in lesson04.BLANK_CELLS.items():  # every input: the Training sheet's number
        source = course[address].value
        assert source.startswith("=Training!") and rows[what] == int(address[1:]), what
        assert blank[address].kind == "input" and blank.value(address) == training[source[10:]].value
    assert len(lesson04.BLANK_INPUTS) == 2 + 29 + 1  # width, height, the parameters, the learning rate
    for address in blank.derived():
        assert blank[address].formula == course[address].value, address
    again = lesson04.blank(**lesson04.blank_arguments({a: c.value for a, c in blank.cells.items()}))
    assert all(again[a] == c for a, c in blank.cells.items())


def test_a_chart_of_the_averaged_errors():
    with zipfile.ZipFile(PATH) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert chart.count("<c:ser>") == 2
    assert "$J$3:$J$1002" in chart and "$K$3:$K$1002" in chart and "$A$3:$A$1002" in chart


def test_arguments_give_back_the_sheet(sheets):
    training = sheets[0]
    cells = {a: c.value for a, c in training.cells.items()}
    arguments = lesson04.arguments(cells)
    assert arguments["steps"] == STEPS and arguments["learning_rate"] == 0.001
    again = lesson04.sheets(**arguments)
    assert all(again[0][a] == c for a, c in training.cells.items())
    assert all(again[1][a] == c for a, c in sheets[1].cells.items())


def test_other_settings():
    small = lesson04.sheet(steps=3, learning_rate=0.01)
    assert small["A1"].value == "Learning rate" and small["A5"].value == 3 and small["A6"].value == "Trained"
    assert np.array_equal([small[f"{c}6"].value for c in PARAMETER_COLUMNS], fast_run(0.01, 3)[0])
    parameters, samples = seeded(3)
    samples[1] = (0.5, 0.25)
    edited = lesson04.sheet(steps=3, parameters=parameters, samples=samples)
    assert edited["D4"].value == 0.125


@pytest.mark.parametrize("values, message", [
    (dict(learning_rate=0), "learning rate must be above zero"),
    (dict(steps=0), "steps must be at least 1"),
    (dict(steps=2, samples=[(0.5, 0.5)]), "1 rectangles for 2 steps"),
    (dict(steps=1, samples=[(0.0, 0.5)]), "width must be above zero"),
    (dict(parameters=[0.1] * 28), "29 biases and weights"),
    (dict(rate=0.1), "unknown setting rate"),
])
def test_bad_settings(values, message):
    with pytest.raises(CourseError, match=message):
        lesson04.sheet(**values)


# -- LibreOffice recalculates every derived cell to the Python values ---------------------------
# LibreOffice writes its results with 15 significant digits, so only cells whose value hangs on
# a near-cancellation (|target - output| when the output is close) would show one ulp of an input.
# Hence the edits below go straight into the file's XML, as a spreadsheet program saves them:
# openpyxl would rewrite every other number with 16 digits, changing a quarter of the inputs.

def edited_copy(tmp_path, changes):
    """A copy of the workbook with new numbers in some Training input cells (cached values
    left stale: LibreOffice recalculates on load, and only then do they match)."""
    copy = tmp_path / PATH.name
    with zipfile.ZipFile(PATH) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for address, value in changes.items():
                    text, found = re.subn(rf'(<c r="{address}"[^>]*><v>)[^<]*(</v></c>)',
                                          rf"\g<1>{value!r}\g<2>", text)
                    assert found == 1, address
                data = text.encode()
            out.writestr(item, data)
    return copy


def recalculated(path):
    """{sheet title: {address: value}} of both sheets, from one LibreOffice recalculation."""
    book = openpyxl.load_workbook(recalculate(path), data_only=True)
    try:
        return {page.title: {c.coordinate: c.value for row in page.iter_rows() for c in row
                             if c.value is not None} for page in book.worksheets}
    finally:
        book.close()


@pytest.mark.libreoffice
def test_libreoffice_recalculates_both_sheets_to_the_python_values(soffice, sheets):
    values = recalculated(PATH)
    for sheet in sheets:
        assert sheet.mismatches(values[sheet.title]) == [], sheet.title


@pytest.mark.libreoffice
def test_a_new_learning_rate_retrains_to_the_trainers_numbers(soffice, tmp_path):
    values = recalculated(edited_copy(tmp_path, {"B1": 0.01}))["Training"]
    final = np.array([values[f"{c}{TRAINED}"] for c in PARAMETER_COLUMNS])
    trained = fast_run(0.01)[0]
    assert np.array_equal(trained, readable_run(0.01))
    assert all(agree(e, g) for e, g in zip(trained, final))
    assert not any(agree(e, g) for e, g in zip(fast_run(0.001)[0], final))  # it did move
    assert lesson04.sheet(learning_rate=0.01).mismatches(values) == []


@pytest.mark.libreoffice
def test_a_learners_edits_recalculate_to_the_course_maths(soffice, tmp_path):
    """A new starting weight and bias, a new rectangle and learning rate: both sheets follow."""
    changes = {"B1": 0.05, "AC3": 0.3, "BA3": -0.25, "B3": 0.42, "C500": 0.9}
    copy = edited_copy(tmp_path, changes)
    values = recalculated(copy)
    # the learner's inputs, in full: those LibreOffice computed with
    page = openpyxl.load_workbook(copy).worksheets[0]
    arguments = lesson04.arguments({c.coordinate: c.value for row in page.iter_rows()
                                    for c in row if c.value is not None})
    assert arguments["learning_rate"] == 0.05 and arguments["samples"][0][0] == 0.42
    assert arguments["parameters"][1] == 0.3 and arguments["samples"][497][1] == 0.9
    # read back from the recalculated workbook, they are the same to its 15 digits
    back = lesson04.arguments(values["Training"])
    assert all(agree(e, g) for e, g in zip(arguments["parameters"], back["parameters"]))
    assert all(agree(e, g) for pair in zip(arguments["samples"], back["samples"]) for e, g in zip(*pair))
    training, one = lesson04.sheets(**arguments)
    assert training.mismatches(values["Training"]) == []
    assert one.mismatches(values["One step"]) == []
