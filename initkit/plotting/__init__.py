"""Every figure: pure plots (``ax=None`` in, axes out, never ``plt.show()``) and the live views behind the
widgets (made once, ``update(...)`` redraws in place). Only this layer and the widgets import matplotlib."""
from .layers import (plot_fractions, plot_gradient_by_layer, plot_histograms, plot_std_by_layer,
                     plot_weight_histograms)
from .training import plot_decision_boundary, plot_history, plot_snapshot_stat
from .explorer_view import ExplorerView
from .playground_view import PlaygroundView
from .symmetry_view import SymmetryView
from .lsuv_view import LSUVView
from .digits_view import DigitsView
from .signal import plot_phase_diagram, plot_singular_values, plot_trainability
from .signal_view import SignalView
from .residual_view import ResidualView, plot_profiles
from .transformer_view import (TransformerView, plot_layer_gradients, plot_rank_collapse, plot_saturation,
                               plot_stream, plot_token_runs)
from .width_view import WidthView, plot_coordinate_check, plot_lr_sweep, plot_width_comparison
from .recurrent_view import RecurrentView

__all__ = ["plot_histograms", "plot_std_by_layer", "plot_gradient_by_layer", "plot_fractions", "plot_weight_histograms",
           "plot_history", "plot_decision_boundary", "plot_snapshot_stat", "ExplorerView", "PlaygroundView",
           "SymmetryView", "LSUVView", "DigitsView",
           "plot_phase_diagram", "plot_trainability", "plot_singular_values", "SignalView",  # 08
           "ResidualView", "plot_profiles",  # 09
           "TransformerView", "plot_saturation", "plot_stream", "plot_rank_collapse", "plot_layer_gradients",
           "plot_token_runs",  # 10
           "WidthView", "plot_lr_sweep", "plot_coordinate_check", "plot_width_comparison",  # 11
           "RecurrentView",  # 12
           ]
