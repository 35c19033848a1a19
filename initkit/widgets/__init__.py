"""The students' entry point: ``import initkit.widgets`` then ``ik.widgets.explorer()``. Each widget is wiring
only: controls, one pure step function from :mod:`initkit.lessons`, one view from :mod:`initkit.plotting`.

This is the only layer that imports ipywidgets (lazily, in :mod:`initkit.widgets.display`), so the rest of
the package never needs it. One module per notebook group, ``widgets/<stem>.py``, lists its widgets in its
``__all__``; this package collects them by discovery, so a new ``widgets/<stem>.py`` needs no edit here.
"""
import importlib
import pkgutil

from .display import new_figure

# stem -> the widget names its module's __all__ lists ("display" is the shared machinery, not a group)
WIDGETS_BY_STEM = {}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name == "display":
        continue
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    WIDGETS_BY_STEM[_info.name] = tuple(_module.__all__)
    globals().update({name: getattr(_module, name) for name in _module.__all__})

WIDGETS = tuple(name for names in WIDGETS_BY_STEM.values() for name in names)
__all__ = [*WIDGETS, "new_figure"]
del _info, _module
