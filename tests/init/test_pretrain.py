import numpy as np

import initkit as ik


def test_each_autoencoder_learns_to_reconstruct_its_input():
    data = ik.load_dataset("digits", rng=0)
    encoders, report = ik.pretrain_layerwise([64, 32, 16], data.X_train, epochs=5, rng=0)
    assert [W.shape for W, _ in encoders] == [(64, 32), (32, 16)]
    for row in report:
        assert row["reconstruction_after"] < 0.7 * row["reconstruction_before"], row


def test_pretrained_mlp_uses_the_encoders_and_fine_tunes():
    data = ik.load_dataset("digits", rng=0)
    net, report = ik.pretrained_mlp([64, 32, 16, 10], data.X_train, epochs=3, rng=1)
    encoders, _ = ik.pretrain_layerwise([64, 32, 16], data.X_train, epochs=3, rng=np.random.default_rng(1))
    np.testing.assert_allclose(net.layers[0].W, encoders[0][0])
    history = ik.fit(net, data, epochs=10, lr=0.1, momentum=0.9, rng=0)
    assert history.test_acc[-1] > 0.8 and history.train_loss[-1] < 0.5 * history.train_loss[0] and len(report) == 2


def test_standardized_input_is_folded_into_the_encoder_exactly():
    # Oracle: train the first autoencoder by hand on standardized inputs, then check the returned encoder
    # computes the same features from the raw inputs.
    data = ik.load_dataset("digits", rng=0)
    X = data.X_train
    encoders, _ = ik.pretrain_layerwise([64, 16], X, epochs=2, lr=0.01, rng=0)
    rng = np.random.default_rng(0)
    mu, sd = X.mean(axis=0), X.std(axis=0)
    Z = (X - mu) / np.where(sd > 1e-6 * sd.max(), sd, 1.0)  # the digits' corner pixel is constant
    ae = ik.MLP([64, 16, 64], activation="sigmoid", init="glorot_uniform", rng=rng)
    ik.fit(ae, Z, Z, loss="mean_squared_error", epochs=2, lr=0.01, momentum=0.9, batch_size=64, progress=False, rng=rng)
    W, b = encoders[0]
    np.testing.assert_allclose(X @ W + b, Z @ ae.layers[0].W + ae.layers[0].b, rtol=1e-9, atol=1e-9)


def test_standardizing_keeps_deep_features_from_becoming_constant():
    data = ik.load_dataset("digits", rng=0)
    sizes = [64, 32, 32, 32]
    _, plain = ik.pretrain_layerwise(sizes, data.X_train, epochs=3, lr=0.01, rng=0, standardize=False)
    _, standardized = ik.pretrain_layerwise(sizes, data.X_train, epochs=3, lr=0.01, rng=0)
    # A sigmoid unit's variance is at most 1/4; nearly constant features have a tiny one.
    assert all(row["feature_var"] > 0.03 for row in standardized), standardized
    assert plain[-1]["feature_var"] < 0.01 * standardized[-1]["feature_var"], (plain, standardized)
    assert all(row["unexplained"] < 0.6 for row in standardized), standardized


def test_pretraining_refuses_a_batchnorm_network():
    import pytest

    X = np.random.default_rng(0).normal(size=(32, 8))
    with pytest.raises(ValueError, match="cannot start a network with normalization layers"):
        ik.pretrained_mlp(ik.MLP([8, 16, 4], norm="batch", rng=0), X)
    with pytest.raises(ValueError, match="cannot start a network with normalization layers"):
        ik.pretrain_layerwise(ik.MLP([8, 16, 4], norm="batch", rng=0), X)
