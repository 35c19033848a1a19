"""Every notebook as a student uses it: JupyterLab in headless Chromium with the file browser open, Run All,
then every widget checked and moved.

For each notebook, at a 1280 px wide window:
1. Run All; no error output and no widget JavaScript error.
2. First draw: every widget's canvas shows a plot (non-blank pixels) right after Run All, before any
   interaction (issue 19: the symmetry widget stayed blank until a slider moved).
3. Fits the screen: no widget, canvas or figure is wider than its cell's output area, and no row of
   controls overflows, at 1280 px and again at 1024 px (the side panel open at both); screenshots of
   every widget at both widths go to tests/browser/artifacts/.
4. Every widget responds: a slider stepped with the keyboard and dragged with the mouse, or Train pressed;
   the readout and the plot's pixels change. The time from key press to changed plot is recorded.
5. The last value wins: after a burst of quick changes (arrow keys on every slider, every menu moved), each
   plot equals a fresh draw of the final values made in the kernel (the explorer's from scratch, so a title
   drawn over an older one would differ).
Timeouts are generous (minutes): the machine may be busy with other work.
"""
import json
import re
import time
from pathlib import Path

import pytest

import syllabus
from browser_support import ARTIFACTS, ROOT, TIMINGS

DRAG_LAGS = []  # (where, seconds from releasing a dragged slider to the plot's last change)

NOTEBOOKS = [p.name for p in syllabus.notebooks()]  # the one list, _toc.yml
EXPLORERS = ".widget-vbox:has(div.jupyter-matplotlib-canvas-div)"  # our layouts: controls above one canvas
FINGERPRINT = ("(el) => Array.from(el.querySelectorAll('div.jupyter-matplotlib-canvas-div canvas'))"
               ".map(c => c.toDataURL()).join('|')")
# Fraction of non-white pixels of the widget's main canvas (the first canvas; the second is ipympl's overlay).
INK = """(el) => {
  const c = el.querySelector('div.jupyter-matplotlib-canvas-div canvas');
  if (!c || c.width < 10 || c.height < 10) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0, n = 0;
  for (let i = 0; i < d.length; i += 16) { n++; if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) ink++; }
  return ink / n;
}"""
# Everything in an output area that is wider than the output area, or overflows its own box.
OVERFLOWS = """() => {
  const problems = [];
  for (const out of document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')) {
    const limit = out.getBoundingClientRect();
    if (limit.width === 0) continue;
    const items = out.querySelectorAll('.widget-vbox, .widget-hbox, canvas, img, .jupyter-matplotlib-figure');
    for (const el of items) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      const name = el.tagName.toLowerCase() + '.' + (el.className || '').toString().split(' ').slice(0, 2).join('.');
      if (r.right > limit.right + 1 || r.left < limit.left - 1)
        problems.push(`${name} spans x ${Math.round(r.left)}..${Math.round(r.right)}, output area ${Math.round(limit.left)}..${Math.round(limit.right)}`);
      else if (el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'CANVAS' && el.tagName !== 'IMG')
        problems.push(`${name} overflows: content ${el.scrollWidth} px in ${el.clientWidth} px`);
    }
  }
  return problems;
}"""
RUN_TIMEOUT_MS = 600_000
OPEN_TIMEOUT_MS = 180_000
FIRST_DRAW_TIMEOUT_S = 180  # a loaded 2-core machine once took over 90 s (notebook 01, Run All under 4 busy processes)
CHANGE_TIMEOUT_S = 90
WIDTHS = (1280, 1024)


def open_notebook(page, lab, path):
    page.goto(f"{lab['url']}/lab/tree/{path}?reset&token={lab['token']}")
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=OPEN_TIMEOUT_MS)
    ensure_file_browser_open(page)


def ensure_file_browser_open(page):
    """The left side panel with the file browser, as a student has it."""
    if page.evaluate("() => (document.querySelector('#jp-left-stack')?.getBoundingClientRect().width || 0) < 100"):
        page.click("#jp-left-stack-tab, .jp-SideBar.lm-TabBar li[data-id='filebrowser']")
    page.wait_for_function("() => document.querySelector('#jp-left-stack').getBoundingClientRect().width >= 100",
                           timeout=30_000)


def run_all(page):
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    page.wait_for_function("() => document.querySelectorAll('.jp-InputPrompt').length > 0 && "
                           "!Array.from(document.querySelectorAll('.jp-InputPrompt')).some(p => p.textContent.includes('*'))",
                           timeout=RUN_TIMEOUT_MS)
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=RUN_TIMEOUT_MS)


def wait_for_explorers(page, expected, timeout=FIRST_DRAW_TIMEOUT_S):
    """The widgets' layouts, once ``expected`` of them are in the page: the kernel is idle after Run All
    before a busy browser has created every widget view from the messages it received."""
    explorers = page.locator(EXPLORERS)
    start = time.perf_counter()
    while explorers.count() < expected and time.perf_counter() - start < timeout:
        time.sleep(0.2)
    return explorers


def errors_on_page(page):
    problems = [f"JavaScript error: {e}" for e in page.js_errors]
    for text in page.locator("[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts():
        if "Traceback" in text or "Error" in text:
            problems.append(f"error output: {text[:500]}")
    problems += ["widget failed to render (Click to show javascript error)"] * page.locator(
        "text=Click to show javascript error").count()
    return problems


def describe(explorer, notebook, index):
    labels = explorer.locator(".widget-slider .widget-label, .widget-dropdown .widget-label")
    label = (labels.first.text_content().strip() if labels.count() else "") or f"explorer {index}"
    return label, f"{notebook}, explorer {index} ({label!r})"


def wait_for_first_draw(explorer, where, timeout=FIRST_DRAW_TIMEOUT_S):
    """Seconds until the widget's canvas shows a plot (at least 1% non-white pixels); fails after timeout."""
    explorer.scroll_into_view_if_needed()
    start = time.perf_counter()
    ink = 0.0
    while time.perf_counter() - start < timeout:
        ink = explorer.evaluate(INK)
        if ink >= 0.01:
            return time.perf_counter() - start
        time.sleep(0.2)
    size = explorer.evaluate("(el) => Array.from(el.querySelectorAll('div.jupyter-matplotlib-canvas-div canvas'))"
                             ".map(c => `${c.width}x${c.height}`).join(', ')")
    pytest.fail(f"{where}: the canvas is blank {timeout} s after Run All ({ink:.1%} non-white pixels, canvases "
                f"{size}), before any slider was moved")


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


def settle(explorer, quiet=0.6, timeout=60):
    """Wait until the plot has stopped changing (images still arriving after Run All); the fingerprint of
    the plot. ``settle.last_change`` is the ``time.perf_counter()`` of the last change seen."""
    last, since, start = explorer.evaluate(FINGERPRINT), time.perf_counter(), time.perf_counter()
    settle.last_change = start
    while time.perf_counter() - start < timeout and time.perf_counter() - since < quiet:
        time.sleep(0.05)
        now = explorer.evaluate(FINGERPRINT)
        if now != last:
            last, since = now, time.perf_counter()
            settle.last_change = since
    return last


def check_fits(page, explorers, notebook, width):
    """No widget, canvas or figure wider than its output area at this window width; screenshots."""
    page.set_viewport_size({"width": width, "height": 1000})
    ensure_file_browser_open(page)
    time.sleep(1.0)  # let JupyterLab lay out again
    problems = page.evaluate(OVERFLOWS)
    for index in range(explorers.count()):
        explorers.nth(index).scroll_into_view_if_needed()
        explorers.nth(index).screenshot(path=str(ARTIFACTS / f"{Path(notebook).stem}-{index}-{width}px.png"))
    page.screenshot(path=str(ARTIFACTS / f"{Path(notebook).stem}-{width}px.png"))
    assert not problems, f"{notebook} at {width} px with the file browser open: " + "; ".join(problems[:8])


def exercise(page, explorer, notebook, index):
    label, where = describe(explorer, notebook, index)
    explorer.scroll_into_view_if_needed()
    before = settle(explorer)
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
    readout = explorer.locator(".initkit-readout, .widget-readout").first  # the first slider's readout
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
    released = time.perf_counter()
    assert wait_until_changed(explorer, after_key, readout, old) is not None, \
        f"{where}: dragging the slider did not change the readout and the plot"
    settle(explorer, quiet=1.5)
    DRAG_LAGS.append((where, max(settle.last_change - released, 0.0)))  # no stale steps queued: a short lag
    explorer.screenshot(path=str(ARTIFACTS / f"{Path(notebook).stem}-{index}-after.png"))


# Run in the notebook's kernel after a burst: draw every widget again from its controls' current values,
# and the explorer from scratch (a full draw: its background, title and status rendered anew).
# Prints, per widget, how many pixels of the kernel's own canvas the fresh draw changed (0: the kernel held
# the final plot, so any difference in the browser is a frame lost on the way).
FRESH_DRAW = """
import gc as _gc
import numpy as _np
from initkit.widgets.display import _box_class as _boxes
for _b in [o for o in _gc.get_objects() if isinstance(o, _boxes())]:
    if hasattr(_b, "redraw"):
        _before = _np.asarray(_b.view.fig.canvas.get_renderer().buffer_rgba()).copy()
        _b.redraw()
        if hasattr(_b.view, "_on_draw"):
            _b.view.fig.canvas.draw()
        _after = _np.asarray(_b.view.fig.canvas.get_renderer().buffer_rgba())
        print(_b.name, "kernel pixels changed by the fresh draw:",
              int((_before != _after).any(axis=2).sum()) if _before.shape == _after.shape else "size changed")
"""


def run_in_kernel(lab, path, code, timeout=300):
    """Execute ``code`` in the kernel of the notebook at ``path`` (through its connection file, beside the
    browser); its comm messages reach the browser as any cell's do."""
    import urllib.request

    from jupyter_client import BlockingKernelClient
    from jupyter_core.paths import jupyter_runtime_dir

    with urllib.request.urlopen(f"{lab['url']}/api/sessions?token={lab['token']}") as response:
        sessions = json.load(response)
    kernel = next(s["kernel"]["id"] for s in sessions if s["path"] == path)
    client = BlockingKernelClient(connection_file=str(Path(jupyter_runtime_dir()) / f"kernel-{kernel}.json"))
    client.load_connection_file()
    client.start_channels()
    printed = []

    def keep(msg):
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])

    try:
        reply = client.execute_interactive(code, timeout=timeout, output_hook=keep)
    finally:
        client.stop_channels()
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(printed)


def burst(page, explorer):
    """Quick changes, as a student makes them: arrow keys on every slider, then each menu moved to its last
    entry, without waiting for the plot in between."""
    for handle in explorer.locator(".widget-slider .noUi-handle").all()[:3]:
        handle.focus()
        for key in ("ArrowRight",) * 4 + ("ArrowLeft",):
            page.keyboard.press(key)
            time.sleep(0.05)
    for select in explorer.locator(".widget-dropdown select").all()[:3]:
        select.select_option(index=select.locator("option").count() - 1)
        time.sleep(0.1)


def check_last_value_wins(page, lab, explorers, notebook):
    """After a burst of quick changes on every widget, each plot equals a fresh draw of the final values:
    no stale frame, no title drawn over an older one (issue 31)."""
    widgets = [e for e in explorers.all() if not e.locator("button:has-text('Train')").count()]
    for explorer in widgets:
        explorer.scroll_into_view_if_needed()
        burst(page, explorer)
    # The end of the burst: the browser holds back a widget's next change until the kernel has handled the
    # previous one, so wait for the kernel to go through the changes until a round trip changes nothing.
    finals = None
    for _ in range(10):
        run_in_kernel(lab, f"notebooks/{notebook}", "pass")
        now = [settle(e, quiet=2.0, timeout=CHANGE_TIMEOUT_S) for e in widgets]
        if now == finals:
            break
        finals = now
    kernel_side = run_in_kernel(lab, f"notebooks/{notebook}", FRESH_DRAW).strip()
    stale_in_browser_only = []
    for index, (explorer, final) in enumerate(zip(widgets, finals)):
        fresh = settle(explorer, quiet=2.0, timeout=CHANGE_TIMEOUT_S)
        if fresh != final:  # both canvases as PNG files, to see what differs
            import base64

            for name, fingerprint in (("final", final), ("fresh", fresh)):
                png = base64.b64decode(fingerprint.split("|")[0].split(",", 1)[1])
                (ARTIFACTS / f"{Path(notebook).stem}-{index}-{name}.png").write_bytes(png)
        message = (f"{notebook}, widget {index}: after a burst of quick changes the plot differs from a fresh draw "
                   f"of the final values ({Path(notebook).stem}-{index}-final.png, -fresh.png); {kernel_side}")
        lines = kernel_side.splitlines()
        if fresh != final and lines and all(line.endswith(" 0") for line in lines):
            stale_in_browser_only.append(message)  # the kernel held the final plot: the browser lost it
            continue
        assert fresh == final, message
    return stale_in_browser_only


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_and_every_explorer_draws_fits_and_responds(lab, page, notebook, record_property):
    first = len(TIMINGS)
    page.set_viewport_size({"width": WIDTHS[0], "height": 1000})
    open_notebook(page, lab, f"notebooks/{notebook}")
    run_all(page)
    problems = errors_on_page(page)
    assert not problems, f"{notebook}: " + "; ".join(problems)
    cells = json.loads((ROOT / "notebooks" / notebook).read_text())["cells"]
    expected = sum("ik.widgets." in "".join(c["source"]) for c in cells if c["cell_type"] == "code")
    explorers = wait_for_explorers(page, expected)
    assert explorers.count() == expected, f"{notebook}: {explorers.count()} explorers rendered, {expected} expected"
    first_draws = []
    for index in range(explorers.count()):  # first draw, before anything is touched
        first_draws.append(round(wait_for_first_draw(explorers.nth(index), describe(explorers.nth(index), notebook,
                                                                                     index)[1]), 2))
    record_property("browser_first_draws", [(f"{notebook}, widget {i}", s) for i, s in enumerate(first_draws)])
    print(f"{notebook}: seconds from the end of Run All to a drawn canvas, per widget: {first_draws}")
    for width in WIDTHS:
        check_fits(page, explorers, notebook, width)
    page.set_viewport_size({"width": WIDTHS[0], "height": 1000})
    for index in range(explorers.count()):
        exercise(page, explorers.nth(index), notebook, index)
    browser_only = check_last_value_wins(page, lab, explorers, notebook)
    record_property("browser_drag_lags", [lag for lag in DRAG_LAGS if lag[0].startswith(notebook)])
    record_property("browser_timings", TIMINGS[first:])  # reaches the summary from xdist workers too
    problems = errors_on_page(page)
    assert not problems, f"{notebook}, after moving the sliders: " + "; ".join(problems)
    print(f"screenshots of {notebook} in {ARTIFACTS}")
    if browser_only:  # known, open: ipympl 0.10's browser side can drop the last frames of a burst on a busy machine
        pytest.xfail("; ".join(browser_only))


SELF_TEST = {"cells": [
    {"cell_type": "code", "execution_count": None, "id": "blank", "metadata": {}, "outputs": [], "source": [
        "import ipywidgets as w\n", "from initkit.widgets import new_figure\n",
        "fig = new_figure((3, 2))  # no axes, never drawn: a blank canvas\n",
        "w.VBox([w.IntSlider(description='blank'), fig.canvas])"]},
    {"cell_type": "code", "execution_count": None, "id": "wide", "metadata": {}, "outputs": [], "source": [
        "w.VBox([w.HBox([w.IntSlider(description='too wide', layout=w.Layout(min_width='1100px'))])])"]}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5}


def test_the_checks_catch_a_blank_canvas_and_a_widget_wider_than_its_cell(lab, page, workdir):
    # The first-draw and width checks above must be able to fail: a never-drawn canvas has no ink, and a
    # slider at least 1100 px wide overflows its row and the output area at 1024 px.
    (workdir / "selftest.ipynb").write_text(json.dumps(SELF_TEST))
    page.set_viewport_size({"width": 1024, "height": 1000})
    open_notebook(page, lab, "selftest.ipynb")
    run_all(page)
    blank = page.locator(EXPLORERS).first
    blank.scroll_into_view_if_needed()
    time.sleep(3)
    assert blank.evaluate(INK) < 0.01
    problems = page.evaluate(OVERFLOWS)
    assert any(re.search(r"content 1[01]\d\d px in \d+ px", p) for p in problems), problems  # the 1100 px row
