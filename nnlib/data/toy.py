"""Toy data sets in two dimensions, and the synthetic house prices (chapters 01-05).

Every generator here returns ``(X, y)``: ``X`` is ``(N, D)`` float64, rows are
samples; ``y`` is ``(N,)``, int64 class labels 0..K-1 for classification or
float64 targets for regression. ``n`` is the total number of samples; classes
get as equal shares as ``n`` allows (sizes differ by at most one), and the rows
are shuffled, so any slice ``X[:100]`` holds every class.

Anything random takes ``rng``, a ``numpy.random.Generator``: the same seed gives
the same arrays, and the global numpy random state is never touched.
"""

import numpy as np

from nnlib.data._checks import check_count, check_nonnegative, split_evenly
from nnlib.validation import as_float_array, check_ndim, check_rng, lookup

_GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)

# Truth tables, in the row order of _GATE_INPUTS: (0,0), (0,1), (1,0), (1,1).
_GATES = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
}

HOUSE_FEATURES = ("bedrooms", "age", "distance_to_sea_km", "pool")


def _labels(sizes):
    """Class labels for groups of the given sizes: [0]*sizes[0] + [1]*sizes[1] + ..."""
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def _shuffled(X, y, rng):
    order = rng.permutation(len(y))
    return X[order], y[order]


def logic_gate(name):
    """The four rows of a two-input logic gate's truth table (chapter 01).

    Args:
        name: "and", "or", "nand", "nor" or "xor" (case-insensitive).
    Returns:
        X: (4, 2) float64, the inputs (0,0), (0,1), (1,0), (1,1) in this order.
        y: (4,) int64, the gate's output for each row.

    AND, OR, NAND and NOR are linearly separable (one perceptron learns them);
    XOR is not: no line w1*x1 + w2*x2 + b = 0 puts (0,1), (1,0) on one side and
    (0,0), (1,1) on the other.
    """
    table = lookup(_GATES, name, "logic gate")
    return _GATE_INPUTS.copy(), np.array(table, dtype=np.int64)


def moons(n, rng, noise=0.1):
    """Two interleaving half circles, the "moons" (same construction as scikit-learn).

    Class 0, the upper moon:  x = (cos t, sin t)              t evenly in [0, pi]
    Class 1, the lower moon:  x = (1 - cos t, 1 - sin t - 0.5)
    then Gaussian noise N(0, noise^2) is added to each coordinate.

    Args:
        n: total number of samples N >= 1 (class 0 gets the extra one when N is odd).
        rng: numpy Generator.
        noise: standard deviation of the added noise, >= 0.
    Returns:
        X: (N, 2) float64.  y: (N,) int64 in {0, 1}.
    """
    n = check_count(n, "n", "moons")
    check_rng(rng, "moons")
    noise = check_nonnegative(noise, "noise", "moons")
    sizes = split_evenly(n, 2)
    t_out = np.linspace(0.0, np.pi, sizes[0])
    t_in = np.linspace(0.0, np.pi, sizes[1])
    X = np.concatenate([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        np.column_stack([1.0 - np.cos(t_in), 1.0 - np.sin(t_in) - 0.5]),
    ])
    X = X + noise * rng.standard_normal(X.shape)
    return _shuffled(X, _labels(sizes), rng)


def circles(n, rng, noise=0.05, factor=0.5):
    """A small circle inside a large one (chapter 03: no straight line separates them).

    Class 0, outer circle:  x = (cos t, sin t)                 radius 1
    Class 1, inner circle:  x = factor * (cos t, sin t)        radius ``factor``
    with t evenly spaced in [0, 2*pi), then Gaussian noise N(0, noise^2) on each
    coordinate.

    Args:
        n: total number of samples N >= 1.
        rng: numpy Generator.
        noise: standard deviation of the added noise, >= 0.
        factor: ratio of the inner radius to the outer one, 0 < factor < 1.
    Returns:
        X: (N, 2) float64.  y: (N,) int64 in {0, 1}.
    """
    n = check_count(n, "n", "circles")
    check_rng(rng, "circles")
    noise = check_nonnegative(noise, "noise", "circles")
    if not 0.0 < factor < 1.0:
        raise ValueError(f"circles: factor must be between 0 and 1 (exclusive), got {factor}")
    sizes = split_evenly(n, 2)
    parts = []
    for radius, size in zip((1.0, factor), sizes):
        t = np.linspace(0.0, 2.0 * np.pi, size, endpoint=False)
        parts.append(radius * np.column_stack([np.cos(t), np.sin(t)]))
    X = np.concatenate(parts)
    X = X + noise * rng.standard_normal(X.shape)
    return _shuffled(X, _labels(sizes), rng)


def spirals(n, rng, n_classes=2, noise=0.2):
    """Interleaved spiral arms, one per class (the classic two-spiral problem for K=2).

    For class k = 0..K-1 and radius r evenly spaced in [0, 1]:
        theta = 2*pi*k / K + 3*pi*r + noise * N(0, 1)
        x = r * (cos theta, sin theta)
    Each arm makes three quarters of a turn; arm k is the arm 0 rotated by 2*pi*k/K.
    The noise is added to the angle (in radians), so points jitter along the arm
    and the arms stay apart, as in the CS231n spiral set.

    Args:
        n: total number of samples N >= 1.
        rng: numpy Generator.
        n_classes: number of arms K >= 2.
        noise: standard deviation of the angle noise in radians, >= 0.
    Returns:
        X: (N, 2) float64, inside the unit disc.  y: (N,) int64 in 0..K-1.
    """
    n = check_count(n, "n", "spirals")
    check_rng(rng, "spirals")
    n_classes = check_count(n_classes, "n_classes", "spirals", minimum=2)
    noise = check_nonnegative(noise, "noise", "spirals")
    sizes = split_evenly(n, n_classes)
    parts = []
    for k, size in enumerate(sizes):
        r = np.linspace(0.0, 1.0, size)
        theta = 2.0 * np.pi * k / n_classes + 3.0 * np.pi * r
        theta = theta + noise * rng.standard_normal(size)
        parts.append(r[:, None] * np.column_stack([np.cos(theta), np.sin(theta)]))
    return _shuffled(np.concatenate(parts), _labels(sizes), rng)


def blobs(n, rng, centers=3, std=1.0):
    """Gaussian clusters, one per class: x = c_k + std * N(0, I).

    Args:
        n: total number of samples N >= 1.
        rng: numpy Generator.
        centers: the number of classes K (the centres c_k are then placed evenly
            on a circle of radius 5: c_k = 5 * (cos(2*pi*k/K), sin(2*pi*k/K)),
            well apart for std=1), or an array (K, D) of centres.
        std: standard deviation of every cluster, >= 0.
    Returns:
        X: (N, D) float64 (D = 2 when centers is an int).  y: (N,) int64 in 0..K-1.
    """
    n = check_count(n, "n", "blobs")
    check_rng(rng, "blobs")
    std = check_nonnegative(std, "std", "blobs")
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        k = check_count(centers, "centers", "blobs")
        angle = 2.0 * np.pi * np.arange(k) / k
        c = 5.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    else:
        c = as_float_array(centers, "centers", "blobs").astype(np.float64)
        check_ndim(c, 2, "centers", "blobs")
        if c.shape[0] < 1:
            raise ValueError(f"blobs: centers needs at least one row, got shape {c.shape}")
    sizes = split_evenly(n, len(c))
    y = _labels(sizes)
    X = c[y] + std * rng.standard_normal((n, c.shape[1]))
    return _shuffled(X, y, rng)


def xor_blobs(n, rng, noise=0.3):
    """Four Gaussian clusters in an XOR pattern (the TensorFlow Playground's XOR idea).

    Cluster centres (+-1, +-1); a point's label is XOR(centre_1 > 0, centre_2 > 0):
        centres (-1, -1) and (+1, +1) -> class 0
        centres (-1, +1) and (+1, -1) -> class 1
    x = centre + noise * N(0, I). Like logic_gate("xor"), no straight line
    separates the classes; a hidden layer does (chapter 01 and 03).

    Args:
        n: total number of samples N >= 1.
        rng: numpy Generator.
        noise: standard deviation of each cluster, >= 0.
    Returns:
        X: (N, 2) float64.  y: (N,) int64 in {0, 1}.
    """
    n = check_count(n, "n", "xor_blobs")
    check_rng(rng, "xor_blobs")
    noise = check_nonnegative(noise, "noise", "xor_blobs")
    centres = np.array([[-1, -1], [1, 1], [-1, 1], [1, -1]], dtype=np.float64)
    class_sizes = split_evenly(n, 2)
    cluster_sizes = split_evenly(class_sizes[0], 2) + split_evenly(class_sizes[1], 2)
    cluster = np.repeat(np.arange(4), cluster_sizes)
    X = centres[cluster] + noise * rng.standard_normal((n, 2))
    y = (cluster >= 2).astype(np.int64)
    return _shuffled(X, y, rng)


def house_prices(n, rng, noise=10.0):
    """Synthetic house prices, chapter 03's running regression example.

    Features, drawn independently (columns of X, names in HOUSE_FEATURES):
        bedrooms            integer 1..5, uniform
        age                 years, uniform in [0, 60]
        distance_to_sea_km  uniform in [0, 50]
        pool                1 with probability 0.3, else 0
    Target, price in thousands:
        price = 150 + 40*bedrooms - 1.2*age - 3*distance + 0.03*distance**2
                + 25*pool + noise * N(0, 1)
    The one non-linear term, 0.03*distance**2, flattens the price drop far from
    the sea: a linear model fits well but not perfectly, a small network better.
    Without noise prices lie between 43 and 375.

    Args:
        n: number of houses N >= 1.
        rng: numpy Generator.
        noise: standard deviation of the price noise in thousands, >= 0.
    Returns:
        X: (N, 4) float64, columns as in HOUSE_FEATURES (bedrooms and pool hold
            whole numbers).  y: (N,) float64, the price in thousands.
    """
    n = check_count(n, "n", "house_prices")
    check_rng(rng, "house_prices")
    noise = check_nonnegative(noise, "noise", "house_prices")
    bedrooms = rng.integers(1, 6, size=n).astype(np.float64)
    age = rng.uniform(0.0, 60.0, size=n)
    distance = rng.uniform(0.0, 50.0, size=n)
    pool = (rng.random(n) < 0.3).astype(np.float64)
    price = (150.0 + 40.0 * bedrooms - 1.2 * age - 3.0 * distance
             + 0.03 * distance**2 + 25.0 * pool)
    price = price + noise * rng.standard_normal(n)
    return np.column_stack([bedrooms, age, distance, pool]), price
