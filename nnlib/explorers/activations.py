"""Chapter 02 explorers: activation functions, saturation, dying ReLU, softmax temperature.

Four explorers, each in the course's pattern (see ``nnlib.widgets``):

    gallery_*     every activation with its derivative; the saturated region shaded
    saturation_*  a Gaussian batch of inputs, scaled, through sigmoid, tanh and ReLU
    dying_*       a layer of 64 ReLU units on the real digits, with a shared bias
    softmax_*     softmax(z / T) of fixed logits z at temperature T, and its entropy

For each, ``*_compute(...)`` is a pure function returning a dict of arrays
(tests and learners call it), ``*_draw(fig, data)`` builds the figure once,
``*_update(handles, data)`` changes the artists in place, and
``*_explorer(...)`` returns the ``SliderPlot``. Everything random is seeded.
"""

import functools
import math

import numpy as np

from nnlib import activations
from nnlib.activations import log_softmax, softmax

# -- 1. gallery ----------------------------------------------------------------

NAMES = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus",
         "softsign", "swish", "gelu", "hard_sigmoid", "linear"]

LABELS = {
    "sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU",
    "elu": "ELU", "selu": "SELU", "softplus": "softplus", "softsign": "softsign",
    "swish": "swish (SiLU)", "gelu": "GELU (tanh approx.)", "hard_sigmoid": "hard sigmoid",
    "linear": "linear (identity)",
}

# matplotlib mathtext, for the figure titles (the notebook has the full LaTeX table).
FORMULAS = {
    "sigmoid": r"$1\,/\,(1 + e^{-z})$",
    "tanh": r"$\tanh\,z$",
    "relu": r"$\max(0,\, z)$",
    "leaky_relu": r"$z$ if $z > 0$ else $\alpha z$",
    "elu": r"$z$ if $z > 0$ else $\alpha\,(e^{z} - 1)$",
    "selu": r"$\lambda z$ if $z > 0$ else $\lambda\alpha\,(e^{z} - 1)$",
    "softplus": r"$\ln(1 + e^{z})$",
    "softsign": r"$z\,/\,(1 + |z|)$",
    "swish": r"$z\,\sigma(z)$",
    "gelu": r"$\frac{z}{2}\,(1 + \tanh(\sqrt{2/\pi}\,(z + 0.044715\,z^3)))$",
    "hard_sigmoid": r"$\min(\max(z/6 + 1/2,\, 0),\, 1)$",
    "linear": r"$z$",
}

RANGES = {
    "sigmoid": "(0, 1)", "tanh": "(-1, 1)", "relu": "[0, ∞)", "leaky_relu": "(-∞, ∞)",
    "elu": "(-α, ∞)", "selu": "(-1.758, ∞)", "softplus": "(0, ∞)", "softsign": "(-1, 1)",
    "swish": "[-0.278, ∞)", "gelu": "[-0.170, ∞)", "hard_sigmoid": "[0, 1]",
    "linear": "(-∞, ∞)",
}

Z_RANGE = (-6.0, 6.0)
SATURATION_THRESHOLD = 0.05  # |f'| below 5% of its largest value on the plot = saturated


def gallery_compute(name, alpha=None, threshold=SATURATION_THRESHOLD):
    """One activation f and its derivative f' on z in [-6, 6], and where f saturates.

    Args:
        name: an activation name from ``NAMES`` (e.g. "elu").
        alpha: the parameter of leaky_relu and elu; ignored by the others
            (None: the activation's default, PyTorch's).
        threshold: z is *saturated* where |f'(z)| < threshold * max |f'| on the grid.

    Returns:
        dict with "z" (K,), "f" (K,), "df" (K,), "saturated" (K,) bool, "intervals"
        (list of (z_start, z_end), the saturated stretches, ends halfway between
        grid points), "params" (dict passed to f, e.g. {"alpha": 0.01}), "name",
        "max_df" and "saturated_share" (fraction of the z-range that is saturated).
    """
    f = activations.get(name)
    params = {}
    if "alpha" in f.params:
        params["alpha"] = float(f.params["alpha"] if alpha is None else alpha)
    z = np.linspace(*Z_RANGE, 601)
    y, dy = f(z, **params), f.grad(z, **params)
    max_df = float(np.max(np.abs(dy)))
    saturated = np.abs(dy) < threshold * max_df
    return {"name": f.name, "params": params, "z": z, "f": y, "df": dy, "max_df": max_df,
            "saturated": saturated, "intervals": _runs(z, saturated),
            "saturated_share": float(saturated.mean())}


def _runs(z, mask):
    """Contiguous stretches of z where mask is True, as (start, end) pairs."""
    edges = np.concatenate([[z[0]], (z[1:] + z[:-1]) / 2, [z[-1]]])
    change = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return [(float(edges[a]), float(edges[b])) for a, b in zip(change[::2], change[1::2])]


# The alpha slider's upper end for each activation that has an alpha.
ALPHA_MAX = {"leaky_relu": 0.5, "elu": 2.0}


@functools.lru_cache(maxsize=32)
def gallery_ylim(name):
    """y-limits that hold f, f' and the zero line for every alpha on the slider.

    Fixed per activation, so moving the alpha slider never rescales the axes
    (which would force a slow full redraw).
    """
    data = gallery_compute(name, ALPHA_MAX.get(name))
    lo = min(0.0, data["f"].min(), data["df"].min())
    hi = max(1.0, data["f"].max(), data["df"].max())
    pad = 0.04 * (hi - lo)
    return math.floor((lo - pad) * 10) / 10, math.ceil((hi + pad) * 10) / 10


def _span_verts(intervals):
    # x in data coordinates, y in axes fraction (the axes' x-axis transform).
    return [[(a, 0), (b, 0), (b, 1), (a, 1)] for a, b in intervals]


def gallery_draw(fig, data):
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    ax = fig.add_subplot()
    fig.subplots_adjust(left=0.08, right=0.71, top=0.88, bottom=0.14)
    spans = PolyCollection(_span_verts(data["intervals"]), transform=ax.get_xaxis_transform(),
                           facecolor="C1", alpha=0.18, edgecolor="none", zorder=0.5)
    ax.add_collection(spans, autolim=False)
    (line_f,) = ax.plot(data["z"], data["f"], color="C0", lw=2.2, label="f(z)")
    (line_df,) = ax.plot(data["z"], data["df"], color="C3", lw=1.6, ls="--", label="f'(z)")
    ax.axhline(0, color="0.75", lw=0.8, zorder=0)
    ax.axvline(0, color="0.75", lw=0.8, zorder=0)
    ax.set(xlim=Z_RANGE, ylim=gallery_ylim(data["name"]), xlabel="z")
    ax.grid(alpha=0.25)
    ax.legend(handles=[line_f, line_df,
                       Patch(facecolor="C1", alpha=0.3, label="saturated:\n|f'| < 5% of max")],
              loc="upper left", bbox_to_anchor=(1.03, 1.0), frameon=False, fontsize=9)
    title = ax.set_title(" ", loc="left", fontsize=10)
    info = ax.text(1.04, 0.42, "", transform=ax.transAxes, va="top", fontsize=9, linespacing=1.5)
    for artist in (spans, line_f, line_df, info):  # the title changes with the name only
        artist.set_animated(True)
    handles = {"ax": ax, "spans": spans, "f": line_f, "df": line_df, "info": info,
               "title": title}
    gallery_update(handles, data)
    return handles


def gallery_update(h, data):
    h["spans"].set_verts(_span_verts(data["intervals"]))
    h["f"].set_ydata(data["f"])
    h["df"].set_ydata(data["df"])
    alpha = data["params"].get("alpha")
    name = data["name"]
    lines = [f"range  {RANGES[name]}".replace("α", "α" if alpha is None else f"{alpha:.2f}"),
             f"max |f'|  {data['max_df']:.3g}",
             f"saturated  {data['saturated_share']:.0%} of z-axis"]
    if alpha is not None:
        lines.insert(0, f"α = {alpha:.2f}")
    h["info"].set_text("\n".join(lines))
    title = f"{LABELS[name]}:  f(z) = {FORMULAS[name]}"
    if h["title"].get_text() != title:  # a new activation: title and y-axis change
        h["title"].set_text(title)
        h["ax"].set_ylim(gallery_ylim(name))
        return "full"
    return None


def gallery_explorer(name="sigmoid", alpha=None):
    """Dropdown of every activation, an alpha slider (leaky ReLU and ELU only)."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    def default_alpha(n):
        return activations.get(n).params.get("alpha")

    choose = W.Dropdown(options=[(LABELS[n], n) for n in NAMES], value=name,
                        description="activation", style={"description_width": "5.5em"})
    first = default_alpha(name) if alpha is None else alpha
    slider = W.FloatSlider(value=first if first is not None else 1.0, min=0.0,
                           max=ALPHA_MAX.get(name, 2.0),
                           step=0.01, description="α", disabled=first is None,
                           readout_format=".2f", style={"description_width": "5.5em"})

    def on_name(change):
        # A new activation starts at its own (PyTorch) default alpha; others grey the slider.
        a = default_alpha(change["new"])
        slider.disabled = a is None
        if a is not None:  # widen, set, then narrow: the slider clamps its value to [min, max]
            slider.max = max(slider.max, ALPHA_MAX[change["new"]])
            slider.value = a
            slider.max = ALPHA_MAX[change["new"]]

    choose.observe(on_name, names="value")
    return SliderPlot({"name": choose, "alpha": slider}, gallery_compute, gallery_draw,
                      gallery_update, figsize=(6.6, 3.4))


# -- 2. saturation ---------------------------------------------------------------

SAT_NAMES = ("sigmoid", "tanh", "relu")
N_BINS = 20
OUT_EDGES = {"sigmoid": np.linspace(0, 1, N_BINS + 1), "tanh": np.linspace(-1, 1, N_BINS + 1),
             "relu": np.linspace(0, 5, N_BINS + 1)}
GRAD_EDGES = {"sigmoid": np.linspace(0, 0.25, N_BINS + 1), "tanh": np.linspace(0, 1, N_BINS + 1),
              "relu": np.linspace(0, 1, N_BINS + 1)}
GRAD_MAX = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}  # the largest f' can be


@functools.lru_cache(maxsize=4)
def _gaussian_batch(n, seed):
    g = np.random.default_rng(seed).standard_normal(n)
    g.setflags(write=False)
    return g


def _fractions(values, edges):
    """Share of ``values`` in each bin (last bin closed), and the share above the last edge."""
    counts, _ = np.histogram(values, bins=edges)
    return counts / values.size, float(np.mean(values > edges[-1]))


def saturation_compute(scale, n=4000, seed=0, threshold=SATURATION_THRESHOLD):
    """Inputs z = scale * g, g ~ N(0, 1) (n samples, seeded), through sigmoid, tanh, ReLU.

    Args:
        scale: the input scale s (standard deviation of z).
        n, seed: batch size and seed of the fixed Gaussian batch g.
        threshold: f'(z) counts as "nearly zero" below threshold * (largest possible f').

    Returns:
        dict with "scale" and, for each name in ("sigmoid", "tanh", "relu"), a dict:
        "out" (N_BINS,) and "grad" (N_BINS,), the share of the batch in each bin of
        ``OUT_EDGES[name]`` and ``GRAD_EDGES[name]``; "out_above", the share of
        outputs above the last edge (ReLU only; not in the bars); "small_grad",
        the share with f'(z) < threshold * GRAD_MAX[name]; "mean_grad", mean f'(z).
    """
    z = scale * _gaussian_batch(n, seed)
    data = {"scale": float(scale)}
    for name in SAT_NAMES:
        f = activations.get(name)
        out, dout = f(z), f.grad(z)
        out_hist, above = _fractions(out, OUT_EDGES[name])
        grad_hist, _ = _fractions(dout, GRAD_EDGES[name])
        data[name] = {"out": out_hist, "grad": grad_hist, "out_above": above,
                      "small_grad": float(np.mean(dout < threshold * GRAD_MAX[name])),
                      "mean_grad": float(np.mean(dout))}
    return data


def saturation_draw(fig, data):
    axes = fig.subplots(2, 3)
    fig.subplots_adjust(left=0.09, right=0.98, top=0.86, bottom=0.11, hspace=0.62, wspace=0.28)
    handles = {"out": {}, "grad": {}, "out_text": {}, "grad_text": {}}
    animated = []
    for col, name in enumerate(SAT_NAMES):
        top, bottom = axes[0, col], axes[1, col]
        handles["out"][name] = top.stairs(data[name]["out"], OUT_EDGES[name], fill=True,
                                          color="C0", alpha=0.85)
        handles["grad"][name] = bottom.stairs(data[name]["grad"], GRAD_EDGES[name], fill=True,
                                              color="C3", alpha=0.85)
        top.set_title(LABELS[name], fontsize=11, fontweight="bold")
        top.set_xlabel("output f(z)", fontsize=9, labelpad=1)
        bottom.set_xlabel("derivative f'(z)", fontsize=9, labelpad=1)
        for ax, edges in ((top, OUT_EDGES[name]), (bottom, GRAD_EDGES[name])):
            ax.set(xlim=(edges[0], edges[-1]), ylim=(0, 1.0))
            ax.tick_params(labelsize=8)
            ax.grid(axis="y", alpha=0.25)
        handles["out_text"][name] = top.text(0.97, 0.93, "", transform=top.transAxes,
                                             ha="right", va="top", fontsize=8)
        handles["grad_text"][name] = bottom.text(0.5, 0.93, "", transform=bottom.transAxes,
                                                 ha="center", va="top", fontsize=8)
        animated += [handles["out"][name], handles["grad"][name],
                     handles["out_text"][name], handles["grad_text"][name]]
    axes[0, 0].set_ylabel("share of batch", fontsize=9)
    axes[1, 0].set_ylabel("share of batch", fontsize=9)
    # Static title (the slider shows s): every animated text costs a few ms per redraw.
    fig.suptitle("inputs z = s·g, g ~ N(0, 1): outputs (top) and derivatives (bottom)",
                 fontsize=11)
    for artist in animated:
        artist.set_animated(True)
    saturation_update(handles, data)
    return handles


def saturation_update(h, data):
    for name in SAT_NAMES:
        d = data[name]
        h["out"][name].set_data(d["out"])
        h["grad"][name].set_data(d["grad"])
        h["out_text"][name].set_text(f"{d['out_above']:.0%} above 5 (off scale)"
                                     if name == "relu" and d["out_above"] > 0 else "")
        h["grad_text"][name].set_text(f"f' < 5% of max: {d['small_grad']:.0%}\n"
                                      f"mean f' = {d['mean_grad']:.3f}")


def saturation_explorer(scale=1.0):
    """An input-scale slider (log scale, 0.1 to 10) over a fixed Gaussian batch."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    slider = W.FloatLogSlider(value=scale, base=10, min=-1, max=1, step=0.01,
                              description="scale s", readout_format=".2f",
                              style={"description_width": "4.5em"})
    return SliderPlot({"scale": slider}, saturation_compute, saturation_draw, saturation_update,
                      figsize=(7.2, 4.4), layout="stacked")


# -- 3. dying ReLU ---------------------------------------------------------------

BIAS_GRID = np.linspace(-3, 1, 401)


@functools.lru_cache(maxsize=4)
def _digits_preactivations(n_units, seed):
    """Z = X @ W (1797, n_units) for the scaled digits and He-normal W (64, n_units)."""
    from nnlib import init
    from nnlib.data import load_digits

    X, _ = load_digits(scale=True)
    W = init.he_normal((X.shape[1], n_units), np.random.default_rng(seed))
    Z = X @ W
    Z.setflags(write=False)
    return Z


def dying_compute(bias, n_units=64, seed=0):
    """Firing of a layer of ReLU units a = relu(X @ W + b) over the 1,797 digits.

    X (N, 64) is ``load_digits(scale=True)``; W (64, n_units) is
    ``nnlib.init.he_normal((64, n_units), np.random.default_rng(seed))``; every
    unit gets the same bias ``bias``. A unit *fires* on an image when its
    pre-activation is > 0; a unit that fires on no image is *dead*: its
    gradient is 0 for every input, so gradient descent never revives it.

    Returns:
        dict with "bias", "firing" (n_units,) the share of images each unit fires on,
        "dead" (n_units,) bool, "dead_fraction" (float), "mean_firing" (float),
        and the curves over ``BIAS_GRID`` (B,): "grid", "dead_curve", "firing_curve".
    """
    Z = _digits_preactivations(int(n_units), int(seed))
    active = Z + bias > 0
    firing = active.mean(axis=0)
    dead = ~active.any(axis=0)
    # A unit is dead at bias b exactly when b <= -max over images of its z.
    zmax = Z.max(axis=0)
    dead_curve = np.mean(zmax[None, :] + BIAS_GRID[:, None] <= 0, axis=1)
    zs = np.sort(Z, axis=None)
    firing_curve = 1 - np.searchsorted(zs, -BIAS_GRID, side="right") / zs.size
    return {"bias": float(bias), "firing": firing, "dead": dead,
            "dead_fraction": float(dead.mean()), "mean_firing": float(active.mean()),
            "grid": BIAS_GRID, "dead_curve": dead_curve, "firing_curve": firing_curve}


def _grid_shape(n):
    rows = int(math.sqrt(n))
    while n % rows:
        rows -= 1
    return rows, n // rows


def dying_draw(fig, data):
    import matplotlib

    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.35]})
    fig.subplots_adjust(left=0.03, right=0.97, top=0.83, bottom=0.14, wspace=0.32)
    cmap = matplotlib.colormaps["viridis"].with_extremes(under="#d62728")
    shape = _grid_shape(data["firing"].size)
    image = left.imshow(data["firing"].reshape(shape), cmap=cmap, vmin=1e-9, vmax=1,
                        interpolation="nearest")
    left.set_xticks([])
    left.set_yticks([])
    left.set_xlabel(f"firing rate of each of the {data['firing'].size} units\n(red: never fires)",
                    fontsize=9)
    bar = fig.colorbar(image, ax=left, fraction=0.046, pad=0.03)
    bar.ax.tick_params(labelsize=8)
    right.plot(data["grid"], data["dead_curve"], color="#d62728", lw=2, label="dead units")
    right.plot(data["grid"], data["firing_curve"], color="C0", lw=2, label="mean firing rate")
    marker_dead, = right.plot([], [], "o", color="#d62728", ms=7)
    marker_fire, = right.plot([], [], "o", color="C0", ms=7)
    vline = right.axvline(data["bias"], color="0.3", ls=":", lw=1.2)
    right.set(xlim=(data["grid"][0], data["grid"][-1]), ylim=(-0.03, 1.03), xlabel="bias b",
              ylabel="share")
    right.grid(alpha=0.25)
    right.legend(loc="center left", fontsize=8, frameon=False)
    title = fig.suptitle(" ", fontsize=11)
    for artist in (image, marker_dead, marker_fire, vline, title):
        artist.set_animated(True)
    handles = {"image": image, "shape": shape, "dead": marker_dead, "fire": marker_fire,
               "vline": vline, "title": title}
    dying_update(handles, data)
    return handles


def dying_update(h, data):
    h["image"].set_data(data["firing"].reshape(h["shape"]))
    b = data["bias"]
    h["dead"].set_data([b], [data["dead_fraction"]])
    h["fire"].set_data([b], [data["mean_firing"]])
    h["vline"].set_xdata([b, b])
    n, n_dead = data["firing"].size, int(data["dead"].sum())
    h["title"].set_text(f"b = {b:+.2f}:  {n_dead} of {n} ReLU units never fire on any digit "
                        f"({data['dead_fraction']:.0%});\nthe layer fires {data['mean_firing']:.0%}"
                        " of the time")


def dying_explorer(bias=0.0, n_units=64, seed=0):
    """A bias slider over a layer of n_units He-initialised ReLU units on the digits."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    slider = W.FloatSlider(value=bias, min=float(BIAS_GRID[0]), max=float(BIAS_GRID[-1]),
                           step=0.05, description="bias b", readout_format="+.2f",
                           style={"description_width": "4em"})

    def compute(bias):
        return dying_compute(bias, n_units=n_units, seed=seed)

    return SliderPlot({"bias": slider}, compute, dying_draw, dying_update,
                      figsize=(7.2, 3.6), layout="stacked")


# -- 4. softmax temperature ----------------------------------------------------------

CLASSES = ("cat", "dog", "fox", "owl", "eel")
LOGITS = np.array([2.0, 1.0, 0.5, -0.5, -1.5])


def softmax_compute(temperature, logits=LOGITS):
    """p = softmax(z / T) of logits z (K,) at temperature T > 0, and its entropy.

    Returns:
        dict with "logits" (K,), "temperature", "p" (K,), "p1" (K,) = softmax(z)
        (T = 1, for reference), "entropy" H = -sum p ln p in nats (computed with
        log_softmax, so it stays finite when some p underflow), "max_entropy" ln K
        (the uniform distribution's).
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    z = np.asarray(logits, dtype=float)
    p = softmax(z / temperature)
    entropy = float(-np.sum(p * log_softmax(z / temperature)))
    return {"logits": z, "temperature": float(temperature), "p": p, "p1": softmax(z),
            "entropy": max(entropy, 0.0), "max_entropy": math.log(z.size)}


def softmax_draw(fig, data):
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
    fig.subplots_adjust(left=0.08, right=0.98, top=0.84, bottom=0.12, wspace=0.28)
    k = np.arange(data["logits"].size)
    names = list(CLASSES[:k.size]) if k.size <= len(CLASSES) else [str(i) for i in k]
    left.bar(k, data["logits"], color="0.55")
    left.axhline(0, color="0.3", lw=0.8)
    left.set_xticks(k, names, fontsize=9)
    left.set_title("logits z (fixed)", fontsize=10)
    for i, v in enumerate(data["logits"]):
        left.text(i, v + (0.08 if v >= 0 else -0.08), f"{v:g}", ha="center",
                  va="bottom" if v >= 0 else "top", fontsize=8)
    lo, hi = data["logits"].min(), data["logits"].max()
    left.set_ylim(min(lo, 0) - 0.5, max(hi, 0) + 0.5)
    bars = right.bar(k, data["p"], color="C2", alpha=0.85, label="p = softmax(z / T)")
    # The T = 1 outline is animated too, so that it is drawn over the moving bars.
    outline = right.bar(k, data["p1"], fill=False, edgecolor="0.4", ls="--", lw=1, label="T = 1",
                        zorder=3)
    right.axhline(1 / k.size, color="C1", lw=1, ls=":", label=f"uniform 1/{k.size}")
    right.set_xticks(k, names, fontsize=9)
    right.set(ylim=(0, 1.12))
    right.legend(loc="upper right", fontsize=8, frameon=False)
    labels = [right.text(i, 0, "", ha="center", va="bottom", fontsize=8, zorder=4,
                         bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
              for i in k]
    title = right.set_title(" ", fontsize=10)
    for artist in (*bars, *outline, *labels, title):
        artist.set_animated(True)
    handles = {"bars": list(bars), "labels": labels, "title": title}
    softmax_update(handles, data)
    return handles


def softmax_update(h, data):
    for rect, label, p in zip(h["bars"], h["labels"], data["p"]):
        rect.set_height(p)
        label.set_position((rect.get_x() + rect.get_width() / 2, p + 0.01))
        label.set_text(f"{p:.2f}")
    h["title"].set_text(f"T = {data['temperature']:.2f}:   entropy H = {data['entropy']:.2f} nats"
                        f"  (max {data['max_entropy']:.2f})")


def softmax_explorer(temperature=1.0, logits=LOGITS):
    """A temperature slider (log scale, 0.05 to 20) over fixed logits."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    slider = W.FloatLogSlider(value=temperature, base=10, min=math.log10(0.05),
                              max=math.log10(20), step=0.01, description="T",
                              readout_format=".2f", style={"description_width": "2em"})

    def compute(temperature):
        return softmax_compute(temperature, logits=logits)

    return SliderPlot({"temperature": slider}, compute, softmax_draw, softmax_update,
                      figsize=(7.0, 3.4), layout="stacked")
