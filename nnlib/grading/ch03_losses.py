"""Chapter 03 (forward and backprop): the checks of the loss Exercises 3.3 to 3.6.

    3.3 mse(y_pred, y)                         -> float               FunctionCheck
    3.4 mse_grad(y_pred, y)                    -> like y_pred         FunctionCheck
    3.5 binary_cross_entropy(p, y)             -> float               FunctionCheck
    3.6 softmax_cross_entropy(logits, labels)  -> (loss, dlogits)     PartsCheck

The references are ``nnlib.losses``; the cases include probabilities of exactly
0 and 1 and logits of 1e4, and the mistakes MSE's factor 2 or 1/n, a missing
clip, a cross-entropy gradient not divided by N, log(softmax) instead of log-softmax.
"""

import numpy as np

from nnlib import losses
from nnlib.grading.ch03_checks import PartsCheck, sizes
from nnlib.grading.engine import Case, FunctionCheck, Mistake

# =====================================================================================
# 3.3 mse, 3.4 mse_grad
# =====================================================================================


def regression_cases(rng):
    """10 (y_pred, y) pairs: 1-D, (N, 1), (N, D), a batch of one, equal arrays, large values."""
    n, d = sizes(rng, 2, 7, 2)

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
    n, d = sizes(rng, 2, 7, 2)

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
    n, c = sizes(rng, 2, 7, 2)

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
