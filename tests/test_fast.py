"""The compiled trainer agrees with the readable one (nbcourse/network.py) bit for bit."""

import os
import re
import select
import subprocess
import sys
import threading

import numpy as np
import pytest

from nbcourse import fast, network
from nbcourse.errors import CourseError, Diverged
from tests.conftest import readable, readable_losses

LINE = re.compile(r"^Iteration (\d+) errors: area \d+\.\d{3}%, circumference: \d+\.\d{3}% "
                  r"\(smaller = better\)$")


def exploding_parameters():
    """As in test_network: layer 1 saturated, layer 2 at 0, huge output weights."""
    return np.array([100, 0, 0] * 3 + [-3000, 1000, 1000, 1000] * 3 + [0, 1e308, 1e308, 1e308] * 2,
                    dtype=np.float64)


@pytest.mark.parametrize("sizes", [(2, 3, 3, 2), (2, 4, 2), (2, 5, 1, 4, 2)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fast_equals_readable_bit_for_bit(seed, sizes):
    expected_parameters, expected_reports = readable(seed, sizes, 2000, 0.01, 500)
    parameters, reports = fast.run(seed, 2000, 0.01, 500, sizes)
    assert np.array_equal(parameters, expected_parameters)
    assert reports == expected_reports  # exact floats, not approx
    assert [iteration for iteration, _, _ in reports] == [0, 500, 1000, 1500]


def test_new_parameters_are_new_nets():
    for sizes in [(2, 3, 3, 2), (2, 7, 2)]:
        parameters = fast.new_parameters(np.random.default_rng(9), sizes)
        net = network.new_net(np.random.default_rng(9), sizes)
        assert np.array_equal(parameters, network.parameters(net))


def test_unrolled_and_general_loops_agree():
    # the article's net runs an unrolled copy of the general loop: same numbers
    rng = np.random.default_rng(3)
    start = fast.new_parameters(rng)
    samples = rng.uniform(0.1, 1.0, size=(3000, 2))
    results = []
    for train_chunk in (fast._train_article_net,
                        lambda *arguments: fast._train_chunk(arguments[0], (2, 3, 3, 2),
                                                             *arguments[1:])):
        parameters, window, rows, losses = start.copy(), np.zeros(3), np.empty((4, 3)), np.empty(3000)
        written, diverged = train_chunk(parameters, samples, 0.01, 1000, 0, window, rows, losses)
        results.append((parameters, window, rows[:written], losses))
    for one, other in zip(*results):
        assert np.array_equal(one, other)


def test_windows_carry_across_chunks(monkeypatch):
    expected = fast.run(5, 1000, 0.01, 100)
    monkeypatch.setattr(fast, "CHUNK", 64)  # reports and windows straddle chunk edges
    parameters, reports = fast.run(5, 1000, 0.01, 100)
    assert np.array_equal(parameters, expected[0])
    assert reports == expected[1]


@pytest.mark.parametrize("sizes", [(2, 3, 3, 2), (2, 5, 1, 4, 2)])  # the unrolled and the general loop
def test_one_run_gives_the_losses_and_the_reports_of_the_readable_net(sizes):
    parameters, expected = readable_losses(2, sizes, 600, 0.01)
    _, expected_reports = readable(2, sizes, 600, 0.01, 200)
    trained, reports, losses = fast.run(2, 600, 0.01, 200, sizes, losses=True)
    assert np.array_equal(losses, expected) and np.array_equal(trained, parameters)
    assert reports == expected_reports
    assert np.array_equal(fast.loss_curve(2, 600, 0.01, sizes), expected)


def test_losses_carry_across_chunks(monkeypatch):
    expected = fast.run(5, 1000, 0.01, 100, losses=True)
    monkeypatch.setattr(fast, "CHUNK", 64)
    parameters, reports, losses = fast.run(5, 1000, 0.01, 100, losses=True)
    assert np.array_equal(losses, expected[2]) and reports == expected[1]


def test_two_threads_train_two_seeds():
    results = {}

    def train(seed):
        results[seed] = fast.run(seed, 3000, 0.01, 1000)

    threads = [threading.Thread(target=train, args=(seed,)) for seed in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for seed in (0, 1):
        parameters, reports = fast.run(seed, 3000, 0.01, 1000)
        assert np.array_equal(results[seed][0], parameters) and results[seed][1] == reports


def test_cli_prints_the_articles_lines(capsys):
    assert fast.cli(iterations=30, report_every=10, seed=4) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 3
    assert [int(LINE.match(line).group(1)) for line in lines] == [0, 10, 20]
    assert err == ""  # no progress bar when stderr is not a terminal
    _, reports = readable(4, (2, 3, 3, 2), 30, 0.001, 10)
    assert lines == [network.report_line(*report) for report in reports]


@pytest.mark.parametrize("arguments, message", [
    (dict(iterations=0), "iterations must be at least 1"),
    (dict(iterations="abc"), "iterations must be a whole number"),
    (dict(report_every=2.5), "report_every must be a whole number"),
    (dict(seed=-1), "seed must be at least 0"),
    (dict(seed=1.5), "seed must be a whole number"),
    (dict(seed="abc"), "seed must be a whole number"),
    (dict(learning_rate=float("nan")), "learning rate must be a finite number"),
    (dict(learning_rate=0), "learning rate must be above zero"),
    (dict(learning_rate=-1), "learning rate must be above zero"),
    (dict(learning_rate="abc"), "learning rate must be a number"),
    (dict(sizes=(2, 3, 3)), "end with 2 outputs"),
    (dict(sizes=(2, -1, 2)), "at least 1"),
])
def test_bad_arguments(arguments, message):
    arguments = dict(seed=0, iterations=10, learning_rate=0.01, report_every=5) | arguments
    with pytest.raises(CourseError, match=message):
        fast.run(**arguments)
    if "sizes" not in arguments:
        with pytest.raises(CourseError, match=message):
            fast.cli(**arguments)


def test_bad_parameters():
    with pytest.raises(CourseError, match="29 biases and weights, not 3"):
        fast.train([0.0, 0.0, 0.0], (2, 3, 3, 2), np.random.default_rng(0), 10)
    with pytest.raises(CourseError, match="finite"):
        fast.train(np.full(29, np.inf), (2, 3, 3, 2), np.random.default_rng(0), 10)


def test_divergence_names_the_iteration():
    for iterations in (10, 1):  # seen in the outputs, or in the weights after the last step
        with pytest.raises(Diverged, match="iteration 1") as caught:
            fast.train(exploding_parameters(), (2, 3, 3, 2), np.random.default_rng(0),
                       iterations, 0.001, 5)
        assert caught.value.iteration == 1
    with pytest.raises(Diverged) as caught:
        fast.train(exploding_parameters(), (2, 3, 3, 2), np.random.default_rng(0), 10, 0.001,
                   losses=True)
    assert caught.value.iteration == 1


def test_train_leaves_its_argument_alone():
    start = fast.new_parameters(np.random.default_rng(0))
    kept = start.copy()
    trained, _ = fast.train(start, (2, 3, 3, 2), np.random.default_rng(1), 100, 0.01, 50)
    assert np.array_equal(start, kept) and not np.array_equal(trained, kept)


def test_a_kept_run_is_the_run_and_moves_the_generator_on(tmp_path, monkeypatch):
    """With NBCOURSE_TRAINING_CACHE set (the test suite sets it), a long run is trained once: the
    second time its numbers are read back, and the generator ends where training leaves it."""
    def trained(seed):
        rng = np.random.default_rng(seed)
        start = fast.new_parameters(rng)
        parameters, reports = fast.train(start, (2, 3, 3, 2), rng, 1_000_000, 0.001, 250_000)
        return parameters, reports, rng.uniform()  # the draw after training

    monkeypatch.delenv(fast.CACHE, raising=False)
    real = trained(5)
    assert not any(tmp_path.iterdir())
    monkeypatch.setenv(fast.CACHE, str(tmp_path))
    first = trained(5)
    [kept] = tmp_path.glob("*.npz")
    written = kept.stat()
    second = trained(5)
    assert list(tmp_path.glob("*.npz")) == [kept]  # trained once, then read back: not rewritten
    assert (kept.stat().st_ino, kept.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    for run in (first, second):
        assert np.array_equal(run[0], real[0]) and run[1] == real[1] and run[2] == real[2]
    assert trained(6)[1] != real[1] and len(list(tmp_path.glob("*.npz"))) == 2


def test_a_terminal_sees_a_progress_bar_beside_the_articles_lines():
    """`python -m nbcourse backprop` with stderr on a terminal: tqdm's bar there, the lines on stdout."""
    termios = pytest.importorskip("termios")  # a pseudo-terminal: POSIX only
    import fcntl
    import pty
    import struct

    master, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # else 0 wide
    done = subprocess.run([sys.executable, "-m", "nbcourse", "backprop", "--iterations", "2500000",
                           "--report-every", "1000000"], stdout=subprocess.PIPE, stderr=terminal,
                          text=True, timeout=120, check=True)
    shown = b""
    while select.select([master], [], [], 0.5)[0]:  # what the terminal holds, before closing it
        shown += os.read(master, 65536)
    os.close(terminal)
    os.close(master)
    lines = done.stdout.splitlines()
    assert [int(LINE.match(line).group(1)) for line in lines] == [0, 1_000_000, 2_000_000]
    assert re.search(r"training: +\d+%\|.*\| [\d.]+M?/2\.50M", shown.decode(errors="replace"))
