# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [02 Activations (the chapter)](../notebooks/02_activations.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/02_activations.ipynb](../exercises/02_activations.ipynb)

# %% [markdown]
# # 02 · Activations: exercises
#
# Seven functions that every neural network library has, written by you in numpy.
# Chapter 02 explains each of them; here you implement them and check your code.
#
# **How it works.** Each exercise states the task and the maths, then gives a code
# cell with the function's name, signature and docstring. Replace the line
# `raise NotImplementedError(...)` with your code and run the cell; then run the
# check cell below it. The check calls your function on random inputs of random
# shapes and on edge cases (a single number, zeros, a batch of one, values of
# $\pm 1000$ and $\pm 10^4$), compares with `nnlib`, and prints either
# `passed` or the first case that fails: its input, the expected and your result,
# and a hint aimed at the likely mistake.
#
# **Rules for every exercise**
# - `z` is a numpy array of any shape: a single number (0-D), a vector `(D,)`,
#   a batch `(N, D)` or a sequence batch `(N, T, D)`. Return an array of the same shape.
# - Work on whole arrays with numpy (`np.exp`, `np.where`, `np.maximum`, ...): no
#   Python loops, no `math.exp`.
# - Do not change the input array (no `z[...] = ...`): the caller still needs it.
# - No warnings: your function must stay finite and silent for $|z| = 10^4$.
#
# To grade the whole notebook from a terminal, in the course folder:
# `python -m nnlib.grading exercises/02_activations.ipynb`.

# %%
import numpy as np

from nnlib.grading import check

# %% [markdown]
# ## Exercise 2.1: sigmoid
#
# $$ \sigma(z) = \frac{1}{1 + e^{-z}} $$
#
# Implement `sigmoid(z)`, elementwise. Written like this, the formula overflows for
# large negative $z$: $e^{-z} = e^{1000}$ is `inf` in float64, and numpy warns. Both
# forms below are equal to $\sigma(z)$; use each where its exponential is at most 1:
#
# $$ \sigma(z) = \frac{1}{1 + e^{-z}} \quad (z \ge 0), \qquad
#    \sigma(z) = \frac{e^{z}}{1 + e^{z}} \quad (z < 0). $$
#
# Careful: `np.where(condition, a, b)` computes both `a` and `b` for every entry
# before choosing, so each of them must be safe for every $z$. Hint: $e^{-|z|}$ never
# overflows.

# %%
def sigmoid(z):
    """Sigmoid, elementwise: 1 / (1 + exp(-z)), without overflow.

    Args:
        z: array of any shape, e.g. (N, D).

    Returns:
        array shaped like z, entries in [0, 1].
    """
    ### BEGIN SOLUTION
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    ### END SOLUTION


# %%
check(sigmoid)

# %% [markdown]
# ## Exercise 2.2: the derivative of the sigmoid
#
# $$ \sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr) $$
#
# Implement `sigmoid_grad(z)`: the derivative **with respect to $z$, evaluated at $z$**.
# Books often write it with the neuron's output $a = \sigma(z)$ as $a(1 - a)$; your
# function receives $z$, not $a$. You may use your `sigmoid` from Exercise 2.1.

# %%
def sigmoid_grad(z):
    """Derivative of the sigmoid at z, elementwise: s (1 - s) with s = sigmoid(z).

    Args:
        z: array of any shape (the input of the sigmoid, not its output).

    Returns:
        array shaped like z, entries in [0, 0.25].
    """
    ### BEGIN SOLUTION
    s = sigmoid(z)
    return s * (1 - s)
    ### END SOLUTION


# %%
check(sigmoid_grad)

# %% [markdown]
# ## Exercise 2.3: the derivative of tanh
#
# $$ \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}, \qquad
#    \tanh'(z) = 1 - \tanh^2(z) $$
#
# Implement `tanh_grad(z)`, the derivative with respect to $z$ at $z$. numpy has
# `np.tanh`, which is safe for every $z$. (The equivalent $1/\cosh^2(z)$ is not:
# $\cosh(1000)$ overflows.)

# %%
def tanh_grad(z):
    """Derivative of tanh at z, elementwise: 1 - tanh(z)^2.

    Args:
        z: array of any shape (the input of tanh, not its output).

    Returns:
        array shaped like z, entries in [0, 1].
    """
    ### BEGIN SOLUTION
    t = np.tanh(z)
    return 1 - t * t
    ### END SOLUTION


# %%
check(tanh_grad)

# %% [markdown]
# ## Exercise 2.4: ReLU
#
# $$ \mathrm{relu}(z) = \max(z, 0) $$
#
# Implement `relu(z)`, elementwise. Mind the difference between `np.max` (the largest
# entry of an array, along an axis) and `np.maximum` (the larger of two arrays,
# entry by entry).

# %%
def relu(z):
    """Rectified linear unit, elementwise: z where z > 0, else 0.

    Args:
        z: array of any shape.

    Returns:
        array shaped like z, entries >= 0.
    """
    ### BEGIN SOLUTION
    return np.maximum(z, 0.0)
    ### END SOLUTION


# %%
check(relu)

# %% [markdown]
# ## Exercise 2.5: the derivative of ReLU
#
# $$ \mathrm{relu}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases} $$
#
# At $z = 0$ ReLU has a kink and no derivative; like PyTorch, this course takes 0
# there. Return floats (0.0 and 1.0), shaped like `z`.

# %%
def relu_grad(z):
    """Derivative of relu at z, elementwise: 1.0 where z > 0, else 0.0 (also at z = 0).

    Args:
        z: array of any shape.

    Returns:
        array of floats shaped like z, entries 0.0 or 1.0.
    """
    ### BEGIN SOLUTION
    return np.where(z > 0, 1.0, 0.0)
    ### END SOLUTION


# %%
check(relu_grad)

# %% [markdown]
# ## Exercise 2.6: leaky ReLU
#
# $$ \mathrm{leaky\_relu}(z) = \begin{cases} z & z > 0 \\ \alpha z & z \le 0 \end{cases}
#    \qquad \alpha = 0.01 \text{ by default} $$
#
# A small slope $\alpha$ for negative $z$ keeps a gradient flowing where ReLU has none
# (the "dying ReLU" of chapter 02). The default $\alpha = 0.01$ is PyTorch's
# (`negative_slope`); Keras uses 0.3. The check also calls your function with other
# values, e.g. `leaky_relu(z, alpha=0.2)`.

# %%
def leaky_relu(z, alpha=0.01):
    """Leaky ReLU, elementwise: z where z > 0, else alpha * z.

    Args:
        z: array of any shape.
        alpha: slope for z <= 0 (a float, usually between 0 and 1).

    Returns:
        array shaped like z.
    """
    ### BEGIN SOLUTION
    return np.where(z > 0, z, alpha * z)
    ### END SOLUTION


# %%
check(leaky_relu)

# %% [markdown]
# ## Exercise 2.7: softmax
#
# For a vector of scores $z = (z_1, \dots, z_C)$, one per class,
#
# $$ \mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{C} e^{z_j}} $$
#
# gives probabilities: positive, summing to 1. Implement `softmax(z)` over the
# **last axis**: for a batch of scores `(N, C)` every row sums to 1, for `(N, T, C)`
# every `z[n, t]` does, and for a single vector `(C,)` the vector does.
#
# As written, $e^{1000}$ overflows to `inf` and `inf / inf` is `nan`. Subtracting any
# constant $m$ from every score of a row changes nothing, because the factor $e^{-m}$
# cancels:
#
# $$ \mathrm{softmax}(z)_i = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}}, \qquad m = \max_j z_j , $$
#
# and with $m$ the row's maximum every exponent is at most 0. Use `axis=-1` and
# `keepdims=True` so that one code works for every number of dimensions.

# %%
def softmax(z):
    """Softmax over the last axis, stable for large scores.

    Args:
        z: scores of shape (C,), (N, C) or (N, T, C).

    Returns:
        array shaped like z, entries in [0, 1], summing to 1 along the last axis.
    """
    ### BEGIN SOLUTION
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)
    ### END SOLUTION


# %%
check(softmax)

# %% [markdown]
# ## Summary
#
# - An activation's derivative is a function of $z$; $a(1 - a)$ and $1 - a^2$ are the
#   same derivatives written with the output $a$. Know which one you are given.
# - Exponentials overflow at $z \approx 710$ in float64. Rewrite formulas so that every
#   exponent is at most 0: $e^{-|z|}$ in the sigmoid, $z - \max z$ in the softmax.
# - Work along `axis=-1` with `keepdims=True`, and never write into your input.
#
# These functions are `nnlib.activations.sigmoid`, `sigmoid.grad`, `tanh.grad`,
# `relu`, `relu.grad`, `leaky_relu` and `softmax`: compare your code with theirs.

# %% [markdown] tags=["nav"]
# ---
# ← [02 Activations (the chapter)](../notebooks/02_activations.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/02_activations.ipynb](../exercises/02_activations.ipynb)
