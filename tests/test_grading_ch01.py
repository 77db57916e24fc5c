"""The chapter 01 exercise checks (nnlib.grading.ch01_neurons) through check().

Correct implementations, written as a learner might, pass with several seeds;
each known-wrong implementation (the mistake catalogue) fails and gets its hint;
stubs are "not implemented". (That solutions/01_neurons.ipynb scores full marks
and exercises/01_neurons.ipynb zero with `python -m nnlib.grading` is covered by
tests/test_grading_cli.py, which grades every notebook in those folders.)
"""

import numpy as np
import pytest

from nnlib import neurons
from nnlib.grading import check
from nnlib.grading.registry import chapter_exercises

from grading_helpers import SEEDS, check_all_pass


def _sums(X):
    return np.sum(X, axis=1)


# -- correct implementations, in different styles ------------------------------------------
def mp_loop(X, threshold):
    out = []
    for row in X:
        total = 0
        for value in row:
            total += value
        out.append(1 if total >= threshold else 0)
    return np.array(out)


def mp_bool(X, threshold):
    return X.sum(axis=-1) >= threshold


def find_loop(X, y):
    for t in range(X.shape[1] + 2):
        if all((s >= t) == bool(label) for s, label in zip(_sums(X), y)):
            return t
    return None


def find_np(X, y):
    thresholds = np.arange(X.shape[1] + 2)
    ok = np.all((_sums(X)[None, :] >= thresholds[:, None]) == (y[None, :] == 1), axis=1)
    return int(thresholds[ok][0]) if ok.any() else None


def step_if(w, b, x, y, lr):
    z = w @ x + b
    y_hat = 1 if z >= 0 else 0
    if y_hat == y:
        return w.copy(), b
    return w - lr * (y_hat - y) * x, b - lr * (y_hat - y)


def step_list(w, b, x, y, lr):
    error = int(np.dot(w, x) + b >= 0) - y
    return [np.array(w, dtype=float) - lr * error * np.array(x), float(b - lr * error)]


def fit_with_step(X, y, lr, epochs):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        changed = False
        for i in range(len(y)):
            w_new, b_new = step_if(w, b, X[i], y[i], lr)
            changed = changed or b_new != b
            w, b = w_new, b_new
        if not changed:
            break
    return w, b


def fit_no_early_stop(X, y, lr, epochs):  # stopping early only saves time
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        for x_n, y_n in zip(X, y):
            w, b = step_list(w, b, x_n, y_n, lr)
    return w, b


CORRECT = {
    "mp_neuron": [neurons.mp_neuron, mp_loop, mp_bool],
    "find_threshold": [neurons.find_threshold, find_loop, find_np],
    "perceptron_step": [neurons.perceptron_step, step_if, step_list],
    "perceptron_fit": [neurons.perceptron_fit, fit_with_step, fit_no_early_stop],
}


def test_the_four_exercises_are_registered_in_order():
    assert [(name, ex.number) for name, ex in chapter_exercises(1)] == [
        ("mp_neuron", 1), ("find_threshold", 2), ("perceptron_step", 3), ("perceptron_fit", 4)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(CORRECT))
def test_correct_implementations_pass(name, seed, capsys):
    _, out = check_all_pass(name, CORRECT[name], seed, capsys)
    assert len(set(out)) == 1 and out[0].endswith(" cases"), "a pass prints the same text every time"


# -- the mistake catalogue: (exercise, wrong implementation, text the hint must contain) -----
def mp_strict(X, threshold):
    return (X.sum(axis=1) > threshold).astype(int)


def mp_axis0(X, threshold):
    return (X.sum(axis=0) >= threshold).astype(int)


def mp_returns_sum(X, threshold):
    return X.sum(axis=1)


def mp_any(X, threshold):
    return X.any(axis=1).astype(int)


def find_largest(X, y):
    for t in reversed(range(X.shape[1] + 2)):
        if np.array_equal(neurons.mp_neuron(X, t), y):
            return t
    return None


def find_zero_for_none(X, y):
    t = neurons.find_threshold(X, y)
    return 0 if t is None else t


def find_short_range(X, y):
    for t in range(X.shape[1] + 1):
        if np.array_equal(neurons.mp_neuron(X, t), y):
            return t
    return None


def find_from_one(X, y):
    for t in range(1, X.shape[1] + 2):
        if np.array_equal(neurons.mp_neuron(X, t), y):
            return t
    return None


def find_best_effort(X, y):
    errors = [np.sum(neurons.mp_neuron(X, t) != y) for t in range(X.shape[1] + 2)]
    return int(np.argmin(errors))


def find_strict_neuron(X, y):
    for t in range(X.shape[1] + 2):
        if np.array_equal((X.sum(axis=1) > t).astype(int), y):
            return t
    return None


def step_sign_flipped(w, b, x, y, lr):
    y_hat = 1 if w @ x + b >= 0 else 0
    return w + lr * (y_hat - y) * x, b + lr * (y_hat - y)


def step_strict(w, b, x, y, lr):
    y_hat = 1 if w @ x + b > 0 else 0
    return w - lr * (y_hat - y) * x, b - lr * (y_hat - y)


def step_in_place(w, b, x, y, lr):
    y_hat = 1 if w @ x + b >= 0 else 0
    w -= lr * (y_hat - y) * x
    return w, b - lr * (y_hat - y)


def step_no_bias(w, b, x, y, lr):
    y_hat = 1 if w @ x + b >= 0 else 0
    return w - lr * (y_hat - y) * x, b


def step_no_lr(w, b, x, y, lr):
    y_hat = 1 if w @ x + b >= 0 else 0
    return w - (y_hat - y) * x, b - (y_hat - y)


def step_always(w, b, x, y, lr):
    sign = 1 if y == 1 else -1
    return w + lr * sign * x, b + lr * sign


def step_only_w(w, b, x, y, lr):
    y_hat = 1 if w @ x + b >= 0 else 0
    return w - lr * (y_hat - y) * x


def fit_variant(bias=True, sign=-1, strict=False, start=0.0, extra=0, batch=False):
    def perceptron_fit(X, y, lr, epochs):
        w, b = np.full(X.shape[1], start), 0.0
        for _ in range(epochs + extra):
            dw, db, mistakes = np.zeros_like(w), 0.0, 0
            for x_n, y_n in zip(X, y):
                z = w @ x_n + (b if bias else 0.0)
                error = int(z > 0 if strict else z >= 0) - y_n
                mistakes += error != 0
                if batch:
                    dw, db = dw + error * x_n, db + error
                else:
                    w = w + sign * lr * error * x_n
                    b = b + sign * lr * error if bias else b
            if batch:
                w, b = w + sign * lr * dw, b + sign * lr * db
            if mistakes == 0:
                break
        return w, b
    return perceptron_fit


def fit_hard_coded(X, y, lr, epochs):
    return np.array([2.0, 1.0]), -3.0


def fit_shuffled(X, y, lr, epochs):
    rng = np.random.default_rng(0)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        for i in rng.permutation(len(y)):
            w, b = neurons.perceptron_step(w, b, X[i], y[i], lr)
    return w, b


WRONG = [
    ("mp_neuron", mp_strict, "use >=, not >"),
    ("mp_neuron", mp_axis0, "axis=1"),
    ("mp_neuron", mp_returns_sum, "not the sum"),
    ("mp_neuron", mp_any, "ignores the threshold"),
    ("find_threshold", find_largest, "returned the LARGEST"),
    ("find_threshold", find_zero_for_none, "return None: 0 is a real threshold"),
    ("find_threshold", find_short_range, "range(D + 2)"),
    ("find_threshold", find_from_one, "threshold 0 is allowed"),
    ("find_threshold", find_best_effort, "NO wrong row"),
    ("find_threshold", find_strict_neuron, "fires when the sum is >= t"),
    ("perceptron_step", step_sign_flipped, "wrong sign"),
    ("perceptron_step", step_strict, "use >=, not >"),
    ("perceptron_step", step_in_place, "changed the caller's w in place"),
    ("perceptron_step", step_no_bias, "update the bias too"),
    ("perceptron_step", step_no_lr, "learning rate"),
    ("perceptron_step", step_always, "update only when the prediction is wrong"),
    ("perceptron_step", step_only_w, "return two values"),
    ("perceptron_fit", fit_variant(bias=False), "ignores the bias"),
    ("perceptron_fit", fit_variant(sign=+1), "wrong sign"),
    ("perceptron_fit", fit_variant(strict=True), "use >=, not >"),
    ("perceptron_fit", fit_variant(start=1.0), "start from zeros"),
    ("perceptron_fit", fit_variant(extra=1), "one epoch too many"),
    ("perceptron_fit", fit_variant(batch=True), "after EACH sample"),
    ("perceptron_fit", fit_hard_coded, "hard-coded"),
]


@pytest.mark.parametrize("seed", [0, 3, 123456])
@pytest.mark.parametrize("name, fn, hint", WRONG, ids=[f"{n}-{f.__name__}-{i}" for i, (n, f, _) in
                                                       enumerate(WRONG)])
def test_each_known_mistake_is_caught_with_its_hint(name, fn, hint, seed, capsys):
    result = check(name, fn, seed=seed)
    assert not result.passed and result.status == "failed"
    assert f"hint: {hint}" in result.message or hint in result.message.split("hint:", 1)[1], \
        result.message
    # the failing case shows the input and expected / got (or the input after the call)
    assert "expected" in result.message or "after" in result.message


def test_an_order_other_than_the_given_one_fails():
    result = check("perceptron_fit", fit_shuffled, seed=0)
    assert not result.passed


def test_feedback_shows_the_failing_case():
    result = check("find_threshold", find_zero_for_none, seed=0)
    assert 'case 3 of 12 "XOR (no threshold works)"' in result.message
    assert "expected = None" in result.message and "got      = 0" in result.message
    result = check("perceptron_step", step_in_place, seed=0)
    assert "w after  = [0.  0.5]" in result.message


@pytest.mark.parametrize("name, label", [("mp_neuron", "1.1"), ("find_threshold", "1.2"),
                                         ("perceptron_step", "1.3"), ("perceptron_fit", "1.4")])
def test_stubs_are_not_implemented(name, label):
    def stub(*args):
        raise NotImplementedError(f"Exercise {label}: implement {name}")

    result = check(name, stub, seed=0)
    assert result.status == "not implemented" and result.points == 0
    assert result.message.startswith(f"Exercise {label} {name}: not implemented")


def test_odd_return_values_get_a_clear_verdict():
    result = check("find_threshold", lambda X, y: np.array([2]), seed=0)
    assert not result.passed and "not a whole number" in result.message
    result = check("perceptron_step", lambda w, b, x, y, lr: (w, np.array([b])), seed=0)
    assert not result.passed and "single number" in result.message
    result = check("mp_neuron", lambda X, threshold: None, seed=0)
    assert not result.passed and "returned None" in result.message
