"""Notebook 12's widget: the recurrent matrix's scale and initialization, the activation and the sequence
length, redrawing the gradient through time and the spectrum. Wiring only: the step is
:func:`initkit.lessons.recurrent.gradient_vs_time`, the figure :class:`initkit.plotting.RecurrentView`."""
from ..lessons.recurrent import gradient_vs_time
from ..nn.recurrent import RECURRENT_INITS
from ..plotting import RecurrentView
from .display import assemble, ipywidgets_module, new_figure


def recurrent_explorer(init="gaussian", scale=1.0, T=100, activation="tanh", input_std=1.0, hidden=64, n_seeds=5,
                       rng=0):
    """Sliders for the scale g of W_h (std g/sqrt(n), or g times an orthogonal / identity matrix), the
    sequence length T and the input's std; menus for the initialization and the activation."""
    w = ipywidgets_module()
    controls = {
        "init": w.Dropdown(options=list(RECURRENT_INITS), value=init, description="W_h init"),
        "activation": w.Dropdown(options=["tanh", "relu", "linear"], value=activation, description="activation"),
        "scale": w.FloatSlider(value=scale, min=0.5, max=3.0, step=0.05, description="scale g"),
        "T": w.IntSlider(value=T, min=10, max=200, step=10, description="length T"),
        "input_std": w.FloatSlider(value=input_std, min=0.0, max=2.0, step=0.1, description="input std"),
    }
    view = RecurrentView(n_seeds=n_seeds, fig=new_figure((5.8, 5.0)))
    return assemble("recurrent_explorer", controls, view,
                    lambda v: view.update(gradient_vs_time(hidden=hidden, n_seeds=n_seeds, rng=rng, **v)),
                    rows=[[controls["init"], controls["activation"]],
                          [controls["scale"], controls["T"], controls["input_std"]]])


__all__ = ["recurrent_explorer"]
