"""Lesson 02's pictures, drawn from the sheet's own cells so that picture, table and workbook agree.

    from nbcourse.plots import lesson02
    lesson02.two_losses(sheet)   # part 1's loss and part 2's halved one against the weight
    lesson02.tangents(sheet)     # the slopes E3 (on tanh) and C4 (on the loss) as tangent lines
"""

import matplotlib.pyplot as plt
import numpy as np

CURVE, TANGENT, POINT, FAINT = "#4878a8", "#c44e52", "#dd8452", "#999999"  # as the explorer's
WEIGHTS = np.linspace(-1, 2.5, 351)  # wide enough to see both losses turn up again


def _inputs(sheet):
    return (sheet.value(a) for a in ("B2", "C2", "D2", "G2"))


def _losses(sheet, weights):
    """Part 2's loss (I2's formula, error^2 / 2) for each weight, the other inputs as in the sheet."""
    input, _, bias, target = _inputs(sheet)
    return (np.tanh(input * weights + bias) - target) ** 2 / 2


def two_losses(sheet, weights=WEIGHTS):
    """Part 1's loss (error^2) and part 2's (error^2 / 2) against the weight: one bottom, two steepnesses."""
    halved = _losses(sheet, weights)
    fig, ax = plt.subplots(figsize=(6.4, 3.2), layout="constrained")
    ax.plot(weights, 2 * halved, color=FAINT, lw=1.5, label="part 1: error²")
    ax.plot(weights, halved, color=CURVE, lw=2, label="part 2: error² / 2")
    best = weights[np.argmin(halved)]
    ax.axvline(best, color=TANGENT, ls=":", lw=1.2, label="the lowest loss of both")
    ax.plot([sheet.value("C2")], [sheet.value("I2")], "o", color=POINT, label="the sheet's weight (C2)")
    ax.set(xlabel="weight", ylabel="loss")
    ax.legend(fontsize=8, frameon=False)
    return fig


def tangents(sheet, reach=0.5):
    """Left: tanh and its tangent at the net (slope E3). Right: the loss against the weight and its
    tangent at the sheet's weight (slope C4, the weight's global gradient)."""
    net, output, loss, weight = (sheet.value(a) for a in ("E2", "F2", "I2", "C2"))
    span = np.array([-reach, reach])
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")

    nets = np.linspace(-4, 4, 201)
    left.plot(nets, np.tanh(nets), color=CURVE, lw=1.5)
    left.plot(net + span, output + sheet.value("E3") * span, color=TANGENT, lw=2,
              label=f"slope 1 − output² = {sheet.value('E3'):.4f} (E3)")
    left.plot([net], [output], "o", color=POINT)
    left.set(xlabel="net (E2)", ylabel="output (F2)", title="output = tanh(net)")
    left.legend(fontsize=8, loc="upper left", frameon=False)

    weights = np.linspace(weight - 3 * reach, weight + 3 * reach, 151)
    right.plot(weights, _losses(sheet, weights), color=CURVE, lw=1.5)
    right.plot(weight + span, loss + sheet.value("C4") * span, color=TANGENT, lw=2,
               label=f"slope {sheet.value('C4'):.4f} (C4)")
    right.plot([weight], [loss], "o", color=POINT)
    right.set(xlabel="weight (C2)", ylabel="loss (I2)", title="loss = error² / 2, near the sheet's weight")
    right.legend(fontsize=8, frameon=False)
    return fig
