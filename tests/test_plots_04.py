"""Lesson 04's pictures draw the numbers they are given: the long run beside the article's lines, the
seeds' errors, the loss across the plateau and the square-minus-strips gap."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nbcourse import fast, network  # noqa: E402
from nbcourse.plots import lesson04  # noqa: E402

ARTICLE = [(0, 223.106, 13.175), (10_000_000, 17.861, 1.123), (20_000_000, 14.656, 0.790)]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def line(ax, label):
    found = [ln for ln in ax.get_lines() if ln.get_label() == label]
    assert len(found) == 1, [ln.get_label() for ln in ax.get_lines()]
    return found[0]


def drawn(ax, gid):
    [found] = [ln for ln in ax.get_lines() if ln.get_gid() == gid]
    return found


def test_the_long_run_draws_each_report_after_the_first_and_the_article_s_points():
    # a short real run, reported every 1000 rectangles, stands in for the notebook's 100 million
    _, reports = fast.run(network.SEED, 5_001, report_every=1_000)
    ax = lesson04.long_run(reports, ARTICLE).axes[0]
    area, circumference = line(ax, "area, ours (each million)"), line(ax, "circumference, ours")
    assert list(area.get_xdata()) == [r[0] / 1e6 for r in reports[1:]]  # iteration 0 is one rectangle
    assert list(area.get_ydata()) == [r[1] for r in reports[1:]]
    assert list(circumference.get_ydata()) == [r[2] for r in reports[1:]]
    points = line(ax, "area, the article's (each 10 million)")
    assert list(points.get_xdata()) == [10, 20] and list(points.get_ydata()) == [17.861, 14.656]
    assert ax.get_yscale() == "log"


def test_the_seeds_are_drawn_one_line_each_after_each_million():
    errors = {0: [(400.0, 100.0), (15.0, 1.0), (14.5, 0.6)], 6: [(300.0, 90.0), (16.0, 2.0), (14.2, 1.2)]}
    left, right = lesson04.seeds(errors).axes
    for seed, rows in errors.items():
        area, circumference = drawn(left, f"area {seed}"), drawn(right, f"circumference {seed}")
        assert list(area.get_xdata()) == [1, 2]  # row 0, the untrained net, is left out
        assert list(area.get_ydata()) == [rows[1][0], rows[2][0]]
        assert list(circumference.get_ydata()) == [rows[1][1], rows[2][1]]
    plateau = [ln for ln in left.get_lines() if ln.get_gid() is None]
    assert [list(ln.get_ydata()) for ln in plateau] == [[14.1, 14.1]]


def test_seeds_not_highlighted_are_grey_under_one_legend_entry():
    errors = {seed: [(300.0, 90.0), (15.0 + seed, 1.0)] for seed in range(4)}
    left, right = lesson04.seeds(errors, highlight=[2, 0]).axes
    colours = {seed: drawn(left, f"area {seed}").get_color() for seed in errors}
    assert colours[2] != colours[0] and colours[1] == colours[3] not in (colours[0], colours[2])
    assert drawn(right, "circumference 3").get_color() == colours[3]
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["seed 0", "seeds 1, 3", "seed 2"]


def test_the_saddle_draws_each_curve_it_is_given():
    steps = np.linspace(-0.5, 0.5, 5)
    curves = {"down": (steps, -(steps**2)), "up": (steps, steps**2)}
    ax = lesson04.saddle(curves).axes[0]
    for label, (xs, ys) in curves.items():
        curve = drawn(ax, label)
        assert list(curve.get_xdata()) == list(xs) and list(curve.get_ydata()) == list(ys)


def test_the_gaps_are_drawn_by_size_with_the_smallest_at_the_floor():
    gaps = {0: [0.5, 0.0002, 0.003, 0.11], 6: [-0.2, -0.00003, 0.0, 2e-9], 1: [0.3, 0.02, 0.05]}
    ax = lesson04.gaps(gaps, 0.16, highlight=[0, 6], floor=1e-6).axes[0]
    assert list(drawn(ax, "seed 0").get_ydata()) == [0.0002, 0.003, 0.11]
    # a negative gap is drawn by its size; 0 and a gap below the floor sit on the floor
    assert list(drawn(ax, "seed 6").get_ydata()) == [3e-5, 1e-6, 1e-6]
    assert list(drawn(ax, "seed 1").get_ydata()) == [0.02, 0.05]
    assert list(line(ax, "the true gap, 0.16").get_ydata()) == [0.16, 0.16]
    assert ax.get_yscale() == "log" and ax.get_ylim()[0] == 1e-6
    assert r"below $10^{-6}$: drawn at $10^{-6}$" in ax.get_ylabel()  # the floor is said, not hidden


def test_a_negative_gap_gets_an_open_dot_and_a_positive_one_a_filled_dot():
    # seed 2 of the lesson crosses zero: negative after 1 and 2 million, positive after
    gaps = {2: [0.1, -0.0017, -0.0003, 0.0013], 6: [0.2, -2e-4, -3e-9]}
    ax = lesson04.gaps(gaps, 0.16, floor=1e-6).axes[0]
    negative, positive = drawn(ax, "seed 2 negative"), drawn(ax, "seed 2 positive")
    assert list(negative.get_xdata()) == [1, 2] and list(negative.get_ydata()) == [0.0017, 0.0003]
    assert list(positive.get_xdata()) == [3] and list(positive.get_ydata()) == [0.0013]
    assert negative.get_markerfacecolor() == "white"
    assert positive.get_markerfacecolor() == positive.get_markeredgecolor() != "white"
    assert list(drawn(ax, "seed 6 negative").get_ydata()) == [2e-4, 1e-6]  # at the floor, still open
    assert len(drawn(ax, "seed 6 positive").get_xdata()) == 0
    assert "open dot: gap below 0" in [t.get_text().split("\n")[0] for t in ax.get_legend().get_texts()]
