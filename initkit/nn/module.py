"""The protocol every layer and network of :mod:`initkit.nn` shares (micrograd's ``Module``, a little larger).

A module holds parameter arrays that optimizers update in place and, after a backward pass, gradient arrays
of the same shapes in the same order. A composite module lists its sub-modules in :meth:`Module.children`;
its parameters are then its own (``own_parameters``) followed by its children's, in order, and
``train``/``eval`` reach every sub-module (BatchNorm reads ``training``). ``repr`` is
``ClassName(<extra_repr()>)``, so each class writes only the part that describes it.

>>> class Scale(Module):
...     def __init__(self):
...         self.w, self.dw = np.ones(2), np.full(2, 0.5)
...     def own_parameters(self):
...         return [self.w]
...     def own_gradients(self):
...         return [self.dw]
...     def extra_repr(self):
...         return "2"
>>> class Pair(Module):
...     def __init__(self):
...         self.a, self.b = Scale(), Scale()
...     def children(self):
...         return [self.a, self.b]
>>> net = Pair()
>>> len(net.parameters()), net.a, net.eval().b.training
(2, Scale(2), False)
>>> net.zero_grad(); float(net.gradients()[1].sum())
0.0
"""
import copy as _copy

import numpy as np  # noqa: F401  (the doctest uses it)

__all__ = ["Module"]


class Module:
    """Parameters, gradients, ``zero_grad``, ``train``/``eval``, ``copy`` and a ``repr`` hook for every model."""

    training = True

    def children(self):
        """The sub-modules, in the order their parameters are listed (none by default)."""
        return []

    def own_parameters(self):
        """Parameter arrays this module holds itself (not through a child)."""
        return []

    def own_gradients(self):
        """Gradient arrays matching :meth:`own_parameters`."""
        return []

    def parameters(self):
        """Every parameter array, own first, then each child's: the arrays optimizers update in place."""
        return self.own_parameters() + [p for child in self.children() for p in child.parameters()]

    def gradients(self):
        """The gradients from the last backward pass, matching :meth:`parameters` one to one."""
        return self.own_gradients() + [g for child in self.children() for g in child.gradients()]

    def zero_grad(self):
        """Set every gradient array to 0 (in place)."""
        for g in self.gradients():
            g[...] = 0

    def train(self, mode=True):
        """Training mode (BatchNorm uses batch statistics) or, with ``mode=False``, inference mode."""
        self.training = bool(mode)
        for child in self.children():
            child.train(mode)
        return self

    def eval(self):
        return self.train(False)

    def copy(self):
        """An independent deep copy (weights, gradients, caches, running statistics)."""
        return _copy.deepcopy(self)

    def loss_and_gradients(self, x, y, loss):
        """For a network (a module with ``forward`` and ``backward``): forward ``x``, evaluate
        ``loss(output, y)`` -> (loss, grad), back-propagate; return (loss, the network's gradients record)."""
        from ..core.losses import get_loss

        value, grad = get_loss(loss)(self.forward(x), y)
        return value, self.backward(grad)

    def extra_repr(self):
        """What goes between the parentheses of ``repr``."""
        return ""

    def __repr__(self):
        return f"{type(self).__name__}({self.extra_repr()})"


