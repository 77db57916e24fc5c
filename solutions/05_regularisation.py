# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [05 Regularisation (the chapter)](../notebooks/05_regularisation.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/05_regularisation.ipynb](../exercises/05_regularisation.ipynb)

# %% [markdown]
# # 05 · Regularisation: exercises
#
# Six functions: the two weight penalties, dropout forward and backward, and batch
# normalisation forward and backward. Chapter 05 explains each of them; here you
# implement them in numpy and check your code.
#
# **How it works.** Each exercise states the task and the maths, then gives a code
# cell with the function's name, signature and docstring. Replace the line
# `raise NotImplementedError(...)` with your code and run the cell; then run the
# check cell below it. The check calls your function on random inputs of random
# shapes and on edge cases (exact zeros, a batch of one or two, a constant feature,
# large values), compares with `nnlib` (`nnlib.regularizers`, `nnlib.layers.Dropout`,
# `nnlib.layers.BatchNorm`), and prints either `passed` or the first case that fails:
# its input, the expected and your result, and a hint aimed at the likely mistake.
#
# **Rules for every exercise**
# - Rows are samples: `x` is `(N, D)` (dropout also takes any other shape).
# - These functions return **several values**, as a tuple: `return out, mask`.
# - Work on whole arrays with numpy (`np.sum(..., axis=0)`, `np.sign`, `np.var`, ...); no
#   Python loops over samples.
# - Do not change the input arrays (no `w *= ...`, no `x[...] = ...`): the caller still
#   needs them.
# - Randomness comes only from the `rng` you are given (`rng.random(shape)`), never from
#   `np.random`, so that the same generator gives the same result.
#
# To grade the whole notebook from a terminal, in the course folder:
# `python -m nnlib.grading exercises/05_regularisation.ipynb`.

# %%
import numpy as np

from nnlib.grading import check

# %% [markdown]
# ## Exercise 5.1: the L2 penalty and its gradient
#
# $$ R(W) = \lambda \sum_{\text{arrays } W_k} \; \sum_{j} w_{kj}^2, \qquad
#    \frac{\partial R}{\partial w_{kj}} = 2 \lambda\, w_{kj} $$
#
# Implement `l2_penalty(weights, lam)`. `weights` is a **list** of weight arrays (one per
# layer, any shapes); return `(value, grads)`: `value` is one number, the penalty summed
# over every entry of every array, and `grads` is a list with one gradient array per
# weight array, in the same order and of the same shapes. This course has no $\frac12$
# in front of the sum, so mind the factor 2 in the gradient.
#
# Worked example: `weights = [np.array([[1., -2.], [0., 3.]]), np.array([0.5, -0.5])]`,
# `lam = 0.1` gives `value = 0.1 * (1 + 4 + 0 + 9 + 0.25 + 0.25) = 1.45` and
# `grads = [[[0.2, -0.4], [0., 0.6]], [0.1, -0.1]]`.

# %%
def l2_penalty(weights, lam):
    """L2 penalty lam * sum(w**2) over all arrays, and its gradient.

    Args:
        weights: list of arrays, e.g. [W1 (D, H), W2 (H, C)].
        lam: the strength lambda >= 0 (a float).

    Returns:
        (value, grads): value a float; grads a list of arrays shaped like weights,
        grads[k] = 2 * lam * weights[k].
    """
    ### BEGIN SOLUTION
    value = lam * sum(float(np.sum(w * w)) for w in weights)
    grads = [2.0 * lam * w for w in weights]
    return value, grads
    ### END SOLUTION


# %%
check(l2_penalty)

# %% [markdown]
# ## Exercise 5.2: the L1 penalty and its gradient
#
# $$ R(W) = \lambda \sum_{k} \sum_{j} |w_{kj}|, \qquad
#    \frac{\partial R}{\partial w_{kj}} = \lambda\, \mathrm{sign}(w_{kj}) $$
#
# Implement `l1_penalty(weights, lam)`, with the same inputs and outputs as
# `l2_penalty`. $|w|$ has no derivative at $w = 0$; take the gradient there to be 0, as
# PyTorch does. `np.sign` gives exactly that (`np.sign(0.0) == 0.0`); `w / np.abs(w)`
# would give `nan`.
#
# Worked example: the weights above with `lam = 0.1` give
# `value = 0.1 * (1 + 2 + 0 + 3 + 0.5 + 0.5) = 0.7` and
# `grads = [[[0.1, -0.1], [0., 0.1]], [0.1, -0.1]]`.

# %%
def l1_penalty(weights, lam):
    """L1 penalty lam * sum(|w|) over all arrays, and its (sub)gradient.

    Args:
        weights: list of arrays, e.g. [W1 (D, H), W2 (H, C)].
        lam: the strength lambda >= 0 (a float).

    Returns:
        (value, grads): value a float; grads a list of arrays shaped like weights,
        grads[k] = lam * sign(weights[k]) (0 where the weight is 0).
    """
    ### BEGIN SOLUTION
    value = lam * sum(float(np.sum(np.abs(w))) for w in weights)
    grads = [lam * np.sign(w) for w in weights]
    return value, grads
    ### END SOLUTION


# %%
check(l1_penalty)

# %% [markdown]
# ## Exercise 5.3: dropout, forward
#
# With drop probability $p$ (the probability of **dropping** a unit), training mode draws
# for every entry of `x` an independent keep decision with probability $1 - p$ and
# scales the kept entries by $\frac{1}{1-p}$ (inverted dropout):
#
# $$ \text{mask} = \frac{[\,u \ge p\,]}{1 - p}, \quad u \sim U[0, 1)
#    \text{ drawn with } \texttt{rng.random(x.shape)}, \qquad \text{out} = x \cdot \text{mask} . $$
#
# So every `mask` entry is 0 (dropped) or $\frac{1}{1-p}$ (kept), and
# $\mathbb{E}[\text{out}] = x$. In **evaluation mode** (`training=False`) dropout does
# nothing: return `(x, None)`.
#
# Implement `dropout_forward(x, p, rng, training=True)` for $0 \le p < 1$; return
# `(out, mask)`. The check calls your function twice with the same generator state and
# expects the same mask both times, and on large inputs it checks that about a fraction
# $p$ is dropped.

# %%
def dropout_forward(x, p, rng, training=True):
    """Inverted dropout: zero each entry with probability p, scale the rest by 1 / (1 - p).

    Args:
        x: array of any shape, e.g. (N, D).
        p: drop probability, 0 <= p < 1.
        rng: numpy Generator; the only source of randomness.
        training: False for evaluation mode (then out is x).

    Returns:
        (out, mask): out shaped like x; mask shaped like x with entries 0 or 1 / (1 - p)
        (None in evaluation mode); out = x * mask.
    """
    ### BEGIN SOLUTION
    if not training:
        return x, None
    mask = (rng.random(x.shape) >= p) / (1.0 - p)
    return x * mask, mask
    ### END SOLUTION


# %%
check(dropout_forward)

# %% [markdown]
# ## Exercise 5.4: dropout, backward
#
# $\text{out} = x \cdot \text{mask}$, elementwise, so
# $\frac{\partial L}{\partial x} = \frac{\partial L}{\partial \text{out}} \cdot \text{mask}$:
# dropped units pass no gradient, kept ones pass it scaled by $\frac{1}{1-p}$ (the mask
# already holds the scaling).
#
# Implement `dropout_backward(dout, mask)`, with `mask` as returned by your
# `dropout_forward` in training mode.

# %%
def dropout_backward(dout, mask):
    """Gradient of dropout: dx = dout * mask.

    Args:
        dout: dL/d(out), shaped like x, e.g. (N, D).
        mask: the training-mode mask from dropout_forward (0 or 1 / (1 - p)).

    Returns:
        dx: dL/dx, shaped like dout.
    """
    ### BEGIN SOLUTION
    return dout * mask
    ### END SOLUTION


# %%
check(dropout_backward)

# %% [markdown]
# ## Exercise 5.5: batch normalisation, forward (training mode)
#
# For `x` of shape $(N, D)$, per feature (column) $d$, over the batch (axis 0):
#
# $$ \mu = \frac1N \sum_n x_n, \qquad \sigma^2 = \frac1N \sum_n (x_n - \mu)^2, \qquad
#    \hat x = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}, \qquad
#    \text{out} = \gamma\, \hat x + \beta . $$
#
# The variance is the **biased** one (divide by $N$, `np.var`'s default), as in PyTorch's
# training mode. Implement `batchnorm_forward(x, gamma, beta, eps=1e-5)` and return
# `(out, cache)` with the cache in this exact form, which Exercise 5.6 reads:
#
# `cache = (x_hat, gamma, inv_std)`, with `x_hat` $(N, D)$ and
# `inv_std = 1 / np.sqrt(var + eps)` $(D,)$.
#
# Worked example: `x = [[1, 4], [2, 4.5], [3, 5], [6, 4]]`, `gamma = [1, 2]`,
# `beta = [0, -1]`: $\mu = (3, 4.375)$, $\sigma^2 = (3.5, 0.171875)$, and the first row
# of `out` is about `[-1.069, -2.809]`.

# %%
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    """Batch normalisation in training mode, with the batch's own statistics.

    Args:
        x: (N, D) inputs. gamma, beta: (D,) scale and shift. eps: added to the variance.

    Returns:
        (out, cache): out (N, D) = gamma * x_hat + beta;
        cache = (x_hat (N, D), gamma (D,), inv_std (D,)) with inv_std = 1 / sqrt(var + eps).
    """
    ### BEGIN SOLUTION
    mu = x.mean(axis=0)
    var = x.var(axis=0)  # biased: divide by N
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)
    ### END SOLUTION


# %%
check(batchnorm_forward)

# %% [markdown]
# ## Exercise 5.6: batch normalisation, backward
#
# Every $x_n$ enters $\mu$ and $\sigma^2$, and through them every $\hat x_m$ of the batch, so
# the gradient has three parts: the direct path, the path through the mean, and the path
# through the variance. With $\frac{\partial L}{\partial \hat x} = \gamma \cdot \text{dout}$
# (call it `dx_hat`) and all sums over the batch (axis 0):
#
# $$ \frac{\partial L}{\partial x} = \frac{\texttt{inv\_std}}{N}
#    \Big( N\, \texttt{dx\_hat} - \sum_n \texttt{dx\_hat}_n
#    - \hat x \sum_n \texttt{dx\_hat}_n\, \hat x_n \Big), \qquad
#    \frac{\partial L}{\partial \gamma} = \sum_n \text{dout}_n\, \hat x_n, \qquad
#    \frac{\partial L}{\partial \beta} = \sum_n \text{dout}_n . $$
#
# Implement `batchnorm_backward(dout, cache)` with the cache of Exercise 5.5; return
# `(dx, dgamma, dbeta)`. (To derive the first formula: write $\partial \mu / \partial x_n = 1/N$
# and $\partial \sigma^2 / \partial x_n = 2 (x_n - \mu)/N$, and collect the terms. A check
# on your result: when `dout` is the same for every sample, `dx` is 0, because shifting
# all of $x$ changes nothing after normalisation.)

# %%
def batchnorm_backward(dout, cache):
    """Gradients of training-mode batch normalisation.

    Args:
        dout: (N, D), dL/d(out).
        cache: (x_hat (N, D), gamma (D,), inv_std (D,)) from batchnorm_forward.

    Returns:
        (dx (N, D), dgamma (D,), dbeta (D,)).
    """
    ### BEGIN SOLUTION
    x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    dx_hat = dout * gamma
    dx = inv_std / n * (n * dx_hat - dx_hat.sum(axis=0) - x_hat * np.sum(dx_hat * x_hat, axis=0))
    return dx, np.sum(dout * x_hat, axis=0), dout.sum(axis=0)
    ### END SOLUTION


# %%
check(batchnorm_backward)

# %% [markdown]
# ## Summary
#
# - Penalties act on the weights only; L2's gradient is $2\lambda w$, L1's is
#   $\lambda\,\mathrm{sign}(w)$ with 0 at $w = 0$.
# - Dropout: `p` drops; the mask carries the $\frac{1}{1-p}$ so that backward is simply
#   `dout * mask`; in evaluation mode nothing happens.
# - Batch norm normalises with the biased batch variance; its backward must follow the
#   batch mean and variance back to every input.
#
# These functions are `nnlib.regularizers.L2` / `L1` (value and `grad`),
# `nnlib.layers.Dropout` and `nnlib.layers.BatchNorm`: compare your code with theirs.

# %% [markdown] tags=["nav"]
# ---
# ← [05 Regularisation (the chapter)](../notebooks/05_regularisation.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/05_regularisation.ipynb](../exercises/05_regularisation.ipynb)
