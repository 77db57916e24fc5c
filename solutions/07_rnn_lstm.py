# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [07 RNN and LSTM (the chapter)](../notebooks/07_rnn_lstm.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/07_rnn_lstm.ipynb](../exercises/07_rnn_lstm.ipynb)

# %% [markdown]
# # 07 · RNN and LSTM: exercises
#
# Five functions: one step of a vanilla RNN forward and backward, the RNN over a whole
# sequence, and one step of an LSTM forward and backward. Chapter 07 explains them; here
# you implement them and check your code. `nnlib.recurrent` (the layers) and
# `nnlib.rnn_cells` (the step functions) hold the reference versions: compare afterwards.
#
# **How it works.** Each exercise states the task and the maths, then gives a code
# cell with the function's name, signature and docstring. Replace the line
# `raise NotImplementedError(...)` with your code and run the cell; then run the
# check cell below it. The check calls your function on random shapes (a batch of one,
# one hidden unit, zero states, saturated units, ...), compares with `nnlib`, and prints
# either `passed` or the first case that fails: its input, the expected and your result,
# and a hint aimed at the likely mistake.
#
# **Rules for every exercise**
# - Shapes are batch-first: `x` is $(N, D)$ for one step and $(N, T, D)$ for a sequence,
#   hidden states are $(N, H)$. Vectorise over the batch: one matrix product per step,
#   no loop over samples.
# - The caches have a fixed layout (given in each exercise): the backward exercises are
#   checked with caches made by nnlib, so they must read exactly that layout.
# - Do not change the arrays you are given (no `dh += ...`, no `cache[...] = ...`).
# - No numpy warnings: use the stable `sigmoid` imported below (chapter 02), not
#   `1 / (1 + np.exp(-a))`, which overflows for $a < -709$.
#
# To grade the whole notebook from a terminal, in the course folder:
# `python -m nnlib.grading exercises/07_rnn_lstm.ipynb`.

# %%
import numpy as np

from nnlib.activations import sigmoid  # stable for every input: sigmoid(-1000.0) == 0.0
from nnlib.grading import check

# %% [markdown]
# ## Exercise 7.1: one RNN step, forward
#
# $$ a = x W_x + h_\text{prev} W_h + b, \qquad h = \tanh(a) $$
#
# with $x$ $(N, D)$, $h_\text{prev}$ $(N, H)$, $W_x$ $(D, H)$, $W_h$ $(H, H)$, $b$ $(H,)$.
# Return `h` $(N, H)$ and `cache = (x, h_prev, Wx, Wh, h)`: the backward step needs the
# inputs, the weights and the **output** $h$ (from which $\tanh'(a) = 1 - h^2$).

# %%
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    """One step of a vanilla RNN: h = tanh(x @ Wx + h_prev @ Wh + b).

    Args:
        x: (N, D) inputs at this step.  h_prev: (N, H) previous hidden state.
        Wx: (D, H).  Wh: (H, H).  b: (H,).

    Returns:
        h: (N, H) the new hidden state.
        cache: the tuple (x, h_prev, Wx, Wh, h).
    """
    ### BEGIN SOLUTION
    h = np.tanh(x @ Wx + h_prev @ Wh + b)
    cache = (x, h_prev, Wx, Wh, h)
    return h, cache
    ### END SOLUTION


# %%
check(rnn_step_forward)

# %% [markdown]
# ## Exercise 7.2: one RNN step, backward
#
# Given $dh = \partial L / \partial h$ $(N, H)$ and the cache of Exercise 7.1, go back
# through the tanh first, then through the two products and the bias:
#
# $$ da = dh \odot (1 - h^2), \qquad
#    dx = da\,W_x^\top, \quad dh_\text{prev} = da\,W_h^\top, \quad
#    dW_x = x^\top da, \quad dW_h = h_\text{prev}^\top da, \quad db = \textstyle\sum_n da_n . $$
#
# Each gradient has the shape of what it is the gradient of ($dW_x$ like $W_x$, ...).

# %%
def rnn_step_backward(dh, cache):
    """Backward pass of rnn_step_forward.

    Args:
        dh: (N, H) gradient of the loss with respect to h.
        cache: (x, h_prev, Wx, Wh, h) from rnn_step_forward.

    Returns:
        dx (N, D), dh_prev (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    ### BEGIN SOLUTION
    x, h_prev, Wx, Wh, h = cache
    da = dh * (1 - h * h)  # tanh'(a) = 1 - tanh(a)^2 = 1 - h^2
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
    ### END SOLUTION


# %%
check(rnn_step_backward)

# %% [markdown]
# ## Exercise 7.3: the RNN over a whole sequence
#
# Run Exercise 7.1 for $t = 0, \dots, T-1$, starting from $h_0$:
#
# $$ h_t = \tanh\bigl(x_t W_x + h_{t-1} W_h + b\bigr), \qquad h_{-1} = h_0 . $$
#
# `x` is batch-first $(N, T, D)$, so the input at step $t$ is `x[:, t]` $(N, D)$. Return
# **every** hidden state, `h` of shape $(N, T, H)$ with `h[:, t]` the state after step
# $t$ ($h_0$ itself is not part of the output), and a cache: the list of the step caches
# is the natural choice (only `h` is checked).

# %%
def rnn_forward(x, h0, Wx, Wh, b):
    """A vanilla RNN over a sequence.

    Args:
        x: (N, T, D) inputs, batch first.  h0: (N, H) initial state.
        Wx: (D, H).  Wh: (H, H).  b: (H,).

    Returns:
        h: (N, T, H) every hidden state.  cache: the step caches (e.g. a list).
    """
    ### BEGIN SOLUTION
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    caches = []
    h_t = h0
    for t in range(T):
        h_t, step_cache = rnn_step_forward(x[:, t], h_t, Wx, Wh, b)
        h[:, t] = h_t
        caches.append(step_cache)
    return h, caches
    ### END SOLUTION


# %%
check(rnn_forward)

# %% [markdown]
# ## Exercise 7.4: one LSTM step, forward
#
# One product gives the pre-activations of all four blocks, $a = x W_x + h_\text{prev}
# W_h + b$ $(N, 4H)$. Its columns are, in **PyTorch's order $i, f, g, o$**:
# `a[:, :H]` for the input gate, `a[:, H:2*H]` the forget gate, `a[:, 2*H:3*H]` the
# candidate and `a[:, 3*H:]` the output gate. Then
#
# $$ i = \sigma(a^{(i)}), \quad f = \sigma(a^{(f)}), \quad g = \tanh(a^{(g)}), \quad o = \sigma(a^{(o)}), $$
#
# $$ c = f \odot c_\text{prev} + i \odot g, \qquad h = o \odot \tanh(c) . $$
#
# Return `h`, `c` (both $(N, H)$) and `cache = (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c)`.

# %%
def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    """One LSTM step, gate order i, f, g, o (as torch.nn.LSTM).

    Args:
        x: (N, D).  h_prev, c_prev: (N, H).  Wx: (D, 4H).  Wh: (H, 4H).  b: (4H,).

    Returns:
        h: (N, H).  c: (N, H).
        cache: the tuple (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c).
    """
    ### BEGIN SOLUTION
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b
    i = sigmoid(a[:, :H])
    f = sigmoid(a[:, H:2 * H])
    g = np.tanh(a[:, 2 * H:3 * H])
    o = sigmoid(a[:, 3 * H:])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c, (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c)
    ### END SOLUTION


# %%
check(lstm_step_forward)

# %% [markdown]
# ## Exercise 7.5: one LSTM step, backward
#
# `dh` and `dc` $(N, H)$ are the gradients of the loss with respect to this step's $h$
# and $c$ arriving from above (from the loss and from step $t+1$). $c$ reaches the loss
# directly **and** through $h = o \tanh(c)$, so first collect
#
# $$ dc_\text{total} = dc + dh \odot o \odot \bigl(1 - \tanh^2(c)\bigr) . $$
#
# Then the gradients of the four gate values and of the previous cell:
#
# $$ di = dc_\text{total} \odot g, \quad df = dc_\text{total} \odot c_\text{prev}, \quad
#    dg = dc_\text{total} \odot i, \quad do = dh \odot \tanh(c), \quad
#    dc_\text{prev} = dc_\text{total} \odot f, $$
#
# through the gates' own derivatives ($\sigma' = \sigma(1 - \sigma)$, $\tanh' = 1 - \tanh^2$)
# to the pre-activation, stacked in the order $i, f, g, o$:
#
# $$ da = \bigl[\, di \odot i(1-i),\; df \odot f(1-f),\; dg \odot (1 - g^2),\; do \odot o(1-o) \,\bigr]
#    \quad (N, 4H), $$
#
# and finally, as in Exercise 7.2: $dx = da\,W_x^\top$, $dh_\text{prev} = da\,W_h^\top$,
# $dW_x = x^\top da$, $dW_h = h_\text{prev}^\top da$, $db = \sum_n da_n$.

# %%
def lstm_step_backward(dh, dc, cache):
    """Backward pass of lstm_step_forward.

    Args:
        dh, dc: (N, H) gradients of the loss with respect to this step's h and c.
        cache: (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c) from lstm_step_forward.

    Returns:
        dx (N, D), dh_prev (N, H), dc_prev (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    ### BEGIN SOLUTION
    x, h_prev, c_prev, Wx, Wh, i, f, g, o, c = cache
    tc = np.tanh(c)
    dc_total = dc + dh * o * (1 - tc * tc)
    da = np.concatenate([
        dc_total * g * i * (1 - i),        # input gate
        dc_total * c_prev * f * (1 - f),   # forget gate
        dc_total * i * (1 - g * g),        # candidate
        dh * tc * o * (1 - o),             # output gate
    ], axis=1)
    dc_prev = dc_total * f
    return da @ Wx.T, da @ Wh.T, dc_prev, x.T @ da, h_prev.T @ da, da.sum(axis=0)
    ### END SOLUTION


# %%
check(lstm_step_backward)

# %% [markdown]
# ## Putting it together (not graded)
#
# Your steps make a whole LSTM. The cell below runs your `lstm_step_forward` over a
# sequence and compares it with `nnlib.recurrent.LSTM` using the same weights, then
# checks your `lstm_step_backward` against numerical gradients (chapter 03): a relative
# error below $10^{-6}$ means it is right.

# %%
from nnlib.gradcheck import numerical_gradient, rel_error
from nnlib.recurrent import LSTM

rng = np.random.default_rng(0)
layer = LSTM(3, 4, rng)
x_seq = rng.normal(size=(2, 6, 3))
try:
    h_t = c_t = np.zeros((2, 4))
    for t in range(6):
        h_t, c_t, _ = lstm_step_forward(x_seq[:, t], h_t, c_t, *layer.params.values())
    print("your LSTM's last state equals nnlib's:", np.allclose(h_t, layer.forward(x_seq)[:, -1]))

    x0, h0, c0 = x_seq[:, 0], rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    Wx = layer.params["Wx"]
    R_h, R_c = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))  # L = sum(h * R_h + c * R_c)
    h1, c1, cache = lstm_step_forward(x0, h0, c0, Wx, layer.params["Wh"], layer.params["b"])
    dx, dh_prev, dc_prev, dWx, dWh, db = lstm_step_backward(R_h, R_c, cache)

    def loss(_):
        h, c, _ = lstm_step_forward(x0, h0, c0, Wx, layer.params["Wh"], layer.params["b"])
        return np.sum(h * R_h + c * R_c)

    for name, analytic, array in [("dx", dx, x0), ("dc_prev", dc_prev, c0), ("dWx", dWx, Wx)]:
        print(f"{name:8s} relative error {rel_error(analytic, numerical_gradient(loss, array)):.1e}")
except NotImplementedError:
    print("finish Exercises 7.4 and 7.5 first")

# %% [markdown]
# ## Summary
#
# - An RNN step is one affine map of $[x, h_\text{prev}]$ and a tanh; its backward goes
#   through $1 - h^2$ first. A sequence is a loop over `x[:, t]`.
# - An LSTM step computes four blocks with one product (order $i, f, g, o$), updates the
#   cell additively, $c = f c_\text{prev} + i g$, and shows $h = o \tanh(c)$.
# - In the backward step, $c$ collects its gradient from $dc$ **and** through $h$; the
#   gradient to the previous cell is $dc_\text{total} \odot f$: the forget gate is the
#   door the gradient passes through on its way back in time.
#
# These are `nnlib.rnn_cells.rnn_step_forward`, `rnn_step_backward`, `rnn_forward`,
# `lstm_step_forward` and `lstm_step_backward`; the layers in `nnlib.recurrent` use the
# same cells with the input projections of all steps in one product.

# %% [markdown] tags=["nav"]
# ---
# ← [07 RNN and LSTM (the chapter)](../notebooks/07_rnn_lstm.ipynb) | [Course map](../notebooks/00_start_here.ipynb#Course-map) | These are the **solutions**; the exercises without them: [exercises/07_rnn_lstm.ipynb](../exercises/07_rnn_lstm.ipynb)
