"""Chapter 03 (forward and backprop): the checks of Exercises 3.1 to 3.8.

    3.1 dense_forward(X, W, b)                 -> (N, H)              FunctionCheck
    3.2 dense_backward(dout, X, W)             -> (dX, dW, db)        PartsCheck
    3.3 mse(y_pred, y)                         -> float               FunctionCheck
    3.4 mse_grad(y_pred, y)                    -> like y_pred         FunctionCheck
    3.5 binary_cross_entropy(p, y)             -> float               FunctionCheck
    3.6 softmax_cross_entropy(logits, labels)  -> (loss, dlogits)     PartsCheck
    3.7 numerical_gradient(f, x, eps=1e-6)     -> like x              GradientCheck
    3.8 two_layer_net(X, y, params)            -> (loss, grads)       PartsCheck

Every reference is nnlib's own code (``Dense``, ``nnlib.losses``,
``nnlib.gradcheck``, a ``Sequential``), on seeded random shapes and values plus
edge cases: a batch of one, one feature, one output, square matrices (where a
missing transpose gives wrong numbers instead of an error), probabilities of
exactly 0 and 1, logits of 1e4. Each classic mistake (db not summed over the
batch, dX without W's transpose, MSE's factor 2 or 1/n, a cross-entropy gradient
not divided by N, a numerical gradient that leaves x perturbed, a backward pass
that skips the ReLU derivative, ...) is recognised and named in the hint.

Exercises 3.2, 3.6 and 3.8 return several arrays, so they use ``PartsCheck``:
it judges each part (``dW``, ``grads["b1"]``...) like a FunctionCheck judges its
one array, and says which part is wrong.
"""

import copy
from dataclasses import dataclass

import numpy as np

from nnlib import losses
from nnlib.gradcheck import numerical_gradient as _numerical_gradient
from nnlib.grading.engine import Case, Exercise, FunctionCheck, Mistake, _as_array, _field, _fmt
from nnlib.grading.result import FAILED, PASSED, Outcome
from nnlib.layers import Activation, Dense
from nnlib.model import Sequential

# =====================================================================================
# PartsCheck: a function that returns a tuple of arrays (and maybe a dict of them)
# =====================================================================================


def _pick(value, path):
    for key in path:
        value = value[key]
    return value


@dataclass(frozen=True)
class PartsCheck(FunctionCheck):
    """A FunctionCheck for a function returning several arrays, e.g. (dX, dW, db).

    parts:     ((label, path), ...): where each part sits in the returned value,
               e.g. ("dW", (1,)) or ('grads["b1"]', (1, "b1")); checked in this order.
    returns:   how the result is written, e.g. "(dX, dW, db)", for the hints.
    part_hints: ((label, hint), ...) for a part of the wrong shape.
    mutation_hint: the hint for a function that changed one of its inputs.
    """

    parts: tuple = ()
    returns: str = ""
    part_hints: tuple = ()
    mutation_hint: str = ""

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
                problem = self._judge_parts(case, result, expected, seen)
                if problem is None:
                    seen.append((case, result.value))
                    continue
                status, (summary, details, hint) = FAILED, problem
                details = inputs + details
            if status == FAILED:
                summary = f'case {k} of {len(cases)} "{case.label}": {summary}'
            return Outcome(status, len(cases), k, summary, tuple(details), hint)
        return Outcome(PASSED, n_cases=len(cases))

    def _structure(self, got):
        """None if ``got`` has the parts where they belong, else (summary, details, hint)."""
        n = 1 + max(path[0] for _, path in self.parts)
        hint = f"return {n} values, in this order: `return {self.returns.strip('()')}`"
        if not isinstance(got, (tuple, list)):
            return f"returned a {type(got).__name__}, expected {self.returns}", [], hint
        if len(got) != n:
            return f"returned {len(got)} values, expected {n}: {self.returns}", [], hint
        for label, path in self.parts:
            if len(path) > 1:
                holder = got[path[0]]
                if not isinstance(holder, dict):
                    return (f"returned a {type(holder).__name__} where the dict of gradients "
                            f"belongs", [], f"the gradients are a dict with the keys of params: "
                            f"{{'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}}")
                if path[1] not in holder:
                    keys = ", ".join(map(repr, holder)) or "none"
                    return (f"the gradients have no key {path[1]!r} (keys: {keys})", [],
                            "use the same keys as params: 'W1', 'b1', 'W2', 'b2'")
        return None

    def _judge_parts(self, case, result, expected, seen):
        got = result.value
        if got is None:
            return "returned None", [], "your function returns nothing: did you forget `return`?"
        problem = self._structure(got)
        if problem is not None:
            return problem
        warned = [w for w in result.warnings if w.startswith(("RuntimeWarning", "FloatingPointError"))]
        notes = [f"numpy warned: {w}" for w in dict.fromkeys(warned)]
        for label, path in self.parts:
            exp = np.asarray(_pick(expected, path))
            arr = _as_array(_pick(got, path), exp)
            if arr is None or arr.dtype.kind not in "biuf":
                what = f"an array of {arr.dtype}" if arr is not None else \
                    f"a {type(_pick(got, path)).__name__}"
                return (f"{label} is {what}, not numbers", [],
                        f"{label} must be a numpy array of floats (a loss: one float)")
            shown = _field(f"expected {label}", exp) + _field(f"got {label}", arr)
            if arr.shape != exp.shape:
                hint = (self._part_mistake(case, path, arr, exp)
                        or dict(self.part_hints).get(label)
                        or f"{label} must have shape {exp.shape}")
                return f"{label} has shape {arr.shape}, expected {exp.shape}", shown + notes, hint
            close = np.isclose(arr.astype(np.float64), exp, rtol=self.rtol, atol=self.atol)
            if not close.all():
                index = tuple(int(i) for i in np.argwhere(~close)[0])
                where = f"[{', '.join(map(str, index))}]" if index else "(the only entry)"
                diff = (f"first difference in {label} at {where}: expected "
                        f"{_fmt(exp[index], 8)}, got {_fmt(arr[index], 8)}")
                hint = (self._part_mistake(case, path, arr, exp)
                        or (warned and (case.warn_hint or self.warn_hint))
                        or _repeated(got, seen)
                        or (np.isnan(arr.astype(np.float64)).any() and
                            "your result contains nan: inf - inf, 0 * inf or 0 / 0 happened "
                            "somewhere (look at the large entries of the input)")
                        or "compare your formulas with the ones stated above the exercise")
                return f"{label}: wrong values", shown + [diff] + notes, hint
        if warned:
            return ("numpy warned (" + warned[0].split(": ", 1)[-1] + ")", notes,
                    case.warn_hint or self.warn_hint or
                    "your code over- or underflows here: rewrite it so no step overflows")
        for name, before, after in zip(self.params, case.args, result.args_after):
            changed = _changed(before, after)
            if changed:
                return (f"changed its input {name}{changed} in place", [],
                        self.mutation_hint or f"your function wrote into the caller's {name}: "
                        "compute new arrays instead")
        return None

    def _part_mistake(self, case, path, arr, exp):
        """The hint of the first catalogued mistake whose part at ``path`` equals the learner's."""
        for mistake in self.mistakes:
            try:
                with np.errstate(all="ignore"):
                    wrong = mistake.fn(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
                    wrong = np.asarray(_pick(wrong, path), dtype=np.float64)
            except Exception:  # noqa: BLE001 - that mistake cannot even run on this case
                continue
            if wrong.shape != arr.shape or (wrong.shape == exp.shape and
                                            np.allclose(wrong, exp, equal_nan=True)):
                continue
            if np.allclose(arr.astype(np.float64), wrong, rtol=1e-6, atol=1e-9, equal_nan=True):
                return mistake.hint
        return ""

    def _show_inputs(self, case):
        lines = []
        for name, value in list(zip(self.params, case.args)) + list(case.kwargs.items()):
            if isinstance(value, dict):
                shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in value.items())
                lines.append(f"{name:<8} = {{{shapes}}}")
            else:
                lines += _field(name, value)
        return lines


def _changed(before, after):
    """'' if an input is unchanged, else which part changed (' ["W1"]' for a dict entry)."""
    if isinstance(before, np.ndarray):
        after = np.asarray(after)
        same = before.shape == after.shape and np.array_equal(before, after, equal_nan=True)
        return "" if same else " "
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            if isinstance(value, np.ndarray) and _changed(value, after.get(key)):
                return f'["{key}"]'
    return ""


def _repeated(got, seen):
    for j, (case, previous) in enumerate(seen, 1):
        if _equal_values(got, previous):
            return (f"your function returned exactly what it returned for case {j} "
                    f'("{case.label}"), whose input was different: is the answer hard-coded?')
    return ""


def _equal_values(a, b):
    try:
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(_equal_values(a[k], b[k]) for k in a)
        if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
            return len(a) == len(b) and all(_equal_values(x, y) for x, y in zip(a, b))
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype.kind in "biuf" and np.array_equal(a, b)
    except Exception:  # noqa: BLE001 - a strange value is simply not equal
        return False


# =====================================================================================
# 3.1 dense_forward, 3.2 dense_backward
# =====================================================================================


def _dense(W, b=None):
    layer = Dense(W.shape[0], W.shape[1], rng=0)
    layer.params["W"][...] = W
    if b is not None:
        layer.params["b"][...] = b
    return layer


def dense_forward_reference(X, W, b):
    """nnlib's Dense layer with these W and b: X @ W + b."""
    return _dense(W, b).forward(X)


def dense_backward_reference(dout, X, W):
    """nnlib's Dense.backward after forward(X): (dX, dW, db)."""
    layer = _dense(W)
    layer.forward(X)
    dX = layer.backward(dout)
    return dX, layer.grads["W"].copy(), layer.grads["b"].copy()


def _sizes(rng, lo=2, hi=6, k=3):
    """k different sizes in [lo, hi): a non-square case, so no shape fits by accident."""
    return [int(s) for s in rng.choice(np.arange(lo, hi), size=k, replace=False)]


def dense_forward_cases(rng):
    n, d, h = _sizes(rng)
    s = int(rng.integers(2, 5))

    def inputs(n, d, h):
        return (rng.normal(size=(n, d)), rng.normal(size=(d, h)), rng.normal(size=h))

    return [
        Case("worked example: X (2, 3), W (3, 2), b (2,)",
             (np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 2.0]]),
              np.array([[0.1, 0.2], [0.3, -0.1], [-0.2, 0.4]]), np.array([0.5, -1.0]))),
        Case(f"random: N={n}, D={d}, H={h}", inputs(n, d, h)),
        Case(f"square W: N={n}, D=H={s}", inputs(n, s, s)),
        Case(f"N = H = {s}, D={d}", inputs(s, d, s)),
        Case("a batch of one (1, D)", inputs(1, d, h)),
        Case("one input feature (D = 1)", inputs(n, 1, h)),
        Case("one output unit (H = 1)", inputs(n, d, 1)),
        Case("X = 0: every row is b", (np.zeros((3, d)),) + inputs(3, d, h)[1:]),
        Case("random, N=16, D=3, H=4 (the house network's first layer)", inputs(16, 3, 4)),
    ]


DENSE_FORWARD = FunctionCheck(
    name="dense_forward", signature="dense_forward(X, W, b)", params=("X", "W", "b"),
    reference=dense_forward_reference, cases=dense_forward_cases,
    mistakes=(
        Mistake(lambda X, W, b: X @ W, "you forgot the bias: the layer computes X @ W + b"),
        Mistake(lambda X, W, b: X @ W - b, "add the bias: X @ W + b"),
        Mistake(lambda X, W, b: X @ W.T + b,
                "W has shape (D, H) (inputs x outputs), so the product is X @ W, not X @ W.T"),
        Mistake(lambda X, W, b: X @ W + b[:, None],
                "b has one entry per output unit (a column of the result): X @ W + b adds it to "
                "every row; b[:, None] adds it down the columns instead"),
        Mistake(lambda X, W, b: (X @ W + b).T,
                "rows are samples: the result is (N, H), one row per sample; do not transpose it"),
    ),
    shape_hint="the output has one row per sample and one column per output unit: shape (N, H)",
    error_hints=(("matmul", "X is (N, D) and W is (D, H): the product X @ W needs the inner sizes "
                            "(D) to match; X @ W + b is (N, H)"),),
)


def dense_backward_cases(rng):
    n, d, h = _sizes(rng)
    s = int(rng.integers(2, 5))

    def inputs(n, d, h):
        return (rng.normal(size=(n, h)), rng.normal(size=(n, d)), rng.normal(size=(d, h)))

    return [
        Case("worked example: N = D = H = 2",
             (np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([[1.0, 2.0], [-1.0, 0.5]]),
              np.array([[0.2, -0.4], [0.7, 0.1]]))),
        Case(f"random: N={n}, D={d}, H={h}", inputs(n, d, h)),
        Case(f"square W: N={n}, D=H={s}", inputs(n, s, s)),
        Case("a batch of one (1, D)", inputs(1, d, h)),
        Case("one input feature (D = 1)", inputs(n, 1, h)),
        Case("one output unit (H = 1)", inputs(n, d, 1)),
        Case("dout = 0: every gradient is 0", (np.zeros((n, h)),) + inputs(n, d, h)[1:]),
        Case("random, N=32, D=3, H=4", inputs(32, 3, 4)),
    ]


def _backward_variant(dout, X, W, dX="ok", dW="ok", db="sum", order="ok"):
    dXv = {"ok": lambda: dout @ W.T, "noT": lambda: dout @ W, "T": lambda: W @ dout.T}[dX]()
    dWv = {"ok": lambda: X.T @ dout, "T": lambda: dout.T @ X,
           "mean": lambda: X.T @ dout / len(X)}[dW]()
    dbv = {"sum": lambda: dout.sum(axis=0), "none": lambda: dout, "mean": lambda: dout.mean(axis=0),
           "axis1": lambda: dout.sum(axis=1), "all": lambda: dout.sum()}[db]()
    return (dWv, dXv, dbv) if order == "swapped" else (dXv, dWv, dbv)


_DB_SUM = ("db must be summed over the batch: db = dout.sum(axis=0), shape (H,). b was added to "
           "every row, so each row's gradient adds up")
DENSE_BACKWARD = PartsCheck(
    name="dense_backward", signature="dense_backward(dout, X, W)", params=("dout", "X", "W"),
    reference=dense_backward_reference, cases=dense_backward_cases,
    parts=(("dX", (0,)), ("dW", (1,)), ("db", (2,))), returns="(dX, dW, db)",
    mistakes=(
        Mistake(lambda dout, X, W: _backward_variant(dout, X, W, db="none"), _DB_SUM),
        Mistake(lambda dout, X, W: _backward_variant(dout, X, W, db="mean"),
                "db is the SUM of dout over the batch, not the mean: the 1/N of the mean loss is "
                "already inside dout"),
        Mistake(lambda dout, X, W: _backward_variant(dout, X, W, db="axis1"),
                "sum over the batch, axis 0 (rows are samples): db = dout.sum(axis=0) has one "
                "entry per output unit"),
        Mistake(lambda dout, X, W: _backward_variant(dout, X, W, db="all"),
                "sum over the rows only: db = dout.sum(axis=0) has one entry per output unit, "
                "shape (H,)"),
        Mistake(lambda dout, X, W: _backward_variant(dout, X, W, dX="noT"),
                "dX needs the transpose of W: dX = dout @ W.T, (N, H) @ (H, D) -> (N, D)"),
        Mistake(lambda dout, X, W: _backward_variant(dout, X, W, dW="T"),
                "dW has the shape of W, (D, H): dW = X.T @ dout; dout.T @ X is its transpose"),
        Mistake(lambda dout, X, W: _backward_variant(dout, X, W, dW="mean"),
                "no 1/N in dW: dW = X.T @ dout; the mean's 1/N is already inside dout"),
        Mistake(lambda dout, X, W: _backward_variant(dout, X, W, order="swapped"),
                "return the gradients in the order (dX, dW, db)"),
    ),
    part_hints=(("db", _DB_SUM), ("dW", "dW has the shape of W, (D, H): dW = X.T @ dout"),
                ("dX", "dX has the shape of X, (N, D): dX = dout @ W.T")),
    error_hints=(("matmul", "check the shape of each product: dX (N, D) = dout (N, H) @ W.T (H, D); "
                            "dW (D, H) = X.T (D, N) @ dout (N, H)"),),
    mutation_hint="compute new arrays; do not write into dout, X or W (the caller still needs them)",
)

# =====================================================================================
# 3.3 mse, 3.4 mse_grad
# =====================================================================================


def regression_cases(rng):
    """10 (y_pred, y) pairs: 1-D, (N, 1), (N, D), a batch of one, equal arrays, large values."""
    n, d = _sizes(rng, 2, 7, 2)

    def pair(shape, scale=1.0):
        return (scale * rng.normal(size=shape), scale * rng.normal(size=shape))

    return [
        Case("worked example", (np.array([2.5, 0.0, 2.0]), np.array([3.0, -0.5, 2.0]))),
        Case(f"random 1-D ({n},)", pair((n,))),
        Case(f"random column ({n}, 1)", pair((n, 1))),
        Case(f"random 2-D ({n}, {d})", pair((n, d))),
        Case("a batch of one (1, 1)", pair((1, 1))),
        Case("a batch of one, 3 outputs (1, 3)", pair((1, 3))),
        Case("y_pred equals y", (np.full((2, 3), 1.5), np.full((2, 3), 1.5))),
        Case("large values (scale 1e3)", pair((n, d), 1e3)),
        Case(f"random 2-D ({d}, {n})", pair((d, n))),
        Case("random (16, 1), like the house prices", pair((16, 1))),
    ]


MSE = FunctionCheck(
    name="mse", signature="mse(y_pred, y)", params=("y_pred", "y"), reference=losses.mse,
    cases=regression_cases,
    mistakes=(
        Mistake(lambda p, y: np.sum((p - y) ** 2),
                "that is the SUM of squared errors: the MSE is their mean, np.mean((y_pred - y)**2)"),
        Mistake(lambda p, y: np.sum((p - y) ** 2) / len(p),
                "divide by the number of ENTRIES, y_pred.size (N * D), not by len(y_pred) (the rows): "
                "np.mean averages over all of them"),
        Mistake(lambda p, y: np.mean(np.abs(p - y)), "square the errors: that is the mean ABSOLUTE error"),
        Mistake(lambda p, y: np.sqrt(np.mean((p - y) ** 2)),
                "no square root: that is the RMSE, the root of the MSE"),
        Mistake(lambda p, y: 0.5 * np.mean((p - y) ** 2),
                "no factor 1/2 here (some books put one in to cancel the 2 of the derivative; "
                "PyTorch and Keras do not)"),
        Mistake(lambda p, y: np.mean((p - y) ** 2, axis=0),
                "average over ALL entries (np.mean without axis): the loss is one number"),
    ),
    shape_hint="the loss is one number: np.mean over all entries returns it",
)

MSE_GRAD = FunctionCheck(
    name="mse_grad", signature="mse_grad(y_pred, y)", params=("y_pred", "y"),
    reference=losses.mse.grad, cases=regression_cases,
    mistakes=(
        Mistake(lambda p, y: (p - y) / p.size,
                "the factor 2 is missing: d/dy_pred (y_pred - y)^2 = 2 (y_pred - y), so the "
                "gradient is 2 (y_pred - y) / n"),
        Mistake(lambda p, y: 2 * (p - y),
                "the 1/n is missing: the loss is the MEAN over n = y_pred.size entries, so the "
                "gradient is 2 (y_pred - y) / n"),
        Mistake(lambda p, y: 2 * (p - y) / len(p),
                "n is the number of ENTRIES, y_pred.size (N * D), not len(y_pred) (the rows): the "
                "mean runs over all of them"),
        Mistake(lambda p, y: p - y,
                "both the factor 2 and the 1/n are missing: 2 (y_pred - y) / n"),
        Mistake(lambda p, y: 2 * (y - p) / p.size,
                "sign error: the gradient with respect to y_pred is 2 (y_pred - y) / n"),
        Mistake(lambda p, y: (p - y) / (2 * p.size), "multiply by 2, do not divide: 2 (y_pred - y) / n"),
        Mistake(lambda p, y: np.mean(2 * (p - y)),
                "the gradient has one entry per prediction (the shape of y_pred); do not average it"),
    ),
    shape_hint="the gradient has the shape of y_pred: one entry per prediction",
)

# =====================================================================================
# 3.5 binary_cross_entropy
# =====================================================================================

_CLIP = ("clip p first: p = np.clip(p, 1e-12, 1 - 1e-12). Then log(p) and log(1 - p) are finite "
         "even for p = 0 or 1 exactly (log(0) = -inf, and 0 * -inf = nan)")


def bce_cases(rng):
    n, d = _sizes(rng, 2, 7, 2)

    def pair(shape):
        return (rng.uniform(0.01, 0.99, size=shape), rng.integers(0, 2, size=shape).astype(float))

    return [
        Case("worked example", (np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 1.0]))),
        Case(f"random 1-D ({n},)", pair((n,))),
        Case(f"random column ({n}, 1)", pair((n, 1))),
        Case(f"random 2-D ({n}, {d}), several labels per sample", pair((n, d))),
        Case("a batch of one (1, 1)", pair((1, 1))),
        Case("soft targets y in [0, 1]", (rng.uniform(0.01, 0.99, (n, 1)), rng.uniform(0, 1, (n, 1)))),
        Case("p exactly 0 and 1, confidently right",
             (np.array([0.0, 1.0, 1.0, 0.0]), np.array([0.0, 1.0, 1.0, 0.0])), warn_hint=_CLIP),
        Case("p exactly 0 and 1, confidently wrong",
             (np.array([[1.0], [0.0]]), np.array([[0.0], [1.0]])), warn_hint=_CLIP),
        Case("p within 1e-15 of 0 and 1",
             (np.array([1e-15, 1 - 1e-15, 0.5]), np.array([1.0, 0.0, 1.0])), warn_hint=_CLIP),
        Case("random (16, 1)", pair((16, 1))),
    ]


def _bce(p, y, lo=1e-12, hi=1 - 1e-12, log=np.log, reduce=np.mean, sign=-1.0, second=True):
    p = np.clip(p, lo, hi)
    terms = y * log(p) + ((1 - y) * log(1 - p) if second else 0)
    return sign * reduce(terms)


BINARY_CROSS_ENTROPY = FunctionCheck(
    name="binary_cross_entropy", signature="binary_cross_entropy(p, y)", params=("p", "y"),
    reference=losses.binary_cross_entropy, cases=bce_cases,
    mistakes=(
        Mistake(lambda p, y: _bce(p, y, 0.0, 1.0), _CLIP),
        Mistake(lambda p, y: _bce(p, y, 1e-12, 1.0),
                "clip both ends: p = np.clip(p, 1e-12, 1 - 1e-12); with p = 1 and y = 0, "
                "log(1 - p) = log(0) = -inf"),
        Mistake(lambda p, y: _bce(p, y, 1e-7, 1 - 1e-7),
                "clip to [1e-12, 1 - 1e-12] as stated: 1e-7 (Keras's epsilon) gives a different "
                "loss for p near 0 or 1"),
        Mistake(lambda p, y: _bce(p, y, sign=1.0),
                "sign error: the loss is -mean(y log p + (1 - y) log(1 - p)); the logs of "
                "probabilities are negative, the loss is positive"),
        Mistake(lambda p, y: _bce(p, y, reduce=np.sum), "the mean over all entries, not the sum"),
        Mistake(lambda p, y: _bce(p, y, second=False),
                "both terms: y log(p) + (1 - y) log(1 - p); without the second one, samples with "
                "y = 0 cost nothing"),
        Mistake(lambda p, y: _bce(p, y, log=np.log10), "use the natural logarithm np.log, not np.log10"),
        Mistake(lambda p, y: _bce(p, y, log=np.log2), "use the natural logarithm np.log, not np.log2"),
        Mistake(lambda p, y: _bce(p, y, reduce=lambda t: np.mean(t, axis=0)),
                "average over ALL entries (np.mean without axis): the loss is one number"),
    ),
    warn_hint=_CLIP,
    shape_hint="the loss is one number: np.mean over all entries returns it",
)

# =====================================================================================
# 3.6 softmax_cross_entropy
# =====================================================================================


def softmax_cross_entropy_reference(logits, labels):
    loss = losses.softmax_cross_entropy
    return loss(logits, labels), loss.grad(logits, labels)


_SHIFT = ("subtract each row's maximum before exp: m = logits.max(axis=1, keepdims=True); "
          "exp(logits - m) never overflows")
_LOG_SOFTMAX = ("compute log p with log-softmax, not log(softmax): log p = (logits - m) - "
                "log(sum(exp(logits - m))) with m the row maximum. For logits 1e4 apart, "
                "softmax underflows to exactly 0 and log(0) = -inf")


def sce_cases(rng):
    n, c = _sizes(rng, 2, 7, 2)

    def batch(n, c, scale=2.0):
        return (scale * rng.normal(size=(n, c)), rng.integers(0, c, size=n))

    big = np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 5e3]])
    return [
        Case("worked example: N = 2, C = 3",
             (np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]), np.array([0, 1]))),
        Case(f"random: N={n}, C={c}", batch(n, c)),
        Case("a batch of one (1, C)", batch(1, c)),
        Case("two classes (N, 2)", batch(n, 2)),
        Case("every label the same class", (2 * rng.normal(size=(n, c)), np.zeros(n, dtype=int))),
        Case("equal logits: the loss is ln C", (np.zeros((3, 4)), np.array([0, 3, 2]))),
        Case("logits of 1e4, each label the largest", (big, np.array([0, 1])), warn_hint=_SHIFT),
        Case("logits of 1e4, labels not the largest", (big, np.array([2, 2])),
             warn_hint=f"{_SHIFT}; and {_LOG_SOFTMAX}"),
        Case(f"random scale 100: N={c}, C={n}", batch(c, n, 100.0), warn_hint=_SHIFT),
        Case("random: N=20, C=10", batch(20, 10)),
    ]


def _sce(logits, labels, shift=True, log_of_softmax=False, divide_n=True, sign=1.0,
         onehot=True, loss_reduce="mean"):
    n = len(labels)
    z = logits - logits.max(axis=1, keepdims=True) if shift else logits
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    if log_of_softmax:
        nll = -np.log(p[rows, labels])
    else:
        nll = -(z[rows, labels] - np.log(e.sum(axis=1)))
    loss = {"mean": nll.mean(), "sum": nll.sum(), "nc": nll.sum() / logits.size}[loss_reduce]
    y = np.zeros_like(p)
    y[rows, labels] = 1.0
    d = sign * (p - y) if onehot else p
    return loss, (d / n if divide_n else d)


SOFTMAX_CROSS_ENTROPY = PartsCheck(
    name="softmax_cross_entropy", signature="softmax_cross_entropy(logits, labels)",
    params=("logits", "labels"), reference=softmax_cross_entropy_reference, cases=sce_cases,
    parts=(("loss", (0,)), ("dlogits", (1,))), returns="(loss, dlogits)",
    mistakes=(
        Mistake(lambda z, k: _sce(z, k, divide_n=False),
                "divide the gradient by N: the loss is the MEAN over the batch, so "
                "dlogits = (softmax(logits) - onehot(labels)) / N"),
        Mistake(lambda z, k: _sce(z, k, sign=-1.0),
                "sign error: dlogits = (p - y) / N, predicted minus true"),
        Mistake(lambda z, k: _sce(z, k, onehot=False),
                "subtract 1 at each row's true class: dlogits = (p - onehot(labels)) / N"),
        Mistake(lambda z, k: _sce(z, k, loss_reduce="sum"), "the loss is the mean over the N samples, not the sum"),
        Mistake(lambda z, k: _sce(z, k, loss_reduce="nc"),
                "divide the summed loss by N (the samples), not by N * C: each sample has one "
                "loss, -log p of its true class"),
        Mistake(lambda z, k: _sce(z, k, log_of_softmax=True), _LOG_SOFTMAX),
        Mistake(lambda z, k: _sce(z, k, shift=False, log_of_softmax=True), _SHIFT),
    ),
    warn_hint=_SHIFT,
    part_hints=(("loss", "the loss is one number: the mean over the batch"),
                ("dlogits", "dlogits has the shape of logits, (N, C)")),
    mutation_hint="compute new arrays; do not write into logits or labels",
)

# =====================================================================================
# 3.7 numerical_gradient
# =====================================================================================
# The test functions f are small classes, not lambdas: the command-line grader
# sends them to the worker process that runs the learner's code. They are passed
# by keyword, numerical_gradient(f=..., x=...): the worker sends the positional
# arguments back after the call (to see whether an array was changed in place),
# and the grader reads back numbers and arrays only, never objects.
#
# Each f is also a probe: it knows the x it was made for and refuses to be
# evaluated where more than one entry of x has moved. So a learner who forgets
# to put an entry back (or moves a whole row, or every entry at once) gets an
# error naming it at the first wrong evaluation, in the notebook and in the grader.


class Probe:
    """Base of the test functions: f(x) = self.value(x), evaluated one moved entry at a time."""

    def __init__(self, x0):
        self.x0 = np.array(x0, dtype=np.float64)
        self.good_calls = 0

    def __call__(self, x):
        x = np.asarray(x, dtype=np.float64)
        if x.shape != self.x0.shape:
            raise ValueError(f"f was called with an array of shape {x.shape}; call it with x "
                             f"itself, shape {self.x0.shape}, with one entry moved")
        moved = np.argwhere(np.abs(x - self.x0) > 1e-10 * (1 + np.abs(self.x0)))
        if len(moved) > 1:
            where = ", ".join(str(tuple(int(i) for i in m)) for m in moved[:3])
            more = ", ..." if len(moved) > 3 else ""
            if self.good_calls == 0:
                raise ValueError(f"f was evaluated with {len(moved)} entries of x moved at once "
                                 f"(at {where}{more}): several entries moved together")
            raise ValueError(f"f was evaluated with {len(moved)} entries of x moved (at {where}"
                             f"{more}): an entry moved earlier was not put back")
        self.good_calls += 1
        return float(self.value(x))


class Square(Probe):
    """f(x) = sum(x^2); gradient 2x."""

    def value(self, x):
        return np.sum(x * x)

    def __repr__(self):
        return "f(x) = sum(x**2)"


class SineSum(Probe):
    """f(x) = sum(sin(k x)); gradient k cos(k x)."""

    def __init__(self, x0, k):
        super().__init__(x0)
        self.k = float(k)

    def value(self, x):
        return np.sum(np.sin(self.k * x))

    def __repr__(self):
        return f"f(x) = sum(sin({self.k:g} * x))"


class LogSumExp(Probe):
    """f(x) = log(sum(exp(w * x))), every entry coupled to every other."""

    def __init__(self, x0, w):
        super().__init__(x0)
        self.w = w

    def value(self, x):
        s = self.w * x
        m = s.max()
        return m + np.log(np.sum(np.exp(s - m)))

    def __repr__(self):
        return "f(x) = log(sum(exp(w * x))), w fixed"


class LinearMSE(Probe):
    """f(W) = mean((A @ W - T)^2): the loss of a linear layer as a function of its weights."""

    def __init__(self, x0, A, T):
        super().__init__(x0)
        self.A, self.T = A, T

    def value(self, W):
        return np.mean((self.A @ W - self.T) ** 2)

    def __repr__(self):
        return f"f(W) = mean((A @ W - T)**2), A {self.A.shape}, T {self.T.shape}"


class TanhLayer(Probe):
    """f(x) = sum(tanh(x @ V)) for x of shape (..., D)."""

    def __init__(self, x0, V):
        super().__init__(x0)
        self.V = V

    def value(self, x):
        return np.sum(np.tanh(x @ self.V))

    def __repr__(self):
        return f"f(x) = sum(tanh(x @ V)), V {self.V.shape}"


def numerical_gradient_reference(f, x, eps=1e-6):
    return _numerical_gradient(f, np.array(x, dtype=np.float64), eps)


def _grad_case(label, make, x, **kwargs):
    """A case numerical_gradient(f=make(x), x=x, ...), with arguments by keyword (see above)."""
    return Case(label, (), {"f": make(x), "x": x, **kwargs})


def gradient_cases(rng):
    n, d = _sizes(rng, 2, 6, 2)
    A, T, w = rng.normal(size=(8, d)), rng.normal(size=(8, 3)), rng.normal(size=(n, d))
    V1, V2 = rng.normal(size=(d, 2)), rng.normal(size=(d, 3))
    return [
        _grad_case("worked example", Square, np.array([1.0, 2.0, 3.0])),
        _grad_case(f"random 1-D ({n},)", lambda x: SineSum(x, 3), rng.normal(size=n)),
        _grad_case(f"random 2-D ({n}, {d})", lambda x: LogSumExp(x, w), rng.normal(size=(n, d))),
        _grad_case(f"weights W ({d}, 3) of a linear layer", lambda x: LinearMSE(x, A, T),
                   rng.normal(size=(d, 3))),
        _grad_case(f"random 3-D (2, {n}, {d})", lambda x: TanhLayer(x, V1),
                   rng.normal(size=(2, n, d))),
        _grad_case("eps = 1e-3 given", lambda x: SineSum(x, 3), rng.normal(size=(n, d)), eps=1e-3),
        _grad_case("a batch of one (1, D)", lambda x: TanhLayer(x, V2), rng.normal(size=(1, d))),
        _grad_case("one entry (1,)", lambda x: SineSum(x, 2), rng.normal(size=1)),
        _grad_case("x far from 0", lambda x: SineSum(x, 1), 50 * rng.normal(size=n)),
    ]


def _nd_variant(f, x, eps=1e-6, scheme="central", fixed_eps=None):
    x = np.array(x, dtype=np.float64)
    eps = fixed_eps if fixed_eps is not None else eps
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        if scheme == "forward":
            x[i] = old
            grad[i] = (f_plus - f(x)) / eps
        else:
            x[i] = old - eps
            grad[i] = (f_plus - f(x)) / (2 * eps if scheme == "central" else eps)
        x[i] = old
    return grad


_RESTORE = ("put x back after each entry: save old = x[i] before moving it and set x[i] = old "
            "after evaluating f(x + eps) and f(x - eps). Otherwise every later entry is "
            "differentiated at a shifted point, and the caller's x comes back changed")
_ONE_AT_A_TIME = ("move ONE entry at a time, for every entry whatever the shape of x: "
                  "`for i in np.ndindex(x.shape):` gives each index, then x[i] is one number. "
                  "`for i in range(len(x))` moves whole rows of a 2-D x, and x + eps moves every "
                  "entry (it measures the sum of all the partial derivatives)")


@dataclass(frozen=True)
class GradientCheck(FunctionCheck):
    """FunctionCheck for numerical_gradient: its mistakes are small (a forward difference is
    off by about eps), so a mistake is recognised when the learner's result is much closer
    to the mistake's than to the reference (the default rule, within 1e-5, would miss them)."""

    def _mistake_hint(self, case, arr, expected):
        arr = arr.astype(np.float64)
        for mistake in self.mistakes:
            try:
                with np.errstate(all="ignore"):
                    wrong = np.asarray(mistake.fn(*copy.deepcopy(case.args), **case.kwargs),
                                       dtype=np.float64)
            except Exception:  # noqa: BLE001 - that mistake cannot even run on this case
                continue
            if wrong.shape != arr.shape:
                continue
            if wrong.shape != expected.shape:
                if np.allclose(arr, wrong, rtol=1e-6, atol=1e-9):
                    return mistake.hint
                continue
            if np.allclose(wrong, expected, rtol=self.rtol, atol=self.atol):
                continue  # this mistake makes no difference on this case
            if np.all(np.abs(arr - wrong) <= 0.01 * np.abs(wrong - expected) + 1e-10):
                return mistake.hint
        return ""


NUMERICAL_GRADIENT = GradientCheck(
    name="numerical_gradient", signature="numerical_gradient(f, x, eps=1e-6)", params=("f", "x"),
    reference=numerical_gradient_reference, cases=gradient_cases,
    mistakes=(
        Mistake(lambda f, x, eps=1e-6: _nd_variant(f, x, eps, scheme="forward"),
                "use the central difference (f(x + eps) - f(x - eps)) / (2 eps): the one-sided "
                "(f(x + eps) - f(x)) / eps has an error of order eps, the central one of order eps**2"),
        Mistake(lambda f, x, eps=1e-6: _nd_variant(f, x, eps, scheme="half"),
                "divide by 2 eps: the points x + eps and x - eps are 2 eps apart"),
        Mistake(lambda f, x, eps=1e-6: _nd_variant(f, x, eps, fixed_eps=1e-6),
                "use the eps you are given (the argument), not a fixed 1e-6"),
    ),
    error_hints=(("was not put back", _RESTORE), ("moved at once", _ONE_AT_A_TIME),
                 ("f was called with an array of shape",
                  "call f with an array shaped like x (not flattened), with one entry moved")),
    shape_hint="the gradient has the shape of x: one partial derivative per entry",
    rtol=1e-7, atol=1e-9,
)

# =====================================================================================
# 3.8 two_layer_net
# =====================================================================================


def two_layer_net_reference(X, y, params):
    """nnlib: Sequential([Dense, Activation("relu"), Dense]) and softmax_cross_entropy."""
    d, h = params["W1"].shape
    c = params["W2"].shape[1]
    model = Sequential([Dense(d, h, rng=0), Activation("relu"), Dense(h, c, rng=0)])
    for key, name in [("0.W", "W1"), ("0.b", "b1"), ("2.W", "W2"), ("2.b", "b2")]:
        model.params()[key][...] = params[name]
    out = model.forward(X)
    loss = losses.softmax_cross_entropy
    value = loss(out, y)
    model.backward(loss.grad(out, y))
    g = model.grads()
    return value, {name: g[key].copy() for key, name in
                   [("0.W", "W1"), ("0.b", "b1"), ("2.W", "W2"), ("2.b", "b2")]}


def _params(rng, d, h, c, scale=1.0):
    return {"W1": scale * rng.normal(size=(d, h)), "b1": 0.1 * rng.normal(size=h),
            "W2": scale * rng.normal(size=(h, c)), "b2": 0.1 * rng.normal(size=c)}


def net_cases(rng):
    n, d, h = _sizes(rng, 2, 7)
    c = int(rng.integers(2, 5))

    def batch(n, d, c):
        return rng.normal(size=(n, d)), rng.integers(0, c, size=n)

    dead = _params(rng, d, h, c)
    dead["b1"][0] = -100.0  # unit 0 is off for every sample
    worked = {"W1": np.array([[1.0, -1.0, 0.5], [0.5, 2.0, -1.0]]), "b1": np.array([0.0, 0.1, -0.2]),
              "W2": np.array([[1.0, -1.0], [0.5, 0.5], [-1.0, 2.0]]), "b2": np.array([0.1, -0.1])}
    return [
        Case("worked example: N=3, D=2, H=3, C=2",
             (np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -2.0]]), np.array([0, 1, 1]), worked)),
        Case(f"random: N={n}, D={d}, H={h}, C={c}", (*batch(n, d, c), _params(rng, d, h, c))),
        Case("a batch of one", (*batch(1, d, c), _params(rng, d, h, c))),
        Case("one hidden unit (H = 1)", (*batch(n, d, c), _params(rng, d, 1, c))),
        Case("five classes", (*batch(8, d, 5), _params(rng, d, h, 5))),
        Case("a hidden unit that is off for every sample", (*batch(n, d, c), dead)),
        Case("large weights: logits of order 1e3", (*batch(n, d, c), _params(rng, d, h, c, 100.0)),
             warn_hint=_SHIFT),
        Case("random: N=32, D=3, H=4, C=3", (*batch(32, 3, 3), _params(rng, 3, 4, 3))),
    ]


def _net_variant(X, y, params, relu_grad="ok", divide_n=True, db="sum", loss_reduce="mean",
                 sign=1.0, shift=True, log_of_softmax=False):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    logits = A1 @ W2 + b2
    loss, dlogits = _sce(logits, y, shift=shift, divide_n=divide_n, sign=sign,
                         loss_reduce=loss_reduce, log_of_softmax=log_of_softmax)
    reduce = {"sum": lambda g: g.sum(axis=0), "mean": lambda g: g.mean(axis=0),
              "none": lambda g: g}[db]
    dA1 = dlogits @ W2.T
    mask = {"ok": Z1 > 0, "none": np.ones_like(Z1), "sigmoid": None}[relu_grad]
    if relu_grad == "sigmoid":
        s = 1 / (1 + np.exp(-Z1))
        mask = s * (1 - s)
    dZ1 = dA1 * mask
    return loss, {"W1": X.T @ dZ1, "b1": reduce(dZ1), "W2": A1.T @ dlogits, "b2": reduce(dlogits)}


_NO_RELU = ("the backward pass skips the ReLU: dZ1 = dA1 * (Z1 > 0). A hidden unit that was off "
            "(Z1 <= 0) passed nothing forward, so it passes no gradient back. (A mask A1 >= 0 "
            "skips it too: A1 = relu(Z1) is never negative, so it is always true)")
TWO_LAYER_NET = PartsCheck(
    name="two_layer_net", signature="two_layer_net(X, y, params)", params=("X", "y", "params"),
    reference=two_layer_net_reference, cases=net_cases,
    parts=(("loss", (0,)), ('grads["W2"]', (1, "W2")), ('grads["b2"]', (1, "b2")),
           ('grads["W1"]', (1, "W1")), ('grads["b1"]', (1, "b1"))),
    returns="(loss, grads)",
    mistakes=(
        Mistake(lambda X, y, p: _net_variant(X, y, p, relu_grad="none"), _NO_RELU),
        Mistake(lambda X, y, p: _net_variant(X, y, p, relu_grad="sigmoid"),
                "the hidden layer is a ReLU, not a sigmoid: its derivative is (Z1 > 0), 1 or 0"),
        Mistake(lambda X, y, p: _net_variant(X, y, p, divide_n=False),
                "divide the gradient of the logits by N: dlogits = (softmax(logits) - onehot(y)) / N, "
                "because the loss is the mean over the batch"),
        Mistake(lambda X, y, p: _net_variant(X, y, p, db="mean"),
                "db1 and db2 are SUMS of dZ over the batch (axis 0), not means: the 1/N is already "
                "inside dlogits"),
        Mistake(lambda X, y, p: _net_variant(X, y, p, db="none"),
                "sum the bias gradients over the batch: db2 = dlogits.sum(axis=0), "
                "db1 = dZ1.sum(axis=0); each has the shape of its bias"),
        Mistake(lambda X, y, p: _net_variant(X, y, p, loss_reduce="sum"),
                "the loss is the mean over the N samples, not the sum"),
        Mistake(lambda X, y, p: _net_variant(X, y, p, sign=-1.0),
                "sign error: dlogits = (p - onehot(y)) / N, predicted minus true"),
        Mistake(lambda X, y, p: _net_variant(X, y, p, shift=False), _SHIFT),
        Mistake(lambda X, y, p: _net_variant(X, y, p, shift=False, log_of_softmax=True), _SHIFT),
    ),
    warn_hint=_SHIFT,
    part_hints=(("loss", "the loss is one number: the mean over the batch"),
                ('grads["b1"]', "db1 has the shape of b1, (H,): db1 = dZ1.sum(axis=0)"),
                ('grads["b2"]', "db2 has the shape of b2, (C,): db2 = dlogits.sum(axis=0)"),
                ('grads["W1"]', "dW1 has the shape of W1, (D, H): dW1 = X.T @ dZ1"),
                ('grads["W2"]', "dW2 has the shape of W2, (H, C): dW2 = A1.T @ dlogits")),
    error_hints=(("matmul", "check the shape of each product: dW2 (H, C) = A1.T @ dlogits; "
                            "dA1 (N, H) = dlogits @ W2.T; dW1 (D, H) = X.T @ dZ1"),
                 ("KeyError", "params has the keys 'W1', 'b1', 'W2', 'b2'")),
    mutation_hint=("do not change X, y or params: two_layer_net only computes the loss and the "
                   "gradients (the optimizer changes the weights, chapter 04); e.g. "
                   "params['W1'] -= ... writes into the caller's array"),
)

EXERCISES = {
    "dense_forward": Exercise(3, 1, DENSE_FORWARD),
    "dense_backward": Exercise(3, 2, DENSE_BACKWARD),
    "mse": Exercise(3, 3, MSE),
    "mse_grad": Exercise(3, 4, MSE_GRAD),
    "binary_cross_entropy": Exercise(3, 5, BINARY_CROSS_ENTROPY),
    "softmax_cross_entropy": Exercise(3, 6, SOFTMAX_CROSS_ENTROPY),
    "numerical_gradient": Exercise(3, 7, NUMERICAL_GRADIENT),
    "two_layer_net": Exercise(3, 8, TWO_LAYER_NET),
}

__all__ = ["EXERCISES", "PartsCheck", "GradientCheck"]
