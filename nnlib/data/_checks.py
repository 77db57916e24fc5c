"""Argument checks shared by the data generators (private to nnlib.data)."""

import math
import numbers


def check_count(value, name, where, minimum=1):
    """Return ``value`` as an int; ValueError unless it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{where}: {name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{where}: {name} must be an integer >= {minimum}, got {value}")
    return int(value)


def check_nonnegative(value, name, where):
    """Return ``value`` as a float; ValueError unless it is a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{where}: {name} must be a number >= 0, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{where}: {name} must be a finite number >= 0, got {value}")
    return float(value)


def split_evenly(n, k):
    """Split ``n`` samples into ``k`` group sizes that differ by at most one.

    >>> split_evenly(7, 3)
    [3, 2, 2]
    """
    return [n // k + (1 if i < n % k else 0) for i in range(k)]
