"""Every "change X and re-run" an exercise suggests works: the notebook runs to the end with the edit applied.

A notebook lists its suggested edits in its metadata, next to the cells they concern:

    "metadata": {"initkit": {"suggested_edits": [
        {"exercise": "Exercise 1", "find": "depth = 30", "replace": "depth = 60"}]}}

Each edit replaces ``find`` by ``replace`` in every code cell that contains it (it must occur at least once:
an edit that no longer matches the notebook fails here rather than silently testing nothing), then every
cell runs in a fresh kernel of this Python environment; any error fails the test with the cell and the
exception. One test class per notebook, so that ``pytest -n 2 --dist loadscope`` spreads notebooks over workers.
"""
import sys
from pathlib import Path

import nbformat
import pytest

import syllabus
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CELL_TIMEOUT = 300  # seconds: generous, a loaded 2-core machine runs several notebooks at once


class _ThisPython(KernelSpecManager):
    """Run the kernel with this interpreter, whatever kernelspecs the machine has (like --nbval-current-env)."""

    def get_kernel_spec(self, kernel_name):
        return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                          display_name="this Python", language="python")


def suggested_edits(path):
    nb = nbformat.read(path, as_version=4)
    return nb.metadata.get("initkit", {}).get("suggested_edits", [])


def apply_edit(nb, edit):
    hits = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and edit["find"] in cell.source:
            cell.source = cell.source.replace(edit["find"], edit["replace"])
            hits += 1
    return hits


def run_with_edit(path, edit):
    nb = nbformat.read(path, as_version=4)
    if apply_edit(nb, edit) == 0:
        pytest.fail(f"{path.name}: suggested edit for {edit.get('exercise')!r} finds no code cell containing "
                    f"{edit['find']!r}; update the notebook's metadata")
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     kernel_manager_class=nbclient.client.KernelManager,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.km = client.kernel_manager_class(kernel_name="python3", kernel_spec_manager=_ThisPython())
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as err:
        pytest.fail(f"{path.name} with {edit.get('exercise')} edit {edit['find']!r} -> {edit['replace']!r} "
                    f"fails:\n{str(err)[-1500:]}")


def _make_class(path, edits):
    @pytest.mark.slow  # each runs a whole notebook
    @pytest.mark.parametrize("edit", edits, ids=[f"{e.get('exercise', 'edit')}: {e['replace']}" for e in edits])
    def test_suggested_edit_runs(self, edit, monkeypatch):
        monkeypatch.setenv("INITKIT_PROGRESS", "0")
        run_with_edit(path, edit)

    return type(f"Test_{path.stem.replace('-', '_')}", (), {"test_suggested_edit_runs": test_suggested_edit_runs})


for _path in syllabus.notebooks():  # the one list, _toc.yml
    _edits = suggested_edits(_path)
    if _edits:
        _cls = _make_class(_path, _edits)
        globals()[_cls.__name__] = _cls


def test_edit_that_matches_nothing_is_reported(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("depth = 30")])
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(pytest.fail.Exception, match="finds no code cell"):
        run_with_edit(path, {"exercise": "Exercise 1", "find": "depth = 99", "replace": "depth = 60"})


@pytest.mark.slow
def test_edit_that_breaks_the_notebook_fails(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("depth = 30\nassert depth == 30")])
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    run_with_edit(path, {"exercise": "ok", "find": "depth = 30", "replace": "depth = 30 "})
    with pytest.raises(pytest.fail.Exception, match="AssertionError"):
        run_with_edit(path, {"exercise": "Exercise 1", "find": "depth = 30", "replace": "depth = 60"})
