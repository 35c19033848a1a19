"""A Sphinx extension for the course website (tools/site.py adds it to the staged _config.yml).

Jupyter Book 1 always loads sphinx-thebe, which puts a script pointing at a CDN copy of thebe into every
page, and sphinx-thebe 0.3 adds it twice ("Identifier 'THEBE_JS_URL' has already been declared" in the
browser console). The site has no live code cells (launch buttons open Binder or Colab instead), so its
scripts are left out of every page.
"""


def drop_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files", [])
    context["script_files"] = [s for s in scripts if "thebe" not in str(getattr(s, "filename", s) or "")
                               and "THEBE_JS_URL" not in str(getattr(s, "attributes", {}).get("body", ""))]


def setup(app):
    app.connect("html-page-context", drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
