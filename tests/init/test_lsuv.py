import numpy as np
import pytest

import initkit as ik


@pytest.fixture
def batch():
    return np.random.default_rng(0).standard_normal((256, 64))


def pre_variances(net, x):
    net.forward(x)
    return np.array([z.var() for z in net.pre_activations])


def test_linear_layers_converge_in_one_iteration_exactly(batch):
    net = ik.MLP([64, 128, 32, 128, 10], activation="linear", init="random_normal", rng=0)
    report = ik.lsuv(net, batch, orthonormal=False, tol=1e-3, rng=0)
    assert report.converged and all(report.column("iterations") == 1)
    np.testing.assert_allclose(pre_variances(net, batch), 1.0, rtol=1e-10)


@pytest.mark.parametrize("activation", ["tanh", "relu", "selu", "gelu"])
@pytest.mark.parametrize("orthonormal", [True, False])
def test_unit_variance_within_tol_after_lsuv(batch, activation, orthonormal):
    net = ik.MLP([64] + [96] * 8 + [10], activation=activation, init="glorot_normal",
                 bias_init=ik.get_initializer("constant", value=0.3), rng=1)
    report = ik.lsuv(net, batch, tol=0.05, orthonormal=orthonormal, rng=1)
    assert report.converged
    assert np.all(np.abs(pre_variances(net, batch) - 1.0) < 0.05)


def test_report_matches_an_independent_measurement(batch):
    net = ik.MLP([64, 128, 128, 10], activation="tanh", bias_init=ik.get_initializer("random_normal", std=0.5), rng=2)
    report = ik.lsuv(net, batch, rng=2, center=True)
    net.forward(batch)
    np.testing.assert_allclose(report.column("var_after"), [z.var() for z in net.pre_activations], rtol=1e-10)
    np.testing.assert_allclose(report.column("mean_after"), [z.mean() for z in net.pre_activations], atol=1e-10)


def test_centering_removes_each_units_mean(batch):
    net = ik.MLP([64, 128, 128, 10], activation="relu", bias_init=ik.get_initializer("constant", value=1.0), rng=3)
    ik.lsuv(net, batch, center=True, rng=3)
    net.forward(batch)
    for z in net.pre_activations:
        np.testing.assert_allclose(z.mean(axis=0), 0.0, atol=1e-10)


def test_max_iter_is_respected_and_reported(batch):
    net = ik.MLP([64, 128, 128, 10], activation="tanh", rng=4)
    with pytest.warns(RuntimeWarning) as caught:
        report = ik.lsuv(net, batch, where="post", tol=1e-3, max_iter=3, orthonormal=False, rng=4)
    assert str(caught[0].message).startswith("LSUV: layer 1 did not reach |Var - 1.0| < 0.001 in 3 iterations")
    assert report.rows[0]["iterations"] == 3 and not report.rows[0]["converged"]


def test_dead_layer_is_reported_not_divided_by_zero(batch):
    net = ik.MLP([64, 32, 32, 10], activation="relu", bias_init=ik.get_initializer("constant", value=-100.0), rng=5)
    with pytest.warns(RuntimeWarning) as caught:
        report = ik.lsuv(net, batch, rng=5)
    assert [str(w.message).split(" (")[0] for w in caught] == [f"LSUV: layer {k} has zero variance" for k in (2, 3)]
    assert report.rows[1]["var_after"] == 0 and np.all(np.isfinite(net.layers[1].W))
    assert "NO" in repr(report)


def test_lsuv_validates_arguments(batch):
    net = ik.MLP([64, 10], rng=0)
    with pytest.raises(ValueError, match="where must be one of 'post', 'pre'; got 'after'"):
        ik.lsuv(net, batch, where="after")
    with pytest.raises(ValueError, match="tol must be > 0; got 0"):
        ik.lsuv(net, batch, tol=0)
    with pytest.raises(ValueError, match=r"x must be a batch of at least 2 rows with 64 columns; got shape \(5, 3\)"):
        ik.lsuv(net, np.zeros((5, 3)))


def test_batch_experiment_and_view():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pytest.importorskip("ipywidgets")
    from initkit import widgets
    from initkit.lessons.lsuv_batch import lsuv_batch_experiment
    from initkit.plotting import LSUVView

    big = lsuv_batch_experiment(batch_size=512, depth=10)
    assert np.all(np.abs(big["held_out_var"] - 1) < 0.25)  # 512 samples generalize to held-out digits
    view = LSUVView()
    view.update(lsuv_batch_experiment(batch_size=2, depth=10), 2)
    assert view.ax.get_title().startswith("LSUV on 2 samples")
    plt.close(view.fig)
    box = widgets.lsuv_explorer(depth=5)
    box.controls["batch_size"].value = 8
    assert "LSUV on 8 samples" in box.view.ax.get_title()
    plt.close(box.view.fig)


def test_lsuv_refuses_a_batchnorm_network():
    net = ik.MLP([8, 16, 4], norm="batch", rng=0)
    with pytest.raises(ValueError, match="BatchNorm makes the output independent of W's scale"):
        ik.lsuv(net, np.random.default_rng(0).normal(size=(32, 8)))


def test_lsuv_refuses_max_iter_zero_instead_of_warning_on_every_layer(batch):
    # Issue 26: max_iter=0 rescaled nothing and warned "did not reach ... in 0 iterations" for each layer.
    with pytest.raises(ValueError, match="max_iter must be >= 1; got 0"):
        ik.lsuv(ik.MLP([batch.shape[1], 8, 3], rng=0), batch, max_iter=0)


@pytest.mark.parametrize("version", [np.array([2019, 2022]), "2019", True])
def test_lsuv_fastai_refuses_a_version_that_is_not_one_of_the_two_years(version, batch):
    with pytest.raises(ValueError, match="version must be one of 2019, 2022"):
        ik.lsuv_fastai(ik.MLP([batch.shape[1], 8, 3], rng=0), batch, version=version)
