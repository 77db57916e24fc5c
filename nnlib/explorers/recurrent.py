"""Chapter 07 explorers: gradients through time, memory, a character model.

    gradient_explorer(T=40, scale=1.0, forget_bias=1.0)   ||dL/dh_t|| against t, RNN vs LSTM
    memory_explorer(T=20)                                  (recurrent_memory.py) RNN vs LSTM on the adding problem
    char_explorer(temperature=0.8, seed=0)                 (recurrent_text.py) the pretrained character LSTM

Each is ``compute`` (pure numpy, tested) + ``draw`` / ``update`` (changing artists
animated, so a redraw repaints only them) + a factory that builds the SliderPlot.

The gradient explorer: one RNN and one LSTM (D = 4 inputs, H = 32 units, a batch of
N = 2 fixed random sequences). The loss reads only the last state, L = sum(h_T * r)
for a fixed random r, so dL/dh_T = r and every earlier dL/dh_t is what BPTT carries
back. The RNN's recurrent matrix is ``scale`` times a fixed random matrix with
spectral radius 1, so its spectral radius is ``scale``; the LSTM's four recurrent
blocks are scaled the same way, and its forget gate starts at ``forget_bias``.
"""

import numpy as np

from nnlib.explorers.recurrent_memory import memory_compute, memory_explorer  # noqa: F401
from nnlib.explorers.recurrent_text import char_compute, char_explorer  # noqa: F401
from nnlib.recurrent import LSTM, RNN

T_MAX, D, H, N = 80, 4, 32, 2
YLIM = (1e-16, 1e6)
COLORS = {"RNN": "C3", "LSTM": "C0"}


def draw_unrolled(ax, T=4):
    """A diagram of an RNN unrolled over T steps: inputs x_t below, one cell per step
    (the SAME weights), the state h_t passed to the right and shown above."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    def arrow(x0, y0, x1, y1, color="0.25"):
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=12,
                                     color=color, lw=1.4))

    for t in range(1, T + 1):
        x = 2.0 * t
        ax.add_patch(FancyBboxPatch((x - 0.55, -0.4), 1.1, 0.8, boxstyle="round,pad=0.05",
                                    facecolor="#dbe8f5", edgecolor="C0", lw=1.5))
        ax.text(x, 0, "tanh", ha="center", va="center", fontsize=9)
        ax.text(x, -1.45, f"$x_{t}$", ha="center", va="center", fontsize=11)
        ax.text(x, 1.45, f"$h_{t}$", ha="center", va="center", fontsize=11)
        arrow(x, -1.2, x, -0.47, "C1")
        arrow(x, 0.47, x, 1.2, "C2")
        arrow(x - 1.45 if t > 1 else 0.55, 0, x - 0.62, 0, "C3")
    ax.text(0.3, 0, "$h_0$", ha="right", va="center", fontsize=11)
    ax.text(2.0 * T + 0.7, 0, "...", ha="left", va="center", fontsize=12)
    ax.text(2.5, -0.75, "$W_x$", color="C1", fontsize=9)
    ax.text(2.9, 0.15, "$W_h$", color="C3", fontsize=9)
    ax.set(xlim=(-0.3, 2.0 * T + 1.3), ylim=(-1.8, 1.8), aspect="equal")
    ax.axis("off")


def _unit_radius(W):
    """W scaled to spectral radius 1 (the largest |eigenvalue|)."""
    return W / np.max(np.abs(np.linalg.eigvals(W)))


def _setup(seed=0):
    """Fixed inputs and base weights (the same for every slider position)."""
    rng = np.random.default_rng(seed)
    rnn, lstm = RNN(D, H, rng), LSTM(D, H, rng)
    base_rnn = _unit_radius(rng.normal(size=(H, H)))
    base_lstm = np.hstack([_unit_radius(rng.normal(size=(H, H))) for _ in range(4)])
    x = rng.normal(size=(N, T_MAX, D))
    r = rng.normal(size=(N, H))
    return {"rnn": rnn, "lstm": lstm, "base_rnn": base_rnn, "base_lstm": base_lstm, "x": x,
            "r": r / np.linalg.norm(r)}


def gradient_norms(layer, x, r):
    """||dL/dh_t|| for t = 1..T for the loss L = sum(h_T * r) on the last state.

    Args:
        layer: an nnlib recurrent layer.  x: (N, T, D).  r: (N, H), dL/dh_T.
    Returns:
        (T,) norms; entry t - 1 belongs to h_t (the layer's ``grad_norms``).
    """
    h = layer.forward(x)
    dh = np.zeros_like(h)
    dh[:, -1] = r
    layer.backward(dh)
    return layer.grad_norms.copy()


def gradient_compute(T, scale, forget_bias, setup=None):
    """The gradient through time of an RNN and an LSTM for a loss on the last of T steps.

    Args:
        T: sequence length, 2..T_MAX.  scale: spectral radius of the RNN's Wh.
        forget_bias: the LSTM's forget-gate bias (every unit).
        setup: the fixed weights and inputs (``_setup()``; made on the fly if None).
    Returns:
        dict with "T", "scale", "forget_bias", "back" (T,) the steps back from the loss
        0..T-1, "norms" {"RNN": (T,), "LSTM": (T,)} ||dL/dh_{T-k}|| for k = back
        (so entry 0 is ||r|| = 1), and "ratio" {name: ||dL/dh_1|| / ||dL/dh_T||}.
    """
    s = _setup() if setup is None else setup
    rnn, lstm = s["rnn"], s["lstm"]
    rnn.params["Wh"][...] = scale * s["base_rnn"]
    lstm.params["Wh"][...] = scale * s["base_lstm"]
    lstm.params["b"][H:2 * H] = forget_bias
    x = s["x"][:, :T]
    norms = {"RNN": gradient_norms(rnn, x, s["r"])[::-1],
             "LSTM": gradient_norms(lstm, x, s["r"])[::-1]}
    return {"T": T, "scale": scale, "forget_bias": forget_bias, "back": np.arange(T),
            "norms": norms, "ratio": {k: float(v[-1] / v[0]) for k, v in norms.items()}}


def gradient_draw(fig, data):
    ax = fig.subplots()
    lines = {}
    for name in ("RNN", "LSTM"):
        (lines[name],) = ax.semilogy([], [], lw=2, color=COLORS[name],
                                     label=name if name == "RNN" else "LSTM (forget bias slider)")
    ax.axhline(1.0, color="0.6", lw=0.8, ls=":")
    ax.set(xlim=(0, T_MAX - 1), ylim=YLIM, xlabel="k = steps back from the loss (t = T - k)",
           ylabel=r"$\Vert dL/dh_t \Vert$  (1 at the loss)")
    ax.grid(alpha=0.25, which="major")
    ax.legend(loc="upper left", fontsize=8, frameon=True, framealpha=0.9)
    text = ax.text(0.98, 0.04, "", transform=ax.transAxes, ha="right", va="bottom", fontsize=8.5,
                   bbox={"facecolor": "white", "edgecolor": "0.8", "alpha": 0.9})
    ax.set_title("T", fontsize=10)   # reserve room before the layout; the text changes: animated
    fig.tight_layout()
    for artist in [*lines.values(), text, ax.title]:
        artist.set_animated(True)
    handles = {"lines": lines, "text": text, "title": ax.title}
    gradient_update(handles, data)
    return handles


def gradient_update(h, data):
    for name, line in h["lines"].items():
        # clipped into the axes so that a vanished or exploded gradient stays visible at the edge
        line.set_data(data["back"], np.clip(data["norms"][name], YLIM[0], YLIM[1]))
    k = data["T"] - 1
    h["text"].set_text(f"after {k} steps back:\nRNN x{data['ratio']['RNN']:.1e}\n"
                       f"LSTM x{data['ratio']['LSTM']:.1e}")
    h["title"].set_text(f"T = {data['T']}, spectral radius of the RNN's Wh = {data['scale']:.2f}, "
                        f"forget bias = {data['forget_bias']:.1f}")


class _Cached:
    """compute(**values) with the fixed setup and a per-explorer cache of results."""

    def __init__(self):
        self.setup, self.results = _setup(), {}

    def __call__(self, T, scale, forget_bias):
        key = (int(T), round(float(scale), 4), round(float(forget_bias), 4))
        if key not in self.results:
            self.results[key] = gradient_compute(*key, setup=self.setup)
        return self.results[key]


def gradient_explorer(T=40, scale=1.0, forget_bias=1.0):
    """A SliderPlot: sequence length T, the recurrent weights' scale, the LSTM's forget bias."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "7em"}
    controls = {
        "T": W.IntSlider(value=T, min=2, max=T_MAX, step=1, description="length T", style=style),
        "scale": W.FloatSlider(value=scale, min=0.5, max=1.5, step=0.05, description="radius of Wh",
                               style=style),
        "forget_bias": W.FloatSlider(value=forget_bias, min=-3.0, max=5.0, step=0.5,
                                     description="forget bias", style=style),
    }
    return SliderPlot(controls, _Cached(), gradient_draw, gradient_update, figsize=(7.2, 3.6),
                      continuous_update=False)
