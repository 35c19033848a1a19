"""Is initialization the problem? Checks that return data: initial loss, gradients, statistics over training.

Everything here returns plain numbers, records or arrays; :mod:`initkit.plotting` draws them.
"""

import numpy as np

from ..core.constraints import AnyOf, Callable, Instance, Optional, Options, Real
from ..core.array_constraints import Data, Labels, Numbers
from ..core.losses import ALIASES, LOSSES, get_loss, softmax_cross_entropy
from ..core.validation import check_number, validate_params
from ..nn.divergence import chance_loss
from ..nn.network import MLP
from .gradcheck import gradient_check  # noqa: F401  (public here too: the first check of any backprop)
from ..nn.training import default_loss


NET_X_Y = {"net": Instance("an MLP", types=(MLP,)), "X": Data(ndim=2, columns=lambda a: a["net"].sizes[0]),
           "y": AnyOf(Labels(rows="X", classes=lambda a: max(a["net"].sizes[-1], 2)),
                      Data(ndim=2, columns=lambda a: a["net"].sizes[-1], what="of regression targets")),
           "loss": Optional(AnyOf(Options({*LOSSES, *ALIASES}), Callable()))}


@validate_params({**NET_X_Y, "tolerance": Real(0, 1e6)})
def initial_loss_check(net, X, y, loss=None, tolerance=0.25):
    """Compare a fresh classifier's loss with -ln(1/C), the loss of a uniform prediction over C classes.

    Returns ``{"loss", "expected", "ratio", "ok", "message"}``. A ratio well above 1 means the network
    starts confidently wrong: output logits too large, usually from too large a weight scale. Karpathy
    (2019), A Recipe for Training Neural Networks ("verify loss @ init").

    >>> import initkit as ik
    >>> X, y = np.random.default_rng(0).standard_normal((200, 20)), np.arange(200) % 10
    >>> initial_loss_check(ik.MLP([20, 64, 10], activation="tanh", init="lecun_normal", rng=0), X, y)["ok"]
    True
    >>> report = initial_loss_check(ik.MLP([20, 64, 10], init="standard_normal", rng=0), X, y)
    >>> report["ok"], bool(report["ratio"] > 10)             # N(0, 1) weights: logits far too large
    (False, True)
    """
    name = loss or default_loss(net)
    with np.errstate(all="ignore"):
        value, _ = get_loss(name)(net.forward(X), y)
    n_classes = max(net.sizes[-1], 2)
    expected = chance_loss(softmax_cross_entropy, n_classes, None)[0]  # ln C, the one home of the chance level
    ratio = value / expected
    ok = bool(np.isfinite(value) and abs(ratio - 1) <= tolerance)
    verdict = ("close to chance, as a fresh classifier should be" if ok else
               "far above chance: the network starts confidently wrong (logits too large)" if ratio > 1 else
               "below chance before training: check the labels or the loss")
    return {"loss": value, "expected": expected, "ratio": ratio, "ok": ok,
            "message": f"initial loss {value:.4g} vs -ln(1/{n_classes}) = {expected:.4g}: {verdict}"}


@validate_params(NET_X_Y)
def gradient_norms(net, X, y, loss=None):
    """Per-layer Frobenius norm of dL/dW for one batch.

    Not a health check on its own: at initialization the weight gradients have about the same size in
    every layer even when the back-propagated gradients dL/da vanish (Glorot & Bengio 2010, section
    4.2.1), so a network that cannot train can show flat norms. See :func:`gradient_table` (both
    gradients side by side) and :func:`update_data_check` (a check a dead network fails).

    >>> import initkit as ik
    >>> X, y = np.random.default_rng(0).standard_normal((50, 20)), np.arange(50) % 10
    >>> gradient_norms(ik.MLP([20, 64, 64, 10], rng=0), X, y).shape      # one norm per layer
    (3,)
    """
    with np.errstate(all="ignore"):
        net.loss_and_gradients(X, y, loss or default_loss(net))
    return np.array([float(np.linalg.norm(layer.dW)) for layer in net.layers])


@validate_params(NET_X_Y)
def gradient_table(net, X, y, loss=None):
    """The two gradients of every layer side by side, from one forward and backward pass on ``(X, y)``.

    One record per layer: ``layer`` (1-based), ``dW_norm`` (Frobenius norm of dL/dW), ``dW_std``,
    ``da_std`` (std of dL/da, the gradient back-propagated to the layer's output; for the last layer
    dL/d(output)), ``weight_std`` and ``grad_data_ratio`` = dW_std / weight_std (inf or NaN when the
    weights are all equal). dL/dW = a_{l-1}^T dz_l multiplies a forward quantity by a backward one, so
    it can stay flat across layers while dL/da shrinks or grows geometrically.

    >>> import initkit as ik
    >>> X, y = np.random.default_rng(0).standard_normal((50, 20)), np.arange(50) % 10
    >>> table = gradient_table(ik.MLP([20, 64, 64, 10], rng=0), X, y)
    >>> len(table), sorted(table[0])
    (3, ['dW_norm', 'dW_std', 'da_std', 'grad_data_ratio', 'layer', 'weight_std'])
    """
    with np.errstate(all="ignore"):
        _, grads = net.loss_and_gradients(X, y, loss or default_loss(net))
        records = []
        for i, (layer, da) in enumerate(zip(net.layers, grads.da), start=1):
            w_std, g_std = _std(layer.W), _std(layer.dW)
            records.append({"layer": i, "dW_norm": float(np.linalg.norm(layer.dW)), "dW_std": g_std,
                            "da_std": _std(da), "weight_std": w_std, "grad_data_ratio": _ratio(g_std, w_std)})
    return records


# Karpathy's guide for the update:data ratio std(delta W) / std(W) is about 1e-3; a decade either side
# is the band update_data_check accepts (below: the layer barely moves; above: it is thrashed around).
UPDATE_DATA_GUIDE = 1e-3
UPDATE_DATA_BAND = (1e-4, 1e-2)


@validate_params({**NET_X_Y, "lr": Real(0, 1e6, closed="right"),
                  "band": Numbers(0, 1e6)})
def update_data_check(net, X, y, lr, loss=None, band=UPDATE_DATA_BAND):
    """Would one SGD step on ``(X, y)`` with learning rate ``lr`` move every layer by a sensible amount?

    The first step's update is ``-lr dL/dW`` whatever the momentum, so each layer's update:data ratio is
    ``std(lr dL/dW) / std(W)``. The check passes when every layer's ratio lies within ``band`` (a decade
    either side of Karpathy's 1e-3). Unlike the gradient norms alone, it fails a network whose gradients
    are uniformly tiny (weights N(0, 0.01^2) in a deep net), one whose weights are all equal (zero or
    constant initialization: std(W) = 0, no scale to compare with) and one whose early layers would be
    thrown around. Returns ``{"ratios", "ok", "layers_ok", "verdicts", "message"}`` (``verdicts``: one
    sentence per failing layer); nothing is updated. Karpathy, CS231n (2016), Neural Networks Part 3.

    >>> import initkit as ik
    >>> X, y = np.random.default_rng(0).standard_normal((200, 20)), np.arange(200) % 10
    >>> update_data_check(ik.MLP([20, 64, 64, 10], rng=0), X, y, lr=0.01)["ok"]
    True
    >>> update_data_check(ik.MLP([20, 64, 64, 10], init="zeros", rng=0), X, y, lr=0.01)["verdicts"][0]
    'layer 1: weights all equal (std 0), a symmetric start'
    """
    if np.shape(band) != (2,) or not band[0] < band[1]:
        raise ValueError(f"band must be a (low, high) pair of ratios with low < high; got {band!r:.80}")
    low, high = band
    records = gradient_table(net, X, y, loss)
    ratios = np.array([lr * r["grad_data_ratio"] for r in records])
    layers_ok = np.array([bool(low <= r <= high) for r in ratios])
    verdicts = []
    for r, rec in zip(ratios, records):
        if rec["weight_std"] == 0:
            verdicts.append(f"layer {rec['layer']}: weights all equal (std 0), a symmetric start")
        elif not np.isfinite(r):
            verdicts.append(f"layer {rec['layer']}: gradient not finite")
        elif r < low:
            verdicts.append(f"layer {rec['layer']}: {r:.2g}, below {low:g} (barely moves)")
        elif r > high:
            verdicts.append(f"layer {rec['layer']}: {r:.2g}, above {high:g} (thrown around)")
    ok = bool(layers_ok.all())
    message = (f"update:data ratio within [{low:g}, {high:g}] in every layer (lr {lr:g})" if ok else
               f"update:data ratio outside [{low:g}, {high:g}] (lr {lr:g}) in {int((~layers_ok).sum())} of "
               f"{len(ratios)} layers: " + "; ".join(verdicts))
    return {"ratios": ratios, "ok": ok, "layers_ok": layers_ok, "verdicts": verdicts, "message": message}


def _std(x):
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.std(x, dtype=np.float64))


def _ratio(num, den):
    if den > 0:
        return num / den
    return float("inf") if num > 0 else float("nan")


@validate_params({"history": Instance("a History from fit", ("snapshots",)),
                  "key": Instance("a record field name (a string)", types=(str,))})
def training_stats(history, key="act_std"):
    """A record field over training: ``(steps, values)`` with ``values`` of shape (snapshots, layers).

    >>> import initkit as ik
    >>> X, y = np.random.default_rng(0).standard_normal((200, 20)), np.arange(200) % 10
    >>> history = ik.fit(ik.MLP([20, 64, 64, 10], rng=0), X, y, epochs=2, snapshot_every=5, progress=False, rng=0)
    >>> steps, values = training_stats(history, "act_std")
    >>> steps.tolist(), values.shape                      # 14 steps: snapshots at 1, 6, 11
    ([1, 6, 11], (3, 3))
    """
    if not history.snapshots:
        raise ValueError("history has no snapshots: train with fit(..., snapshot_every=k)")
    if key not in history.snapshots[0]["layers"][0]:
        known = ", ".join(repr(k) for k in history.snapshots[0]["layers"][0])
        raise ValueError(f"key must be one of {known}; got {key!r}")
    steps = np.array([s["step"] for s in history.snapshots])
    values = np.array([[layer[key] for layer in s["layers"]] for s in history.snapshots], dtype=np.float64)
    return steps, values
