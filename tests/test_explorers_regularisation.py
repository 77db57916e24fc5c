"""Chapter 05 explorers: each compute() against values obtained independently (a direct
fit, a hand-written scan, a forward pass written out), and each explorer builds and
redraws without a front end."""

import numpy as np
import pytest

from nnlib.data import moons
from nnlib.explorers import regularisation as R
from nnlib.explorers import regularisation_batchnorm as B
from nnlib.explorers import regularisation_penalties as P
from nnlib.layers import Activation, Dense, Dropout
from nnlib.model import Sequential
from nnlib.optim import Adam
from nnlib.train import fit


def _softmax1(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e[:, 1] / e.sum(axis=1)


def _direct_mlp(hidden, p=0.0):
    """The explorers' network, built again from the layers (same seed, same order)."""
    rng = np.random.default_rng(0)
    layers = [Dense(2, hidden, init="he_normal", rng=rng), Activation("relu")]
    layers += [Dropout(p, rng=rng)] if p else []
    layers += [Dense(hidden, hidden, init="he_normal", rng=rng), Activation("relu")]
    layers += [Dropout(p, rng=rng)] if p else []
    return Sequential(layers + [Dense(hidden, 2, rng=rng)])


# -- shared helpers -------------------------------------------------------------------------

def test_moons_split_is_the_seeded_moons_cut_in_two():
    X, y, Xv, yv = R.moons_split(n_train=50, n_val=30)
    Xa, ya = moons(80, np.random.default_rng(0), noise=0.3)
    np.testing.assert_array_equal(np.vstack([X, Xv]), Xa)
    np.testing.assert_array_equal(np.concatenate([y, yv]), ya)


def test_proba_grid_is_the_softmax_of_one_forward_pass():
    model = _direct_mlp(8)
    points = R.grid_points(20)
    assert points[0].tolist() == [R.EXTENT[0], R.EXTENT[2]] and points[-1].tolist() == [R.EXTENT[1], R.EXTENT[3]]
    np.testing.assert_allclose(R.proba_grid(model, 20).ravel(), _softmax1(model.forward(points)), rtol=1e-12)


def test_trainings_runs_each_setting_once():
    calls = []
    memo = R.Trainings(lambda a, b: calls.append((a, b)) or a * b)
    assert [memo(a=2, b=3), memo(b=3, a=2), memo(a=1, b=3)] == [6, 6, 3]
    assert calls == [(2, 3), (1, 3)]


# -- capacity -------------------------------------------------------------------------------

def test_capacity_compute_equals_a_direct_fit():
    data = R.capacity_compute(hidden=4, n_train=20, epochs=40)
    X, y, Xv, yv = R.moons_split()
    model = _direct_mlp(4)
    hist = fit(model, "softmax_cross_entropy", Adam(lr=0.01), X[:20], y[:20], epochs=40, batch_size=20,
               rng=0, validation_data=(Xv, yv))
    np.testing.assert_allclose(data["loss"], hist["loss"], rtol=1e-12)
    np.testing.assert_allclose(data["val_loss"], hist["val_loss"], rtol=1e-12)
    assert (data["train_acc"], data["val_acc"]) == (hist["accuracy"][-1], hist["val_accuracy"][-1])
    np.testing.assert_allclose(data["proba"].ravel(), _softmax1(model.forward(R.grid_points())), rtol=1e-12)
    assert data["n_params"] == 2 * 4 + 4 + 4 * 4 + 4 + 4 * 2 + 2
    np.testing.assert_array_equal(data["X"], X[:20])


def test_capacity_verdicts():
    small = R.capacity_compute(hidden=1, n_train=160)
    big = R.capacity_compute(hidden=32, n_train=10)
    assert small["train_acc"] < 0.9 and small["verdict"].startswith("underfitting")
    assert big["train_acc"] == 1.0 and big["verdict"].startswith("overfitting")
    assert big["val_loss"][-1] > 2 * big["val_loss"].min()  # the validation loss turns up


# -- early stopping ------------------------------------------------------------------------------

def _scan(val_loss, patience):
    """Early stopping written out: the best so far and the epochs since it."""
    best, best_epoch, since = np.inf, None, 0
    for epoch, value in enumerate(val_loss):
        if value < best:
            best, best_epoch, since = value, epoch, 0
        else:
            since += 1
            if since == patience:
                return epoch, best_epoch
    return None, best_epoch


@pytest.mark.parametrize("patience", [1, 2, 5, 20, 500])
def test_stop_point_matches_a_hand_written_scan(patience):
    curve = np.array([3.0, 2.0, 2.5, 1.5, 1.6, 1.7, 1.4, 2.0, 2.1, 2.2, 2.3, 2.4, 1.39, 3.0])
    assert R.stop_point(curve, patience) == _scan(curve, patience)


def test_early_stopping_explorer_restores_what_fit_restores():
    explorer = R.EarlyStoppingExplorer(epochs=60)
    data = explorer(patience=5)
    X, y, Xv, yv = R.moons_split()
    model = _direct_mlp(32)
    hist = fit(model, "softmax_cross_entropy", Adam(lr=0.01), X[:40], y[:40], epochs=60, batch_size=40,
               rng=0, validation_data=(Xv, yv), early_stopping=5)
    assert (data["stopped"], data["best"]) == (hist.stopped_epoch, hist.best_epoch)
    assert data["stopped"] is not None and data["best"] == data["stopped"] - 5
    np.testing.assert_allclose(data["val_loss"][:hist.epochs], hist["val_loss"], rtol=1e-12)
    np.testing.assert_allclose(data["proba"], R.proba_grid(model), rtol=1e-12)
    # the shared model still holds the last epoch's weights
    np.testing.assert_allclose(R.proba_grid(explorer.run["model"]), data["proba_final"], rtol=1e-12)
    assert explorer(patience=1000)["stopped"] is None


# -- penalties --------------------------------------------------------------------------------------

def test_penalty_counts_and_zeros_add_up():
    explorer = P.PenaltyExplorer()
    l1 = explorer(kind="L1", lam=0.1)
    l2 = explorer(kind="L2", lam=0.1)
    for data in (l1, l2):
        assert data["zeros"] == np.sum(data["weights"] == 0)
        assert data["counts"].sum() + data["zeros"] == data["n_weights"] == 2 * 32 + 32 * 32 + 32 * 2
        assert data["largest"] == np.abs(data["weights"]).max()
    assert l2["zeros"] == 0 and l1["zeros"] > 0.9 * l1["n_weights"]
    assert l2["largest"] < explorer(kind="L2", lam=1e-4)["largest"]
    # the reference curve is the unpenalised run
    np.testing.assert_array_equal(l1["ref_val_loss"], explorer.runs(kind="L2", lam=0.0)["val_loss"])
    assert len(explorer.runs.results) == 4


def test_make_penalty():
    assert isinstance(P.make_penalty("L2", 0.1), P.regularizers.L2)
    en = P.make_penalty("elastic net", 0.1)
    assert (en.l1, en.l2, en.proximal) == (0.05, 0.05, True)
    with pytest.raises(ValueError, match="valid: L2, L1, elastic net"):
        P.make_penalty("L3", 0.1)


# -- dropout -------------------------------------------------------------------------------------------

def test_dropout_run_mask_and_activations():
    run = P.dropout_run(0.5, epochs=20)
    mask = run["mask"]
    assert mask.shape == (P.SHOWN_SAMPLES, 32)
    assert set(np.unique(mask)) <= {0.0, 2.0}
    np.testing.assert_array_equal(run["out"], run["activations"] * mask)
    assert np.all(run["activations"] >= 0)
    # the same training as a direct fit of the same network
    X, y, Xv, yv = R.moons_split()
    model = _direct_mlp(32, p=0.5)
    hist = fit(model, "softmax_cross_entropy", Adam(lr=0.01), X[:40], y[:40], epochs=20, batch_size=40,
               rng=0, validation_data=(Xv, yv))
    np.testing.assert_allclose(run["loss"], hist["loss"], rtol=1e-12)
    # ... then one training-mode pass of the first 8 points (the next masks of the same rng),
    # the second hidden layer written out with the first layer's mask
    model.forward(X[:8], training=True)
    h1 = np.maximum(X[:8] @ model[0].params["W"] + model[0].params["b"], 0) * model[2].mask
    a2 = np.maximum(h1 @ model[3].params["W"] + model[3].params["b"], 0)
    np.testing.assert_allclose(run["activations"], a2, rtol=1e-12)
    np.testing.assert_array_equal(run["mask"], model[5].mask)


def test_dropout_p_zero_keeps_everything_and_reference_is_p_zero():
    explorer = P.DropoutExplorer()
    data = explorer(p=0.0)
    np.testing.assert_array_equal(data["mask"], 1.0)
    assert data["dropped_share"] == 0.0
    np.testing.assert_array_equal(data["ref_val_loss"], data["val_loss"])


# -- batch norm -----------------------------------------------------------------------------------------

def test_watched_preactivations_written_out():
    X, _, _, _ = B.digits_split(n_train=20)
    for bn in (False, True):
        model = B.deep_network(bn)
        z = B.watched_preactivations(model, X)
        h = X
        dense = [layer for layer in model.layers if isinstance(layer, Dense)]
        for k in range(B.WATCHED):
            z_k = h @ dense[k].params["W"] + dense[k].params["b"]
            if bn:  # evaluation mode, fresh running statistics: (z - 0) / sqrt(1 + eps)
                z_k = z_k / np.sqrt(1 + 1e-5)
            h = np.tanh(z_k)
        np.testing.assert_allclose(z, z_k, rtol=1e-12)


def test_batchnorm_run_percentiles_and_loss():
    run = B.batchnorm_run(True, 0.3, epochs=3)
    _, _, Xv, _ = B.digits_split()
    before = np.percentile(B.watched_preactivations(B.deep_network(True), Xv), B.PERCENTILES)
    np.testing.assert_allclose(run["z_percentiles"][0], before)
    assert run["z_percentiles"].shape == (4, 5) and np.all(np.diff(run["z_percentiles"], axis=1) >= 0)
    assert run["loss"].shape == (3,) and run["loss"][-1] < run["loss"][0]


def test_batchnorm_helps_at_a_large_learning_rate():
    data = B.BatchNormExplorer()(batch_norm="on", lr=3.0)
    assert data["acc_on"] > 0.8 > 0.3 > data["acc_off"]
    assert np.abs(data["z"][-1]).max() < 5  # with batch norm z stays in range


# -- the explorers build and redraw without a front end ---------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("build, change", [
    (lambda: R.capacity_explorer(hidden=2, n_train=20), {"hidden": 4}),
    (lambda: R.early_stopping_explorer(patience=10), {"patience": 3}),
    (lambda: P.penalty_explorer(kind="L1", lam=1e-2), {"kind": "elastic net"}),
    (lambda: P.dropout_explorer(p=0.3), {"p": 0.0}),
    (lambda: B.batchnorm_explorer(batch_norm="off", lr=1.0), {"batch_norm": "on"}),
])
def test_explorer_builds_and_set_changes_the_png(build, change):
    plot = build()
    before = plot.png
    assert before.startswith(PNG)
    width, height = plot.size_px
    assert 640 <= width <= 760 and height <= 400
    plot.set(**change)
    assert plot.png != before and len(plot.timings_ms) == 1
    bundle = plot._repr_mimebundle_()
    assert "text/plain" not in bundle and "image/png" in bundle
