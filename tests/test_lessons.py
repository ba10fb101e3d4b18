"""Parity with the articles: every cell of parts 1-3 at its address, with its formula and label,
shows the article's printed digits."""

import math
from decimal import Decimal

import pytest

from nbcourse.errors import CourseError
from nbcourse.lessons import lesson01, lesson02, lesson03
from nbcourse.sheet import display
from tests import article


def printed(value, text):
    """True when value, rounded to as many decimals as the article printed, reads as text."""
    decimals = max(0, -Decimal(text).as_tuple().exponent)
    return abs(value - float(text)) <= 0.5 * 10**-decimals + 1e-15


@pytest.mark.parametrize("lesson, cells", [(lesson01, article.PART1), (lesson02, article.PART2),
                                           (lesson03, article.PART3)])
def test_every_article_cell_is_in_place_with_its_formula_and_digits(lesson, cells):
    sheet = lesson.sheet()
    for address, (formula, text) in cells.items():
        cell = sheet[address]
        assert cell.formula == formula, address
        if text is not None:
            assert printed(cell.value, text), (address, cell.value, text)


def test_part_2s_sheet_shows_each_number_as_the_article_prints_it():
    """The sheet and its workbook show 0.8, 0.664, -0.036 where the article prints those, not
    0.80000 or -0.0360: the numbers a learner sees stay the article's."""
    sheet = lesson02.sheet()
    assert {a: display(sheet[a]) for a, (_, text) in article.PART2.items()} == {
        a: text for a, (_, text) in article.PART2.items()}


@pytest.mark.parametrize("lesson, texts", [(lesson01, {f"{c}1": t for c, t in article.PART1_HEADERS.items()}),
                                           (lesson02, article.PART2_TEXT), (lesson03, article.PART3_TEXT)])
def test_labels_sit_where_the_article_puts_them(lesson, texts):
    sheet = lesson.sheet()
    assert {a: sheet.value(a) for a in texts} == texts


def test_full_doubles_match_bit_for_bit():
    sheet = lesson01.sheet()
    assert repr(sheet.value("G2")) == "0.9231600289968692"
    assert repr(sheet.value("I2")) == "0.015168392742509655"


def test_rust_outputs_of_part_2():
    sheet = lesson02.sheet()
    assert f"Weight gradient: {sheet.value('C4'):.4f}" == "Weight gradient: -0.0080"
    assert f"Bias gradient: {sheet.value('D4'):.4f}" == "Bias gradient: -0.0201"


def test_faux_gradients_agree_with_the_real_ones():
    sheet = lesson02.sheet()
    for faux, real in (("K6", "F4"), ("K7", "E4"), ("K8", "D4"), ("K9", "C4"), ("K10", "B4")):
        assert sheet.value(faux) == pytest.approx(sheet.value(real), abs=1e-4), faux


def test_part3_follows_the_rows_down_and_uses_the_defined_name():
    sheet = lesson03.sheet()
    assert sheet.names == {"LEARNING_RATE": "A2"}
    assert len([a for a in sheet.cells if a.startswith("O")]) - 1 == 1000  # O2 is the header
    assert sheet["G1002"].formula == "=G1001-H1001*LEARNING_RATE"
    # independent: one step of gradient descent by hand from row 3
    out = math.tanh(0.01 * 0.5 + 0.5)
    bias_gradient = (out - 0.1) * (1 - out * out)
    assert sheet.value("G4") == pytest.approx(0.5 - bias_gradient * 0.01 * 0.1, rel=1e-15)
    assert sheet.value("I4") == pytest.approx(0.5 - bias_gradient * 0.1, rel=1e-15)
    losses = [sheet.value(f"Q{r}") for r in range(3, 1003)]
    assert losses[-1] < losses[0] / 100  # the chart's curve falls
    assert sheet.charts[0].y == "Q3:Q1002"


def test_part2_defines_tiny():
    assert lesson02.sheet().names == {"Tiny": "B11"}


@pytest.mark.parametrize("bad", [dict(weight="abc"), dict(bias=math.nan), dict(target=math.inf),
                                 dict(tiny=0), dict(tiny=-1e-4)])
def test_bad_values_say_what_is_wrong(bad):
    with pytest.raises(CourseError, match=next(iter(bad)).replace("tiny", "Tiny")):
        lesson02.sheet(**bad)


def test_part3_rejects_bad_training_settings():
    with pytest.raises(CourseError, match="learning rate"):
        lesson03.sheet(learning_rate=0)
    with pytest.raises(CourseError, match="rows"):
        lesson03.sheet(rows=0)


@pytest.mark.parametrize("lesson", [lesson01, lesson02, lesson03])
def test_a_misspelt_setting_is_refused(lesson):
    with pytest.raises(CourseError, match="unknown setting wieght"):
        lesson.sheet(wieght=0.5)


def test_a_sheet_shows_itself_as_the_sheet_with_its_formulas_on_hover():
    """One table for notebooks and explorers: the cells as the sheet shows them, each formula (and
    full value) in a tooltip, the look in one style sheet (sheet.STYLE)."""
    from nbcourse.sheet import STYLE, TABLE

    shown = lesson01.sheet()._repr_html_()
    assert shown.startswith(STYLE) and f'<table class="{TABLE}">' in shown
    g2 = '<td class="formula">0.9232<span class="tip">= TANH(F2)  →  0.9231600289968692</span></td>'
    assert g2 in shown
    assert '<td class="input">0.9</td>' in shown and "<th>I</th>" in shown and "<th>2</th>" in shown
    top = lesson03.sheet().html(rows=range(1, 4))
    assert top.count("<tr>") == 4 and "<th>4</th>" not in top  # the header row and rows 1-3
