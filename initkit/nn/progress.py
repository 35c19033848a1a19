"""One in-place, rate-limited progress display for long training runs.

``ProgressBar(total)`` stays invisible for the first ``after`` seconds (short runs print nothing), then
shows one display and updates it in place at most ``max_rate`` times per second, plus once at the end:

* in a Jupyter kernel with ipywidgets: one ``HBox(IntProgress, Label)``, displayed once; an update sets
  two traits, a few comm messages, far below the server's IOPub rate limit (1000 messages/s) whatever the
  loop's speed;
* in a Jupyter kernel without ipywidgets: one ``display(..., display_id=True)`` text updated in place;
* elsewhere (a terminal, a script): one line on stderr, rewritten with ``\\r``.

It never writes to stdout, so it never mixes into printed results, and it is off when the environment
sets ``INITKIT_PROGRESS=0`` (``make test`` and ``make execute`` do, so stored outputs hold no timing text), and
by default in a process started under pytest (a kernel that nbval runs): see :func:`enabled_by_environment`.
"""
import os
import sys
import time

from ..core.constraints import Bool, Constraint, Integer, Optional
from ..core.validation import validate_params


def _kernel_shell():
    """The IPython shell when running inside a Jupyter kernel, else None."""
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    shell = get_ipython()
    return shell if getattr(shell, "kernel", None) is not None else None


def _choose_mode():
    if _kernel_shell() is None:
        return "stream"
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return "text"
    return "widget"


def enabled_by_environment():
    """INITKIT_PROGRESS=0 turns the display off and =1 on; unset, it is on except in a process started under
    pytest (a kernel that strict nbval runs inherits PYTEST_CURRENT_TEST): a bar appears only when a cell
    runs longer than two seconds, so under nbval it would be an output that depends on the machine's speed
    and load, and an instructor's nbval run on a slow runner would fail on it."""
    setting = os.environ.get("INITKIT_PROGRESS")
    if setting is not None:
        return setting != "0"
    return "PYTEST_CURRENT_TEST" not in os.environ


class ProgressBar:
    """A progress display for ``total`` epochs: ``update(epoch, loss)`` after each, ``finish(text)`` to end early.

    Every long trainer reports through it (``fit``, ``fit_many``, ``fit_seeds``, ``lr_sweep``,
    ``train_token_task``, ``train_adding``...); ``unit`` names what is counted ("epoch", "seed", "step",
    "width") and ``loss`` may be None when a count has no loss to show.

    ``enabled=None`` follows the environment (:func:`enabled_by_environment`). ``mode`` is 'widget', 'text' or
    'stream' (default: chosen from the environment, see the module docstring). ``clock`` returns seconds
    (tests pass a fake one). ``updates`` counts how often the display was redrawn.
    """

    def __init__(self, total, enabled=None, after=2.0, max_rate=4.0, mode=None, clock=time.monotonic,
                 stream=None, unit="epoch"):
        if enabled is None:
            enabled = enabled_by_environment()
        self.total, self.enabled, self.after, self.interval = total, bool(enabled), after, 1.0 / max_rate
        self.mode, self.clock, self.stream, self.unit = mode, clock, stream, unit
        self.start = clock()
        self.last = None  # clock time of the last redraw; None until the display is shown
        self.updates = self.count = 0
        self._widgets = self._handle = None

    def update(self, epoch, loss=None):
        """Record that ``epoch`` (1-based) ended with training loss ``loss``; redraws only when due."""
        if not self.enabled:
            return
        now = self.clock()
        final = epoch >= self.total
        if self.last is None and (now - self.start < self.after):
            return  # short runs show nothing (a final update of a run that never showed is skipped too)
        if self.last is not None and not final and now - self.last < self.interval:
            return
        self.last = now
        shown = "" if loss is None else f"  loss {loss:.4g}"
        self._draw(epoch, f"{self.unit} {epoch}/{self.total}{shown}  {now - self.start:.1f} s", final)

    def advance(self, n=1, loss=None):
        """Count ``n`` more units done (``update`` with a running count): for a trainer that shares a bar."""
        self.count += n
        self.update(self.count, loss)

    def finish(self, text):
        """End early (for example a diverged run): show ``text`` if the display is visible."""
        if self.enabled and self.last is not None:
            self._draw(None, text, True)

    def _draw(self, epoch, text, final):
        self.updates += 1
        mode = self.mode = self.mode or _choose_mode()
        if mode == "widget":
            self._draw_widget(epoch, text, final)
        elif mode == "text":
            from IPython.display import display

            if self._handle is None:
                self._handle = display({"text/plain": text}, raw=True, display_id=True)
            else:
                self._handle.update({"text/plain": text}, raw=True)
        else:
            stream = self.stream or sys.stderr
            print("\r" + text, end="\n" if final else "", file=stream, flush=True)

    def _draw_widget(self, epoch, text, final):
        import ipywidgets as w

        if self._widgets is None:
            bar = w.IntProgress(value=0, min=0, max=self.total, layout=w.Layout(width="240px"))
            label = w.Label(layout=w.Layout(width="auto"))
            self._widgets = bar, label, w.HBox([bar, label])
            if _kernel_shell() is not None:
                from IPython.display import display

                display(self._widgets[2])
        bar, label, _ = self._widgets
        if epoch is not None:
            bar.value = min(epoch, self.total)
        label.value = text
        if final:
            bar.bar_style = "success" if epoch is not None and epoch >= self.total else "warning"


def progress_bar(progress, total, unit="epoch"):
    """The bar a trainer reports to: ``progress`` itself when it is a :class:`ProgressBar` (a trainer called
    inside a longer run advances its caller's bar, so a cell shows one bar), else a new bar of ``total``
    units, on, off or following INITKIT_PROGRESS (``progress`` True, False or None)."""
    if isinstance(progress, ProgressBar):
        return progress
    if progress is not None:  # nan or an array is no switch (every trainer passes its progress here)
        Bool.check("progress", progress, {})
    return ProgressBar(total, progress, unit=unit)



class _Iterable(Constraint):
    def check(self, name, value, args):
        if not hasattr(value, "__iter__"):
            raise TypeError(f"{name} must be an iterable (a list, a range, an array...); got {type(value).__name__}")
        return value

    def bad_values(self):
        return [None, 3, 2.5]


class _Text(Constraint):
    def check(self, name, value, args):
        if not isinstance(value, str) or not value:
            raise TypeError(f"{name} must be a non-empty str; got {value!r}")
        return value

    def bad_values(self):
        return [None, 3, "", ["seed"]]


@validate_params({"iterable": _Iterable(), "total": Optional(Integer(0)), "unit": _Text(), "enabled": Optional(Bool)})
def progress(iterable, total=None, unit="run", enabled=None):
    """Iterate over ``iterable`` behind the one rate-limited display: for a notebook's own loop over seeds,
    settings or widths, so every long cell shows progress the way ``fit`` does (silent under
    ``INITKIT_PROGRESS=0``, and for loops that end within two seconds).

    ``total`` defaults to ``len(iterable)``; ``unit`` names what is counted.

    >>> [x * x for x in progress(range(3), enabled=False)]
    [0, 1, 4]
    """
    if total is None:
        if not hasattr(iterable, "__len__"):
            raise TypeError(f"progress: total is required for an iterable without len() (a "
                            f"{type(iterable).__name__}); got total=None")
        total = len(iterable)
    return _progress(iterable, ProgressBar(total, enabled, unit=unit))


def _progress(iterable, bar):
    for item in iterable:
        yield item
        bar.advance()
