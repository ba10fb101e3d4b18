"""Lesson 01's exercises: right and wrong answers worked out by hand from the article."""

import pytest

from nbcourse.exercises import EXERCISES, check
from tests.conftest import right_wrong_unanswered


def net_by_hand(input1, input2, weight1, weight2, bias):
    return weight2 * input2 + bias + weight1 * input1  # another order: the same to 9 digits


def net_without_bias(input1, input2, weight1, weight2, bias):
    return input1 * weight1 + input2 * weight2


def loss_by_hand(output, target):
    return (target - output) * (target - output)


def half_loss(output, target):
    return (output - target) ** 2 / 2


ANSWERS = {  # name: (a right answer, a wrong one)
    "01-net": (0.35, 0.85),
    "01-net-function": (net_by_hand, net_without_bias),
    "01-zero-output": (-1.11, 0),
    "01-hit-target": (-0.0114, 0.1),
    "01-loss-function": (loss_by_hand, half_loss),
}


def test_every_exercise_of_the_lesson_is_covered():
    assert set(ANSWERS) == {name for name in EXERCISES if name.startswith("01-")}


@pytest.mark.parametrize("name", ANSWERS)
def test_right_wrong_and_unanswered(name, capsys):
    right_wrong_unanswered(name, *ANSWERS[name], capsys)


def said(name, answer, capsys):
    check(name, answer)
    return capsys.readouterr().out


def test_the_hit_target_range_is_the_one_its_solution_states(capsys):
    # 0.8 +- 0.01 is tanh(1.0714...) to tanh(1.1270...); minus the 1.11 of A2*C2+B2*D2
    for bias in (-0.0385, 0.0170):
        assert said("01-hit-target", bias, capsys).startswith("Right! ")
    for bias in (-0.0387, 0.0171):
        assert said("01-hit-target", bias, capsys).startswith("Not yet: ")


def test_the_loss_function_names_the_usual_mistakes(capsys):
    assert "part 2 halves it, part 1 does not" in said("01-loss-function", half_loss, capsys)
    assert "the miss itself (the error)" in said("01-loss-function", lambda o, t: o - t, capsys)
    assert "the size of the miss" in said("01-loss-function", lambda o, t: abs(o - t), capsys)
    assert "the bias is missing" in said("01-net-function", net_without_bias, capsys)


def test_a_wrong_case_is_named_with_its_numbers(capsys):
    # the article's neuron first: 0.9*0.7 + 0.8*0.6 + 0.5 = 1.61, so a net off by one says so
    out = said("01-net-function", lambda a, b, c, d, e: a * c + b * d + e + 1, capsys)
    assert "net(0.9, 0.8, 0.7, 0.6, 0.5) gave 2.61; it should be 1.61" in out


def test_a_function_not_written_yet_or_broken_is_explained(capsys):
    def my_loss(output, target):  # as the notebook hands it out
        return ...

    def broken(output, target):
        return outptu - target  # noqa: F821 - the learner's typo

    assert said("01-loss-function", my_loss, capsys).startswith(
        "Not answered yet: your function still returns ...")
    assert "raised NameError: name 'outptu' is not defined" in said("01-loss-function", broken, capsys)
    assert "returned 'big', not a number" in said("01-loss-function", lambda o, t: "big", capsys)
    assert "give the function itself, as in check(..., loss)" in said("01-loss-function", 0.015, capsys)
