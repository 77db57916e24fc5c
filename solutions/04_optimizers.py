# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [04 Gradient descent and optimizers (the chapter)](../notebooks/04_optimizers.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/04_optimizers.ipynb](../exercises/04_optimizers.ipynb)

# %% [markdown]
# # 04 · Gradient descent and optimizers: exercises
#
# Six update rules, from plain gradient descent to AdamW, each written as one step,
# and the generator of mini-batches that feeds them. Chapter 04 explains each; here
# you write them yourself.
#
# **How it works.** Each exercise states the task and the maths, then gives a code
# cell with the function's name, signature and docstring. Replace the line
# `raise NotImplementedError(...)` with your code and run the cell; then run the
# check cell below it. The check calls your function on the chapter's worked example,
# on random weights and states of random shapes and on edge cases (a first step from
# a zero state, a zero gradient, tiny gradients where $\epsilon$ matters, a single
# weight), compares with `nnlib.optim` (whose numbers are PyTorch's), and prints either
# `passed` or the first case that fails: its input, the expected and your result, and
# a hint aimed at the likely mistake.
#
# **Rules for every exercise**
# - `w`, `grad` and the state arrays (`v`, `s`, `m`) have the same shape: one weight
#   `(D,)`, or a weight matrix `(D_in, D_out)`. Everything is elementwise.
# - A step function is *pure*: it returns the new weights and the new state, and does
#   not change the arrays it is given (no `w -= ...`, no `v *= ...`): compute new arrays.
#   (`nnlib.optim` and PyTorch update in place instead; here the return values make
#   each step easy to check.)
# - `lr` is the learning rate ($\eta$ in the chapter); `t` counts steps from 1.
#
# To grade the whole notebook from a terminal, in the course folder:
# `python -m nnlib.grading exercises/04_optimizers.ipynb`.

# %%
import numpy as np

from nnlib.grading import check

# %% [markdown]
# ## Exercise 4.1: one step of gradient descent
#
# $$ w \leftarrow w - \mathrm{lr} \cdot \nabla L(w) $$
#
# Implement `gd_step(w, grad, lr)`: return the new weights. The chapter's worked example:
# with $w = 2$, $f'(2) = 9$ and $\mathrm{lr} = 0.1$ the new $w$ is $1.1$.

# %%
def gd_step(w, grad, lr):
    """One step of gradient descent: w - lr * grad.

    Args:
        w: weights, (D,) or (D_in, D_out).
        grad: dL/dw, the shape of w.
        lr: the learning rate (a float >= 0).

    Returns:
        the new weights, the shape of w (a new array; w is unchanged).
    """
    ### BEGIN SOLUTION
    return w - lr * grad
    ### END SOLUTION


# %%
check(gd_step)

# %% [markdown]
# ## Exercise 4.2: momentum, the classical form
#
# $$ v \leftarrow \beta v + g, \qquad w \leftarrow w - \mathrm{lr}\, v $$
#
# Implement `momentum_step(w, grad, v, lr, beta)` and return `(w, v)`, both new. This is
# PyTorch's form (`torch.optim.SGD(momentum=beta)`): the velocity $v$ is a decaying
# *sum* of gradients, not the exponential moving average
# $V \leftarrow \beta V + (1 - \beta) g$ of many lecture notes (the chapter shows that the
# two are the same method with the learning rate rescaled by $1/(1 - \beta)$). Update
# $v$ first, then step with the new $v$. With $\beta = 0$ it is plain gradient descent.

# %%
def momentum_step(w, grad, v, lr, beta):
    """One step of SGD with classical momentum (PyTorch's form).

        v_new = beta * v + grad
        w_new = w - lr * v_new

    Args:
        w, grad, v: weights, gradient and velocity, all the same shape ((D,) or (D_in, D_out)).
        lr: learning rate. beta: momentum, 0 <= beta < 1.

    Returns:
        (w_new, v_new), new arrays shaped like w.
    """
    ### BEGIN SOLUTION
    v = beta * v + grad  # a new array: the caller's v is not changed
    return w - lr * v, v
    ### END SOLUTION


# %%
check(momentum_step)

# %% [markdown]
# ## Exercise 4.3: Nesterov momentum
#
# $$ v \leftarrow \beta v + g, \qquad w \leftarrow w - \mathrm{lr}\,(g + \beta v) $$
#
# Implement `nesterov_step(w, grad, v, lr, beta)` and return `(w, v)`: the velocity is
# updated as in 4.2, and the step looks ahead along the *new* velocity. This is
# PyTorch's `SGD(momentum=beta, nesterov=True)`.

# %%
def nesterov_step(w, grad, v, lr, beta):
    """One step of SGD with Nesterov momentum (PyTorch's form).

        v_new = beta * v + grad
        w_new = w - lr * (grad + beta * v_new)

    Args:
        w, grad, v: weights, gradient and velocity, all the same shape.
        lr: learning rate. beta: momentum, 0 <= beta < 1.

    Returns:
        (w_new, v_new), new arrays shaped like w.
    """
    ### BEGIN SOLUTION
    v = beta * v + grad
    return w - lr * (grad + beta * v), v
    ### END SOLUTION


# %%
check(nesterov_step)

# %% [markdown]
# ## Exercise 4.4: RMSprop
#
# $$ s \leftarrow \beta s + (1 - \beta)\, g^2, \qquad w \leftarrow w - \mathrm{lr}\, \frac{g}{\sqrt{s} + \epsilon} $$
#
# Implement `rmsprop_step(w, grad, s, lr, beta=0.9, eps=1e-8)` and return `(w, s)`.
# $s$ is a moving average of the *squared* gradient, so $\sqrt{s}$ is the typical size
# of recent gradients and each weight's step is about $\mathrm{lr}$ whatever the scale of
# its gradient. $\epsilon$ is added *outside* the square root, as in PyTorch. (PyTorch
# calls $\beta$ `alpha` and defaults it to 0.99; this exercise uses Hinton's 0.9.)

# %%
def rmsprop_step(w, grad, s, lr, beta=0.9, eps=1e-8):
    """One RMSprop step.

        s_new = beta * s + (1 - beta) * grad**2
        w_new = w - lr * grad / (sqrt(s_new) + eps)

    Args:
        w, grad, s: weights, gradient and the running average of grad**2, same shape.
        lr: learning rate. beta: decay of the average. eps: keeps the division finite.

    Returns:
        (w_new, s_new), new arrays shaped like w.
    """
    ### BEGIN SOLUTION
    s = beta * s + (1 - beta) * grad**2
    return w - lr * grad / (np.sqrt(s) + eps), s
    ### END SOLUTION


# %%
check(rmsprop_step)

# %% [markdown]
# ## Exercise 4.5: Adam
#
# $$ m \leftarrow \beta_1 m + (1 - \beta_1)\, g, \qquad v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2, $$
# $$ \hat m = \frac{m}{1 - \beta_1^t}, \qquad \hat v = \frac{v}{1 - \beta_2^t}, \qquad
#    w \leftarrow w - \mathrm{lr}\, \frac{\hat m}{\sqrt{\hat v} + \epsilon} $$
#
# Implement `adam_step(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8)` and
# return `(w, m, v)`, with the new (uncorrected) moments $m$ and $v$: they are the state
# for the next step. $t$ is the number of this step, counting from 1: the first call has
# $t = 1$ and $m = v = 0$. Do not forget the **bias correction** $\hat m$, $\hat v$: without
# it the first steps are about three times too long (the chapter shows why).

# %%
def adam_step(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step, bias-corrected (PyTorch's Adam).

        m_new = beta1 * m + (1 - beta1) * grad
        v_new = beta2 * v + (1 - beta2) * grad**2
        m_hat = m_new / (1 - beta1**t),   v_hat = v_new / (1 - beta2**t)
        w_new = w - lr * m_hat / (sqrt(v_hat) + eps)

    Args:
        w, grad, m, v: weights, gradient, first and second moments, all the same shape.
        t: this step's number, 1 for the first step.
        lr, beta1, beta2, eps: Adam's hyperparameters (PyTorch's defaults).

    Returns:
        (w_new, m_new, v_new), new arrays shaped like w.
    """
    ### BEGIN SOLUTION
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)  # bias correction: m and v started at 0
    v_hat = v / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
    ### END SOLUTION


# %%
check(adam_step)

# %% [markdown]
# ## Exercise 4.6: AdamW
#
# $$ w \leftarrow w - \mathrm{lr}\cdot\lambda\, w \quad\text{(decay)}, \qquad\text{then the Adam step of 4.5 with the gradient } g $$
#
# Implement `adamw_step(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8,
# weight_decay=0.01)` and return `(w, m, v)`, as PyTorch's `AdamW`: first shrink the
# weights by the factor $1 - \mathrm{lr}\,\lambda$, then take the Adam step. The decay is
# **decoupled** from the gradient: adding $\lambda w$ to `grad` instead is an L2 penalty
# (PyTorch's `Adam(weight_decay=...)`), which Adam divides by $\sqrt{\hat v}$ like the
# rest of the gradient. You may call your `adam_step`.

# %%
def adamw_step(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
    """One AdamW step: decoupled weight decay, then Adam (PyTorch's AdamW).

        w_decayed = w - lr * weight_decay * w
        then the Adam step of w_decayed with grad, m, v, t (exercise 4.5)

    Args:
        as adam_step; weight_decay: lambda, the decay per unit of lr.

    Returns:
        (w_new, m_new, v_new), new arrays shaped like w.
    """
    ### BEGIN SOLUTION
    w = w * (1 - lr * weight_decay)  # decoupled: the decay does not go through grad
    return adam_step(w, grad, m, v, t, lr, beta1, beta2, eps)
    ### END SOLUTION


# %%
check(adamw_step)

# %% [markdown]
# ## Exercise 4.7: mini-batches
#
# Write the generator that cuts a data set into mini-batches for one epoch, as
# `nnlib.train.fit` does:
#
# - shuffle the sample indices with the generator you are given: `rng.permutation(N)`
#   (not `np.random`, so that the same seed gives the same batches);
# - yield `(X_batch, y_batch)` for consecutive slices of `batch_size` indices; the last
#   batch holds the rest and is smaller when `batch_size` does not divide $N$;
# - every sample appears in exactly one batch per call: shuffle, do not sample with
#   replacement, and do not drop the last, partial batch.
#
# `y` may be labels `(N,)` or one-hot rows `(N, C)`: index its rows like those of `X`.
# A function with `yield` returns a generator; `list(minibatches(...))` collects the
# batches.

# %%
def minibatches(X, y, batch_size, rng):
    """Yield the shuffled mini-batches of one epoch.

    Args:
        X: inputs (N, D). y: targets (N,) or (N, C).
        batch_size: samples per batch (an int >= 1).
        rng: a numpy Generator; the shuffle comes from it.

    Yields:
        (X_batch, y_batch): (B, D) and (B,) or (B, C), B = batch_size except
        for the last batch, which holds the remaining N mod batch_size samples.
    """
    ### BEGIN SOLUTION
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]
    ### END SOLUTION


# %%
check(minibatches)

# %% [markdown] tags=["nav"]
# ---
# ← [04 Gradient descent and optimizers (the chapter)](../notebooks/04_optimizers.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/04_optimizers.ipynb](../exercises/04_optimizers.ipynb)
