"""Lesson 02's pictures show what their labels say: checked on the lines they draw, for the article's
sheet and for other inputs."""

import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nbcourse.lessons import lesson02  # noqa: E402
from nbcourse.plots.lesson02 import tangents, two_losses  # noqa: E402

SHEETS = [lesson02.sheet(), lesson02.sheet(input=0.9, weight=-0.7, bias=0.25, target=0.1)]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def line(ax, label_start):
    found = [ln for ln in ax.get_lines() if ln.get_label().startswith(label_start)]
    assert len(found) == 1, [ln.get_label() for ln in ax.get_lines()]
    return found[0]


@pytest.mark.parametrize("sheet", SHEETS, ids=["article", "other"])
def test_the_two_losses_have_one_bottom_and_one_is_twice_the_other(sheet):
    ax = two_losses(sheet).axes[0]
    part1, part2 = line(ax, "part 1"), line(ax, "part 2")
    assert np.allclose(part1.get_ydata(), 2 * part2.get_ydata(), rtol=1e-15, atol=0)
    # the output meets the target at atanh(target) = input * weight + bias, worked out by hand
    bottom = (math.atanh(sheet.value("G2")) - sheet.value("D2")) / sheet.value("B2")
    best = line(ax, "best weight with bias")
    assert best.get_xdata()[0] == pytest.approx(bottom, rel=1e-12)
    assert f"bias {sheet.value('D2'):g}" in best.get_label()
    x, y = part2.get_xdata(), part2.get_ydata()
    assert abs(x[np.argmin(y)] - bottom) <= np.diff(x)[0]  # the curve drawn bottoms out there too
    assert x[0] < sheet.value("C2") < x[-1] and x[0] < bottom < x[-1]  # both weights in the picture
    assert line(ax, "the sheet's weight").get_xydata().tolist() == [[sheet.value("C2"), sheet.value("I2")]]


@pytest.mark.parametrize("sheet", SHEETS, ids=["article", "other"])
def test_the_halved_loss_has_half_the_slope_at_the_sheet_s_weight(sheet):
    ax = two_losses(sheet).axes[0]
    weight, c4 = sheet.value("C2"), sheet.value("C4")
    tangents = [ln for ln in ax.get_lines() if ln.get_label().startswith("slope ")]
    assert [ln.get_label() for ln in tangents] == [f"slope {2 * c4:.4f} (2 × C4)", f"slope {c4:.4f} (C4)"]
    for curve, tangent, slope in ((line(ax, "part 1"), tangents[0], 2 * c4),
                                  (line(ax, "part 2"), tangents[1], c4)):
        (xa, xb), (ya, yb) = tangent.get_xdata(), tangent.get_ydata()
        assert math.isclose((yb - ya) / (xb - xa), slope, rel_tol=1e-9)
        x, y = curve.get_xdata(), curve.get_ydata()
        # the curve's own slope at the sheet's weight, measured from the points drawn
        assert math.isclose(np.gradient(y, x)[np.argmin(abs(x - weight))], slope, rel_tol=0.02)
        assert math.isclose(np.interp(weight, [xa, xb], [ya, yb]), np.interp(weight, x, y), rel_tol=1e-3)


def test_no_best_weight_when_the_input_is_0():
    sheet = lesson02.sheet(input=0.0)  # the weight then moves nothing: every weight is as good
    labels = [ln.get_label() for ln in two_losses(sheet).axes[0].get_lines()]
    assert not any(label.startswith("best weight") for label in labels)


@pytest.mark.parametrize("sheet", SHEETS, ids=["article", "other"])
def test_each_tangent_touches_its_curve_with_the_cell_s_slope(sheet):
    left, right = tangents(sheet).axes
    for ax, x0, cell, label in ((left, sheet.value("E2"), "E3", "slope 1 − output²"),
                                (right, sheet.value("C2"), "C4", "slope ")):
        curve = ax.get_lines()[0]
        tangent = line(ax, label)
        assert f"({cell})" in tangent.get_label()
        (xa, xb), (ya, yb) = tangent.get_xdata(), tangent.get_ydata()
        assert math.isclose((yb - ya) / (xb - xa), sheet.value(cell), rel_tol=1e-9)
        # the curve's own slope where the tangent touches, measured from the points drawn
        x, y = curve.get_xdata(), curve.get_ydata()
        slope = np.gradient(y, x)[np.argmin(abs(x - x0))]
        assert math.isclose(slope, sheet.value(cell), rel_tol=0.02, abs_tol=1e-4)
        touch = np.interp(x0, [xa, xb], [ya, yb])
        assert math.isclose(touch, np.interp(x0, x, y), rel_tol=1e-3, abs_tol=1e-6)


@pytest.mark.parametrize("sheet", SHEETS, ids=["article", "other"])
def test_the_loss_panel_is_near_enough_to_see_the_slope_and_the_bottom(sheet):
    right = tangents(sheet).axes[1]
    curve, tangent = right.get_lines()[0], line(right, "slope ")
    bottom = (math.atanh(sheet.value("G2")) - sheet.value("D2")) / sheet.value("B2")  # as worked out above
    lowest = line(right, "lowest loss")
    assert lowest.get_xdata()[0] == pytest.approx(bottom, rel=1e-12)
    x, y = curve.get_xdata(), curve.get_ydata()
    assert x[0] < sheet.value("C2") < x[-1] and x[0] < bottom < x[-1]
    assert abs(x[np.argmin(y)] - bottom) <= np.diff(x)[0]  # the bottom is drawn, not cut off
    # the tangent's fall is a visible part of the panel's height (weights -1 to 2 made it 5.6% for the
    # article's sheet, a line that looked flat; it is 28% now)
    low, high = right.get_ylim()
    assert abs(np.diff(tangent.get_ydata())[0]) >= 0.2 * (high - low)
