"""MLP training step and fit(): nnlib vs hand-written numpy vs PyTorch, and vs a per-sample loop."""

import numpy as np

from benchmarks.common import interleaved, row
from nnlib.layers import Activation, Dense
from nnlib.losses import softmax_cross_entropy
from nnlib.model import Sequential
from nnlib.optim import SGD
from nnlib.train import fit

SIZES = (784, 256, 128, 10)
BATCH = 128


def nnlib_step(dtype):
    rng = np.random.default_rng(0)
    model = Sequential([Dense(784, 256, init="he_normal", rng=rng, dtype=dtype), Activation("relu"),
                        Dense(256, 128, init="he_normal", rng=rng, dtype=dtype), Activation("relu"),
                        Dense(128, 10, rng=rng, dtype=dtype)])
    X = rng.standard_normal((BATCH, 784)).astype(dtype)
    y = rng.integers(0, 10, BATCH)
    opt, params, grads = SGD(lr=0.01), model.params(), model.grads()

    def step():
        out = model.forward(X, training=True)
        softmax_cross_entropy(out, y)
        model.backward(softmax_cross_entropy.grad(out, y), input_grad=False)  # as fit does
        opt.step(params, grads)
    return step


def numpy_step(dtype):
    """The same step written by hand, as a learner would after chapter 03."""
    rng = np.random.default_rng(0)
    Ws = [(rng.standard_normal((a, b)) * np.sqrt(2 / a)).astype(dtype) for a, b in zip(SIZES, SIZES[1:])]
    bs = [np.zeros(b, dtype=dtype) for b in SIZES[1:]]
    X = rng.standard_normal((BATCH, 784)).astype(dtype)
    y = rng.integers(0, 10, BATCH)

    def step():
        Z1 = X @ Ws[0] + bs[0]; A1 = np.maximum(Z1, 0)
        Z2 = A1 @ Ws[1] + bs[1]; A2 = np.maximum(Z2, 0)
        Z3 = A2 @ Ws[2] + bs[2]
        Z = Z3 - Z3.max(axis=1, keepdims=True)
        logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
        -logp[np.arange(BATCH), y].mean()
        dZ3 = np.exp(logp); dZ3[np.arange(BATCH), y] -= 1; dZ3 /= BATCH
        dW3, db3 = A2.T @ dZ3, dZ3.sum(0)
        dZ2 = (dZ3 @ Ws[2].T) * (Z2 > 0)
        dW2, db2 = A1.T @ dZ2, dZ2.sum(0)
        dZ1 = (dZ2 @ Ws[1].T) * (Z1 > 0)
        dW1, db1 = X.T @ dZ1, dZ1.sum(0)
        for p, g in zip(Ws + bs, (dW1, dW2, dW3, db1, db2, db3)):
            p -= 0.01 * g
    return step


def torch_step(dtype):
    import torch

    # Both libraries use their default thread count (the machine's cores).
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                                torch.nn.ReLU(), torch.nn.Linear(128, 10)).to(tdtype)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    X = torch.randn(BATCH, 784, dtype=tdtype)
    y = torch.randint(0, 10, (BATCH,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(X), y).backward()
        opt.step()
    return step


def run():
    print("MLP training step 784-256-128-10, batch 128, ReLU, softmax cross-entropy, SGD")
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False
    for dtype in (np.float64, np.float32):
        funcs = {"nnlib": nnlib_step(dtype), "numpy": numpy_step(dtype)}
        if have_torch:
            funcs["torch"] = torch_step(dtype)
        t = interleaved(funcs, repeats=30)
        name = np.dtype(dtype).name
        row(f"{name}: nnlib step", f"{t['nnlib'] * 1e3:.2f} ms")
        ratio = t["nnlib"] / t["numpy"]
        row(f"{name}: nnlib / hand-written numpy", f"{ratio:.2f}x", "<= 1.1x", ratio <= 1.1)
        if have_torch:
            ratio_t = t["nnlib"] / t["torch"]
            target = "<= 1.0x" if dtype == np.float64 else None
            row(f"{name}: nnlib / PyTorch CPU", f"{ratio_t:.2f}x", target,
                ratio_t <= 1.0 if dtype == np.float64 else None)
        else:
            row(f"{name}: nnlib / PyTorch CPU", "skipped (torch not installed)")


def per_sample_fit(X, y, W1, b1, W2, b2, lr):
    """One epoch of the same network trained one sample at a time (a Python loop over samples)."""
    for i in range(len(X)):
        x, t = X[i], y[i]
        z1 = x @ W1 + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2 + b2
        p = np.exp(z2 - z2.max())
        p /= p.sum()
        p[t] -= 1
        dz1 = (W2 @ p) * (z1 > 0)
        W2 -= lr * np.outer(a1, p)
        b2 -= lr * p
        W1 -= lr * np.outer(x, dz1)
        b1 -= lr * dz1


def run_fit():
    import time

    print("fit() vs a per-sample Python loop: 10,000 samples of 64 features, 64-128-10 MLP, 1 epoch")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((10_000, 64))
    y = (X @ rng.standard_normal((64, 10))).argmax(axis=1)  # labels from a random linear teacher
    model = Sequential([Dense(64, 128, init="he_normal", rng=rng), Activation("relu"), Dense(128, 10, rng=rng)])
    W1, b1 = model.params()["0.W"].copy(), np.zeros(128)
    W2, b2 = model.params()["2.W"].copy(), np.zeros(10)
    timings = {}
    for batch in (32, 128):
        t = time.perf_counter()
        fit(model, "softmax_cross_entropy", SGD(lr=0.05), X, y, epochs=1, batch_size=batch, rng=rng,
            progress=False)
        timings[batch] = time.perf_counter() - t
    t = time.perf_counter()
    per_sample_fit(X, y, W1, b1, W2, b2, 0.05)
    t_loop = time.perf_counter() - t
    row("per-sample loop, 1 epoch", f"{t_loop * 1e3:.0f} ms")
    for batch, t_fit in timings.items():
        row(f"fit, batch {batch}, 1 epoch", f"{t_fit * 1e3:.0f} ms")
        row(f"speed-up of fit at batch {batch}", f"{t_loop / t_fit:.0f}x", ">= 50x", t_loop / t_fit >= 50)
