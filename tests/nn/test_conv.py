"""Conv2D and conv2d: the convolution against a direct reference (ours and PyTorch's layout), im2col's adjoint, and
exact gradients against finite differences."""
import numpy as np
import pytest

import initkit as ik
from initkit.nn.conv import Conv2D, col2im, conv2d, im2col


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


def test_conv_fans_are_those_of_compute_fans():
    layer = Conv2D(16, 32, 5, rng=0)
    assert (layer.fan_in, layer.fan_out) == ik.compute_fans(layer.W.shape) == (5 * 5 * 16, 5 * 5 * 32)


def test_he_conv_kernel_has_variance_two_over_k2_cin():
    W = Conv2D(64, 64, 3, init="he_normal", rng=0).W  # 36,864 draws: sample variance within 3 x sqrt(2/n) = 2.2 %
    assert W.var() == pytest.approx(2 / (9 * 64), rel=0.03)


def test_conv_rejects_an_even_kernel():
    with pytest.raises(ValueError, match="kernel_size must be odd"):
        Conv2D(1, 1, 2)


def test_circular_padding_needs_images_larger_than_the_pad():
    with pytest.raises(ValueError, match="circular padding of 2 needs images"):
        Conv2D(1, 1, 5, padding="circular", rng=0).forward(np.ones((1, 1, 1, 1)))
