"""The instructors' guide's time table (course/instructors.md) matches the notebooks (tools/site_guide.py)."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import site_guide  # noqa: E402


def rows(table):
    return {cells[0]: cells[1:] for line in table.splitlines()
            if (cells := [c.strip() for c in line.strip("|").split("|")]) and re.match(r"\d\d-", cells[0])}


def test_guide_lists_every_notebook_with_its_reading_time_and_exercises():
    guide = (ROOT / "course" / "instructors.md").read_text()
    stored = rows(re.search(r"<!-- times:.*?-->(.*?)<!-- end times -->", guide, re.S).group(1))
    computed = rows(site_guide.table())
    assert list(stored) == list(computed), "the guide's notebooks differ from _toc.yml's: python tools/site_guide.py"
    for name, (reading, exercises, _run_all) in computed.items():
        # prose edits move the word count a little: a minute either way is still the same estimate
        assert abs(int(stored[name][0]) - int(reading)) <= 1, (name, stored[name], reading)
        assert stored[name][1] == exercises, (name, stored[name], exercises)
