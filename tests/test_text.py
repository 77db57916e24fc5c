"""Character helpers and the character LSTM (chapter 07): vocabulary, batches, sampling
with temperature, gradients, and the shipped pretrained model against its tool."""

import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib.data import load_text
from nnlib.gradcheck import numerical_gradient, rel_error
from nnlib.text import (
    CharLSTM, Vocabulary, char_batches, load_pretrained_char_model, sample_next, train_char_model,
)

ROOT = Path(__file__).resolve().parent.parent


def test_vocabulary_round_trip_and_one_hot():
    vocab = Vocabulary("hello world")
    assert vocab.chars == " dehlorw" and vocab.size == len(vocab) == 8
    ids = vocab.encode("hold")
    np.testing.assert_array_equal(ids, [3, 5, 4, 1])
    assert ids.dtype == np.int64 and vocab.decode(ids) == "hold"
    oh = vocab.one_hot(np.array([[0, 7]]))
    assert oh.shape == (1, 2, 8) and oh.sum() == 2 and oh[0, 1, 7] == 1
    with pytest.raises(ValueError, match="'z'.* not in the vocabulary"):
        vocab.encode("zoo")
    with pytest.raises(ValueError, match="non-empty"):
        Vocabulary("")


def test_shipped_text_vocabulary():
    text = load_text()
    vocab = Vocabulary(text)
    assert vocab.size == len(set(text))
    assert vocab.decode(vocab.encode(text)) == text


def test_char_batches_are_shifted_windows():
    ids = np.arange(100)
    X, y = char_batches(ids, 5, 7, np.random.default_rng(0), 100)
    assert X.shape == (5, 7, 100) and y.shape == (5, 7) and y.dtype == np.int64
    inputs = X.argmax(axis=-1)
    np.testing.assert_array_equal(y, inputs + 1)  # the next character at every step
    np.testing.assert_array_equal(np.diff(inputs, axis=1), 1)  # consecutive characters
    assert y.max() <= 99
    X2, y2 = char_batches(ids, 5, 7, np.random.default_rng(0), 100)
    np.testing.assert_array_equal(y, y2)
    with pytest.raises(ValueError, match="longer than seq_len"):
        char_batches(np.arange(5), 2, 5, np.random.default_rng(0), 5)


def test_sample_next_follows_softmax_with_temperature():
    logits = np.log(np.array([0.1, 0.2, 0.7]))
    rng = np.random.default_rng(0)
    draws = np.array([sample_next(logits, 1.0, rng) for _ in range(20000)])
    np.testing.assert_allclose(np.bincount(draws, minlength=3) / 20000, [0.1, 0.2, 0.7], atol=0.015)
    # temperature 0.5 squares the probabilities (then renormalises)
    p = np.array([0.1, 0.2, 0.7]) ** 2
    draws = np.array([sample_next(logits, 0.5, rng) for _ in range(20000)])
    np.testing.assert_allclose(np.bincount(draws, minlength=3) / 20000, p / p.sum(), atol=0.015)
    assert sample_next(logits, 0, rng) == 2  # greedy
    assert sample_next(np.array([1000.0, 0.0, -1000.0]), 0.01, rng) == 0  # no overflow
    with pytest.raises(ValueError, match="temperature"):
        sample_next(logits, -1, rng)


def test_char_lstm_gradients():
    rng = np.random.default_rng(1)
    model = CharLSTM(5, 4, rng)
    for v in model.params().values():
        v[...] = rng.normal(0, 0.5, v.shape)
    X, y = char_batches(rng.integers(0, 5, 40), 3, 6, rng, 5)
    model.loss_and_backward(X, y)
    analytic = {k: g.copy() for k, g in model.grads().items()}
    for name, p in model.params().items():
        num = numerical_gradient(lambda _: model.loss_and_backward(X, y), p)
        # the loss is a mean over N*T = 18 characters: entries near 1e-6 carry
        # round-off of about 1e-10 in the central difference, hence the atol
        np.testing.assert_allclose(analytic[name], num, rtol=1e-6, atol=1e-9, err_msg=name)
        assert rel_error(analytic[name], num) < 1e-4, name


def test_sample_equals_running_the_layers():
    """The sampler's one-step loop gives the same logits as forward on the whole prefix."""
    rng = np.random.default_rng(2)
    vocab = Vocabulary("abcde ")
    model = CharLSTM(vocab.size, 6, rng)
    text = model.sample(vocab, "ab", 10, 0, rng)  # greedy: deterministic
    full = "ab" + text
    logits = model.forward(vocab.one_hot(vocab.encode(full))[None])[0]
    np.testing.assert_array_equal(logits[1:-1].argmax(axis=-1), vocab.encode(full[2:]))
    p = model.next_char_probs(vocab, "ab", temperature=1.0)
    assert p.shape == (6,) and p.sum() == pytest.approx(1.0)
    assert p.argmax() == vocab.encode(text[0])[0]


def test_training_lowers_the_loss_and_is_reproducible():
    text = load_text()[:3000]
    _, _, a = train_char_model(text, n_hidden=16, steps=40, seq_len=16, batch_size=8, seed=3)
    _, _, b = train_char_model(text, n_hidden=16, steps=40, seq_len=16, batch_size=8, seed=3)
    np.testing.assert_array_equal(a, b)
    assert a[-10:].mean() < a[:5].mean() - 0.5


# -- the shipped model and its tool -------------------------------------------------------
def _tool():
    sys.path.insert(0, str(ROOT / "tools"))
    import train_char_model as tool

    return tool


def test_pretrained_model_loads_and_writes_like_the_text():
    model, vocab, info = load_pretrained_char_model()
    assert info["config"] == _tool().CONFIG
    assert len(info["losses"]) == info["config"]["steps"]
    assert info["losses"][-100:].mean() < 1.2 < 3.5 < info["losses"][0]
    sample = model.sample(vocab, "The ", 300, 0.5, np.random.default_rng(0))
    words = sample.split()
    known = set(load_text().split())
    assert sum(w in known for w in words) > 0.5 * len(words)


def test_tool_reproduces_the_start_of_the_shipped_loss_curve():
    """The shipped file came from tools/train_char_model.py with its seed: the first
    training steps, rerun here, give the shipped losses (the full rerun, a few minutes:
    `python tools/train_char_model.py --check`)."""
    tool = _tool()
    _, _, info = load_pretrained_char_model()
    config = dict(tool.CONFIG, steps=15)
    _, _, losses = tool.train(config)
    np.testing.assert_allclose(losses, info["losses"][:15], rtol=1e-5)
