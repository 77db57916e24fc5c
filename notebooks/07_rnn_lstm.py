# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [06 Vanishing and exploding gradients](06_gradients.ipynb) | [Course map](00_start_here.ipynb#Course-map)

# %% [markdown]
# # 07 · RNN and LSTM
#
# Every network so far took a fixed-size input and forgot it as soon as it had
# answered. Text, speech, prices and sensor readings are **sequences**: the order
# matters, the length varies, and what happened ten steps ago can decide what comes
# next. A recurrent network reads a sequence one step at a time and carries a
# **state** from step to step. This chapter builds the recurrent cell, trains it by
# backpropagation through time, watches its gradient vanish through time exactly as
# it vanished through depth in chapter 06, and repairs it with the LSTM's gates.
#
# **In this notebook you will**
# - see why a feed-forward network is the wrong tool for sequences, and write the RNN
#   cell $h_t = \tanh(x_t W_x + h_{t-1} W_h + b)$ as a loop over $t = 1..T$;
# - derive **backpropagation through time** (BPTT) and find the product of Jacobians
#   that makes gradients vanish or explode through time; meet truncated BPTT and
#   clipping;
# - list the limits of the vanilla RNN;
# - build the **LSTM** (cell state; forget, input and output gates; the candidate),
#   see why its additive cell update lets the gradient survive, and use the
#   forget-gate bias trick; meet the **GRU**, its lighter relative;
# - compare RNN and LSTM on a long-memory task (the adding problem);
# - sample text from a small character-level LSTM and turn its **temperature**.
#
# You need chapter 03 (backprop, $\delta$), chapter 02 (tanh, sigmoid, softmax) and
# chapter 06 (vanishing and exploding gradients, clipping).

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from nnlib.clipping import clip_grad_norm
from nnlib.data import adding_problem, load_text
from nnlib.gradcheck import check_layer
from nnlib.recurrent import GRU, LSTM, RNN

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## 1. Sequences, and why a feed-forward network is not enough
#
# A batch of sequences is a 3-D array, **batch first** as everywhere in this course:
# `x` has shape $(N, T, D)$: $N$ sequences of $T$ steps with $D$ features each. Two
# sequence tasks ship with `nnlib.data`; here is one sequence of the **adding
# problem**: a random value and a marker at every step; the target is the sum of the
# two marked values.

# %%
rng = np.random.default_rng(0)
X_add, y_add = adding_problem(3, 10, rng)  # X (3, 10, 2), y (3,)
print("x shape (N, T, D):", X_add.shape)
print("values :", X_add[0, :, 0].round(2))
print("markers:", X_add[0, :, 1].astype(int))
print("target :", round(y_add[0], 4), "=", " + ".join(f"{v:.2f}" for v in X_add[0, X_add[0, :, 1] == 1, 0]))

# %% [markdown]
# Could a dense network do this? Flatten the sequence into one vector of $T \cdot D$
# numbers and feed it to `Dense` layers. Three things go wrong:
#
# - **Fixed length.** The first layer has exactly $T \cdot D$ inputs; a sequence of
#   $T + 1$ steps does not fit, and text has no fixed length.
# - **No sharing across time.** The weights that read step 3 are not the weights that
#   read step 7, so a pattern learned at one position must be learned again at every
#   other. The number of weights grows with $T$.
# - **No notion of order.** Nothing in the architecture says that step 4 follows
#   step 3; the network must discover it from data.
#
# A recurrent network fixes all three with one idea: apply **the same small cell at
# every step**, and let it pass a state vector $h_t$ (its memory) to the next step.

# %% [markdown]
# ## 2. The RNN cell
#
# The vanilla (Elman) recurrent cell reads the input $x_t$ (a row of $D$ numbers) and
# the previous state $h_{t-1}$ ($H$ numbers) and computes the new state:
#
# $$ a_t = x_t W_x + h_{t-1} W_h + b, \qquad h_t = \tanh(a_t), $$
#
# with $W_x$ of shape $(D, H)$, $W_h$ of shape $(H, H)$, $b$ of shape $(H,)$, and
# $h_0 = 0$ unless given. Batched, $x_t$ is $(N, D)$ and $h_t$ is $(N, H)$. The same
# $W_x, W_h, b$ serve every step: **unrolled** over time the RNN is a deep network
# with $T$ layers that share their weights.

# %%
from nnlib.explorers.recurrent import draw_unrolled

fig, ax = plt.subplots(figsize=(7.0, 2.3))
draw_unrolled(ax, T=4)
plt.show()

# %% [markdown]
# As code, the forward pass is a loop:
#
# ```
# h = h0                                  # (N, H)
# for t in 1..T:
#     h = tanh(x[:, t] @ Wx + h @ Wh + b) # one step
#     out[:, t] = h                       # keep every state: (N, T, H)
# ```
#
# `nnlib.recurrent.RNN` computes exactly this and returns all hidden states
# $(N, T, H)$. It does one thing smarter: the input projections $x_t W_x + b$ do not
# depend on the state, so it computes them for all $T$ steps in **one** matrix product,
# `x.reshape(N*T, D) @ Wx + b`; only $h_{t-1} W_h$ has to wait for the previous step.
# Let us check it against the plain loop:

# %%
rng = np.random.default_rng(1)
rnn = RNN(n_in=2, n_hidden=5, rng=rng)
Wx, Wh, b = rnn.params["Wx"], rnn.params["Wh"], rnn.params["b"]
print("Wx", Wx.shape, " Wh", Wh.shape, " b", b.shape)

h_all = rnn.forward(X_add)  # (N, T, H) = (3, 10, 5)
h = np.zeros((3, 5))
for t in range(X_add.shape[1]):
    h = np.tanh(X_add[:, t] @ Wx + h @ Wh + b)
print("hidden states:", h_all.shape)
print("the loop's last state equals the layer's:", np.allclose(h, h_all[:, -1]))

# %% [markdown]
# For a prediction from the whole sequence (the sum of the adding problem), read the
# **last** state $h_T$ and put a `Dense` layer on it: `Sequential([RNN(...), LastStep(),
# Dense(H, 1)])`. For a prediction at every step (the next character of a text), put
# the same `Dense` layer on every $h_t$: `TimeDistributed(Dense(H, V))`. Both glue
# layers live in `nnlib.recurrent`.
#
# **The same numbers as PyTorch.** `torch.nn.RNN(D, H, batch_first=True)` computes the
# same thing; its `weight_ih_l0` is our `Wx.T` and `weight_hh_l0` our `Wh.T`, and it
# keeps two biases whose sum is our `b`. `tests/test_parity_torch_recurrent.py`
# checks outputs and every gradient against PyTorch for the RNN, the LSTM and the GRU.

# %% [markdown]
# ## 3. Backpropagation through time
#
# Say the loss $L$ depends on some or all hidden states, and let $g_t = \partial L /
# \partial h_t$ be the part that comes **directly** from the loss at step $t$ (zero for
# steps the loss does not read). But $h_t$ also influences $h_{t+1}$, which influences
# $h_{t+2}$, and so on. The chain rule collects both routes; with
# $\delta_t = dL/dh_t$ (the *total* derivative, a row of $H$ numbers):
#
# $$ \delta_t = g_t + \delta_{t+1}\,\frac{\partial h_{t+1}}{\partial h_t}, \qquad
#    \frac{\partial h_{t+1}}{\partial h_t} = \operatorname{diag}\!\bigl(1 - h_{t+1}^2\bigr)\, W_h^\top $$
#
# (in the row convention: $\delta_{t+1} \odot (1 - h_{t+1}^2)$, then times $W_h^\top$).
# Run it backwards from $t = T$ (where $\delta_T = g_T$) to $t = 1$: that is
# **backpropagation through time**. With $da_t = \delta_t \odot (1 - h_t^2)$, the
# gradient of the pre-activation at step $t$, the weights collect one contribution
# per step because they are used at every step:
#
# $$ \frac{\partial L}{\partial W_x} = \sum_t x_t^\top da_t, \qquad
#    \frac{\partial L}{\partial W_h} = \sum_t h_{t-1}^\top da_t, \qquad
#    \frac{\partial L}{\partial b} = \sum_t \sum_n da_t, \qquad
#    \frac{\partial L}{\partial x_t} = da_t W_x^\top . $$
#
# `RNN.backward(dh)` takes `dh` $(N, T, H)$, the $g_t$ of every step, runs this loop,
# fills `grads` and returns $\partial L/\partial x$ $(N, T, D)$. As in chapter 03 we
# do not trust a gradient we have not checked: `check_layer` compares it with central
# differences for every weight (float64; below $10^{-6}$ is right).

# %%
rng = np.random.default_rng(2)
x_small = rng.normal(size=(2, 5, 3))  # N = 2 sequences, T = 5 steps, D = 3
for layer in (RNN(3, 4, rng), LSTM(3, 4, rng), GRU(3, 4, rng)):
    errors = check_layer(layer, x_small, rng=rng)
    print(f"{type(layer).__name__:5s} worst relative error: {max(errors.values()):.1e}  "
          f"({', '.join(errors)})")

# %% [markdown]
# ### The product of Jacobians
#
# Unroll the recursion for a loss that reads only the last state. The gradient that
# reaches $k$ steps back is a **product of $k$ Jacobians**:
#
# $$ \frac{dL}{dh_{T-k}} = \frac{dL}{dh_T} \prod_{t=T-k+1}^{T} \operatorname{diag}(1 - h_t^2)\,W_h^\top,
#    \qquad \Bigl\lVert \frac{dL}{dh_{T-k}} \Bigr\rVert \le \Bigl\lVert \frac{dL}{dh_T} \Bigr\rVert
#    \,\bigl(\gamma\, \lVert W_h \rVert\bigr)^{k}, $$
#
# where $\gamma \le 1$ bounds $\tanh'$. This is chapter 06's product over layers, with
# one difference that makes it worse: it is **the same matrix** $W_h$ at every step. If
# its largest singular value (roughly: its spectral radius, the largest
# $|\text{eigenvalue}|$) is below 1, the gradient shrinks geometrically with the
# distance in time (**vanishing**); if it is above 1 it can grow geometrically
# (**exploding**), until the tanh saturates. After backward, every nnlib recurrent
# layer records $\lVert dL/dh_t \rVert$ for every $t$ in `layer.grad_norms`:

# %%
rng = np.random.default_rng(3)
x_long = rng.normal(size=(2, 60, 3))
base = rng.normal(size=(16, 16))
base /= np.max(np.abs(np.linalg.eigvals(base)))  # spectral radius 1

fig, ax = plt.subplots(figsize=(6.4, 3.2))
for radius, color in [(0.6, "C0"), (0.9, "C2"), (1.2, "C1"), (1.5, "C3")]:
    rnn = RNN(3, 16, rng=0)
    rnn.params["Wh"][...] = radius * base
    h = rnn.forward(x_long)
    dh = np.zeros_like(h)
    dh[:, -1] = 1.0  # the loss reads the last state only
    rnn.backward(dh)
    ax.semilogy(np.arange(60)[::-1], rnn.grad_norms, color=color, lw=2,
                label=f"spectral radius {radius}")
ax.set(xlabel="k = steps back from the loss", ylabel=r"$\Vert dL/dh_{T-k} \Vert$")
ax.set_title("an RNN's gradient through time", fontsize=10)
ax.legend(fontsize=8, frameon=False)
ax.grid(alpha=0.25)
plt.show()

# %% [markdown]
# At radius 0.6 the gradient from 60 steps back is below $10^{-13}$, at 0.9 about
# $10^{-5}$: whatever happened there can hardly be learned from this loss. Above 1 the
# product no longer shrinks and could grow geometrically; here the saturating tanh
# ($1 - h^2 \to 0$ for large $|a|$) holds it near 1. With other inputs or a ReLU cell it
# explodes. The explorer in section 5 lets you move the radius yourself.
#
# ### Truncated BPTT and clipping
#
# BPTT keeps every step's cache and runs back through all $T$ steps, so memory and
# time grow with $T$. **Truncated BPTT** cuts the backward pass every $k$ steps: the
# forward pass still carries the state across the whole sequence, but the gradient
# stops at the cut, as if the state had been detached (`h = h.detach()` every $k$
# steps in PyTorch, which computes the same numbers). It trades long-range credit for
# speed. In nnlib: `layer.truncate = k`, or `backward(dh, truncate=k)`.

# %%
rnn = RNN(3, 16, rng=0)
rnn.params["Wh"][...] = 1.2 * base
h = rnn.forward(x_long)
dh = np.zeros_like(h)
dh[:, -1] = 1.0
rnn.backward(dh, truncate=20)
print("||dL/dh_t|| at the last 3 steps of each chunk of 20:")
print(rnn.grad_norms.reshape(3, 20)[:, -3:])

# %% [markdown]
# With the loss at the last step only, everything before step 40 gets no gradient.
# (Truncation is usually combined with a loss at *every* step, as in the character
# model below: each chunk then learns from its own steps.)
#
# Exploding gradients get the cure of chapter 06: **clip the global norm** before
# the optimizer step, `clip_grad_norm(layer.grads, max_norm)` (or `fit(...,
# clip_norm=...)`). It keeps the direction and caps the length:

# %%
rnn = RNN(3, 16, rng=0)
rnn.params["Wh"][...] = 2.0 * base  # far above radius 1
h = rnn.forward(x_long)
rnn.backward(np.ones_like(h))  # a loss on every step
before = clip_grad_norm(rnn.grads, max_norm=1.0)
after = np.sqrt(sum(np.sum(g * g) for g in rnn.grads.values()))
print(f"global gradient norm before clipping: {before:.1f}, after: {after:.3f}")

# %% [markdown]
# ## 4. What a vanilla RNN cannot do well
#
# - **Long-range dependencies.** Vanishing gradients through time mean that an RNN
#   learns mostly from the last 10 to 20 steps; exploding gradients make training
#   unstable unless they are clipped.
# - **Serial computation.** Step $t$ needs $h_{t-1}$: the $T$ steps cannot run in
#   parallel, so long sequences are slow on hardware built for parallel work.
# - **Long sequences are expensive.** BPTT keeps every step's activations: memory grows
#   with $T$ (truncation trades this for shorter memory).
# - **A bottleneck of $H$ numbers.** Everything the network knows about the past must
#   fit into one state vector, overwritten a little at every step.

# %% [markdown]
# ## 5. LSTM: a cell state and gates
#
# The long short-term memory (Hochreiter and Schmidhuber, 1997; the forget gate by
# Gers et al., 2000) keeps a second state, the **cell state** $c_t$, and changes it
# only through **gates**: sigmoids between 0 (closed) and 1 (open) computed from
# $x_t$ and $h_{t-1}$. One product computes all four blocks, in PyTorch's order
# $i, f, g, o$:
#
# $$ a_t = x_t W_x + h_{t-1} W_h + b \quad (N, 4H), \qquad
#    \begin{aligned}
#    i_t &= \sigma(a_t^{(i)}) && \text{input gate: how much of the candidate to write}\\
#    f_t &= \sigma(a_t^{(f)}) && \text{forget gate: how much of the old cell to keep}\\
#    g_t &= \tanh(a_t^{(g)}) && \text{candidate: what to write}\\
#    o_t &= \sigma(a_t^{(o)}) && \text{output gate: how much of the cell to show}
#    \end{aligned} $$
#
# $$ c_t = f_t \odot c_{t-1} + i_t \odot g_t, \qquad h_t = o_t \odot \tanh(c_t). $$
#
# Here $W_x$ is $(D, 4H)$, $W_h$ is $(H, 4H)$, $b$ is $(4H,)$, and $a^{(i)}$ is the first
# block of $H$ columns, $a^{(f)}$ the second, and so on.
#
# **Why the gradient survives.** The cell update is *additive*. Along the cell path
#
# $$ \frac{\partial c_t}{\partial c_{t-1}} = \operatorname{diag}(f_t), \qquad
#    \frac{\partial c_T}{\partial c_{T-k}} = \operatorname{diag}\Bigl(\prod_{t=T-k+1}^{T} f_t\Bigr) $$
#
# (plus the paths through the gates). No $W_h$ and no $\tanh'$ in this product: only the
# forget gates, which the network *learns* to hold near 1 for as long as it needs a
# memory. (The RNN had no choice: its state is squashed and remixed at every step.)
#
# **The forget-gate bias trick.** At initialisation the forget gate is
# $\sigma(b_f + \text{small})$. With $b_f = 0$ that is 0.5, and $0.5^{40} \approx 10^{-12}$:
# a fresh LSTM forgets as fast as an RNN. Starting the forget bias at 1 (Gers et al.;
# Jozefowicz et al., 2015; Keras's `unit_forget_bias`) gives $\sigma(1) = 0.73$, and at 3
# gives $0.95$, with $0.95^{40} \approx 0.13$. nnlib's `LSTM` starts it at
# `forget_bias=1.0`; PyTorch draws its biases at random around 0, so set it yourself there.

# %%
rng = np.random.default_rng(4)
lstm = LSTM(n_in=2, n_hidden=5, rng=rng)
h = lstm.forward(X_add)
print("Wx", lstm.params["Wx"].shape, " Wh", lstm.params["Wh"].shape, " b", lstm.params["b"].shape)
print("hidden states h:", h.shape, " cell states lstm.c:", lstm.c.shape)
print("initial bias of the gates i, f, g, o:", lstm.params["b"].reshape(4, 5)[:, 0])

# %% [markdown]
# ### Explorer: the gradient through time, RNN against LSTM
#
# One RNN and one LSTM with 32 units read the same random sequences; the loss reads
# only the last state. The plot shows $\lVert dL/dh_t \rVert$ against the distance from
# the loss, on a log scale (the lines stop at the edges of the plot when the gradient
# vanishes below $10^{-16}$ or explodes beyond $10^{6}$). The **radius** slider sets
# the spectral radius of the RNN's $W_h$ (the LSTM's four recurrent blocks are scaled
# the same way); **forget bias** sets the LSTM's $b_f$.
#
# Try: with the forget bias at 1 both curves fall; raise it to 3 and then 5 and watch
# the LSTM's gradient stay of order 1 (or even grow) over 80 steps while the RNN's keeps
# falling. Set the radius to 0.6, then 1.5: the RNN goes from vanishing ($10^{-16}$ and
# below) to growing; the LSTM depends on the radius far less than on its forget gate. A
# forget bias of $-3$ makes the LSTM forget faster than any RNN.

# %%
from nnlib.explorers.recurrent import gradient_explorer

gradient_explorer(T=40, scale=1.0, forget_bias=1.0)

# %% [markdown]
# ### GRU: the lighter relative
#
# The gated recurrent unit (Cho et al., 2014) merges the cell and the hidden state and
# uses two gates instead of three. With PyTorch's equations and gate order $r, z, n$:
#
# $$ r_t = \sigma\bigl(x_t W_x^{(r)} + h_{t-1} W_h^{(r)} + b^{(r)}\bigr), \qquad
#    z_t = \sigma\bigl(x_t W_x^{(z)} + h_{t-1} W_h^{(z)} + b^{(z)}\bigr), $$
#
# $$ n_t = \tanh\bigl(x_t W_x^{(n)} + b^{(n)} + r_t \odot (h_{t-1} W_h^{(n)} + b_{hn})\bigr), \qquad
#    h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}. $$
#
# The update gate $z$ plays both forget and input gate: $h_t$ is a blend of the old state
# and the candidate, again an additive path for the gradient. The reset gate $r$ decides
# how much of the past the candidate sees. The extra bias $b_{hn}$ sits *inside* the
# product with $r$, so it cannot be merged into $b$: nnlib keeps it as the parameter
# `bhn` (PyTorch's `b_hn`).

# %%
D, H = 64, 128
for layer in (RNN(D, H, rng=0), GRU(D, H, rng=0), LSTM(D, H, rng=0)):
    shapes = ", ".join(f"{k} {v.shape}" for k, v in layer.params.items())
    print(f"{type(layer).__name__:5s} {layer.n_params():7,d} parameters: {shapes}")

# %% [markdown]
# For the same $H$, a GRU costs three quarters of an LSTM and often learns as well; the
# LSTM is the safer default when memories must last long.
#
# **What the LSTM does not fix.** It is still **serial**: step $t$ waits for step $t-1$.
# Each step costs four times an RNN step. And its memory, though longer, is still a
# fixed-size vector that the network must manage. **Attention** (the Transformer,
# Vaswani et al., 2017) drops the recurrence altogether: every position looks directly
# at every other, in parallel, so the path between any two steps has length one. That is
# the next step beyond this course.

# %% [markdown]
# ## 6. Memory: RNN against LSTM on the adding problem
#
# The adding problem makes memory measurable: the first marked value appears in the
# first half of the sequence, the second in the second half, and the network must
# output their sum after the last step. Always answering 1 (the best constant) gets
# 19 % of the sums within $\pm 0.1$; beating that requires carrying the first value
# across up to $T - 1$ steps.
#
# Three models of the same size ($H = 32$) were trained the same way (Adam, 600 steps
# of 32 fresh sequences, clipping at norm 1) for each length $T$ and three seeds: a
# vanilla RNN and two LSTMs with forget bias 1 and 3. That is 54 training runs, several
# minutes, so the explorer shows **results computed by `tools/precompute_memory.py` and
# shipped with the course**. The left plot shows learning at the chosen $T$ (mean of the
# seeds), the right one the end result for every $T$ (dots: single seeds).

# %%
from nnlib.explorers.recurrent import memory_explorer

memory_explorer(T=20)

# %% [markdown]
# The RNN gets only part of the way at $T = 5$ and 10 and nowhere beyond the baseline
# once $T \ge 20$; the LSTM solves lengths of 20 and 30 reliably, where the RNN learns
# nothing at all. Both have limits within this budget of 600 steps ($T = 75$). The larger
# forget bias did *not* help here (at $T = 50$ it did worse): the bias only sets where
# training starts; the gates themselves are learned.
#
# The shipped numbers are reproducible. `memory_run` is the function the tool used;
# rerun the first 100 steps of one configuration and compare with the file:

# %%
from nnlib.explorers.recurrent_memory import load_memory_results, memory_run

shipped = load_memory_results()["runs"]["LSTM, forget bias 1"]["10"][0]  # T = 10, seed 0
fresh = memory_run("LSTM, forget bias 1", T=10, seed=0, steps=100)
print("steps     ", fresh["steps"])
print("rerun now ", fresh["accuracy"])
print("shipped   ", shipped["accuracy"][:4])

# %% [markdown]
# ## 7. A character model
#
# A language model predicts the next symbol from the ones before it. At the level of
# characters the vocabulary is tiny and there is nothing to tokenise. `nnlib.data`
# ships a short text written for this course; `nnlib.text.Vocabulary` numbers its
# distinct characters.

# %%
from nnlib.text import Vocabulary, char_batches, load_pretrained_char_model, train_char_model

text = load_text()
vocab = Vocabulary(text)
print(f"{len(text):,d} characters, {vocab.size} distinct: {vocab.chars!r}")
print(repr(text[:120]))
ids = vocab.encode("The sea")
print("'The sea' ->", ids, "->", repr(vocab.decode(ids)))

# %% [markdown]
# Training examples are windows of the text: the input is $T$ characters, one-hot
# encoded as $(N, T, V)$, and the target at every step is the **next** character,
# $(N, T)$. The model (`CharLSTM`) is an LSTM followed by the same `Dense(H, V)` at every
# step; its output at step $t$ are $V$ logits $z_t$ for the character at $t + 1$. The
# loss is the mean cross-entropy over all $N \cdot T$ predictions (chapter 03), trained
# with Adam and global-norm clipping (`train_char_model`).

# %%
X, y = char_batches(vocab.encode(text), batch_size=2, seq_len=12, rng=np.random.default_rng(0),
                    vocab_size=vocab.size)
print("X (N, T, V):", X.shape, "  y (N, T):", y.shape)
print("input :", repr(vocab.decode(X[0].argmax(axis=1))))
print("target:", repr(vocab.decode(y[0])))

# %% [markdown]
# Training the chapter's model ($H = 64$, 3,000 steps of 32 windows of 48 characters)
# takes a few minutes, so it was trained by `tools/train_char_model.py` and ships with
# the course. The same function with the same seed gives the same numbers; here are the
# first 10 steps, rerun now, next to the shipped loss curve:

# %%
model, vocab, info = load_pretrained_char_model()
print(model, " trained with", info["config"])
_, _, first = train_char_model(text, **{**info["config"], "steps": 10})
print("loss, rerun now:", first.round(3))
print("loss, shipped  :", info["losses"][:10].round(3))
print(f"loss after {len(info['losses'])} steps (mean of the last 100): {info['losses'][-100:].mean():.3f} "
      f"nats per character (a uniform guess: ln {vocab.size} = {np.log(vocab.size):.2f})")

# %% [markdown]
# ### Sampling with a temperature
#
# To write, feed a start (the *prime*), then repeatedly draw the next character from the
# model's distribution and feed it back in. The **temperature** $\tau$ reshapes that
# distribution before drawing (chapter 02's softmax with temperature):
#
# $$ p_i = \frac{e^{z_i / \tau}}{\sum_j e^{z_j / \tau}} . $$
#
# $\tau \to 0$ always picks the most likely character (safe, and soon repetitive);
# $\tau = 1$ samples the model's own distribution; $\tau > 1$ flattens it towards
# uniform (inventive, then misspelled, then noise).

# %%
for tau in (0.2, 0.7, 1.3):
    sample = model.sample(vocab, "The wind ", 160, temperature=tau, rng=np.random.default_rng(1))
    print(f"--- temperature {tau}:\n{'The wind ' + sample}\n")

# %% [markdown]
# ### Explorer: the character model
#
# Left: the shipped model's training loss. Right: its distribution of the next
# character after the first words, at your temperature. Below: a sample of 240
# characters. Change the **temperature**, the **sampler seed** (the same seed and
# temperature always give the same text) and the **first words**.

# %%
from nnlib.explorers.recurrent import char_explorer

char_explorer(temperature=0.8, seed=0, prime="The ")

# %% [markdown]
# ## Summary
#
# - A recurrent network applies **one cell at every step** and carries a state:
#   $h_t = \tanh(x_t W_x + h_{t-1} W_h + b)$, batch-first shapes $(N, T, D) \to (N, T, H)$.
#   It handles any length and shares its weights across time.
# - **BPTT** is backprop on the unrolled network: $\delta_t = g_t + \delta_{t+1}\,
#   \mathrm{diag}(1 - h_{t+1}^2) W_h^\top$, and the weight gradients sum over steps.
# - The gradient from $k$ steps back is a product of $k$ Jacobians with the same $W_h$:
#   it **vanishes** or **explodes** geometrically (chapter 06, through time). Truncated
#   BPTT bounds the cost; clipping the global norm tames explosions.
# - The **LSTM** writes to its cell state additively, $c_t = f_t c_{t-1} + i_t g_t$, so
#   the gradient along the cell is a product of forget gates, which can stay near 1; a
#   forget bias of 1 or more makes that the starting point. Gate order $i, f, g, o$, as in
#   PyTorch. The **GRU** does the same with two gates and three quarters of the weights.
# - On the adding problem the LSTM remembers across tens of steps where the RNN learns
#   nothing. Both remain serial; attention removes the recurrence.
# - A character-level LSTM learns spelling and simple grammar from 26 KB of text;
#   the **temperature** trades safety for variety when sampling.
#
# ## Exercises
#
# Open [exercises/07_rnn_lstm.ipynb](../exercises/07_rnn_lstm.ipynb) and implement,
# each followed by its check cell:
#
# | exercise | function | watch out for |
# |---|---|---|
# | 7.1 | `rnn_step_forward` | the cache `(x, h_prev, Wx, Wh, h)` |
# | 7.2 | `rnn_step_backward` | the tanh derivative $1 - h^2$ first, then every gradient |
# | 7.3 | `rnn_forward` | batch first: step $t$ is `x[:, t]`; return every state |
# | 7.4 | `lstm_step_forward` | gate order $i, f, g, o$; $h = o \tanh(c)$ |
# | 7.5 | `lstm_step_backward` | $c$ reaches the loss through $h$ too; `dc_prev` needs $f$ |
#
# This is the last chapter. Back to the [course map](00_start_here.ipynb#Course-map).

# %% [markdown] tags=["nav"]
# ---
# ← [06 Vanishing and exploding gradients](06_gradients.ipynb) | [Course map](00_start_here.ipynb#Course-map)
