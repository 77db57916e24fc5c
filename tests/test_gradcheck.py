"""numerical_gradient and rel_error against hand-computed cases."""

import numpy as np
import pytest

from nnlib.gradcheck import check_layer, numerical_gradient, rel_error


def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    g = numerical_gradient(lambda v: np.sum(v ** 3) + v[0, 1] * v[1, 0], x)
    expected = 3 * x ** 2
    expected[0, 1] += x[1, 0]
    expected[1, 0] += x[0, 1]
    np.testing.assert_allclose(g, expected, rtol=1e-8)


def test_numerical_gradient_leaves_x_unchanged_even_if_f_raises():
    x = np.array([1.0, 2.0])
    before = x.copy()
    numerical_gradient(lambda v: float(v @ v), x)
    np.testing.assert_array_equal(x, before)
    with pytest.raises(ZeroDivisionError):
        numerical_gradient(lambda v: 1 / 0, x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_needs_a_float_array():
    with pytest.raises(TypeError, match="float ndarray"):
        numerical_gradient(lambda v: 0.0, np.array([1, 2]))


def test_rel_error_hand_cases():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert rel_error(np.array([1.0]), np.array([1.1])) == pytest.approx(0.1 / 2.1)
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    with pytest.raises(ValueError, match="shapes differ"):
        rel_error(np.zeros(2), np.zeros(3))


def test_check_layer_finds_a_wrong_backward():
    class Square:
        params, grads = {}, {}

        def forward(self, x, training=False):
            self.x = x
            return x ** 2

        def backward(self, dout):
            return dout * self.x  # wrong: missing the factor 2

    errors = check_layer(Square(), np.array([[1.0, 2.0]]))
    assert errors["x"] > 0.1
