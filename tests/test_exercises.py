"""Each exercise accepts a right answer, refuses a wrong one, and waits for an unanswered one."""

import math

import numpy as np
import pytest

from nbcourse.exercises import EXERCISES, check, solution

ANSWERS = {  # name: (a right answer, a wrong one), worked out by hand from the articles
    "01-net": (0.35, 0.85),
    "01-zero-output": (-1.11, 0),
    "01-hit-target": (-0.0114, 0.1),
    "02-sign": ("up", "down"),
    "02-new-target": (0.0917, -0.0201),
    "02-flat": (0.67, 0.5),
    "03-one-step": (0.4713, 0.5),
    "03-attempts": (59, 60),
    "03-learning-rate": (0.5, 3),
    # lesson 04: its net from seed 2 and first rectangle (see test_lesson04_value_by_hand)
    "04-value": (0.6454, 0.6),
    "04-sign": ("negative", "positive"),  # area output 0.019 below its target 0.055
    "04-stuck": (3, 0.01),  # the notebook shows 3 stuck and 0.01 learning
    "04-sizes": ((4, 3), (3, 3)),
}


def test_every_exercise_is_covered():
    assert set(ANSWERS) == set(EXERCISES)


@pytest.mark.parametrize("name", ANSWERS)
def test_right_wrong_and_unanswered(name, capsys):
    right, wrong = ANSWERS[name]
    check(name, right)
    assert capsys.readouterr().out.startswith("Right! ")
    check(name, wrong)
    said = capsys.readouterr().out
    assert said.startswith("Not yet: ") and f"solution('{name}')" in said
    check(name, ...)
    assert capsys.readouterr().out.startswith("Not answered yet")
    solution(name)
    assert capsys.readouterr().out.strip()


def test_a_wrong_kind_of_answer_is_explained(capsys):
    check("01-net", "a lot")
    assert capsys.readouterr().out.startswith("Not yet: 'a lot' is not the kind of answer asked for")
    check("03-attempts", 2.5)
    assert "give an attempt number" in capsys.readouterr().out


def test_the_solutions_formulas_are_right(capsys):
    check("01-hit-target", math.atanh(0.8) - (0.9 * 0.7 + 0.8 * 0.6))
    check("02-flat", (math.atanh(0.7) - 0.6) / 0.4)
    assert capsys.readouterr().out.count("Right! ") == 2


def test_an_unknown_exercise_lists_the_known_ones():
    with pytest.raises(KeyError, match="01-net"):
        check("01-nett", 1)


def test_lesson04_value_by_hand():
    """04-value's answer from the article's formulas, straight from the random stream: the 29
    parameters (bias, then weights, neuron by neuron), then the rectangle."""
    rng = np.random.default_rng(2)
    p = rng.uniform(-1.0, 1.0, size=29)
    width, height = rng.uniform(0.1, 1.0, size=2)
    layer1 = [math.tanh(p[3 * n] + p[3 * n + 1] * width + p[3 * n + 2] * height) for n in range(3)]
    value = math.tanh(p[9] + p[10] * layer1[0] + p[11] * layer1[1] + p[12] * layer1[2])
    assert round(value, 4) == ANSWERS["04-value"][0]


def test_a_pair_of_answers(capsys):
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
