"""Lesson 02's exercises: gradients."""

import math

from nbcourse.exercises import close, exercise
from nbcourse.gradients import forward, global_gradients, local_gradients


def _gradients(input=0.4, weight=0.5, bias=0.6, target=0.7):
    return global_gradients(local_gradients(forward(input, weight, bias, target)))


@exercise("02-sign", "The weight's global gradient (C4) is -0.0080. To lower the loss, should the "
                     "weight go 'up' or 'down'?",
          hint="A negative gradient means the loss falls as the weight rises.",
          solution="\"up\"  # training moves each value against its gradient: weight - gradient * rate")
def _sign(answer):
    expected = "up" if _gradients()["weight"] < 0 else "down"
    if str(answer).strip().lower() == expected:
        return True, "the weight goes up, against its negative gradient, and the loss falls."
    return False, f"{answer!r} would raise the loss."


@exercise("02-new-target", "Change the target to 0.5 (input 0.4, weight 0.5, bias 0.6 as before): "
                           "what is the bias's global gradient (D4)?",
          hint="The bias gradient is (1 - output^2) * error; only the error changes.",
          solution="from nbcourse import gradients\n"
                   "values = gradients.forward(input=0.4, weight=0.5, bias=0.6, target=0.5)\n"
                   "gradients.global_gradients(gradients.local_gradients(values))['bias']  # 0.0917")
def _new_target(answer):
    expected = _gradients(target=0.5)["bias"]
    if close(answer, expected, digits=3):
        return True, f"D4 = {expected:.4f}: positive now, since the output is above the target."
    return False, f"{float(answer):g} is not D4 for target 0.5 (checked to 3 significant digits)."


@exercise("02-flat", "For input 0.4, bias 0.6 and target 0.7, at which weight is the weight's gradient "
                     "0? (to 2 decimals)",
          hint="The gradient is 0 where the loss is lowest: where the output equals the target. "
               "Slide the explorer's weight until the tangent is flat.",
          solution="import math\n"
                   "(math.atanh(0.7) - 0.6) / 0.4  # 0.668: then tanh(net) = 0.7 exactly")
def _flat(answer):
    expected = (math.atanh(0.7) - 0.6) / 0.4
    gradient = _gradients(weight=float(answer))["weight"]
    if abs(float(answer) - expected) <= 0.005:
        return True, f"the weight gradient there is {gradient:.1e}: the bottom of the loss curve."
    return False, f"at weight {float(answer):g} the weight gradient is {gradient:.4f}, not 0."


