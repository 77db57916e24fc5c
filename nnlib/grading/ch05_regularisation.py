"""Chapter 05 (regularisation): the checks of Exercises 5.1 to 5.6.

    5.1 l2_penalty(weights, lam)                  -> (value, grads)         vs nnlib.regularizers.L2
    5.2 l1_penalty(weights, lam)                  -> (value, grads)         vs nnlib.regularizers.L1
    5.3 dropout_forward(x, p, rng, training=True) -> (out, mask)            properties (see below)
    5.4 dropout_backward(dout, mask)              -> dx                     vs dout * mask
    5.5 batchnorm_forward(x, gamma, beta, eps)    -> (out, cache)           in ch05_batchnorm.py
    5.6 batchnorm_backward(dout, cache)           -> (dx, dgamma, dbeta)    in ch05_batchnorm.py

Most return several values, so they use ``TupleCheck`` (tuple_check.py): the
same verdicts as a FunctionCheck, with a judge for the whole returned value and
a mistake catalogue matched against the mistaken implementation's result.

Dropout is random and a learner may draw the mask in any correct way, so 5.3 is
judged by properties instead of equality: mask entries are 0 or 1 / (1 - p),
out = x * mask, the dropped fraction is p within 5 standard deviations on large
inputs, the same rng state gives the same mask (each case is called twice), and
out = x in evaluation mode. The rng is passed as the keyword ``rng=``: the
grader's worker sends back only the positional arguments, and a Generator is
not plain data.
"""

import copy

import numpy as np

from nnlib.grading.ch05_batchnorm import BATCHNORM_BACKWARD, BATCHNORM_FORWARD
from nnlib.grading.engine import Case, Exercise, FunctionCheck, Mistake, _field
from nnlib.regularizers import L1, L2
from nnlib.grading.tuple_check import (
    RTOL, ATOL, TupleCheck, close, compare_arrays, numbers, show_value, split_result,
)


# =====================================================================================
# 5.1 l2_penalty, 5.2 l1_penalty
# =====================================================================================

def _as_dict(weights):
    return {f"W{i}": np.asarray(w, dtype=np.float64) for i, w in enumerate(weights)}


def penalty_reference(penalty_class):
    def reference(weights, lam):
        penalty = penalty_class(lam)
        grads = penalty.grad(_as_dict(weights))
        return penalty(_as_dict(weights)), [grads[f"W{i}"] for i in range(len(weights))]
    return reference


def penalty_cases(rng):
    """12 cases: the worked example, random lists of 1-3 arrays (1-D, 2-D, 3-D), exact zeros,
    lam = 0, one number, an empty list, large weights."""
    def arrays(k):
        shapes = [tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(1, 4)))) for _ in range(k)]
        return [rng.normal(0.0, 2.0, size=s) for s in shapes]

    with_zeros = rng.normal(size=(3, 4))
    with_zeros[rng.random((3, 4)) < 0.4] = 0.0
    with_zeros[0, 0] = 0.0
    lam = lambda: float(np.round(rng.uniform(0.01, 1.0), 3))  # noqa: E731
    return [
        Case("worked example", ([np.array([[1.0, -2.0], [0.0, 3.0]]), np.array([0.5, -0.5])], 0.1)),
        Case("one random (D_in, D_out) array", (arrays(1), lam())),
        Case("two random arrays", (arrays(2), lam())),
        Case("three random arrays of different ranks", (arrays(3), lam())),
        Case("weights with exact zeros", ([with_zeros, rng.normal(size=5)], lam())),
        Case("lam = 0 (no penalty)", (arrays(2), 0.0)),
        Case("a (1, 1) weight", ([np.array([[-float(np.round(rng.uniform(0.5, 3), 3))]])], lam())),
        Case("a 0-D array (one number)", ([np.array(float(np.round(rng.normal(), 3)))], lam())),
        Case("no weights (an empty list)", ([], 0.5)),
        Case("large weights", ([1e3 * rng.normal(size=(2, 3))], lam())),
        Case("lam = 10", (arrays(2), 10.0)),
        Case("random arrays, small lam", (arrays(2), 1e-4)),
    ]


def penalty_judge(reference):
    def judge(case, got):
        value_ref, grads_ref = reference(*copy.deepcopy(case.args))
        parts, problem = split_result(got, 2, "value, grads")
        if problem:
            return problem
        value, grads = parts
        v = numbers(value)
        if v is None or v.shape != ():
            return ("value is not one number", show_value("value got", value),
                    "value is ONE number: the penalty summed over every entry of every array "
                    "(np.sum of each array, then add them up)")
        if not isinstance(grads, (list, tuple)):
            return (f"grads is a {type(grads).__name__}, not a list", [],
                    "grads is a list with one array per weight array, in the same order")
        if len(grads) != len(grads_ref):
            return (f"grads has {len(grads)} arrays, expected {len(grads_ref)}", [],
                    "one gradient array per weight array: [grad of weights[0], grad of weights[1], ...]")
        if not np.isclose(float(v), value_ref, rtol=RTOL, atol=ATOL):
            return "wrong value", _field("value expected", value_ref) + _field("value got", v), ""
        return compare_arrays(grads, grads_ref, [f"grads[{i}]" for i in range(len(grads))],
                               ["each gradient has the shape of its weight array"] * len(grads))
    return judge


def _agree_penalty(got, wrong):
    parts, problem = split_result(got, 2, "")
    if problem or not isinstance(parts[1], (list, tuple)) or len(parts[1]) != len(wrong[1]):
        return False
    value_ok = close(parts[0], wrong[0], 1e-6, 1e-9)
    grads_ok = all(close(g, w, 1e-6, 1e-9) for g, w in zip(parts[1], wrong[1]))
    return value_ok and grads_ok


def _pen(value_fn, grad_fn):
    """A mistaken penalty built from per-array value and gradient rules."""
    def fn(weights, lam):
        return (float(sum(value_fn(np.asarray(w, float), lam) for w in weights)),
                [grad_fn(np.asarray(w, float), lam) for w in weights])
    return fn


_L2_SUM = "sum over every entry of every array (np.sum), not the mean"
L2_PENALTY = TupleCheck(
    name="l2_penalty", signature="l2_penalty(weights, lam)", params=("weights", "lam"),
    reference=None, cases=penalty_cases, judge=penalty_judge(penalty_reference(L2)), agree=_agree_penalty,
    mistakes=(
        Mistake(_pen(lambda w, lam: lam * np.sum(w * w), lambda w, lam: lam * w),
                "the gradient misses the factor 2: d/dw (lam * w**2) = 2 * lam * w"),
        Mistake(_pen(lambda w, lam: 0.5 * lam * np.sum(w * w), lambda w, lam: lam * w),
                "this course defines R = lam * sum(w**2), without the 1/2 (Keras's convention; "
                "some books use lam/2). Then the gradient is 2 * lam * w"),
        Mistake(_pen(lambda w, lam: lam * np.sum(w * w), lambda w, lam: 2 * w),
                "the gradient 2 * lam * w includes lam"),
        Mistake(_pen(lambda w, lam: lam * np.mean(w * w), lambda w, lam: 2 * lam * w / w.size), _L2_SUM),
        Mistake(_pen(lambda w, lam: lam * np.mean(w * w), lambda w, lam: 2 * lam * w), _L2_SUM),
        Mistake(_pen(lambda w, lam: lam * np.sqrt(np.sum(w * w)), lambda w, lam: 2 * lam * w),
                "R is the sum of the SQUARES, lam * sum(w**2), not the norm sqrt(sum(w**2))"),
        Mistake(_pen(lambda w, lam: lam * np.sum(np.abs(w)), lambda w, lam: lam * np.sign(w)),
                "that is the L1 penalty (|w|); L2 uses w**2, with gradient 2 * lam * w"),
        Mistake(_pen(lambda w, lam: lam * np.sum(w) ** 2, lambda w, lam: 2 * lam * w),
                "square each weight, then sum: np.sum(w**2), not np.sum(w)**2"),
    ),
)

L1_PENALTY = TupleCheck(
    name="l1_penalty", signature="l1_penalty(weights, lam)", params=("weights", "lam"),
    reference=None, cases=penalty_cases, judge=penalty_judge(penalty_reference(L1)), agree=_agree_penalty,
    mistakes=(
        Mistake(_pen(lambda w, lam: lam * np.sum(np.abs(w)), lambda w, lam: lam * np.ones_like(w)),
                "the derivative of |w| is sign(w): +1 for w > 0, -1 for w < 0 (and 0 at w = 0); "
                "use lam * np.sign(w)"),
        Mistake(_pen(lambda w, lam: lam * np.sum(np.abs(w)), lambda w, lam: lam * (w >= 0) - lam * (w < 0)),
                "at w = 0 the gradient is taken as 0 (np.sign(0) = 0, as in PyTorch); "
                "use lam * np.sign(w)"),
        Mistake(_pen(lambda w, lam: lam * np.sum(np.abs(w)), lambda w, lam: lam * w / np.abs(w)),
                "w / |w| is 0 / 0 = nan at w = 0: use np.sign(w), which is 0 there"),
        Mistake(_pen(lambda w, lam: lam * np.sum(w), lambda w, lam: lam * np.sign(w)),
                "R = lam * sum(|w|): take the absolute value before summing"),
        Mistake(_pen(lambda w, lam: lam * np.sum(w), lambda w, lam: lam * np.ones_like(w)),
                "R = lam * sum(|w|) (absolute values) and its gradient is lam * np.sign(w)"),
        Mistake(_pen(lambda w, lam: lam * np.sum(np.abs(w)), lambda w, lam: 2 * lam * w),
                "2 * lam * w is the gradient of L2; the gradient of lam * |w| is lam * sign(w)"),
        Mistake(_pen(lambda w, lam: lam * np.mean(np.abs(w)), lambda w, lam: lam * np.sign(w) / w.size),
                "sum over every entry of every array (np.sum), not the mean"),
        Mistake(_pen(lambda w, lam: lam * np.sum(w * w), lambda w, lam: 2 * lam * w),
                "that is the L2 penalty (w**2); L1 uses |w|, with gradient lam * sign(w)"),
    ),
)


# =====================================================================================
# 5.3 dropout_forward, 5.4 dropout_backward
# =====================================================================================

def dropout_cases(rng):
    """11 cases: training on small and large inputs (p from 0 to 0.8), evaluation mode, p = 0."""
    def x(shape):
        return rng.normal(0.0, 2.0, size=shape)

    def gen():
        return np.random.default_rng(int(rng.integers(2**31)))

    n, d = int(rng.integers(3, 7)), int(rng.integers(3, 7))
    return [
        Case("worked example: ones, p = 0.5", (np.ones((4, 5)), 0.5), {"rng": gen(), "training": True}),
        Case("random (N, D), p = 0.2", (x((n, d)), 0.2), {"rng": gen(), "training": True}),
        Case("large (200, 100), p = 0.2: about 20% dropped?", (x((200, 100)), 0.2),
             {"rng": gen(), "training": True}),
        Case("large (100, 150), p = 0.75: about 75% dropped?", (x((100, 150)), 0.75),
             {"rng": gen(), "training": True}),
        Case("random (N, T, D), p = 0.3", (x((n, 3, d)), 0.3), {"rng": gen(), "training": True}),
        Case("a batch of one (1, D), p = 0.4", (x((1, d + 2)), 0.4), {"rng": gen(), "training": True}),
        Case("p = 0 keeps everything", (x((n, d)), 0.0), {"rng": gen(), "training": True}),
        Case("evaluation mode, p = 0.5", (x((n, d)), 0.5), {"rng": gen(), "training": False}),
        Case("evaluation mode, large (100, 100), p = 0.8", (x((100, 100)), 0.8),
             {"rng": gen(), "training": False}),
        Case("training is True by default, p = 0.6", (x((150, 100)), 0.6), {"rng": gen()}),
        Case("large (300, 100), p = 0.5", (x((300, 100)), 0.5), {"rng": gen(), "training": True}),
    ]


_NO_SCALE = ("no 1/(1 - p) scaling: inverted dropout scales the units it keeps by 1 / (1 - p), "
             "so that the expected output equals x and nothing changes at test time. "
             "mask = (rng.random(x.shape) >= p) / (1 - p)")
_KEEP = ("p is the probability of DROPPING a unit: keep an entry with probability 1 - p "
         "(e.g. rng.random(x.shape) >= p) and scale by 1 / (1 - p); you used p as the keep probability")
_EVAL = ("in evaluation mode (training=False) dropout does nothing: return x itself. The "
         "1 / (1 - p) scaling while training already makes the expected output equal x")


def _dropout_training(case, out, mask):
    x, p = case.args
    scale = 1.0 / (1.0 - p)
    values = np.unique(mask)
    if p > 0 and np.all(np.isin(values, [0.0, 1.0])) and not np.allclose(values, 1.0):
        if close(out, x * mask * scale):
            return ("mask holds 0 and 1", show_value("mask", mask),
                    "return the SCALED mask, 0 or 1 / (1 - p), with out = x * mask: then backward "
                    "is simply dout * mask")
        return "the kept units are not scaled", show_value("mask", mask), _NO_SCALE
    if p > 0 and np.all(np.isclose(values[:, None], [0.0, 1.0 / p]).any(axis=1)) and not np.isclose(p, 0.5):
        return "kept units are scaled by 1/p", show_value("mask", mask), _KEEP
    if not np.all(np.isclose(values[:, None], [0.0, scale]).any(axis=1)):
        return ("mask entries are not 0 and 1/(1 - p)", show_value("mask", mask),
                f"every mask entry is 0 (dropped) or 1 / (1 - p) = {scale:.4g} (kept)")
    if not close(out, x * mask):
        return ("out is not x * mask", _field("x * mask", x * mask) + _field("out got", out),
                "out = x * mask: the same mask you return")
    dropped = float(np.mean(mask == 0))
    if x.size >= 5000:
        sigma = np.sqrt(p * (1 - p) / x.size)
        if abs(dropped - p) > 5 * sigma + 1e-12:
            detail = [f"dropped fraction {dropped:.3f}, expected p = {p} (give or take {5 * sigma:.3f})"]
            if abs(dropped - (1 - p)) <= 5 * sigma + 1e-12:
                return "the dropped fraction is 1 - p", detail, _KEEP
            return ("the dropped fraction is not p", detail,
                    "drop each entry independently with probability p: keep = rng.random(x.shape) >= p")
    return None


def dropout_judge(case, got):
    parts, problem = split_result(got, 2, "out, mask")
    if problem:
        return problem
    out, mask = parts
    x, p = case.args
    training = case.kwargs.get("training", True)
    arr = numbers(out)
    if arr is None or arr.shape != x.shape:
        shape = None if arr is None else arr.shape
        return (f"out has shape {shape}, expected {x.shape}", [], "out has the shape of x")
    if not training:
        if close(arr, x):
            return None
        if close(arr, x * (1 - p)):
            return ("out = x * (1 - p)", [], "that is the old (non-inverted) test-time rule. " + _EVAL)
        return "out is not x", _field("expected", x) + _field("got", arr), _EVAL
    m = numbers(mask)
    if m is None or m.shape != x.shape:
        return ("mask is not an array shaped like x", show_value("mask got", mask),
                "return the mask you multiplied x by: an array shaped like x")
    return _dropout_training(case, arr, m)


DROPOUT_FORWARD = TupleCheck(
    name="dropout_forward", signature="dropout_forward(x, p, rng, training=True)", params=("x", "p"),
    reference=None, cases=dropout_cases, judge=dropout_judge, repeat=True,
)


def dropout_backward_cases(rng):
    """10 cases: masks of the forward rule for several p and shapes, all kept, all dropped."""
    def pair(shape, p):
        keep = rng.random(shape) >= p
        mask = keep / (1.0 - p) if p < 1 else np.zeros(shape)
        return rng.normal(size=shape), mask

    n, d = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    return [
        Case("worked example: p = 0.5", pair((3, 4), 0.5)),
        Case("random (N, D), p = 0.2", pair((n, d), 0.2)),
        Case("random (N, D), p = 0.8", pair((n, d + 1), 0.8)),
        Case("random (N, T, D), p = 0.3", pair((n, 2, d), 0.3)),
        Case("a batch of one (1, D), p = 0.4", pair((1, d), 0.4)),
        Case("p = 0: the mask is all ones", pair((n, d), 0.0)),
        Case("everything dropped (mask of zeros)", (rng.normal(size=(2, 3)), np.zeros((2, 3)))),
        Case("large (50, 40), p = 0.6", pair((50, 40), 0.6)),
        Case("dout of zeros", (np.zeros((n, d)), pair((n, d), 0.5)[1])),
        Case("random (N, D), p = 0.1", pair((n + 1, d), 0.1)),
    ]


DROPOUT_BACKWARD = FunctionCheck(
    name="dropout_backward", signature="dropout_backward(dout, mask)", params=("dout", "mask"),
    reference=lambda dout, mask: dout * mask, cases=dropout_backward_cases,
    mistakes=(
        Mistake(lambda dout, mask: dout * (mask > 0),
                "the mask already holds 1 / (1 - p) for the kept units: dx = dout * mask, the "
                "same scaling as the forward pass"),
        Mistake(lambda dout, mask: dout,
                "units dropped in the forward pass had no effect on the loss, so they get no "
                "gradient: dx = dout * mask"),
        Mistake(lambda dout, mask: dout * mask * mask,
                "multiply by the mask once: out = x * mask, so dx = dout * mask"),
    ),
    shape_hint="dx has the shape of dout (and of x)",
)


EXERCISES = {
    "l2_penalty": Exercise(5, 1, L2_PENALTY),
    "l1_penalty": Exercise(5, 2, L1_PENALTY),
    "dropout_forward": Exercise(5, 3, DROPOUT_FORWARD),
    "dropout_backward": Exercise(5, 4, DROPOUT_BACKWARD),
    "batchnorm_forward": Exercise(5, 5, BATCHNORM_FORWARD),
    "batchnorm_backward": Exercise(5, 6, BATCHNORM_BACKWARD),
}
