"""Chapter 07 explorer: how far back can a recurrent network remember?

The task is the adding problem (``nnlib.data.adding_problem``): T steps of a
random value in [0, 1] and a marker; exactly two steps are marked, one in each
half, and the answer is the sum of the two marked values. The first marked
value must survive up to T - 1 steps in the state (and its gradient must
travel back as far). A prediction counts as correct when it is within
TOLERANCE = 0.1 of the sum; always answering 1 (the best constant) is correct
for 19 % of sequences (BASELINE).

Three models, the same size (H = 32), trained the same way (Adam, lr 0.01,
batches of 32 fresh sequences, mean squared error, global-norm clipping at 1):
a vanilla RNN, an LSTM with forget-gate bias 1 (nnlib's default) and one with bias 3.

Training all of them for every T takes minutes, too long for a notebook, so
the explorer shows results computed by ``tools/precompute_memory.py`` with
``memory_run`` below and shipped in ``nnlib/data/files/memory_adding.json``
(tests/test_explorers_recurrent.py reruns a cheap entry and compares).
``memory_run`` is a plain function: run any configuration yourself.
"""

import json

import numpy as np

MEMORY_FILE = "memory_adding.json"
# label -> (cell, forget bias); the order of the legend
MODELS = {"RNN": ("rnn", None), "LSTM, forget bias 1": ("lstm", 1.0),
          "LSTM, forget bias 3": ("lstm", 3.0)}
COLORS = {"RNN": "C3", "LSTM, forget bias 1": "C0", "LSTM, forget bias 3": "C2"}
SETTINGS = {"n_hidden": 32, "batch_size": 32, "lr": 0.01, "clip_norm": 1.0, "n_test": 400,
            "eval_every": 25}
TOLERANCE = 0.1
BASELINE = 1 - 0.9 ** 2   # P(|y - 1| < 0.1) for y = u1 + u2, u ~ U(0, 1): 0.19


def build_model(model, n_hidden, rng):
    """Sequential([RNN or LSTM (2 inputs), LastStep(), Dense(H, 1)]) for a label of MODELS."""
    from nnlib.layers import Dense
    from nnlib.model import Sequential
    from nnlib.recurrent import LSTM, RNN, LastStep

    cell, forget_bias = MODELS[model]
    layer = RNN(2, n_hidden, rng) if cell == "rnn" else LSTM(2, n_hidden, rng, forget_bias=forget_bias)
    return Sequential([layer, LastStep(), Dense(n_hidden, 1, rng=rng)])


def memory_run(model, T, seed, steps=600, n_hidden=32, batch_size=32, lr=0.01, clip_norm=1.0,
               n_test=400, eval_every=25):
    """Train one model on the adding problem with sequences of length T; test as it learns.

    Args:
        model: a label of MODELS ("RNN", "LSTM, forget bias 1", ...).  T: sequence length.
        seed: int; weights, test set and batches all come from default_rng(seed).
        steps: Adam steps, one fresh batch each.  Others: see SETTINGS.
    Returns:
        dict: "steps" (K,) the step counts at which the model was tested,
        "accuracy" (K,) the fraction of n_test fixed test sequences whose sum is
        predicted within TOLERANCE, "loss" (K,) the mean training loss (MSE) of the
        steps since the previous test.
    """
    from nnlib.clipping import clip_grad_norm
    from nnlib.data import adding_problem
    from nnlib.losses import mse as loss
    from nnlib.optim import Adam

    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}; valid: {', '.join(MODELS)}")
    rng = np.random.default_rng(seed)
    net = build_model(model, n_hidden, rng)
    X_test, y_test = adding_problem(n_test, T, rng)
    opt = Adam(lr=lr)
    params, grads = net.params(), net.grads()
    out = {"steps": [], "accuracy": [], "loss": []}
    recent = []
    for step in range(1, steps + 1):
        X, y = adding_problem(batch_size, T, rng)
        y = y[:, None]                                   # (N, 1), like the output
        pred = net.forward(X, training=True)
        recent.append(loss(pred, y))
        net.backward(loss.grad(pred, y))
        clip_grad_norm(grads, clip_norm)
        opt.step(params, grads)
        if step % eval_every == 0:
            out["steps"].append(step)
            error = np.abs(net.forward(X_test)[:, 0] - y_test)
            out["accuracy"].append(float(np.mean(error < TOLERANCE)))
            out["loss"].append(float(np.mean(recent)))
            recent = []
    return out


def load_memory_results():
    """The shipped results: dict with "lengths" (list of T), "seeds", "steps",
    "settings", and "runs": {model: {str(T): [one memory_run dict per seed]}}."""
    from nnlib.data import data_file

    return json.loads(data_file(MEMORY_FILE).read_text())


# --- the explorer ------------------------------------------------------------------------------

def memory_compute(T, results):
    """The curves at length T, from ``results`` (``load_memory_results()``).

    Returns:
        dict with "T", "steps" (K,), "curves" {model: (K,) mean test accuracy over
        seeds vs step}, "lengths" (L,), "final" {model: (L,) mean final accuracy
        per length}, "final_seeds" {model: (L, S)}, "at_T" {model: final mean at T}.
    """
    lengths = results["lengths"]
    if T not in lengths:
        raise ValueError(f"no shipped results for T={T}; lengths: {lengths}")
    runs = results["runs"]
    curves, final, final_seeds = {}, {}, {}
    for model in MODELS:
        curves[model] = np.mean([r["accuracy"] for r in runs[model][str(T)]], axis=0)
        final_seeds[model] = np.array([[r["accuracy"][-1] for r in runs[model][str(L)]]
                                       for L in lengths])
        final[model] = final_seeds[model].mean(axis=1)
    steps = np.array(runs["RNN"][str(T)][0]["steps"])
    return {"T": T, "steps": steps, "curves": curves, "lengths": np.array(lengths),
            "final": final, "final_seeds": final_seeds,
            "at_T": {m: float(final[m][lengths.index(T)]) for m in MODELS}}


def memory_draw(fig, data):
    learn, summary = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
    lines = {}
    for model in MODELS:
        (lines[model],) = learn.plot(data["steps"], data["curves"][model], lw=2,
                                     color=COLORS[model], label=model)
        lines[model].set_animated(True)
        summary.plot(data["lengths"], data["final"][model], "-o", ms=4, lw=1.5,
                     color=COLORS[model])
        for k in range(data["final_seeds"][model].shape[1]):  # each seed, faintly
            summary.plot(data["lengths"], data["final_seeds"][model][:, k], ".", ms=3,
                         color=COLORS[model], alpha=0.35)
    for ax in (learn, summary):
        ax.axhline(BASELINE, color="0.6", ls=":", lw=1)
        ax.set_ylim(0, 1.05)
        ax.grid(alpha=0.25)
    learn.text(data["steps"][-1], BASELINE - 0.075, "answering 1 always (19 %)", color="0.45",
               fontsize=8, ha="right")
    learn.set(xlabel="training step", ylabel=f"sums within ±{TOLERANCE} (mean of seeds)",
              xlim=(0, data["steps"][-1]))
    fig.legend(handles=list(lines.values()), loc="lower center", ncol=3, fontsize=8.5, frameon=False)
    summary.set(xlabel="sequence length T", ylabel="sums within ±0.1 after 600 steps")
    summary.set_title("after training, every T", fontsize=10)
    marker = summary.axvline(data["T"], color="0.3", lw=1.2, ls="--")
    learn.set_title("T", fontsize=10)   # reserve room before the layout; the text changes: animated
    fig.tight_layout(rect=(0, 0.07, 1, 1))   # room for the legend below
    learn.title.set_animated(True)
    marker.set_animated(True)
    handles = {"lines": lines, "marker": marker, "title": learn.title}
    memory_update(handles, data)
    return handles


def memory_update(h, data):
    for model, line in h["lines"].items():
        line.set_ydata(data["curves"][model])
    h["marker"].set_xdata([data["T"], data["T"]])
    best = {m: f"{v:.0%}" for m, v in data["at_T"].items()}
    h["title"].set_text(f"T = {data['T']}: RNN {best['RNN']}, LSTM {best['LSTM, forget bias 1']} "
                        f"(bias 1), {best['LSTM, forget bias 3']} (bias 3)")


def memory_explorer(T=20):
    """A SliderPlot with the sequence length T (the shipped lengths)."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    results = load_memory_results()   # read once; each redraw only picks a length
    controls = {"T": W.SelectionSlider(options=results["lengths"], value=T,
                                       description="length T", style={"description_width": "5em"})}
    return SliderPlot(controls, lambda T: memory_compute(T, results), memory_draw, memory_update,
                      figsize=(7.4, 3.6))
