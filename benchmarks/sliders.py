"""How quickly do the lessons answer a slider? Run: .venv/bin/python benchmarks/sliders.py [01 03 ...]

Each lesson is opened in JupyterLab in headless Chromium (as tests/test_browser.py does, on a
copy of the course), run all, then each slider of its first explorer gets PRESSES arrow-key
presses. In the page, a keydown listener on the slider's handle notes performance.now() when the
key is dispatched, and a MutationObserver on the explorer notes when its readout, sheet and
picture change; a press is done when nothing has changed for QUIET ms. For each press:

    readout  key press -> the readout line shows the new numbers
    output   key press -> the last output changed (usually the picture, sent last)
    painted  key press -> that picture decoded and the next frame drawn

The medians and 90th percentiles of `output` are compared with the targets: 50 ms for lessons
01-03 and 150 ms for lesson 04's short live training. For comparison, `kernel` is the time the
explorer itself takes for the same moves in this process (its update, without any browser).
"""

import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import browser  # noqa: E402

PRESSES = 30
WARM_UP = 3  # presses not counted: the first updates fill caches
QUIET = 300  # ms without a change after which a press counts as done
TIMEOUT = 5000  # ms a press may take at most
TARGETS = {"01": 50, "02": 50, "03": 50, "04": 150}  # median key press -> output, ms

INSTALL = """(root) => {
    const state = window.__sliderBench = {root, t0: null, readout: null, last: null, painted: null,
                                          changes: 0};
    const readout = root.querySelector('.widget-html-content');
    const now = () => performance.now();
    for (const handle of root.querySelectorAll('.noUi-handle')) {
        handle.addEventListener('keydown', () => {
            Object.assign(state, {t0: now(), readout: null, last: null, painted: null, changes: 0});
        }, {capture: true});
    }
    new MutationObserver(records => {
        if (state.t0 === null) return;
        const t = now();
        for (const r of records) {
            const target = r.target.nodeType === 1 ? r.target : r.target.parentElement;
            if (target.closest('.widget-slider')) continue;  // the slider's own readout
            state.changes += 1;
            state.last = t;
            if (readout && readout.contains(target) && state.readout === null) state.readout = t;
            if (target.tagName === 'IMG' && r.attributeName === 'src') {
                const img = target;
                img.decode().then(() => requestAnimationFrame(() => { state.painted = now(); }),
                                  () => {});
            }
        }
    }).observe(root, {subtree: true, childList: true, characterData: true, attributes: true,
                      attributeFilter: ['src']});
}"""

RESULT = """() => {
    const s = window.__sliderBench;
    if (s.t0 === null || s.last === null) return null;
    return {readout: s.readout && s.readout - s.t0, output: s.last - s.t0,
            painted: s.painted && s.painted - s.t0, idle: performance.now() - s.last};
}"""


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


def bounce(value, low, high, step, base, presses):
    """Arrow keys that walk the slider one step at a time, turning at either end (never a dead press)."""
    places = round((high - low) / step)  # steps along the whole track
    place = round(((math.log(value, base) if base else value) - low) / step)
    direction = -1 if place > places / 2 else 1  # first towards the farther end
    keys = []
    for _ in range(presses):
        if not 0 <= place + direction <= places:
            direction = -direction
        place += direction
        keys.append("ArrowRight" if direction > 0 else "ArrowLeft")
    return keys


def press_and_time(page, root, index, key):
    """One key press; its timings in ms, or None when nothing on the page changed."""
    browser.press(page, root, index, key)
    start = time.monotonic()
    while (time.monotonic() - start) * 1000 < TIMEOUT:
        result = page.evaluate(RESULT)
        if result and result["idle"] >= QUIET:
            return result
        page.wait_for_timeout(20)
    return None


def bench_lesson(page, lab, notebook):
    path = f"notebooks/{notebook.name}"
    browser.open_notebook(page, lab, path)
    rows = []
    with browser.KernelProbe(lab.connection_file(path)) as probe:
        browser.run_all(page, probe)
        root = browser.widget_outputs(page).first
        _, tree, kernel_view = browser.settled(root, probe)
        root.evaluate(INSTALL)
        for index, (description, value, _) in enumerate(tree["sliders"]):
            low, high, step, base = tree["ranges"][index]
            keys = bounce(value, low, high, step, base, PRESSES + WARM_UP)
            timings, missed = [], 0
            for n, key in enumerate(keys):
                result = press_and_time(page, root, index, key)
                if n < WARM_UP:
                    continue
                if result is None:
                    missed += 1
                else:
                    timings.append(result)
            rows.append((description, timings, missed))
        explorers = [e for e in kernel_view["explorers"] if e["model_id"] == tree["model_id"]]
    return rows, explorers


def kernel_time(explorer, presses=PRESSES):
    """The explorer's own update, in ms, for the same kind of moves (one step each way per slider)."""
    import importlib

    module, name = explorer["class"].rsplit(".", 1)
    made = getattr(importlib.import_module(module), name)()
    for slider, value in explorer["values"].items():
        made.sliders[slider].value = value
    times = []
    for slider in made.sliders.values():
        base = getattr(slider, "base", None)
        for key in bounce(slider.value, slider.min, slider.max, slider.step, base, presses):
            direction = 1 if key == "ArrowRight" else -1
            target = (slider.value * base ** (direction * slider.step) if base
                      else slider.value + direction * slider.step)
            start = time.perf_counter()
            slider.value = target
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), percentile(times, 0.9)


def main(selected):
    chromium = browser.find_chromium()
    if chromium is None:
        sys.exit(f"Chromium not found. {browser.CHROMIUM_INSTALL_HINT}")
    notebooks = [n for n in browser.lessons() if not selected or n.name[:2] in selected]
    if not notebooks:
        sys.exit("No lesson notebooks in notebooks/ to measure.")
    print(f"Key press -> updated output in JupyterLab, headless Chromium; {PRESSES} presses per slider "
          f"(ms, median / 90th percentile)\n")
    summary = []
    with tempfile.TemporaryDirectory() as tmp, browser.chromium_browser(chromium) as chrome:
        course = browser.copy_course(ROOT, Path(tmp) / "course")
        with browser.JupyterLab(course, Path(tmp) / "lab") as lab:
            for notebook in notebooks:
                page = chrome.new_page(viewport=browser.VIEWPORT)
                try:
                    rows, explorers = bench_lesson(page, lab, notebook)
                finally:
                    page.close()
                    lab.shut_down(f"notebooks/{notebook.name}")
                print(f"{notebook.stem}")
                print(f"  {'slider':<18} {'readout':>15} {'output':>15} {'painted':>15}")
                outputs = []
                for description, timings, missed in rows:
                    cells = []
                    for field in ("readout", "output", "painted"):
                        values = [t[field] for t in timings if t[field] is not None]
                        cells.append(f"{statistics.median(values):6.1f} / {percentile(values, 0.9):6.1f}"
                                     if values else f"{'-':>15}")
                    outputs += [t["output"] for t in timings]
                    note = f"  ({missed} presses changed nothing)" if missed else ""
                    print(f"  {description:<18} {cells[0]:>15} {cells[1]:>15} {cells[2]:>15}{note}")
                if explorers:
                    median, p90 = kernel_time(explorers[0])
                    print(f"  {'kernel (update)':<18} {'':>15} {median:6.1f} / {p90:6.1f}")
                number = notebook.name[:2]
                target = TARGETS.get(number)
                median, p90 = statistics.median(outputs), percentile(outputs, 0.9)
                verdict = "" if target is None else (
                    f"  target {target} ms: {'met' if median < target else 'MISSED'}")
                print(f"  {'all sliders':<18} {'':>15} {median:6.1f} / {p90:6.1f}{verdict}\n")
                summary.append((notebook.stem, median, p90, target))
    print("lesson                          median    p90  target")
    for stem, median, p90, target in summary:
        print(f"{stem:<30} {median:7.1f} {p90:6.1f}  {target if target else '-':>6}")


if __name__ == "__main__":
    main(sys.argv[1:])
