"""Chapter 02 explorer: every activation function with its derivative, the saturated region shaded.

    gallery_explorer(name="sigmoid", alpha=None)

``*_compute(...)`` is a pure function returning a dict of arrays (tests and
learners call it), ``*_draw(fig, data)`` builds the figure once,
``*_update(handles, data)`` changes the artists in place, and ``*_explorer(...)``
returns the ``SliderPlot`` (see ``nnlib.widgets``). Everything random is seeded.
"""

import functools
import math

import numpy as np

from nnlib import activations

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
