"""initkit.lessons.transformer_training: a tiny transformer trained on a token task over seeds."""
import numpy as np
import pytest

from initkit.lessons.transformer_training import evaluate, train_token_task
from initkit.nn.token_tasks import token_task
from initkit.nn.transformer import Transformer


def test_untrained_model_scores_about_chance_and_training_lowers_the_loss():
    runs = train_token_task("gpt2", seeds=(0, 1), task="copy", steps=60, d=16, n_blocks=1, n_heads=1,
                            dtype=np.float64)
    assert runs.train_loss.shape == (2, 60) and runs.test_loss.shape == runs.test_accuracy.shape == (2,)
    assert runs.chance_loss == pytest.approx(np.log(9))
    np.testing.assert_allclose(runs.train_loss[:, 0], runs.chance_loss, rtol=0.1)  # std 0.02: near-uniform logits
    assert np.all(runs.test_loss < runs.train_loss[:, 0] - 0.2)


def test_evaluate_is_cross_entropy_and_argmax_accuracy_on_the_scored_positions():
    net = Transformer(10, 8, 1, 1, 8, rng=0)
    batch = token_task("reverse", 16, 4, 10, rng=1)
    loss, acc = evaluate(net, batch)
    logits = net.forward(batch.tokens)[:, batch.positions]
    targets = batch.targets[:, batch.positions]
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    assert loss == pytest.approx(-np.take_along_axis(logp, targets[..., None], -1).mean())
    assert acc == pytest.approx(np.mean(logits.argmax(-1) == targets))


def test_seeds_are_reproducible():
    a = train_token_task("normal", seeds=(3,), steps=3, d=8, n_blocks=1, n_heads=1)
    b = train_token_task("normal", seeds=(3,), steps=3, d=8, n_blocks=1, n_heads=1)
    np.testing.assert_array_equal(a.train_loss, b.train_loss)
