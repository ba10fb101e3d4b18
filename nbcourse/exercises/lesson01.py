"""Lesson 01's exercises: a single neuron."""

from nbcourse import neuron
from nbcourse.exercises import close, exercise
from nbcourse.lessons import lesson01


@exercise("01-net", "Inputs 1 and -1, weights 0.5 and 0.25, bias 0.1: what is the net?",
          hint="net = input 1 * weight 1 + input 2 * weight 2 + bias; mind the minus sign.",
          solution="from nbcourse import neuron\n"
                   "neuron.net([1, -1], [0.5, 0.25], 0.1)  # 1*0.5 + (-1)*0.25 + 0.1 = 0.35")
def _net(answer):
    expected = neuron.net([1.0, -1.0], [0.5, 0.25], 0.1)
    if close(answer, expected):
        return True, f"net = {expected:.4f}."
    return False, f"{float(answer):g} is not the net (checked to 4 significant digits)."


@exercise("01-zero-output", "With the article's inputs and weights (A2:D2), which bias makes the output 0?",
          hint="tanh(net) is 0 exactly when the net is 0: which bias cancels the inputs times the weights?",
          solution="-(0.9 * 0.7 + 0.8 * 0.6)  # -1.11: the net is then 0, and tanh(0) = 0")
def _zero_output(answer):
    output = lesson01.sheet(bias=answer).value("G2")
    if abs(output) < 1e-4:
        return True, f"with bias {float(answer):g} the output (G2) is {output:.1e}, zero to 4 decimals."
    return False, f"with bias {float(answer):g} the output (G2) is {output:.4f}, not 0."


@exercise("01-hit-target", "Keeping the article's inputs and weights, find a bias whose loss (I2) is "
                           "below 0.0001.",
          hint="The output must be within 0.01 of the target 0.8. Try the explorer's bias slider.",
          solution="import math\n"
                   "math.atanh(0.8) - (0.9 * 0.7 + 0.8 * 0.6)  # -0.0114; anything in about "
                   "[-0.039, 0.016] works")
def _hit_target(answer):
    loss = lesson01.sheet(bias=answer).value("I2")
    if loss < 1e-4:
        return True, f"with bias {float(answer):g} the loss (I2) is {loss:.2e}."
    return False, f"with bias {float(answer):g} the loss (I2) is {loss:.6f}, not below 0.0001."


