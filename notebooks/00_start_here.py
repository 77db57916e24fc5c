# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["nav"]
# [Course map](00_start_here.ipynb#Course-map) | [01 Neurons](01_neurons.ipynb) →

# %% [markdown]
# # 00 · Start here
#
# Welcome to **Neural Network Fundamentals**: a course you *run* rather than read.
# Every chapter explains one idea with a little maths, computes it with `nnlib`
# (a small numpy library you can read in an afternoon), and gives you controls to
# move so you can watch the idea at work. Then you implement the key functions
# yourself and get specific feedback at once.
#
# **In this notebook you will**
# - see the course map and how the chapters build on each other;
# - check that your environment is ready (packages and interactive widgets);
# - move your first slider: one artificial neuron;
# - learn how exercises and checks work.

# %% [markdown]
# ## Course map
#
# Work through the chapters in order; each one uses what the previous ones built.
#
# <!-- course-map:start -->
# | # | chapter | what you learn | exercises |
# |---|---------|----------------|-----------|
# | 00 | [Start here](../notebooks/00_start_here.ipynb) | how the course works, an environment check, your first explorer | — |
# | 01 | [Neurons](../notebooks/01_neurons.ipynb) | McCulloch-Pitts neuron, perceptron learning rule, AND/OR vs XOR, the sigmoid neuron | [exercises](../exercises/01_neurons.ipynb) |
# | 02 | [Activations](../notebooks/02_activations.ipynb) | sigmoid, tanh, ReLU family, GELU, softmax; derivatives, saturation, dying ReLU | [exercises](../exercises/02_activations.ipynb) |
# | 03 | [Forward and backprop](../notebooks/03_backprop.ipynb) | layers as matrices, losses, the chain rule by hand, gradient checking | [exercises](../exercises/03_backprop.ipynb) |
# | 04 | [Gradient descent and optimizers](../notebooks/04_optimizers.ipynb) | learning rate and divergence, momentum, Adam and friends, schedules | [exercises](../exercises/04_optimizers.ipynb) |
# | 05 | [Regularisation](../notebooks/05_regularisation.ipynb) | over/underfitting, L1/L2, dropout, batch norm, early stopping | [exercises](../exercises/05_regularisation.ipynb) |
# | 06 | [Vanishing and exploding gradients](../notebooks/06_gradients.ipynb) | initialisers, per-layer statistics, residual connections, clipping | [exercises](../exercises/06_gradients.ipynb) |
# | 07 | [RNN and LSTM](../notebooks/07_rnn_lstm.ipynb) | recurrence, BPTT, LSTM gates, GRU, a character model | [exercises](../exercises/07_rnn_lstm.ipynb) |
# <!-- course-map:end -->
#
# Everything runs on your own machine; nothing is downloaded while you work.
# The library is `nnlib` (the folder `nnlib/` of this course). Its conventions are
# the ones PyTorch uses, so what you learn here transfers unchanged: rows are
# samples (`X` has shape `(N, D)`), a layer computes `X @ W + b`, and every random
# thing takes an explicit random generator so that results are reproducible.

# %% [markdown]
# ## Check your environment
#
# Run the next cell (Shift+Enter). It lists the packages the course needs and
# whether each is new enough. If a line says `NO`, run the command it prints in a
# terminal, in the course folder, and restart the kernel.

# %% tags=["nbval-ignore-output"]
from nnlib.environment import check_environment

ready = check_environment()

# %% [markdown]
# Now check that **interactive widgets** display. Below the next cell you should see
# a slider. If you see text such as `IntSlider(value=3...)` instead, widgets are not
# working in this front end: use JupyterLab 4 (`jupyter lab` from the course folder),
# or reinstall with `pip install -e ".[dev]"`.

# %%
import ipywidgets

ipywidgets.IntSlider(value=3, min=0, max=10, description="Drag me")

# %% [markdown]
# ## Your first explorer: one neuron
#
# An artificial neuron takes an input $x$, multiplies it by a **weight** $w$, adds a
# **bias** $b$ and squashes the result with the **sigmoid** function:
#
# $$ z = w x + b, \qquad a = \sigma(z) = \frac{1}{1 + e^{-z}} $$
#
# The output $a$ lies between 0 and 1, so it can be read as a probability
# ("how sure is the neuron that the input belongs to class 1?").
#
# Move the sliders and watch:
# - **w** sets how *steep* the curve is; a negative $w$ flips it.
# - **b** *shifts* the curve; the output crosses 0.5 where $wx + b = 0$, at $x = -b/w$
#   (the dotted line).
# - **x** is one input; the bars show its $z$ and $a$.
#
# Try: make the neuron output about 0.9 for $x = 2$ and about 0.1 for $x = -2$.
# Which $w$ and $b$ do that? (One answer: $w \approx 1.1$, $b = 0$.)

# %%
from nnlib.explorers.start import neuron_explorer

neuron_explorer(w=1.0, b=0.0, x=1.0)

# %% [markdown]
# The picture is computed by `nnlib.explorers.start.compute`, a plain function you
# can call yourself. Every explorer in the course keeps computing and drawing apart
# like this, so you can always get the numbers behind a plot:

# %%
from nnlib.explorers.start import compute

point = compute(w=1.1, b=0.0, x=2.0)
print(f"z = {point['z']:.2f}, a = {point['y']:.3f}")

# %% [markdown]
# ## How exercises and checks work
#
# Each chapter has an exercise notebook in `exercises/`. It holds functions for you
# to write; each one starts as a stub that raises
# `NotImplementedError("Exercise 2.1: implement sigmoid")`. Replace the stub with
# your code, then run the **check cell** under it:
#
# ```python
# from nnlib.grading import check
# check(sigmoid)
# ```
#
# The check runs your function on many random inputs and shapes and on the edge
# cases that catch classic mistakes, compares with `nnlib`, and tells you the first
# case that fails: the input, what was expected, what you returned, and a hint.
#
# Here is a check at work on a *wrong* sigmoid, the textbook formula typed in
# directly. It is right for ordinary inputs but computes `exp(1000)` for
# $z = -1000$, which overflows:

# %%
import numpy as np

from nnlib.grading import check


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


result = check(sigmoid, seed=0)

# %% [markdown]
# The feedback names the failing input and suggests the fix. (Exercise 2.1 asks you
# to write a sigmoid that stays finite and warning-free for any input.)
#
# To grade a whole exercise notebook from a terminal, as CI does:
#
# ```bash
# python -m nnlib.grading exercises/02_activations.ipynb
# ```
#
# It runs your notebook in a separate process and prints a table of points per
# exercise. See the README's section *Exercises and grading* for more.

# %% [markdown]
# ## Summary
#
# - The course is a sequence of chapters; each pairs a notebook with exercises.
# - Explorers are live: move a control and the plot is recomputed.
# - `check(fn)` tells you at once whether your implementation is right, and if not,
#   which input breaks it and why.
#
# Next: **01 Neurons**, from the McCulloch-Pitts threshold unit to the perceptron
# learning rule, and why a single neuron cannot compute XOR.

# %% [markdown] tags=["nav"]
# ---
# [Course map](00_start_here.ipynb#Course-map) | [01 Neurons](01_neurons.ipynb) →
