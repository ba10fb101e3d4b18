"""A single neuron (parts 1-3): each forward step beside its local gradient.

Plain Python floats and `math.tanh` on purpose: the C library's tanh is what the
article's Rust program and the spreadsheet engines use, so the numbers agree to
the last bit where the article prints a full double. No argument checks here:
the lessons, the explorers and the command line check what a learner gives them.
"""

import math


def net(inputs, weights, bias):
    """Net = input 1 * weight 1 + input 2 * weight 2 + ... + bias, left to right like a sheet."""
    total = 0.0
    for input_, weight in zip(inputs, weights, strict=True):
        total += input_ * weight
    return total + bias
# local gradients of net: d net/d input = weight, d net/d weight = input, d net/d bias = 1


def output(net):
    """The activation function: tanh squashes the net into (-1, 1)."""
    return math.tanh(net)


def tanh_gradient(output):
    """Local gradient of output with respect to net: d tanh(net)/d net = 1 - output^2. (Part 4's
    "activation gradient" is another thing: the loss's gradient with respect to the net.)"""
    return 1 - output**2


def error(output, target):
    """How far the output is from the target."""
    return output - target
# local gradient of error with respect to output: 1


def loss(error):
    """Part 2 onwards: error^2 / 2, halved so that its gradient is simply the error."""
    return error**2 / 2


def loss_gradient(error):
    """Local gradient of loss with respect to error: d (error^2 / 2)/d error = error."""
    return error


def squared_loss(output, target):
    """Part 1's loss, (output - target)^2, before part 2 halves it."""
    return (output - target) ** 2
