"""Chapter 06 explorer: exploding gradients, and clipping by global norm.

A deep ReLU network (6 hidden layers of 32 units, He-normal weights times a
``weight scale``) fits the standardised house prices with plain SGD, full batch.
At scale 1 it trains; from about 1.4 the first gradients are thousands of times
too large, one step throws the weights far away and the loss overflows. The same
training with the gradient clipped to a global norm of at most ``clip`` (the
threshold) takes small, bounded steps in the same directions and recovers.
"""

import numpy as np

STEPS = 60
LOSS_LIMITS = (1e-2, 1e8)
NORM_LIMITS = (1e-1, 1e9)


def house_data(n=256, seed=0):
    """Standardised house prices: X (n, 4) and y (n, 1), both mean 0 and std 1 per column."""
    from nnlib.data import house_prices

    X, y = house_prices(n, np.random.default_rng(seed))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, ((y - y.mean()) / y.std())[:, None]


def exploding_network(scale, depth=6, width=32, n_in=4, seed=0):
    """[Dense, relu] * depth + Dense(width, 1), every W = scale * he_normal draw."""
    from nnlib.layers import Activation, Dense
    from nnlib.model import Sequential

    rng = np.random.default_rng(seed)
    layers, d = [], n_in
    for _ in range(depth):
        layers += [Dense(d, width, init="he_normal", rng=rng), Activation("relu")]
        d = width
    layers.append(Dense(d, 1, init="he_normal", rng=rng))
    for layer in layers:
        if "W" in layer.params:
            layer.params["W"] *= scale
    return Sequential(layers)


def train_with_clipping(model, X, y, lr=0.01, steps=STEPS, clip=None):
    """Full-batch SGD on MSE, written out so that every step's gradient norm is seen.

    One step: out = model(X); L = mse(out, y); backward; total_norm = global norm
    of all gradients; if clip is set and total_norm > clip, every gradient is scaled
    by clip / total_norm (nnlib.optim.clip_grad_norm); W <- W - lr * g.

    Returns:
        (loss (steps,), grad_norm (steps,)): the loss before each step and the
        global gradient norm BEFORE clipping; nan from the step where the loss
        stopped being finite (training stops there).
    """
    from nnlib.losses import mse
    from nnlib.optim import SGD, clip_grad_norm

    opt, params, grads = SGD(lr=lr), model.params(), model.grads()
    losses, norms = np.full(steps, np.nan), np.full(steps, np.nan)
    with np.errstate(all="ignore"):  # the overflow is the point of this explorer
        for step in range(steps):
            out = model.forward(X, training=True)
            value = mse(out, y)
            if not np.isfinite(value):
                break
            model.backward(mse.grad(out, y))
            norms[step] = clip_grad_norm(grads, np.inf if clip is None else clip)
            losses[step] = value
            if not np.isfinite(norms[step]):
                break
            opt.step(params, grads)
    return losses, norms


def clip_run(scale, clip=None, lr=0.01, steps=STEPS, seed=0, data=None):
    """One training of ``exploding_network(scale)`` on ``house_data()``; see train_with_clipping."""
    X, y = house_data(seed=seed) if data is None else data
    return train_with_clipping(exploding_network(scale, seed=seed), X, y, lr, steps, clip)


def _diverged_at(losses):
    bad = np.flatnonzero(~np.isfinite(losses))
    return int(bad[0]) if bad.size else None


def clip_compute(scale=1.5, clip=1.0, lr=0.01, steps=STEPS, seed=0, unclipped=None, data=None):
    """The same training without clipping and with clipping at ``clip``.

    Args:
        scale: factor on the He-normal weights. clip: the max global norm.
        lr, steps, seed: the training. unclipped: optional cached result of
        ``clip_run(scale)`` (the unclipped run does not depend on ``clip``).
        data: optional (X, y) instead of house_data(seed=seed).

    Returns:
        dict with "steps" (S,) = 0..S-1; "loss", "norm" (S,) without clipping and
        "loss_clip", "norm_clip" with it (nan after a divergence); "diverged",
        "diverged_clip": the first step whose loss was not finite, or None; the settings.
    """
    data = house_data(seed=seed) if data is None else data
    if unclipped is None:
        unclipped = clip_run(scale, None, lr, steps, seed, data)
    loss_c, norm_c = clip_run(scale, clip, lr, steps, seed, data)
    loss, norm = unclipped
    return {"scale": float(scale), "clip": float(clip), "lr": lr, "steps": np.arange(steps),
            "loss": loss, "norm": norm, "loss_clip": loss_c, "norm_clip": norm_c,
            "diverged": _diverged_at(loss), "diverged_clip": _diverged_at(loss_c)}


def _shown(values, limits):
    """Values clipped into a log axis' limits (nan stays nan: the line stops)."""
    return np.clip(values, limits[0] * 1.1, limits[1] / 1.1)


def clip_draw(fig, data):
    ax_l, ax_n = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.08, right=0.985, top=0.84, bottom=0.14, wspace=0.28)
    h = {}
    for ax, key, limits, label in ((ax_l, "loss", LOSS_LIMITS, "loss (MSE)"),
                                   (ax_n, "norm", NORM_LIMITS, "global gradient norm (before clipping)")):
        (h[key],) = ax.semilogy(data["steps"], _shown(data[key], limits), color="C3", lw=1.6,
                                label="no clipping")
        # dashed, so that where both runs agree (no clipping needed) the red shows through
        (h[key + "_clip"],) = ax.semilogy(data["steps"], _shown(data[key + "_clip"], limits), color="C0",
                                          lw=1.6, ls="--", label="clipped")
        ax.set(xlim=(0, data["steps"][-1]), ylim=limits, xlabel="step", ylabel=label)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
    h["threshold"] = ax_n.axhline(data["clip"], color="0.3", ls="--", lw=1.0)
    h["threshold_text"] = ax_n.text(0.98, data["clip"], " clip threshold", ha="right", va="bottom",
                                    fontsize=8, color="0.3", transform=ax_n.get_yaxis_transform())
    ax_l.legend(loc="upper right", fontsize=8, frameon=False)
    h["marks"] = ax_l.plot([], [], "x", color="C3", ms=9, mew=2)[0]
    h["status"] = ax_l.text(0.03, 0.04, "", transform=ax_l.transAxes, fontsize=8, color="C3")
    fig.suptitle(f"He-normal weights × scale, SGD lr = {data['lr']:g}, full batch: without and with clipping",
                 fontsize=10)
    for artist in (h["loss"], h["loss_clip"], h["norm"], h["norm_clip"], h["threshold"],
                   h["threshold_text"], h["marks"], h["status"]):
        artist.set_animated(True)
    clip_update(h, data)
    return h


def clip_update(h, data):
    for key, limits in (("loss", LOSS_LIMITS), ("norm", NORM_LIMITS)):
        h[key].set_ydata(_shown(data[key], limits))
        h[key + "_clip"].set_ydata(_shown(data[key + "_clip"], limits))
    h["threshold"].set_ydata([data["clip"], data["clip"]])
    h["threshold_text"].set_y(data["clip"])
    k = data["diverged"]
    if k is None:
        h["marks"].set_data([], [])
        h["status"].set_text("")
    else:
        h["marks"].set_data([k], [LOSS_LIMITS[1] / 1.5])
        h["status"].set_text(f"without clipping: the loss overflowed at step {k}")


def clip_explorer(scale=1.5, clip=1.0, lr=0.01, seed=0):
    """Weight-scale and clip-threshold sliders; the unclipped run is cached per scale."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "7em"}
    controls = {
        "scale": W.FloatSlider(value=scale, min=0.5, max=3.0, step=0.1, description="weight scale",
                               style=style),
        "clip": W.FloatLogSlider(value=clip, base=10, min=-1, max=3, step=0.1,
                                 description="clip threshold", readout_format=".2g", style=style),
    }
    data = house_data(seed=seed)
    unclipped = {}  # scale -> clip_run(scale): it does not depend on the threshold
    results = {}  # (scale, clip) -> clip_compute(...): a setting seen before is not retrained

    def compute(scale, clip):
        key = (scale, clip)
        if key not in results:
            if scale not in unclipped:
                unclipped[scale] = clip_run(scale, None, lr, STEPS, seed, data)
            results[key] = clip_compute(scale, clip, lr, STEPS, seed, unclipped=unclipped[scale], data=data)
        return results[key]

    return SliderPlot(controls, compute, clip_draw, clip_update, figsize=(7.6, 3.4),
                      layout="stacked", continuous_update=False)


__all__ = ["clip_compute", "clip_draw", "clip_update", "clip_explorer", "clip_run",
           "train_with_clipping", "exploding_network", "house_data"]
