"""Chapter 04 explorers: the learning rate, on the worked example and on real training; search.

Two explorers, each in the course's pattern (see ``nnlib.widgets``):

    worked_*    gradient descent on f(w) = 2 w^2 + w + 4 from w = 2, one eta at a time
    training_*  a small MLP on the real digits, trained with SGD at one eta of a grid

For each, ``*_compute(...)`` (or ``training_run``) is a pure function that
tests and learners call, ``*_draw(fig, data)`` builds the figure once,
``*_update(handles, data)`` changes the artists in place and
``*_explorer(...)`` returns the ``SliderPlot``. The optimizer race and the
batch-size explorer are in ``nnlib.explorers.surfaces``, grid against random
search in ``nnlib.explorers.optimizers_search``.
"""

import numpy as np

from nnlib.data import load_digits, one_hot
from nnlib.layers import Activation, Dense
from nnlib.model import Sequential
from nnlib.optim import SGD
from nnlib.train import fit

# -- 1. the worked example: f(w) = 2 w^2 + w + 4 ------------------------------------

W0, W_STAR, CURVATURE = 2.0, -0.25, 4.0  # start, minimiser (f' = 4w + 1 = 0), f''


def f_worked(w):
    """f(w) = 2 w^2 + w + 4, elementwise (w any shape)."""
    return 2 * w * w + w + 4


def df_worked(w):
    """f'(w) = 4 w + 1, elementwise."""
    return 4 * w + 1


def regime(eta, curvature=CURVATURE):
    """What gradient descent does on a quadratic with f'' = curvature at step size eta.

    The error e = w - w* is multiplied by r = 1 - eta * f'' at every step:
    |r| < 1 converges (monotonically if r >= 0, oscillating if r < 0),
    |r| = 1 bounces for ever (eta = 2 / f''), |r| > 1 diverges.
    """
    r = 1 - eta * curvature
    if abs(abs(r) - 1) < 1e-12:
        return "oscillates for ever" if r < 0 else "does not move"
    if abs(r) > 1:
        return "diverges"
    if r == 0:
        return "converges in one step"
    return "converges" if r > 0 else "converges, oscillating"


def worked_compute(eta, steps=20):
    """Gradient descent on f(w) = 2 w^2 + w + 4 from w = 2, with nnlib.optim.SGD.

    Args:
        eta: the learning rate (float >= 0).
        steps: the number of updates K.

    Returns:
        dict with "w" (K+1,) the iterates w_0 = 2, w_1, ...; "f" (K+1,) f(w_k);
        "grad" (K+1,) f'(w_k); "error" (K+1,) |w_k - w*| with w* = -0.25;
        "eta", "factor" r = 1 - 4 eta (the error's factor per step) and "regime".
    """
    opt = SGD(lr=eta)
    params = {"w": np.array([W0])}
    ws = [W0]
    for _ in range(int(steps)):
        opt.step(params, {"w": df_worked(params["w"])})
        ws.append(float(params["w"][0]))
    w = np.array(ws)
    return {"w": w, "f": f_worked(w), "grad": df_worked(w), "error": np.abs(w - W_STAR),
            "eta": float(eta), "factor": 1 - CURVATURE * float(eta), "regime": regime(eta)}


# The slider's values: log-spaced from 0.01 to 0.6, plus the values the text discusses.
WORKED_ETAS = sorted(set(np.round(np.geomspace(0.01, 0.6, 31), 3).tolist())
                     | {0.1, 0.2, 0.25, 0.45, 0.5, 0.55})
W_RANGE, ERROR_FLOOR = (-3.4, 2.9), 1e-17


def worked_draw(fig, data):
    ax, err = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    grid = np.linspace(*W_RANGE, 300)
    ax.plot(grid, f_worked(grid), color="0.35", lw=1.8, label="f(w) = 2w² + w + 4")
    ax.plot([W_STAR], [f_worked(W_STAR)], "*", color="C2", ms=12, label="minimum w* = −0.25")
    (path,) = ax.plot([], [], "-o", color="C3", lw=1, ms=4, alpha=0.8, label="w₀ = 2, w₁, w₂, …")
    ax.set(xlim=W_RANGE, ylim=(2.5, 26), xlabel="w", ylabel="f(w)")
    ax.legend(loc="upper center", fontsize=7, frameon=False)
    (curve,) = err.semilogy([], [], "-o", color="C3", ms=3, lw=1.2)
    err.set(xlim=(-0.5, len(data["w"]) - 0.5), ylim=(ERROR_FLOOR / 3, 1e5),
            xlabel="step k", ylabel="|w_k − w*|")
    err.grid(True, which="major", color="0.92")
    note = err.text(0.97, 0.05, "", transform=err.transAxes, ha="right", fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    title = fig.suptitle(" ", fontsize=11)
    for artist in (path, curve, note, title):
        artist.set_animated(True)
    handles = {"path": path, "curve": curve, "note": note, "title": title}
    worked_update(handles, data)
    return handles


def worked_update(h, data):
    h["path"].set_data(data["w"], data["f"])
    k = np.arange(len(data["w"]))
    h["curve"].set_data(k, np.maximum(data["error"], ERROR_FLOOR))
    exact = data["error"][1:].min() == 0
    h["note"].set_text("w* reached exactly (plotted at 1e-17)" if exact else
                       f"error × {abs(data['factor']):.2f} per step")
    h["title"].set_text(f"η = {data['eta']:g}: {data['regime']}   "
                        f"(r = 1 − 4η = {data['factor']:+.2f})".replace("-", "−"))


def worked_explorer(eta=0.1):
    """A SliderPlot with a log-spaced eta slider (0.01 to 0.6) for the worked example."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    options = [(f"{v:g}", v) for v in WORKED_ETAS]
    controls = {"eta": W.SelectionSlider(options=options, value=eta, description="η",
                                         style={"description_width": "2em"})}
    return SliderPlot(controls, worked_compute, worked_draw, worked_update, figsize=(7.2, 3.3))


# -- 2. the learning rate on real training: an MLP on the digits ----------------------

TRAINING_ETAS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)


def digits_split(n_train=400, n_val=200, seed=0):
    """A small random train/validation split of the real 8x8 digits.

    Returns:
        X_train (n_train, 64), Y_train (n_train, 10) one-hot, X_val (n_val, 64),
        Y_val (n_val, 10), y_val (n_val,) the labels.
    """
    X, y = load_digits()
    idx = np.random.default_rng(seed).permutation(len(X))[: n_train + n_val]
    tr, va = idx[:n_train], idx[n_train:]
    return X[tr], one_hot(y[tr], 10), X[va], one_hot(y[va], 10), y[va]


def training_run(eta, epochs=20, batch_size=32, seed=0, data=None):
    """Train a 64-32-10 tanh MLP with MSE on one-hot targets and SGD(lr=eta).

    The model and loss of Nielsen's network.py, on a digits subset: 400
    training and 200 validation images (``digits_split``), so one run takes
    a few hundredths of a second. Everything random is seeded by ``seed``.

    Returns:
        dict with "eta"; "loss", "val_loss" (E,) per completed epoch; "batch_loss"
        (S,) every step's loss; "steps_per_epoch"; "epochs" (planned);
        "diverged" (None, or fit's {"epoch", "step", "loss"}); "val_accuracy"
        (None if diverged).
    """
    X_tr, Y_tr, X_va, Y_va, y_va = digits_split(seed=seed) if data is None else data
    model = Sequential([Dense(64, 32, rng=seed + 1), Activation("tanh"),
                        Dense(32, 10, rng=seed + 2)])
    history = fit(model, "mse", SGD(lr=eta), X_tr, Y_tr, epochs=epochs, batch_size=batch_size,
                  rng=seed + 3, validation_data=(X_va, Y_va), progress=False)
    accuracy = None
    if history.diverged is None:
        accuracy = float(np.mean(model.forward(X_va).argmax(axis=1) == y_va))
    return {"eta": float(eta), "loss": np.array(history.history.get("loss", [])),
            "val_loss": np.array(history.history.get("val_loss", [])),
            "batch_loss": np.array(history.batch_loss),
            "steps_per_epoch": -(-len(X_tr) // batch_size), "epochs": int(epochs),
            "diverged": history.diverged, "val_accuracy": accuracy}


def training_summary(run):
    """One line: how the run ended."""
    if run["diverged"] is not None:
        d = run["diverged"]
        return f"diverged at step {d['step']} (epoch {d['epoch'] + 1}): the loss became {d['loss']}"
    first, last = run["loss"][0], run["loss"][-1]
    if not last < first or last > 10:
        return f"blows up: training loss {last:.3g} after {len(run['loss'])} epochs"
    return f"val loss {run['val_loss'][-1]:.3f}, val accuracy {run['val_accuracy']:.0%}"


LOSS_YLIM, LOSS_CLIP = (0.02, 30.0), 20.0  # losses above LOSS_CLIP are drawn on it


def training_draw(fig, data):
    from matplotlib.ticker import NullFormatter
    ax, sweep = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]})
    ax.axhline(LOSS_CLIP, color="0.8", lw=0.8, ls="--", zorder=0)
    ax.text(data["epochs"] * 0.98, LOSS_CLIP * 0.8, "losses above this line are drawn on it",
            fontsize=7, color="0.5", ha="right", va="top")
    (batch,) = ax.plot([], [], color="C0", lw=0.6, alpha=0.35, label="loss of each batch")
    (train,) = ax.plot([], [], "-o", color="C0", ms=3, lw=1.8, label="training loss (epoch)")
    (val,) = ax.plot([], [], "-o", color="C1", ms=3, lw=1.8, label="validation loss")
    (cross,) = ax.plot([], [], "X", color="C3", ms=12, label="diverged: loss not finite")
    ax.set(yscale="log", xlim=(0, data["epochs"]), ylim=LOSS_YLIM, xlabel="epoch", ylabel="MSE")
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.9), fontsize=7, frameon=False)
    sweep_etas, final = data["sweep"]
    ok = np.isfinite(final)
    sweep.plot(sweep_etas[ok], final[ok], "o-", color="C1", ms=4)
    sweep.plot(sweep_etas[~ok], np.full((~ok).sum(), LOSS_CLIP), "X", color="C3", ms=9)
    sweep.axhline(LOSS_CLIP, color="0.8", lw=0.8, ls="--", zorder=0)
    (here,) = sweep.plot([], [], "o", ms=13, mfc="none", mec="k", mew=1.5)
    sweep.set(xscale="log", yscale="log", ylim=LOSS_YLIM, xlabel="learning rate η",
              title="final validation loss", yticklabels=[])
    sweep.title.set_fontsize(9)
    sweep.xaxis.set_minor_formatter(NullFormatter())  # decades only, however few the etas
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    title = fig.suptitle(" ", fontsize=10)
    for artist in (batch, train, val, cross, here, title):
        artist.set_animated(True)
    handles = {"batch": batch, "train": train, "val": val, "cross": cross, "here": here,
               "title": title}
    training_update(handles, data)
    return handles


def _clip(loss):
    # inf and huge losses are drawn on the clip line; nan (inf - inf) is left out
    return np.minimum(loss, LOSS_CLIP)


def training_update(h, data):
    spe = data["steps_per_epoch"]
    steps = np.arange(1, len(data["batch_loss"]) + 1)
    h["batch"].set_data(steps / spe, _clip(data["batch_loss"]))
    epochs = np.arange(1, len(data["loss"]) + 1)
    h["train"].set_data(epochs, _clip(data["loss"]))
    h["val"].set_data(epochs, _clip(data["val_loss"]))
    d = data["diverged"]
    h["cross"].set_data(([d["step"] / spe], [LOSS_CLIP]) if d else ([], []))
    final = data["val_loss"][-1] if d is None and len(data["val_loss"]) else np.inf
    h["here"].set_data([data["eta"]], [_clip(final)])
    h["title"].set_text(f"η = {data['eta']:g}: {training_summary(data)}")


def training_explorer(eta=0.2, etas=TRAINING_ETAS, epochs=20):
    """A SliderPlot over a fixed grid of learning rates; every run is trained once, here.

    All runs are computed when the explorer is built (about 0.05 s each) and
    kept in ``plot.runs`` (eta -> training_run dict), so moving the slider
    only redraws.
    """
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    data = digits_split()
    runs = {float(e): training_run(e, epochs=epochs, data=data) for e in etas}
    grid = np.array(sorted(runs))
    final = np.array([runs[e]["val_loss"][-1] if runs[e]["diverged"] is None
                      and runs[e]["val_loss"][-1] < LOSS_CLIP else np.nan for e in grid])

    def compute(eta):
        return {**runs[float(eta)], "sweep": (grid, final)}

    controls = {"eta": W.SelectionSlider(options=[(f"{e:g}", float(e)) for e in grid],
                                         value=float(eta), description="η",
                                         style={"description_width": "2em"})}
    plot = SliderPlot(controls, compute, training_draw, training_update, figsize=(7.4, 3.4),
                      continuous_update=False)
    plot.runs = runs
    return plot
