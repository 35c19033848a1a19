import pytest

pytest.importorskip("ipywidgets")

import initkit as ik  # noqa: E402
import initkit.widgets  # noqa: E402,F401


@pytest.fixture(scope="module")
def records():
    data = ik.load_dataset("digits", rng=0)
    sweeps = {p: ik.lr_sweep(data, [16, 32], [-8, -6], p, optimizer="adam", seeds=2, base_width=16, n_train=64)
              for p in ("sp", "mup")}
    checks = {p: ik.coordinate_check(data, [16, 32], p, lr=2**-6, optimizer="adam", steps=2, seeds=1)
              for p in ("sp", "mup")}
    return sweeps, checks


def test_width_explorer_redraws_for_every_control(records):
    sweeps, checks = records
    box = ik.widgets.width_explorer(sweeps=sweeps, checks=checks)
    assert set(box.controls) == {"parametrization", "width", "step"}
    assert "width 32" in box.view.ax_lr.get_title()
    box.controls["width"].value = 16
    assert "width 16" in box.view.ax_lr.get_title()
    box.controls["parametrization"].value = "mup"
    assert box.view.ax_lr.get_title().startswith("muP")
    box.controls["step"].value = 2
    assert "after 2 steps" in box.view.ax_check.get_ylabel()
    assert repr(box).startswith("initkit.widgets.width_explorer")


def test_width_explorer_refuses_mismatched_records(records):
    sweeps, checks = records
    with pytest.raises(ValueError, match="same parametrizations"):
        ik.widgets.width_explorer(sweeps=sweeps, checks={"sp": checks["sp"]})
