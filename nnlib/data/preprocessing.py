"""Preparing arrays for training: split, one-hot encode, standardise.

Shapes: ``X`` is ``(N, D)`` (or any array whose first axis is the samples),
``y`` and ``labels`` are ``(N,)``.
"""

import numbers

import numpy as np

from nnlib.validation import as_float_array, check_ndim, check_rng


def train_test_split(X, y, test_fraction, rng):
    """Shuffle the samples and split them into a training and a test part.

    The test part gets round(test_fraction * N) samples, at least 1 and at most
    N - 1. No stratification: with few samples per class the class shares of
    the two parts can differ.

    Args:
        X: (N, ...) array.  y: (N, ...) array with the same N.
        test_fraction: share of the samples for the test part, 0 < test_fraction < 1.
        rng: numpy Generator (decides the shuffle).
    Returns:
        X_train (N - M, ...), X_test (M, ...), y_train (N - M, ...), y_test (M, ...),
        in this order (scikit-learn's order).
    """
    check_rng(rng, "train_test_split")
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(f"train_test_split: X and y need the same number of samples, "
                         f"got shapes {X.shape} and {y.shape}")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, numbers.Real) \
            or not 0.0 < test_fraction < 1.0:
        raise ValueError(f"train_test_split: test_fraction must be between 0 and 1 "
                         f"(exclusive), got {test_fraction!r}")
    n = len(X)
    if n < 2:
        raise ValueError(f"train_test_split needs at least 2 samples, got {n}")
    n_test = min(max(int(round(test_fraction * n)), 1), n - 1)
    order = rng.permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def one_hot(labels, n_classes=None):
    """One-hot encode integer class labels: Y[i, labels[i]] = 1, all else 0.

    Args:
        labels: (N,) integers in 0..C-1.
        n_classes: C; default max(labels) + 1.
    Returns:
        Y: (N, C) float64.
    """
    labels = np.asarray(labels)
    check_ndim(labels, 1, "labels", "one_hot")
    if labels.size and labels.dtype.kind not in "iu":
        if labels.dtype.kind != "f" or not np.all(labels == np.round(labels)):
            raise ValueError(f"one_hot expects integer labels, got dtype {labels.dtype}")
    labels = labels.astype(np.int64)
    if labels.size and labels.min() < 0:
        raise ValueError(f"one_hot expects labels >= 0, got {labels.min()}")
    if n_classes is None:
        n_classes = int(labels.max()) + 1 if labels.size else 0
    elif labels.size and labels.max() >= n_classes:
        raise ValueError(f"one_hot: label {labels.max()} does not fit "
                         f"n_classes={n_classes} (labels must be 0..{n_classes - 1})")
    Y = np.zeros((labels.size, n_classes))
    Y[np.arange(labels.size), labels] = 1.0
    return Y


def standardize(X_train, *X_others):
    """Scale each feature to mean 0 and standard deviation 1, using X_train's statistics.

        mu = mean of X_train over samples          (D,)
        sigma = std of X_train over samples        (D,), 1 where it is 0
        X_s = (X - mu) / sigma                     for X_train and every X_other

    The test data is scaled with the *training* mu and sigma: computing them on
    the test data would leak information about it into the model.

    Args:
        X_train: (N, D).  X_others: any number of (M, D) arrays.
    Returns:
        A tuple (X_train_s, *X_others_s), always a tuple, also for one array:
        ``X_train, X_test = standardize(X_train, X_test)`` or ``(X,) = standardize(X)``.
        float32 stays float32, everything else is float64.
    """
    X_train = as_float_array(X_train, "X_train", "standardize")
    check_ndim(X_train, 2, "X_train", "standardize")
    if len(X_train) == 0:
        raise ValueError("standardize needs at least one training sample, got shape "
                         f"{X_train.shape}")
    mu = X_train.mean(axis=0)
    sigma = X_train.std(axis=0)
    sigma = np.where(sigma == 0, 1, sigma).astype(X_train.dtype)
    out = [(X_train - mu) / sigma]
    for i, X in enumerate(X_others):
        X = as_float_array(X, f"X_others[{i}]", "standardize")
        if X.ndim != 2 or X.shape[1] != X_train.shape[1]:
            raise ValueError(f"standardize expects X_others[{i}] with "
                             f"{X_train.shape[1]} features, got shape {X.shape}")
        out.append(((X - mu) / sigma).astype(X.dtype, copy=False))
    return tuple(out)
