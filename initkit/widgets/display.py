"""The widgets' shared plumbing: figures on a live ipympl canvas, an inline fallback, and control wiring.

Like every module of :mod:`initkit.widgets`, it imports ipywidgets and ipympl lazily,
so the core package never needs them.
"""
import functools
import threading
import warnings

# One lock for everything that changes or draws a widget's figure. JupyterLab (4.4 and later, by default)
# sends widget messages to a kernel subshell, a thread of its own, and ipykernel routes a comm's messages to
# the thread that last sent on it: a control used for the first time is handled in the main thread while
# the previous changes are still drawn in the subshell's, and cells run in the main thread too. Two threads
# drawing one figure at once leave a broken frame, and a broken background that later frames are blitted
# over: a title or status line drawn twice (bold), a half-drawn plot (the browser test's burst, issue 31).
# Every message to a widget's controls and canvas, and every redraw, takes this lock: one at a time; and
# each message is handled in the thread the frontend sent it to (see handle_messages_under_lock).
LOCK = threading.RLock()


def ipywidgets_module():
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
        from ipympl.backend_nbagg import FigureManager
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
    with warnings.catch_warnings():
        # ipympl's Toolbar passes its canvas on to traitlets, which calls that deprecated: not ours to see.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="traitlets")
        canvas = _canvas_class()(fig)
        FigureManager(canvas, id(fig))
    # We draw before the browser view exists; ipympl would then sync its first image as bare base64 (no
    # data-URL prefix), which the browser cannot decode, and the canvas stays blank. Without that sync the
    # browser asks for a full image as soon as its view is initialized.
    canvas.syncing_data_url = False
    return fig


@functools.lru_cache(maxsize=1)
def _canvas_class():
    """ipympl's canvas, sending every frame whole (never a diff against the previous frame).

    ipympl sends a frame as a PNG of only the pixels that changed, and the browser paints it over the
    frame it holds, once the PNG has loaded. When a second frame arrives before the first has loaded
    (a busy machine, or quick slider moves), the browser drops the first load: every later diff is then
    painted over a stale or empty canvas. That left a canvas blank for minutes after Run All (a full
    first frame replaced by an empty diff) and titles smeared over older titles. A whole frame is right
    whatever came before it, so a dropped frame costs nothing. Encoding with zlib level 1 keeps a whole
    frame about as cheap as a diff: a few milliseconds at our figure sizes.
    """
    from io import BytesIO

    import numpy as np
    from ipympl.backend_nbagg import Canvas
    from PIL import Image

    class FullFrameCanvas(Canvas):
        # The browser can still lose the last of several quick frames (a burst of slider moves left a plot
        # that disagreed with the sliders, issue 31): once the kernel has been quiet for RESEND_AFTER
        # seconds, the last frame is sent once more (the same bytes, no drawing), so the last value wins.
        RESEND_AFTER = 0.5

        def send_binary(self, data):
            super().send_binary(data)
            self._last_png = data
            try:
                import asyncio

                loop = asyncio.get_running_loop()
            except RuntimeError:  # no event loop (a script, a test): nothing can be lost on the way
                return
            if getattr(self, "_resend", None) is not None:
                self._resend.cancel()
            self._resend = loop.call_later(self.RESEND_AFTER, self._send_last)

        def _send_last(self):
            with LOCK:
                self._resend = None
                self.send({"data": '{"type": "binary"}'}, buffers=[self._last_png])

        def get_diff_image(self):
            if not self._png_is_old:
                return None
            pixels = np.asarray(self.get_renderer().buffer_rgba())
            self.set_image_mode("full")  # a message only the first time: the mode never changes after
            self._force_full = self._png_is_old = False
            self._last_buff = pixels.view(np.uint32).squeeze(2)  # what ipympl reads when it syncs a data URL
            height, width = pixels.shape[:2]
            image = Image.frombuffer("RGBA", (width, height), pixels, "raw", "RGBA", 0, 1)
            with BytesIO() as png:
                # The figure is opaque: RGB, a quarter fewer bytes to compress and to decode.
                image.convert("RGB").save(png, format="png", compress_level=1)
                return png.getvalue()

    return FullFrameCanvas


def _is_widget_canvas(fig):
    try:
        from ipywidgets import DOMWidget
    except ImportError:
        return False
    return isinstance(fig.canvas, DOMWidget)


class Display:
    """Puts a figure in a layout: the ipympl canvas itself, or an Output that re-renders a PNG.

    A live canvas is drawn before the browser shows it; when its browser view reports ``initialized`` we
    send one full image at once, so the plot is there on first display (after Run All) without waiting
    for a slider move or for ipympl's refresh round trips.
    """

    def __init__(self, view):
        w = ipywidgets_module()
        self.view = view
        self.live = _is_widget_canvas(view.fig)
        if self.live:
            canvas = view.fig.canvas
            canvas.header_visible = False
            canvas.toolbar_visible = False
            canvas.footer_visible = False
            canvas.resizable = False
            canvas.on_msg(self._on_message)
            self.widget = canvas
        else:
            self.widget = w.Output()

    def _on_message(self, _widget, content, _buffers):
        if isinstance(content, dict) and content.get("type") == "initialized":
            canvas = self.view.fig.canvas
            canvas._png_is_old = True  # the browser holds no image yet: send the frame we have drawn
            canvas.manager.refresh_all()

    def refresh(self):
        if self.live:
            return
        from IPython.display import clear_output, display

        fig = self.view.render() if hasattr(self.view, "render") else self.view.fig
        with self.widget:
            clear_output(wait=True)
            display(fig)


# Controls are 280 px wide and rows wrap, so two fit side by side in JupyterLab's output area at a
# 1024 px window with the file browser open (about 590 px), three at 1280 px.
CONTROL_WIDTH = "280px"
DESCRIPTION_WIDTH = "100px"


def _fit(control):
    """Give a control the course's fixed width and description width (unless it has its own)."""
    if not control.layout.width:
        control.layout.width = CONTROL_WIDTH
    if hasattr(control, "style") and hasattr(control.style, "description_width"):
        control.style.description_width = DESCRIPTION_WIDTH
    return control


def row(children):
    """A row of controls that wraps onto the next line when the output area is narrow."""
    w = ipywidgets_module()
    return w.HBox([_fit(c) for c in children], layout=w.Layout(flex_flow="row wrap", width="100%"))


def assemble(name, controls, view, update, rows=None, extra=()):
    """Wire ``controls`` to ``update(values)`` (which updates ``view``), lay them out above the figure.

    Every change of a control calls ``update`` with all current values, then refreshes the figure.
    Returns the layout (with ``.view``, ``.controls`` and ``.redraw``).
    """
    ipywidgets_module()  # a clear ImportError when ipywidgets is missing
    display = Display(view)

    def redraw(_=None):
        with LOCK:
            update({name: c.value for name, c in controls.items()})
            display.refresh()

    for c in controls.values():
        c.observe(redraw, names="value")
    redraw()
    rows = rows or [list(controls.values()) + list(extra)]
    box = widget_box(name, [row(children) for children in rows] + [display.widget], controls)
    box.view, box.redraw = view, redraw
    return box


@functools.lru_cache(maxsize=1)
def _box_class():
    class WidgetBox(ipywidgets_module().VBox):
        """A VBox whose text repr names the widget and its controls: stable, so stored outputs stay stable."""

        def __repr__(self):
            return f"initkit.widgets.{self.name}: controls {', '.join(self.controls)} above a figure"

    return WidgetBox


def widget_box(name, children, controls):
    """The widget's outer layout (with ``.name`` and ``.controls``); every message to it or to any widget
    inside it (controls, buttons, the canvas) is handled under :data:`LOCK`."""
    box = _box_class()(children, layout=ipywidgets_module().Layout(max_width="100%"))
    box.name, box.controls = name, controls
    for widget in _descendants(box):
        handle_messages_under_lock(widget)
    return box


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def handle_messages_under_lock(widget):
    """Handle every message the browser sends to ``widget`` (a control's new value, a click, a canvas's
    draw or resize request) under :data:`LOCK`, whichever kernel thread it arrives in."""
    comm = getattr(widget, "comm", None)
    if comm is None or getattr(widget, "_initkit_locked", False):
        return
    handle = widget._handle_msg

    def locked(msg):
        with LOCK:
            return handle(msg)

    comm.on_msg(locked)
    if hasattr(comm, "_reply_subshell_for"):
        # ipykernel 7 routes a comm's message to the thread that last sent on that comm, so the first change
        # of a control went to the main thread and the next ones to the subshell the frontend named. Every
        # message goes where the frontend sent it instead: one thread per widget, in the order sent.
        comm._reply_subshell_for = lambda data, frontend_choice: frontend_choice
    widget._initkit_locked = True
