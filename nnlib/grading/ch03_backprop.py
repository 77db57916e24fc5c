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

Exercises 3.2, 3.6 and 3.8 return several arrays, so they use ``PartsCheck``
(ch03_checks.py): it judges each part (``dW``, ``grads["b1"]``...) like a
FunctionCheck judges its one array, and says which part is wrong.

This module holds 3.1 and 3.2 and the chapter's ``EXERCISES``; the losses 3.3 to
3.6 are in ch03_losses.py, the numerical gradient 3.7 in ch03_gradcheck.py and
the two-layer network 3.8 in ch03_network.py.
"""

import numpy as np

from nnlib.grading.ch03_checks import PartsCheck, sizes
from nnlib.grading.ch03_gradcheck import (  # noqa: F401  (public here too, as before the split)
    NUMERICAL_GRADIENT, GradientCheck, LinearMSE, LogSumExp, Probe, SineSum, Square, TanhLayer,
    numerical_gradient_reference,
)
from nnlib.grading.ch03_losses import (  # noqa: F401
    BINARY_CROSS_ENTROPY, MSE, MSE_GRAD, SOFTMAX_CROSS_ENTROPY, softmax_cross_entropy_reference,
)
from nnlib.grading.ch03_network import TWO_LAYER_NET, two_layer_net_reference  # noqa: F401
from nnlib.grading.engine import Case, Exercise, FunctionCheck, Mistake
from nnlib.layers import Dense

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


def dense_forward_cases(rng):
    n, d, h = sizes(rng)
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
    n, d, h = sizes(rng)
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
