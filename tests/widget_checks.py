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
