"""Lesson 03's pictures draw the attempts they are given: the path training.train takes, its loss."""

import math

import matplotlib
import pytest

from nbcourse import training
from nbcourse.plots import lesson03

matplotlib.use("Agg")

INPUT, TARGET = 0.01, 0.1  # C3 and D3


def lines(ax, gid=None, label=None):
    return [line for line in ax.get_lines()
            if (gid is None or line.get_gid() == gid) and (label is None or line.get_label() == label)]


@pytest.fixture(scope="module")
def runs():
    return {rate: training.train(INPUT, TARGET, learning_rate=rate, iterations=n)
            for rate, n in [(0.1, 1000), (1, 20), (1.9, 20), (2.5, 20)]}


def test_each_panel_draws_the_path_that_training_takes(runs):
    fig = lesson03.paths(runs, INPUT, TARGET, first=12)
    axes = fig.axes
    assert len(axes) == 4
    for ax, (rate, rows) in zip(axes, runs.items()):
        shown = rows if ax is axes[0] else rows[:12]  # the first panel whole, the others their start
        [path] = lines(ax, gid=f"path {rate:g}")
        assert list(path.get_xdata()) == [row["weight"] for row in shown]
        assert list(path.get_ydata()) == [row["bias"] for row in shown]
        assert f"learning rate {rate:g}" in ax.get_title()
    # the arcs between the dots: one per hop in each zoomed panel
    assert [len(ax.patches) for ax in axes[1:]] == [11, 11, 11]
    # the first panel draws weight and bias to one scale: the bias moves, the weight hardly
    assert axes[0].get_aspect() == 1.0


def test_the_dashed_valley_floor_is_where_the_neuron_fits_the_example(runs):
    fig = lesson03.paths(runs, INPUT, TARGET)
    for ax in fig.axes:
        [floor] = lines(ax, label="loss 0 (the valley floor)")
        for weight, bias in zip(floor.get_xdata(), floor.get_ydata()):
            assert math.tanh(INPUT * weight + bias) == pytest.approx(TARGET, abs=1e-12)


def test_the_loss_on_a_log_scale_draws_a_loss_of_zero_at_the_floor():
    rows = training.train(INPUT, TARGET, learning_rate=1, iterations=30)
    assert rows[-1]["loss"] == 0  # learning rate 1 lands on the target exactly
    fig = lesson03.loss_and_output(rows, first=10)
    loss_axes, output_axes = fig.axes
    [loss] = loss_axes.get_lines()
    assert list(loss.get_ydata()) == [max(row["loss"], lesson03.FLOOR) for row in rows]
    assert loss_axes.get_yscale() == "log"
    output, target = output_axes.get_lines()
    assert list(output.get_ydata()) == [row["output"] for row in rows[:10]]
    assert list(target.get_ydata()) == [TARGET, TARGET]


def test_learning_rates_draws_one_loss_and_one_output_per_rate(runs):
    fig = lesson03.learning_rates(runs, first=15)
    loss_axes, output_axes = fig.axes
    for rate, rows in runs.items():
        [loss] = lines(loss_axes, label=f"learning rate {rate:g}")
        assert list(loss.get_xdata()) == [row["attempt"] for row in rows]
        [output] = lines(output_axes, label=f"learning rate {rate:g}")
        assert list(output.get_ydata()) == [row["output"] for row in rows[:15]]


def test_the_shading_darkens_band_by_band_up_to_the_largest_loss(runs):
    from matplotlib.contour import ContourSet

    fig = lesson03.paths(runs, INPUT, TARGET)
    [bands] = [c for c in fig.axes[0].collections if isinstance(c, ContourSet) and c.filled]
    # the output stays within (-1, 1), so the loss stays below (1 + 0.1)**2 / 2 = 0.605: below 2
    assert list(bands.levels) == [0, *lesson03.LEVELS, 2]
    red, green, blue = bands.get_facecolor()[:, :3].T
    brightness = 0.299 * red + 0.587 * green + 0.114 * blue
    assert all(darker < lighter for lighter, darker in zip(brightness, brightness[1:]))
    # the bands above and below the floor reach different shades: up to 0.405 (output -> 1), 0.605 (-> -1)
    assert lesson03.LEVELS[-2] < (1 - TARGET) ** 2 / 2 < lesson03.LEVELS[-1] < (1 + TARGET) ** 2 / 2


def test_the_zoomed_panels_stretch_the_weight_axis_by_one_over_the_input(runs):
    """Every hop moves the weight input × as far as the bias, so the window drawn around the hops is
    a hundredth as wide in the weight as it is tall in the bias: the label says so."""
    fig = lesson03.paths(runs, INPUT, TARGET)
    for ax in fig.axes[1:]:
        (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
        assert (top - bottom) / (right - left) == pytest.approx(1 / INPUT, rel=1e-6)
        assert ax.get_xlabel() == "weight (axis stretched ×100)"


def test_the_learning_rates_legend_hides_no_line(runs):
    """One legend for both panels, below them: inside the loss panel it hid learning rate 1's fall."""
    fig = lesson03.learning_rates(runs)
    fig.draw_without_rendering()
    [legend] = fig.legends
    assert [text.get_text() for text in legend.get_texts()] == [
        *(f"learning rate {rate:g}" for rate in runs), "target"]
    assert all(ax.get_legend() is None for ax in fig.axes)
    box = legend.get_window_extent()
    for ax in fig.axes:
        assert not box.overlaps(ax.get_window_extent())
