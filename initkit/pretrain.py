"""Greedy layer-wise pretraining, the way deep networks were started before good initializations.

Each hidden layer is trained as a one-hidden-layer autoencoder, input -> hidden (the layer's activation)
-> reconstruction (linear), on the previous layer's output; the encoders are then stacked under a fresh
output layer and the whole network is fine-tuned (Hinton & Salakhutdinov 2006 used RBMs; autoencoders
are the variant of Bengio et al. 2007). Bounded by ``epochs`` per layer.
"""
import numpy as np

from ._validation import check_number
from .losses import mean_squared_error
from .network import MLP
from .training import fit


def _refuse_networks(sizes):
    """Pretraining builds its own networks from layer widths; a network passed instead is refused, clearly."""
    from .theory import check_sizes

    layers = getattr(sizes, "layers", None)
    if layers is None:
        check_sizes(sizes)
        return
    if any(getattr(layer, "norm", None) is not None for layer in layers):
        raise ValueError("pretraining cannot start a network with normalization layers (norm='batch'): each "
                         "autoencoder learns weights for its layer's raw input and output, but BatchNorm "
                         "re-centres and rescales every hidden layer, so the pretrained weights would not be "
                         "what the network computes with; pass the layer widths (net.sizes) of a net without norm")
    raise TypeError(f"sizes must be the list of layer widths (e.g. net.sizes); got {type(sizes).__name__}")


def pretrain_layerwise(sizes, X, activation="sigmoid", epochs=10, lr=0.1, momentum=0.9, batch_size=64, rng=None):
    """Train an autoencoder per hidden layer of ``sizes`` (input first, no output layer) on ``X``.

    Returns ``(encoders, report)``: ``encoders`` is a list of (W, b); ``report`` one dict per layer with
    the reconstruction error (mean squared error per sample) before and after training.
    """
    _refuse_networks(sizes)
    check_number("epochs", epochs, low=1, integer=True)
    rng = np.random.default_rng(rng)
    H = np.asarray(X, dtype=np.float64)
    encoders, report = [], []
    for l in range(len(sizes) - 1):
        ae = MLP([sizes[l], sizes[l + 1], sizes[l]], activation=activation, init="glorot_uniform", rng=rng)
        before = mean_squared_error(ae.forward(H), H)[0]
        fit(ae, H, H, loss="mean_squared_error", epochs=epochs, lr=lr, momentum=momentum, batch_size=batch_size,
            progress=False, rng=rng)
        after = mean_squared_error(ae.forward(H), H)[0]
        encoder = ae.layers[0]
        encoders.append((encoder.W.copy(), encoder.b.copy()))
        report.append({"layer": l + 1, "reconstruction_before": before, "reconstruction_after": after})
        H = encoder.activation(H @ encoder.W + encoder.b)  # the next layer's input
    return encoders, report


def pretrained_mlp(sizes, X, activation="sigmoid", epochs=10, lr=0.1, momentum=0.9, batch_size=64, rng=None):
    """An MLP with layer widths ``sizes`` whose hidden layers come from :func:`pretrain_layerwise` on ``X``
    and whose output layer is freshly initialized (Glorot). Returns ``(net, report)``; fine-tune with ``fit``."""
    _refuse_networks(sizes)
    rng = np.random.default_rng(rng)
    encoders, report = pretrain_layerwise(sizes[:-1], X, activation, epochs, lr, momentum, batch_size, rng)
    net = MLP(sizes, activation=activation, init="glorot_uniform", rng=rng)
    for layer, (W, b) in zip(net.layers, encoders):
        layer.W[...] = W
        layer.b[...] = b
    return net, report
