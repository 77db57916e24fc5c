"""Chapter 01 explorer: the sigmoid neuron, its weights, bias and probability.

    sigmoid_explorer(w1=1.0, w2=1.0, b=0.0)

``sigmoid_compute`` (pure numpy, tested) + ``sigmoid_draw`` / ``sigmoid_update``
(matplotlib, blitted) + the factory; ``sigmoid_data`` is the explorer's data.
"""

import numpy as np

from nnlib.activations import sigmoid
from nnlib.data import blobs
from nnlib.explorers.neurons_common import CLASS_COLORS, grid_points, line_in_box

SIG_LIM = (-3.0, 3.0)
SIG_GRID = 90
_SIG_POINTS = grid_points(SIG_LIM, SIG_LIM, SIG_GRID)
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
