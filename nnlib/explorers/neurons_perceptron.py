"""Chapter 01 explorer: perceptron training, sample by sample or epoch by epoch.

    perceptron_explorer(dataset="AND gate", lr=1.0, mode="sample by sample", step=0)

``perceptron_trajectory`` trains once per (dataset, lr) and keeps every state;
``perceptron_compute`` (pure numpy, tested) picks one; ``perceptron_draw`` /
``perceptron_update`` draw it. A new data set or a run of another length changes
the axes and redraws the whole figure (so the learning-rate slider redraws on release).
"""

import functools

import numpy as np

from nnlib.data import blobs, logic_gate, xor_blobs
from nnlib.explorers.neurons_common import (
    CLASS_COLORS, MISS, class_legend, grid_points, line_in_box,
)
from nnlib.neurons import Perceptron
from nnlib.neurons import step as step_activation  # "step" is also the explorer's slider

MODES = ("sample by sample", "epoch by epoch")
GRID = 80  # the shaded prediction is computed on a GRID x GRID grid
MAX_EPOCHS = 40  # data that is not linearly separable never converges: stop here
W0, B0 = np.array([-0.6, 1.0]), 0.2  # a deliberately wrong start, so that lr matters


def _two_blobs():
    centres = np.array([[-0.8, -0.5], [0.8, 0.5]])
    return blobs(30, np.random.default_rng(2), centers=centres, std=0.45)


DATASETS = {
    "AND gate": lambda: logic_gate("and"),
    "OR gate": lambda: logic_gate("or"),
    "XOR gate": lambda: logic_gate("xor"),
    "two blobs": _two_blobs,
    "XOR blobs": lambda: xor_blobs(24, np.random.default_rng(0), noise=0.3),
}


@functools.lru_cache(maxsize=64)
def perceptron_trajectory(dataset, lr):
    """Train a Perceptron once per (dataset, lr) and keep every state (cached).

    Starts from w = W0, b = B0; samples in their stored order; at most MAX_EPOCHS.
    Returns a dict of read-only arrays (S = number of sample steps):
        "X" (N, 2), "y" (N,), "w" (S + 1, 2), "b" (S + 1,), "order" (S,),
        "errors" (E,) mistakes per epoch, "converged" (bool),
        "n_wrong" (S + 1,) misclassified points of the whole set after each step,
        "xlim", "ylim" the view.
    """
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; valid names: {', '.join(DATASETS)}")
    X, y = DATASETS[dataset]()
    p = Perceptron(lr=lr, epochs=MAX_EPOCHS).fit(X, y, w0=W0, b0=B0)
    scores = p.w_history_ @ X.T + p.b_history_[:, None]  # (S + 1, N)
    n_wrong = (step_activation(scores) != y[None, :]).sum(axis=1)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.45 if dataset.endswith("gate") else 0.3
    out = {"X": X, "y": y, "w": p.w_history_, "b": p.b_history_, "order": p.order_,
           "errors": np.array(p.errors_), "n_wrong": n_wrong,
           "converged": p.converged_, "xlim": (lo[0] - pad, hi[0] + pad),
           "ylim": (lo[1] - pad, hi[1] + pad)}
    for value in out.values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return out


def n_positions(dataset, lr, mode):
    """The largest step value for this mode: sample steps S, or epochs E."""
    t = perceptron_trajectory(dataset, round(float(lr), 6))
    return len(t["order"]) if mode == MODES[0] else len(t["errors"])


def perceptron_compute(dataset, lr, mode, step):
    """The perceptron after ``step`` samples or epochs of training (read from the cache).

    Args:
        dataset: a key of DATASETS.  lr: learning rate.  mode: one of MODES.
        step: samples ("sample by sample") or whole epochs ("epoch by epoch")
            done; clamped to the end of training.
    Returns:
        dict with the trajectory's "X", "y", "xlim", "ylim", "errors",
        "converged", "curve" (S + 1,) misclassified points after each sample step,
        "S" sample steps in all, "N" samples, "epoch_span" epochs of the run;
        and for this position: "k" the sample step, "epoch" (completed epochs),
        "w" (2,), "b", "wrong" (N,) bool (misclassified now), "n_wrong",
        "grid" (G, G) the prediction on a grid over the view, "line" (xs, ys),
        "prev_line" (the line one step or epoch back, empty if it did not move),
        "visited" (index of the sample just used, sample mode; else None),
        "mistake" (sample mode: did that sample change w and b?), "done" (training
        finished at this position), "mode", "dataset", "lr".
    """
    lr = round(float(lr), 6)  # the slider's values, as cache keys
    t = perceptron_trajectory(dataset, lr)
    X, y, N, S = t["X"], t["y"], len(t["y"]), len(t["order"])
    by_sample = mode == MODES[0]
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; valid: {', '.join(MODES)}")
    k = int(np.clip(step if by_sample else step * N, 0, S))
    w, b = t["w"][k], float(t["b"][k])
    wrong = step_activation(X @ w + b) != y
    visited = int(t["order"][k - 1]) if (by_sample and k > 0) else None
    before = max(k - (1 if by_sample else N), 0)  # the position one step back
    moved = t["b"][k] != t["b"][before] or np.any(t["w"][k] != t["w"][before])
    prev = (line_in_box(t["w"][before], t["b"][before], t["xlim"], t["ylim"])
            if moved else (np.array([]), np.array([])))
    grid = grid_points(t["xlim"], t["ylim"], GRID)
    return {"X": X, "y": y, "xlim": t["xlim"], "ylim": t["ylim"], "errors": t["errors"],
            "converged": t["converged"], "curve": t["n_wrong"], "k": k, "S": S, "N": N,
            "epoch": k // N, "w": w, "b": b, "wrong": wrong, "n_wrong": int(wrong.sum()),
            "grid": step_activation(grid @ w + b).reshape(GRID, GRID).astype(float),
            "line": line_in_box(w, b, t["xlim"], t["ylim"]), "prev_line": prev,
            "visited": visited, "mistake": bool(by_sample and moved), "done": k == S, "mode": mode,
            "dataset": dataset, "lr": lr,
            "epoch_span": len(t["errors"])}


def perceptron_draw(fig, data):
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    grid = fig.add_gridspec(2, 2, width_ratios=[1.3, 1], height_ratios=[1, 1.35],
                            left=0.075, right=0.985, top=0.86, bottom=0.13, wspace=0.2,
                            hspace=0.35)
    ax, curve_ax = fig.add_subplot(grid[:, 0]), fig.add_subplot(grid[1, 1])
    info = grid[0, 1].get_position(fig)  # a free box for the legend and the numbers
    region = ax.imshow(data["grid"], origin="lower", extent=(*data["xlim"], *data["ylim"]),
                       cmap=ListedColormap(["#eef3f8", "#fbe3df"]), vmin=0, vmax=1,
                       interpolation="nearest", aspect="auto")
    points = ax.scatter([], [], edgecolor="white", linewidth=0.8, zorder=3)
    rings = ax.scatter([], [], facecolor="none", edgecolor=MISS, linewidth=1.8, zorder=2)
    current = ax.scatter([], [], facecolor="none", edgecolor="black", linewidth=1.2,
                         linestyle="--", zorder=4)
    (prev,) = ax.plot([], [], color="0.4", lw=1.3, ls=":")
    (line,) = ax.plot([], [], color="0.15", lw=2)
    ax.set_xlabel("$x_1$", labelpad=0)
    ax.set_ylabel("$x_2$", labelpad=0)
    ax.tick_params(labelsize=8)
    # -- legend and numbers, beside the plot so that they never hide a point ---------
    # (figure-level artists: an extra Axes with axis("off") would make the figure
    # stale after every draw and defeat blitting)
    class_legend(fig, [
        Line2D([], [], ls="", marker="o", ms=9, mfc="none", mec=MISS, mew=1.8,
               label="misclassified"),
        Line2D([], [], ls="", marker="o", ms=11, mfc="none", mec="black",
               label="sample just seen"),
        Line2D([], [], color="0.15", lw=2, label="line  $w \\cdot x + b = 0$"),
        Line2D([], [], color="0.4", lw=1.3, ls=":", label="line one step back"),
    ], loc="upper left", bbox_to_anchor=(info.x0 - 0.03, info.y1 + 0.02))
    status = fig.text(0.99, info.y1 - 0.01, "", ha="right", va="top", fontsize=8.5,
                      linespacing=1.5)
    # -- misclassified points over training ------------------------------------------
    (curve,) = curve_ax.plot([], [], color="0.3", lw=1.2, drawstyle="steps-post")
    (marker,) = curve_ax.plot([], [], "o", color="C1", ms=7, zorder=3)
    curve_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    curve_ax.set_xlabel("epochs of training", labelpad=1, fontsize=9)
    curve_ax.set_ylabel("misclassified", labelpad=1, fontsize=9)
    curve_ax.tick_params(labelsize=8)
    curve_ax.grid(alpha=0.3)
    title = fig.text(0.5, 0.95, "", ha="center", va="center", fontsize=9.5)
    handles = {"ax": ax, "curve_ax": curve_ax, "region": region, "points": points,
               "rings": rings, "current": current, "prev": prev, "line": line,
               "curve": curve, "marker": marker, "status": status, "title": title,
               "key": None}
    # everything drawn over the (animated) shaded region is animated too
    for artist in [region, points, rings, current, prev, line, curve, marker, status, title]:
        artist.set_animated(True)
    perceptron_update(handles, data)
    return handles


def _perceptron_new_trajectory(h, data):
    """Data set or learning rate changed: new points, limits and curve (a full redraw)."""
    X, y, N = data["X"], data["y"], data["N"]
    size = 110 if N <= 4 else 30
    h["points"].set_offsets(X)
    h["points"].set_facecolor([CLASS_COLORS[k] for k in y])
    h["points"].set_sizes([size])
    h["rings"].set_sizes([size * 2.6])
    h["current"].set_sizes([size * 4.5])
    ax = h["ax"]
    ax.set(xlim=data["xlim"], ylim=data["ylim"])
    if data["dataset"].endswith("gate"):
        ax.set(xticks=[0, 1], yticks=[0, 1])
    else:
        from matplotlib.ticker import AutoLocator

        ax.xaxis.set_major_locator(AutoLocator())
        ax.yaxis.set_major_locator(AutoLocator())
    h["region"].set_extent((*data["xlim"], *data["ylim"]))
    top = max(int(data["curve"].max()), 1)
    h["curve_ax"].set_xlim(0, data["epoch_span"])
    h["curve_ax"].set_ylim(-0.05 * top, top * 1.08)


def perceptron_update(h, data):
    full = None
    # A new data set, or a run of another length, changes the axes: a full redraw.
    # Moving the step slider only changes animated artists.
    key = (data["dataset"], data["epoch_span"], int(data["curve"].max()))
    if h["key"] != key:
        h["key"] = key
        _perceptron_new_trajectory(h, data)
        full = "full"
    X, y, N = data["X"], data["y"], data["N"]
    h["curve"].set_data(np.arange(data["S"] + 1) / N, data["curve"])
    h["region"].set_data(data["grid"])
    h["line"].set_data(*data["line"])
    h["prev"].set_data(*data["prev_line"])
    wrong = X[data["wrong"]]
    h["rings"].set_offsets(wrong if len(wrong) else np.empty((0, 2)))
    i = data["visited"]
    h["current"].set_offsets(X[[i]] if i is not None else np.empty((0, 2)))
    h["marker"].set_data([data["k"] / N], [data["curve"][data["k"]]])
    if data["k"] == 0:
        title = "the start, before training: move the step slider"
    elif i is not None:  # sample by sample: what this step did
        epoch, pos = divmod(data["k"] - 1, N)
        y_hat = 1 - y[i] if data["mistake"] else y[i]
        what = (f"mistake, the line moves {'away from' if y_hat else 'towards'} x"
                if data["mistake"] else "right, no change")
        title = (f"epoch {epoch + 1}, sample {pos + 1}/{N}:  x = ({X[i, 0]:.1f}, {X[i, 1]:.1f}), "
                 f"y = {y[i]}, predicted {y_hat}: {what}")
    else:
        e = data["epoch"]
        m = data["errors"][e - 1]
        title = f"after epoch {e}: {m} mistake{'s' if m != 1 else ''} (updates) during it"
    h["title"].set_text(title)
    w, b = data["w"], data["b"]
    lines = [f"w = ({w[0]:.2f}, {w[1]:.2f})", f"b = {b:.2f}",
             f"wrong now: {data['n_wrong']}/{N}"]
    if data["done"]:
        lines.append(f"converged (epoch {len(data['errors'])})" if data["converged"]
                     else "not converged")
    h["status"].set_text("\n".join(lines))
    return full


def perceptron_explorer(dataset="AND gate", lr=1.0, mode="sample by sample", step=0):
    """Step through perceptron training; the step slider's range follows the trajectory."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "6em"}
    wide = W.Layout(width="300px")
    controls = {
        "dataset": W.Dropdown(options=list(DATASETS), value=dataset, description="data",
                              style=style, layout=wide),
        "lr": W.FloatLogSlider(value=lr, base=10, min=-1.5, max=0.5, step=0.25,
                               description="learning rate", style=style, layout=wide,
                               readout_format=".2f"),
        "mode": W.Dropdown(options=MODES, value=mode, description="step by", style=style,
                           layout=wide),
        "step": W.IntSlider(value=step, min=0, max=n_positions(dataset, lr, mode),
                            description="step", style=style, layout=wide),
    }
    slider = controls["step"]

    def follow(change):
        # keep the step slider's range equal to the trajectory's length; a change of
        # mode keeps the position (sample step k <-> epoch k // N)
        values = {name: w.value for name, w in controls.items()}
        if change["name"] == "value" and change["owner"] is controls["mode"]:
            n = len(perceptron_trajectory(values["dataset"], round(float(values["lr"]), 6))["y"])
            values["step"] = (slider.value // n if change["new"] == MODES[1]
                              else slider.value * n)
        new_max = n_positions(values["dataset"], values["lr"], values["mode"])
        target = min(values["step"], new_max)
        if new_max >= slider.max:
            slider.max = new_max
            slider.value = target
        else:
            slider.value = target
            slider.max = new_max

    for name in ("dataset", "lr", "mode"):
        controls[name].observe(follow, names="value")
    plot = SliderPlot(controls, perceptron_compute, perceptron_draw, perceptron_update,
                      figsize=(7.2, 3.5))
    # a new learning rate means a new run and new axes (a full redraw, ~2x a step):
    # redraw when the slider is released
    controls["lr"].continuous_update = False
    return plot
