"""The chapter 07 exercise checks (nnlib.grading.ch07_rnn_lstm) through check().

Correct implementations written as a learner might pass with several seeds; the
mistakes the issue lists, written independently here, are caught with their
hints; every catalogued mistake is caught with its own hint; stubs are "not
implemented". (Grading the solutions / exercises notebooks end to end is
tests/test_grading_cli.py's job.)
"""

import numpy as np
import pytest

from nnlib.grading import check
from nnlib.grading.ch07_rnn_lstm import EXERCISES
from nnlib.grading.registry import chapter_exercises

SEEDS = [0, 1, 2, 12345]


def stable_sigmoid(a):
    return 0.5 * (1 + np.tanh(0.5 * a))


# -- correct implementations, in different styles ----------------------------------------------
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h = np.tanh(x @ Wx + h_prev @ Wh + b)
    return h, (x, h_prev, Wx, Wh, h)


def rnn_step_forward_stacked(x, h_prev, Wx, Wh, b):
    # one product with [x, h_prev] and the stacked weights
    h = np.tanh(np.hstack([x, h_prev]).dot(np.vstack([Wx, Wh])) + b)
    return [h, [x, h_prev, Wx, Wh, h]]


def rnn_step_backward(dh, cache):
    x, h_prev, Wx, Wh, h = cache
    da = dh * (1 - h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, np.sum(da, axis=0)


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h, caches, h_t = [], [], h0
    for t in range(T):
        h_t, cache = rnn_step_forward(x[:, t, :], h_t, Wx, Wh, b)
        h.append(h_t)
        caches.append(cache)
    return np.stack(h, axis=1), caches


def rnn_forward_prealloc(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    prev = h0
    for t in range(T):
        prev = np.tanh(x[:, t] @ Wx + prev @ Wh + b)
        h[:, t] = prev
    return h, {"h0": h0}


def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b
    i = stable_sigmoid(a[:, :H])
    f = stable_sigmoid(a[:, H:2 * H])
    g = np.tanh(a[:, 2 * H:3 * H])
    o = stable_sigmoid(a[:, 3 * H:])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c, (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c)


def lstm_step_forward_split(x, h_prev, c_prev, Wx, Wh, b):
    from nnlib.activations import sigmoid

    ai, af, ag, ao = np.split(x @ Wx + h_prev @ Wh + b, 4, axis=1)
    i, f, g, o = sigmoid(ai), sigmoid(af), np.tanh(ag), sigmoid(ao)
    c = c_prev * f + g * i
    return o * np.tanh(c), c, (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c)


def lstm_step_backward(dh, dc, cache):
    x, h_prev, c_prev, Wx, Wh, i, f, g, o, c = cache
    tc = np.tanh(c)
    dc_total = dc + dh * o * (1 - tc ** 2)
    di, df, dg, do = dc_total * g, dc_total * c_prev, dc_total * i, dh * tc
    da = np.hstack([di * i * (1 - i), df * f * (1 - f), dg * (1 - g ** 2), do * o * (1 - o)])
    return da @ Wx.T, da @ Wh.T, dc_total * f, x.T @ da, h_prev.T @ da, da.sum(0)


CORRECT = [rnn_step_forward, rnn_step_forward_stacked, rnn_step_backward, rnn_forward,
           rnn_forward_prealloc, lstm_step_forward, lstm_step_forward_split, lstm_step_backward]
NAME = {f: f.__name__.replace("_stacked", "").replace("_prealloc", "").replace("_split", "")
        for f in CORRECT}


@pytest.mark.parametrize("fn", CORRECT, ids=lambda f: f.__name__)
@pytest.mark.parametrize("seed", SEEDS)
def test_correct_implementations_pass(fn, seed, capsys):
    result = check(NAME[fn], fn, seed=seed)
    assert result.passed, result.message
    assert capsys.readouterr().out.startswith(f"Exercise 7.")


def test_exercises_registered_in_order():
    names = [name for name, _ in chapter_exercises(7)]
    assert names == ["rnn_step_forward", "rnn_step_backward", "rnn_forward",
                     "lstm_step_forward", "lstm_step_backward"]


@pytest.mark.parametrize("name", list(EXERCISES))
def test_stubs_are_not_implemented(name):
    def stub(*args):
        raise NotImplementedError(f"Exercise {EXERCISES[name].chapter}.{EXERCISES[name].number}: "
                                  f"implement {name}")

    result = check(name, stub, seed=0)
    assert result.status == "not implemented" and result.points == 0


# -- the mistakes the issue lists, written as a learner would --------------------------------
def rnn_backward_no_tanh_grad(dh, cache):
    x, h_prev, Wx, Wh, h = cache
    return dh @ Wx.T, dh @ Wh.T, x.T @ dh, h_prev.T @ dh, dh.sum(axis=0)


def lstm_forward_cs231n_order(x, h_prev, c_prev, Wx, Wh, b):
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b
    i, f, o = (stable_sigmoid(a[:, k * H:(k + 1) * H]) for k in range(3))
    g = np.tanh(a[:, 3 * H:])
    c = f * c_prev + i * g
    return o * np.tanh(c), c, (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c)


def lstm_forward_no_input_gate(x, h_prev, c_prev, Wx, Wh, b):
    h, c, cache = lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
    i, f, g, o = cache[5:9]
    c = f * c_prev + g
    return o * np.tanh(c), c, cache[:9] + (c,)


def lstm_forward_h_without_tanh(x, h_prev, c_prev, Wx, Wh, b):
    h, c, cache = lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
    return cache[8] * c, c, cache


def lstm_backward_dc_prev_without_f(dh, dc, cache):
    dx, dh_prev, _, dWx, dWh, db = lstm_step_backward(dh, dc, cache)
    o, c = cache[8], cache[9]
    return dx, dh_prev, dc + dh * o * (1 - np.tanh(c) ** 2), dWx, dWh, db


def lstm_backward_wrong_order(dh, dc, cache):
    dx, dh_prev, dc_prev, dWx, dWh, db = lstm_step_backward(dh, dc, cache)
    x, h_prev, _, Wx, Wh = cache[:5]
    H = h_prev.shape[1]
    # recover da from db's construction: redo it with the blocks stacked i, f, o, g
    tc = np.tanh(cache[9])
    i, f, g, o = cache[5:9]
    dct = dc + dh * o * (1 - tc ** 2)
    blocks = [dct * g * i * (1 - i), dct * cache[2] * f * (1 - f), dh * tc * o * (1 - o),
              dct * i * (1 - g ** 2)]
    da = np.concatenate(blocks, axis=1)
    assert da.shape[1] == 4 * H
    return da @ Wx.T, da @ Wh.T, dc_prev, x.T @ da, h_prev.T @ da, da.sum(0)


@pytest.mark.parametrize("name, fn, words", [
    ("rnn_step_backward", rnn_backward_no_tanh_grad, "tanh derivative is missing"),
    ("lstm_step_forward", lstm_forward_cs231n_order, "gates in the wrong order"),
    ("lstm_step_forward", lstm_forward_no_input_gate, "input gate is missing"),
    ("lstm_step_forward", lstm_forward_h_without_tanh, "h = o * tanh(c), not o * c"),
    ("lstm_step_backward", lstm_backward_dc_prev_without_f, "dc_prev is missing the forget gate"),
    ("lstm_step_backward", lstm_backward_wrong_order, "gates in the wrong order"),
])
@pytest.mark.parametrize("seed", SEEDS[:3])
def test_issue_mistakes_are_caught_with_their_hint(name, fn, words, seed):
    result = check(name, fn, seed=seed)
    assert not result.passed
    assert words in result.message, result.message
    if "order" in words:
        assert "i, f, o, g" in result.message and "CS231n" in result.message


# -- every catalogued mistake gets its own hint -----------------------------------------------
CATALOGUE = [(name, k, m) for name, ex in EXERCISES.items() for k, m in enumerate(ex.check.mistakes)]


@pytest.mark.parametrize("name, k, mistake", CATALOGUE, ids=[f"{n}-{k}" for n, k, _ in CATALOGUE])
def test_every_catalogued_mistake_is_caught(name, k, mistake):
    result = check(name, mistake.fn, seed=3)
    assert not result.passed
    assert mistake.hint in result.message, result.message


# -- other verdicts ---------------------------------------------------------------------------
def test_naive_sigmoid_overflow_gets_the_stable_sigmoid_hint():
    def naive(x, h_prev, c_prev, Wx, Wh, b):
        H = h_prev.shape[1]
        a = x @ Wx + h_prev @ Wh + b
        s = 1 / (1 + np.exp(-a))
        i, f, g, o = s[:, :H], s[:, H:2 * H], np.tanh(a[:, 2 * H:3 * H]), s[:, 3 * H:]
        c = f * c_prev + i * g
        return o * np.tanh(c), c, (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c)

    result = check("lstm_step_forward", naive, seed=0)
    assert not result.passed and "numpy warned" in result.message
    assert "stable sigmoid" in result.message


def test_wrong_cache_and_wrong_return_shapes():
    def cache_of_a(x, h_prev, Wx, Wh, b):
        a = x @ Wx + h_prev @ Wh + b
        return np.tanh(a), (x, h_prev, Wx, Wh, a)

    result = check("rnn_step_forward", cache_of_a, seed=0)
    assert "cache item h" in result.message and "1 - h**2" in result.message

    def short_cache(x, h_prev, Wx, Wh, b):
        h = np.tanh(x @ Wx + h_prev @ Wh + b)
        return h, (x, h)

    assert "return cache = (x, h_prev, Wx, Wh, h)" in check("rnn_step_forward", short_cache, seed=0).message

    def last_only(x, h0, Wx, Wh, b):
        h, cache = rnn_forward(x, h0, Wx, Wh, b)
        return h[:, -1], cache

    assert "EVERY hidden state" in check("rnn_forward", last_only, seed=0).message

    def db_not_summed(dh, cache):
        out = rnn_step_backward(dh, cache)
        return out[:4] + (dh * (1 - cache[4] ** 2),)

    assert "da.sum(axis=0)" in check("rnn_step_backward", db_not_summed, seed=0).message

    def h_only(x, h_prev, Wx, Wh, b):
        return np.tanh(x @ Wx + h_prev @ Wh + b)

    assert "return 2 values" in check("rnn_step_forward", h_only, seed=0).message


def test_swapped_weights_give_a_shape_hint():
    def swapped(x, h_prev, Wx, Wh, b):
        h = np.tanh(x @ Wh + h_prev @ Wx + b)
        return h, (x, h_prev, Wx, Wh, h)

    result = check("rnn_step_forward", swapped, seed=0)
    assert "swapped the two weight matrices" in result.message


def test_changing_the_cache_in_place_is_caught():
    def in_place(dh, cache):
        out = rnn_step_backward(dh, cache)
        cache[4][...] = 0
        return out

    result = check("rnn_step_backward", in_place, seed=0)
    assert "changed its input cache in place" in result.message
