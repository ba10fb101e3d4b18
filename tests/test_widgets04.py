"""The part-4 explorer without a browser: move its sliders from code, check what it shows.

Every expected curve and line comes from the readable trainer, nbcourse/network.py's passes,
for the same settings (not from nbcourse.fast, which the explorer runs), and is compared with
the plotted artists and the readout.
"""

import functools

import numpy as np
import pytest

from nbcourse import network
from nbcourse.widgets import BackpropExplorer
from tests.conftest import readable, readable_losses

PNG = b"\x89PNG\r\n\x1a\n"
STEPS, WINDOW = 20_000, 500


@pytest.fixture(scope="module")
def explorer():
    return BackpropExplorer()


def reset(explorer):
    move(explorer, learning_rate=0.01, hidden1=3, hidden2=3, seed=network.SEED)


def move(explorer, **values):
    for name, value in values.items():
        explorer.sliders[name].value = value


@functools.cache
def expected(seed, learning_rate, sizes):
    """The mean loss of each window and the article's last line, from network.py's passes."""
    _, losses = readable_losses(seed, sizes, STEPS + 1, learning_rate)
    _, reports = readable(seed, sizes, STEPS + 1, learning_rate, WINDOW)
    # iteration 0 is reported alone; each later report covers the WINDOW rectangles before it
    windows = [np.mean(losses[end - WINDOW + 1:end + 1]) for end in range(WINDOW, STEPS + 1, WINDOW)]
    return np.array(windows), network.report_line(*reports[-1])


def shown(explorer):
    return explorer.loss_line.get_data()[1]


def test_defaults_are_the_fast_trainers_run(explorer):
    reset(explorer)
    windows, line = expected(network.SEED, 0.01, (2, 3, 3, 2))
    assert np.array_equal(shown(explorer), windows)
    assert explorer.readout.startswith(line + " · ")
    assert "net (2, 3, 3, 2): 29 weights and biases" in explorer.readout
    ends, area = explorer.area_line.get_data()
    assert ends[0] == WINDOW and ends[-1] == STEPS and len(area) == STEPS // WINDOW
    assert bytes(explorer.image.value).startswith(PNG)
    assert repr(explorer) == "BackpropExplorer(learning_rate=0.01, sizes=(2, 3, 3, 2), seed=2)"


@pytest.mark.parametrize("settings", [dict(learning_rate=0.1), dict(seed=7),
                                      dict(learning_rate=0.001, seed=0)])
def test_sliders_drive_the_run(explorer, settings):
    reset(explorer)
    before, readout = shown(explorer).copy(), explorer.readout
    move(explorer, **settings)
    values = explorer.values()
    windows, line = expected(values["seed"], values["learning_rate"], (2, 3, 3, 2))
    assert not np.array_equal(shown(explorer), before) and explorer.readout != readout
    assert np.array_equal(shown(explorer), windows)
    assert explorer.readout.startswith(line + " · ")


def test_hidden_sizes_change_the_net(explorer):
    reset(explorer)
    move(explorer, hidden1=8, hidden2=1)
    windows, line = expected(network.SEED, 0.01, (2, 8, 1, 2))
    assert np.array_equal(shown(explorer), windows)
    assert explorer.readout.startswith(line + " · ")
    # (2 + 1) * 8 + (8 + 1) * 1 + (1 + 1) * 2 weights and biases
    assert "net (2, 8, 1, 2): 37 weights and biases" in explorer.readout
    move(explorer, hidden2=8)
    assert "net (2, 8, 8, 2): 114 weights and biases" in explorer.readout


@pytest.mark.parametrize("seed", [0, 2, 99])
def test_slider_bounds_keep_everything_finite(explorer, seed):
    for learning_rate in (1e-4, 10):
        for hidden1, hidden2 in ((1, 1), (1, 8), (8, 1), (8, 8)):
            move(explorer, seed=seed, learning_rate=learning_rate, hidden1=hidden1, hidden2=hidden2)
            _, area = explorer.area_line.get_data()
            assert np.all(np.isfinite(shown(explorer))) and np.all(np.isfinite(area))
            assert "went wrong" not in explorer.readout
            assert explorer.errors.outputs == ()


def test_sliders_stop_at_their_ends(explorer):
    move(explorer, learning_rate=1000, hidden1=50, hidden2=0, seed=-3)
    assert explorer.values() == dict(learning_rate=10, hidden1=8, hidden2=1, seed=0)
    assert np.all(np.isfinite(shown(explorer)))


def test_warnings_say_what_went_wrong(explorer):
    reset(explorer)
    assert not explorer.warning
    move(explorer, learning_rate=10)
    assert "stuck" in explorer.readout and explorer.warning
    # stuck at ±1: the loss of the last window is far above the default run's
    assert shown(explorer)[-1] > 0.1
    move(explorer, learning_rate=1e-4)
    assert "still far off" in explorer.readout and "try a larger learning rate" in explorer.readout
    move(explorer, learning_rate=10 ** 0.2)  # 1.58: too big a step, not too small
    assert "still far off" in explorer.readout and "try a smaller learning rate" in explorer.readout
    assert "larger" not in explorer.readout
    reset(explorer)
    assert not explorer.warning


def test_axes_stay_put(explorer):
    # fixed limits: moving sliders never redraws the axes, only the curves
    redraws = explorer.redraws
    for seed in range(3):
        move(explorer, seed=seed, learning_rate=0.3)
    assert explorer.redraws == redraws



def test_the_notebooks_former_slider_cells(explorer):
    """What lesson 04 printed when a cell moved the sliders from code."""
    reset(explorer)
    move(explorer, learning_rate=3)  # as if dragged to 3
    assert explorer.readout == (
        "Iteration 20000 errors: area 591.052%, circumference: 115.890% (smaller = better) · mean loss "
        "of the last 500 rectangles 0.392674 · net (2, 3, 3, 2): 29 weights and biases · stuck: this "
        "learning rate threw the weights so far that the outputs sit at ±1, where tanh's gradient is "
        "almost 0; try a smaller one")
    move(explorer, learning_rate=0.3, hidden1=8, hidden2=8)
    assert explorer.readout == (
        "Iteration 20000 errors: area 8.689%, circumference: 0.941% (smaller = better) · mean loss of "
        "the last 500 rectangles 0.000175 · net (2, 8, 8, 2): 114 weights and biases")
