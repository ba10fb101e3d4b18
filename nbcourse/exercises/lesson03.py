"""Lesson 03's exercises: training."""

from nbcourse import neuron, training
from nbcourse.exercises import close, exercise, judge_function, judge_number

# (value, gradient, learning rate): G3, H3 and A2 of the sheet, I3 and J3, then other numbers
NUDGES = [(0.5, training.step(0.01, 0.1, 0.5, 0.5)["weight_gradient"], 0.1),
          (0.5, training.step(0.01, 0.1, 0.5, 0.5)["bias_gradient"], 0.1),
          (-1.2, -0.3, 0.01), (2.0, 0.5, 1.0), (0.25, -0.04, 10.0)]


@exercise("03-update-rule", "Write the update rule as a function: nudge(value, gradient, learning_rate) "
                            "gives the weight or bias of the next attempt (G4 from G3, H3 and A2).",
          hint="Move the value a little against its gradient: the gradient times the learning rate, "
               "taken away.",
          solution="def nudge(value, gradient, learning_rate):\n"
                   "    return value - gradient * learning_rate  # G4 = G3 - H3 * LEARNING_RATE\n"
                   "\n"
                   "nudge")
def _update_rule(answer):
    def expected(case):
        value, gradient, learning_rate = case
        return training.descend(dict(weight=value, weight_gradient=gradient, bias=0.0, bias_gradient=0.0),
                                learning_rate)[0]

    right, said = judge_function(
        answer, NUDGES, expected, digits=12, name="nudge",
        mistakes=lambda case: [(2 * case[0] - expected(case), "that moves the value up its gradient; "
                                "training moves it down, against it.")])
    return right, said or (f"checked on {len(NUDGES)} sets of numbers, to 12 significant digits, the "
                           "first two being row 3's weight and bias: your nudge gives G4 and I4.")


START = dict(weight=0.5, bias=-0.5)  # exercise 2: the sheet's row 3 with the bias below the valley floor


@exercise("03-one-step", "Learning rate 0.1 and weight 0.5 as in the sheet, but the bias starting at -0.5 "
                         "(I3 = -0.5): what is the bias after the first attempt (I4)?",
          hint="Work out row 3 afresh for the new bias: net, output, error, then the bias gradient J3 = "
               "error * (1 - output**2); then I4 = I3 - J3 * learning rate.",
          solution="from nbcourse import training\n"
                   "row3 = training.step(0.01, 0.1, weight=0.5, bias=-0.5)\n"
                   "training.descend(row3, 0.1)[1]  # -0.4559: the bias moves up")
def _one_step(answer):
    row3 = training.step(0.01, 0.1, START["weight"], START["bias"])
    expected = training.descend(row3, 0.1)[1]
    right, said = judge_number(answer, expected, (
        f"I4 = {expected:.6f}. The output, {row3['output']:.4f}, is below the target 0.1, so the error and "
        f"the bias gradient ({row3['bias_gradient']:.4f}) are negative, and subtracting a negative "
        "gradient moves the bias up."), "I4")
    uphill = START["bias"] + row3["bias_gradient"] * 0.1
    if not right and close(answer, uphill):
        said += " That moves the bias down, the way its gradient points; training moves it against it."
    return right, said


@exercise("03-attempts", "With the sheet's settings (learning rate 0.1, weight and bias 0.5), at which "
                         "attempt does the loss first fall below 0.000001?",
          hint="Look down column Q (loss) and read the attempt in column O, or loop over "
               "training.train(0.01, 0.1).",
          solution="from nbcourse import training\n"
                   "next(r['attempt'] for r in training.train(0.01, 0.1) if r['loss'] < 1e-6)  # 59")
def _attempts(answer):
    rows = training.train(0.01, 0.1)
    expected = next(r["attempt"] for r in rows if r["loss"] < 1e-6)
    if answer == expected:
        return True, f"attempt {expected} (row {expected + 2})."
    if not (float(answer).is_integer() and 1 <= answer <= len(rows)):
        return False, f"give an attempt number from 1 to {len(rows)}."
    loss = rows[int(answer) - 1]["loss"]
    if loss < 1e-6:
        return False, f"at attempt {answer} the loss is {loss:.2e}, but it was below 0.000001 earlier."
    return False, f"at attempt {answer} the loss is still {loss:.2e}."


@exercise("03-learning-rate", "Find a learning rate with which the trained neuron's output after 100 "
                              "attempts is within 0.001 of the target 0.1 (weight and bias start at 0.5). "
                              "After 100 attempts means after their 100 nudges, the neuron then run once "
                              "more, as in the Rust demo: the workbook's L103.",
          hint="0.01 is too slow for 100 attempts; try larger, but not too large.",
          solution="0.5  # training.trained_output(0.01, 0.1, learning_rate=0.5, iterations=100) gives "
                   "0.1; learning rates from about 0.062 to 1.99 work: below, 100 attempts are too few; "
                   "above, the output still zigzags around 0.1 (2.0 ends at 0.1017) and from about 2.04 "
                   "it never settles")
def _learning_rate(answer):
    rate = float(answer)
    if not 0 < rate <= 100:
        return False, "take a learning rate above 0 and at most 100."
    output = training.trained_output(0.01, 0.1, learning_rate=rate, iterations=100)  # L103
    said = f"after 100 attempts at learning rate {rate:g} the trained output (L103) is {output:.6f}."
    return abs(output - 0.1) < 0.001, said


def _output(input, weight, bias):
    return neuron.output(neuron.net([input], [weight], bias))


@exercise("03-another-fit", "The training example is input 0.01, target 0.1. Keep the bias at 0: which "
                            "weight makes the neuron's output for 0.01, rounded to 4 decimals, 0.1000?",
          hint="The output is tanh(net), so the net must be the number whose tanh is 0.1, "
               "math.atanh(0.1); with the bias at 0 the net is 0.01 * weight.",
          solution="import math\n"
                   "math.atanh(0.1) / 0.01  # 10.03: then net = 0.01 * weight = atanh(0.1)")
def _another_fit(answer):
    weight = float(answer)
    output = _output(0.01, weight, 0.0)
    if round(output, 4) == 0.1:
        return True, (f"weight {weight:.6g} and bias 0 give {output:.6f} for the input 0.01: they fit the "
                      f"example too. This neuron gives {_output(0.02, weight, 0.0):.4f} for 0.02 and "
                      f"{_output(0.05, weight, 0.0):.4f} for 0.05, nearly 10 times, but "
                      f"{_output(0.2, weight, 0.0):.4f} for 0.2: tanh never passes 1.")
    return False, (f"with weight {weight:g} and bias 0 the output for 0.01 is {output:.6f}, which rounds to "
                   f"{output:.4f}, not 0.1000.")
