"""The lessons: one module per article, each defining its workbook's sheets.

Every lesson module keeps the contract `Lesson` below, and everything that lists
lessons (the command line's choices, `build`, `check`, the tests) reads `LESSONS`.
Adding a lesson takes a module that keeps the contract, registered here.
"""

from typing import Protocol

from nbcourse.sheet import Sheet


class Lesson(Protocol):
    """What a lesson module provides."""

    KEY: str  # "01": its number, as in `check --lesson 01` and the notebook's name
    TITLE: str  # the article's title, "A single neuron"
    FILE: str  # the workbook's file name in spreadsheets/, "01-single-neuron.xlsx"
    DEFAULTS: dict  # sheet()'s keywords with the article's values
    INPUTS: dict  # input cell of the first sheet -> the keyword of sheet() it sets

    def sheets(self, **values) -> list[Sheet]:
        """The workbook's sheets, for the article's values updated with `values`. The first is
        the article's sheet, the one `check` compares with a learner's."""

    def sheet(self, **values) -> Sheet:
        """The first of sheets() alone."""

    def arguments(self, cells: dict) -> dict:
        """sheet()'s keywords from a workbook's first sheet (address -> value), so that `check`
        can work out the course's sheet for a learner's own inputs."""


LESSONS: dict[str, Lesson] = {}


def register(lesson):
    """Add a lesson module to LESSONS (in KEY order); refuse one that breaks the contract."""
    missing = [name for name in (*Lesson.__annotations__, "sheets", "sheet", "arguments")
               if not hasattr(lesson, name)]
    if missing:
        raise TypeError(f"lesson {getattr(lesson, '__name__', lesson)!r} lacks {', '.join(missing)}: "
                        "see nbcourse.lessons.Lesson.")
    LESSONS[lesson.KEY] = lesson
    for key in sorted(LESSONS):  # reinserted in order
        LESSONS[key] = LESSONS.pop(key)
    return lesson


def unregister(key):
    """Remove a lesson registered at run time (the tests' extra lesson)."""
    LESSONS.pop(key, None)


def _register_the_course():
    from nbcourse.lessons import lesson01, lesson02, lesson03, lesson04

    for lesson in (lesson01, lesson02, lesson03, lesson04):
        register(lesson)


_register_the_course()
