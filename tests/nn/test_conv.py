"""Conv2D and CNN: the convolution against a direct reference (ours and PyTorch's layout), exact gradients
against finite differences, and the engine's tools (fit, probe, gradient_check) on a CNN."""
import numpy as np
import pytest

import initkit as ik
from initkit.nn.conv import Conv2D, CNN, col2im, conv2d, im2col


def reference_conv(x, W, b, padding):
    """The definition, one output at a time: z[n,h,w,o] = sum_{i,j,c} x[n, h+i-p, w+j-p, c] W[i,j,c,o] + b[o],
    out-of-range pixels 0 (zero) or wrapped (circular)."""
    n, H, Wd, C = x.shape
    k, _, _, c_out = W.shape
    p = (k - 1) // 2
    z = np.zeros((n, H, Wd, c_out))
    for h in range(H):
        for w in range(Wd):
            for i in range(k):
                for j in range(k):
                    r, s = h + i - p, w + j - p
                    if padding == "circular":
                        r, s = r % H, s % Wd
                    elif not (0 <= r < H and 0 <= s < Wd):
                        continue
                    z[:, h, w, :] += x[:, r, s, :] @ W[i, j]
    return z + b


def reference_conv_torch_layout(x_nchw, W_oikk, b, padding):
    """The same definition written in PyTorch's layout: x (n, C, H, W), weight (out, in, k, k)."""
    n, C, H, Wd = x_nchw.shape
    c_out, _, k, _ = W_oikk.shape
    p = (k - 1) // 2
    z = np.zeros((n, c_out, H, Wd))
    for o in range(c_out):
        for h in range(H):
            for w in range(Wd):
                for i in range(k):
                    for j in range(k):
                        r, s = h + i - p, w + j - p
                        if padding == "circular":
                            r, s = r % H, s % Wd
                        elif not (0 <= r < H and 0 <= s < Wd):
                            continue
                        z[:, o, h, w] += x_nchw[:, :, r, s] @ W_oikk[o, :, i, j]
    return z + b[None, :, None, None]


@pytest.mark.parametrize("padding", ["zero", "circular"])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_conv2d_matches_the_direct_definition(padding, k):
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(2, 5, 6, 3)), rng.normal(size=(k, k, 3, 4)), rng.normal(size=4)
    np.testing.assert_allclose(conv2d(x, W, b, padding), reference_conv(x, W, b, padding), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("padding", ["zero", "circular"])
def test_our_layout_is_pytorchs_by_transpose(padding):
    # ours: x (n, H, W, C), W (k, k, in, out); PyTorch: x (n, C, H, W), weight (out, in, k, k)
    rng = np.random.default_rng(1)
    x, W, b = rng.normal(size=(2, 4, 5, 3)), rng.normal(size=(3, 3, 3, 2)), rng.normal(size=2)
    ours = conv2d(x, W, b, padding)
    theirs = reference_conv_torch_layout(x.transpose(0, 3, 1, 2), W.transpose(3, 2, 0, 1), b, padding)
    np.testing.assert_allclose(ours.transpose(0, 3, 1, 2), theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("padding", ["zero", "circular"])
def test_our_layout_matches_torch_conv2d(padding):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    x, W, b = rng.normal(size=(2, 4, 5, 3)), rng.normal(size=(3, 3, 3, 2)), rng.normal(size=2)
    conv = torch.nn.Conv2d(3, 2, 3, padding=1, padding_mode="zeros" if padding == "zero" else "circular").double()
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(W.transpose(3, 2, 0, 1).copy()))
        conv.bias.copy_(torch.from_numpy(b))
        theirs = conv(torch.from_numpy(x.transpose(0, 3, 1, 2).copy())).numpy()
    np.testing.assert_allclose(conv2d(x, W, b, padding).transpose(0, 3, 1, 2), theirs, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("padding", ["zero", "circular"])
def test_col2im_is_the_adjoint_of_im2col(padding):
    # <im2col(x), g> = <x, col2im(g)> for all x, g: the backward pass of the gather is its transpose
    rng = np.random.default_rng(3)
    x, g = rng.normal(size=(2, 4, 5, 3)), rng.normal(size=(2, 4, 5, 3, 3, 3))
    assert np.sum(im2col(x, 3, padding) * g) == pytest.approx(np.sum(x * col2im(g, padding)), rel=1e-12)


@pytest.mark.parametrize("padding", ["zero", "circular"])
@pytest.mark.parametrize("activation", ["tanh", "relu", "linear"])
def test_conv_layer_gradients_match_finite_differences(padding, activation):
    rng = np.random.default_rng(4)
    layer = Conv2D(2, 3, 3, activation=activation, init="glorot_normal", bias_init="zeros", padding=padding, rng=0)
    layer.b[...] = rng.normal(size=3) * 0.1
    x = rng.normal(size=(2, 4, 3, 2))
    g = rng.normal(size=(2, 4, 3, 3))

    def loss():
        return float(np.sum(layer.forward(x) * g))  # L = <a, g>: dL/da = g

    loss()
    dx = layer.backward(g)
    dW, db = layer.dW.copy(), layer.db.copy()
    for analytic, param in ((dW, layer.W), (db, layer.b), (dx, x)):
        assert ik.relative_error(analytic, ik.numerical_gradient(loss, param)) < 1e-7


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


def test_conv_fans_are_those_of_compute_fans():
    layer = Conv2D(16, 32, 5, rng=0)
    assert (layer.fan_in, layer.fan_out) == ik.compute_fans(layer.W.shape) == (5 * 5 * 16, 5 * 5 * 32)


def test_he_conv_kernel_has_variance_two_over_k2_cin():
    W = Conv2D(64, 64, 3, init="he_normal", rng=0).W  # 36,864 draws: sample variance within 3 x sqrt(2/n) = 2.2 %
    assert W.var() == pytest.approx(2 / (9 * 64), rel=0.03)


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


def test_conv_rejects_an_even_kernel():
    with pytest.raises(ValueError, match="kernel_size must be odd"):
        Conv2D(1, 1, 2)


def test_flatten_head_reads_every_pixel():
    net = CNN((4, 4, 2), [3], 5, pool="flatten", rng=0)
    assert net.head.fan_in == 4 * 4 * 3
    assert "-> 3 -> flatten -> 5" in repr(net)


def test_cnn_rejects_inputs_of_the_wrong_size():
    with pytest.raises(ValueError, match="x must be rows of 16 pixel values or images"):
        CNN((4, 4, 1), [2], 2, rng=0).forward(np.ones((3, 15)))


def test_circular_padding_needs_images_larger_than_the_pad():
    with pytest.raises(ValueError, match="circular padding of 2 needs images"):
        Conv2D(1, 1, 5, padding="circular", rng=0).forward(np.ones((1, 1, 1, 1)))


def test_repr_reads_like_the_architecture():
    assert repr(CNN((8, 8, 1), [4, 4], 10, init="delta_orthogonal", activation="tanh", padding="circular", rng=0)) \
        == ("CNN(8x8x1 -> 4 -> 4 -> pool -> 10, k=3, padding='circular', activation='tanh', "
            "init='delta_orthogonal')")
