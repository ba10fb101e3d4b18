"""Fixtures shared by every test module (nothing lesson-specific here)."""

import os

import pytest

from nbcourse import libreoffice


@pytest.fixture(scope="session")
def soffice():
    """The path of LibreOffice; tests needing it also carry @pytest.mark.libreoffice.

    Skipped where LibreOffice is absent, except in CI (CI=true): there a skipped
    real-engine test would hide a broken spreadsheet, so it fails instead.
    """
    path = libreoffice.find_soffice()
    if path is None:
        message = "LibreOffice not found, so workbooks cannot be recalculated. "
        message += libreoffice.INSTALL_HINT
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} CI must run the real-engine tests.", pytrace=False)
        pytest.skip(message)
    return path
