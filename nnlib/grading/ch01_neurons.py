"""Chapter 01 (neurons): the checks of Exercises 1.1 to 1.4.

    1.1 mp_neuron(X, threshold)           -> (N,) of 0/1        FunctionCheck
    1.2 find_threshold(X, y)              -> int or None         ValueCheck
    1.3 perceptron_step(w, b, x, y, lr)   -> (w_new, b_new)      ValueCheck
    1.4 perceptron_fit(X, y, lr, epochs)  -> (w, b)              ValueCheck

Each compares with ``nnlib.neurons`` on worked examples, seeded random inputs
(random N, D, weights, learning rates) and edge cases (a batch of one, D = 1,
all-zero inputs, thresholds 0 and D + 1, a score of exactly 0), and names the
classic mistakes (``>`` for ``>=``, a flipped update, a forgotten bias, ...).

Exercises 1.2 to 1.4 return a number, None or a pair rather than one array, so
they use ``ValueCheck`` (ch01_checks.py): a FunctionCheck whose ``compare``
judges the returned value, with the same verdicts, input display and mistake
catalogue. This module holds 1.1 and 1.2 and the chapter's ``EXERCISES``; the
perceptron's 1.3 and 1.4 are in ch01_perceptron.py.
"""

import numpy as np

from nnlib import neurons
from nnlib.grading.ch01_checks import ValueCheck, gate, show_value
from nnlib.grading.ch01_perceptron import PERCEPTRON_FIT, PERCEPTRON_STEP
from nnlib.grading.engine import Case, Exercise, FunctionCheck, Mistake

__all__ = ["EXERCISES", "ValueCheck", "MP_NEURON", "FIND_THRESHOLD", "PERCEPTRON_STEP",
           "PERCEPTRON_FIT"]


def _random_binary(rng, n, d):
    return rng.integers(0, 2, size=(n, d)).astype(np.float64)



# =====================================================================================
# 1.1 mp_neuron
# =====================================================================================

_GEQ = ("the neuron fires when the sum is AT LEAST the threshold: use >=, not >. "
        "(With >, AND's row (1, 1), sum 2, would not fire at threshold 2)")


def mp_cases(rng):
    """12 cases: the gates, random (N, D) with N != D, edges of the threshold range."""
    n, d = int(rng.integers(5, 9)), int(rng.integers(2, 5))
    X = _random_binary(rng, n, d)
    X[0] = 1.0  # a row whose sum equals D, so threshold D is on the boundary
    X2 = _random_binary(rng, n + 1, d + 1)
    rows = X2.sum(axis=1)
    X1 = _random_binary(rng, n, 1)
    X1[:2, 0] = (0.0, 1.0)
    and_X, _ = gate("and")
    return [
        Case("worked example: the AND rows, threshold 2", (and_X, 2)),
        Case("the AND rows, threshold 1 (OR)", (and_X.copy(), 1)),
        Case(f"random ({n}, {d}), threshold D = {d}", (X, d)),
        Case("random, threshold equal to a row's sum", (X2, int(rows[0]) if rows[0] > 0 else 1)),
        Case("random, threshold 0 (always fires)", (_random_binary(rng, n, d), 0)),
        Case("random, threshold D + 1 (never fires)", (np.vstack([X[:3], np.ones((1, d))]), d + 1)),
        Case("a batch of one (1, D)", (np.ones((1, d + 1)), d + 1)),
        Case("one input (N, 1)", (X1, 1)),
        Case("all zeros, threshold 0", (np.zeros((3, d)), 0)),
        Case("all zeros, threshold 1", (np.zeros((3, d)), 1)),
        Case("integer input (int64)", (X2.astype(np.int64), 2)),
        Case("boolean input", (X2.astype(bool), 1)),
    ]


MP_NEURON = FunctionCheck(
    name="mp_neuron", signature="mp_neuron(X, threshold)", params=("X", "threshold"),
    reference=neurons.mp_neuron, cases=mp_cases,
    mistakes=(
        Mistake(lambda X, t: (np.sum(X, axis=1) > t).astype(int), _GEQ),
        Mistake(lambda X, t: (np.sum(X, axis=1) < t).astype(int),
                "upside down: the neuron fires (1) when the sum is >= the threshold, "
                "and stays silent (0) below it"),
        Mistake(lambda X, t: (np.sum(X, axis=1) <= t).astype(int),
                "upside down: the neuron fires (1) when the sum is >= the threshold, "
                "and stays silent (0) below it"),
        Mistake(lambda X, t: (np.sum(X, axis=0) >= t).astype(int),
                "sum each ROW (one sample's inputs): np.sum(X, axis=1); axis=0 adds up a "
                "column (one input over all samples)"),
        Mistake(lambda X, t: np.asarray(np.sum(X) >= t).astype(int),
                "sum each row separately with np.sum(X, axis=1): one output per sample, shape (N,)"),
        Mistake(lambda X, t: np.sum(X, axis=1),
                "return the neuron's output, 0 or 1, not the sum: compare the sum with the threshold"),
        Mistake(lambda X, t: (np.mean(X, axis=1) >= t).astype(int),
                "the MP neuron adds its inputs (np.sum), it does not average them"),
        Mistake(lambda X, t: np.any(X, axis=1).astype(int),
                "your output ignores the threshold (that is OR, threshold 1): compare "
                "np.sum(X, axis=1) with threshold"),
        Mistake(lambda X, t: np.all(X, axis=1).astype(int),
                "your output ignores the threshold (that is AND of all inputs, threshold D): "
                "compare np.sum(X, axis=1) with threshold"),
    ),
    shape_hint="return one output per sample: shape (N,), e.g. (np.sum(X, axis=1) >= threshold)",
    error_hints=(("axis 1 is out of bounds",
                  "X is 2-D (N, D): one row per sample. Sum with np.sum(X, axis=1)"),),
)


# =====================================================================================
# 1.2 find_threshold
# =====================================================================================

def _threshold_compare(got, expected):
    if expected is None:
        if got is None:
            return None
        return ("expected None (no threshold works), got a value", [],
                "no threshold reproduces y here: return None after trying them all")
    if got is None:
        return (f"returned None, but threshold {expected} works", [],
                "try every threshold from 0 to D + 1 inclusive: for t in range(D + 2)")
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)) \
            or (isinstance(got, np.ndarray) and got.ndim):
        return (f"returned a {type(got).__name__}, not a whole number", [],
                "return the threshold as a Python int (e.g. int(t)), or None")
    if got != expected:
        return "wrong threshold", [], ""
    return None


def _search(X, y, thresholds, fire=lambda s, t: s >= t):
    s = np.sum(X, axis=1)
    for t in thresholds:
        if np.array_equal(fire(s, t).astype(int), y):
            return int(t)
    return None


def _search_or(X, y, default):
    """The right search, but ``default`` instead of None when no threshold works."""
    found = _search(X, y, range(X.shape[1] + 2))
    return default if found is None else found


def _best(X, y):
    errors = neurons.threshold_errors(X, y)
    return int(np.argmin(errors))


def threshold_cases(rng):
    """12 cases: the gates, several valid thresholds, 0 and D + 1, D = 1, a batch of one."""
    d = int(rng.integers(2, 5))
    n = int(rng.integers(5, 9))
    # several thresholds work: sums 0 and D only, so 1..D all separate them
    Xs = np.vstack([np.zeros((2, d)), np.ones((2, d))])
    ys = np.array([0, 0, 1, 1])
    # a random table made by a threshold neuron (so a threshold exists)
    Xr = _random_binary(rng, n, d + 1)
    Xr[0] = 0.0  # so that threshold 0 (tested below) is not among the answers here
    tr = int(rng.integers(1, d + 2))
    yr = neurons.mp_neuron(Xr, tr)
    # a random table with two rows of the same sum but different labels: no threshold
    Xn = _random_binary(rng, n, d)
    Xn[0], Xn[1] = 0.0, 0.0
    Xn[0, 0], Xn[1, -1] = 1.0, 1.0
    yn = rng.integers(0, 2, size=n)
    yn[0], yn[1] = 0, 1
    X1 = np.array([[0.0], [1.0], [1.0]])
    return [
        Case("worked example: AND", gate("and")),
        Case("OR", gate("or")),
        Case("XOR (no threshold works)", gate("xor")),
        Case("NAND (no threshold works)", gate("nand")),
        Case(f"several thresholds work (1 to {d}): the smallest", (Xs, ys)),
        Case("random table made by a threshold neuron", (Xr, yr)),
        Case("random table, no threshold works", (Xn, yn)),
        Case("always fires, even for all-zero inputs: threshold 0",
             (np.vstack([np.zeros((1, d)), _random_binary(rng, n - 1, d)]), np.ones(n, dtype=int))),
        Case("never fires, with an all-ones row: threshold D + 1",
             (np.vstack([np.ones((1, d)), _random_binary(rng, 3, d)]), np.zeros(4, dtype=int))),
        Case("one input (D = 1)", (X1, np.array([0, 1, 1]))),
        Case("a batch of one (1, D), label 0", (np.ones((1, d)), np.array([0]))),
        Case("all-zero inputs, labels 0", (np.zeros((3, d)), np.zeros(3, dtype=int))),
    ]


FIND_THRESHOLD = ValueCheck(
    name="find_threshold", signature="find_threshold(X, y)", params=("X", "y"),
    reference=neurons.find_threshold, cases=threshold_cases,
    compare=_threshold_compare, show=show_value,
    mistakes=(
        Mistake(lambda X, y: _search(X, y, reversed(range(X.shape[1] + 2))),
                "several thresholds work here and you returned the LARGEST: try them from 0 "
                "upwards and return the first that works"),
        Mistake(lambda X, y: _search_or(X, y, 0),
                "when no threshold works, return None: 0 is a real threshold (the neuron "
                "that always fires), so returning 0 says it does"),
        Mistake(lambda X, y: _search_or(X, y, -1), "when no threshold works, return None, not -1"),
        Mistake(lambda X, y: _search_or(X, y, False),
                "when no threshold works, return None, not False (False == 0 in Python)"),
        Mistake(_best, "only a threshold with NO wrong row counts: when the best threshold still "
                       "gets rows wrong, return None"),
        Mistake(lambda X, y: _search(X, y, range(X.shape[1] + 1)),
                "the thresholds go from 0 to D + 1 inclusive (D + 1: never fires): "
                "use range(D + 2), where D = X.shape[1]"),
        Mistake(lambda X, y: _search(X, y, range(X.shape[1])),
                "the thresholds go from 0 to D + 1 inclusive: use range(D + 2), where D = X.shape[1]"),
        Mistake(lambda X, y: _search(X, y, range(1, X.shape[1] + 2)),
                "threshold 0 is allowed too (the neuron that always fires): start at 0"),
        Mistake(lambda X, y: _search(X, y, range(X.shape[1] + 2), fire=lambda s, t: s > t),
                "your neuron fires when the sum is > t; it fires when the sum is >= t "
                "(use your mp_neuron from Exercise 1.1)"),
        Mistake(lambda X, y: _search(X, y, range(X.shape[0] + 2)),
                "D is the number of inputs, X.shape[1], not the number of samples X.shape[0]"),
    ),
    error_hints=(("axis 1 is out of bounds", "X is 2-D (N, D): sum each row with np.sum(X, axis=1)"),),
)


EXERCISES = {
    "mp_neuron": Exercise(1, 1, MP_NEURON),
    "find_threshold": Exercise(1, 2, FIND_THRESHOLD),
    "perceptron_step": Exercise(1, 3, PERCEPTRON_STEP),
    "perceptron_fit": Exercise(1, 4, PERCEPTRON_FIT),
}
