"""Chapter 03 explorers: losses, a forward/backward stepper, and a training playground.

Three explorers, each in the course's pattern (see ``nnlib.widgets``):

    loss_*        one loss for one sample: the loss and its gradient as the
                  prediction moves; beside it a line fitted under MSE, MAE and
                  Huber, with and without outliers
    stepper_*     the 3-4-1 house-price network, one operation at a time: the
                  forward pass, then the backward pass, on a drawn graph
    playground_*  a small classifier trained on a 2-D data set, in the spirit of
                  the TensorFlow Playground: decision boundary and loss curve

For each, the ``*_compute`` functions (or ``Playground.compute``) are plain
numpy that tests and learners call; ``*_draw(fig, data)`` builds the figure once
and ``*_update(handles, data)`` changes its artists in place; ``*_explorer(...)``
returns the ``SliderPlot``. Everything random is seeded.
"""

import functools
import textwrap
from collections import OrderedDict, deque

import numpy as np

from nnlib import data as datasets
from nnlib import losses
from nnlib.activations import sigmoid

# =============================================================================
# 1. Loss explorer
# =============================================================================

LOSS_NAMES = ["mse", "mae", "huber", "msle", "mape", "binary_cross_entropy", "bce_with_logits",
              "hinge", "squared_hinge", "categorical_cross_entropy",
              "sparse_categorical_cross_entropy", "softmax_cross_entropy", "categorical_hinge"]

# How one sample is shown: what the x-axis (the prediction slider) is, what the
# target slider is. target = (min, max, step, default).
KINDS = {
    "regression": {"x_range": (-0.5, 5.5), "x_label": r"prediction $\hat y$", "x_name": "ŷ",
                   "target": (1.0, 4.0, 0.1, 2.0), "target_label": "target y"},
    "probability": {"x_range": (0.02, 0.98), "x_label": r"predicted probability $p$", "x_name": "p",
                    "target": (0.0, 1.0, 0.05, 1.0), "target_label": "target y"},
    "logit": {"x_range": (-6.0, 6.0), "x_label": r"logit $z$  (probability $p = \sigma(z)$)", "x_name": "z",
              "target": (0.0, 1.0, 0.05, 1.0), "target_label": "target y"},
    "margin": {"x_range": (-3.0, 3.0), "x_label": r"score $s$", "x_name": "s",
               "target": (-1.0, 1.0, 2.0, 1.0), "target_label": "label y"},
    "class_prob": {"x_range": (0.02, 0.98),
                   "x_label": r"$p_0$, probability of class 0   ($p_1 = p_2 = (1 - p_0)/2$)",
                   "target": (0.0, 2.0, 1.0, 0.0), "target_label": "true class", "x_name": "p₀"},
    "class_logit": {"x_range": (-6.0, 6.0), "x_label": r"logit $z_0$ of class 0   ($z_1 = z_2 = 0$)",
                    "target": (0.0, 2.0, 1.0, 0.0), "target_label": "true class", "x_name": "z₀"},
    "class_score": {"x_range": (-3.0, 3.0), "x_label": r"score $s_0$ of class 0   ($s_1 = s_2 = 0$)",
                    "target": (0.0, 2.0, 1.0, 0.0), "target_label": "true class", "x_name": "s₀"},
}

LOSS_KIND = {
    "mse": "regression", "mae": "regression", "huber": "regression", "msle": "regression",
    "mape": "regression", "binary_cross_entropy": "probability", "bce_with_logits": "logit",
    "hinge": "margin", "squared_hinge": "margin", "categorical_cross_entropy": "class_prob",
    "sparse_categorical_cross_entropy": "class_prob", "softmax_cross_entropy": "class_logit",
    "categorical_hinge": "class_score",
}

# The loss of one sample, as matplotlib mathtext (the notebook has the full table).
LOSS_FORMULAS = {
    "mse": r"$(\hat y - y)^2$",
    "mae": r"$|\hat y - y|$",
    "huber": r"$\frac{1}{2}d^2$ if $|d| \leq 1$ else $|d| - \frac{1}{2}$,  $d = \hat y - y$",
    "msle": r"$(\ln(1 + \hat y) - \ln(1 + y))^2$",
    "mape": r"$100\,|y - \hat y|\,/\,|y|$",
    "binary_cross_entropy": r"$-[y \ln p + (1 - y) \ln(1 - p)]$",
    "bce_with_logits": r"$-[y \ln \sigma(z) + (1 - y) \ln(1 - \sigma(z))]$",
    "hinge": r"$\max(0,\ 1 - y s)$",
    "squared_hinge": r"$\max(0,\ 1 - y s)^2$",
    "categorical_cross_entropy": r"$-\ln p_y$   (one-hot target)",
    "sparse_categorical_cross_entropy": r"$-\ln p_y$   (integer label)",
    "softmax_cross_entropy": r"$-\ln \mathrm{softmax}(z)_y$",
    "categorical_hinge": r"$\max(0,\ 1 + \max_{c \neq y} s_c - s_y)$",
}

N_CURVE = 241


def one_sample(name, x, target):
    """The batch of one sample that the loss explorer shows for slider values x, target.

    Args:
        name: a loss name from ``LOSS_NAMES``.
        x: the value on the x-axis (a prediction, probability, logit or score).
        target: the target slider (a target value, a label, or the true class).

    Returns:
        (y_pred, y_true, direction): y_pred (1, K), y_true as the loss takes it
        ((1, K) or labels (1,)), and direction (K,) = d(y_pred)/dx, so that the
        slope of the plotted curve is the chain rule  dl/dx = grad . direction.
    """
    kind = LOSS_KIND[name]
    if kind in ("regression", "probability", "logit", "margin"):
        return np.array([[x]], float), np.array([[target]], float), np.array([1.0])
    cls = int(round(target))
    if kind == "class_prob":
        y_pred = np.array([[x, (1 - x) / 2, (1 - x) / 2]])
        direction = np.array([1.0, -0.5, -0.5])
    else:
        y_pred = np.array([[x, 0.0, 0.0]])
        direction = np.array([1.0, 0.0, 0.0])
    if name in ("sparse_categorical_cross_entropy", "softmax_cross_entropy"):
        return y_pred, np.array([cls]), direction
    return y_pred, np.eye(3)[[cls]], direction


def loss_and_slope(name, x, target):
    """(loss, dl/dx) of the one-sample batch at x, both from nnlib.losses."""
    loss = losses.get(name)
    y_pred, y_true, direction = one_sample(name, x, target)
    return loss(y_pred, y_true), float(loss.grad(y_pred, y_true)[0] @ direction)


@functools.lru_cache(maxsize=256)
def loss_curves(name, target):
    """The loss and its slope on the whole x-range. Returns (xs, loss, slope), each (K,)."""
    xs = np.linspace(*KINDS[LOSS_KIND[name]]["x_range"], N_CURVE)
    values = np.array([loss_and_slope(name, x, target) for x in xs])
    for arr in (xs, values):
        arr.flags.writeable = False  # cached: nobody may change it
    return xs, values[:, 0], values[:, 1]


@functools.lru_cache(maxsize=32)
def loss_limits(name):
    """Fixed y-limits (loss, slope) for a loss over its target range, so that moving
    the target slider never rescales the axes (a rescale forces a slow full redraw)."""
    lo, hi, _, _ = KINDS[LOSS_KIND[name]]["target"]
    targets = [lo, hi] if LOSS_KIND[name] == "margin" else [lo, (lo + hi) / 2, hi]
    curves = [loss_curves(name, float(t)) for t in targets]
    loss_hi = max(c[1].max() for c in curves)
    g_lo = min(0.0, min(c[2].min() for c in curves))
    g_hi = max(0.0, max(c[2].max() for c in curves))
    pad_l, pad_g = 0.06 * loss_hi, 0.08 * (g_hi - g_lo)
    return (-pad_l, loss_hi + pad_l), (g_lo - pad_g, g_hi + pad_g)


def loss_compute(name, target, prediction, outliers=False):
    """Everything the loss explorer shows.

    Args:
        name: a loss from ``LOSS_NAMES``.
        target: target value / label / true class (clipped to the loss's range).
        prediction: the x-value of the current point (clipped to the x-range).
        outliers: whether the line-fitting panel includes the outliers.

    Returns:
        dict with "name", "kind", "xs", "loss", "slope" (K,) curves, the current
        "x", "value" (its loss) and "dx" (its slope), "target", axis limits
        "ylim_loss"/"ylim_slope", and "fits" (see ``line_fits``).
    """
    kind = KINDS[LOSS_KIND[name]]
    t_lo, t_hi, _, _ = kind["target"]
    target = float(np.clip(target, t_lo, t_hi))
    if LOSS_KIND[name] == "margin":
        target = 1.0 if target >= 0 else -1.0
    elif LOSS_KIND[name].startswith("class"):
        target = float(round(target))
    x = float(np.clip(prediction, *kind["x_range"]))
    xs, values, slopes = loss_curves(name, target)
    value, dx = loss_and_slope(name, x, target)
    ylim_loss, ylim_slope = loss_limits(name)
    return {"name": name, "kind": LOSS_KIND[name], "xs": xs, "loss": values, "slope": slopes,
            "x": x, "value": value, "dx": dx, "target": target, "ylim_loss": ylim_loss,
            "ylim_slope": ylim_slope, "fits": line_fits(bool(outliers))}


@functools.lru_cache(maxsize=2)
def line_fits(outliers, n=30, seed=3):
    """Fit y = w x + b to noisy points under MSE, MAE and Huber (delta 1), exactly.

    Points: x uniform in [0, 10], y = 0.5 x + 1 + N(0, 0.4^2); with ``outliers``
    five more points far below the line (bad data entries). Each fit is the
    exact minimiser of its loss:
        MSE    least squares (the normal equations);
        MAE    the best line through two of the points (an L1 fit always passes
               through at least two points, so trying every pair finds it);
        Huber  iteratively reweighted least squares, weights min(1, delta / |r|).

    Returns:
        dict with "x", "y" (M,), "is_outlier" (M,) bool, "fits" {name: (w, b)},
        "grid" (G,) x-values for drawing the lines. Cached: one entry per toggle state.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, n)
    y = 0.5 * x + 1 + 0.4 * rng.standard_normal(n)
    is_out = np.zeros(n, bool)
    if outliers:
        xo = np.array([6.5, 7.4, 8.2, 9.0, 9.7])
        x, y = np.concatenate([x, xo]), np.concatenate([y, 0.5 * xo + 1 - 6 + 0.3 * rng.standard_normal(5)])
        is_out = np.concatenate([is_out, np.ones(5, bool)])
    A = np.column_stack([x, np.ones_like(x)])
    mse_fit = np.linalg.lstsq(A, y, rcond=None)[0]
    i, j = np.triu_indices(len(x), 1)
    ok = x[i] != x[j]
    i, j = i[ok], j[ok]
    w = (y[j] - y[i]) / (x[j] - x[i])
    b = y[i] - w * x[i]
    best = np.argmin(np.abs(y[None, :] - w[:, None] * x[None, :] - b[:, None]).sum(axis=1))
    mae_fit = np.array([w[best], b[best]])
    huber_fit = mse_fit
    for _ in range(500):
        r = np.abs(y - A @ huber_fit)
        weights = np.minimum(1.0, 1.0 / np.maximum(r, 1e-12))
        new = np.linalg.solve(A.T @ (weights[:, None] * A), A.T @ (weights * y))
        done = np.max(np.abs(new - huber_fit)) < 1e-13
        huber_fit = new
        if done:
            break
    fits = {"mse": tuple(mse_fit), "mae": tuple(mae_fit), "huber": tuple(huber_fit)}
    return {"x": x, "y": y, "is_outlier": is_out, "fits": fits, "grid": np.array([0.0, 10.0])}


FIT_COLORS = {"mse": "C0", "mae": "C1", "huber": "C2"}


def loss_draw(fig, data):
    gs = fig.add_gridspec(2, 2, width_ratios=[1.3, 1], hspace=0.12, wspace=0.2,
                          left=0.075, right=0.985, top=0.855, bottom=0.12)
    ax_l = fig.add_subplot(gs[0, 0])
    ax_g = fig.add_subplot(gs[1, 0], sharex=ax_l)
    ax_f = fig.add_subplot(gs[:, 1])
    h = {"ax_l": ax_l, "ax_g": ax_g, "ax_f": ax_f}
    (h["curve_l"],) = ax_l.plot([], [], color="C0", lw=2)
    (h["curve_g"],) = ax_g.plot([], [], color="C3", lw=1.8)
    (h["point_l"],) = ax_l.plot([], [], "o", color="C0", ms=8, mec="white", mew=1)
    (h["point_g"],) = ax_g.plot([], [], "o", color="C3", ms=8, mec="white", mew=1)
    h["tangent"] = ax_l.plot([], [], color="0.15", lw=1.3, ls=(0, (4, 2)), zorder=3)[0]
    h["target_l"] = ax_l.axvline(0, color="0.5", lw=1, ls=":")
    h["target_g"] = ax_g.axvline(0, color="0.5", lw=1, ls=":")
    ax_g.axhline(0, color="0.75", lw=0.8, zorder=0)
    ax_l.axhline(0, color="0.75", lw=0.8, zorder=0)
    ax_l.set_ylabel("loss $\\ell$")
    ax_l.tick_params(labelbottom=False)
    h["info"] = ax_l.text(0.0, 1.03, "", transform=ax_l.transAxes, ha="left", va="bottom",
                          fontsize=9.5, color="0.2")
    h["formula"] = fig.text(0.075, 0.975, "", ha="left", va="top", fontsize=11)
    # the line-fitting panel
    h["pts"] = ax_f.scatter([], [], s=22, color="0.3", edgecolor="white", lw=0.5, zorder=3)
    h["outs"] = ax_f.scatter([], [], s=40, marker="X", color="C3", zorder=3)
    h["fit_lines"] = {k: ax_f.plot([], [], color=c, lw=2)[0] for k, c in FIT_COLORS.items()}
    h["fit_labels"] = {k: ax_f.text(0.03, 0.97 - 0.07 * i, "", transform=ax_f.transAxes,
                                    color=FIT_COLORS[k], fontsize=9, va="top", fontweight="bold",
                                    family="monospace")
                       for i, k in enumerate(FIT_COLORS)}
    ax_f.set(xlim=(0, 10), ylim=(-3.5, 7.5), xlabel="x")
    ax_f.set_title("a line fitted by minimising MSE, MAE or Huber", fontsize=10)
    for key in ("curve_l", "curve_g", "point_l", "point_g", "tangent", "target_l", "target_g",
                "info", "pts", "outs"):
        h[key].set_animated(True)
    for artist in h["fit_lines"].values():  # (the labels change only with the toggle: static)
        artist.set_animated(True)
    h["shown"] = {}
    loss_update(h, data)
    return h


def loss_update(h, data):
    full = None
    name, kind = data["name"], KINDS[data["kind"]]
    if h["shown"].get("name") != name:  # static parts: labels and limits
        h["ax_l"].set_xlim(*kind["x_range"])
        h["ax_l"].set_ylim(*data["ylim_loss"])
        h["ax_g"].set_ylim(*data["ylim_slope"])
        h["ax_g"].set_xlabel(kind["x_label"])
        h["ax_g"].set_ylabel(f"slope dℓ/d{kind['x_name']}")
        h["formula"].set_text(f"{name}:  loss of one sample  " + LOSS_FORMULAS[name])
        h["shown"]["name"] = name
        full = "full"
    h["curve_l"].set_data(data["xs"], data["loss"])
    h["curve_g"].set_data(data["xs"], data["slope"])
    x, v, s = data["x"], data["value"], data["dx"]
    h["point_l"].set_data([x], [v])
    h["point_g"].set_data([x], [s])
    half = 0.12 * (kind["x_range"][1] - kind["x_range"][0])
    h["tangent"].set_data([x - half, x + half], [v - s * half, v + s * half])
    shows_target = data["kind"] in ("regression", "probability")
    for key in ("target_l", "target_g"):
        h[key].set_visible(shows_target)
        h[key].set_xdata([data["target"]] * 2)
    xn = kind["x_name"]
    h["info"].set_text(f"at {xn} = {x:.2f}:   loss ℓ = {v:.4g},   slope dℓ/d{xn} = {s:.4g}"
                       "   (dashed: the tangent)")
    fits = data["fits"]
    if h["shown"].get("fits") is not fits:
        inliers = ~fits["is_outlier"]
        h["pts"].set_offsets(np.column_stack([fits["x"][inliers], fits["y"][inliers]]))
        h["outs"].set_offsets(np.column_stack([fits["x"][~inliers], fits["y"][~inliers]])
                              if (~inliers).any() else np.empty((0, 2)))
        for key, (w, b) in fits["fits"].items():
            h["fit_lines"][key].set_data(fits["grid"], w * fits["grid"] + b)
            h["fit_labels"][key].set_text(f"{key.upper():5s} y = {w:.2f} x {'+' if b >= 0 else '-'} {abs(b):.2f}")
        h["shown"]["fits"] = fits
    for key, line in h["fit_lines"].items():
        line.set_linewidth(3.2 if key == name else 1.6)
        line.set_alpha(1.0 if key == name or name not in FIT_COLORS else 0.75)
    return full


def loss_explorer(name="mse", target=None, prediction=None, outliers=False):
    """Loss dropdown, target and prediction sliders, an outliers toggle."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "6em"}
    kind = KINDS[LOSS_KIND[name]]
    t_lo, t_hi, t_step, t_default = kind["target"]
    x_lo, x_hi = kind["x_range"]
    choose = W.Dropdown(options=LOSS_NAMES, value=name, description="loss", style=style,
                        layout=W.Layout(width="360px"))
    target_w = W.FloatSlider(value=t_default if target is None else target, min=t_lo, max=t_hi,
                             step=t_step, description=kind["target_label"], style=style)
    pred_w = W.FloatSlider(value=(x_lo + x_hi) / 2 + 0.25 * (x_hi - x_lo) if prediction is None
                           else prediction, min=x_lo, max=x_hi, step=0.01,
                           description="prediction x", style=style)
    outliers_w = W.Checkbox(value=outliers, description="outliers in the line fit",
                            style={"description_width": "0px"}, indent=False)

    def on_name(change):
        # A new loss brings its own ranges: widen first, then set values, then narrow.
        k = KINDS[LOSS_KIND[change["new"]]]
        lo, hi, step, default = k["target"]
        target_w.min, target_w.max = min(lo, target_w.min), max(hi, target_w.max)
        target_w.step, target_w.value = step, default
        target_w.min, target_w.max = lo, hi
        target_w.description = k["target_label"]
        a, b = k["x_range"]
        pred_w.min, pred_w.max = min(a, pred_w.min), max(b, pred_w.max)
        pred_w.value = (a + b) / 2 + 0.25 * (b - a)
        pred_w.min, pred_w.max = a, b

    choose.observe(on_name, names="value")
    controls = {"name": choose, "target": target_w, "prediction": pred_w, "outliers": outliers_w}
    plot = SliderPlot(controls, loss_compute, loss_draw, loss_update, figsize=(9.6, 4.3),
                      layout="stacked")
    target_w.continuous_update = False  # a new target recomputes the curves (~30 ms)
    return plot


# =============================================================================
# 2. Forward/backward stepper on the 3-4-1 house-price network
# =============================================================================

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
        h["grads"][key] = ax.text(where[0], where[1], label, ha=where[2], va="center",
                                  fontsize=9.5, color="C3", fontweight="bold")
    h["flow"] = ax.annotate("", xy=(10.9, 0.45), xytext=(1.0, 0.45),
                            arrowprops={"arrowstyle": "-|>", "lw": 2, "color": "C0"})
    h["flow_text"] = ax.text(5.9, 0.45, "", ha="center", va="center", fontsize=9, color="C0",
                             bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    # the text panel (left) and the value table (right)
    h["phase"] = fig.text(0.02, 0.37, "", fontsize=11, fontweight="bold", va="top")
    h["formula"] = fig.text(0.02, 0.29, "", fontsize=16, va="top")
    h["shapes"] = fig.text(0.02, 0.175, "", fontsize=9.5, va="top", family="monospace")
    h["note"] = fig.text(0.02, 0.115, "", fontsize=9.5, va="top", color="0.25", linespacing=1.3)
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
    h["rows"] = [fig.text(x0, top - (r + 0.5) * ROW_H, "", transform=inch, ha="left",
                          va="center", fontsize=TABLE_FONT, family="monospace")
                 for r in range(MAX_CELLS)]
    h["header"] = fig.text(x0, top + 0.12, "", transform=inch, ha="left", va="center",
                           fontsize=TABLE_FONT, family="monospace", color="0.45")
    h["tab_title"] = fig.text(x0 + char * CELL, top + 0.42, "", transform=inch, fontsize=10,
                              va="center")


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


# =============================================================================
# 3. Playground: train a small classifier on a 2-D data set
# =============================================================================

PLAYGROUND_SETS = {"moons": "moons", "circles": "circles", "spirals": "spirals", "XOR": "xor_blobs"}
PLAYGROUND_NOISE = {"moons": 0.1, "circles": 0.05, "spirals": 0.1, "XOR": 0.3}
PLAYGROUND_ACTIVATIONS = ["tanh", "relu", "sigmoid", "leaky_relu", "linear"]
LEARNING_RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
EPOCH_STEP = 25  # the epochs slider moves in these steps; a snapshot is kept at each
MAX_EPOCHS = 500


@functools.lru_cache(maxsize=8)
def playground_data(name, n=200, seed=0):
    """A 2-D data set for the playground, standardised. Returns (X (N, 2), y (N,)) read-only."""
    rng = np.random.default_rng(seed)
    maker = getattr(datasets, PLAYGROUND_SETS[name])
    X, y = maker(n, rng, noise=PLAYGROUND_NOISE[name])
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    X.flags.writeable = False
    y.flags.writeable = False
    return X, y


def build_classifier(width, depth, activation, seed=0):
    """2 -> width (x depth, each followed by activation) -> 2, as a Sequential."""
    from nnlib.layers import Activation, Dense
    from nnlib.model import Sequential

    rng = np.random.default_rng(seed)
    layers, n_in = [], 2
    for _ in range(int(depth)):
        layers += [Dense(n_in, int(width), rng=rng), Activation(activation)]
        n_in = int(width)
    layers.append(Dense(n_in, 2, rng=rng))
    return Sequential(layers)


class Playground:
    """Trains classifiers for the playground explorer and remembers them.

    Each setting (data set, width, depth, activation, learning rate) is one run:
    full-batch gradient descent (``SGD``, one step on all N points per epoch, as
    ``nnlib.train.fit`` with batch_size=N does) from the same seeded initial weights. A run is trained only as far as asked;
    asking for more epochs continues it, asking for fewer reads a snapshot (the
    class-1 probability on a grid, the loss and accuracy) kept every
    ``EPOCH_STEP`` epochs. The ``max_runs`` most recent runs are kept.

    Args:
        n: points per data set. grid_steps: resolution of the probability map.
        seed: seed of the data and of the initial weights. max_runs: memo size.
    """

    def __init__(self, n=200, grid_steps=64, seed=0, max_runs=24):
        self.n, self.grid_steps, self.seed, self.max_runs = n, grid_steps, seed, max_runs
        self.runs = OrderedDict()
        self.trained_steps = 0  # total gradient steps taken (tests check the memo with it)

    def grid(self, dataset):
        X, _ = playground_data(dataset, self.n, self.seed)
        lo, hi = X.min(axis=0) - 0.4, X.max(axis=0) + 0.4
        gx, gy = np.linspace(lo[0], hi[0], self.grid_steps), np.linspace(lo[1], hi[1], self.grid_steps)
        xx, yy = np.meshgrid(gx, gy)
        return gx, gy, np.column_stack([xx.ravel(), yy.ravel()])

    def _snapshot(self, run, epoch=None):
        from nnlib.activations import softmax
        from nnlib.train import evaluate

        X, y = playground_data(run["dataset"], self.n, self.seed)
        with np.errstate(all="ignore"):
            p = softmax(run["model"].forward(run["grid"])).T[1]
            loss, acc = evaluate(run["model"], "softmax_cross_entropy", X, y)
        if not np.all(np.isfinite(p)):
            return None
        g = self.grid_steps
        epoch = run["epochs"] if epoch is None else epoch
        run["snapshots"][epoch] = {"p": p.reshape(g, g), "loss": loss, "accuracy": acc}
        return True

    def _run(self, dataset, width, depth, activation, lr):
        from nnlib.optim import SGD

        key = (dataset, int(width), int(depth), activation, float(lr))
        if key in self.runs:
            self.runs.move_to_end(key)
            return self.runs[key]
        run = {"dataset": dataset, "model": build_classifier(width, depth, activation, self.seed),
               "optimizer": SGD(lr=float(lr)), "epochs": 0, "loss": [], "diverged": None,
               "snapshots": {}, "grid": self.grid(dataset)[2]}
        self._snapshot(run)
        self.runs[key] = run
        while len(self.runs) > self.max_runs:
            self.runs.popitem(last=False)
        return run

    def _train(self, run, epochs):
        """Continue ``run`` to ``epochs``: the loop of ``nnlib.train.fit`` with one batch
        of all N points, written out (fit would also evaluate the accuracy every epoch,
        which the playground does not need; this is about twice as fast)."""
        if run["epochs"] >= epochs or run["diverged"] is not None:
            return
        X, y = playground_data(run["dataset"], self.n, self.seed)
        loss = losses.softmax_cross_entropy
        model, optimizer = run["model"], run["optimizer"]
        params, grads = model.params(), model.grads()
        recent = deque(maxlen=EPOCH_STEP)  # the last weights, to show where it blew up
        with np.errstate(all="ignore"):  # divergence is reported, not warned about
            while run["epochs"] < epochs:
                out = model.forward(X, training=True)
                value = loss(out, y)
                if not np.isfinite(value):
                    run["diverged"] = run["epochs"] + 1
                    break
                model.backward(loss.grad(out, y))
                optimizer.step(params, grads)
                self.trained_steps += 1
                run["loss"].append(value)
                run["epochs"] += 1
                if run["epochs"] % EPOCH_STEP == 0 or run["epochs"] == epochs:
                    self._snapshot(run)
                recent.append((run["epochs"], {k: v.copy() for k, v in params.items()}))
        if run["diverged"] is not None:
            # show the last weights that still give finite outputs, rather than the
            # last multiple of EPOCH_STEP
            for epoch, saved in reversed(recent):
                if epoch in run["snapshots"]:
                    break
                for k, v in params.items():
                    v[...] = saved[k]
                if self._snapshot(run, epoch=epoch):
                    break

    def compute(self, dataset, width, depth, activation, lr, epochs):
        """Train (or recall) one setting up to ``epochs``; return what the explorer draws.

        Returns:
            dict with "X" (N, 2), "y" (N,), "gx", "gy" (G,), "p" (G, G) class-1
            probability on the grid, "epochs" (the epoch shown), "loss" (list of
            per-epoch training losses up to it), "final_loss", "accuracy",
            "diverged" (epoch or None), "architecture" (text), "n_params".
        """
        run = self._run(dataset, width, depth, activation, lr)
        epochs = int(epochs)
        if epochs not in run["snapshots"] and run["epochs"] > epochs and run["diverged"] is None:
            # asked for an epoch between snapshots: replay this run from the start
            del self.runs[(dataset, int(width), int(depth), activation, float(lr))]
            run = self._run(dataset, width, depth, activation, lr)
        self._train(run, epochs)
        shown = max(e for e in run["snapshots"] if e <= epochs)
        snap = run["snapshots"][shown]
        X, y = playground_data(dataset, self.n, self.seed)
        gx, gy, _ = self.grid(dataset)
        sizes = " → ".join(["2"] + [str(int(width))] * int(depth) + ["2"])
        return {"X": X, "y": y, "gx": gx, "gy": gy, "p": snap["p"], "epochs": shown,
                "loss": run["loss"][:shown], "final_loss": snap["loss"],
                "accuracy": snap["accuracy"], "diverged": run["diverged"],
                "architecture": f"{sizes}  ({activation})", "dataset": dataset,
                "n_params": run["model"].n_params(), "requested": epochs}


def boundary_lines(gx, gy, p, level=0.5):
    """The decision boundary p = level as one polyline, pieces separated by NaN: (xs, ys)."""
    import contourpy

    lines = contourpy.contour_generator(gx, gy, p, line_type="ChunkCombinedNan").lines(level)[0]
    pieces = [c for c in lines if c is not None]
    if not pieces:
        return np.array([]), np.array([])
    xy = np.concatenate(pieces)
    return xy[:, 0], xy[:, 1]


def playground_draw(fig, data):
    from nnlib.viz import scatter_classes

    ax, ax_l = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.05], "wspace": 0.34,
                                               "left": 0.085, "right": 0.975, "bottom": 0.135,
                                               "top": 0.86})
    h = {"ax": ax, "ax_l": ax_l}
    h["map"] = ax.imshow(data["p"], origin="lower", cmap="RdBu_r", vmin=0, vmax=1, alpha=0.55,
                         interpolation="bilinear", aspect="auto")
    (h["boundary"],) = ax.plot([], [], color="k", lw=1.6)
    h["points"] = scatter_classes(ax, data["X"], data["y"], colors=("C0", "C3"), size=16)
    for pts in h["points"]:
        pts.set_zorder(3)
    ax.set(xlabel="$x_1$ (standardised)", ylabel="$x_2$ (standardised)")
    h["title"] = ax.set_title("", fontsize=9)
    (h["curve"],) = ax_l.plot([], [], color="C2", lw=1.8)
    ax_l.set(yscale="log", xlim=(0, MAX_EPOCHS), ylim=(1e-3, 30), xlabel="epoch",
             ylabel="training loss (cross-entropy)")
    ax_l.grid(True, which="major", color="0.9", lw=0.8)
    h["status"] = ax_l.set_title("", fontsize=9)
    # everything over the (animated) map must be animated too, or the map covers it. (No
    # legend: drawing an animated legend marks its axes stale, forcing full redraws.)
    for artist in [h["map"], h["boundary"], h["curve"], h["title"], h["status"], *h["points"]]:
        artist.set_animated(True)
    h["shown_dataset"] = None
    playground_update(h, data)
    return h


def playground_update(h, data):
    full = None
    if h["shown_dataset"] != data["dataset"]:
        X, y = data["X"], data["y"]
        for k, pts in enumerate(h["points"]):
            pts.set_offsets(X[y == k])
        gx, gy = data["gx"], data["gy"]
        h["map"].set_extent((gx[0], gx[-1], gy[0], gy[-1]))
        h["ax"].set(xlim=(gx[0], gx[-1]), ylim=(gy[0], gy[-1]))
        h["shown_dataset"] = data["dataset"]
        full = "full"
    h["map"].set_data(data["p"])
    h["boundary"].set_data(*boundary_lines(data["gx"], data["gy"], data["p"]))
    loss = data["loss"]
    h["curve"].set_data(np.arange(1, len(loss) + 1), loss)
    h["title"].set_text(f"{data['architecture']}, {data['n_params']} parameters\n"
                        "blue: class 0, red: class 1; line: P(class 1) = 0.5")
    acc = data["accuracy"]
    if data["diverged"] is not None and data["requested"] > data["epochs"]:
        h["status"].set_text(f"diverged at epoch {data['diverged']} (the loss became inf or nan)\n"
                             f"showing epoch {data['epochs']}: lower the learning rate")
        h["status"].set_color("C3")
    else:
        h["status"].set_text(f"after {data['epochs']} epochs: loss {data['final_loss']:.3f}, "
                             f"accuracy {100 * acc:.1f}%\n(full-batch gradient descent)")
        h["status"].set_color("black")
    return full


def playground_explorer(dataset="moons", width=4, depth=2, activation="tanh", lr=0.3, epochs=100):
    """Data set, width, depth, activation, learning rate and epochs; trains on release."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "7em"}
    controls = {
        "dataset": W.Dropdown(options=list(PLAYGROUND_SETS), value=dataset,
                              description="data set", style=style),
        "width": W.IntSlider(value=width, min=1, max=16, description="hidden width", style=style),
        "depth": W.IntSlider(value=depth, min=1, max=4, description="hidden layers", style=style),
        "activation": W.Dropdown(options=PLAYGROUND_ACTIVATIONS, value=activation,
                                 description="activation", style=style),
        "lr": W.SelectionSlider(options=LEARNING_RATES, value=lr, description="learning rate",
                                style=style),
        "epochs": W.IntSlider(value=epochs, min=0, max=MAX_EPOCHS, step=EPOCH_STEP,
                              description="epochs", style=style),
    }
    playground = Playground()
    plot = SliderPlot(controls, playground.compute, playground_draw, playground_update,
                      figsize=(7.6, 3.6), continuous_update=False)
    plot.playground = playground  # the memo, for the curious (and the tests)
    return plot
