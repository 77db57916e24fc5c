"""Chapter 02 explorer: dying ReLU, a layer of 64 ReLU units on the real digits with a shared bias.

    dying_explorer(bias=0.0, n_units=64, seed=0)

``*_compute(...)`` is a pure function returning a dict of arrays (tests and
learners call it), ``*_draw(fig, data)`` builds the figure once,
``*_update(handles, data)`` changes the artists in place, and ``*_explorer(...)``
returns the ``SliderPlot`` (see ``nnlib.widgets``). Everything random is seeded.
"""

import functools
import math

import numpy as np

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
