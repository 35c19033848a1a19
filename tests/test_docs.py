"""The README's initializer table is generated from the one table: adding an initializer without
regenerating the docs (python tools/docs.py) fails here."""
import importlib.util
import pathlib

import pytest

import initkit as ik
from initkit.core import registry
import syllabus

ROOT = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("initkit_tools_docs", ROOT / "tools" / "docs.py")
docs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(docs)


def test_the_readme_table_is_the_generated_table():
    _, block, _ = docs.split(docs.README.read_text(encoding="utf-8"))
    assert block == docs.block(), (
        "README.md's initializer table differs from initkit.core.registry.markdown_table(): "
        "run python tools/docs.py and commit README.md")


def test_every_initializer_and_alias_has_a_row():
    table = registry.markdown_table()
    rows = table.splitlines()[2:]
    assert len(rows) == len(registry.INIT_TABLE)
    for row, spec in zip(rows, registry.INIT_TABLE.values()):
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[0] == f"`{spec.name}`"
        assert all(f"`{alias}`" in cells[1] for alias in spec.aliases)
        assert cells[3] == spec.formula.removeprefix("Var(W) = ")
        assert cells[4] == spec.paper


def test_the_readme_goes_stale_when_an_initializer_is_added():
    text = docs.README.read_text(encoding="utf-8")
    saved = (dict(registry.INIT_TABLE), dict(registry.INITIALIZERS), dict(registry.ALIASES))
    try:
        ik.register_initializer(ik.InitSpec("docs_probe", ik.lecun_normal, "normal", 1.0, "fan_in", paper="a test"))
        assert docs.render(text) != text
        assert "| `docs_probe` |  | normal | 1 / fan_in | a test |" in docs.render(text)
    finally:
        for table, old in zip((registry.INIT_TABLE, registry.INITIALIZERS, registry.ALIASES), saved):
            table.clear()
            table.update(old)
    assert docs.render(text) == text


def test_render_replaces_only_the_block_between_the_markers():
    text = f"intro\n{docs.BEGIN}\nold table\n{docs.END}\nmiddle\n{docs.COURSE_BEGIN}\nold course\n{docs.END}\noutro\n"
    new = docs.render(text)
    assert new.startswith(f"intro\n{docs.BEGIN}\n\n| initializer |")
    assert f"\n\n{docs.END}\nmiddle\n{docs.COURSE_BEGIN}\n\n| # | notebook |" in new
    assert new.endswith(f"\n\n{docs.END}\noutro\n") and "old table" not in new and "old course" not in new
    with pytest.raises(ValueError, match="marker"):
        docs.split("a README without markers")


def test_a_pipe_in_a_cell_does_not_break_the_table():
    assert registry._cell("a | b") == "a \\| b"
    rows = registry.markdown_table().splitlines()
    assert all(row.replace("\\|", "").count("|") == 6 for row in rows)  # 5 cells in every row


def test_the_course_tables_are_generated_from_the_toc():
    text = docs.README.read_text(encoding="utf-8")
    _, block, _ = docs.split(text, docs.COURSE_BEGIN)
    assert block == docs.course_block("notebooks/"), \
        "README.md's course table differs from _toc.yml: run python tools/docs.py and commit README.md"
    nb = syllabus.read(docs.START_HERE)
    cell = next(c for c in nb["cells"] if docs.COURSE_BEGIN in syllabus.source(c))
    _, block, _ = docs.split(syllabus.source(cell), docs.COURSE_BEGIN)
    assert block == docs.course_block(""), \
        "notebook 00's course table differs from _toc.yml: run python tools/docs.py and commit the notebook"


def test_course_table_rows_follow_the_toc_with_title_and_summary():
    rows = syllabus.course_table("notebooks/").splitlines()[2:]
    assert len(rows) == len(syllabus.notebooks())
    for row, path in zip(rows, syllabus.notebooks()):
        nb = syllabus.read(path)
        number, title = syllabus.title(nb)
        assert row == f"| {number} | [{title}](notebooks/{path.name}) | {syllabus.summary(nb)} |"
