"""The course website (tools/site.py, `make site`) as a reader sees it, in headless Chromium.

The site is built once into a temporary folder, from the stored outputs, and served on 127.0.0.1. Every
page must load without console errors and without any request to another server (MathJax and the theme's
fonts are vendored), render its math, show every figure and widget snapshot with non-blank pixels, and
fit a 1024 px window; every internal link must resolve, anchors included.
"""
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from browser_support import ROOT, free_port, start_server, stop_server, wait_for_http



def _widget_cells():
    """Widget cells (a code cell calling ``ik.widgets.``) in the notebooks of _toc.yml: each gets a snapshot."""
    import json

    import syllabus

    return sum("ik.widgets." in "".join(c["source"]) for path in syllabus.notebooks()
               for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")


N_WIDGETS = _widget_cells()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    work = tmp_path_factory.mktemp("site")
    out = work / "html"
    if os.environ.get("INITKIT_SITE"):  # a site built already (`make site`: _build/html), to test it again
        out = Path(os.environ["INITKIT_SITE"]).resolve()
    else:
        done = subprocess.run([sys.executable, str(ROOT / "tools" / "site.py"), "--out", str(out), "--src",
                               str(work / "src")], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    port = free_port()
    proc = start_server([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory",
                         str(out)], work / "http.log", None)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/index.html")
        yield {"dir": out, "url": f"http://127.0.0.1:{port}/"}
    finally:
        stop_server(proc)


def stored_figures():
    import nbformat

    return sum(1 for p in (ROOT / "notebooks").glob("*.ipynb") for c in nbformat.read(p, as_version=4).cells
               if c.cell_type == "code" for o in c.get("outputs", []) if "image/png" in o.get("data", {}))


def pages(out):
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if "_static" not in p.parts)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def parse(path):
    parser = Links()
    parser.feed(path.read_text())
    return parser


def test_site_has_every_notebook_the_landing_page_and_the_guide(site):
    names = pages(site["dir"])
    for required in ["index.html", "course/index.html", "course/instructors.html"]:
        assert required in names
    notebooks = [n for n in names if n.startswith("notebooks/")]
    assert len(notebooks) == len(list((ROOT / "notebooks").glob("*.ipynb"))), notebooks


def test_every_internal_link_resolves(site):
    out, broken = site["dir"], []
    parsed = {name: parse(out / name) for name in pages(site["dir"])}
    for name, page in parsed.items():
        for href in page.hrefs:
            if urlparse(href).scheme in ("http", "https", "mailto", "data") or href.startswith("javascript:"):
                continue
            target, anchor = urldefrag(urljoin(f"http://site/{name}", href))
            path = urlparse(target).path.lstrip("/") or "index.html"
            if path.endswith("/"):
                path += "index.html"
            if not (out / path).is_file():
                broken.append(f"{name}: {href} (no file {path})")
            elif anchor and path.endswith(".html"):
                ids = parsed[path].ids if path in parsed else parse(out / path).ids
                if anchor not in ids:
                    broken.append(f"{name}: {href} (no id {anchor!r} in {path})")
    assert not broken, "\n".join(broken[:30])


IMAGES = """async () => {
    const imgs = [...document.querySelectorAll('main img')];
    imgs.forEach(img => { img.loading = 'eager'; });
    await Promise.all(imgs.map(img => img.decode().catch(() => null)));
    return imgs.map(img => {
        const c = document.createElement('canvas');
        c.width = img.naturalWidth; c.height = img.naturalHeight;
        const seen = new Set();
        if (img.naturalWidth > 0) {
            const g = c.getContext('2d'); g.drawImage(img, 0, 0);
            const d = g.getImageData(0, 0, c.width, c.height).data;
            for (let i = 0; i < d.length && seen.size < 3; i += 4 * 97) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
        }
        return [img.getAttribute('alt') || img.getAttribute('src').slice(0, 60), seen.size >= 3];
    });
}"""


def test_every_page_loads_offline_without_errors_renders_math_and_figures_and_fits_1024px(site, browser):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.set_default_timeout(120_000)
    errors, outside = [], []
    page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda err: errors.append(f"page error: {err}"))

    def route(r):
        if r.request.url.startswith(site["url"]) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    snapshots, n_images, problems = 0, 0, []
    try:
        for name in pages(site["dir"]):
            errors.clear()
            page.goto(site["url"] + name, wait_until="load")
            page.wait_for_function("document.fonts.status === 'loaded'")
            has_math = page.locator(".math").count() > 0
            if has_math:
                page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
                page.evaluate("MathJax.startup.promise")
                rendered = page.locator("mjx-container").count()
                if rendered < page.locator(".math").count() or page.locator("mjx-merror").count():
                    problems.append(f"{name}: {rendered} MathJax outputs for {page.locator('.math').count()} "
                                    f"math elements, {page.locator('mjx-merror').count()} errors")
            images = page.evaluate(IMAGES)  # every image decoded, at least three colours in a sparse sample
            problems += [f"{name}: blank or missing image {alt!r}" for alt, ok in images if not ok]
            n_images += len(images)
            snapshots += page.locator(".initkit-widget-snapshot img").count()
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if width[0] > width[1]:
                problems.append(f"{name}: {width[0]} px wide in a {width[1]} px window")
            problems += [f"{name}: {e}" for e in errors]
    finally:
        page.close()
    assert not outside, f"pages requested other servers: {sorted(set(outside))[:10]}"
    assert not problems, "\n".join(problems[:30])
    assert snapshots == N_WIDGETS
    assert n_images >= stored_figures() + N_WIDGETS  # every notebook's figures as well as the snapshots
