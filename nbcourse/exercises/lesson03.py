"""Lesson 03's exercises: training."""

from nbcourse import training
from nbcourse.exercises import close, exercise


@exercise("03-one-step", "Learning rate 0.1, weight and bias starting at 0.5: what is the bias after "
                         "the first attempt (I4)?",
          hint="new bias = bias - bias gradient * learning rate, with the gradient from row 3 (J3).",
          solution="from nbcourse import training\n"
                   "training.descend(training.step(0.01, 0.1, 0.5, 0.5), 0.1)[1]  # 0.4713")
def _one_step(answer):
    expected = training.descend(training.step(0.01, 0.1, 0.5, 0.5), 0.1)[1]
    if close(answer, expected):
        return True, f"I4 = {expected:.6f}."
    return False, f"{float(answer):g} is not I4 (checked to 4 significant digits)."


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


@exercise("03-learning-rate", "Find a learning rate with which the trained output after 100 attempts is "
                              "within 0.001 of the target 0.1 (weight and bias start at 0.5).",
          hint="0.01 is too slow for 100 attempts; try larger, but not too large.",
          solution="0.5  # training.trained_output(0.01, 0.1, learning_rate=0.5, iterations=100) gives "
                   "0.1; roughly 0.07 to 2 work; 3 throws the output up to 0.5")
def _learning_rate(answer):
    rate = float(answer)
    if not 0 < rate <= 100:
        return False, "take a learning rate above 0 and at most 100."
    output = training.trained_output(0.01, 0.1, learning_rate=rate, iterations=100)
    if abs(output - 0.1) < 0.001:
        return True, f"after 100 attempts at learning rate {rate:g} the output is {output:.6f}."
    return False, f"after 100 attempts at learning rate {rate:g} the output is {output:.6f}."


