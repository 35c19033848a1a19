"""Greedy layer-wise pretraining, the way deep networks were started before good initializations.

Each hidden layer is trained as a one-hidden-layer autoencoder, input -> hidden (the layer's activation)
-> reconstruction (linear), on the previous layer's output; the encoders are then stacked under a fresh
output layer and the whole network is fine-tuned (Hinton & Salakhutdinov 2006 used RBMs; autoencoders
are the variant of Bengio et al. 2007). Bounded by ``epochs`` per layer.

Each autoencoder sees its input standardized per feature (``standardize=True``): a sigmoid layer's outputs
have a small spread (per-unit variance about 0.05 on the digits), and a squared reconstruction error on
such inputs gives gradients so small that the next autoencoder learns little more than the mean, making
near-constant features. The standardization is folded into the encoder afterwards
(x' = (x - mu) / sd, so x' W + b = x (W / sd) + (b - (mu / sd) W)), so the stacked network takes the raw
previous layer's output, exactly as trained.
"""
import numpy as np

from ..core.activations import ACTIVATIONS, Activation
from ..core.array_constraints import Data
from ..core.constraints import RNG, Bool, Integer, Options, Real, Sizes
from ..core.validation import MAX_ELEMENTS, make_rng, validate_params
from ..core.losses import mean_squared_error
from ..nn.network import MLP
from ..measure.theory import MAX_LAYERS
from ..nn.training import fit


def _refuse_network(net):
    """Pretraining builds its own networks from layer widths; a network passed instead is refused, clearly."""
    if any(getattr(layer, "norm", None) is not None for layer in net.layers):
        raise ValueError("pretraining cannot start a network with normalization layers (norm='batch'): each "
                         "autoencoder learns weights for its layer's raw input and output, but BatchNorm "
                         "re-centres and rescales every hidden layer, so the pretrained weights would not be "
                         "what the network computes with; pass the layer widths (net.sizes) of a net without norm")
    raise TypeError(f"sizes must be the list of layer widths (e.g. net.sizes); got {type(net).__name__}")


class _Widths(Sizes):
    """Layer widths (input first); a network passed instead is refused with the reason."""

    def check(self, name, value, args):
        if hasattr(value, "layers"):
            _refuse_network(value)
        return super().check(name, value, args)


def _declare(min_layers):
    """The declaration of both functions (``pretrained_mlp`` needs a hidden layer: ``min_layers`` = 3)."""
    return validate_params(
        {"sizes": _Widths(min_len=min_layers, max_len=MAX_LAYERS + 1, high=2**14),
         "X": Data(ndim=2, columns=lambda a: a["sizes"][0]), "activation": Options(ACTIVATIONS, types=(Activation,)),
         "epochs": Integer(1, 10**6), "lr": Real(0, 1e6, closed="right"), "momentum": Real(0, 1, closed="left"),
         "batch_size": Integer(1, MAX_ELEMENTS), "rng": RNG, "standardize": Bool},
        budget={"sizes and X": (lambda a: max(m * n for m, n in zip(a["sizes"], a["sizes"][1:])) +
                                len(a["X"]) * max(a["sizes"]), "weights and activations of the largest layer"),
                "epochs and X": (lambda a: a["epochs"] * len(a["X"]) * (len(a["sizes"]) - 1),
                                 "samples seen (epochs x rows of X x layers)")})


@_declare(2)
def pretrain_layerwise(sizes, X, activation="sigmoid", epochs=10, lr=0.1, momentum=0.9, batch_size=64, rng=None,
                       standardize=True):
    """Train an autoencoder per hidden layer of ``sizes`` (input first, no output layer) on ``X``.

    Returns ``(encoders, report)``: ``encoders`` is a list of (W, b); ``report`` one dict per layer with
    the reconstruction error (mean squared error per sample) before and after training, ``unexplained``
    (the error after training as a fraction of the autoencoder input's total variance: 1 means it learned
    nothing beyond the mean, and is reported for a constant input, which has nothing beyond its mean) and ``feature_var`` (the median per-unit variance of the layer's output over
    ``X``: near 0, the features are nearly constant). ``standardize``: see the module docstring.

    >>> X = np.random.default_rng(0).standard_normal((60, 8))
    >>> encoders, report = pretrain_layerwise([8, 6, 4], X, epochs=2, rng=0)
    >>> [W.shape for W, b in encoders], [r["reconstruction_after"] < r["reconstruction_before"] for r in report]
    ([(8, 6), (6, 4)], [True, True])
    """
    rng = make_rng(rng)
    H = np.asarray(X, dtype=np.float64)
    encoders, report = [], []
    for l in range(len(sizes) - 1):
        mu, sd = (H.mean(axis=0), H.std(axis=0)) if standardize else (0.0, 1.0)
        sd = np.where(sd > 1e-6 * np.max(sd), sd, 1.0)  # (nearly) constant features are only centered
        Z = (H - mu) / sd  # the autoencoder's input
        ae = MLP([sizes[l], sizes[l + 1], sizes[l]], activation=activation, init="glorot_uniform", rng=rng)
        before = mean_squared_error(ae.forward(Z), Z)[0]
        fit(ae, Z, Z, loss="mean_squared_error", epochs=epochs, lr=lr, momentum=momentum, batch_size=batch_size,
            progress=False, rng=rng)
        after = mean_squared_error(ae.forward(Z), Z)[0]
        encoder = ae.layers[0]
        W = encoder.W / np.reshape(sd, (-1, 1))  # fold the standardization into the encoder
        b = encoder.b - (np.broadcast_to(mu / sd, (sizes[l],)) @ encoder.W)
        encoders.append((W, b))
        H = encoder.activation(H @ W + b)  # the next layer's input
        total = 0.5 * float(np.sum(Z.var(axis=0)))  # the loss is 0.5 |e|^2: its value for predicting the mean
        report.append({"layer": l + 1, "reconstruction_before": before, "reconstruction_after": after,
                       "unexplained": after / total if total > 0 else 1.0,
                       "feature_var": float(np.median(H.var(axis=0)))})
    return encoders, report


@_declare(3)
def pretrained_mlp(sizes, X, activation="sigmoid", epochs=10, lr=0.1, momentum=0.9, batch_size=64, rng=None,
                   standardize=True):
    """An MLP with layer widths ``sizes`` whose hidden layers come from :func:`pretrain_layerwise` on ``X``
    and whose output layer is freshly initialized (Glorot). Returns ``(net, report)``; fine-tune with ``fit``.
    Hinton & Salakhutdinov (2006), Reducing the Dimensionality of Data with Neural Networks; Bengio, Lamblin,
    Popovici & Larochelle (2007), Greedy Layer-Wise Training of Deep Networks.

    >>> net, report = pretrained_mlp([8, 6, 4, 3], np.random.default_rng(0).standard_normal((60, 8)), epochs=2,
    ...                              rng=0)
    >>> net, len(report)
    (MLP(8 -> 6 -> 4 -> 3, activation='sigmoid', init='glorot_uniform'), 2)
    """
    rng = make_rng(rng)
    encoders, report = pretrain_layerwise.__wrapped__(sizes[:-1], X, activation, epochs, lr, momentum, batch_size, rng,
                                          standardize)
    net = MLP(sizes, activation=activation, init="glorot_uniform", rng=rng)
    for layer, (W, b) in zip(net.layers, encoders):
        layer.W[...] = W
        layer.b[...] = b
    return net, report
