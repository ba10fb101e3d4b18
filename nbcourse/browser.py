"""The course in a real browser: JupyterLab or Voila on localhost, driven in headless Chromium.

Test and benchmark tooling, not part of the lessons: tests/test_browser.py and
benchmarks/sliders.py use it, with the test extras installed (`pip install -e '.[test]'`
brings Playwright; Chromium is the system's). Playwright is imported only when a browser
starts, so importing this module costs nothing.

Everything runs on 127.0.0.1 with token authentication on; each server keeps its settings,
workspaces, runtime files (kernel connection files) and its kernels' IPython folder in a folder
of its own, and takes its port from a range of its own for each pytest-xdist worker, so that two
workers run side by side. The notebooks are run from a copy of the course, so JupyterLab's
autosave never touches the committed notebooks.

    with TemporaryDirectory() as tmp, chromium_browser() as browser:
        course = copy_course(ROOT, Path(tmp) / "course")
        with JupyterLab(course, Path(tmp) / "lab") as lab:
            page = browser.new_page(viewport=VIEWPORT)
            open_notebook(page, lab, "notebooks/02-single-neuron-gradients.ipynb")
            with KernelProbe(lab.connection_file("notebooks/02-...")) as probe:
                run_all(page, probe)
                root = widget_outputs(page).first
                view, tree, _ = settled(root, probe)   # the page shows what the kernel holds
                press(page, root, 0, "ArrowRight")
                view, tree, _ = follow(page, root, probe, view, 0)  # ... and again after a move
"""

import contextlib
import io
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIEWPORT = {"width": 1280, "height": 1024}  # screenshots: an explorer and its plot fit
CHROMIUM_INSTALL_HINT = "Install Chromium: on Debian/Ubuntu `sudo apt-get install chromium`."
CHROMIUM_ARGS = [
    "--no-sandbox",  # containers and CI runners as root have no user namespaces
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # nothing waits on the network
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SERVER_START = 90  # seconds a server may take to answer (a few, but CI machines can be slow)
KERNEL_READY = 120  # seconds for a kernel to start and connect
RUN_ALL = 600  # seconds for a notebook to run all its cells (lesson 04 trains for a while)
OUTPUT_WAIT = 20  # seconds for the outputs to follow a slider

# JupyterLab settings for a quiet, repeatable session: no autosave (we work on copies anyway),
# no news or update pop-ups (they would also cover the screenshots), every cell kept in the page.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def find_chromium():
    """The path of Chromium, or None: Debian's /usr/bin/chromium or a chromium on PATH."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def lessons(root=ROOT):
    """The lesson notebooks, in order: notebooks/*.ipynb."""
    return sorted((Path(root) / "notebooks").glob("*.ipynb"))


def worker():
    """This pytest-xdist worker's number (gw0 -> 0, gw1 -> 1), or 0 outside xdist."""
    return int(re.sub(r"\D", "", os.environ.get("PYTEST_XDIST_WORKER", "")) or 0)


PORTS = 2000  # ports for each worker: worker n picks from 20000 + n * PORTS on, below the ephemeral range


def free_port():
    """A free port on 127.0.0.1 from this worker's own range: two workers never pick the same one."""
    first = 20000 + worker() * PORTS
    for port in random.sample(range(first, first + PORTS), 50):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {first} and {first + PORTS} on 127.0.0.1")


def copy_course(root, destination):
    """notebooks/ and spreadsheets/ side by side in `destination` (the notebooks say ../spreadsheets)."""
    destination = Path(destination)
    for folder in ("notebooks", "spreadsheets"):
        if (Path(root) / folder).is_dir():
            shutil.copytree(Path(root) / folder, destination / folder,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "~$*", ".~lock*"))
    return destination


class Server:
    """A Jupyter server (JupyterLab or Voila) in its own process group; its log in a file.

    `command(port, token)` is its command line; `ready()` says when it answers. A free port is
    picked and passed on; should another program take it first, the server starts again.
    """

    def __init__(self, command, ready, what, workdir, cwd, attempts=3):
        self.workdir = Path(workdir)
        self.runtime = self.workdir / "runtime"  # connection files of the kernels it starts
        self.runtime.mkdir(parents=True, exist_ok=True)
        self.log = self.workdir / "server.log"
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(self.runtime),
                   JUPYTER_CONFIG_DIR=str(self.workdir / "config"),  # no ~/.jupyter settings
                   IPYTHONDIR=str(self.workdir / "ipython"),  # the kernels' history: not ~/.ipython
                   PYTHONUNBUFFERED="1")
        env.pop("JUPYTER_TOKEN", None)
        for attempt in range(attempts):
            self.port, self.token = free_port(), secrets.token_hex(24)
            self.url = f"http://127.0.0.1:{self.port}/"
            with open(self.log, "w") as log:
                self.process = subprocess.Popen(command(self.port, self.token), cwd=cwd, env=env, stdout=log,
                                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                                start_new_session=(os.name == "posix"))
            try:
                self.wait_until(ready, what)
                return
            except BaseException as problem:
                self.stop()
                retry = isinstance(problem, RuntimeError) and "already in use" in self.tail()
                if not retry or attempt + 1 == attempts:
                    raise

    def wait_until(self, ready, what):
        deadline = time.monotonic() + SERVER_START
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{what} stopped (exit code {self.process.returncode}):\n{self.tail()}")
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{what} did not answer within {SERVER_START} s:\n{self.tail()}")

    def tail(self, lines=40):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def api(self, path, method="GET", timeout=30):
        request = urllib.request.Request(self.url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            return json.loads(body) if body else None

    def stop(self):
        """Ask politely (the server shuts its kernels down), then insist."""
        if self.process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                pass
        self._signal(signal.SIGKILL)  # anything left in the group: kernels, their children
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)

    def _signal(self, number):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if os.name == "posix":
                os.killpg(self.process.pid, number)
            elif number == signal.SIGTERM:
                self.process.terminate()
            else:
                self.process.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _root_flag():
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


class JupyterLab(Server):
    """`jupyter lab` serving `root` on a free localhost port, token on, settings in `workdir`."""

    def __init__(self, root, workdir):
        workdir = Path(workdir)
        settings = workdir / "user-settings"
        for name, values in LAB_SETTINGS.items():
            path = settings / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))

        def command(port, token):
            return [
                sys.executable, "-m", "jupyterlab", "--no-browser",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
                f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
                "--LabApp.extension_manager=readonly",  # no PyPI look-ups
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                *_root_flag(),
            ]

        super().__init__(command, self._answers, "JupyterLab", workdir, cwd=root)

    def _answers(self):
        try:
            return "started" in self.api("api/status", timeout=2)
        except (OSError, ValueError):
            return False

    def notebook_url(self, path, workspace):
        """A fresh workspace per page (?reset), so tabs from another lesson never come back."""
        return f"{self.url}lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"

    def kernel(self, path):
        """The server's record of the kernel running the notebook at `path` (relative to root)."""
        for session in self.api("api/sessions"):
            if session.get("path") == str(path) and session.get("kernel"):
                return session["kernel"]
        return None

    def kernel_connected(self, path):
        kernel = self.kernel(path)
        return bool(kernel) and kernel.get("connections", 0) > 0 and kernel.get("execution_state") == "idle"

    def shut_down(self, path):
        """Close the notebook's session and its kernel (a finished lesson's kernel would use memory)."""
        for session in self.api("api/sessions"):
            if session.get("path") == str(path):
                self.api(f"api/sessions/{session['id']}", method="DELETE")

    def connection_file(self, path):
        """The connection file of the kernel running the notebook at `path` (relative to root)."""
        kernel = self.kernel(path)
        found = kernel and self.runtime / f"kernel-{kernel['id']}.json"
        return found if found and found.is_file() else None


class Voila(Server):
    """`voila ROOT` on a free localhost port, with a token (Voila's default is none): each
    notebook under `root` is an app at app_url(path). One server for many apps: a start costs
    seconds. Open one app at a time: connection_file() finds the kernel started last."""

    def __init__(self, root, workdir):
        def command(port, token):
            return [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
                    "--Voila.port_retries=0", f"--Voila.token={token}",
                    f"--Voila.connection_dir_root={self.runtime}",  # not /tmp
                    "--show_tracebacks=True",  # a failing cell shows its error, not just "there was an error"
                    str(root)]

        super().__init__(command, self._listens, "Voila", workdir, cwd=root)

    def _listens(self):
        """Voila says so once it listens on its port (no API to ask without running a notebook)."""
        return "is running at" in self.log.read_text(errors="replace")

    def app_url(self, path):
        """The app of the notebook at `path` (relative to root): its cells run as the page opens."""
        return f"{self.url}voila/render/{path}?token={self.token}"

    def connection_file(self):
        """The connection file of the latest kernel Voila started (in a folder of its own)."""
        kernels = re.findall(r"Kernel started: ([0-9a-f-]+)", self.log.read_text(errors="replace"))
        found = kernels and sorted(self.runtime.glob(f"voila_*/kernel-{kernels[-1]}.json"))
        return found[0] if found else None


@contextlib.contextmanager
def chromium_browser(executable=None):
    """Headless Chromium (Playwright launches it with a fresh, temporary user-data-dir)."""
    from playwright.sync_api import sync_playwright

    executable = executable or find_chromium()
    if executable is None:
        raise RuntimeError(f"Chromium not found. {CHROMIUM_INSTALL_HINT}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# ---- JupyterLab pages -------------------------------------------------------------------------

def open_notebook(page, lab, path, workspace=None):
    """Open the notebook and wait until its kernel is idle."""
    workspace = workspace or re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower())
    page.goto(lab.notebook_url(path, workspace))
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=KERNEL_READY * 1000)
    # The page calls a kernel it has not started yet "idle": ask the server whether the page is
    # connected to a kernel that is idle, then wait for the page to see it idle too.
    deadline = time.monotonic() + KERNEL_READY
    while not lab.kernel_connected(path):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no kernel connected to {path} within {KERNEL_READY} s:\n{lab.tail()}")
        time.sleep(0.2)
    wait_for_kernel_idle(page)


def wait_for_kernel_idle(page, timeout=KERNEL_READY):
    page.wait_for_selector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]',
                           timeout=timeout * 1000)


def run_all(page, probe):
    """Run > Run All Cells, as a learner would; wait until the kernel has run every code cell.

    The committed notebooks show their stored execution counts before anything runs, so the
    prompts alone cannot tell: the kernel (fresh, counting from 1) is asked how many it ran.
    """
    cells = page.evaluate("""() => [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell')]
        .filter(c => (c.querySelector('.jp-InputArea-editor')?.textContent ?? '').trim()).length""")
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    deadline = time.monotonic() + RUN_ALL
    while (ran := probe.execution_count(timeout=RUN_ALL) - 1) < cells:  # answered between cells
        if page_errors(page):  # JupyterLab stops at a failing cell: the test reports the error
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"the kernel ran {ran} of {cells} cells in {RUN_ALL} s")
        time.sleep(0.25)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')]
                .every(p => !p.textContent.includes('*'))""", timeout=KERNEL_READY * 1000)
    wait_for_kernel_idle(page)


def save_screenshot(page, path):
    """The page as a PNG with at most 256 colours: half the bytes, the same look for UI and plots."""
    from PIL import Image

    picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    picture = picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    picture.save(path, optimize=True)
    return path


def show_first_widget(page):
    """Scroll the first cell with sliders to the top of the view, its pictures loaded (for screenshots).

    In JupyterLab, the file browser is folded away first, so the notebook has the whole width.
    """
    sidebar = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if sidebar.count():
        sidebar.first.click()
        page.wait_for_selector("#jp-left-stack", state="hidden")
    first = page.locator(WIDGET_OUTPUT).first
    first.evaluate("e => (e.closest('.jp-Cell') || e).scrollIntoView({block: 'start'})")
    page.wait_for_function("""() => [...document.querySelectorAll('img')].every(i => i.complete)""")


# ---- Voila pages ------------------------------------------------------------------------------

def open_app(page, voila, path):
    """Open the app of the notebook at `path` and wait until every cell has run and the widgets
    show what the kernel holds."""
    page.goto(voila.app_url(path), timeout=RUN_ALL * 1000)  # the page streams in as the cells run
    page.wait_for_selector("#rendered_cells", state="visible", timeout=RUN_ALL * 1000)
    page.wait_for_selector("#loading", state="detached", timeout=RUN_ALL * 1000)
    if page.locator(".widget-slider, .jupyter-widgets").count() == 0:
        page.wait_for_selector(".jupyter-widgets", timeout=OUTPUT_WAIT * 1000)


# ---- what the page shows ----------------------------------------------------------------------

ERROR_SCRIPT = """() => {
    const problems = [];
    for (const el of document.querySelectorAll(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) {
        if (/Traceback|Error/.test(el.textContent)) problems.push(el.textContent.trim().slice(0, 2000));
    }
    for (const el of document.querySelectorAll('.jp-OutputArea-output')) {
        const text = el.textContent;
        if (text.includes('Error displaying widget')) problems.push(text.trim().slice(0, 500));
        if (text.includes('There was an error when executing cell')) problems.push(text.trim());
    }
    return [...new Set(problems)];
}"""


def page_errors(page):
    """Error outputs and broken widgets on the page, as text (empty when all is well)."""
    return page.evaluate(ERROR_SCRIPT)


# Everything the widgets of one output show, in page order: the sliders' descriptions and
# readouts, the text of each HTML/Label widget, a SHA-256 of each picture (an <img>'s bytes; an
# inline <svg>'s shapes: each element's name and GEOMETRY attributes), and how many outputs each
# Output widget holds. The same is asked of the kernel (KERNEL_SNAPSHOT) to compare.
GEOMETRY = ["d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "points", "width", "height",
            "transform", "href", "xlink:href"]
SNAPSHOT_SCRIPT = """async (root) => {
    const GEOMETRY = GEOMETRY_LIST;
    const sha256 = async bytes => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
        .map(b => b.toString(16).padStart(2, '0')).join('');
    const squash = s => s.replace(/\\s+/g, ' ').trim();
    const sliders = [...root.querySelectorAll('.widget-slider')].map(s => [
        squash(s.querySelector('.widget-label')?.textContent ?? ''),
        squash(s.querySelector('.widget-readout')?.textContent ?? '')]);
    const texts = [...root.querySelectorAll('.widget-html-content, .jupyter-widgets.widget-label')]
        .map(e => squash(e.textContent));
    const images = [];
    for (const img of root.querySelectorAll('img')) {
        try {
            images.push(await sha256(await (await fetch(img.src)).arrayBuffer()));
        } catch (e) { images.push('unreadable ' + img.src.slice(0, 40)); }
    }
    for (const svg of root.querySelectorAll('.widget-html-content svg')) {
        const shapes = [...svg.querySelectorAll('*')].map(e => [e.localName.toLowerCase(),
            ...GEOMETRY.filter(a => e.hasAttribute(a)).map(a => a + '=' + e.getAttribute(a))].join(' '));
        images.push(await sha256(new TextEncoder().encode(shapes.join('\\n'))));
    }
    const outputs = [...root.querySelectorAll('.widget-output')].map(
        o => o.querySelectorAll('.jp-OutputArea-child').length);
    return {sliders, texts, images, outputs};
}""".replace("GEOMETRY_LIST", json.dumps(GEOMETRY))

WIDGET_OUTPUT = ".jp-OutputArea-output:has(.widget-slider)"  # an output showing sliders


def widget_outputs(page):
    return page.locator(WIDGET_OUTPUT)


def snapshot(root):
    """What one widget output shows (root: a Locator of a WIDGET_OUTPUT)."""
    return root.evaluate(SNAPSHOT_SCRIPT)


def overlays(root):
    """For each grid of pictures in the output (an explorer's axes PNG with its SVG drawn over
    it): the page boxes (x, y, width, height) of the picture and of the last SVG over it."""
    return root.evaluate("""r => [...r.querySelectorAll('.widget-gridbox')].map(grid => {
        const box = e => { const b = e.getBoundingClientRect(); return [b.x, b.y, b.width, b.height]; };
        const svgs = grid.querySelectorAll('svg'), img = grid.querySelector('img');
        return img && svgs.length ? [box(img), box(svgs[svgs.length - 1])] : null;
    }).filter(Boolean)""")


# ---- what the kernel holds --------------------------------------------------------------------

# Defined silently in the kernel, then called through user_expressions: no output, no execution
# count, nothing a learner would see. For every widget tree holding a slider: the same fields as
# SNAPSHOT_SCRIPT, from the widgets' own values; and the settings of every course explorer.
KERNEL_SNAPSHOT = r'''
def _nbcourse_browser_snapshot():
    import hashlib, html.parser, json, re
    import ipywidgets
    from ipywidgets.widgets import widget as _w

    instances = list(getattr(_w, "_instances", {}).values())

    class Text(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts = []

        def handle_data(self, data):
            self.parts.append(data)

    def text(markup):
        parser = Text()
        parser.feed(markup)
        parser.close()
        return re.sub(r"\s+", " ", "".join(parser.parts)).strip()

    class Shapes(html.parser.HTMLParser):  # each inline <svg>: its elements and their geometry
        def __init__(self):
            super().__init__()
            self.drawings, self.depth = [], 0

        def handle_starttag(self, tag, attrs):
            if self.depth:
                found = dict(attrs)
                self.drawings[-1].append(" ".join([tag, *(f"{a}={found[a]}" for a in GEOMETRY
                                                           if a in found)]))
            if tag == "svg":
                if not self.depth:
                    self.drawings.append([])
                self.depth += 1

        def handle_endtag(self, tag):
            if tag == "svg" and self.depth:
                self.depth -= 1

    GEOMETRY = GEOMETRY_LIST

    def drawings(markup):
        parser = Shapes()
        parser.feed(markup)
        parser.close()
        return [hashlib.sha256("\n".join(shapes).encode()).hexdigest() for shapes in parser.drawings]

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()) or ():
            yield from walk(child)

    def has_slider(widget):
        return any(isinstance(w, (ipywidgets.FloatSlider, ipywidgets.IntSlider, ipywidgets.FloatLogSlider,
                                  ipywidgets.SelectionSlider)) for w in walk(widget))

    children = {id(c) for w in instances for c in (getattr(w, "children", ()) or ())}
    trees = []
    for root in instances:
        if id(root) in children or not isinstance(root, ipywidgets.DOMWidget) or not has_slider(root):
            continue
        tree = {"sliders": [], "texts": [], "images": [], "outputs": [], "model_id": root.model_id}
        shapes = []  # the page lists <img>s first, then inline <svg>s
        for w in walk(root):
            if isinstance(w, (ipywidgets.FloatSlider, ipywidgets.IntSlider, ipywidgets.FloatLogSlider)):
                tree["sliders"].append([w.description, w.value, w.readout_format])
                tree.setdefault("ranges", []).append([w.min, w.max, w.step, getattr(w, "base", None)])
            elif isinstance(w, ipywidgets.SelectionSlider):
                tree["sliders"].append([w.description, w.label, None])
                tree.setdefault("ranges", []).append([0, len(w.options) - 1, 1, None])
            elif isinstance(w, (ipywidgets.HTML, ipywidgets.HTMLMath)):
                tree["texts"].append(text(w.value))
                shapes += drawings(w.value)
            elif isinstance(w, ipywidgets.Label):
                tree["texts"].append(re.sub(r"\s+", " ", w.value).strip())
            elif isinstance(w, ipywidgets.Image):
                tree["images"].append(hashlib.sha256(w.value).hexdigest())
            elif isinstance(w, ipywidgets.Output):
                tree["outputs"].append(len(w.outputs))
        tree["images"] += shapes
        trees.append(tree)

    explorers = []
    try:
        from nbcourse.widgets import Explorer
    except ImportError:
        Explorer = None
    import gc, weakref
    if Explorer is not None:
        for e in gc.get_objects():
            # a dead weakref proxy (tqdm's finished bar keeps one) raises on isinstance()
            if type(e) not in weakref.ProxyTypes and isinstance(e, Explorer):
                explorers.append({"class": f"{type(e).__module__}.{type(e).__qualname__}",
                                  "model_id": e.widget.model_id, "values": e.values(),
                                  "shown": e.shown_values, "view": e.view.value,
                                  "image": hashlib.sha256(e.image.value).hexdigest(),
                                  "drawing": e.drawing})
    return json.dumps({"trees": trees, "explorers": explorers})
'''.replace("GEOMETRY_LIST", repr(GEOMETRY))


class KernelProbe:
    """A second, silent client of a page's kernel, asking what its widgets hold."""

    def __init__(self, connection_file):
        from jupyter_client import BlockingKernelClient

        self.client = BlockingKernelClient(connection_file=str(connection_file))
        self.client.load_connection_file()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=30)
        self._ask("None", code=KERNEL_SNAPSHOT)

    def _ask(self, expression, code="", timeout=30):
        """Evaluate an expression in the kernel silently (it waits its turn behind running cells)."""
        for _ in range(20):
            reply = self.client.execute(code, silent=True, store_history=False,
                                        user_expressions={"answer": expression}, reply=True, timeout=timeout)
            content = reply["content"]
            if content["status"] != "aborted":  # a failing cell makes the kernel drop what is queued
                break
            time.sleep(0.1)
        if content["status"] != "ok":
            raise RuntimeError(f"the kernel could not answer: {content.get('evalue', content)}")
        answer = content["user_expressions"]["answer"]
        if answer["status"] != "ok":
            raise RuntimeError(f"the kernel could not answer: {answer.get('evalue', answer)}")
        return answer["data"]["text/plain"]

    def execution_count(self, timeout=30):
        """The number the kernel will give the next cell it runs (1 in a fresh kernel)."""
        return int(self._ask("get_ipython().execution_count", timeout=timeout))

    def snapshot(self):
        import ast

        return json.loads(ast.literal_eval(self._ask("_nbcourse_browser_snapshot()")))

    def close(self):
        self.client.stop_channels()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def shown_value(readout, value, readout_format):
    """Whether a slider's readout text is what the kernel's value looks like."""
    if readout_format is None:
        return readout == str(value)
    try:
        shown = float(readout.replace("\u2212", "-"))
    except ValueError:
        return False
    digits = re.search(r"\.(\d+)", readout)
    decimals = len(digits.group(1)) if digits else 0
    mantissa = re.search(r"e([-+]?\d+)", readout)
    scale = 10.0 ** int(mantissa.group(1)) if mantissa else 1.0
    return math.isclose(shown, value, abs_tol=0.5 * 10.0**-decimals * scale * (1 + 1e-9))


def matches(page_view, tree):
    """Whether a page snapshot shows exactly what a kernel widget tree holds."""
    if [d for d, _ in page_view["sliders"]] != [d for d, _, _ in tree["sliders"]]:
        return False
    if not all(shown_value(r, v, f) for (_, r), (_, v, f) in zip(page_view["sliders"], tree["sliders"])):
        return False
    return (page_view["texts"] == tree["texts"] and page_view["images"] == tree["images"]
            and page_view["outputs"] == tree["outputs"])


def settled(root, probe, timeout=OUTPUT_WAIT):
    """Wait until the page shows what the kernel's widgets hold; return (page view, tree, kernel view)."""
    deadline = time.monotonic() + timeout
    while True:
        view, kernel_view = snapshot(root), probe.snapshot()
        tree = find_tree(view, kernel_view)
        if tree is not None:
            return view, tree, kernel_view
        if time.monotonic() > deadline:
            raise AssertionError(f"the page does not show what the kernel's widgets hold.\npage: "
                                 f"{_short(view)}\nkernel: {[_short(t) for t in kernel_view['trees']]}")
        time.sleep(0.1)


def find_tree(page_view, kernel_view):
    """The kernel's widget tree that the page shows, or None (also while its explorer is still
    updating: JupyterLab's comm subshell runs slider updates in a thread of their own, so the
    probe may look in the middle of one)."""
    busy = {e["model_id"] for e in kernel_view["explorers"] if e["shown"] != e["values"]}
    return next((tree for tree in kernel_view["trees"]
                 if tree["model_id"] not in busy and matches(page_view, tree)), None)


# ---- moving sliders ---------------------------------------------------------------------------

def slider(root, index):
    return root.locator(".widget-slider").nth(index)


def press(page, root, index, key):
    """Focus the slider's handle (as Tab would) and press a key: ArrowRight, PageUp, ..."""
    handle = slider(root, index).locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press(key)


def drag(page, root, index, fraction, steps=8):
    """Drag the slider's handle with the mouse to `fraction` (0: left end, 1: right end) of its track."""
    track = slider(root, index).locator(".noUi-base")
    handle = slider(root, index).locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    box, grip = track.bounding_box(), handle.bounding_box()
    x, y = grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(box["x"] + fraction * box["width"], y, steps=steps)
    page.mouse.up()


def follow(page, root, probe, before, index, picture=True, timeout=OUTPUT_WAIT):
    """Wait until slider `index` shows a new value and the outputs show what the kernel computed for it.

    `before` is the page snapshot taken before the slider moved. Returns (page snapshot, kernel
    tree, kernel snapshot) once the slider's readout and some text have changed, and the picture
    too if `picture` (a step of 0.01 may not move anything by a whole pixel), and every slider, text
    and picture on the page is what the kernel's widgets hold.
    """
    deadline = time.monotonic() + timeout
    view, kernel_view = None, None
    while time.monotonic() < deadline:
        view = snapshot(root)
        if (view["sliders"][index] != before["sliders"][index] and view["texts"] != before["texts"]
                and (view["images"] != before["images"] or not picture)):
            kernel_view = probe.snapshot()
            tree = find_tree(view, kernel_view)
            if tree is not None:
                return view, tree, kernel_view
        time.sleep(0.05)
    raise AssertionError(
        f"after moving slider {before['sliders'][index][0]!r}, the page did not settle on what the "
        f"kernel holds within {timeout} s.\npage before: {_short(before)}\npage now: {_short(view)}\n"
        f"kernel: {[_short(t) for t in (kernel_view or {}).get('trees', [])]}")


def _short(view):
    if not view:
        return view
    return {k: [x[:120] if isinstance(x, str) else x for x in v] for k, v in view.items()
            if k in ("sliders", "texts", "images", "outputs")}
