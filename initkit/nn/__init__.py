"""Networks that compute: dense layers with exact backprop, BatchNorm, optimizers, training (one network,
several seeds, or many networks batched), per-layer statistics and the datasets. Imports
only :mod:`initkit.core`."""
