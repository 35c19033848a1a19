"""Train a tiny transformer on a generated token task (copy, reverse, sort) from a named initialization,
over several seeds: the small loop ``ik.fit`` cannot run (its inputs are 2-D; these are token sequences).

Each step draws a fresh batch from the task (an endless training set), computes the cross-entropy of the
scored positions, back-propagates and updates with Adam. Every random draw comes from ``rng``.
"""
from dataclasses import dataclass

import numpy as np

from ..core.constraints import Dtype, Integer, Options, Real, Sizes
from ..core.losses import softmax_cross_entropy
from ..core.validation import MAX_ELEMENTS, check_number, make_rng, validate_params
from ..nn.divergence import chance_loss, diverged_at
from ..nn.optimizers import Adam
from ..nn.progress import progress_bar
from ..nn.token_tasks import token_task
from ..nn.token_tasks import TASKS
from ..nn.transformer import INIT_SCHEMES, MAX_BLOCKS, Transformer


@dataclass
class TokenRuns:
    """Per seed (rows): the training loss of every step, and the held-out loss and token accuracy at the end;
    ``diverged_at`` per seed: the first step whose loss broke fit's divergence rule against the chance level
    (:func:`initkit.nn.divergence.diverged_at`; 0 if none)."""
    init: str
    train_loss: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    chance_loss: float
    diverged_at: np.ndarray = None


def evaluate(net, batch):
    """Held-out cross-entropy and token accuracy (argmax) on the scored positions of ``batch``."""
    logits = net.forward(batch.tokens)[:, batch.positions].astype(np.float64)
    targets = batch.targets[:, batch.positions]
    shifted = logits - logits.max(axis=-1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    loss = -np.take_along_axis(logp, targets[..., None], axis=-1).mean()
    return float(loss), float((logits.argmax(axis=-1) == targets).mean())


@validate_params({"init": Options(INIT_SCHEMES), "seeds": Sizes(min_len=1, max_len=1000, low=0, high=2**63, what="seeds"),
                  "task": Options(TASKS), "steps": Integer(1, 10**5), "batch_size": Integer(1, MAX_ELEMENTS),
                  "lr": Real(0, 1e6, closed="right"), "length": Integer(1, 2**12), "vocab_size": Integer(3, 2**20),
                  "d": Integer(1, 2**13), "n_blocks": Integer(1, MAX_BLOCKS), "n_heads": Integer(1, lambda a: a["d"]),
                  "norm": Options(("pre", "post")), "std": Real(0, 1e6), "n_test": Integer(1, MAX_ELEMENTS),
                  "dtype": Dtype},
                 budget={"seeds, steps, n_blocks, d, batch_size and length": (
                     lambda a: len(a["seeds"]) * a["steps"] * a["n_blocks"] * a["batch_size"] * a["length"] * a["d"]
                     // 64, "work (seeds x steps x n_blocks x batch x length x d / 64)")})
def train_token_task(init="gpt2", seeds=(0, 1, 2), *, task="reverse", steps=200, batch_size=32, lr=3e-3,
                     length=4, vocab_size=10, d=32, n_blocks=2, n_heads=2, norm="pre", std=0.02, n_test=256,
                     dtype=np.float32, progress=None, **net_options):
    """Train one :class:`~initkit.Transformer` per seed on ``task`` from scheme ``init``; return :class:`TokenRuns`.

    The seed sets the weights and the batches; the held-out batch is the same for every seed and init.
    Chance level: ln(vocab_size - 1) (a uniform guess among the symbols). One progress bar over every
    seed's steps (``progress`` as in :func:`initkit.fit`).

    >>> runs = train_token_task("gpt2", seeds=(0,), steps=3, d=8, n_blocks=1, n_heads=1, dtype=np.float64)
    >>> print(runs.train_loss.shape, runs.test_loss.shape, runs.train_loss[0, 0] > 2)
    (1, 3) (1,) True
    """
    seeds = list(seeds)
    test = token_task(task, n_test, length, vocab_size, rng=10_000)
    train_loss = np.empty((len(seeds), steps))
    test_loss, test_acc = np.empty(len(seeds)), np.empty(len(seeds))
    bar = progress_bar(progress, len(seeds) * steps, unit="step")
    for i, seed in enumerate(seeds):
        rng = make_rng(seed)
        net = Transformer(vocab_size, d, n_blocks, n_heads, 2 * length, norm=norm, init=init, std=std,
                          dtype=dtype, rng=rng, **net_options)
        opt = Adam(lr=lr)
        for step in range(steps):
            b = token_task(task, batch_size, length, vocab_size, rng=rng)
            train_loss[i, step] = net.loss(b.tokens, b.targets, b.positions)
            opt.step(net.parameters(), net.gradients())
            bar.advance(1, train_loss[i, step])
        test_loss[i], test_acc[i] = evaluate(net, test)
    chance = chance_loss(softmax_cross_entropy, vocab_size - 1, None)[0]  # ln C over the vocab_size - 1 content tokens
    return TokenRuns(init, train_loss, test_loss, test_acc, chance, diverged_at(train_loss.T, chance))
