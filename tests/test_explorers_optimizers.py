"""Chapter 04 explorers: each compute() against values worked out independently
(closed forms, hand-written loops, PyTorch where it has the same thing), and each
explorer builds and redraws without a front end, silently."""

import warnings

import numpy as np
import pytest

from nnlib.data import load_digits
from nnlib.explorers import optimizers as O
from nnlib.explorers import optimizers_search as S
from nnlib.explorers import surfaces as R
from nnlib.surfaces import Quadratic, Rosenbrock

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# -- 1. the worked example -------------------------------------------------------------

@pytest.mark.parametrize("eta", [0.01, 0.1, 0.2, 0.25, 0.3, 0.5, 0.6])
def test_worked_example_follows_the_closed_form(eta):
    data = O.worked_compute(eta, steps=20)
    k = np.arange(21)
    # w_k - w* = (1 - 4 eta)^k (w_0 - w*), with w* = -1/4 and w_0 = 2
    expected = -0.25 + (1 - 4 * eta) ** k * 2.25
    np.testing.assert_allclose(data["w"], expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(data["f"], 2 * expected**2 + expected + 4, rtol=1e-9)
    np.testing.assert_allclose(data["grad"], 4 * expected + 1, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(data["error"], np.abs(expected + 0.25), rtol=1e-9, atol=1e-12)


def test_worked_example_table_values():
    w = O.worked_compute(0.1, steps=20)["w"]
    assert w[1] == pytest.approx(1.1) and w[2] == pytest.approx(0.56)
    assert abs(w[20] + 0.25) < 1e-4 and 2 * w[20] ** 2 + w[20] + 4 == pytest.approx(3.875, abs=1e-7)
    assert abs(O.worked_compute(0.2, steps=10)["w"][10] + 0.25) < 1e-6
    np.testing.assert_allclose(O.worked_compute(0.5, steps=6)["w"], [2, -2.5, 2, -2.5, 2, -2.5, 2])
    w = O.worked_compute(0.6, steps=8)["w"]
    assert np.all(np.abs(np.diff(np.abs(w + 0.25))) > 0) and abs(w[-1]) > 30


@pytest.mark.parametrize("eta, name", [(0.1, "converges"), (0.25, "converges in one step"),
                                       (0.3, "converges, oscillating"), (0.5, "oscillates for ever"),
                                       (0.55, "diverges"), (0.0, "does not move")])
def test_regime_names(eta, name):
    assert O.regime(eta) == name
    assert O.worked_compute(eta)["regime"] == name


def test_worked_slider_holds_the_discussed_values():
    for eta in (0.01, 0.1, 0.2, 0.25, 0.5, 0.55, 0.6):
        assert eta in O.WORKED_ETAS
    assert O.WORKED_ETAS == sorted(O.WORKED_ETAS)


# -- 2. training at one learning rate -------------------------------------------------------

@pytest.fixture(scope="module")
def digits():
    return O.digits_split()


def test_digits_split_is_a_seeded_disjoint_subset(digits):
    X_tr, Y_tr, X_va, Y_va, y_va = digits
    assert X_tr.shape == (400, 64) and Y_tr.shape == (400, 10) and X_va.shape == (200, 64)
    X, y = load_digits()
    idx = np.random.default_rng(0).permutation(len(X))[:600]  # 600 distinct images
    np.testing.assert_array_equal(X_tr, X[idx[:400]])
    np.testing.assert_array_equal(X_va, X[idx[400:]])
    np.testing.assert_array_equal(Y_tr.argmax(axis=1), y[idx[:400]])
    np.testing.assert_array_equal(Y_va.argmax(axis=1), y_va)
    assert Y_tr.sum() == 400 and set(np.unique(Y_tr)) == {0.0, 1.0}


def test_first_batch_loss_matches_a_hand_computation(digits):
    from nnlib.layers import Dense
    X_tr, Y_tr = digits[:2]
    run = O.training_run(0.1, epochs=1, data=digits)
    # fit shuffles with default_rng(seed + 3) = default_rng(3); the first batch is order[:32]
    idx = np.random.default_rng(3).permutation(400)[:32]
    d1, d2 = Dense(64, 32, rng=1), Dense(32, 10, rng=2)
    out = np.tanh(X_tr[idx] @ d1.params["W"] + d1.params["b"]) @ d2.params["W"] + d2.params["b"]
    assert run["batch_loss"][0] == pytest.approx(np.mean((out - Y_tr[idx]) ** 2), rel=1e-12)
    assert len(run["batch_loss"]) == run["steps_per_epoch"] == 13


def test_small_eta_learns_and_large_eta_diverges_silently(digits):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        good = O.training_run(0.5, data=digits)
        bad = O.training_run(5.0, data=digits)
    assert good["diverged"] is None and len(good["loss"]) == 20
    assert good["loss"][-1] < good["loss"][0] and good["val_accuracy"] > 0.8
    assert bad["diverged"] is not None and not np.isfinite(bad["diverged"]["loss"])
    step = bad["diverged"]["step"]
    assert len(bad["batch_loss"]) == step and np.isfinite(bad["batch_loss"][: step - 1]).all()
    assert len(bad["loss"]) == bad["diverged"]["epoch"]  # the epochs completed before it
    assert bad["val_accuracy"] is None
    assert O.training_summary(bad).startswith(f"diverged at step {step}")
    again = O.training_run(0.5, data=digits)
    np.testing.assert_array_equal(again["batch_loss"], good["batch_loss"])  # seeded


# -- 3. search -------------------------------------------------------------------------------

def test_search_score_peaks_where_documented():
    lr = np.geomspace(1e-4, 1, 4001)
    width = np.geomspace(16, 512, 501)
    score = S.search_score(lr[None, :], width[:, None])
    i, j = np.unravel_index(score.argmax(), score.shape)
    assert lr[j] == pytest.approx(10 ** (-4 + 4 * 0.58), rel=1e-2) and width[i] == pytest.approx(128, rel=1e-2)
    assert score.max() == pytest.approx(0.95)
    # the width hardly matters: at the best lr it moves the score by < 10 %
    assert np.ptp(score[:, j]) < 0.1 * score.max()


@pytest.mark.parametrize("n", [1, 4, 8, 9, 36, 64])
def test_search_trials(n):
    trials = S.search_trials(n, seed=0)
    k = int(np.floor(np.sqrt(n)))
    grid, rand = trials["grid"], trials["random"]
    assert grid.shape == (k * k, 2) and rand.shape == (n, 2)
    assert len(np.unique(grid[:, 0])) == k and len(np.unique(rand[:, 0])) == n
    for pts in (grid, rand):
        assert np.all((pts[:, 0] >= 1e-4 * (1 - 1e-12)) & (pts[:, 0] <= 1 + 1e-12))
        assert np.all((pts[:, 1] >= 16 * (1 - 1e-12)) & (pts[:, 1] <= 512 * (1 + 1e-12)))
    # random trials are nested: a bigger budget keeps the earlier ones
    np.testing.assert_array_equal(S.search_trials(64, 0)["random"][:n], rand)


def test_search_curves_against_direct_evaluation():
    curves = S.search_curves(seed=0, repeats=50)
    # the 6 x 6 grid, written out: lr in 1e-4 .. 1 and width in 16 .. 512, log-spaced
    lr, width = np.meshgrid(np.geomspace(1e-4, 1, 6), np.geomspace(16, 512, 6))
    assert curves["best_grid"][35] == pytest.approx(S.search_score(lr, width).max())
    rand = S.search_trials(64, 0)["random"]
    assert curves["best_random"][9] == pytest.approx(S.search_score(rand[:10, 0], rand[:10, 1]).max())
    assert np.all(np.diff(curves["best_random"]) >= 0) and np.all(np.diff(curves["mean_random"]) >= 0)
    # random search finds a good value with fewer trials, on average
    assert curves["mean_random"][8] > curves["best_grid"][8]


# -- 4. the optimizer race -----------------------------------------------------------------------

def test_race_sgd_on_the_quadratic_follows_the_closed_form():
    data = R.race_compute("quadratic", kappa=20, lr=0.05, shown=("sgd",), steps=30)
    run = data["runs"]["sgd"]
    k = np.arange(31)
    x0, y0 = Quadratic().start
    np.testing.assert_allclose(run["path"][:, 0], (1 - 0.05) ** k * x0, rtol=1e-12)
    np.testing.assert_allclose(run["path"][:, 1], (1 - 0.05 * 20) ** k * y0, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(run["gap"], 0.5 * (run["path"][:, 0] ** 2 + 20 * run["path"][:, 1] ** 2))
    assert run["diverged"] is None


def test_race_momentum_matches_a_hand_loop():
    s = Rosenbrock()
    run = R.race_compute("rosenbrock", lr=0.01, beta=0.8, shown=("momentum", "nesterov"), steps=40)["runs"]
    for name, nesterov in (("momentum", False), ("nesterov", True)):
        w, v, path = s.start.copy(), np.zeros(2), [s.start.copy()]
        for _ in range(40):
            g = s.grad(w)
            v = 0.8 * v + g
            w = w - 0.01 * (g + 0.8 * v if nesterov else v)
            path.append(w)
        np.testing.assert_allclose(run[name]["path"], path, rtol=1e-10)


def test_race_marks_divergence():
    # lr * kappa = 5 > 2: y grows by |1 - 5| = 4 per step, from 1.5 past 1e6 after 10 steps
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = R.race_compute("quadratic", kappa=100, lr=0.05, shown=("sgd",))["runs"]["sgd"]
    assert run["diverged"] == 10 and len(run["path"]) == 11


def test_race_adam_matches_torch():
    torch = pytest.importorskip("torch", reason="PyTorch not installed: parity tests skipped")
    s = Quadratic(kappa=10)
    run = R.race_compute("quadratic", kappa=10, lr=0.1, shown=("adam", "nadam", "rmsprop"), steps=50)["runs"]
    for name, cls in (("adam", torch.optim.Adam), ("nadam", torch.optim.NAdam), ("rmsprop", torch.optim.RMSprop)):
        w = torch.tensor(s.start, dtype=torch.float64, requires_grad=True)
        opt = cls([w], lr=0.1)
        path = [w.detach().numpy().copy()]
        for _ in range(50):
            opt.zero_grad()
            (0.5 * (w[0] ** 2 + 10 * w[1] ** 2)).backward()
            opt.step()
            path.append(w.detach().numpy().copy())
        np.testing.assert_allclose(run[name]["path"], path, rtol=1e-7, atol=1e-10)


def test_race_caches_paths_and_meshes():
    race = R.Race()
    shown = {f"show_{n}": n in ("sgd", "adam") for n in R.OPTIMIZERS}
    a = race.compute("saddle", 50, 0.1, 0.9, **shown)
    b = race.compute("saddle", 20, 0.1, 0.5, **shown)  # kappa and beta do not matter here
    assert a["runs"]["sgd"] is b["runs"]["sgd"] and a["mesh"] is b["mesh"]
    assert set(a["runs"]) == {"sgd", "adam"} and len(race.paths) == 2 and len(race.meshes) == 1
    race.compute("quadratic", 50, 0.1, 0.9, **shown)
    race.compute("quadratic", 20, 0.1, 0.9, **shown)
    assert len(race.meshes) == 3


# -- 5. the batch size --------------------------------------------------------------------------

def test_full_batch_is_gradient_descent_on_all_the_data():
    x, y = R.regression_data()
    data = R.batch_compute(256, epochs=3)
    w, b = R.BATCH_START
    for k in range(1, 4):
        err = w * x + b - y
        w, b = w - 0.05 * 2 * np.mean(err * x), b - 0.05 * 2 * np.mean(err)
        np.testing.assert_allclose(data["path"][k], [w, b], rtol=1e-12)
    assert len(data["path"]) == 4


@pytest.mark.parametrize("batch", [1, 3, 16, 100, 256])
def test_batch_steps_and_examples_seen(batch):
    data = R.batch_compute(batch, epochs=2)
    per_epoch = -(-256 // batch)
    assert len(data["steps"]) == 2 * per_epoch + 1
    assert data["seen"][-1] == 512 and data["seen"][per_epoch] == 256
    assert np.all(data["gap"] >= -1e-12)  # the least-squares minimum is the lowest loss
    assert data["gap"][-1] < data["gap"][0]


# -- the explorers build, redraw and stay silent -------------------------------------------------

@pytest.mark.parametrize("build, change", [
    (lambda: O.worked_explorer(0.1), {"eta": 0.55}),
    (lambda: O.training_explorer(0.2, etas=(0.2, 5.0), epochs=10), {"eta": 5.0}),
    (lambda: S.search_explorer(9), {"n_trials": 40}),
    (lambda: R.race_explorer(), {"lr": 0.03}),
    (lambda: R.race_explorer(), {"show_rmsprop": True, "beta": 0.5}),
    (lambda: R.batch_explorer(16), {"batch_size": 1}),
], ids=["worked", "training", "search", "race", "race-boxes", "batch"])
def test_explorers_build_and_redraw(build, change):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot = build()
        before = plot.png
        assert before.startswith(PNG_MAGIC)
        width, height = plot.size_px
        assert 640 <= width <= 760
        plot.set(**change)
    assert plot.png != before and len(plot.timings_ms) == 1


def test_race_surface_choice_sets_its_learning_rate():
    plot = R.race_explorer()
    assert plot.controls["kappa"].disabled is False
    plot.set(surface="two_minima")
    assert plot.controls["lr"].value == R.make_surface("two_minima").lr
    assert plot.controls["kappa"].disabled is True
    assert plot.handles["mesh_key"] == ("two_minima", None)


def test_training_explorer_marks_divergence():
    plot = O.training_explorer(0.2, etas=(0.2, 5.0), epochs=10)
    assert len(plot.handles["cross"].get_xdata()) == 0
    plot.set(eta=5.0)
    d = plot.runs[5.0]["diverged"]
    assert d is not None
    assert plot.handles["cross"].get_xdata()[0] == pytest.approx(d["step"] / 13)
    assert "diverged at step" in plot.handles["title"].get_text()
