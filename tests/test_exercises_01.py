"""Lesson 01's exercises: right and wrong answers worked out by hand from the article."""

import pytest

from nbcourse.exercises import EXERCISES
from tests.conftest import right_wrong_unanswered

ANSWERS = {  # name: (a right answer, a wrong one)
    "01-net": (0.35, 0.85),
    "01-zero-output": (-1.11, 0),
    "01-hit-target": (-0.0114, 0.1),
}


def test_every_exercise_of_the_lesson_is_covered():
    assert set(ANSWERS) == {name for name in EXERCISES if name.startswith("01-")}


@pytest.mark.parametrize("name", ANSWERS)
def test_right_wrong_and_unanswered(name, capsys):
    right_wrong_unanswered(name, *ANSWERS[name], capsys)
