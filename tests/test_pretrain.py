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


def test_pretraining_refuses_a_batchnorm_network():
    import pytest

    X = np.random.default_rng(0).normal(size=(32, 8))
    with pytest.raises(ValueError, match="cannot start a network with normalization layers"):
        ik.pretrained_mlp(ik.MLP([8, 16, 4], norm="batch", rng=0), X)
    with pytest.raises(ValueError, match="cannot start a network with normalization layers"):
        ik.pretrain_layerwise(ik.MLP([8, 16, 4], norm="batch", rng=0), X)
