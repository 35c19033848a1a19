"""The students' entry point: ``import initkit.widgets`` then ``ik.widgets.explorer()``. Each widget is wiring
only: controls, one pure step function from :mod:`initkit.lessons`, one view from :mod:`initkit.plotting`.

This is the only layer that imports ipywidgets (lazily, in :mod:`initkit.widgets.display`), so the rest of
the package never needs it. One module per notebook group; each widget is listed here.
"""
from .basics import digits_trainer, explorer, fan_explorer, lsuv_explorer, playground, symmetry
from .display import new_figure
from .signal import edge_of_chaos
from .residual import residual_explorer
from .transformer import transformer_init
from .width import width_explorer
from .recurrent import recurrent_explorer

__all__ = ["explorer", "fan_explorer", "playground", "symmetry", "lsuv_explorer", "digits_trainer", "new_figure",
           "edge_of_chaos",  # 08
           "residual_explorer",  # 09
           "transformer_init",  # 10
           "width_explorer",  # 11
           "recurrent_explorer",  # 12
           ]
