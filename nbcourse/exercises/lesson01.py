"""Lesson 01's exercises: a single neuron."""


from nbcourse import neuron
from nbcourse.exercises import exercise, judge_function, judge_number
from nbcourse.lessons import lesson01


@exercise("01-net", "Inputs 1 and -1, weights 0.5 and 0.25, bias 0.1: what is the net?",
          hint="net = input 1 * weight 1 + input 2 * weight 2 + bias; mind the minus sign.",
          solution="from nbcourse import neuron\n"
                   "neuron.net([1, -1], [0.5, 0.25], 0.1)  # 1*0.5 + (-1)*0.25 + 0.1 = 0.35")
def _net(answer):
    expected = neuron.net([1.0, -1.0], [0.5, 0.25], 0.1)
    return judge_number(answer, expected, f"net = {expected:.4f}.", "the net")


NET_CASES = [  # (input 1, input 2, weight 1, weight 2, bias): the article's, then others
    tuple(lesson01.DEFAULTS[k] for k in ("input1", "input2", "weight1", "weight2", "bias")),
    (1.0, -1.0, 0.5, 0.25, 0.1), (-0.3, 0.2, 1.5, -2.0, 0.0), (0.0, 0.0, 0.7, 0.6, -0.4)]


@exercise("01-net-function", "Write net(input1, input2, weight1, weight2, bias): the formula of F2.",
          hint="F2 is =A2*C2+B2*D2+E2: each input times its own weight, then add the bias.",
          solution="def my_net(input1, input2, weight1, weight2, bias):\n"
                   "    return input1 * weight1 + input2 * weight2 + bias\n"
                   "my_net")
def _net_function(function):
    right, said = judge_function(
        function, NET_CASES, lambda c: neuron.net(c[:2], c[2:4], c[4]), digits=9, name="net",
        mistakes=lambda c: [(neuron.net(c[:2], c[2:4], 0.0),
                             "the bias is missing: it is added after the inputs times the weights.")])
    return right, said or f"all {len(NET_CASES)} cases agree with nbcourse to 9 significant digits."


@exercise("01-zero-output", "With the article's inputs and weights (A2:D2), which bias makes the output 0?",
          hint="tanh(net) is 0 exactly when the net is 0: which bias cancels the inputs times the weights?",
          solution="-(0.9 * 0.7 + 0.8 * 0.6)  # -1.11: the net is then 0, and tanh(0) = 0")
def _zero_output(answer):
    output = lesson01.sheet(bias=answer).value("G2")
    if abs(output) < 1e-4:
        return True, f"with bias {float(answer):g} the output (G2) is {output:.1e}, within 0.0001 of 0."
    return False, f"with bias {float(answer):g} the output (G2) is {output:.4f}, not 0."


@exercise("01-hit-target", "Keeping the article's inputs and weights, find a bias whose loss (I2) is "
                           "below 0.0001.",
          hint="The output must be within 0.01 of the target 0.8. Try the explorer's bias slider.",
          solution="import math\n"
                   "math.atanh(0.8) - (0.9 * 0.7 + 0.8 * 0.6)  # -0.0114; anything between "
                   "-0.0385 and 0.0170 works")
def _hit_target(answer):
    loss = lesson01.sheet(bias=answer).value("I2")
    if loss < 1e-4:
        return True, f"with bias {float(answer):g} the loss (I2) is {loss:.2e}."
    return False, f"with bias {float(answer):g} the loss (I2) is {loss:.6f}, not below 0.0001."


LOSS_CASES = [  # (output, target): the article's G2 and H2, then others
    (lesson01.sheet().value("G2"), lesson01.DEFAULTS["target"]), (0.1, 0.3), (-0.5, 0.5), (0.8, 0.8)]


@exercise("01-loss-function", "Write loss(output, target): part 1's loss, the formula of I2.",
          hint="I2 is =(G2-H2)^2: the miss, output minus target, squared. In Python, ** is the power.",
          solution="def my_loss(output, target):\n"
                   "    return (output - target) ** 2\n"
                   "my_loss")
def _loss_function(function):
    right, said = judge_function(
        function, LOSS_CASES, lambda c: neuron.squared_loss(*c), digits=9, name="loss",
        mistakes=lambda c: [
            (neuron.squared_loss(*c) / 2,
             "that is half of part 1's loss: part 2 halves it, part 1 does not."),
            (neuron.error(*c), "that is the miss itself (the error); the loss squares it."),
            (abs(neuron.error(*c)), "that is the size of the miss; the loss squares the miss instead.")])
    return right, said or f"all {len(LOSS_CASES)} cases agree with nbcourse to 9 significant digits."
