"""Sequence tasks for recurrent networks (chapter 07).

Sequences are batch-first: ``X`` is ``(N, T, D)``, N sequences of T steps with
D features each. Each task below tests memory in a different way:

- ``adding_problem``: remember two marked values anywhere in a long sequence;
- ``sine_waves``: predict the next value of a smooth signal (short memory);
- ``recall_first``: carry the very first symbol through T steps (long memory).

Anything random takes ``rng``, a ``numpy.random.Generator``.
"""

import numpy as np

from nnlib.data._checks import check_count, check_nonnegative
from nnlib.validation import check_rng


def adding_problem(n, T, rng):
    """The adding problem (Hochreiter and Schmidhuber, 1997; Le et al., 2015).

    Each sequence has two channels:
        X[:, t, 0]  a value drawn uniformly from [0, 1]
        X[:, t, 1]  a marker: 1 at exactly two steps, 0 elsewhere; one mark is in
                    the first half (t < T // 2), the other in the second half
    The target is the sum of the two marked values:
        y = sum over t of X[:, t, 0] * X[:, t, 1]        in [0, 2]
    Always answering 1 gives a mean squared error of 1/6 (about 0.167): a model
    beats that only if it remembers the marked values.

    Args:
        n: number of sequences N >= 1.
        T: sequence length, T >= 2.
        rng: numpy Generator.
    Returns:
        X: (N, T, 2) float64.  y: (N,) float64.
    """
    n = check_count(n, "n", "adding_problem")
    T = check_count(T, "T", "adding_problem", minimum=2)
    check_rng(rng, "adding_problem")
    values = rng.random((n, T))
    half = T // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, T, size=n)
    markers = np.zeros((n, T))
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    y = values[rows, first] + values[rows, second]
    return np.stack([values, markers], axis=-1), y


def sine_waves(n, T, rng, omega=(0.1, 0.5), noise=0.0):
    """Windows of sine waves; predict the value one step after the window.

    For each sequence, an angular frequency w ~ U(omega[0], omega[1]) (radians
    per step) and a phase phi ~ U(0, 2*pi) are drawn, then
        X[:, t, 0] = sin(w * t + phi) + noise * N(0, 1)      t = 0 .. T-1
        y[:, 0]    = sin(w * T + phi)                        (no noise)
    The target is the clean next value, so noise tests whether the model
    smooths what it sees.

    Args:
        n: number of sequences N >= 1.
        T: window length T >= 1.
        rng: numpy Generator.
        omega: (low, high) range of the angular frequency, 0 <= low <= high.
        noise: standard deviation of the noise on the inputs, >= 0.
    Returns:
        X: (N, T, 1) float64.  y: (N, 1) float64, one next value per sequence.
    """
    n = check_count(n, "n", "sine_waves")
    T = check_count(T, "T", "sine_waves")
    check_rng(rng, "sine_waves")
    noise = check_nonnegative(noise, "noise", "sine_waves")
    try:
        low, high = omega
    except (TypeError, ValueError):
        raise ValueError(f"sine_waves: omega must be a pair (low, high), got {omega!r}") from None
    low = check_nonnegative(low, "omega[0]", "sine_waves")
    high = check_nonnegative(high, "omega[1]", "sine_waves")
    if low > high:
        raise ValueError(f"sine_waves: omega must be (low, high) with low <= high, got {omega}")
    w = rng.uniform(low, high, size=(n, 1))
    phi = rng.uniform(0.0, 2.0 * np.pi, size=(n, 1))
    t = np.arange(T + 1)
    wave = np.sin(w * t + phi)                      # (N, T + 1)
    X = wave[:, :T] + noise * rng.standard_normal((n, T))
    return X[:, :, None], wave[:, T:]


def recall_first(n, T, rng, n_symbols=4):
    """Remember the first symbol of a sequence of random symbols.

    Symbols s_t are drawn uniformly from 0 .. n_symbols-1 at every step and fed
    one-hot: X[i, t, s_t] = 1. The target is the first one:
        y = s_0
    Only the first step matters; everything after it is distraction, so the
    task gets harder as T grows (vanishing gradients through time). Chance
    accuracy is 1 / n_symbols.

    Args:
        n: number of sequences N >= 1.
        T: sequence length T >= 1.
        rng: numpy Generator.
        n_symbols: size of the alphabet C >= 2.
    Returns:
        X: (N, T, C) float64, one-hot.  y: (N,) int64 in 0..C-1.
    """
    n = check_count(n, "n", "recall_first")
    T = check_count(T, "T", "recall_first")
    check_rng(rng, "recall_first")
    n_symbols = check_count(n_symbols, "n_symbols", "recall_first", minimum=2)
    symbols = rng.integers(0, n_symbols, size=(n, T))
    X = np.eye(n_symbols)[symbols]
    return X, symbols[:, 0].astype(np.int64)
