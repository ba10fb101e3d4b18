"""Lesson 04's exercises: right and wrong answers worked out by hand from the article."""

import pytest

from nbcourse.exercises import EXERCISES
from tests.conftest import right_wrong_unanswered


def hidden_activation_gradient(value, this_layer_neuron_index, next_layer):
    """The backward pass's else branch, written from the article's pseudocode."""
    next_layer_gradient_sum = 0.0
    for next_layer_neuron in next_layer:
        next_layer_gradient_sum += (next_layer_neuron["activation_gradient"]
                                    * next_layer_neuron["weights"][this_layer_neuron_index])
    return (1 - value * value) * next_layer_gradient_sum


def without_tanh_slope(value, this_layer_neuron_index, next_layer):
    return sum(n["activation_gradient"] * n["weights"][this_layer_neuron_index] for n in next_layer)


ANSWERS = {  # name: (a right answer, a wrong one)
    # the notebook's net from seed 2 and its first rectangle (see test_the_value_by_hand)
    "04-value": (0.6454, 0.6),
    "04-sign": ("negative", "positive"),  # circumference output 0.045 below its target 0.238
    "04-stuck": (3, 0.01),  # 3 throws the net to ±1; 0.01 learns
    "04-sizes": ((4, 3), (3, 3)),
    "04-hidden-gradient": (hidden_activation_gradient, without_tanh_slope),
}


def test_every_exercise_of_the_lesson_is_covered():
    assert set(ANSWERS) == {name for name in EXERCISES if name.startswith("04-")}


@pytest.mark.parametrize("name", ANSWERS)
def test_right_wrong_and_unanswered(name, capsys):
    right_wrong_unanswered(name, *ANSWERS[name], capsys)


def test_the_value_by_hand():
    """04-value's answer from the article's formulas, straight from the random stream: the 29
    parameters (bias, then weights, neuron by neuron), then the rectangle."""
    import math

    import numpy as np

    rng = np.random.default_rng(2)
    p = rng.uniform(-1.0, 1.0, size=29)
    width, height = rng.uniform(0.1, 1.0, size=2)
    layer1 = [math.tanh(p[3 * n] + p[3 * n + 1] * width + p[3 * n + 2] * height) for n in range(3)]
    value = math.tanh(p[9] + p[10] * layer1[0] + p[11] * layer1[1] + p[12] * layer1[2])
    assert round(value, 4) == ANSWERS["04-value"][0]


def test_a_pair_of_answers(capsys):
    from nbcourse.exercises import check

    check("04-sizes", (..., ...))
    assert capsys.readouterr().out.startswith("Not answered yet")
    check("04-sizes", 7)
    assert "not the kind of answer asked for" in capsys.readouterr().out
    check("04-sizes", (4, 5))
    assert "Right! " in (said := capsys.readouterr().out) and "Fewer neurons in total" in said
    check("04-sizes", (4, 3))
    assert "the fewest neurons in total" in capsys.readouterr().out
    check("04-sizes", (0, 9))
    assert "from 1 to 8" in capsys.readouterr().out


def test_the_hidden_gradient_by_hand():
    """Layer 2 neuron 1's activation gradient on the notebook's rectangle, from the random stream:
    the 29 parameters, the rectangle, the forward pass, then layer 3's two activation gradients and
    their weights from it, as the notebook's picture spells them out (-0.009615)."""
    import math

    import numpy as np

    rng = np.random.default_rng(2)
    p = rng.uniform(-1.0, 1.0, size=29)
    width, height = rng.uniform(0.1, 1.0, size=2)
    layer1 = [math.tanh(p[3 * n] + p[3 * n + 1] * width + p[3 * n + 2] * height) for n in range(3)]
    layer2 = [math.tanh(p[9 + 4 * n] + sum(p[10 + 4 * n + i] * layer1[i] for i in range(3)))
              for n in range(3)]
    layer3 = [math.tanh(p[21 + 4 * n] + sum(p[22 + 4 * n + i] * layer2[i] for i in range(3)))
              for n in range(2)]
    targets = [width * height, (width + height) / 2]
    output_gradients = [(1 - v * v) * (v - t) for v, t in zip(layer3, targets)]
    fan_out = output_gradients[0] * p[22] + output_gradients[1] * p[26]  # each one's weight 1
    assert round((1 - layer2[0] ** 2) * fan_out, 6) == -0.009615


@pytest.mark.parametrize("wrong, named", [
    (without_tanh_slope, "next_layer_gradient_sum alone"),
    (lambda v, i, layer: (1 - v * v) * layer[0]["activation_gradient"] * layer[0]["weights"][i],
     "only the first neuron of the next layer"),
    (lambda v, i, layer: (1 - v * v) * sum(n["activation_gradient"] * n["weights"][0] for n in layer),
     "first weight"),
    (lambda v, i, layer: (1 - v) ** 2 * without_tanh_slope(v, i, layer), "square the value first"),
    (lambda v, i, layer: 1 / 0, "raised ZeroDivisionError"),
    (lambda v, i, layer: [0.1], "not a number"),
])
def test_the_usual_slips_in_the_hidden_gradient_are_named(wrong, named, capsys):
    from nbcourse.exercises import check

    check("04-hidden-gradient", wrong)
    said = capsys.readouterr().out
    assert said.startswith("Not yet: ") and named in said


def test_the_hidden_gradient_is_judged_on_fresh_lists(capsys):
    """A function that empties the next layer it is given still gets the next neuron right."""
    from nbcourse.exercises import check

    def emptying(value, index, next_layer):
        answer = hidden_activation_gradient(value, index, next_layer)
        next_layer.clear()
        return answer

    check("04-hidden-gradient", emptying)
    assert capsys.readouterr().out.startswith("Right! ")


def test_the_stuck_solution_says_what_the_judge_finds(capsys):
    """04-stuck's solution: in steps of 0.05, 1 to 1.45 learn, 1.5 is stuck, 1.55 to 1.75 learn, and
    1.8 to 4 are all stuck."""
    from nbcourse.exercises import check

    def stuck(rate):
        check("04-stuck", rate)
        return capsys.readouterr().out.startswith("Right! ")

    rates = [r / 100 for r in range(100, 405, 5)]
    assert [r for r in rates if stuck(r)] == [1.5] + [r for r in rates if r >= 1.8]
