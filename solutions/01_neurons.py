# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [01 Neurons (the chapter)](../notebooks/01_neurons.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/01_neurons.ipynb](../exercises/01_neurons.ipynb)

# %% [markdown]
# # 01 · Neurons: exercises
#
# Four functions: the McCulloch-Pitts neuron, the brute-force search for its
# threshold, and the perceptron's learning rule, first for one sample and then for a
# whole training run. Chapter 01 explains each of them; here you write them yourself.
#
# **How it works.** Each exercise states the task and the maths, then gives a code
# cell with the function's name, signature and docstring. Replace the line
# `raise NotImplementedError(...)` with your code and run the cell; then run the
# check cell below it. The check calls your function on the worked examples, on
# random inputs of random sizes and on edge cases (a batch of one, a single input,
# all-zero inputs, the thresholds 0 and $D + 1$, a score of exactly 0), compares with
# `nnlib.neurons`, and prints either `passed` or the first case that fails: its
# input, the expected and your result, and a hint aimed at the likely mistake.
#
# **Rules for every exercise**
# - `X` is a 2-D array `(N, D)`: one row per sample, one column per input. `y` is a
#   1-D array `(N,)` of labels 0 and 1.
# - Do not change the arrays you are given (no `w -= ...`, no `X[...] = ...`): the
#   caller still needs them. Compute new arrays instead.
# - Return exactly what the docstring says: an array, a number, `None` or a pair.
#
# To grade the whole notebook from a terminal, in the course folder:
# `python -m nnlib.grading exercises/01_neurons.ipynb`.

# %%
import numpy as np

from nnlib.grading import check

# %% [markdown]
# ## Exercise 1.1: the McCulloch-Pitts neuron
#
# $$ \hat y_n = \begin{cases} 1 & \text{if } \sum_{d=1}^{D} X_{nd} \ge \theta \\
#                            0 & \text{otherwise} \end{cases} \qquad n = 1, \dots, N $$
#
# Implement `mp_neuron(X, threshold)` for a whole batch at once: `X` holds binary
# inputs (0 and 1) of shape `(N, D)`; return the `(N,)` outputs as integers 0 and 1.
# Note the $\ge$: a neuron with threshold 2 fires when exactly 2 inputs are on.
# Threshold 0 always fires; threshold $D + 1$ never does.

# %%
def mp_neuron(X, threshold):
    """McCulloch-Pitts neuron: 1 where a row of X has at least `threshold` ones.

    Args:
        X: (N, D) array of 0s and 1s.
        threshold: a number.

    Returns:
        (N,) array of ints, 0 or 1.
    """
    ### BEGIN SOLUTION
    return (np.sum(X, axis=1) >= threshold).astype(int)
    ### END SOLUTION


# %%
check(mp_neuron)

# %% [markdown]
# ## Exercise 1.2: finding the threshold by brute force
#
# An MP neuron with $D$ inputs has only $D + 2$ different behaviours, one for each
# integer threshold $\theta = 0, 1, \dots, D + 1$ (the sum of the inputs is a whole
# number from 0 to $D$). Implement `find_threshold(X, y)`: try them **in increasing
# order** and return the **smallest** threshold with which `mp_neuron(X, threshold)`
# equals `y` on every row, as an `int`. When none does (XOR, for example), return
# `None`: not 0, which is a real threshold (the neuron that always fires).
#
# For AND on two inputs the answer is 2, for OR it is 1. You may use your
# `mp_neuron` from Exercise 1.1.

# %%
def find_threshold(X, y):
    """The smallest integer threshold in 0..D+1 for which mp_neuron(X, t) == y, or None.

    Args:
        X: (N, D) array of 0s and 1s.
        y: (N,) array of target labels, 0 or 1.

    Returns:
        an int from 0 to D + 1, or None when no threshold reproduces y.
    """
    ### BEGIN SOLUTION
    D = X.shape[1]
    for threshold in range(D + 2):
        if np.array_equal(mp_neuron(X, threshold), y):
            return threshold
    return None
    ### END SOLUTION


# %%
check(find_threshold)

# %% [markdown]
# ## Exercise 1.3: one step of the perceptron rule
#
# The perceptron predicts with its weights $w$ (shape `(D,)`) and bias $b$:
#
# $$ \hat y = \begin{cases} 1 & \text{if } w \cdot x + b \ge 0 \\ 0 & \text{otherwise} \end{cases} $$
#
# and after seeing one sample $x$ with label $y \in \{0, 1\}$ it updates, with learning
# rate $\eta$ (`lr`):
#
# $$ w_{\text{new}} = w - \eta\,(\hat y - y)\,x, \qquad b_{\text{new}} = b - \eta\,(\hat y - y). $$
#
# Implement `perceptron_step(w, b, x, y, lr)` and return the pair `(w_new, b_new)`. When
# the prediction is right, $\hat y - y = 0$ and nothing changes. Mind the $\ge$ (from
# $w = 0$, $b = 0$ the score is exactly 0, and the perceptron says 1) and **do not
# change `w`**: `w -= ...` would overwrite the caller's array; `w - ...` makes a new one.

# %%
def perceptron_step(w, b, x, y, lr):
    """One perceptron update on one sample.

    Args:
        w: (D,) weights.  b: bias, a number.
        x: (D,) one sample.  y: its label, 0 or 1.  lr: learning rate.

    Returns:
        (w_new, b_new): a new (D,) array and a number; w itself is unchanged.
    """
    ### BEGIN SOLUTION
    y_hat = 1 if np.dot(w, x) + b >= 0 else 0
    w_new = w - lr * (y_hat - y) * x
    b_new = b - lr * (y_hat - y)
    return w_new, b_new
    ### END SOLUTION


# %%
check(perceptron_step)

# %% [markdown]
# ## Exercise 1.4: training a perceptron
#
# Implement `perceptron_fit(X, y, lr, epochs)`, the whole training loop:
#
# 1. start from $w = 0$ (shape `(D,)`) and $b = 0$;
# 2. an **epoch** visits the samples **in the given order**, rows 0, 1, ..., N - 1, and
#    applies `perceptron_step` to each (use yours from Exercise 1.3);
# 3. make at most `epochs` epochs, and stop early after an epoch without a mistake
#    (an epoch in which no step changed $w$ or $b$);
# 4. return the final `(w, b)`.
#
# On AND with `lr=1.0` this gives $w = (2, 1)$, $b = -3$ after six epochs (the chapter
# traces them). On XOR it never stops early: after exactly `epochs` epochs, return what
# you have.

# %%
def perceptron_fit(X, y, lr, epochs):
    """Train a perceptron with the perceptron rule; samples in order, from zeros.

    Args:
        X: (N, D) inputs.  y: (N,) labels, 0 or 1.
        lr: learning rate.  epochs: the maximum number of passes over the data.

    Returns:
        (w, b): the final (D,) weights and the bias, a number.
    """
    ### BEGIN SOLUTION
    w, b = np.zeros(X.shape[1]), 0.0
    for epoch in range(epochs):
        mistakes = 0
        for x_n, y_n in zip(X, y):
            w_new, b_new = perceptron_step(w, b, x_n, y_n, lr)
            if b_new != b or np.any(w_new != w):
                mistakes += 1
            w, b = w_new, b_new
        if mistakes == 0:
            break
    return w, b
    ### END SOLUTION


# %%
check(perceptron_fit)

# %% [markdown]
# ## Summary
#
# - The MP neuron is one comparison per row, `np.sum(X, axis=1) >= threshold`; its
#   "training" is a search over $D + 2$ thresholds, and `None` is a real answer: for XOR
#   no threshold exists.
# - The perceptron rule moves $w$ *away* from a sample it wrongly called 1 and *towards*
#   one it missed; right answers change nothing.
# - Return new arrays instead of changing the ones you were given: `w - lr * ...`, not
#   `w -= lr * ...`.
#
# These functions are `nnlib.neurons.mp_neuron`, `find_threshold`, `perceptron_step`
# and `perceptron_fit` (the last one is `Perceptron(lr, epochs).fit(X, y)`): compare
# your code with theirs.

# %% [markdown] tags=["nav"]
# ---
# ← [01 Neurons (the chapter)](../notebooks/01_neurons.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/01_neurons.ipynb](../exercises/01_neurons.ipynb)
