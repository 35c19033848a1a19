"""Every notebook as a student uses it: JupyterLab in headless Chromium, Run All, then every explorer moved.

For each explorer (a widget output holding an ipympl canvas) a slider is stepped with the keyboard and
dragged with the mouse, or its Train button is pressed; the test asserts that the readout and the plot's
pixels changed, records the time from key press to changed plot, and saves screenshots.
"""
import json
import time
from pathlib import Path

import pytest

from browser_support import ARTIFACTS, ROOT, TIMINGS

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
EXPLORERS = ".widget-vbox:has(div.jupyter-matplotlib-canvas-div)"  # our layouts: controls above one canvas
FINGERPRINT = ("(el) => Array.from(el.querySelectorAll('div.jupyter-matplotlib-canvas-div canvas'))"
               ".map(c => c.toDataURL()).join('|')")
RUN_TIMEOUT_MS = 240_000
CHANGE_TIMEOUT_S = 30


def open_notebook(page, lab, path):
    page.goto(f"{lab['url']}/lab/tree/{path}?reset&token={lab['token']}")
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=90_000)


def run_all(page):
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    page.wait_for_function("() => document.querySelectorAll('.jp-InputPrompt').length > 0 && "
                           "!Array.from(document.querySelectorAll('.jp-InputPrompt')).some(p => p.textContent.includes('*'))",
                           timeout=RUN_TIMEOUT_MS)
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=RUN_TIMEOUT_MS)


def errors_on_page(page):
    problems = [f"JavaScript error: {e}" for e in page.js_errors]
    for text in page.locator("[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts():
        if "Traceback" in text or "Error" in text:
            problems.append(f"error output: {text[:500]}")
    problems += ["widget failed to render (Click to show javascript error)"] * page.locator(
        "text=Click to show javascript error").count()
    return problems


def wait_until_changed(explorer, before, readout=None, old_text=None, timeout=CHANGE_TIMEOUT_S):
    """Seconds until the canvas pixels (and the readout, if given) differ from before; None on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        pixels_changed = explorer.evaluate(FINGERPRINT) != before
        text_changed = readout is None or readout.inner_text() != old_text
        if pixels_changed and text_changed:
            return time.perf_counter() - start
        time.sleep(0.02)
    return None


def settle(explorer, quiet=0.6, timeout=20):
    """Wait until the plot has stopped changing (images still arriving after Run All)."""
    last, since, start = explorer.evaluate(FINGERPRINT), time.perf_counter(), time.perf_counter()
    while time.perf_counter() - start < timeout and time.perf_counter() - since < quiet:
        time.sleep(0.1)
        now = explorer.evaluate(FINGERPRINT)
        if now != last:
            last, since = now, time.perf_counter()
    return last


def exercise(page, explorer, notebook, index):
    labels = explorer.locator(".widget-slider .widget-label, .widget-dropdown .widget-label")
    label = (labels.first.text_content().strip() if labels.count() else "") or f"explorer {index}"
    where = f"{notebook}, explorer {index} ({label!r})"
    explorer.scroll_into_view_if_needed()
    before = settle(explorer)
    assert before.count("data:image/png") >= 1, f"{where}: no canvas was drawn"
    explorer.screenshot(path=str(ARTIFACTS / f"{Path(notebook).stem}-{index}-before.png"))
    train = explorer.locator("button:has-text('Train')")
    if train.count():
        start = time.perf_counter()
        train.click()
        assert wait_until_changed(explorer, before) is not None, f"{where}: the plot did not change after Train"
        TIMINGS.append((notebook, f"{label} (Train)", time.perf_counter() - start))
        settle(explorer)
        explorer.screenshot(path=str(ARTIFACTS / f"{Path(notebook).stem}-{index}-after.png"))
        return
    handle = explorer.locator(".widget-slider .noUi-handle").first
    readout = explorer.locator(".widget-readout").first
    old = readout.inner_text()
    handle.focus()
    page.keyboard.press("ArrowRight")
    seconds = wait_until_changed(explorer, before, readout, old)
    assert seconds is not None, (f"{where}: after ArrowRight the readout ({old!r} -> {readout.inner_text()!r}) "
                                 f"or the plot did not change within {CHANGE_TIMEOUT_S} s")
    TIMINGS.append((notebook, label, seconds))
    after_key = settle(explorer)
    box = handle.bounding_box()
    old = readout.inner_text()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    assert wait_until_changed(explorer, after_key, readout, old) is not None, \
        f"{where}: dragging the slider did not change the readout and the plot"
    settle(explorer)
    explorer.screenshot(path=str(ARTIFACTS / f"{Path(notebook).stem}-{index}-after.png"))


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_and_every_explorer_responds(lab, page, notebook, record_property):
    first = len(TIMINGS)
    open_notebook(page, lab, f"notebooks/{notebook}")
    run_all(page)
    problems = errors_on_page(page)
    assert not problems, f"{notebook}: " + "; ".join(problems)
    explorers = page.locator(EXPLORERS)
    cells = json.loads((ROOT / "notebooks" / notebook).read_text())["cells"]
    expected = sum("ik.widgets." in "".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert explorers.count() == expected, f"{notebook}: {explorers.count()} explorers rendered, {expected} expected"
    for index in range(explorers.count()):
        exercise(page, explorers.nth(index), notebook, index)
    record_property("browser_timings", TIMINGS[first:])  # reaches the summary from xdist workers too
    problems = errors_on_page(page)
    assert not problems, f"{notebook}, after moving the sliders: " + "; ".join(problems)
    print(f"screenshots of {notebook} in {ARTIFACTS}")
