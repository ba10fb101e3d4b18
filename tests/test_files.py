"""Nothing a learner made is lost: atomic writes, and build never overwrites an edited workbook."""

import datetime
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import openpyxl
import pytest

from nbcourse import files
from nbcourse.errors import CourseError
from nbcourse.lessons import LESSONS, lesson01

ROOT = Path(__file__).resolve().parent.parent


def build(out, *more):
    """`python -m nbcourse build --out OUT`, as a learner runs it."""
    return subprocess.run([sys.executable, "-m", "nbcourse", "build", "--out", str(out), *more],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory, testrun_uid):
    """A fresh build, made once in the test run; each test works on its own copy."""
    from tests.test_check import once

    def make():
        out = tmp_path_factory.mktemp("built")
        result = build(out)
        assert result.returncode == 0, result.stderr
        return out

    return once(tmp_path_factory, testrun_uid, "built", make)


@pytest.fixture
def folder(built, tmp_path):
    return Path(shutil.copytree(built, tmp_path / "spreadsheets"))


def edit(path):
    """A learner's edit: a changed input, saved by a spreadsheet library."""
    book = openpyxl.load_workbook(path)
    book.worksheets[0]["A2"] = 0.3
    book.save(path)
    return path.read_bytes()


# -- atomic writes -----------------------------------------------------------------------

def leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_write_atomic_writes_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "book.xlsx"
    files.write_atomic(path, b"new")
    assert path.read_bytes() == b"new" and leftovers(tmp_path) == []
    assert path.stat().st_mode & 0o644 == 0o644  # readable by others, like any workbook


def test_an_interrupted_rename_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"old workbook")

    def power_cut(*args):
        raise OSError("interrupted")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError, match="interrupted"):
        files.write_atomic(path, b"new workbook")
    assert path.read_bytes() == b"old workbook"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("interruption", [OSError("disk full"), KeyboardInterrupt()])
def test_a_write_failing_midway_leaves_the_old_file_whole(tmp_path, monkeypatch, interruption):
    """Half the bytes are in the temporary file when the write fails (or Ctrl+C lands)."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"old workbook")
    real_fsync = os.fsync

    def fail_after_writing(fd):
        real_fsync(fd)
        raise interruption

    monkeypatch.setattr(os, "fsync", fail_after_writing)
    with pytest.raises(type(interruption)):
        files.write_atomic(path, b"new workbook" * 1000)
    assert path.read_bytes() == b"old workbook"
    assert leftovers(tmp_path) == []


# -- build keeps the learner's edits -------------------------------------------------------

def test_build_refuses_to_overwrite_an_edited_workbook(folder):
    path = folder / lesson01.FILE
    learners = edit(path)
    result = build(folder)
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"error: {path} has changes")
    assert "--force" in errors[0] and "Traceback" not in result.stderr
    assert path.read_bytes() == learners
    assert "02-single-neuron-gradients.xlsx: up to date" in result.stdout  # the others still built


def test_build_force_keeps_the_edited_copy_beside_the_new_one(folder, built):
    path = folder / lesson01.FILE
    learners = edit(path)
    result = build(folder, "--force")
    assert result.returncode == 0, result.stderr
    (aside,) = folder.glob("01-single-neuron-edited-*.xlsx")
    assert aside.read_bytes() == learners
    assert path.read_bytes() == (built / lesson01.FILE).read_bytes()
    assert f"{path}: written (your edited copy is now {aside})" in result.stdout


def contents(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_an_unchanged_build_is_up_to_date(folder):
    before = contents(folder)
    result = build(folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": up to date") == 2 * len(LESSONS)  # each workbook and its blank
    assert contents(folder) == before


def test_build_keeps_a_blank_the_learner_filled_in(folder, built):
    """A blank is for filling in, in place: build leaves it as it is (and succeeds); --force
    keeps it beside a fresh one."""
    path = folder / "blank" / lesson01.FILE
    book = openpyxl.load_workbook(path)
    book.worksheets[0]["F2"] = "=A2*C2+B2*D2+E2"
    book.save(path)
    learners = path.read_bytes()
    result = build(folder)
    assert result.returncode == 0, result.stderr
    assert f"{path}: kept as you filled it in" in result.stdout
    assert path.read_bytes() == learners
    result = build(folder, "--force")
    assert result.returncode == 0, result.stderr
    (aside,) = (folder / "blank").glob("01-single-neuron-edited-*.xlsx")
    assert aside.read_bytes() == learners
    assert path.read_bytes() == (built / "blank" / lesson01.FILE).read_bytes()


def test_a_workbook_open_in_a_spreadsheet_program_is_refused(folder):
    path = folder / lesson01.FILE
    (folder / f".~lock.{lesson01.FILE}#").write_text("learner,host,2024")
    edit(path)
    result = build(folder, "--force")
    assert result.returncode == 2
    assert f"error: {path} is open in a spreadsheet program" in result.stderr
    assert "close it there, then build again" in result.stderr
    assert not list(folder.glob("*-edited-*"))  # not moved aside while open


# -- publish, directly ------------------------------------------------------------------

def test_publish_records_what_it_wrote(tmp_path):
    path = tmp_path / "book.xlsx"
    assert files.publish(path, b"v1") == f"{path}: written"
    assert files.publish(path, b"v1") == f"{path}: up to date"
    assert files.publish(path, b"v2") == f"{path}: written"  # unedited: the course's to replace
    assert json.loads((tmp_path / files.MANIFEST).read_text()) == {"book.xlsx": files.digest(b"v2")}


def test_excel_lock_file_is_refused_too(tmp_path):
    path = tmp_path / "book.xlsx"
    files.publish(path, b"v1")
    (tmp_path / "~$book.xlsx").write_bytes(b"")
    with pytest.raises(CourseError, match=r"open in a spreadsheet program \(~\$book.xlsx exists\): close it"):
        files.publish(path, b"v2")
    assert path.read_bytes() == b"v1"


def test_a_workbook_not_in_the_manifest_counts_as_edited(tmp_path):
    """No manifest, or an unreadable one: the file may be the learner's, so keep it."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"learner's")
    with pytest.raises(CourseError, match="has changes that the course did not make"):
        files.publish(path, b"course's")
    (tmp_path / files.MANIFEST).write_text("{not json")
    with pytest.raises(CourseError, match="has changes that the course did not make"):
        files.publish(path, b"course's")
    assert path.read_bytes() == b"learner's"


def test_forcing_twice_in_one_second_keeps_both_edited_copies(tmp_path, monkeypatch):
    class Frozen(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2024, 3, 10, 12, 0, 0)

    monkeypatch.setattr(files, "datetime", types.SimpleNamespace(datetime=Frozen))
    path = tmp_path / "book.xlsx"
    files.publish(path, b"v1")
    for edit_ in (b"first edit", b"second edit"):
        path.write_bytes(edit_)
        assert "your edited copy is now" in files.publish(path, b"v1", force=True)
    assert (tmp_path / "book-edited-20240310-120000.xlsx").read_bytes() == b"first edit"
    assert (tmp_path / "book-edited-20240310-120000-2.xlsx").read_bytes() == b"second edit"


def test_permission_denied_is_a_clear_error(tmp_path, monkeypatch):
    """As on Windows while Excel has the workbook open, or in a read-only folder."""
    def denied(path, data):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(files, "write_atomic", denied)
    with pytest.raises(CourseError, match="Cannot write .*book.xlsx: permission denied. Close any"):
        files.publish(tmp_path / "book.xlsx", b"v1")
