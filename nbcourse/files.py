"""Writing workbooks without losing anything a learner made.

Every file is written to a temporary file beside it and renamed over it, so an
interrupted build leaves the old workbook whole. A manifest of content hashes
records what the course last generated: a workbook that differs from it was
edited by someone, and is never overwritten without keeping their copy.
"""

import datetime
import hashlib
import json
import os
import tempfile
from pathlib import Path

from nbcourse.errors import CourseError

MANIFEST = ".manifest.json"


def digest(data):
    return hashlib.sha256(data).hexdigest()


def write_atomic(path, data):
    """Write bytes to path so that readers only ever see the old or the new file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a workbook is for sharing
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def locked_by(path):
    """The lock file an office program keeps while the workbook is open, if any."""
    for lock in (f".~lock.{path.name}#", f"~${path.name}"):
        if (path.parent / lock).exists():
            return path.parent / lock
    return None


def set_aside(path):
    """Move a learner's workbook to NAME-edited-<time>.xlsx (never over an earlier one)."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}-edited-{stamp}{path.suffix}")
    number = 1
    while aside.exists():  # forced twice in one second
        number += 1
        aside = path.with_name(f"{path.stem}-edited-{stamp}-{number}{path.suffix}")
    os.rename(path, aside)  # not os.replace: on Windows rename refuses to overwrite, safely
    return aside


def manifest(folder):
    """{file name: hash} of what the course last wrote; empty when unreadable, which counts
    every workbook there as edited: the safe side."""
    file = Path(folder) / MANIFEST
    try:
        hashes = json.loads(file.read_text())
    except (OSError, ValueError):
        return {}
    return hashes if isinstance(hashes, dict) else {}


def publish(path, data, force=False):
    """Write a generated workbook; returns a sentence saying what happened.

    An existing file that the course did not generate (its hash is not the one in
    the manifest) is the learner's: refuse, or with force move it aside first.
    """
    path = Path(path)
    try:
        return _publish(path, data, force)
    except PermissionError:  # Windows locks a workbook open in Excel; or a read-only folder
        raise CourseError(f"Cannot write {path}: permission denied. Close any "
                          "program that has it open, or check the folder's permissions.") from None


def _publish(path, data, force):
    hashes = manifest(path.parent)
    saved = ""
    if path.exists():
        if lock := locked_by(path):
            raise CourseError(f"{path} is open in a spreadsheet program ({lock.name} exists): "
                              "close it there, then build again.")
        current = digest(path.read_bytes())
        if current == digest(data):
            return f"{path}: up to date"
        if current != hashes.get(path.name):
            if not force:
                raise CourseError(f"{path} has changes that the course did not make (your edits?). "
                                  "Rename it to keep it, or build with --force, which keeps your copy "
                                  "beside it as ...-edited-<time>.xlsx.")
            saved = f" (your edited copy is now {set_aside(path)})"
    write_atomic(path, data)
    hashes[path.name] = digest(data)
    write_atomic(path.parent / MANIFEST, (json.dumps(hashes, indent=1, sort_keys=True) + "\n").encode())
    return f"{path}: written{saved}"
