"""Chapter 03 explorers (nnlib.explorers.backprop) and the graph helper (nnlib.graph).

The compute functions are checked against nnlib's losses and layers, numerical
derivatives and (when installed) PyTorch's autograd; the explorers are built and
driven as a learner would drive them.
"""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib import losses
from nnlib.explorers import backprop as B
from nnlib.gradcheck import numerical_gradient, rel_error
from nnlib.layers import Activation, Dense
from nnlib.model import Sequential

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# -- loss explorer ---------------------------------------------------------------


def test_every_nnlib_loss_has_a_view_and_a_formula():
    assert sorted(B.LOSS_NAMES) == sorted(losses.LOSSES)
    for name in B.LOSS_NAMES:
        assert B.LOSS_KIND[name] in B.KINDS and name in B.LOSS_FORMULAS


@pytest.mark.parametrize("name", B.LOSS_NAMES)
def test_curve_slope_is_the_derivative_of_the_curve(name):
    kind = B.KINDS[B.LOSS_KIND[name]]
    lo, hi, step, default = kind["target"]
    for target in {lo, default, hi}:
        if B.LOSS_KIND[name] == "margin" and target == 0:
            continue
        xs, values, slopes = B.loss_curves(name, float(target))
        assert xs.shape == values.shape == slopes.shape == (B.N_CURVE,)
        assert np.all(np.isfinite(values)) and np.all(np.isfinite(slopes))
        for x in np.linspace(*kind["x_range"], 7)[1:-1] + 0.0123:  # off the kinks
            def f(v):
                return B.loss_and_slope(name, float(v[0]), target)[0]
            numeric = numerical_gradient(f, np.array([x]), eps=1e-6)[0]
            analytic = B.loss_and_slope(name, x, target)[1]
            assert abs(numeric - analytic) <= 1e-5 * max(1.0, abs(analytic)), (name, target, x)


def test_one_sample_values_match_the_formulas():
    assert B.loss_and_slope("mse", 3.0, 2.0) == pytest.approx((1.0, 2.0))
    assert B.loss_and_slope("mae", 1.0, 2.0) == pytest.approx((1.0, -1.0))
    assert B.loss_and_slope("huber", 4.0, 2.0) == pytest.approx((1.5, 1.0))
    assert B.loss_and_slope("binary_cross_entropy", 0.25, 1.0) == pytest.approx((np.log(4), -4.0))
    # softmax cross-entropy with logits (z0, 0, 0): slope p0 - y0
    z0 = 1.3
    p0 = np.exp(z0) / (np.exp(z0) + 2)
    assert B.loss_and_slope("softmax_cross_entropy", z0, 0)[1] == pytest.approx(p0 - 1)
    assert B.loss_and_slope("softmax_cross_entropy", z0, 1)[1] == pytest.approx(p0)
    # categorical CE moves p0 and takes the mass from the other two classes
    assert B.loss_and_slope("categorical_cross_entropy", 0.4, 1)[0] == pytest.approx(-np.log(0.3))
    assert B.loss_and_slope("hinge", 1.5, 1.0) == pytest.approx((0.0, 0.0))
    assert B.loss_and_slope("hinge", 0.5, -1.0) == pytest.approx((1.5, 1.0))


def test_loss_compute_clips_into_the_loss_domain():
    d = B.loss_compute("binary_cross_entropy", target=0.0, prediction=3.0)
    assert d["x"] == pytest.approx(0.98)
    assert np.isfinite(d["value"])
    d = B.loss_compute("softmax_cross_entropy", target=1.4, prediction=0.0)
    assert d["target"] == 1.0
    d = B.loss_compute("hinge", target=0.3, prediction=0.0)
    assert d["target"] == 1.0
    lo, hi = d["ylim_loss"]
    assert lo < 0 < hi


def test_loss_limits_hold_every_target_curve():
    for name in ["mse", "mape", "binary_cross_entropy", "categorical_hinge"]:
        (l_lo, l_hi), (g_lo, g_hi) = B.loss_limits(name)
        lo, hi, step, _ = B.KINDS[B.LOSS_KIND[name]]["target"]
        for t in np.arange(lo, hi + step / 2, step):
            _, values, slopes = B.loss_curves(name, float(round(t, 6)))
            assert values.max() <= l_hi and values.min() >= l_lo
            assert slopes.max() <= g_hi and slopes.min() >= g_lo


@pytest.mark.parametrize("outliers", [False, True])
def test_line_fits_are_the_minimisers_of_their_losses(outliers):
    fits = B.line_fits(outliers)
    x, y = fits["x"], fits["y"]
    assert fits["is_outlier"].sum() == (5 if outliers else 0)
    objective = {"mse": losses.mse, "mae": losses.mae, "huber": losses.huber}
    rng = np.random.default_rng(0)
    for name, (w, b) in fits["fits"].items():
        best = objective[name](w * x + b, y)
        for dw, db in 1e-4 * rng.standard_normal((40, 2)):
            assert objective[name]((w + dw) * x + b + db, y) >= best - 1e-12, name
        for other, (w2, b2) in fits["fits"].items():
            assert objective[name](w2 * x + b2, y) >= best - 1e-12, (name, other)
    for name in ("mse", "huber"):  # smooth: the gradient is zero at the minimum
        w, b = fits["fits"][name]
        g = objective[name].grad(w * x + b, y)
        assert abs(g @ x) < 1e-9 and abs(g.sum()) < 1e-9


def test_outliers_pull_mse_much_more_than_mae_and_huber():
    clean, dirty = B.line_fits(False)["fits"], B.line_fits(True)["fits"]
    shift = {k: abs(dirty[k][0] - clean[k][0]) for k in clean}
    assert shift["mse"] > 4 * shift["mae"] and shift["mse"] > 2 * shift["huber"]


def test_loss_explorer_redraws_and_adapts_its_sliders():
    plot = B.loss_explorer("mse", target=2.0, prediction=3.0)
    assert plot.png.startswith(PNG_MAGIC)
    axes = list(plot.fig.axes)
    plot.widget  # observers on, as in JupyterLab
    before = plot.png
    plot.controls["prediction"].value = 4.0
    assert plot.png != before
    np.testing.assert_allclose(plot.handles["point_l"].get_ydata(), [4.0])
    plot.controls["name"].value = "binary_cross_entropy"
    t, p = plot.controls["target"], plot.controls["prediction"]
    assert (t.min, t.max, p.min, p.max) == (0.0, 1.0, 0.02, 0.98)
    assert plot.data["name"] == "binary_cross_entropy" and 0.02 <= plot.data["x"] <= 0.98
    plot.controls["name"].value = "hinge"
    assert plot.controls["target"].value in (-1.0, 1.0)
    plot.controls["outliers"].value = True
    assert plot.handles["outs"].get_offsets().shape == (5, 2)
    assert list(plot.fig.axes) == axes  # updated in place, never rebuilt


# -- the forward/backward stepper --------------------------------------------------


def _network(params):
    model = Sequential([Dense(3, 4, rng=0), Activation("sigmoid"), Dense(4, 1, rng=0)])
    for key, name in [("0.W", "W1"), ("0.b", "b1"), ("2.W", "W2"), ("2.b", "b2")]:
        model.params()[key][...] = params[name]
    return model


def test_house_data_is_standardised_and_uses_three_features():
    X, y, stats = B.house_data()
    assert X.shape == (200, 3) and y.shape == (200, 1)
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1)
    np.testing.assert_allclose(y.mean(), 0, atol=1e-12)
    assert B.HOUSE_INPUTS == ("bedrooms", "age", "distance_to_sea_km")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_trace_matches_sequential_and_numerical_gradients(seed):
    X, y, _ = B.house_data()
    X, y = X[:6], y[:6]
    params = B.example_params(seed)
    trace = {t["name"]: t["value"] for t in B.forward_backward_trace(X, y, params)}
    model = _network(params)
    out = model.forward(X)
    assert trace["L"] == pytest.approx(losses.mse(out, y))
    np.testing.assert_allclose(trace["y_hat"], out)
    model.backward(losses.mse.grad(out, y))
    g = model.grads()
    for key, name in [("0.W", "dW1"), ("0.b", "db1"), ("2.W", "dW2"), ("2.b", "db2")]:
        np.testing.assert_allclose(trace[name], g[key], rtol=1e-12, atol=1e-15)
    for name in ("W1", "b1", "W2", "b2"):
        p = {k: v.copy() for k, v in params.items()}

        def loss(_):
            return B.forward_backward_trace(X, y, p)[4]["value"]

        assert rel_error(trace["d" + name], numerical_gradient(loss, p[name])) < 1e-7


def test_trace_matches_pytorch_autograd():
    torch = pytest.importorskip("torch", reason="PyTorch parity needs torch (pip install torch)")
    X, y, _ = B.house_data()
    X, y = X[:4], y[:4]
    params = B.example_params(0)
    trace = {t["name"]: t["value"] for t in B.forward_backward_trace(X, y, params)}
    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    y_hat = torch.sigmoid(torch.tensor(X) @ t["W1"] + t["b1"]) @ t["W2"] + t["b2"]
    loss = torch.nn.functional.mse_loss(y_hat, torch.tensor(y))
    loss.backward()
    assert trace["L"] == pytest.approx(loss.item(), rel=1e-12)
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(trace["d" + name], t[name].grad.numpy(), rtol=1e-10, atol=1e-14)


def test_every_gradient_has_the_shape_of_its_variable():
    X, y, _ = B.house_data()
    trace = B.forward_backward_trace(X[:4], y[:4], B.example_params(0))
    values = {t["name"]: t["value"] for t in trace}
    params = B.example_params(0)
    assert values["dy_hat"].shape == values["y_hat"].shape
    assert values["dA1"].shape == values["A1"].shape and values["dZ1"].shape == values["Z1"].shape
    for name in ("W1", "b1", "W2", "b2"):
        assert values["d" + name].shape == params[name].shape
    assert [t["phase"] for t in trace] == ["forward"] * 5 + ["backward"] * 7
    nodes, _ = B.stepper_graph()
    for step in trace:
        assert step["node"] in nodes and (step["op"] is None or step["op"] in nodes)
        assert set(step["reads"]) <= set(nodes)


def test_stepper_compute_tracks_progress():
    X, y, _ = B.house_data()
    trace = B.forward_backward_trace(X[:4], y[:4], B.example_params(0))
    first = B.stepper_compute(0, trace)
    assert (first["index"], first["count"], first["grads_done"]) == (1, 5, set())
    last = B.stepper_compute(99, trace)  # clipped
    assert last["step"] == 11 and last["index"] == 7
    assert last["grads_done"] == {"L", "yhat", "W2", "b2", "A1", "Z1", "W1", "b1"}


def test_stepper_explorer_visits_every_step_without_rebuilding():
    plot = B.stepper_explorer()
    axes = list(plot.fig.axes)
    seen = set()
    for step in range(12):
        plot.set(step=step)
        seen.add(plot.png)
        rows = [t.get_text() for t in plot.handles["rows"] if t.get_text()]
        assert len(rows) == max(1, plot.data["value"].reshape(len(rows), -1).shape[0])
    assert len(seen) == 12
    assert list(plot.fig.axes) == axes


def test_table_cells_follow_the_value_shape():
    plot = B.stepper_explorer(step=10)  # dW1 (3, 4)
    visible = [c.get_visible() for c in plot.handles["cells"]]
    assert sum(visible) == 12
    assert plot.handles["rows"][0].get_text().startswith("bedrooms")


# -- the playground ------------------------------------------------------------------


SETTING = dict(dataset="moons", width=4, depth=1, activation="tanh", lr=1.0)


def test_playground_data_sets_are_small_standardised_and_read_only():
    for name in B.PLAYGROUND_SETS:
        X, y = B.playground_data(name)
        assert X.shape == (200, 2) and set(np.unique(y)) == {0, 1}
        np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
        assert not X.flags.writeable


def test_playground_compute_shapes_and_training():
    pg = B.Playground(grid_steps=32)
    d = pg.compute(**SETTING, epochs=0)
    assert d["p"].shape == (32, 32) and d["loss"] == [] and d["epochs"] == 0
    d = pg.compute(**SETTING, epochs=100)
    assert len(d["loss"]) == 100 and d["epochs"] == 100
    assert d["loss"][-1] < d["loss"][0] and d["accuracy"] > 0.8
    assert d["n_params"] == 2 * 4 + 4 + 4 * 2 + 2
    assert d["architecture"].startswith("2 → 4 → 2")


def test_playground_remembers_and_continues_runs():
    pg = B.Playground(grid_steps=16)
    pg.compute(**SETTING, epochs=50)
    steps = pg.trained_steps
    assert steps == 50  # full batch: one step per epoch
    again = pg.compute(**SETTING, epochs=50)
    assert pg.trained_steps == steps  # remembered
    longer = pg.compute(**SETTING, epochs=100)
    assert pg.trained_steps == 100  # continued, not restarted
    fresh = B.Playground(grid_steps=16).compute(**SETTING, epochs=100)
    np.testing.assert_allclose(longer["loss"], fresh["loss"], rtol=1e-12)
    np.testing.assert_allclose(longer["p"], fresh["p"], rtol=1e-10)
    back = pg.compute(**SETTING, epochs=50)
    assert pg.trained_steps == 100  # a snapshot, no training
    np.testing.assert_array_equal(back["p"], again["p"])


def test_playground_between_snapshots_replays_the_run():
    pg = B.Playground(grid_steps=16)
    pg.compute(**SETTING, epochs=100)
    d = pg.compute(**SETTING, epochs=30)
    fresh = B.Playground(grid_steps=16).compute(**SETTING, epochs=30)
    assert d["epochs"] == 30
    np.testing.assert_allclose(d["p"], fresh["p"], rtol=1e-10)


def test_playground_memo_is_bounded_and_per_instance():
    pg = B.Playground(grid_steps=8, max_runs=3)
    for width in range(1, 6):
        pg.compute(**{**SETTING, "width": width}, epochs=0)
    assert len(pg.runs) == 3
    assert len(B.Playground().runs) == 0


def test_playground_reports_divergence_and_shows_the_last_finite_state():
    pg = B.Playground(grid_steps=16)
    d = pg.compute("XOR", 16, 3, "linear", 10.0, 100)
    assert d["diverged"] is not None and d["diverged"] <= 100
    assert d["epochs"] < d["diverged"]
    assert np.all(np.isfinite(d["p"]))


def test_boundary_lines_of_a_linear_probability():
    g = np.linspace(-1, 1, 21)
    xx, yy = np.meshgrid(g, g)
    p = 1 / (1 + np.exp(-(xx - 0.3) * 5))  # boundary at x = 0.3
    xs, ys = B.boundary_lines(g, g, p)
    np.testing.assert_allclose(xs[np.isfinite(xs)], 0.3, atol=1e-9)
    assert B.boundary_lines(g, g, np.zeros_like(p))[0].size == 0


def test_playground_explorer_retrains_on_release_only():
    plot = B.playground_explorer(epochs=50)
    assert all(not w.continuous_update for w in plot.controls.values()
               if hasattr(w, "continuous_update"))
    before = plot.png
    plot.set(epochs=75)
    assert plot.png != before
    assert plot.data["epochs"] == 75 and len(plot.data["loss"]) == 75
    plot.set(dataset="circles")
    assert plot.data["dataset"] == "circles"


# -- nnlib.graph ---------------------------------------------------------------------


def test_draw_graph_makes_a_patch_and_label_per_node_and_an_arrow_per_edge():
    from nnlib.graph import draw_graph, highlight_ring

    nodes, edges = B.stepper_graph(n="N")
    fig = Figure()
    ax = fig.add_subplot()
    h = draw_graph(ax, nodes, edges)
    assert set(h["patches"]) == set(nodes) == set(h["texts"])
    assert set(h["edges"]) == set(edges)
    assert h["texts"]["X"].get_text() == "X\n(N, 3)"
    ring = highlight_ring(ax, nodes, "sigma")
    assert ring.get_radius() > 0.34


def test_playground_training_is_fit_with_one_full_batch():
    from nnlib.optim import SGD
    from nnlib.train import fit

    pg = B.Playground(grid_steps=8)
    d = pg.compute(**SETTING, epochs=40)
    X, y = B.playground_data("moons")
    model = B.build_classifier(4, 1, "tanh", seed=0)
    history = fit(model, "softmax_cross_entropy", SGD(lr=1.0), X, y, epochs=40,
                  batch_size=len(X), shuffle=False, progress=False)
    np.testing.assert_allclose(d["loss"], history.history["loss"], rtol=1e-12)
