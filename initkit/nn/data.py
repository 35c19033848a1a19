"""Small offline datasets: 2-D toys (moons, circles, blobs, spiral, xor) and scikit-learn's 8x8 digits.

Nothing is downloaded: scikit-learn generates the toys and ships digits. Features are standardized with
the training split's mean and std; the split is seeded through ``rng``.
"""
import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.constraints import RNG, Bool, Integer, Options, Real
from ..core.validation import make_rng, validate_params

DATASETS = ("moons", "circles", "blobs", "spiral", "xor", "digits")
MAX_SAMPLES = 10**7  # 2-D toys: 160 MB of float64 features
MIN_TRAIN = 2  # standardizing needs a std, which needs two training points


@dataclass
class Dataset:
    """Train/test arrays (float64 features, int labels) plus the dataset's name and class count.

    >>> data = load_dataset("spiral", n_samples=100, rng=0)
    >>> data, data.n_features
    (Dataset('spiral', train=(75, 2), test=(25, 2), n_classes=2), 2)
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int

    @property
    def n_features(self):
        """The number of input features (columns of ``X_train``)."""
        return self.X_train.shape[1]

    def __repr__(self):
        return (f"Dataset({self.name!r}, train={self.X_train.shape}, test={self.X_test.shape}, "
                f"n_classes={self.n_classes})")


def _sklearn():
    try:
        import sklearn.datasets
    except ImportError:  # the course installs it; the bare package does not need it
        raise ImportError("load_dataset needs scikit-learn: pip install scikit-learn") from None
    return sklearn.datasets


def _digits():
    """scikit-learn's digits (data, target), read from the file scikit-learn ships (digits.csv.gz: 64 pixel
    columns, then the label) without importing scikit-learn and SciPy, which costs about 0.7 CPU-s, more
    than the rest of a short notebook; ``load_digits`` if that file is not where this version keeps it."""
    spec = importlib.util.find_spec("sklearn")  # finds the package without importing it
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "datasets" / "data" / "digits.csv.gz"
        if path.is_file():
            table = np.loadtxt(path, delimiter=",")
            return table[:, :-1], table[:, -1].astype(int)
    digits = _sklearn().load_digits()
    return digits.data, digits.target


def _spiral(n, noise, rng):
    # Two interleaved arms: radius grows with the angle, the second arm rotated by pi.
    per = n // 2
    t = np.sqrt(rng.uniform(0, 1, per)) * 3 * np.pi
    arm = np.c_[t * np.cos(t), t * np.sin(t)] / (3 * np.pi)
    X = np.r_[arm, -arm] + noise * rng.standard_normal((2 * per, 2))
    return X, np.r_[np.zeros(per, int), np.ones(per, int)]


def _xor(n, noise, rng):
    X = rng.uniform(-1, 1, (n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    return X + noise * rng.standard_normal((n, 2)), y


def _generate(name, n_samples, noise, rng, factor):
    seed = int(rng.integers(2**31))
    if name == "moons":
        return _sklearn().make_moons(n_samples, noise=noise, random_state=seed)
    if name == "circles":
        return _sklearn().make_circles(n_samples, noise=noise, factor=factor, random_state=seed)
    if name == "blobs":
        return _sklearn().make_blobs(n_samples, centers=3, cluster_std=1.0 + 10 * noise, random_state=seed)
    if name == "spiral":
        return _spiral(n_samples, noise, rng)
    if name == "xor":
        return _xor(n_samples, noise, rng)
    return _digits()


@functools.lru_cache(maxsize=4)
def cached_dataset(name, rng=0):
    """``load_dataset(name, rng=rng)`` with default options, loaded once: for widgets that retrain often.
    Treat the arrays as read-only.

    >>> cached_dataset("xor") is cached_dataset("xor")
    True
    """
    return load_dataset(name, rng=rng)


@validate_params({"name": Options(DATASETS), "n_samples": Integer(4, MAX_SAMPLES), "noise": Real(0, 1e6),
                  "test_size": Real(0, 1, closed="neither"), "factor": Real(0, 1, closed="neither"),
                  "standardize": Bool, "rng": RNG})
def load_dataset(name, n_samples=400, noise=0.1, test_size=0.25, *, factor=0.5, standardize=True, rng=None):
    """Generate or load a dataset, split it and (by default) standardize it with the training statistics
    (per feature for the 2-D toys, one mean and std over all pixels for digits).

    ``name``: one of moons, circles, blobs, spiral, xor (2-D, ``n_samples`` points, ``noise``) or digits
    (1797 8x8 images, 64 features, 10 classes; ``n_samples`` and ``noise`` are ignored). ``factor`` is the
    inner circle's radius relative to the outer one (circles only; scikit-learn's default is 0.8).
    Standardized: x' = (x - mean_train) / std_train, so the training features have mean 0 and std 1.

    >>> data = load_dataset("xor", n_samples=200, test_size=0.25, rng=0)
    >>> data.X_train.shape, data.X_test.shape, data.X_train.std(axis=0).round(6)
    ((150, 2), (50, 2), array([1., 1.]))
    """
    rng = make_rng(rng)
    X, y = _generate(name, n_samples, noise, rng, factor)
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.int64)
    n_test = max(1, int(round(test_size * len(X))))
    if len(X) - n_test < MIN_TRAIN:
        raise ValueError(f"test_size={test_size!r} leaves {len(X) - n_test} of {len(X)} samples for training; "
                         f"at least {MIN_TRAIN} are needed (lower test_size or raise n_samples)")
    order = rng.permutation(len(X))
    test, train = order[:n_test], order[n_test:]
    if standardize:
        # Images are standardized with one mean and std for all pixels: per-pixel statistics would divide
        # nearly constant border pixels by tiny stds and put some test pixels 90 stds out.
        axis = None if name == "digits" else 0
        mean, std = X[train].mean(axis=axis), X[train].std(axis=axis)
        X = (X - mean) / np.where(std > 0, std, 1.0)  # a constant feature stays 0, not NaN
    return Dataset(name, X[train], y[train], X[test], y[test], int(y.max()) + 1)
