# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [06 Vanishing and exploding gradients (the chapter)](../notebooks/06_gradients.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/06_gradients.ipynb](../exercises/06_gradients.ipynb)

# %% [markdown]
# # 06 · Vanishing and exploding gradients: exercises
#
# Five functions behind chapter 06's remedies: two initialisers, gradient clipping by
# global norm, and the forward and backward pass of a residual layer. Chapter 06
# explains each of them; here you implement them and check your code.
#
# **How it works.** Each exercise states the task and the maths, then gives a code
# cell with the function's name, signature and docstring. Replace the line
# `raise NotImplementedError(...)` with your code and run the cell; then run the
# check cell below it. It prints either `passed` or the first case that fails, with
# its input, what was expected, what you returned, and a hint aimed at the likely
# mistake.
#
# **Rules for every exercise**
# - Work on whole arrays with numpy: no Python loops over entries.
# - Do not change the arrays you are given (no `g *= ...`, no `x[...] = ...`): the
#   caller still needs them.
# - Random numbers come only from the `rng` argument (a `numpy.random.Generator`),
#   never from `np.random.*` directly: the same `rng` state must give the same weights.
#
# To grade the whole notebook from a terminal, in the course folder:
# `python -m nnlib.grading exercises/06_gradients.ipynb`.

# %%
import numpy as np

from nnlib.grading import check

# %% [markdown]
# ## Exercise 6.1: Glorot (Xavier) uniform initialisation
#
# A dense layer computes $z = a W$ with $W$ of shape $(n_\text{in}, n_\text{out})$:
# `fan_in` inputs, `fan_out` outputs. To keep the variance of the activations (forward)
# and of the gradients (backward) about the same in every layer, Glorot and Bengio draw
#
# $$ \operatorname{Var}(W) = \frac{2}{n_\text{in} + n_\text{out}} . $$
#
# The uniform distribution $U(-l, l)$ has variance $l^2 / 3$, so the limit is
#
# $$ W_{ij} \sim U(-l, l), \qquad l = \sqrt{\frac{6}{n_\text{in} + n_\text{out}}} . $$
#
# Implement `glorot_uniform(fan_in, fan_out, rng)`, returning an array of shape
# `(fan_in, fan_out)`. Use `rng.uniform(low, high, size=...)`. The check draws up to
# 30,000 weights and compares their range, mean and variance with the theory.

# %%
def glorot_uniform(fan_in, fan_out, rng):
    """Glorot-uniform weights: W ~ U(-l, l), l = sqrt(6 / (fan_in + fan_out)).

    Args:
        fan_in, fan_out: D_in and D_out of the layer (positive ints).
        rng: a numpy Generator (np.random.default_rng(seed)).

    Returns:
        W: float array of shape (fan_in, fan_out).
    """
    ### BEGIN SOLUTION
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))
    ### END SOLUTION


# %%
check(glorot_uniform)

# %% [markdown]
# ## Exercise 6.2: He (Kaiming) normal initialisation
#
# ReLU sets the negative half of its inputs to 0, which halves the second moment of
# the signal at every layer. He et al. double the variance to make up for it:
#
# $$ W_{ij} \sim \mathcal N\!\left(0, \frac{2}{n_\text{in}}\right) . $$
#
# Only `fan_in` appears: the forward pass sums over the $n_\text{in}$ inputs of each
# unit. Implement `he_normal(fan_in, fan_out, rng)`. Careful: `rng.normal(loc, scale,
# size)` takes the **standard deviation** as `scale`, not the variance.

# %%
def he_normal(fan_in, fan_out, rng):
    """He-normal weights: W ~ N(0, 2 / fan_in), i.e. standard deviation sqrt(2 / fan_in).

    Args:
        fan_in, fan_out: D_in and D_out of the layer (positive ints).
        rng: a numpy Generator.

    Returns:
        W: float array of shape (fan_in, fan_out).
    """
    ### BEGIN SOLUTION
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
    ### END SOLUTION


# %%
check(he_normal)

# %% [markdown]
# ## Exercise 6.3: clipping by global norm
#
# `grads` is a dict of gradient arrays, one per parameter, e.g.
# `{"0.W": (D, H), "0.b": (H,), "2.W": (H, C), "2.b": (C,)}`. Their **global norm** treats
# all of them as one long vector:
#
# $$ \lVert g \rVert = \sqrt{\sum_{p} \sum_{\text{entries of } g_p} g_p^2} . $$
#
# If $\lVert g \rVert > c$ (`max_norm`), every array is scaled by the same factor
# $c / \lVert g \rVert$, so the whole gradient keeps its direction and gets length $c$;
# otherwise the gradients are returned unchanged.
#
# Implement `clip_by_global_norm(grads, max_norm)`. Return a **new** dict with the same
# keys; do not modify the arrays in `grads`. (Worked example: `W = [[2, 4], [4, 0]]` and
# `b = [8, 0]` have norms 6 and 8, so the global norm is $\sqrt{36 + 64} = 10$; with
# `max_norm = 5` both are halved: `[[1, 2], [2, 0]]` and `[4, 0]`.)

# %%
def clip_by_global_norm(grads, max_norm):
    """Scale all gradients together so that their global L2 norm is at most max_norm.

        total = sqrt(sum over arrays g of sum(g**2))
        if total > max_norm: every g becomes g * max_norm / total

    Args:
        grads: dict name -> array (any shapes).
        max_norm: the threshold c >= 0 (a float).

    Returns:
        a new dict with the same keys and arrays of the same shapes.
    """
    ### BEGIN SOLUTION
    total = np.sqrt(sum(np.sum(np.square(g)) for g in grads.values()))
    scale = max_norm / total if total > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}
    ### END SOLUTION


# %%
check(clip_by_global_norm)

# %% [markdown]
# ## Exercise 6.4: a residual layer, forward
#
# A residual layer adds its input to what its block computes. Here the block is one
# dense layer with a ReLU:
#
# $$ z = x W + b, \qquad y = x + \mathrm{relu}(z) , $$
#
# with $x, z, y$ of shape $(N, D)$, $W$ of shape $(D, D)$ (the block must keep the
# shape, or $x + \dots$ would not fit) and $b$ of shape $(D,)$.
#
# Implement `residual_forward(x, W, b)` returning `(y, cache)` with
# **`cache = (x, W, z)`**, exactly these three arrays in this order: the check of
# Exercise 6.5 hands such a cache to your backward function.

# %%
def residual_forward(x, W, b):
    """Residual layer y = x + relu(x @ W + b).

    Args:
        x: (N, D) input. W: (D, D) weights. b: (D,) bias.

    Returns:
        y: (N, D) output.
        cache: the tuple (x, W, z) with z = x @ W + b (N, D), the pre-activation.
    """
    ### BEGIN SOLUTION
    z = x @ W + b
    y = x + np.maximum(z, 0.0)
    return y, (x, W, z)
    ### END SOLUTION


# %%
check(residual_forward)

# %% [markdown]
# ## Exercise 6.5: a residual layer, backward
#
# Given $dy = \partial L / \partial y$ of shape $(N, D)$ and the cache $(x, W, z)$, the
# chain rule through $y = x + \mathrm{relu}(z)$, $z = xW + b$ gives
#
# $$ dz = dy \odot \mathbb 1[z > 0], \qquad dW = x^\top dz, \qquad
#    db = \sum_{n} dz_n, \qquad dx = dy + dz\, W^\top . $$
#
# The first term of $dx$ is the **identity path**: $\partial y / \partial x = I +
# \partial\, \mathrm{relu}(z) / \partial x$, so the gradient reaches $x$ unchanged,
# whatever the block does. That is why deep residual networks train. As in chapter 02,
# $\mathrm{relu}'(0)$ is taken as 0.
#
# Implement `residual_backward(dy, cache)` returning `(dx, dW, db)`.

# %%
def residual_backward(dy, cache):
    """Backward pass of y = x + relu(x @ W + b).

    Args:
        dy: (N, D) gradient of the loss with respect to y.
        cache: (x, W, z) from residual_forward: x (N, D), W (D, D), z (N, D).

    Returns:
        dx: (N, D), dW: (D, D), db: (D,), the gradients with respect to x, W and b.
    """
    ### BEGIN SOLUTION
    x, W, z = cache
    dz = dy * (z > 0)
    return dy + dz @ W.T, x.T @ dz, dz.sum(axis=0)
    ### END SOLUTION


# %%
check(residual_backward)

# %% [markdown]
# ## Summary
#
# - Initialisers set a variance, not just "small random numbers": Glorot
#   $2 / (n_\text{in} + n_\text{out})$, He $2 / n_\text{in}$; a uniform $U(-l, l)$ reaches
#   variance $v$ with $l = \sqrt{3 v}$; numpy's `normal` wants the standard deviation.
# - Clipping by **global** norm scales every array by one factor and keeps the
#   direction; per-tensor or per-value clipping changes it.
# - The residual backward pass is the block's backward **plus** the incoming gradient:
#   $dx = dy + \dots$
#
# These are `nnlib.init.glorot_uniform`, `nnlib.init.he_normal`,
# `nnlib.optim.clip_grad_norm` (in place, like PyTorch) and `nnlib.layers.Residual`:
# compare your code with theirs.

# %% [markdown] tags=["nav"]
# ---
# ← [06 Vanishing and exploding gradients (the chapter)](../notebooks/06_gradients.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/06_gradients.ipynb](../exercises/06_gradients.ipynb)
