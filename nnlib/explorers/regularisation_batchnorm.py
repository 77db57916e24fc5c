"""Chapter 05 explorer: batch normalisation in a deep network, on and off.

A deep tanh network (64 -> 32 x 5 -> 10) learns the digits with plain SGD for a
few epochs, once without and once with a BatchNorm layer before every tanh.
The left panel shows both training-loss curves at the chosen learning rate;
the right one the distribution of the 4th hidden layer's pre-activations (the
input of its tanh) on a fixed batch of validation digits, before training and
after every epoch: without batch norm it drifts and spreads into the flat,
saturated part of tanh (|z| > 2) as the learning rate grows; with batch norm it
stays centred and scaled by the learned gamma and beta. Each learning rate
trains the two networks once; the results are kept in the explorer.
"""

import numpy as np

from nnlib.data import load_digits
from nnlib.explorers.regularisation import Trainings
from nnlib.layers import Activation, BatchNorm, Dense
from nnlib.model import Sequential
from nnlib.optim import SGD
from nnlib.train import fit

LEARNING_RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
DEPTH, WIDTH, WATCHED = 5, 32, 4          # hidden layers, units, the layer whose z is shown
EPOCHS, BATCH = 12, 50
PERCENTILES = (2.5, 16.0, 50.0, 84.0, 97.5)
Z_LIMIT = 6.0                              # y-range of the pre-activation panel


def digits_split(n_train=300, n_val=150, seed=0):
    """Seeded random disjoint subsets of the digits: X_train (n_train, 64), y_train, X_val, y_val."""
    X, y = load_digits()
    idx = np.random.default_rng(seed).permutation(len(X))
    tr, va = idx[:n_train], idx[n_train:n_train + n_val]
    return X[tr], y[tr], X[va], y[va]


def deep_network(batch_norm, seed=0):
    """64 -> [Dense(32), (BatchNorm(32)), tanh] x DEPTH -> Dense(10); Glorot weights."""
    rng = np.random.default_rng(seed)
    layers, d = [], 64
    for _ in range(DEPTH):
        layers.append(Dense(d, WIDTH, rng=rng))
        if batch_norm:
            layers.append(BatchNorm(WIDTH))
        layers.append(Activation("tanh"))
        d = WIDTH
    return Sequential(layers + [Dense(d, 10, rng=rng)])


def watched_preactivations(model, X):
    """z (N, WIDTH): the input of the WATCHED-th tanh for X, evaluation mode."""
    model.forward(X, training=False)
    tanh_layers = [layer for layer in model.layers if isinstance(layer, Activation)]
    return tanh_layers[WATCHED - 1].cache.copy()  # an Activation caches its input z


def batchnorm_run(batch_norm, lr, epochs=EPOCHS):
    """Train the deep network; returns dict with "loss" (epochs,), "val_acc" (final),
    "z_percentiles" (epochs + 1, 5): PERCENTILES of the watched z on the validation
    digits before training (row 0) and after each epoch, "diverged" (bool)."""
    X, y, Xv, yv = digits_split()
    model = deep_network(batch_norm)
    rows = [np.percentile(watched_preactivations(model, Xv), PERCENTILES)]
    hist = fit(model, "softmax_cross_entropy", SGD(lr=lr), X, y, epochs=epochs, batch_size=BATCH,
               rng=0, validation_data=(Xv, yv), progress=False,
               callback=lambda e, h, m: rows.append(np.percentile(watched_preactivations(m, Xv), PERCENTILES)))
    loss = np.full(epochs, np.nan)
    loss[:len(hist["loss"])] = hist["loss"]
    z = np.full((epochs + 1, len(PERCENTILES)), np.nan)
    z[:len(rows)] = rows
    return {"loss": loss, "z_percentiles": z, "diverged": hist.diverged is not None,
            "val_acc": hist["val_accuracy"][-1] if hist["val_accuracy"] else np.nan}


class BatchNormExplorer:
    """compute(batch_norm, lr): both networks trained once per learning rate (kept)."""

    def __init__(self):
        self.runs = Trainings(batchnorm_run)

    def __call__(self, batch_norm, lr):
        on = batch_norm == "on"
        runs = {flag: self.runs(batch_norm=flag, lr=float(lr)) for flag in (False, True)}
        shown = runs[on]
        return {"lr": float(lr), "batch_norm": on, "loss_off": runs[False]["loss"],
                "loss_on": runs[True]["loss"], "z": shown["z_percentiles"],
                "acc_off": runs[False]["val_acc"], "acc_on": runs[True]["val_acc"],
                "diverged_off": runs[False]["diverged"], "diverged_on": runs[True]["diverged"]}


def _clipped(z):
    return np.clip(z, -Z_LIMIT, Z_LIMIT)


def batchnorm_draw(fig, data):
    ax, zx = fig.subplots(1, 2)
    epochs = np.arange(1, EPOCHS + 1)
    (off,) = ax.plot(epochs, data["loss_off"], color="C0", lw=2, label="without batch norm")
    (on,) = ax.plot(epochs, data["loss_on"], color="C2", lw=2, label="with batch norm")
    ax.set(yscale="log", ylim=(0.005, 10), xlim=(1, EPOCHS), xlabel="epoch", ylabel="training loss")
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    zx.axhspan(2, Z_LIMIT, color="0.9", zorder=0)
    zx.axhspan(-Z_LIMIT, -2, color="0.9", zorder=0)
    zx.text(EPOCHS - 0.3, Z_LIMIT - 0.4, "tanh saturated (|z| > 2)", ha="right", va="top", fontsize=8,
            color="0.4")
    zx.set(xlim=(0, EPOCHS), ylim=(-Z_LIMIT, Z_LIMIT), xlabel="epoch (0: before training)",
           ylabel=f"z of hidden layer {WATCHED}")
    z, t = data["z"], np.arange(EPOCHS + 1)
    wide = zx.fill_between(t, _clipped(z[:, 0]), _clipped(z[:, 4]), alpha=0.25, lw=0)
    narrow = zx.fill_between(t, _clipped(z[:, 1]), _clipped(z[:, 3]), alpha=0.45, lw=0)
    (median,) = zx.plot(t, _clipped(z[:, 2]), lw=1.5)
    fig.tight_layout(rect=(0, 0, 1, 0.88))
    title = fig.text(0.5, 0.97, "", ha="center", va="top", fontsize=10)
    handles = {"off": off, "on": on, "wide": wide, "narrow": narrow, "median": median, "title": title}
    for artist in handles.values():
        artist.set_animated(True)
    batchnorm_update(handles, data)
    return handles


def batchnorm_update(h, data):
    h["off"].set_ydata(data["loss_off"])
    h["on"].set_ydata(data["loss_on"])
    h["off"].set_linewidth(1.2 if data["batch_norm"] else 2.5)
    h["on"].set_linewidth(2.5 if data["batch_norm"] else 1.2)
    color = "C2" if data["batch_norm"] else "C0"
    z, t = data["z"], np.arange(EPOCHS + 1)
    for band, (lo, hi) in ((h["wide"], (0, 4)), (h["narrow"], (1, 3))):
        band.set_data(t, _clipped(z[:, lo]), _clipped(z[:, hi]))
        band.set_facecolor(color)
    h["median"].set_ydata(_clipped(z[:, 2]))
    h["median"].set_color(color)

    def acc(value, diverged):
        return "diverged" if diverged else f"{value:.0%}"

    mode = "with" if data["batch_norm"] else "without"
    h["title"].set_text(
        f"SGD, learning rate {data['lr']:g}: validation accuracy {acc(data['acc_off'], data['diverged_off'])} "
        f"without, {acc(data['acc_on'], data['diverged_on'])} with batch norm\n"
        f"right: median, 68% and 95% of the pre-activations {mode} batch norm")


def batchnorm_explorer(batch_norm="off", lr=0.3):
    """Batch norm on/off and a learning-rate slider; each learning rate trains twice, once."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "7em"}
    controls = {
        "batch_norm": W.ToggleButtons(options=("off", "on"), value=batch_norm, description="batch norm",
                                      style={"description_width": "7em", "button_width": "4em"}),
        "lr": W.SelectionSlider(options=LEARNING_RATES, value=lr, description="learning rate", style=style),
    }
    return SliderPlot(controls, BatchNormExplorer(), batchnorm_draw, batchnorm_update, figsize=(7.2, 3.3),
                      layout="stacked", continuous_update=False)
