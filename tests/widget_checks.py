"""Checks the widget tests share (imported by name: tests/ is on pytest's pythonpath)."""


def slider_ends(control):
    """The two ends of a slider (a log slider's in its own units), or every option of a menu."""
    if hasattr(control, "options"):
        return list(control.options)
    if type(control).__name__ == "FloatLogSlider":
        return [control.base ** control.min, control.base ** control.max]
    return [control.min, control.max]


def assert_nothing_clipped(view, where):
    """Every axes (ticks, labels, title, legend) and every figure text of a view lies inside its figure."""
    fig = view.render() if hasattr(view, "render") else getattr(view, "fig", view)  # blitted artists join the draw
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    parts = [(f"axes {i}", ax.get_tightbbox(renderer)) for i, ax in enumerate(fig.axes) if ax.get_visible()]
    parts += [(f"text {t.get_text()[:30]!r}", t.get_window_extent(renderer)) for t in fig.texts if t.get_text()]
    for name, b in parts:
        assert (b.x0 >= box.x0 - 1 and b.y0 >= box.y0 - 1 and b.x1 <= box.x1 + 1 and b.y1 <= box.y1 + 1), \
            f"{where}: {name} is clipped ({b.bounds} outside the figure {box.bounds})"


def pixels(view):
    """The view's figure drawn (Agg), as an RGBA array."""
    import numpy as np

    fig = view.render() if hasattr(view, "render") else view.fig
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def assert_view_follows_its_input(view, show_a, show_b, where):
    """A view made once and updated in place shows its input: input b draws other pixels than input a, and
    showing a again draws exactly what a drew (no state left over from b), with nothing clipped."""
    import numpy as np

    show_a()
    first = pixels(view)
    assert_nothing_clipped(view, where)
    show_b()
    other = pixels(view)
    show_a()
    again = pixels(view)
    assert not np.array_equal(first, other), f"{where}: a different input drew the same figure"
    assert np.array_equal(first, again), f"{where}: the same input drew a different figure after another one"


def small_width_records():
    """Tiny learning-rate sweeps and coordinate checks (SP and muP, widths 16 and 32) for the width view and widget."""
    import initkit as ik

    data = ik.load_dataset("digits", rng=0)
    sweeps = {p: ik.lr_sweep(data, [16, 32], [-8, -6], p, optimizer="adam", seeds=2, base_width=16, n_train=64)
              for p in ("sp", "mup")}
    checks = {p: ik.coordinate_check(data, [16, 32], p, lr=2**-6, optimizer="adam", steps=2, seeds=1)
              for p in ("sp", "mup")}
    return sweeps, checks
