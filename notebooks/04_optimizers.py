# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [03 Forward and backprop](03_backprop.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [05 Regularisation](05_regularisation.ipynb) →

# %% [markdown]
# # 04 · Gradient descent and optimizers
#
# Chapter 03 computed the gradient of the loss with respect to every weight. This
# chapter is about what to *do* with it: take a step downhill, and then another,
# thousands of times. How long the steps are (the **learning rate**), how much of the
# previous steps they remember (**momentum**), and whether each weight gets its own
# step size (**Adagrad, RMSprop, Adam**) decides whether training converges in minutes,
# crawls for hours, or blows up.
#
# **In this notebook you will**
# - run gradient descent by hand on $f(w) = 2w^2 + w + 4$ and see, in a table, why
#   $\eta = 0.1$ converges, $\eta = 0.5$ bounces for ever and $\eta = 0.6$ diverges;
# - compare batch, stochastic and mini-batch gradient descent: cost per step, noise,
#   steps per epoch;
# - move a learning-rate slider on a real network (digits) and watch training converge,
#   oscillate, then diverge;
# - write momentum in its two textbook forms and check that they are the same method;
# - race SGD, momentum, Nesterov, Adagrad, RMSprop, Adam and NAdam on four 2-D surfaces;
# - see what Adam's bias correction is for, and why AdamW decays weights differently
#   from an L2 penalty inside Adam;
# - draw the common learning-rate schedules and compare grid with random search.
#
# You need chapter 03: a loss $L$, its gradient $\nabla L$ with respect to the
# parameters, and `nnlib`'s `Sequential` and `fit`.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from nnlib import optim, schedules

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## 1. Optimisation with first derivatives
#
# Training means finding parameters $\theta$ (all the weights and biases) that make the
# loss $L(\theta)$ small. The gradient $\nabla L(\theta)$ points uphill, in the direction
# in which $L$ grows fastest; **gradient descent** takes a small step the other way,
#
# $$ \theta_{k+1} = \theta_k - \eta\, \nabla L(\theta_k), $$
#
# where $\eta > 0$ is the **learning rate** (`lr` in code: `nnlib` and PyTorch call it
# that). Gradient descent is a **first-order** method: it uses only first derivatives.
# A **second-order** method also uses the curvature, the Hessian matrix $H$ of second
# derivatives: Newton's method steps $\theta - H^{-1} \nabla L$ and lands on the minimum
# of a quadratic in one step. For a network with $D$ parameters $H$ has $D^2$ entries
# (a million weights: $10^{12}$ numbers) and solving with it costs about $D^3$
# operations, so deep learning uses first-order methods; the optimizers of this
# chapter try to get some of the benefit of curvature cheaply, from the history of
# the gradients.

# %% [markdown]
# ## 2. A worked example: $f(w) = 2w^2 + w + 4$
#
# One parameter, one quadratic:
#
# $$ f(w) = 2w^2 + w + 4, \qquad f'(w) = 4w + 1, \qquad f''(w) = 4. $$
#
# The minimum is where $f'(w) = 0$: $w^* = -\tfrac14$, with $f(w^*) = 3.875$. We start at
# $w_0 = 2$ and update $w_{k+1} = w_k - \eta f'(w_k)$. The cell uses `nnlib.optim.SGD`, the
# optimizer that trains the networks later on: its `step` takes a dict of parameter
# arrays and a dict of their gradients and updates the arrays in place.

# %%
def f(w):
    return 2 * w**2 + w + 4


def df(w):
    return 4 * w + 1


def iteration_table(eta, steps, w0=2.0):
    """Gradient descent on f with nnlib's SGD; print one row per step."""
    opt = optim.SGD(lr=eta)
    params = {"w": np.array([w0])}  # nnlib updates arrays in place: a 1-element array
    print(f"eta = {eta}")
    print("  k         w      f(w)     f'(w)    next w")
    for k in range(steps):
        w = params["w"][0]
        grads = {"w": df(params["w"])}
        opt.step(params, grads)  # params["w"] -= eta * grads["w"]
        print(f"{k:3d} {w:9.5f} {f(w):9.5f} {df(w):9.5f} {params['w'][0]:9.5f}")


iteration_table(0.1, 20)

# %% [markdown]
# With $\eta = 0.1$, $w$ creeps down to $-0.25$ and $f$ to $3.875$ in about 20 steps.
# Double the learning rate and it takes about 10:

# %%
iteration_table(0.2, 10)

# %% [markdown]
# At $\eta = 0.5$ every step overshoots the minimum by exactly as much as it started
# from: $w$ jumps between $2$ and $-2.5$ for ever, and $f$ never decreases. A little more,
# $\eta = 0.6$, and each jump lands further out: gradient descent **diverges**.

# %%
iteration_table(0.5, 6)
print()
iteration_table(0.6, 8)

# %% [markdown]
# **Why.** Subtract $w^*$ from both sides of the update. Since $f'(w) = 4(w - w^*)$,
#
# $$ w_{k+1} - w^* = (w_k - w^*) - 4\eta\,(w_k - w^*) = (1 - 4\eta)\,(w_k - w^*). $$
#
# Every step multiplies the error by $r = 1 - \eta f''$ with $f'' = 4$:
#
# | $\eta$ | $r = 1 - 4\eta$ | what happens |
# |---|---|---|
# | $0 < \eta < 0.25$ | $0 < r < 1$ | converges from one side; slowly when $\eta$ is small |
# | $\eta = 0.25 = 1/f''$ | $0$ | the minimum in **one** step (this is Newton's step) |
# | $0.25 < \eta < 0.5$ | $-1 < r < 0$ | converges, jumping from side to side |
# | $\eta = 0.5 = 2/f''$ | $-1$ | bounces between $2$ and $-2.5$ for ever |
# | $\eta > 0.5$ | $r < -1$ | diverges: the error grows by $\lvert r \rvert$ each step |
#
# For any loss, near a minimum, the same holds along each direction of the Hessian
# with that direction's curvature: $\eta = 1/f''$ is the ideal step and $\eta = 2/f''$
# the **edge of stability**. A network has many directions with very different
# curvatures, and one learning rate must stay below $2/f''$ for the *sharpest* of them.
# That is the problem the rest of the chapter works on.
#
# Move the slider: the left plot shows the iterates on $f$, the right one the error
# $\lvert w_k - w^* \rvert$ on a log scale, a straight line whose slope is $\log\lvert r \rvert$.
# Try $\eta = 0.25$, $0.45$, $0.5$ and $0.55$.

# %%
from nnlib.explorers.optimizers import worked_explorer

worked_explorer(eta=0.1)

# %% [markdown]
# ## 3. Batch, stochastic and mini-batch gradient descent
#
# A training loss is a mean over $N$ examples, $L(\theta) = \frac1N \sum_{i=1}^N
# \ell_i(\theta)$, so its gradient is the mean of $N$ per-example gradients. There are
# three ways to use that:
#
# | method | gradient from | cost of one step | noise of the step | steps per epoch |
# |---|---|---|---|---|
# | batch (full-batch) GD | all $N$ examples | $N$ examples | none | 1 |
# | stochastic GD (SGD) | one random example | 1 example | large | $N$ |
# | mini-batch GD | a random batch of $B$ | $B$ examples | shrinks like $1/\sqrt{B}$ | $\lceil N/B \rceil$ |
#
# An **epoch** is one pass over the data: every example is read once. The batch
# gradient is an average of $B$ independent samples, so its standard deviation around
# the true gradient falls like $1/\sqrt{B}$: four times the batch size halves the noise,
# at four times the cost. Small batches take many cheap, noisy steps per epoch; large
# batches take few accurate ones. Noise is not only a cost: it keeps the optimizer moving
# near saddle points, and it is why a constant learning rate never settles exactly (the
# path ends in a cloud around the minimum). In practice "SGD" almost always means
# mini-batch SGD with $B$ between 32 and a few thousand, chosen to fill the hardware.
#
# `nnlib.train.fit` does mini-batch gradient descent: every epoch it shuffles the
# examples with the `rng` it is given and cuts them into batches of `batch_size`; the
# last batch is smaller when $B$ does not divide $N$. (Exercise 4.7 asks you to write
# that generator.)
#
# The explorer fits a line $\hat y = w x + b$ to $N = 256$ points by mini-batch SGD
# ($\eta = 0.05$, 5 epochs) for one batch size at a time. Left: the path of $(w, b)$ over
# the contours of the full-data loss. Middle: the loss (minus its minimum) against epochs,
# that is against examples read. Right: the same against steps. Grey curves are the other
# batch sizes. Per epoch, small batches win; per step, large ones do; and batch size 1
# ends in a noisy cloud.

# %%
from nnlib.explorers.surfaces import batch_explorer

batch_explorer(batch_size=16)

# %% [markdown]
# ## 4. The learning rate on a real network
#
# The worked example had one curvature; a network has many, and we do not know them.
# So the learning rate is found by trying. The explorer trains the same small network
# with plain mini-batch SGD at nine learning rates: 64 pixels → 32 tanh units → 10
# outputs, trained with the mean squared error on one-hot targets (the network of
# Nielsen's *Neural Networks and Deep Learning*, chapter 1) on 400 real handwritten
# digits for 20 epochs, validated on 200 others. All nine runs are trained when the cell
# runs (about a second), so the slider only redraws.
#
# Left: the loss of every batch (pale), the training loss per epoch and the validation
# loss. Right: the final validation loss for each learning rate. Small $\eta$ learns
# slowly; larger $\eta$ learns faster until, around $\eta = 0.5$, the first epoch
# already wobbles; from $\eta = 1$ on the loss grows step after step until it overflows
# to infinity. `fit` notices the first loss that is not finite, stops and records where
# in `history.diverged`; the cross marks that step. The best learning rate sits just
# below the one that diverges, a useful rule of thumb when you search for it.

# %%
from nnlib.explorers.optimizers import training_explorer

training_explorer(eta=0.2)

# %% [markdown]
# ## 5. Momentum
#
# In a long narrow valley (a high curvature across it, a low one along it) gradient
# descent zig-zags across the valley and crawls along it: a learning rate small enough
# for the steep direction is far too small for the flat one. **Momentum** fixes part of
# this by averaging the gradients over steps: the components that flip sign from step to
# step (across the valley) cancel, the ones that keep their sign (along it) add up.
#
# Two forms of momentum are taught, and both are called "momentum with $\beta = 0.9$":
#
# | form | update | used by |
# |---|---|---|
# | exponential moving average (EMA) | $V_t = \beta V_{t-1} + (1 - \beta)\, g_t, \quad w_t = w_{t-1} - \eta\, V_t$ | many lecture notes (Andrew Ng's course) |
# | classical (heavy ball) | $v_t = \beta v_{t-1} + g_t, \quad w_t = w_{t-1} - \mathrm{lr}\, v_t$ | PyTorch `SGD(momentum=β)`, `nnlib` |
#
# with $g_t$ the gradient at $w_{t-1}$ and $V_0 = v_0 = 0$ (PyTorch starts with $v_1 = g_1$,
# which is the same thing). Multiply the classical recursion by $(1 - \beta)$: $(1-\beta) v_t$
# obeys exactly the EMA recursion, so $V_t = (1 - \beta)\, v_t$ at every step. The two
# forms take the same steps when $\eta\, V_t = \mathrm{lr}\, v_t$, that is when
#
# $$ \eta = \frac{\mathrm{lr}}{1 - \beta}. $$
#
# The EMA form's $\eta$ is a "true" step size (the average gradient times $\eta$); the
# classical form's steps grow to $\mathrm{lr}/(1-\beta) = 10\,\mathrm{lr}$ for $\beta = 0.9$ on a
# constant slope. So copying a learning rate between the two conventions is off by a
# factor of 10. The numbers, on the worked example:

# %%
lr, beta, steps = 0.02, 0.9, 60

opt = optim.SGD(lr=lr, momentum=beta)  # classical form, as torch.optim.SGD
params = {"w": np.array([2.0])}
classical = [2.0]
for _ in range(steps):
    opt.step(params, {"w": df(params["w"])})
    classical.append(params["w"][0])

eta = lr / (1 - beta)  # the EMA form, written out, with the rescaled learning rate
w, V = 2.0, 0.0
ema = [w]
for _ in range(steps):
    V = beta * V + (1 - beta) * df(w)
    w = w - eta * V
    ema.append(w)

print(f"classical: lr = {lr}, beta = {beta};  EMA: eta = lr / (1 - beta) = {eta:.2f}")
print("  t  classical w        EMA w")
for t in range(0, 10):
    print(f"{t:3d} {classical[t]:12.8f} {ema[t]:12.8f}")
print(f"largest difference over {steps} steps: {np.max(np.abs(np.subtract(classical, ema))):.1e}")

# %% [markdown]
# The same path, to rounding error. Notice also that momentum *overshoots*: $w$ passes
# $-0.25$ and comes back, like a ball rolling through a valley. With curvature $h$ the
# heavy ball converges for $0 < \mathrm{lr}\,h < 2(1 + \beta)$, a wider range than plain
# gradient descent's $2$, and on a valley with condition number $\kappa$ (largest over
# smallest curvature) the best $\beta$ makes the error shrink like
# $1 - 2/\sqrt{\kappa}$ per step instead of $1 - 2/\kappa$.
#
# **Nesterov momentum** evaluates the correction "one step ahead". PyTorch (and `nnlib`,
# `SGD(momentum=β, nesterov=True)`) writes it without a second gradient evaluation:
#
# $$ v_t = \beta v_{t-1} + g_t, \qquad w_t = w_{t-1} - \mathrm{lr}\,(g_t + \beta\, v_t). $$
#
# The step uses the *new* velocity once more, which is the gradient at the look-ahead
# point $w + \beta \cdot(\text{velocity})$ up to a change of variables (Sutskever et al.,
# 2013). It brakes earlier when the gradient turns, so it oscillates less than classical
# momentum.
#
# ## 6. Per-weight learning rates: Adagrad, Adadelta, RMSprop
#
# Momentum keeps one learning rate for every weight. The **adaptive** methods divide each
# weight's step by a running size of its own gradients, so weights with large gradients
# take smaller steps and rarely-updated weights larger ones (all operations elementwise;
# $\epsilon$ avoids a division by zero):
#
# | method | state | update |
# |---|---|---|
# | Adagrad (2011) | $s_t = s_{t-1} + g_t^2$ | $w_t = w_{t-1} - \mathrm{lr}\, g_t / (\sqrt{s_t} + \epsilon)$ |
# | RMSprop (Hinton, 2012) | $s_t = \alpha s_{t-1} + (1 - \alpha)\, g_t^2$ | $w_t = w_{t-1} - \mathrm{lr}\, g_t / (\sqrt{s_t} + \epsilon)$ |
# | Adadelta (2012) | $s_t = \rho s_{t-1} + (1-\rho) g_t^2$; $\Delta_t = \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{s_t + \epsilon}}\, g_t$; $u_t = \rho u_{t-1} + (1-\rho)\Delta_t^2$ | $w_t = w_{t-1} - \mathrm{lr}\,\Delta_t$ |
#
# Adagrad sums *all* past squared gradients, so its steps only shrink: good for sparse
# features, too timid for long training. RMSprop replaces the sum by an exponential
# moving average ($\alpha = 0.99$ in PyTorch, 0.9 in Hinton's lecture and in Keras), so
# the step size follows the recent gradient scale. Adadelta also keeps an average of
# past squared *steps* $u$, so that the update has the units of $w$; its `lr` (1.0 by
# default) is only a multiplier.
#
# ## 7. Adam, bias correction, AdamW and NAdam
#
# **Adam** (Kingma and Ba, 2015) combines momentum (an EMA of $g$) with RMSprop (an EMA
# of $g^2$):
#
# $$ m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2, $$
# $$ \hat m_t = \frac{m_t}{1 - \beta_1^t}, \qquad \hat v_t = \frac{v_t}{1 - \beta_2^t}, \qquad
#    w_t = w_{t-1} - \mathrm{lr}\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}, $$
#
# with $m_0 = v_0 = 0$, $t = 1, 2, \dots$ and PyTorch's defaults $\beta_1 = 0.9$,
# $\beta_2 = 0.999$, $\epsilon = 10^{-8}$, $\mathrm{lr} = 10^{-3}$. Because $m$ and $v$ start at 0,
# early on they are too small: with a constant gradient $g$, $m_t = (1 - \beta_1^t)\, g$.
# Dividing by $1 - \beta^t$ is the **bias correction**: it makes $\hat m_t$ and $\hat v_t$
# unbiased averages from the first step on. Without it the two biases do not cancel,
# because $\beta_2$ is much closer to 1: at $t = 1$ the step is
# $\mathrm{lr} \cdot 0.1\,g / \sqrt{0.001\, g^2} \approx 3.16\,\mathrm{lr}$ instead of $\mathrm{lr}$. The
# first steps on the worked example, with $\mathrm{lr} = 0.1$:

# %%
def adam_steps(lr, steps, correct, beta1=0.9, beta2=0.999, eps=1e-8, w0=2.0):
    """Adam on f from w0, written out; returns the steps w_t - w_{t-1}."""
    w, m, v, out = w0, 0.0, 0.0, []
    for t in range(1, steps + 1):
        g = df(w)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if correct else (m, v)
        step = -lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(step)
        w += step
    return np.array(out)


with_bc = adam_steps(0.1, 8, correct=True)
without = adam_steps(0.1, 8, correct=False)

opt, params, nnlib_steps = optim.Adam(lr=0.1), {"w": np.array([2.0])}, []
for _ in range(8):
    before = params["w"][0]
    opt.step(params, {"w": df(params["w"])})
    nnlib_steps.append(params["w"][0] - before)
print("nnlib.optim.Adam takes the bias-corrected steps:", np.allclose(with_bc, nnlib_steps))
print("  t   step with correction   step without")
for t, (a, b) in enumerate(zip(with_bc, without), 1):
    print(f"{t:3d} {a:16.4f} {b:16.4f}")

# %% [markdown]
# With the correction the first step is $-\mathrm{lr}\cdot\operatorname{sign}(g) = -0.1$
# exactly, whatever the scale of $g$: Adam's `lr` is a step length in the units of the
# weights. Without it the first step is more than three times too long and the next ones
# longer still (with a constant gradient the uncorrected step is
# $(1 - \beta_1^t)/\sqrt{1 - \beta_2^t}$ times lr: 3.2 at $t = 1$, 6.5 at $t = 10$, still 1.3 at
# $t = 1000$); in a network that can throw the weights far away before training has begun. (Learning-rate warm-up, section 8, is
# another remedy for shaky first steps.)
#
# **AdamW: weight decay, decoupled.** An L2 penalty $\frac\lambda2 \lVert w \rVert^2$ adds
# $\lambda w$ to the gradient. In plain SGD this is the same as shrinking the weights,
# $w \leftarrow w - \mathrm{lr}\,\lambda w$, at every step: "weight decay". Inside Adam it is
# not, because the $\lambda w$ in the gradient gets divided by $\sqrt{\hat v_t}$ like the
# rest: weights with large gradients are barely decayed, weights with small ones are
# decayed hard. **AdamW** (Loshchilov and Hutter, 2019) decouples the two:
#
# $$ w \leftarrow w - \mathrm{lr}\,\lambda\, w \quad\text{then the Adam step with the plain gradient } g. $$
#
# In `nnlib`, as in PyTorch: `Adam(weight_decay=λ)` is the L2 version and
# `AdamW(weight_decay=λ)` (default $\lambda = 0.01$) the decoupled one. Here two weights
# both start at 1; the loss has no gradient for the first and a large, noisy one for the
# second, so only the decay should make them shrink:

# %%
rng = np.random.default_rng(0)
noise = rng.normal(0.0, 10.0, size=200)  # the second weight's loss gradient, every step
for name, opt in [("Adam + L2 (weight_decay)", optim.Adam(lr=0.01, weight_decay=0.1)),
                  ("AdamW (decoupled)       ", optim.AdamW(lr=0.01, weight_decay=0.1))]:
    params = {"w": np.array([1.0, 1.0])}
    for g in noise:
        opt.step(params, {"w": np.array([0.0, g])})
    print(f"{name}: after 200 steps w = {params['w']}")
print(f"pure decay, (1 - lr * lambda)^200 = {(1 - 0.01 * 0.1) ** 200:.4f}")

# %% [markdown]
# With L2 inside Adam, the first weight (no loss gradient, so $g = \lambda w$ only) is
# pushed by full-size Adam steps of about $\mathrm{lr}$ each and drops far, while the
# second (its $\lambda w$ drowned by the noise in $\hat v$) hardly decays at all. AdamW
# shrinks both by the same factor $(1 - \mathrm{lr}\,\lambda)$ per step, plus the
# random walk that the noisy gradient causes in the second weight. Decoupled decay
# regularises every weight alike, which is why AdamW is the default for transformers.
#
# **NAdam** (Dozat, 2016) is Adam with Nesterov momentum: the step mixes the current
# gradient with the momentum of the *next* step. With a momentum schedule
# $\mu_t = \beta_1 (1 - \tfrac12\, 0.96^{\,0.004\, t})$ that rises slowly towards $\beta_1$,
#
# $$ w_t = w_{t-1} - \mathrm{lr} \left( \frac{(1 - \mu_t)\, g_t}{1 - \prod_{i \le t} \mu_i}
#    + \frac{\mu_{t+1}\, m_t}{1 - \prod_{i \le t+1} \mu_i} \right) \Big/ \left( \sqrt{\hat v_t} + \epsilon \right). $$
#
# **Same numbers as PyTorch.** Every optimizer in `nnlib.optim` (SGD with momentum and
# Nesterov, Adagrad, Adadelta, RMSprop, Adam, AdamW, NAdam) follows the update rule,
# defaults and argument checks of `torch.optim`; `tests/test_parity_torch_optim.py` runs
# 20 steps of each, with several settings, in both libraries and finds the parameters
# and every state buffer equal to $10^{-12}$. What you tune here transfers to PyTorch
# unchanged.
#
# | optimizer | `nnlib` / `torch.optim` | defaults | good for |
# |---|---|---|---|
# | SGD | `SGD(lr, momentum=0.9, nesterov=True)` | lr $10^{-3}$, momentum 0 | well-tuned vision models; often generalises best |
# | Adagrad | `Adagrad(lr)` | lr 0.01 | sparse features (embeddings, linear models) |
# | RMSprop | `RMSprop(lr)` | lr 0.01, $\alpha = 0.99$ | recurrent networks, reinforcement learning |
# | Adadelta | `Adadelta()` | lr 1.0, $\rho = 0.9$ | rarely used today |
# | Adam | `Adam(lr)` | lr $10^{-3}$, betas (0.9, 0.999) | the default first try |
# | AdamW | `AdamW(lr, weight_decay)` | weight decay 0.01 | transformers; anything with weight decay |
# | NAdam | `NAdam(lr)` | lr $2 \cdot 10^{-3}$ | a drop-in for Adam |
#
# ### The optimizer race
#
# Every optimizer starts from the black dot and takes 150 steps with the same learning
# rate; the momentum slider sets $\beta$ of momentum and Nesterov (Adam and friends keep
# their defaults). Choosing a surface sets a learning rate that suits it. Things to try:
#
# - **ill-conditioned quadratic** $f = (x^2 + \kappa y^2)/2$: SGD creeps along $x$;
#   momentum and Nesterov race ahead; raise the learning rate to 0.03 and SGD starts to
#   zig-zag while Nesterov diverges ($\mathrm{lr}\cdot\kappa$ above its limit). Change
#   $\kappa$: gradient descent's trouble grows with the condition number.
#   Adam is slow at lr = 0.02 because each of its steps is about lr long: give it 0.1.
# - **Rosenbrock**: everyone finds the valley; following its flat curved floor is the hard
#   part. SGD has not arrived after 150 steps.
# - **saddle**: started on the ridge ($y = 0.001$), SGD needs many steps to notice that it
#   can go down in $y$; methods that rescale small gradients (RMSprop, Adam) leave at once.
# - **two minima**: SGD and Adam stop in the nearer, shallower minimum; momentum carries
#   over the ridge into the deeper one. (Whether that is good luck or a feature depends
#   on the surface; in high dimensions, flat wide minima matter more than this picture.)

# %%
from nnlib.explorers.surfaces import race_explorer

race_explorer(surface="quadratic")

# %% [markdown]
# ## 8. Learning-rate schedules
#
# A learning rate large enough to make fast progress early is too large to settle into a
# minimum late (the noisy cloud of section 3). Schedules lower it as training goes on;
# `nnlib.schedules` has PyTorch's most common ones. With $\eta_0$ the initial learning
# rate and $t$ the epoch:
#
# | schedule | $\eta(t)$ | `nnlib.schedules` / `torch.optim.lr_scheduler` |
# |---|---|---|
# | step decay | $\eta_0 \gamma^{\lfloor t / s \rfloor}$ | `StepLR(opt, step_size=s, gamma=γ)` |
# | exponential | $\eta_0 \gamma^t$ | `ExponentialLR(opt, gamma=γ)` |
# | cosine | $\eta_{\min} + (\eta_0 - \eta_{\min})\,\frac{1 + \cos(\pi t / T)}{2}$ | `CosineAnnealingLR(opt, T_max=T)` |
# | linear warm-up | $\eta_0 \left(f + (1 - f) \min(t, W)/W\right)$ | `LinearWarmup(opt, W, start_factor=f)` (`LinearLR`) |
#
# **Warm-up** starts small for the first few hundred or thousand steps, while Adam's
# moment estimates and the network's activations settle, and is usually followed by a
# cosine or linear decay. Each schedule object sets `opt.lr`; call `sched.step()` once per
# epoch (or per step), and `sched.lr_at(t)` gives the value at any $t$ without changing
# anything:

# %%
t = np.arange(100)
curves = {
    "StepLR(step_size=30, gamma=0.1)": schedules.StepLR(optim.SGD(lr=0.1), 30, 0.1).lr_at(t),
    "ExponentialLR(gamma=0.97)": schedules.ExponentialLR(optim.SGD(lr=0.1), 0.97).lr_at(t),
    "CosineAnnealingLR(T_max=100)": schedules.CosineAnnealingLR(optim.SGD(lr=0.1), 100).lr_at(t),
}
warm = schedules.LinearWarmup(optim.SGD(lr=0.1), warmup_steps=10, start_factor=0.1).lr_at(t)
cosine = schedules.CosineAnnealingLR(optim.SGD(lr=0.1), T_max=90).lr_at(np.maximum(t - 10, 0))
curves["warm-up 10, then cosine"] = np.where(t < 10, warm, cosine)

fig, ax = plt.subplots(figsize=(7.0, 3.0))
for label, lrs in curves.items():
    ax.plot(t, lrs, lw=2, label=label)
ax.set(xlabel="epoch t", ylabel="learning rate", ylim=(0, 0.105))
ax.legend(frameon=False, fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# Using one in a training loop (here by hand; `fit` takes a `callback` that can call
# `sched.step()` after every epoch):

# %%
opt = optim.SGD(lr=0.1, momentum=0.9)
sched = schedules.StepLR(opt, step_size=2, gamma=0.5)
for epoch in range(6):
    print(f"epoch {epoch}: lr = {opt.lr:.4f}")  # ... one epoch of opt.step(...) here
    sched.step()

# %% [markdown]
# ## 9. Searching for hyperparameters: grid or random
#
# Learning rate, momentum, batch size, width, weight decay, schedule: a model has many
# knobs, and each trial costs a training run. **Grid search** tries every combination of
# a few values per knob; **random search** draws each trial's values at random (on a log
# scale for scale-like knobs such as the learning rate).
#
# Bergstra and Bengio (2012) pointed out why random search usually wins: typically only
# one or two hyperparameters really matter, and we do not know which. With $n$ trials on
# two knobs, a grid tries only $\sqrt{n}$ distinct values of each, and all the trials that
# differ only in the unimportant knob are wasted; random search tries $n$ distinct values
# of *every* knob. The explorer searches a made-up score in which the learning rate
# matters a lot (good only in a narrow band) and a hidden width hardly at all. The red
# ticks show the distinct learning rates each method tried. Watch how many trials the grid
# needs before one of its columns hits the band.

# %%
from nnlib.explorers.optimizers_search import search_explorer

search_explorer(n_trials=9)

# %% [markdown]
# Both methods ignore what earlier trials found. **Bayesian optimisation** does not: it
# fits a cheap model of the score to the trials so far (a Gaussian process, or the
# tree-structured estimator of Optuna and Hyperopt) and picks the next trial where that
# model expects improvement, trading off exploring unknown regions against exploiting
# good ones. Add early stopping of poor trials (successive halving, Hyperband) and the
# budget goes much further. A practical recipe: search the learning rate first, on a log
# scale, with short runs; then the rest, randomly.

# %% [markdown]
# ## Summary
#
# - Gradient descent steps $w \leftarrow w - \eta \nabla L$. On a quadratic with curvature
#   $f''$ the error is multiplied by $1 - \eta f''$ per step: $\eta = 1/f''$ is ideal,
#   $\eta = 2/f''$ the edge of stability, beyond it training diverges. For
#   $f = 2w^2 + w + 4$: $\eta = 0.1$ converges in about 20 steps, $0.2$ in about 10,
#   $0.5$ bounces for ever, $0.6$ diverges.
# - Mini-batches trade noise for cost: the gradient's noise falls like $1/\sqrt{B}$, the
#   cost of a step grows like $B$, an epoch has $\lceil N/B \rceil$ steps.
# - On a real network the best learning rate sits just below the one that diverges;
#   `fit` stops and reports in `history.diverged` when the loss is no longer finite.
# - Momentum averages gradients. The EMA form ($V = \beta V + (1-\beta) g$, step $\eta V$)
#   and PyTorch's classical form ($v = \beta v + g$, step $\mathrm{lr}\, v$) are the same
#   method with $\eta = \mathrm{lr}/(1 - \beta)$. Nesterov looks one step ahead.
# - Adagrad, RMSprop and Adam give every weight its own step size. Adam needs its bias
#   correction (its first steps are otherwise about 3 times too long), and AdamW's
#   decoupled weight decay is not the same as L2 inside Adam.
# - Schedules lower the learning rate over time; warm-up raises it at the start.
# - Random search beats grid search when few hyperparameters matter; Bayesian
#   optimisation also learns from earlier trials.
# - `nnlib.optim` computes the same numbers as `torch.optim`.
#
# ## Exercises
#
# Open [exercises/04_optimizers.ipynb](../exercises/04_optimizers.ipynb) and implement,
# each followed by its check cell:
#
# | exercise | function | watch out for |
# |---|---|---|
# | 4.1 | `gd_step(w, grad, lr)` | return a new array; do not change `w` |
# | 4.2 | `momentum_step(w, grad, v, lr, beta)` | the classical form, $v = \beta v + g$ |
# | 4.3 | `nesterov_step(w, grad, v, lr, beta)` | PyTorch's form, with the *new* $v$ |
# | 4.4 | `rmsprop_step(w, grad, s, lr, beta=0.9, eps=1e-8)` | average $g^2$, $\epsilon$ outside the root |
# | 4.5 | `adam_step(w, grad, m, v, t, lr, ...)` | bias correction; $t$ counts from 1 |
# | 4.6 | `adamw_step(w, grad, m, v, t, lr, ..., weight_decay=0.01)` | decay $w$ directly, not through $g$ |
# | 4.7 | `minibatches(X, y, batch_size, rng)` | every sample once, shuffled, last batch smaller |
#
# Next: **05 Regularisation**: now that training works, how to make what it learns
# generalise to new data.

# %% [markdown] tags=["nav"]
# ---
# ← [03 Forward and backprop](03_backprop.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [05 Regularisation](05_regularisation.ipynb) →
