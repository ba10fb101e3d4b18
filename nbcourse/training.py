"""Part 3: train a single neuron by nudging its weight and bias down their gradients."""

import math

from nbcourse import neuron
from nbcourse.errors import Diverged


def step(input, target, weight, bias):
    """One attempt: the forward pass and the two gradients (one row of the sheet)."""
    net = neuron.net([input], [weight], bias)
    output = neuron.output(net)
    error = neuron.error(output, target)
    bias_gradient = error * neuron.tanh_gradient(output)  # J = P * (1 - L^2): error x tanh's slope
    weight_gradient = bias_gradient * input  # H = J * F
    return dict(input=input, weight=weight, weight_gradient=weight_gradient, bias=bias,
                bias_gradient=bias_gradient, net=net, output=output, target=target,
                error=error, loss=neuron.loss(error))


def descend(row, learning_rate):
    """The next weight and bias: each moves a little against its gradient."""
    return (row["weight"] - row["weight_gradient"] * learning_rate,
            row["bias"] - row["bias_gradient"] * learning_rate)


def train(input, target, weight=0.5, bias=0.5, learning_rate=0.1, iterations=1000):
    """Every attempt's row, first to last; the trained neuron is the last row's descent."""
    rows = []
    for attempt in range(1, iterations + 1):
        row = step(input, target, weight, bias)
        row["attempt"] = attempt
        rows.append(row)
        weight, bias = descend(row, learning_rate)
        if not (math.isfinite(weight) and math.isfinite(bias) and math.isfinite(row["loss"])):
            raise Diverged(attempt, "the weight or bias")
    return rows


def trained_output(input, target, weight=0.5, bias=0.5, learning_rate=0.01, iterations=100_000):
    """The article's Rust demo: train, then run the neuron once more with what it learned."""
    last = train(input, target, weight, bias, learning_rate, iterations)[-1]
    weight, bias = descend(last, learning_rate)
    return neuron.output(neuron.net([input], [weight], bias))
