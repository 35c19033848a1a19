import numpy as np
import pytest

import initkit as ik


@pytest.mark.parametrize("name", ["moons", "circles", "blobs", "spiral", "xor"])
def test_toy_datasets_are_2d_standardized_and_split(name):
    d = ik.load_dataset(name, n_samples=400, rng=0)
    assert d.n_features == 2 and len(d.X_train) + len(d.X_test) == 400 and len(d.X_test) == 100
    np.testing.assert_allclose(d.X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(d.X_train.std(axis=0), 1, atol=1e-12)
    assert set(np.unique(d.y_train)) == set(range(d.n_classes))


def test_digits_is_offline_and_has_10_classes():
    d = ik.load_dataset("digits", rng=0)
    assert d.n_classes == 10 and d.n_features == 64 and len(d.X_train) + len(d.X_test) == 1797


def test_digits_read_from_scikit_learns_file_equal_load_digits(monkeypatch):
    import sklearn.datasets

    from initkit.nn import data

    reference = sklearn.datasets.load_digits()
    X, y = data._digits()
    np.testing.assert_array_equal(X, reference.data)
    np.testing.assert_array_equal(y, reference.target)
    monkeypatch.setattr(data.importlib.util, "find_spec", lambda name: None)  # no file found: load_digits
    X, y = data._digits()
    np.testing.assert_array_equal(X, reference.data)


def test_digits_are_standardized_globally_without_outliers():
    d = ik.load_dataset("digits", rng=0)
    assert abs(d.X_train.mean()) < 1e-12 and abs(d.X_train.std() - 1) < 1e-12
    assert np.abs(d.X_test).max() < 5  # per-pixel standardization put a test pixel 88 stds out


def test_datasets_are_deterministic_given_a_seed():
    a, b = ik.load_dataset("spiral", rng=3), ik.load_dataset("spiral", rng=3)
    np.testing.assert_array_equal(a.X_train, b.X_train)


def test_load_dataset_rejects_unknown_name():
    with pytest.raises(ValueError, match="name must be one of .*'moons'.*got 'mnist'"):
        ik.load_dataset("mnist")


@pytest.mark.parametrize("kwargs, match", [
    ({"test_size": 1}, "test_size must be < 1; got 1"),
    ({"test_size": 0.999}, "test_size=0.999 leaves 0 of 400 samples for training; at least 2"),
    ({"n_samples": 4, "test_size": 0.9}, "test_size=0.9 leaves 0 of 4 samples for training"),
    ({"n_samples": 10**12}, "n_samples must be <= 10000000"),
])
def test_splits_without_training_data_are_refused(kwargs, match):
    # Regression (issue 20): an empty training split gave NaN features.
    with pytest.raises(ValueError, match=match):
        ik.load_dataset("moons", **kwargs)


def test_smallest_split_is_finite():
    d = ik.load_dataset("moons", n_samples=4, test_size=0.5, rng=0)
    assert len(d.X_train) == 2 and np.isfinite(d.X_train).all() and np.isfinite(d.X_test).all()
