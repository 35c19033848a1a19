"""Make re-executed notebooks diff-free: widget views get model ids derived from their cell id, consecutive
stdout/stderr chunks are merged (how the kernel splits them depends on timing; nbval merges them too), and
cells marked ``# NBVAL_IGNORE_OUTPUT`` (timings, which nbval does not compare) are stored without outputs.

``nbstripout --keep-output --keep-count`` already drops widget state; the model id inside each widget-view
output is random per run, and nbval does not compare it, so it is replaced by a stable one.
Usage: python tools/nbclean.py notebooks/*.ipynb
"""
import sys

import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def clean(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("# NBVAL_IGNORE_OUTPUT"):
            cell.outputs = []
        merged = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (output.get("output_type") == "stream" and previous is not None
                    and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
                previous["text"] += output["text"]
            else:
                merged.append(output)
        if cell.cell_type == "code":
            cell.outputs = merged
        for k, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None:
                view["model_id"] = f"{cell.get('id', 'cell')}-{k}"
    nbformat.write(nb, path)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        clean(p)
