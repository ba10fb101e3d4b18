"""Lesson 02's exercises: right and wrong answers worked out by hand from the article."""

import math

import pytest

from nbcourse.exercises import EXERCISES, check
from tests.conftest import right_wrong_unanswered


def weight_gradient_by_hand(input, weight, bias, target):
    output = math.tanh(bias + weight * input)  # another order than nbcourse's: the same to 15 digits
    return (output - target) * input * (1 - output * output)


def net_gradient_by_hand(input, weight, bias, target):  # forgets the input: E4, not C4
    output = math.tanh(input * weight + bias)
    return (output - target) * (1 - output * output)


ANSWERS = {  # name: (a right answer, a wrong one)
    "02-sign": ("up", "down"),
    "02-new-target": (0.0917, -0.0201),
    "02-flat": (0.67, 0.5),
    "02-part1": (-0.016, -0.0080),  # 2 x C4 as the lesson shows it, -0.0080; C4 itself is the halved loss's
    "02-weight-gradient": (weight_gradient_by_hand, net_gradient_by_hand),
}


def test_every_exercise_of_the_lesson_is_covered():
    assert set(ANSWERS) == {name for name in EXERCISES if name.startswith("02-")}


@pytest.mark.parametrize("name", ANSWERS)
def test_right_wrong_and_unanswered(name, capsys):
    right_wrong_unanswered(name, *ANSWERS[name], capsys)


def said(answer, capsys, name="02-weight-gradient"):
    check(name, answer)
    return capsys.readouterr().out


def test_the_article_s_weight_gradient_by_hand():
    # the article's Rust program prints "Weight gradient: -0.0080"
    assert f"{weight_gradient_by_hand(0.4, 0.5, 0.6, 0.7):.4f}" == "-0.0080"


def test_the_usual_mistakes_are_named(capsys):
    assert "that is the net's gradient (E4)" in said(net_gradient_by_hand, capsys)
    assert "twice the gradient" in said(lambda i, w, b, t: 2 * weight_gradient_by_hand(i, w, b, t), capsys)
    assert "the sign is flipped" in said(lambda i, w, b, t: -weight_gradient_by_hand(i, w, b, t), capsys)


def test_a_right_answer_at_the_article_s_neuron_only_is_caught(capsys):
    # right for input 0.4, weight 0.5, bias 0.6, target 0.7; wrong for 0.9, -0.7, 0.25, 0.1
    out = said(lambda i, w, b, t: -0.008042171772040318 if (i, w, b, t) == (0.4, 0.5, 0.6, 0.7) else 0.0,
               capsys)
    assert out.startswith("Not yet: weight_gradient(0.9, -0.7, 0.25, 0.1) gave 0; it should be ")


def test_a_function_not_written_yet_or_broken_is_explained(capsys):
    def unwritten(input, weight, bias, target):
        return ...

    def broken(input, weight, bias, target):
        return math.tanh(input * weight + bias) - targte  # noqa: F821 - the learner's typo

    assert said(unwritten, capsys).startswith("Not answered yet: your function still returns ...")
    assert "raised NameError: name 'targte' is not defined" in said(broken, capsys)
    assert "returned 'small', not a number" in said(lambda i, w, b, t: "small", capsys)
    assert "give the function itself" in said(-0.008, capsys)


def test_the_flat_weight_is_where_the_output_meets_the_target(capsys):
    # tanh(0.4 w + 0.6) = 0.7 at w = (atanh(0.7) - 0.6) / 0.4 = (0.8673 - 0.6) / 0.4 = 0.668
    assert said(0.668, capsys, "02-flat").startswith("Right! ")
    assert said(0.68, capsys, "02-flat").startswith("Not yet: ")


def test_part1_s_gradient_to_2_significant_digits(capsys):
    # the lesson shows C4 as -0.0080; doubled, -0.016, which 2 x -0.008042 = -0.016084 rounds to
    for right in (-0.016, -0.0161, -0.016084):
        assert said(right, capsys, "02-part1").startswith("Right! ")
    for wrong in (0.016, -0.008, -0.032, -0.017):  # the sign, C4 itself, four times, a slip
        assert said(wrong, capsys, "02-part1").startswith("Not yet: ")
    assert "checked to 2 significant digits" in said(-0.008, capsys, "02-part1")


def test_the_new_target_s_bias_gradient_to_3_significant_digits(capsys):
    output = math.tanh(0.4 * 0.5 + 0.6)  # 0.66404: the target does not change it
    by_hand = (1 - output * output) * (output - 0.5)  # E3 x the new error
    assert f"{by_hand:.4f}" == "0.0917"
    assert said(by_hand, capsys, "02-new-target").startswith("Right! ")
    assert said(0.0917, capsys, "02-new-target").startswith("Right! ")
    assert said(0.093, capsys, "02-new-target").startswith("Not yet: ")  # 1.4% off
    assert "checked to 3 significant digits" in said(0.0201, capsys, "02-new-target")
