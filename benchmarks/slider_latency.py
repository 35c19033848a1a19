"""Python-side time of one step of every widget, against a naive inline re-render, in one run.

A step is what one control change costs in the kernel: the widget's pure function, the view update and
the draw on its ipympl canvas (the image diff included), driven exactly as the browser drives it (a
control's value is set, or Train is clicked). Default sizes of every widget; one BLAS thread
(``OPENBLAS_NUM_THREADS=1``, as ``make bench`` sets it).

* explorer, fan_explorer, symmetry, lsuv_explorer: median over slider or menu moves;
* width_explorer: median over width-slider and parametrization moves (records precomputed, as in notebook 11);
* playground, digits_trainer: Train, per chunk (training one chunk of epochs plus the redraw), since the
  figure updates after every chunk.

The naive column is what an ``interact`` callback under ``%matplotlib inline`` does for the same step:
the same computation, a new figure, and the PNG that the inline backend renders (``bbox_inches='tight'``,
which draws twice). CPU time is ``time.process_time`` (what the kernel spends, whatever else the machine
runs); wall time is printed too. Target: every widget's step under 100 ms CPU.

``--quick`` (what ``.ci/run`` runs): one timed step per row, no verdict; it proves every widget and view
still builds and steps, the numbers mean little.
"""
import itertools
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

TARGET_MS = 100
QUICK = "--quick" in sys.argv[1:]  # one timed step per row (see the docstring)


def timed(step, values, repeat=1):
    """Median CPU and wall seconds of ``step(v)`` over ``values`` (after one warm-up step)."""
    step(values[-1])
    cpu, wall = [], []
    for v in values[:1] if QUICK else values * repeat:
        c, w = time.process_time(), time.perf_counter()
        step(v)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(cpu), statistics.median(wall)


def set_control(box, name):
    def step(value):
        box.controls[name].value = value
    return step


def train_per_chunk(box, chunks):
    def step(_):
        box.button.click()
    return lambda values: tuple(t / chunks for t in timed(step, values))


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


def rows():
    """(widget, step description, initkit (cpu, wall), naive (cpu, wall) or None)."""
    stds = [float(s) for s in np.geomspace(0.03, 0.2, 8)]
    box = widgets.explorer()
    yield ("explorer", "weight std slider", timed(set_control(box, "weight_std"), stds),
           timed(naive(lambda s: explore(weight_std=s, n_samples=500), ExplorerView), stds[:3]))
    box = widgets.fan_explorer()
    modes = ["fan_out", "fan_avg", "fan_in"]
    yield ("fan_explorer", "mode menu", timed(set_control(box, "mode"), modes, repeat=2),
           timed(naive(lambda m: explore_fans(m, n_hist=8), lambda: ExplorerView(n_hist=8)), modes[:2]))
    box = widgets.symmetry()
    noise = [0.0, 0.005, 0.01, 0.02, 0.05, 0.1]
    yield ("symmetry", "noise std slider", timed(set_control(box, "noise_std"), noise),
           timed(naive(lambda s: (*train_from_constant(0.1, s), 0.1, s), SymmetryView), noise[:3]))
    box = widgets.lsuv_explorer()
    batches = [8, 16, 32, 64, 16]
    yield ("lsuv_explorer", "batch size slider", timed(set_control(box, "batch_size"), batches),
           timed(naive(lambda b: lsuv_batch_draws(b), LSUVView), batches[:3]))
    box = widgets.edge_of_chaos()
    sw2s = [1.0, 1.5, 1.76, 2.2, 3.0, 1.2]
    yield ("edge_of_chaos", "sigma_w^2 slider", timed(set_control(box, "weight_var_n"), sw2s),
           timed(naive(lambda v: (signal_step(v, 0.05),), SignalView), sw2s[:3]))
    box.controls["weights"].value = "orthogonal"
    yield ("edge_of_chaos", "sigma_w^2 slider, orthogonal", timed(set_control(box, "weight_var_n"), sw2s), None)
    box = widgets.recurrent_explorer()
    scales = [0.8, 1.0, 1.2, 1.5, 2.0, 3.0]
    yield ("recurrent_explorer", "scale slider (T = 100)", timed(set_control(box, "scale"), scales),
           timed(naive(lambda g: (gradient_vs_time("gaussian", g, 100, n_seeds=5),), RecurrentView), scales[:3]))
    lengths = [50, 100, 150, 200]
    yield ("recurrent_explorer", "length slider", timed(set_control(box, "T"), lengths), None)
    box = widgets.transformer_init()
    depths = [6, 12, 18, 24, 12]
    yield ("transformer_init", "blocks slider (6-24)", timed(set_control(box, "depth"), depths),
           timed(naive(lambda L: residual_stream(L), TransformerView), depths[:3]))
    qk = [1.0, 3.0, 10.0, 30.0, 1.0]
    yield ("transformer_init", "Q/K std slider (12 blocks)", timed(set_control(box, "qk_scale"), qk), None)
    box.controls["depth"].value = 48
    yield ("transformer_init", "proj slider (48 blocks)", timed(set_control(box, "proj_scale"), [0.5, 2.0, 1.0]), None)
    box = widgets.playground()
    yield ("playground", "Train, per chunk of 30 epochs", train_per_chunk(box, 10)([0, 1, 2]),
           naive_train(lambda: train_playground("circles", INIT_CHOICES["He"]), PlaygroundView, 10))
    box = widgets.digits_trainer()
    yield ("digits_trainer", "Train, per chunk of 2 epochs", train_per_chunk(box, 5)([0, 1, 2]),
           naive_train(lambda: train_digits("Xavier", "tanh"), lambda: DigitsView(figsize=(5.8, 4.6)), 5))
    box = widgets.residual_explorer()
    blocks = [20, 40, 50, 60, 30]
    yield ("residual_explorer", "blocks slider", timed(set_control(box, "n_blocks"), blocks),
           timed(naive(lambda L: (profile_choice(n_blocks=L, n_samples=128),), ResidualView), blocks[:3]))
    choices = ["Fixup", "He + BatchNorm", "1/sqrt(L)", "He (fails)"]
    yield ("residual_explorer", "scheme menu", timed(set_control(box, "choice"), choices),
           timed(naive(lambda c: (profile_choice(c, n_samples=128),), ResidualView), choices[:2]))
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
        if name in done:
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
    def step(_):
        for net, history, data in make_generator():
            view = make_view()
            view.update(net, history, data)
            print_figure(view.fig, "png")
            plt.close(view.fig)
    return tuple(t / chunks for t in timed(step, [0]))


def main():
    if os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        print("note: OPENBLAS_NUM_THREADS is not 1 (make bench sets it); CPU times then include idle BLAS threads",
              file=sys.stderr)
    print(f"{'widget':15} {'step':31} {'initkit ms':>10} {'(wall)':>7} {'naive ms':>9} {'speed-up':>9}  "
          f"< {TARGET_MS} ms")
    worst, timed_widgets = 0.0, set()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, step, (cpu, wall), baseline in itertools.chain(rows(), generic_rows(timed_widgets)):
            worst = max(worst, cpu)
            timed_widgets.add(name)
            nv = f"{1e3 * baseline[0]:9.0f} {baseline[0] / cpu:8.1f}x" if baseline else f"{'-':>9} {'-':>9}"
            ok = "-" if QUICK else "yes" if 1e3 * cpu < TARGET_MS else "NO"
            print(f"{name:15} {step:31.31} {1e3 * cpu:10.1f} {1e3 * wall:7.0f} {nv}  {ok}", flush=True)
            plt.close("all")
    print(f"slowest widget step {1e3 * worst:.0f} ms CPU (target < {TARGET_MS} ms)")


if __name__ == "__main__":
    main()
