# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# ← [00 Start here](00_start_here.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [02 Activations](02_activations.ipynb) →

# %% [markdown]
# # 01 · Neurons
#
# Every network in this course is built from one small unit: the artificial neuron.
# This chapter follows its history in three steps, each fixing a weakness of the one
# before: the **McCulloch-Pitts neuron** (1943) that counts its active inputs, the
# **perceptron** (1958) that *learns* weights from examples, and the **sigmoid neuron**
# whose smooth output lets calculus do the learning.
#
# **In this notebook you will**
# - write down the McCulloch-Pitts neuron and find its threshold for AND and OR by
#   brute force, and see that *no* threshold gives XOR;
# - train a perceptron with its learning rule $w \leftarrow w - \eta\,(\hat y - y)\,x$,
#   watch it converge on linearly separable data and never settle on XOR;
# - replace the step by a sigmoid, train by gradient descent on the cross-entropy, and
#   check the gradient against a numerical one;
# - name the limitation of each neuron, and which of them the next chapters remove.
#
# You need: vectors and the dot product $w \cdot x = \sum_d w_d x_d$, and (for the last
# part) the derivative of a function of one variable.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from nnlib.data import logic_gate
from nnlib.neurons import (
    MPNeuron, Perceptron, SigmoidNeuron, find_threshold, mp_neuron, perceptron_step,
    threshold_errors,
)

np.set_printoptions(precision=3, suppress=True)

# %% [markdown]
# ## 1. The biological inspiration
#
# A biological neuron receives signals from thousands of others through its
# **dendrites**. Each connection, a **synapse**, passes the signal on more or less
# strongly, and some synapses excite while others inhibit. The cell body adds up what
# arrives; when the total crosses a **threshold**, the neuron fires an all-or-nothing
# electrical spike down its **axon** to the next cells. Learning, in the brain, is
# largely a change in synapse strengths. The artificial neuron keeps exactly this
# skeleton, and nothing else: inputs $x_d$, a strength (a **weight** $w_d$) per input, a
# sum, and a threshold that decides the output. It is a cartoon, not a model of the
# brain; but the cartoon turned out to be enough to build everything in this course.

# %% [markdown]
# ## 2. The McCulloch-Pitts neuron
#
# Warren McCulloch and Walter Pitts (1943) took the cartoon literally: the inputs
# $x_1, \dots, x_D$ are **binary** (0 or 1), every active input counts the same, and
# the neuron fires when at least $\theta$ of them are on:
#
# $$ \hat y = \begin{cases} 1 & \text{if } x_1 + x_2 + \dots + x_D \ge \theta \\
#                          0 & \text{otherwise.} \end{cases} $$
#
# The threshold $\theta$ is the neuron's only setting. With two inputs the four possible
# rows have sums 0, 1, 1 and 2, so each threshold gives a different function:

# %%
X, _ = logic_gate("and")  # the four rows (0,0), (0,1), (1,0), (1,1)
print("x1 x2 | sum | theta=0  1  2  3")
for row in range(4):
    outputs = [mp_neuron(X, theta)[row] for theta in range(4)]
    print(f" {X[row, 0]:.0f}  {X[row, 1]:.0f} |  {X[row].sum():.0f}  |       "
          + "  ".join(str(o) for o in outputs))

# %% [markdown]
# Threshold 2 fires only for $(1, 1)$: that is **AND**. Threshold 1 fires when any input
# is on: **OR**. Threshold 0 always fires and threshold 3 never does.
#
# ### Finding the threshold by brute force
#
# The MP neuron does not learn; we *choose* $\theta$. Because the sum is a whole number
# between 0 and $D$, only the integer thresholds $0, 1, \dots, D+1$ behave differently
# ($\theta = 1.5$ acts exactly like 2, and anything above $D$ never fires). So we can
# simply try them all and count the rows each one gets wrong.
# `threshold_errors(X, y)` does that; `find_threshold(X, y)` returns the smallest
# threshold with no wrong row, or `None`:

# %%
print("gate  | wrong rows for theta = 0  1  2  3 | threshold found")
for gate in ["and", "or", "nand", "xor"]:
    X, y = logic_gate(gate)
    errors = threshold_errors(X, y)
    print(f"{gate.upper():5} |                      {'  '.join(map(str, errors))} | "
          f"{find_threshold(X, y)}")

# %% [markdown]
# AND needs $\theta = 2$ and OR $\theta = 1$, as read off above. **XOR has no threshold.**
# The reason fits in one line: XOR must fire when the sum is 1 (rows $(0,1)$ and
# $(1,0)$) but stay silent when the sum is 2 (row $(1,1)$). A threshold neuron that fires
# at sum 1 fires at every larger sum too. The same argument rules out **NAND**: it must
# fire at sum 0, so $\theta \le 0$, and then it fires at sum 2 as well.
#
# In general, an MP neuron can only compute functions where switching an input *on*
# never switches the output *off*. (McCulloch and Pitts also had *inhibitory* inputs,
# any one of which vetoes firing; that adds NOT, but still no XOR from a single neuron.)
# `MPNeuron` wraps the same search in the `fit` / `predict` interface every neuron in
# `nnlib` shares; it refuses loudly when no threshold exists:

# %%
X, y = logic_gate("or")
neuron = MPNeuron().fit(X, y)
print("OR: threshold", neuron.threshold, "-> predictions", neuron.predict(X))
try:
    MPNeuron().fit(*logic_gate("xor"))
except ValueError as error:
    print("XOR:", error)

# %% [markdown]
# ### Explorer: threshold and gate
#
# Pick a gate and move the threshold. The table shows each row's input sum, the
# gate's target and the neuron's output (green when right, salmon when wrong). On the
# right, the four inputs as points in the plane, coloured by the target; the shaded
# region is where the neuron fires, bounded by the line $x_1 + x_2 = \theta$. Rows the
# neuron gets wrong are ringed.
#
# Try: find the threshold for AND and for OR. Then try every threshold for NAND and for
# XOR; the bottom line counts the wrong rows for all thresholds at once. Notice that
# the boundary can only slide; it can never turn. That is the whole problem.

# %%
from nnlib.explorers.neurons import mp_explorer

mp_explorer(gate="AND", threshold=1)

# %% [markdown]
# **Limitations of the MP neuron.** Inputs and output are binary. Every input has the
# same weight, so the boundary is always the line $x_1 + x_2 = \theta$ and only
# "switching on never switches off" functions are possible. And nothing is learned: a
# person (or a brute-force loop) picks $\theta$. The perceptron removes the last two.

# %% [markdown]
# ## 3. The perceptron
#
# Frank Rosenblatt's perceptron (1958) gives every input its own **weight** $w_d$ (any
# real number, negative ones inhibit) and moves the threshold into a **bias**
# $b = -\theta$. For an input $x \in \mathbb{R}^D$ (no longer only 0 and 1):
#
# $$ z = w \cdot x + b = \sum_{d=1}^{D} w_d x_d + b, \qquad
#    \hat y = H(z) = \begin{cases} 1 & z \ge 0 \\ 0 & z < 0 \end{cases} $$
#
# $H$ is the **step** (Heaviside) function. The neuron says 1 on one side of the line
# (in $D$ dimensions, the hyperplane) $w \cdot x + b = 0$ and 0 on the other side. The
# weight vector $w$ is perpendicular to that line and points to the side of the 1s;
# the bias shifts the line. The MP neuron is the special case $w = (1, \dots, 1)$,
# $b = -\theta$.
#
# ### The learning rule
#
# The perceptron learns from labelled examples $(x, y)$, $y \in \{0, 1\}$, one at a time.
# After predicting $\hat y$ for $x$ it updates, with a **learning rate** $\eta > 0$
# (`lr` in the code):
#
# $$ w \leftarrow w - \eta\,(\hat y - y)\,x, \qquad b \leftarrow b - \eta\,(\hat y - y). $$
#
# | prediction | $\hat y - y$ | update | effect on $z = w \cdot x + b$ for this $x$ |
# |---|---|---|---|
# | right | $0$ | none | none |
# | said 1, should be 0 | $+1$ | $w \leftarrow w - \eta x$, $b \leftarrow b - \eta$ | drops by $\eta(\lVert x \rVert^2 + 1)$ |
# | said 0, should be 1 | $-1$ | $w \leftarrow w + \eta x$, $b \leftarrow b + \eta$ | rises by $\eta(\lVert x \rVert^2 + 1)$ |
#
# Each mistake nudges the line so that *this* example would score closer to the right
# side. Here is one step by hand, a false 1:

# %%
w, b = np.array([0.5, 0.5]), 0.0
x, y = np.array([1.0, 0.0]), 0
print(f"before: z = w.x + b = {w @ x + b:.2f} -> y_hat = 1, but y = 0")
w_new, b_new = perceptron_step(w, b, x, y, lr=0.5)
print(f"after:  w = {w_new}, b = {b_new:.2f}, z = {w_new @ x + b_new:.2f} -> y_hat = 0")

# %% [markdown]
# ### Training on AND
#
# Training visits the samples in order, applying the rule to each; one pass over the
# data is an **epoch**. It stops after the first epoch without a mistake. Starting
# from $w = 0$, $b = 0$ with $\eta = 1$ on AND:

# %%
X, y = logic_gate("and")
perceptron = Perceptron(lr=1.0).fit(X, y)
print("mistakes per epoch:", perceptron.errors_)
print(f"final w = {perceptron.w}, b = {perceptron.b:.0f}")
print("predictions:", perceptron.predict(X), " targets:", y)

# %% [markdown]
# Six epochs: five with mistakes, then a clean one. The result $w = (2, 1)$, $b = -3$
# is a perfectly good AND (check: $z = -3, -2, -1, 0$ for the four rows), though not the
# symmetric one you might draw by hand. `fit` keeps every intermediate state
# (`w_history_`, `b_history_`), so we can replay the first epoch step by step:

# %%
def fmt(v):
    return "(" + ", ".join(f"{e:4.1f}" for e in v) + ")"


print(f"{'step':4}  {'sample':12}  y  {'w before':12}  {'b before':>8}   {'w after':12}  {'b after':>7}")
for k in range(4):
    i = perceptron.order_[k]
    print(f"{k + 1:4}  {fmt(X[i])}  {y[i]}  {fmt(perceptron.w_history_[k])}  "
          f"{perceptron.b_history_[k]:8.1f}   {fmt(perceptron.w_history_[k + 1])}  "
          f"{perceptron.b_history_[k + 1]:7.1f}")

# %% [markdown]
# **Does it always stop?** For linearly separable data, yes: the **perceptron
# convergence theorem** (Novikoff, 1962) says that if some line separates the classes
# with a margin $\gamma$ (every point at distance at least $\gamma$ from it) and every
# input (with a 1 appended for the bias) has length at most $R$, the perceptron makes
# at most $(R / \gamma)^2$ mistakes, whatever the order of the samples.
#
# **And the learning rate?** Starting from zero, $\eta$ does not matter at all: every
# update adds a multiple of $\eta$, so $w$ and $b$ are just $\eta$ times the $\eta = 1$
# values and every line on the way is the same line. Check:

# %%
a = Perceptron(lr=1.0).fit(X, y)
c = Perceptron(lr=0.01).fit(X, y)
print("mistakes per epoch, lr = 1   :", a.errors_)
print("mistakes per epoch, lr = 0.01:", c.errors_)
print("w_history(lr=0.01) * 100 == w_history(lr=1):",
      np.allclose(c.w_history_ * 100, a.w_history_))

# %% [markdown]
# ### XOR: the perceptron never settles
#
# On XOR the loop never finds an epoch without mistakes. It would run forever; `fit`
# stops after `epochs`:

# %%
fig, ax = plt.subplots(figsize=(6.4, 2.8))
for gate, style in [("and", "o-"), ("or", "s-"), ("xor", "^-")]:
    p = Perceptron(lr=1.0, epochs=30).fit(*logic_gate(gate))
    ax.plot(np.arange(1, len(p.errors_) + 1), p.errors_, style, ms=4,
            label=f"{gate.upper()}: {'converged' if p.converged_ else 'never converges'}")
ax.set(xlabel="epoch", ylabel="mistakes in the epoch", xlim=(0.5, 30.5), ylim=(-0.2, 4.2),
       title="Perceptron training from zero, lr = 1")
ax.legend(frameon=False)
plt.show()

# %% [markdown]
# Why no line works for XOR: suppose $w_1, w_2, b$ classified all four rows correctly.
# Then
#
# $$ \underbrace{b < 0}_{(0,0)\to 0}, \quad \underbrace{w_2 + b \ge 0}_{(0,1)\to 1}, \quad
#    \underbrace{w_1 + b \ge 0}_{(1,0)\to 1}, \quad \underbrace{w_1 + w_2 + b < 0}_{(1,1)\to 0}. $$
#
# Adding the middle two gives $w_1 + w_2 + 2b \ge 0$, so $w_1 + w_2 + b \ge -b > 0$,
# which contradicts the last one. The classes are **not linearly separable**, and no
# single neuron with a line as its boundary can compute XOR. (Minsky and Papert's 1969
# book made this limit famous. The way out, a *hidden layer* of neurons feeding
# another neuron, is chapter 03.)
#
# ### Explorer: perceptron training, step by step
#
# Choose a data set and step through training: **sample by sample** shows which point
# was just visited (dashed circle) and whether it moved the line; **epoch by epoch**
# jumps a whole pass at a time. The shaded region is where the perceptron says 1,
# ringed points are misclassified now, the dotted line is where the boundary was one
# step (or epoch) back, and the curve on the right counts the misclassified points
# during the whole run.
#
# Because the learning rate does not matter from zero, this explorer starts from a
# deliberately wrong line, $w = (-0.6, 1)$, $b = 0.2$. Now $\eta$ sets how far each
# mistake moves the line *relative to where it started*.
#
# Try:
# - AND and OR: step through the first epoch and predict each update before you see it.
# - Lower the learning rate: the early updates barely move the line, and training takes
#   more epochs. Raise it: the start hardly matters.
# - **XOR gate** and **XOR blobs**: go epoch by epoch to the end. The line keeps
#   jumping and the curve never reaches 0.
# - **two blobs**: a separable cloud of 30 points; count the updates it needs.

# %%
from nnlib.explorers.neurons import perceptron_explorer

perceptron_explorer(dataset="AND gate", lr=1.0, mode="sample by sample", step=5)

# %% [markdown]
# **The same rule elsewhere.** Many books and scikit-learn's `Perceptron` use labels
# $y \in \{-1, +1\}$ and predict $\operatorname{sign}(w \cdot x + b)$; the rule then reads
# "if $y\,(w \cdot x + b) \le 0$: $w \leftarrow w + \eta\, y\, x$, $b \leftarrow b + \eta\, y$".
# With $y = 2 y_{01} - 1$ it is the same algorithm; we keep 0/1 labels because they
# match the probabilities of the next section.
#
# **Limitations of the perceptron.** The boundary is a straight line (a hyperplane), so
# only linearly separable classes are learned; on anything else the rule never stops.
# The output is a hard 0 or 1: it says nothing about how sure it is, and a point just
# across the line counts the same as one far away. And the learning rule is a special
# recipe for this one neuron; it does not extend to networks of neurons.

# %% [markdown]
# ## 4. The sigmoid neuron
#
# Can we learn with *calculus* instead of a special rule? Gradient descent needs a loss
# that changes smoothly with $w$ and $b$. The step $H(z)$ is flat everywhere except at
# $z = 0$: its derivative is 0 (or undefined), so a small change of a weight either
# changes nothing or flips an output. There is no slope to follow.
#
# Replace the step by the **sigmoid**, a smooth step:
#
# $$ z = w \cdot x + b, \qquad p = \sigma(z) = \frac{1}{1 + e^{-z}} \in (0, 1),
#    \qquad \hat y = 1 \text{ if } p \ge 0.5 \text{ (that is, } z \ge 0). $$
#
# The boundary is the same kind of line $w \cdot x + b = 0$, but now the output $p$ is
# the neuron's **probability** that $y = 1$, and it changes a little when $w$ changes a
# little. A natural loss for probabilities is the **binary cross-entropy** (BCE), the
# average surprise $-\ln$ (probability given to the right answer):
#
# $$ L(w, b) = -\frac{1}{N} \sum_{n=1}^{N} \Big[ y_n \ln p_n + (1 - y_n) \ln (1 - p_n) \Big]. $$
#
# Its gradient is remarkably simple. With $\sigma'(z) = \sigma(z)(1 - \sigma(z))$ the
# chain rule gives $\partial L_n / \partial z_n = p_n - y_n$, and $z_n$ depends on $w$
# through $x_n$, so
#
# $$ \frac{\partial L}{\partial w} = \frac{1}{N} \sum_n (p_n - y_n)\, x_n, \qquad
#    \frac{\partial L}{\partial b} = \frac{1}{N} \sum_n (p_n - y_n). $$
#
# Gradient descent $w \leftarrow w - \eta\, \partial L / \partial w$ then looks just like
# the perceptron rule, with the hard $\hat y$ replaced by the soft $p$ and averaged over
# all samples: every point pulls on the line, more strongly the more wrong it is. (This
# neuron is **logistic regression**. In PyTorch it is `torch.nn.Linear(D, 1)` followed by
# a sigmoid, trained with `BCEWithLogitsLoss`: the same numbers.)
#
# `SigmoidNeuron` implements exactly these formulas. First we check its gradient against
# a numerical one (central differences, chapter 03 does this for every layer):

# %%
from nnlib.explorers.neurons import sigmoid_data
from nnlib.gradcheck import numerical_gradient, rel_error

X, y = sigmoid_data()  # two overlapping clouds, 20 points each
neuron = SigmoidNeuron()
neuron.w, neuron.b = np.array([0.5, -1.0]), 0.3
dw, db = neuron.gradients(X, y)


def loss_of_w(w):
    neuron.w = w
    return neuron.loss(X, y)


numeric_dw = numerical_gradient(loss_of_w, np.array([0.5, -1.0]))
print("analytic dL/dw:", dw, " numerical:", numeric_dw)
print(f"relative error: {rel_error(dw, numeric_dw):.1e}  (below 1e-7: the formula is right)")

# %% [markdown]
# Now train by gradient descent from $w = 0$, $b = 0$ (where $p = 0.5$ for every point
# and $L = \ln 2 \approx 0.693$):

# %%
neuron = SigmoidNeuron(lr=0.5, epochs=500).fit(X, y)
accuracy = np.mean(neuron.predict(X) == y)
print(f"w = {neuron.w}, b = {neuron.b:.3f}")
print(f"loss: {neuron.loss_history_[0]:.3f} -> {neuron.loss_history_[-1]:.3f}, "
      f"accuracy {accuracy:.0%}")

fig, ax = plt.subplots(figsize=(6.4, 2.6))
ax.plot(neuron.loss_history_)
ax.set(xlabel="gradient step (epoch)", ylabel="BCE loss", ylim=(0, 0.75),
       title="Sigmoid neuron: the loss goes down smoothly")
plt.show()

# %% [markdown]
# The loss falls smoothly: each step follows the slope. Three points stay
# misclassified because the two clouds overlap; no line does better here, but the
# neuron tells us *how* unsure it is about them.
#
# ### Explorer: the sigmoid neuron
#
# Set $w_1$, $w_2$ and $b$ yourself. On the left, the probability $p$ as colour over the
# plane, the boundary $p = 0.5$ and the weight vector $w$ (pointing towards $p = 1$).
# On the right, the same neuron seen *along* $w$: every point placed at its position
# $x \cdot w / \lVert w \rVert$, at height its label, with the S-curve
# $\sigma(\lVert w \rVert\, t + b)$ over them. The title shows the loss.
#
# Try:
# - Make $\lVert w \rVert$ larger without changing its direction: the S-curve steepens
#   and the probabilities become confident. What happens to the loss of the points on
#   the wrong side?
# - Change $b$ alone: the boundary slides along $w$.
# - Beat the trained neuron: can you get the loss below the value printed above? It is
#   possible, because 500 steps did not quite finish the job. Start from
#   $w \approx (4, 1.9)$, $b \approx 0.8$.

# %%
from nnlib.explorers.neurons import sigmoid_explorer

sigmoid_explorer(w1=1.0, w2=-1.0, b=0.0)

# %% [markdown]
# The boundary is still a straight line, so the sigmoid neuron cannot learn XOR either.
# From zero, gradient descent on XOR does not even start: by symmetry the gradient is
# exactly 0, and the best a line can do is $p = 0.5$ everywhere:

# %%
xor = SigmoidNeuron(lr=1.0, epochs=1000).fit(*logic_gate("xor"))
print(f"w = {xor.w}, b = {xor.b:.3f}, loss = {xor.loss_history_[-1]:.4f} (ln 2 = {np.log(2):.4f})")
print("p for the four rows:", xor.predict_proba(logic_gate("xor")[0]))

# %% [markdown]
# ## 5. Three neurons, three limitations
#
# | neuron | output | learns? | boundary | fails on |
# |---|---|---|---|---|
# | McCulloch-Pitts | 0 or 1 | no: pick $\theta$ (brute force) | $\sum x_d = \theta$, equal weights | XOR, NAND, anything where an input switches the output off |
# | perceptron | 0 or 1 | yes: the perceptron rule | any line $w \cdot x + b = 0$ | anything not linearly separable (XOR); the rule never stops |
# | sigmoid neuron | probability in $(0, 1)$ | yes: gradient descent on BCE | any line, $p = 0.5$ | anything not linearly separable (XOR) |
#
# The sigmoid neuron's strength is not a better boundary but a *differentiable* one:
# gradient descent works for any arrangement of such neurons, because the chain rule
# can pass derivatives through each of them. Chapter 02 looks at the choice of the
# smooth function (the **activation**), chapter 03 puts neurons into layers, where two
# layers compute XOR, and trains them with the chain rule (backpropagation).

# %% [markdown]
# ## Summary
#
# - An artificial neuron computes a weighted sum of its inputs plus a bias and passes
#   it through an activation: $\hat y = f(w \cdot x + b)$.
# - **McCulloch-Pitts**: binary inputs, equal weights, a threshold. AND is $\theta = 2$,
#   OR is $\theta = 1$ (two inputs); a brute-force search over $\theta = 0, \dots, D+1$
#   finds it; XOR and NAND have none.
# - **Perceptron**: learned weights and bias, step activation, the rule
#   $w \leftarrow w - \eta(\hat y - y)x$, $b \leftarrow b - \eta(\hat y - y)$. It
#   converges on linearly separable data (Novikoff's theorem) and never on XOR. From zero,
#   the learning rate only rescales $w$ and $b$.
# - **Sigmoid neuron**: $p = \sigma(w \cdot x + b)$, trained by gradient descent on the
#   binary cross-entropy, with $\partial L / \partial w = \frac1N \sum (p_n - y_n) x_n$.
#   Smoothness is what makes gradient descent possible; the boundary is still a line.
#
# ## Exercises
#
# Open [exercises/01_neurons.ipynb](../exercises/01_neurons.ipynb) and implement, each
# followed by its check cell:
#
# | exercise | function | watch out for |
# |---|---|---|
# | 1.1 | `mp_neuron(X, threshold)` | fire when the sum is *at least* the threshold ($\ge$) |
# | 1.2 | `find_threshold(X, y)` | the *smallest* threshold, from 0 to $D + 1$; `None` if none works |
# | 1.3 | `perceptron_step(w, b, x, y, lr)` | the sign of the update; return new arrays, do not change `w` |
# | 1.4 | `perceptron_fit(X, y, lr, epochs)` | start from zeros, samples in order, update the bias too, stop after a clean epoch |
#
# Next: **02 Activations**: the step and the sigmoid are only two choices of $f$; there
# are many more, and the choice matters.

# %% [markdown] tags=["nav"]
# ---
# ← [00 Start here](00_start_here.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [02 Activations](02_activations.ipynb) →
