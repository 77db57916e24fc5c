"""Chapter 04 explorer: hyperparameter search, grid against random, on a made-up score.

Two hyperparameters: one that matters (the learning rate) and one that hardly
does (a hidden layer's width). With a budget of n trials, a grid tries only
sqrt(n) distinct learning rates; random search tries n of them, so it lands
near the narrow good region sooner (Bergstra and Bengio, 2012).

``search_score`` is the landscape, ``search_trials`` and ``search_curves``
are pure functions (tests call them), ``search_draw`` / ``search_update`` the
figure and ``search_explorer`` the ``SliderPlot`` (see ``nnlib.widgets``).
"""

import numpy as np

LR_RANGE, WIDTH_RANGE = (1e-4, 1.0), (16, 512)  # searched on log scales
SEARCH_MAX = 64


def search_score(lr, width):
    """A made-up validation accuracy: lr matters a lot, the hidden width hardly at all.

        u = log10(lr / 1e-4) / 4,  v = log2(width / 16) / 5     (both in [0, 1])
        score = 0.1 + 0.85 * exp(-((u - 0.58) / 0.06)^2 / 2) * (1 - 0.1 * (v - 0.6)^2)

    Broadcasts like numpy (lr and width any shapes). Best at lr = 0.021, width = 128.
    """
    u = np.log10(np.asarray(lr) / LR_RANGE[0]) / 4
    v = np.log2(np.asarray(width) / WIDTH_RANGE[0]) / 5
    return 0.1 + 0.85 * np.exp(-0.5 * ((u - 0.58) / 0.06) ** 2) * (1 - 0.1 * (v - 0.6) ** 2)


def _from_unit(u, v):
    return LR_RANGE[0] * 10 ** (4 * u), WIDTH_RANGE[0] * 2 ** (5 * v)


def search_trials(n_trials, seed=0):
    """The trials of both methods for a budget of n_trials.

    Grid: k = floor(sqrt(n_trials)) values per hyperparameter, evenly spaced
    on the log scales, ends included (k^2 <= n_trials trials). Random: the first
    n_trials of a fixed sequence of points drawn uniformly on the log scales.

    Returns:
        dict with "grid" and "random", each (M, 2) arrays of (lr, width).
    """
    k = max(int(np.sqrt(n_trials)), 1)
    ticks = np.linspace(0, 1, k) if k > 1 else np.array([0.5])
    uu, vv = np.meshgrid(ticks, ticks)
    unit = np.random.default_rng(seed).uniform(size=(SEARCH_MAX, 2))[:n_trials]
    return {"grid": np.column_stack(_from_unit(uu.ravel(), vv.ravel())),
            "random": np.column_stack(_from_unit(unit[:, 0], unit[:, 1]))}


def search_curves(seed=0, repeats=500):
    """The best score each method finds with budgets 1..64 trials.

    Returns:
        dict with "budgets" (64,); "best_grid", "best_random" (64,) the best
        score found with each budget (random: this seed's sequence);
        "mean_random" (64,) random search's best averaged over ``repeats``
        seeds; "best" the global maximum of search_score.
    """
    budgets = np.arange(1, SEARCH_MAX + 1)
    best_grid = np.array([search_score(*search_trials(n, seed)["grid"].T).max() for n in budgets])
    rand = search_trials(SEARCH_MAX, seed)["random"]
    unit = np.random.default_rng(seed + 1).uniform(size=(repeats, SEARCH_MAX, 2))
    scores = search_score(*_from_unit(unit[..., 0], unit[..., 1]))
    return {"budgets": budgets, "best_grid": best_grid,
            "best_random": np.maximum.accumulate(search_score(rand[:, 0], rand[:, 1])),
            "mean_random": np.maximum.accumulate(scores, axis=1).mean(axis=0),
            "best": float(search_score(*_from_unit(0.58, 0.6)))}


def search_compute(n_trials, seed=0, curves=None):
    """The trials of both methods at budget n_trials, with the curves of search_curves.

    ``curves`` (from ``search_curves(seed)``) is computed here when not given;
    the explorer computes it once and passes it.
    """
    curves = search_curves(seed) if curves is None else curves
    return {**search_trials(n_trials, seed), **curves, "n_trials": int(n_trials)}


def search_draw(fig, data):
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1, 1.1]})
    pad_lr, pad_w = 10 ** 0.25, 2 ** 0.3  # a margin, so that the grid's edge points show
    lr = np.geomspace(LR_RANGE[0] / pad_lr, LR_RANGE[1] * pad_lr, 200)
    width = np.geomspace(WIDTH_RANGE[0] / pad_w, WIDTH_RANGE[1] * pad_w, 100)
    score = search_score(lr[None, :], width[:, None])
    points = {}
    for ax, key, marker in zip(axes[:2], ("grid", "random"), ("s", "o")):
        ax.pcolormesh(lr, width, score, cmap="viridis", vmin=0, vmax=1, shading="auto")
        (points[key],) = ax.plot([], [], marker, color="w", mec="k", ms=5, ls="none")
        (points[key + "_rug"],) = ax.plot([], [], "|", color="C3", ms=12, mew=2,
                                          transform=ax.get_xaxis_transform())
        ax.set(xscale="log", yscale="log", xlabel="learning rate (matters)",
               title=f"{key} search", xlim=(lr[0], lr[-1]), ylim=(width[0], width[-1]))
        ax.set_xticks([1e-4, 1e-2, 1])
        ax.set_yticks([16, 64, 256], ["16", "64", "256"])
        ax.minorticks_off()
        ax.title.set_fontsize(9)
    axes[0].set_ylabel("hidden width (hardly matters)")
    axes[1].set_yticklabels([])
    curves = axes[2]
    curves.plot(data["budgets"], data["best_grid"], color="C0", lw=1.8, label="grid")
    curves.plot(data["budgets"], data["best_random"], color="C1", lw=1.8, label="random (this seed)")
    curves.plot(data["budgets"], data["mean_random"], color="C1", lw=1, ls="--",
                label="random (average)")
    curves.axhline(data["best"], color="0.6", lw=0.8, ls=":")
    here = curves.axvline(data["n_trials"], color="k", lw=1)
    curves.set(xlabel="trials", ylim=(0, 1), title="best score found")
    curves.title.set_fontsize(9)
    curves.legend(loc="lower right", fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.92))
    title = fig.suptitle(" ", fontsize=10)
    for artist in (*points.values(), here, title):
        artist.set_animated(True)
    handles = {**points, "here": here, "title": title}
    search_update(handles, data)
    return handles


def search_update(h, data):
    for key in ("grid", "random"):
        pts = data[key]
        h[key].set_data(pts[:, 0], pts[:, 1])
        h[key + "_rug"].set_data(pts[:, 0], np.zeros(len(pts)))
    h["here"].set_xdata([data["n_trials"]] * 2)
    n = data["n_trials"]
    g, r = data["grid"], data["random"]
    h["title"].set_text(
        f"{n} trials: grid uses {len(g)}, tries {len(np.unique(g[:, 0]))} learning rates, "
        f"best {data['best_grid'][n - 1]:.2f}; random tries {len(r)}, best {data['best_random'][n - 1]:.2f}")


def search_explorer(n_trials=9, seed=0):
    """A SliderPlot with a trial-budget slider (1 to 64) for grid against random search."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    curves = search_curves(seed)  # the same for every budget: computed once

    def compute(n_trials):
        return search_compute(n_trials, seed, curves)

    controls = {"n_trials": W.IntSlider(value=n_trials, min=1, max=SEARCH_MAX, description="trials")}
    return SliderPlot(controls, compute, search_draw, search_update, figsize=(7.6, 3.2))
