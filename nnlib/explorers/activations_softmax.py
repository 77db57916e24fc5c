"""Chapter 02 explorer: softmax(z / T) of fixed logits z at temperature T, and its entropy.

    softmax_explorer(temperature=1.0, logits=LOGITS)

``*_compute(...)`` is a pure function returning a dict of arrays (tests and
learners call it), ``*_draw(fig, data)`` builds the figure once,
``*_update(handles, data)`` changes the artists in place, and ``*_explorer(...)``
returns the ``SliderPlot`` (see ``nnlib.widgets``). Everything random is seeded.
"""

import math

import numpy as np

from nnlib.activations import log_softmax, softmax

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
