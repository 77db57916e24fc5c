# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [04 Gradient descent and optimizers](04_optimizers.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [06 Vanishing and exploding gradients](06_gradients.ipynb) →

# %% [markdown]
# # 05 · Regularisation
#
# Chapter 04 made training work: the loss on the training data goes down. But the
# training data are not the point. A network is useful when it is right on data it has
# never seen, and a network with enough parameters can drive its training loss to zero
# by memorising the training set, noise included, while getting worse on new data. This
# chapter is about the tools that stop that: **regularisation**.
#
# **In this notebook you will**
# - see underfitting and overfitting happen as you change the size of a network and of
#   its training set, and read them off the training and validation curves (bias and
#   variance);
# - add **L2** and **L1** penalties to the loss, derive their gradients, and see why L1
#   sets weights to *exactly* zero while L2 only shrinks them; meet elastic net and the
#   difference between weight decay and L2;
# - switch units off at random with **dropout**, with the inverted scaling that leaves
#   test time unchanged, and read dropout as an ensemble of thinned networks;
# - normalise layer inputs with **batch normalisation** in its four steps, in training and
#   evaluation mode, and watch it speed up a deep network;
# - stop training at the right time with **early stopping**, and make more training data
#   out of the data you have with **augmentation**.
#
# You need chapters 03 and 04: a network, a loss, its gradient, and `nnlib`'s `fit`.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from nnlib import augment, regularizers
from nnlib.callbacks import EarlyStopping
from nnlib.data import load_digits
from nnlib.layers import Activation, BatchNorm, Dense, Dropout
from nnlib.model import Sequential
from nnlib.optim import SGD, Adam
from nnlib.train import evaluate, fit

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## 1. Underfitting and overfitting
#
# We train on a **training set** and measure on a separate **validation set** that the
# optimiser never sees. Two numbers matter: the training loss (how well the network fits
# what it was shown) and the validation loss (how well that carries over to new data).
# Their difference is the **generalisation gap**.
#
# - A network that is too small, or trained too little, cannot even fit the training set:
#   both losses stay high. That is **underfitting**, or **high bias**: the model's
#   assumptions are too rigid for the data.
# - A network with many parameters and few training points fits them perfectly, the
#   noise included: the training loss goes to zero while the validation loss turns
#   around and grows. That is **overfitting**, or **high variance**: the fitted function
#   depends strongly on which training points happened to be drawn.
#
# For the squared error this has an exact form. If the data are $y = f(x) + \varepsilon$
# with noise of variance $\sigma^2$, and $\hat f$ is trained on a random training set,
# the expected error at a point $x$ splits into three parts:
#
# $$ \mathbb{E}\big[(y - \hat f(x))^2\big] \;=\;
#    \underbrace{\big(f(x) - \mathbb{E}[\hat f(x)]\big)^2}_{\text{bias}^2}
#    \;+\; \underbrace{\mathbb{E}\big[(\hat f(x) - \mathbb{E}[\hat f(x)])^2\big]}_{\text{variance}}
#    \;+\; \underbrace{\sigma^2}_{\text{noise}} . $$
#
# More capacity lowers the bias and raises the variance; more data lowers the variance.
# Regularisation is everything that lowers the variance without giving up much bias.
#
# The explorer trains a network with two hidden layers of ReLU units on the first few
# points of the noisy **two moons** (a validation set of 200 other points is fixed). Left:
# training and validation loss per epoch (log scale). Right: the decision boundary the
# network learned, with its training points. Try:
# - 1 or 2 units per layer with 160 points: both losses stay high: underfitting;
# - 32 units with 10 or 20 points: the training loss falls to almost 0, the validation
#   loss rises after a few epochs, the boundary snakes around single points: overfitting;
# - 32 units with 160 points: the same network, now with enough data, generalises.
#
# (Each setting trains once, in a fraction of a second; going back to a setting you
# have seen redraws at once.)

# %%
from nnlib.explorers.regularisation import capacity_explorer

capacity_explorer(hidden=16, n_train=20)

# %% [markdown]
# ## 2. Weight penalties: L2 and L1
#
# An overfitting network usually has large weights: it needs steep functions to bend
# around single training points. A **penalty** $R$ on the weights, added to the loss,
#
# $$ \tilde L(\theta) \;=\; L(\theta) + R(W), $$
#
# makes large weights expensive, so the optimiser trades a little training loss for
# smaller weights. The penalty applies to the **weights only, not the biases**: a bias
# shifts a unit without making the function steeper, and penalising it only hurts.
#
# **L2 (ridge, "weight decay")**: $R(W) = \lambda \sum_j w_j^2$, summed over every weight
# of every layer. Its gradient is $\partial R / \partial w_j = 2 \lambda w_j$, so one
# gradient-descent step with learning rate $\eta$ becomes
#
# $$ w \;\leftarrow\; w - \eta\,\big(\nabla_w L + 2\lambda w\big)
#      \;=\; (1 - 2\eta\lambda)\, w - \eta\, \nabla_w L : $$
#
# every step first shrinks each weight by the same factor, hence the name weight decay.
#
# **L1 (lasso)**: $R(W) = \lambda \sum_j |w_j|$, with gradient $\lambda\,\mathrm{sign}(w_j)$
# (0 at $w_j = 0$, as in PyTorch). The pull towards zero has the same size for every
# weight, however small: small weights are pushed all the way to zero.
#
# **Elastic net** uses both: $R(W) = \lambda_1 \sum_j |w_j| + \lambda_2 \sum_j w_j^2$.
#
# Conventions differ by a factor of 2: some books write $\frac{\lambda}{2} \sum w^2$ (gradient
# $\lambda w$). This course, like Keras's `l2(lam)`, has no $\frac12$. PyTorch's
# `SGD(weight_decay=wd)` adds $wd \cdot w$ to the gradient, which is our L2 with
# $\lambda = wd/2$. Let us check that on one step:

# %%
rng = np.random.default_rng(0)
w0, g = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))  # a weight and its loss gradient
lam, lr = 0.05, 0.1

w_l2 = w0.copy()
pen = regularizers.L2(lam)
SGD(lr=lr).step({"W": w_l2}, {"W": g + pen.grad({"W": w_l2})["W"]})  # L2 penalty in the gradient

w_wd = w0.copy()
SGD(lr=lr, weight_decay=2 * lam).step({"W": w_wd}, {"W": g.copy()})  # PyTorch's weight_decay

print("L2(lam) step == SGD(weight_decay=2 lam) step:", np.allclose(w_l2, w_wd))
print("shrink factor 1 - 2 lr lam =", 1 - 2 * lr * lam)

# %% [markdown]
# With Adam the two are **not** the same. Inside Adam, the L2 gradient $2\lambda w$ is
# divided by $\sqrt{\hat v}$ like the rest of the gradient, so weights with large
# gradients are hardly decayed at all. **AdamW** (chapter 04) decouples the decay: it
# shrinks $w$ directly, $w \leftarrow w - \eta\, wd\, w$, outside the adaptive step. That
# is why `AdamW` is the usual choice when you want weight decay with Adam.
#
# ### Why L1 gives exact zeros and L2 does not
#
# Take one weight whose unpenalised optimum is $a$, and a quadratic loss around it,
# $\frac12 (w - a)^2$. Adding the penalty and minimising gives, in closed form,
#
# $$ \text{L2:}\quad w^* = \frac{a}{1 + 2\lambda}, \qquad\qquad
#    \text{L1:}\quad w^* = \mathrm{sign}(a)\,\max(|a| - \lambda,\; 0) . $$
#
# L2 scales every weight down by the same factor and never reaches zero. L1 subtracts
# $\lambda$ from the size of every weight and stops at zero: any weight with $|a| \le \lambda$
# ends up **exactly 0** (soft-thresholding). The geometric picture is the same: the L1
# ball $\sum |w_j| \le c$ has corners on the axes, where some coordinates are 0, and the
# loss's level sets usually touch it there first.

# %%
a = np.linspace(-3, 3, 601)
lam = 1.0
fig, axes = plt.subplots(1, 2, figsize=(7.2, 2.8), dpi=100)
axes[0].plot(a, a, color="0.6", ls=":", label="no penalty: $w^* = a$")
axes[0].plot(a, a / (1 + 2 * lam), color="C0", lw=2, label=r"L2: $a / (1 + 2\lambda)$")
axes[0].plot(a, np.sign(a) * np.maximum(np.abs(a) - lam, 0), color="C3", lw=2,
             label=r"L1: $\mathrm{sign}(a)\max(|a| - \lambda, 0)$")
axes[0].set(xlabel="unpenalised optimum $a$", ylabel="penalised optimum $w^*$",
            title=r"one weight, $\lambda = 1$")
axes[0].legend(frameon=False, fontsize=8)
w = np.linspace(-2, 2, 401)
axes[1].plot(w, w**2, color="C0", lw=2, label=r"$w^2$: gradient $2w$ vanishes at 0")
axes[1].plot(w, np.abs(w), color="C3", lw=2, label=r"$|w|$: gradient $\pm 1$ up to 0")
axes[1].set(xlabel="w", title="the two penalties", ylim=(0, 2.5))
axes[1].legend(frameon=False, fontsize=8, loc="upper center")
fig.tight_layout()
plt.show()

# %% [markdown]
# In a network, plain gradient descent with the L1 gradient $\lambda\,\mathrm{sign}(w)$
# does not land on zero either: a small weight is pushed past zero, then back, and
# hovers in a band of width about $\eta\lambda$ around it. The **proximal step** applies
# the soft-thresholding formula above after each ordinary gradient step,
# $w \leftarrow \mathrm{sign}(w)\max(|w| - \eta\lambda, 0)$, and does set weights to exactly
# zero. In `nnlib`: `fit(..., penalty=L1(lam))` adds the (sub)gradient,
# `fit(..., penalty=L1(lam, proximal=True))` takes the proximal step. A linear classifier
# on the digits, trained both ways:

# %%
X_dig, y_dig = load_digits()


def linear_digits(penalty, epochs=30):
    model = Sequential([Dense(64, 10, rng=0)])
    hist = fit(model, "softmax_cross_entropy", SGD(lr=0.5), X_dig[:300], y_dig[:300], epochs=epochs,
               batch_size=300, shuffle=False, penalty=penalty)
    return model.params()["0.W"], hist


for penalty in [None, regularizers.L1(0.02), regularizers.L1(0.02, proximal=True), regularizers.L2(0.02)]:
    W, hist = linear_digits(penalty)
    name = "no penalty" if penalty is None else repr(penalty)
    print(f"{name:28} exact zeros {np.mean(W == 0):5.1%}   |w| < 0.01: {np.mean(np.abs(W) < 0.01):5.1%}"
          f"   training loss {hist['loss'][-1]:.3f}")

# %% [markdown]
# The penalised loss that `fit` minimises is in the history too: `history["loss"]` is the
# data loss alone (comparable with `val_loss`), `history["penalised_loss"]` is the loss
# plus the penalty. Which parameters count as weights is decided by name: those whose
# own name starts with `W` (`"0.W"`, an RNN's `"Wx"`), not `"b"`, `"gamma"` or `"beta"`.
#
# The explorer below trains a wide network (2 → 32 → 32 → 2, tanh) on only 40 points of
# the moons, with SGD and momentum and the penalty you choose (L1 and elastic net use the
# proximal step). Left: a histogram of all 1,152 weights, with the exact zeros in red.
# Middle: the decision boundary. Right: the validation loss, against the same network
# without a penalty (dashed). Try:
# - L2 from $10^{-4}$ to $10^{-1}$: the histogram narrows, no weight becomes 0, the boundary
#   smooths out and the validation loss stops rising; too much and it underfits;
# - L1 at $10^{-2}$: most weights are exactly 0, yet the boundary is still good: the
#   network is *sparse*;
# - elastic net in between.

# %%
from nnlib.explorers.regularisation_penalties import penalty_explorer

penalty_explorer(kind="L2", lam=1e-3)

# %% [markdown]
# ## 3. Dropout
#
# Dropout (Srivastava, Hinton et al., 2014) switches off each unit of a layer at random,
# independently, at every training step. With **drop probability** $p$, draw a Bernoulli
# mask $m_i \sim \mathrm{Bernoulli}(1 - p)$ (1 = keep) and compute
#
# $$ \tilde h_i = \frac{m_i}{1 - p}\, h_i, \qquad
#    \mathbb{E}[\tilde h_i] = \frac{(1-p) \cdot h_i}{1 - p} = h_i . $$
#
# Dividing the kept units by $1 - p$ (**inverted dropout**) keeps the expected value of
# every unit the same as without dropout, so at **test time nothing changes**: the layer is
# the identity. (The original paper scaled by $1 - p$ at test time instead; every modern
# library uses the inverted form.) Backward, the mask routes the gradient:
# $\partial L / \partial h_i = \frac{m_i}{1-p}\, \partial L / \partial \tilde h_i$, zero for dropped units.
#
# `nnlib.layers.Dropout(p, rng)` is exactly `torch.nn.Dropout(p)`: $p$ is the probability
# of *dropping*, training mode is `forward(x, training=True)` (PyTorch's `model.train()`),
# evaluation mode is `training=False` (`model.eval()`).

# %%
layer = Dropout(0.25, rng=0)
x = np.ones((2, 8))
print("training mode:\n", layer.forward(x, training=True))
print("mask values:", np.unique(layer.mask), " (0 or 1 / (1 - p) = 1 / 0.75)")
print("evaluation mode:\n", layer.forward(x, training=False))

big = Dropout(0.25, rng=1).forward(np.full((1000, 1000), 3.0), training=True)
print(f"mean over a million entries: {big.mean():.4f} (x = 3), dropped share {np.mean(big == 0):.4f}")

# %% [markdown]
# Why does it help? A unit cannot rely on any particular other unit being there, so the
# network cannot build fragile co-adaptations that fit single training points; it must
# spread what it knows over many units. Another view: a layer of $n$ units has $2^n$
# **thinned networks**, one per mask, all sharing the same weights. Each training step
# trains one of them. At test time the full network with the inverted scaling is a
# cheap stand-in for the *average* prediction of that whole ensemble. We can check it:
# train a network with dropout, then compare its evaluation-mode prediction with the
# average of 300 thinned networks (training-mode passes, a new mask each time):

# %%
from nnlib.explorers.regularisation import mlp, moons_split, train

X_tr, y_tr, X_val, y_val = moons_split()
net = mlp(32, p_drop=0.5)
train(net, X_tr[:40], y_tr[:40], (X_val, y_val), epochs=300)


def class1_probability(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e[:, 1] / e.sum(axis=1)


p_eval = class1_probability(net.forward(X_val, training=False))
thinned = np.array([class1_probability(net.forward(X_val, training=True)) for _ in range(300)])
p_ensemble = thinned.mean(axis=0)
print(f"one thinned network agrees with the full one on {np.mean((thinned[0] > 0.5) == (p_eval > 0.5)):.0%}"
      " of the validation points")
print(f"the ensemble of 300 agrees on {np.mean((p_ensemble > 0.5) == (p_eval > 0.5)):.0%}; "
      f"mean |difference of probabilities| {np.mean(np.abs(p_ensemble - p_eval)):.3f}")
print(f"validation accuracy: full network {np.mean((p_eval > 0.5) == y_val):.1%}, "
      f"ensemble {np.mean((p_ensemble > 0.5) == y_val):.1%}")

# %% [markdown]
# The explorer trains the wide network on 40 points with dropout after both hidden
# layers. Left: the training loss (measured with dropout on, hence noisy and *above* the
# validation loss) and the validation loss, with the $p = 0$ validation curve dashed.
# Middle: the boundary. Right: one training-mode pass of 8 training points through the
# second hidden layer, the activation times the mask, dropped units in red. Try $p = 0$
# (overfits), $0.2$, $0.5$, and $0.7$ (too much: it starts to underfit).

# %%
from nnlib.explorers.regularisation_penalties import dropout_explorer

dropout_explorer(p=0.5)

# %% [markdown]
# ## 4. Batch normalisation
#
# Batch normalisation (Ioffe and Szegedy, 2015) standardises every feature of a layer's
# input over the current mini-batch, then lets the network rescale it. For a batch
# $x$ of shape $(N, D)$, per feature $d$, four steps:
#
# $$ \mu_d = \frac1N \sum_{n} x_{nd}, \qquad
#    \sigma_d^2 = \frac1N \sum_{n} (x_{nd} - \mu_d)^2, \qquad
#    \hat x_{nd} = \frac{x_{nd} - \mu_d}{\sqrt{\sigma_d^2 + \epsilon}}, \qquad
#    y_{nd} = \gamma_d\, \hat x_{nd} + \beta_d . $$
#
# 1. the batch **mean**; 2. the batch **variance**, *biased* (divided by $N$);
# 3. **normalise** ($\epsilon = 10^{-5}$ keeps a constant feature finite);
# 4. **scale and shift** with the learnable $\gamma$ (starts at 1) and $\beta$ (starts at 0),
#    so the layer can undo the normalisation if that is what the loss wants.
#
# A single test sample has no batch, and its prediction must not depend on which other
# samples it is shown with. So during training the layer also keeps **running
# statistics**, exponential moving averages of the batch statistics, and **evaluation
# mode** normalises with those instead:
#
# $$ \mu_{\text{run}} \leftarrow (1 - m)\,\mu_{\text{run}} + m\,\mu, \qquad
#    \sigma^2_{\text{run}} \leftarrow (1 - m)\,\sigma^2_{\text{run}} + m\,\frac{N}{N-1}\,\sigma^2 , $$
#
# with momentum $m = 0.1$ and the *unbiased* variance in the running estimate. This is
# exactly `torch.nn.BatchNorm1d` (tested against it); Keras writes the same average with
# `momentum=0.99`, meaning $1 - m$. The worked example of Exercise 5.5:

# %%
x = np.array([[1.0, 4.0], [2.0, 4.5], [3.0, 5.0], [6.0, 4.0]])
bn = BatchNorm(2)
bn.params["gamma"][...] = [1.0, 2.0]
bn.params["beta"][...] = [0.0, -1.0]

mu, var = x.mean(axis=0), x.var(axis=0)  # biased variance
by_hand = bn.params["gamma"] * (x - mu) / np.sqrt(var + 1e-5) + bn.params["beta"]
out = bn.forward(x, training=True)
print("batch mean", mu, " biased variance", var)
print("training-mode output == the four steps by hand:", np.allclose(out, by_hand))
print("running mean after one step:", bn.running_mean, " = 0.1 * mean")
print("running var  after one step:", bn.running_var, " = 0.9 + 0.1 * unbiased variance",
      x.var(axis=0, ddof=1))
print("evaluation mode (running statistics), first row:", bn.forward(x[:1], training=False))

# %% [markdown]
# Backward, $\mu$ and $\sigma^2$ depend on every $x_{nd}$ of the batch, which gives two
# extra terms besides the direct path $\gamma / \sqrt{\sigma^2 + \epsilon}$. With
# $\partial L / \partial \hat x = \gamma\, \partial L / \partial y$ and the sums over the batch:
#
# $$ \frac{\partial L}{\partial x} = \frac{1}{N\sqrt{\sigma^2 + \epsilon}}
#    \Big( N \frac{\partial L}{\partial \hat x} - \sum_n \frac{\partial L}{\partial \hat x_n}
#    - \hat x \sum_n \frac{\partial L}{\partial \hat x_n} \hat x_n \Big), \qquad
#    \frac{\partial L}{\partial \gamma} = \sum_n \frac{\partial L}{\partial y_n} \hat x_n, \qquad
#    \frac{\partial L}{\partial \beta} = \sum_n \frac{\partial L}{\partial y_n} . $$
#
# You derive and implement it in Exercise 5.6. (A consequence: a bias right before batch
# norm is useless, its gradient is exactly 0: the mean subtracts it again. $\beta$ takes
# its role.)
#
# **What it does for training.** Each layer sees inputs with a stable scale whatever the
# layers before it do, so a deep network tolerates much larger learning rates and
# trains in fewer steps; saturating activations such as tanh stay in their useful range.
# **A mild regulariser too:** a sample's normalised value depends on the other samples
# that happen to share its mini-batch, a little noise much like dropout's. It does not
# replace the other methods.
#
# The explorer trains a deep tanh network (64 → 32 × 5 → 10) on 300 digits with plain SGD,
# without and with a `BatchNorm` before every tanh. Left: both training losses. Right: the
# 4th hidden layer's pre-activations on 150 validation digits, before training and after
# each epoch (median, 68% and 95% bands); the grey regions are where tanh is flat. Try
# learning rates from 0.01 to 3, and switch batch norm on and off: without it, small
# rates crawl and large ones saturate or diverge; with it, even 1 and 3 train.

# %%
from nnlib.explorers.regularisation_batchnorm import batchnorm_explorer

batchnorm_explorer(batch_norm="off", lr=0.3)

# %% [markdown]
# ## 5. Early stopping
#
# The overfitting curves above all have the same shape: the validation loss falls, reaches
# a minimum, and rises again while the training loss keeps falling. **Early stopping**
# watches the validation loss after every epoch and stops when it has not improved for
# `patience` epochs in a row; then it puts back the weights of the best epoch. The number
# of epochs becomes a hyperparameter chosen on validation data, for free. (With small,
# noisy validation sets a patience of a few epochs avoids stopping at a random dip.)
#
# In `nnlib`: `fit(..., validation_data=(X_val, y_val), early_stopping=10)` (or an
# `EarlyStopping(patience, min_delta)` object). The history records `best_epoch` and
# `stopped_epoch`, as indices into the per-epoch lists:

# %%
dig_val = (X_dig[1000:1400], y_dig[1000:1400])
model = Sequential([Dense(64, 64, init="he_normal", rng=0), Activation("relu"), Dense(64, 10, rng=1)])
hist = fit(model, "softmax_cross_entropy", Adam(lr=0.01), X_dig[:100], y_dig[:100], epochs=200,
           batch_size=20, rng=0, validation_data=dig_val, early_stopping=EarlyStopping(patience=8))
print(f"stopped after epoch {hist.stopped_epoch} of 200, best epoch {hist.best_epoch}: "
      f"val loss {hist['val_loss'][hist.best_epoch]:.3f} (at the stop: {hist['val_loss'][-1]:.3f})")
print(f"the model now has the best epoch's weights: val loss {evaluate(model, 'softmax_cross_entropy', *dig_val)[0]:.3f}")

# %% [markdown]
# The explorer shows one long training of the wide network on 40 moons (150 epochs, no
# stopping) and replays early stopping on its validation curve: the dashed line is where
# training would stop for your patience, the star the epoch whose weights come back, the
# grey region the epochs it saves. Right: the restored model's boundary (colour) against
# the last epoch's (dashed). A patience of 1 stops at the first wiggle; a large one runs
# long past the best epoch but still restores it.

# %%
from nnlib.explorers.regularisation import early_stopping_explorer

early_stopping_explorer(patience=10)

# %% [markdown]
# ## 6. Data augmentation
#
# The surest cure for overfitting is more data. When there is no more, we can often
# *make* more: change the training inputs in ways that do not change their labels. A
# digit moved by one pixel is the same digit; a little pixel noise does not turn a 3
# into an 8. Training on such variants teaches the network to **ignore** them. Which
# changes are safe depends on the task: flipping left-right is fine for photos of cats
# and wrong for digits. Augment the training set only, never the validation or test
# data. `nnlib.augment` has `add_noise`, `shift_image`, `random_shifts` and `augment`:

# %%
rng = np.random.default_rng(3)
digit = X_dig[7]
variants = [digit] + [augment.shift_image(digit.reshape(8, 8), dy, dx).ravel()
                      for dy, dx in [(0, 1), (0, -1), (1, 0)]]
variants.append(augment.add_noise(digit[None], 0.15, rng, clip=(0, 1))[0])
titles = ["original", "right 1", "left 1", "down 1", "noise 0.15"]
fig, axes = plt.subplots(1, 5, figsize=(7.0, 1.8), dpi=100)
for ax, image, title in zip(axes, variants, titles):
    ax.imshow(image.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    ax.set(title=title, xticks=[], yticks=[])
fig.suptitle(f"one digit ({y_dig[7]}) and four variants with the same label", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown]
# The digits of this data set are all centred the same way, so a network trained on them
# never learns that a shifted digit is still a digit. We train the same network on 200
# digits as they are and on the same digits plus three randomly shifted copies of each
# (the same number of gradient steps), and test both on the validation digits as they are
# and shifted by up to one pixel:

# %%
idx = np.random.default_rng(0).permutation(len(X_dig))
X_a, y_a = X_dig[idx[:200]], y_dig[idx[:200]]
X_v, y_v = X_dig[idx[1000:1500]], y_dig[idx[1000:1500]]
X_v_shifted, _ = augment.random_shifts(X_v, np.random.default_rng(5), max_shift=1)
X_aug, y_aug = augment.augment(X_a, y_a, np.random.default_rng(1), copies=3, max_shift=1, image_shape=(8, 8))

for name, (X_fit, y_fit, epochs) in {"as they are": (X_a, y_a, 100),
                                     "with shifted copies": (X_aug, y_aug, 25)}.items():
    model = Sequential([Dense(64, 32, init="he_normal", rng=0), Activation("relu"), Dense(32, 10, rng=0)])
    fit(model, "softmax_cross_entropy", Adam(lr=0.01), X_fit, y_fit, epochs=epochs, batch_size=50, rng=0)
    plain = evaluate(model, "softmax_cross_entropy", X_v, y_v)[1]
    moved = evaluate(model, "softmax_cross_entropy", X_v_shifted, y_v)[1]
    print(f"trained on {len(X_fit):3d} digits {name:20}: validation accuracy {plain:.1%}, shifted {moved:.1%}")

# %% [markdown]
# Augmentation bought robustness to shifts at a small price on the centred digits: it
# encodes what you know about the task (here: position does not matter) as data.
#
# ## Summary
#
# - **Underfitting** (high bias): training and validation loss both high; more capacity
#   or training helps. **Overfitting** (high variance): training loss low, validation
#   loss rising; more data or regularisation helps. Watch both curves.
# - **L2** adds $\lambda \sum w^2$ (gradient $2\lambda w$): every step shrinks the weights
#   (weight decay; with SGD it equals `weight_decay=2λ`, with Adam use AdamW). **L1** adds
#   $\lambda \sum |w|$ (gradient $\lambda\,\mathrm{sign}\,w$): soft-thresholding sets small
#   weights to exactly zero; the proximal step gets there, the subgradient only hovers.
#   **Elastic net** mixes both. Penalise weights, not biases.
# - **Dropout** drops each unit with probability $p$ while training and scales the rest
#   by $1/(1-p)$, so evaluation mode is the identity; it trains an ensemble of thinned
#   networks that the full network averages.
# - **Batch norm**: batch mean, biased variance, normalise, scale and shift by $\gamma$,
#   $\beta$; running statistics (unbiased variance, momentum 0.1) for evaluation mode. It
#   lets deep networks train faster with larger learning rates, and regularises a little.
# - **Early stopping** keeps the weights of the epoch with the best validation loss;
#   **augmentation** adds label-preserving variants of the training data.
# - `nnlib` matches PyTorch: `Dropout(p)` = `nn.Dropout(p)`, `BatchNorm(n)` =
#   `nn.BatchNorm1d(n)`, `SGD(weight_decay=wd)` = L2 with $\lambda = wd/2$.
#
# ## Exercises
#
# Open [exercises/05_regularisation.ipynb](../exercises/05_regularisation.ipynb) and
# implement, each followed by its check cell:
#
# | exercise | function | watch out for |
# |---|---|---|
# | 5.1 | `l2_penalty(weights, lam)` → `(value, grads)` | the factor 2 in the gradient |
# | 5.2 | `l1_penalty(weights, lam)` → `(value, grads)` | `np.sign`: gradient 0 at $w = 0$ |
# | 5.3 | `dropout_forward(x, p, rng, training=True)` → `(out, mask)` | $p$ *drops*; scale by $1/(1-p)$; identity at test time |
# | 5.4 | `dropout_backward(dout, mask)` → `dx` | the same mask, the same scaling |
# | 5.5 | `batchnorm_forward(x, gamma, beta, eps=1e-5)` → `(out, cache)` | the biased variance |
# | 5.6 | `batchnorm_backward(dout, cache)` → `(dx, dgamma, dbeta)` | $\mu$ and $\sigma^2$ depend on $x$ |
#
# Next: **06 Vanishing and exploding gradients**: why deep networks are hard to train at
# all, and what initialisation, batch norm and residual connections do about it.

# %% [markdown] tags=["nav"]
# ---
# ← [04 Gradient descent and optimizers](04_optimizers.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [06 Vanishing and exploding gradients](06_gradients.ipynb) →
