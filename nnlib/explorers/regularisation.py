"""Chapter 05 explorers: capacity (under- and overfitting) and early stopping.

The other chapter 05 explorers live beside this file: ``regularisation_penalties``
(L1 / L2 / elastic net, dropout) and ``regularisation_batchnorm``. All of them
train small networks on the noisy two moons (the batch-norm one on the digits)
with ``nnlib.train.fit``. Each training runs once per setting: the explorer's
``compute`` is a ``Trainings`` object that keeps the results per setting, so
moving a control back to a setting seen before redraws at once. Sliders that
retrain have continuous_update off. Everything is seeded.

Shared pieces (used by the sibling modules too):
    moons_split()          the fixed training / validation split of the noisy moons
    mlp(...)               2 -> H -> H -> 2 networks, with optional dropout
    train(...)             full-batch fit with validation data; returns the History
    proba_grid(model)      P(class 1) on a fixed grid over the moons, for boundaries
    Trainings(fn)          a per-setting cache of fn(**setting)
"""

import numpy as np

from nnlib.callbacks import EarlyStopping, load_state, model_state
from nnlib.data import moons
from nnlib.layers import Activation, Dense, Dropout
from nnlib.model import Sequential
from nnlib.optim import Adam
from nnlib.train import fit

EXTENT = (-1.7, 2.7, -1.3, 1.8)  # x0 min, x0 max, x1 min, x1 max: the moons with noise 0.3
GRID_STEPS = 60
LOSS_LIMITS = (1e-3, 10.0)       # y-range of the loss plots (log scale)


# -- shared -----------------------------------------------------------------------------

def moons_split(n_train=160, n_val=200, noise=0.3, seed=0):
    """The noisy moons, split once: X_train (n_train, 2), y_train, X_val (n_val, 2), y_val.

    The rows come shuffled, so X_train[:n] is a fair smaller training set for any n.
    """
    X, y = moons(n_train + n_val, np.random.default_rng(seed), noise=noise)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def mlp(hidden, seed=0, activation="relu", p_drop=0.0, depth=2):
    """2 -> hidden -> ... -> 2 with ``depth`` hidden layers; Dropout(p_drop) after each one."""
    rng = np.random.default_rng(seed)
    layers, d = [], 2
    for _ in range(depth):
        layers += [Dense(d, hidden, init="he_normal", rng=rng), Activation(activation)]
        if p_drop > 0:
            layers.append(Dropout(p_drop, rng=rng))
        d = hidden
    return Sequential(layers + [Dense(d, 2, rng=rng)])


def train(model, X, y, val, epochs, optimizer=None, **kwargs):
    """Full-batch ``fit`` with softmax cross-entropy (Adam, lr 0.01, unless given); the History."""
    optimizer = Adam(lr=0.01) if optimizer is None else optimizer
    return fit(model, "softmax_cross_entropy", optimizer, X, y, epochs=epochs, batch_size=len(X),
               rng=0, validation_data=val, progress=False, **kwargs)


def grid_points(steps=GRID_STEPS):
    """The (steps * steps, 2) points of a regular grid over EXTENT, row by row."""
    x0 = np.linspace(EXTENT[0], EXTENT[1], steps)
    x1 = np.linspace(EXTENT[2], EXTENT[3], steps)
    xx, yy = np.meshgrid(x0, x1)
    return np.column_stack([xx.ravel(), yy.ravel()])


def proba_grid(model, steps=GRID_STEPS):
    """P(class 1) of a 2-class model on the grid, evaluation mode: (steps, steps)."""
    points = grid_points(steps)
    # Small chunks keep every matrix product small, which BLAS runs single-threaded:
    # for networks this small that is faster than one big product on a busy machine.
    logits = np.concatenate([model.forward(points[i:i + 256]) for i in range(0, len(points), 256)])
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return (e[:, 1] / e.sum(axis=1)).reshape(steps, steps)


class Trainings:
    """``fn(**setting)``, computed once per setting and kept here (not in the module).

    An explorer's compute: SliderPlot calls it with the controls' values.
    """

    def __init__(self, fn):
        self.fn = fn
        self.results = {}

    def __call__(self, **setting):
        key = tuple(sorted(setting.items()))
        if key not in self.results:
            self.results[key] = self.fn(**setting)
        return self.results[key]


def boundary_axes(ax, title=""):
    """A moons panel: fixed extent, no ticks; returns the P(class 1) image (animated)."""
    image = ax.imshow(np.full((GRID_STEPS, GRID_STEPS), 0.5), origin="lower", extent=EXTENT,
                      cmap="RdBu_r", vmin=0, vmax=1, aspect="auto", alpha=0.55, interpolation="bilinear")
    ax.set(xlim=EXTENT[:2], ylim=EXTENT[2:], xticks=[], yticks=[])
    if title:
        ax.set_title(title, fontsize=9)
    return image


def class_colors(y):
    """(N, 4) RGBA: class 0 blue (C0), class 1 red (C3), as in nnlib.viz."""
    import matplotlib.colors as mcolors

    palette = np.array([mcolors.to_rgba("C0"), mcolors.to_rgba("C3")])
    return palette[np.asarray(y, dtype=int)]


def _verdict(train_acc, val_acc):
    if train_acc < 0.9:
        return "underfitting (high bias)"
    if train_acc - val_acc > 0.06:
        return "overfitting (high variance)"
    return "a good fit"


# -- 1. capacity ----------------------------------------------------------------------------

HIDDEN = (1, 2, 4, 8, 16, 32)
N_TRAIN = (10, 20, 40, 80, 160)
CAPACITY_EPOCHS = 200


def capacity_compute(hidden, n_train, epochs=CAPACITY_EPOCHS):
    """Train 2 -> hidden -> hidden -> 2 (ReLU) on the first n_train moons; full batch, Adam.

    Returns:
        dict with "loss", "val_loss" (epochs,) per epoch, "train_acc", "val_acc"
        (final, floats), "proba" (GRID_STEPS, GRID_STEPS) P(class 1) of the final
        model, "X" (n_train, 2) and "y" the training points, "n_params", "verdict".
    """
    X, y, Xv, yv = moons_split()
    X, y = X[:n_train], y[:n_train]
    model = mlp(hidden)
    hist = train(model, X, y, (Xv, yv), epochs)
    return {"loss": np.array(hist["loss"]), "val_loss": np.array(hist["val_loss"]),
            "train_acc": hist["accuracy"][-1], "val_acc": hist["val_accuracy"][-1],
            "proba": proba_grid(model), "X": X, "y": y, "n_params": model.n_params(),
            "hidden": hidden, "n_train": n_train,
            "verdict": _verdict(hist["accuracy"][-1], hist["val_accuracy"][-1])}


def capacity_draw(fig, data):
    ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    epochs = np.arange(1, len(data["loss"]) + 1)
    (train_line,) = ax.plot(epochs, data["loss"], color="C0", lw=2, label="training loss")
    (val_line,) = ax.plot(epochs, data["val_loss"], color="C1", lw=2, label="validation loss")
    ax.set(yscale="log", ylim=LOSS_LIMITS, xlim=(1, len(epochs)), xlabel="epoch",
           ylabel="cross-entropy")
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    image = boundary_axes(bx, "decision boundary, training points")
    points = bx.scatter(data["X"][:, 0], data["X"][:, 1], s=22, edgecolor="white", linewidth=0.6)
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    title = fig.text(0.5, 0.97, "", ha="center", va="top", fontsize=10)
    for artist in (train_line, val_line, image, points, title):
        artist.set_animated(True)
    handles = {"train": train_line, "val": val_line, "image": image, "points": points, "title": title}
    capacity_update(handles, data)
    return handles


def capacity_update(h, data):
    h["train"].set_ydata(np.clip(data["loss"], *LOSS_LIMITS))
    h["val"].set_ydata(np.clip(data["val_loss"], *LOSS_LIMITS))
    h["image"].set_data(data["proba"])
    h["points"].set_offsets(data["X"])
    h["points"].set_facecolor(class_colors(data["y"]))
    h["title"].set_text(
        f"{data['hidden']} units per layer ({data['n_params']} parameters), {data['n_train']} training "
        f"points\ntraining accuracy {data['train_acc']:.0%}, validation {data['val_acc']:.0%}: "
        f"{data['verdict']}")


def capacity_explorer(hidden=16, n_train=20):
    """Sliders for the network width and the training-set size; trainings cached."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "9em"}
    controls = {
        "hidden": W.SelectionSlider(options=HIDDEN, value=hidden, description="units / layer", style=style),
        "n_train": W.SelectionSlider(options=N_TRAIN, value=n_train, description="training points",
                                     style=style),
    }
    return SliderPlot(controls, Trainings(capacity_compute), capacity_draw, capacity_update,
                      figsize=(7.2, 3.3), layout="stacked", continuous_update=False)


# -- 2. early stopping -----------------------------------------------------------------------

ES_EPOCHS = 150


def early_stopping_run(n_train=40, hidden=32, epochs=ES_EPOCHS):
    """One long training (no stopping) that keeps the weights of every epoch.

    Returns:
        dict with "loss", "val_loss" (epochs,), "states" (list of model_state copies,
        one per epoch), "model" (the network, holding the last epoch's weights),
        "X", "y" (training points), "proba_final" (GRID_STEPS, GRID_STEPS).
    """
    X, y, Xv, yv = moons_split()
    X, y = X[:n_train], y[:n_train]
    model = mlp(hidden)
    states = []
    hist = train(model, X, y, (Xv, yv), epochs,
                 callback=lambda epoch, history, m: states.append(model_state(m)))
    return {"loss": np.array(hist["loss"]), "val_loss": np.array(hist["val_loss"]), "states": states,
            "model": model, "X": X, "y": y, "proba_final": proba_grid(model)}


def stop_point(val_loss, patience):
    """Replay EarlyStopping on a recorded validation curve: (stopped_epoch or None, best_epoch).

    Epochs are indices into ``val_loss``, as in History.best_epoch.
    """
    stopper = EarlyStopping(patience=patience, restore_best=False)
    for epoch, value in enumerate(val_loss):
        if stopper.step(epoch, value, model=None):
            break
    return stopper.stopped_epoch, stopper.best_epoch


class EarlyStoppingExplorer:
    """compute(patience): where training stops and which weights come back (one training, kept)."""

    def __init__(self, **run_args):
        self.run = early_stopping_run(**run_args)
        self._proba = {}  # best epoch -> P(class 1) grid of the restored weights

    def __call__(self, patience):
        run = self.run
        stopped, best = stop_point(run["val_loss"], patience)
        if best not in self._proba:
            final = model_state(run["model"])
            load_state(run["model"], run["states"][best])
            self._proba[best] = proba_grid(run["model"])
            load_state(run["model"], final)
        last = len(run["val_loss"]) - 1 if stopped is None else stopped
        return {"loss": run["loss"], "val_loss": run["val_loss"], "patience": patience,
                "stopped": stopped, "best": best, "last": last, "proba": self._proba[best],
                "proba_final": run["proba_final"], "X": run["X"], "y": run["y"],
                "best_val": float(run["val_loss"][best]), "final_val": float(run["val_loss"][-1])}


def early_stopping_draw(fig, data):
    ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1]})
    n = len(data["loss"])
    epochs = np.arange(1, n + 1)
    # The shade is animated (drawn over the static background), translucent so that
    # the curves of the epochs early stopping skips stay visible under it.
    ax.plot(epochs, np.clip(data["loss"], *LOSS_LIMITS), color="C0", lw=1.5, label="training loss")
    ax.plot(epochs, data["val_loss"], color="C1", lw=2, label="validation loss")
    shade = ax.axvspan(n, n, color="0.5", alpha=0.3, lw=0, label="skipped")
    stop = ax.axvline(n, color="k", lw=1.2, ls="--", label="stop")
    (best,) = ax.plot([1], [1], "*", ms=13, color="C2", markeredgecolor="k", label="restored")
    ax.set(yscale="log", ylim=(0.05, 5), xlim=(1, n), xlabel="epoch", ylabel="cross-entropy")
    ax.legend(loc="upper right", frameon=False, fontsize=8, ncol=2)
    image = boundary_axes(bx, "restored (colour) vs last epoch (dashed)")
    xs = np.linspace(EXTENT[0], EXTENT[1], GRID_STEPS)
    ys = np.linspace(EXTENT[2], EXTENT[3], GRID_STEPS)
    final = bx.contour(xs, ys, data["proba_final"], levels=[0.5], colors="k", linewidths=1,
                       linestyles="--", zorder=2)
    points = bx.scatter(data["X"][:, 0], data["X"][:, 1], s=22, c=class_colors(data["y"]),
                        edgecolor="white", linewidth=0.6, zorder=3)
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    title = fig.text(0.5, 0.97, "", ha="center", va="top", fontsize=10)
    # the boundary and the points must appear over the (animated) image: animated too
    for artist in (shade, stop, best, image, final, points, title):
        artist.set_animated(True)
    handles = {"shade": shade, "stop": stop, "best": best, "image": image, "title": title, "n": n}
    early_stopping_update(handles, data)
    return handles


def early_stopping_update(h, data):
    n, last = h["n"], data["last"] + 1  # plotted epochs count from 1
    h["shade"].set_x(last)  # a Rectangle in axes-fraction height, data x
    h["shade"].set_width(n - last)
    h["stop"].set_xdata([last, last])
    h["stop"].set_visible(data["stopped"] is not None)
    h["best"].set_data([data["best"] + 1], [data["best_val"]])
    h["image"].set_data(data["proba"])
    when = (f"stops after epoch {last}" if data["stopped"] is not None
            else f"never stops within {n} epochs")
    h["title"].set_text(f"patience {data['patience']}: {when}, restores epoch {data['best'] + 1}\n"
                        f"validation loss {data['best_val']:.3f} (last epoch: {data['final_val']:.3f})")


def early_stopping_explorer(patience=10):
    """A patience slider over one recorded training (no retraining: instant redraws)."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    controls = {"patience": W.IntSlider(value=patience, min=1, max=50, description="patience")}
    return SliderPlot(controls, EarlyStoppingExplorer(), early_stopping_draw, early_stopping_update,
                      figsize=(7.2, 3.3), layout="stacked")
