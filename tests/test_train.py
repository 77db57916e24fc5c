"""fit: learning, mini-batches, history, divergence, determinism."""

import warnings

import numpy as np
import pytest

from nnlib import data
from nnlib.layers import Activation, Dense
from nnlib.model import Sequential
from nnlib.optim import SGD, Adam
from nnlib.train import evaluate, fit


def mlp(seed, d_in=2, hidden=16, d_out=2):
    rng = np.random.default_rng(seed)
    return Sequential([Dense(d_in, hidden, init="he_normal", rng=rng), Activation("relu"),
                       Dense(hidden, d_out, rng=rng)])


def test_fit_learns_moons_and_records_history():
    rng = np.random.default_rng(0)
    X, y = data.moons(400, rng=rng, noise=0.1)
    model = mlp(1)
    hist = fit(model, "softmax_cross_entropy", Adam(lr=0.01), X, y, epochs=30,
               batch_size=32, rng=rng, validation_data=(X[:100], y[:100]))
    assert hist.epochs == 30 and hist.diverged is None
    assert len(hist["loss"]) == len(hist["val_loss"]) == len(hist["accuracy"]) == 30
    assert hist["loss"][-1] < 0.5 * hist["loss"][0]
    assert hist["accuracy"][-1] > 0.95
    assert len(hist.batch_loss) == 30 * 13  # ceil(400 / 32) steps per epoch


def test_epoch_loss_is_the_size_weighted_mean_of_batch_losses():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((10, 2)), rng.integers(0, 2, 10)
    hist = fit(mlp(2), "softmax_cross_entropy", SGD(lr=0.0), X, y, epochs=1, batch_size=4, rng=rng)
    expected = (4 * hist.batch_loss[0] + 4 * hist.batch_loss[1] + 2 * hist.batch_loss[2]) / 10
    assert hist["loss"][0] == pytest.approx(expected)
    # lr = 0: nothing changes, so the epoch loss equals the full-batch loss
    assert hist["loss"][0] == pytest.approx(evaluate(mlp(2), "softmax_cross_entropy", X, y)[0])


def test_full_batch_sgd_equals_a_hand_written_loop():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((20, 3)), rng.standard_normal((20, 1))
    model = Sequential([Dense(3, 1, rng=0)])
    W, b = model.params()["0.W"].copy(), model.params()["0.b"].copy()
    fit(model, "mse", SGD(lr=0.1), X, y, epochs=5, batch_size=20, shuffle=False)
    for _ in range(5):
        err = X @ W + b - y
        gW, gb = X.T @ (2 * err / 20), (2 * err / 20).sum(0)
        W, b = W - 0.1 * gW, b - 0.1 * gb
    np.testing.assert_allclose(model.params()["0.W"], W, rtol=1e-12)
    np.testing.assert_allclose(model.params()["0.b"], b, rtol=1e-12)


def test_divergence_stops_early_reports_and_warns_nothing():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((64, 2)) * 10
    y = X @ np.array([[3.0], [-2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = fit(Sequential([Dense(2, 1, rng=0)]), "mse", SGD(lr=5.0), X, y,
                   epochs=100, batch_size=64, rng=rng)
    assert hist.diverged is not None
    assert hist.diverged["step"] < 100 and not np.isfinite(hist.diverged["loss"])
    assert hist.epochs < 100
    assert "diverged at step" in repr(hist)


def test_same_seed_same_result():
    X, y = data.moons(100, rng=np.random.default_rng(4))
    runs = [fit(mlp(5), "softmax_cross_entropy", SGD(lr=0.1), X, y, epochs=3,
                batch_size=16, rng=np.random.default_rng(6))["loss"] for _ in range(2)]
    assert runs[0] == runs[1]


def test_clip_norm_bounds_the_update():
    X, y = np.ones((4, 1)) * 100, np.zeros((4, 1))
    model = Sequential([Dense(1, 1, rng=0)])
    w0 = model.params()["0.W"].copy()
    fit(model, "mse", SGD(lr=1.0), X, y, epochs=1, batch_size=4, shuffle=False, clip_norm=0.5)
    step = np.sqrt(np.sum((model.params()["0.W"] - w0) ** 2) + model.params()["0.b"] ** 2)
    assert step == pytest.approx(0.5, rel=1e-5)


def test_fit_errors_are_clear():
    with pytest.raises(ValueError, match="X has 3 samples but y has 2"):
        fit(mlp(0), "mse", SGD(lr=0.1), np.ones((3, 2)), np.ones(2), rng=0)
    with pytest.raises(TypeError, match="needs rng"):
        fit(mlp(0), "mse", SGD(lr=0.1), np.ones((3, 2)), np.ones((3, 2)))
    with pytest.raises(ValueError, match="unknown loss 'msee'"):
        fit(mlp(0), "msee", SGD(lr=0.1), np.ones((3, 2)), np.ones((3, 2)), rng=0)


def test_callback_sees_every_epoch():
    seen = []
    X, y = data.moons(50, rng=np.random.default_rng(0))
    fit(mlp(0), "softmax_cross_entropy", SGD(lr=0.1), X, y, epochs=4, rng=0,
        callback=lambda epoch, hist, model: seen.append((epoch, len(hist["loss"]))))
    assert seen == [(0, 1), (1, 2), (2, 3), (3, 4)]


def test_progress_appears_only_for_long_runs(capsys):
    X, y = data.moons(50, rng=np.random.default_rng(0))
    fit(mlp(0), "softmax_cross_entropy", SGD(lr=0.1), X, y, epochs=2, rng=0)
    assert capsys.readouterr().err == ""
    fit(mlp(0), "softmax_cross_entropy", SGD(lr=0.1), X, y, epochs=2, rng=0, progress=True)
    assert "fit 2/2" in capsys.readouterr().err
