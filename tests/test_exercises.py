"""The exercise engine, and every exercise's own solution: run, and judged right.

Each lesson's right and wrong answers, worked out by hand, are in test_exercises_NN.py, which
share conftest.right_wrong_unanswered.
"""

import ast

import pytest

from nbcourse.exercises import EXERCISES, check, solution


def run_solution(name):
    """The answer a solution's code gives: its last line's value, after the lines above run."""
    code = ast.parse(EXERCISES[name].solution)
    *body, last = code.body
    assert isinstance(last, ast.Expr), f"{name}'s solution must end with the answer"
    namespace = {}
    exec(compile(ast.Module(body, type_ignores=[]), name, "exec"), namespace)
    return eval(compile(ast.Expression(last.value), name, "eval"), namespace)


@pytest.mark.parametrize("name", EXERCISES)
def test_each_solution_runs_and_is_judged_right(name, capsys):
    check(name, run_solution(name))
    assert capsys.readouterr().out.startswith("Right! ")
    solution(name)
    assert capsys.readouterr().out.strip() == EXERCISES[name].solution.strip()


def test_an_unanswered_exercise_waits(capsys):
    for answer in (..., None, (..., ...)):
        check("01-net", answer)
        assert capsys.readouterr().out.startswith("Not answered yet")


def test_a_wrong_kind_of_answer_is_explained(capsys):
    check("01-net", "a lot")
    assert capsys.readouterr().out.startswith("Not yet: 'a lot' is not the kind of answer asked for")


def test_an_unknown_exercise_lists_the_known_ones():
    with pytest.raises(KeyError, match="01-net"):
        check("01-nett", 1)
