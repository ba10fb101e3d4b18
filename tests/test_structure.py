"""The package's shape: what loads what, and the lesson contract every list of lessons reads."""

import json
import subprocess
import sys
import types

import pytest

from nbcourse import lessons
from nbcourse.__main__ import main, parser
from nbcourse.errors import number, settings
from nbcourse.lessons import LESSONS
from nbcourse.sheet import Sheet, formula, given, header, read_inputs


def test_only_lesson_04s_trainer_loads_numba():
    """Lessons, sheets, the workbook writer, the checker, the explorers and the exercises import
    (and build every workbook) without numba and llvmlite: they take seconds to load."""
    code = """
import json, sys
import nbcourse.__main__, nbcourse.check, nbcourse.exercises, nbcourse.workbook, nbcourse.widgets
from nbcourse.lessons import LESSONS
from nbcourse.workbook import to_bytes
from nbcourse.widgets import GradientExplorer, NeuronExplorer, TrainingExplorer
for lesson in LESSONS.values():
    to_bytes(lesson.sheets(**({"steps": 5} if lesson.KEY == "04" else {})))
for explorer in (NeuronExplorer, GradientExplorer, TrainingExplorer):
    explorer()
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("numba", "llvmlite"))))
"""
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(loaded.stdout) == []
    # and the trainer does load it: the test can see numba when it is there
    code = "import sys, nbcourse.fast; print('numba' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "True"


def tiny_lesson():
    """A lesson of one sheet, written the way the course's are: double a number."""
    lesson = types.ModuleType("lesson99")
    lesson.KEY, lesson.TITLE, lesson.FILE = "99", "Doubling", "99-doubling.xlsx"
    lesson.DEFAULTS = dict(number=0.5)
    lesson.INPUTS = dict(A2="number")

    def sheet(**values):
        v = {k: number(k, x) for k, x in settings(lesson.DEFAULTS, values).items()}
        s = Sheet("Doubling")
        s["A1"], s["B1"] = header("Number"), header("Twice")
        s["A2"] = given(v["number"])
        s["B2"] = formula("=A2*2", v["number"] * 2)
        return s

    lesson.sheet = sheet
    lesson.sheets = lambda **values: [sheet(**values)]
    lesson.arguments = lambda cells: read_inputs(lesson.INPUTS, cells)
    return lesson


@pytest.fixture
def extra_lesson():
    lesson = lessons.register(tiny_lesson())
    yield lesson
    lessons.unregister(lesson.KEY)


def test_a_lesson_registered_at_run_time_is_built_and_offered(extra_lesson, tmp_path, capsys):
    assert list(LESSONS)[-1] == "99"
    assert "99" in parser().parse_args(["check", "x.xlsx", "--lesson", "99"]).lesson
    assert main(["build", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(
        lesson.FILE for lesson in LESSONS.values())
    assert "99-doubling.xlsx: written" in capsys.readouterr().out


@pytest.mark.libreoffice
def test_a_lesson_registered_at_run_time_is_checked(extra_lesson, tmp_path, soffice, capsys):
    from nbcourse.workbook import to_bytes

    path = tmp_path / extra_lesson.FILE
    path.write_bytes(to_bytes(extra_lesson.sheets(number=0.25)))
    assert main(["check", str(path)]) == 0  # its lesson found by its layout
    assert "lesson 99" in capsys.readouterr().out


def test_a_module_that_breaks_the_contract_is_refused():
    broken = tiny_lesson()
    del broken.arguments, broken.FILE
    with pytest.raises(TypeError, match="lacks FILE, arguments"):
        lessons.register(broken)
    assert "99" not in LESSONS
