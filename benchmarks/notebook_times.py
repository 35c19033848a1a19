"""Each notebook's Run All time, CPU and wall, executed the way `make execute` does (nothing is written).

Usage: ``python benchmarks/notebook_times.py [--cells] [--quick] [notebooks/NN-x.ipynb ...]`` (default: every
notebook of ``_toc.yml``, in its order), or ``make bench-notebooks``. Each notebook runs in a fresh kernel through ``jupyter nbconvert --execute``
with one BLAS thread and INITKIT_PROGRESS=0; the output goes to a temporary file.

CPU is user + sys of nbconvert and its kernel (``resource.getrusage(RUSAGE_CHILDREN)``), so it counts
what the notebook costs whatever else the machine runs; wall time also counts waiting for a busy machine.
The first row is an empty notebook: the fixed cost of starting nbconvert and a kernel, included in every
row. The README's timing claims are these numbers.

``--quick`` (what ``.ci/run`` runs, ``make bench-notebooks BENCH_ARGS=--quick``): only the empty notebook,
no verdict; it proves the script and nbconvert still run (the notebooks themselves run under nbval).

``--cells`` runs each notebook through nbclient in this process instead (its CPU, the kernel's plus this
process's, is comparable to the nbconvert row) and also prints each code cell's CPU seconds inside the kernel
(``time.process_time`` between IPython's pre- and post-run events), so one sees where the time goes; a cell
over ``SLOW_CELL_CPU_S`` must show progress (or be made faster): it is marked "shows progress" when it made a
progress display (``ik.progress``, or a trainer's bar; counted even while INITKIT_PROGRESS=0 hides them) and
"NEEDS PROGRESS" when it made none.
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
TARGET_CPU_S = 10.0
SLOW_CELL_CPU_S = 3.0
# Run first in the kernel of a --cells run: times every cell with IPython's events, no notebook edit needed.
TIMER = """
import time as _nbt_time
import initkit.nn.progress as _nbt_progress
_nbt_cells, _nbt_bars = [], [0]
_nbt_init = _nbt_progress.ProgressBar.__init__
def _nbt_counting_init(self, *args, **kwargs):  # every progress display a cell makes (shown or not)
    _nbt_bars[0] += 1
    _nbt_init(self, *args, **kwargs)
_nbt_progress.ProgressBar.__init__ = _nbt_counting_init
def _nbt_pre(info):
    _nbt_cells.append([info.raw_cell, _nbt_time.process_time(), _nbt_bars[0]])
def _nbt_post(result):
    if _nbt_cells:  # (not after this cell itself, which registered the events while running)
        _nbt_cells[-1][1] = _nbt_time.process_time() - _nbt_cells[-1][1]
        _nbt_cells[-1][2] = _nbt_bars[0] - _nbt_cells[-1][2]
get_ipython().events.register("pre_run_cell", _nbt_pre)
get_ipython().events.register("post_run_cell", _nbt_post)
"""

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


def cell_times(notebook):
    """(cpu seconds, wall seconds, ok, [(cell index, kernel CPU seconds, first line)]) of one fresh run."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(notebook, as_version=4)
    code = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    nb.cells.insert(0, nbformat.v4.new_code_cell(TIMER))
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json as _nbt_json; print(_nbt_json.dumps([[t, bars] for _, t, bars in _nbt_cells]))"))
    os.environ.update(ENV)
    client = NotebookClient(nb, timeout=1200, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(notebook).parent)}})
    before, own = resource.getrusage(resource.RUSAGE_CHILDREN), time.process_time()
    start = time.perf_counter()
    try:
        client.execute()
    except Exception as error:  # noqa: BLE001 (a failing cell is reported, the next notebook still runs)
        print(str(error)[-2000:], file=sys.stderr)
        return 0.0, 0.0, False, []
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime) + time.process_time() - own
    times = json.loads(nb.cells[-1].outputs[0]["text"])[:len(code)]
    return cpu, wall, True, [(i, t, bars, nb.cells[i + 1].source.splitlines()[0] if nb.cells[i + 1].source else "")
                             for i, (t, bars) in zip(code, times)]


def empty_notebook(folder):
    path = Path(folder) / "empty.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "id": "c0", "metadata": {},
                                           "outputs": [], "source": ["import initkit"]}],
                                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}},
                                "nbformat": 4, "nbformat_minor": 5}))
    return path


def main(args):
    cells = "--cells" in args
    quick = "--quick" in args
    paths = [a for a in args if a not in ("--cells", "--quick")]
    notebooks = [] if quick else [Path(p).resolve() for p in paths] or syllabus.notebooks()
    print(f"{'notebook':44} {'CPU s':>7} {'wall s':>7}  within {TARGET_CPU_S:.0f} CPU-s")
    with tempfile.TemporaryDirectory() as tmp:
        cpu, wall, _ = run(empty_notebook(tmp))
    print(f"{'(empty notebook: nbconvert + kernel start)':44} {cpu:7.1f} {wall:7.1f}", flush=True)
    total, failed = 0.0, []
    for nb in notebooks:
        cpu, wall, ok, times = cell_times(nb) if cells else (*run(nb), [])
        total += cpu
        verdict = ("yes" if cpu <= TARGET_CPU_S else "NO") if ok else "FAILED"
        if not ok:
            failed.append(nb.name)
        print(f"{nb.name:44} {cpu:7.1f} {wall:7.1f}  {verdict}", flush=True)
        for index, seconds, bars, first in times:
            slow = seconds > SLOW_CELL_CPU_S
            mark = ("  shows progress" if bars else "  NEEDS PROGRESS") if slow else ""
            print(f"    cell {index:3d} {seconds:6.2f}  {first[:60]}{mark}", flush=True)
    print(f"{'total':44} {total:7.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
