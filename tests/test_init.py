"""nnlib.init: shapes, dtypes, variances, bounds, determinism and errors.

Comparison with torch.nn.init lives in test_parity_torch_functional.py.
"""

import math

import numpy as np
import pytest

from nnlib import init as I

CONSTANT = ["zeros", "ones", "constant"]
RANDOM = ["random_normal", "random_uniform", "truncated_normal", "glorot_normal",
          "glorot_uniform", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform"]
UNIFORM = ["random_uniform", "glorot_uniform", "he_uniform", "lecun_uniform"]
ALL = CONSTANT + RANDOM
SHAPE = (600, 400)  # 240,000 draws: the sample variance is within ~0.6% (2 std errors)


def test_names_and_registry():
    for name in ALL:
        f = I.get(name)
        assert f.name == name and getattr(I, name) is f
        assert "Variance" in f.__doc__ or "variance" in f.__doc__
    assert I.get("He_Normal") is I.he_normal
    assert I.get("xavier_uniform") is I.glorot_uniform
    assert I.get("kaiming_normal") is I.he_normal
    assert I.get(I.lecun_normal) is I.lecun_normal
    with pytest.raises(ValueError, match=r"unknown initializer 'he'.*glorot_uniform.*he_normal.*zeros"):
        I.get("he")


@pytest.mark.parametrize("name", ALL)
def test_shape_and_dtype(name):
    w = I.get(name)((7, 3), np.random.default_rng(0))
    assert w.shape == (7, 3) and w.dtype == np.float64


def test_constant_values():
    np.testing.assert_array_equal(I.zeros((2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(I.ones((2, 3), None), np.ones((2, 3)))
    np.testing.assert_array_equal(I.constant((4,), value=0.1), np.full(4, 0.1))
    np.testing.assert_array_equal(I.constant((2, 2)), np.zeros((2, 2)))
    np.testing.assert_array_equal(I.zeros(5), np.zeros(5))  # an int is a bias length
    assert I.zeros.variance((3, 4)) == 0.0 and I.constant.variance((3,), value=2.0) == 0.0


# name -> (fan_in, fan_out) -> variance, written out independently of nnlib.
EXPECTED_VARIANCE = {
    "random_normal": lambda fi, fo: 0.05**2,
    "random_uniform": lambda fi, fo: 0.1**2 / 12,
    "truncated_normal": lambda fi, fo: 0.05**2 * 0.7737413035499232,
    "glorot_normal": lambda fi, fo: 2 / (fi + fo),
    "glorot_uniform": lambda fi, fo: 2 / (fi + fo),
    "he_normal": lambda fi, fo: 2 / fi,
    "he_uniform": lambda fi, fo: 2 / fi,
    "lecun_normal": lambda fi, fo: 1 / fi,
    "lecun_uniform": lambda fi, fo: 1 / fi,
}


@pytest.mark.parametrize("name", RANDOM)
def test_variance_formula(name):
    for fi, fo in [(600, 400), (10, 1000), (3, 2)]:
        assert I.get(name).variance((fi, fo)) == pytest.approx(EXPECTED_VARIANCE[name](fi, fo), rel=1e-12)


def test_truncated_factor_matches_its_definition():
    # Var of N(0, 1) cut at +-2: 1 - 2 * 2 phi(2) / (Phi(2) - Phi(-2))
    phi2 = math.exp(-2) / math.sqrt(2 * math.pi)
    Phi2 = 0.5 * (1 + math.erf(2 / math.sqrt(2)))
    assert I.TRUNCATED_VARIANCE_FACTOR == pytest.approx(1 - 4 * phi2 / (2 * Phi2 - 1), rel=1e-14)
    assert I.TRUNCATED_VARIANCE_FACTOR == pytest.approx(0.77374, abs=1e-5)


@pytest.mark.parametrize("name", RANDOM)
def test_sample_variance_matches_formula(name):
    f = I.get(name)
    w = f(SHAPE, np.random.default_rng(1))
    assert abs(w.mean()) < 4 * math.sqrt(f.variance(SHAPE) / w.size)  # mean 0
    assert w.var() == pytest.approx(f.variance(SHAPE), rel=0.02)


def test_variance_depends_on_the_right_fan():
    # fan_in is shape[0] (W is (D_in, D_out)); confusing the two is a classic mistake
    assert I.he_normal.variance((100, 10)) == pytest.approx(0.02)
    w = I.he_normal((100, 1000), np.random.default_rng(2))
    assert w.var() == pytest.approx(2 / 100, rel=0.02)


@pytest.mark.parametrize("name", UNIFORM)
def test_uniform_draws_stay_within_their_limit(name):
    f = I.get(name)
    w = f(SHAPE, np.random.default_rng(3))
    limit = 0.05 if name == "random_uniform" else f.limit(SHAPE)
    assert limit == pytest.approx(math.sqrt(3 * f.variance(SHAPE)), rel=1e-12)
    assert np.all(np.abs(w) <= limit)
    assert np.abs(w).max() > 0.99 * limit  # and actually use the whole range
    assert I.glorot_uniform.limit((4, 2)) == pytest.approx(1.0)
    assert I.he_uniform.limit((6, 1)) == pytest.approx(1.0)
    assert I.lecun_uniform.limit((3, 7)) == pytest.approx(1.0)


def test_random_parameters():
    rng = np.random.default_rng(4)
    w = I.random_normal(SHAPE, rng, mean=1.0, std=0.5)
    assert w.mean() == pytest.approx(1.0, abs=0.01) and w.std() == pytest.approx(0.5, rel=0.02)
    assert I.random_normal.variance(SHAPE, std=0.5) == 0.25
    w = I.random_uniform(SHAPE, rng, low=2.0, high=3.0)
    assert w.min() >= 2.0 and w.max() <= 3.0
    assert I.random_uniform.variance(SHAPE, low=2.0, high=3.0) == pytest.approx(1 / 12)


def test_truncated_normal_stays_within_two_std():
    w = I.truncated_normal(SHAPE, np.random.default_rng(5), mean=1.0, std=0.5)
    assert np.all(np.abs(w - 1.0) <= 2 * 0.5)
    assert np.abs(w - 1.0).max() > 0.99  # the cut is at 2 std, not tighter
    w0 = I.truncated_normal(SHAPE, np.random.default_rng(5))
    assert np.all(np.abs(w0) <= 0.1)


@pytest.mark.parametrize("name", RANDOM)
def test_rng_determinism(name):
    f = I.get(name)
    a = f((30, 20), np.random.default_rng(42))
    b = f((30, 20), np.random.default_rng(42))
    c = f((30, 20), np.random.default_rng(43))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_no_global_random_state_is_used():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    I.he_normal((5, 5), np.random.default_rng(0))
    I.truncated_normal((5, 5), np.random.default_rng(0))
    np.testing.assert_array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize("name", RANDOM)
def test_random_initialisers_need_a_generator(name):
    with pytest.raises(TypeError, match=r"needs rng=np.random.default_rng\(seed\), got NoneType"):
        I.get(name)((3, 2))
    with pytest.raises(TypeError, match="got int"):
        I.get(name)((3, 2), 0)


@pytest.mark.parametrize("name", RANDOM)
def test_bias_shape_rejected_for_fan_based_initialisers(name):
    with pytest.raises(ValueError, match=r"expects shape \(fan_in, fan_out\).*got \(5,\).*only work with zeros, ones and constant"):
        I.get(name)((5,), np.random.default_rng(0))


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("shape", [(2, 3, 4), (0, 3), (), "ab"])
def test_bad_shapes(name, shape):
    with pytest.raises(ValueError, match="expects shape"):
        I.get(name)(shape, np.random.default_rng(0))


def test_unknown_parameter_names_valid_ones():
    with pytest.raises(TypeError, match="sd; valid parameters: mean, std"):
        I.random_normal((2, 2), np.random.default_rng(0), sd=1.0)
    with pytest.raises(TypeError, match="valid parameters: none"):
        I.he_normal((2, 2), np.random.default_rng(0), gain=2.0)
