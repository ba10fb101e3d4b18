"""Recalculate a workbook in a real LibreOffice: the referee for spreadsheet parity.

LibreOffice normally trusts the cached values stored in an .xlsx (XlsxWriter writes
ours), so a plain conversion would hand them back unchecked. We run it with a
private user profile whose settings say "always recalculate on load".
"""

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from nbcourse.errors import CourseError

INSTALL_HINT = (
    "Install LibreOffice: on Debian/Ubuntu `sudo apt-get install libreoffice-calc-nogui`, "
    "on macOS `brew install --cask libreoffice`, on Windows from https://www.libreoffice.org."
)
TIMEOUT = 120  # seconds; the first start of a fresh profile takes several seconds

# 0 = "always recalculate" (1 = never, 2 = ask) for .xlsx and .ods files on load.
_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
# One LibreOffice instance per profile at a time: a second one would hand its job to the
# first (or fail), so calls from this process take turns. Other processes get other profiles.
_lock = threading.Lock()
_workdir = None


def find_soffice():
    """The path of LibreOffice's command-line program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    for candidate in (
        "/usr/bin/soffice",
        "/usr/lib/libreoffice/program/soffice",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    ):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def _private_dir():
    """This process's temporary folder holding the profile; removed when Python exits."""
    global _workdir
    if _workdir is None:
        _workdir = Path(tempfile.mkdtemp(prefix="nbcourse-lo-"))
        atexit.register(shutil.rmtree, _workdir, ignore_errors=True)
        # The settings must exist before LibreOffice first starts, or it writes its defaults.
        (_workdir / "profile" / "user").mkdir(parents=True)
        (_workdir / "profile" / "user" / "registrymodifications.xcu").write_text(_SETTINGS)
    return _workdir


def recalculate(path, out_dir=None):
    """Recalculate a copy of the workbook `path` in LibreOffice and return the copy's path.

    Without `out_dir` the copy goes to a temporary folder removed when Python exits.
    """
    path = Path(path)
    if not path.is_file():
        raise CourseError(f"No workbook at {path}: check the file name.")
    if path.stat().st_size == 0:  # LibreOffice would quietly turn it into a new, blank workbook
        raise CourseError(f"{path} is empty, not a workbook: write it again.")
    soffice = find_soffice()
    if soffice is None:
        raise CourseError(f"LibreOffice is needed to recalculate {path.name}. {INSTALL_HINT}")
    with _lock:
        work = _private_dir()
        out = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(dir=work))
        result = out / (path.stem + ".xlsx")
        if result.resolve() == path.resolve():
            raise CourseError(
                f"Give an out_dir other than {out}: the result would replace {path.name} itself."
            )
        out.mkdir(parents=True, exist_ok=True)
        result.unlink(missing_ok=True)  # so a stale file never passes for a fresh result
        # Convert a copy, so a file open (and locked) in someone's spreadsheet program still works.
        source = Path(tempfile.mkdtemp(dir=work)) / path.name
        shutil.copyfile(path, source)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        # Its own process group, so a timeout kills the real soffice.bin too, not just the
        # launcher script in front of it.
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=(os.name == "posix"),
        )
        try:
            _, stderr = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL) if os.name == "posix" else proc.kill()
            proc.communicate()
            raise CourseError(
                f"LibreOffice took more than {TIMEOUT} s to recalculate {path.name} and was "
                "stopped: try again (a first start is slow), or raise libreoffice.TIMEOUT."
            ) from None
        finally:
            shutil.rmtree(source.parent, ignore_errors=True)
    if not result.is_file():
        # Drop the warning every run prints when Java is absent (Calc does not need it).
        said = " ".join(line for line in stderr.splitlines() if "javaldx" not in line).strip()
        raise CourseError(
            f"LibreOffice could not recalculate {path.name} (is it an .xlsx workbook?); "
            f"it said: {said or f'nothing (exit code {proc.returncode})'}"
        )
    return result


def recalculated_values(path, sheet=None):
    """{"A1": value, ...} of a worksheet (default: the first) as LibreOffice computes it."""
    import openpyxl  # only needed here

    book = openpyxl.load_workbook(recalculate(path), data_only=True)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise CourseError(f"No sheet {sheet!r} in {Path(path).name}: it has {book.sheetnames}.")
        cells = book[sheet] if sheet is not None else book.worksheets[0]
        return {
            c.coordinate: c.value for row in cells.iter_rows() for c in row if c.value is not None
        }
    finally:
        book.close()
