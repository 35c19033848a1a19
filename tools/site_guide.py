"""The instructors' guide's time table (course/instructors.md), computed from the notebooks.

Reading time is the words of a notebook's markdown cells at 200 words a minute, rounded; exercises are the
items of its "Exercises" section (numbered or "**Exercise N.**"), of which ``auto`` are checked by
``ik.exercises.check``. ``python tools/site_guide.py`` prints the table; tests/test_site_guide.py checks
that the guide holds the same one. The Run All column is left to benchmarks/notebook_times.py.
"""
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from student import course_notebooks  # noqa: E402

WORDS_PER_MINUTE = 200
# CPU seconds of Run All from `make bench-notebooks` (benchmarks/notebook_times.py) on the 2-core development
# machine (AMD EPYC, AVX-512), 2026-12-08, the README's Speed section: re-measure when a notebook changes.
RUN_ALL = {"00": 6.5, "01": 7.2, "02": 11.0, "03": 6.8, "04": 8.6, "05": 8.1, "06": 11.9, "07": 11.9,
           "08": 8.6, "09": 10.1, "10": 9.4, "11": 9.6, "12": 7.8, "13": 8.0}


def notebook_stats(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    words = len(re.findall(r"\S+", text))
    section = re.search(r"^## Exercises\s*$(.*?)(^## References|\Z)", text, re.M | re.S)
    exercises = len(re.findall(r"^\d+\.\s|^\*\*Exercise \d+", section.group(1) if section else "", re.M))
    auto = sum(1 for c in nb.cells if c.cell_type == "code" and "raise NotImplementedError  # your code here"
               in c.source)
    return words, exercises, auto


def table():
    rows = ["| notebook | reading (min) | exercises (auto-checked) | Run All (CPU s) |",
            "|---|---:|---:|---|"]
    for path in course_notebooks():
        words, exercises, auto = notebook_stats(path)
        run_all = RUN_ALL.get(path.stem[:2], "not measured")
        rows.append(f"| {path.stem} | {round(words / WORDS_PER_MINUTE)} | {exercises} ({auto}) | {run_all} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
