"""Chapter 03 explorer: the 3-4-1 house-price network, one operation at a time.

    stepper_explorer(step=0, n_houses=4, seed=0)

The forward pass, then the backward pass, on a drawn computational graph, with
the formula, the shapes and a table of the value each step computes.
``forward_backward_trace`` / ``stepper_compute`` (pure numpy, tested) +
``stepper_draw`` / ``stepper_update`` (matplotlib, changing artists animated)
+ the factory. Everything random is seeded.
"""

import textwrap

import numpy as np

from nnlib import data as datasets
from nnlib.activations import sigmoid
from nnlib.widgets import cached_text


HOUSE_INPUTS = ("bedrooms", "age", "distance_to_sea_km")  # the 3 of data.HOUSE_FEATURES used


def house_data(n=200, seed=0):
    """The chapter's running example: n houses, 3 features, price, all standardised.

    X holds bedrooms, age and distance_to_sea_km from ``data.house_prices(n,
    default_rng(seed))`` (the pool column is left out), each scaled to mean 0 and
    standard deviation 1; y is the price scaled the same way.

    Returns:
        X (N, 3), y (N, 1), and a dict "mu", "sigma" (3,), "price_mu",
        "price_sigma" to map back to the original units (thousands).
    """
    X_raw, price = datasets.house_prices(n, np.random.default_rng(seed))
    X_raw = X_raw[:, :3]
    mu, sigma = X_raw.mean(axis=0), X_raw.std(axis=0)
    stats = {"mu": mu, "sigma": sigma, "price_mu": price.mean(), "price_sigma": price.std()}
    X = (X_raw - mu) / sigma
    y = ((price - stats["price_mu"]) / stats["price_sigma"]).reshape(-1, 1)
    return X, y, stats


def example_params(seed=0, n_in=3, n_hidden=4, n_out=1):
    """Small random weights for the 3-4-1 network: {"W1" (3, 4), "b1" (4,), "W2" (4, 1), "b2" (1,)}."""
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(0, 0.8, (n_in, n_hidden)), "b1": rng.normal(0, 0.2, n_hidden),
            "W2": rng.normal(0, 0.8, (n_hidden, n_out)), "b2": rng.normal(0, 0.2, n_out)}


def forward_backward_trace(X, y, params):
    """Every operation of one forward and one backward pass of the 2-layer network

        Z1 = X W1 + b1,  A1 = sigmoid(Z1),  y_hat = A1 W2 + b2,  L = mean((y_hat - y)^2)

    in the order they run.

    Args:
        X: (N, D). y: (N, 1). params: {"W1" (D, H), "b1" (H,), "W2" (H, 1), "b2" (1,)}.

    Returns:
        list of steps, each a dict: "phase" ("forward"/"backward"), "name" (e.g.
        "dZ1"), "value" (the array computed), "formula" (mathtext), "shapes"
        (text), "note", "node" (the graph node it belongs to), "op" (the graph
        operation it passes through, or None) and "reads" (nodes it reads).
        The gradients agree with ``Sequential([Dense, Activation("sigmoid"),
        Dense])`` and with PyTorch's autograd (tests/test_explorers_backprop.py).
    """
    W1, b1, W2, b2 = (np.asarray(params[k], float) for k in ("W1", "b1", "W2", "b2"))
    n = len(X)
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    y_hat = A1 @ W2 + b2
    L = np.mean((y_hat - y) ** 2)
    dy_hat = 2 * (y_hat - y) / y_hat.size
    dW2 = A1.T @ dy_hat
    db2 = dy_hat.sum(axis=0)
    dA1 = dy_hat @ W2.T
    dZ1 = dA1 * A1 * (1 - A1)
    dW1 = X.T @ dZ1
    db1 = dZ1.sum(axis=0)
    s = _shape

    def step(phase, name, value, formula, shapes, note, node, op=None, reads=()):
        return {"phase": phase, "name": name, "value": np.asarray(value), "formula": formula,
                "shapes": shapes, "note": note, "node": node, "op": op, "reads": tuple(reads)}

    fw, bw = "forward", "backward"
    return [
        step(fw, "X", X, r"$X$", f"X {s(X)}",
             f"The input: a batch of N = {n} houses, one per row, with 3 standardised "
             "features (bedrooms, age, distance to the sea).", "X"),
        step(fw, "Z1", Z1, r"$Z_1 = X\,W_1 + b_1$", f"{s(X)} @ {s(W1)} + {s(b1)} → {s(Z1)}",
             "Each row of Z₁ holds the 4 hidden pre-activations of one house; b₁ is added "
             "to every row (broadcasting). Cache X: dW₁ will need it.", "Z1", "dense1",
             ("X", "W1", "b1")),
        step(fw, "A1", A1, r"$A_1 = \sigma(Z_1)$", f"sigmoid elementwise: {s(Z1)} → {s(A1)}",
             "Cache A₁: the sigmoid's derivative is A₁\u00a0⊙\u00a0(1\u00a0−\u00a0A₁), and dW₂ needs A₁ too.",
             "A1", "sigma", ("Z1",)),
        step(fw, "y_hat", y_hat, r"$\hat y = A_1 W_2 + b_2$",
             f"{s(A1)} @ {s(W2)} + {s(b2)} → {s(y_hat)}",
             "One predicted (standardised) price per house. Cache W₂: dA₁ will need it.",
             "yhat", "dense2", ("A1", "W2", "b2")),
        step(fw, "L", L, r"$L = \frac{1}{N}\sum_i (\hat y_i - y_i)^2$",
             f"{s(y_hat)} and {s(y)} → scalar",
             "The mean squared error over the batch: one number. The forward pass is done; "
             "the backward pass starts from dL/dL = 1.", "L", "mse", ("yhat", "y")),
        step(bw, "dy_hat", dy_hat, r"$d\hat y = \frac{2}{N}(\hat y - y)$", f"→ {s(dy_hat)}",
             "The loss gradient: how L changes with each prediction. It has the shape of "
             "ŷ: every gradient has the shape of its variable.", "yhat", "mse",
             ("yhat", "y")),
        step(bw, "dW2", dW2, r"$dW_2 = A_1^{T}\, d\hat y$", f"{s(A1.T)} @ {s(dy_hat)} → {s(dW2)}",
             "Sums over the batch inside the matrix product: each house adds its "
             "contribution.", "W2", "dense2", ("A1", "yhat")),
        step(bw, "db2", db2, r"$db_2 = \sum_{rows}\, d\hat y$", f"sum over N of {s(dy_hat)} → {s(db2)}",
             "b₂ was added to every row, so its gradient is the sum over the rows.",
             "b2", "dense2", ("yhat",)),
        step(bw, "dA1", dA1, r"$dA_1 = d\hat y\, W_2^{T}$", f"{s(dy_hat)} @ {s(W2.T)} → {s(dA1)}",
             "The gradient flows back to the hidden layer through the transpose of W₂.",
             "A1", "dense2", ("yhat", "W2")),
        step(bw, "dZ1", dZ1, r"$dZ_1 = dA_1 \odot A_1 \odot (1 - A_1)$",
             f"{s(dA1)} * {s(A1)} * {s(A1)} → {s(dZ1)}",
             "Through the sigmoid: multiply elementwise by its derivative "
             "σ′(Z₁)\u00a0=\u00a0A₁\u00a0⊙\u00a0(1\u00a0−\u00a0A₁), read from the cache.", "Z1", "sigma", ("A1",)),
        step(bw, "dW1", dW1, r"$dW_1 = X^{T}\, dZ_1$", f"{s(X.T)} @ {s(dZ1)} → {s(dW1)}",
             "The same rule as for dW₂, one layer down. X was cached in the forward pass.",
             "W1", "dense1", ("X", "Z1")),
        step(bw, "db1", db1, r"$db_1 = \sum_{rows}\, dZ_1$", f"sum over N of {s(dZ1)} → {s(db1)}",
             "Done: every parameter has its gradient. (dX = dZ₁ W₁ᵀ is not needed: X is "
             "data, not a parameter.)", "b1", "dense1", ("Z1",)),
    ]


def _shape(a):
    a = np.asarray(a)
    return "scalar" if a.ndim == 0 else "(" + ", ".join(map(str, a.shape)) + ("," if a.ndim == 1 else "") + ")"


def stepper_graph(n=4, d=3, h=4):
    """Nodes and edges of the 3-4-1 network's computational graph (for nnlib.graph)."""
    nodes = {
        "X": (0.75, 1.35, f"X\n({n}, {d})", "data"),
        "W1": (1.55, 2.95, f"W₁\n({d}, {h})", "param"),
        "b1": (2.7, 2.95, f"b₁\n({h},)", "param"),
        "dense1": (2.15, 1.35, "@ +", "op"),
        "Z1": (3.45, 1.35, f"Z₁\n({n}, {h})", "var"),
        "sigma": (4.65, 1.35, "σ", "op"),
        "A1": (5.85, 1.35, f"A₁\n({n}, {h})", "var"),
        "W2": (6.65, 2.95, f"W₂\n({h}, 1)", "param"),
        "b2": (7.8, 2.95, "b₂\n(1,)", "param"),
        "dense2": (7.25, 1.35, "@ +", "op"),
        "yhat": (8.55, 1.35, f"ŷ\n({n}, 1)", "var"),
        "y": (9.75, 2.95, f"y\n({n}, 1)", "data"),
        "mse": (9.75, 1.35, "MSE", "op"),
        "L": (10.95, 1.35, "L\nscalar", "var"),
    }
    edges = [("X", "dense1"), ("W1", "dense1"), ("b1", "dense1"), ("dense1", "Z1"),
             ("Z1", "sigma"), ("sigma", "A1"), ("A1", "dense2"), ("W2", "dense2"),
             ("b2", "dense2"), ("dense2", "yhat"), ("yhat", "mse"), ("y", "mse"), ("mse", "L")]
    return nodes, edges


GRAD_LABELS = {"yhat": "dŷ", "W2": "dW₂", "b2": "db₂", "A1": "dA₁", "Z1": "dZ₁", "W1": "dW₁",
               "b1": "db₁", "L": "dL/dL = 1"}
GRAD_STEP = {"dy_hat": "yhat", "dW2": "W2", "db2": "b2", "dA1": "A1", "dZ1": "Z1", "dW1": "W1",
             "db1": "b1"}
MAX_CELLS = 4  # the value table shows up to 4 x 4 entries


def stepper_compute(step, trace):
    """The step'th entry of ``trace`` plus where it is: {"step", "index", "count", "done" ...}."""
    step = int(np.clip(step, 0, len(trace) - 1))
    phase = trace[step]["phase"]
    same = [i for i, t in enumerate(trace) if t["phase"] == phase]
    grads_done = {GRAD_STEP[t["name"]] for t in trace[:step + 1] if t["name"] in GRAD_STEP}
    if phase == "backward":
        grads_done.add("L")
    return {**trace[step], "step": step, "index": same.index(step) + 1, "count": len(same),
            "grads_done": grads_done, "n_steps": len(trace)}


def stepper_draw(fig, data):
    from nnlib.graph import draw_graph, highlight_ring

    nodes, edges = data["graph"]
    ax = fig.add_axes([0.005, 0.42, 0.99, 0.57])
    ax.set(xlim=(0.1, 11.6), ylim=(0.25, 3.45), aspect="equal")
    ax.axis("off")
    draw_graph(ax, nodes, edges, fontsize=9)
    h = {"rings": {}, "reads": {}, "grads": {}}
    for key in nodes:
        h["rings"][key] = highlight_ring(ax, nodes, key, color="C1", lw=3)
        h["reads"][key] = highlight_ring(ax, nodes, key, color="C0", lw=1.8, ls="--", pad=0.085)
    for key, label in GRAD_LABELS.items():
        x, y, _, _ = nodes[key]
        # under a main-chain node; beside a parameter (W left, b right), clear of the arrows
        where = {"W1": (x - 0.6, y, "right"), "W2": (x - 0.6, y, "right"),
                 "b1": (x + 0.6, y, "left"), "b2": (x + 0.6, y, "left")}.get(key, (x, y - 0.64, "center"))
        h["grads"][key] = cached_text(ax.text(where[0], where[1], label, ha=where[2], va="center",
                                          fontsize=9.5, color="C3", fontweight="bold"))
    h["flow"] = ax.annotate("", xy=(10.9, 0.45), xytext=(1.0, 0.45),
                            arrowprops={"arrowstyle": "-|>", "lw": 2, "color": "C0"})
    h["flow_text"] = cached_text(ax.text(5.9, 0.45, "", ha="center", va="center", fontsize=9, color="C0",
                                     bbox={"facecolor": "white", "edgecolor": "none", "pad": 1}))
    # the text panel (left) and the value table (right)
    h["phase"] = cached_text(fig.text(0.02, 0.37, "", fontsize=11, fontweight="bold", va="top"))
    h["formula"] = cached_text(fig.text(0.02, 0.29, "", fontsize=16, va="top"))
    h["shapes"] = cached_text(fig.text(0.02, 0.175, "", fontsize=9.5, va="top", family="monospace"))
    h["note"] = cached_text(fig.text(0.02, 0.115, "", fontsize=9.5, va="top", color="0.25",
                                 linespacing=1.3))
    _table_draw(fig, h)
    animated = [*h["rings"].values(), *h["reads"].values(), *h["grads"].values(), h["flow"],
                h["flow_text"], h["phase"], h["formula"], h["shapes"], h["note"], *h["cells"],
                *h["rows"], h["header"], h["tab_title"]]
    for artist in animated:
        artist.set_animated(True)
    stepper_update(h, data)
    return h


def stepper_update(h, data):
    import matplotlib as mpl

    forward = data["phase"] == "forward"
    color = "C0" if forward else "C3"
    for key, ring in h["rings"].items():
        ring.set_visible(key in (data["node"], data["op"]))
    for key, ring in h["reads"].items():
        ring.set_visible(key in data["reads"] and key != data["node"])
        ring.set_edgecolor(color)
    for key, text in h["grads"].items():
        text.set_visible(key in data["grads_done"])
    h["flow"].xy, h["flow"].xyann = ((10.9, 0.45), (1.0, 0.45)) if forward else ((1.0, 0.45), (10.9, 0.45))
    h["flow"].arrow_patch.set_color(color)
    h["flow_text"].set_text("forward pass: values flow left to right" if forward
                            else "backward pass: gradients flow right to left")
    h["flow_text"].set_color(color)
    h["phase"].set_text(f"{data['phase'].capitalize()} pass · step {data['index']} of {data['count']}")
    h["phase"].set_color(color)
    h["formula"].set_text(data["formula"])
    h["shapes"].set_text("shapes: " + data["shapes"])
    h["note"].set_text("\n".join(textwrap.wrap(data["note"], 78)))
    _table_update(h, data["name"], data["value"])


# The value table: one monospace text per row (fewer texts draw faster), with
# coloured cells placed on the character grid. Positions are in inches.
TABLE_FONT = 9
CELL = 9  # characters per cell (and for the row label)
ROW_H = 0.34
FEATURE_LABELS = ["bedrooms", "age", "distance"]
DISPLAY_NAMES = {"Z1": "Z₁", "A1": "A₁", "y_hat": "ŷ", "L": "L", "dy_hat": "dŷ", "dW2": "dW₂",
                 "db2": "db₂", "dA1": "dA₁", "dZ1": "dZ₁", "dW1": "dW₁", "db1": "db₁"}


def _table_draw(fig, h):
    from matplotlib.patches import Rectangle

    inch = fig.dpi_scale_trans
    width, _ = fig.get_size_inches()
    # the advance of one character as rendered (hinting rounds it to whole pixels)
    char = 0.6021 * TABLE_FONT / 72  # DejaVu Sans Mono's advance, unhinted
    if hasattr(fig.canvas, "get_renderer"):  # Agg: measure it
        probe = fig.text(0, 0, "0" * 60, fontsize=TABLE_FONT, family="monospace")
        char = probe.get_window_extent(fig.canvas.get_renderer()).width / 60 / fig.dpi
        probe.remove()
    h["tab_x0"] = x0 = width - 0.12 - char * CELL * (MAX_CELLS + 1)
    top = 1.55
    h["cells"] = []
    for r in range(MAX_CELLS):
        for c in range(MAX_CELLS):
            centre = x0 + char * (CELL * (c + 1) + 5)
            rect = Rectangle((centre - 4.2 * char, top - (r + 1) * ROW_H + 0.03), 8.4 * char,
                             ROW_H - 0.06, transform=inch, facecolor="white", edgecolor="0.6",
                             lw=0.6)
            fig.add_artist(rect)
            h["cells"].append(rect)
    h["rows"] = [cached_text(fig.text(x0, top - (r + 0.5) * ROW_H, "", transform=inch, ha="left",
                                  va="center", fontsize=TABLE_FONT, family="monospace"))
                 for r in range(MAX_CELLS)]
    h["header"] = cached_text(fig.text(x0, top + 0.12, "", transform=inch, ha="left", va="center",
                                   fontsize=TABLE_FONT, family="monospace", color="0.45"))
    h["tab_title"] = cached_text(fig.text(x0 + char * CELL, top + 0.42, "", transform=inch, fontsize=10,
                                      va="center"))


def _table_labels(name, rows, cols):
    """Row and column labels for the value table of array ``name``."""
    if name in ("X",):
        return [f"house {r + 1}" for r in range(rows)], FEATURE_LABELS
    if name in ("Z1", "A1", "dA1", "dZ1"):
        return [f"house {r + 1}" for r in range(rows)], [f"unit {c + 1}" for c in range(cols)]
    if name in ("y_hat", "dy_hat"):
        return [f"house {r + 1}" for r in range(rows)], ["output"]
    if name in ("W1", "dW1"):
        return FEATURE_LABELS, [f"unit {c + 1}" for c in range(cols)]
    if name in ("b1", "db1"):
        return [""], [f"unit {c + 1}" for c in range(cols)]
    if name in ("W2", "dW2"):
        return [f"unit {r + 1}" for r in range(rows)], ["output"]
    if name in ("b2", "db2"):
        return [""], ["output"]
    return [""] * rows, [""] * cols


def _cell_text(v):
    text = f"{v:+.3f}"
    return text if len(text) <= 6 else f"{v:+.1f}".rjust(6)[:6]


def _table_update(h, name, value):
    import matplotlib as mpl

    value = np.asarray(value)
    shape = _shape(value)
    value = value.reshape(1, -1) if value.ndim < 2 else value
    rows, cols = value.shape
    row_labels, col_labels = _table_labels(name, rows, cols)
    vmax = max(np.abs(value).max(), 1e-12)
    cmap = mpl.colormaps["RdBu_r"]
    for r in range(MAX_CELLS):
        for c in range(MAX_CELLS):
            rect = h["cells"][r * MAX_CELLS + c]
            inside = r < rows and c < cols
            rect.set_visible(inside)
            if inside:
                rgba = cmap(0.5 + 0.45 * value[r, c] / vmax)
                rect.set_facecolor((*rgba[:3], 0.55))
        text = ""
        if r < rows:
            text = row_labels[r].ljust(CELL) + "".join(
                "  " + _cell_text(v) + " " for v in value[r])
        h["rows"][r].set_text(text)
    h["header"].set_text(" " * CELL + "".join(label.center(CELL) for label in col_labels))
    what = "a scalar" if shape == "scalar" else f"shape {shape}"
    h["tab_title"].set_text(f"value of {DISPLAY_NAMES.get(name, name)},  {what}")


def stepper_explorer(step=0, n_houses=4, seed=0):
    """An IntSlider over the 12 operations of one forward and backward pass."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    X, y, _ = house_data()
    X, y = X[:n_houses], y[:n_houses]
    trace = forward_backward_trace(X, y, example_params(seed))
    graph = stepper_graph(n=n_houses)

    def compute(step):
        return {**stepper_compute(step, trace), "graph": graph}

    slider = W.IntSlider(value=step, min=0, max=len(trace) - 1, description="step",
                         style={"description_width": "3em"}, layout=W.Layout(width="520px"))
    return SliderPlot({"step": slider}, compute, stepper_draw, stepper_update,
                      figsize=(9.6, 5.4), layout="stacked")
