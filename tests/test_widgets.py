"""The explorers without a browser: move sliders from code, check what they show.

Every expected number is worked out here again with math.tanh, independently of
nbcourse, or is one the lessons printed before (the notebooks' former slider cells), and
compared with the readout, the sheet table and the plotted artists.
"""

import itertools
import math
import re
import threading

import numpy as np
import pytest

from nbcourse import graph, training
from nbcourse.lessons import lesson01, lesson02
from nbcourse.widgets import (
    FIGSIZE,
    SCALE,
    BackpropExplorer,
    GradientExplorer,
    NeuronExplorer,
    TrainingExplorer,
    headroom,
    nice_ceiling,
)

PNG = b"\x89PNG\r\n\x1a\n"
EXPLORERS = (NeuronExplorer, GradientExplorer, TrainingExplorer)


def move(explorer, **values):
    for name, value in values.items():
        explorer.sliders[name].value = value


def numbers(text):
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text)]


def test_neuron_explorer_follows_its_sliders():
    explorer = NeuronExplorer()
    assert explorer.readout == "net 1.6100 · output 0.9232 · loss 0.015168"  # the article's sheet
    move(explorer, input1=-0.5, weight2=1.25, bias=-0.3, target=0.2)
    net = -0.5 * 0.7 + 0.8 * 1.25 - 0.3
    output = math.tanh(net)
    loss = (output - 0.2) ** 2  # part 1's loss
    assert explorer.readout == f"net {net:.4f} · output {output:.4f} · loss {loss:.6f}"
    assert f">{output:.4f}<" in explorer.table  # G2 as the sheet shows it
    assert repr(output) in explorer.table  # and in full in G2's tooltip
    point = explorer.point.get_data()
    assert point[0][0] == pytest.approx(net) and point[1][0] == pytest.approx(output)


def test_gradient_explorer_shows_the_real_gradients_and_tangent():
    explorer = GradientExplorer()
    assert explorer.readout == ("net 0.8000 · output 0.6640 · loss 0.000647 · "
                                      "weight gradient -0.0080 · bias gradient -0.0201")
    input, weight, bias, target = 0.3, -1.2, 0.4, -0.5
    move(explorer, input=input, weight=weight, bias=bias, target=target)
    net = input * weight + bias
    output = math.tanh(net)
    error = output - target
    loss = error**2 / 2
    bias_gradient = error * (1 - output**2)
    weight_gradient = bias_gradient * input
    assert explorer.readout == (f"net {net:.4f} · output {output:.4f} · loss {loss:.6f} · "
                                      f"weight gradient {weight_gradient:.4f} · "
                                      f"bias gradient {bias_gradient:.4f}")
    assert repr(weight_gradient) in explorer.table  # C4's tooltip

    # the tangent touches the loss at the weight and its slope is the real gradient ...
    (x0, x1), (y0, y1) = explorer.tangent.get_data()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(weight_gradient)
    assert explorer.spot.get_data()[1][0] == pytest.approx(loss)

    # ... which is what nudging the weight by a tiny amount measures
    def loss_at(w):
        return (math.tanh(input * w + bias) - target) ** 2 / 2

    faux = (loss_at(weight + 1e-7) - loss_at(weight)) / 1e-7
    assert weight_gradient == pytest.approx(faux, rel=1e-5)
    # and the curve is the loss for every weight the slider allows
    weights, losses = explorer.curve.get_data()
    assert weights[0] == -3 and weights[-1] == 3
    assert losses[len(losses) // 2] == pytest.approx(loss_at(0.0))


def test_gradient_explorer_redraws_the_computation_graph():
    """Under the sheet, lesson 02's neuron as a graph: its values and global gradients follow."""
    explorer = GradientExplorer()
    input, weight, bias, target = 0.3, -1.2, 0.4, -0.5
    move(explorer, input=input, weight=weight, bias=bias, target=target)
    drawn = explorer.numbers_html()[explorer.numbers_html().index("<svg"):]
    assert drawn == graph.neuron(input=input, weight=weight, bias=bias, target=target, show="global").svg
    net = input * weight + bias
    output = math.tanh(net)
    weight_gradient = (output - target) * (1 - output**2) * input
    assert f">{net:.10g}<" in drawn and f">{weight_gradient:.4f}<" in drawn  # E2's value, C4 in red
    assert "<style" not in drawn


def test_gradient_explorer_explains_a_zero_input():
    explorer = GradientExplorer()
    move(explorer, input=0.0)
    assert "weight gradient 0.0000" in explorer.readout
    assert "the input is 0, so the weight has no effect on the loss" in explorer.readout


def test_training_explorer_trains_as_the_article():
    explorer = TrainingExplorer()
    weight, bias, learning_rate, iterations = 0.2, -0.4, 0.3, 50
    move(explorer, weight=weight, bias=bias, learning_rate=learning_rate, iterations=iterations)
    assert explorer.sliders["learning_rate"].value == pytest.approx(learning_rate)
    learning_rate = explorer.sliders["learning_rate"].value  # what the log slider holds
    losses = []
    for _ in range(iterations):  # the article's Rust demo, with these settings
        output = math.tanh(0.01 * weight + bias)
        error = output - 0.1
        losses.append(error * error / 2)
        bias_gradient = error * (1 - output * output)
        weight, bias = weight - bias_gradient * 0.01 * learning_rate, bias - bias_gradient * learning_rate
    output = math.tanh(0.01 * weight + bias)
    numbers_shown = numbers(explorer.readout)
    assert explorer.readout.startswith("after 50 attempts: ")
    assert numbers_shown[1:4] == [float(f"{weight:.4f}"), float(f"{bias:.4f}"), float(f"{output:.6f}")]
    assert math.isclose(numbers_shown[5], (output - 0.1) ** 2 / 2, rel_tol=1e-2)
    assert np.allclose(explorer.loss_line.get_data()[1], losses, rtol=1e-9, atol=0)
    assert len(explorer.loss_line.get_data()[0]) == iterations
    # the table holds the first attempts: row 3 starts from the sliders' weight and bias
    assert explorer.table.split("<tbody>")[1].count("<tr>") == 10  # sheet rows 1-10: 8 attempts
    assert ">0.2<" in explorer.table and ">-0.4<" in explorer.table  # G3, I3


def test_training_explorer_shows_the_rust_demo_result():
    explorer = TrainingExplorer()
    move(explorer, learning_rate=0.01, iterations=5000)
    expected = training.trained_output(0.01, 0.1, 0.5, 0.5, 0.01, 5000)
    assert f"output {expected:.6f} vs target 0.1" in explorer.readout


@pytest.mark.parametrize("cls", EXPLORERS)
def test_the_drawing_is_svg_and_follows_the_sliders(cls):
    explorer = cls()
    before = explorer.drawing
    assert before.startswith("<svg ") and before.rstrip().endswith("</svg>")
    name = next(iter(explorer.sliders))  # the first slider: input 1, input, weight
    explorer.sliders[name].value = explorer.sliders[name].value - 0.3
    assert explorer.drawing.startswith("<svg ") and explorer.drawing != before


@pytest.mark.parametrize("cls", EXPLORERS)
def test_pictures_are_sharp_and_carry_no_page_wide_style(cls):
    """The axes' PNG has SCALE device pixels per CSS pixel (a high-resolution screen's); the moving
    artists are vectors. Inline in a page, a <style> would restyle the whole page on each move."""
    explorer = cls()
    png = bytes(explorer.image.value)
    assert png.startswith(PNG)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (FIGSIZE[0] * 80 * SCALE, FIGSIZE[1] * 80 * SCALE)
    svg = explorer.drawing
    assert f'viewBox="0 0 {FIGSIZE[0] * 72} {FIGSIZE[1] * 72}"' in svg  # the figure, in points
    assert "<style" not in svg and "<?xml" not in svg and "<metadata" not in svg
    assert "<style" not in explorer.view.value  # the table's look is sent once, apart
    assert "<style" in explorer.table_style.value


def test_the_drawing_is_the_moving_artists_where_the_axes_put_them():
    """The SVG point is where matplotlib's own transform puts (net, output), in points from the top."""
    explorer = NeuronExplorer()
    explorer.sliders["bias"].value = -0.6  # net 0.51: the point in the middle of the axes
    x, y = explorer.point.axes.transData.transform((0.51, math.tanh(0.51)))  # figure pixels at 72 dpi
    found = re.search(r'<use [^>]*x="([\d.]+)" y="([\d.]+)"', explorer.drawing)
    assert float(found.group(1)) == pytest.approx(x, abs=0.01)
    assert float(found.group(2)) == pytest.approx(FIGSIZE[1] * 72 - y, abs=0.01)


def test_moving_the_weight_does_not_redraw_the_axes():
    explorer = GradientExplorer()
    for weight in np.linspace(-0.5, 1.5, 9):
        explorer.sliders["weight"].value = weight
    assert explorer.redraws == 1  # only the moving artists were drawn again


def test_axes_are_drawn_once_per_limits():
    explorer = NeuronExplorer()
    move(explorer, input1=1, input2=1, weight1=3, weight2=3)  # nets 4.1, 6.5: views of ±6, ±8
    assert explorer.redraws == 3
    for bias in (-3, 3, -3, 3, 0.5):  # nets 3, 9, 3, 9, 6.5: views of ±5, ±10, ±5, ±10, ±8
        explorer.sliders["bias"].value = bias
    assert explorer.redraws == 4  # only ±10 was new: the others were kept from before


def test_axis_limits_move_in_coarse_steps():
    assert [nice_ceiling(x) for x in (0.3, 0.81, 1.0, 1.2, 0.0004)] == [0.5, 1, 1, 2, 0.0005]
    assert nice_ceiling(0) == 1e-3  # a flat curve at 0 still gets a visible axis
    assert headroom(1, 0.81) == 1 and headroom(1, 0.3) == 1  # the curve still fits well: keep
    assert headroom(1, 1.2) == 2 and headroom(1, 0.1) == 0.1  # outgrown, or too small: change


def corners(explorer):
    sliders = explorer.sliders.values()
    return itertools.product(*[(s.min if not hasattr(s, "base") else s.base**s.min,
                                s.max if not hasattr(s, "base") else s.base**s.max) for s in sliders])


@pytest.mark.parametrize("cls", EXPLORERS)
def test_slider_bounds_keep_every_number_finite(cls):
    explorer = cls()
    for corner in corners(explorer):
        move(explorer, **dict(zip(explorer.sliders, corner)))
        text = explorer.readout
        assert "nan" not in text.lower() and "inf" not in text.lower(), text
        assert all(math.isfinite(x) for x in numbers(text)), text
        assert "nan" not in explorer.table.lower()
        for artist in explorer.moving:
            assert np.isfinite(np.asarray(artist.get_ydata(), dtype=float)).all()
        assert explorer.errors.outputs == ()
    explorer.sliders[next(iter(explorer.sliders))].value = 1e9  # beyond the range: clamped
    assert math.isfinite(numbers(explorer.readout)[0])


def test_saturation_is_explained_not_shown_as_a_gradient():
    neuron = NeuronExplorer()
    move(neuron, input1=1, input2=1, weight1=3, weight2=3, bias=3)
    assert "on tanh's flat shoulder" in neuron.readout and "gradient" not in neuron.readout
    gradients = GradientExplorer()
    move(gradients, input=1, weight=3, bias=3)
    assert "tanh is saturated" in gradients.readout
    assert "weight gradient" not in gradients.readout
    assert gradients.warning and "color: #a40000" in gradients.view.value  # shown as a warning
    trainer = TrainingExplorer()
    move(trainer, weight=-3, bias=3, learning_rate=0.001)
    assert "tanh is saturated" in trainer.readout
    move(trainer, weight=0.5, bias=0.5, iterations=10)
    assert "not there yet" in trainer.readout
    move(trainer, learning_rate=1, iterations=1000)
    assert not trainer.warning


def test_lesson_03_says_when_the_nudges_overshoot():
    """Past a learning rate of about 1.02 each nudge jumps past the target (the error changes sign);
    past about 2.04 the jumps stop shrinking. Worked out here from the sheet's formulas."""
    def errors(learning_rate, attempts):
        weight, bias, found = 0.5, 0.5, []
        for _ in range(attempts):
            output = math.tanh(0.01 * weight + bias)
            error = output - 0.1
            found.append(error)
            bias_gradient = error * (1 - output**2)
            weight, bias = weight - bias_gradient * 0.01 * learning_rate, bias - bias_gradient * learning_rate
        return found

    trainer = TrainingExplorer()
    learning_rate = 10 ** 0.2  # 1.58, one of the slider's steps: jumps, each smaller
    move(trainer, learning_rate=learning_rate, iterations=4)
    found = errors(learning_rate, 4)
    jumps = sum((a > 0) != (b > 0) for a, b in zip(found, found[1:]))
    assert jumps == 3 and f"overshooting: {jumps} nudges jumped past the target" in trainer.readout
    assert "settling: give it more attempts" in trainer.readout and trainer.warning
    move(trainer, learning_rate=10 ** 0.4, iterations=1000)  # 2.51: the output bounces for good
    last = errors(10 ** 0.4, 1000)[-4:]
    assert abs(last[0]) == pytest.approx(abs(last[2])) and (last[0] > 0) != (last[1] > 0)
    assert "swings from side to side without settling: try a smaller learning rate" in trainer.readout
    move(trainer, learning_rate=10, iterations=1000)
    assert "try a smaller learning rate" in trainer.readout and "saturated" not in trainer.readout


def test_a_failing_update_shows_in_the_output_area():
    explorer = GradientExplorer()

    def broken(values):
        raise RuntimeError("boom")

    explorer.show = broken
    explorer.sliders["weight"].value = 0.7  # must not raise
    (shown,) = explorer.errors.outputs
    assert shown["name"] == "stderr" and "RuntimeError: boom" in shown["text"]
    assert explorer.readout.startswith("Something went wrong: boom")
    with pytest.raises(RuntimeError):  # called from code, update() raises as usual
        explorer.update()
    del explorer.show  # fixed: the next change clears the error
    explorer.sliders["weight"].value = 0.6
    assert explorer.errors.outputs == ()
    assert explorer.readout.startswith("net 0.8400 · ")


def test_the_explorer_displays_as_its_widget():
    explorer = NeuronExplorer()
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    assert explorer.board in explorer.widget.children and explorer.errors in explorer.widget.children
    assert explorer.board.children == (explorer.image, explorer.view)
    assert explorer.view.value.endswith(explorer.drawing)  # the drawing last, over the axes
    assert repr(explorer).startswith("NeuronExplorer(input1=0.9, input2=0.8, ")


@pytest.mark.parametrize("cls, first, second", [
    (GradientExplorer, ("weight", [-2, 1, 2.5, -0.3]), ("bias", [1, -2, 0.7, 2.2])),
    (TrainingExplorer, ("weight", [-2, 1, 2.5, -0.3]), ("iterations", [3000, 200, 4000, 1500])),
    (BackpropExplorer, ("hidden1", [4, 6, 2, 5, 7, 3]), ("hidden2", [5, 2, 6, 8, 4, 7])),
])
def test_sliders_moved_from_two_threads_end_on_their_last_values(cls, first, second):
    """JupyterLab 4.6 sends widget messages over a kernel subshell, so ipykernel 7 can run one
    slider's update in the subshell's thread while another runs in the main thread (seen in the
    browser tests). However they interleave, the explorer must end up showing what a fresh one
    moved to the same values shows. (Lesson 01's explorer shares the code; its updates are too
    quick to overlap here, so it would prove nothing.)"""
    explorer = cls()
    moves = {name: values * (1 if cls is BackpropExplorer else 10)  # enough moves to overlap
             for name, values in (first, second)}

    def slide(name):
        for value in moves[name]:
            explorer.sliders[name].value = value

    threads = [threading.Thread(target=slide, args=(name,)) for name in moves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    replica = cls()
    move(replica, **explorer.values())
    assert [explorer.values()[name] for name in moves] == [values[-1] for values in moves.values()]
    assert explorer.shown_values == explorer.values()  # what the browser tests wait for
    assert explorer.readout == replica.readout
    assert explorer.view.value == replica.view.value
    assert explorer.image.value == replica.image.value and explorer.drawing == replica.drawing


# What the notebooks showed with cells that moved sliders from code (moved here from the lessons):
# the readouts as the lessons printed them, and the same numbers straight from the sheets.

def test_lesson_01_weight_1_moved_from_code():
    explorer = NeuronExplorer()
    explorer.sliders["weight1"].value = -0.5  # as if dragged
    assert explorer.readout == "net 0.5300 · output 0.4854 · loss 0.098985"
    assert lesson01.sheet(weight1=-0.5).value("G2") == 0.4853810906053715
    assert ">0.4854<" in explorer.table and "0.4853810906053715" in explorer.table  # G2, its tooltip
    for name in ("input1", "input2", "weight1", "weight2", "bias"):
        explorer.sliders[name].value = explorer.sliders[name].max  # everything as large as it goes
    assert explorer.readout.startswith("net 9.0000 · output 1.0000 · loss 0.040000 · the net is past 4")
    assert explorer.warning


def test_lesson_02_weight_moved_from_code():
    explorer = GradientExplorer()
    explorer.sliders["weight"].value = -2
    assert explorer.readout == ("net -0.2000 · output -0.1974 · loss 0.402641 · "
                                "weight gradient -0.3450 · bias gradient -0.8624")
    assert lesson02.sheet(weight=-2).value("C4") == -0.3449665018356463
    assert "-0.3449665018356463" in explorer.table  # C4's tooltip
    move(explorer, input=1, weight=3, bias=3)
    assert explorer.readout.startswith("net 6.0000 · output 1.0000 · loss 0.044996 · tanh is saturated")
    assert explorer.warning


def test_lesson_03_learning_rate_moved_from_code():
    explorer = TrainingExplorer()
    explorer.sliders["learning_rate"].value = 0.001  # all the way left
    assert explorer.readout == ("after 1000 attempts: weight 0.4977 · bias 0.2749 · output 0.272795 vs "
                                "target 0.1 · loss 0.0149 · not there yet: more attempts or a larger "
                                "learning rate")
    explorer.sliders["learning_rate"].value = 0.5
    assert explorer.readout == ("after 1000 attempts: weight 0.4960 · bias 0.0954 · output 0.100000 vs "
                                "target 0.1 · loss 9.63e-35")
    assert not explorer.warning
    assert training.trained_output(0.01, 0.1, learning_rate=0.5, iterations=1000) == 0.10000000000000002
