"""Chapter 06: the checks of Exercises 6.4 residual_forward and 6.5 residual_backward.

    y = x + relu(z),   z = x @ W + b          x, y, z (N, D), W (D, D), b (D,)
    cache = (x, W, z)

Backward, with dy = dL/dy (N, D) and dz = dy * (z > 0) (relu'(0) taken as 0):

    dW = x^T @ dz       db = sum over N of dz       dx = dy + dz @ W^T

The "dy +" is the identity path, the reason residual networks train. The cache
is fixed so that 6.5 can be checked on its own (the grader calls one function
at a time). Both compare with values computed here in float64 with nnlib's
relu, and with ``nnlib.residual.Residual`` in tests.
"""

import copy

import numpy as np

from nnlib.grading.engine import Case, Mistake
from nnlib.grading.tuple_check import TupleCheck, close, compare_arrays, split_result

# The exercise notebook's worked example: x (2, 2), W (2, 2), b (2,), and dy.
WORKED = (np.array([[1.0, -2.0], [0.5, 1.0]]), np.array([[1.0, 0.5], [-1.0, 2.0]]), np.array([0.25, -1.0]))
WORKED_DY = np.array([[1.0, -1.0], [0.5, 2.0]])


def residual_forward_reference(x, W, b):
    z = x @ W + b
    return x + np.maximum(z, 0.0), (x, W, z)


def residual_backward_reference(dy, cache):
    x, W, z = cache
    dz = dy * (z > 0)
    return dy + dz @ W.T, x.T @ dz, dz.sum(axis=0)


def _inputs(rng, n, d, bias=0.0):
    return (rng.normal(size=(n, d)), rng.normal(0.0, 1.0 / np.sqrt(d), size=(d, d)) * 1.5,
            rng.normal(size=d) + bias)


def forward_cases(rng):
    """10 cases: the worked example, random (N, D), a batch of one, D = 1, every unit off
    (y = x), every unit on, x = 0, large values."""
    n, d = int(rng.integers(3, 7)), int(rng.integers(2, 5))
    x, W, b = _inputs(rng, n, d)
    return [
        Case("worked example", tuple(a.copy() for a in WORKED)),
        Case("random (N, D)", _inputs(rng, n, d)),
        Case("random (N, D), more samples", _inputs(rng, 3 * n, d + 1)),
        Case("a batch of one (1, D)", _inputs(rng, 1, d)),
        Case("one feature (N, 1)", _inputs(rng, n, 1)),
        Case("every relu off (b = -100): y = x", _inputs(rng, n, d, bias=-100.0)),
        Case("every relu on (b = +100)", _inputs(rng, n, d, bias=100.0)),
        Case("x = 0: y = relu(b)", (np.zeros((n, d)), W, b)),
        Case("large values (x ~ 1e4)", (1e4 * x, W, b)),
        Case("random (N, D), square N = D", _inputs(rng, d, d)),
    ]


def _forward_variant(skip=True, relu_after=False, transpose=False, bias=True, relu=True, cache_a=False):
    def fn(x, W, b):
        z = x @ (W.T if transpose else W) + (b if bias else 0.0)
        a = np.maximum(z, 0.0) if relu else z
        y = np.maximum(x + z, 0.0) if relu_after else (x + a if skip else a)
        return y, (x, W, np.maximum(z, 0.0) if cache_a else z)
    return fn


def forward_judge(case, got):
    y_ref, cache_ref = residual_forward_reference(*copy.deepcopy(case.args))
    parts, problem = split_result(got, 2, "y, cache")
    if problem:
        return problem
    y, cache = parts
    wrong = compare_arrays([y], [y_ref], ["y"], ["y has the shape of x (N, D)"])
    if wrong:
        return wrong
    cache_parts, problem = split_result(cache, 3, "y, (x, W, z)")
    if problem:
        return ("cache is not (x, W, z)", [],
                "return cache = (x, W, z), three arrays in this order: residual_backward reads them")
    return compare_arrays(cache_parts, cache_ref, ["cache x", "cache W", "cache z"],
                          ["x is the input you were given", "W is the (D, D) array you were given",
                           "z = x @ W + b has the shape of x (N, D)"])


def _agree(n):
    def agree(got, wrong):
        if not isinstance(got, (tuple, list)) or len(got) != n:
            return False
        if n == 2:  # (y, cache): y and the cache's z
            g_cache, w_cache = got[1], wrong[1]
            same_cache = (isinstance(g_cache, (tuple, list)) and len(g_cache) == 3
                          and close(g_cache[2], w_cache[2], 1e-6, 1e-9))
            return close(got[0], wrong[0], 1e-6, 1e-9) and same_cache
        return all(close(g, w, 1e-6, 1e-9) for g, w in zip(got, wrong))
    return agree


RESIDUAL_FORWARD = TupleCheck(
    name="residual_forward", signature="residual_forward(x, W, b)", params=("x", "W", "b"),
    reference=None, cases=forward_cases, judge=forward_judge, agree=_agree(2),
    mistakes=(
        Mistake(_forward_variant(skip=False),
                "the skip connection is missing: y = x + relu(x @ W + b), you returned relu(x @ W + b)"),
        Mistake(_forward_variant(relu_after=True),
                "the relu acts on the block only, before the addition: y = x + relu(z), not relu(x + z)"),
        Mistake(_forward_variant(relu=False), "apply the relu: y = x + np.maximum(z, 0)"),
        Mistake(_forward_variant(transpose=True),
                "compute x @ W (rows of x are samples, W is (D_in, D_out)), not x @ W.T"),
        Mistake(_forward_variant(bias=False), "add the bias: z = x @ W + b"),
        Mistake(_forward_variant(cache_a=True),
                "cache the PRE-activation z = x @ W + b, not relu(z): cache = (x, W, z)"),
    ),
)


def backward_cases(rng):
    """10 cases from the reference forward: the worked example, random, a batch of one,
    D = 1, z exactly 0 at some entries, every unit off (dx = dy), every unit on, dy = 0."""
    def case(label, n, d, bias=0.0, dy=None, zero_some=False):
        x, W, b = _inputs(rng, n, d, bias)
        z = x @ W + b
        if zero_some:
            z.flat[::2] = 0.0
        dy = rng.normal(size=(n, d)) if dy is None else dy
        return Case(label, (dy, (x, W, z)))

    n, d = int(rng.integers(3, 7)), int(rng.integers(2, 5))
    return [
        Case("worked example", (WORKED_DY.copy(), residual_forward_reference(*WORKED)[1])),
        case("random (N, D)", n, d),
        case("random (N, D), more samples", 3 * n, d + 1),
        case("a batch of one (1, D)", 1, d),
        case("one feature (N, 1)", n, 1),
        case("z exactly 0 at some entries: relu'(0) = 0", n, d, zero_some=True),
        case("every relu off: dx = dy, dW = 0, db = 0", n, d, bias=-100.0),
        case("every relu on", n, d, bias=100.0),
        case("dy = 0", n, d, dy=np.zeros((n, d))),
        case("random (N, D), square N = D", d, d),
    ]


def _backward_variant(identity=True, mask=True, mask_identity=False, w_t=True, dw_t=False,
                      dw_mask=True, db="sum", ge=False):
    def fn(dy, cache):
        x, W, z = cache
        m = (z >= 0) if ge else (z > 0)
        dz = dy * m if mask else dy
        dx = dz @ (W.T if w_t else W)
        if identity:
            dx = dx + (dy * m if mask_identity else dy)
        dW = (dz.T @ x) if dw_t else x.T @ (dz if dw_mask else dy)
        db_ = {"sum": dz.sum(axis=0), "mean": dz.mean(axis=0), "dy": dy.sum(axis=0)}[db]
        return dx, dW, db_
    return fn


def backward_judge(case, got):
    expected = residual_backward_reference(*copy.deepcopy(case.args))
    parts, problem = split_result(got, 3, "dx, dW, db")
    if problem:
        return problem
    return compare_arrays(parts, expected, ["dx", "dW", "db"],
                          ["dx has the shape of x (N, D)", "dW has the shape of W (D, D): x.T @ dz",
                           "db has the shape of b (D,): sum dz over the batch, axis=0"])


RESIDUAL_BACKWARD = TupleCheck(
    name="residual_backward", signature="residual_backward(dy, cache)", params=("dy", "cache"),
    reference=None, cases=backward_cases, judge=backward_judge, agree=_agree(3),
    part_names=(("cache", ("x", "W", "z")),),
    mistakes=(
        Mistake(_backward_variant(identity=False),
                "the identity path is missing: y = x + F(x), so dx = dy + dz @ W.T. The 'dy +' "
                "is the gradient flowing straight through the skip connection"),
        Mistake(_backward_variant(mask_identity=True),
                "the identity path does not go through the relu: dx = dy + dz @ W.T with the plain "
                "dy, the mask (z > 0) only in dz = dy * (z > 0)"),
        Mistake(_backward_variant(mask=False),
                "the relu's derivative is missing: dz = dy * (z > 0), then dW, db and dx from dz"),
        Mistake(_backward_variant(ge=True),
                "relu'(0) is taken as 0 here (as in PyTorch): use z > 0, not z >= 0"),
        Mistake(_backward_variant(w_t=False), "dx = dy + dz @ W.T: the transpose of W, not W"),
        Mistake(_backward_variant(dw_t=True), "dW = x.T @ dz (D_in, D_out); dz.T @ x is its transpose"),
        Mistake(_backward_variant(dw_mask=False), "dW = x.T @ dz with dz = dy * (z > 0), not x.T @ dy"),
        Mistake(_backward_variant(db="mean"),
                "db is the SUM of dz over the batch (axis=0), not the mean: dy already carries "
                "the loss's 1/N"),
        Mistake(_backward_variant(db="dy"), "db = dz.sum(axis=0) with dz = dy * (z > 0), not dy.sum(axis=0)"),
    ),
)

__all__ = ["RESIDUAL_FORWARD", "RESIDUAL_BACKWARD", "residual_forward_reference",
           "residual_backward_reference", "WORKED", "WORKED_DY"]
