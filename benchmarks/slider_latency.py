"""Python-side time of one slider step of the default explorer, against a naive baseline, in one run.

Default workload: depth 20, width 256, 1000 samples, tanh, 10 per-layer activation and gradient histograms
and the std-versus-layer plot, Agg backend, one BLAS thread (``OPENBLAS_NUM_THREADS=1``).

* initkit: ``view.update(*explore(weight_std=s))``: cached unit weights rescaled, float32, exact fast
  histograms, a persistent figure whose artists are updated and blitted.
* naive: what a straightforward ``interact`` callback under ``%matplotlib inline`` does: resample the
  weights in float64, ``np.histogram`` via ``ax.hist`` in a new figure, render it to PNG with IPython's
  ``print_figure`` (what the inline backend calls: ``bbox_inches='tight'``, which draws twice).

Prints the median per step of each and the speed-up. Target: initkit <= 100 ms and >= 10x faster.
"""
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

from initkit.explorer import ExplorerView, explore, hist_layers_for  # noqa: E402

DEPTH, WIDTH, N, N_HIST = 20, 256, 1000, 10
STDS = np.geomspace(0.03, 0.2, 12)


def naive_step(weight_std, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, WIDTH))
    acts, pres = [], []
    a = x
    for _ in range(DEPTH):
        W = weight_std * rng.standard_normal((WIDTH, WIDTH))
        z = a @ W
        a = np.tanh(z)
        pres.append(z)
        acts.append((a, W))
    grads, g = [], rng.standard_normal((N, WIDTH))
    for (a, W), z in zip(reversed(acts), reversed(pres)):
        grads.append(g)
        g = (g * (1 - np.tanh(z) ** 2)) @ W.T
    grads.reverse()
    layers = hist_layers_for(DEPTH, N_HIST)
    fig = plt.figure(figsize=(10, 5.6))
    grid = fig.add_gridspec(3, N_HIST)
    for i, layer in enumerate(layers):
        fig.add_subplot(grid[0, i]).hist(acts[layer - 1][0].ravel(), 50, range=(-1, 1))
        fig.add_subplot(grid[1, i]).hist(grads[layer - 1].ravel(), 50, range=(-3, 3))
    ax = fig.add_subplot(grid[2, :])
    ax.semilogy(range(1, DEPTH + 1), [a.std() for a, _ in acts], "o")
    ax.semilogy(range(1, DEPTH + 1), [g.std() for g in grads], "o")
    print_figure(fig, "png")  # exactly what the inline backend sends
    plt.close(fig)


def time_steps(step, values):
    step(values[0])  # warm-up
    times = []
    for v in values:
        start = time.perf_counter()
        step(v)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    view = ExplorerView(n_hist=N_HIST)
    fast = time_steps(lambda s: view.update(*explore(weight_std=float(s), depth=DEPTH, width=WIDTH, n_samples=N)), STDS)
    probe_only = time_steps(lambda s: explore(weight_std=float(s), depth=DEPTH, width=WIDTH, n_samples=N), STDS)
    naive = time_steps(naive_step, STDS[:4])
    print(f"{'path':44} {'median ms':>10}")
    print(f"{'initkit: probe + blitted update':44} {1e3 * fast:10.1f}")
    print(f"{'  of which probe + theory (explore)':44} {1e3 * probe_only:10.1f}")
    print(f"{'naive: resample, ax.hist, PNG render':44} {1e3 * naive:10.1f}")
    print(f"speed-up {naive / fast:.1f}x (target >= 10x); initkit step {1e3 * fast:.0f} ms (target <= 100 ms)")


if __name__ == "__main__":
    main()
