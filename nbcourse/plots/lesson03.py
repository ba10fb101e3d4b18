"""Lesson 03's pictures: the loss falling, learning rates side by side, and the path of (weight, bias).

    from nbcourse import training
    from nbcourse.plots import lesson03
    rows = training.train(0.01, 0.1)            # the sheet's attempts, one dict per row
    lesson03.loss_and_output(rows)              # column Q on a log scale, column L against N
    lesson03.learning_rates({0.1: rows, ...})   # the same, for several learning rates
    lesson03.paths({0.1: rows, ...}, 0.01, 0.1) # each run's (weight, bias) over the loss's contours

Each function draws the rows it is given (it trains nothing itself) and returns a matplotlib
Figure, closed, so a notebook shows it once, where it is the cell's last line.
"""

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch

from nbcourse.gradients import forward

CURVE, TARGET, START, END = "#4878a8", "#c44e52", "#dd8452", "#2a2a2a"
RATES = ["#4878a8", "#dd8452", "#55a868", "#c44e52", "#8172b3"]
LEVELS = [0.0005, 0.002, 0.01, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5]  # the contour lines
TOP = 2.0  # the top of the last band: a loss never passes 2 (|error| <= 2)
FLOOR = 1e-36  # a loss of exactly 0 is drawn here: a log scale has no 0 (any other loss is above 1e-35)


def _column(rows, key):
    return [row[key] for row in rows]


def loss_and_output(rows, first=100):
    """The loss (column Q) of every attempt on a log scale, and the output (L) of the first
    attempts against the target (N)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.1), layout="constrained")
    attempts = _column(rows, "attempt")
    left.semilogy(attempts, [max(loss, FLOOR) for loss in _column(rows, "loss")], color=CURVE)
    left.set(xlabel="attempt (column O)", ylabel="loss (column Q)", title="the loss, on a log scale")
    right.plot(attempts[:first], _column(rows, "output")[:first], color=CURVE, label="output (L)")
    right.axhline(rows[0]["target"], color=TARGET, ls="--", lw=1, label="target (N)")
    right.set(xlabel="attempt (column O)", ylabel="output", title=f"the output, first {first} attempts")
    right.legend(fontsize=8)
    plt.close(fig)
    return fig


def learning_rates(runs, first=40):
    """For each learning rate (runs: rate -> rows), the loss of every attempt on a log scale and the
    output of the first attempts. One legend for both panels, below them, so that it hides no line."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.7), layout="constrained")
    for colour, (rate, rows) in zip(RATES, runs.items()):
        attempts = _column(rows, "attempt")
        left.semilogy(attempts, [max(loss, FLOOR) for loss in _column(rows, "loss")], color=colour,
                      lw=1.2, label=f"learning rate {rate:g}")
        right.plot(attempts[:first], _column(rows, "output")[:first], color=colour, lw=1.2, marker=".",
                   ms=4, label=f"learning rate {rate:g}")
    right.axhline(next(iter(runs.values()))[0]["target"], color="#999", ls="--", lw=1, label="target")
    left.set(xlabel="attempt", ylabel="loss", title="the loss, on a log scale (0 drawn at 1e-36)")
    right.set(xlabel="attempt", ylabel="output", ylim=(-1.05, 1.05),
              title=f"the output, first {first} attempts")
    fig.legend(*right.get_legend_handles_labels(), loc="outside lower center", ncol=len(runs) + 1, fontsize=8)
    plt.close(fig)
    return fig


def paths(runs, input, target, first=20):
    """The path of (weight, bias) over the contour lines of the loss, one panel per learning rate
    (runs: rate -> rows, one dot per attempt). The first run is drawn whole with both axes at the same
    scale; the others show their first attempts, the weight axis zoomed in, each hop an arc (drawn
    curved so that hops back and forth do not hide each other); their weight axis is stretched against
    the bias axis, by as much as its label says. The dashed line is the valley floor: every (weight,
    bias) whose net is atanh(target), where the loss is 0."""
    (rate, rows), *zoomed = runs.items()
    start = rows[0]["weight"], rows[0]["bias"]
    fig, axes = plt.subplots(1, 1 + len(zoomed), figsize=(3.3 + 2.7 * len(zoomed), 3.9), layout="constrained",
                             gridspec_kw=dict(width_ratios=[1.25] + [1] * len(zoomed)), squeeze=False)
    axes = axes[0]
    window = (start[0] - 2, start[0] + 2), (start[1] - 2, start[1] + 2)
    _valley(axes[0], input, target, *window)
    axes[0].plot(_column(rows, "weight"), _column(rows, "bias"), color=END, lw=1.8, marker="o", ms=1.5,
                 gid=f"path {rate:g}")
    axes[0].plot(*start, "o", color=START, ms=7, label="start (G3, I3)")
    axes[0].set(aspect="equal", xlabel="weight (column G)", ylabel="bias (column I)")
    axes[0].set_title(f"learning rate {rate:g}, {len(rows)} attempts:\nweight and bias to the same scale",
                      fontsize=9)
    axes[0].legend(fontsize=7, loc="upper right", framealpha=0.95)
    if zoomed:
        every = [row for _, rows in zoomed for row in rows[:first]]
        window = _span(_column(every, "weight")), _span(_column(every, "bias"))
        stretch = (window[1][1] - window[1][0]) / (window[0][1] - window[0][0])  # bias span / weight span
    for ax, (rate, rows) in zip(axes[1:], zoomed):
        _valley(ax, input, target, *window)
        points = list(zip(_column(rows[:first], "weight"), _column(rows[:first], "bias")))
        for i, (a, b) in enumerate(zip(points, points[1:])):
            ax.add_patch(FancyArrowPatch(a, b, connectionstyle="arc3,rad=0.4", arrowstyle="-|>",
                                         mutation_scale=7, lw=0.8, color=END, alpha=max(0.3, 1 - i / first)))
        ax.plot(*zip(*points), "o", color=END, ms=2.5, gid=f"path {rate:g}")
        ax.plot(*start, "o", color=START, ms=7)
        ax.set(xlabel=f"weight (axis stretched ×{stretch:.0f})")
        ax.set_title(f"learning rate {rate:g}, first {len(points)} attempts", fontsize=9)
        ax.tick_params(axis="x", labelsize=7, labelrotation=30)
    plt.close(fig)
    return fig


def _valley(ax, input, target, weights, biases):
    """The loss's contour lines over the window, and the valley floor where it is 0."""
    w = np.linspace(*weights, 81)
    b = np.linspace(*biases, 161)
    loss = np.array([[forward(input, x, y, target)["loss"] for x in w] for y in b])
    levels = [0, *LEVELS, TOP]
    # one shade per band, evenly darker band by band: the small losses' bands stay visible
    shades = plt.get_cmap("Blues")(np.linspace(0.0, 0.8, len(levels) - 1))
    ax.contourf(w, b, loss, levels=levels, colors=shades, alpha=0.65)
    ax.contour(w, b, loss, levels=LEVELS, colors="#6a8caf", linewidths=0.6)
    ax.plot(w, [math.atanh(target) - input * x for x in w], color=TARGET, ls="--", lw=1.2,
            label="loss 0 (the valley floor)")
    ax.set(xlim=weights, ylim=biases)


def _span(values, margin=0.08):
    low, high = min(values), max(values)
    pad = (high - low) * margin or 0.01
    return low - pad, high + pad
