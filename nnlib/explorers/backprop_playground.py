"""Chapter 03 explorer: a training playground, a small classifier on a 2-D data set.

    playground_explorer(dataset="moons", width=4, depth=2, activation="tanh", lr=0.3, epochs=100)

In the spirit of the TensorFlow Playground: the decision boundary and the loss
curve. ``Playground.compute`` (plain numpy, tested; it trains and remembers the
runs) + ``playground_draw`` / ``playground_update`` (matplotlib, changing
artists animated) + the factory. Everything random is seeded.
"""

import functools
from collections import OrderedDict, deque

import numpy as np

from nnlib import data as datasets
from nnlib import losses


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
