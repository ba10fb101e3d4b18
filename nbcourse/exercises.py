"""The exercises at the end of each notebook, checked against nbcourse's own maths.

    check("01-net", answer)   # right or not yet, with a hint
    solution("01-net")        # one way to the answer, when you ask for it

Every expected answer is computed here from nbcourse's functions, never typed in,
and the tolerance each check allows is stated in its message.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

from nbcourse import neuron, training
from nbcourse.gradients import forward, global_gradients, local_gradients
from nbcourse.lessons import lesson01


@dataclass(frozen=True)
class Exercise:
    question: str
    judge: Callable  # answer -> (right, what to say about it)
    hint: str
    solution: str


EXERCISES = {}


def exercise(name, question, hint, solution):
    """Register a judge function under `name`."""
    def register(judge):
        EXERCISES[name] = Exercise(question, judge, hint, solution)
        return judge
    return register


def find(name):
    if name not in EXERCISES:
        raise KeyError(f"No exercise called {name!r}; there are: {', '.join(EXERCISES)}.")
    return EXERCISES[name]


def check(name, answer):
    """Print whether `answer` is right; `...` means not answered yet."""
    task = find(name)
    if answer is ... or answer is None or (isinstance(answer, tuple) and ... in answer):
        print("Not answered yet: put your answer in place of the ... and run the cell again.")
        return
    try:
        right, detail = task.judge(answer)
    except (TypeError, ValueError) as problem:
        print(f"Not yet: {answer!r} is not the kind of answer asked for ({problem}).")
        return
    if right:
        print(f"Right! {detail}")
    else:
        print(f"Not yet: {detail} Hint: {task.hint} (solution({name!r}) shows one way.)")


def solution(name):
    """Print one way to the answer."""
    print(find(name).solution)


def close(answer, expected, digits=4):
    """Equal to `digits` significant digits: the precision a learner reads off a sheet."""
    return math.isclose(float(answer), expected, rel_tol=0.5 * 10.0 ** (1 - digits), abs_tol=1e-12)


# 01: a single neuron

@exercise("01-net", "Inputs 1 and -1, weights 0.5 and 0.25, bias 0.1: what is the net?",
          hint="net = input 1 * weight 1 + input 2 * weight 2 + bias; mind the minus sign.",
          solution="neuron.net([1, -1], [0.5, 0.25], 0.1)  # 1*0.5 + (-1)*0.25 + 0.1 = 0.35")
def _net(answer):
    expected = neuron.net([1.0, -1.0], [0.5, 0.25], 0.1)
    if close(answer, expected):
        return True, f"net = {expected:.4f}."
    return False, f"{float(answer):g} is not the net (checked to 4 significant digits)."


@exercise("01-zero-output", "With the article's inputs and weights (A2:D2), which bias makes the output 0?",
          hint="tanh(net) is 0 exactly when the net is 0: which bias cancels the inputs times the weights?",
          solution="bias = -(0.9 * 0.7 + 0.8 * 0.6)  # -1.11: the net is then 0, and tanh(0) = 0")
def _zero_output(answer):
    output = lesson01.sheet(bias=answer).value("G2")
    if abs(output) < 1e-4:
        return True, f"with bias {float(answer):g} the output (G2) is {output:.1e}, zero to 4 decimals."
    return False, f"with bias {float(answer):g} the output (G2) is {output:.4f}, not 0."


@exercise("01-hit-target", "Keeping the article's inputs and weights, find a bias whose loss (I2) is "
                           "below 0.0001.",
          hint="The output must be within 0.01 of the target 0.8. Try the explorer's bias slider.",
          solution="bias = math.atanh(0.8) - (0.9 * 0.7 + 0.8 * 0.6)  # -0.0114; anything in about "
                   "[-0.039, 0.016] works")
def _hit_target(answer):
    loss = lesson01.sheet(bias=answer).value("I2")
    if loss < 1e-4:
        return True, f"with bias {float(answer):g} the loss (I2) is {loss:.2e}."
    return False, f"with bias {float(answer):g} the loss (I2) is {loss:.6f}, not below 0.0001."


# 02: gradients

def _gradients(input=0.4, weight=0.5, bias=0.6, target=0.7):
    return global_gradients(local_gradients(forward(input, weight, bias, target)))


@exercise("02-sign", "The weight's global gradient (C4) is -0.0080. To lower the loss, should the "
                     "weight go 'up' or 'down'?",
          hint="A negative gradient means the loss falls as the weight rises.",
          solution="'up': training moves each value against its gradient, weight - gradient * rate.")
def _sign(answer):
    expected = "up" if _gradients()["weight"] < 0 else "down"
    if str(answer).strip().lower() == expected:
        return True, "the weight goes up, against its negative gradient, and the loss falls."
    return False, f"{answer!r} would raise the loss."


@exercise("02-new-target", "Change the target to 0.5 (input 0.4, weight 0.5, bias 0.6 as before): "
                           "what is the bias's global gradient (D4)?",
          hint="The bias gradient is (1 - output^2) * error; only the error changes.",
          solution="gradients.global_gradients(gradients.local_gradients("
                   "gradients.forward(0.4, 0.5, 0.6, 0.5)))['bias']  # 0.0917")
def _new_target(answer):
    expected = _gradients(target=0.5)["bias"]
    if close(answer, expected, digits=3):
        return True, f"D4 = {expected:.4f}: positive now, since the output is above the target."
    return False, f"{float(answer):g} is not D4 for target 0.5 (checked to 3 significant digits)."


@exercise("02-flat", "For input 0.4, bias 0.6 and target 0.7, at which weight is the weight's gradient "
                     "0? (to 2 decimals)",
          hint="The gradient is 0 where the loss is lowest: where the output equals the target. "
               "Slide the explorer's weight until the tangent is flat.",
          solution="weight = (math.atanh(0.7) - 0.6) / 0.4  # 0.668: then tanh(net) = 0.7 exactly")
def _flat(answer):
    expected = (math.atanh(0.7) - 0.6) / 0.4
    gradient = _gradients(weight=float(answer))["weight"]
    if abs(float(answer) - expected) <= 0.005:
        return True, f"the weight gradient there is {gradient:.1e}: the bottom of the loss curve."
    return False, f"at weight {float(answer):g} the weight gradient is {gradient:.4f}, not 0."


# 03: training

@exercise("03-one-step", "Learning rate 0.1, weight and bias starting at 0.5: what is the bias after "
                         "the first attempt (I4)?",
          hint="new bias = bias - bias gradient * learning rate, with the gradient from row 3 (J3).",
          solution="training.descend(training.step(0.01, 0.1, 0.5, 0.5), 0.1)[1]  # 0.4713")
def _one_step(answer):
    expected = training.descend(training.step(0.01, 0.1, 0.5, 0.5), 0.1)[1]
    if close(answer, expected):
        return True, f"I4 = {expected:.6f}."
    return False, f"{float(answer):g} is not I4 (checked to 4 significant digits)."


@exercise("03-attempts", "With the sheet's settings (learning rate 0.1, weight and bias 0.5), at which "
                         "attempt does the loss first fall below 0.000001?",
          hint="Look down column Q (loss) and read the attempt in column O, or loop over "
               "training.train(0.01, 0.1).",
          solution="next(r['attempt'] for r in training.train(0.01, 0.1) if r['loss'] < 1e-6)  # 59")
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
          solution="training.trained_output(0.01, 0.1, learning_rate=0.5, iterations=100)  # 0.1; "
                   "roughly 0.07 to 2 work; 3 throws the output up to 0.5")
def _learning_rate(answer):
    rate = float(answer)
    if not 0 < rate <= 100:
        return False, "take a learning rate above 0 and at most 100."
    output = training.trained_output(0.01, 0.1, learning_rate=rate, iterations=100)
    if abs(output - 0.1) < 0.001:
        return True, f"after 100 attempts at learning rate {rate:g} the output is {output:.6f}."
    return False, f"after 100 attempts at learning rate {rate:g} the output is {output:.6f}."


# 04: backpropagation (the notebook's net: seed 2, its first rectangle, as the 100M run)

def _first_rectangle():
    """The notebook's net after the forward and backward passes on its first rectangle."""
    import numpy as np

    from nbcourse import fast, network  # numba: loaded only for lesson 04's exercises

    rng = np.random.default_rng(fast.SEED)
    net = network.new_net(rng)
    width, height = network.sample(rng)
    network.forward_pass(net, [width, height])
    network.backward_pass(net, network.targets(width, height))
    return net


@exercise("04-value", "Work out layer 2 neuron 1's value for the notebook's rectangle from layer 1's "
                      "three values and the neuron's bias and weights.",
          hint="value = tanh(bias + weight 1 * value 1 + weight 2 * value 2 + weight 3 * value 3), "
               "with layer 1's values from the forward pass table.",
          solution="neuron = net.layers[1].neurons[0]\n"
                   "layer1 = [n.value for n in net.layers[0].neurons]\n"
                   "math.tanh(neuron.bias + sum(w * v for w, v in zip(neuron.weights, layer1)))"
                   "  # 0.6454")
def _value(answer):
    expected = _first_rectangle().layers[1].neurons[0].value
    if close(answer, expected):
        return True, f"layer 2 neuron 1's value is {expected:.6f}."
    return False, f"{float(answer):g} is not its value (checked to 4 significant digits)."


@exercise("04-sign", "Is the gradient of layer 3 neuron 1's bias 'positive' or 'negative'?",
          hint="An output neuron's activation gradient is (1 - value^2) * (value - target), and "
               "1 - value^2 is never negative: compare the area output with its target.",
          solution="'negative': the area output (0.019) is below its target (0.055), so value - "
                   "target < 0; the bias's gradient is the neuron's activation gradient.")
def _bias_sign(answer):
    gradient = _first_rectangle().layers[2].neurons[0].activation_gradient
    expected = "positive" if gradient > 0 else "negative"
    if str(answer).strip().lower() == expected:
        return True, (f"its gradient is {gradient:.6f}: training raises the bias, lifting the area "
                      "output towards its target.")
    return False, f"{answer!r} is not the sign of its gradient."


@exercise("04-stuck", "Find a learning rate with which the explorer's starting net (seed 2, 3 and 3 "
                      "neurons) ends up stuck, its outputs at ±1, after 20,000 rectangles.",
          hint="Much larger than the article's 0.001: move the explorer's learning rate to the right "
               "until the readout says stuck.",
          solution="Learning rates from about 1.5 up get stuck; 1.2 and below still learn. The edge is "
                   "sharp: one overshooting step throws a net into tanh's flat ends, where the "
                   "gradients are too small to bring it back.")
def _stuck(answer):
    rate = float(answer)
    if not 0 < rate <= 10:
        return False, "take a learning rate above 0 and at most 10, the explorer's range."
    from nbcourse import fast, network

    trained, _ = fast.run(fast.SEED, 20_001, rate, 500)  # the explorer's starting net and run
    outputs = network.forward_pass(network.from_parameters(trained), [0.55, 0.55])
    said = (f"after 20,000 rectangles at {rate:g}, the outputs for a 0.55 x 0.55 square are "
            f"{outputs[0]:.4f} and {outputs[1]:.4f}")
    if max(abs(output) for output in outputs) > 0.99:
        return True, said + ": stuck at ±1."
    return False, said + ", not stuck at ±1."


def _mean_loss(hidden1, hidden2):
    """Mean loss of the last 500 of 20,000 rectangles, learning rate 0.1, seed 2."""
    from nbcourse import fast

    return fast.loss_curve(fast.SEED, 20_001, 0.1, (2, hidden1, hidden2, 2))[-500:].mean()


@exercise("04-sizes", "With learning rate 0.1 and seed 2, find hidden layer sizes (1 to 8 each) with "
                      "which the mean loss of the last 500 of 20,000 rectangles is below 0.0005. "
                      "Answer (layer 1 neurons, layer 2 neurons).",
          hint="The explorer's three and three give about 0.0013: try more neurons, in one layer or "
               "both, with its learning rate at 0.1.",
          solution="(4, 3): 7 hidden neurons in all, the fewest that get below 0.0005; (4, 5), (5, 4) "
                   "and others work too.")
def _sizes(answer):
    hidden1, hidden2 = (int(size) for size in answer)
    if not (1 <= hidden1 <= 8 and 1 <= hidden2 <= 8):
        return False, "give two sizes from 1 to 8, like (5, 5)."
    found = _mean_loss(hidden1, hidden2)
    said = f"with {hidden1} and {hidden2} neurons the mean loss of the last 500 is {found:.6f}"
    if found >= 0.0005:
        return False, said + ", not below 0.0005."
    fewest = min(a + b for a in range(1, 9) for b in range(1, 9) if _mean_loss(a, b) < 0.0005)
    if hidden1 + hidden2 == fewest:
        return True, said + ". That's the fewest neurons in total that do it."
    return True, said + f". Fewer neurons in total can do it too: {fewest} in all."
