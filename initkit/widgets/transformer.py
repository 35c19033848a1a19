"""Notebook 10's widget: a pre-LN transformer at initialization, its depth, logit scale, Q/K weight scale and
residual-projection scale on sliders; residual-stream std and attention entropy per block redrawn."""
from ..lessons.transformer import residual_stream
from ..plotting import TransformerView
from .display import assemble, ipywidgets_module, new_figure


def transformer_init(depth=12, logit_factor=1.0, qk_scale=1.0, proj_scale=1.0, init="gpt2", batch=4, rng=0):
    """Sliders for depth, the logit scale factor (× 1/sqrt(d_k)), a factor on the Q/K weights and on the
    residual projections (1 = GPT-2's 0.02/sqrt(2L)); each step is one forward pass of
    :func:`initkit.lessons.transformer.residual_stream` (d = 64, one head, T = 16, ``batch`` sequences, float32)."""
    w = ipywidgets_module()
    log = dict(base=10, step=0.05, readout_format=".3g", continuous_update=True)
    controls = {
        "depth": w.IntSlider(value=depth, min=1, max=48, description="blocks L", continuous_update=True),
        "logit_factor": w.FloatLogSlider(value=logit_factor, min=-1, max=2, description="logit scale",
                                         readout=False, **log),
        "qk_scale": w.FloatLogSlider(value=qk_scale, min=-1, max=2, description="Q/K std ×", **log),
        "proj_scale": w.FloatLogSlider(value=proj_scale, min=-2, max=2, description="proj std ×", **log),
    }
    # The logit slider's readout says what the factor multiplies: 1.00/√d_k is Vaswani's scale, 8/√d_k = 1 unscaled.
    logit = w.Label(layout=w.Layout(width="auto", min_width="90px"))
    logit.add_class("initkit-logit-readout")
    view = TransformerView(fig=new_figure((5.8, 4.6)))

    def update(values):
        logit.value = f"{values['logit_factor']:.3g} / √d_k"
        view.update(residual_stream(init=init, batch=batch, rng=rng, **values), **values)

    return assemble("transformer_init", controls, view, update,
                    rows=[[controls["depth"], controls["proj_scale"]],
                          [controls["logit_factor"], logit, controls["qk_scale"]]])


__all__ = ["transformer_init"]
