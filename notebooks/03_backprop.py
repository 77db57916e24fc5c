# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [02 Activations](02_activations.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [04 Gradient descent and optimizers](04_optimizers.ipynb) →

# %% [markdown]
# # 03 · Forward propagation, losses and backpropagation
#
# A network is a chain of matrix operations. Running the chain forward turns inputs
# into a prediction; a **loss** turns the prediction into one number that says how
# wrong it is; **backpropagation** runs the chain backwards and finds, for every
# weight, how the loss changes when that weight moves. Those derivatives are all that
# gradient descent needs. This chapter builds the three pieces by hand, checks them
# against numerical derivatives and against `nnlib`, and then lets a network learn.
#
# **In this notebook you will**
# - write a 3-4-1 network that predicts house prices as matrix products, with the
#   shape of every array, for a whole batch of houses at once;
# - see the forward pass as a **computational graph** and what it must cache;
# - meet every loss in `nnlib.losses` (regression and classification), its gradient
#   and when to use it, and see why softmax with cross-entropy has the gradient
#   $p - y$;
# - derive **backpropagation** step by step for the 2-layer network, then step
#   through it operation by operation in an explorer;
# - **check gradients** numerically, and learn what size of error is good;
# - train networks end to end with `nnlib.train.fit`, and play with a small classifier
#   in a playground.
#
# You need chapter 02's activations and their derivatives, and the chain rule from
# calculus: if $y = f(u)$ and $u = g(x)$ then $\frac{dy}{dx} = \frac{dy}{du}\frac{du}{dx}$.
#
# **Notation.** $N$ is the number of samples in a batch, $D$ the number of input
# features, $H$ the number of hidden units. $X W$ is a matrix product (`X @ W` in
# numpy), $\odot$ an elementwise product (`*`). For any array $V$ in the network,
# $dV$ means $\partial L / \partial V$, the derivative of the loss with respect to
# each entry of $V$; it always has the shape of $V$. The code uses the same names
# (`dW1` is $dW_1$).

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from nnlib import data, losses
from nnlib.activations import sigmoid, softmax
from nnlib.gradcheck import numerical_gradient, rel_error
from nnlib.layers import Activation, Dense
from nnlib.model import Sequential

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## 1. A network as matrices
#
# ### The running example: house prices
#
# `nnlib.data.house_prices` makes a synthetic housing market (its formula is in its
# docstring, so we know the truth). Each house has four features, `bedrooms`, `age`
# (years), `distance_to_sea_km` and `pool` (0 or 1), and a price in thousands. We use
# **three** of them, bedrooms, age and distance to the sea, and leave the pool out: to
# our model the pool becomes part of the noise, one reason why no model can predict
# these prices perfectly.

# %%
rng = np.random.default_rng(0)
X_raw, price = data.house_prices(200, rng)
FEATURES = data.HOUSE_FEATURES[:3]  # bedrooms, age, distance_to_sea_km
X_raw = X_raw[:, :3]                 # drop the pool column

print(f"{'':6} {FEATURES[0]:>9} {FEATURES[1]:>6} {FEATURES[2]:>19} {'price':>8}")
for i in range(4):
    b, a, d = X_raw[i]
    print(f"house {i + 1} {b:7.0f} {a:8.1f} {d:16.1f} km {price[i]:8.1f}")
print("X_raw:", X_raw.shape, "  price:", price.shape)

# %% [markdown]
# The features live on very different scales (bedrooms 1 to 5, distance 0 to 50 km).
# A network learns much more easily when every input has mean 0 and standard deviation
# 1, so we **standardise** each column, $x \mapsto (x - \mu) / \sigma$, and the price
# too. Then every number in the network is of order 1: the sigmoid units start in their
# steep middle rather than saturated (chapter 02), and one learning rate suits every
# weight.

# %%
mu, sigma = X_raw.mean(axis=0), X_raw.std(axis=0)
X = (X_raw - mu) / sigma
price_mu, price_sigma = price.mean(), price.std()
y = ((price - price_mu) / price_sigma).reshape(-1, 1)  # a column: one target per row

print("X:", X.shape, "column means", X.mean(axis=0).round(6) + 0, "stds", X.std(axis=0))
print("y:", y.shape, f"(1 unit of y = {price_sigma:.1f} thousand)")
print(X[:4])

# %% [markdown]
# ### The 3-4-1 network
#
# Three inputs, one hidden layer of four sigmoid units, one linear output (a price can be
# any number). For a batch of $N$ houses, stacked as the rows of $X$:
#
# $$
# \begin{aligned}
# Z_1 &= X W_1 + b_1 & A_1 &= \sigma(Z_1) \\
# \hat y &= A_1 W_2 + b_2 & L &= \tfrac{1}{N} \textstyle\sum_i (\hat y_i - y_i)^2
# \end{aligned}
# $$
#
# | array | shape | what it holds |
# |---|---|---|
# | $X$ | $(N, 3)$ | one house per row, one feature per column |
# | $W_1$ | $(3, 4)$ | column $j$: the weights of hidden unit $j$ |
# | $b_1$ | $(4,)$ | one bias per hidden unit, added to every row |
# | $Z_1, A_1$ | $(N, 4)$ | pre-activations and activations: one row per house, one column per unit |
# | $W_2$ | $(4, 1)$ | the output unit's weights |
# | $b_2$ | $(1,)$ | its bias |
# | $\hat y$, $y$ | $(N, 1)$ | prediction and target, one per house |
# | $L$ | scalar | the mean squared error over the batch |
#
# The rule for a dense layer: $X$ is $(N, D_{in})$, $W$ is $(D_{in}, D_{out})$, and
# $XW$ is $(N, D_{out})$: the inner sizes must match and disappear. Adding $b$, of shape
# $(D_{out},)$, to an $(N, D_{out})$ matrix adds it to every row (numpy calls this
# broadcasting). The network has $3 \cdot 4 + 4 + 4 \cdot 1 + 1 = 21$ parameters.
#
# Let us run it with small random weights on the first four houses. (The stepper
# explorer in section 4 uses exactly these weights and houses.)

# %%
rng = np.random.default_rng(0)
W1 = rng.normal(0, 0.8, (3, 4))
b1 = rng.normal(0, 0.2, 4)
W2 = rng.normal(0, 0.8, (4, 1))
b2 = rng.normal(0, 0.2, 1)

Xb, yb = X[:4], y[:4]  # a batch of N = 4 houses
Z1 = Xb @ W1 + b1
A1 = sigmoid(Z1)
y_hat = A1 @ W2 + b2
L = np.mean((y_hat - yb) ** 2)
for name, v in [("X", Xb), ("W1", W1), ("b1", b1), ("Z1", Z1), ("A1", A1), ("W2", W2),
                ("b2", b2), ("y_hat", y_hat)]:
    print(f"{name:6} {str(v.shape):7}")
print(f"L = {L:.4f}")

# %% [markdown]
# ### Rows or columns?
#
# Here a **row is a sample**, as in numpy, PyTorch and Keras: `X[i]` is house $i$.
# Many textbooks (and Andrew Ng's courses) stack samples as **columns** instead and
# write $z = W x + b$ for one column vector $x$, with $W$ of shape $(D_{out}, D_{in})$.
# Both describe the same network; the matrices are transposes of each other:
#
# $$ Z_{\text{col}} = W_{\text{col}}\, X_{\text{col}} + b \quad\Longleftrightarrow\quad
#    Z_{\text{col}}^{T} = X_{\text{col}}^{T} W_{\text{col}}^{T} + b^{T}
#    \quad\text{i.e.}\quad Z = X W + b \text{ with } X = X_{\text{col}}^{T},\ W = W_{\text{col}}^{T}. $$
#
# So to read a column-convention formula in this course, transpose everything and
# reverse the order of products. PyTorch's `nn.Linear` is a mix worth knowing: it stores
# `weight` as $(D_{out}, D_{in})$ (the textbook $W_{\text{col}}$) but takes rows as
# samples, computing `x @ weight.T + bias`.

# %%
W1_col = W1.T                        # the textbook's (D_out, D_in) weight matrix
Z1_col = W1_col @ Xb.T + b1[:, None]  # samples as columns: (4, N)
print("Z1_col.T equals Z1:", np.allclose(Z1_col.T, Z1))

# %% [markdown]
# ## 2. The forward pass as a computational graph
#
# Write every operation as a node and every array as a box, and the network becomes a
# **computational graph**. The forward pass evaluates it from left to right. Parameters
# (yellow) and data (blue) come in from outside; each circle is an operation.

# %%
from nnlib.explorers.backprop import stepper_graph
from nnlib.graph import draw_graph

nodes, edges = stepper_graph(n="N")
fig, ax = plt.subplots(figsize=(9.6, 2.9), dpi=100)
draw_graph(ax, nodes, edges)
ax.set(xlim=(0.1, 11.6), ylim=(0.75, 3.45), aspect="equal")
ax.axis("off")
plt.show()

# %% [markdown]
# The graph also shows what backpropagation will need. To get the gradient of a
# weight, the backward pass needs the **input** that the weight multiplied
# ($dW_2$ needs $A_1$, $dW_1$ needs $X$), the **weights** it passes back through
# ($dA_1$ needs $W_2$), and the activation's derivative, which for the sigmoid can be
# computed from its **output** $A_1$ (section 4). So the forward pass keeps a
# **cache**. Every `nnlib` layer does the same: `Dense.forward` stores its input in
# `self.cache`, and `Activation.forward` stores its pre-activation.

# %%
def forward(X, params):
    """The 3-4-1 network. X (N, 3) -> y_hat (N, 1), and the cache for backward."""
    Z1 = X @ params["W1"] + params["b1"]  # (N, 4)
    A1 = sigmoid(Z1)                      # (N, 4)
    y_hat = A1 @ params["W2"] + params["b2"]  # (N, 1)
    cache = {"X": X, "A1": A1, "W2": params["W2"]}
    return y_hat, cache


params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
y_hat, cache = forward(Xb, params)
print("cached:", {k: v.shape for k, v in cache.items()})

# %% [markdown]
# ## 3. Losses
#
# A **loss** compares the predictions with the targets and returns one number for the
# whole batch, the mean of a per-sample loss $\ell$: $L = \frac{1}{n} \sum \ell$. In
# `nnlib.losses` every loss is an object with two methods:
#
# ```python
# loss(y_pred, y_true)        # the batch mean, a float
# loss.grad(y_pred, y_true)   # dL/dy_pred, an array shaped like y_pred (it includes the 1/n)
# ```
#
# Because the gradient includes the $1/n$ of the mean, `model.backward(loss.grad(...))`
# is the gradient of exactly the number that was printed. Where PyTorch has the same
# loss (`MSELoss`, `L1Loss`, `HuberLoss`, `BCELoss`, `BCEWithLogitsLoss`,
# `CrossEntropyLoss`, `NLLLoss`), it gives the same values and gradients with its
# default `reduction="mean"`; MSLE, MAPE and the hinge losses follow Keras's definitions.
#
# ### Regression losses
#
# With $d = \hat y - y$ for one entry, and $n$ the number of entries:
#
# | `nnlib` name | per-entry loss $\ell$ | $\partial \ell / \partial \hat y$ | use it when |
# |---|---|---|---|
# | `mse` | $d^2$ | $2d$ | the default; noise roughly Gaussian; large errors matter most |
# | `mae` | $\lvert d \rvert$ | $\operatorname{sign}(d)$ | outliers: it predicts the median, not the mean |
# | `huber` ($\delta = 1$) | $\tfrac12 d^2$ if $\lvert d\rvert \le \delta$, else $\delta(\lvert d\rvert - \tfrac12\delta)$ | $d$ clipped to $[-\delta, \delta]$ | MSE near the target, MAE far from it |
# | `msle` | $(\ln(1 + \hat y) - \ln(1 + y))^2$ | $\dfrac{2(\ln(1+\hat y) - \ln(1+y))}{1 + \hat y}$ | positive targets over orders of magnitude; relative error |
# | `mape` | $100\,\lvert d\rvert / \lvert y\rvert$ | $100\,\operatorname{sign}(d) / \lvert y\rvert$ | reporting relative error; useless near $y = 0$ |
#
# The batch loss divides by $n$, so the gradient of the batch loss is the column above
# divided by $n$. The **L2 and L1 norms** of the error, $\lVert \hat y - y\rVert_2^2 =
# \sum d^2$ and $\lVert \hat y - y\rVert_1 = \sum \lvert d \rvert$, are MSE and MAE
# without the mean: the same minimum, a gradient $n$ times larger, and a loss that
# grows with the batch size, which is why the mean is the usual choice. (L1 and L2
# *regularisation*, norms of the weights rather than of the error, are chapter 05.)
#
# ### Classification losses
#
# For a binary problem the network outputs one number per sample: a probability
# $p = \sigma(z)$, or the logit $z$ itself, or a score $s$. For $C$ classes it outputs a
# row of $C$ numbers; the target is one-hot $y$ (a row with a single 1) or an integer
# label $k$.
#
# | `nnlib` name | input | per-sample loss | gradient | use it when |
# |---|---|---|---|---|
# | `binary_cross_entropy` | probability $p$ | $-[y \ln p + (1-y) \ln(1-p)]$ | $\dfrac{p - y}{p(1-p)}$ | after a sigmoid output |
# | `bce_with_logits` | logit $z$ | the same, with $p = \sigma(z)$ | $\sigma(z) - y$ | binary; stable for any $z$: prefer it |
# | `hinge` | score $s$, $y = \pm 1$ | $\max(0,\ 1 - y s)$ | $-y$ if $y s < 1$, else 0 | max-margin (SVM-like) |
# | `squared_hinge` | score $s$, $y = \pm 1$ | $\max(0,\ 1 - y s)^2$ | $-2y \max(0,\ 1 - ys)$ | hinge with a smooth gradient |
# | `categorical_cross_entropy` | probabilities $p$ (after softmax), one-hot $y$ | $-\sum_c y_c \ln p_c$ | $-y_c / p_c$ | multi-class after a softmax layer |
# | `sparse_categorical_cross_entropy` | probabilities $p$, label $k$ | $-\ln p_k$ | $-1/p_k$ at $k$ | the same without one-hot |
# | `softmax_cross_entropy` | logits $z$, label $k$ | $-\ln \operatorname{softmax}(z)_k$ | $\operatorname{softmax}(z) - \text{onehot}(k)$ | multi-class with a linear last layer: **the standard choice** (PyTorch's `CrossEntropyLoss`) |
# | `categorical_hinge` | scores $s$, one-hot $y$ | $\max(0,\ 1 + \max_{c \ne k} s_c - s_k)$ | $+1$ at the best wrong class, $-1$ at $k$ (when the loss is positive) | multi-class max-margin |
#
# The class losses average over the $N$ rows. Every one of them is in `nnlib.losses`
# with these exact formulas in its docstring (`help(losses.huber)`). Here they all
# are on small random batches, each gradient checked against a numerical derivative
# (section 5 explains the check):

# %%
rng = np.random.default_rng(1)
N, C = 5, 3
z = rng.normal(size=(N, C))                  # logits / scores
p = softmax(z)                               # probabilities, rows sum to 1
k = np.array([0, 2, 1, 1, 0])                # integer labels
onehot = np.eye(C)[k]
reg_pred, reg_true = rng.uniform(0.5, 3, (N, 1)), rng.uniform(0.5, 3, (N, 1))
b_logit, b_target = rng.normal(size=(N, 1)), rng.integers(0, 2, (N, 1)).astype(float)

cases = {
    "mse": (reg_pred, reg_true), "mae": (reg_pred, reg_true), "huber": (reg_pred, reg_true),
    "msle": (reg_pred, reg_true), "mape": (reg_pred, reg_true),
    "binary_cross_entropy": (sigmoid(b_logit), b_target),
    "bce_with_logits": (b_logit, b_target),
    "hinge": (b_logit, b_target), "squared_hinge": (b_logit, b_target),
    "categorical_cross_entropy": (p, onehot), "sparse_categorical_cross_entropy": (p, k),
    "softmax_cross_entropy": (z, k), "categorical_hinge": (z, onehot),
}
print(f"{'loss':34} {'value':>8}   gradient matches numerical")
for name, (pred, true) in cases.items():
    loss = losses.get(name)
    pred = pred.copy()
    err = rel_error(loss.grad(pred, true), numerical_gradient(lambda q: loss(q, true), pred))
    print(f"{name:34} {loss(pred, true):8.4f}   {err < 1e-6}")

# %% [markdown]
# ### Cross-entropy as a measure of surprise
#
# If the network says the true class had probability $p$, cross-entropy charges
# $-\ln p$. Information theory calls $-\ln p$ the **surprise** (in nats) of an event of
# probability $p$: an event you were sure of ($p = 1$) costs nothing; one you gave 1 %
# costs 4.6 nats; one you ruled out ($p \to 0$) costs without bound. Averaged over the
# data, cross-entropy is the average surprise of the true labels under the model's
# predictions, and minimising it is the same as maximising the likelihood of the data
# (the log of a product of probabilities is the sum of their logs).

# %%
for prob in [1.0, 0.9, 0.5, 0.1, 0.01, 1e-6]:
    print(f"p(true class) = {prob:<8g} surprise -ln p = {0.0 - np.log(prob):7.3f}")

# %% [markdown]
# ### Why softmax with cross-entropy has the gradient $p - y$
#
# Take one sample with logits $z$ (length $C$), $p = \operatorname{softmax}(z)$, and true
# class $k$: $\ell = -\ln p_k = -z_k + \ln \sum_j e^{z_j}$. Differentiate with
# respect to $z_c$:
#
# $$ \frac{\partial \ell}{\partial z_c} = -[c = k] + \frac{e^{z_c}}{\sum_j e^{z_j}}
#    = p_c - y_c , $$
#
# where $y$ is the one-hot row of $k$. The softmax's Jacobian and the logarithm's
# $1/p$ cancel, leaving the simplest possible gradient: *predicted minus true*. For a
# batch, the mean over $N$ rows divides it by $N$: $dZ = (P - Y)/N$. The same holds
# for the sigmoid with binary cross-entropy: $\partial \ell / \partial z = \sigma(z) - y$.
#
# Computing it this way is also **numerically stable**: `softmax_cross_entropy`
# evaluates $\ln \sum_j e^{z_j}$ with the max-shift of chapter 02 (`log_softmax`), so
# logits of size $10^4$ give exact, finite results, where `-np.log(softmax(z))` would
# take the log of an underflowed 0.

# %%
loss = losses.softmax_cross_entropy
dz = loss.grad(z, k)
print("nnlib grad equals (P - Y) / N:", np.allclose(dz, (softmax(z) - onehot) / N))

big = np.array([[1e4, 0.0, -1e4]])
print("loss for logits [1e4, 0, -1e4], label 2:", loss(big, np.array([2])))
print("its gradient:", loss.grad(big, np.array([2])))

# %% [markdown]
# ### Explorer: one loss, one sample
#
# Pick a loss, set the target, and move the prediction. Left: the loss of one sample
# and its slope (the gradient that backpropagation starts from), with the tangent at
# your point. Right: a line fitted to the same data by minimising MSE, MAE or Huber;
# the selected one is drawn thicker.
#
# Try:
# - **mse**, then **mae**: the MSE slope grows with the error, MAE's is always $\pm 1$
#   (it does not slow down near the target: one reason MAE needs a smaller learning rate).
#   **huber** is the MSE parabola between $\pm 1$ and MAE's straight lines outside.
# - The **outliers** (red crosses, ticked to start with): five bad points pull the MSE
#   line far down (their squared errors dominate), MAE barely moves (it fits the
#   median), Huber stays close to MAE. Untick the box: without outliers the three
#   lines agree.
# - **binary_cross_entropy** with target 1: as $p \to 0$ the loss and its slope blow up
#   (the gradient is $-1/p$). Then **bce_with_logits**: as a function of the logit the
#   slope is $\sigma(z) - y$, never larger than 1.
# - **softmax_cross_entropy**, true class 0 versus 1: raising $z_0$ helps in one case
#   and hurts in the other; the slope is exactly $p_0 - y_0$.
# - **hinge** with label 1: zero loss and zero gradient once the score passes 1; a
#   confidently right sample teaches nothing (cross-entropy still pushes a little).

# %%
from nnlib.explorers.backprop import loss_explorer

loss_explorer("mse", target=2.0, prediction=3.5, outliers=True)

# %% [markdown]
# ## 4. Backpropagation
#
# ### One path, one chain rule
#
# Backpropagation is the chain rule, applied from the loss backwards, one operation
# at a time, reusing what was already computed. Each operation needs only a local
# rule: given $d\text{out}$, the gradient of the loss with respect to its output,
# return the gradients with respect to its inputs. For $u = g(x)$:
# $dx = du \cdot g'(x)$.
#
# ### The sigmoid's derivative
#
# $\sigma(z) = (1 + e^{-z})^{-1}$. By the chain rule,
#
# $$ \sigma'(z) = -(1 + e^{-z})^{-2} \cdot (-e^{-z}) = \frac{e^{-z}}{(1 + e^{-z})^2}
#    = \underbrace{\frac{1}{1 + e^{-z}}}_{\sigma(z)} \cdot
#      \underbrace{\frac{e^{-z}}{1 + e^{-z}}}_{1 - \sigma(z)}
#    = \sigma(z)\,(1 - \sigma(z)), $$
#
# because $1 - \sigma(z) = \frac{1 + e^{-z} - 1}{1 + e^{-z}}$. The derivative is a
# function of the *output* alone: the backward pass can use the cached $A_1$ and needs
# no exponential.
#
# ### Gradients through a dense layer
#
# For $Z = X W + b$ with $X$ $(N, D)$, $W$ $(D, H)$: entry $Z_{ij} = \sum_k X_{ik} W_{kj} + b_j$.
# The weight $W_{kj}$ appears in every row $i$ of column $j$, so its gradient sums over
# the batch:
#
# $$ dW_{kj} = \sum_i dZ_{ij}\, X_{ik} \;\Rightarrow\; dW = X^{T} dZ, \qquad
#    db_j = \sum_i dZ_{ij} \;\Rightarrow\; db = \textstyle\sum_{\text{rows}} dZ, \qquad
#    dX_{ik} = \sum_j dZ_{ij}\, W_{kj} \;\Rightarrow\; dX = dZ\, W^{T}. $$
#
# A check that catches most mistakes: **a gradient has the shape of its variable.**
# $dW$ must be $(D, H)$; the only product of $X$ $(N, D)$ and $dZ$ $(N, H)$ with that
# shape is $X^T dZ$. $dX$ must be $(N, D)$: $dZ\,W^T$. $db$ must be $(H,)$: sum
# $dZ$ over the rows (not the mean: the $1/N$ is already inside $dZ$).
#
# ### The eight steps for the 3-4-1 network
#
# Start from the loss $L = \frac{1}{N}\sum_i (\hat y_i - y_i)^2$ (here $\hat y$ has
# $N \times 1$ entries, so the mean is over $N$):
#
# | step | gradient | shape | why |
# |---|---|---|---|
# | 1 | $d\hat y = \frac{2}{N}(\hat y - y)$ | $(N, 1)$ | derivative of the mean of squares |
# | 2 | $dW_2 = A_1^{T}\, d\hat y$ | $(4, 1)$ | dense rule; $\hat y = A_1W_2 + b_2$ has no activation, so $dZ_2 = d\hat y$ |
# | 3 | $db_2 = \sum_{\text{rows}} d\hat y$ | $(1,)$ | $b_2$ was added to every row |
# | 4 | $dA_1 = d\hat y\, W_2^{T}$ | $(N, 4)$ | dense rule, towards the input |
# | 5 | $dZ_1 = dA_1 \odot A_1 \odot (1 - A_1)$ | $(N, 4)$ | elementwise: times $\sigma'(Z_1)$ |
# | 6 | $dW_1 = X^{T} dZ_1$ | $(3, 4)$ | dense rule |
# | 7 | $db_1 = \sum_{\text{rows}} dZ_1$ | $(4,)$ | dense rule |
# | 8 | ($dX = dZ_1 W_1^{T}$) | $(N, 3)$ | not needed: $X$ is data, not a parameter |
#
# In code, right beside the forward pass it reverses:

# %%
def backward(y_hat, y, cache):
    """Gradients of the MSE loss for the 3-4-1 network, from forward()'s cache."""
    X, A1, W2 = cache["X"], cache["A1"], cache["W2"]
    N = len(X)
    dy_hat = 2 * (y_hat - y) / N          # (N, 1)
    dW2 = A1.T @ dy_hat                   # (4, 1)
    db2 = dy_hat.sum(axis=0)              # (1,)
    dA1 = dy_hat @ W2.T                   # (N, 4)
    dZ1 = dA1 * A1 * (1 - A1)             # (N, 4)
    dW1 = X.T @ dZ1                       # (3, 4)
    db1 = dZ1.sum(axis=0)                 # (4,)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


y_hat, cache = forward(Xb, params)
grads = backward(y_hat, yb, cache)
for name, g in grads.items():
    print(f"d{name} {str(g.shape):7} {g.ravel()[:4]}")

# %% [markdown]
# Are they right? Nudge each weight by a tiny $\pm\varepsilon$, watch the loss, and
# compare (this is **gradient checking**, section 5):

# %%
def loss_of(params):
    return np.mean((forward(Xb, params)[0] - yb) ** 2)


for name in params:
    numeric = numerical_gradient(lambda _: loss_of(params), params[name])
    print(f"d{name}: relative error below 1e-7: {rel_error(grads[name], numeric) < 1e-7}")

# %% [markdown]
# ### Explorer: step through the forward and the backward pass
#
# The same network, the same four houses, the same weights. Move the slider: steps
# 0 to 4 are the forward pass, 5 to 11 the backward pass. The orange ring marks the
# array computed at this step (and the operation it goes through), dashed rings the
# arrays it reads; the table shows its value. In the backward pass the red labels mark
# the gradients known so far.
#
# Look for: every gradient has the shape of its variable; the backward pass reads
# the cache ($X$, $A_1$, $W_2$) but never recomputes the forward pass; $dW$ steps use
# a transposed *input*, $dA_1$ a transposed *weight*. House 3's entries of $dZ_1$ are
# almost 0: its prediction is nearly right, so it contributes almost nothing to the
# gradient.

# %%
from nnlib.explorers.backprop import stepper_explorer

stepper_explorer(step=1)

# %% [markdown]
# ### The same for any `Sequential`
#
# Nothing in the eight steps is special to this network. Each layer only needs its own
# local rule: `Dense.backward(dout)` returns `dout @ W.T` and stores `X.T @ dout` and
# `dout.sum(axis=0)` as its gradients; `Activation.backward(dout)` returns
# `dout * f.grad(z)`. A `Sequential` runs the forward passes in order and the backward
# passes in reverse order (`nnlib/model.py`):
#
# ```python
# def backward(self, dout):
#     for layer in reversed(self.layers):
#         dout = layer.backward(dout)
#     return dout
# ```
#
# Built from layers, our network gives the same gradients as the hand-written
# `backward`:

# %%
rng = np.random.default_rng(0)
model = Sequential([Dense(3, 4, rng=rng), Activation("sigmoid"), Dense(4, 1, rng=rng)])
for key, value in [("0.W", W1), ("0.b", b1), ("2.W", W2), ("2.b", b2)]:
    model.params()[key][...] = value  # copy our weights into the layers

out = model.forward(Xb)
mse = losses.mse
model.backward(mse.grad(out, yb))
print(f"loss {mse(out, yb):.4f} (by hand {L:.4f})")
for key, name in [("0.W", "W1"), ("0.b", "b1"), ("2.W", "W2"), ("2.b", "b2")]:
    print(f"{key} gradient equals d{name}: {np.allclose(model.grads()[key], grads[name])}")

# %% [markdown]
# PyTorch computes the same numbers with autograd (the tests of this course compare
# them for the stepper's network). The equivalent code, for reference; note that
# `nn.Linear` stores its weight transposed, as $(D_{out}, D_{in})$:
#
# ```python
# import torch
# net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Sigmoid(), torch.nn.Linear(4, 1)).double()
# with torch.no_grad():
#     net[0].weight.copy_(torch.tensor(W1.T)); net[0].bias.copy_(torch.tensor(b1))
#     net[2].weight.copy_(torch.tensor(W2.T)); net[2].bias.copy_(torch.tensor(b2))
# loss = torch.nn.functional.mse_loss(net(torch.tensor(Xb)), torch.tensor(yb))
# loss.backward()
# net[0].weight.grad.T   # equals dW1
# ```

# %% [markdown]
# ## 5. Gradient checking
#
# A backward pass can be wrong and still *look* fine: the loss may even go down for a
# while. So always compare it with a numerical derivative. The **central difference**
#
# $$ \frac{\partial f}{\partial x_i} \approx \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon} $$
#
# has an error of order $\varepsilon^2$ (the $\varepsilon^2$ terms of the two Taylor
# expansions cancel), while the one-sided $\frac{f(x + \varepsilon e_i) - f(x)}{\varepsilon}$
# has an error of order $\varepsilon$. But $\varepsilon$ cannot be tiny either: $f$ is
# computed with about 16 significant digits, and dividing a round-off error by
# $\varepsilon$ magnifies it. The sweet spot for the central difference in float64 is
# around $\varepsilon = 10^{-5}$ to $10^{-6}$:

# %%
x0 = 0.5
exact = 1 - np.tanh(x0) ** 2
eps = np.logspace(-13, -1, 49)
central = np.abs((np.tanh(x0 + eps) - np.tanh(x0 - eps)) / (2 * eps) - exact)
one_sided = np.abs((np.tanh(x0 + eps) - np.tanh(x0)) / eps - exact)

fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=100)
ax.loglog(eps, one_sided, "o-", ms=3, label="one-sided: error ~ ε (+ round-off)")
ax.loglog(eps, central, "o-", ms=3, label="central: error ~ ε² (+ round-off)")
ax.set(xlabel="step ε", ylabel="|numerical − exact|", title="derivative of tanh at 0.5")
ax.grid(alpha=0.3)
ax.legend(frameon=False, fontsize=9)
plt.show()

# %% [markdown]
# Compare the two gradients with the **relative error**
# $\dfrac{\lvert a - b\rvert}{\lvert a\rvert + \lvert b\rvert}$ (the largest over all
# entries; `nnlib.gradcheck.rel_error`), which does not depend on the scale of the
# loss. How large may it be? The rules of thumb of Stanford's CS231n course:
#
# | relative error (float64) | verdict |
# |---|---|
# | below $10^{-7}$ | correct |
# | $10^{-7}$ to $10^{-4}$ | suspicious, unless the function has kinks (ReLU, max, abs) |
# | $10^{-4}$ to $10^{-2}$ | probably wrong |
# | above $10^{-2}$ | wrong |
#
# Two things change these numbers. **Precision**: float32 carries about 7 digits, not
# 16, so the round-off term is $10^9$ times larger and the best achievable relative
# error is only about $10^{-3}$ to $10^{-2}$; always gradient-check in float64. And
# **kinks**: where the function has a corner, such as ReLU at 0, the derivative jumps,
# and a difference quotient that straddles the corner is neither slope.
#
# The same check in float64 and in float32 (the exact digits depend on your CPU):

# %% tags=["nbval-ignore-output"]
for dtype, step in [(np.float64, 1e-6), (np.float32, 1e-3)]:
    p32 = {k: v.astype(dtype) for k, v in params.items()}
    Xd, yd = Xb.astype(dtype), yb.astype(dtype)

    def f(_):
        out = sigmoid(Xd @ p32["W1"] + p32["b1"]) @ p32["W2"] + p32["b2"]
        return np.mean((out - yd) ** 2)

    numeric = numerical_gradient(f, p32["W1"], eps=step)
    print(f"{np.dtype(dtype).name:8} eps={step:g}: relative error of dW1 = "
          f"{rel_error(grads['W1'], numeric):.1e}")

# %% [markdown]
# And a kink: $f(x) = \sum \operatorname{relu}(x)$ has derivative 1 wherever $x > 0$.
# At $x = 10^{-8}$, closer to the corner than $\varepsilon = 10^{-6}$, the central
# difference averages the slopes 0 and 1:

# %%
from nnlib.activations import relu

x = np.array([2.0, 1e-8, -3.0])
analytic = relu.grad(x)
numeric = numerical_gradient(lambda v: relu(v).sum(), x.copy(), eps=1e-6)
print("analytic:", analytic, "  numerical:", numeric.round(4))
print(f"relative error: {rel_error(analytic, numeric):.3f}")

# %% [markdown]
# Such a point is a false alarm, not a bug. In practice: check a few random inputs,
# in float64, on a small network; if one entry is off and its pre-activation is within
# $\varepsilon$ of a kink, move the input. `nnlib.gradcheck.check_layer(layer, x)`
# runs the whole check for any layer or `Sequential` and returns the worst relative
# error per parameter; the course's tests use it for every layer.

# %% [markdown]
# ## 6. Training end to end
#
# With a loss and its gradient, training is a loop: forward, loss, backward, and a
# step downhill for every parameter, $W \leftarrow W - \eta\, dW$ ($\eta$ is the
# learning rate, `lr` in code). `nnlib.train.fit` runs it over mini-batches, with an
# optimizer that applies the step (`SGD` or `Adam` here; chapter 04 compares them).
#
# ### House prices
#
# To tell a gentle curve from noise a model needs data, so we draw 1000 houses (same
# three features), split them into a training and a test set, and standardise with the
# *training* statistics only (the test set must stay unseen). The optimizer is
# `Adam`, which adapts the step size of every weight (chapter 04 explains it; plain
# `SGD` gets there too, in many more epochs). The baseline is a linear model, a single
# `Dense(3, 1)` layer, trained the same way.

# %%
from nnlib.optim import SGD, Adam
from nnlib.train import evaluate, fit

rng = np.random.default_rng(0)
X_all, price_all = data.house_prices(1000, rng)
X_tr_raw, X_te_raw, p_tr, p_te = data.train_test_split(X_all[:, :3], price_all, 0.25, rng)
X_tr, X_te = data.standardize(X_tr_raw, X_te_raw)
p_mu, p_sd = p_tr.mean(), p_tr.std()
y_tr, y_te = ((p_tr - p_mu) / p_sd).reshape(-1, 1), ((p_te - p_mu) / p_sd).reshape(-1, 1)

rng = np.random.default_rng(1)
net = Sequential([Dense(3, 4, rng=rng), Activation("sigmoid"), Dense(4, 1, rng=rng)])
linear = Sequential([Dense(3, 1, rng=rng)])
results = {}
for name, m in [("3-4-1 network", net), ("linear model", linear)]:
    hist = fit(m, "mse", Adam(lr=0.01), X_tr, y_tr, epochs=100, batch_size=32, rng=2,
               validation_data=(X_te, y_te), progress=False)
    results[name] = hist
    rmse = np.sqrt(evaluate(m, "mse", X_te, y_te)[0]) * p_sd
    print(f"{name:14} test RMSE {rmse:5.1f} thousand")

# %% [markdown]
# Neither can get far below 15 thousand: the prices carry noise with a standard
# deviation of 10 thousand, and the pool we left out adds about 11 more
# ($\sqrt{10^2 + 11^2} \approx 15$). What the network gains over the linear model is the
# **curve**: price falls with distance to the sea, but less and less far away (the
# formula has a $+0.03\,d^2$ term). Predict for a 3-bedroom, 30-year-old house at every
# distance:

# %%
dist = np.linspace(0, 50, 101)
probe = np.column_stack([np.full_like(dist, 3), np.full_like(dist, 30), dist])
(probe_s,) = data.standardize(X_tr_raw, probe)[1:]
truth = 150 + 40 * 3 - 1.2 * 30 - 3 * dist + 0.03 * dist**2 + 25 * 0.3  # pool: 30 % of houses

fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9.6, 3.3), dpi=100)
for (name, hist), color in zip(results.items(), ["C0", "C1"]):
    ax0.plot(hist.history["loss"], color=color, label=f"{name}, training")
    ax0.plot(hist.history["val_loss"], color=color, ls="--", label=f"{name}, test")
ax0.set(xlabel="epoch", ylabel="MSE (standardised price)", ylim=(0, 0.3))
ax0.set_title("loss curves", fontsize=10)
ax0.legend(frameon=False, fontsize=8)
ax1.plot(dist, truth, color="0.3", lw=3, alpha=0.4, label="the true average price")
for (name, m), color in zip([("3-4-1 network", net), ("linear model", linear)], ["C0", "C1"]):
    ax1.plot(dist, m.forward(probe_s)[:, 0] * p_sd + p_mu, color=color, label=name)
ax1.set(xlabel="distance to the sea (km)", ylabel="price (thousands)")
ax1.set_title("predicted price of a 3-bedroom, 30-year-old house", fontsize=10)
ax1.legend(frameon=False, fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ### A 2-D classification
#
# The same machinery classifies. Two interleaving half-moons, a network
# 2 → 8 → 8 → 2 with tanh, two logits out, `softmax_cross_entropy` as the loss:

# %%
from nnlib.viz import grid_2d, probability_map, scatter_classes

rng = np.random.default_rng(0)
Xm, ym = data.moons(200, rng, noise=0.1)
clf = Sequential([Dense(2, 8, rng=rng), Activation("tanh"), Dense(8, 8, rng=rng),
                  Activation("tanh"), Dense(8, 2, rng=rng)])
hist = fit(clf, "softmax_cross_entropy", SGD(lr=0.3), Xm, ym, epochs=100, batch_size=20,
           rng=rng, progress=False)
print(hist)

xx, yy, grid = grid_2d(Xm, steps=100)
fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9.6, 3.4), dpi=100)
probability_map(ax0, xx, yy, softmax(clf.forward(grid))[:, 1].reshape(xx.shape))
scatter_classes(ax0, Xm, ym, colors=("C0", "C3"))
ax0.set_title("P(class 1); the decision boundary is where it is 0.5", fontsize=10)
ax1.plot(hist.history["loss"], label="loss")
ax1.plot(hist.history["accuracy"], label="accuracy")
ax1.set(xlabel="epoch", ylim=(0, 1.05))
ax1.set_title("training loss and accuracy", fontsize=10)
ax1.legend(frameon=False)
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Explorer: the playground
#
# In the spirit of the [TensorFlow Playground](https://playground.tensorflow.org), in
# a notebook. Choose a data set, the width and number of hidden layers, the
# activation and the learning rate; the network is trained with full-batch gradient
# descent (one step per epoch) from the same initial weights, and you see its
# class-1 probability, its decision boundary and its loss curve. Sliders act when you
# release them; settings you have tried are remembered, so going back is instant.
#
# Try:
# - **epochs**: drag from 100 to 300 and watch the boundary bend into the gap between
#   the moons while the loss keeps falling; drag back to see earlier states.
# - **XOR** with **linear** activation: however wide and deep, the boundary is a
#   straight line (chapter 02: a stack of linear layers is one linear layer). Switch
#   to **tanh**.
# - **circles** with width 1, then 2, then 3: how many hidden units does it take to
#   enclose a circle?
# - **spirals**: hard. Try width 16, 3 layers, **relu**, learning rate 0.3, 500 epochs.
# - The learning rate: 0.01 crawls; 3 or 10 often **diverges** (the loss jumps up or
#   becomes infinite), more easily for deep or linear networks.
# - **sigmoid** versus **tanh** at the same settings: the sigmoid learns more slowly
#   (its derivative is at most 1/4, and its outputs are not centred on 0).

# %%
from nnlib.explorers.backprop import playground_explorer

playground_explorer(dataset="moons", width=4, depth=2, activation="tanh", lr=0.3, epochs=100)

# %% [markdown]
# ## Summary
#
# - A dense layer on a batch is one matrix product: $X$ $(N, D_{in})$ times $W$
#   $(D_{in}, D_{out})$ plus $b$ $(D_{out},)$, one sample per row. Column-convention
#   textbooks write the transposes.
# - The forward pass evaluates a computational graph and **caches** what the backward
#   pass needs (inputs, outputs of activations).
# - A **loss** is the mean of a per-sample loss; its gradient includes the $1/n$. MSE for
#   regression, MAE or Huber with outliers, softmax cross-entropy on logits for classes,
#   whose gradient is $(P - Y)/N$.
# - **Backpropagation** applies local rules in reverse: $dW = X^T dZ$,
#   $db = \sum_{\text{rows}} dZ$, $dX = dZ\,W^T$, and $dZ = dA \odot f'(Z)$, with
#   $\sigma' = \sigma(1 - \sigma)$. Every gradient has the shape of its variable.
# - **Gradient checking** with central differences in float64: a relative error below
#   $10^{-7}$ is correct; kinks can cause false alarms; float32 cannot do better than
#   about $10^{-3}$.
# - `nnlib` computes what PyTorch computes: the same losses, the same gradients.
#
# ## Exercises
#
# Open [exercises/03_backprop.ipynb](../exercises/03_backprop.ipynb) and implement,
# each followed by its check cell:
#
# | exercise | function | watch out for |
# |---|---|---|
# | 3.1 | `dense_forward(X, W, b)` | `X @ W + b`, one sample per row |
# | 3.2 | `dense_backward(dout, X, W)` | `db` sums over the batch; `dX` uses $W^T$ |
# | 3.3 | `mse(y_pred, y)` | the mean over all elements |
# | 3.4 | `mse_grad(y_pred, y)` | the factor 2 and the $1/n$ |
# | 3.5 | `binary_cross_entropy(p, y)` | clip $p$ to $[10^{-12}, 1 - 10^{-12}]$ |
# | 3.6 | `softmax_cross_entropy(logits, labels)` | stable for logits of $10^4$; the gradient divided by $N$ |
# | 3.7 | `numerical_gradient(f, x, eps)` | central differences; leave `x` unchanged |
# | 3.8 | `two_layer_net(X, y, params)` | the ReLU derivative in the backward pass |
#
# Next: **04 Gradient descent and optimizers**: what to do with these gradients, from
# plain gradient descent to Adam.

# %% [markdown] tags=["nav"]
# ---
# ← [02 Activations](02_activations.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [04 Gradient descent and optimizers](04_optimizers.ipynb) →
