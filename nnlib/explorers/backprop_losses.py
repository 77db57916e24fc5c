"""Chapter 03 explorer: one loss for one sample, and a line fitted under MSE, MAE and Huber.

    loss_explorer(name="mse", target=None, prediction=None, outliers=False)

The loss and its gradient as the prediction moves (with the tangent at the
current point); beside it a line fitted under MSE, MAE and Huber, with and
without outliers. ``loss_compute`` (and ``one_sample``, ``loss_and_slope``,
``loss_curves``, ``line_fits``: pure numpy, tested) + ``loss_draw`` /
``loss_update`` (matplotlib, changing artists animated) + the factory.
"""

import functools

import numpy as np

from nnlib import losses
from nnlib.widgets import cached_text


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
    # cached: one rendering per toggle state, pasted on every blitted frame
    h["fit_labels"] = {k: cached_text(ax_f.text(0.03, 0.97 - 0.07 * i, "", transform=ax_f.transAxes,
                                                color=FIT_COLORS[k], fontsize=9, va="top",
                                                fontweight="bold", family="monospace"))
                       for i, k in enumerate(FIT_COLORS)}
    ax_f.set(xlim=(0, 10), ylim=(-3.5, 7.5), xlabel="x")
    ax_f.set_title("a line fitted by minimising MSE, MAE or Huber", fontsize=10)
    for key in ("curve_l", "curve_g", "point_l", "point_g", "tangent", "target_l", "target_g",
                "info", "pts", "outs"):
        h[key].set_animated(True)
    for artist in [*h["fit_lines"].values(), *h["fit_labels"].values()]:
        artist.set_animated(True)  # the labels change with the outliers toggle
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
