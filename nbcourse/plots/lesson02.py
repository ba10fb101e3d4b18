"""Lesson 02's pictures, drawn from the sheet's own cells so that picture, table and workbook agree.

    from nbcourse.plots import lesson02
    lesson02.two_losses(sheet)   # part 1's loss and part 2's halved one against the weight, with tangents
    lesson02.tangents(sheet)     # the slopes E3 (on tanh) and C4 (on the loss) as tangent lines
"""

import math

import matplotlib.pyplot as plt
import numpy as np

CURVE, TANGENT, POINT, FAINT = "#4878a8", "#c44e52", "#dd8452", "#999999"  # as the explorer's


def _inputs(sheet):
    return (sheet.value(a) for a in ("B2", "C2", "D2", "G2"))


def _losses(sheet, weights):
    """Part 2's loss (I2's formula, error^2 / 2) for each weight, the other inputs as in the sheet."""
    input, _, bias, target = _inputs(sheet)
    return (np.tanh(input * weights + bias) - target) ** 2 / 2


def best_weight(sheet):
    """The weight at which the output equals the target, the bias held as in the sheet (None if no
    weight does: an input of 0, or a target tanh cannot reach)."""
    input, _, bias, target = _inputs(sheet)
    if input == 0 or abs(target) >= 1:
        return None
    return (math.atanh(target) - bias) / input


def _near(sheet, count):
    """Weights from a little below the smaller of the sheet's weight and the best one to a little above
    the larger: close enough to see a slope of C4's size, and the bottom beside it."""
    weight, best = sheet.value("C2"), best_weight(sheet)
    ends = [weight] if best is None else [weight, best]
    return np.linspace(min(ends) - 0.3, max(ends) + 0.35, count)


def two_losses(sheet, reach=0.12):
    """Part 1's loss (error^2) and part 2's (error^2 / 2) against the weight, near the sheet's weight
    and the best one: one bottom, and at the sheet's weight two tangents, one twice as steep."""
    weight, loss, slope = (sheet.value(a) for a in ("C2", "I2", "C4"))
    best = best_weight(sheet)
    weights = _near(sheet, 301)
    halved = _losses(sheet, weights)
    span = np.array([-reach, reach])
    fig, ax = plt.subplots(figsize=(6.4, 3.4), layout="constrained")
    ax.plot(weights, 2 * halved, color=FAINT, lw=1.5, label="part 1: error²")
    ax.plot(weights, halved, color=CURVE, lw=2, label="part 2: error² / 2")
    ax.plot(weight + span, 2 * loss + 2 * slope * span, color=TANGENT, lw=1.5, ls="--",
            label=f"slope {2 * slope:.4f} (2 × C4)")
    ax.plot(weight + span, loss + slope * span, color=TANGENT, lw=2, label=f"slope {slope:.4f} (C4)")
    if best is not None:
        ax.axvline(best, color=FAINT, ls=":", lw=1.2,
                   label=f"best weight with bias {sheet.value('D2'):g}: output = target")
    ax.plot([weight], [loss], "o", color=POINT, label="the sheet's weight (C2)")
    ax.set(xlabel="weight", ylabel="loss")
    ax.legend(fontsize=8, frameon=False)
    return fig


def tangents(sheet, reach=0.5, weight_reach=0.12):
    """Left: tanh and its tangent at the net (slope E3). Right: the loss against the weight, near the
    sheet's weight and the best one, and its tangent at the sheet's weight (slope C4, the weight's global
    gradient)."""
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

    weights = _near(sheet, 151)
    span = np.array([-weight_reach, weight_reach])
    right.plot(weights, _losses(sheet, weights), color=CURVE, lw=1.5)
    right.plot(weight + span, loss + sheet.value("C4") * span, color=TANGENT, lw=2,
               label=f"slope {sheet.value('C4'):.4f} (C4)")
    best = best_weight(sheet)
    if best is not None:
        right.axvline(best, color=FAINT, ls=":", lw=1.2, label="lowest loss: output = target")
    right.plot([weight], [loss], "o", color=POINT)
    right.set(xlabel="weight (C2)", ylabel="loss (I2)", title="loss = error² / 2, near the sheet's weight")
    right.legend(fontsize=8, frameon=False)
    return fig
