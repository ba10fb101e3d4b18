"""Recalculate and convert workbooks in a real LibreOffice: the referee for spreadsheet parity.

LibreOffice normally trusts the cached values stored in an .xlsx (XlsxWriter writes
ours), so a plain conversion would hand them back unchecked. We run it with a
private user profile whose settings say "always recalculate on load", never update
links to other files or the web, and never run macros. One `soffice` start converts
a whole batch (convert()); a file it hangs on is stopped and the rest carry on.
csv_values() reads the values of a conversion to CSV.
"""

import atexit
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from nbcourse.errors import CourseError

INSTALL_HINT = (
    "Install LibreOffice: on Debian/Ubuntu `sudo apt-get install libreoffice-calc-nogui`, "
    "on macOS `brew install --cask libreoffice`, on Windows from https://www.libreoffice.org."
)
TIMEOUT = 120  # seconds one file may take
STARTUP = 60  # seconds more for the first file: LibreOffice's start (a fresh profile's is slow)
# csv: the first sheet's values as calculated. The options, by position: comma, double quotes,
# UTF-8, (line to start an import at), (columns' formats on import), language, text cells quoted
# (so text and numbers stay apart: "1.5" is text, 1.5 a number), (import only), not "as shown" (every
# digit LibreOffice keeps, 15), not the formulas, spaces kept.
FILTERS = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "ods": "ods:calc8", "pdf": "pdf:calc_pdf_Export",
           "csv": "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,false,false,false"}


def _item(path, prop, value):
    return (f'<item oor:path="{path}"><prop oor:name="{prop}" oor:op="fuse">'
            f"<value>{value}</value></prop></item>\n")


# Recalculation: 0 = always (1 = never, 2 = ask) for .xlsx and .ods files on load. Links to other
# files, the web (WEBSERVICE) and DDE: 1 = never update. Macros: the highest security level,
# and their execution switched off. The locale: US English whatever the machine's, so a CSV has
# decimal points (under LANG=de_DE it would write 0,05).
_SETTINGS = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
             'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
             + _item("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", 0)
             + _item("/org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", 0)
             + _item("/org.openoffice.Office.Calc/Content/Update", "Link", 1)
             + _item("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", 3)
             + _item("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true")
             + _item("/org.openoffice.Setup/L10N", "ooSetupSystemLocale", "en-US")
             + "</oor:items>\n")
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


def convert(paths, to="xlsx", out_dir=None, names=None, ready=None):
    """Convert workbooks with one LibreOffice start, recalculating each (see the module's words).

    Returns, for each of `paths` in order, the converted file (in `out_dir`, default a temporary
    folder removed when Python exits, named after the original: NAME.xlsx, NAME-2.xlsx for a
    second NAME) or the CourseError saying why not. `to`: "xlsx", "ods", "pdf", or "csv" (the first
    sheet's values, read by csv_values(): for a big sheet far quicker to write and to read back
    than an .xlsx). `names`: what the messages call each file (default: its name). `ready(i,
    result)`, if given, is called with each result as soon as it is known, while LibreOffice goes
    on with the next files: a caller can work on the first results meanwhile.
    """
    soffice = find_soffice()
    paths = [Path(p) for p in paths]
    names = list(names) if names is not None else [p.name for p in paths]
    if soffice is None:
        some = ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")
        raise CourseError(f"LibreOffice is needed to recalculate {some}. {INSTALL_HINT}")
    with _lock:
        work = _private_dir()
        batch = Path(tempfile.mkdtemp(dir=work))
        try:
            return _convert(soffice, work, batch, paths, names, to, out_dir, ready)
        finally:
            shutil.rmtree(batch, ignore_errors=True)


def _convert(soffice, work, batch, paths, names, to, out_dir, ready):
    out = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(dir=work))
    results, copies, targets = [None] * len(paths), {}, {}

    def report(i, result):
        results[i] = result
        if ready is not None:
            ready(i, result)

    def settle(i):  # LibreOffice is done with copies[i]
        made = batch / "out" / f"{copies[i].stem}.{to.split(':')[0]}"
        if made.is_file():
            targets[i].unlink(missing_ok=True)
            shutil.move(made, targets[i])
            report(i, targets[i])
        else:
            report(i, CourseError(f"LibreOffice could not open {names[i]}: it is not a workbook it "
                                  "can read. Save it as .xlsx or .ods."))

    (batch / "in").mkdir()
    for i, path in enumerate(paths):
        target = out / f"{path.stem}.{to}"
        number = 1
        while target in targets.values():
            number += 1
            target = out / f"{path.stem}-{number}.{to}"
        targets[i] = target
        if not path.is_file():
            report(i, CourseError(f"No workbook at {path}: check the file name."))
        elif path.stat().st_size == 0:  # LibreOffice would quietly turn it into a new, blank workbook
            report(i, CourseError(f"{names[i]} is empty, not a workbook: write it again."))
        elif target.resolve() == path.resolve():
            report(i, CourseError(f"Give an out_dir other than {out}: the result would replace "
                                  f"{path.name} itself."))
        else:
            # A copy under a plain name: LibreOffice reads no name as an option, two NAMEs in two
            # folders do not collide, and a file open (and locked) in someone's spreadsheet works.
            copies[i] = batch / "in" / f"{i:05d}{path.suffix.lower()}"
            try:
                shutil.copyfile(path, copies[i])
            except PermissionError:
                del copies[i]
                report(i, CourseError(f"Cannot read {names[i]}: another program has it open. "
                                      "Close it first."))
    out.mkdir(parents=True, exist_ok=True)
    pending = list(copies)
    while pending:
        settled = [0]

        def written(count, run=pending, settled=settled):  # the run's first `count` files are done
            for i in run[settled[0]:count]:
                settle(i)
            settled[0] = max(settled[0], count)

        answered, said, stopped = _run(soffice, work, [copies[i] for i in pending], batch / "out", to,
                                       written)
        written(answered)
        if answered < len(pending):  # it hung on (stopped), or died at, the next file
            i = pending[answered]
            if stopped:
                report(i, CourseError(f"LibreOffice took more than {TIMEOUT:g} s over {names[i]} and "
                                      "was stopped: the workbook may be too heavy to calculate (or, on "
                                      "a first start, try again)."))
            else:
                report(i, CourseError(f"LibreOffice stopped while reading {names[i]}; it said: "
                                      f"{said or 'nothing'}"))
            pending = pending[answered + 1:]
        else:
            pending = []
    return results


def _run(soffice, work, files, out, to, written=None):
    """One soffice over `files`: (how many it answered, its last words, whether it was stopped).

    It says one line per file, in order: "convert FILE -> ..." once it has loaded (and
    recalculated) it, before writing it, or "Error: ..." on stderr when it cannot load it. A
    file that gets no answer within TIMEOUT seconds of the one before (STARTUP more for the
    first) is the one it hangs on: the whole process group is killed (the launcher and the
    real soffice.bin). Once it speaks of a file, the one before is written: written(n) is told
    each time the first n files are.
    """
    command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
               "--norestore", "--convert-to", FILTERS.get(to, to), "--outdir", str(out),
               *map(str, files)]
    names = {f"{file} ": index for index, file in enumerate(files)}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=(os.name == "posix"))
    answered, words, last = [0], [], [time.monotonic() + STARTUP]

    def listen():
        for line in proc.stdout:
            if line.startswith("convert "):
                named = [i for name, i in names.items() if line.startswith(f"convert {name}")]
                answered[0] = max(answered[0] + (not named), *(i + 1 for i in named))
            elif line.startswith("Error"):
                answered[0] += 1
            elif "javaldx" in line:  # said on every run when Java is absent (Calc does not need it)
                continue
            words.append(line.strip())
            last[0] = time.monotonic()

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    stopped, done = False, 0
    try:
        while proc.poll() is None:
            if written is not None and answered[0] - 1 > done:
                done = answered[0] - 1
                written(done)
            # after its line, a file is still being written: once all have answered, give it time
            allowed = TIMEOUT if answered[0] < len(files) else TIMEOUT + STARTUP
            if time.monotonic() - last[0] > allowed:
                stopped = answered[0] < len(files)
                break
            time.sleep(0.05)
    finally:  # stopped, or interrupted (Ctrl-C, or a caller's `written` failing): no LibreOffice left
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL) if os.name == "posix" else proc.kill()
    proc.wait()
    listener.join(timeout=5)
    return min(answered[0], len(files)), " ".join(words[-2:]), stopped


# A field of a line of LibreOffice's CSV that has quotes in it: text in quotes (a quote doubled
# inside), or anything else bare; then a comma or the line's end. Python's csv module cannot say
# whether a field was quoted, which is what tells the text "1.5" from the number 1.5.
_FIELD = re.compile(r'(?:"((?:[^"]|"")*)"|([^",]*))(,|$)', re.DOTALL)


def csv_values(path, rows=None, columns=None):
    """{"A1": value, ...} of a CSV that convert(..., "csv") wrote, within its first `rows` rows and
    `columns` columns, as openpyxl reads an .xlsx LibreOffice wrote: text as str (an error too,
    "#DIV/0!"), numbers as int or float, TRUE and FALSE as bool; empty cells left out."""
    from openpyxl.utils import get_column_letter

    lines = Path(path).read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    values, number, row = {}, 0, 0
    while number < len(lines) and (rows is None or row < rows):
        line = lines[number]
        while line.count('"') % 2 and number + 1 < len(lines):  # a text with a line end in it
            number += 1
            line += "\n" + lines[number]
        number += 1
        if '"' in line:
            fields = _fields(line, path)
        else:  # numbers only: most lines, read the quick way
            fields = [field and _bare(field) for field in line.split(",", columns or -1)[:columns]]
        for column, value in enumerate(fields[:columns]):
            if value is not None and value != "":
                values[f"{get_column_letter(column + 1)}{row + 1}"] = value
        row += 1
    return values


def _fields(line, path):
    fields, at = [], 0
    while True:
        field = _FIELD.match(line, at)
        if field is None or (field.end() == at and at < len(line)):
            raise CourseError(f"LibreOffice's values for {Path(path).name} do not read back (at "
                              f"{line[at:at + 20]!r}): try again, or report it.")
        quoted, bare, end = field.groups()
        fields.append(_quoted(quoted) if quoted is not None else _bare(bare))
        if not end:
            return fields
        at = field.end()


def _quoted(text):
    """A quoted field: text, or an error; LibreOffice's own codes (Err:502, a wrong argument)
    named as its .xlsx files name them, #VALUE!, except a circular reference (Err:522, or Err:523
    when it does not settle), kept as Err:522, as LibreOffice shows it: #VALUE! would send a
    learner looking for text. An empty text (a formula's "") is shown as empty, as in a spreadsheet."""
    if text in ("Err:522", "Err:523"):
        return "Err:522"
    if text.startswith("Err:"):
        return "#VALUE!"
    return text.replace('""', '"') or None


def _bare(text):
    """An unquoted field: a number (LibreOffice formats some results it infers as percentages),
    TRUE or FALSE, anything else (a date or time) as text, nothing as None."""
    if not text:
        return None
    if text in ("TRUE", "FALSE"):
        return text == "TRUE"
    try:
        if text.endswith("%"):
            return float(text[:-1]) / 100
        return float(text) if "." in text or "e" in text.lower() else int(text)
    except ValueError:
        return text


def recalculate(path, out_dir=None):
    """Recalculate a copy of the workbook `path` in LibreOffice and return the copy's path (.xlsx).

    Without `out_dir` the copy goes to a temporary folder removed when Python exits.
    """
    path = Path(path)
    if not path.is_file():
        raise CourseError(f"No workbook at {path}: check the file name.")
    (result,) = convert([path], "xlsx", out_dir)
    if isinstance(result, CourseError):
        raise result
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
