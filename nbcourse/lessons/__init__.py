"""One module per article; each defines its sheets and the workbook file they go to."""

from nbcourse.lessons import lesson01, lesson02, lesson03

LESSONS = {"01": lesson01, "02": lesson02, "03": lesson03}
