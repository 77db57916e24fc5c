"""nnlib.losses: values, gradients, error messages and stability.

PyTorch parity lives in test_parity_torch_functional.py.
"""

import contextlib
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnlib import losses as L
from nnlib.activations import softmax
from nnlib.gradcheck import numerical_gradient, rel_error

ELEMENTWISE = ["mse", "mae", "huber", "msle", "mape", "binary_cross_entropy",
               "bce_with_logits", "hinge", "squared_hinge"]
ONEHOT = ["categorical_cross_entropy", "categorical_hinge"]
SPARSE = ["sparse_categorical_cross_entropy", "softmax_cross_entropy"]
ALL = ELEMENTWISE + ONEHOT + SPARSE


@contextlib.contextmanager
def strict_numerics():
    """Overflow, nan or division by zero fails the test (underflow to 0 is fine)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            yield


def a(*x):
    return np.array(x, dtype=np.float64)


def test_names_and_registry():
    assert sorted(L.LOSSES) == sorted(ALL)
    for name in ALL:
        loss = L.get(name)
        assert loss.name == name and getattr(L, name) is loss
        doc = loss.__doc__
        assert "L =" in doc and "Gradient" in doc and "When to use it" in doc
    assert L.get("MSE") is L.mse
    h = L.Huber(delta=0.5)
    assert L.get(h) is h
    with pytest.raises(ValueError, match=r"unknown loss 'mean_sq'.*mae.*mse"):
        L.get("mean_sq")


# (name, y_pred, y_true, expected value, expected gradient or None), computed by hand.
E = math.e
HAND = [
    ("mse", a(1, 2, 3), a(1, 0, 5), 8 / 3, a(0, 4 / 3, -4 / 3)),
    ("mae", a(1, 2, 3), a(1, 0, 5), 4 / 3, a(0, 1 / 3, -1 / 3)),  # sign(0) = 0
    ("huber", a(0, 0.5, 3), a(0, 0, 0), (0 + 0.125 + 2.5) / 3, a(0, 0.5, 1) / 3),
    ("huber", a(-1, 1), a(0, 0), 0.5, a(-0.5, 0.5)),  # at |d| = delta both branches agree
    ("msle", a(E - 1, 0), a(0, 0), 0.5, a(1 / E, 0)),
    ("mape", a(1, 5), a(2, 4), 37.5, a(-25, 12.5)),
    ("mape", a(1e-7), a(0), 100.0, None),  # divides by eps = 1e-7 when y_true = 0
    ("binary_cross_entropy", a(0.8, 0.4), a(1, 0), -(math.log(0.8) + math.log(0.6)) / 2,
     a(-1 / 0.8, 1 / 0.6) / 2),
    ("bce_with_logits", a(0, 2), a(1, 0), (math.log(2) + math.log(1 + E**2)) / 2,
     a(-0.5, 1 / (1 + math.exp(-2))) / 2),
    ("hinge", a(0.5, -2, 3), a(1, 1, -1), 2.5, a(-1, -1, 1) / 3),
    ("hinge", a(0.5, -2, 3), a(1, 1, 0), 2.5, a(-1, -1, 1) / 3),  # {0, 1} -> {-1, 1}
    ("hinge", a(2, -1), a(1, -1), 0.0, a(0, 0)),  # margins beyond 1: no loss, no gradient
    ("squared_hinge", a(0.5, -2, 3), a(1, 1, -1), (0.25 + 9 + 16) / 3, a(-1, -6, 8) / 3),
]


@pytest.mark.parametrize("name, p, t, value, grad", HAND)
def test_hand_computed(name, p, t, value, grad):
    loss = L.get(name)
    out = loss(p, t)
    assert isinstance(out, float)
    assert out == pytest.approx(value, rel=1e-12)
    if grad is not None:
        np.testing.assert_allclose(loss.grad(p, t), grad, rtol=1e-12, atol=1e-15)


def test_huber_delta():
    assert L.Huber(delta=2.0)(a(0, 0.5, 3), a(0, 0, 0)) == pytest.approx((0.125 + 4) / 3)
    np.testing.assert_allclose(L.Huber(delta=2.0).grad(a(3, -3), a(0, 0)), [1.0, -1.0])
    assert L.huber.delta == 1.0
    with pytest.raises(ValueError, match="delta must be > 0"):
        L.Huber(delta=0)


P = np.array([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]])
LABELS = np.array([1, 0])
ONE_HOT = np.eye(3)[LABELS]


def test_class_losses_hand_computed():
    expected = -(math.log(0.7) + math.log(0.5)) / 2
    assert L.categorical_cross_entropy(P, ONE_HOT) == pytest.approx(expected, rel=1e-12)
    assert L.sparse_categorical_cross_entropy(P, LABELS) == pytest.approx(expected, rel=1e-12)
    g = np.zeros((2, 3))
    g[0, 1], g[1, 0] = -1 / 0.7 / 2, -1 / 0.5 / 2
    np.testing.assert_allclose(L.categorical_cross_entropy.grad(P, ONE_HOT), g, rtol=1e-12)
    np.testing.assert_allclose(L.sparse_categorical_cross_entropy.grad(P, LABELS), g, rtol=1e-12)

    z = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])
    y = np.array([2, 0])
    e = np.exp([1.0, 2.0, 3.0])
    expected = (math.log(3) + math.log(e.sum() / e[0])) / 2
    assert L.softmax_cross_entropy(z, y) == pytest.approx(expected, rel=1e-12)
    g = np.array([[1 / 3, 1 / 3, -2 / 3], [e[0] / e.sum() - 1, e[1] / e.sum(), e[2] / e.sum()]]) / 2
    np.testing.assert_allclose(L.softmax_cross_entropy.grad(z, y), g, rtol=1e-12)


def test_categorical_hinge_hand_computed():
    s = np.array([[1.0, 2.0, 0.5], [3.0, 1.0, -1.0], [-5.0, -2.0, -3.0]])
    y = np.eye(3)[[0, 0, 0]]
    # row 0: pos 1, neg 2 -> 2; row 1: pos 3, neg 1 -> 0; row 2 (Keras quirk: the true
    # class counts as (1 - y) s = 0 in the max): pos -5, neg 0 -> 6
    assert L.categorical_hinge(s, y) == pytest.approx(8 / 3, rel=1e-12)
    g = np.array([[-1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [-1.0, 0.0, 0.0]]) / 3
    np.testing.assert_allclose(L.categorical_hinge.grad(s, y), g, rtol=1e-12)


def _inputs(name, rng, shape=(4, 3)):
    """Valid (y_pred, y_true) for ``name``, away from kinks so gradcheck is fair.

    Logits stay moderate (std 1.5): gradients far below 1e-3 drown in the
    round-off of the central difference, which says nothing about a bug.
    """
    n, c = shape
    offset = rng.uniform(0.2, 1.0, shape) * rng.choice([-1.0, 1.0], shape)
    if name in ("mse", "mae", "huber"):
        t = rng.standard_normal(shape)
        return t + offset * 2, t  # |d| in [0.4, 2]: both huber branches, no kink at 0
    if name == "msle":
        return rng.uniform(0, 5, shape), rng.uniform(0, 5, shape)
    if name == "mape":
        t = rng.uniform(1, 3, shape) * rng.choice([-1.0, 1.0], shape)
        return t + offset, t
    if name == "binary_cross_entropy":
        return rng.uniform(0.05, 0.95, shape), rng.uniform(0, 1, shape)
    if name == "bce_with_logits":
        return rng.normal(0, 1.5, shape), rng.integers(0, 2, shape).astype(float)
    if name in ("hinge", "squared_hinge"):
        t = rng.choice([-1.0, 1.0], shape)
        return t * (1 + offset), t  # margins y * y_pred at 1 + offset, never 1
    labels = rng.integers(0, c, n)
    if name == "categorical_cross_entropy":
        return softmax(rng.standard_normal(shape)), np.eye(c)[labels]
    if name == "sparse_categorical_cross_entropy":
        return softmax(rng.standard_normal(shape)), labels
    if name == "softmax_cross_entropy":
        return rng.normal(0, 1.5, shape), labels
    if name == "categorical_hinge":
        return rng.normal(0, 2, shape), np.eye(c)[labels]
    raise AssertionError(name)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_grad_matches_numerical_gradient(name, seed):
    loss = L.get(name)
    p, t = _inputs(name, np.random.default_rng(seed))
    numeric = numerical_gradient(lambda x: loss(x, t), p)
    analytic = loss.grad(p, t)
    assert analytic.shape == p.shape
    assert rel_error(analytic, numeric) < 1e-6


@pytest.mark.parametrize("name", ALL)
def test_float32_grad_and_float_value(name):
    loss = L.get(name)
    p, t = _inputs(name, np.random.default_rng(3))
    out = loss(p.astype(np.float32), t)
    assert type(out) is float
    assert out == pytest.approx(loss(p, t), rel=1e-5)
    assert loss.grad(p.astype(np.float32), t).dtype == np.float32
    assert loss.grad(p, t).dtype == np.float64


@pytest.mark.parametrize("shape", [(), (5,), (4, 1), (2, 3, 4)])
def test_elementwise_losses_any_shape(shape):
    rng = np.random.default_rng(0)
    p, t = rng.uniform(0.1, 0.9, shape), rng.integers(0, 2, shape).astype(float)
    for name in ELEMENTWISE:
        assert np.isfinite(L.get(name)(p, t))
        assert L.get(name).grad(p, t).shape == shape


# ---- error messages -----------------------------------------------------------

@pytest.mark.parametrize("name", ELEMENTWISE)
def test_shape_mismatch_is_an_error_not_a_broadcast(name):
    with pytest.raises(ValueError, match=rf"{name}: y_pred and y_true must have the same shape, "
                                         r"got \(4, 1\) and \(4,\).*reshape"):
        L.get(name)(np.full((4, 1), 0.5), np.ones(4))
    with pytest.raises(ValueError, match=r"\(3,\) and \(4,\)"):
        L.get(name).grad(np.full(3, 0.5), np.ones(4))


def test_one_hot_loss_given_labels_suggests_sparse():
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(2,\).*sparse_categorical_cross_entropy"):
        L.categorical_cross_entropy(P, LABELS)
    with pytest.raises(ValueError, match=r"expects y_pred of shape \(N, C\), got shape \(3,\)"):
        L.categorical_hinge(np.ones(3), np.eye(3)[0])


@pytest.mark.parametrize("name", SPARSE)
@pytest.mark.parametrize("labels, message", [
    (np.array([1, 3]), r"labels must be in \[0, C\) = \[0, 3\), got 3"),
    (np.array([-1, 0]), r"labels must be in \[0, C\) = \[0, 3\), got -1"),
    (np.array([1.5, 0.0]), r"labels must be integers \(class indices\), got 1.5"),
    (np.array(["a", "b"]), r"labels must be integers \(class indices\), got dtype"),
    (np.array([[1], [0]]), r"labels of shape \(2,\) for y_pred \(2, 3\), got shape \(2, 1\); use labels.ravel"),
    (np.array([1, 0, 2]), r"labels of shape \(2,\) for y_pred \(2, 3\), got shape \(3,\)"),
    (ONE_HOT, r"one-hot-like shape \(2, 3\); use labels.argmax"),
])
def test_bad_labels(name, labels, message):
    with pytest.raises(ValueError, match=message):
        L.get(name)(P, labels)
    with pytest.raises(ValueError, match=message):
        L.get(name).grad(P, labels)


def test_float_labels_with_integer_values_are_accepted():
    assert L.softmax_cross_entropy(P, LABELS.astype(float)) == L.softmax_cross_entropy(P, LABELS)


@pytest.mark.parametrize("name, hint", [("binary_cross_entropy", "bce_with_logits"),
                                        ("categorical_cross_entropy", "softmax_cross_entropy"),
                                        ("sparse_categorical_cross_entropy", "softmax_cross_entropy")])
def test_probability_losses_reject_logits(name, hint):
    logits = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3]])
    y = LABELS if "sparse" in name else ONE_HOT
    with pytest.raises(ValueError, match=rf"y_pred \(probabilities\) must lie in \[0, 1\], got 2.0.*{hint}"):
        L.get(name)(logits, y)


def test_other_domain_errors():
    with pytest.raises(ValueError, match=r"y_true must lie in \[0, 1\], got -1.0"):
        L.binary_cross_entropy(a(0.5, 0.5), a(1, -1))
    with pytest.raises(ValueError, match=r"y_true must lie in \[0, 1\], got -1.0"):
        L.bce_with_logits(a(0.5, 0.5), a(1, -1))
    with pytest.raises(ValueError, match=r"msle: y_pred must be > -1.*got -1.0"):
        L.msle(a(-1, 0), a(0, 0))
    with pytest.raises(ValueError, match=r"msle: y_true must be > -1"):
        L.msle.grad(a(0, 0), a(-2, 0))
    with pytest.raises(ValueError, match=r"hinge: y_true must be all in \{-1, 1\} or all in \{0, 1\}, got values \[-1.0, 0.0, 1.0\]"):
        L.hinge(a(1, 2, 3), a(-1, 0, 1))
    with pytest.raises(ValueError, match="empty batch"):
        L.mse(np.zeros(0), np.zeros(0))


# ---- stability --------------------------------------------------------------

def test_logit_losses_stable_for_huge_logits():
    x = a(1e4, -1e4, 1e5, -1e5, 1e4)
    t = a(0, 1, 1, 0, 1)
    with strict_numerics():
        value, grad = L.bce_with_logits(x, t), L.bce_with_logits.grad(x, t)
    assert value == pytest.approx((1e4 + 1e4 + 0 + 0 + 0) / 5, rel=1e-12)
    np.testing.assert_allclose(grad, a(1, -1, 0, 0, 0) / 5)

    z = np.array([[1e4, -1e4, 0.0], [-1e5, 1e5, 0.0]])
    y = np.array([1, 1])
    with strict_numerics():
        value, grad = L.softmax_cross_entropy(z, y), L.softmax_cross_entropy.grad(z, y)
    assert value == pytest.approx(2e4 / 2, rel=1e-12)
    np.testing.assert_allclose(grad, np.array([[1, -1, 0], [0, 0, 0]]) / 2, atol=1e-15)


def test_probability_losses_finite_at_exact_zero_and_one():
    p, t = a(0, 1, 0, 1), a(1, 0, 0, 1)
    with strict_numerics():
        value, grad = L.binary_cross_entropy(p, t), L.binary_cross_entropy.grad(p, t)
    # two confidently wrong predictions cost -log(1e-12) each
    assert value == pytest.approx(2 * -math.log(1e-12) / 4, rel=1e-6)
    assert np.all(np.isfinite(grad)) and grad[0] < -1e10 and grad[1] > 1e10

    p = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    with strict_numerics():
        for loss, y in ((L.categorical_cross_entropy, np.eye(3)[[0, 0]]),
                        (L.sparse_categorical_cross_entropy, np.array([0, 0]))):
            value, grad = loss(p, y), loss.grad(p, y)
            assert value == pytest.approx(-math.log(1e-12) / 2, rel=1e-12)
            assert np.all(np.isfinite(grad))


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(2, 5)),
                  elements=st.floats(-1e4, 1e4)),
       st.data())
def test_logit_losses_hypothesis(z, data):
    n, c = z.shape
    labels = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    t = data.draw(hnp.arrays(np.float64, z.shape, elements=st.sampled_from([0.0, 1.0])))
    with strict_numerics():
        values = [L.softmax_cross_entropy(z, labels), L.bce_with_logits(z, t)]
        grads = [L.softmax_cross_entropy.grad(z, labels), L.bce_with_logits.grad(z, t)]
    assert all(np.isfinite(v) and v >= 0 for v in values)
    assert all(np.all(np.isfinite(g)) for g in grads)
    # each row of the cross-entropy gradient sums to 0 (softmax minus one-hot)
    np.testing.assert_allclose(grads[0].sum(axis=1), 0, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e4, 1e4)), st.data())
def test_regression_and_hinge_losses_hypothesis(p, data):
    t = data.draw(hnp.arrays(np.float64, p.shape, elements=st.floats(-1e4, 1e4)))
    s = data.draw(hnp.arrays(np.float64, p.shape, elements=st.sampled_from([-1.0, 1.0])))
    with strict_numerics():
        for loss, y in ((L.mse, t), (L.mae, t), (L.huber, t), (L.mape, t),
                        (L.hinge, s), (L.squared_hinge, s)):
            assert np.isfinite(loss(p, y)) and loss(p, y) >= 0
            assert np.all(np.isfinite(loss.grad(p, y)))
