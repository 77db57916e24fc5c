"""Chapter 06 explorer: training a deep network, with and without the remedies.

A stack of ``depth`` dense layers (32 units) learns the digits for a few epochs
with SGD. ``StatsRecorder`` measures every layer's gradient norm on a fixed
probe batch before training and after each epoch; the heatmap shows them
(layers up, epochs across). The four classic cases are two dropdowns away:
sigmoid with Glorot weights (the gradient vanishes: the first layers never
learn), ReLU with He weights, and either one with batch norm or residual
connections. Each training runs once per setting and is cached in the explorer.
"""

import numpy as np

ACTIVATIONS = {"sigmoid (Glorot)": ("sigmoid", "glorot_uniform"), "ReLU (He)": ("relu", "he_normal")}
REMEDIES = ("none", "batch norm", "residual")
DEPTHS = (5, 10, 15, 20)
LOG_RANGE = (-7.0, 1.0)  # colour scale of log10(gradient norm)


def digits_subset(n=512, seed=0):
    """The first n of the 1,797 scaled digits in a seeded random order: X (n, 64), y (n,)."""
    from nnlib.data import load_digits

    X, y = load_digits(scale=True)
    idx = np.random.default_rng(seed).permutation(len(X))[:n]
    return X[idx], y[idx]


def build_network(activation="sigmoid", init="glorot_uniform", remedy="none", depth=10,
                  width=32, n_in=64, n_out=10, seed=0):
    """A deep classifier: ``depth`` hidden layers of ``width`` units, then Dense(width, n_out).

    remedy "none":       [Dense, f] * depth
    remedy "batch norm": [Dense, BatchNorm, f] * depth          (BN before the activation)
    remedy "residual":   [Dense, f] + [Residual(Dense, f, Dense)] * (depth - 1)

    In a residual block the second Dense starts at zero ("zero-init residual", as in
    torchvision's ResNet option zero_init_residual): each block starts as the
    identity, so a deep stack starts as a shallow network.

    Returns:
        Sequential; its "rows" (the layers whose gradient norms the heatmap shows:
        every Dense and Residual, not BatchNorm) are ``gradient_rows(model)``.
    """
    from nnlib.layers import Activation, BatchNorm, Dense, Residual
    from nnlib.model import Sequential

    if remedy not in REMEDIES:
        raise ValueError(f"remedy must be one of {', '.join(REMEDIES)}; got {remedy!r}")
    rng = np.random.default_rng(seed)
    layers, d = [], n_in
    for i in range(int(depth)):
        if remedy == "residual" and i > 0:
            block = [Dense(width, width, init=init, rng=rng), Activation(activation),
                     Dense(width, width, init="zeros", rng=rng)]
            layers.append(Residual(Sequential(block)))
            continue
        layers.append(Dense(d, width, init=init, rng=rng))
        if remedy == "batch norm":
            layers.append(BatchNorm(width))
        layers.append(Activation(activation))
        d = width
    layers.append(Dense(width, n_out, init="glorot_uniform", rng=rng))
    return Sequential(layers)


def gradient_rows(model):
    """Indices of the layers with weights to show: Dense and Residual (not BatchNorm)."""
    return [i for i, layer in enumerate(model.layers) if type(layer).__name__ in ("Dense", "Residual")]


def depth_compute(activation="sigmoid (Glorot)", remedy="none", depth=10, epochs=20, lr=0.02,
                  momentum=0.9, batch_size=128, n=512, seed=0, data=None):
    """Train ``build_network`` on the digits and record the gradient norm of every layer.

    SGD with momentum on softmax cross-entropy; StatsRecorder (training mode, so
    that batch norm uses batch statistics as in training) on the first 128 samples.

    Args:
        activation: a key of ACTIVATIONS ("sigmoid (Glorot)" or "ReLU (He)").
        remedy: one of REMEDIES. depth: hidden layers.
        epochs, lr, momentum, batch_size: the training. n, seed: data subset and seed.
        data: optional (X, y) to use instead of ``digits_subset(n, seed)``.

    Returns:
        dict with "grad_norm" (E + 1, R): norm of dL/dtheta of each shown layer (R =
        depth + 1 rows, input side first) before training (row 0) and after each
        epoch; "log_norm" the same as log10 (nan where not finite); "loss" (E + 1,)
        the probe loss; "epochs" (E + 1,) = 0..E; "accuracy" final training accuracy
        (nan if training diverged); "rows" the R layer labels; the settings.
    """
    from nnlib.diagnostics import StatsRecorder
    from nnlib.optim import SGD
    from nnlib.train import fit

    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {activation!r}")
    X, y = digits_subset(n, seed) if data is None else data
    f, init = ACTIVATIONS[activation]
    model = build_network(f, init, remedy, depth, seed=seed)
    recorder = StatsRecorder(X[:128], y[:128], "softmax_cross_entropy", training=True)
    recorder.record(model)
    history = fit(model, "softmax_cross_entropy", SGD(lr=lr, momentum=momentum), X, y,
                  epochs=epochs, batch_size=batch_size, rng=seed, progress=False, callback=recorder)
    table = recorder.table()
    rows = gradient_rows(model)
    grad = np.full((epochs + 1, len(rows)), np.nan)
    grad[:len(table["epoch"])] = table["grad_norm"][:, rows]
    loss = np.full(epochs + 1, np.nan)
    loss[:len(table["loss"])] = table["loss"]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_norm = np.where(np.isfinite(grad) & (grad > 0), np.log10(np.where(grad > 0, grad, 1)), np.nan)
    acc = history.history.get("accuracy", [np.nan])[-1] if history.diverged is None else np.nan
    return {"activation": activation, "remedy": remedy, "depth": int(depth), "grad_norm": grad,
            "log_norm": log_norm, "loss": loss, "epochs": np.arange(epochs + 1), "accuracy": float(acc),
            "rows": [table["names"][i] for i in rows] if table["names"] else [], "lr": lr}


class DepthTrainer:
    """``depth_compute`` with a cache: each (activation, remedy, depth) trains once.

    Calling it with a setting seen before returns the stored result at once.
    ``cache`` maps (activation, remedy, depth) -> result; ``fixed`` holds the other
    arguments of depth_compute (epochs, lr...).
    """

    def __init__(self, **fixed):
        self.fixed = dict(fixed)
        self.cache = {}
        self._data = None

    def __call__(self, activation, remedy, depth):
        key = (activation, remedy, int(depth))
        if key not in self.cache:
            if self._data is None and "data" not in self.fixed:
                self._data = digits_subset(self.fixed.get("n", 512), self.fixed.get("seed", 0))
            fixed = {"data": self._data, **self.fixed}
            self.cache[key] = depth_compute(activation, remedy, depth, **fixed)
        return self.cache[key]


def depth_draw(fig, data):
    from matplotlib.ticker import MaxNLocator

    gs = fig.add_gridspec(1, 4, width_ratios=[1.5, 0.05, 0.32, 1], left=0.085, right=0.985, top=0.86,
                          bottom=0.14, wspace=0.08)
    ax, cax, lax = fig.add_subplot(gs[0]), fig.add_subplot(gs[1]), fig.add_subplot(gs[3])
    img = ax.imshow(data["log_norm"].T, origin="lower", aspect="auto", cmap="viridis",
                    vmin=LOG_RANGE[0], vmax=LOG_RANGE[1], interpolation="nearest")
    ax.set_facecolor("0.85")  # nan (diverged) cells
    ax.set(xlabel="epoch", ylabel="layer (0 = next to the input)")
    cbar = fig.colorbar(img, cax=cax)
    cbar.set_label(r"$\log_{10}\,\|\partial L/\partial\theta_l\|$", fontsize=9)
    (line,) = lax.plot(data["epochs"], data["loss"], "o-", ms=3, color="C0")
    lax.axhline(np.log(10), color="0.6", ls="--", lw=0.8)
    lax.text(0.98, np.log(10) + 0.05, "chance (ln 10)", ha="right", va="bottom", fontsize=8,
             color="0.4", transform=lax.get_yaxis_transform())
    lax.set(xlabel="epoch", ylim=(0, 3.0), xlim=(-0.5, data["epochs"][-1] + 0.5))
    lax.set_title("loss on the probe batch", fontsize=9)
    lax.grid(alpha=0.3)
    title = fig.suptitle(" ", fontsize=10)
    acc = lax.text(0.98, 0.6, "", transform=lax.transAxes, ha="right", fontsize=9)
    for a in (ax, cax, lax):
        a.tick_params(labelsize=8)
    for a in (ax, lax):
        a.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    h = {"img": img, "ax": ax, "line": line, "title": title, "acc": acc, "shape": None}
    for artist in (img, line, title, acc):
        artist.set_animated(True)
    depth_update(h, data)
    return h


def depth_update(h, data):
    h["img"].set_data(data["log_norm"].T)
    full = None
    shape = data["log_norm"].shape
    if shape != h["shape"]:  # another depth: the image's extent and the axes change
        E, R = shape
        h["img"].set_extent((-0.5, E - 0.5, -0.5, R - 0.5))
        h["ax"].set(xlim=(-0.5, E - 0.5), ylim=(-0.5, R - 0.5))
        h["shape"] = shape
        full = "full"
    h["line"].set_ydata(np.clip(data["loss"], 0, 2.95))
    h["title"].set_text(f"{data['activation']}, remedy: {data['remedy']}, {data['depth']} hidden layers: "
                        "gradient norm per layer and epoch")
    acc = data["accuracy"]
    h["acc"].set_text("diverged" if np.isnan(acc) else f"training accuracy {acc:.0%}")
    return full


def depth_explorer(activation="sigmoid (Glorot)", remedy="none", depth=10, **fixed):
    """Dropdowns for the activation and the remedy, a depth selector; trainings cached.

    ``fixed``: other arguments of depth_compute (epochs, lr, ...).
    """
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "5.5em"}
    controls = {
        "activation": W.Dropdown(options=list(ACTIVATIONS), value=activation, description="activation",
                                 style=style),
        "remedy": W.Dropdown(options=REMEDIES, value=remedy, description="remedy", style=style),
        "depth": W.SelectionSlider(options=DEPTHS, value=depth, description="depth", style=style),
    }
    return SliderPlot(controls, DepthTrainer(**fixed), depth_draw, depth_update, figsize=(7.6, 3.6),
                      layout="stacked", continuous_update=False)


__all__ = ["depth_compute", "depth_draw", "depth_update", "depth_explorer", "DepthTrainer",
           "build_network", "gradient_rows", "digits_subset", "ACTIVATIONS", "REMEDIES", "DEPTHS"]
