"""The part-4 explorer without a browser: move its sliders from code, check what it shows.

Every expected curve and line is computed here again with nbcourse.fast for the same
settings, and compared with the plotted artists and the readout.
"""

import numpy as np
import pytest

from nbcourse import fast, network
from nbcourse.widgets import BackpropExplorer

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


def expected(seed, learning_rate, sizes):
    """The mean loss of each window and the article's last line, straight from nbcourse.fast."""
    losses = fast.loss_curve(seed, STEPS + 1, learning_rate, sizes)
    _, reports = fast.run(seed, STEPS + 1, learning_rate, WINDOW, sizes)
    return losses[1:].reshape(-1, WINDOW).mean(axis=1), network.report_line(*reports[-1])


def shown(explorer):
    return explorer.loss_line.get_data()[1]


def test_defaults_are_the_fast_trainers_run(explorer):
    reset(explorer)
    windows, line = expected(network.SEED, 0.01, (2, 3, 3, 2))
    assert np.array_equal(shown(explorer), windows)
    assert explorer.readout.value.startswith(line + " · ")
    assert "net (2, 3, 3, 2): 29 weights and biases" in explorer.readout.value
    ends, area = explorer.area_line.get_data()
    assert ends[0] == WINDOW and ends[-1] == STEPS and len(area) == STEPS // WINDOW
    assert bytes(explorer.image.value).startswith(PNG)
    assert repr(explorer) == "BackpropExplorer(learning_rate=0.01, sizes=(2, 3, 3, 2), seed=2)"


@pytest.mark.parametrize("settings", [dict(learning_rate=0.1), dict(seed=7),
                                      dict(learning_rate=0.001, seed=0)])
def test_sliders_drive_the_run(explorer, settings):
    reset(explorer)
    before, readout = shown(explorer).copy(), explorer.readout.value
    move(explorer, **settings)
    values = explorer.values()
    windows, line = expected(values["seed"], values["learning_rate"], (2, 3, 3, 2))
    assert not np.array_equal(shown(explorer), before) and explorer.readout.value != readout
    assert np.array_equal(shown(explorer), windows)
    assert explorer.readout.value.startswith(line + " · ")


def test_hidden_sizes_change_the_net(explorer):
    reset(explorer)
    move(explorer, hidden1=8, hidden2=1)
    windows, line = expected(network.SEED, 0.01, (2, 8, 1, 2))
    assert np.array_equal(shown(explorer), windows)
    assert explorer.readout.value.startswith(line + " · ")
    # (2 + 1) * 8 + (8 + 1) * 1 + (1 + 1) * 2 weights and biases
    assert "net (2, 8, 1, 2): 37 weights and biases" in explorer.readout.value
    move(explorer, hidden2=8)
    assert "net (2, 8, 8, 2): 114 weights and biases" in explorer.readout.value


@pytest.mark.parametrize("seed", [0, 2, 99])
def test_slider_bounds_keep_everything_finite(explorer, seed):
    for learning_rate in (1e-4, 10):
        for hidden1, hidden2 in ((1, 1), (1, 8), (8, 1), (8, 8)):
            move(explorer, seed=seed, learning_rate=learning_rate, hidden1=hidden1, hidden2=hidden2)
            _, area = explorer.area_line.get_data()
            assert np.all(np.isfinite(shown(explorer))) and np.all(np.isfinite(area))
            assert "went wrong" not in explorer.readout.value
            assert explorer.errors.outputs == ()


def test_sliders_stop_at_their_ends(explorer):
    move(explorer, learning_rate=1000, hidden1=50, hidden2=0, seed=-3)
    assert explorer.values() == dict(learning_rate=10, hidden1=8, hidden2=1, seed=0)
    assert np.all(np.isfinite(shown(explorer)))


def test_warnings_say_what_went_wrong(explorer):
    reset(explorer)
    assert explorer.readout.style.text_color is None
    move(explorer, learning_rate=10)
    assert "stuck" in explorer.readout.value and explorer.readout.style.text_color is not None
    # stuck at ±1: the loss of the last window is far above the default run's
    assert shown(explorer)[-1] > 0.1
    move(explorer, learning_rate=1e-4)
    assert "still far off" in explorer.readout.value
    reset(explorer)
    assert explorer.readout.style.text_color is None


def test_axes_stay_put(explorer):
    # fixed limits: moving sliders never redraws the axes, only the curves
    redraws = explorer.redraws
    for seed in range(3):
        move(explorer, seed=seed, learning_rate=0.3)
    assert explorer.redraws == redraws

