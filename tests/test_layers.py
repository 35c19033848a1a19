"""The package's layers: every module imports only from its own layer or the ones before it, and the imports form
no cycle (inside a layer too). Read from the source with ``ast``, so imports inside functions count as well."""
import ast
import pathlib

import pytest

import initkit

# The one declaration of the order (the README's module table follows it): each layer may import the ones before it.
LAYERS = ("core", "nn", "measure", "init", "lessons", "plotting", "widgets")

PACKAGE = pathlib.Path(initkit.__file__).parent


def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if p.parent != PACKAGE}


def _imports(name, path):
    """The initkit modules that module ``name`` imports (a package's submodule when it names one)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("initkit"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("initkit"):
                continue
            subs = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in MODULES]
            found.update(subs or [target])
    return {t for t in found if t != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_module_lives_in_a_declared_layer():
    assert {_layer(m) for m in MODULES} == set(LAYERS)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_never_run_back_up_a_layer(name):
    own = LAYERS.index(_layer(name))
    upward = sorted(t for t in GRAPH[name] if _layer(t) is None or LAYERS.index(_layer(t)) > own)
    assert not upward, f"{name} ({LAYERS[own]}) imports from a later layer or the top package: {upward}"


def test_imports_form_no_cycle():
    state, path = {}, []

    def visit(node):
        state[node] = "open"
        path.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if state.get(nxt) == "open":
                cycle = path[path.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state and nxt in GRAPH:
                visit(nxt)
        path.pop()
        state[node] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)


def test_the_check_sees_an_upward_import():
    # the parser itself: a core module importing nn would be caught
    assert "initkit.nn.network" in GRAPH["initkit.init.lsuv"]
    assert all(_layer(t) == "core" for t in GRAPH["initkit.core.registry"])
