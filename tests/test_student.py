"""The exercises' example solutions stay hidden and never replace a student's function; the student release
(tools/student.py) drops them and still runs.

Static checks cover every notebook; two notebooks are executed (one student release, one course notebook
with a student's own answer), the slow part of this file.
"""
import ast
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import student  # noqa: E402

NOTEBOOKS = student.course_notebooks()
STUB = re.compile(r"^def (\w+)\(.*\n\s+raise NotImplementedError  # your code here\n", re.M)
FIRST_LINE = "# Example solution (expand to read it); it leaves your {} alone."


def read(path):
    return nbformat.read(path, as_version=4)


def exercises(nb):
    """``(name, stub cell, example cell)`` for each exercise of notebook ``nb``."""
    found = []
    for i, cell in enumerate(nb.cells):
        m = STUB.match(cell.source) if cell.cell_type == "code" else None
        if m:
            found.append((m.group(1), cell, nb.cells[i + 1]))
    return found


def solution_lines(cell):
    """The code lines between the BEGIN and END SOLUTION markers of ``cell``."""
    body = cell.source.split(student.BEGIN, 1)[1].split(student.END, 1)[0]
    return [line.strip() for line in body.splitlines() if line.strip() and not line.strip().startswith("#")]


def bound_names(source):
    """Every name a cell binds at top level (def, class, assignment, import, for, with)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name)
    return names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_example_cells_are_collapsed_marked_and_leave_the_students_function_alone(path):
    found = exercises(read(path))
    assert found, f"{path.name}: no exercise stub found"
    for name, stub, example in found:
        assert f'ik.exercises.check("{name}", {name})' in stub.source
        assert example.metadata.get("jupyter", {}).get("source_hidden") is True, name
        assert student.is_solution(example), f"{name}: the example cell lacks nbgrader's solution metadata"
        first, second = example.source.splitlines()[:2]
        # JupyterLab's collapsed view shows the first line only: a fixed sentence, no formula
        assert first == FIRST_LINE.format(name), first
        assert second == student.BEGIN and example.source.rstrip().endswith(student.END)
        assert name not in bound_names(example.source), f"{name}: the example cell rebinds the student's name"
        assert f"def example_{name}(" in example.source
        assert f'ik.exercises.check("{name}", example_{name}, example=True)' in example.source


def test_clear_solution_regions_keeps_indentation_and_text_around():
    source = "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n\nprint(f)"
    assert student.clear_solution_regions(source, stub="# YOUR CODE HERE\nraise NotImplementedError()") == (
        "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n\nprint(f)")


@pytest.mark.parametrize("source", ["### BEGIN SOLUTION\nx = 1", "x = 1\n### END SOLUTION",
                                    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION"])
def test_clear_solution_regions_rejects_unbalanced_markers(source):
    with pytest.raises(ValueError, match="SOLUTION"):
        student.clear_solution_regions(source)


def test_markers_in_a_cell_without_solution_metadata_are_an_error():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")])
    with pytest.raises(ValueError, match="no nbgrader solution metadata"):
        student.release_notebook(nb)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_release_drops_every_solution_line_and_keeps_every_stub_and_check(path):
    nb = read(path)
    released = student.release_notebook(nb)
    text = "\n".join(cell.source for cell in released.cells)
    outside = "\n".join(cell.source for cell in nb.cells if not student.is_solution(cell))
    assert student.BEGIN not in text and student.END not in text
    for cell in nb.cells:
        if student.is_solution(cell):
            for line in solution_lines(cell):
                assert line not in text or line in outside, f"{path.name}: solution line leaked: {line!r}"
    assert "example=True" not in text
    assert [name for name, *_ in exercises(released)] == [name for name, *_ in exercises(nb)]
    assert len(released.cells) == len(nb.cells) - len(exercises(nb))


def run(nb, path):
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
                   ).execute()
    return nb


def stdout(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")


@pytest.mark.slow
def test_student_release_runs_top_to_bottom_and_each_untouched_stub_says_not_yet(monkeypatch):
    # 06 has two exercises and runs in a few CPU-seconds; the other notebooks share its cell structure
    monkeypatch.setenv("INITKIT_PROGRESS", "0")
    path = next(p for p in NOTEBOOKS if p.name.startswith("06-"))
    nb = run(student.release_notebook(read(path)), path)
    for name, stub, _ in exercises(nb):
        assert stdout(stub).startswith(f"Your turn: {name} is not attempted yet."), stdout(stub)


@pytest.mark.slow
def test_run_all_leaves_the_students_function_in_place(monkeypatch):
    # the course notebook itself, collapsed examples included: Run All after the student answered
    monkeypatch.setenv("INITKIT_PROGRESS", "0")
    path = next(p for p in NOTEBOOKS if p.name.startswith("06-"))
    nb = read(path)
    answers = {"initial_loss": "    return float(np.log(n_classes))",
               "update_ratio": "    return float(np.std(W_after - W_before) / np.std(W_before))"}
    for name, stub, _ in exercises(nb):
        stub.source = stub.source.replace("    raise NotImplementedError  # your code here",
                                          answers[name] + f"\n\n\n{name}.written_by = 'the student'")
    nb.cells.append(nbformat.v4.new_code_cell(
        "print([getattr(f, 'written_by', 'someone else') for f in (initial_loss, update_ratio)])"))
    nb = run(nb, path)
    for name, stub, _ in exercises(nb):
        assert stdout(stub).startswith(f"✓ {name}: correct"), stdout(stub)
    assert stdout(nb.cells[-1]).strip() == "['the student', 'the student']"


def test_working_copy_never_overwrites_a_students_notebook_and_reset_keeps_a_backup(tmp_path, monkeypatch):
    student.write_work(tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.ipynb")) == sorted(p.name for p in NOTEBOOKS)
    mine = tmp_path / NOTEBOOKS[4].name
    mine.write_text("my edits")
    student.write_work(tmp_path)
    assert mine.read_text() == "my edits"
    monkeypatch.setattr(student, "ask", lambda question: True)
    student.reset(NOTEBOOKS[4].name[:2], tmp_path)
    assert mine.read_bytes() == NOTEBOOKS[4].read_bytes()
    assert [p.read_text() for p in (tmp_path / ".backup").iterdir()] == ["my edits"]


def test_release_asks_before_overwriting_an_edited_notebook(tmp_path, monkeypatch, capsys):
    student.write_release(tmp_path)
    edited = tmp_path / NOTEBOOKS[0].name
    edited.write_text("my answers")
    monkeypatch.setattr(student, "ask", lambda question: False)
    student.write_release(tmp_path)
    assert edited.read_text() == "my answers" and "kept" in capsys.readouterr().out
    student.write_release(tmp_path, force=True)
    assert "example_" not in edited.read_text() and "raise NotImplementedError" in edited.read_text()
