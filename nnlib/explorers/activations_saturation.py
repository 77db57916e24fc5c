"""Chapter 02 explorer: a Gaussian batch of inputs, scaled, through sigmoid, tanh and ReLU.

    saturation_explorer(scale=1.0)

How many outputs saturate and how small the gradients get as the scale grows.

``*_compute(...)`` is a pure function returning a dict of arrays (tests and
learners call it), ``*_draw(fig, data)`` builds the figure once,
``*_update(handles, data)`` changes the artists in place, and ``*_explorer(...)``
returns the ``SliderPlot`` (see ``nnlib.widgets``). Everything random is seeded.
"""

import functools

import numpy as np

from nnlib import activations
from nnlib.explorers.activations_gallery import LABELS, SATURATION_THRESHOLD

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
