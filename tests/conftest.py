import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


# The browser tests record their timings as user properties, so this summary also works when they ran in
# pytest-xdist workers (the controller loads only this conftest).
def pytest_terminal_summary(terminalreporter):
    timings = [t for rep in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
               for name, value in getattr(rep, "user_properties", []) if name == "browser_timings" for t in value]
    if not timings:
        return
    terminalreporter.section("browser: key press to changed plot")
    for notebook, explorer, seconds in timings:
        terminalreporter.write_line(f"{notebook:>36}  {explorer:<18} {1e3 * seconds:7.0f} ms")
    times = sorted(t for *_, t in timings)
    terminalreporter.write_line(f"median over {len(times)} explorers: {1e3 * times[len(times) // 2]:.0f} ms; "
                                "screenshots in tests/browser/artifacts/")
