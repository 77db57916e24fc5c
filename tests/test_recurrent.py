"""Recurrent cells and layers (chapter 07): hand-computed values, gradient checks, BPTT
bookkeeping (norms, truncation), shapes and error messages."""

import numpy as np
import pytest

from nnlib.gradcheck import check_layer, numerical_gradient, rel_error
from nnlib.layers import Dense
from nnlib.losses import softmax_cross_entropy
from nnlib.model import Sequential
from nnlib.recurrent import GRU, LSTM, RNN, LastStep, TimeDistributed
from nnlib.rnn_cells import (
    gru_step_backward, gru_step_forward, lstm_step_backward, lstm_step_forward, rnn_backward,
    rnn_forward, rnn_step_backward, rnn_step_forward,
)

CLASSES = [RNN, LSTM, GRU]


def sig(z):
    return 1 / (1 + np.exp(-z))


def randomize(layer, rng, scale=0.5):
    for v in layer.params.values():
        v[...] = rng.normal(0, scale, v.shape)
    return layer


# -- one step by hand -------------------------------------------------------------------
def test_rnn_step_by_hand():
    x, h_prev = np.array([[1.0, 2.0]]), np.array([[0.5]])
    Wx, Wh, b = np.array([[0.1], [0.2]]), np.array([[-1.0]]), np.array([0.3])
    h, cache = rnn_step_forward(x, h_prev, Wx, Wh, b)
    assert h.shape == (1, 1)
    assert h[0, 0] == pytest.approx(np.tanh(0.1 + 0.4 - 0.5 + 0.3))
    assert len(cache) == 5 and cache[-1] is h
    relu_h, _ = rnn_step_forward(x, h_prev, Wx, Wh, -np.array([1.0]), activation="relu")
    assert relu_h[0, 0] == 0.0


def test_lstm_step_by_hand_gate_order():
    # D = 1, H = 1: a = x Wx + h Wh + b has four entries, one per gate i, f, g, o
    x, h_prev, c_prev = np.array([[1.0]]), np.array([[0.0]]), np.array([[2.0]])
    Wx = np.array([[0.5, -1.0, 2.0, 0.25]])
    h, c, cache = lstm_step_forward(x, h_prev, c_prev, Wx, np.zeros((1, 4)), np.zeros(4))
    i, f, g, o = sig(0.5), sig(-1.0), np.tanh(2.0), sig(0.25)
    assert c[0, 0] == pytest.approx(f * 2.0 + i * g)
    assert h[0, 0] == pytest.approx(o * np.tanh(f * 2.0 + i * g))
    np.testing.assert_allclose([v[0, 0] for v in cache[5:9]], [i, f, g, o])


def test_gru_step_by_hand():
    x, h_prev = np.array([[1.0]]), np.array([[0.5]])
    Wx, Wh = np.array([[0.3, -0.2, 0.7]]), np.array([[0.1, 0.4, -0.6]])
    b, bhn = np.array([0.05, 0.1, -0.1]), np.array([0.2])
    h, _ = gru_step_forward(x, h_prev, Wx, Wh, b, bhn)
    r = sig(0.3 + 0.05 + 0.05)
    z = sig(-0.2 + 0.1 + 0.2)
    n = np.tanh(0.7 - 0.1 + r * (-0.3 + 0.2))
    assert h[0, 0] == pytest.approx((1 - z) * n + z * 0.5)


# -- step backward: numerical gradients ----------------------------------------------
def _numeric_step_check(forward, backward, arrays, n_states, rng):
    """Check backward(d_out..., cache) against central differences of
    L = sum(out_k * R_k) for every array in ``arrays`` (a dict in argument order)."""
    outs = forward(*arrays.values())
    R = [rng.normal(size=o.shape) for o in outs[:n_states]]
    grads = backward(*R, outs[-1])

    def loss():
        return sum(float(np.sum(o * r)) for o, r in zip(forward(*arrays.values())[:n_states], R))

    return {name: rel_error(g, numerical_gradient(lambda _: loss(), arr))
            for (name, arr), g in zip(arrays.items(), grads)}


def test_step_backwards_match_numerical_gradients():
    rng = np.random.default_rng(1)
    N, D, H = 3, 4, 5
    rnn = {"x": rng.normal(size=(N, D)), "h_prev": rng.normal(size=(N, H)),
           "Wx": rng.normal(size=(D, H)), "Wh": rng.normal(size=(H, H)), "b": rng.normal(size=H)}
    errs = _numeric_step_check(rnn_step_forward, rnn_step_backward, rnn, 1, rng)
    assert max(errs.values()) < 1e-6, errs
    lstm = {"x": rng.normal(size=(N, D)), "h_prev": rng.normal(size=(N, H)),
            "c_prev": rng.normal(size=(N, H)), "Wx": rng.normal(size=(D, 4 * H)),
            "Wh": rng.normal(size=(H, 4 * H)), "b": rng.normal(size=4 * H)}
    errs = _numeric_step_check(lstm_step_forward, lstm_step_backward, lstm, 2, rng)
    # lstm_step_backward returns (dx, dh_prev, dc_prev, dWx, dWh, db): the order of `lstm`
    errs = dict(zip(["x", "h_prev", "c_prev", "Wx", "Wh", "b"], errs.values()))
    assert max(errs.values()) < 1e-6, errs
    gru = {"x": rng.normal(size=(N, D)), "h_prev": rng.normal(size=(N, H)),
           "Wx": rng.normal(size=(D, 3 * H)), "Wh": rng.normal(size=(H, 3 * H)),
           "b": rng.normal(size=3 * H), "bhn": rng.normal(size=H)}
    errs = _numeric_step_check(gru_step_forward, gru_step_backward, gru, 1, rng)
    assert max(errs.values()) < 1e-6, errs


# -- layers: gradient checks --------------------------------------------------------------
@pytest.mark.parametrize("cls", CLASSES)
def test_layer_gradient_check(cls):
    rng = np.random.default_rng(2)
    layer = randomize(cls(3, 4, rng), rng)
    errors = check_layer(layer, rng.normal(size=(2, 5, 3)), rng=rng)
    assert set(errors) == {"x", *layer.params}
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("cls", CLASSES)
def test_initial_state_gradients(cls):
    rng = np.random.default_rng(3)
    layer = randomize(cls(2, 3, rng), rng)
    x = rng.normal(size=(2, 4, 2))
    states = {"h0": rng.normal(size=(2, 3))}
    if cls is LSTM:
        states["c0"] = rng.normal(size=(2, 3))
    R = rng.normal(size=(2, 4, 3))

    def loss():
        return float(np.sum(layer.forward(x, **states) * R))

    layer.forward(x, **states)
    layer.backward(R)
    for name, value in states.items():
        num = numerical_gradient(lambda _: loss(), value)
        assert rel_error(getattr(layer, f"d{name}"), num) < 1e-6


def test_rnn_relu_gradient_check():
    rng = np.random.default_rng(4)
    layer = randomize(RNN(3, 4, rng, activation="relu"), rng)
    assert max(check_layer(layer, rng.normal(size=(2, 4, 3)), rng=rng).values()) < 1e-6


# -- the layer's fast path equals the plain loop of step functions ------------------------
def test_rnn_layer_equals_step_loop():
    rng = np.random.default_rng(5)
    layer = randomize(RNN(3, 4, rng), rng)
    x, h0 = rng.normal(size=(2, 6, 3)), rng.normal(size=(2, 4))
    h = layer.forward(x, h0)
    p = layer.params
    h_loop, cache = rnn_forward(x, h0, p["Wx"], p["Wh"], p["b"])
    np.testing.assert_allclose(h, h_loop, rtol=1e-12, atol=1e-14)
    dh = rng.normal(size=h.shape)
    dx = layer.backward(dh)
    ref = rnn_backward(dh, cache)
    for got, want in zip((dx, layer.dh0, layer.grads["Wx"], layer.grads["Wh"], layer.grads["b"]), ref):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_lstm_layer_equals_step_loop_and_keeps_cell_states():
    rng = np.random.default_rng(6)
    layer = randomize(LSTM(3, 2, rng), rng)
    x = rng.normal(size=(4, 5, 3))
    h = layer.forward(x)
    p = layer.params
    h_t = c_t = np.zeros((4, 2))
    for t in range(5):
        h_t, c_t, _ = lstm_step_forward(x[:, t], h_t, c_t, p["Wx"], p["Wh"], p["b"])
        np.testing.assert_allclose(h[:, t], h_t, rtol=1e-12)
        np.testing.assert_allclose(layer.c[:, t], c_t, rtol=1e-12)


# -- BPTT bookkeeping -------------------------------------------------------------------
def test_grad_norms_are_the_total_gradient_of_each_state():
    rng = np.random.default_rng(7)
    layer = randomize(RNN(2, 3, rng), rng)
    x = rng.normal(size=(2, 5, 2))
    dh = np.zeros((2, 5, 3))
    dh[:, -1] = rng.normal(size=(2, 3))  # loss on the last state only
    layer.forward(x)
    layer.backward(dh)
    # dL/dh_t for the loss L = sum(h_T * dh_T), numerically, via the state h_t as h0
    for t in range(5):
        h_all = layer.forward(x)
        h_t = h_all[:, t].copy()
        tail = x[:, t + 1:]

        def loss(h_start, tail=tail):
            if tail.shape[1] == 0:
                return float(np.sum(h_start * dh[:, -1]))
            return float(np.sum(layer.forward(tail, h_start)[:, -1] * dh[:, -1]))

        g = numerical_gradient(loss, h_t)
        assert layer.grad_norms[t] == pytest.approx(np.linalg.norm(g), rel=1e-6)
    assert layer.grad_norms.shape == (5,)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("k", [1, 2, 3])
def test_truncated_bptt_equals_independent_chunks(cls, k):
    """Cutting every k steps = running each chunk separately from the (constant) state
    the full forward reached, and adding up the chunks' gradients."""
    rng = np.random.default_rng(8)
    layer = randomize(cls(2, 3, rng, truncate=k), rng)
    N, T = 2, 7
    x, dh = rng.normal(size=(N, T, 2)), rng.normal(size=(N, T, 3))
    layer.forward(x)
    states = [layer.forward(x)] + ([layer.c] if cls is LSTM else [])
    dx = layer.backward(dh)
    grads = {name: g.copy() for name, g in layer.grads.items()}
    chunk_layer = cls(2, 3, rng)
    for name, v in layer.params.items():
        chunk_layer.params[name][...] = v
    want = {name: np.zeros_like(g) for name, g in grads.items()}
    for start in range(0, T, k):
        kwargs = {}
        if start > 0:
            kwargs["h0"] = states[0][:, start - 1]
            if cls is LSTM:
                kwargs["c0"] = states[1][:, start - 1]
        chunk_layer.forward(x[:, start:start + k], **kwargs)
        dx_chunk = chunk_layer.backward(dh[:, start:start + k])
        if start == 0:  # the first chunk still reaches the initial state
            np.testing.assert_allclose(layer.dh0, chunk_layer.dh0, rtol=1e-10, atol=1e-12)
            assert np.abs(layer.dh0).max() > 0
        np.testing.assert_allclose(dx[:, start:start + k], dx_chunk, rtol=1e-10, atol=1e-12)
        for name in want:
            want[name] += chunk_layer.grads[name]
    for name in want:
        np.testing.assert_allclose(grads[name], want[name], rtol=1e-10, atol=1e-12)
    # truncate given to backward overrides the attribute; None there keeps it
    layer.truncate = None
    layer.forward(x)
    layer.backward(dh, truncate=k)
    np.testing.assert_allclose(layer.grads["Wh"], grads["Wh"], rtol=1e-12)


def test_vanishing_gradient_through_time_in_a_contracting_rnn():
    rng = np.random.default_rng(9)
    layer = RNN(2, 8, rng)
    layer.params["Wh"][...] *= 0.2  # spectral radius well below 1
    x = rng.normal(size=(1, 30, 2))
    dh = np.zeros((1, 30, 8))
    dh[:, -1] = 1.0
    layer.forward(x)
    layer.backward(dh)
    assert layer.grad_norms[0] < 1e-10 * layer.grad_norms[-1]


# -- shapes, dtypes, init, errors ---------------------------------------------------------
@pytest.mark.parametrize("cls, k", [(RNN, 1), (LSTM, 4), (GRU, 3)])
def test_shapes_params_and_init(cls, k):
    layer = cls(5, 7, np.random.default_rng(0))
    assert layer.params["Wx"].shape == (5, k * 7)
    assert layer.params["Wh"].shape == (7, k * 7)
    assert layer.params["b"].shape == (k * 7,)
    assert set(layer.grads) == set(layer.params)
    bound = 1 / np.sqrt(7)
    assert np.abs(layer.params["Wh"]).max() <= bound
    assert layer.params["Wh"].std() == pytest.approx(bound / np.sqrt(3), rel=0.25)
    h = layer.forward(np.ones((2, 3, 5)))
    assert h.shape == (2, 3, 7)
    assert layer.backward(np.ones_like(h)).shape == (2, 3, 5)
    assert layer.dh0.shape == (2, 7) and layer.grad_norms.shape == (3,)


def test_lstm_forget_bias_and_gru_bhn():
    lstm = LSTM(2, 3, 0)
    np.testing.assert_array_equal(lstm.params["b"], [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    assert LSTM(2, 3, 0, forget_bias=0.0).params["b"].sum() == 0
    assert GRU(2, 3, 0).params["bhn"].shape == (3,)


def test_float32_stays_float32():
    for cls in CLASSES:
        layer = cls(2, 3, 0)
        h = layer.forward(np.ones((1, 2, 2), dtype=np.float32))
        assert h.dtype == np.float32
        assert layer.backward(np.ones_like(h)).dtype == np.float32


def test_same_seed_same_weights():
    a, b = LSTM(3, 4, np.random.default_rng(1)), LSTM(3, 4, 1)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])


def test_clear_errors():
    layer = LSTM(3, 4, 0)
    with pytest.raises(ValueError, match=r"LSTM expects x with 3 features, got shape \(2, 5, 2\)"):
        layer.forward(np.ones((2, 5, 2)))
    with pytest.raises(ValueError, match="x \\(N, T, D\\)"):
        layer.forward(np.ones((5, 3)))
    with pytest.raises(ValueError, match=r"c0 of shape \(2, 4\)"):
        layer.forward(np.ones((2, 5, 3)), c0=np.ones((4,)))
    with pytest.raises(RuntimeError, match="before forward"):
        LSTM(3, 4, 0).backward(np.ones((2, 5, 4)))
    layer.forward(np.ones((2, 5, 3)))
    with pytest.raises(ValueError, match=r"dh of shape \(2, 5, 4\)"):
        layer.backward(np.ones((2, 4)))
    with pytest.raises(ValueError, match="truncate"):
        layer.backward(np.ones((2, 5, 4)), truncate=0)
    with pytest.raises(TypeError, match="unexpected initial state"):
        RNN(3, 4, 0).forward(np.ones((2, 5, 3)), c0=np.ones((2, 4)))
    with pytest.raises(ValueError, match="valid: tanh, relu"):
        RNN(2, 3, 0, activation="sigmoid")
    with pytest.raises(TypeError, match="needs rng"):
        GRU(2, 3, None)


# -- glue layers and a Sequential that learns ------------------------------------------
def test_last_step_and_time_distributed_gradients():
    rng = np.random.default_rng(10)
    model = Sequential([randomize(LSTM(2, 3, rng), rng), TimeDistributed(Dense(3, 2, rng=rng)),
                        LastStep()])
    errors = check_layer(model, rng.normal(size=(2, 4, 2)), rng=rng)
    assert max(errors.values()) < 1e-6, errors


def test_sequential_lstm_learns_recall_of_a_short_sequence():
    from nnlib.data import recall_first
    from nnlib.optim import Adam

    rng = np.random.default_rng(0)
    model = Sequential([LSTM(3, 12, rng), LastStep(), Dense(12, 3, rng=rng)])
    opt = Adam(lr=0.02)
    for _ in range(150):
        X, y = recall_first(32, 4, rng, n_symbols=3)
        out = model.forward(X, training=True)
        model.backward(softmax_cross_entropy.grad(out, y))
        opt.step(model.params(), model.grads())
    X, y = recall_first(300, 4, rng, n_symbols=3)
    assert np.mean(model.forward(X).argmax(axis=1) == y) > 0.95
