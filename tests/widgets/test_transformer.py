"""The transformer widget: builds, moves with its controls, and its step measures what the view shows."""
import numpy as np
import pytest

pytest.importorskip("ipywidgets")

import initkit as ik  # noqa: E402
import initkit.widgets  # noqa: E402,F401
from initkit.lessons.transformer import residual_stream  # noqa: E402


def test_transformer_widget_redraws_for_every_control():
    box = ik.widgets.transformer_init(depth=4)
    assert repr(box).startswith("initkit.widgets.transformer_init")
    view = box.view
    box.controls["depth"].value = 6
    assert len(view.ent.get_xdata()) == 6 and len(view.std.get_xdata()) == 7
    box.controls["qk_scale"].value = 50.0
    assert np.mean(view.ent.get_ydata()) < 0.5 * view.uniform.get_ydata()[0]  # Q/K x 50: saturated attention
    box.controls["proj_scale"].value = 0.01
    assert "× 0.01" in view.ax_std.get_title()


def test_stream_step_zero_projections_keep_the_stream_and_theory_follows_gpt2():
    zero = residual_stream(8, proj_scale=0.0)
    np.testing.assert_allclose(zero.stream_std, zero.stream_std[0], rtol=1e-6)
    rec = residual_stream(24, init="normal", batch=16)
    ratio = rec.stream_std / rec.stream_theory
    # independent tokens: right at block 1 (256 tokens x 64 units); a lower bound later, as attention makes
    # the tokens alike and its average stops shrinking the variance (at most T = 16 times, so below 1.3 here)
    assert abs(ratio[1] - 1) < 0.05 and np.all(ratio > 0.97) and np.all(ratio < 1.3)
    gpt2 = residual_stream(24, init="gpt2", batch=16)
    assert np.all(np.abs(gpt2.stream_std / gpt2.stream_theory - 1) < 0.03)


def test_logit_factor_lowers_entropy_when_logits_are_large():
    big = residual_stream(2, qk_scale=30.0, logit_factor=1.0)
    bigger = residual_stream(2, qk_scale=30.0, logit_factor=8.0)
    assert bigger.entropy.mean() < big.entropy.mean() < big.uniform_entropy


def test_one_block_is_singular_and_the_logit_readout_names_its_unit():
    # Issue 31 item 6: "1 blocks" at L = 1, and a bare "logit × √d_k 1.00" readout.
    box = ik.widgets.transformer_init(depth=1)
    assert box.view.ax_std.get_title().startswith("1 block,")
    box.controls["depth"].value = 2
    assert box.view.ax_std.get_title().startswith("2 blocks,")
    readout = next(c for row in box.children[:-1] for c in row.children if "initkit-logit-readout" in c._dom_classes)
    assert readout.value == "1 / √d_k"  # Vaswani's scale, said as the factor it is
    box.controls["logit_factor"].value = 8.0
    assert readout.value == "8 / √d_k"
