"""Lesson 03's exercises: right and wrong answers worked out by hand from the article."""

import pytest

from nbcourse.exercises import EXERCISES
from tests.conftest import right_wrong_unanswered

ANSWERS = {  # name: (a right answer, a wrong one)
    "03-one-step": (0.4713, 0.5),
    "03-attempts": (59, 60),
    "03-learning-rate": (0.5, 3),
}


def test_every_exercise_of_the_lesson_is_covered():
    assert set(ANSWERS) == {name for name in EXERCISES if name.startswith("03-")}


@pytest.mark.parametrize("name", ANSWERS)
def test_right_wrong_and_unanswered(name, capsys):
    right_wrong_unanswered(name, *ANSWERS[name], capsys)


def test_an_attempt_must_be_a_whole_number(capsys):
    from nbcourse.exercises import check

    check("03-attempts", 2.5)
    assert "give an attempt number" in capsys.readouterr().out
