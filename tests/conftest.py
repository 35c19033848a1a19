import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


# The browser tests record their timings as user properties, so this summary also works when they ran in
# pytest-xdist workers (the controller loads only this conftest).
def pytest_terminal_summary(terminalreporter):
    def recorded(prop):
        return [t for rep in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
                for name, value in getattr(rep, "user_properties", []) if name == prop for t in value]

    timings, draws, lags = recorded("browser_timings"), recorded("browser_first_draws"), recorded("browser_drag_lags")
    if not timings:
        return
    terminalreporter.section("browser: key press to changed plot")
    for notebook, explorer, seconds in timings:
        terminalreporter.write_line(f"{notebook:>36}  {explorer:<18} {1e3 * seconds:7.0f} ms")
    times = sorted(t for *_, t in timings)
    terminalreporter.write_line(f"median over {len(times)} explorers: {1e3 * times[len(times) // 2]:.0f} ms; "
                                "screenshots in tests/browser/artifacts/")
    if draws:  # (where, seconds from the end of Run All to a drawn canvas)
        where, seconds = max(draws, key=lambda d: d[1])
        terminalreporter.write_line(f"slowest first draw after Run All: {seconds:.2f} s ({where})")
    if lags:  # (where, seconds from releasing a dragged slider to the plot's last change)
        where, seconds = max(lags, key=lambda d: d[1])
        lags = sorted(s for _, s in lags)
        terminalreporter.write_line(f"drag: plot final {1e3 * lags[len(lags) // 2]:.0f} ms after the mouse is "
                                    f"released (median), at most {1e3 * seconds:.0f} ms ({where})")
