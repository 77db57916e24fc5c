"""Chapter 00 explorer: one sigmoid neuron, a = sigmoid(w x + b)."""

import numpy as np

from nnlib.activations import sigmoid

X_RANGE = (-6.0, 6.0)


def compute(w, b, x):
    """The neuron's response curve and its output for one input.

    Args:
        w, b: weight and bias (floats). x: the input shown as a point (float).

    Returns:
        dict with "xs" (K,) inputs, "a" (K,) outputs sigmoid(w xs + b), the point
        "x", "z" = w x + b, "y" = sigmoid(z), and "x_half", the input where a = 0.5
        (x = -b / w; None when w = 0).
    """
    xs = np.linspace(*X_RANGE, 241)
    z = w * x + b
    return {"xs": xs, "a": sigmoid(w * xs + b), "x": x, "z": z, "y": float(sigmoid(z)),
            "x_half": (-b / w) if w != 0 else None}


def draw(fig, data):
    ax, bars = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 1.2]})
    (curve,) = ax.plot(data["xs"], data["a"], lw=2.5, color="C0", label=r"$a = \sigma(wx + b)$")
    (point,) = ax.plot([data["x"]], [data["y"]], "o", ms=9, color="C3", label="your input")
    half = ax.axvline(0, color="0.5", ls=":", lw=1.2, label="a = 0.5")
    ax.axhline(0.5, color="0.85", lw=0.8, zorder=0)
    ax.set(xlim=X_RANGE, ylim=(-0.05, 1.05), xlabel="input x", ylabel="output a")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    rects = bars.bar(["z", "a"], [data["z"], data["y"]], color=["C1", "C0"])
    bars.axhline(0, color="0.6", lw=0.8)
    bars.set(ylim=(-8, 8), title="for your x")
    labels = [bars.text(i, 0, "", ha="center", va="bottom", fontsize=9) for i in range(2)]
    fig.tight_layout()
    ax.set_title(" ")  # reserve room; the text changes, so it is animated
    for artist in [curve, point, half, ax.title, *rects, *labels]:
        artist.set_animated(True)
    handles = {"curve": curve, "point": point, "half": half, "rects": rects,
               "labels": labels, "ax": ax}
    update(handles, data)
    return handles


def update(h, data):
    h["curve"].set_ydata(data["a"])
    h["point"].set_data([data["x"]], [data["y"]])
    xh = data["x_half"]
    visible = xh is not None and X_RANGE[0] <= xh <= X_RANGE[1]
    h["half"].set_visible(visible)
    if visible:
        h["half"].set_xdata([xh, xh])
    for rect, label, value in zip(h["rects"], h["labels"], (data["z"], data["y"])):
        rect.set_height(value)
        label.set_position((rect.get_x() + rect.get_width() / 2, max(value, 0) + 0.2))
        label.set_text(f"{value:.2f}")
    # title.set_text, not ax.set_title: set_title also restyles the title, which
    # marks the figure stale and forces a full (slow) redraw.
    h["ax"].title.set_text(f"a = σ({data['z']:.2f}) = {data['y']:.3f}")


def neuron_explorer(w=1.0, b=0.0, x=1.0):
    """A SliderPlot with sliders for w, b and x."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "2em"}
    controls = {
        "w": W.FloatSlider(value=w, min=-5, max=5, step=0.1, description="w", style=style),
        "b": W.FloatSlider(value=b, min=-5, max=5, step=0.1, description="b", style=style),
        "x": W.FloatSlider(value=x, min=-6, max=6, step=0.1, description="x", style=style),
    }
    return SliderPlot(controls, compute, draw, update, figsize=(6.4, 3.2))
