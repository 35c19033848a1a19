"""Launch anywhere: every notebook's imports cell installs initkit where it is missing (Colab) and turns on
Colab's widget manager, printing nothing where initkit is installed; notebook 00 prints initkit's version."""
import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from student import course_notebooks  # noqa: E402

REPOSITORY = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def imports_cell(path):
    nb = nbformat.read(path, as_version=4)
    return next(c for c in nb.cells if c.cell_type == "code" and "import initkit as ik" in c.source)


@pytest.mark.parametrize("path", course_notebooks(), ids=lambda p: p.stem[:2])
def test_imports_cell_installs_initkit_only_when_missing_and_enables_colabs_widgets(path):
    source = imports_cell(path).source
    first = source.split("\n\n")[0]
    assert first == imports_cell(course_notebooks()[0]).source.split("\n\n")[0], "the same block in every notebook"
    install = re.search(r"^try:.*\n    import initkit\nexcept ImportError:\n    %pip install --quiet "
                        r"\"initkit\[widgets,data\] @ git\+(\S+)\"\n", first)
    assert install and install.group(1) == REPOSITORY, "installs from _config.yml's repository, only on ImportError"
    assert "from google.colab import output\n    output.enable_custom_widget_manager()\nexcept ImportError:" in first
    assert "print(" not in first


def test_notebook_00_prints_the_initkit_version_it_was_executed_with():
    import initkit

    cell = imports_cell(course_notebooks()[0])
    assert 'print(f"initkit {ik.__version__}")' in cell.source
    assert "".join(o.get("text", "") for o in cell.outputs) == f"initkit {initkit.__version__}\n"
