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
