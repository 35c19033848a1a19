"""Notebook 11's widget: a width slider, a parametrization menu and a step slider redrawing the coordinate
check and the loss-vs-learning-rate curves of SP, NTK or muP (wiring only)."""
from ..lessons.width import width_records
from ..nn.data import load_dataset
from ..plotting.width_view import NAMES, WidthView
from .display import assemble, ipywidgets_module, new_figure


def default_records(rng=0):
    """The records the widget shows when the notebook passes none: :func:`initkit.lessons.width.width_records`
    on the digits."""
    return width_records(load_dataset("digits", rng=rng), rng=rng)


def width_explorer(sweeps=None, checks=None, width=None, parametrization="sp", step=1):
    """Width and step sliders and a parametrization menu over precomputed records.

    ``sweeps`` and ``checks`` map a parametrization name to an :class:`~initkit.lessons.width.LrSweep` and a
    :class:`~initkit.lessons.width.CoordinateCheck` (the notebook's own, so the widget computes nothing new);
    without them a small grid is computed (:func:`default_records`).
    """
    w = ipywidgets_module()
    if sweeps is None or checks is None:
        sweeps, checks = default_records()
    if set(sweeps) != set(checks):
        raise ValueError(f"sweeps and checks must name the same parametrizations; got {sorted(sweeps)} and "
                         f"{sorted(checks)}")
    widths = sorted(set(checks[parametrization].widths) | set(sweeps[parametrization].widths))
    steps = checks[parametrization].delta.shape[2]
    controls = {
        "parametrization": w.Dropdown(options=[(NAMES.get(p, p), p) for p in sweeps], value=parametrization,
                                      description="scaling",
                                      tooltip="parametrization: SP, NTK or muP"),
        "width": w.SelectionSlider(options=widths, value=width or widths[-1], description="width n"),
        "step": w.IntSlider(value=step, min=1, max=steps, description="after step"),
    }
    view = WidthView(sweeps, checks, fig=new_figure((5.8, 5.0)))
    return assemble("width_explorer", controls, view, lambda v: view.update(**v))


__all__ = ["width_explorer"]
