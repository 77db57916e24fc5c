# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [05 Regularisation](05_regularisation.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [07 RNN and LSTM](07_rnn_lstm.ipynb) →

# %% [markdown]
# # 06 · Vanishing and exploding gradients
#
# Backpropagation multiplies. The gradient that reaches the first layer of a deep
# network is a product of one factor per layer above it, and a product of many
# numbers is either tiny or huge unless the numbers are very close to 1. Tiny: the
# first layers do not learn (the **vanishing gradient**). Huge: one step throws the
# weights away and the loss overflows (the **exploding gradient**). This chapter
# measures both, layer by layer, and takes apart the four remedies that made deep
# networks trainable: activations that do not saturate, the right initialisation,
# normalisation, and residual connections; plus gradient clipping for the steps that
# explode anyway.
#
# **In this notebook you will**
# - see why the gradient of layer $l$ contains a product of $L - l$ factors, and what
#   $\sigma' \le \tfrac14$ does to it;
# - watch the first layers of a deep sigmoid network refuse to learn;
# - meet every initialiser in `nnlib.init`: zeros, constant, random normal/uniform with
#   a fixed scale, truncated normal, Glorot/Xavier, He/Kaiming and LeCun, and derive
#   their variances on one page;
# - explore activations and gradients across up to 50 layers for any activation,
#   initialiser and weight scale;
# - repair a deep network with **batch norm** and with **residual connections**
#   ($y = x + F(x)$), and watch the gradient norm of every layer during training;
# - make gradients explode, and tame them by **clipping the global norm**.
#
# You need chapter 03 (backprop through layers, $\delta = \partial L / \partial z$),
# chapter 02 (activations and their derivatives) and chapter 05 (batch norm).

# %%
# %matplotlib inline
import functools

import matplotlib.pyplot as plt
import numpy as np

from nnlib import init
from nnlib.data import load_digits
from nnlib.diagnostics import StatsRecorder, layer_stats
from nnlib.layers import Activation, BatchNorm, Dense, Residual
from nnlib.model import Sequential
from nnlib.optim import SGD
from nnlib.train import fit

np.set_printoptions(precision=4, suppress=True)
X_digits, y_digits = load_digits(scale=True)  # X (1797, 64) in [0, 1], y (1797,) labels 0..9
order = np.random.default_rng(0).permutation(len(X_digits))
X_train, y_train = X_digits[order[:1000]], y_digits[order[:1000]]

# %% [markdown]
# ## 1. Why gradients vanish or explode
#
# A plain network of $L$ dense layers computes, for $l = 1, \dots, L$,
#
# $$ z_l = a_{l-1} W_l + b_l, \qquad a_l = f(z_l), \qquad a_0 = X . $$
#
# Backpropagation (chapter 03) sends $\delta_l = \partial L / \partial z_l$ down, one
# layer at a time, and builds each weight gradient from it:
#
# $$ \delta_{l} = \bigl(\delta_{l+1} W_{l+1}^{\top}\bigr) \odot f'(z_{l}), \qquad
#    \frac{\partial L}{\partial W_l} = a_{l-1}^{\top}\, \delta_l . $$
#
# Unroll it with one unit per layer (every quantity a number) and the pattern is plain:
#
# $$ \delta_1 = \delta_L \prod_{l=2}^{L} w_l\, f'(z_{l-1}) . $$
#
# The gradient at layer 1 is the gradient at the top times $L - 1$ factors $w f'(z)$.
# If they are about $\tfrac14$, the product is $4^{-(L-1)}$; if they are about 2, it
# is $2^{L-1}$. With many units the factors are matrices, but the lesson is the same:
# only factors close to 1 (in size) survive depth.

# %%
print("factor   L = 5       L = 10      L = 20      L = 50")
for factor in (0.25, 0.5, 0.9, 1.0, 1.1, 2.0):
    print(f"{factor:6}   " + "  ".join(f"{factor ** (L - 1):10.3g}" for L in (5, 10, 20, 50)))

# %% [markdown]
# The sigmoid is the classic culprit: $\sigma'(z) = \sigma(z)(1 - \sigma(z)) \le \tfrac14$,
# with equality only at $z = 0$. Even with ideal weights every sigmoid layer divides the
# gradient by at least 4.
#
# **What it does to early layers.** Gradient descent moves each weight in proportion to
# its gradient. A first layer whose gradient is a million times smaller than the last
# layer's learns a million times more slowly: it stays at its random initial values,
# and every layer above it must work with random features. `nnlib.diagnostics` measures
# this. `layer_stats(model, X, y, loss)` runs one forward and one backward pass and
# returns, per layer, the mean and standard deviation of the activations, the same for
# the gradient arriving at the layer, and the norm of the layer's parameter gradient:

# %%
def deep_net(activation, init_name, depth=8, width=32, seed=0):
    """depth x [Dense(width), activation] on the 64 pixels, then Dense(width, 10)."""
    rng = np.random.default_rng(seed)
    layers, d = [], 64
    for _ in range(depth):
        layers += [Dense(d, width, init=init_name, rng=rng), Activation(activation)]
        d = width
    return Sequential(layers + [Dense(width, 10, rng=rng)])


sigmoid_net = deep_net("sigmoid", "glorot_uniform")
stats = layer_stats(sigmoid_net, X_train[:256], y_train[:256], "softmax_cross_entropy")
print("layer                      act std    grad norm")
for name, a_std, g_norm in zip(stats["names"], stats["act_std"], stats["grad_norm"]):
    print(f"{name:24}  {a_std:8.3f}   {g_norm:10.2e}")

# %% [markdown]
# (`nan` marks layers without parameters.) The gradient norm of the first `Dense` layer is
# about $5 \times 10^{4}$ times smaller than the last one's, a factor of about 4 per layer. Train it for ten epochs next to the
# same network with ReLU and He initialisation (section 3 explains He), and measure how
# far each layer's weights moved, $\lVert W_{\text{after}} - W_{\text{before}} \rVert /
# \lVert W_{\text{before}} \rVert$:

# %%
def relative_change_per_layer(model, epochs=10, lr=0.05):
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    before = [layer.params["W"].copy() for layer in dense]
    history = fit(model, "softmax_cross_entropy", SGD(lr=lr, momentum=0.9), X_train, y_train,
                  epochs=epochs, batch_size=64, rng=0, progress=False)
    change = [np.linalg.norm(layer.params["W"] - w) / np.linalg.norm(w) for layer, w in zip(dense, before)]
    return np.array(change), history.history["accuracy"][-1]


change_sigmoid, acc_sigmoid = relative_change_per_layer(deep_net("sigmoid", "glorot_uniform"))
change_relu, acc_relu = relative_change_per_layer(deep_net("relu", "he_normal"))

fig, ax = plt.subplots(figsize=(7.0, 3.0), dpi=100)
layers_axis = np.arange(1, len(change_sigmoid) + 1)
ax.semilogy(layers_axis, change_sigmoid, "o-", label=f"sigmoid, Glorot (accuracy {acc_sigmoid:.0%})")
ax.semilogy(layers_axis, change_relu, "s-", label=f"ReLU, He (accuracy {acc_relu:.0%})")
ax.set(xlabel="Dense layer (1 = next to the input, 9 = output)", ylabel="relative change of W",
       title="How far each layer's weights moved in 10 epochs", xticks=layers_axis)
ax.grid(alpha=0.3)
ax.legend(frameon=False, loc="lower right")
fig.tight_layout()
plt.show()

# %% [markdown]
# The sigmoid network's first layers hardly move (a change of about 0.01 % of their
# size) and it stays at chance level, about 10 % on ten classes; the ReLU network's
# layers all move by tens of percent and it learns.
#
# ## 2. Saturation, and activations that do not saturate
#
# The factor $f'(z)$ is small in two ways. Its **maximum** may be small (sigmoid:
# $\tfrac14$). And where $\lvert z \rvert$ is large, S-shaped activations are flat:
# the unit is **saturated** and $f'(z) \approx 0$ ($\sigma'(5) \approx 0.0066$,
# $\tanh'(3) \approx 0.0099$). Large $\lvert z \rvert$ comes from large weights or
# large inputs, which is why initialisation (section 3) and normalisation (section 4)
# matter even for tanh.
#
# | activation | largest $f'$ | saturates? | typical use |
# |---|---|---|---|
# | sigmoid | $\tfrac14$ at $z = 0$ | both sides | output of a binary classifier, gates (chapter 07) |
# | tanh | 1 at $z = 0$ | both sides | RNNs, small networks |
# | ReLU | 1 for every $z > 0$ | left side only ($f' = 0$) | default for hidden layers |
# | leaky ReLU, ELU, SELU, GELU, swish | about 1 for $z > 0$ | no (a small slope on the left) | deep networks |
#
# A ReLU passes the gradient of every active unit unchanged, so depth alone does not
# shrink it. It has its own failure, the dead unit (chapter 02), which the leaky
# variants avoid. Choosing a non-saturating activation is the first remedy; the weights
# must still be scaled right, which is the second.
#
# ## 3. Initialisation
#
# ### Zeros and constants: symmetry
#
# If every weight of a layer starts at the same value, every unit of that layer computes
# the same thing, receives the same gradient and takes the same step, at every step: the
# units stay copies of each other, and a layer of 16 units is no better than one unit.
# With **zeros** it is worse still: with $W_2 = 0$ no gradient reaches the first layer
# at all, and with ReLU ($\mathrm{relu}'(0) = 0$) nothing below the output bias learns.

# %%
constant = functools.partial(init.constant, value=0.1)  # every weight 0.1
twins = Sequential([Dense(64, 16, init=constant, rng=0), Activation("tanh"),
                    Dense(16, 10, init=constant, rng=0)])
history = fit(twins, "softmax_cross_entropy", SGD(lr=0.5), X_train, y_train, epochs=5,
              batch_size=64, rng=0, progress=False)
W1 = twins.layers[0].params["W"]  # (64, 16): column j holds unit j's weights
print(f"constant 0.1: weights moved by up to {np.abs(W1 - 0.1).max():.4f}, "
      f"but the 16 units differ by {np.ptp(W1, axis=1).max()}: still identical; "
      f"accuracy {history.history['accuracy'][-1]:.0%}")

zero = Sequential([Dense(64, 16, init="zeros", rng=0), Activation("relu"),
                   Dense(16, 10, init="zeros", rng=0)])
history = fit(zero, "softmax_cross_entropy", SGD(lr=0.5), X_train, y_train, epochs=5,
              batch_size=64, rng=0, progress=False)
print(f"zeros: largest weight after training {np.abs(zero.layers[0].params['W']).max()} and "
      f"{np.abs(zero.layers[2].params['W']).max()}; loss {history.history['loss'][-1]:.4f} "
      f"(ln 10 = {np.log(10):.4f}: it only learned the class frequencies)")

# %% [markdown]
# Constants are right for **biases** (`nnlib` starts them at 0, like PyTorch and Keras)
# and wrong for weights. Weights need randomness to break the symmetry, and then the
# question is only *how much*.
#
# ### Random weights with a fixed scale
#
# `random_normal` draws $W_{ij} \sim \mathcal N(0, s^2)$ with Keras's default $s = 0.05$,
# whatever the size of the layer; `random_uniform` draws from $U(-0.05, 0.05)$. Each unit
# sums `fan_in` inputs, so the variance of $z$ is about $\text{fan\_in} \cdot s^2$ times
# that of the inputs: with 64 inputs and $s = 0.05$ the factor is $0.16$ per layer, with
# $s = 0.3$ it is $5.8$. Here is the standard deviation of the activations through 30
# tanh layers of 64 units (computed by this chapter's first explorer, whose `compute`
# is a plain function):

# %%
from nnlib.explorers.gradients import init_compute

fig, axes = plt.subplots(1, 2, figsize=(8.4, 3.1), dpi=100)
settings = [("random_normal", 0.2, "N(0, 0.01²)"), ("random_normal", 1.0, "N(0, 0.05²)  (Keras default)"),
            ("random_normal", 6.0, "N(0, 0.3²)"), ("glorot_normal", 1.0, "Glorot normal")]
for name, scale, label in settings:
    data = init_compute(30, "tanh", name, scale)
    axes[0].semilogy(data["layers"], data["act_std"], label=label)
    axes[1].semilogy(data["layers"], data["grad_std"], label=label)
axes[0].set(title="forward: std of activations", xlabel="layer", ylim=(1e-12, 3))
axes[1].set(title="backward: std of gradients δ", xlabel="layer", ylim=(1e-12, 1e4))
for ax in axes:
    ax.grid(alpha=0.3)
axes[0].legend(frameon=False, fontsize=8, loc="lower left")
fig.tight_layout()
plt.show()

# %% [markdown]
# Too small a scale: the signal shrinks by a constant factor per layer, forward and
# backward. Too large: the tanh units saturate (the activations sit near $\pm 1$, their
# standard deviation near 1), and the gradient, multiplied by large weights at every
# layer, now *grows* towards the input: saturation does not save the network from
# exploding. Only a scale matched to the layer's size keeps both in range.
#
# **Truncated normal** (`truncated_normal`, Keras `TruncatedNormal`) redraws every value
# beyond 2 standard deviations. No weight starts far out in the tails, and the variance
# is smaller than $s^2$ by a fixed factor, $0.7737$:

# %%
draws = init.truncated_normal((400, 250), np.random.default_rng(0), std=0.05)
print(f"largest |w| = {np.abs(draws).max():.4f} (2 std = 0.1); variance {draws.var():.3e}, "
      f"theory 0.7737 * 0.05² = {init.truncated_normal.variance((400, 250), std=0.05):.3e}")

# %% [markdown]
# ### Glorot, He and LeCun: the variance that keeps signals alive
#
# Take one layer, $z_j = \sum_{i=1}^{n_\text{in}} a_i W_{ij}$, with weights drawn
# independently with mean 0 and variance $\operatorname{Var}(W)$, independent of the
# inputs $a_i$. For independent factors with mean-zero weights,
# $\operatorname{Var}(a_i W_{ij}) = \mathbb E[a_i^2]\,\operatorname{Var}(W)$, and the
# variances of a sum of independent terms add:
#
# $$ \operatorname{Var}(z_j) = n_\text{in}\, \operatorname{Var}(W)\, \mathbb E[a^2] . $$
#
# **Forward, tanh or linear.** Near 0, $\tanh(z) \approx z$, so with mean-zero $z$,
# $\mathbb E[a^2] \approx \operatorname{Var}(z_\text{prev})$ and
# $\operatorname{Var}(z_l) = n_\text{in} \operatorname{Var}(W) \operatorname{Var}(z_{l-1})$.
# The variance stays the same from layer to layer when
#
# $$ n_\text{in}\, \operatorname{Var}(W) = 1 \quad\Longrightarrow\quad
#    \operatorname{Var}(W) = \frac{1}{n_\text{in}} \qquad \text{(LeCun, 1998)} .$$
#
# **Backward.** $\delta_{l-1} = (\delta_l W_l^\top) \odot f'(z_{l-1})$: each entry of
# $\delta_{l-1}$ sums over the $n_\text{out}$ units that the input feeds, and near 0
# $f' \approx 1$. The same argument gives
# $\operatorname{Var}(\delta_{l-1}) = n_\text{out} \operatorname{Var}(W) \operatorname{Var}(\delta_l)$,
# constant when $n_\text{out} \operatorname{Var}(W) = 1$.
#
# **Both at once** is possible only when $n_\text{in} = n_\text{out}$. Glorot and Bengio
# (2010) take the compromise, the harmonic mean of the two conditions:
#
# $$ \operatorname{Var}(W) = \frac{2}{n_\text{in} + n_\text{out}} \qquad \text{(Glorot / Xavier)} .$$
#
# **ReLU** zeroes the negative half of $z$: for $z$ symmetric around 0,
# $\mathbb E[a^2] = \mathbb E[z^2 \,;\, z > 0] = \tfrac12 \operatorname{Var}(z)$. The
# forward condition becomes $\tfrac12\, n_\text{in} \operatorname{Var}(W) = 1$:
#
# $$ \operatorname{Var}(W) = \frac{2}{n_\text{in}} \qquad \text{(He / Kaiming, 2015)} .$$
#
# (In the backward pass, half the $f'(z)$ are 0 and half are 1, so the same factor 2
# appears with $n_\text{out}$; He et al. show that either fan alone keeps the product
# bounded, and use $n_\text{in}$.)
#
# **Normal or uniform.** Any distribution with mean 0 and the right variance will do.
# $U(-l, l)$ has variance $l^2 / 3$, so the uniform versions use $l = \sqrt{3 \operatorname{Var}(W)}$:
#
# | `nnlib.init` | distribution | $\operatorname{Var}(W)$ | PyTorch | Keras |
# |---|---|---|---|---|
# | `glorot_normal` | $\mathcal N(0, \sigma^2)$ | $2 / (n_\text{in} + n_\text{out})$ | `xavier_normal_` | `GlorotNormal`* |
# | `glorot_uniform` | $U(-l, l)$, $l = \sqrt{6 / (n_\text{in} + n_\text{out})}$ | $2 / (n_\text{in} + n_\text{out})$ | `xavier_uniform_` | `GlorotUniform` (default) |
# | `he_normal` | $\mathcal N(0, \sigma^2)$ | $2 / n_\text{in}$ | `kaiming_normal_` | `HeNormal`* |
# | `he_uniform` | $U(-l, l)$, $l = \sqrt{6 / n_\text{in}}$ | $2 / n_\text{in}$ | `kaiming_uniform_` | `HeUniform` |
# | `lecun_normal` | $\mathcal N(0, \sigma^2)$ | $1 / n_\text{in}$ | `kaiming_normal_(nonlinearity="linear")` | `LecunNormal`* |
# | `lecun_uniform` | $U(-l, l)$, $l = \sqrt{3 / n_\text{in}}$ | $1 / n_\text{in}$ | — | `LecunUniform` |
#
# \*Keras truncates its normal versions at 2 standard deviations and rescales them to
# the same variance. `fan_in` is `W.shape[0]` in `nnlib` (W is $(D_\text{in}, D_\text{out})$);
# PyTorch stores the transpose, so there it is `weight.shape[1]`. The numbers are the same.
# SELU networks use LeCun normal; ReLU networks He; tanh, sigmoid and linear layers Glorot.
#
# Every `nnlib` initialiser knows its variance, so the table can be checked by drawing:

# %%
shape = (300, 200)  # fan_in = 300, fan_out = 200
rng = np.random.default_rng(0)
print("initialiser        sample variance   formula")
for name in ("random_normal", "random_uniform", "truncated_normal", "glorot_normal", "glorot_uniform",
             "he_normal", "he_uniform", "lecun_normal", "lecun_uniform"):
    f = init.get(name)
    print(f"{name:18} {f(shape, rng).var():.6f}          {f.variance(shape):.6f}")

# %% [markdown]
# ### Explorer: activations and gradients through a deep stack
#
# A stack of up to 50 dense layers (64 units, no bias) takes a fixed batch of 128
# Gaussian inputs ($\operatorname{Var} = 1$). Each layer's weights come from the
# **initialiser** you choose, times the **weight scale** (1 means the initialiser as it is).
# The backward pass starts from a fixed random gradient at the top. Left: a histogram of
# each layer's activations $a_l$ (forward, top) and gradients $\delta_l$ (backward,
# bottom, in units of the top layer's), one column per layer, brighter where more
# values fall (each column scaled to its own peak). Right: their standard deviations on a
# log scale; the dashed line is 1, the input's.
#
# Try this:
# - tanh with `glorot_normal`: both bands narrow only slowly over 50 layers (the
#   gradients stay within a factor of 10). Now pick `random_normal` (the fixed
#   $s = 0.05$): the activations collapse to 0 within a few layers, and the gradients
#   die just as fast on the way down.
# - Back to `glorot_normal`, scale 3: the activation histograms pile up at $\pm 1$
#   (saturation), and the gradients explode towards the input.
# - sigmoid with `glorot_normal`: the gradient falls by at least 4 per layer
#   ($\sigma' \le \tfrac14$). A scale of 10 keeps it alive, but look at the activations:
#   pushed to 0 and 1, saturated.
# - relu with `glorot_normal` loses half its variance per layer (std $\times 0.71$);
#   `he_normal` fixes it exactly. relu with scale 1.5: explosion.
# - `zeros` and `ones`: every unit of a layer computes the same value (with zeros, all
#   0; with ones, values that grow 64-fold per layer).

# %%
from nnlib.explorers.gradients import init_explorer

init_explorer(depth=20, activation="tanh", initializer="glorot_normal")

# %% [markdown]
# ## 4. Batch norm as a remedy
#
# Batch norm (chapter 05) standardises every feature over the batch before the
# activation, $\hat z = (z - \mu_B) / \sqrt{\sigma_B^2 + \epsilon}$, then scales and
# shifts it with $\gamma, \beta$. Whatever the weights did to the scale of $z$, the next
# activation sees unit variance again. Here are 20 tanh layers with the badly scaled
# `random_normal` ($s = 0.05$), without and with a `BatchNorm` after every `Dense`
# (statistics in training mode, as the optimizer sees them):

# %%
def tower(batch_norm, depth=20, seed=0):
    rng = np.random.default_rng(seed)
    small = functools.partial(init.random_normal, std=0.05)
    layers, d = [], 64
    for _ in range(depth):
        layers.append(Dense(d, 64, init=small, rng=rng))
        if batch_norm:
            layers.append(BatchNorm(64))
        layers.append(Activation("tanh"))
        d = 64
    return Sequential(layers + [Dense(64, 10, rng=rng)])


print("                 activation std after layer       gradient norm of Dense layer")
print("                 1        5        10       20       1        10       20")
for batch_norm in (False, True):
    model = tower(batch_norm)
    s = layer_stats(model, X_train[:256], y_train[:256], "softmax_cross_entropy", training=True)
    acts = [i for i, layer in enumerate(model.layers) if isinstance(layer, Activation)]
    dense = [i for i, layer in enumerate(model.layers) if isinstance(layer, Dense)]
    a, g = s["act_std"][acts], s["grad_norm"][dense]
    print(f"{'with' if batch_norm else 'without':7} batch norm " + " ".join(f"{v:8.1e}" for v in a[[0, 4, 9, 19]])
          + " " + " ".join(f"{v:8.1e}" for v in g[[0, 9, 19]]))

# %% [markdown]
# Without batch norm the activations lose a factor of about 2.5 per layer, and the first
# layer's gradient is $10^{-8}$. With it, every layer's activations have the same spread
# and no layer's gradient vanishes. (The gradients even grow towards the input: batch norm
# divides by the batch's standard deviation, which small weights made small. Its output
# does not depend on the scale of $W$, so the gradient with respect to $W$ scales like
# $1 / \lVert W \rVert$.)
#
# ## 5. Residual connections
#
# A residual layer adds its input to what its block computes (He et al., 2016, ResNet):
#
# $$ y = x + F(x), \qquad \frac{\partial y}{\partial x} = I + F'(x) . $$
#
# Backward, $\partial L / \partial x = \partial L / \partial y + F'(x)^\top \partial L /
# \partial y$: the gradient arrives **undiminished** through the identity, plus whatever
# the block adds. Through a stack of residual layers the product of Jacobians
# $\prod_l (I + F_l')$ no longer shrinks when the blocks' $F'_l$ are small; with
# small blocks each layer is close to the identity, and a deep network starts out
# behaving like a shallow one. `nnlib.layers.Residual(block)` wraps any layer or
# `Sequential` whose output has its input's shape; its parameters are the block's, under
# the prefix `block.`. A gradient check confirms the backward pass:

# %%
from nnlib.gradcheck import check_layer

rng = np.random.default_rng(0)
layer = Residual(Sequential([Dense(4, 4, rng=rng), Activation("tanh"), Dense(4, 4, rng=rng)]))
errors = check_layer(layer, rng.standard_normal((3, 4)))
print(sorted(layer.params), f"worst relative error {max(errors.values()):.1e}")

# %% [markdown]
# The same 30 sigmoid blocks, stacked plainly and with residual connections (a first
# `Dense` maps the 64 pixels to 32 features, a last one to the 10 classes):

# %%
def sigmoid_stack(residual, depth=30, seed=0):
    rng = np.random.default_rng(seed)
    layers = [Dense(64, 32, rng=rng)]
    for _ in range(depth):
        block = Sequential([Dense(32, 32, init="glorot_uniform", rng=rng), Activation("sigmoid")])
        layers.append(Residual(block) if residual else block)
    return Sequential(layers + [Dense(32, 10, rng=rng)])


for residual in (False, True):
    s = layer_stats(sigmoid_stack(residual), X_train[:256], y_train[:256], "softmax_cross_entropy")
    print(f"{'residual' if residual else 'plain':8}: gradient norm of the first layer {s['grad_norm'][0]:.1e}, "
          f"block 1 {s['grad_norm'][1]:.1e}, block 30 {s['grad_norm'][30]:.1e}, output {s['grad_norm'][-1]:.1e}")

# %% [markdown]
# Plain, the first layer's gradient is $10^{-20}$: no learning is possible. With the skip
# connections every layer's gradient norm lies between 1 and 100. (It grows towards the
# output because every sigmoid block adds a positive output to the sum, so the features
# grow with depth: residual networks still want normalisation, and use it.)
#
# **In recurrent networks** (chapter 07) depth is time: the same layer is applied at every
# step, and the gradient from step $t$ back to step $t - k$ is a product of $k$ Jacobians.
# A plain RNN, $h_t = \tanh(h_{t-1} W_h + x_t W_x + b)$, multiplies by $W_h^\top$ and
# $\tanh'$ at every step and forgets within a few dozen steps. The LSTM's cell state is
# updated additively, $c_t = f_t \odot c_{t-1} + i_t \odot g_t$, so that
# $\partial c_t / \partial c_{t-1} = f_t$ (elementwise): with the forget gate open,
# $f_t \approx 1$, the gradient passes through time as through a residual connection.
#
# ### Explorer: training a deep network, with and without the remedies
#
# A network of 5 to 20 hidden layers (32 units each) learns 512 digits for 20 epochs
# (SGD with momentum 0.9, learning rate 0.02, batches of 128). A `StatsRecorder`
# measures every layer's gradient norm on a fixed probe batch before training and after
# each epoch; the heatmap shows $\log_{10}$ of it, one row per layer (0 next to the
# input, the top row the output layer), one column per epoch. Choose the activation
# (sigmoid with Glorot, or ReLU with He) and a remedy (batch norm before each
# activation, or residual blocks $x + \mathrm{Dense}(f(\mathrm{Dense}(x)))$ whose second
# `Dense` starts at zero). Each setting trains once (about a second), then is cached.
#
# Try this:
# - sigmoid, no remedy, 10 layers: the lower half of the heatmap is dark (gradient norms
#   of $10^{-6}$) at every epoch, and the loss stays at chance, $\ln 10$. At 20 layers the
#   first ten rows are below the colour scale.
# - Add batch norm: the whole heatmap is bright, and the same sigmoid network learns.
#   Residual blocks: bright too, and learning starts, more slowly with sigmoid.
# - ReLU with He needs no remedy at 10 layers; at 20 it learns slowly. ReLU with residual
#   blocks is the ResNet recipe: it reaches the lowest loss at every depth.

# %%
from nnlib.explorers.gradients import depth_explorer

depth_explorer(activation="sigmoid (Glorot)", remedy="none", depth=10)

# %% [markdown]
# `fit` can record the same statistics for any model: pass a `StatsRecorder` as its
# `callback`, and the record appears in `history.layer_stats` (one row per epoch).

# %%
model = deep_net("relu", "he_normal", depth=4)
recorder = StatsRecorder(X_train[:128], y_train[:128], "softmax_cross_entropy")
recorder.record(model)  # the state before training, as epoch 0
history = fit(model, "softmax_cross_entropy", SGD(lr=0.05, momentum=0.9), X_train, y_train, epochs=3,
              batch_size=64, rng=0, progress=False, callback=recorder)
table = history.layer_stats
print("epochs", table["epoch"], "  grad_norm shape (epochs, layers):", table["grad_norm"].shape)
print("gradient norm of the first Dense layer per epoch:", table["grad_norm"][:, 0])

# %% [markdown]
# ## 6. Exploding gradients and clipping
#
# When the factors are larger than 1 the product explodes instead: weights a little too
# large in a deep ReLU network, or a recurrent weight matrix with a largest singular
# value above 1 (chapter 07). One huge gradient times the learning rate sends the weights
# far away, the next loss is larger still, and within a few steps it is `inf`.
#
# **Clipping by global norm** limits the length of the step. With every gradient array
# $g_1, \dots, g_P$ of the model (all layers, weights and biases),
#
# $$ \lVert g \rVert = \sqrt{\textstyle\sum_{p} \sum_{\text{entries}} g_p^2}, \qquad
#    g_p \leftarrow g_p \cdot \min\Bigl(1, \frac{c}{\lVert g \rVert}\Bigr) \quad \text{for every } p .$$
#
# Gradients below the threshold $c$ pass unchanged; larger ones are scaled down to length
# $c$, **all by the same factor**, so the direction of the step is kept and only its
# length is capped. **Clipping by value** clips each entry to $[-c, c]$ on its own; a
# gradient whose entries are clipped unevenly points somewhere else afterwards:

# %%
from nnlib.optim import clip_grad_norm, clip_grad_value

g = {"W": np.array([10.0, 1.0])}
by_norm = {"W": g["W"].copy()}
total = clip_grad_norm(by_norm, 1.0)  # in place, like torch.nn.utils.clip_grad_norm_
by_value = {"W": g["W"].copy()}
clip_grad_value(by_value, 1.0)  # in place, like torch.nn.utils.clip_grad_value_


def angle(v):
    return np.degrees(np.arctan2(v[1], v[0]))


print(f"gradient {g['W']}, norm {total:.3f}, direction {angle(g['W']):.1f}°")
print(f"clipped by norm 1:  {by_norm['W']}, direction {angle(by_norm['W']):.1f}°")
print(f"clipped by value 1: {by_value['W']}, direction {angle(by_value['W']):.1f}°")

# %% [markdown]
# Per-tensor clipping (each array by its own norm) is in between: it keeps each array's
# direction but changes the balance between layers. `nnlib.optim.clip_grad_norm` computes
# the same numbers as PyTorch's `clip_grad_norm_` (including its $10^{-6}$ in
# $c / (\lVert g \rVert + 10^{-6})$) and returns the norm before clipping; `fit` applies
# it before every step when given `clip_norm`. Here is a 6-layer ReLU network whose
# He-normal weights are 1.5 times too large, fitting house prices with SGD:

# %%
from nnlib.explorers.gradients_clip import exploding_network, house_data

X_house, y_house = house_data()  # (256, 4) and (256, 1), standardised
for clip in (None, 1.0):
    history = fit(exploding_network(scale=1.5), "mse", SGD(lr=0.01), X_house, y_house, epochs=60,
                  batch_size=256, rng=0, progress=False, clip_norm=clip)
    if history.diverged:
        print(f"clip_norm={clip}: diverged at step {history.diverged['step']} "
              f"(losses {', '.join(f'{v:.3g}' for v in history.batch_loss)})")
    else:
        print(f"clip_norm={clip}: loss {history.history['loss'][0]:.1f} -> {history.history['loss'][-1]:.3f}")

# %% [markdown]
# ### Explorer: exploding and clipping
#
# The same network and data, trained for 60 full-batch steps twice: without clipping (red)
# and with the global norm clipped to the **threshold** (blue, dashed). Left: the loss;
# right: the global gradient norm before clipping, with the threshold as a dashed line.
# The sliders retrain on release.
#
# Try this:
# - **weight scale** 1: both runs are the same line (the gradient never exceeds the
#   threshold much, and clipping changes little). From about 1.4 the unclipped run
#   overflows within a few steps (the red ✕).
# - With clipping, the loss falls steadily even from $10^{5}$: each step has length
#   at most $\eta c$ and points downhill.
# - A very small threshold (0.1) makes training slow; a very large one (100 or more)
#   does not clip the first steps and diverges like the unclipped run. In practice
#   $c$ is set around the typical gradient norm of healthy training (1 to 5 is common).

# %%
from nnlib.explorers.gradients import clip_explorer

clip_explorer(scale=1.5, clip=1.0)

# %% [markdown]
# ## Summary
#
# - The gradient of layer $l$ is a product of one factor per layer above it. Factors
#   below 1 make it **vanish** (sigmoid: $\sigma' \le \tfrac14$), above 1 **explode**.
#   `layer_stats` and `StatsRecorder` (in `nnlib.diagnostics`) measure activations and
#   gradients per layer.
# - **Activations**: ReLU and its relatives do not saturate on the positive side.
# - **Initialisation**: zeros or constants never break the symmetry between units; a fixed
#   scale is wrong for most layer sizes. Keep $\operatorname{Var}(z)$ constant:
#   LeCun $1 / n_\text{in}$, Glorot $2 / (n_\text{in} + n_\text{out})$ (tanh, sigmoid),
#   He $2 / n_\text{in}$ (ReLU); uniform versions use $l = \sqrt{3 \operatorname{Var}}$.
# - **Batch norm** resets the scale of every layer's input, whatever the weights.
# - **Residual connections** $y = x + F(x)$ give the gradient a path with factor 1;
#   the LSTM's cell state does the same through time (chapter 07).
# - **Clipping by global norm** caps the step's length and keeps its direction; clipping
#   by value changes the direction. `fit(..., clip_norm=c)` does the former.
#
# ## Exercises
#
# Open [exercises/06_gradients.ipynb](../exercises/06_gradients.ipynb) and implement,
# each followed by its check cell:
#
# | exercise | function | watch out for |
# |---|---|---|
# | 6.1 | `glorot_uniform(fan_in, fan_out, rng)` | the limit $\sqrt{6 / (n_\text{in} + n_\text{out})}$; draw from `rng` |
# | 6.2 | `he_normal(fan_in, fan_out, rng)` | variance $2 / n_\text{in}$: fan_in, not fan_out; numpy wants the std |
# | 6.3 | `clip_by_global_norm(grads, max_norm)` | one norm for all arrays; unchanged below the threshold |
# | 6.4 | `residual_forward(x, W, b)` | $y = x + \mathrm{relu}(xW + b)$ and its cache |
# | 6.5 | `residual_backward(dy, cache)` | the identity path: $dx = dy + \dots$ |
#
# Next: **07 RNN and LSTM**: the same layer applied through time, where vanishing and
# exploding gradients first became famous.

# %% [markdown] tags=["nav"]
# ---
# ← [05 Regularisation](05_regularisation.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [07 RNN and LSTM](07_rnn_lstm.ipynb) →
