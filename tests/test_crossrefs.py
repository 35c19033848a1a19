"""Every Sphinx cross-reference in the package's docstrings and comments resolves: ``:mod:`initkit.x.y```,
``:func:``, ``:class:``, ``:data:``, ``:meth:``, ``:attr:`` name an object that exists (modules move; their
references must follow). A target without a dot is looked up in the module that holds the reference, then in
the flat API ``initkit``; ``~`` (Sphinx: show only the last part) is ignored."""
import importlib
import inspect
import pathlib
import re

import pytest

import initkit

ROOT = pathlib.Path(initkit.__file__).resolve().parent
ROLE = re.compile(r":(mod|func|class|data|meth|attr|obj|exc):`~?([A-Za-z_][\w.]*)(?:\(\))?`")
FILES = sorted(ROOT.rglob("*.py"))


def _module_name(path):
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def references():
    for path in FILES:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for role, target in ROLE.findall(line):
                yield pytest.param(_module_name(path), role, target, id=f"{path.relative_to(ROOT)}:{lineno}:{target}")


def resolve(target, here):
    """The object ``target`` names, seen from module ``here``; raises LookupError if none."""
    candidates = [target] if target.startswith("initkit") else [f"{here}.{target}", f"initkit.{target}", target]
    module = importlib.import_module(here)
    if "." not in target:  # ``:meth:`parameters``` inside a class: a method of a class of this module
        candidates += [f"{here}.{name}.{target}" for name, cls in vars(module).items()
                       if inspect.isclass(cls) and cls.__module__ == here and hasattr(cls, target)]
    for name in candidates:
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):  # the longest importable prefix, then attributes
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            try:
                for attr in parts[cut:]:
                    obj = getattr(obj, attr)
            except AttributeError:
                break
            return obj
    raise LookupError(f"{target!r} (seen from {here}) names nothing")


@pytest.mark.parametrize("here, role, target", list(references()))
def test_cross_reference_resolves(here, role, target):
    obj = resolve(target, here)
    if role == "mod":  # a module under its own dotted path (Sphinx does not follow ``ik.theory``-style aliases)
        assert inspect.ismodule(obj) and obj.__name__ == target, f":mod:`{target}` is not the path of a module"
    elif role in ("func", "meth"):
        assert callable(obj) and not inspect.isclass(obj), f":{role}:`{target}` is not a function"
    elif role in ("class", "exc"):
        assert inspect.isclass(obj), f":{role}:`{target}` is not a class"


def test_the_checker_catches_a_stale_path():
    with pytest.raises(LookupError):
        resolve("initkit.fans", "initkit.core.fans")  # the old, flat module path
    assert resolve("initkit.core.fans", "initkit").__name__ == "initkit.core.fans"
    assert resolve("probe", "initkit.measure.diagnostics") is initkit.probe
