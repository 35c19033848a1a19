"""Notebook 10's figures: the live view behind the transformer widget (residual-stream std and attention
entropy per block) and the static plots of softmax saturation, rank collapse, gradient norms per block and
the training curves."""
import numpy as np

from .axes import draw_blitted, get_axes, integer_ticks, nice_upper, set_log_limits, steady_log_limits


class TransformerView:
    """Top: residual-stream std entering each block (dots) and the theory sqrt(Var(x_0) + l b) (line), log
    axis. Bottom: attention entropy per block against the uniform (ln-T-like) and one-hot (0) limits."""

    def __init__(self, figsize=(5.8, 4.6), fig=None):
        import matplotlib.pyplot as plt

        self.fig = fig or plt.figure(figsize=figsize)
        self.fig.set_layout_engine("constrained")
        self.ax_std, self.ax_ent = self.fig.subplots(2, 1)
        (self.theory,) = self.ax_std.plot([], [], "-", color="0.5", lw=1.5, label="theory √(Var(x₀) + l·b)")
        (self.std,) = self.ax_std.plot([], [], "o", ms=3, color="C0", label="measured")
        self.ax_std.set_xlabel("block l")
        self.ax_std.set_ylabel("residual stream std")
        self.ax_std.legend(fontsize=7, loc="upper left")
        (self.uniform,) = self.ax_ent.plot([], [], "--", color="0.5", lw=1, label="uniform attention")
        (self.ent,) = self.ax_ent.plot([], [], "o-", ms=3, color="C3", label="measured")
        self.ax_ent.axhline(0, color="0.8", lw=1)
        self.ax_ent.set_xlabel("block")
        self.ax_ent.set_ylabel("attention entropy (nats)")
        self.ax_ent.legend(fontsize=7, loc="upper right", ncol=2)
        for ax in (self.ax_std, self.ax_ent):
            integer_ticks(ax.xaxis)
            ax.tick_params(labelsize=7)

    def update(self, record, depth=None, logit_factor=1.0, qk_scale=1.0, proj_scale=1.0):
        """Show a :class:`~initkit.lessons.transformer.StreamRecord`."""
        L = len(record.entropy)
        blocks = np.arange(L + 1)
        self.std.set_data(blocks, record.stream_std)
        self.theory.set_data(blocks, record.stream_theory)
        values = np.r_[record.stream_std, record.stream_theory]
        values = values[np.isfinite(values) & (values > 0)]
        end = nice_upper(L) + 0.5  # steady while the blocks slider moves
        self.ax_std.set_xlim(-0.5, end)
        steady_log_limits(self.ax_std.yaxis, np.log10(values.min() / 1.3), np.log10(values.max() * 1.3))
        self.ent.set_data(np.arange(1, L + 1), record.entropy)
        self.uniform.set_data([0.5, end], [record.uniform_entropy] * 2)
        self.ax_ent.set_xlim(0.5, end)
        self.ax_ent.set_ylim(-0.1, 1.45 * record.uniform_entropy)
        growth = record.stream_std[-1] / record.stream_std[0]
        self.ax_std.set_title(f"{L} block{'s' if L != 1 else ''}, residual projections × {proj_scale:.3g}: "
                              f"stream std × {growth:.3g} from block 0 to {L}", fontsize=8)
        self.ax_ent.set_title(f"logit scale {logit_factor:.3g}/√d_k, Q/K × {qk_scale:.3g}: mean entropy "
                              f"{record.entropy.mean():.2f} nats (uniform {record.uniform_entropy:.2f})", fontsize=8)
        draw_blitted(self.fig, [self.std, self.theory, self.ent, self.uniform, self.ax_std.title, self.ax_ent.title])
        return self.fig


def plot_saturation(factors, result, T, ax=None):
    """Attention entropy and the median softmax-Jacobian norm against the logit scale factor (log x)."""
    ax = get_axes(ax, (5.8, 3.0))
    ax.plot(factors, result["entropy"], "o-", color="C3", ms=3, label="entropy (nats)")
    ax.axhline(np.log(T), color="C3", ls="--", lw=1, label=f"ln T = {np.log(T):.2f} (uniform)")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("logit scale × √d_k  (1 = Vaswani's 1/√d_k; √d_k = unscaled)", fontsize=8)
    ax.set_ylabel("entropy (nats)", color="C3")
    ax2 = ax.twinx()
    ax2.plot(factors, result["jacobian"], "s-", color="C0", ms=3, label="median ‖softmax Jacobian‖")
    ax2.set_ylabel("median ‖∂P/∂logits‖ per row", color="C0")
    lines = ax.get_lines() + ax2.get_lines()
    ax.legend(lines, [ln.get_label() for ln in lines], fontsize=7, loc="upper right")
    return ax


def plot_stream(records, labels, ax=None):
    """Residual-stream std per block for several inits: measured dots, theory lines, log axis."""
    ax = get_axes(ax, (5.8, 3.2))
    for i, (rec, label) in enumerate(zip(records, labels)):
        blocks = np.arange(len(rec.stream_std))
        ax.plot(blocks, rec.stream_theory, "-", color=f"C{i}", lw=1, alpha=0.6)
        ax.plot(blocks, rec.stream_std, "o", color=f"C{i}", ms=2.5, label=label)
    ax.plot([], [], "-", color="0.5", lw=1, label="theory √(Var(x₀) + l·b)")
    values = np.concatenate([np.r_[r.stream_std, r.stream_theory] for r in records])
    values = values[np.isfinite(values) & (values > 0)]
    set_log_limits(ax.yaxis, np.log10(values.min() / 1.2), np.log10(values.max() * 1.2))
    ax.set_xlabel("block l")
    ax.set_ylabel("residual stream std")
    ax.legend(fontsize=7)
    return ax


def plot_rank_collapse(result, axes=None):
    """Token cosine similarity and effective rank per layer for each variant of :func:`rank_collapse`."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(8.0, 2.8), layout="constrained")[1]
    for i, (variant, (cos, erank)) in enumerate(result.items()):
        layers = np.arange(len(cos))
        axes[0].plot(layers, cos, "o-", ms=2.5, color=f"C{i}", label=variant)
        axes[1].plot(layers, erank, "o-", ms=2.5, color=f"C{i}", label=variant)
    axes[0].set_ylabel("mean cosine similarity of tokens")
    axes[1].set_ylabel("effective rank of the tokens")
    for ax in axes:
        ax.set_xlabel("layer")
        integer_ticks(ax.xaxis)
    axes[0].legend(fontsize=7)
    return axes


def plot_layer_gradients(norms, ax=None):
    """||dL/dW|| per block for each norm placement (``{"pre": array, "post": array}``)."""
    ax = get_axes(ax, (4.0, 2.8))
    for i, (label, values) in enumerate(norms.items()):
        ax.plot(np.arange(1, len(values) + 1), values, "o-", ms=3, color=f"C{i}", label=label)
    ax.set_xlabel("block")
    ax.set_ylabel("‖dL/dW₂‖ (MLP output weight)")
    integer_ticks(ax.xaxis)
    ax.set_ylim(0, None)
    ax.legend(fontsize=7)
    return ax


def plot_token_runs(runs, labels, ax=None, smooth=10):
    """Training loss per step (moving average over ``smooth`` steps): the mean over seeds and the band from
    the lowest to the highest seed, one color per initialization; chance level dashed."""
    ax = get_axes(ax, (5.8, 3.0))
    kernel = np.ones(smooth) / smooth
    for i, (run, label) in enumerate(zip(runs, labels)):
        curves = np.array([np.convolve(c, kernel, mode="valid") for c in run.train_loss])
        steps = np.arange(curves.shape[1]) + smooth
        ax.plot(steps, curves.mean(0), color=f"C{i}", label=f"{label} ({len(curves)} seeds)")
        ax.fill_between(steps, curves.min(0), curves.max(0), color=f"C{i}", alpha=0.2, lw=0)
    ax.axhline(runs[0].chance_loss, color="0.5", ls="--", lw=1, label="chance ln(V − 1)")
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("training loss")
    ax.legend(fontsize=7)
    return ax
