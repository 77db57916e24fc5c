"""Chapter 06 explorers: each compute() against values worked out independently
(the network written out again with plain numpy, theory for the variances,
clip_grad_norm applied by hand), and each explorer builds and redraws without a
front end."""

import math
import warnings

import numpy as np
import pytest

from nnlib.diagnostics import layer_stats
from nnlib.explorers import gradients as G
from nnlib.explorers import gradients_clip as C
from nnlib.explorers import gradients_depth as D

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# -- initialisation -------------------------------------------------------------------


def _by_hand(depth, width, batch, seed, weight, f, df):
    """The explorer's network written out: X and G from default_rng(seed), weights in order."""
    rng = np.random.default_rng(seed)
    X, Gr = rng.standard_normal((batch, width)), rng.standard_normal((batch, width))
    w_rng = np.random.default_rng([seed, 1])
    Ws = [weight(w_rng) for _ in range(depth)]
    a, zs, acts = X, [], []
    for W in Ws:
        zs.append(a @ W)
        a = f(zs[-1])
        acts.append(a)
    deltas = [Gr * df(zs[-1])]
    for l in range(depth - 1, 0, -1):
        deltas.insert(0, (deltas[0] @ Ws[l].T) * df(zs[l - 1]))
    return acts, deltas


def test_init_compute_matches_the_network_written_out_tanh_he_normal():
    depth, width, batch, scale = 7, 16, 32, 1.3
    data = G.init_compute(depth, "tanh", "he_normal", scale, width=width, batch=batch, seed=3)
    acts, deltas = _by_hand(depth, width, batch, 3,
                            lambda r: scale * r.normal(0.0, math.sqrt(2 / width), size=(width, width)),
                            np.tanh, lambda z: 1 - np.tanh(z) ** 2)
    np.testing.assert_allclose(data["act_std"], [a.std() for a in acts], rtol=1e-12)
    np.testing.assert_allclose(data["act_mean"], [a.mean() for a in acts], rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(data["grad_std"], [d.std() for d in deltas], rtol=1e-12)
    assert list(data["layers"]) == list(range(1, depth + 1))


def test_histograms_are_shares_that_match_numpy_histogram_with_edges_clipped():
    data = G.init_compute(5, "relu", "random_normal", 3.0, width=16, batch=32, seed=0)
    acts, deltas = _by_hand(5, 16, 32, 0, lambda r: 3.0 * r.normal(0.0, 0.05, size=(16, 16)),
                            lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float))
    lo, hi = G.act_range("relu")
    for l in range(5):
        values = np.clip(acts[l].ravel()[:G.HIST_SAMPLES], lo, hi - 1e-12)
        counts, _ = np.histogram(values, bins=np.linspace(lo, hi, G.N_BINS + 1))
        np.testing.assert_allclose(data["act_hist"][:, l], counts / values.size)
    top = deltas[-1].std()
    rel = np.clip(deltas[0].ravel()[:G.HIST_SAMPLES] / top, -4, 4 - 1e-12)
    counts, _ = np.histogram(rel, bins=np.linspace(-4, 4, G.N_BINS + 1))
    np.testing.assert_allclose(data["grad_hist"][:, 0], counts / rel.size)
    np.testing.assert_allclose(data["act_hist"].sum(axis=0), 1.0)


@pytest.mark.parametrize("activation, initializer", [("linear", "lecun_normal"), ("relu", "he_normal"),
                                                     ("relu", "he_uniform"), ("tanh", "glorot_uniform")])
def test_variance_preserving_initialisers_keep_the_std_within_a_factor_of_a_few(activation, initializer):
    data = G.init_compute(30, activation, initializer, width=64, batch=128)
    assert 0.05 < data["act_std"][-1] < 3
    assert 0.1 < data["grad_std"][0] / data["grad_std"][-1] < 10


def test_wrong_scales_vanish_or_explode_at_the_theoretical_rate():
    # linear layers, W ~ N(0, s^2 / D) (lecun_normal times s): Var grows by s^2 per layer
    for s in (0.5, 2.0):
        data = G.init_compute(20, "linear", "lecun_normal", s, width=256, batch=256)
        ratio = data["act_std"][19] / data["act_std"][9]
        assert ratio == pytest.approx(s ** 10, rel=0.3)
    # sigmoid' <= 1/4: with Glorot (Var(W) D = 1) the gradient shrinks at least 4x per layer
    sig = G.init_compute(20, "sigmoid", "glorot_normal")
    assert np.all(sig["grad_std"][:-1] / sig["grad_std"][1:] < 0.3)


def test_zeros_give_identical_units_and_ones_overflow_without_warnings():
    zero = G.init_compute(10, "tanh", "zeros")
    assert np.all(zero["act_std"] == 0) and np.all(zero["grad_std"][:-1] == 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ones = G.init_compute(50, "relu", "ones", 1e5)  # x6.4e6 per layer: beyond 1e308
    assert not np.isfinite(ones["act_std"][-1])


def test_forward_cache_gives_the_same_numbers_and_depth_is_a_prefix():
    fwd = G.init_forward("gelu", "glorot_uniform", 0.8, G.MAX_DEPTH, 32, 64, 1)
    a = G.init_compute(12, "gelu", "glorot_uniform", 0.8, 32, 64, 1, forward=fwd)
    b = G.init_compute(12, "gelu", "glorot_uniform", 0.8, 32, 64, 1)
    for key in ("act_std", "grad_std", "act_hist", "grad_hist"):
        np.testing.assert_array_equal(a[key], b[key])
    deeper = G.init_compute(20, "gelu", "glorot_uniform", 0.8, 32, 64, 1)
    np.testing.assert_array_equal(deeper["act_std"][:12], a["act_std"])
    with pytest.raises(ValueError, match="depth must be 1 to 50"):
        G.init_compute(51)


def test_init_explorer_builds_and_redraws():
    plot = G.init_explorer(depth=10)
    assert plot.png.startswith(PNG_MAGIC) and 640 <= plot.size_px[0] <= 780
    before = plot.png
    plot.set(depth=30)
    assert plot.png != before
    for change in ({"activation": "sigmoid"}, {"scale": 3.0}, {"initializer": "zeros"}):
        before = plot.png
        plot.set(**change)
        assert plot.png != before
    assert len(plot.timings_ms) == 4

# -- training depth ----------------------------------------------------------------------


SMALL = {"epochs": 2, "n": 128, "batch_size": 64}


def test_depth_compute_row_zero_is_layer_stats_of_the_fresh_network():
    data = D.depth_compute("ReLU (He)", "batch norm", depth=3, **SMALL)
    X, y = D.digits_subset(128, 0)
    fresh = D.build_network("relu", "he_normal", "batch norm", 3)
    stats = layer_stats(fresh, X[:128], y[:128], "softmax_cross_entropy", training=True)
    rows = D.gradient_rows(fresh)
    assert rows == [0, 3, 6, 9] and len(data["rows"]) == 4
    np.testing.assert_allclose(data["grad_norm"][0], stats["grad_norm"][rows], rtol=1e-12)
    assert data["grad_norm"].shape == (3, 4) and data["loss"].shape == (3,)
    np.testing.assert_allclose(data["log_norm"], np.log10(data["grad_norm"]))
    assert 0 <= data["accuracy"] <= 1


def test_sigmoid_vanishes_and_the_remedies_do_not():
    first_over_last = {}
    for remedy in D.REMEDIES:
        data = D.depth_compute("sigmoid (Glorot)", remedy, depth=10, epochs=1, n=128)
        first_over_last[remedy] = data["grad_norm"][0, 0] / data["grad_norm"][0, -1]
    assert first_over_last["none"] < 1e-4
    assert first_over_last["batch norm"] > 1e-2 and first_over_last["residual"] > 1e-2


def test_residual_blocks_start_as_the_identity():
    model = D.build_network("relu", "he_normal", "residual", depth=4)
    x = np.random.default_rng(0).standard_normal((5, 32))
    for layer in model.layers[2:-1]:
        np.testing.assert_array_equal(layer.forward(x), x)
    with pytest.raises(ValueError, match="remedy must be one of"):
        D.build_network(remedy="dropout")


def test_depth_trainer_caches_each_setting():
    trainer = D.DepthTrainer(**SMALL)
    first = trainer("ReLU (He)", "none", 5)
    assert trainer("ReLU (He)", "none", 5) is first and len(trainer.cache) == 1
    trainer("ReLU (He)", "residual", 5)
    assert len(trainer.cache) == 2


def test_depth_explorer_builds_and_redraws():
    plot = D.depth_explorer(depth=5, **SMALL)
    assert plot.png.startswith(PNG_MAGIC) and 640 <= plot.size_px[0] <= 780
    for change in ({"remedy": "residual"}, {"activation": "ReLU (He)"}, {"depth": 10}):
        before = plot.png
        plot.set(**change)
        assert plot.png != before
    assert not plot.controls["depth"].continuous_update

# -- exploding and clipping -------------------------------------------------------------


def test_first_step_norm_is_the_global_norm_and_clipped_steps_are_bounded():
    X, y = C.house_data(64)
    scale, clip, lr = 1.8, 2.0, 0.01
    model = C.exploding_network(scale)
    out = model.forward(X, training=True)
    model.backward(2 * (out - y) / out.size)  # d mean((out - y)^2) / d out
    norm0 = math.sqrt(sum(float(np.sum(g**2)) for g in model.grads().values()))
    W_before = {k: v.copy() for k, v in model.params().items()}
    fresh = C.exploding_network(scale)
    losses, norms = C.train_with_clipping(fresh, X, y, lr=lr, steps=1, clip=clip)
    assert norms[0] == pytest.approx(norm0, rel=1e-10)
    assert losses[0] == pytest.approx(float(np.mean((out - y) ** 2)), rel=1e-12)
    step = math.sqrt(sum(float(np.sum((fresh.params()[k] - W_before[k]) ** 2)) for k in W_before))
    assert norm0 > clip and step == pytest.approx(lr * clip, rel=1e-5)  # clipped to the threshold


def test_without_clipping_a_large_scale_diverges_and_clipping_rescues_it():
    data = C.clip_compute(scale=1.5, clip=1.0, steps=40)
    assert data["diverged"] is not None and data["diverged"] < 10
    assert data["diverged_clip"] is None
    assert data["loss_clip"][-1] < data["loss_clip"][0] / 10
    assert np.isnan(data["loss"][data["diverged"]:]).all()
    calm = C.clip_compute(scale=1.0, clip=1e6, steps=20)
    np.testing.assert_array_equal(calm["loss"], calm["loss_clip"])  # never clipped: identical
    assert calm["diverged"] is None


def test_clip_explorer_builds_and_redraws():
    plot = C.clip_explorer()
    assert plot.png.startswith(PNG_MAGIC) and 640 <= plot.size_px[0] <= 780
    for change in ({"clip": 10.0}, {"scale": 1.0}):
        before = plot.png
        plot.set(**change)
        assert plot.png != before
    assert not plot.controls["clip"].continuous_update
