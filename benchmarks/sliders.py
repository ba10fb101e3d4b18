"""How quickly do the lessons answer a slider? Run: .venv/bin/python benchmarks/sliders.py [01 04b ...]

Each lesson with an explorer is opened in JupyterLab in headless Chromium (as
tests/test_browser.py does, on a copy of the course), run all, then each slider of its first
explorer gets PRESSES arrow-key presses. In the page, a keydown listener on the slider's handle
notes performance.now() when the key is dispatched, and a MutationObserver on the explorer notes
when its numbers and pictures change; a press is done when nothing has changed for QUIET ms.
For each press:

    readout  key press -> the readout line shows the new numbers
    output   key press -> the last output changed in the page
    painted  key press -> the end of the first frame showing it (pictures decoded)

The median and 90th percentile of `painted` over all of a lesson's presses are compared with
the targets: at most 50 ms median and 80 ms 90th percentile for lessons 01-03, 100 ms median
for lesson 04's short live training. For comparison, `kernel` is the time the explorer itself
takes for the same moves in this process (its update, without any browser).

The machine is shared: figures from a loaded machine run high, so compare runs made alike.
"""

import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

from nbcourse import browser

ROOT = Path(__file__).resolve().parents[1]
PRESSES = 30
WARM_UP = 3  # presses not counted: the first updates fill caches
QUIET = 300  # ms without a change after which a press counts as done
TIMEOUT = 5000  # ms a press may take at most
# key press -> painted, ms: (median, 90th percentile); None: no target
TARGETS = {"01": (50, 80), "02": (50, 80), "03": (50, 80), "04": (100, None)}

INSTALL = """(root) => {
    const state = window.__sliderBench = {root, t0: null, readout: null, last: null, painted: null,
                                          changes: 0};
    // the readout: the first line of the first HTML widget that is not a style sheet
    const readout = [...root.querySelectorAll('.widget-html-content')].find(e => !e.querySelector('style'));
    const now = () => performance.now();
    // painted: the end of the first frame that shows a change, pictures decoded (rAF runs just
    // before the frame's style, layout and paint; a task queued from it runs after them)
    const paint = () => requestAnimationFrame(() => setTimeout(() => { state.painted = now(); }, 0));
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
                target.decode().then(paint, paint);
            } else {
                paint();
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
    notebooks = [n for n in browser.lessons() if (not selected or n.name.split("-")[0] in selected)
                 and "Explorer()" in n.read_text()]  # lessons with an explorer ("04" is not "04b")
    if not notebooks:
        sys.exit("No lesson notebooks with an explorer in notebooks/ to measure.")
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
                painted = []
                for description, timings, missed in rows:
                    cells = []
                    for field in ("readout", "output", "painted"):
                        values = [t[field] for t in timings if t[field] is not None]
                        cells.append(f"{statistics.median(values):6.1f} / {percentile(values, 0.9):6.1f}"
                                     if values else f"{'-':>15}")
                    painted += [t["painted"] for t in timings if t["painted"] is not None]
                    note = f"  ({missed} presses changed nothing)" if missed else ""
                    print(f"  {description:<18} {cells[0]:>15} {cells[1]:>15} {cells[2]:>15}{note}")
                if explorers:
                    median, p90 = kernel_time(explorers[0])
                    print(f"  {'kernel (update)':<18} {'':>15} {median:6.1f} / {p90:6.1f}")
                median, p90 = statistics.median(painted), percentile(painted, 0.9)
                target = TARGETS.get(notebook.name[:2], (None, None))
                print(f"  {'all sliders':<18} {'':>15} {'':>15} {median:6.1f} / {p90:6.1f}  "
                      f"{verdict(median, p90, target)}\n")
                summary.append((notebook.stem, median, p90, target))
    print("key press -> painted, ms       median    p90  target")
    for stem, median, p90, target in summary:
        print(f"{stem:<30} {median:7.1f} {p90:6.1f}  {verdict(median, p90, target)}")


def verdict(median, p90, target):
    """The target and whether it is met: 'median <= 50, p90 <= 80: met'."""
    limits = [(name, figure, limit) for name, figure, limit in (("median", median, target[0]),
                                                                 ("p90", p90, target[1])) if limit]
    if not limits:
        return "no target"
    met = all(figure <= limit for _, figure, limit in limits)
    return ", ".join(f"{name} <= {limit}" for name, _, limit in limits) + (": met" if met else ": MISSED")


if __name__ == "__main__":
    main(sys.argv[1:])
