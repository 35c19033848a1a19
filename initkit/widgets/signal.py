"""Notebook 08's widget: the phase-diagram explorer (edge of chaos). Wiring only: sliders (or a click on the
phase diagram) -> :func:`initkit.lessons.signal.signal_step` -> :class:`initkit.plotting.SignalView`."""
from ..lessons.signal import WEIGHTS, signal_step
from ..plotting.signal_figures import SB2_RANGE, SW2_RANGE
from ..plotting.signal_view import SignalView
from .display import assemble, ipywidgets_module, new_figure


def edge_of_chaos(weight_var_n=1.76, bias_var=0.05, depth=30, width=128, weights="gaussian", c0=0.5, rng=0):
    """Sliders for sigma_w^2, sigma_b^2, depth and the weights' law (a click on the phase diagram moves the two
    scales there): two inputs of correlation ``c0`` through a random tanh network, measured beside theory."""
    w = ipywidgets_module()
    controls = {
        "weight_var_n": w.FloatSlider(value=weight_var_n, min=SW2_RANGE[0], max=SW2_RANGE[1], step=0.02,
                                      description="σ_w²"),
        "bias_var": w.FloatSlider(value=bias_var, min=SB2_RANGE[0], max=SB2_RANGE[1], step=0.005,
                                  description="σ_b²", readout_format=".3f"),
        "depth": w.IntSlider(value=depth, min=2, max=100, description="depth"),
        "weights": w.Dropdown(options=list(WEIGHTS), value=weights, description="weights"),
    }
    view = SignalView(fig=new_figure((5.8, 5.6)))
    box = assemble("edge_of_chaos", controls, view,
                   lambda v: view.update(signal_step(c0=c0, width=width, rng=rng, **v)))

    def on_click(event):  # a click on the phase diagram sets both scales (the sliders then redraw)
        if event.inaxes is view.ax_phase and event.xdata is not None:
            controls["bias_var"].value = min(max(event.ydata, SB2_RANGE[0]), SB2_RANGE[1])
            controls["weight_var_n"].value = min(max(event.xdata, SW2_RANGE[0]), SW2_RANGE[1])

    view.fig.canvas.mpl_connect("button_press_event", on_click)
    return box


__all__ = ["edge_of_chaos"]
