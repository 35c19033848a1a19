"""Copies of the course's notebooks for students: the release without example solutions, and working copies.

``python tools/student.py release [--out student] [--force]``
    writes the student release: every notebook of ``_toc.yml`` with its example solutions removed, following
    nbgrader's markup (what ``nbgrader generate_assignment`` does with the same cells):

    - in a code cell whose metadata says ``nbgrader: {solution: true}``, each region from a line holding
      ``### BEGIN SOLUTION`` to one holding ``### END SOLUTION`` is replaced by ``CODE_STUB`` (indented like
      the BEGIN line); a solution cell without those lines is replaced whole; a markdown solution cell
      becomes ``TEXT_STUB``;
    - beyond nbgrader: a cell left holding only comments is dropped (there is nothing to run in it; the
      course's collapsed example cells are whole solution regions), and a changed cell loses its outputs;
    - what the course says about those example cells goes too, since the release has none: each exercise
      stub's ``ik.exercises.check("name", name)`` gets ``collapsed_cell=False`` (its not-attempted message then
      points to no cell below; its stored output is rewritten to match), and a markdown region from
      ``<!-- BEGIN EXAMPLE NOTE -->`` to ``<!-- END EXAMPLE NOTE -->`` is removed.
    Prompts, the exercise stubs (``raise NotImplementedError``) and their ``ik.exercises.check`` calls, and
    the stored outputs of every other cell are kept. The repository's ``nbgrader_config.py`` sets the same
    stub, so an instructor who grades with nbgrader gets the same notebooks from ``generate_assignment``.

``python tools/student.py work [--out work]``
    makes a student's working copy of the notebooks as they are (example solutions collapsed), once: a
    notebook already in the copy is never overwritten, so edits survive ``git pull`` and new releases.

``python tools/student.py reset NN [--out work] [--release]``
    puts a fresh copy of notebook NN (``04`` or ``04-he-init-for-relu``) back into the working copy after
    asking; the old one is kept in ``<out>/.backup/``.

Both folders are git-ignored. A release that finds a student's edited notebook in ``--out`` asks before
overwriting it (``--force`` overwrites, without a terminal it skips it and says so).
"""
import argparse
import copy
import datetime
import re
import shutil
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CODE_STUB = "# The example solution is not part of the student release."
NOTE = re.compile(r"<!-- BEGIN EXAMPLE NOTE -->.*?<!-- END EXAMPLE NOTE -->", re.S)
STUB_CHECK = re.compile(r"ik\.exercises\.check\((\"\w+\"), (\w+)\)")
POINTER = " (an example solution is in the collapsed cell below)"
TEXT_STUB = "YOUR ANSWER HERE"


def course_notebooks(root=ROOT):
    """The notebooks of ``_toc.yml``, in syllabus order (the one list of the course's notebooks)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    return [root / f"{f}.ipynb" for f in files]


def is_solution(cell):
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def clear_solution_regions(source, stub=CODE_STUB):
    """``source`` with each BEGIN/END SOLUTION region replaced by ``stub``, indented like its BEGIN line."""
    out, inside = [], False
    for line in source.splitlines():
        if BEGIN in line:
            if inside:
                raise ValueError(f"a {BEGIN!r} inside another solution region: {line!r}")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + s for s in stub.splitlines())
        elif END in line:
            if not inside:
                raise ValueError(f"an {END!r} without its {BEGIN!r}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"a {BEGIN!r} without its {END!r}")
    return "\n".join(out)


def only_comments(source):
    return all(not line.strip() or line.lstrip().startswith("#") for line in source.splitlines())


def release_notebook(nb):
    """A copy of notebook ``nb`` (nbformat node) without its solutions (see the module docstring)."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        marked = cell.cell_type == "code" and BEGIN in cell.source
        if marked and not is_solution(cell):
            raise ValueError(f"cell {cell.get('id')} has {BEGIN!r} but no nbgrader solution metadata")
        if is_solution(cell):
            if cell.cell_type == "markdown":
                cell.source = TEXT_STUB
            else:
                cell.source = clear_solution_regions(cell.source) if marked else CODE_STUB
                if only_comments(cell.source):
                    continue
                cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown" and "<!-- BEGIN EXAMPLE NOTE -->" in cell.source:
            cell.source = NOTE.sub("", cell.source)
        elif cell.cell_type == "code" and "raise NotImplementedError" in cell.source and STUB_CHECK.search(cell.source):
            cell.source = STUB_CHECK.sub(r"ik.exercises.check(\1, \2, collapsed_cell=False)", cell.source)
            for output in cell.get("outputs", []):
                if "text" in output:
                    output["text"] = output["text"].replace(POINTER, "")
        cells.append(cell)
    nb.cells = cells
    return nb


def ask(question):
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def backup(path):
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.parent / ".backup" / f"{path.stem}-{stamp}{path.suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(path, target)
    return target


def write_release(out, force=False):
    out.mkdir(parents=True, exist_ok=True)
    for src in course_notebooks():
        text = nbformat.writes(release_notebook(nbformat.read(src, as_version=4)))
        dest = out / src.name
        if dest.exists() and dest.read_text() != text and not force:
            if not ask(f"{dest} differs from the release (your edits?). Overwrite it (a backup is kept)?"):
                print(f"kept {dest} as it is (python tools/student.py release --force overwrites it)")
                continue
            print(f"backed up your {dest.name} to {backup(dest)}")
        dest.write_text(text)
    print(f"wrote the student release of {len(course_notebooks())} notebooks to {out}/")


def write_work(out):
    out.mkdir(parents=True, exist_ok=True)
    new = [src for src in course_notebooks() if not (out / src.name).exists()]
    for src in new:
        shutil.copyfile(src, out / src.name)
    if new:
        print(f"copied {len(new)} notebooks to {out}/: edit and save them there; notebooks/ stays as released")


def reset(number, out, release=False):
    matches = [p for p in course_notebooks() if re.match(rf"{re.escape(number)}(\b|-|$)", p.stem)]
    if len(matches) != 1:
        names = ", ".join(p.stem for p in course_notebooks())
        raise SystemExit(f"NB must name one notebook (one of {names}); got {number!r}")
    src = matches[0]
    dest = out / src.name
    if dest.exists():
        if not ask(f"Replace {dest} with a fresh copy? Your version is kept in {out}/.backup/."):
            raise SystemExit(f"left {dest} as it is")
        print(f"your version is now {backup(dest)}")
    out.mkdir(parents=True, exist_ok=True)
    if release:
        dest.write_text(nbformat.writes(release_notebook(nbformat.read(src, as_version=4))))
    else:
        shutil.copyfile(src, dest)
    print(f"{dest} is a fresh copy")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="write the notebooks without example solutions")
    rel.add_argument("--out", type=Path, default=ROOT / "student")
    rel.add_argument("--force", action="store_true", help="overwrite edited notebooks without asking")
    work = sub.add_parser("work", help="make the working copy (notebooks not there yet)")
    work.add_argument("--out", type=Path, default=ROOT / "work")
    res = sub.add_parser("reset", help="put a fresh copy of one notebook into the working copy")
    res.add_argument("notebook")
    res.add_argument("--out", type=Path, default=ROOT / "work")
    res.add_argument("--release", action="store_true", help="the fresh copy is the student release's")
    args = parser.parse_args(argv)
    if args.command == "release":
        write_release(args.out, args.force)
    elif args.command == "work":
        write_work(args.out)
    else:
        reset(args.notebook, args.out, args.release)


if __name__ == "__main__":
    main()
