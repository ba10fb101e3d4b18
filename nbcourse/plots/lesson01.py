"""Lesson 01's pictures: the neuron box by box, tanh's shoulders and two neurons in a chain.

Each function returns a matplotlib Figure (closed, so a notebook shows it once, where it is the
cell's last line). The boxes carry the sheet's own names and colours: A2..I2, inputs yellow,
formulas blue, as in the table and the workbook.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from nbcourse.sheet import COLOURS, display

# where each cell's box sits (centre x, y) and how wide it is, in the picture's own units
BOXES = {"A2": (1.0, 3.1, 1.6), "B2": (1.0, 1.7, 1.6), "C2": (3.3, 4.3, 1.5), "D2": (3.3, 0.5, 1.5),
         "E2": (6.0, 0.5, 1.6), "F2": (6.0, 2.4, 2.3), "G2": (9.1, 2.4, 1.7), "H2": (12.1, 0.5, 1.6),
         "I2": (12.1, 2.4, 1.9)}
HEIGHT = 1.05
# each input meets its weight in a "×" node; the product goes on into the net
TIMES = {"C2": ("A2", (3.3, 3.1)), "D2": ("B2", (3.3, 1.7))}  # weight: (its input, where its node sits)
RADIUS = 0.27
ARROWS = [("E2", "F2", "+"), ("F2", "G2", "tanh"), ("G2", "I2", ""), ("H2", "I2", "")]


def neuron(sheet, hide=()):
    """The article's neuron: each input times its weight (a "×" node), plus the bias, make the net
    (F2); tanh makes the output (G2); the loss (I2) measures it against the target (H2). Each box
    shows its cell, its header from row 1, its value and, for a formula, the formula. Cells in `hide`
    show "?", and a hidden net hides the products on their way into it."""
    fig, ax = plt.subplots(figsize=(9.6, 3.75))
    patches = {}
    for address, (x, y, width) in BOXES.items():
        cell = sheet[address]
        name = sheet.value(f"{address[0]}1")
        value = "?" if address in hide else display(cell)
        patches[address] = ax.add_patch(FancyBboxPatch(
            (x - width / 2, y - HEIGHT / 2), width, HEIGHT, boxstyle="round,pad=0.02,rounding_size=0.12",
            fc=COLOURS[cell.kind], ec="#888", lw=0.8))
        ax.text(x, y + 0.3, f"{address} · {name}", ha="center", va="center", fontsize=8.5, color="#444")
        ax.text(x, y + (0.0 if cell.formula else -0.12), value, ha="center", va="center", fontsize=12,
                weight="bold")
        if cell.formula:
            ax.text(x, y - 0.34, cell.formula, ha="center", va="center", fontsize=7.5, family="monospace",
                    color="#555")

    def arrow(start, end, patch_a, patch_b):
        ax.add_patch(FancyArrowPatch(start, end, patchA=patch_a, patchB=patch_b, arrowstyle="-|>",
                                     mutation_scale=12, color="#555", lw=1.1, shrinkA=1, shrinkB=2))

    for weight, (input_, centre) in TIMES.items():
        times = ax.add_patch(Circle(centre, RADIUS, fc="white", ec="#888", lw=0.8))
        ax.text(*centre, "×", ha="center", va="center", fontsize=13)
        for cell in (input_, weight):
            arrow(BOXES[cell][:2], centre, patches[cell], times)
        arrow(centre, BOXES["F2"][:2], times, patches["F2"])
        if "F2" not in hide:  # the product, beside its arrow into the net: above the upper, below the lower
            up = np.sign(centre[1] - BOXES["F2"][1])
            ax.text((centre[0] + BOXES["F2"][0] - BOXES["F2"][2] / 2) / 2 + 0.1,
                    (centre[1] + BOXES["F2"][1]) / 2 + 0.32 * up,
                    f"{sheet.value(input_) * sheet.value(weight):.4g}", ha="center", va="center",
                    fontsize=9, style="italic", color="#444")
    for start, end, text in ARROWS:
        (x0, y0, _), (x1, y1, _) = BOXES[start], BOXES[end]
        arrow((x0, y0), (x1, y1), patches[start], patches[end])
        if text:  # beside an upward arrow, above a level one
            upward = x0 == x1
            middle = ((x0 + x1) / 2, (y0 + HEIGHT / 2 + y1 - HEIGHT / 2) / 2) if upward else (
                (x0 + BOXES[start][2] / 2 + x1 - BOXES[end][2] / 2) / 2, y0)
            ax.text(middle[0] + (0.18 if upward else 0), middle[1] + (0 if upward else 0.16), text,
                    ha="left" if upward else "center", va="center", fontsize=10, style="italic")
    ax.set(xlim=(0, 13.2), ylim=(-0.15, 4.95), aspect="equal")
    ax.axis("off")
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.99)
    plt.close(fig)
    return fig


def tanh_curve(net, output, step=1.0):
    """tanh against the net, with the neuron's (net, output) on it. Two equal steps in the net, one
    from 0 and one from the neuron's net, show how much less the output moves on the flat shoulder.
    The logistic function is dotted for comparison."""
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    nets = np.linspace(-4, 4, 401)
    ax.plot(nets, np.tanh(nets), color="#4878a8", lw=2, label="tanh(net)")
    ax.plot(nets, 1 / (1 + np.exp(-nets)), color="#999", ls=":", lw=1.5, label="logistic, for comparison")
    for start, colour in ((0.0, "#55a868"), (net, "#c44e52")):
        low, high = np.tanh(start), np.tanh(start + step)
        ax.plot([start, start + step, start + step], [low, low, high], color=colour, lw=1.5)
        label = f"net +{step:g}\noutput +{high - low:.2g}"
        if start:  # on the shoulder the step is too short to write beside: write under it
            ax.text(start + step / 2, low - 0.1, label, fontsize=8.5, color=colour, ha="center", va="top")
        else:
            ax.text(start + step + 0.08, (low + high) / 2, label, fontsize=8.5, color=colour, va="center")
    ax.plot([net], [output], "o", color="#dd8452", ms=8, zorder=3,
            label=f"F2, G2: net {net:.2f}, output {output:.4f}")
    ax.axhline(0, color="#999", lw=0.5)
    ax.axvline(0, color="#999", lw=0.5)
    for level in (-1, 1):
        ax.axhline(level, color="#999", lw=0.5, ls="--")
    ax.set(xlabel="net", ylabel="output", xlim=(-4, 4), ylim=(-1.15, 1.15))
    ax.legend(loc="upper left", fontsize=8, framealpha=0.95)
    fig.tight_layout()
    plt.close(fig)
    return fig


def chain(inputs, straight, bent, xlabel="input 1 (input 2 stays 0.8)"):
    """Two neurons in a chain, their output against an input: without a squashing function
    (`straight`) and with tanh (`bent`)."""
    fig, ax = plt.subplots(figsize=(6.4, 3.0))
    ax.plot(inputs, straight, color="#999", lw=2, ls="--", label="no squashing: a straight line")
    ax.plot(inputs, bent, color="#4878a8", lw=2, label="tanh in both neurons: it bends")
    ax.axhline(0, color="#999", lw=0.5)
    ax.axvline(0, color="#999", lw=0.5)
    ax.set(xlabel=xlabel, ylabel="the second neuron's output")
    ax.legend(loc="upper left", fontsize=8, framealpha=0.95)
    fig.tight_layout()
    plt.close(fig)
    return fig
