"""The one network protocol (initkit.nn.module.Module) that every layer and model shares."""
import numpy as np
import pytest

import initkit as ik
from initkit.nn.attention import LayerNorm, MultiHeadAttention
from initkit.nn.batchnorm import BatchNorm
from initkit.nn.blocks import Block, FeedForward
from initkit.nn.module import Module

STDS = dict(qkv=0.1, attn_proj=0.1, fc=0.1, mlp_proj=0.1)
MODELS = {
    "Dense": lambda: ik.Dense(3, 4, norm="batch", rng=0),
    "MLP": lambda: ik.MLP([3, 5, 5, 2], norm="batch", rng=0),
    "stacked MLP": lambda: ik.MLP([3, 5, 2], n_stack=3, rng=0),
    "ResidualMLP": lambda: ik.ResidualMLP(3, 6, 2, 2, init_scheme="he", norm="batch", rng=0),
    "RNN": lambda: ik.RNN(2, 4, 1, rng=0),
    "LSTM": lambda: ik.LSTM(2, 4, 1, n_stack=2, rng=0),
    "Transformer": lambda: ik.Transformer(10, d=8, n_blocks=1, max_len=4, rng=0),
    "BatchNorm": lambda: BatchNorm(3),
    "LayerNorm": lambda: LayerNorm(4),
    "MultiHeadAttention": lambda: MultiHeadAttention(8, n_heads=2, rng=0),
    "FeedForward": lambda: FeedForward(4, 8, rng=0),
    "Block": lambda: Block(8, n_heads=2, stds=STDS, rng=0),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_every_model_is_a_module_whose_gradients_match_its_parameters(name):
    net = MODELS[name]()
    assert isinstance(net, Module)
    params, grads = net.parameters(), net.gradients()
    assert params and len(params) == len(grads)
    assert [p.shape for p in params] == [g.shape for g in grads]
    assert len({id(p) for p in params}) == len(params)  # no array listed twice


@pytest.mark.parametrize("name", list(MODELS))
def test_zero_grad_copy_and_eval_work_on_every_model(name):
    net = MODELS[name]()
    for g in net.gradients():
        g[...] = 1.0
    net.zero_grad()
    assert all(not g.any() for g in net.gradients())
    twin = net.copy()
    twin.parameters()[0][...] += 1.0
    assert not np.array_equal(twin.parameters()[0], net.parameters()[0])  # a deep copy
    assert net.eval() is net and net.training is False and net.train().training is True


def test_train_and_eval_reach_every_batchnorm():
    for net in (ik.MLP([3, 5, 5, 2], norm="batch", rng=0),
                ik.ResidualMLP(3, 6, 2, 2, init_scheme="he", norm="batch", rng=0)):
        norms = [m for m in _walk(net) if isinstance(m, BatchNorm)]
        assert norms
        net.eval()
        assert not any(bn.training for bn in norms)
        net.train()
        assert all(bn.training for bn in norms)


def _walk(module):
    yield module
    for child in module.children():
        yield from _walk(child)


def test_parameters_list_own_arrays_first_then_each_childs_in_order():
    net = ik.MLP([3, 4, 2], norm="batch", rng=0)
    first = net.layers[0]
    want = [first.W, first.b, first.norm.gamma, first.norm.beta, net.layers[1].W, net.layers[1].b]
    assert all(a is b for a, b in zip(net.parameters(), want)) and len(net.parameters()) == len(want)


def test_repr_is_the_class_name_around_extra_repr():
    class Tiny(Module):
        def extra_repr(self):
            return "3 -> 1"

    assert repr(Tiny()) == "Tiny(3 -> 1)" and repr(Module()) == "Module()"
    assert repr(ik.MLP([2, 3, 1], n_stack=2, rng=0)) == "MLP(2 -> 3 -> 1, activation='relu', init='he_normal', n_stack=2)"


def test_loss_and_gradients_is_one_method_for_every_network():
    net = ik.MLP([64, 10], init="zeros", rng=0)  # zero weights: a uniform prediction, loss ln 10
    loss, grads = net.loss_and_gradients(np.ones((8, 64)), np.arange(8), "cross_entropy")
    assert loss == pytest.approx(np.log(10)) and grads.dW[0].shape == (64, 10)
    for cls in (ik.MLP, ik.ResidualMLP, ik.CNN):
        assert "loss_and_gradients" not in vars(cls)  # inherited from Module, not written again
