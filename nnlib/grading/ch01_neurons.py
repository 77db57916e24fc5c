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
they use ``ValueCheck``: a FunctionCheck whose ``compare`` judges the returned
value, with the same verdicts, input display and mistake catalogue.
"""

import copy
from dataclasses import dataclass

import numpy as np

from nnlib import neurons
from nnlib.grading.engine import Case, Exercise, FunctionCheck, Mistake, _field, _fmt
from nnlib.grading.result import FAILED, PASSED, Outcome


@dataclass(frozen=True)
class ValueCheck(FunctionCheck):
    """A FunctionCheck for a function whose result is not one array.

    compare(got, expected) -> None when ``got`` is right, else (summary, detail
        lines, hint or ""); ``got`` is what the learner returned.
    show(value) -> detail lines for a value (expected or got).
    mutation_hints: {param name: hint} for a function that changed that input.
    """

    compare: object = None
    show: object = None
    mutation_hints: tuple = ()

    def __call__(self, call, rng):
        cases = self.cases(rng)
        seen = []  # values returned for the cases passed so far
        for k, case in enumerate(cases, 1):
            result = call(*case.args, **case.kwargs)
            expected = self.reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            inputs = self._show_inputs(case)
            if result.error is not None:
                status, summary, details, hint = self._judge_error(k, case, result, inputs)
            else:
                problem = self._judge_result(case, result, expected, seen)
                if problem is None:
                    seen.append((case, result.value))
                    continue
                status, (summary, details, hint) = FAILED, problem
                details = inputs + details
            if status == FAILED:
                summary = f'case {k} of {len(cases)} "{case.label}": {summary}'
            return Outcome(status, len(cases), k, summary, tuple(details), hint)
        return Outcome(PASSED, n_cases=len(cases))

    def _judge_result(self, case, result, expected, seen):
        got = result.value
        problem = self.compare(got, expected)
        if problem is not None:
            summary, details, hint = problem
            shown = self.show("expected", expected) + self.show("got", got)
            hint = self._mistake_value_hint(case, got, expected) or hint or _repeated(got, seen)
            return summary, shown + list(details), hint or (
                "compare your code with the rule stated above the exercise")
        warned = [w for w in result.warnings if w.startswith(("RuntimeWarning", "FloatingPointError"))]
        if warned:
            return ("numpy warned (" + warned[0].split(": ", 1)[-1] + ")", [],
                    "your code over- or underflows here: look for a huge or undefined number")
        for name, before, after in zip(self.params, case.args, result.args_after):
            if isinstance(before, np.ndarray) and not _same(before, after):
                hint = dict(self.mutation_hints).get(name) or (
                    f"your function changed the caller's array {name}: compute a new array instead")
                return f"changed its input {name} in place", _field(f"{name} after", after), hint
        return None

    def _mistake_value_hint(self, case, got, expected):
        """The hint of the first catalogued mistake that returns what the learner returned."""
        for mistake in self.mistakes:
            try:
                with np.errstate(all="ignore"):
                    wrong = mistake.fn(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            except Exception:  # noqa: BLE001 - that mistake cannot even run on this case
                continue
            if self.compare(wrong, expected) is not None and (
                    _equal_values(got, wrong) or self.compare(got, wrong) is None):
                return mistake.hint
        return ""


def _same(before, after):
    after = np.asarray(after)
    return before.shape == after.shape and np.array_equal(before, after)


def _repeated(got, seen):
    for j, (case, previous) in enumerate(seen, 1):
        if _equal_values(got, previous):
            return (f"your function returned exactly what it returned for case {j} "
                    f'("{case.label}"), whose input was different: is the answer hard-coded?')
    return ""


def _equal_values(a, b):
    try:
        if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
            return len(a) == len(b) and all(_equal_values(x, y) for x, y in zip(a, b))
        if a is None or b is None:
            return a is None and b is None
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype.kind in "biuf" and np.array_equal(a, b)
    except Exception:  # noqa: BLE001 - a strange value is simply not equal
        return False


def _show(name, value):
    """Detail lines for a returned value: None, a number, or a pair (w, b)."""
    if value is None:
        return [f"{name:<8} = None"]
    if isinstance(value, (tuple, list)) and len(value) == 2:
        w, b = (" ".join(_fmt(v).split()) for v in value)
        return [f"{name:<8} = w {w}, b {b}"]
    try:
        if np.asarray(value).dtype.kind in "biuf":
            return _field(name, value)
    except Exception:  # noqa: BLE001 - shown as text below
        pass
    return [f"{name:<8} = a {type(value).__name__}: {str(value)[:60]}"]


def _random_binary(rng, n, d):
    return rng.integers(0, 2, size=(n, d)).astype(np.float64)


def _gate(name):
    from nnlib.data import logic_gate

    return logic_gate(name)


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
    and_X, _ = _gate("and")
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
        Case("worked example: AND", _gate("and")),
        Case("OR", _gate("or")),
        Case("XOR (no threshold works)", _gate("xor")),
        Case("NAND (no threshold works)", _gate("nand")),
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
    compare=_threshold_compare, show=_show,
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
    compare=_pair_compare, show=_show,
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
    and_X, and_y = _gate("and")
    xor_X, xor_y = _gate("xor")
    return [
        Case("worked example: AND, lr = 1", (and_X, and_y, 1.0, 20)),
        Case("OR, lr = 0.5", (*_gate("or"), 0.5, 20)),
        Case("NAND, lr = 0.5, stopped after 3 epochs (it needs more)", (*_gate("nand"), 0.5, 3)),
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
    compare=lambda got, expected: _pair_compare(got, expected, "(w, b)"), show=_show,
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


EXERCISES = {
    "mp_neuron": Exercise(1, 1, MP_NEURON),
    "find_threshold": Exercise(1, 2, FIND_THRESHOLD),
    "perceptron_step": Exercise(1, 3, PERCEPTRON_STEP),
    "perceptron_fit": Exercise(1, 4, PERCEPTRON_FIT),
}
