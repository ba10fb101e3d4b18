"""Bad input: one clear CourseError from every edge (the shared checks, the lessons' sheets),
and exit code 2 with one "error: ..." line (no traceback) from every command. The maths itself
(neuron.py, gradients.py, network.py) checks nothing, as the articles' code doesn't."""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from nbcourse import errors, training
from nbcourse.errors import CourseError, Diverged
from nbcourse.lessons import lesson01, lesson02, lesson03, lesson04

ROOT = Path(__file__).resolve().parent.parent
ROW = training.step(0.01, 0.1, 0.5, 0.5)  # one attempt of lesson 03
BAD_NUMBERS = ["0.5x", None, [0.5], math.nan, math.inf, -math.inf, np.float64("nan")]


# -- the shared checks ------------------------------------------------------------------

@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_number_refuses_what_is_not_a_finite_number(value):
    with pytest.raises(CourseError, match=r"^weight must be a (finite )?number, not "):
        errors.number("weight", value)


def test_number_accepts_numbers_of_any_kind():
    assert errors.number("weight", np.float32(0.5)) == 0.5
    assert errors.number("weight", 2) == 2.0 and errors.number("weight", "0.25") == 0.25


@pytest.mark.parametrize("value", [0, -1, 1.5, "3", True, None, math.nan])
def test_count_refuses_zero_negative_and_fractional_iterations(value):
    with pytest.raises(CourseError, match="^iterations must be "):
        errors.count("iterations", value)


@pytest.mark.parametrize("value", [-1, 1.5, "2", True, None, math.inf])
def test_seed_must_be_a_whole_number_from_zero(value):
    with pytest.raises(CourseError, match="^seed must be "):
        errors.seed(value)


def test_seeds_of_numpy_integer_types_are_fine():
    assert errors.seed(np.int64(2)) == 2 and errors.seed(0) == 0 and errors.seed(3.0) == 3


@pytest.mark.parametrize("value", [0, -0.1, math.nan, math.inf, "fast"])
def test_a_learning_rate_must_be_positive_and_finite(value):
    with pytest.raises(CourseError, match="^learning rate must be "):
        errors.positive("learning rate", value)


# -- training ---------------------------------------------------------------------------

def test_training_that_diverges_stops_and_reports_the_iteration():
    with pytest.raises(Diverged, match="Training diverged at iteration 1: the weight or bias") as caught:
        training.train(1.0, 10.0, learning_rate=1e308)
    assert caught.value.iteration == 1
    assert "smaller learning rate" in str(caught.value)
    assert isinstance(caught.value, CourseError)  # so the command line exits with 2


# -- the lessons' sheets -----------------------------------------------------------------

@pytest.mark.parametrize("lesson, values, message", [
    (lesson01, dict(input1="0.9x"), "input1 must be a number"),
    (lesson01, dict(bias=math.inf), "bias must be a finite number"),
    (lesson02, dict(tiny=0), "Tiny must be above zero"),
    (lesson02, dict(weight=math.nan), "weight must be a finite number"),
    (lesson03, dict(learning_rate=0), "learning rate must be above zero"),
    (lesson03, dict(rows=0), "rows must be at least 1"),
    (lesson03, dict(training_input="a"), "training input must be a number"),
    (lesson04, dict(seed=-1), "seed must be at least 0"),
    (lesson04, dict(seed=1.5), "seed must be a whole number"),
    (lesson04, dict(steps=0), "steps must be at least 1"),
    (lesson04, dict(learning_rate=math.nan), "learning rate must be a finite number"),
])
def test_the_sheets_refuse_bad_values(lesson, values, message):
    with pytest.raises(CourseError, match=message):
        lesson.sheet(**values)


# -- every command-line path: exit 2, one "error: ..." line, no traceback -----------------

def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "nbcourse", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def assert_one_error(result, *words):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0]


def test_check_a_missing_file(tmp_path):
    assert_one_error(run("check", tmp_path / "mine.xlsx"), "No workbook at", "mine.xlsx")


def test_check_a_text_file_named_xlsx(tmp_path):
    fake = tmp_path / "mine.xlsx"
    fake.write_text("Input 1,Input 2\n0.9,0.8\n")
    assert_one_error(run("check", fake), "mine.xlsx is not a workbook (.xlsx or .ods)")


def test_check_a_workbook_of_another_layout(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Name", "Price"])
    book.save(tmp_path / "shopping.xlsx")
    assert_one_error(run("check", tmp_path / "shopping.xlsx"), "not laid out like any lesson's")
    assert_one_error(run("check", ROOT / "spreadsheets" / lesson01.FILE, "--lesson", "03"),
                     "not laid out like lesson 03's", "A1 should say 'Learning rate'")


def test_check_a_file_too_big_an_empty_folder_and_a_table_over_something_else(tmp_path):
    with open(tmp_path / "huge.xlsx", "wb") as huge:
        huge.truncate(100_000_000)  # sparse: no disk space used
    assert_one_error(run("check", tmp_path / "huge.xlsx"), "huge.xlsx is 100 MB", "not opened")
    (tmp_path / "empty").mkdir()
    assert_one_error(run("check", tmp_path / "empty"), "No workbooks (.xlsx or .ods) in")
    (tmp_path / "marks.csv").write_text("name,mark\n")
    assert_one_error(run("check", ROOT / "spreadsheets" / "blank", "--csv", tmp_path / "marks.csv"),
                     "is not a table that check wrote")


def test_build_into_a_folder_holding_an_edited_workbook(tmp_path):
    edited = tmp_path / lesson01.FILE
    edited.write_bytes(b"the learner's own work")  # not what the course generated
    result = run("build", "--out", tmp_path)
    assert_one_error(result, str(edited), "--force")
    assert edited.read_bytes() == b"the learner's own work"


@pytest.mark.parametrize("args, words", [
    (["--iterations", "0"], ["iterations must be at least 1, not 0"]),
    (["--iterations", "-5"], ["iterations must be at least 1"]),
    (["--report-every", "0"], ["report_every must be at least 1"]),
    (["--seed", "-1"], ["seed must be at least 0, not -1"]),
    (["--learning-rate", "nan"], ["learning rate must be a finite number, not nan"]),
    (["--learning-rate", "inf"], ["learning rate must be a finite number"]),
    (["--learning-rate", "0"], ["learning rate must be above zero"]),
    (["--learning-rate", "-0.001"], ["learning rate must be above zero"]),
])
def test_backprop_refuses_bad_settings(args, words):
    assert_one_error(run("backprop", *args), *words)


@pytest.mark.parametrize("args", [["backprop", "--seed", "1.5"], ["backprop", "--iterations", "many"],
                                  ["check"], ["check", "x.xlsx", "--lesson", "7"]])
def test_malformed_options_get_argparse_usage_and_exit_2(args):
    """argparse's own message: the usage line, then one "error:" line; still no traceback."""
    result = run(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("python -m nbcourse")
    assert "error: " in result.stderr.strip().splitlines()[-1]
