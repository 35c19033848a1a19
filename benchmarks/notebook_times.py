"""Each notebook's Run All time, CPU and wall, executed the way `make execute` does (nothing is written).

Usage: ``python benchmarks/notebook_times.py [notebooks/NN-x.ipynb ...]`` (default: every notebook of
``_toc.yml``, in its order), or ``make bench-notebooks``. Each notebook runs in a fresh kernel through ``jupyter nbconvert --execute``
with one BLAS thread and INITKIT_PROGRESS=0; the output goes to a temporary file.

CPU is user + sys of nbconvert and its kernel (``resource.getrusage(RUSAGE_CHILDREN)``), so it counts
what the notebook costs whatever else the machine runs; wall time also counts waiting for a busy machine.
The first row is an empty notebook: the fixed cost of starting nbconvert and a kernel, included in every
row. The README's timing claims are these numbers.

``--quick`` (what ``.ci/run`` runs, ``make bench-notebooks BENCH_ARGS=--quick``): only the empty notebook,
no verdict; it proves the script and nbconvert still run (the notebooks themselves run under nbval).
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import syllabus  # noqa: E402  (the one list of notebooks, _toc.yml)
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", INITKIT_PROGRESS="0")
TARGET_CPU_S = 15.0


def run(notebook):
    """(cpu seconds, wall seconds, ok) of executing ``notebook`` in a fresh kernel."""
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                               "--ExecutePreprocessor.timeout=1200", "--output-dir", tmp, str(notebook)],
                              env=ENV, cwd=Path(notebook).parent, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
    return cpu, wall, done.returncode == 0


def empty_notebook(folder):
    path = Path(folder) / "empty.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "id": "c0", "metadata": {},
                                           "outputs": [], "source": ["import initkit"]}],
                                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}},
                                "nbformat": 4, "nbformat_minor": 5}))
    return path


def main(paths):
    quick = "--quick" in paths
    paths = [p for p in paths if p != "--quick"]
    notebooks = [Path(p).resolve() for p in paths] or syllabus.notebooks()
    if quick:
        notebooks = []
    print(f"{'notebook':44} {'CPU s':>7} {'wall s':>7}  within {TARGET_CPU_S:.0f} CPU-s")
    with tempfile.TemporaryDirectory() as tmp:
        cpu, wall, _ = run(empty_notebook(tmp))
    print(f"{'(empty notebook: nbconvert + kernel start)':44} {cpu:7.1f} {wall:7.1f}", flush=True)
    total, failed = 0.0, []
    for nb in notebooks:
        cpu, wall, ok = run(nb)
        total += cpu
        verdict = ("yes" if cpu <= TARGET_CPU_S else "NO") if ok else "FAILED"
        if not ok:
            failed.append(nb.name)
        print(f"{nb.name:44} {cpu:7.1f} {wall:7.1f}  {verdict}", flush=True)
    print(f"{'total':44} {total:7.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
