import pytest

pytest.importorskip("ipywidgets")

import initkit as ik  # noqa: E402
import initkit.widgets  # noqa: E402,F401
from widget_checks import small_width_records  # noqa: E402


@pytest.fixture(scope="module")
def records():
    return small_width_records()


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


def test_width_explorer_menu_label_fits_its_description_width(records):
    # Issue 31 item 6: "parametrization" was cut to "parametrizat…" in the 100 px description; every
    # description fits at about 7.5 px per character of 13 px text.
    sweeps, checks = records
    box = ik.widgets.width_explorer(sweeps=sweeps, checks=checks)
    for name, control in box.controls.items():
        assert 7.5 * len(control.description) <= 100, (name, control.description)
