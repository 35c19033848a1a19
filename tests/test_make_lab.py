"""`make lab` opens the course at the repository root on the first notebook and says what it is doing."""
import re
import shutil
import subprocess
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
