"""Every figure: pure plots (``ax=None`` in, axes out, never ``plt.show()``) and the live views behind the
widgets (made once, ``update(...)`` redraws in place). Only this layer and the widgets import matplotlib.

The public names are found by discovery: every ``plot_*`` function and ``*View`` class defined in a module
of this package (``layers``, ``training``, and each notebook topic's ``<topic>_view.py`` / ``<topic>_<part>.py``)
is exported here, so a new view module needs no edit of this file.
"""
import importlib
import inspect
import pkgutil


def _is_public_plot(name, obj, module):
    return ((name.startswith("plot_") and inspect.isfunction(obj)) or (name.endswith("View") and inspect.isclass(obj))) \
        and obj.__module__ == module.__name__


__all__ = []
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    _names = [name for name, obj in vars(_module).items() if _is_public_plot(name, obj, _module)]
    globals().update({name: getattr(_module, name) for name in _names})
    __all__ += _names
del _info, _module, _names
