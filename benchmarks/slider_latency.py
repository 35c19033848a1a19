"""Python-side time of one step of every widget, against a naive inline re-render, in one run.

A step is what one control change costs in the kernel: the widget's pure function, the view update and
the draw on its ipympl canvas (the image diff included), driven exactly as the browser drives it (a
control's value is set, or Train is clicked). Default sizes of every widget; one BLAS thread
(``OPENBLAS_NUM_THREADS=1``, as ``make bench`` sets it).

* sliders: median over successive slider steps (what a drag or the arrow keys send), the first one timed
  after one warm-up step; menus: median over moves between their entries (each a new plot);
* width_explorer: median over width-slider and parametrization moves (records precomputed, as in notebook 11);
* playground, digits_trainer: Train, per chunk (training one chunk of epochs plus the redraw), since the
  figure updates after every chunk.

The naive column is what an ``interact`` callback under ``%matplotlib inline`` does for the same step:
the same computation, a new figure, and the PNG that the inline backend renders (``bbox_inches='tight'``,
which draws twice). CPU time is ``time.process_time`` (what the kernel spends, whatever else the machine
runs); wall time is printed too. Target: every widget's step under 50 ms CPU on the development machine
(100 ms on one twice as slow).

``--profile`` adds, per row, where the step's CPU time goes: compute (the initkit step function and
everything not listed next), text (laying out and rendering text: titles, tick labels, legends), layout
(constrained layout, excluding its text), drawing (Agg rendering of everything else, blitting) and image
(encoding the frame as PNG and handing it to the comm). Each function is timed exclusive of the others
nested in it, so the five add up to the step.

``--quick`` (what ``.ci/run`` runs): one timed step per row, no verdict; it proves every widget and view
still builds and steps, the numbers mean little.
"""
import argparse
import itertools
import contextlib
import os
import statistics
import sys
import time
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

from initkit import widgets  # noqa: E402
from initkit.lessons.digits import train_digits  # noqa: E402
from initkit.lessons.explorer import explore, explore_fans  # noqa: E402
from initkit.lessons.lsuv_batch import lsuv_batch_draws  # noqa: E402
from initkit.lessons.playground import INIT_CHOICES, train_playground  # noqa: E402
from initkit.lessons.recurrent import gradient_vs_time  # noqa: E402
from initkit.lessons.residual import profile_choice  # noqa: E402
from initkit.lessons.symmetry import train_from_constant  # noqa: E402
from initkit.lessons.signal import signal_step  # noqa: E402
from initkit.lessons.transformer import residual_stream  # noqa: E402
from initkit.plotting import (DigitsView, ExplorerView, LSUVView, PlaygroundView, RecurrentView, ResidualView,  # noqa: E402
                              SignalView, SymmetryView, TransformerView)
from initkit.widgets.width import default_records as default_width_records  # noqa: E402

TARGET_MS = 50
QUICK = False  # --quick: one timed step per row (see the docstring)
PARTS = ("compute", "text", "layout", "drawing", "image")


class Profile:
    """CPU time per part of a step: wraps the functions of each part with exclusive timers."""

    def __init__(self):
        self.totals = dict.fromkeys(PARTS, 0.0)
        self.stack = []  # [part, start, time spent in nested timed calls]

    def wrap(self, part, function):
        def timed_call(*args, **kwargs):
            self.stack.append([part, time.process_time(), 0.0])
            try:
                return function(*args, **kwargs)
            finally:
                part_, start, nested = self.stack.pop()
                elapsed = time.process_time() - start
                self.totals[part_] += elapsed - nested
                if self.stack:
                    self.stack[-1][2] += elapsed
        return timed_call

    @contextlib.contextmanager
    def patched(self):
        from ipympl.backend_nbagg import Canvas
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore
        from matplotlib.figure import Figure
        from matplotlib.layout_engine import ConstrainedLayoutEngine
        from matplotlib.text import Text

        from initkit.widgets.display import _canvas_class

        targets = [(Text, "draw", "text"), (Text, "get_window_extent", "text"), (Text, "_get_layout", "text"),
                   (ConstrainedLayoutEngine, "execute", "layout"), (Figure, "draw", "drawing"),
                   (Figure, "draw_artist", "drawing"), (FigureCanvasAgg, "copy_from_bbox", "drawing"),
                   (FigureCanvasAgg, "restore_region", "drawing"), (FigureCanvasWebAggCore, "get_diff_image", "image"),
                   (_canvas_class(), "get_diff_image", "image"), (Canvas, "send_binary", "image")]
        saved = [(cls, name, cls.__dict__[name]) for cls, name, _ in targets if name in cls.__dict__]
        for cls, name, part in targets:
            if name in cls.__dict__:
                setattr(cls, name, self.wrap(part, cls.__dict__[name]))
        try:
            yield self
        finally:
            for cls, name, function in saved:
                setattr(cls, name, function)

    def shares(self, total):
        """Milliseconds per part; compute is what the timed parts leave of ``total``."""
        parts = {k: v for k, v in self.totals.items() if k != "compute"}
        return {"compute": total - sum(parts.values()), **parts}


PROFILE = False  # set by --profile


class Timing(tuple):
    """(cpu seconds, wall seconds) of the median step, and ``parts``: its CPU seconds per part (--profile)."""

    parts = None

    def per(self, n):
        """The same timing divided by ``n`` (per chunk of a Train click)."""
        out = Timing(t / n for t in self)
        out.parts = {k: v / n for k, v in self.parts.items()} if self.parts else None
        return out


def timed(step, values, repeat=1):
    """Median CPU and wall seconds of ``step(v)`` over ``values`` (after one warm-up step), a :class:`Timing`;
    with --profile, its ``parts`` are those of the median step."""
    step(values[-1])
    cpu, wall, parts = [], [], []
    for v in values[:1] if QUICK else values * repeat:
        profile = Profile() if PROFILE else None
        with profile.patched() if profile else contextlib.nullcontext():
            c, w = time.process_time(), time.perf_counter()
            step(v)
            cpu.append(time.process_time() - c)
            wall.append(time.perf_counter() - w)
        if profile:
            parts.append(profile.shares(cpu[-1]))
    out = Timing((statistics.median(cpu), statistics.median(wall)))
    if parts:
        out.parts = min(zip(cpu, parts), key=lambda cp: abs(cp[0] - out[0]))[1]
    return out


def drag(start, factor, n):
    """``n`` successive values of a log slider from ``start``, one slider step (``factor``) apart: a drag."""
    return [float(start * factor ** i) for i in range(n)]


def set_control(box, name):
    """A step that moves one control, as the browser does (the widget's own observers run)."""
    def step(value):
        box.controls[name].value = value
    return step


def train_per_chunk(box, chunks):
    def step(_):
        box.button.click()
    return lambda values: timed(step, values).per(chunks)


def naive(compute, make_view):
    """A naive inline step: compute, draw a new figure, render the PNG the inline backend sends."""
    def step(value):
        view = make_view()
        out = compute(value)
        view.update(*out) if isinstance(out, tuple) else view.update(out, value)
        fig = view.render() if hasattr(view, "render") else view.fig
        print_figure(fig, "png")
        plt.close(fig)
    return step


ONLY = None  # --only: the widgets to time


NAIVE = True  # --no-naive skips the baseline column


def want(name):
    return ONLY is None or name in ONLY


def baseline(step, values):
    return timed(step, values) if NAIVE else None


def rows():
    """(widget, step description, initkit (cpu, wall), naive (cpu, wall) or None)."""
    stds = drag(0.0625, 10 ** 0.02, 8)
    if want('explorer'):
        box = widgets.explorer()
        yield ("explorer", "weight std slider", timed(set_control(box, "weight_std"), stds),
               baseline(naive(lambda s: explore(weight_std=s, n_samples=256), ExplorerView), stds[:3]))
    if want('fan_explorer'):
        box = widgets.fan_explorer()
        modes = ["fan_out", "fan_avg", "fan_in"]
        yield ("fan_explorer", "mode menu", timed(set_control(box, "mode"), modes, repeat=2),
               baseline(naive(lambda m: explore_fans(m, n_hist=8, n_samples=256), lambda: ExplorerView(n_hist=8)),
                        modes[:2]))
    if want('symmetry'):
        box = widgets.symmetry()
        noise = [round(0.01 + 0.005 * i, 3) for i in range(6)]
        yield ("symmetry", "noise std slider", timed(set_control(box, "noise_std"), noise),
               baseline(naive(lambda s: (*train_from_constant(0.1, s), 0.1, s), SymmetryView), noise[:3]))
    if want('lsuv_explorer'):
        box = widgets.lsuv_explorer()
        batches = [8, 16, 32, 64, 16]
        yield ("lsuv_explorer", "batch size slider", timed(set_control(box, "batch_size"), batches),
               baseline(naive(lambda b: lsuv_batch_draws(b), LSUVView), batches[:3]))
    if want('edge_of_chaos'):
        box = widgets.edge_of_chaos()
        sw2s = [round(1.76 + 0.02 * i, 2) for i in range(6)]
        yield ("edge_of_chaos", "sigma_w^2 slider", timed(set_control(box, "weight_var_n"), sw2s),
               baseline(naive(lambda v: (signal_step(v, 0.05),), SignalView), sw2s[:3]))
        box.controls["weights"].value = "orthogonal"
        yield ("edge_of_chaos", "sigma_w^2 slider, orthogonal", timed(set_control(box, "weight_var_n"), sw2s), None)
    if want('recurrent_explorer'):
        box = widgets.recurrent_explorer()
        scales = [round(1.0 + 0.05 * i, 2) for i in range(6)]
        yield ("recurrent_explorer", "scale slider (T = 100)", timed(set_control(box, "scale"), scales),
               baseline(naive(lambda g: (gradient_vs_time("gaussian", g, 100, n_seeds=5),), RecurrentView), scales[:3]))
        lengths = [110, 120, 130, 140]
        yield ("recurrent_explorer", "length slider", timed(set_control(box, "T"), lengths), None)
    if want('transformer_init'):
        box = widgets.transformer_init()
        depths = [13, 14, 15, 16, 17]
        yield ("transformer_init", "blocks slider (6-24)", timed(set_control(box, "depth"), depths),
               baseline(naive(lambda L: residual_stream(L), TransformerView), depths[:3]))
        qk = drag(1.0, 10 ** 0.05, 5)
        yield ("transformer_init", "Q/K std slider (12 blocks)", timed(set_control(box, "qk_scale"), qk), None)
        box.controls["depth"].value = 48
        yield ("transformer_init", "proj slider (48 blocks)", timed(set_control(box, "proj_scale"), drag(1.0, 10 ** 0.05, 5)), None)
    if want('playground'):
        box = widgets.playground()
        yield ("playground", "Train, per chunk of 30 epochs", train_per_chunk(box, 10)([0, 1, 2]),
               naive_train(lambda: train_playground("circles", INIT_CHOICES["He"]), PlaygroundView, 10))
    if want('digits_trainer'):
        box = widgets.digits_trainer()
        yield ("digits_trainer", "Train, per chunk of 2 epochs", train_per_chunk(box, 5)([0, 1, 2]),
               naive_train(lambda: train_digits("Xavier", "tanh"), lambda: DigitsView(figsize=(5.8, 4.6)), 5))
    if want('residual_explorer'):
        box = widgets.residual_explorer()
        blocks = [51, 52, 53, 54, 55]
        yield ("residual_explorer", "blocks slider", timed(set_control(box, "n_blocks"), blocks),
               baseline(naive(lambda L: (profile_choice(n_blocks=L, n_samples=128),), ResidualView), blocks[:3]))
        choices = ["Fixup", "He + BatchNorm", "1/sqrt(L)", "He (fails)"]
        yield ("residual_explorer", "scheme menu", timed(set_control(box, "choice"), choices),
               baseline(naive(lambda c: (profile_choice(c, n_samples=128),), ResidualView), choices[:2]))
    if want('width_explorer'):
        sweeps, checks = default_width_records()
        box = widgets.width_explorer(sweeps=sweeps, checks=checks)
        width_values = [32, 64, 128, 64]
        yield ("width_explorer", "width slider", timed(set_control(box, "width"), width_values), None)
        yield ("width_explorer", "parametrization toggle", timed(set_control(box, "parametrization"),
                                                                 ["mup", "sp"], repeat=2), None)


def generic_rows(done):
    """Every other widget ``initkit.widgets`` discovers (a new notebook's), timed without editing this file:
    its first slider moved between its ends and middle, or its first menu through its options."""
    for name in widgets.WIDGETS:
        if name in done or (ONLY is not None and name not in ONLY):
            continue
        box = getattr(widgets, name)()
        for key, control in box.controls.items():
            if hasattr(control, "options"):
                values = list(control.options)
            elif hasattr(control, "min"):
                lo, hi = control.min, control.max
                values = [lo, hi, type(lo)((lo + hi) / 2)]
            else:
                continue
            yield (name, f"{key} (generic)", timed(set_control(box, key), values), None)
            break


def naive_train(make_generator, make_view, chunks):
    """Train with a new figure and an inline PNG after every chunk; (cpu, wall) per chunk."""
    if not NAIVE:
        return None
    def step(_):
        for net, history, data in make_generator():
            view = make_view()
            view.update(net, history, data)
            print_figure(view.fig, "png")
            plt.close(view.fig)
    return timed(step, [0]).per(chunks)


def main(argv=None):
    global PROFILE, ONLY, NAIVE, QUICK
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", action="store_true", help="where each step's CPU time goes")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline (faster)")
    parser.add_argument("--quick", action="store_true", help="one step per row, no verdict (CI)")
    parser.add_argument("--only", help="comma-separated widget names (default: every widget)")
    args = parser.parse_args(argv)
    PROFILE, NAIVE, QUICK = args.profile, not (args.no_naive or args.quick), args.quick
    ONLY = set(args.only.split(",")) if args.only else None
    if os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        print("note: OPENBLAS_NUM_THREADS is not 1 (make bench sets it); CPU times then include idle BLAS threads",
              file=sys.stderr)
    print(f"{'widget':18} {'step':31} {'initkit ms':>10} {'(wall)':>7} {'naive ms':>9} {'speed-up':>9}  "
          f"< {TARGET_MS} ms")
    worst, timed_widgets = 0.0, set()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, step, timing, baseline in itertools.chain(rows(), generic_rows(timed_widgets)):
            cpu, wall = timing
            worst = max(worst, cpu)
            timed_widgets.add(name)
            nv = f"{1e3 * baseline[0]:9.0f} {baseline[0] / cpu:8.1f}x" if baseline else f"{'-':>9} {'-':>9}"
            ok = "-" if QUICK else "yes" if 1e3 * cpu < TARGET_MS else "NO"
            print(f"{name:18} {step:31.31} {1e3 * cpu:10.1f} {1e3 * wall:7.0f} {nv}  {ok}", flush=True)
            if timing.parts:
                print(f"{'':18}   " + ", ".join(f"{k} {1e3 * v:.1f}" for k, v in timing.parts.items()), flush=True)
            plt.close("all")
    print(f"slowest widget step {1e3 * worst:.0f} ms CPU (target < {TARGET_MS} ms)")


if __name__ == "__main__":
    main()
