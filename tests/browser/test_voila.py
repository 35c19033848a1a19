"""The playground app as Voila serves it (`make app`): widgets render and draw at once, Train and the explorer
respond. Every page load runs a fresh kernel; timeouts are generous for a busy machine."""
from browser_support import ARTIFACTS, TIMINGS
from test_jupyterlab import EXPLORERS, describe, errors_on_page, exercise, wait_for_first_draw


def test_voila_app_renders_and_responds(voila_app, page, record_property):
    first = len(TIMINGS)
    page.goto(voila_app, timeout=300_000)
    page.wait_for_function(f"() => document.querySelectorAll('{EXPLORERS}').length >= 2", timeout=300_000)
    explorers = page.locator(EXPLORERS)
    for index in range(explorers.count()):
        wait_for_first_draw(explorers.nth(index), describe(explorers.nth(index), "apps/playground.ipynb (Voila)",
                                                           index)[1])
    for index in range(explorers.count()):
        exercise(page, explorers.nth(index), "apps/playground.ipynb (Voila)", index)
    record_property("browser_timings", TIMINGS[first:])
    page.screenshot(path=str(ARTIFACTS / "voila-playground.png"), full_page=True)
    problems = errors_on_page(page)
    assert not problems, "apps/playground.ipynb (Voila): " + "; ".join(problems)
