"""Lesson 01's pictures show the sheet's own cells and numbers, and hide what they are told to."""

import math

from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from nbcourse.lessons import lesson01
from nbcourse.plots import lesson01 as pictures


def texts(figure):
    return [text.get_text() for text in figure.axes[0].texts]


def test_the_neuron_shows_every_cell_of_row_2_with_its_name_value_and_formula():
    shown = texts(pictures.neuron(lesson01.sheet()))
    for label in ("A2 · Input 1", "B2 · Input 2", "C2 · Weight 1", "D2 · Weight 2", "E2 · Bias",
                  "F2 · Net", "G2 · Output", "H2 · Target", "I2 · Loss"):
        assert label in shown
    # the article's numbers, as its sheet shows them (LAYOUTS.md: 1.61, 0.92316..., 0.0151683...)
    for value in ("0.9", "0.8", "0.7", "0.6", "0.5", "1.6100", "0.9232", "0.015168"):
        assert value in shown
    for formula in ("=A2*C2+B2*D2+E2", "=TANH(F2)", "=(G2-H2)^2"):
        assert formula in shown
    assert "0.63" in shown and "0.48" in shown  # 0.9 x 0.7 and 0.8 x 0.6 on their way into the net


def test_the_neuron_follows_other_inputs():
    # inputs 1 and -1, weights 0.5 and 0.25, bias 0.1: net 0.35, output tanh(0.35) = 0.3364
    shown = texts(pictures.neuron(lesson01.sheet(input1=1, input2=-1, weight1=0.5, weight2=0.25, bias=0.1)))
    assert "0.3500" in shown and "0.3364" in shown
    assert "-0.25" in shown and "1.6100" not in shown


def arrows(figure):
    """Each arrow as (from, to): a box by its cell's address, a "×" node as "×" and its place."""
    ax = figure.axes[0]

    def name(patch):
        if isinstance(patch, Circle):
            return f"× at {patch.center[1]:.1f}"
        assert isinstance(patch, FancyBboxPatch)
        inside = [text.get_text() for text in ax.texts
                  if patch.contains_point(ax.transData.transform(text.get_position()))]
        return next(text.split(" · ")[0] for text in inside if " · " in text)

    return {(name(a.patchA), name(a.patchB)) for a in ax.patches if isinstance(a, FancyArrowPatch)}


def test_each_input_meets_its_weight_in_a_times_node_whose_product_goes_into_the_net():
    drawn = arrows(pictures.neuron(lesson01.sheet()))
    assert not {("A2", "C2"), ("B2", "D2")} & drawn  # no input flows through its weight
    for input_, weight in (("A2", "C2"), ("B2", "D2")):
        (node,) = {end for start, end in drawn if start == input_}
        assert node.startswith("×") and (weight, node) in drawn and (node, "F2") in drawn
    assert {("E2", "F2"), ("F2", "G2"), ("G2", "I2"), ("H2", "I2")} <= drawn
    assert len(drawn) == 10


def test_hidden_cells_show_a_question_mark_and_give_nothing_away():
    shown = texts(pictures.neuron(lesson01.sheet(), hide=["F2", "G2", "I2"]))
    assert shown.count("?") == 3
    for value in ("1.6100", "0.9232", "0.015168", "0.63", "0.48"):
        assert value not in shown
    assert "0.9" in shown and "0.8" in shown  # the inputs stay


def test_the_tanh_steps_are_tanh_differences():
    figure = pictures.tanh_curve(1.61, math.tanh(1.61))
    shown = " ".join(texts(figure))
    # tanh(1) - tanh(0) = 0.7616 and tanh(2.61) - tanh(1.61) = 0.0661, to two significant digits
    assert "output +0.76" in shown and "output +0.066" in shown
    point = [line for line in figure.axes[0].lines if line.get_marker() == "o"]
    assert [(x, y) for line in point for x, y in line.get_xydata()] == [(1.61, math.tanh(1.61))]


def test_the_chain_draws_the_two_curves_it_is_given():
    figure = pictures.chain([0, 1, 2], straight=[1, 2, 3], bent=[0.5, 0.6, 0.65])
    drawn = [list(line.get_ydata()) for line in figure.axes[0].lines if len(line.get_xdata()) == 3]
    assert drawn == [[1, 2, 3], [0.5, 0.6, 0.65]]


def test_the_formulas_view_shows_each_formula_where_the_sheet_shows_its_value():
    sheet = lesson01.sheet()
    page = sheet.formulas()._repr_html_()
    for formula in ("=A2*C2+B2*D2+E2", "=TANH(F2)", "=(G2-H2)^2"):
        assert f'<td class="formula">{formula}</td>' in page
    assert '<td class="input">0.9</td>' in page and '<td class="header">Net</td>' in page
    assert "1.6100" not in page and "1.6100" in sheet._repr_html_()  # the values are gone, not the sheet's
    assert page.count("<tr>") == 3  # the column letters, then rows 1 and 2: no extra header row
