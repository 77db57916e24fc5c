"""Per-layer statistics (layer_stats) and the fit callback (StatsRecorder), against
values computed by hand with a forward and backward written out independently."""

import warnings

import numpy as np
import pytest

from nnlib.diagnostics import StatsRecorder, layer_names, layer_stats, param_grad_norm
from nnlib.layers import Activation, Dense
from nnlib.model import Sequential
from nnlib.optim import SGD
from nnlib.residual import Residual
from nnlib.train import fit


def _net(rng, d=4, h=5, c=3):
    return Sequential([Dense(d, h, rng=rng), Activation("tanh"), Dense(h, c, rng=rng)])


def test_layer_stats_match_a_forward_and_backward_written_out():
    rng = np.random.default_rng(0)
    model = _net(rng)
    for layer in (model[0], model[2]):
        layer.params["b"][...] = rng.standard_normal(layer.params["b"].shape)
    X = rng.standard_normal((6, 4))
    y = np.array([0, 1, 2, 0, 1, 2])
    W1, b1 = model[0].params["W"].copy(), model[0].params["b"].copy()
    W2, b2 = model[2].params["W"].copy(), model[2].params["b"].copy()

    stats = layer_stats(model, X, y, "softmax_cross_entropy")

    z1 = X @ W1 + b1
    a1 = np.tanh(z1)
    out = a1 @ W2 + b2
    p = np.exp(out - out.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(6), y]))
    d_out = p.copy()
    d_out[np.arange(6), y] -= 1
    d_out /= 6
    dW2, db2 = a1.T @ d_out, d_out.sum(0)
    d_a1 = d_out @ W2.T
    d_z1 = d_a1 * (1 - a1**2)
    dW1, db1 = X.T @ d_z1, d_z1.sum(0)

    assert stats["loss"] == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(stats["act_mean"], [z1.mean(), a1.mean(), out.mean()], rtol=1e-12)
    np.testing.assert_allclose(stats["act_std"], [z1.std(), a1.std(), out.std()], rtol=1e-12)
    np.testing.assert_allclose(stats["grad_std"], [d_z1.std(), d_a1.std(), d_out.std()], rtol=1e-12)
    np.testing.assert_allclose(stats["grad_mean"], [d_z1.mean(), d_a1.mean(), d_out.mean()],
                               rtol=1e-10, atol=1e-15)
    norm1 = np.sqrt(np.sum(dW1**2) + np.sum(db1**2))
    norm2 = np.sqrt(np.sum(dW2**2) + np.sum(db2**2))
    assert np.isnan(stats["grad_norm"][1])
    np.testing.assert_allclose(stats["grad_norm"][[0, 2]], [norm1, norm2], rtol=1e-12)
    assert stats["names"] == ["0 Dense(4, 5)", "1 Activation('tanh')", "2 Dense(5, 3)"]


def test_vanishing_is_visible_in_a_deep_sigmoid_net_and_not_with_relu_and_he():
    def deep(act, init):
        rng = np.random.default_rng(0)
        layers = []
        for _ in range(12):
            layers += [Dense(32, 32, init=init, rng=rng), Activation(act)]
        return Sequential(layers + [Dense(32, 1, rng=rng)])

    X = np.random.default_rng(1).standard_normal((64, 32))
    y = np.random.default_rng(2).standard_normal((64, 1))
    sig = layer_stats(deep("sigmoid", "glorot_uniform"), X, y, "mse")["grad_norm"][0:24:2]
    relu = layer_stats(deep("relu", "he_normal"), X, y, "mse")["grad_norm"][0:24:2]
    assert sig[0] / sig[-1] < 1e-4      # first layer's gradient is tiny next to the last's
    assert 0.1 < relu[0] / relu[-1] < 10


def test_exploding_network_gives_inf_without_warnings():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(8, 8, init="ones", rng=rng) for _ in range(400)])
    X = np.ones((2, 8))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stats = layer_stats(model, X, np.zeros((2, 8)), "mse")
    assert np.isinf(stats["act_mean"][-1]) or np.isnan(stats["act_mean"][-1])
    assert stats["act_mean"][0] == pytest.approx(8.0)


def test_eval_mode_is_the_default_and_training_is_passed_on():
    seen = []

    class Spy(Activation):
        def forward(self, x, training=False):
            seen.append(training)
            return super().forward(x, training)

    model = Sequential([Dense(2, 2, rng=0), Spy("relu")])
    layer_stats(model, np.ones((3, 2)), np.zeros((3, 2)), "mse")
    layer_stats(model, np.ones((3, 2)), np.zeros((3, 2)), "mse", training=True)
    assert seen == [False, True]


def test_residual_layers_get_one_norm_for_their_whole_block():
    rng = np.random.default_rng(0)
    block = Sequential([Dense(3, 3, rng=rng), Activation("relu"), Dense(3, 3, rng=rng)])
    model = Sequential([Residual(block), Dense(3, 1, rng=rng)])
    stats = layer_stats(model, rng.standard_normal((5, 3)), np.zeros((5, 1)), "mse")
    expected = np.sqrt(sum(np.sum(g**2) for g in block.grads().values()))
    assert stats["grad_norm"][0] == pytest.approx(expected, rel=1e-12)
    assert param_grad_norm(block) == pytest.approx(expected, rel=1e-12)
    assert layer_names(model)[0].startswith("0 Residual(Sequential([")


def test_recorder_fills_history_with_one_row_per_epoch():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 4))
    y = rng.integers(0, 3, 40)
    model = _net(np.random.default_rng(1))
    rec = StatsRecorder(X[:16], y[:16], "softmax_cross_entropy")
    first = rec.record(model)
    hist = fit(model, "softmax_cross_entropy", SGD(lr=0.5), X, y, epochs=3, batch_size=8,
               rng=0, progress=False, callback=rec)
    table = hist.layer_stats
    assert list(table["epoch"]) == [0, 1, 2, 3]
    assert table["grad_norm"].shape == table["act_std"].shape == (4, 3)
    np.testing.assert_allclose(table["act_std"][0], first["act_std"])
    assert table["loss"][-1] < table["loss"][0]  # it learned something on the probe batch
    # the last row equals a fresh measurement of the trained model
    again = layer_stats(model, X[:16], y[:16], "softmax_cross_entropy")
    np.testing.assert_allclose(table["grad_norm"][-1], again["grad_norm"])
    assert repr(hist).startswith("History(epochs=3")  # the new attribute does not break the repr


def test_recorder_every_n_epochs_and_the_empty_table():
    rec = StatsRecorder(np.zeros((2, 4)), [0, 1], "softmax_cross_entropy", every=2)
    assert rec.table()["grad_norm"].shape == (0, 0)
    model = _net(np.random.default_rng(0))
    hist = fit(model, "softmax_cross_entropy", SGD(lr=0.1), np.zeros((4, 4)), [0, 1, 2, 0],
               epochs=5, batch_size=4, rng=0, progress=False, callback=rec)
    assert list(hist.layer_stats["epoch"]) == [1, 2, 4]
    with pytest.raises(ValueError, match="every >= 1"):
        StatsRecorder(np.zeros((2, 4)), [0, 1], "mse", every=0)


def test_errors():
    with pytest.raises(ValueError, match="at least one layer"):
        layer_stats(Sequential([]), np.zeros((2, 2)), np.zeros((2, 2)), "mse")
    with pytest.raises(ValueError, match="valid"):
        layer_stats(_net(np.random.default_rng(0)), np.zeros((2, 4)), [0, 1], "msee")
