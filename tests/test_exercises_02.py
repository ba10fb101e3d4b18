"""Lesson 02's exercises: right and wrong answers worked out by hand from the article."""

import pytest

from nbcourse.exercises import EXERCISES
from tests.conftest import right_wrong_unanswered

ANSWERS = {  # name: (a right answer, a wrong one)
    "02-sign": ("up", "down"),
    "02-new-target": (0.0917, -0.0201),
    "02-flat": (0.67, 0.5),
}


def test_every_exercise_of_the_lesson_is_covered():
    assert set(ANSWERS) == {name for name in EXERCISES if name.startswith("02-")}


@pytest.mark.parametrize("name", ANSWERS)
def test_right_wrong_and_unanswered(name, capsys):
    right_wrong_unanswered(name, *ANSWERS[name], capsys)
