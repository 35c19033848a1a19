"""The pure step functions behind each notebook's widget and exercises (no matplotlib, no ipywidgets):
the explorer, the playground, symmetry, LSUV's batch size, the digits trainer, and the exercise checks."""
import importlib
import pkgutil


def module_names():
    """Every lessons module by name, sorted (``explorer``, ``signal``, ``exercises_width``...), by discovery."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__))


def load(name):
    """The lessons module ``name`` (imported on first use)."""
    return importlib.import_module(f"{__name__}.{name}")
