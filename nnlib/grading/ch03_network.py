"""Chapter 03 (forward and backprop): the check of Exercise 3.8 two_layer_net.

    3.8 two_layer_net(X, y, params)            -> (loss, grads)       PartsCheck

The reference is nnlib's Sequential([Dense, Activation("relu"), Dense]) with
``softmax_cross_entropy``; the mistakes include a backward pass that skips the
ReLU derivative, gradients not divided by N and bias gradients not summed.
"""

import numpy as np

from nnlib import losses
from nnlib.grading.ch03_checks import PartsCheck, sizes
from nnlib.grading.ch03_losses import _SHIFT, _sce
from nnlib.grading.engine import Case, Mistake
from nnlib.layers import Activation, Dense
from nnlib.model import Sequential

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
    n, d, h = sizes(rng, 2, 7)
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
