"""A single neuron (parts 1-3): each forward step beside its local gradient.

Plain Python floats and `math.tanh` on purpose: the C library's tanh is what the
article's Rust program and the spreadsheet engines use, so the numbers agree to
the last bit where the article prints a full double.
"""

import functools
import inspect
import math
import numbers

from nbcourse.errors import CourseError, number


def checked(maths):
    """Check a maths function's arguments only when its result is not a finite number (or
    the maths fails on them): training loops pay one isfinite per call, and a learner who
    passes text or NaN gets a CourseError naming the argument. Finite numbers that overflow
    are returned as they are: training reports that as divergence, with its iteration."""
    parameters = inspect.signature(maths)

    @functools.wraps(maths)
    def wrapper(*args, **kwargs):
        try:
            result = maths(*args, **kwargs)
            if math.isfinite(result):
                return result
        except TypeError:
            result = None
        for name, value in parameters.bind(*args, **kwargs).arguments.items():
            for each in value if isinstance(value, list | tuple) else [value]:
                if not isinstance(each, numbers.Real):  # number() would take "0.5"; the maths can't
                    raise CourseError(f"{name} must be a number, not {each!r}.")
                number(name, each)
        if result is None:  # numbers all, yet the maths failed: not expected, so say so plainly
            raise CourseError(f"{maths.__name__}{args} could not be computed: give plain numbers.")
        return result

    return wrapper


@checked
def net(inputs, weights, bias):
    """Net = input 1 * weight 1 + input 2 * weight 2 + ... + bias, left to right like a sheet."""
    inputs = inputs if isinstance(inputs, list | tuple) else [inputs]
    weights = weights if isinstance(weights, list | tuple) else [weights]
    if len(inputs) != len(weights):
        raise CourseError(f"{len(inputs)} inputs but {len(weights)} weights: give one weight per input.")
    total = 0.0
    for input_, weight in zip(inputs, weights, strict=True):
        total += input_ * weight
    return total + bias
# local gradients of net: d net/d input = weight, d net/d weight = input, d net/d bias = 1


@checked
def output(net):
    """The activation function: tanh squashes the net into (-1, 1)."""
    return math.tanh(net)


@checked
def activation_gradient(output):
    """Local gradient of output with respect to net: d tanh(net)/d net = 1 - output^2."""
    return 1 - output**2


@checked
def error(output, target):
    """How far the output is from the target."""
    return output - target
# local gradient of error with respect to output: 1


@checked
def loss(error):
    """Part 2 onwards: error^2 / 2, halved so that its gradient is simply the error."""
    return error**2 / 2


@checked
def loss_gradient(error):
    """Local gradient of loss with respect to error: d (error^2 / 2)/d error = error."""
    return error


@checked
def squared_loss(output, target):
    """Part 1's loss, (output - target)^2, before part 2 halves it."""
    return (output - target) ** 2
