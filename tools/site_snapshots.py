"""The first frame of every widget of a notebook, as PNG bytes, for the website (tools/site.py).

A stored notebook keeps no widget state, so a page without a kernel cannot show a widget. For each cell
whose stored output is a widget view, this runs the cell's code the way the notebook does, with only the
earlier cells it needs (the cells that define the names it uses, found from the code, transitively),
under matplotlib's Agg backend and without a kernel (ipywidgets then opens no comm), and saves the
widget's figure (``box.view.fig``) as it was first drawn. Every initkit widget returns such a box.
"""
import ast
import builtins
import contextlib
import io
import os
import warnings

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _python(source):
    """The cell's source with each IPython magic or shell line replaced by ``pass`` (the site needs none)."""
    return "\n".join(line[: len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!"))
                     else line for line in source.splitlines())


def _names(source):
    """(names the code binds, names it reads) of one cell."""
    tree = ast.parse(source)
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else read).add(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return bound, read - set(dir(builtins))


def needed_cells(sources, target):
    """Indices of the cells before ``target`` that its code needs, in order (a backward slice by names)."""
    need = _names(sources[target])[1]
    keep = []
    for i in range(target - 1, -1, -1):
        bound, read = _names(sources[i])
        if bound & need:
            keep.append(i)
            need |= read
    return sorted(keep)


def widget_cells(nb):
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
            and any(WIDGET_VIEW in o.get("data", {}) for o in c.get("outputs", []))]


def snapshots(nb, cwd):
    """``{cell index: PNG bytes}`` of the first frame of each widget cell of notebook ``nb``."""
    targets = widget_cells(nb)
    if not targets:
        return {}
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sources = [(_python(c.source) if c.cell_type == "code" else "") for c in nb.cells]
    namespace, done, frames = {"__name__": "__main__"}, set(), {}
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")  # plt.show() under Agg, deprecations: not the site's to report
            for target in targets:
                for i in needed_cells(sources, target):
                    if i not in done:
                        exec(compile(sources[i], f"cell {i}", "exec"), namespace)
                        done.add(i)
                body = ast.parse(sources[target]).body
                *setup, last = body
                exec(compile(ast.Module(setup, []), f"cell {target}", "exec"), namespace)
                box = eval(compile(ast.Expression(last.value), f"cell {target}", "eval"), namespace)
                buffer = io.BytesIO()
                box.view.fig.savefig(buffer, format="png", dpi=100)
                frames[target] = buffer.getvalue()
                plt.close("all")
    finally:
        os.chdir(old)
        plt.close("all")
    return frames
