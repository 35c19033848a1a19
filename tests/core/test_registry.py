"""The initializer table is the one source: a new entry shows up in theory, probe, menus and docs."""
import numpy as np
import pytest

import initkit as ik
import initkit.widgets  # noqa: F401  (the menus)
from initkit.core import registry
from initkit.measure.probe import spec_inits


def double_lecun(shape, *, rng=None, dtype=np.float64):
    """N(0, 2 / fan_out), to test the table."""
    return ik.variance_scaling(shape, 2.0, "fan_out", "normal", rng=rng, dtype=dtype)


@pytest.fixture
def registered():
    saved = (dict(registry.INIT_TABLE), dict(registry.INITIALIZERS), dict(registry.ALIASES))
    spec = ik.register_initializer(ik.InitSpec("double_lecun", double_lecun, "normal", 2.0, "fan_out",
                                               aliases=("dl",), paper="a test", label="Double √(2/fan_out)"))
    yield spec
    for table, old in zip((registry.INIT_TABLE, registry.INITIALIZERS, registry.ALIASES), saved):
        table.clear()
        table.update(old)


def test_a_registered_initializer_reaches_theory_probe_menus_and_docs(registered):
    assert ik.get_initializer("dl") is double_lecun
    assert ik.theory.weight_variance("double_lecun", 64, 32) == pytest.approx(2.0 / 32)
    assert "double_lecun" in spec_inits() and "dl" in spec_inits()
    result = ik.probe(depth=2, width=200, activation="linear", init="dl", n_samples=50, rng=0,
                      hist_layers=[], weight_grads=False)
    # the probe draws W with std sqrt(2 / 200); 200 x 200 draws estimate that std within about 0.5 %
    assert result.records[0]["weight_std"] == pytest.approx(np.sqrt(2 / 200), rel=0.02)
    assert registry.menu()["Double √(2/fan_out)"] == "double_lecun"
    assert registered.formula == "Var(W) = 2 / fan_out"
    net = ik.MLP([8, 4], init="double_lecun", rng=0)
    assert net.layers[0].W.shape == (8, 4)
    # the docs: the README's table (python tools/docs.py) is rendered from markdown_table()
    assert "| `double_lecun` | `dl` | normal | 2 / fan_out | a test |" in registry.markdown_table().splitlines()


def test_unregistered_names_are_rejected_everywhere():
    with pytest.raises(ValueError, match="init must be one of"):
        ik.theory.weight_variance("double_lecun", 4, 4)
    with pytest.raises(ValueError, match="init must be one of"):
        ik.probe(depth=2, width=8, init="double_lecun", n_samples=10, rng=0)


@pytest.mark.parametrize("name", sorted(registry.INIT_TABLE))
def test_the_table_states_each_initializers_variance(name):
    spec = registry.INIT_TABLE[name]
    var = spec.variance(300, 200)
    if var is None or spec.distribution is None:
        pytest.skip(f"{name} has no fixed variance")
    W = spec.fn((300, 200), rng=0)
    # 60000 draws: the sample variance is within about 3 / sqrt(60000 / 2) = 1.7 % of the true one
    assert W.var() == pytest.approx(var, rel=0.03, abs=1e-12)
