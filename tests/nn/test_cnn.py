"""CNN: exact gradients (the gradient check, the input gradient), both heads, and the engine's tools (fit,
fit_seeds, probe) on a CNN."""
import numpy as np
import pytest

import initkit as ik
from initkit.nn.cnn import CNN


@pytest.mark.parametrize("padding", ["zero", "circular"])
def test_cnn_passes_the_gradient_check(padding):
    net = CNN((4, 4, 2), [3, 3], 3, activation="tanh", init="glorot_normal", padding=padding, rng=0)
    x = np.random.default_rng(5).normal(size=(4, 32))
    records = ik.gradient_check(net, x, np.arange(4) % 3)
    assert [r["param"] for r in records] == ["W", "b"] * 3
    assert all(r["ok"] for r in records), records


def test_cnn_input_gradient_matches_finite_differences():
    net = CNN((3, 3, 1), [2], 2, activation="tanh", init="glorot_normal", rng=0)
    x = np.random.default_rng(6).normal(size=(2, 9))
    g = np.array([[1.0, -2.0], [0.5, 0.3]])
    net.forward(x)
    dx = net.backward(g, need_input_grad=True).dx
    num = ik.numerical_gradient(lambda: float(np.sum(net.forward(x) * g)), x)
    assert ik.relative_error(dx.reshape(x.shape), num) < 1e-7


def test_cnn_accepts_images_or_their_flattened_rows():
    net = CNN((4, 4, 2), [3], 5, rng=0)
    x = np.random.default_rng(7).normal(size=(3, 4, 4, 2))
    np.testing.assert_array_equal(net.forward(x), net.forward(x.reshape(3, -1)))


def test_fit_trains_a_small_cnn_on_digits():
    data = ik.load_dataset("digits", rng=0)
    net = CNN((8, 8, 1), [8, 8], 10, pool="flatten", rng=0)
    h = ik.fit(net, data.X_train[:300], data.y_train[:300], X_test=data.X_test, y_test=data.y_test, epochs=6,
               lr=0.02, momentum=0.9, batch_size=32, progress=False, rng=0)
    assert not h.diverged
    assert h.train_loss[-1] < 0.5 * h.train_loss[0]
    assert h.test_acc[-1] > 0.5  # chance is 0.1


@pytest.mark.parametrize("pool", ["avg", "flatten"])
def test_both_heads_pass_the_gradient_check(pool):
    net = CNN((3, 3, 1), [2, 2], 2, activation="tanh", init="glorot_normal", pool=pool, rng=0)
    x = np.random.default_rng(8).normal(size=(3, 9))
    assert all(r["ok"] for r in ik.gradient_check(net, x, np.array([0, 1, 1])))


def test_probe_records_every_conv_layer_with_its_true_fan_in():
    net = CNN((6, 6, 2), [4, 4, 4], 3, activation="tanh", init="he_normal", rng=0)
    result = ik.probe(net, n_samples=20, rng=0)
    assert [r["fan_in"] for r in result.records] == [18, 36, 36, 4]
    assert all(np.isfinite(r["act_std"]) and np.isfinite(r["da_std"]) for r in result.records)


def test_fit_seeds_runs_a_cnn_per_seed():
    h = ik.fit_seeds(lambda s: CNN((8, 8, 1), [2], 10, rng=s), ik.load_dataset("digits", rng=0), seeds=[0, 1],
                     epochs=1, batch_size=128, progress=False)
    assert h.train_loss.shape == (2, 1) and np.all(np.isfinite(h.train_loss))


def test_flatten_head_reads_every_pixel():
    net = CNN((4, 4, 2), [3], 5, pool="flatten", rng=0)
    assert net.head.fan_in == 4 * 4 * 3
    assert "-> 3 -> flatten -> 5" in repr(net)


def test_cnn_rejects_inputs_of_the_wrong_size():
    with pytest.raises(ValueError, match="x must be rows of 16 pixel values or images"):
        CNN((4, 4, 1), [2], 2, rng=0).forward(np.ones((3, 15)))


def test_repr_reads_like_the_architecture():
    assert repr(CNN((8, 8, 1), [4, 4], 10, init="delta_orthogonal", activation="tanh", padding="circular", rng=0)) \
        == ("CNN(8x8x1 -> 4 -> 4 -> pool -> 10, k=3, padding='circular', activation='tanh', "
            "init='delta_orthogonal')")
