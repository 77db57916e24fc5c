# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [03 Forward and backprop (the chapter)](../notebooks/03_backprop.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/03_backprop.ipynb](../exercises/03_backprop.ipynb)

# %% [markdown]
# # 03 · Forward and backprop: exercises
#
# Eight functions, from one dense layer to a whole network that computes its own
# gradients. Chapter 03 explains each of them; here you implement them in numpy and
# check your code.
#
# **How it works.** Each exercise states the task and the maths, then gives a code
# cell with the function's name, signature and docstring. Replace the line
# `raise NotImplementedError(...)` with your code and run the cell; then run the
# check cell below it. The check calls your function on random inputs of random
# shapes and on edge cases (a batch of one, square matrices, probabilities of exactly
# 0 and 1, logits of $10^4$), compares with `nnlib`, and prints either `passed` or the
# first case that fails: its input, the expected and your result, and a hint aimed at
# the likely mistake.
#
# **Rules for every exercise**
# - Rows are samples: `X` is `(N, D)`, a layer's `W` is `(D, H)` and `b` is `(H,)`.
# - Work on whole arrays with numpy (`@`, `np.sum(..., axis=0)`, `np.exp`, ...). The
#   only loop you need is in Exercise 3.7.
# - Do not change the input arrays (no `X[...] = ...`, no `params["W1"] -= ...`): the
#   caller still needs them.
# - No warnings: your losses must stay finite and silent for probabilities of 0 and 1
#   and for logits of $10^4$.
#
# To grade the whole notebook from a terminal, in the course folder:
# `python -m nnlib.grading exercises/03_backprop.ipynb`.

# %%
import numpy as np

from nnlib.grading import check

# %% [markdown]
# ## Exercise 3.1: a dense layer, forward
#
# $$ \text{out} = X W + b, \qquad X\ (N, D),\quad W\ (D, H),\quad b\ (H,),\quad \text{out}\ (N, H) $$
#
# Implement `dense_forward(X, W, b)`. The bias is added to every row (numpy
# broadcasts the `(H,)` vector over the `N` rows).

# %%
def dense_forward(X, W, b):
    """Fully connected layer: X @ W + b.

    Args:
        X: inputs (N, D), one sample per row.
        W: weights (D, H).
        b: biases (H,).

    Returns:
        out: (N, H).
    """
    ### BEGIN SOLUTION
    return X @ W + b
    ### END SOLUTION


# %%
check(dense_forward)

# %% [markdown]
# ## Exercise 3.2: a dense layer, backward
#
# Given `dout` $= \partial L / \partial \text{out}$, shape $(N, H)$, return the
# gradients with respect to the layer's input and parameters:
#
# $$ dX = d\text{out}\; W^{T} \quad (N, D), \qquad dW = X^{T}\, d\text{out} \quad (D, H),
#    \qquad db = \textstyle\sum_{\text{rows}} d\text{out} \quad (H,). $$
#
# Return them as a tuple `(dX, dW, db)`. Each gradient has the shape of its variable:
# if a shape comes out wrong, a transpose is missing or the sum runs over the wrong
# axis.

# %%
def dense_backward(dout, X, W):
    """Backward pass of out = X @ W + b.

    Args:
        dout: dL/dout (N, H).
        X: the layer's input from the forward pass (N, D).
        W: weights (D, H).

    Returns:
        (dX, dW, db): dL/dX (N, D), dL/dW (D, H), dL/db (H,).
    """
    ### BEGIN SOLUTION
    dX = dout @ W.T
    dW = X.T @ dout
    db = dout.sum(axis=0)
    return dX, dW, db
    ### END SOLUTION


# %%
check(dense_backward)

# %% [markdown]
# ## Exercise 3.3: mean squared error
#
# $$ L = \frac{1}{n} \sum_{i} (\hat y_i - y_i)^2 $$
#
# where the sum and $n$ run over **all** entries of `y_pred` (for a `(N, D)` array,
# $n = N \cdot D$), as in PyTorch's `MSELoss`. Return one float.

# %%
def mse(y_pred, y):
    """Mean squared error over all entries.

    Args:
        y_pred: predictions, any shape, e.g. (N, 1).
        y: targets, the same shape.

    Returns:
        float: mean((y_pred - y)^2).
    """
    ### BEGIN SOLUTION
    return float(np.mean((y_pred - y) ** 2))
    ### END SOLUTION


# %%
check(mse)

# %% [markdown]
# ## Exercise 3.4: the gradient of the MSE
#
# $$ \frac{\partial L}{\partial \hat y_i} = \frac{2}{n}\,(\hat y_i - y_i) $$
#
# The 2 comes from the square, the $1/n$ from the mean. Return an array shaped like
# `y_pred`.

# %%
def mse_grad(y_pred, y):
    """Gradient of mse(y_pred, y) with respect to y_pred.

    Args:
        y_pred: predictions, any shape.
        y: targets, the same shape.

    Returns:
        array shaped like y_pred: 2 (y_pred - y) / n, n = y_pred.size.
    """
    ### BEGIN SOLUTION
    return 2 * (y_pred - y) / y_pred.size
    ### END SOLUTION


# %%
check(mse_grad)

# %% [markdown]
# ## Exercise 3.5: binary cross-entropy
#
# For probabilities $p$ and targets $y$ in $[0, 1]$, averaged over all entries:
#
# $$ L = -\frac{1}{n} \sum_i \bigl[ y_i \ln p_i + (1 - y_i) \ln(1 - p_i) \bigr] $$
#
# A network can output $p = 0$ or $p = 1$ exactly (a saturated sigmoid), and then
# $\ln 0 = -\infty$. So first **clip** $p$ to $[10^{-12},\ 1 - 10^{-12}]$
# (`np.clip`), as `nnlib.losses.binary_cross_entropy` does.

# %%
def binary_cross_entropy(p, y):
    """Binary cross-entropy, the mean over all entries, with p clipped to [1e-12, 1 - 1e-12].

    Args:
        p: predicted probabilities in [0, 1], any shape, e.g. (N, 1).
        y: targets in [0, 1], the same shape.

    Returns:
        float.
    """
    ### BEGIN SOLUTION
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    ### END SOLUTION


# %%
check(binary_cross_entropy)

# %% [markdown]
# ## Exercise 3.6: softmax cross-entropy, loss and gradient
#
# For logits $Z$ of shape $(N, C)$ and integer labels $k_i \in \{0, \dots, C-1\}$:
#
# $$ L = -\frac{1}{N} \sum_i \ln \operatorname{softmax}(Z_i)_{k_i}, \qquad
#    \frac{\partial L}{\partial Z} = \frac{1}{N}\bigl(\operatorname{softmax}(Z) - Y\bigr) $$
#
# where $Y$ is one-hot: $Y_{i, k_i} = 1$, every other entry 0. (Chapter 03 derives
# the gradient.) Return `(loss, dlogits)`, this is PyTorch's `CrossEntropyLoss`.
#
# Make it stable: with $m_i = \max_c Z_{ic}$,
# $\ln \operatorname{softmax}(Z_i)_c = (Z_{ic} - m_i) - \ln \sum_j e^{Z_{ij} - m_i}$.
# Compute the log-probabilities like this, not as `np.log(softmax)`: for logits
# $10^4$ apart the softmax underflows to exactly 0. Useful: `np.arange(N)` and
# fancy indexing, `Z[np.arange(N), labels]` picks one entry per row.

# %%
def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of softmax(logits) and its gradient.

    Args:
        logits: raw scores (N, C).
        labels: integer class labels (N,), each in [0, C).

    Returns:
        (loss, dlogits): loss a float, dlogits = dL/dlogits (N, C).
    """
    ### BEGIN SOLUTION
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_p = shifted - log_sum                       # log-softmax, (N, C)
    rows = np.arange(n)
    loss = -log_p[rows, labels].mean()
    dlogits = np.exp(log_p)                         # softmax
    dlogits[rows, labels] -= 1
    return float(loss), dlogits / n
    ### END SOLUTION


# %%
check(softmax_cross_entropy)

# %% [markdown]
# ## Exercise 3.7: numerical gradient
#
# For a function $f$ that maps an array $x$ (any shape) to one number, estimate each
# partial derivative by the **central difference**
#
# $$ \frac{\partial f}{\partial x_i} \approx \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon} $$
#
# where $e_i$ moves entry $i$ only. Loop over every entry of `x` whatever its shape
# (`for i in np.ndindex(x.shape):` gives index tuples; `x[i]` is then one entry). You
# may change `x[i]` in place to evaluate `f`, but put back the value you saved
# before moving on: when the function returns, `x` must be exactly as it was. Use the
# `eps` you are given.

# %%
def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of a scalar function f at x.

    Args:
        f: callable, f(x) -> float, for x of the shape of ``x``.
        x: float array of any shape; unchanged when the function returns.
        eps: the step.

    Returns:
        array shaped like x: the estimated df/dx.
    """
    ### BEGIN SOLUTION
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old  # restore exactly
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
    ### END SOLUTION


# %%
check(numerical_gradient)

# %% [markdown]
# ## Exercise 3.8: a two-layer network, loss and gradients
#
# Put it together. The network is dense, ReLU, dense, with softmax cross-entropy on
# its logits:
#
# $$ Z_1 = X W_1 + b_1, \quad A_1 = \operatorname{relu}(Z_1), \quad
#    \text{logits} = A_1 W_2 + b_2, \quad L = \text{softmax\_cross\_entropy}(\text{logits}, y). $$
#
# `params` holds `"W1"` $(D, H)$, `"b1"` $(H,)$, `"W2"` $(H, C)$, `"b2"` $(C,)$; `y`
# holds integer labels $(N,)$. Return `(loss, grads)` with `grads` a dict with the same
# keys and shapes as `params`. The backward pass, from the loss down:
#
# | step | gradient |
# |---|---|
# | 1 | $d\text{logits} = (\operatorname{softmax}(\text{logits}) - Y) / N$ |
# | 2 | $dW_2 = A_1^T\, d\text{logits}$, $\quad db_2 = \sum_{\text{rows}} d\text{logits}$ |
# | 3 | $dA_1 = d\text{logits}\; W_2^T$ |
# | 4 | $dZ_1 = dA_1 \odot [Z_1 > 0]$ (the ReLU's derivative: 1 where the unit was on, else 0) |
# | 5 | $dW_1 = X^T dZ_1$, $\quad db_1 = \sum_{\text{rows}} dZ_1$ |
#
# You may use your functions from the exercises above.

# %%
def two_layer_net(X, y, params):
    """Loss and gradients of dense -> relu -> dense with softmax cross-entropy.

    Args:
        X: inputs (N, D).
        y: integer labels (N,).
        params: {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}; not changed.

    Returns:
        (loss, grads): loss a float; grads {"W1", "b1", "W2", "b2"}, each shaped like
        its parameter.
    """
    ### BEGIN SOLUTION
    Z1 = dense_forward(X, params["W1"], params["b1"])
    A1 = np.maximum(Z1, 0)
    logits = dense_forward(A1, params["W2"], params["b2"])
    loss, dlogits = softmax_cross_entropy(logits, y)
    dA1, dW2, db2 = dense_backward(dlogits, A1, params["W2"])
    dZ1 = dA1 * (Z1 > 0)
    _, dW1, db1 = dense_backward(dZ1, X, params["W1"])
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    ### END SOLUTION


# %%
check(two_layer_net)

# %% [markdown]
# Once `two_layer_net` passes, your network can learn. A few hundred steps of plain
# gradient descent, $W \leftarrow W - \eta\, dW$ with $\eta = 1$, on the XOR blobs of
# chapter 01, which no single neuron can separate:

# %%
from nnlib import data

rng = np.random.default_rng(0)
X, y = data.xor_blobs(200, rng)
params = {"W1": rng.normal(0, 1, (2, 8)), "b1": np.zeros(8),
          "W2": rng.normal(0, 1, (8, 2)), "b2": np.zeros(2)}
try:
    for step in range(301):
        loss, grads = two_layer_net(X, y, params)
        for name in params:
            params[name] = params[name] - 1.0 * grads[name]
        if step % 100 == 0:
            print(f"step {step:3d}: loss {loss:.4f}")
    hidden = np.maximum(X @ params["W1"] + params["b1"], 0)
    accuracy = np.mean((hidden @ params["W2"] + params["b2"]).argmax(axis=1) == y)
    print(f"training accuracy: {accuracy:.1%}")
except NotImplementedError as err:
    print(f"{err} first, then run this cell again.")

# %% [markdown]
# ## Summary
#
# - A dense layer is `X @ W + b`; its backward pass is `dX = dout @ W.T`,
#   `dW = X.T @ dout`, `db = dout.sum(axis=0)`. Every gradient has the shape of its
#   variable.
# - A loss that is a mean has a gradient divided by $n$: MSE's is $2(\hat y - y)/n$,
#   softmax cross-entropy's is $(P - Y)/N$.
# - Clip probabilities before taking logs; compute log-probabilities with the
#   max-shift (log-softmax), never as the log of an underflowed softmax.
# - A numerical gradient perturbs one entry at a time, in both directions, and puts
#   every entry back exactly.
# - Backpropagation through ReLU multiplies by $[Z > 0]$: units that were off pass no
#   gradient.
#
# These functions are `nnlib.layers.Dense` (`forward`, `backward`),
# `nnlib.losses.mse`, `mse.grad`, `binary_cross_entropy`, `softmax_cross_entropy`,
# `nnlib.gradcheck.numerical_gradient`, and a `Sequential` of `Dense`,
# `Activation("relu")` and `Dense`: compare your code with theirs.

# %% [markdown] tags=["nav"]
# ---
# ← [03 Forward and backprop (the chapter)](../notebooks/03_backprop.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/03_backprop.ipynb](../exercises/03_backprop.ipynb)
