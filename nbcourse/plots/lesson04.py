"""Lesson 04's pictures: the article's long run, nets that pause on a plateau, and why they pause.

    from nbcourse.plots import lesson04
    lesson04.long_run(reports, ARTICLE)       # our run, each million, beside the article's lines
    lesson04.seeds({0: rows, 1: rows, ...}, [0, 6])   # each net's two errors after each million
    lesson04.saddle({"seed 0": (steps, losses), ...})  # the loss along the w - h direction
    lesson04.gaps({0: gaps, 1: gaps, ...}, 0.16, [0, 6])  # square minus strips, million after million

The seeds named in `highlight` get a colour each; the others are drawn thin and grey, under one
legend entry, so that ten nets stay readable.

Each function draws the numbers it is given (it trains nothing itself) and returns a matplotlib
Figure, closed, so a notebook shows it once, where it is the cell's last line.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker

AREA, CIRCUMFERENCE, GREY = "#dd8452", "#55a868", "#888888"
SEED_COLOURS = ["#4878a8", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"]


def _percent_axis(ax, ticks):
    """A log axis labelled in percent at these ticks."""
    ax.set_yscale("log")
    ax.set_yticks(ticks, [f"{tick:g}%" for tick in ticks])
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())


def long_run(reports, article):
    """reports: rows (iteration, area error %, circumference error %) every million rectangles, the
    first row iteration 0 alone (not drawn); article: the article's rows, one every 10 million."""
    reports, article = np.asarray(reports, dtype=float)[1:], np.asarray(article, dtype=float)[1:]
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    millions = reports[:, 0] / 1e6
    ax.plot(millions, reports[:, 1], color=AREA, label="area, ours (each million)")
    ax.plot(millions, reports[:, 2], color=CIRCUMFERENCE, label="circumference, ours")
    ax.plot(article[:, 0] / 1e6, article[:, 1], "o", color=AREA, mfc="none",
            label="area, the article's (each 10 million)")
    ax.plot(article[:, 0] / 1e6, article[:, 2], "o", color=CIRCUMFERENCE, mfc="none",
            label="circumference, the article's")
    ax.set(xlabel="rectangles (millions)", ylabel="mean error %", xlim=(0, 100))
    _percent_axis(ax, [0.5, 1, 2, 5, 10, 20])
    ax.legend(fontsize=8, ncol=2)
    plt.close(fig)
    return fig


def _styles(seeds, highlight):
    """seed -> line style: a colour and a label for each highlighted seed (all of them when
    highlight is None), thin grey for the rest, labelled once for all of them."""
    highlight = list(seeds) if highlight is None else list(highlight)
    others = [seed for seed in seeds if seed not in highlight]
    styles = {seed: dict(color=colour, lw=1.6, label=f"seed {seed}", zorder=3)
              for seed, colour in zip(highlight, SEED_COLOURS)}
    for seed in others:
        label = ("seeds " if len(others) > 1 else "seed ") + ", ".join(map(str, others))
        styles[seed] = dict(color="#bbbbbb", lw=1, label=label if seed == others[0] else "_", zorder=2)
    return styles


def seeds(errors, highlight=None, plateau=14.1):
    """errors: seed -> rows (area error %, circumference error %), one after each million rectangles
    (row 0: the untrained net, not drawn). A dotted line marks the plateau's area error."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
    styles = _styles(errors, highlight)
    for seed, rows in errors.items():
        rows = np.asarray(rows, dtype=float)[1:]
        millions = np.arange(1, len(rows) + 1)
        left.plot(millions, rows[:, 0], gid=f"area {seed}", **styles[seed])
        right.plot(millions, rows[:, 1], gid=f"circumference {seed}", **styles[seed])
    left.axhline(plateau, color=GREY, ls=":", lw=1)
    left.set(xlabel="rectangles (millions)", ylabel="area error %",
             title=f"area (dotted: {plateau:g}%)")
    right.set(xlabel="rectangles (millions)", ylabel="circumference error %", title="circumference")
    _percent_axis(left, [2, 5, 10, 15, 20, 30])
    _percent_axis(right, [0.3, 0.5, 1, 2, 5, 10])
    right.legend(fontsize=8, loc="upper right")
    plt.close(fig)
    return fig


def saddle(curves):
    """curves: label -> (steps, changes in the mean loss), one line each, along a w - h direction."""
    fig, ax = plt.subplots(figsize=(6.5, 3.4), layout="constrained")
    for colour, (label, (steps, changes)) in zip(SEED_COLOURS, curves.items()):
        ax.plot(steps, changes, color=colour, lw=1.6, label=label, gid=label)
    ax.axhline(0, color=GREY, lw=0.8)
    ax.axvline(0, color=GREY, lw=0.8, ls=":")
    ax.set(xlabel="step along the w − h direction (0: blind to w − h)",
           ylabel="change in the mean loss", title="the loss across the plateau")
    ax.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    ax.legend(fontsize=8)
    plt.close(fig)
    return fig


def gaps(gaps, truth, highlight=None, floor=1e-6):
    """gaps: seed -> the area output's square-minus-strip gap after each million rectangles (row 0:
    the untrained net, not drawn). Its size is drawn on a log scale, sizes below `floor` at the
    floor, as the axis says; a negative gap (the strips given more area than the square) gets an
    open dot, so that a gap crossing zero shows as one and not only as a dip. A dashed line marks
    the true gap, `truth`."""
    fig, ax = plt.subplots(figsize=(8.5, 3.5), layout="constrained")
    styles = _styles(gaps, highlight)
    for seed, rows in gaps.items():
        rows = np.asarray(rows, dtype=float)[1:]
        millions, sizes = np.arange(1, len(rows) + 1), np.maximum(np.abs(rows), floor)
        ax.plot(millions, sizes, gid=f"seed {seed}", **styles[seed])
        colour, below = styles[seed]["color"], rows < 0
        ax.plot(millions[~below], sizes[~below], "o", ms=3, color=colour, label="_",
                gid=f"seed {seed} positive", zorder=styles[seed]["zorder"], clip_on=False)
        ax.plot(millions[below], sizes[below], "o", ms=4, mfc="white", mec=colour, mew=1, label="_",
                gid=f"seed {seed} negative", zorder=styles[seed]["zorder"] + 0.5, clip_on=False)
    ax.axhline(truth, color=GREY, ls="--", lw=1, label=f"the true gap, {truth:g}")
    ax.plot([], [], "o", ms=4, mfc="white", mec=GREY, ls="none",
            label="open dot: gap below 0\n(the strips get more area)")
    power = rf"$10^{{{np.log10(floor):.0f}}}$"  # the floor, a power of ten, as the axis writes it
    ax.set(yscale="log", ylim=(floor, 0.5), xlabel="rectangles (millions)",
           ylabel=f"|square − strips| (area output)\nbelow {power}: drawn at {power}",
           title="how far apart each net puts the square's and the strips' areas")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))  # outside: no line hidden
    plt.close(fig)
    return fig
