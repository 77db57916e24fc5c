"""Chapter 02 explorers: each compute() against values worked out independently
(plain-math formulas, closed forms), and each explorer builds and redraws
without a front end."""

import math
import statistics

import numpy as np
import pytest

from nnlib import init
from nnlib.data import load_digits
from nnlib.explorers import activations as A

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# -- gallery -------------------------------------------------------------------

# The definitions written out again with the math module, one scalar at a time.
SELU_SCALE, SELU_ALPHA = 1.0507009873554805, 1.6732632423543772
REFERENCE = {
    "sigmoid": lambda z: 1 / (1 + math.exp(-z)),
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "leaky_relu": lambda z, alpha: z if z > 0 else alpha * z,
    "elu": lambda z, alpha: z if z > 0 else alpha * (math.exp(z) - 1),
    "selu": lambda z: SELU_SCALE * (z if z > 0 else SELU_ALPHA * (math.exp(z) - 1)),
    "softplus": lambda z: math.log(1 + math.exp(z)),
    "softsign": lambda z: z / (1 + abs(z)),
    "swish": lambda z: z / (1 + math.exp(-z)),
    "gelu": lambda z: 0.5 * z * (1 + math.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z**3))),
    "hard_sigmoid": lambda z: min(max(z / 6 + 0.5, 0.0), 1.0),
    "linear": lambda z: z,
}
KINKS = {"relu": [0.0], "leaky_relu": [0.0], "elu": [0.0], "selu": [0.0],
         "hard_sigmoid": [-3.0, 3.0]}

CASES = [(name, None) for name in A.NAMES] + [("leaky_relu", 0.2), ("elu", 0.5), ("elu", 2.0)]


@pytest.mark.parametrize("name, alpha", CASES)
def test_gallery_f_and_derivative_match_the_formulas(name, alpha):
    data = A.gallery_compute(name, alpha)
    ref = REFERENCE[name]
    if data["params"]:
        assert data["params"] == {"alpha": alpha if alpha is not None else
                                  {"leaky_relu": 0.01, "elu": 1.0}[name]}
        ref = (lambda g, a: (lambda z: g(z, a)))(ref, data["params"]["alpha"])
    z = data["z"]
    assert z[0] == -6 and z[-1] == 6 and data["f"].shape == data["df"].shape == z.shape
    np.testing.assert_allclose(data["f"], [ref(v) for v in z], rtol=1e-12, atol=1e-14)
    h = 1e-6
    numerical = np.array([(ref(v + h) - ref(v - h)) / (2 * h) for v in z])
    away = np.all([np.abs(z - k) > 1e-3 for k in KINKS.get(name, [])], axis=0)
    np.testing.assert_allclose(data["df"][away], numerical[away], rtol=1e-6, atol=1e-8)


def _boundary(func, target, lo, hi):
    """z in [lo, hi] where the monotone func crosses target (bisection)."""
    for _ in range(200):
        mid = (lo + hi) / 2
        if (func(mid) - target) * (func(lo) - target) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def test_gallery_saturated_intervals_of_sigmoid_and_tanh():
    step = 0.02  # grid spacing on [-6, 6]
    # sigmoid' = s (1 - s) = 0.05 * 1/4 where s = (1 + sqrt(1 - 4 c)) / 2, z = logit(s)
    c = 0.05 * 0.25
    s = (1 + math.sqrt(1 - 4 * c)) / 2
    z_star = math.log(s / (1 - s))
    assert z_star == pytest.approx(4.3565, abs=1e-4)
    (a1, b1), (a2, b2) = A.gallery_compute("sigmoid")["intervals"]
    assert (a1, b2) == (-6, 6)
    assert b1 == pytest.approx(-z_star, abs=step) and a2 == pytest.approx(z_star, abs=step)
    # tanh' = 1 - tanh^2 = 0.05  <=>  |z| = atanh(sqrt(0.95))
    z_t = math.atanh(math.sqrt(0.95))
    (a1, b1), (a2, b2) = A.gallery_compute("tanh")["intervals"]
    assert b1 == pytest.approx(-z_t, abs=step) and a2 == pytest.approx(z_t, abs=step)
    assert _boundary(lambda v: 1 - math.tanh(v) ** 2, 0.05, 0, 6) == pytest.approx(z_t)


def test_gallery_saturation_of_the_relu_family():
    step = 0.02
    [(a, b)] = A.gallery_compute("relu")["intervals"]
    assert a == -6 and b == pytest.approx(0, abs=step)
    assert A.gallery_compute("relu")["saturated_share"] == pytest.approx(0.5, abs=0.01)
    # leaky: f' = alpha on the left; saturated only when alpha < 5% of 1
    assert len(A.gallery_compute("leaky_relu", 0.01)["intervals"]) == 1
    assert A.gallery_compute("leaky_relu", 0.1)["intervals"] == []
    assert A.gallery_compute("linear")["intervals"] == []
    # hard sigmoid: f' = 0 outside (-3, 3)
    (a1, b1), (a2, b2) = A.gallery_compute("hard_sigmoid")["intervals"]
    assert b1 == pytest.approx(-3, abs=step) and a2 == pytest.approx(3, abs=step)
    # ELU, alpha = 1: f' = e^z < 0.05 for z < ln 0.05
    [(a, b)] = A.gallery_compute("elu", 1.0)["intervals"]
    assert b == pytest.approx(math.log(0.05), abs=step)


@pytest.mark.parametrize("name", A.NAMES)
def test_gallery_ylim_holds_every_alpha_on_the_slider(name):
    lo, hi = A.gallery_ylim(name)
    for alpha in np.linspace(0, A.ALPHA_MAX.get(name, 0), 11):
        data = A.gallery_compute(name, float(alpha))
        assert lo < min(data["f"].min(), data["df"].min(), 0)
        assert hi > max(data["f"].max(), data["df"].max())


# -- saturation ----------------------------------------------------------------------


def test_saturation_histograms_are_shares_of_the_batch():
    for scale in (0.1, 1.0, 7.0):
        data = A.saturation_compute(scale)
        for name in A.SAT_NAMES:
            d = data[name]
            assert d["out"].shape == d["grad"].shape == (A.N_BINS,)
            assert d["out"].sum() + d["out_above"] == pytest.approx(1)
            assert d["grad"].sum() == pytest.approx(1)


def test_saturation_small_gradients_grow_with_scale_as_the_normal_law_predicts():
    scales = [0.1, 0.5, 1, 2, 4, 10]
    # sigmoid' < 0.05 * 1/4 exactly when |z| > z*, so the share is P(|g| > z* / s) = erfc(z* / (s sqrt 2))
    c = 0.05 * 0.25
    s_ = (1 + math.sqrt(1 - 4 * c)) / 2
    z_sig = math.log(s_ / (1 - s_))
    z_tanh = math.atanh(math.sqrt(0.95))
    previous = {"sigmoid": -1, "tanh": -1}
    for scale in scales:
        data = A.saturation_compute(scale)
        for name, z_star in (("sigmoid", z_sig), ("tanh", z_tanh)):
            share = data[name]["small_grad"]
            assert share >= previous[name]
            previous[name] = share
            assert share == pytest.approx(math.erfc(z_star / (scale * math.sqrt(2))), abs=0.03)
        # the derivative histogram's first bin (f' near 0) is the same story
        assert data["sigmoid"]["grad"][0] == pytest.approx(
            math.erfc(_boundary(lambda v: 1 / (1 + math.exp(-v)) * (1 - 1 / (1 + math.exp(-v))),
                                0.25 / A.N_BINS, 0, 20) / (scale * math.sqrt(2))), abs=0.03)
    assert A.saturation_compute(0.1)["sigmoid"]["small_grad"] == 0
    assert A.saturation_compute(10)["sigmoid"]["small_grad"] > 0.6
    assert A.saturation_compute(0.01)["sigmoid"]["mean_grad"] == pytest.approx(0.25, abs=1e-4)


def test_saturation_relu_gradient_does_not_depend_on_scale():
    shares = [A.saturation_compute(s)["relu"]["grad"] for s in (0.1, 1, 10)]
    for hist in shares:
        np.testing.assert_array_equal(hist, shares[0])
    assert shares[0][0] == pytest.approx(0.5, abs=0.03)  # P(z <= 0)
    assert shares[0][-1] == pytest.approx(0.5, abs=0.03)  # P(z > 0)
    assert shares[0][1:-1].sum() == 0


def test_saturation_batch_is_seeded():
    a, b = A.saturation_compute(2.0, seed=3), A.saturation_compute(2.0, seed=3)
    np.testing.assert_array_equal(a["tanh"]["out"], b["tanh"]["out"])


# -- dying ReLU -------------------------------------------------------------------------


def test_dying_extremes():
    assert A.dying_compute(10.0)["dead_fraction"] == 0
    assert A.dying_compute(10.0)["mean_firing"] == 1
    assert A.dying_compute(-10.0)["dead_fraction"] == 1
    assert A.dying_compute(-10.0)["mean_firing"] == 0


def test_dying_matches_a_brute_force_count():
    X, _ = load_digits(scale=True)
    W = init.he_normal((64, 64), np.random.default_rng(0))
    for bias in (-1.5, -0.5, 0.0):
        data = A.dying_compute(bias)
        for j in range(64):
            z = X @ W[:, j] + bias
            assert data["firing"][j] == pytest.approx(np.mean(z > 0))
            assert data["dead"][j] == (z.max() <= 0)
        assert data["dead_fraction"] == pytest.approx(data["dead"].mean())


def test_dying_curves_agree_with_the_point_values_and_are_monotone():
    data = A.dying_compute(0.0)
    assert np.all(np.diff(data["dead_curve"]) <= 0)
    assert np.all(np.diff(data["firing_curve"]) >= 0)
    for i in (0, 100, 200, 250, 300, 400):
        b = float(data["grid"][i])
        point = A.dying_compute(b)
        assert data["dead_curve"][i] == pytest.approx(point["dead_fraction"])
        assert data["firing_curve"][i] == pytest.approx(point["mean_firing"])


# -- softmax temperature ----------------------------------------------------------------


def test_softmax_at_temperature_one_is_the_textbook_formula():
    data = A.softmax_compute(1.0)
    e = [math.exp(v) for v in A.LOGITS]
    np.testing.assert_allclose(data["p"], [v / sum(e) for v in e], rtol=1e-12)
    np.testing.assert_allclose(data["p1"], data["p"])
    assert data["entropy"] == pytest.approx(-sum(v / sum(e) * math.log(v / sum(e)) for v in e))


def test_softmax_entropy_limits_and_monotonicity():
    k = len(A.LOGITS)
    hot = A.softmax_compute(1e4)
    assert hot["entropy"] == pytest.approx(math.log(k), abs=1e-6)
    assert hot["max_entropy"] == pytest.approx(math.log(k))
    np.testing.assert_allclose(hot["p"], 1 / k, atol=1e-4)
    cold = A.softmax_compute(0.01)
    assert cold["entropy"] < 1e-12 and cold["p"][np.argmax(A.LOGITS)] == pytest.approx(1)
    entropies = [A.softmax_compute(t)["entropy"] for t in np.geomspace(0.05, 20, 30)]
    assert np.all(np.diff(entropies) > 0)


def test_softmax_two_classes_is_binary_entropy():
    data = A.softmax_compute(0.5, logits=[1.0, 0.0])
    q = 1 / (1 + math.exp(-2.0))  # softmax([2, 0])[0] = sigmoid(2)
    assert data["p"][0] == pytest.approx(q)
    assert data["entropy"] == pytest.approx(-q * math.log(q) - (1 - q) * math.log(1 - q))


def test_softmax_rejects_nonpositive_temperature():
    with pytest.raises(ValueError, match="temperature"):
        A.softmax_compute(0.0)


# -- the explorers: build, redraw, PNG ----------------------------------------------------

EXPLORERS = {
    "gallery": (A.gallery_explorer, {"alpha": 0.3}, {"name": "leaky_relu"}),
    "saturation": (A.saturation_explorer, {"scale": 5.0}, {}),
    "dying": (A.dying_explorer, {"bias": -1.0}, {}),
    "softmax": (A.softmax_explorer, {"temperature": 0.2}, {}),
}


@pytest.mark.parametrize("key", EXPLORERS)
def test_explorer_builds_and_redraws_without_a_front_end(key):
    factory, change, kwargs = EXPLORERS[key]
    plot = factory(**kwargs)
    assert plot.png.startswith(PNG_MAGIC)
    width, height = plot.size_px
    assert 640 <= width <= 760 and 300 <= height <= 480
    bundle = plot._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.jupyter.widget-view+json", "image/png"}
    before = plot.png
    plot.set(**change)
    assert plot.png != before and plot.png.startswith(PNG_MAGIC)
    assert len(plot.timings_ms) == 1


def test_explorers_redraw_times_are_recorded(capsys):
    # Nothing is asserted about speed (machines differ); the medians are printed (pytest -s).
    medians = {}
    for key, (factory, change, kwargs) in EXPLORERS.items():
        plot = factory(**kwargs)
        (control, value), = change.items()
        start = plot.controls[control].value
        for v in np.linspace(start, value, 12):
            plot.set(**{control: float(v)})
        medians[key] = statistics.median(plot.timings_ms)
    with capsys.disabled():
        print("\nmedian redraw ms: " + ", ".join(f"{k} {v:.1f}" for k, v in medians.items()))
    assert all(v > 0 for v in medians.values())


def test_gallery_dropdown_sets_alpha_and_greys_the_slider():
    plot = A.gallery_explorer()
    alpha = plot.controls["alpha"]
    assert alpha.disabled and plot.data["params"] == {}
    plot.set(name="elu")
    assert not alpha.disabled and alpha.value == 1.0 and alpha.max == A.ALPHA_MAX["elu"]
    assert plot.data["params"] == {"alpha": 1.0}
    plot.set(name="leaky_relu")
    assert alpha.value == 0.01 and alpha.max == A.ALPHA_MAX["leaky_relu"]
    assert plot.data["params"] == {"alpha": 0.01}
    plot.set(name="elu")  # from leaky ReLU's narrower slider back to ELU's
    assert alpha.value == 1.0 and alpha.max == A.ALPHA_MAX["elu"]
    assert plot.data["params"] == {"alpha": 1.0}
    plot.set(name="tanh")
    assert alpha.disabled and plot.data["name"] == "tanh"


def test_gallery_alpha_moves_artists_not_axes():
    plot = A.gallery_explorer(name="elu")
    ylim = plot.handles["ax"].get_ylim()
    plot.set(alpha=1.7)
    assert plot.handles["ax"].get_ylim() == ylim
    np.testing.assert_allclose(plot.handles["f"].get_ydata(), plot.data["f"])
    assert plot.data["f"].min() == pytest.approx(-1.7 * (1 - math.exp(-6)))


def test_saturation_and_softmax_artists_hold_the_computed_values():
    plot = A.saturation_explorer()
    plot.set(scale=3.0)
    for name in A.SAT_NAMES:
        np.testing.assert_allclose(plot.handles["grad"][name].get_data().values,
                                   plot.data[name]["grad"])
    plot = A.softmax_explorer()
    plot.set(temperature=2.0)
    heights = [r.get_height() for r in plot.handles["bars"]]
    np.testing.assert_allclose(heights, plot.data["p"])
    assert "H = " in plot.handles["title"].get_text()
