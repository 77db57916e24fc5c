"""The chapter 03 exercise checks (nnlib.grading.ch03_backprop).

Correct implementations (several per exercise, written differently) pass with
any seed; each classic mistake is caught and named by its hint; stubs give
"not implemented"; the two-layer network's reference agrees with PyTorch.
"""

import numpy as np
import pytest

from nnlib.grading import check
from nnlib.grading.ch03_backprop import (
    EXERCISES, LinearMSE, SineSum, Square, TanhLayer, two_layer_net_reference,
)
from nnlib.grading.registry import chapter_exercises, lookup

from grading_helpers import SEEDS, check_all_pass

# --- correct implementations, written in different ways ------------------------------


def dense_forward_a(X, W, b):
    return X @ W + b


def dense_forward_b(X, W, b):
    return np.einsum("nd,dh->nh", X, W) + b[None, :]


def dense_backward_a(dout, X, W):
    return dout @ W.T, X.T @ dout, dout.sum(axis=0)


def dense_backward_b(dout, X, W):
    return [np.dot(dout, W.T), np.dot(X.T, dout), np.sum(dout, axis=0)]


def mse_a(y_pred, y):
    return float(np.mean((y_pred - y) ** 2))


def mse_b(y_pred, y):
    d = (y_pred - y).ravel()
    return d @ d / d.size


def mse_grad_a(y_pred, y):
    return 2 * (y_pred - y) / y_pred.size


def bce_a(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def bce_b(p, y):
    p = np.minimum(np.maximum(p, 1e-12), 1 - 1e-12)
    return -(np.sum(y * np.log(p)) + np.sum((1 - y) * np.log1p(-p))) / p.size


def sce_a(logits, labels):
    n = len(labels)
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    d = np.exp(log_p)
    d[np.arange(n), labels] -= 1
    return -log_p[np.arange(n), labels].mean(), d / n


def sce_b(logits, labels):
    n, c = logits.shape
    m = np.max(logits, axis=1, keepdims=True)
    e = np.exp(logits - m)
    p = e / e.sum(axis=1, keepdims=True)
    Y = np.eye(c)[labels]
    loss = np.mean(np.log(e.sum(axis=1)) - (logits - m)[np.arange(n), labels])
    return loss, (p - Y) / n


def numgrad_a(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        fp = f(x)
        x[i] = old - eps
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * eps)
    return grad


def numgrad_b(f, x, eps=1e-6):  # never touches x: perturbed copies
    flat = x.ravel()
    grad = np.empty(flat.size)
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += eps
        minus[i] -= eps
        grad[i] = (f(plus.reshape(x.shape)) - f(minus.reshape(x.shape))) / (2 * eps)
    return grad.reshape(x.shape)


def net_a(X, y, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(Z1, 0)
    logits = A1 @ params["W2"] + params["b2"]
    loss, dlogits = sce_a(logits, y)
    dZ1 = (dlogits @ params["W2"].T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0),
                  "W2": A1.T @ dlogits, "b2": dlogits.sum(axis=0)}


def net_b(X, y, params):
    from nnlib.layers import Activation, Dense
    from nnlib.losses import softmax_cross_entropy
    from nnlib.model import Sequential

    d, h = params["W1"].shape
    model = Sequential([Dense(d, h, rng=0), Activation("relu"), Dense(h, params["W2"].shape[1], rng=0)])
    model.layers[0].params["W"][...] = params["W1"]
    model.layers[0].params["b"][...] = params["b1"]
    model.layers[2].params["W"][...] = params["W2"]
    model.layers[2].params["b"][...] = params["b2"]
    out = model.forward(X)
    model.backward(softmax_cross_entropy.grad(out, y))
    g = model.grads()
    return softmax_cross_entropy(out, y), {"W1": g["0.W"], "b1": g["0.b"], "W2": g["2.W"], "b2": g["2.b"]}


CORRECT = {
    "dense_forward": [dense_forward_a, dense_forward_b],
    "dense_backward": [dense_backward_a, dense_backward_b],
    "mse": [mse_a, mse_b],
    "mse_grad": [mse_grad_a],
    "binary_cross_entropy": [bce_a, bce_b],
    "softmax_cross_entropy": [sce_a, sce_b],
    "numerical_gradient": [numgrad_a, numgrad_b],
    "two_layer_net": [net_a, net_b],
}


def test_every_chapter_03_exercise_is_registered_and_tested_here():
    assert [name for name, _ in chapter_exercises(3)] == list(EXERCISES)
    assert set(CORRECT) == set(EXERCISES)
    assert {w[0] for w in WRONG} == set(EXERCISES)
    assert [lookup(n).number for n in EXERCISES] == list(range(1, 9))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(CORRECT))
def test_correct_implementations_pass(name, seed, capsys):
    _, out = check_all_pass(name, CORRECT[name], seed, capsys)
    assert len(set(out)) == 1, "a pass prints the same text whatever the seed (nbval compares it)"


# --- the mistake catalogue -------------------------------------------------------------


def _numgrad_no_restore(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += eps
        fp = f(x)
        x[i] -= 2 * eps
        grad[i] = (fp - f(x)) / (2 * eps)
    return grad


def _numgrad_restore_by_arithmetic(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += eps
        fp = f(x)
        x[i] -= 2 * eps
        fm = f(x)
        x[i] += eps
        grad[i] = (fp - fm) / (2 * eps)
    return grad


def _numgrad_forward(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        grad[i] = (f(x) - f0) / eps
        x[i] = old
    return grad


def _numgrad_one_eps(f, x, eps=1e-6):
    return numgrad_a(f, x, 1e-6)


def _numgrad_rows(f, x, eps=1e-6):
    grad = np.zeros(len(x))
    for i in range(len(x)):
        old = x[i].copy()
        x[i] = old + eps
        fp = f(x)
        x[i] = old - eps
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * eps)
    return grad


def _numgrad_half(f, x, eps=1e-6):
    return 2 * numgrad_a(f, x, eps)


def _net(X, y, params, relu=True, divide=True, db="sum", mask="z", shift=True):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(Z1, 0)
    logits = A1 @ params["W2"] + params["b2"]
    z = logits - logits.max(axis=1, keepdims=True) if shift else logits
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    n = len(y)
    loss = -np.mean(np.log(p[np.arange(n), y]))
    dlogits = p.copy()
    dlogits[np.arange(n), y] -= 1
    if divide:
        dlogits /= n
    dA1 = dlogits @ params["W2"].T
    dZ1 = dA1 * ((Z1 > 0) if mask == "z" else (A1 >= 0)) if relu else dA1
    red = {"sum": lambda g: g.sum(axis=0), "mean": lambda g: g.mean(axis=0), "none": lambda g: g}[db]
    return loss, {"W1": X.T @ dZ1, "b1": red(dZ1), "W2": A1.T @ dlogits, "b2": red(dlogits)}


def _net_updates_params(X, y, params):
    loss, grads = net_a(X, y, params)
    params["W1"] -= 0.1 * grads["W1"]
    return loss, grads


def _sce_no_shift(logits, labels):
    n = len(labels)
    e = np.exp(logits)
    p = e / e.sum(axis=1, keepdims=True)
    y = np.eye(logits.shape[1])[labels]
    return -np.mean(np.log(p[np.arange(n), labels])), (p - y) / n


def _sce_log_of_softmax(logits, labels):
    n = len(labels)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    y = np.eye(logits.shape[1])[labels]
    return -np.mean(np.log(p[np.arange(n), labels])), (p - y) / n


# (exercise, what, wrong implementation, words the feedback must contain)
WRONG = [
    ("dense_forward", "no bias", lambda X, W, b: X @ W, "forgot the bias"),
    ("dense_forward", "W transposed", lambda X, W, b: X @ W.T + b, "X @ W"),
    ("dense_forward", "bias down the columns", lambda X, W, b: X @ W + b[:, None], "b[:, None]"),
    ("dense_forward", "transposed output", lambda X, W, b: (X @ W + b).T, "rows are samples"),
    ("dense_backward", "db not summed over the batch",
     lambda d, X, W: (d @ W.T, X.T @ d, d), "summed over the batch"),
    ("dense_backward", "db averaged", lambda d, X, W: (d @ W.T, X.T @ d, d.mean(axis=0)), "not the mean"),
    ("dense_backward", "db summed over the units", lambda d, X, W: (d @ W.T, X.T @ d, d.sum(axis=1)),
     "axis 0"),
    ("dense_backward", "dX missing the transpose of W",
     lambda d, X, W: (d @ W, X.T @ d, d.sum(axis=0)), "transpose of W"),
    ("dense_backward", "dW transposed", lambda d, X, W: (d @ W.T, d.T @ X, d.sum(axis=0)),
     "dW has the shape of W"),
    ("dense_backward", "dW divided by N", lambda d, X, W: (d @ W.T, X.T @ d / len(X), d.sum(axis=0)),
     "no 1/N in dW"),
    ("dense_backward", "wrong order", lambda d, X, W: (X.T @ d, d @ W.T, d.sum(axis=0)),
     "in the order (dX, dW, db)"),
    ("dense_backward", "two values", lambda d, X, W: (d @ W.T, X.T @ d), "return 3 values"),
    ("mse", "sum", lambda p, y: np.sum((p - y) ** 2), "SUM of squared errors"),
    ("mse", "divided by the rows", lambda p, y: np.sum((p - y) ** 2) / len(p), "y_pred.size"),
    ("mse", "absolute error", lambda p, y: np.mean(np.abs(p - y)), "square the errors"),
    ("mse", "root", lambda p, y: np.sqrt(np.mean((p - y) ** 2)), "RMSE"),
    ("mse", "a half", lambda p, y: 0.5 * np.mean((p - y) ** 2), "no factor 1/2"),
    ("mse", "per column", lambda p, y: np.mean((p - y) ** 2, axis=0), "ALL entries"),
    ("mse_grad", "factor 2 missing", lambda p, y: (p - y) / p.size, "factor 2 is missing"),
    ("mse_grad", "1/n missing", lambda p, y: 2 * (p - y), "the 1/n is missing"),
    ("mse_grad", "both missing", lambda p, y: p - y, "both the factor 2 and the 1/n"),
    ("mse_grad", "divided by the rows", lambda p, y: 2 * (p - y) / len(p), "y_pred.size"),
    ("mse_grad", "sign", lambda p, y: 2 * (y - p) / p.size, "sign error"),
    ("binary_cross_entropy", "no clipping",
     lambda p, y: -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), "np.clip(p, 1e-12, 1 - 1e-12)"),
    ("binary_cross_entropy", "Keras's epsilon",
     lambda p, y: bce_a(np.clip(p, 1e-7, 1 - 1e-7), y), "1e-7"),
    ("binary_cross_entropy", "positive sign", lambda p, y: -bce_a(p, y), "sign error"),
    ("binary_cross_entropy", "sum",
     lambda p, y: bce_a(p, y) * np.size(p), "not the sum"),
    ("binary_cross_entropy", "one term only",
     lambda p, y: float(-np.mean(y * np.log(np.clip(p, 1e-12, 1 - 1e-12)))), "both terms"),
    ("binary_cross_entropy", "log10",
     lambda p, y: bce_a(p, y) / np.log(10), "np.log10"),
    ("softmax_cross_entropy", "gradient not divided by N",
     lambda z, k: (sce_a(z, k)[0], sce_a(z, k)[1] * len(k)), "divide the gradient by N"),
    ("softmax_cross_entropy", "no max-shift", _sce_no_shift, "maximum"),
    ("softmax_cross_entropy", "log of an underflowed softmax", _sce_log_of_softmax, "log-softmax"),
    ("softmax_cross_entropy", "gradient sign", lambda z, k: (sce_a(z, k)[0], -sce_a(z, k)[1]),
     "predicted minus true"),
    ("softmax_cross_entropy", "summed loss", lambda z, k: (sce_a(z, k)[0] * len(k), sce_a(z, k)[1]),
     "not the sum"),
    ("numerical_gradient", "leaves x perturbed", _numgrad_no_restore, "put x back"),
    ("numerical_gradient", "forward difference", _numgrad_forward, "central difference"),
    ("numerical_gradient", "ignores eps", _numgrad_one_eps, "use the eps you are given"),
    ("numerical_gradient", "rows, not entries", _numgrad_rows, "ONE entry at a time"),
    ("numerical_gradient", "every entry at once",
     lambda f, x, eps=1e-6: np.full_like(x, (f(x + eps) - f(x - eps)) / (2 * eps)), "ONE entry at a time"),
    ("numerical_gradient", "flattens x", lambda f, x, eps=1e-6: numgrad_a(f, x.ravel(), eps).reshape(x.shape),
     "shaped like x"),
    ("numerical_gradient", "divides by eps", _numgrad_half, "divide by 2 eps"),
    ("two_layer_net", "skips the ReLU derivative", lambda X, y, p: _net(X, y, p, relu=False),
     "skips the ReLU"),
    ("two_layer_net", "ReLU mask from A1 >= 0", lambda X, y, p: _net(X, y, p, mask="a"),
     "A1 >= 0"),
    ("two_layer_net", "cross-entropy gradient not divided by N",
     lambda X, y, p: _net(X, y, p, divide=False), "by N"),
    ("two_layer_net", "db not summed", lambda X, y, p: _net(X, y, p, db="none"),
     "sum the bias gradients over the batch"),
    ("two_layer_net", "db averaged", lambda X, y, p: _net(X, y, p, db="mean"), "not means"),
    ("two_layer_net", "no max-shift", lambda X, y, p: _net(X, y, p, shift=False), "maximum"),
    ("two_layer_net", "updates params in place", _net_updates_params, "do not change X, y or params"),
    ("two_layer_net", "grads as a list", lambda X, y, p: (net_a(X, y, p)[0], list(net_a(X, y, p)[1].values())),
     "dict"),
]


@pytest.mark.parametrize("seed", [0, 3])
@pytest.mark.parametrize("name, what, wrong, words", WRONG, ids=[f"{w[0]}: {w[1]}" for w in WRONG])
def test_classic_mistakes_are_caught_with_their_hint(name, what, wrong, words, seed, capsys):
    result = check(name, wrong, seed=seed)
    assert not result.passed and result.status == "failed", result.message
    assert words in result.message, result.message
    assert "case " in result.message and "hint:" in result.message


def test_restoring_x_by_arithmetic_is_accepted(capsys):
    # (x + eps) - 2 eps + eps can differ from x in the last digit: close enough.
    assert check("numerical_gradient", _numgrad_restore_by_arithmetic, seed=0).passed


def test_numerical_gradient_gets_its_arguments_by_keyword(capsys):
    # The grader's worker sends positional arguments back; a function object cannot be
    # read back, so f and x go by keyword (and the probe f checks x instead).
    seen = []

    def spy(f, x, eps=1e-6):
        seen.append(type(f).__name__)
        return numgrad_a(f, x, eps)

    assert check("numerical_gradient", spy, seed=1).passed
    assert "Square" in seen and "LinearMSE" in seen


@pytest.mark.parametrize("name", list(EXERCISES))
def test_stubs_are_not_implemented(name, capsys):
    number = lookup(name).number

    def stub(*args, **kwargs):
        raise NotImplementedError(f"Exercise 3.{number}: implement {name}")

    result = check(name, stub, seed=0)
    assert result.status == "not implemented" and result.points == 0


def test_failure_shows_inputs_expected_got_and_which_part(capsys):
    result = check("dense_backward", lambda d, X, W: (d @ W.T, X.T @ d, d.mean(axis=0)), seed=5)
    text = result.message
    assert 'case 1 of 8 "worked example' in text
    assert "dout" in text and "expected db" in text and "got db" in text
    assert "first difference in db" in text and "check(dense_backward, seed=5)" in text


def test_two_layer_net_shows_params_as_shapes(capsys):
    result = check("two_layer_net", lambda X, y, p: _net(X, y, p, relu=False), seed=0)
    assert "params   = {W1 (2, 3), b1 (3,), W2 (3, 2), b2 (2,)}" in result.message


def test_the_test_functions_of_numerical_gradient_are_picklable_and_leave_x_alone():
    import pickle

    rng = np.random.default_rng(0)
    xs = [rng.normal(size=3), rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2, 4, 3))]
    fs = [Square(xs[0]), SineSum(xs[1], 3), LinearMSE(xs[2], rng.normal(size=(4, 2)), rng.normal(size=(4, 3))),
          TanhLayer(xs[3], rng.normal(size=(3, 2)))]
    for f, x in zip(fs, xs):
        before = x.copy()
        value = pickle.loads(pickle.dumps(f))(x)
        assert isinstance(value, float) and np.array_equal(x, before)
        assert repr(f).startswith("f(")
        moved = x.copy()
        moved.flat[0] += 1e-6
        f(moved)  # one entry moved: fine
        moved.flat[1] += 1e-6
        with pytest.raises(ValueError, match="not put back"):
            f(moved)


def test_two_layer_net_reference_matches_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch parity needs torch (pip install torch)")
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(7, 3)), rng.integers(0, 4, size=7)
    params = {"W1": rng.normal(size=(3, 5)), "b1": rng.normal(size=5),
              "W2": rng.normal(size=(5, 4)), "b2": rng.normal(size=4)}
    loss, grads = two_layer_net_reference(X, y, params)
    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    logits = torch.relu(torch.tensor(X) @ t["W1"] + t["b1"]) @ t["W2"] + t["b2"]
    ref = torch.nn.functional.cross_entropy(logits, torch.tensor(y))
    ref.backward()
    assert loss == pytest.approx(ref.item(), rel=1e-12)
    for k in params:
        np.testing.assert_allclose(grads[k], t[k].grad.numpy(), rtol=1e-10, atol=1e-14)
