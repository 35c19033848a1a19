"""Tests mirror the package: every module ``initkit/<layer>/<module>.py`` has its own test file
``tests/<layer>/test_<module>.py``, and every test file in a layer's folder names a module of that layer
(``test_<module>.py``, or ``test_<module>_<aspect>.py`` beside it when one module's tests are long)."""
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "initkit"
LAYERS = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
MODULES = [f"{p.parent.name}/{p.stem}" for layer in LAYERS for p in sorted((PACKAGE / layer).glob("*.py"))
           if p.name != "__init__.py"]

# Test files another engineer's branch adds at the same time; delete an entry once that branch is merged.
ARRIVING = {"core/validation": "tests/core/test_validation.py (the validation work, issue 26)"}


@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_its_test_file(module):
    layer, name = module.split("/")
    if module in ARRIVING and not (ROOT / "tests" / layer / f"test_{name}.py").exists():
        pytest.skip(f"arriving with another branch: {ARRIVING[module]}")
    assert (ROOT / "tests" / layer / f"test_{name}.py").exists(), \
        f"initkit/{module}.py has no tests/{layer}/test_{name}.py: add one (at least one property of the module)"


@pytest.mark.parametrize("layer", LAYERS)
def test_every_test_file_of_a_layer_names_one_of_its_modules(layer):
    modules = {p.stem for p in (PACKAGE / layer).glob("*.py") if p.name != "__init__.py"}
    for path in sorted((ROOT / "tests" / layer).glob("test_*.py")):
        stem = path.stem[len("test_"):]
        assert stem in modules or any(stem.startswith(m + "_") for m in modules), \
            f"tests/{layer}/{path.name} names no module of initkit/{layer}/ (rename it test_<module>.py)"


@pytest.mark.parametrize("layer", LAYERS)
def test_every_layer_test_folder_is_a_package(layer):
    # test files of different layers share names (tests/nn/test_recurrent.py, tests/lessons/test_recurrent.py):
    # pytest tells them apart only inside packages
    assert (ROOT / "tests" / layer / "__init__.py").exists(), f"add an empty tests/{layer}/__init__.py"


def test_the_layers_are_found():
    assert {"core", "nn", "measure", "lessons", "plotting", "widgets"} <= set(LAYERS)
