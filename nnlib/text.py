"""Characters as data: a vocabulary, one-hot batches, a small LSTM language model (chapter 07).

    text = nnlib.data.load_text()                 # the course's own corpus (about 26 KB)
    vocab = Vocabulary(text)                      # V distinct characters, sorted
    ids = vocab.encode(text)                      # (L,) int64
    X, y = char_batches(ids, 32, 48, rng, vocab.size)   # X (N, T, V) one-hot, y (N, T) next chars
    model = CharLSTM(vocab.size, 64, rng)         # LSTM(V, H) + a Dense(H, V) at every step
    loss = model.loss_and_backward(X, y)          # mean cross-entropy per character; fills grads
    model.sample(vocab, "The ", 200, temperature=0.8, rng=rng)

Sampling with temperature tau: p = softmax(logits / tau). tau < 1 sharpens the
distribution (safer, more repetitive text), tau > 1 flattens it (more surprising,
more misspelled); tau = 0 means greedy (always the most likely character).

``train_char_model`` is the training loop (Adam, global-norm clipping);
``load_pretrained_char_model`` returns the small model shipped with the course,
made by ``tools/train_char_model.py`` with that same function and a fixed seed.
"""

import json

import numpy as np

from nnlib.activations import softmax
from nnlib.clipping import clip_grad_norm
from nnlib.layers import Dense
from nnlib.losses import softmax_cross_entropy
from nnlib.recurrent import LSTM, TimeDistributed
from nnlib.rnn_cells import lstm_cell
from nnlib.validation import make_rng

PRETRAINED_FILE = "char_lstm.npz"


class Vocabulary:
    """The distinct characters of a text, sorted; character <-> integer id.

    Attributes: ``chars`` (str, the V characters in id order), ``size`` (V).
    """

    def __init__(self, text):
        if not isinstance(text, str) or not text:
            raise ValueError("Vocabulary needs a non-empty str")
        self.chars = "".join(sorted(set(text)))
        self._index = {ch: k for k, ch in enumerate(self.chars)}

    @property
    def size(self):
        return len(self.chars)

    def __len__(self):
        return len(self.chars)

    def encode(self, text):
        """str of length L -> (L,) int64 ids. Unknown characters raise ValueError."""
        unknown = sorted(set(text) - set(self._index))
        if unknown:
            raise ValueError(f"Vocabulary: characters {unknown!r} are not in the vocabulary "
                             f"{self.chars!r}")
        return np.array([self._index[ch] for ch in text], dtype=np.int64)

    def decode(self, ids):
        """Ids (any iterable of ints in 0..V-1) -> str."""
        return "".join(self.chars[int(k)] for k in ids)

    def one_hot(self, ids):
        """ids of shape S (e.g. (N, T)) -> float64 array S + (V,) with a 1 at each id."""
        return np.eye(self.size)[np.asarray(ids)]

    def __repr__(self):
        return f"Vocabulary({self.size} characters: {self.chars!r})"


def char_batches(ids, batch_size, seq_len, rng, vocab_size):
    """Random windows of a text for next-character prediction.

    Each row starts at a random position s: inputs ids[s : s+T], targets
    ids[s+1 : s+T+1] (the next character at every step).

    Args:
        ids: (L,) int ids of the text, L > seq_len.  batch_size: N.  seq_len: T.
        rng: numpy Generator.  vocab_size: V.
    Returns:
        X: (N, T, V) float64 one-hot.  y: (N, T) int64.
    """
    ids = np.asarray(ids)
    T = int(seq_len)
    if T < 1 or ids.ndim != 1 or len(ids) <= T:
        raise ValueError(f"char_batches needs 1-D ids longer than seq_len={T}, got shape {ids.shape}")
    starts = rng.integers(0, len(ids) - T, size=int(batch_size))
    windows = ids[starts[:, None] + np.arange(T + 1)]          # (N, T + 1)
    return np.eye(int(vocab_size))[windows[:, :-1]], windows[:, 1:].astype(np.int64)


def sample_next(logits, temperature, rng):
    """Draw one id from p = softmax(logits / temperature); temperature 0 -> argmax.

    Args:
        logits: (V,).  temperature: >= 0.  rng: numpy Generator.
    Returns:
        int in 0..V-1.
    """
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    if temperature == 0:
        return int(np.argmax(logits))
    z = np.asarray(logits, dtype=np.float64) / temperature
    # softmax without its division: exp(z - max z) never overflows, and the inverse CDF
    # with one uniform number in [0, total) draws id k with probability e_k / total
    # (the same distribution as rng.choice(V, p=softmax(z)), cheaper)
    cdf = np.cumsum(np.exp(z - z.max()))
    k = int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))
    return min(k, len(cdf) - 1)


class CharLSTM:
    """A character language model: LSTM(V, H) then the same Dense(H, V) at every step.

        h = LSTM(X)               X (N, T, V) one-hot -> h (N, T, H)
        logits = h W + b          (N, T, V): scores of the next character
        L = mean over N*T of cross_entropy(softmax(logits), y)

    Args:
        vocab_size: V.  n_hidden: H.  rng: numpy Generator or int seed.
        forget_bias: the LSTM's initial forget-gate bias.
    """

    def __init__(self, vocab_size, n_hidden, rng, forget_bias=1.0):
        rng = make_rng(rng, "CharLSTM")
        self.vocab_size, self.n_hidden = int(vocab_size), int(n_hidden)
        self.lstm = LSTM(self.vocab_size, self.n_hidden, rng, forget_bias=forget_bias)
        self.head = TimeDistributed(Dense(self.n_hidden, self.vocab_size, rng=rng))

    def params(self):
        """Flat dict "lstm.Wx", "lstm.Wh", "lstm.b", "out.W", "out.b" -> the arrays themselves."""
        return {**{f"lstm.{k}": v for k, v in self.lstm.params.items()},
                **{f"out.{k}": v for k, v in self.head.params.items()}}

    def grads(self):
        return {**{f"lstm.{k}": v for k, v in self.lstm.grads.items()},
                **{f"out.{k}": v for k, v in self.head.grads.items()}}

    def forward(self, X, h0=None, c0=None):
        """X (N, T, V) one-hot -> logits (N, T, V)."""
        return self.head.forward(self.lstm.forward(X, h0, c0))

    def loss_and_backward(self, X, y):
        """Mean cross-entropy of the next characters y (N, T); fills grads(). Returns the loss."""
        logits = self.forward(X)
        N, T, V = logits.shape
        flat, labels = logits.reshape(N * T, V), np.asarray(y).reshape(N * T)
        loss = softmax_cross_entropy(flat, labels)
        dlogits = softmax_cross_entropy.grad(flat, labels).reshape(N, T, V)
        self.lstm.backward(self.head.backward(dlogits))
        return loss

    def sample(self, vocab, prime, length, temperature, rng):
        """Feed ``prime`` (a str), then generate ``length`` characters one at a time.

        At each step the last character goes in, the LSTM state is carried on, and
        the next character is drawn with ``sample_next(logits, temperature, rng)``.
        Returns the generated text (without the prime).
        """
        p = self.params()
        Wx, Wh, b, W, bo = p["lstm.Wx"], p["lstm.Wh"], p["lstm.b"], p["out.W"], p["out.b"]
        h = c = np.zeros((1, self.n_hidden))
        ids = list(vocab.encode(prime)) or [0]
        out = []
        for step in range(len(ids) + int(length) - 1):
            k = ids[step] if step < len(ids) else out[-1]
            # one-hot x times Wx is just row k of Wx
            h, c, _ = lstm_cell(Wx[k] + b + h @ Wh, c)
            if step >= len(ids) - 1:
                out.append(sample_next((h @ W + bo)[0], temperature, rng))
        return vocab.decode(out)

    def next_char_probs(self, vocab, prime, temperature=1.0):
        """p (V,): the model's distribution of the character after ``prime`` at a temperature > 0."""
        X = vocab.one_hot(vocab.encode(prime))[None]
        logits = self.forward(X)[0, -1]
        return softmax(logits / temperature)

    def state_arrays(self):
        """Copies of the parameters, for np.savez."""
        return {k: v.copy() for k, v in self.params().items()}

    def load_arrays(self, arrays):
        """Set the parameters from a dict like ``state_arrays()`` (shapes must match)."""
        for k, v in self.params().items():
            if arrays[k].shape != v.shape:
                raise ValueError(f"CharLSTM.load_arrays: {k} has shape {arrays[k].shape}, expected {v.shape}")
            v[...] = arrays[k]

    def __repr__(self):
        n = sum(v.size for v in self.params().values())
        return f"CharLSTM(V={self.vocab_size}, H={self.n_hidden})  # {n} parameters"


def train_char_model(text, n_hidden=64, steps=1000, seq_len=48, batch_size=32, lr=0.01,
                     clip_norm=1.0, seed=0, callback=None):
    """Train a CharLSTM on ``text`` with Adam and global-norm clipping.

    Every step draws a fresh batch of random windows (``char_batches``), so there
    are no epochs; the state starts at zero in every window (truncated BPTT of
    ``seq_len`` steps).

    Args:
        text: str.  n_hidden: H.  steps: optimizer steps.  seq_len: T.  batch_size: N.
        lr: Adam's learning rate.  clip_norm: max global gradient norm (None: no clipping).
        seed: int; initialisation and batches come from default_rng(seed).
        callback: optional ``callback(step, loss, model)`` after every step.
    Returns:
        model (CharLSTM), vocab (Vocabulary), losses (steps,) float64.
    """
    from nnlib.optim import Adam

    rng = np.random.default_rng(seed)
    vocab = Vocabulary(text)
    ids = vocab.encode(text)
    model = CharLSTM(vocab.size, n_hidden, rng)
    opt = Adam(lr=lr)
    params, grads = model.params(), model.grads()
    losses = np.empty(int(steps))
    for step in range(int(steps)):
        X, y = char_batches(ids, batch_size, seq_len, rng, vocab.size)
        losses[step] = model.loss_and_backward(X, y)
        if clip_norm is not None:
            clip_grad_norm(grads, clip_norm)
        opt.step(params, grads)
        if callback is not None:
            callback(step, losses[step], model)
    return model, vocab, losses


def load_pretrained_char_model():
    """The course's small pretrained model (``tools/train_char_model.py``).

    Returns:
        model (CharLSTM), vocab (Vocabulary of nnlib.data.load_text()), info: dict with
        "config" (the arguments of train_char_model) and "losses" (steps,) the
        training loss of every step.
    """
    from nnlib.data import data_file, load_text

    with data_file(PRETRAINED_FILE).open("rb") as f, np.load(f) as z:
        arrays = {k: z[k] for k in z.files}
    config = json.loads(str(arrays.pop("config")))
    losses = arrays.pop("losses").astype(np.float64)
    vocab = Vocabulary(load_text())
    model = CharLSTM(vocab.size, config["n_hidden"], np.random.default_rng(0))
    model.load_arrays({k: v.astype(np.float64) for k, v in arrays.items()})
    return model, vocab, {"config": config, "losses": losses}


__all__ = ["Vocabulary", "char_batches", "sample_next", "CharLSTM", "train_char_model",
           "load_pretrained_char_model"]
