"""Lesson 04's exercises: backpropagation."""

import numpy as np

from nbcourse import network
from nbcourse.exercises import close, exercise


def _first_rectangle():
    """The notebook's net after the forward and backward passes on its first rectangle."""
    rng = np.random.default_rng(network.SEED)
    net = network.new_net(rng)
    width, height = network.sample(rng)
    network.forward_pass(net, [width, height])
    network.backward_pass(net, network.targets(width, height))
    return net


@exercise("04-value", "Work out layer 2 neuron 1's value for the notebook's rectangle from layer 1's "
                      "three values and the neuron's bias and weights.",
          hint="value = tanh(bias + weight 1 * value 1 + weight 2 * value 2 + weight 3 * value 3), "
               "with layer 1's values from the forward pass table.",
          solution="import math\n"
                   "import numpy as np\n"
                   "from nbcourse import network\n"
                   "rng = np.random.default_rng(network.SEED)\n"
                   "net = network.new_net(rng)\n"
                   "network.forward_pass(net, list(network.sample(rng)))\n"
                   "neuron = net.layers[1].neurons[0]\n"
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
          solution="\"negative\"  # the area output (0.019) is below its target (0.055), so value - "
                   "target < 0; the bias's gradient is the neuron's activation gradient")
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
          solution="3  # learning rates from about 1.5 up get stuck; 1.2 and below still learn. The "
                   "edge is sharp: one overshooting step throws a net into tanh's flat ends, where "
                   "the gradients are too small to bring it back")
def _stuck(answer):
    rate = float(answer)
    if not 0 < rate <= 10:
        return False, "take a learning rate above 0 and at most 10, the explorer's range."
    from nbcourse import fast  # numba: loaded when an answer is checked

    trained, _ = fast.run(network.SEED, 20_001, rate, 500)  # the explorer's starting net and run
    outputs = network.forward_pass(network.from_parameters(trained), [0.55, 0.55])
    said = (f"after 20,000 rectangles at {rate:g}, the outputs for a 0.55 x 0.55 square are "
            f"{outputs[0]:.4f} and {outputs[1]:.4f}")
    if max(abs(output) for output in outputs) > 0.99:
        return True, said + ": stuck at ±1."
    return False, said + ", not stuck at ±1."


def _mean_loss(hidden1, hidden2):
    """Mean loss of the last 500 of 20,000 rectangles, learning rate 0.1, seed 2."""
    from nbcourse import fast

    return fast.loss_curve(network.SEED, 20_001, 0.1, (2, hidden1, hidden2, 2))[-500:].mean()


@exercise("04-sizes", "With learning rate 0.1 and seed 2, find hidden layer sizes (1 to 8 each) with "
                      "which the mean loss of the last 500 of 20,000 rectangles is below 0.0005. "
                      "Answer (layer 1 neurons, layer 2 neurons).",
          hint="The explorer's three and three give about 0.0013: try more neurons, in one layer or "
               "both, with its learning rate at 0.1.",
          solution="(4, 3)  # 7 hidden neurons in all, the fewest that get below 0.0005; (4, 5), (5, 4) "
                   "and others work too")
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
