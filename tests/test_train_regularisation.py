"""fit with penalty= (L2, L1, elastic net, proximal) and early_stopping= (patience, restore)."""

import numpy as np
import pytest

from nnlib import data
from nnlib.callbacks import EarlyStopping, load_state, model_state
from nnlib.layers import Activation, BatchNorm, Dense, Dropout
from nnlib.model import Sequential
from nnlib.optim import SGD, Adam
from nnlib.regularizers import L1, L2, ElasticNet
from nnlib.train import evaluate, fit


def test_full_batch_sgd_with_l2_equals_a_hand_written_loop():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 3)), rng.standard_normal((20, 1))
    model = Sequential([Dense(3, 1, rng=0)])
    W, b = model.params()["0.W"].copy(), model.params()["0.b"].copy()
    lam, lr = 0.3, 0.1
    hist = fit(model, "mse", SGD(lr=lr), X, y, epochs=4, batch_size=20, shuffle=False, penalty=L2(lam))
    for epoch in range(4):
        err = X @ W + b - y
        data_loss = np.mean(err ** 2)
        assert hist["loss"][epoch] == pytest.approx(data_loss, rel=1e-12)
        assert hist["penalised_loss"][epoch] == pytest.approx(data_loss + lam * np.sum(W ** 2), rel=1e-12)
        gW = X.T @ (2 * err / 20) + 2 * lam * W  # the bias is not penalised
        gb = (2 * err / 20).sum(0)
        W, b = W - lr * gW, b - lr * gb
    np.testing.assert_allclose(model.params()["0.W"], W, rtol=1e-12)
    np.testing.assert_allclose(model.params()["0.b"], b, rtol=1e-12)


def test_no_penalty_keeps_history_as_before():
    X, y = data.moons(40, rng=np.random.default_rng(0))
    hist = fit(Sequential([Dense(2, 2, rng=0)]), "softmax_cross_entropy", SGD(lr=0.1), X, y, epochs=2, rng=0)
    assert "penalised_loss" not in hist.history
    assert hist.best_epoch is None and hist.stopped_epoch is None


def _l1_run(proximal, lam=0.02):
    X, y = data.load_digits()
    model = Sequential([Dense(64, 10, rng=0)])
    fit(model, "softmax_cross_entropy", SGD(lr=0.5), X[:300], y[:300], epochs=30, batch_size=300,
        shuffle=False, penalty=L1(lam, proximal=proximal))
    return model.params()["0.W"]


def test_proximal_l1_gives_exact_zeros_and_the_subgradient_does_not():
    W_prox, W_sub = _l1_run(True), _l1_run(False)
    assert np.mean(W_prox == 0) > 0.3
    assert np.mean(W_sub == 0) < 0.15  # only pixels that are always blank stay at 0
    # the subgradient leaves them hovering near zero instead (|w| within lr * lam)
    assert np.mean(np.abs(W_sub) < 0.5 * 0.02 + 1e-12) > 0.3


def test_stronger_l2_gives_smaller_weights():
    X, y = data.moons(100, rng=np.random.default_rng(1), noise=0.2)
    norms = []
    for lam in [0.0, 1e-3, 1e-2]:
        model = Sequential([Dense(2, 16, rng=0), Activation("tanh"), Dense(16, 2, rng=1)])
        fit(model, "softmax_cross_entropy", Adam(lr=0.05), X, y, epochs=30, batch_size=100,
            shuffle=False, penalty=L2(lam))
        norms.append(sum(np.sum(v ** 2) for k, v in model.params().items() if k.endswith("W")))
    assert norms[0] > norms[1] > norms[2]


def test_elastic_net_is_the_sum_of_its_parts():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((10, 3)), rng.standard_normal((10, 2))
    hists = []
    for pen in [ElasticNet(0.1, 0.2), None]:
        model = Sequential([Dense(3, 2, rng=0)])
        hists.append(fit(model, "mse", SGD(lr=0.0), X, y, epochs=1, batch_size=10, shuffle=False,
                         penalty=pen))
    W = Sequential([Dense(3, 2, rng=0)]).params()["0.W"]
    assert hists[0]["penalised_loss"][0] == pytest.approx(
        hists[1]["loss"][0] + 0.1 * np.abs(W).sum() + 0.2 * (W ** 2).sum())


def _overfitting_setup():
    X, y = data.load_digits()
    model = Sequential([Dense(64, 64, init="he_normal", rng=0), Activation("relu"), Dense(64, 10, rng=1)])
    return model, X[:100], y[:100], (X[1000:1300], y[1000:1300])


def test_early_stopping_stops_records_and_restores_the_best_weights():
    model, X, y, val = _overfitting_setup()
    full = fit(Sequential([Dense(64, 64, init="he_normal", rng=0), Activation("relu"), Dense(64, 10, rng=1)]),
               "softmax_cross_entropy", Adam(lr=0.01), X, y, epochs=80, batch_size=20, rng=3,
               validation_data=val)
    hist = fit(model, "softmax_cross_entropy", Adam(lr=0.01), X, y, epochs=80, batch_size=20, rng=3,
               validation_data=val, early_stopping=5)
    val_loss = hist["val_loss"]
    best = int(np.argmin(val_loss))
    assert hist.best_epoch == best
    assert hist.stopped_epoch == best + 5 == hist.epochs - 1 < 79
    # the same run as without early stopping, up to the stop
    np.testing.assert_allclose(val_loss, full["val_loss"][:len(val_loss)])
    # the model is the best epoch's, not the last one's
    assert evaluate(model, "softmax_cross_entropy", *val)[0] == pytest.approx(val_loss[best], rel=1e-12)
    assert val_loss[-1] > val_loss[best]
    assert "stopped after epoch" in repr(hist)


def test_early_stopping_that_never_triggers_still_restores_the_best():
    model, X, y, val = _overfitting_setup()
    hist = fit(model, "softmax_cross_entropy", Adam(lr=0.01), X, y, epochs=25, batch_size=20, rng=3,
               validation_data=val, early_stopping=EarlyStopping(patience=100))
    assert hist.stopped_epoch is None and hist.epochs == 25
    assert evaluate(model, "softmax_cross_entropy", *val)[0] == pytest.approx(min(hist["val_loss"]), rel=1e-12)


def test_early_stopping_min_delta_and_errors():
    stopper = EarlyStopping(patience=2, min_delta=0.1, restore_best=False)
    model = Sequential([Dense(1, 1, rng=0)])
    assert [stopper.step(e, v, model) for e, v in enumerate([1.0, 0.95, 0.92])] == [False, False, True]
    assert stopper.best_epoch == 0 and stopper.stopped_epoch == 2
    with pytest.raises(ValueError, match="pass validation_data"):
        fit(model, "mse", SGD(lr=0.1), np.ones((3, 1)), np.ones((3, 1)), rng=0, early_stopping=3)
    with pytest.raises(TypeError, match="patience \\(int\\) or an EarlyStopping"):
        fit(model, "mse", SGD(lr=0.1), np.ones((3, 1)), np.ones((3, 1)), rng=0, early_stopping=0.5)
    with pytest.raises(ValueError, match="patience must be >= 1"):
        EarlyStopping(0)


def test_model_state_includes_batchnorm_buffers_and_restores_them():
    rng = np.random.default_rng(4)
    model = Sequential([Dense(3, 4, rng=0), BatchNorm(4), Dropout(0.5, rng=0), Dense(4, 2, rng=1)])
    model.forward(rng.normal(size=(8, 3)), training=True)
    saved = model_state(model)
    assert {"buffer:1.running_mean", "buffer:1.running_var", "buffer:1.num_batches_tracked"} <= set(saved)
    before = model.forward(rng.normal(size=(5, 3)))
    for _ in range(3):
        model.forward(rng.normal(3.0, 2.0, size=(8, 3)), training=True)
    model.params()["0.W"][...] = 0.0
    load_state(model, saved)
    np.testing.assert_array_equal(model_state(model)["buffer:1.running_var"], saved["buffer:1.running_var"])
    np.testing.assert_array_equal(model.params()["0.W"], saved["0.W"])
    with pytest.raises(ValueError, match="the state has entries"):
        load_state(model, {"0.W": saved["0.W"]})
    assert before.shape == (5, 2)


def test_fit_trains_a_network_with_dropout_and_batchnorm():
    X, y = data.moons(200, rng=np.random.default_rng(5), noise=0.15)
    model = Sequential([Dense(2, 32, rng=0), BatchNorm(32), Activation("relu"), Dropout(0.2, rng=1),
                        Dense(32, 2, rng=2)])
    hist = fit(model, "softmax_cross_entropy", Adam(lr=0.01), X, y, epochs=40, batch_size=32, rng=6)
    assert hist["accuracy"][-1] > 0.9
