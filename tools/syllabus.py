"""The one list of notebooks: read ``_toc.yml`` (Jupyter Book's table of contents) and each notebook's opening.

Everything that needs the list of notebooks reads it from here: the README's and notebook 00's course tables
(``tools/docs.py``), the benchmarks, the notebook checklist test. Nothing here imports ``initkit`` or a YAML
library, so a script, a test or a benchmark can import it at no cost:

    sys.path.insert(0, str(ROOT / "tools")); import syllabus; syllabus.notebooks()

A notebook's line in ``_toc.yml`` is ``- file: notebooks/NN-topic`` (no extension), inside a part's
``chapters:``. The table row of a notebook comes from the notebook itself: its title is the first line,
``# NN · Title``, and its one-line summary is the notebook metadata ``initkit.summary``.
"""
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOC = ROOT / "_toc.yml"

_FILE = re.compile(r"^\s*-?\s*file:\s*(\S+?)\s*$")
_CAPTION = re.compile(r"^\s*-?\s*caption:\s*[\"']?(.*?)[\"']?\s*$")
_TITLE = re.compile(r"^#\s+(\d\d)\s+·\s+(.+?)\s*$")


def parts(toc=TOC):
    """``[(caption, [path, ...]), ...]`` in syllabus order; paths are absolute ``.ipynb`` paths."""
    out = []
    for line in pathlib.Path(toc).read_text(encoding="utf-8").splitlines():
        line = line.split(" #")[0]
        if m := _CAPTION.match(line):
            out.append((m.group(1), []))
        elif m := _FILE.match(line):
            if not out:
                out.append(("", []))
            name = m.group(1)
            out[-1][1].append(ROOT / (name if name.endswith(".ipynb") else name + ".ipynb"))
    return out


def notebooks(toc=TOC):
    """Every notebook of the course as an absolute path, in the order of ``_toc.yml``."""
    return [path for _, paths in parts(toc) for path in paths]


def read(path):
    """The notebook at ``path`` as a dict (nbformat 4 JSON)."""
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def title(nb):
    """``(number, title)`` from the first line of the first cell, ``# NN · Title``; ``None`` if absent."""
    first = source(nb["cells"][0]).splitlines()[0] if nb["cells"] else ""
    m = _TITLE.match(first)
    return (m.group(1), m.group(2)) if m else None


def learn(nb):
    """The bullets under the first cell's "What you'll learn" (or "What you will learn") line (a bullet's continuation lines joined)."""
    lines = source(nb["cells"][0]).splitlines()
    start = next((i for i, line in enumerate(lines) if re.search(r"What you(?:'ll| will) learn", line)), None)
    if start is None:
        return []
    bullets = []
    for line in lines[start + 1:]:
        if line.startswith("- "):
            bullets.append(line[2:].strip())
        elif line.startswith("  ") and bullets:
            bullets[-1] += " " + line.strip()
        else:
            break
    return bullets


def summary(nb):
    """The one line the course tables show for this notebook: notebook metadata ``initkit.summary``."""
    return nb.get("metadata", {}).get("initkit", {}).get("summary", "")


def course_table(link_prefix="notebooks/", toc=TOC):
    """The course table in Markdown, one row per notebook of ``_toc.yml``: number, linked title, summary."""
    rows = ["| # | notebook | what it teaches |", "|---|---|---|"]
    for path in notebooks(toc):
        nb = read(path)
        number, text = title(nb) or (path.name[:2], path.stem)
        rows.append(f"| {number} | [{text}]({link_prefix}{path.name}) | {summary(nb)} |")
    return "\n".join(rows)
