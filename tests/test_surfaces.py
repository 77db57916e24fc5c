"""nnlib.surfaces: hand-written gradients against numerical ones, the stated minima,
vectorisation over any leading shape, and clear errors."""

import numpy as np
import pytest

from nnlib import surfaces
from nnlib.gradcheck import numerical_gradient, rel_error

ALL = [surfaces.Quadratic(), surfaces.Quadratic(kappa=37.5), surfaces.Rosenbrock(),
       surfaces.Rosenbrock(a=1.0, b=100.0, scale=1.0), surfaces.Saddle(), surfaces.TwoMinima(),
       surfaces.TwoMinima(depth=0.6)]
IDS = [repr(s) for s in ALL]


@pytest.mark.parametrize("s", ALL, ids=IDS)
def test_gradient_matches_numerical_gradient(s):
    rng = np.random.default_rng(0)
    for _ in range(20):
        w = rng.uniform([s.xlim[0], s.ylim[0]], [s.xlim[1], s.ylim[1]])
        numerical = numerical_gradient(lambda p: float(s.f(p)), w.copy())
        assert rel_error(s.grad(w), numerical) < 1e-6


@pytest.mark.parametrize("s", ALL, ids=IDS)
def test_minima_are_minima_and_f_min_is_the_lowest(s):
    for m in s.minima:
        np.testing.assert_allclose(s.grad(m), 0.0, atol=1e-10)
        # a minimum: every small step goes up
        for angle in np.linspace(0, 2 * np.pi, 16, endpoint=False):
            step = 1e-3 * np.array([np.cos(angle), np.sin(angle)])
            assert s.f(m + step) > s.f(m)
    assert s.f_min == pytest.approx(np.min(s.f(s.minima)))
    xx, yy, zz = surfaces.mesh(s, steps=201)
    assert zz.min() >= s.f_min - 1e-12  # nothing on the plotting window is lower


def test_the_hand_values():
    q = surfaces.Quadratic(kappa=10)
    assert q.f(np.array([2.0, 1.0])) == 0.5 * (4 + 10)
    np.testing.assert_array_equal(q.grad(np.array([2.0, 1.0])), [2.0, 10.0])
    r = surfaces.Rosenbrock(a=1, b=100, scale=1)
    assert r.f(np.array([-1.0, 1.0])) == 4.0  # (1 - (-1))^2 + 100 (1 - 1)^2
    np.testing.assert_array_equal(r.minima, [[1.0, 1.0]])
    s = surfaces.Saddle()
    np.testing.assert_array_equal(s.grad(np.zeros(2)), [0.0, 0.0])  # a stationary point...
    assert s.f(np.array([0.1, 0.0])) > 0 > s.f(np.array([0.0, 0.1]))  # ...that is not a minimum
    assert s.f_min == -0.25
    t = surfaces.TwoMinima(depth=0.3)
    left, right = t.f(t.minima)
    assert left < right  # the tilt makes the left well the deeper one


def test_vectorised_over_any_leading_shape():
    rng = np.random.default_rng(1)
    for s in ALL:
        W = rng.normal(size=(3, 4, 2))
        values, grads = s.f(W), s.grad(W)
        assert values.shape == (3, 4) and grads.shape == (3, 4, 2)
        for i in range(3):
            for j in range(4):
                assert values[i, j] == pytest.approx(float(s.f(W[i, j])))
                np.testing.assert_allclose(grads[i, j], s.grad(W[i, j]))
        assert np.ndim(s.f(np.array([0.5, 0.5]))) == 0


def test_mesh_covers_the_window():
    s = surfaces.Rosenbrock()
    xx, yy, zz = surfaces.mesh(s, steps=31)
    assert xx.shape == yy.shape == zz.shape == (31, 31)
    assert (xx.min(), xx.max(), yy.min(), yy.max()) == (*s.xlim, *s.ylim)
    assert zz[4, 7] == pytest.approx(float(s.f(np.array([xx[4, 7], yy[4, 7]]))))


def test_start_and_minima_lie_in_the_window():
    for s in ALL[:1] + ALL[2:3] + ALL[4:6]:
        for x, y in [s.start, *s.minima]:
            assert s.xlim[0] <= x <= s.xlim[1] and s.ylim[0] <= y <= s.ylim[1]


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"\(\.\.\., 2\), got shape \(3,\)"):
        surfaces.Saddle().f(np.zeros(3))
    with pytest.raises(ValueError, match="kappa must be >= 1"):
        surfaces.Quadratic(kappa=0.5)
    with pytest.raises(ValueError, match="valid names: quadratic, rosenbrock, saddle, two_minima"):
        surfaces.get("banana")
    assert surfaces.get("quadratic", kappa=20).kappa == 20
