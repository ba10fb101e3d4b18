"""One module per article; each defines its sheets and the workbook file they go to."""

from nbcourse.lessons import lesson01, lesson02, lesson03, lesson04

LESSONS = {"01": lesson01, "02": lesson02, "03": lesson03, "04": lesson04}


def arguments(lesson, cells):
    """The keyword arguments of lesson.sheet() that a workbook's input cells hold."""
    if hasattr(lesson, "arguments"):
        return lesson.arguments(cells)
    return {key: cells.get(address) for address, key in lesson.INPUTS.items()}
