"""Fixtures shared by every test module (nothing lesson-specific here)."""

import os

import pytest

from nbcourse import libreoffice


def needed(path, message, tests):
    """`path` of a program the real-part tests need; where it is absent they skip with `message`,
    except in CI (CI=true): there a skipped test would hide a broken course, so they fail."""
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} CI must run the {tests}.", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def soffice():
    """The path of LibreOffice; tests needing it also carry @pytest.mark.libreoffice."""
    return needed(libreoffice.find_soffice(), "LibreOffice not found, so workbooks cannot be "
                  f"recalculated. {libreoffice.INSTALL_HINT}", "real-engine tests")


@pytest.fixture
def starts(monkeypatch):
    """How many times LibreOffice is started (the real one runs each time)."""
    calls = []
    real = libreoffice._run

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(libreoffice, "_run", counted)
    return calls


def right_wrong_unanswered(name, right, wrong, capsys):
    """The shared test of each lesson's answers: right, wrong (with the hint), unanswered."""
    from nbcourse.exercises import check

    check(name, right)
    assert capsys.readouterr().out.startswith("Right! ")
    check(name, wrong)
    said = capsys.readouterr().out
    assert said.startswith("Not yet: ") and f"solution('{name}')" in said
    check(name, ...)
    assert capsys.readouterr().out.startswith("Not answered yet")


# The readable trainer (nbcourse/network.py) as the reference for the compiled one and for lesson
# 04's explorer: what they show must be what network.py's passes give, bit for bit.

def readable(seed, sizes, iterations, learning_rate, report_every):
    """network.py's trainer from a seed: (parameters, reports)."""
    import numpy as np

    from nbcourse import network

    rng = np.random.default_rng(seed)
    net = network.new_net(rng, sizes)
    reports = network.train(net, rng, iterations, learning_rate, report_every)
    return network.parameters(net), reports


def readable_losses(seed, sizes, iterations, learning_rate):
    """Each rectangle's loss before its update, from network.py's passes: (parameters, losses)."""
    import numpy as np

    from nbcourse import network

    rng = np.random.default_rng(seed)
    net = network.new_net(rng, sizes)
    losses = []
    for _ in range(iterations):
        width, height = network.sample(rng)
        targets = network.targets(width, height)
        losses.append(network.loss(net, [width, height], targets))
        network.backward_pass(net, targets)
        network.training_pass(net, [width, height], learning_rate)
    return network.parameters(net), losses
