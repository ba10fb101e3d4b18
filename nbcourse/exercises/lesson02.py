"""Lesson 02's exercises: gradients."""

import math

from nbcourse.exercises import exercise, judge_function, judge_number
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
                           "what is the bias's global gradient (D4)? (to 3 significant digits)",
          hint="The bias gradient is D4 = E4 = E3 × F4 = (1 - output^2) * error; the output stays as it "
               "was, only the error changes.",
          solution="import math\n"
                   "output = math.tanh(0.4 * 0.5 + 0.6)  # F2: the target does not move it\n"
                   "error = output - 0.5  # H2, and so F3 and F4, with the new target\n"
                   "(1 - output**2) * error  # D4 = E4 = E3 × F4: 0.0917")
def _new_target(answer):
    expected = _gradients(target=0.5)["bias"]
    return judge_number(answer, expected, f"D4 = {expected:.4f}: positive now, since the output is above "
                        "the target.", "D4 for target 0.5", digits=3)


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


@exercise("02-part1", "With part 1's loss, error^2 (no / 2), and the article's values (input 0.4, "
                      "weight 0.5, bias 0.6, target 0.7), what is the weight's gradient? (to 2 significant "
                      "digits, as many as C4's -0.0080 shows)",
          hint="Halving a loss halves every gradient, so doubling it doubles them: compare with C4.",
          solution="from nbcourse import gradients\n"
                   "values = gradients.forward(input=0.4, weight=0.5, bias=0.6, target=0.7)\n"
                   "# error^2 is twice error^2 / 2, so each of its gradients is twice as big: twice C4\n"
                   "2 * gradients.global_gradients(gradients.local_gradients(values))['weight']  # -0.0161")
def _part1(answer):
    expected = 2 * _gradients()["weight"]  # d(error^2)/d error = 2 * error, twice the halved loss's
    return judge_number(answer, expected, f"{expected:.4f}, twice C4: the same direction, and at a given "
                        "learning rate a step twice as long.", "the weight's gradient of error^2", digits=2)


# (input, weight, bias, target): the article's neuron, then others, a negative input and a zero one among them
CASES = [(0.4, 0.5, 0.6, 0.7), (0.9, -0.7, 0.25, 0.1), (-1.0, 2.0, 0.5, -0.3), (0.01, 0.5, 0.5, 0.1),
         (0.0, 0.3, -0.2, 0.5)]
MISTAKES = (  # wrong answers seen often: (what they compute, what to say)
    (lambda i, w, b, t: _gradients(i, w, b, t)["net"], "that is the net's gradient (E4): the weight's is "
                                                       "the input times it (C4 = C3 × E4)."),
    (lambda i, w, b, t: 2 * _gradients(i, w, b, t)["weight"], "that is twice the gradient: part 2's loss is "
                                                              "error^2 / 2, whose gradient is the error."),
    (lambda i, w, b, t: -_gradients(i, w, b, t)["weight"], "the sign is flipped: the error is "
                                                           "output - target."),
)


@exercise("02-weight-gradient", "Write def weight_gradient(input, weight, bias, target) that returns the "
                                "weight's global gradient (C4) of a neuron with those values.",
          hint="Work out the net, the output and the error as in row 2, then multiply the local "
               "gradients along the way back from the loss: C4 = C3 × E3 × F4.",
          solution="import math\n"
                   "\n"
                   "def weight_gradient(input, weight, bias, target):\n"
                   "    output = math.tanh(input * weight + bias)  # F2\n"
                   "    error = output - target  # H2, and F4\n"
                   "    return input * (1 - output**2) * error  # C4 = C3 × E3 × F4\n"
                   "\n"
                   "weight_gradient")
def _weight_gradient(function):
    right, said = judge_function(
        function, CASES, lambda case: _gradients(*case)["weight"], digits=6, name="weight_gradient",
        mistakes=lambda case: [(mistake(*case), say) for mistake, say in MISTAKES])
    return right, said or (f"all {len(CASES)} neurons agree with the course's C4 to 6 significant "
                           f"digits, {_gradients()['weight']:.4f} for the article's.")
