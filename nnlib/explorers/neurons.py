"""Chapter 01 explorers: the McCulloch-Pitts neuron, perceptron training, the sigmoid neuron.

Each explorer is ``compute`` (pure numpy, tested) + ``draw`` / ``update`` (matplotlib,
changing artists animated so that a redraw only repaints them) + a factory that
builds the ``SliderPlot``:

    mp_explorer(gate="AND", threshold=2)
    perceptron_explorer(dataset="AND gate", lr=1.0, mode="sample by sample", step=0)
    sigmoid_explorer(w1=1.0, w2=1.0, b=0.0)

Redraws blit: only the artists that change are repainted over a cached background.
A new data set or a run of another length in the perceptron explorer changes its
axes and redraws the whole figure (so its learning-rate slider redraws on release).

Colours as in ``nnlib.viz``: class 0 blue (C0), class 1 red (C3).
"""

import functools

import numpy as np

from nnlib.activations import sigmoid
from nnlib.data import blobs, logic_gate, xor_blobs
from nnlib.neurons import Perceptron, find_threshold, mp_neuron, threshold_errors
from nnlib.neurons import step as step_activation  # "step" is also the explorer's slider

CLASS_COLORS = ("C0", "C3")
RIGHT, WRONG = "#c7e9c0", "#fc9272"  # table cells: green right, salmon wrong
MISS = "#f2a900"  # ring around misclassified points


def line_in_box(w, b, xlim, ylim):
    """End points of the line w[0] x1 + w[1] x2 + b = 0 inside a box.

    Args:
        w: (2,) weights.  b: bias.  xlim, ylim: (lo, hi) of the box.
    Returns:
        (xs, ys): two (2,) arrays, or two empty arrays when the line misses the
        box or w = 0 (then there is no line: the neuron says the same everywhere).
    """
    w1, w2 = float(w[0]), float(w[1])
    points = []
    if w2 != 0:  # crossings with the left and right edges
        points += [(x, -(w1 * x + b) / w2) for x in xlim]
    if w1 != 0:  # crossings with the bottom and top edges
        points += [(-(w2 * y + b) / w1, y) for y in ylim]
    eps = 1e-9 * (1 + abs(xlim[1] - xlim[0]) + abs(ylim[1] - ylim[0]))
    inside = sorted({(round(x, 12), round(y, 12)) for x, y in points
                     if xlim[0] - eps <= x <= xlim[1] + eps and ylim[0] - eps <= y <= ylim[1] + eps})
    if len(inside) < 2:
        return np.array([]), np.array([])
    (x0, y0), (x1, y1) = inside[0], inside[-1]
    return np.array([x0, x1]), np.array([y0, y1])


def _grid(xlim, ylim, steps):
    """(steps * steps, 2) points of a regular grid; row-major, y varies slowest (as imshow)."""
    gx, gy = np.meshgrid(np.linspace(*xlim, steps), np.linspace(*ylim, steps))
    return np.column_stack([gx.ravel(), gy.ravel()])


def _class_legend(target, extra=(), **where):
    """A legend for the two classes plus ``extra`` handles, on an Axes or a Figure."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], ls="", marker="o", color=c, markeredgecolor="white", ms=7,
                      label=f"class {k}") for k, c in enumerate(CLASS_COLORS)]
    return target.legend(handles=handles + list(extra), fontsize=7.5, frameon=True,
                         framealpha=0.85, handletextpad=0.3, borderpad=0.4, labelspacing=0.3,
                         **where)


# ==================================================================================
# 1. McCulloch-Pitts neuron: threshold and gate
# ==================================================================================
GATES = ("AND", "OR", "NAND", "XOR")
MP_LIM = (-0.45, 1.45)
_MP_GRID = _grid(MP_LIM, MP_LIM, 60)


def mp_compute(gate, threshold):
    """An MP neuron with two inputs against a gate's truth table.

    Args:
        gate: "AND", "OR", "NAND", "NOR" or "XOR".  threshold: a number (0..3 useful).
    Returns:
        dict with "X" (4, 2) the rows, "sums" (4,) x1 + x2, "target" (4,) the gate,
        "output" (4,) the neuron's, "wrong" (4,) bool, "n_wrong", "errors" (4,)
        wrong rows for thresholds 0, 1, 2, 3, "solution" (the smallest threshold
        that works, or None), "fires" (60, 60) the neuron's output on a grid
        over the plane, "gate", "threshold".
    """
    X, target = logic_gate(gate)
    output = mp_neuron(X, threshold)
    wrong = output != target
    fires = (_MP_GRID.sum(axis=1) >= threshold).reshape(60, 60).astype(float)
    return {"X": X, "sums": X.sum(axis=1), "target": target, "output": output,
            "wrong": wrong, "n_wrong": int(wrong.sum()), "errors": threshold_errors(X, target),
            "solution": find_threshold(X, target), "fires": fires,
            "gate": gate.upper(), "threshold": threshold}


def _mp_table_colors(data):
    """(4, 2, 3) RGB cells of the table's changing columns: target by class, output
    green where right and salmon where wrong."""
    from matplotlib.colors import to_rgb

    cells = np.empty((4, 2, 3))
    for n in range(4):
        cells[n, 0] = to_rgb("#dbe8f5" if data["target"][n] == 0 else "#f7d9d6")
        cells[n, 1] = to_rgb(WRONG if data["wrong"][n] else RIGHT)
    return cells


def mp_draw(fig, data):
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    table, plane = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    # -- truth table: 4 rows x (x1, x2, sum | target, output) ----------------------------
    # Two images: the input columns never change (background), the last two are redrawn.
    table.imshow(np.full((4, 3), 0.95), cmap="gray", vmin=0, vmax=1, aspect="auto",
                 extent=(-0.5, 2.5, 3.5, -0.5))
    image = table.imshow(_mp_table_colors(data), aspect="auto", extent=(2.5, 4.5, 3.5, -0.5))
    table.set_xticks(range(5), ["$x_1$", "$x_2$", "$x_1+x_2$", "target", "neuron"])
    table.xaxis.tick_top()
    table.tick_params(length=0, labelsize=9)
    table.set_yticks([])
    for x in np.arange(-0.5, 5):
        table.axvline(x, color="white", lw=2, zorder=2)
    for y in np.arange(-0.5, 4):
        table.axhline(y, color="white", lw=2, zorder=2)
    for n in range(4):
        for col, value in enumerate([*data["X"][n], data["sums"][n]]):
            table.text(col, n, f"{value:g}", ha="center", va="center", fontsize=11)
    cells = [[table.text(col, n, "", ha="center", va="center", fontsize=11, weight="bold")
              for col in (3, 4)] for n in range(4)]
    marks = [table.text(4.6, n, "", ha="left", va="center", fontsize=9, color="#b2182b",
                        clip_on=False) for n in range(4)]
    table.set(xlim=(-0.5, 4.5), ylim=(3.5, -0.5))
    for spine in table.spines.values():
        spine.set_visible(False)
    # -- the plane: 4 points and the region where the neuron fires -----------------
    cmap = ListedColormap(["#eef3f8", "#fbe3df"])
    region = plane.imshow(data["fires"], origin="lower", extent=(*MP_LIM, *MP_LIM), cmap=cmap,
                          vmin=0, vmax=1, interpolation="nearest", aspect="auto")
    (line,) = plane.plot([], [], color="0.25", lw=1.5)
    X = data["X"]
    points = plane.scatter(X[:, 0], X[:, 1], s=140, zorder=3, edgecolor="white", linewidth=1)
    rings = plane.scatter([], [], s=420, facecolor="none", edgecolor=MISS, linewidth=2.2,
                          zorder=2)
    plane.set(xlim=MP_LIM, ylim=MP_LIM, xticks=[0, 1], yticks=[0, 1], aspect="equal")
    plane.set_xlabel("$x_1$", labelpad=0)
    plane.set_ylabel("$x_2$", labelpad=0)
    plane.tick_params(labelsize=9)
    _class_legend(plane, [Patch(color=cmap(1.0), label="fires (1)"),
                          Line2D([], [], ls="", marker="o", ms=10, mfc="none", mec=MISS,
                                 mew=2, label="wrong")], loc="upper left",
                  bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(left=0.02, right=0.8, top=0.78, bottom=0.17, wspace=0.3)
    title = fig.text(0.5, 0.95, "", ha="center", va="center", fontsize=10.5)
    summary = fig.text(0.02, 0.05, "", ha="left", va="center", fontsize=9)
    handles = {"image": image, "cells": cells, "marks": marks, "summary": summary,
               "region": region, "line": line, "points": points, "rings": rings,
               "title": title}
    for artist in [image, *sum(cells, []), *marks, summary, region, line, points, rings, title]:
        artist.set_animated(True)
    mp_update(handles, data)
    return handles


def mp_update(h, data):
    h["image"].set_data(_mp_table_colors(data))
    for n in range(4):
        h["cells"][n][0].set_text(str(data["target"][n]))
        h["cells"][n][1].set_text(str(data["output"][n]))
        h["marks"][n].set_text("wrong" if data["wrong"][n] else "")
    errors = "   ".join(f"θ={t}: {e}" for t, e in enumerate(data["errors"]))
    h["summary"].set_text(f"wrong rows for each threshold:   {errors}")
    h["region"].set_data(data["fires"])
    xs, ys = line_in_box((1.0, 1.0), -data["threshold"], MP_LIM, MP_LIM)
    h["line"].set_data(xs, ys)
    h["points"].set_facecolor([CLASS_COLORS[t] for t in data["target"]])
    wrong = data["X"][data["wrong"]]
    h["rings"].set_offsets(wrong if len(wrong) else np.empty((0, 2)))
    if data["n_wrong"] == 0:
        verdict = f"computes {data['gate']}"
    else:
        verdict = f"{data['n_wrong']} of 4 rows wrong"
        verdict += (f" (θ = {data['solution']} works)" if data["solution"] is not None
                    else f" (no threshold computes {data['gate']})")
    h["title"].set_text(f"{data['gate']} with threshold θ = {data['threshold']}:  {verdict}")


def mp_explorer(gate="AND", threshold=2):
    """Threshold slider and gate dropdown over a two-input MP neuron."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "5.5em"}
    controls = {
        "gate": W.Dropdown(options=GATES, value=gate.upper(), description="gate", style=style),
        "threshold": W.IntSlider(value=threshold, min=0, max=3, description="threshold θ",
                                 style=style),
    }
    return SliderPlot(controls, mp_compute, mp_draw, mp_update, figsize=(7.0, 3.1))


# ==================================================================================
# 2. Perceptron training, step by step
# ==================================================================================
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
    grid = _grid(t["xlim"], t["ylim"], GRID)
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
    _class_legend(fig, [
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


# ==================================================================================
# 3. Sigmoid neuron: weights, bias, probability
# ==================================================================================
SIG_LIM = (-3.0, 3.0)
SIG_GRID = 90
_SIG_POINTS = _grid(SIG_LIM, SIG_LIM, SIG_GRID)
T_RANGE = (-4.0, 4.0)


def sigmoid_data():
    """The explorer's data: two overlapping Gaussian blobs, X (40, 2), y (40,)."""
    centres = np.array([[-0.9, -0.6], [0.9, 0.6]])
    return blobs(40, np.random.default_rng(5), centers=centres, std=0.8)


_SIG_X, _SIG_Y = sigmoid_data()
_JITTER = np.random.default_rng(6).uniform(-0.04, 0.04, len(_SIG_Y))


def sigmoid_compute(w1, w2, b):
    """A sigmoid neuron p = sigmoid(w1 x1 + w2 x2 + b) on the explorer's data.

    Returns:
        dict with "p_grid" (G, G) probabilities over the square SIG_LIM^2,
        "line" the boundary p = 0.5 (xs, ys), "X" (N, 2), "y" (N,), "p" (N,)
        the data's probabilities, "loss" the mean BCE, "accuracy";
        the S-curve along the weight direction u = w / |w| (u = (1, 0) when w = 0):
        "t" (K,) positions, "curve" (K,) = sigmoid(|w| t + b), "t_data" (N,) = X @ u,
        "t_half" = -b / |w| where p = 0.5 (None when w = 0), "norm" = |w|.
    """
    w = np.array([w1, w2], dtype=np.float64)
    norm = float(np.hypot(w1, w2))
    u = w / norm if norm > 0 else np.array([1.0, 0.0])
    X, y = _SIG_X, _SIG_Y
    z = X @ w + b
    p = sigmoid(z)
    t = np.linspace(*T_RANGE, 161)
    return {"p_grid": sigmoid(_SIG_POINTS @ w + b).reshape(SIG_GRID, SIG_GRID),
            "line": line_in_box(w, b, SIG_LIM, SIG_LIM), "X": X, "y": y, "p": p,
            "loss": float(np.mean(np.logaddexp(0.0, z) - y * z)),
            "accuracy": float(np.mean((p >= 0.5) == (y == 1))),
            "t": t, "curve": sigmoid(norm * t + b), "t_data": X @ u,
            "t_half": (-b / norm) if norm > 0 else None, "norm": norm, "w": w, "b": float(b)}


def sigmoid_draw(fig, data):
    ax, side = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.1]})
    image = ax.imshow(data["p_grid"], origin="lower", extent=(*SIG_LIM, *SIG_LIM),
                      cmap="RdBu_r", vmin=0, vmax=1, alpha=0.65, interpolation="bilinear",
                      aspect="equal")
    X, y = data["X"], data["y"]
    points = ax.scatter(X[:, 0], X[:, 1], c=[CLASS_COLORS[k] for k in y], s=22,
                        edgecolor="white", linewidth=0.6, zorder=3)
    (line,) = ax.plot([], [], color="black", lw=1.5)
    arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0),
                        arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.5})
    w_label = ax.text(0, 0, "w", fontsize=10, weight="bold", ha="center", va="center")
    ax.set(xlim=SIG_LIM, ylim=SIG_LIM)
    ax.set_xlabel("$x_1$", labelpad=0)
    ax.set_ylabel("$x_2$", labelpad=0)
    ax.tick_params(labelsize=8)
    ax.set_title("p = σ(w·x + b) as colour", fontsize=9)
    colorbar = fig.colorbar(image, ax=ax, fraction=0.046, pad=0.03, ticks=[0, 0.5, 1])
    colorbar.ax.tick_params(labelsize=8)
    # -- the S-curve along the weight direction ------------------------------------------
    side.axhline(0.5, color="0.8", lw=0.8, zorder=0)
    (curve,) = side.plot(data["t"], data["curve"], color="0.2", lw=2)
    dots = side.scatter(data["t_data"], y + _JITTER, c=[CLASS_COLORS[k] for k in y], s=18,
                        edgecolor="white", linewidth=0.5, zorder=3)
    half = side.axvline(0, color="0.4", ls=":", lw=1.2)
    side.set(xlim=T_RANGE, ylim=(-0.1, 1.1))
    side.set_xlabel("position along w:  $x \\cdot w / |w|$", labelpad=1)
    side.set_ylabel("p (and the label y)", labelpad=1)
    side.tick_params(labelsize=8)
    side.set_title("the S-curve seen along w", fontsize=9)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.82, bottom=0.14, wspace=0.32)
    title = fig.text(0.5, 0.955, "", ha="center", va="center", fontsize=10)
    handles = {"image": image, "line": line, "arrow": arrow, "w_label": w_label, "curve": curve,
               "dots": dots, "half": half, "title": title}
    for artist in [image, points, line, arrow, w_label, curve, dots, half, title]:
        artist.set_animated(True)
    sigmoid_update(handles, data)
    return handles


def sigmoid_update(h, data):
    h["image"].set_data(data["p_grid"])
    h["line"].set_data(*data["line"])
    w, norm = data["w"], data["norm"]
    # the weight vector, drawn from the boundary point nearest the origin
    start = -data["b"] * w / norm**2 if norm > 0 else np.zeros(2)
    tip = start + (w / max(norm, 1.0) if norm > 0 else 0.0)
    inside = norm > 0 and np.all(np.abs(start) < SIG_LIM[1]) and np.all(np.abs(tip) < SIG_LIM[1])
    h["arrow"].set_visible(bool(inside))
    h["w_label"].set_visible(bool(inside))
    h["arrow"].xy, h["arrow"].xyann = tuple(tip), tuple(start)
    if inside:
        h["w_label"].set_position(tuple(tip + 0.3 * (tip - start) / np.linalg.norm(tip - start)))
    h["curve"].set_ydata(data["curve"])
    h["dots"].set_offsets(np.column_stack([data["t_data"], data["y"] + _JITTER]))
    th = data["t_half"]
    visible = th is not None and T_RANGE[0] <= th <= T_RANGE[1]
    h["half"].set_visible(visible)
    if visible:
        h["half"].set_xdata([th, th])
    h["title"].set_text(f"w = ({w[0]:.1f}, {w[1]:.1f}),  b = {data['b']:.1f}:   "
                        f"loss (BCE) = {data['loss']:.3f},   accuracy = {data['accuracy']:.0%}")


def sigmoid_explorer(w1=1.0, w2=1.0, b=0.0):
    """Sliders for w1, w2 and b of one sigmoid neuron with two inputs."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "2.5em"}
    controls = {name: W.FloatSlider(value=value, min=-5, max=5, step=0.1, description=name,
                                    style=style)
                for name, value in (("w1", w1), ("w2", w2), ("b", b))}
    return SliderPlot(controls, sigmoid_compute, sigmoid_draw, sigmoid_update,
                      figsize=(7.2, 3.3))
