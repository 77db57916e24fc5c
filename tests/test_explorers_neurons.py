"""Chapter 01 explorers: compute() against independent values, drawing without a front end."""

import numpy as np
import pytest

from nnlib.explorers import neurons as ex

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def sig(z):
    return 1 / (1 + np.exp(-z))


# -- the shared helper ------------------------------------------------------------------
def test_line_in_box():
    xs, ys = ex.line_in_box((1.0, 1.0), -1.0, (0, 2), (0, 2))  # x1 + x2 = 1
    assert sorted(zip(xs, ys)) == [(0.0, 1.0), (1.0, 0.0)]
    xs, ys = ex.line_in_box((1.0, 0.0), -0.5, (0, 2), (-1, 3))  # vertical x1 = 0.5
    np.testing.assert_allclose(xs, [0.5, 0.5])
    np.testing.assert_allclose(sorted(ys), [-1, 3])
    xs, ys = ex.line_in_box((0.0, 2.0), -1.0, (0, 2), (0, 2))  # horizontal x2 = 0.5
    np.testing.assert_allclose(ys, [0.5, 0.5])
    np.testing.assert_allclose(sorted(xs), [0, 2])
    for w, b in [((0.0, 0.0), 1.0), ((1.0, 1.0), -10.0)]:  # no line / misses the box
        xs, ys = ex.line_in_box(w, b, (0, 2), (0, 2))
        assert xs.size == 0 and ys.size == 0


# -- McCulloch-Pitts ------------------------------------------------------------------
@pytest.mark.parametrize("gate, threshold, output, errors, solution", [
    ("AND", 2, [0, 0, 0, 1], [3, 2, 0, 1], 2),
    ("OR", 1, [0, 1, 1, 1], [1, 0, 2, 3], 1),
    ("NAND", 0, [1, 1, 1, 1], [1, 2, 4, 3], None),
    ("XOR", 1, [0, 1, 1, 1], [2, 1, 3, 2], None),
])
def test_mp_compute(gate, threshold, output, errors, solution):
    d = ex.mp_compute(gate, threshold)
    target = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0], "XOR": [0, 1, 1, 0]}
    np.testing.assert_array_equal(d["target"], target[gate])
    np.testing.assert_array_equal(d["output"], output)
    np.testing.assert_array_equal(d["wrong"], np.array(output) != np.array(target[gate]))
    np.testing.assert_array_equal(d["errors"], errors)
    np.testing.assert_array_equal(d["sums"], [0, 1, 1, 2])
    assert d["solution"] == solution and d["n_wrong"] == d["wrong"].sum()


def test_mp_compute_firing_region():
    # the grid runs from -0.45 to 1.45 in 60 steps; row = x2, column = x1
    fires = ex.mp_compute("AND", 2)["fires"]
    assert fires.shape == (60, 60)
    assert fires[-1, -1] == 1 and fires[0, 0] == 0 and fires[-1, 0] == 0  # 2.9, -0.9, 1.0
    g = np.linspace(-0.45, 1.45, 60)
    np.testing.assert_array_equal(fires, (g[None, :] + g[:, None] >= 2).astype(float))
    assert ex.mp_compute("OR", 0)["fires"].mean() == pytest.approx(
        np.mean(g[None, :] + g[:, None] >= 0))


# -- perceptron ---------------------------------------------------------------------------
def train_by_hand(X, y, lr, w, b, steps):
    """An independent perceptron: `steps` sample visits in order, cycling over the data."""
    w = np.array(w, dtype=float)
    for k in range(steps):
        x, t = X[k % len(y)], y[k % len(y)]
        y_hat = 1 if w @ x + b >= 0 else 0
        w = w + lr * (t - y_hat) * x
        b = b + lr * (t - y_hat)
    return w, b


@pytest.mark.parametrize("dataset", ["AND gate", "two blobs", "XOR gate"])
@pytest.mark.parametrize("lr", [0.1, 1.0])
def test_perceptron_compute_matches_a_hand_written_loop(dataset, lr):
    d0 = ex.perceptron_compute(dataset, lr, "sample by sample", 0)
    X, y, N = d0["X"], d0["y"], d0["N"]
    np.testing.assert_array_equal(d0["w"], ex.W0)
    assert d0["b"] == ex.B0 and d0["visited"] is None and d0["k"] == 0
    for k in (1, 2, 5, N + 3, min(3 * N, d0["S"])):
        d = ex.perceptron_compute(dataset, lr, "sample by sample", k)
        w, b = train_by_hand(X, y, lr, ex.W0, ex.B0, k)
        np.testing.assert_allclose(d["w"], w, atol=1e-12)
        assert d["b"] == pytest.approx(b)
        assert d["visited"] == (k - 1) % N and d["epoch"] == k // N
        wrong = ((X @ w + b >= 0).astype(int)) != y
        np.testing.assert_array_equal(d["wrong"], wrong)
        assert d["curve"][k] == wrong.sum() == d["n_wrong"]
        # did this sample change the line? compare with one step less
        w_before, b_before = train_by_hand(X, y, lr, ex.W0, ex.B0, k - 1)
        assert d["mistake"] == (b != b_before)
    # epoch mode: e epochs are e * N sample steps
    e = 2
    d = ex.perceptron_compute(dataset, lr, "epoch by epoch", e)
    w, b = train_by_hand(X, y, lr, ex.W0, ex.B0, e * N)
    np.testing.assert_allclose(d["w"], w, atol=1e-12)
    assert d["visited"] is None and d["k"] == e * N


def test_perceptron_compute_grid_and_line():
    d = ex.perceptron_compute("two blobs", 0.316228, "sample by sample", 7)
    (x0, x1), (y0, y1) = d["xlim"], d["ylim"]
    g = d["grid"]
    assert g.shape == (ex.GRID, ex.GRID)
    w, b = d["w"], d["b"]
    for row, col, point in [(0, 0, (x0, y0)), (0, -1, (x1, y0)), (-1, 0, (x0, y1)),
                            (-1, -1, (x1, y1))]:
        assert g[row, col] == float(w @ np.array(point) + b >= 0)
    xs, ys = d["line"]
    np.testing.assert_allclose(w[0] * xs + w[1] * ys + b, 0, atol=1e-9)


def test_perceptron_end_of_training_separable_vs_xor():
    for dataset in ("AND gate", "OR gate", "two blobs"):
        d = ex.perceptron_compute(dataset, 1.0, "epoch by epoch", 10_000)  # clamped
        assert d["done"] and d["converged"] and d["n_wrong"] == 0 and d["k"] == d["S"]
        assert d["errors"][-1] == 0
    for dataset in ("XOR gate", "XOR blobs"):
        d = ex.perceptron_compute(dataset, 1.0, "epoch by epoch", 10_000)
        assert d["done"] and not d["converged"] and d["n_wrong"] > 0
        assert len(d["errors"]) == ex.MAX_EPOCHS and min(d["errors"]) > 0


def test_from_zero_lr_would_not_matter_but_from_w0_it_does():
    a = ex.perceptron_trajectory("AND gate", 0.1)
    b = ex.perceptron_trajectory("AND gate", 1.0)
    assert len(a["errors"]) != len(b["errors"])


def test_trajectories_are_cached_and_read_only():
    t = ex.perceptron_trajectory("OR gate", 1.0)
    assert ex.perceptron_trajectory("OR gate", 1.0) is t
    with pytest.raises(ValueError, match="read-only"):
        t["w"][0, 0] = 5.0
    with pytest.raises(ValueError, match="unknown dataset 'spam'; valid names: AND gate"):
        ex.perceptron_trajectory("spam", 1.0)
    with pytest.raises(ValueError, match="unknown mode"):
        ex.perceptron_compute("OR gate", 1.0, "backwards", 0)


# -- sigmoid neuron -------------------------------------------------------------------------
def test_sigmoid_compute_against_the_formulas():
    d = ex.sigmoid_compute(2.0, -1.0, 0.5)
    X, y = d["X"], d["y"]
    z = 2.0 * X[:, 0] - 1.0 * X[:, 1] + 0.5
    p = sig(z)
    np.testing.assert_allclose(d["p"], p)
    assert d["loss"] == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    assert d["accuracy"] == pytest.approx(np.mean((z >= 0) == (y == 1)))
    lo, hi = ex.SIG_LIM
    # rows run along x2, columns along x1
    assert d["p_grid"][0, 0] == pytest.approx(sig(2 * lo - lo + 0.5))   # (x1, x2) = (lo, lo)
    assert d["p_grid"][0, -1] == pytest.approx(sig(2 * hi - lo + 0.5))  # (hi, lo)
    assert d["p_grid"][-1, 0] == pytest.approx(sig(2 * lo - hi + 0.5))  # (lo, hi)
    # along u = w / |w|: position t = x . u, p = sigmoid(|w| t + b) for every point
    norm = np.sqrt(5.0)
    np.testing.assert_allclose(d["t_data"], X @ np.array([2.0, -1.0]) / norm)
    np.testing.assert_allclose(sig(norm * d["t_data"] + 0.5), p)
    assert d["t_half"] == pytest.approx(-0.5 / norm)
    xs, ys = d["line"]
    np.testing.assert_allclose(2 * xs - ys + 0.5, 0, atol=1e-9)


def test_sigmoid_compute_with_zero_weights_is_flat():
    d = ex.sigmoid_compute(0.0, 0.0, 1.0)
    np.testing.assert_allclose(d["curve"], sig(1.0))
    np.testing.assert_allclose(d["p_grid"], sig(1.0))
    assert d["t_half"] is None and d["line"][0].size == 0
    # p = sigmoid(1) for every point, half of them class 0: loss = mean of -log p, -log(1 - p)
    assert d["loss"] == pytest.approx(-(np.log(sig(1.0)) + np.log(1 - sig(1.0))) / 2)


def test_sigmoid_explorer_data_is_fixed():
    X, y = ex.sigmoid_data()
    X2, y2 = ex.sigmoid_data()
    np.testing.assert_array_equal(X, X2)
    assert X.shape == (40, 2) and sorted(np.bincount(y)) == [20, 20]


# -- the explorers, without a front end ------------------------------------------------------
@pytest.mark.parametrize("make, change", [
    (ex.mp_explorer, {"threshold": 1}),
    (ex.mp_explorer, {"gate": "XOR"}),
    (ex.perceptron_explorer, {"step": 3}),
    (ex.perceptron_explorer, {"dataset": "XOR blobs"}),
    (lambda: ex.perceptron_explorer(step=6), {"mode": "epoch by epoch"}),
    (ex.perceptron_explorer, {"lr": 0.1}),
    (ex.sigmoid_explorer, {"w1": -2.0}),
    (ex.sigmoid_explorer, {"b": 3.0}),
])
def test_explorers_build_and_their_png_changes(make, change):
    plot = make()
    assert plot.png.startswith(PNG_MAGIC)
    before = plot.png
    plot.set(**change)
    assert plot.png.startswith(PNG_MAGIC) and plot.png != before
    assert plot.timings_ms and plot.timings_ms[-1] < 1000


def test_blitting_a_step_is_not_a_full_redraw():
    plot = ex.perceptron_explorer()
    assert not plot.fig.stale
    for k in (1, 2, 3):
        data = ex.perceptron_compute("AND gate", 1.0, "sample by sample", k)
        assert ex.perceptron_update(plot.handles, data) is None
        assert not plot.fig.stale
    data = ex.perceptron_compute("XOR gate", 1.0, "sample by sample", 3)
    assert ex.perceptron_update(plot.handles, data) == "full"
    for make, values in [(ex.mp_explorer, {"threshold": 3, "gate": "OR"}),
                         (ex.sigmoid_explorer, {"w1": 3.0, "b": -1.0})]:
        plot = make()
        plot.set(**values)
        assert not plot.fig.stale


def test_step_slider_follows_the_trajectory():
    plot = ex.perceptron_explorer(dataset="AND gate", lr=1.0)
    plot.widget  # attaches the redraw observers, as in JupyterLab
    step, mode = plot.controls["step"], plot.controls["mode"]
    S = ex.n_positions("AND gate", 1.0, "sample by sample")
    assert step.max == S == 4 * len(ex.perceptron_trajectory("AND gate", 1.0)["errors"])
    step.value = 13
    mode.value = "epoch by epoch"  # 13 samples = 3 full epochs
    assert step.value == 3 and step.max == S // 4
    mode.value = "sample by sample"
    assert step.value == 12 and step.max == S
    plot.controls["dataset"].value = "XOR blobs"
    assert step.max == ex.MAX_EPOCHS * 24 and step.value == 12
    step.value = 500
    plot.controls["dataset"].value = "OR gate"
    assert step.value == step.max == ex.n_positions("OR gate", 1.0, "sample by sample")
    assert plot.data["k"] == step.value and plot.data["dataset"] == "OR gate"
