"""Dense, Activation and Sequential: values, gradient checks, shapes and errors."""

import numpy as np
import pytest

from nnlib.gradcheck import check_layer, numerical_gradient, rel_error
from nnlib.layers import Activation, Dense
from nnlib.model import Sequential

ELEMENTWISE = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus",
               "softsign", "swish", "gelu", "hard_sigmoid", "linear"]


def test_dense_forward_is_x_at_w_plus_b_on_a_hand_case():
    layer = Dense(2, 3, rng=0)
    layer.params["W"][...] = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    layer.params["b"][...] = [0.5, -0.5, 1.0]
    out = layer.forward(np.array([[1.0, 1.0], [2.0, 0.0]]))
    np.testing.assert_allclose(out, [[5.5, 6.5, 10.0], [2.5, 3.5, 7.0]])


def test_dense_backward_on_a_hand_case():
    layer = Dense(2, 1, rng=0)
    layer.params["W"][...] = [[2.0], [-1.0]]
    x = np.array([[1.0, 3.0], [2.0, 4.0]])
    layer.forward(x)
    dx = layer.backward(np.array([[1.0], [0.5]]))
    np.testing.assert_allclose(layer.grads["W"], [[1 * 1 + 2 * 0.5], [3 * 1 + 4 * 0.5]])
    np.testing.assert_allclose(layer.grads["b"], [1.5])
    np.testing.assert_allclose(dx, [[2.0, -1.0], [1.0, -0.5]])


@pytest.mark.parametrize("n, d_in, d_out", [(1, 3, 2), (5, 4, 7), (16, 1, 1)])
def test_dense_gradient_check(n, d_in, d_out):
    rng = np.random.default_rng(n + d_in)
    layer = Dense(d_in, d_out, init="random_normal", rng=rng)
    layer.params["b"][...] = rng.standard_normal(d_out)
    errors = check_layer(layer, rng.standard_normal((n, d_in)))
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("name", ELEMENTWISE + ["softmax"])
def test_activation_layer_gradient_check(name):
    rng = np.random.default_rng(1)
    x = rng.uniform(-2.5, 2.5, size=(4, 5))
    x[np.abs(x) < 0.05] = 0.3  # keep away from the kinks of relu-like functions
    x[np.abs(np.abs(x) - 3) < 0.05] = 1.0
    errors = check_layer(Activation(name), x)
    assert errors["x"] < 1e-6, errors


def test_activation_parameters_are_passed_through():
    layer = Activation("leaky_relu", alpha=0.2)
    np.testing.assert_allclose(layer.forward(np.array([[-1.0, 2.0]])), [[-0.2, 2.0]])
    np.testing.assert_allclose(layer.backward(np.array([[1.0, 1.0]])), [[0.2, 1.0]])


def test_sequential_gradient_check_through_every_parameter():
    rng = np.random.default_rng(2)
    model = Sequential([Dense(3, 5, rng=rng), Activation("tanh"), Dense(5, 4, rng=rng),
                        Activation("sigmoid"), Dense(4, 2, rng=rng)])
    errors = check_layer(model, rng.standard_normal((6, 3)))
    assert set(errors) == {"x", "0.W", "0.b", "2.W", "2.b", "4.W", "4.b"}
    assert max(errors.values()) < 1e-6, errors


def test_sequential_with_softmax_cross_entropy_matches_numerical_gradient():
    from nnlib import losses

    rng = np.random.default_rng(3)
    model = Sequential([Dense(4, 6, rng=rng), Activation("relu"), Dense(6, 3, rng=rng)])
    X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, size=8)
    W = model.params()["0.W"]
    out = model.forward(X, training=True)
    model.backward(losses.softmax_cross_entropy.grad(out, y))
    analytic = model.grads()["0.W"].copy()
    numeric = numerical_gradient(lambda _: losses.softmax_cross_entropy(model.forward(X), y), W)
    assert rel_error(analytic, numeric) < 1e-6


def test_params_are_the_layers_own_arrays():
    model = Sequential([Dense(2, 2, rng=0)])
    model.params()["0.W"][...] = 7.0
    assert np.all(model.layers[0].params["W"] == 7.0)
    assert model.n_params() == 6
    assert "6 parameters" in repr(model)


def test_float32_input_stays_float32():
    layer = Dense(3, 2, rng=0)
    out = layer.forward(np.ones((4, 3), dtype=np.float32))
    assert out.dtype == np.float32
    assert Activation("sigmoid").forward(np.ones((2, 2), dtype=np.float32)).dtype == np.float32


def test_dense_float32_dtype_option():
    layer = Dense(3, 2, rng=0, dtype=np.float32)
    assert layer.params["W"].dtype == np.float32
    assert layer.forward(np.ones((1, 3), dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("x, message", [
    (np.ones((5, 4)), r"Dense expects X with 3 features, got shape \(5, 4\)"),
    (np.ones(3), r"Dense expects X \(N, D_in\) to be 2-D, got shape \(3,\)"),
    (np.array([["a", "b", "c"]]), "X must be numeric"),
])
def test_dense_bad_input_messages(x, message):
    with pytest.raises((ValueError, TypeError), match=message):
        Dense(3, 2, rng=0).forward(x)


def test_backward_before_forward_and_bad_dout():
    layer = Dense(3, 2, rng=0)
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones((1, 2)))
    layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"expects dout of shape \(4, 2\), got \(4, 3\)"):
        layer.backward(np.ones((4, 3)))


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match="unknown activation 'rleu'.*relu"):
        Activation("rleu")


def test_dense_needs_explicit_randomness():
    with pytest.raises(TypeError, match="needs rng"):
        Dense(2, 2)
    a, b = Dense(3, 3, rng=5), Dense(3, 3, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a.params["W"], b.params["W"])


def test_sequential_rejects_non_layers():
    with pytest.raises(TypeError, match="item 1 \\(int\\) is not a layer"):
        Sequential([Dense(2, 2, rng=0), 3])


def test_training_backward_skips_only_the_input_gradient():
    rng = np.random.default_rng(7)
    X, dout = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    a = Sequential([Dense(3, 4, rng=1), Activation("tanh"), Dense(4, 2, rng=2)])
    b = Sequential([Dense(3, 4, rng=1), Activation("tanh"), Dense(4, 2, rng=2)])
    a.forward(X, training=True)
    b.forward(X, training=True)
    assert a.backward(dout).shape == (5, 3)
    assert b.backward(dout, input_grad=False) is None
    for key, g in a.grads().items():
        np.testing.assert_array_equal(g, b.grads()[key])
