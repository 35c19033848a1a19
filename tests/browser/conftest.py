"""A JupyterLab server and headless Chromium for the browser tests, started once per test session.

The server runs on 127.0.0.1 on a free port, with a token, over a temporary copy of notebooks/ and apps/,
a fresh workspace, and the news/update notification disabled by a settings file. Chromium is Debian's
(/usr/bin/chromium, driven by Playwright through ``executable_path``; ``playwright install`` downloads a
browser and is never used). Everything is stopped at the end of the session, also on failure.
"""
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from browser_support import (ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, start_server,
                             stop_server, wait_for_http)

def _skip_reason():
    if not Path(CHROMIUM).exists():
        return f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests skipped: playwright is not installed (pip install -r requirements.txt)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    if reason:
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    work = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    shutil.copytree(ROOT / "apps", work / "apps")
    settings = work / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # Widget comms keep JupyterLab's default (over a kernel subshell, split between two kernel threads), the
    # harder case: `make lab` ships "disabled" (everything in the main thread, in order), but a student on
    # Binder or a plain `jupyter lab` has the default, and the widgets must draw right there too (one lock).
    ARTIFACTS.mkdir(exist_ok=True)
    return work


@pytest.fixture(scope="session")
def server_env(workdir):
    return dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(workdir / "settings"),
                JUPYTERLAB_WORKSPACES_DIR=str(workdir / "workspaces"), OPENBLAS_NUM_THREADS="1",
                INITKIT_PROGRESS="0")


@pytest.fixture(scope="session")
def lab(workdir, server_env):
    port, token = free_port(), "initkit-browser-test"
    proc = start_server([sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
                         f"--port={port}", f"--IdentityProvider.token={token}", f"--notebook-dir={workdir}",
                         f"--LabApp.workspaces_dir={workdir / 'workspaces'}"], workdir / "lab.log", server_env)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/status?token={token}")
        yield {"url": f"http://127.0.0.1:{port}", "token": token}
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, request):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(120_000)  # clicks and screenshots on a busy machine
    page.js_errors = []
    page.on("pageerror", lambda err: page.js_errors.append(str(err)))
    page.console = []
    page.on("console", lambda msg: page.console.append(f"{msg.type}: {msg.text}"))
    try:
        yield page
    finally:
        name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in request.node.name)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"console-{name}.log").write_text("\n".join(page.console))  # the browser's console, for debugging
        page.close()


@pytest.fixture(scope="session")
def voila_app(workdir, server_env):
    """apps/playground.ipynb served by Voila, as `make app` serves it (every page load runs a fresh kernel)."""
    port = free_port()
    proc = start_server([sys.executable, "-m", "voila", str(workdir / "apps" / "playground.ipynb"), "--no-browser",
                         "--Voila.ip=127.0.0.1", f"--port={port}"], workdir / "voila.log", server_env)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop_server(proc)
