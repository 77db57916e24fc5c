"""Chapter 07 explorer: sampling from a small character LSTM, with a temperature.

The model is the one shipped with the course (``nnlib.text.load_pretrained_char_model``:
LSTM with H = 64 trained for 3,000 steps on ``nnlib.data.load_text()`` by
``tools/train_char_model.py``; training takes minutes, so the notebook loads it).
The controls pick the temperature, the random seed of the sampler and the text
the model reads first (the prime). The plots: the training loss, the model's
distribution of the next character after the prime at that temperature, and
a sample.
"""

import textwrap

import numpy as np

PRIMES = ("The ", "The sea ", "A neuron ", "When the wind ", "The gradient ")
LENGTH = 240      # characters per sample
TOP = 12          # bars: the most likely next characters
WIDTH = 76        # characters per line of the shown sample


def show_char(ch):
    """A visible label for a character: space and newline get symbols."""
    return {" ": "␣", "\n": "⏎"}.get(ch, ch)


def smooth(values, window=50):
    """Moving average (valid part) of a (K,) array: (K - window + 1,)."""
    kernel = np.ones(window) / window
    return np.convolve(values, kernel, mode="valid")


def char_compute(temperature, seed, prime, model, vocab, losses):
    """Sample from the model and its next-character distribution.

    Args:
        temperature: > 0.  seed: int for the sampler's rng.  prime: str the model reads first.
        model, vocab: from load_pretrained_char_model().  losses: (S,) its training losses.
    Returns:
        dict with "text" (LENGTH characters sampled after the prime), "prime",
        "top_chars" (TOP,) str labels, "top_p" (TOP,) their probabilities at this
        temperature (the TOP most likely characters, most likely first), "entropy"
        (nats) of the whole distribution, "losses", "smooth" (the moving average),
        "temperature", "seed".
    """
    text = model.sample(vocab, prime, LENGTH, temperature, np.random.default_rng(seed))
    p = model.next_char_probs(vocab, prime, temperature)
    order = np.argsort(-p, kind="stable")[:TOP]
    entropy = float(-np.sum(p[p > 0] * np.log(p[p > 0])))
    return {"text": text, "prime": prime, "top_chars": [show_char(vocab.chars[k]) for k in order],
            "top_p": p[order], "entropy": entropy, "losses": losses, "smooth": smooth(losses),
            "temperature": temperature, "seed": seed}


def _wrapped(data):
    body = data["prime"] + data["text"]
    lines = []
    for paragraph in body.split("\n"):
        lines += textwrap.wrap(paragraph, WIDTH) or [""]
    return "\n".join(lines[:9])


def char_draw(fig, data):
    grid = fig.add_gridspec(2, 2, height_ratios=[1, 0.95], width_ratios=[1, 1.25])
    loss_ax, bar_ax = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    text_ax = fig.add_subplot(grid[1, :])
    steps = np.arange(1, len(data["losses"]) + 1)
    loss_ax.plot(steps, data["losses"], color="0.75", lw=0.6, label="every step")
    loss_ax.plot(steps[len(steps) - len(data["smooth"]):], data["smooth"], color="C0", lw=1.8,
                 label="mean of 50")
    loss_ax.set(xlabel="training step", ylabel="loss (nats / char)", ylim=(0.5, 4.2))
    loss_ax.set_title("training (shipped model)", fontsize=10)
    loss_ax.legend(fontsize=8, frameon=False, loc="upper right")
    loss_ax.grid(alpha=0.25)
    bars = bar_ax.bar(range(TOP), data["top_p"], color="C2")
    bar_ax.set_xticks(range(TOP), data["top_chars"], fontsize=10, family="monospace")
    bar_ax.set(ylim=(0, 1), ylabel="p(next char)")
    bar_ax.set_title(" ", fontsize=10)
    text_ax.axis("off")
    sample = text_ax.text(0.0, 1.0, "", va="top", ha="left", family="monospace", fontsize=8.6,
                          transform=text_ax.transAxes)
    fig.tight_layout(h_pad=0.6)
    for artist in [*bars, sample, bar_ax.title]:
        artist.set_animated(True)
    handles = {"bars": bars, "sample": sample, "bar_title": bar_ax.title, "bar_ax": bar_ax,
               "chars": list(data["top_chars"])}
    char_update(handles, data)
    return handles


def char_update(h, data):
    for bar, p in zip(h["bars"], data["top_p"]):
        bar.set_height(p)
    h["bar_title"].set_text(f"after {data['prime']!r}, temperature {data['temperature']:.2f}")
    h["sample"].set_text(_wrapped(data))
    if list(data["top_chars"]) != h["chars"]:   # a new prime: new tick labels (a full redraw)
        h["bar_ax"].set_xticks(range(TOP), data["top_chars"], fontsize=10, family="monospace")
        h["chars"] = list(data["top_chars"])
        return "full"
    return None


class _Cached:
    """compute(**values) with the model loaded once and a per-explorer cache of samples."""

    def __init__(self):
        from nnlib.text import load_pretrained_char_model

        self.model, self.vocab, info = load_pretrained_char_model()
        self.losses = info["losses"]
        self.results = {}

    def __call__(self, temperature, seed, prime):
        key = (round(float(temperature), 4), int(seed), prime)
        if key not in self.results:
            self.results[key] = char_compute(*key, self.model, self.vocab, self.losses)
        return self.results[key]


def char_explorer(temperature=0.8, seed=0, prime="The "):
    """A SliderPlot: temperature, sampler seed and prime for the pretrained character LSTM."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "7em"}
    controls = {
        "temperature": W.FloatSlider(value=temperature, min=0.05, max=2.0, step=0.05,
                                     description="temperature", style=style),
        "seed": W.IntSlider(value=seed, min=0, max=50, description="sampler seed", style=style),
        "prime": W.Dropdown(options=PRIMES, value=prime, description="first words", style=style),
    }
    return SliderPlot(controls, _Cached(), char_draw, char_update, figsize=(7.4, 4.3),
                      layout="stacked", continuous_update=False)
