"""The numbers behind every rule: activations, fans and gains, Gaussian quadrature, the initializers and
their one table (:mod:`~initkit.core.registry`), losses, histograms and argument checks. Imports nothing
else from initkit."""
