"""Notebook 09's widget: depth, branch scale and scheme, redrawing the residual stream block by block."""
from ..lessons.residual import CHOICES, profile_choice, theory_range
from ..plotting.residual_view import ResidualView
from .display import assemble, ipywidgets_module, new_figure


def residual_explorer(n_blocks=50, alpha=1.0, choice="He (fails)", width=64, n_samples=128, rng=0):
    """Sliders for the number of blocks and the branch multiplier alpha, a menu of schemes; draws the forward
    second moment and the gradient's per block with the theory (1 + alpha^2 c)^l."""
    w = ipywidgets_module()
    controls = {
        "n_blocks": w.IntSlider(value=n_blocks, min=1, max=100, description="blocks L"),
        "alpha": w.FloatSlider(value=alpha, min=0.0, max=1.5, step=0.01, description="branch scale α"),
        # 340 px: the longest label, "zero gamma + BatchNorm", whole beside the 100 px description
        "choice": w.Dropdown(options=list(CHOICES), value=choice, description="initialization",
                             layout=w.Layout(width="340px")),
    }
    view = ResidualView(fig=new_figure((5.8, 4.2)))

    def update(v):
        # The y axes cover what every scheme's theory predicts at this depth and alpha (and the measurement):
        # moving through the menu keeps them, so the step redraws the data, not the whole figure.
        view.update(profile_choice(width=width, n_samples=n_samples, rng=rng, **v),
                    cover=theory_range(v["n_blocks"], v["alpha"]))

    return assemble("residual_explorer", controls, view, update)


__all__ = ["residual_explorer"]
