"""Chapter 05: the checks of Exercises 5.5 batchnorm_forward and 5.6 batchnorm_backward.

Both compare with nnlib's BatchNorm layer in training mode. The cache is fixed,
so that 5.6 can be checked on its own (the grader calls one function at a time):

    cache = (x_hat, gamma, inv_std)      x_hat (N, D), gamma (D,), inv_std = 1 / sqrt(var + eps) (D,)
"""

import copy

import numpy as np

from nnlib.batchnorm import BatchNorm
from nnlib.grading.engine import Case, Mistake
from nnlib.grading.tuple_check import TupleCheck, close, compare_arrays, split_result


# =====================================================================================
# 5.5 batchnorm_forward, 5.6 batchnorm_backward
# =====================================================================================

# The notebook's worked example: x (4, 2), gamma, beta; and a dout for the backward pass.
WORKED = (np.array([[1.0, 4.0], [2.0, 4.5], [3.0, 5.0], [6.0, 4.0]]), np.array([1.0, 2.0]),
          np.array([0.0, -1.0]))
WORKED_DOUT = np.array([[0.5, -1.0], [1.0, 0.0], [-0.5, 2.0], [0.0, 1.0]])


def batchnorm_reference(x, gamma, beta, eps=1e-5):
    """nnlib's BatchNorm in training mode: (out, (x_hat, gamma, inv_std))."""
    layer = BatchNorm(x.shape[1], eps=eps)
    layer.params["gamma"][...], layer.params["beta"][...] = gamma, beta
    out = layer.forward(x, training=True)
    x_hat, inv_std, _ = layer.cache
    return out, (x_hat, np.array(gamma, dtype=np.float64), inv_std)


def batchnorm_backward_reference(dout, cache):
    x_hat, gamma, inv_std = cache
    layer = BatchNorm(x_hat.shape[1])
    layer.params["gamma"][...] = gamma
    layer.cache = (x_hat, inv_std, True)
    dx = layer.backward(dout)
    return dx, layer.grads["gamma"].copy(), layer.grads["beta"].copy()


def _bn_inputs(rng, n, d, loc=0.0, scale=1.0):
    x = rng.normal(loc, scale, size=(n, d)) * rng.uniform(0.5, 3.0, size=d)
    return x, rng.normal(1.0, 0.5, size=d), rng.normal(0.0, 1.0, size=d)


def batchnorm_cases(rng):
    """11 cases: random (N, D), a batch of two, one feature, a constant feature, gamma = 0,
    large means, custom eps."""
    n, d = int(rng.integers(4, 9)), int(rng.integers(2, 5))
    const = _bn_inputs(rng, n, d)
    const[0][:, 0] = 3.0
    return [
        Case("worked example", tuple(a.copy() for a in WORKED)),
        Case("random (N, D)", _bn_inputs(rng, n, d, 2.0, 3.0)),
        Case("random (N, D), more samples", _bn_inputs(rng, 4 * n, d + 1)),
        Case("a batch of two", _bn_inputs(rng, 2, d)),
        Case("one feature (N, 1)", _bn_inputs(rng, n, 1)),
        Case("a constant feature (variance 0)", const),
        Case("gamma = 0", (_bn_inputs(rng, n, d)[0], np.zeros(d), rng.normal(size=d))),
        Case("large values (mean 1e6, spread 1)", _bn_inputs(rng, n, d, 1e6, 1.0)),
        Case("tiny spread (std 1e-3): eps matters", _bn_inputs(rng, n, d, 0.0, 1e-3)),
        Case("eps = 0.1", _bn_inputs(rng, n, d), {"eps": 0.1}),
        Case("random (N, D), square", _bn_inputs(rng, d, d)),
    ]


def _bn_variant(ddof=0, eps_inside=True, axis=0, swap=False, one_pass=False, use_eps=True):
    def fn(x, gamma, beta, eps=1e-5):
        e = eps if use_eps else 0.0
        mu = x.mean(axis=axis, keepdims=True)
        var = (np.mean(x * x, axis=axis, keepdims=True) - mu ** 2) if one_pass else \
            x.var(axis=axis, ddof=ddof, keepdims=True)
        std = np.sqrt(var + e) if eps_inside else np.sqrt(var) + e
        x_hat = (x - mu) / std
        g, b = (beta, gamma) if swap else (gamma, beta)
        inv = np.broadcast_to(1.0 / std, x.shape)[0] if axis == 0 else 1.0 / std.ravel()
        return g * x_hat + b, (x_hat, gamma, inv)
    return fn


def batchnorm_judge(case, got):
    out_ref, cache_ref = batchnorm_reference(*copy.deepcopy(case.args), **case.kwargs)
    parts, problem = split_result(got, 2, "out, cache")
    if problem:
        return problem
    out, cache = parts
    wrong = compare_arrays([out], [out_ref], ["out"], ["out has the shape of x (N, D)"])
    if wrong:
        return wrong
    cache_parts, problem = split_result(cache, 3, "out, (x_hat, gamma, inv_std)")
    if problem:
        return ("cache is not (x_hat, gamma, inv_std)", [],
                "return cache = (x_hat, gamma, inv_std), three arrays in this order: "
                "batchnorm_backward reads them")
    return compare_arrays(cache_parts, cache_ref, ["cache x_hat", "cache gamma", "cache inv_std"],
                           ["x_hat has the shape of x (N, D)", "gamma is the (D,) array you were given",
                            "inv_std = 1 / np.sqrt(var + eps) has shape (D,): one per feature"])


def _agree_arrays(n):
    def agree(got, wrong):
        if not isinstance(got, (tuple, list)) or len(got) != n:
            return False
        first = close(got[0], wrong[0], 1e-6, 1e-9)
        return first if n == 2 else all(close(g, w, 1e-6, 1e-9) for g, w in zip(got, wrong))
    return agree


BATCHNORM_FORWARD = TupleCheck(
    name="batchnorm_forward", signature="batchnorm_forward(x, gamma, beta, eps=1e-5)",
    params=("x", "gamma", "beta"), reference=None, cases=batchnorm_cases, judge=batchnorm_judge,
    agree=_agree_arrays(2),
    mistakes=(
        Mistake(_bn_variant(ddof=1),
                "training mode normalises with the BIASED batch variance, mean((x - mu)**2) "
                "(np.var's default ddof=0, as PyTorch does); the unbiased N - 1 version is "
                "only used for the running estimate"),
        Mistake(_bn_variant(eps_inside=False), "eps goes INSIDE the square root: sqrt(var + eps)"),
        Mistake(_bn_variant(use_eps=False), "add eps to the variance before the square root: "
                                            "sqrt(var + eps) (it keeps a constant feature finite)"),
        Mistake(_bn_variant(axis=1),
                "the statistics are per FEATURE, over the batch: mean and var along axis=0 "
                "(along axis=1 you normalised each sample: that is layer norm)"),
        Mistake(_bn_variant(swap=True), "gamma scales and beta shifts: out = gamma * x_hat + beta"),
        Mistake(_bn_variant(one_pass=True),
                "mean(x**2) - mean(x)**2 loses all precision when the mean is large (1e6): "
                "compute var = np.mean((x - mu)**2, axis=0), or np.var(x, axis=0)"),
    ),
)


def batchnorm_backward_cases(rng):
    """10 cases built from the reference forward: random, batch of two, one feature,
    gamma = 0, dout constant per feature (dx = 0), dout = 0, large values."""
    def case(label, n, d, loc=0.0, scale=1.0, dout=None, gamma=None):
        x, g, b = _bn_inputs(rng, n, d, loc, scale)
        if gamma is not None:
            g = gamma
        _, cache = batchnorm_reference(x, g, b)
        dout = rng.normal(size=(n, d)) if dout is None else dout
        return Case(label, (dout, cache))

    n, d = int(rng.integers(4, 9)), int(rng.integers(2, 5))
    _, worked_cache = batchnorm_reference(*WORKED)
    return [
        Case("worked example", (WORKED_DOUT.copy(), worked_cache)),
        case("random (N, D)", n, d, 2.0, 3.0),
        case("random (N, D), more samples", 4 * n, d + 1),
        case("a batch of two", 2, d),
        case("one feature (N, 1)", n, 1),
        case("gamma = 0: no gradient reaches x", n, d, gamma=np.zeros(d)),
        case("dout the same for every sample: dx = 0", n, d, dout=np.tile(rng.normal(size=d), (n, 1))),
        case("dout = 0", n, d, dout=np.zeros((n, d))),
        case("large values (mean 1e6)", n, d, 1e6, 1.0),
        case("random (N, D), square", d, d),
    ]


def _bn_backward_variant(mean_term=True, var_term=True, swap=False, axis=0):
    def fn(dout, cache):
        x_hat, gamma, inv_std = cache
        n = dout.shape[0]
        dx_hat = dout * gamma
        dx = n * dx_hat
        if mean_term:
            dx = dx - dx_hat.sum(axis=0)
        if var_term:
            dx = dx - x_hat * np.sum(dx_hat * x_hat, axis=0)
        dgamma, dbeta = np.sum(dout * x_hat, axis=axis), np.sum(dout, axis=axis)
        if swap:
            dgamma, dbeta = dbeta, dgamma
        return inv_std / n * dx, dgamma, dbeta
    return fn


_NAIVE = ("dx = dout * gamma / sqrt(var + eps) treats the batch mean and variance as constants, "
          "but both are computed from x: every x_i moves mu and var, which moves every x_hat_j. "
          "dx = inv_std / N * (N * dx_hat - sum(dx_hat) - x_hat * sum(dx_hat * x_hat)) with "
          "dx_hat = dout * gamma and the sums over axis 0")
BATCHNORM_BACKWARD = TupleCheck(
    name="batchnorm_backward", signature="batchnorm_backward(dout, cache)", params=("dout", "cache"),
    reference=None, cases=batchnorm_backward_cases, agree=_agree_arrays(3),
    part_names=(("cache", ("x_hat", "gamma", "inv_std")),),
    judge=lambda case, got: _judge_bn_backward(case, got),
    mistakes=(
        Mistake(lambda dout, cache: (dout * cache[1] * cache[2],) + _bn_backward_variant()(dout, cache)[1:],
                _NAIVE),
        Mistake(_bn_backward_variant(mean_term=False),
                "the term through the batch mean is missing: subtract sum(dx_hat, axis=0)"),
        Mistake(_bn_backward_variant(var_term=False),
                "the term through the batch variance is missing: subtract "
                "x_hat * sum(dx_hat * x_hat, axis=0)"),
        Mistake(_bn_backward_variant(swap=True),
                "dgamma = sum(dout * x_hat, axis=0) and dbeta = sum(dout, axis=0): you swapped them"),
    ),
)


def _judge_bn_backward(case, got):
    expected = batchnorm_backward_reference(*copy.deepcopy(case.args))
    parts, problem = split_result(got, 3, "dx, dgamma, dbeta")
    if problem:
        return problem
    return compare_arrays(parts, expected, ["dx", "dgamma", "dbeta"],
                           ["dx has the shape of x (N, D)",
                            "dgamma has the shape of gamma (D,): sum over the batch, axis=0",
                            "dbeta has the shape of beta (D,): sum over the batch, axis=0"])
