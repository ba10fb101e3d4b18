"""Argument checks at the edges: the lessons, the explorers, the trainers and the command line.

Each check raises CourseError with one sentence that says what is wrong and how
to fix it; the command line prints that sentence (no traceback) and exits with 2.
"""

import math
import numbers

import numpy as np


class CourseError(ValueError):
    """Bad input a learner can fix: the message says how."""


def number(name, value, low=-math.inf, high=math.inf):
    """A finite real number within [low, high], returned as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise CourseError(f"{name} must be a number, not {value!r}.") from None
    value = float(value)
    if not math.isfinite(value):
        raise CourseError(f"{name} must be a finite number, not {value}: give a plain number.")
    if not low <= value <= high:
        raise CourseError(f"{name} must be between {low:g} and {high:g}, not {value:g}.")
    return value


def positive(name, value):
    """A finite number above zero (a learning rate, Tiny)."""
    value = number(name, value)
    if value <= 0:
        raise CourseError(f"{name} must be above zero, not {value:g}: try 0.01.")
    return value


def count(name, value, minimum=1):
    """A whole number of at least `minimum` (iterations, rows, a window)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise CourseError(f"{name} must be a whole number, not {value!r}.")
    if value < minimum:
        raise CourseError(f"{name} must be at least {minimum}, not {value}.")
    return int(value)


def seed(value):
    """A non-negative whole number for numpy's random generator."""
    return count("seed", value, minimum=0)


def sizes(value, rectangle=True):
    """A net's sizes: whole numbers >= 1, the inputs then each layer's neurons; the rectangle
    task needs 2 inputs and 2 outputs."""
    try:
        value = tuple(value)
    except TypeError:
        raise CourseError(f"sizes must be a list of whole numbers like (2, 3, 3, 2), "
                          f"not {value!r}.") from None
    if len(value) < 2:
        raise CourseError(f"sizes needs the inputs and at least one layer, like (2, 3, 3, 2), "
                          f"not {value!r}.")
    value = tuple(count("each size", size) for size in value)
    if rectangle and (value[0] != 2 or value[-1] != 2):
        raise CourseError(f"sizes must start with 2 inputs (width, height) and end with 2 outputs "
                          f"(area, circumference), like (2, 3, 3, 2), not {value}.")
    return value


def rng(value):
    """The seeded generator every draw comes from, so runs repeat."""
    if not isinstance(value, np.random.Generator):
        raise CourseError(f"rng must be a numpy random generator such as "
                          f"numpy.random.default_rng(2), not {value!r}.")
    return value


def parameters(value, sizes):
    """A net's biases and weights: a finite float64 copy of the flat vector, the right length."""
    from nbcourse.network import parameter_count  # network imports this module

    expected = parameter_count(sizes)
    try:
        value = np.array(value, dtype=np.float64)  # a copy: training changes it
    except (TypeError, ValueError):
        raise CourseError("the biases and weights must be numbers.") from None
    if value.shape != (expected,):
        raise CourseError(f"a {sizes} net has {expected} biases and weights, not {value.size}.")
    if not np.all(np.isfinite(value)):
        raise CourseError("the starting biases and weights must be finite numbers.")
    return value


class Diverged(CourseError):
    """Training produced NaN or infinity."""

    def __init__(self, iteration, what="the loss"):
        self.iteration = iteration
        super().__init__(
            f"Training diverged at iteration {iteration}: {what} became NaN or infinite. "
            "Use a smaller learning rate (and, for the network, smaller starting weights)."
        )


def settings(defaults, values, extra=()):
    """The defaults updated with values, refusing a name the sheet doesn't take (a typo)."""
    unknown = set(values) - {*defaults, *extra}
    if unknown:
        raise CourseError(f"unknown setting {', '.join(sorted(unknown))}: this sheet takes "
                          f"{', '.join([*defaults, *extra])}.")
    return {**defaults, **values}
