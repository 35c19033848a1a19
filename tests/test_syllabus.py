"""tools/syllabus.py: the reader of the one list of notebooks, ``_toc.yml``, and of each notebook's opening."""
import syllabus

TOC = """\
# a comment
format: jb-book
root: course/index
parts:
  - caption: "First part"
    chapters:
      - file: notebooks/00-start-here
      - file: notebooks/01-zero-and-symmetric-init  # a trailing comment
  - caption: Second part
    chapters:
      - file: notebooks/02-random-init-scale.ipynb
"""


def test_parts_and_notebooks_in_toc_order(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text(TOC)
    parts = syllabus.parts(toc)
    assert [caption for caption, _ in parts] == ["First part", "Second part"]
    assert [p.name for p in syllabus.notebooks(toc)] == [
        "00-start-here.ipynb", "01-zero-and-symmetric-init.ipynb", "02-random-init-scale.ipynb"]
    assert all(p.parent == syllabus.ROOT / "notebooks" for p in syllabus.notebooks(toc))


def test_the_reader_agrees_with_a_yaml_parser():
    yaml = __import__("pytest").importorskip("yaml")
    toc = yaml.safe_load(syllabus.TOC.read_text(encoding="utf-8"))
    files = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    assert [str(p.relative_to(syllabus.ROOT).with_suffix("")) for p in syllabus.notebooks()] == files


def test_title_learn_and_summary_of_a_notebook():
    nb = {"metadata": {"initkit": {"summary": "one line"}},
          "cells": [{"cell_type": "markdown", "source": [
              "# 07 · Choosing an initializer\n", "\n", "**What you'll learn**\n", "- one\n", "- two, which\n",
              "  continues\n", "- three\n", "\n", "More text.\n"]}]}
    assert syllabus.title(nb) == ("07", "Choosing an initializer")
    assert syllabus.learn(nb) == ["one", "two, which continues", "three"]
    assert syllabus.summary(nb) == "one line"
    assert syllabus.title({"cells": [{"cell_type": "markdown", "source": "no title"}]}) is None
