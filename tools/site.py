"""Build the course website: every notebook of ``_toc.yml`` with its stored outputs, offline.

``python tools/site.py [--out _build/html]`` (``make site``):

1. stages a source tree in ``_build/site-src``: ``_config.yml``, the pages of ``course/``, a table of
   contents made of ``_toc.yml`` (the one list of notebooks) plus the instructors' guide, and a copy of
   each notebook in which every widget output is replaced by a snapshot of the widget's first frame
   (tools/site_snapshots.py) and a line saying how to run it live; the landing page's syllabus is written
   from ``_toc.yml`` and the notebooks' titles;
2. builds it with Jupyter Book 1 (Sphinx + MyST-NB), notebooks not executed (``execute_notebooks: off``);
3. vendors MathJax 3 (the files of the ``sphinx-mathjax-offline`` package) into ``_static/mathjax`` of the
   output, where ``_config.yml``'s ``mathjax_path`` points, so no page loads a script or font from a CDN;
4. prints the number of pages and the size of the site.

Nothing is downloaded: Jupyter Book 1's theme and extensions are Python packages of requirements.txt.
"""
import argparse
import base64
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from site_snapshots import WIDGET_VIEW, snapshots  # noqa: E402

COURSE_PAGES = [("For instructors", ["course/instructors"])]
LIVE_NOTE = ("Snapshot of the widget's first frame: the sliders need a running kernel. Run this notebook "
             "(<code>make lab</code>, or the launch button at the top of this page) to move them.")
MATHJAX_PARTS = ["tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y"]


def toc_notebooks(toc):
    return [ch["file"] for part in toc["parts"] for ch in part["chapters"]]


def notebook_title(nb):
    first = next(c.source for c in nb.cells if c.cell_type == "markdown")
    title = first.splitlines()[0].lstrip("# ").strip()
    return re.sub(r"^\d+\s*·\s*", "", title)


def syllabus(toc, titles):
    lines = []
    for part in toc["parts"]:
        lines += [f"**{part['caption']}**", "", "| # | notebook |", "|---|---|"]
        for ch in part["chapters"]:
            name = Path(ch["file"]).name
            lines.append(f"| {name[:2]} | [{titles[ch['file']]}](../{ch['file']}.ipynb) |")
        lines.append("")
    return "\n".join(lines)


def snapshot_output(png, source):
    alt = html.escape(f"first frame of {source.strip().splitlines()[0]}", quote=True)
    data = base64.b64encode(png).decode()
    markup = (f'<figure class="initkit-widget-snapshot"><img src="data:image/png;base64,{data}" alt="{alt}" '
              f'style="max-width: 100%; height: auto"><figcaption>{LIVE_NOTE}</figcaption></figure>')
    return nbformat.v4.new_output("display_data", data={"text/html": markup})


def stage_notebook(src, dest):
    nb = nbformat.read(src, as_version=4)
    frames = snapshots(nb, src.parent)
    for index, png in frames.items():
        cell = nb.cells[index]
        cell.outputs = [snapshot_output(png, cell.source)]
    for cell in nb.cells:  # JupyterLab's heading anchors keep their case; Sphinx's are lower case
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"\]\(#([^)\s]+)\)", lambda m: f"](#{m.group(1).lower()})", cell.source)
    missing = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
               and any(WIDGET_VIEW in o.get("data", {}) for o in c.get("outputs", []))]
    if missing:
        raise RuntimeError(f"{src.name}: no snapshot for the widget cells {missing}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    return notebook_title(nb), len(frames)


def stage(src_dir):
    if src_dir.exists():
        shutil.rmtree(src_dir)
    src_dir.mkdir(parents=True)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["sphinx"]["local_extensions"] = {"site_sphinx": str(ROOT / "tools")}  # tools/site_sphinx.py
    (src_dir / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    shutil.copytree(ROOT / "course", src_dir / "course")
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    titles, n_frames = {}, 0
    for name in toc_notebooks(toc):
        titles[name], frames = stage_notebook(ROOT / f"{name}.ipynb", src_dir / f"{name}.ipynb")
        n_frames += frames
        print(f"staged {name} ({frames} widget snapshot{'s' * (frames != 1)})", flush=True)
    site_toc = dict(toc, parts=toc["parts"] + [{"caption": caption, "chapters": [{"file": f} for f in files]}
                                               for caption, files in COURSE_PAGES])
    (src_dir / "_toc.yml").write_text(yaml.safe_dump(site_toc, sort_keys=False))
    index = src_dir / "course" / "index.md"
    index.write_text(re.sub(r"<!-- syllabus:.*?-->", lambda _: syllabus(toc, titles), index.read_text()))
    return n_frames


def vendor_mathjax(out):
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None:
        raise SystemExit("MathJax is vendored from the sphinx-mathjax-offline package: pip install -r requirements.txt")
    source = Path(spec.origin).parent / "static" / "mathjax"
    target = out / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        src, dest = source / part, target / part
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(src, dest, dirs_exist_ok=True) if src.is_dir() else shutil.copy(src, dest)


def size_report(out):
    pages = sorted(p for p in out.rglob("*.html") if "_static" not in p.relative_to(out).parts)
    content = [p for p in pages if p.name not in ("search.html", "genindex.html") and p.parent != out]
    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    return len(content), total / 1e6


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--src", type=Path, default=ROOT / "_build" / "site-src")
    args = parser.parse_args(argv)
    os.environ.setdefault("INITKIT_PROGRESS", "0")
    n_frames = stage(args.src)
    jb = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jb), "build", str(args.src), "--builder", "html", "--all", "--keep-going", "-W", "-q"],
                   check=True)
    built = args.src / "_build" / "html"
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(built, args.out)
    (args.out / ".nojekyll").touch()  # GitHub Pages: serve _static/ and _images/ as they are
    vendor_mathjax(args.out)
    pages, mb = size_report(args.out)
    where = args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out
    print(f"site: {pages} pages, {n_frames} widget snapshots, {mb:.1f} MB in {where}/; open {where}/index.html")


if __name__ == "__main__":
    main()
