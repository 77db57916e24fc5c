"""Chapter 06 explorers: vanishing and exploding gradients.

Three explorers, each in the course's pattern (see ``nnlib.widgets``):

    init_*   (this file) a deep stack of dense layers at initialisation: how the
             activations (forward) and the gradients (backward) change layer by
             layer, for each activation, initialiser and weight scale
    depth_*  (gradients_depth.py) short trainings of a deep network: sigmoid,
             ReLU + He, with batch norm, with residual connections; the gradient
             norm of every layer at every epoch as a heatmap
    clip_*   (gradients_clip.py) an exploding network trained with and without
             gradient clipping by global norm

For each, ``*_compute(...)`` is a pure function returning a dict of arrays
(tests and learners call it), ``*_draw(fig, data)`` builds the figure once,
``*_update(handles, data)`` changes the artists in place, and ``*_explorer(...)``
returns the ``SliderPlot``. Everything random is seeded.
"""

import numpy as np

from nnlib import activations, init as initializers
from nnlib.explorers.gradients_clip import clip_compute, clip_draw, clip_explorer, clip_update
from nnlib.explorers.gradients_depth import (DepthTrainer, depth_compute, depth_draw, depth_explorer,
                                             depth_update)

# -- 1. initialisation ----------------------------------------------------------------

MAX_DEPTH = 50
ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu", "selu", "gelu", "linear")
INITIALIZERS = ("zeros", "ones", "random_normal", "random_uniform", "truncated_normal",
                "glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
                "lecun_normal", "lecun_uniform")
N_BINS = 41
# Activations are histogrammed on a fixed range: their own for sigmoid and tanh,
# [0, 4] for relu, [-4, 4] (the input's +-4 std) otherwise. Values beyond go to the edge bins.
ACT_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 4.0)}
GRAD_RANGE = (-4.0, 4.0)  # gradients in units of the last layer's gradient std
STD_LIMITS = (1e-8, 1e8)  # the log-scale panels; values beyond are drawn at the edge
HIST_SAMPLES = 2048  # entries per layer in the histograms (the std uses all of them)


def act_range(activation):
    """The (low, high) range of the activation histograms for this activation."""
    return ACT_RANGE.get(activation, (-4.0, 4.0))


def _column_histograms(values, lo, hi, n_bins=N_BINS):
    """Share of the entries of each layer in each bin: values (L, M) -> (n_bins, L).

    Bins split [lo, hi] evenly; entries below lo / above hi count in the first /
    last bin; nan entries count nowhere.
    """
    L, M = values.shape
    with np.errstate(invalid="ignore"):
        idx = np.floor((values - lo) / (hi - lo) * n_bins)
    ok = ~np.isnan(idx)
    idx = np.clip(np.where(ok, idx, 0), 0, n_bins - 1).astype(np.int64)
    flat = idx + n_bins * np.arange(L)[:, None]
    counts = np.bincount(flat[ok], minlength=L * n_bins).reshape(L, n_bins)
    return counts.T / M


def init_forward(activation="tanh", initializer="glorot_normal", scale=1.0, depth=MAX_DEPTH,
                 width=64, batch=128, seed=0):
    """The forward pass of ``init_compute``'s network (see there), kept for its backward.

    The weights are drawn one layer after the other from one seeded generator, so
    the first d layers of a deeper network are exactly the network of depth d:
    the explorer runs this once per setting and reuses it for every depth.

    Returns:
        dict with "X", "G" (N, D), "Ws" (list of L arrays (D, D)), "dfs" (list of L
        arrays (N, D), f'(z_l) at the pre-activations), "acts" (L, N * D), each a_l flattened.
    """
    f = activations.get(activation)
    draw = initializers.get(initializer)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, width))
    G = rng.standard_normal((batch, width))
    w_rng = np.random.default_rng([seed, 1])
    Ws = [scale * draw((width, width), w_rng) for _ in range(int(depth))]
    a, dfs, acts = X, [], np.empty((len(Ws), batch * width))
    with np.errstate(all="ignore"):  # overflow is what this explorer shows
        for l, W in enumerate(Ws):
            z = a @ W
            a = f(z)
            dfs.append(f.grad(z))
            acts[l] = a.ravel()
    return {"X": X, "G": G, "Ws": Ws, "dfs": dfs, "acts": acts}


def init_compute(depth, activation="tanh", initializer="glorot_normal", scale=1.0,
                 width=64, batch=128, seed=0, forward=None):
    """Forward and backward statistics of a deep stack of dense layers at initialisation.

    The network: ``depth`` layers z_l = a_{l-1} @ W_l (no bias), a_l = f(z_l), all
    (width x width), with a_0 = X ~ N(0, 1) of shape (batch, width) and
    W_l = scale * initializer((width, width), rng). The backward pass starts from a
    fixed random gradient G ~ N(0, 1) at the last output (as if from a loss):

        delta_L = G * f'(z_L),   delta_l = (delta_{l+1} @ W_{l+1}^T) * f'(z_l)

    so delta_l = dL/dz_l, the gradient that builds dL/dW_l = a_{l-1}^T delta_l.

    Args:
        depth: number of layers L, 1 to MAX_DEPTH.
        activation: a name in nnlib.activations. initializer: a name in nnlib.init.
        scale: factor on every W (1 = the initialiser as it is).
        width, batch: D and N. seed: for X, G and the weights.
        forward: optional result of ``init_forward`` with the same settings and at
            least ``depth`` layers (a cache; the numbers are the same).

    Returns:
        dict with "layers" (L,) = 1..L; "act_std", "act_mean", "grad_std" (L,),
        std / mean over all N x D entries of a_l and of delta_l (inf or nan when
        the network overflowed); "act_hist" (N_BINS, L), share of a_l's entries in
        each bin of ``act_range(activation)``; "grad_hist" (N_BINS, L), the same for
        delta_l / std(delta_L) on GRAD_RANGE (both histograms use the first
        HIST_SAMPLES entries of each layer); "act_edges", "grad_edges"
        (N_BINS + 1,); and the settings.
    """
    depth = int(depth)
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be 1 to {MAX_DEPTH}, got {depth}")
    if forward is None:
        forward = init_forward(activation, initializer, scale, depth, width, batch, seed)
    Ws, dfs, acts = forward["Ws"], forward["dfs"], forward["acts"][:depth]
    deltas = np.empty_like(acts)
    with np.errstate(all="ignore"):
        delta = forward["G"] * dfs[depth - 1]
        for l in range(depth - 1, -1, -1):
            deltas[l] = delta.ravel()
            if l:
                delta = (delta @ Ws[l].T) * dfs[l - 1]
        act_std, act_mean, grad_std = acts.std(axis=1), acts.mean(axis=1), deltas.std(axis=1)
        top = grad_std[-1]
        sample = deltas[:, :HIST_SAMPLES]
        rel = sample / top if np.isfinite(top) and top > 0 else np.full_like(sample, np.nan)
    lo, hi = act_range(activation)
    return {"depth": depth, "activation": activation, "initializer": initializer, "scale": float(scale),
            "layers": np.arange(1, depth + 1), "act_std": act_std, "act_mean": act_mean,
            "grad_std": grad_std, "act_hist": _column_histograms(acts[:, :HIST_SAMPLES], lo, hi),
            "grad_hist": _column_histograms(rel, *GRAD_RANGE),
            "act_edges": np.linspace(lo, hi, N_BINS + 1), "grad_edges": np.linspace(*GRAD_RANGE, N_BINS + 1)}


def _padded(hist):
    """(N_BINS, L) -> (N_BINS, MAX_DEPTH), each column scaled to its peak (so every
    layer's shape shows, however spread out), nan (drawn blank) beyond the last layer."""
    out = np.full((hist.shape[0], MAX_DEPTH), np.nan)
    peak = hist.max(axis=0)
    out[:, :hist.shape[1]] = np.where(peak > 0, hist / np.where(peak > 0, peak, 1), np.nan)
    return out


def _for_log_axis(values):
    """Values for a log axis with STD_LIMITS: zeros, inf and nan drawn at the edges."""
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=np.inf, posinf=np.inf)
    return np.clip(v, STD_LIMITS[0] * 1.2, STD_LIMITS[1] / 1.2)


def _describe(values):
    last = values[-1]
    if not np.isfinite(last):
        return "overflow"
    return "0 (all equal)" if last == 0 else f"{last:.1e}"


def init_draw(fig, data):
    from matplotlib.colors import PowerNorm

    gs = fig.add_gridspec(2, 2, width_ratios=[1.25, 1], left=0.085, right=0.985, top=0.9,
                          bottom=0.11, hspace=0.55, wspace=0.3)
    h = {}
    norm = PowerNorm(0.5, vmin=0, vmax=1)  # a square-root scale shows thin tails next to peaks
    extent_x = (0.5, MAX_DEPTH + 0.5)
    for row, key in enumerate(("act", "grad")):
        ax = fig.add_subplot(gs[row, 0])
        edges = data[f"{key}_edges"]
        img = ax.imshow(_padded(data[f"{key}_hist"]), origin="lower", aspect="auto", cmap="magma",
                        norm=norm, interpolation="nearest",
                        extent=(*extent_x, edges[0], edges[-1]))
        ax.set_facecolor("0.93")
        ax.set_ylabel("activation $a_l$" if key == "act" else r"$\delta_l$ / std($\delta_L$)", fontsize=9)
        ax.set_title("forward: activations per layer" if key == "act"
                     else "backward: gradients per layer", fontsize=10)
        h[f"{key}_img"], h[f"{key}_ax"] = img, ax
        line_ax = fig.add_subplot(gs[row, 1])
        color = "C0" if key == "act" else "C3"
        (line,) = line_ax.semilogy(data["layers"], _for_log_axis(data[f"{key}_std"]), "o-", ms=2.5,
                                   lw=1.5, color=color)
        line_ax.axhline(1.0, color="0.6", lw=0.8, ls="--", zorder=0)
        line_ax.set(xlim=(0, MAX_DEPTH + 1), ylim=STD_LIMITS)
        line_ax.set_yticks([1e-8, 1e-4, 1, 1e4, 1e8])
        line_ax.grid(alpha=0.3)
        line_ax.set_title("std of $a_l$ per layer" if key == "act" else r"std of $\delta_l$ per layer",
                          fontsize=10)
        text = line_ax.text(0.97, 0.06 if key == "act" else 0.94, "", transform=line_ax.transAxes,
                            ha="right", va="bottom" if key == "act" else "top", fontsize=8)
        h[f"{key}_line"], h[f"{key}_text"] = line, text
        for ax_ in (ax, line_ax):
            ax_.tick_params(labelsize=8)
            ax_.set_xlabel("layer l (1 = next to the input)" if row == 1 else "", fontsize=9)
        for artist in (img, line, text):
            artist.set_animated(True)
    h["act_ax"].set_ylim(*data["act_edges"][[0, -1]])
    init_update(h, data)
    return h


def init_update(h, data):
    h["act_img"].set_data(_padded(data["act_hist"]))
    h["grad_img"].set_data(_padded(data["grad_hist"]))
    full = None
    lo, hi = data["act_edges"][[0, -1]]
    if tuple(h["act_img"].get_extent()[2:]) != (lo, hi):  # another activation's range
        h["act_img"].set_extent((0.5, MAX_DEPTH + 0.5, lo, hi))
        h["act_ax"].set_ylim(lo, hi)
        full = "full"
    for key in ("act", "grad"):
        h[f"{key}_line"].set_data(data["layers"], _for_log_axis(data[f"{key}_std"]))
    h["act_text"].set_text(f"last layer: std {_describe(data['act_std'])}")
    h["grad_text"].set_text(f"first layer: std {_describe(data['grad_std'][:1])}")
    return full


def init_explorer(depth=20, activation="tanh", initializer="glorot_normal", scale=1.0,
                  width=64, batch=128, seed=0):
    """Depth slider, activation and initialiser dropdowns, weight-scale slider."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "5.5em"}
    controls = {
        "depth": W.IntSlider(value=depth, min=1, max=MAX_DEPTH, description="depth", style=style),
        "activation": W.Dropdown(options=ACTIVATIONS, value=activation, description="activation",
                                 style=style),
        "initializer": W.Dropdown(options=INITIALIZERS, value=initializer, description="initialiser",
                                  style=style),
        "scale": W.FloatLogSlider(value=scale, base=10, min=-1, max=1, step=0.01,
                                  description="weight scale", readout_format=".2f", style=style),
    }

    forwards = {}  # (activation, initializer, scale) -> init_forward at MAX_DEPTH

    def compute(depth, activation, initializer, scale):
        key = (activation, initializer, scale)
        if key not in forwards:
            if len(forwards) >= 8:  # a few MB each: keep the latest settings only
                forwards.pop(next(iter(forwards)))
            forwards[key] = init_forward(activation, initializer, scale, MAX_DEPTH, width, batch, seed)
        return init_compute(depth, activation, initializer, scale, width, batch, seed,
                            forward=forwards[key])

    return SliderPlot(controls, compute, init_draw, init_update, figsize=(7.6, 4.6), layout="stacked")


__all__ = ["init_forward", "init_compute", "init_draw", "init_update", "init_explorer", "act_range",
           "depth_compute", "depth_draw", "depth_update", "depth_explorer", "DepthTrainer",
           "clip_compute", "clip_draw", "clip_update", "clip_explorer"]
