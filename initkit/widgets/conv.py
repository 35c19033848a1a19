"""Notebook 13's widget: depth, sigma_w^2 and the kernel initialization of a vanilla CNN, redrawing its
per-layer signal and its Jacobian's singular values. Wiring only: the step is
:func:`initkit.lessons.conv.conv_profile`, the figure :class:`initkit.plotting.ConvView`."""
from ..lessons.conv import KERNELS, conv_profile
from ..plotting import ConvView
from .display import assemble, ipywidgets_module, new_figure


def conv_explorer(kernel="gaussian", weight_var=1.0, depth=32, activation="tanh", q0=0.1, channels=4, size=4,
                  rng=0):
    """Sliders for the depth and sigma_w^2 (kernel variance sigma_w^2 / (k^2 c_in), or sigma_w times an
    orthogonal centre); menus for the kernel (Gaussian, delta-orthogonal, He) and the activation. Circular
    padding, ``channels`` channels on ``size x size`` images, inputs N(0, q0)."""
    w = ipywidgets_module()
    controls = {
        "kernel": w.Dropdown(options=list(KERNELS), value=kernel, description="kernel"),
        "activation": w.Dropdown(options=["tanh", "relu", "linear"], value=activation, description="activation"),
        "depth": w.IntSlider(value=depth, min=2, max=128, step=2, description="depth"),
        "weight_var": w.FloatSlider(value=weight_var, min=0.5, max=2.5, step=0.05, description="σ_w²"),
    }
    view = ConvView(fig=new_figure((5.8, 3.0)))
    return assemble("conv_explorer", controls, view,
                    lambda v: view.update(conv_profile(channels=channels, size=size, q0=q0, rng=rng, **v), q0=q0),
                    rows=[[controls["kernel"], controls["activation"]], [controls["depth"], controls["weight_var"]]])


__all__ = ["conv_explorer"]
