"""Notebook 08's static figures: the phase diagram of a tanh network (chi_1 over (sigma_w^2, sigma_b^2) with the
critical line), the trainability overlay, and Jacobian singular-value histograms."""
import numpy as np

from ..measure.mean_field import chi1_map, critical_line
from .axes import get_axes

SW2_RANGE, SB2_RANGE = (0.5, 4.0), (0.0, 0.25)


def plot_phase_diagram(ax=None, activation="tanh", n=48, sw2_range=SW2_RANGE, sb2_range=SB2_RANGE,
                       colorbar=True):
    """chi_1 as colour (log scale, white at 1: blue ordered, red chaotic) with the critical line chi_1 = 1
    drawn from :func:`initkit.measure.mean_field.critical_line`. Returns the axes."""
    from matplotlib.colors import LogNorm

    ax = get_axes(ax, (5.0, 3.4))
    sw2, sb2 = np.linspace(*sw2_range, n), np.linspace(*sb2_range, n)
    chi = chi1_map(sw2, sb2, activation)
    # one image (fast to redraw), its pixels centred on the grid points
    step_w, step_b = (sw2[1] - sw2[0]) / 2, (sb2[1] - sb2[0]) / 2
    mesh = ax.imshow(chi, origin="lower", aspect="auto", cmap="RdBu_r", norm=LogNorm(1 / 2.5, 2.5),
                     extent=(sw2[0] - step_w, sw2[-1] + step_w, sb2[0] - step_b, sb2[-1] + step_b))
    line_sw, line_sb = critical_line(np.geomspace(1e-4, 20, 300), activation)
    keep = (line_sb >= 0) & (line_sb <= sb2_range[1]) & (line_sw <= sw2_range[1])
    ax.plot(line_sw[keep], line_sb[keep], "k-", lw=1.5, label=r"critical line $\chi_1 = 1$")
    ax.set_xlim(*sw2_range)
    ax.set_ylim(*sb2_range)
    ax.set_xlabel(r"$\sigma_w^2$")
    ax.set_ylabel(r"$\sigma_b^2$")
    ax.text(0.03, 0.95, "ordered", transform=ax.transAxes, va="top", fontsize=8, color="navy")
    ax.text(0.97, 0.05, "chaotic", transform=ax.transAxes, ha="right", fontsize=8, color="darkred")
    if colorbar:
        cb = ax.figure.colorbar(mesh, ax=ax, pad=0.02)
        cb.set_label(r"$\chi_1$ (log scale)", fontsize=8)
    return ax


def plot_trainability(depths, sw2, accuracy, xi_c, multiples=(2, 4, 6), ax=None, threshold=0.5):
    """Mean training accuracy over a depth x sigma_w^2 grid (colour), with k * xi_c(sigma_w^2) curves."""
    ax = get_axes(ax, (5.8, 3.4))
    acc = np.asarray(accuracy)
    mesh = ax.pcolormesh(np.arange(len(sw2)), np.arange(len(depths)), acc, cmap="viridis", vmin=0, vmax=1,
                         shading="nearest")
    ax.set_xticks(np.arange(len(sw2)), [f"{s:g}" for s in sw2], fontsize=7)
    ax.set_yticks(np.arange(len(depths)), [str(d) for d in depths], fontsize=7)
    for i, d in enumerate(depths):
        for j in range(len(sw2)):
            ax.text(j, i, f"{acc[i, j]:.1f}", ha="center", va="center", fontsize=6,
                    color="k" if acc[i, j] > threshold else "w")
    # k * xi_c in the grid's index coordinates (depth axis interpolated between grid rows)
    for k, style in zip(multiples, ("-", "--", ":")):
        ax.plot(np.arange(len(sw2)), np.interp(k * np.asarray(xi_c), depths, np.arange(len(depths))), "w" + style,
                lw=1.5, label=rf"{k} $\xi_c$")
    ax.set_xlabel(r"$\sigma_w^2$")
    ax.set_ylabel("depth")
    ax.set_ylim(-0.5, len(depths) - 0.5)
    ax.legend(fontsize=7, loc="upper right", framealpha=0.6)
    ax.figure.colorbar(mesh, ax=ax, pad=0.02).set_label("training accuracy", fontsize=8)
    return ax


def plot_singular_values(spectra, ax=None, bins=None):
    """Histograms of log10 singular values, one step outline per labelled spectrum: ``{label: values}``."""
    ax = get_axes(ax, (5.0, 3.0))
    logs = {k: np.log10(np.maximum(np.ravel(v), 1e-300)) for k, v in spectra.items()}
    lo = max(min(v.min() for v in logs.values()), -12)
    hi = max(v.max() for v in logs.values())
    bins = np.linspace(lo, hi + 1e-9, 40) if bins is None else bins
    for label, v in logs.items():
        counts, edges = np.histogram(np.clip(v, lo, None), bins=bins)
        ax.stairs(counts / max(counts.sum(), 1), edges, label=label, lw=1.3)
    ax.set_xlabel(r"$\log_{10}$ singular value of the input-output Jacobian")
    ax.set_ylabel("fraction")
    ax.legend(fontsize=7)
    return ax
