# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [01 Neurons](01_neurons.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [03 Forward and backprop](03_backprop.ipynb) →

# %% [markdown]
# # 02 · Activations
#
# A neuron computes a weighted sum $z = x \cdot w + b$ and then passes it through an
# **activation function** $f$: $a = f(z)$. Chapter 01 used the step and the sigmoid.
# This chapter is about the choice of $f$: why there must be one at all, what the
# common ones look like, and how the wrong one quietly stops a network from learning.
#
# **In this notebook you will**
# - see, with numbers, that a stack of linear layers is just one linear layer, and that
#   one non-linearity changes that;
# - meet every activation in `nnlib.activations` (sigmoid, tanh, ReLU, leaky ReLU, ELU,
#   SELU, softplus, softsign, swish, GELU, hard sigmoid, linear) with its formula,
#   derivative, range and typical use;
# - watch **saturation** shrink gradients layer after layer (the vanishing gradient);
# - find **dead ReLU units** in a layer that looks at real handwritten digits;
# - turn scores into probabilities with **softmax**, change its **temperature**, and make
#   it numerically safe with the max-shift.
#
# You need chapter 01's neuron ($z = x \cdot w + b$, $a = f(z)$) and a little calculus
# (a derivative as a slope).

# %%
# %matplotlib inline
import math

import matplotlib.pyplot as plt
import numpy as np

from nnlib import activations as act
from nnlib.layers import Dense

np.set_printoptions(precision=4, suppress=True)
NAMES = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus", "softsign",
         "swish", "gelu", "hard_sigmoid", "linear"]  # the twelve elementwise activations

# %% [markdown]
# ## 1. Why a non-linearity at all?
#
# A dense layer computes $X W + b$ (rows of $X$ are samples). Put two of them in a row
# with nothing in between:
#
# $$ (X W_1 + b_1)\, W_2 + b_2 \;=\; X\, \underbrace{W_1 W_2}_{W} \;+\; \underbrace{b_1 W_2 + b_2}_{b} .$$
#
# The result is again *one* linear layer, with weights $W = W_1 W_2$ and bias
# $b = b_1 W_2 + b_2$. However many linear layers you stack, the network can only
# ever compute what a single layer computes: a linear function of its input. Let us
# check with three `nnlib` layers (4 → 8 → 8 → 3) and random biases:

# %%
rng = np.random.default_rng(0)
layers = [Dense(4, 8, rng=rng), Dense(8, 8, rng=rng), Dense(8, 3, rng=rng)]
for layer in layers:  # give every layer a non-zero bias too
    layer.params["b"][:] = rng.normal(size=layer.params["b"].shape)
X = rng.normal(size=(200, 4))  # 200 samples, 4 features

out = X
for layer in layers:
    out = layer.forward(out)

(W1, b1), (W2, b2), (W3, b3) = [(layer.params["W"], layer.params["b"]) for layer in layers]
W = W1 @ W2 @ W3  # (4, 3)
b = (b1 @ W2 + b2) @ W3 + b3  # (3,)
print("three layers == one layer X @ W + b:", np.allclose(out, X @ W + b))
print("shapes of the single layer:", W.shape, b.shape)

# %% [markdown]
# Now put a ReLU, $f(z) = \max(0, z)$, after the first two layers and ask for the
# *best* single linear layer that imitates the network (a least-squares fit of $W$ and
# $b$ over the 200 samples). If the network were still linear the fit would be exact.

# %%
out = X
for i, layer in enumerate(layers):
    out = layer.forward(out)
    if i < len(layers) - 1:
        out = act.relu(out)

X1 = np.hstack([X, np.ones((len(X), 1))])  # a column of ones carries the bias
coef, *_ = np.linalg.lstsq(X1, out, rcond=None)
error = np.abs(X1 @ coef - out).mean()
spread = np.abs(out - out.mean(axis=0)).mean()
print(f"best single linear layer is off by {error:.3f} on average")
print(f"(the outputs themselves vary by {spread:.3f} around their mean)")

# %% [markdown]
# The non-linearity is what lets depth pay off. The classic example is XOR, which
# chapter 01 showed no single neuron can compute. Two ReLU units and one output
# neuron do it (weights set by hand, from Goodfellow, Bengio and Courville's
# *Deep Learning*, section 6.1):
#
# $$ h = \operatorname{relu}\!\left(x \begin{bmatrix}1 & 1\\ 1 & 1\end{bmatrix} + \begin{bmatrix}0 & -1\end{bmatrix}\right), \qquad
#    y = h \begin{bmatrix}1\\ -2\end{bmatrix}. $$

# %%
X_xor = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
hidden, output = Dense(2, 2, rng=0), Dense(2, 1, rng=0)
hidden.params["W"][:] = [[1, 1], [1, 1]]
hidden.params["b"][:] = [0, -1]
output.params["W"][:] = [[1], [-2]]
output.params["b"][:] = 0

with_relu = output.forward(act.relu(hidden.forward(X_xor)))
without = output.forward(hidden.forward(X_xor))  # the same weights, no activation
print("x1 x2 | XOR | with ReLU | without")
for x, r, w in zip(X_xor, with_relu[:, 0], without[:, 0]):
    print(f" {x[0]:.0f}  {x[1]:.0f} |  {int(x[0]) ^ int(x[1])}  |    {r:.0f}      |   {w:.0f}")

# %% [markdown]
# ## 2. The activation functions
#
# Every activation in `nnlib.activations` is an object `f` with the value `f(z)`
# and the derivative `f.grad(z)`, both elementwise. Parameters are keywords
# (`act.leaky_relu(z, alpha=0.2)`), and `act.get("relu")` finds one by name.
# $\sigma$ is the sigmoid.
#
# | activation | $f(z)$ | $f'(z)$ | range | typical use |
# |---|---|---|---|---|
# | linear | $z$ | $1$ | $(-\infty, \infty)$ | output of a regression network |
# | sigmoid | $\sigma(z) = \dfrac{1}{1 + e^{-z}}$ | $\sigma(z)\,(1 - \sigma(z))$ | $(0, 1)$ | binary-classification output; LSTM and GRU gates |
# | tanh | $\tanh z = \dfrac{e^{z} - e^{-z}}{e^{z} + e^{-z}}$ | $1 - \tanh^2 z$ | $(-1, 1)$ | RNN hidden states (zero-centred) |
# | ReLU | $\max(0, z)$ | $1$ if $z > 0$, else $0$ | $[0, \infty)$ | default for hidden layers (MLPs, CNNs) |
# | leaky ReLU | $z$ if $z > 0$, else $\alpha z$ ($\alpha = 0.01$) | $1$ if $z > 0$, else $\alpha$ | $(-\infty, \infty)$ | hidden layers where ReLUs die; GANs ($\alpha = 0.2$) |
# | ELU | $z$ if $z > 0$, else $\alpha (e^{z} - 1)$ ($\alpha = 1$) | $1$ if $z > 0$, else $\alpha e^{z}$ | $(-\alpha, \infty)$ | hidden layers; smooth, mean closer to 0 |
# | SELU | $\lambda z$ if $z > 0$, else $\lambda \alpha (e^{z} - 1)$ | $\lambda$ if $z > 0$, else $\lambda \alpha e^{z}$ | $(-\lambda\alpha, \infty) \approx (-1.758, \infty)$ | self-normalising networks (with LeCun-normal weights) |
# | softplus | $\ln(1 + e^{z})$ | $\sigma(z)$ | $(0, \infty)$ | smooth ReLU; keeps an output positive (a scale, a rate) |
# | softsign | $\dfrac{z}{1 + \lvert z \rvert}$ | $\dfrac{1}{(1 + \lvert z \rvert)^2}$ | $(-1, 1)$ | a tanh that saturates slowly; rarely used today |
# | swish (SiLU) | $z\, \sigma(z)$ | $\sigma(z)\,(1 + z\,(1 - \sigma(z)))$ | $[-0.278, \infty)$ | EfficientNet; SwiGLU blocks of LLaMA-style transformers |
# | GELU | $\tfrac{z}{2}\left(1 + \tanh\!\left(\sqrt{2/\pi}\,(z + 0.044715\, z^3)\right)\right)$ | see below | $[-0.170, \infty)$ | transformers (BERT, GPT-2) |
# | hard sigmoid | $\min(\max(\tfrac{z}{6} + \tfrac12, 0), 1)$ | $\tfrac16$ if $-3 < z < 3$, else $0$ | $[0, 1]$ | cheap sigmoid on phones (MobileNetV3) |
# | softmax | $\dfrac{e^{z_i}}{\sum_j e^{z_j}}$ (a whole vector) | $\dfrac{\partial p_i}{\partial z_j} = p_i(\delta_{ij} - p_j)$ | probabilities, sum 1 | multi-class output (section 5) |
#
# SELU's constants are $\lambda = 1.0507009873554805$ and $\alpha = 1.6732632423543772$.
# GELU's derivative, with $k = \sqrt{2/\pi}$, $c = 0.044715$ and $t = \tanh(k(z + c z^3))$:
#
# $$ \operatorname{GELU}'(z) = \tfrac12 (1 + t) + \tfrac12\, z\, (1 - t^2)\, k\, (1 + 3 c z^2). $$
#
# At a kink (ReLU at $z = 0$, hard sigmoid at $\pm 3$) the derivative does not exist;
# like PyTorch, `nnlib` uses the value from the flat side: $\operatorname{relu}'(0) = 0$.
#
# Here are all twelve, each with its derivative:

# %%
z = np.linspace(-5, 5, 501)
fig, axes = plt.subplots(3, 4, figsize=(7.6, 5.6), dpi=100, sharex=True)
for ax, name in zip(axes.flat, NAMES):
    f = act.get(name)
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
    ax.plot(z, f(z), color="C0", lw=2, label="f(z)")
    ax.plot(z, f.grad(z), color="C3", lw=1.5, ls="--", label="f'(z)")
    ax.set_title(name, fontsize=10)
    ax.tick_params(labelsize=8)
    ax.set_ylim((min(-2.2, f(z).min() - 0.2), 5.2) if f(z).max() > 2 else (-1.2, 1.2))
    ax.grid(alpha=0.25)
fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="upper center", ncol=2,
           frameon=False, bbox_to_anchor=(0.5, 1.0))
fig.tight_layout(rect=(0, 0, 1, 0.95))
plt.show()

# %% [markdown]
# Read the picture in three groups:
#
# - **S-shaped** (sigmoid, tanh, softsign, hard sigmoid): bounded outputs, and a
#   derivative that is large only near $z = 0$ and fades towards 0 on both sides.
# - **ReLU-like** (ReLU, leaky ReLU, ELU, SELU, softplus, swish, GELU): unbounded
#   above with slope about 1 for large $z$, so the derivative does not fade for positive
#   inputs. They differ on the left: ReLU is flat at 0, leaky ReLU keeps a small slope,
#   ELU and SELU bend smoothly to a floor, swish and GELU dip slightly below 0.
# - **linear**: no activation at all (the derivative is 1 everywhere).
#
# The `f.grad` above is the exact formula from the table. A central difference
# $\frac{f(z + h) - f(z - h)}{2h}$ should agree with it everywhere except at the kinks:

# %%
h = 1e-6
z = np.linspace(-5, 5, 1001)
z = z[np.all([np.abs(z - k) > 1e-3 for k in (-3, 0, 3)], axis=0)]  # skip the kinks
for name in NAMES:
    f = act.get(name)
    numerical = (f(z + h) - f(z - h)) / (2 * h)
    assert np.allclose(f.grad(z), numerical, rtol=1e-6, atol=1e-8), name
print(f"f.grad matches the central difference for all {len(NAMES)} activations")

# %% [markdown]
# ### Explorer: the activation gallery
#
# Pick an activation; the plot shows $f$ (solid) and $f'$ (dashed). The orange
# band marks where the function is **saturated**: where $\lvert f'(z) \rvert$ is below 5%
# of its largest value, so a gradient passing through this unit is cut to a twentieth
# or less. The slider sets $\alpha$ for leaky ReLU and ELU (it is greyed out for the others,
# and jumps to PyTorch's default when you pick one of them).
#
# Try this:
# - **sigmoid**: which share of $[-6, 6]$ is saturated? Compare **tanh** and **softsign**.
# - **ReLU**: the whole left half is "saturated": $f' = 0$ exactly. Switch to **leaky ReLU**
#   and raise $\alpha$ past 0.05: the band disappears.
# - **ELU** with $\alpha = 1$ has a derivative that is continuous at 0; with any other
#   $\alpha$ it jumps.
# - **GELU** and **swish** have a thin band near their minimum: $f' = 0$ at that one
#   point (a flat spot, not a saturated tail).

# %%
from nnlib.explorers.activations import gallery_explorer

gallery_explorer("sigmoid")

# %% [markdown]
# ### nnlib computes what PyTorch computes
#
# Every definition and default in `nnlib.activations` is PyTorch's
# (`torch.nn.functional`), so what you build here transfers unchanged:
#
# | nnlib | PyTorch | note |
# |---|---|---|
# | `sigmoid`, `tanh`, `relu`, `softsign`, `linear` | `Sigmoid`, `Tanh`, `ReLU`, `Softsign`, `Identity` | $\operatorname{relu}'(0) = 0$ |
# | `leaky_relu` ($\alpha = 0.01$) | `LeakyReLU(negative_slope=0.01)` | Keras's `LeakyReLU` layer defaults to $\alpha = 0.3$ |
# | `elu` ($\alpha = 1$), `selu` | `ELU(alpha=1.0)`, `SELU()` | SELU constants from Klambauer et al. (2017) |
# | `softplus` | `Softplus(beta=1)` | PyTorch returns $z$ itself for $z > 20$, a difference of at most $e^{-20} \approx 2 \times 10^{-9}$ |
# | `swish` | `SiLU()` | swish with $\beta = 1$ |
# | `gelu` | `GELU(approximate="tanh")` | PyTorch's *default* `GELU()` is the exact $z\,\Phi(z)$ |
# | `hard_sigmoid` | `Hardsigmoid()` | $\operatorname{relu6}(z + 3)/6$; Keras 3 agrees, Keras 2 used $0.2z + 0.5$ |
#
# Three of these deserve a closer look. **GELU** is defined as $z\,\Phi(z)$, with $\Phi$ the
# standard normal CDF; the tanh formula approximates it. How closely?

# %%
z = np.linspace(-6, 6, 12001)
gelu_exact = z * 0.5 * (1 + np.vectorize(math.erf)(z / math.sqrt(2)))  # z * Phi(z)
gap = np.abs(act.gelu(z) - gelu_exact)
print(f"largest |tanh approximation - exact GELU| on [-6, 6]: {gap.max():.5f} at z = {z[gap.argmax()]:.2f}")

# %% [markdown]
# A difference of about $5 \times 10^{-4}$: invisible in a plot, but not bit-for-bit
# equal, so when you compare with PyTorch, ask for `GELU(approximate="tanh")`.
#
# **Hard sigmoid** has two definitions in the wild. PyTorch (and Keras 3) use
# $\operatorname{relu6}(z + 3)/6 = \min(\max(z/6 + 1/2, 0), 1)$, with kinks at $\pm 3$;
# Keras 2 and older papers used $\min(\max(0.2 z + 0.5, 0), 1)$, with kinks at $\pm 2.5$.
# Same idea, different numbers:

# %%
z = np.array([-3.0, -2.5, -1.0, 0.0, 1.0, 2.5, 3.0])
keras2 = np.clip(0.2 * z + 0.5, 0, 1)
print("z                    ", z)
print("PyTorch  relu6(z+3)/6", act.hard_sigmoid(z))
print("Keras 2  0.2 z + 0.5 ", keras2)
print("sigmoid              ", act.sigmoid(z))

# %% [markdown]
# **SELU**'s odd-looking constants are chosen so that if $z \sim \mathcal N(0, 1)$ then
# $\operatorname{selu}(z)$ again has mean 0 and variance 1: activations keep their scale
# from layer to layer (chapter 06). Integrating against the normal density confirms it:

# %%
z = np.linspace(-12, 12, 240001)
density = np.exp(-z**2 / 2) / math.sqrt(2 * math.pi)
dz = z[1] - z[0]
s = act.selu(z)
mean = np.sum(s * density) * dz
var = np.sum((s - mean) ** 2 * density) * dz
print(f"lambda = {act.SELU_SCALE:.16f}, alpha = {act.SELU_ALPHA:.16f}")
print(f"z ~ N(0, 1):  mean of selu(z) = {abs(mean):.6f},  variance = {var:.6f}")

# %% [markdown]
# ## 3. Saturation and the vanishing gradient
#
# Training moves each weight against the gradient of the loss, and backpropagation
# (chapter 03) computes that gradient with the chain rule: going back through a unit
# $a = f(z)$ multiplies the gradient by $f'(z)$. For the sigmoid,
#
# $$ \sigma'(z) = \sigma(z)\,(1 - \sigma(z)) \le \tfrac14 , $$
#
# because $s(1 - s)$ is largest at $s = \tfrac12$, that is at $z = 0$. Take the simplest
# deep network, a chain with one sigmoid unit per layer,
# $z^{(l+1)} = w_{l+1}\, \sigma(z^{(l)}) + b_{l+1}$. The chain rule gives
#
# $$ \frac{\partial \mathcal L}{\partial z^{(1)}} = \frac{\partial \mathcal L}{\partial z^{(L)}}
#    \prod_{l=1}^{L-1} w_{l+1}\, \sigma'(z^{(l)}) , $$
#
# so every layer multiplies the gradient by a factor $\sigma' \le \tfrac14$ (times a
# weight), and the $\sigma'$ part of the product of $L$ layers is at most $(\tfrac14)^{L}$.
# With wider layers the $w$ become matrices; the shrinking stays.

# %%
for L in (1, 2, 5, 10, 20):
    print(f"L = {L:2d}:  (1/4)^L = {0.25 ** L:.2e}")

# %% [markdown]
# And that is the *best* case, at $z = 0$. When $\lvert z \rvert$ is large the unit is
# **saturated**: $\sigma'(5) \approx 0.0066$, $\sigma'(10) \approx 0.000045$. tanh is
# better ($\tanh'(0) = 1$) but saturates the same way. ReLU's derivative is exactly 1
# for every positive input, however large.
#
# Here is the effect in a real network: ten dense layers of 64 units on the 1,797
# handwritten digits of `nnlib.data.load_digits`, once with sigmoid, once with tanh
# (both with Glorot-uniform weights) and once with ReLU (He-normal weights, the
# initialisation made for it; chapter 06 explains both). We send the gradient of
# a simple loss (the mean output) back and measure the average size of each layer's
# weight gradient $\partial \mathcal L / \partial W$:

# %%
from nnlib.data import load_digits
from nnlib.layers import Activation

X_digits, y_digits = load_digits(scale=True)  # X (1797, 64) in [0, 1]


def weight_gradient_sizes(name, init, depth=10, seed=0):
    """Mean |dL/dW| of each Dense layer of a depth-layer network, first layer first."""
    rng = np.random.default_rng(seed)
    net = []
    for _ in range(depth):
        net += [Dense(64, 64, init=init, rng=rng), Activation(name)]
    a = X_digits
    for layer in net:
        a = layer.forward(a)
    dout = np.ones_like(a) / a.size  # loss = mean of the last layer's outputs
    for layer in reversed(net):
        dout = layer.backward(dout)
    return [np.abs(layer.grads["W"]).mean() for layer in net if isinstance(layer, Dense)]


sizes = {
    "sigmoid": weight_gradient_sizes("sigmoid", "glorot_uniform"),
    "tanh": weight_gradient_sizes("tanh", "glorot_uniform"),
    "relu": weight_gradient_sizes("relu", "he_normal"),
}
print("layer   sigmoid      tanh      relu")
for i, row in enumerate(zip(*sizes.values()), start=1):
    print(f"{i:5d}  " + "  ".join(f"{v:.2e}" for v in row))
print(f"first / last layer: sigmoid {sizes['sigmoid'][0] / sizes['sigmoid'][-1]:.1e}, "
      f"tanh {sizes['tanh'][0] / sizes['tanh'][-1]:.2f}, relu {sizes['relu'][0] / sizes['relu'][-1]:.2f}")

# %%
fig, ax = plt.subplots(figsize=(7.0, 3.2), dpi=100)
layers_axis = np.arange(1, 11)
for (name, values), marker in zip(sizes.items(), "osd"):
    ax.semilogy(layers_axis, values, marker=marker, lw=1.8, label=name)
ax.set(xlabel="layer (1 = nearest the input)", ylabel="mean |dL/dW|", xticks=layers_axis,
       title="Gradient size per layer, 10-layer network on the digits")
ax.grid(alpha=0.3)
ax.legend(frameon=False)
fig.tight_layout()
plt.show()

# %% [markdown]
# With sigmoid the first layer's gradient is about a million times smaller than the
# last layer's: the early layers barely learn. With tanh and ReLU the ten layers stay
# within a factor of 3 of each other. This is the **vanishing gradient**
# problem; it kept deep networks untrainable until ReLU, better initialisation and
# normalisation arrived (chapter 06 takes it apart layer by layer).
#
# ### Explorer: saturation
#
# Where does saturation come from? From *large inputs*. The explorer feeds one fixed
# batch of 4,000 Gaussian numbers $g$, scaled by $s$ (so $z = s\,g$ has standard deviation
# $s$), through sigmoid, tanh and ReLU. The top row shows the histogram of the outputs
# $f(z)$, the bottom row the histogram of the derivatives $f'(z)$.
#
# Try this:
# - At $s = 0.1$ every sigmoid derivative is near its maximum $\tfrac14$, every tanh
#   derivative near 1: no saturation.
# - Raise $s$ towards 10: sigmoid and tanh outputs pile up at their limits, and the
#   derivatives pile up at 0. Watch the share of "$f' < 5\%$ of max" climb.
# - ReLU's derivative histogram does not change at all: half the inputs are negative
#   (derivative 0), half positive (derivative 1), at every scale.

# %%
from nnlib.explorers.activations import saturation_explorer

saturation_explorer(scale=1.0)

# %% [markdown]
# ## 4. Dying ReLU
#
# ReLU fixes saturation for positive inputs but has its own failure. Its derivative
# is exactly 0 for $z \le 0$. Unit $j$'s weights get the gradient
#
# $$ \frac{\partial \mathcal L}{\partial W_{:,j}} = \sum_{n} x_n\, \delta_{nj}\, \operatorname{relu}'(z_{nj}), $$
#
# a sum over the samples $n$ in which every term is 0 when $z_{nj} \le 0$. If a unit's
# pre-activation is $\le 0$ for **every** input in the data set, the unit outputs 0
# everywhere and its gradient is exactly 0: gradient descent will never change its
# weights again. The unit is **dead**. It happens when a bias is pushed far negative (a
# too-large learning-rate step often does that), or when the initial weights are poor.
#
# ### Explorer: dying ReLU
#
# A layer of 64 ReLU units with He-normal weights (seeded) looks at all 1,797 digit
# images. Every unit gets the same bias $b$. Left: the share of images each unit fires
# on (fires means $z > 0$), red for the units that fire on none. Right: as a function of
# $b$, the share of dead units and the share of (image, unit) pairs that fire.
#
# Try this:
# - At $b = 0$, already 2 of the 64 units are dead: their random weights happen to make
#   $z \le 0$ for every digit (pixel values are $\ge 0$, so mostly negative weights do that).
# - Lower $b$ to $-1.2$: more than half of the layer is dead, and the units still
#   alive fire on only a few images.
# - Raise $b$ above $0.45$: every unit fires on at least one image.

# %%
from nnlib.explorers.activations import dying_explorer

dying_explorer(bias=0.0)

# %% [markdown]
# The dead units really get no gradient. With the explorer's layer at $b = -1$ and
# the loss "mean of all outputs", compare the weight gradients of the dead units under
# ReLU and under leaky ReLU, whose slope $\alpha$ on the left keeps a little gradient
# flowing:

# %%
from nnlib import init
from nnlib.explorers.activations import dying_compute

W = init.he_normal((64, 64), np.random.default_rng(0))  # the explorer's layer
bias = -1.0
Z = X_digits @ W + bias  # (1797, 64) pre-activations
dead = dying_compute(bias)["dead"]
dout = np.ones_like(Z) / Z.size  # dL/da for L = mean of all outputs

dW_relu = X_digits.T @ (dout * act.relu.grad(Z))
dW_leaky = X_digits.T @ (dout * act.leaky_relu.grad(Z, alpha=0.01))
print(f"dead units at b = {bias}: {dead.sum()} of {dead.size}")
print(f"largest |dL/dW| of a dead unit, ReLU:       {np.abs(dW_relu[:, dead]).max():.1e}")
print(f"largest |dL/dW| of a dead unit, leaky ReLU: {np.abs(dW_leaky[:, dead]).max():.1e}")

# %% [markdown]
# The usual remedies: a leaky ReLU, ELU or GELU (a non-zero gradient on the left), He
# initialisation and zero (or small positive) biases, and a learning rate that is
# not too large. You will implement `relu`, `relu_grad` and `leaky_relu` in the exercises.
#
# ## 5. Softmax: scores into probabilities
#
# A classifier with $K$ classes ends in $K$ scores $z_1, \dots, z_K$ (the **logits**).
# Softmax turns them into a probability distribution:
#
# $$ p_i = \operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}} . $$
#
# Every $p_i$ is positive, they sum to 1, and a larger score always gets a larger
# probability. Adding the same constant $c$ to every score changes nothing, because
# $e^{z_i + c} = e^{c} e^{z_i}$ and the factor $e^{c}$ cancels. With two classes and
# scores $(z, 0)$, softmax is the sigmoid: $\frac{e^z}{e^z + 1} = \sigma(z)$.

# %%
z = np.array([2.0, 1.0, 0.5, -0.5, -1.5])  # logits of five classes
p = act.softmax(z)
print("p           =", p, " sum =", p.sum())
print("p of z + 100 =", act.softmax(z + 100))
print("softmax([3, 0])[0] =", act.softmax(np.array([3.0, 0.0]))[0], " sigmoid(3) =", act.sigmoid(3.0))

# %% [markdown]
# ### Temperature
#
# Dividing the logits by a **temperature** $T > 0$ before the softmax,
# $p = \operatorname{softmax}(z / T)$, controls how peaked the distribution is. As
# $T \to 0$ all the probability goes to the largest score (the argmax); as
# $T \to \infty$ the distribution becomes uniform, $p_i = 1/K$. Language models use
# it when they sample: a low temperature gives safe, repetitive text, a high one
# surprising text. A single number measures the spread, the **entropy**
#
# $$ H(p) = -\sum_i p_i \ln p_i , \qquad 0 \le H(p) \le \ln K , $$
#
# 0 for a certain outcome (one $p_i = 1$), $\ln K$ for the uniform distribution
# ($\ln 5 \approx 1.61$ nats for five classes).
#
# ### Explorer: softmax temperature
#
# Five fixed logits (left) and their softmax at temperature $T$ (right); the dashed
# outline is $T = 1$ for comparison. The slider is logarithmic, from 0.05 to 20.
#
# Try this:
# - $T = 0.05$: "cat" takes all the probability, and $H = 0$.
# - $T = 20$: all five approach $\tfrac15$ and $H$ approaches $\ln 5$.
# - The *order* of the classes never changes with $T$: temperature changes how
#   confident the distribution is, never which class is the most likely.

# %%
from nnlib.explorers.activations import softmax_explorer

softmax_explorer(temperature=1.0)

# %% [markdown]
# ### Numerical stability: the max-shift
#
# Typed in directly, the formula breaks for large scores: $e^{1000}$ does not fit in a
# float64 (the largest is about $1.8 \times 10^{308} \approx e^{709.8}$), so it becomes
# `inf`, and $\infty / \infty$ is `nan`. (The `np.errstate` block only silences numpy's
# overflow warnings, so that you see the result rather than the warning.)

# %%
def naive_softmax(z):
    e = np.exp(z)
    return e / e.sum()


z = np.array([1000.0, 999.0, 998.0])
with np.errstate(over="ignore", invalid="ignore"):
    print("exp(z)           =", np.exp(z))
    print("naive_softmax(z) =", naive_softmax(z))

# %% [markdown]
# The fix uses the shift invariance from above: subtract the largest score first.
#
# $$ \operatorname{softmax}(z)_i = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}}, \qquad m = \max_j z_j . $$
#
# Now the largest exponent is $e^0 = 1$ and every other is between 0 and 1: nothing can
# overflow, and the sum is at least 1, so there is no division by 0 either. This is what
# `nnlib.activations.softmax` (and PyTorch) compute.

# %%
shifted = z - z.max()
print("z - max(z)       =", shifted)
print("shifted softmax  =", np.exp(shifted) / np.exp(shifted).sum())
print("act.softmax(z)   =", act.softmax(z))

# %% [markdown]
# Cross-entropy (chapter 03) needs $\ln p_i$, and a probability that underflows to 0
# gives $\ln 0 = -\infty$. `log_softmax` computes $\ln p_i = (z_i - m) - \ln \sum_j e^{z_j - m}$
# directly and stays finite:

# %%
z = np.array([0.0, -1000.0])
with np.errstate(divide="ignore"):
    print("log(softmax(z)) =", np.log(act.softmax(z)))
print("log_softmax(z)  =", act.log_softmax(z))

# %% [markdown]
# ## Summary
#
# - Without an activation, any stack of dense layers is a single linear layer
#   ($W = W_1 W_2$, $b = b_1 W_2 + b_2$). A non-linearity between layers is what makes
#   depth useful (XOR needs just two ReLU units).
# - The S-shaped activations (sigmoid, tanh, softsign, hard sigmoid) **saturate**: for
#   large $\lvert z \rvert$ their derivative is nearly 0. $\sigma' \le \tfrac14$, so
#   through $L$ sigmoid layers the gradient shrinks like $(\tfrac14)^L$ or faster: the
#   **vanishing gradient**.
# - ReLU's derivative is 1 for every positive input, which is why it is the default for
#   hidden layers; but a unit whose input is never positive is **dead** and never
#   learns again. Leaky ReLU, ELU, SELU, swish and GELU keep some gradient on the left.
# - **Softmax** turns logits into probabilities; dividing by a **temperature** sharpens
#   ($T < 1$) or flattens ($T > 1$) it; entropy measures the spread, from 0 to $\ln K$.
#   Always subtract the maximum before exponentiating, and use `log_softmax` for logs.
# - `nnlib`'s definitions and defaults are PyTorch's (GELU is `approximate="tanh"`,
#   hard sigmoid is `relu6(z + 3) / 6`, SELU's constants are the paper's).
#
# ## Exercises
#
# Open [exercises/02_activations.ipynb](../exercises/02_activations.ipynb) and implement,
# each followed by its check cell:
#
# | exercise | function | watch out for |
# |---|---|---|
# | 2.1 | `sigmoid` | stays finite, without warnings, for $z = \pm 1000$ |
# | 2.2 | `sigmoid_grad` | the derivative at $z$: $\sigma(z)(1 - \sigma(z))$ |
# | 2.3 | `tanh_grad` | $1 - \tanh^2 z$ |
# | 2.4 | `relu` | any shape in, the same shape out |
# | 2.5 | `relu_grad` | the value at $z = 0$ (0, as in PyTorch) |
# | 2.6 | `leaky_relu` | the slope $\alpha$ on the left |
# | 2.7 | `softmax` | the max-shift; each row sums to 1 |
#
# Next: **03 Forward and backprop**: layers as matrices, losses, and the chain rule that
# carries the derivatives of this chapter back through a whole network.

# %% [markdown] tags=["nav"]
# ---
# ← [01 Neurons](01_neurons.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [03 Forward and backprop](03_backprop.ipynb) →
