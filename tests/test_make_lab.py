"""`make lab` opens the course at the repository root on the first notebook, says what it is doing, starts
without warnings, and JupyterLab's news popup is off on first open (the shipped settings overrides)."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def dry_run(target, *options):
    return subprocess.run(["make", "-n", *options, target], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_lab_roots_jupyterlab_at_the_repository_and_opens_the_first_notebook():
    out = dry_run("lab", "-o", ".venv/.installed")  # -o: the environment counts as set up
    command = next(line for line in out.splitlines() if "jupyter lab" in line)
    assert "--ServerApp.root_dir=." in command and "--notebook-dir" not in command
    url = re.search(r"--LabApp.default_url=(\S+)", command).group(1)
    opened = url.removeprefix("/lab/tree/")  # work/ is the student's copy of notebooks/, made by `make lab`
    assert opened.startswith("work/") and (ROOT / "notebooks" / opened.removeprefix("work/")).is_file(), url
    assert "Ctrl+C" in out and "00-start-here.ipynb" in out  # how to stop, what opens


def test_setup_shows_pips_progress_and_says_it_takes_minutes():
    out = dry_run(".venv/.installed", "-B")  # -B: print the set-up recipe even when it is done
    install = next(line for line in out.splitlines() if "-r requirements.txt" in line)
    assert "--quiet" not in install
    assert "few minutes" in out


def test_lab_installs_the_settings_overrides_and_switches_off_notebook_shim():
    out = dry_run("lab", "-B", "-o", ".venv/.installed")
    assert "share/jupyter/lab/settings" in out and ".jupyter/lab/settings/overrides.json" in out
    assert "notebook_shim=False" in out
    overrides = json.loads((ROOT / ".jupyter/lab/settings/overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false",
                                                                        "checkForUpdates": False}
    # Widget messages in the kernel's main thread, in the order they were sent (not split between it and a
    # comm subshell): a quick burst of control changes ends in the plot of the last values (issue 31).
    assert overrides["@jupyterlab/apputils-extension:kernels-settings"] == {"commsOverSubshells": "disabled"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not (ROOT / ".venv/.installed").exists(), reason="needs the environment `make lab` builds")
def test_make_lab_starts_without_warnings_and_with_the_news_popup_off(tmp_path):
    """The real `make lab` (no browser, a free port): the server answers, its log has no warning, and the
    notification settings a fresh user sees default to no news and no update check."""
    port, token, log = free_port(), "make-lab-test", tmp_path / "lab.log"
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),  # a first-time user's settings
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    args = f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} --IdentityProvider.token={token}"
    with open(log, "w") as out:
        # -o: use the environment as it is (never reinstall it in the middle of a test run)
        proc = subprocess.Popen(["make", "--no-print-directory", "-o", ".venv/.installed", "lab", f"LAB_ARGS={args}"],
                                cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}"
        deadline = time.monotonic() + 180  # minutes, not seconds: a busy machine starts JupyterLab slowly
        while True:
            try:
                settings = json.load(urllib.request.urlopen(url, timeout=5))
                kernels = json.load(urllib.request.urlopen(url.replace(":notification", ":kernels-settings"), timeout=5))
                text = log.read_text()  # the start-up log, before the shutdown below adds its own lines
                break
            except OSError:
                assert proc.poll() is None, f"make lab exited:\n{log.read_text()}"
                assert time.monotonic() < deadline, f"JupyterLab did not answer within 180 s:\n{log.read_text()}"
                time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # make, JupyterLab and anything it started
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    schema = settings["schema"]["properties"]
    assert schema["fetchNews"]["default"] == "false" and schema["checkForUpdates"]["default"] is False
    assert kernels["schema"]["properties"]["commsOverSubshells"]["default"] == "disabled"
    warnings = [line for line in text.splitlines() if re.search(r"Warning|\[W |deprecated", line)]
    assert not warnings, "\n".join(warnings)
