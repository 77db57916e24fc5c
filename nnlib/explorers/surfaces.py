"""Chapter 04 explorers on 2-D loss surfaces: the optimizer race and the batch size.

Two explorers, each in the course's pattern (see ``nnlib.widgets``):

    race_*   optimizers from nnlib.optim side by side on the surfaces of
             nnlib.surfaces: their paths over the contours, f - f* per step
    batch_*  mini-batch SGD on a two-parameter linear regression (w, b): the
             path's noise and the loss per epoch and per step, for one batch size

``race_compute`` and ``batch_compute`` are pure functions (tests call them);
the explorers keep what they computed in a cache inside the explorer object
(``Race.paths``, ``Race.meshes``; ``plot.runs``), never in module globals.
"""

import numpy as np

from nnlib import optim
from nnlib import surfaces as surf

# -- 1. the optimizer race ---------------------------------------------------------

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "nadam")
LABELS = {"sgd": "SGD", "momentum": "momentum", "nesterov": "Nesterov", "adagrad": "Adagrad",
          "rmsprop": "RMSprop", "adam": "Adam", "nadam": "NAdam"}
COLORS = dict(zip(OPTIMIZERS, ("C0", "C1", "C2", "C4", "C5", "C3", "C6")))
SURFACES = {"ill-conditioned quadratic": "quadratic", "Rosenbrock": "rosenbrock",
            "saddle": "saddle", "two minima": "two_minima"}
STEPS, FAR = 150, 1e6  # steps per path; a path that gets FAR from the origin has diverged
RACE_LRS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0)
KAPPAS = (1, 2, 5, 10, 20, 50, 100)
BETAS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99)


def make_surface(surface, kappa=20.0):
    """The nnlib.surfaces object for a name; kappa is used by the quadratic only."""
    return surf.get(surface, kappa=kappa) if surface == "quadratic" else surf.get(surface)


def make_optimizer(name, lr, beta):
    """The nnlib optimizer for a race name; beta is the momentum of "momentum" and "nesterov".

    The adaptive methods keep torch's defaults (RMSprop alpha = 0.99, Adam and
    NAdam betas = (0.9, 0.999)); only lr is shared by all.
    """
    if name == "sgd":
        return optim.SGD(lr)
    if name in ("momentum", "nesterov"):
        if beta == 0:
            return optim.SGD(lr)  # torch refuses nesterov without momentum; it is plain SGD
        return optim.SGD(lr, momentum=beta, nesterov=name == "nesterov")
    return {"adagrad": optim.Adagrad, "rmsprop": optim.RMSprop, "adam": optim.Adam,
            "nadam": optim.NAdam}[name](lr)


def race_path(surface, name, lr, beta=0.9, steps=STEPS):
    """Run one optimizer for ``steps`` steps from surface.start.

    Returns:
        dict with "path" (T+1, 2) the points w_0 .. w_T, "gap" (T+1,) f(w_t) - f*,
        and "diverged": None, or the step at which w left every sensible range
        (|w| > 1e6 or not finite); the path stops there (T < steps).
    """
    opt = make_optimizer(name, lr, beta)
    w = surface.start.astype(np.float64)
    params = {"w": w}
    path, diverged = [w.copy()], None
    with np.errstate(all="ignore"):  # a diverging path overflows: that is what we show
        for t in range(1, int(steps) + 1):
            opt.step(params, {"w": surface.grad(w)})
            path.append(w.copy())
            if not np.abs(w).max() < FAR:  # also true for nan and inf
                diverged = t
                break
        path = np.array(path)
        gap = surface.f(path) - surface.f_min
    return {"path": path, "gap": gap, "diverged": diverged}


def race_compute(surface="quadratic", kappa=50.0, lr=0.02, beta=0.9, shown=OPTIMIZERS,
                 steps=STEPS):
    """Every optimizer in ``shown`` on one surface, from its start point.

    Returns:
        dict with "surface" (the nnlib.surfaces object), "runs" (name -> race_path
        dict), "lr", "beta".
    """
    s = make_surface(surface, kappa)
    return {"surface": s, "runs": {n: race_path(s, n, lr, beta, steps) for n in shown},
            "lr": float(lr), "beta": float(beta)}


class Race:
    """The race explorer's state: paths and contour meshes computed so far.

    ``compute`` takes the controls' values, reuses every path already
    computed for the same (surface, kappa, optimizer, lr, beta), and computes
    the contour mesh once per surface (and condition number).
    """

    def __init__(self):
        self.paths, self.meshes = {}, {}

    def compute(self, surface, kappa, lr, beta, **show):
        s = make_surface(surface, kappa)
        kappa = kappa if surface == "quadratic" else None
        runs = {}
        for name in OPTIMIZERS:
            if show.get(f"show_{name}"):
                key = (surface, kappa, name, lr, beta if name in ("momentum", "nesterov") else None)
                if key not in self.paths:
                    self.paths[key] = race_path(s, name, lr, beta)
                runs[name] = self.paths[key]
        if (surface, kappa) not in self.meshes:
            self.meshes[surface, kappa] = surf.mesh(s)
        return {"surface": s, "runs": runs, "lr": lr, "beta": beta,
                "mesh_key": (surface, kappa), "mesh": self.meshes[surface, kappa]}

    def draw(self, fig, data):
        ax, loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
        lines = {}
        for name in OPTIMIZERS:
            (path,) = ax.plot([], [], ".-", color=COLORS[name], lw=1.2, ms=2.5, label=LABELS[name])
            (gap,) = loss.plot([], [], color=COLORS[name], lw=1.5)
            lines[name] = (path, gap)
        (start,) = ax.plot([], [], "o", color="k", ms=6, zorder=5)
        (minima,) = ax.plot([], [], "*", color="w", mec="k", ms=13, zorder=5)
        loss.set(yscale="log", xlim=(0, STEPS), xlabel="step", title="f(w) − f* (log scale)")
        for a in (ax, loss):
            a.title.set_fontsize(9)
        fig.legend(handles=[lines[n][0] for n in OPTIMIZERS], loc="upper center", ncol=7,
                   fontsize=8, frameon=False, handlelength=1.2, columnspacing=1.0)
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.14, top=0.84, wspace=0.22)
        for path, gap in lines.values():
            path.set_animated(True)
            gap.set_animated(True)
        h = {"ax": ax, "loss": loss, "lines": lines, "start": start, "minima": minima,
             "contours": None, "mesh_key": None}
        self.update(h, data)
        return h

    def update(self, h, data):
        full = None
        if h["mesh_key"] != data["mesh_key"]:  # a new surface: new contours and limits
            s, (xx, yy, zz) = data["surface"], data["mesh"]
            if h["contours"] is not None:
                h["contours"].remove()
            levels = np.geomspace(1e-3, np.ptp(zz), 14) + s.f_min
            h["contours"] = h["ax"].contour(xx, yy, zz, levels=levels, cmap="viridis",
                                            linewidths=0.8, alpha=0.8)
            h["start"].set_data([s.start[0]], [s.start[1]])
            h["minima"].set_data(s.minima[:, 0], s.minima[:, 1])
            h["ax"].set(xlim=s.xlim, ylim=s.ylim, xlabel="x", ylabel="y")
            h["ax"].set_title(f"f = {s.formula}", fontsize=9)
            top = max(float(s.f(s.start) - s.f_min), 1.0)
            h["loss"].set_ylim(1e-8, 30 * top)
            h["mesh_key"], full = data["mesh_key"], "full"
        for name, (path, gap) in h["lines"].items():
            run = data["runs"].get(name)
            path.set_visible(run is not None)
            gap.set_visible(run is not None)
            if run is not None:
                path.set_data(run["path"][:, 0], run["path"][:, 1])
                gap.set_data(np.arange(len(run["gap"])), np.maximum(run["gap"], 1e-12))
        return full


def race_explorer(surface="quadratic", kappa=50, lr=0.02, beta=0.9,
                  shown=("sgd", "momentum", "nesterov", "adam")):
    """A SliderPlot: surface dropdown, kappa, lr and beta sliders, one check box per optimizer.

    Choosing a surface sets lr to that surface's suggested value
    (``surface.lr``); kappa only applies to the quadratic.
    """
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "5.5em"}
    wide = W.Layout(width="290px")
    controls = {
        "surface": W.Dropdown(options=list(SURFACES.items()), value=surface,
                              description="surface", style=style, layout=wide),
        "kappa": W.SelectionSlider(options=list(KAPPAS), value=kappa, description="κ (quadratic)",
                                   style=style, layout=wide, disabled=surface != "quadratic"),
        "lr": W.SelectionSlider(options=list(RACE_LRS), value=lr, description="learning rate",
                                style=style, layout=wide),
        "beta": W.SelectionSlider(options=list(BETAS), value=beta, description="momentum β",
                                  style=style, layout=wide),
    }
    for name in OPTIMIZERS:
        controls[f"show_{name}"] = W.Checkbox(value=name in shown, description=LABELS[name],
                                              indent=False, layout=W.Layout(width="140px"))

    def on_surface(change):
        controls["kappa"].disabled = change["new"] != "quadratic"
        controls["lr"].value = make_surface(change["new"], controls["kappa"].value).lr

    controls["surface"].observe(on_surface, names="value")
    race = Race()
    # a new setting computes up to 7 paths and a new surface redraws the contours:
    # redraw when a slider is released, not while it moves
    plot = SliderPlot(controls, race.compute, race.draw, race.update, figsize=(7.4, 3.7),
                      continuous_update=False)
    plot.race = race
    return plot


# -- 2. the batch size: mini-batch SGD on a linear regression -----------------------------

BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
BATCH_N, BATCH_EPOCHS, BATCH_LR = 256, 5, 0.05
BATCH_START = np.array([-1.0, 2.5])  # (w, b)


def regression_data(n=BATCH_N, seed=0):
    """x (N,) ~ normal(1, 1) and y = 2 x - 1 + normal(0, 0.5): a line to fit with (w, b)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(1.0, 1.0, size=n)
    return x, 2.0 * x - 1.0 + rng.normal(0.0, 0.5, size=n)


def regression_loss(w, b, x, y):
    """MSE of the line w x + b on all the data, for any shapes of w and b (broadcast).

        L(w, b) = mean over i of (w x_i + b - y_i)^2
    """
    w, b = np.asarray(w)[..., None], np.asarray(b)[..., None]
    return np.mean((w * x + b - y) ** 2, axis=-1)


def batch_compute(batch_size, epochs=BATCH_EPOCHS, lr=BATCH_LR, seed=0):
    """Mini-batch SGD on L(w, b): each epoch shuffles the N samples and steps once per batch.

    Gradient of a batch B: dL/dw = 2 mean over B of (w x + b - y) x,
    dL/db = 2 mean over B of (w x + b - y). The last batch of an epoch is
    smaller when batch_size does not divide N.

    Returns:
        dict with "batch_size"; "path" (S+1, 2) (w, b) after every step S;
        "gap" (S+1,) L(w, b) - L* on ALL the data (L* the least-squares minimum);
        "seen" (S+1,) examples seen so far; "steps" (S+1,) 0..S; "n", "epochs".
    """
    x, y = regression_data(seed=seed)
    n = len(x)
    rng = np.random.default_rng(seed + 1)
    w, b = BATCH_START
    path, seen = [(w, b)], [0]
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            err = w * x[idx] + b - y[idx]
            w, b = w - lr * 2 * np.mean(err * x[idx]), b - lr * 2 * np.mean(err)
            path.append((w, b))
            seen.append(seen[-1] + len(idx))
    path = np.array(path)
    A = np.column_stack([x, np.ones(n)])
    best = regression_loss(*np.linalg.lstsq(A, y, rcond=None)[0], x, y)
    return {"batch_size": int(batch_size), "path": path, "seen": np.array(seen),
            "gap": regression_loss(path[:, 0], path[:, 1], x, y) - best,
            "steps": np.arange(len(path)), "n": n, "epochs": int(epochs)}


def batch_draw(fig, data):
    ax, per_epoch, per_step = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.1, 1, 1]})
    x, y = regression_data()
    ww, bb = np.meshgrid(np.linspace(-1.5, 3.5, 101), np.linspace(-3.0, 3.0, 101))
    zz = regression_loss(ww, bb, x, y)
    ax.contour(ww, bb, zz, levels=np.geomspace(zz.min() + 0.01, zz.max(), 12), cmap="viridis",
               linewidths=0.8)
    ax.plot(*BATCH_START, "o", color="k", ms=6)
    (path,) = ax.plot([], [], "-", color="C3", lw=0.8)
    ax.set(xlabel="w", ylabel="b", title="path of (w, b)")
    n = data["n"]
    for run in data["all"].values():  # every batch size, faint, for comparison
        per_epoch.plot(run["seen"] / n, run["gap"], color="0.8", lw=0.8)
        per_step.plot(run["steps"][1:], run["gap"][1:], color="0.8", lw=0.8)
    (epoch_curve,) = per_epoch.plot([], [], color="C3", lw=1.5)
    (step_curve,) = per_step.plot([], [], color="C3", lw=1.5)
    per_epoch.set(yscale="log", xlim=(0, data["epochs"]), ylim=(1e-5, 30), xlabel="epochs",
                  ylabel="L(w, b) − min L")
    top = per_epoch.secondary_xaxis("top", functions=(lambda e: e * n, lambda s: s / n))
    top.set_xlabel("examples seen", fontsize=8)
    top.tick_params(labelsize=7)
    per_step.set(xscale="log", yscale="log", ylim=(1e-5, 30), xlabel="steps (updates)",
                 yticklabels=[])
    ax.title.set_fontsize(9)
    fig.tight_layout(rect=(0, 0, 1, 0.92))
    title = fig.suptitle(" ", fontsize=10)
    for artist in (path, epoch_curve, step_curve, title):
        artist.set_animated(True)
    h = {"path": path, "epoch": epoch_curve, "step": step_curve, "title": title}
    batch_update(h, data)
    return h


def batch_update(h, data):
    h["path"].set_data(data["path"][:, 0], data["path"][:, 1])
    h["epoch"].set_data(data["seen"] / data["n"], data["gap"])
    h["step"].set_data(data["steps"][1:], data["gap"][1:])
    steps = len(data["steps"]) - 1
    h["title"].set_text(f"batch size {data['batch_size']}: {steps} steps in {data['epochs']} "
                        f"epochs, final loss − min = {data['gap'][-1]:.1e}")


def batch_explorer(batch_size=16):
    """A SliderPlot with a batch-size slider; every batch size is run once, when built."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    runs = {b: batch_compute(b) for b in BATCH_SIZES}

    def compute(batch_size):
        return {**runs[batch_size], "all": runs}

    controls = {"batch_size": W.SelectionSlider(options=list(BATCH_SIZES), value=batch_size,
                                                description="batch size")}
    plot = SliderPlot(controls, compute, batch_draw, batch_update, figsize=(7.6, 3.2))
    plot.runs = runs
    return plot
