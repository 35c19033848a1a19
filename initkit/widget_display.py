"""The widgets' shared plumbing: figures on a live ipympl canvas, an inline fallback, and control wiring.

Part of the widgets layer with :mod:`initkit.widgets`; like it, it imports ipywidgets and ipympl lazily,
so the core package never needs them.
"""


def _widgets():
    try:
        import ipywidgets
    except ImportError:  # the course installs it; the bare package does not need it
        raise ImportError("initkit.widgets needs ipywidgets: pip install ipywidgets ipympl") from None
    return ipywidgets


def new_figure(figsize):
    """A figure on a live ipympl canvas when ipympl is installed (whatever the pyplot backend, so static
    plots elsewhere in the notebook stay inline PNGs), else a plain Agg figure for the inline fallback."""
    import matplotlib
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    backend = matplotlib.get_backend()
    try:
        from ipympl.backend_nbagg import Canvas, FigureManager
    except ImportError:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
        return fig
    finally:
        # Importing ipympl calls matplotlib.use(ipympl) when matplotlib is loaded; keep the user's backend.
        if matplotlib.get_backend() != backend:
            matplotlib.use(backend)
    # ipympl's own FigureManager creates the Toolbar widget the browser view requires; the generic
    # Canvas.new_manager does not, and the canvas then fails to render ("reading 'state_change'").
    canvas = Canvas(fig)
    FigureManager(canvas, id(fig))
    # We draw before the browser view exists; ipympl would then sync its first image as bare base64 (no
    # data-URL prefix), which the browser cannot decode, and the canvas stays blank. Without that sync the
    # browser asks for a full image as soon as its view is initialized.
    canvas.syncing_data_url = False
    return fig


def _is_widget_canvas(fig):
    try:
        from ipywidgets import DOMWidget
    except ImportError:
        return False
    return isinstance(fig.canvas, DOMWidget)


class _Display:
    """Puts a figure in a layout: the ipympl canvas itself, or an Output that re-renders a PNG."""

    def __init__(self, view):
        w = _widgets()
        self.view = view
        self.live = _is_widget_canvas(view.fig)
        if self.live:
            view.fig.canvas.header_visible = False
            view.fig.canvas.toolbar_visible = False
            self.widget = view.fig.canvas
        else:
            self.widget = w.Output()

    def refresh(self):
        if self.live:
            return
        from IPython.display import clear_output, display

        fig = self.view.render() if hasattr(self.view, "render") else self.view.fig
        with self.widget:
            clear_output(wait=True)
            display(fig)


def _assemble(controls, view, update, rows=None, extra=()):
    """Wire ``controls`` to ``update(values)`` (which updates ``view``), lay them out above the figure.

    Every change of a control calls ``update`` with all current values, then refreshes the figure.
    Returns the layout (with ``.view``, ``.controls`` and ``.redraw``).
    """
    w = _widgets()
    display = _Display(view)

    def redraw(_=None):
        update({name: c.value for name, c in controls.items()})
        display.refresh()

    for c in controls.values():
        c.observe(redraw, names="value")
    redraw()
    rows = rows or [list(controls.values()) + list(extra)]
    box = w.VBox([w.HBox(row) for row in rows] + [display.widget])
    box.view, box.controls, box.redraw = view, controls, redraw
    return box
