"""Each lesson as a learner meets it: in JupyterLab (and as a Voila app), in a real Chromium.

For every notebooks/*.ipynb: open it, wait for the kernel, Run > Run All Cells, then check that
no cell shows an error and that the widgets render; then move each slider once, by turns with the
keyboard (ArrowRight or ArrowLeft, PageUp or PageDown) and by dragging its handle with the mouse,
and each time wait until the page shows the new value and what the kernel computed for it: every
slider, text and picture on the page equal to the kernel's widgets (asked through a second, silent
kernel client), the numbers and pictures equal to those of a new explorer set to the same values
here, in the test.

The notebooks run from a copy of the course in a temporary folder, so nothing is saved over the
committed ones. Screenshots go to pytest's tmp_path; with NBCOURSE_SCREENSHOTS=1 they replace the
README's, docs/screenshots/lesson-NN-jupyterlab.png and lesson-NN-voila.png.
"""

import hashlib
import importlib
import math
import os
from pathlib import Path

import pytest

from nbcourse import browser
from tests.conftest import needed

pytestmark = pytest.mark.browser

SCREENSHOTS = browser.ROOT / "docs" / "screenshots"
LESSONS = browser.lessons()


def number(path):
    """The lesson's number as its file name starts: 01, ..., 04, 04b."""
    return path.name.split("-")[0]


@pytest.fixture(scope="session")
def chromium():
    """The path of Chromium (skipped where absent, failed in CI: see conftest.needed)."""
    return needed(browser.find_chromium(), "Chromium not found, so the lessons cannot be tried in "
                  f"a browser. {browser.CHROMIUM_INSTALL_HINT}", "browser tests")


@pytest.fixture(scope="session")
def chrome(chromium):
    with browser.chromium_browser(chromium) as launched:
        yield launched


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A copy of notebooks/ and spreadsheets/: running the lessons must not change the committed ones."""
    return browser.copy_course(browser.ROOT, tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def lab(chromium, course, tmp_path_factory):
    with browser.JupyterLab(course, tmp_path_factory.mktemp("jupyterlab")) as server:
        yield server


@pytest.fixture(scope="session")
def voila(chromium, course, tmp_path_factory):
    """One Voila for the lessons' apps, opened one after another."""
    with browser.Voila(course, tmp_path_factory.mktemp("voila")) as server:
        yield server


@pytest.fixture
def page(chrome):
    context = chrome.new_context(viewport=browser.VIEWPORT)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def screenshots(tmp_path):
    if os.environ.get("NBCOURSE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path


def assert_no_errors(page, where):
    problems = browser.page_errors(page)
    assert not problems, f"{where} shows errors:\n\n" + "\n\n".join(problems)


def replica_check(tree, kernel_view, explorers):
    """The course explorer behind `tree`, rebuilt here with the kernel's slider values, shows the same."""
    for found in kernel_view["explorers"]:
        if found["model_id"] != tree["model_id"]:
            continue
        if found["class"] not in explorers:
            module, name = found["class"].rsplit(".", 1)
            explorers[found["class"]] = getattr(importlib.import_module(module), name)()
        replica = explorers[found["class"]]
        for name, value in found["values"].items():
            replica.sliders[name].value = value
        assert replica.view.value == found["view"], "the numbers or plot are not the ones for these values"
        assert replica.drawing == found["drawing"], "the plot is not the one for these values"
        assert hashlib.sha256(replica.image.value).hexdigest() == found["image"], "the axes differ"


def position(value, low, high, base):
    """Where a value sits on its slider's track, 0 to 1."""
    if base:
        value = math.log(value, base)
    return (value - low) / (high - low)


MOVES = ("key", "drag", "page")  # by turns: each explorer of three sliders or more sees all three


def explorers_in(notebook):
    """How many code cells of the notebook make an explorer (each shows sliders once run)."""
    import nbformat

    cells = nbformat.read(notebook, as_version=4).cells
    return sum(1 for cell in cells if cell.cell_type == "code" and "Explorer(" in cell.source)


def exercise_sliders(page, probe, where, expected):
    """Move every slider of every widget output once; each time the outputs must follow."""
    roots = browser.widget_outputs(page)
    assert roots.count() >= expected, (f"{where} shows {roots.count()} outputs with sliders, not "
                                       f"{expected} (or its widgets did not render)")
    explorers = {}
    moved = 0
    for r in range(roots.count()):
        root = roots.nth(r)
        view, tree, kernel_view = browser.settled(root, probe)
        for index, (description, value, _) in enumerate(tree["sliders"]):
            low, high, step, base = tree["ranges"][index]
            move = MOVES[index % len(MOVES)]
            at = position(value, low, high, base)
            if move == "drag":
                target = 0.2 if at > 0.5 else 0.8
                browser.drag(page, root, index, target)
            else:
                up = at < 0.5
                key = {"key": ("ArrowRight", "ArrowLeft"), "page": ("PageUp", "PageDown")}[move]
                browser.press(page, root, index, key[0] if up else key[1])
            try:
                view, tree, kernel_view = browser.follow(page, root, probe, view, index,
                                                         picture=(move == "drag"))
            except AssertionError as problem:
                raise AssertionError(f"{where}, slider {description!r}, {move}: {problem}") from None
            new = tree["sliders"][index][1]
            if move == "drag":
                reached = position(new, low, high, base)
                assert abs(reached - target) < 0.05 + step / (high - low), (
                    f"{where}: dragging {description!r} to {target:.0%} of its track gave {new}")
            else:
                assert (new > value) == up and new != value, (
                    f"{where}: {key} on {description!r} moved it from {value} to {new}")
            replica_check(tree, kernel_view, explorers)
            moved += 1
        for picture, drawing in browser.overlays(root):  # the moving artists sit on their axes
            assert all(abs(p - d) < 0.5 for p, d in zip(picture, drawing)), (
                f"{where}: the drawing {drawing} is not over the axes {picture}")
    assert_no_errors(page, where)
    return moved


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda p: p.stem)
def test_lesson_in_jupyterlab(notebook, lab, page, screenshots):
    path = f"notebooks/{notebook.name}"
    try:
        browser.open_notebook(page, lab, path)
        with browser.KernelProbe(lab.connection_file(path)) as probe:
            browser.run_all(page, probe)
            assert_no_errors(page, f"{notebook.name} in JupyterLab")
            browser.show_first_widget(page)
            browser.save_screenshot(page, Path(screenshots) / f"lesson-{number(notebook)}-jupyterlab.png")
            assert exercise_sliders(page, probe, f"{notebook.name} in JupyterLab",
                                    explorers_in(notebook)) >= explorers_in(notebook)
    finally:
        page.close()
        lab.shut_down(path)


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda p: p.stem)
def test_lesson_as_voila_app(notebook, voila, page, screenshots):
    where = f"{notebook.name} in Voila"
    browser.open_app(page, voila, f"notebooks/{notebook.name}")
    assert_no_errors(page, where)
    browser.show_first_widget(page)
    browser.save_screenshot(page, Path(screenshots) / f"lesson-{number(notebook)}-voila.png")
    with browser.KernelProbe(voila.connection_file()) as probe:
        assert exercise_sliders(page, probe, where, explorers_in(notebook)) >= explorers_in(notebook)


def broken_notebook(course):
    """A notebook, in the copy only, with a slider, a widget whose model is gone and a failing cell."""
    import nbformat

    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}})
    notebook.cells = [
        nbformat.v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider(description='n')"),
        nbformat.v4.new_code_cell("from IPython.display import display\n"
                                  "display({'application/vnd.jupyter.widget-view+json': {'model_id': 'gone',"
                                  " 'version_major': 2, 'version_minor': 0}}, raw=True)"),
        nbformat.v4.new_code_cell("1 / 0"),
        nbformat.v4.new_code_cell("'never run'"),
    ]
    path = "notebooks/zz-broken.ipynb"
    nbformat.write(notebook, Path(course) / path)
    return path


def assert_both_problems_seen(page):
    page.wait_for_selector("text=Error displaying widget")
    problems = browser.page_errors(page)
    assert any("ZeroDivisionError" in p for p in problems), problems
    assert any("Error displaying widget" in p for p in problems), problems


def test_the_checks_see_a_failing_cell_and_a_broken_widget(lab, course, page):
    """The error checks above are not vacuous: a notebook with both problems fails them."""
    path = broken_notebook(course)
    try:
        browser.open_notebook(page, lab, path)
        with browser.KernelProbe(lab.connection_file(path)) as probe:
            browser.run_all(page, probe)  # returns at the failing cell, as JupyterLab stops there
            assert_both_problems_seen(page)
    finally:
        page.close()
        lab.shut_down(path)


def test_the_checks_see_them_in_voila_too(voila, course, page):
    browser.open_app(page, voila, broken_notebook(course))
    assert_both_problems_seen(page)
