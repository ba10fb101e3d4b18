"""The lessons: one module per article, each defining its workbook's sheets.

Every lesson module keeps the contract `Lesson` below, and everything that lists
lessons (the command line's choices, `build`, `check`, the tests) reads `LESSONS`.
Adding a lesson takes a module that keeps the contract, registered here.
"""

from typing import NamedTuple, Protocol

from nbcourse.sheet import Sheet


class Lesson(Protocol):
    """What a lesson module provides.

    Its blank workbook (spreadsheets/blank/FILE) is the sheet a learner builds, with every cell
    they work out left empty: by default the first of sheets(). A lesson whose learner builds
    another sheet (lesson 04: its One step sheet, standalone) also provides `blank(**values)`
    (that sheet, its inputs as input cells), `blank_arguments(cells)` and `BLANK_INPUTS`, the
    same as `sheet`, `arguments` and `INPUTS` are for the first sheet. Sheets name their parts
    (Sheet.parts) so the blank's "How to" and check's to-do list read well.
    """

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


class Layout(NamedTuple):
    """A sheet `check` knows a learner's first worksheet by: the course workbook's first sheet,
    or a blank's own sheet. `sheet(**arguments(cells))` is the course's version for the inputs
    in `cells`; `inputs` names each input cell."""

    lesson: object
    sheet: object  # (**values) -> Sheet
    arguments: object  # (cells) -> values
    inputs: dict
    blank: bool  # the sheet of the blank workbook


def layouts(lesson):
    """The layouts of a lesson: its first sheet, and its blank's when that is another sheet."""
    if hasattr(lesson, "blank"):
        return [Layout(lesson, lesson.sheet, lesson.arguments, lesson.INPUTS, False),
                Layout(lesson, lesson.blank, lesson.blank_arguments, lesson.BLANK_INPUTS, True)]
    return [Layout(lesson, lesson.sheet, lesson.arguments, lesson.INPUTS, True)]


def blank_layout(lesson):
    return layouts(lesson)[-1]


LESSONS: dict[str, Lesson] = {}


def register(lesson):
    """Add a lesson module to LESSONS (in KEY order); refuse one that breaks the contract."""
    missing = [name for name in (*Lesson.__annotations__, "sheets", "sheet", "arguments")
               if not hasattr(lesson, name)]
    if hasattr(lesson, "blank"):
        missing += [name for name in ("blank_arguments", "BLANK_INPUTS") if not hasattr(lesson, name)]
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
