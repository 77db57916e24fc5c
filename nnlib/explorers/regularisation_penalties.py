"""Chapter 05 explorers: weight penalties (L2, L1, elastic net) and dropout.

Both train the same wide network, 2 -> 32 -> 32 -> 2, on only 40 of the noisy
moons, which it overfits when nothing holds it back. Each setting trains once
and is kept in the explorer (``Trainings``, see ``regularisation.py``).

Penalty: full-batch SGD with momentum and ``penalty=`` in ``fit``; L1 and the
L1 part of elastic net use the proximal step (soft-thresholding), which is what
sets weights to exactly zero. Dropout: Adam, Dropout(p) after both hidden layers.
"""

import numpy as np

from nnlib import regularizers
from nnlib.explorers.regularisation import (
    LOSS_LIMITS, Trainings, boundary_axes, class_colors, mlp, moons_split, proba_grid, train,
)
from nnlib.layers import Activation
from nnlib.optim import SGD

N_TRAIN = 40

# -- 1. penalties ----------------------------------------------------------------------------

KINDS = ("L2", "L1", "elastic net")
PENALTY_EPOCHS = 250
BINS = np.linspace(-1.5, 1.5, 31)   # histogram of the weights
ZERO_BIN = 0.0                       # exact zeros get their own bar at 0


def make_penalty(kind, lam):
    """The nnlib penalty for the explorer: L2(lam), L1(lam) or ElasticNet(lam/2, lam/2);
    L1 parts applied with the proximal step (exact zeros)."""
    if kind == "L2":
        return regularizers.L2(lam)
    if kind == "L1":
        return regularizers.L1(lam, proximal=True)
    if kind == "elastic net":
        return regularizers.ElasticNet(lam / 2, lam / 2, proximal=True)
    raise ValueError(f"unknown penalty {kind!r}; valid: {', '.join(KINDS)}")


def penalty_run(kind, lam, epochs=PENALTY_EPOCHS):
    """Train the wide network with a penalty; returns dict with "weights" (K,) every weight
    (W entries, no biases), "val_loss", "loss", "penalised_loss" (epochs,), "proba" grid,
    "train_acc", "val_acc"."""
    X, y, Xv, yv = moons_split()
    model = mlp(32, activation="tanh")
    hist = train(model, X[:N_TRAIN], y[:N_TRAIN], (Xv, yv), epochs, optimizer=SGD(lr=0.1, momentum=0.9),
                 penalty=make_penalty(kind, lam))
    weights = np.concatenate([w.ravel() for name, w in model.params().items() if regularizers.is_weight(name)])
    return {"weights": weights, "val_loss": np.array(hist["val_loss"]), "loss": np.array(hist["loss"]),
            "penalised_loss": np.array(hist["penalised_loss"]), "proba": proba_grid(model),
            "train_acc": hist["accuracy"][-1], "val_acc": hist["val_accuracy"][-1]}


class PenaltyExplorer:
    """compute(kind, lam): one training per setting (kept), plus the unpenalised reference."""

    def __init__(self):
        self.runs = Trainings(penalty_run)

    def __call__(self, kind, lam):
        run = self.runs(kind=kind, lam=float(lam))
        ref = self.runs(kind="L2", lam=0.0)
        w = run["weights"]
        zeros = int(np.sum(w == 0))
        nonzero = w[w != 0]
        counts, _ = np.histogram(np.clip(nonzero, BINS[0], BINS[-1]), BINS)
        X, y, _, _ = moons_split()
        return {**run, "kind": kind, "lam": float(lam), "zeros": zeros, "n_weights": len(w),
                "counts": counts, "ref_val_loss": ref["val_loss"], "X": X[:N_TRAIN], "y": y[:N_TRAIN],
                "largest": float(np.abs(w).max()), "best_val": float(run["val_loss"].min())}


def penalty_draw(fig, data):
    hx, bx, vx = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.2, 1, 1.1]})
    width = BINS[1] - BINS[0]
    bars = hx.stairs(data["counts"], BINS, fill=True, color="C0", label="non-zero")  # one artist
    (zero_bar,) = hx.bar([ZERO_BIN], [data["zeros"]], width=width * 0.6, color="C3", label="exactly 0")
    hx.set(yscale="symlog", ylim=(0, 2000), xlim=(BINS[0], BINS[-1]), xlabel="weight (end bars: |w| ≥ 1.5)",
           ylabel="number of weights")
    hx.set_yticks([0, 1, 10, 100, 1000], ["0", "1", "10", "100", "1000"])
    hx.legend(loc="upper left", frameon=False, fontsize=8)
    image = boundary_axes(bx, "decision boundary")
    points = bx.scatter(data["X"][:, 0], data["X"][:, 1], s=18, c=class_colors(data["y"]),
                        edgecolor="white", linewidth=0.5, zorder=3)
    epochs = np.arange(1, len(data["val_loss"]) + 1)
    vx.plot(epochs, data["ref_val_loss"], color="0.6", lw=1.5, ls="--", label="no penalty")
    (val,) = vx.plot(epochs, data["val_loss"], color="C1", lw=2, label="with penalty")
    vx.set(ylim=(0.2, 1.0), xlim=(1, len(epochs)), xlabel="epoch", title="validation loss")
    vx.title.set_fontsize(9)
    vx.legend(loc="upper left", frameon=False, fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.88))
    title = fig.text(0.5, 0.97, "", ha="center", va="top", fontsize=10)
    for artist in (bars, zero_bar, image, points, val, title):
        artist.set_animated(True)
    handles = {"bars": bars, "zero": zero_bar, "image": image, "val": val, "title": title}
    penalty_update(handles, data)
    return handles


def penalty_update(h, data):
    h["bars"].set_data(data["counts"])
    h["zero"].set_height(data["zeros"])
    h["image"].set_data(data["proba"])
    h["val"].set_ydata(data["val_loss"])
    h["title"].set_text(
        f"{data['kind']}, λ = {data['lam']:.3g}: {data['zeros']} of {data['n_weights']} weights exactly 0, "
        f"largest |w| = {data['largest']:.2f}\ntraining accuracy {data['train_acc']:.0%}, validation "
        f"{data['val_acc']:.0%}, best validation loss {data['best_val']:.3f}")


def penalty_explorer(kind="L2", lam=1e-3):
    """A dropdown for the penalty and a log-scale slider for its strength lambda."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "4em"}
    controls = {
        "kind": W.Dropdown(options=KINDS, value=kind, description="penalty", style=style),
        "lam": W.FloatLogSlider(value=lam, base=10, min=-4, max=-1, step=0.5, description="λ",
                                readout_format=".1e", style=style),
    }
    return SliderPlot(controls, PenaltyExplorer(), penalty_draw, penalty_update, figsize=(7.6, 3.2),
                      layout="stacked", continuous_update=False)


# -- 2. dropout ---------------------------------------------------------------------------------

P_VALUES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
DROPOUT_EPOCHS = 300
SHOWN_SAMPLES = 8
ACT_MAX = 4.0  # colour scale of the activations (kept ones are scaled up by 1 / (1 - p))


def dropout_run(p, epochs=DROPOUT_EPOCHS):
    """Train 2 -> 32 -> 32 -> 2 (ReLU) with Dropout(p) after both hidden layers, Adam, full batch.

    Returns dict with "loss" (training-mode loss: with dropout on), "val_loss" (epochs,),
    "proba" grid, "train_acc", "val_acc", and one training-mode forward pass of the first
    SHOWN_SAMPLES training points: "activations" (samples, units) of the second hidden layer
    before dropout, "mask" (same shape, 0 or 1/(1-p); ones when p = 0), "out" = activations * mask.
    """
    X, y, Xv, yv = moons_split()
    model = mlp(32, activation="relu", p_drop=p)
    hist = train(model, X[:N_TRAIN], y[:N_TRAIN], (Xv, yv), epochs)
    model.forward(X[:SHOWN_SAMPLES], training=True)
    # [Dense, relu, (Dropout), Dense, relu, (Dropout), Dense]: the second relu and what follows
    second_relu = [i for i, layer in enumerate(model.layers) if isinstance(layer, Activation)][1]
    activations = np.maximum(model.layers[second_relu].cache, 0.0)  # the layer caches z
    mask = model.layers[second_relu + 1].mask if p > 0 else np.ones_like(activations)
    return {"loss": np.array(hist["loss"]), "val_loss": np.array(hist["val_loss"]),
            "proba": proba_grid(model), "train_acc": hist["accuracy"][-1],
            "val_acc": hist["val_accuracy"][-1], "activations": activations, "mask": mask,
            "out": activations * mask, "p": p}


def _dropped_rgba(mask):
    """(samples, units, 4) RGBA: opaque red where the mask dropped the unit, transparent elsewhere."""
    rgba = np.zeros(mask.shape + (4,))
    rgba[mask == 0] = (0.84, 0.15, 0.16, 1.0)  # C3
    return rgba


class DropoutExplorer:
    """compute(p): one training per p (kept), plus the p = 0 run for reference."""

    def __init__(self):
        self.runs = Trainings(dropout_run)

    def __call__(self, p):
        run = self.runs(p=round(float(p), 2))
        ref = self.runs(p=0.0)
        X, y, _, _ = moons_split()
        return {**run, "ref_val_loss": ref["val_loss"], "X": X[:N_TRAIN], "y": y[:N_TRAIN],
                "dropped_share": float(np.mean(run["mask"] == 0)),
                "best_val": float(run["val_loss"].min()), "final_val": float(run["val_loss"][-1])}


def dropout_draw(fig, data):
    cx, bx, ax = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.25, 1, 1.2]})
    epochs = np.arange(1, len(data["loss"]) + 1)
    cx.plot(epochs, data["ref_val_loss"], color="0.6", lw=1.5, ls="--", label="validation, p = 0")
    (train_line,) = cx.plot(epochs, np.clip(data["loss"], *LOSS_LIMITS), color="C0", lw=1.2,
                            label="training (dropout on)")
    (val_line,) = cx.plot(epochs, data["val_loss"], color="C1", lw=2, label="validation")
    cx.set(yscale="log", ylim=(0.01, 5), xlim=(1, len(epochs)), xlabel="epoch", ylabel="cross-entropy")
    cx.legend(loc="lower left", frameon=False, fontsize=7)
    image = boundary_axes(bx, "decision boundary")
    points = bx.scatter(data["X"][:, 0], data["X"][:, 1], s=18, c=class_colors(data["y"]),
                        edgecolor="white", linewidth=0.5, zorder=3)
    act = ax.imshow(data["out"], cmap="Greys", vmin=0, vmax=ACT_MAX, aspect="auto", interpolation="nearest")
    dropped = ax.imshow(_dropped_rgba(data["mask"]), aspect="auto", interpolation="nearest")
    ax.set(xlabel="unit of hidden layer 2", ylabel="training sample", yticks=range(SHOWN_SAMPLES))
    ax.set_title("activation × mask (darker: larger); red: dropped", fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.88))
    title = fig.text(0.5, 0.97, "", ha="center", va="top", fontsize=10)
    for artist in (train_line, val_line, image, points, act, dropped, title):
        artist.set_animated(True)
    handles = {"train": train_line, "val": val_line, "image": image, "act": act, "dropped": dropped,
               "title": title}
    dropout_update(handles, data)
    return handles


def dropout_update(h, data):
    h["train"].set_ydata(np.clip(data["loss"], *LOSS_LIMITS))
    h["val"].set_ydata(data["val_loss"])
    h["image"].set_data(data["proba"])
    h["act"].set_data(data["out"])
    h["dropped"].set_data(_dropped_rgba(data["mask"]))
    h["title"].set_text(
        f"dropout p = {data['p']:.1f}: {data['dropped_share']:.0%} of these activations dropped\n"
        f"training accuracy {data['train_acc']:.0%}, validation {data['val_acc']:.0%}; validation loss "
        f"best {data['best_val']:.3f}, last {data['final_val']:.3f}")


def dropout_explorer(p=0.5):
    """A slider for the drop probability p; one training per p, kept."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    controls = {"p": W.SelectionSlider(options=P_VALUES, value=p, description="p (drop)")}
    return SliderPlot(controls, DropoutExplorer(), dropout_draw, dropout_update, figsize=(7.6, 3.2),
                      layout="stacked", continuous_update=False)
