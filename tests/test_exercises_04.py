"""Lesson 04's exercises: right and wrong answers worked out by hand from the article."""

import pytest

from nbcourse.exercises import EXERCISES
from tests.conftest import right_wrong_unanswered

ANSWERS = {  # name: (a right answer, a wrong one)
    # the notebook's net from seed 2 and its first rectangle (see test_the_value_by_hand)
    "04-value": (0.6454, 0.6),
    "04-sign": ("negative", "positive"),  # area output 0.019 below its target 0.055
    "04-stuck": (3, 0.01),  # the notebook shows 3 stuck and 0.01 learning
    "04-sizes": ((4, 3), (3, 3)),
}


def test_every_exercise_of_the_lesson_is_covered():
    assert set(ANSWERS) == {name for name in EXERCISES if name.startswith("04-")}


@pytest.mark.parametrize("name", ANSWERS)
def test_right_wrong_and_unanswered(name, capsys):
    right_wrong_unanswered(name, *ANSWERS[name], capsys)


def test_the_value_by_hand():
    """04-value's answer from the article's formulas, straight from the random stream: the 29
    parameters (bias, then weights, neuron by neuron), then the rectangle."""
    import math

    import numpy as np

    rng = np.random.default_rng(2)
    p = rng.uniform(-1.0, 1.0, size=29)
    width, height = rng.uniform(0.1, 1.0, size=2)
    layer1 = [math.tanh(p[3 * n] + p[3 * n + 1] * width + p[3 * n + 2] * height) for n in range(3)]
    value = math.tanh(p[9] + p[10] * layer1[0] + p[11] * layer1[1] + p[12] * layer1[2])
    assert round(value, 4) == ANSWERS["04-value"][0]


def test_a_pair_of_answers(capsys):
    from nbcourse.exercises import check

    check("04-sizes", (..., ...))
    assert capsys.readouterr().out.startswith("Not answered yet")
    check("04-sizes", 7)
    assert "not the kind of answer asked for" in capsys.readouterr().out
    check("04-sizes", (4, 5))
    assert "Right! " in (said := capsys.readouterr().out) and "Fewer neurons in total" in said
    check("04-sizes", (4, 3))
    assert "the fewest neurons in total" in capsys.readouterr().out
    check("04-sizes", (0, 9))
    assert "from 1 to 8" in capsys.readouterr().out
