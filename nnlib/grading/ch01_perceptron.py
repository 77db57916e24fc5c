"""Chapter 01 (neurons): the checks of Exercises 1.3 perceptron_step and 1.4 perceptron_fit.

    1.3 perceptron_step(w, b, x, y, lr)   -> (w_new, b_new)      ValueCheck
    1.4 perceptron_fit(X, y, lr, epochs)  -> (w, b)              ValueCheck

Both compare with ``nnlib.neurons`` on worked examples, seeded random inputs and
edge cases (a score of exactly 0, D = 1, x = 0), and name the classic mistakes
(a flipped update, ``>`` for ``>=``, a forgotten bias, an epoch too many, ...).
"""

import numpy as np

from nnlib import neurons
from nnlib.grading.ch01_checks import ValueCheck, gate, show_value
from nnlib.grading.engine import Case, Mistake


# =====================================================================================
# 1.3 perceptron_step
# =====================================================================================

def _pair_compare(got, expected, what="(w_new, b_new)"):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        kind = type(got).__name__ if not isinstance(got, (tuple, list)) else f"{len(got)} values"
        return (f"returned {kind}, not a pair", [],
                f"return two values: {what}, e.g. `return w_new, b_new`")
    w, b = got
    w_ref, b_ref = expected
    try:
        w = np.asarray(w, dtype=np.float64)
        b_arr = np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return "returned something that is not numbers", [], f"return {what}: an array and a number"
    if w.shape != w_ref.shape:
        return (f"w has shape {w.shape}, expected {w_ref.shape}", [],
                "w keeps its shape (D,): one weight per input")
    if b_arr.shape != ():
        return (f"b has shape {b_arr.shape}, expected a single number", [],
                "the bias b is one number: return a float, not an array")
    w_ok = np.allclose(w, w_ref, rtol=1e-7, atol=1e-12)
    b_ok = np.isclose(float(b_arr), b_ref, rtol=1e-7, atol=1e-12)
    if w_ok and b_ok:
        return None
    return ("wrong weights" if not w_ok and b_ok else "wrong bias" if w_ok
            else "wrong weights and bias"), [], ""


def _step_y_hat(w, b, x, strict=False):
    z = float(np.dot(w, x) + b)
    return int(z > 0) if strict else int(z >= 0)


def _step_variant(w, b, x, y, lr, sign=-1.0, strict=False, bias=True, use_lr=True, always=False):
    w = np.asarray(w, dtype=np.float64)
    error = _step_y_hat(w, b, x, strict) - y
    if always:  # the -1/+1 rule applied on every sample
        error = -(2 * y - 1)
    eta = lr if use_lr else 1.0
    return w + sign * eta * error * x, (b + sign * eta * error) if bias else float(b)


def _pm1_rule(w, b, x, y, lr):
    # the labels -1/+1 rule used with labels 0/1: update lr * y * x on a mistake
    if _step_y_hat(w, b, x) != y:
        return np.asarray(w, dtype=np.float64) + lr * y * x, b + lr * y
    return np.asarray(w, dtype=np.float64), float(b)


def step_cases(rng):
    """12 cases: the three kinds of update, a score of exactly 0, random D, D = 1, x = 0."""
    d = int(rng.integers(2, 6))

    def random_case(mistake):
        w, b = rng.normal(size=d), float(rng.normal())
        x = rng.normal(size=d)
        y_hat = _step_y_hat(w, b, x)
        return (w, b, x, 1 - y_hat if mistake else y_hat, float(rng.uniform(0.05, 1.0)))

    return [
        Case("worked example: a false 1", (np.array([0.5, 0.5]), 0.0, np.array([1.0, 0.0]), 0, 0.5)),
        Case("a missed 1", (np.array([1.0, -2.0]), 0.5, np.array([0.0, 1.0]), 1, 0.1)),
        Case("a right answer: no change", (np.array([1.0, -2.0]), 0.5, np.array([1.0, 1.0]), 0, 0.1)),
        Case("score exactly 0 (w = 0, b = 0), y = 0", (np.zeros(d), 0.0, np.ones(d), 0, 1.0)),
        Case("score exactly 0 (w = 0, b = 0), y = 1", (np.zeros(d), 0.0, np.ones(d), 1, 1.0)),
        Case(f"random D = {d}, a mistake", random_case(True)),
        Case(f"random D = {d}, a mistake", random_case(True)),
        Case(f"random D = {d}, right", random_case(False)),
        Case("one input (D = 1), a missed 1", (np.array([-0.5]), -0.25, np.array([2.0]), 1, 0.3)),
        Case("x = 0: only the bias can move", (rng.normal(size=d), 0.2, np.zeros(d), 0, 0.5)),
        Case("large learning rate", (np.array([0.1, 0.2, 0.3]), -1.0, np.array([1.0, 2.0, 3.0]), 0, 10.0)),
        Case("integer inputs", (np.array([0, 0]), 0, np.array([1, 1]), 0, 1)),
    ]


_SIGN = ("the update has the wrong sign: w <- w - lr * (y_hat - y) * x. A false 1 "
         "(y_hat - y = +1) must LOWER the score of x, so w moves away from x")
_STRICT = ("the perceptron predicts 1 when w.x + b >= 0, including exactly 0: use >=, not >. "
           "(From w = 0, b = 0 the first score is exactly 0)")
PERCEPTRON_STEP = ValueCheck(
    name="perceptron_step", signature="perceptron_step(w, b, x, y, lr)",
    params=("w", "b", "x", "y", "lr"), reference=neurons.perceptron_step, cases=step_cases,
    compare=_pair_compare, show=show_value,
    mistakes=(
        Mistake(lambda w, b, x, y, lr: _step_variant(w, b, x, y, lr, sign=+1.0), _SIGN),
        Mistake(lambda w, b, x, y, lr: _step_variant(w, b, x, y, lr, strict=True), _STRICT),
        Mistake(lambda w, b, x, y, lr: _step_variant(w, b, x, y, lr, bias=False),
                "update the bias too: b <- b - lr * (y_hat - y)"),
        Mistake(lambda w, b, x, y, lr: _step_variant(w, b, x, y, lr, use_lr=False),
                "multiply the update by the learning rate lr"),
        Mistake(lambda w, b, x, y, lr: _step_variant(w, b, x, y, lr, always=True),
                "update only when the prediction is wrong: when y_hat == y, (y_hat - y) = 0 and "
                "w and b stay as they are"),
        Mistake(_pm1_rule, "w + lr * y * x is the rule for labels -1/+1; with labels 0/1 use "
                           "w - lr * (y_hat - y) * x (a false 1 must move w away from x)"),
    ),
    mutation_hints=(
        ("w", "your function changed the caller's w in place (w -= ... or w[...] = ... or "
              "w += ...): the caller still needs the old w. Compute a new array: "
              "w_new = w - lr * (y_hat - y) * x"),
        ("x", "your function changed the sample x in place: leave x as it is"),
    ),
)


# =====================================================================================
# 1.4 perceptron_fit
# =====================================================================================

def _fit_variant(X, y, lr, epochs, sign=-1.0, strict=False, bias=True, start=0.0,
                 extra_epochs=0, batch=False):
    X = np.asarray(X, dtype=np.float64)
    w, b = np.full(X.shape[1], start), 0.0
    for _ in range(epochs + extra_epochs):
        mistakes = 0
        dw, db = np.zeros_like(w), 0.0
        for x, t in zip(X, y):
            error = _step_y_hat(w, b, x, strict) - t
            mistakes += error != 0
            if batch:
                dw, db = dw + error * x, db + error
            else:
                w, b = w + sign * lr * error * x, (b + sign * lr * error) if bias else b
        if batch:
            w, b = w + sign * lr * dw, (b + sign * lr * db) if bias else b
        if mistakes == 0:
            break
    return w, float(b)


def fit_cases(rng):
    """10 cases: the gates, XOR for a few epochs, random separable and random labels."""
    n, d = int(rng.integers(6, 11)), int(rng.integers(2, 5))
    # separable: labels from a random line through the data, away from it
    Xs = rng.normal(size=(n, d))
    w_true = rng.normal(size=d)
    y_sep = (Xs @ w_true + 0.3 >= 0).astype(int)
    Xr = rng.normal(size=(n, d))
    yr = rng.integers(0, 2, size=n)
    yr[:2] = (0, 1)
    and_X, and_y = gate("and")
    xor_X, xor_y = gate("xor")
    return [
        Case("worked example: AND, lr = 1", (and_X, and_y, 1.0, 20)),
        Case("OR, lr = 0.5", (*gate("or"), 0.5, 20)),
        Case("NAND, lr = 0.5, stopped after 3 epochs (it needs more)", (*gate("nand"), 0.5, 3)),
        Case("XOR for exactly 3 epochs (never converges)", (xor_X, xor_y, 1.0, 3)),
        Case(f"random separable ({n}, {d})", (Xs, y_sep, float(rng.uniform(0.1, 1.0)), 200)),
        Case(f"random labels ({n}, {d}), 4 epochs", (Xr, yr, float(rng.uniform(0.1, 1.0)), 4)),
        Case("one input (D = 1)",
             (np.array([[-1.0], [0.5], [2.0], [-0.3]]), np.array([0, 1, 1, 0]), 0.5, 50)),
        Case("a batch of one (1, D), label 0", (rng.normal(size=(1, d)), np.array([0]), 0.7, 10)),
        Case("all-zero inputs, labels 0", (np.zeros((3, d)), np.zeros(3, dtype=int), 1.0, 10)),
        Case("AND, lr = 0.3, stopped after 2 epochs", (and_X, and_y, 0.3, 2)),
    ]


PERCEPTRON_FIT = ValueCheck(
    name="perceptron_fit", signature="perceptron_fit(X, y, lr, epochs)",
    params=("X", "y", "lr", "epochs"), reference=neurons.perceptron_fit, cases=fit_cases,
    compare=lambda got, expected: _pair_compare(got, expected, "(w, b)"), show=show_value,
    mistakes=(
        Mistake(lambda X, y, lr, epochs: _fit_variant(X, y, lr, epochs, bias=False),
                "your perceptron ignores the bias: start with b = 0 and update it at every "
                "mistake, b <- b - lr * (y_hat - y), and use it in the score w.x + b"),
        Mistake(lambda X, y, lr, epochs: _fit_variant(X, y, lr, epochs, sign=+1.0), _SIGN),
        Mistake(lambda X, y, lr, epochs: _fit_variant(X, y, lr, epochs, strict=True), _STRICT),
        Mistake(lambda X, y, lr, epochs: _fit_variant(X, y, lr, epochs, start=1.0),
                "start from zeros: w = np.zeros(D), b = 0.0"),
        Mistake(lambda X, y, lr, epochs: _fit_variant(X, y, lr, epochs, extra_epochs=1),
                "you ran one epoch too many: make exactly `epochs` passes over the data "
                "(for epoch in range(epochs))"),
        Mistake(lambda X, y, lr, epochs: _fit_variant(X, y, lr, epochs, extra_epochs=-1),
                "you ran one epoch too few: make exactly `epochs` passes over the data "
                "(for epoch in range(epochs))"),
        Mistake(lambda X, y, lr, epochs: _fit_variant(X, y, lr, epochs, batch=True),
                "update after EACH sample (perceptron_step inside the loop over samples), "
                "not once per epoch with the summed errors"),
    ),
    mutation_hints=(("X", "your function changed X in place: leave the data as it is"),
                    ("y", "your function changed y in place: leave the labels as they are")),
)
