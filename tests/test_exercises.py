"""Each exercise accepts a right answer, refuses a wrong one, and waits for an unanswered one."""

import math

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
