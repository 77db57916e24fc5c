"""Residual(block): y = x + block(x); hand cases, gradient checks, parameters, errors, torch parity."""

import numpy as np
import pytest

from nnlib.gradcheck import check_layer, rel_error
from nnlib.layers import Activation, Dense
from nnlib.model import Sequential
from nnlib.optim import SGD
from nnlib.residual import Residual


def _block(d, rng, act="tanh", init="glorot_normal"):
    block = Sequential([Dense(d, d, init=init, rng=rng), Activation(act), Dense(d, d, init=init, rng=rng)])
    for layer in block.layers:
        if "b" in layer.params:
            layer.params["b"][...] = rng.standard_normal(d)
    return block


def test_forward_and_backward_on_a_hand_case():
    dense = Dense(2, 2, rng=0)
    dense.params["W"][...] = [[1.0, 2.0], [0.0, -1.0]]
    dense.params["b"][...] = [0.5, 0.0]
    layer = Residual(dense)
    x = np.array([[1.0, 1.0], [2.0, -1.0]])
    # block(x) = x @ W + b = [[1.5, 1.0], [2.5, 5.0]]
    np.testing.assert_allclose(layer.forward(x), [[2.5, 2.0], [4.5, 4.0]])
    dout = np.array([[1.0, 0.0], [0.0, 2.0]])
    dx = layer.backward(dout)
    # dx = dout + dout @ W^T: W^T = [[1, 0], [2, -1]]
    np.testing.assert_allclose(dx, [[1.0 + 1.0, 0.0 + 0.0], [0.0 + 4.0, 2.0 - 2.0]])
    np.testing.assert_allclose(layer.grads["block.W"], x.T @ dout)
    np.testing.assert_allclose(layer.grads["block.b"], [1.0, 2.0])


def test_the_identity_path_survives_a_dead_block():
    """With a block whose gradient is 0 (ReLU of very negative inputs), dx = dout exactly."""
    dense = Dense(3, 3, rng=0)
    dense.params["b"][...] = -1e3
    layer = Residual(Sequential([dense, Activation("relu")]))
    x = np.random.default_rng(1).standard_normal((4, 3))
    np.testing.assert_array_equal(layer.forward(x), x)
    dout = np.random.default_rng(2).standard_normal((4, 3))
    np.testing.assert_array_equal(layer.backward(dout), dout)


@pytest.mark.parametrize("n, d, act", [(1, 3, "tanh"), (5, 4, "sigmoid"), (7, 6, "softplus")])
def test_gradient_check_of_a_residual_block(n, d, act):
    rng = np.random.default_rng(10 * n + d)
    layer = Residual(_block(d, rng, act))
    errors = check_layer(layer, rng.standard_normal((n, d)))
    assert set(errors) == {"x", "block.0.W", "block.0.b", "block.2.W", "block.2.b"}
    assert max(errors.values()) < 1e-6, errors


def test_gradient_check_of_a_stack_of_residual_layers_in_a_sequential():
    rng = np.random.default_rng(3)
    model = Sequential([Dense(3, 5, rng=rng), Residual(_block(5, rng)),
                        Residual(Sequential([Dense(5, 5, rng=rng), Activation("tanh")])),
                        Dense(5, 2, rng=rng)])
    errors = check_layer(model, rng.standard_normal((4, 3)))
    assert "1.block.0.W" in errors and "2.block.0.b" in errors
    assert max(errors.values()) < 1e-6, errors


def test_params_are_the_blocks_own_arrays_so_an_optimizer_trains_the_block():
    rng = np.random.default_rng(0)
    block = _block(3, rng)
    model = Sequential([Residual(block)])
    W0 = block.layers[0].params["W"]
    assert model.params()["0.block.0.W"] is W0
    x = rng.standard_normal((4, 3))
    model.forward(x)
    model.backward(np.ones((4, 3)))
    assert model.grads()["0.block.0.W"] is block.layers[0].grads["W"]
    before = W0.copy()
    SGD(lr=0.1).step(model.params(), model.grads())
    np.testing.assert_allclose(W0, before - 0.1 * block.layers[0].grads["W"])


def test_a_block_that_replaces_its_grad_arrays_is_copied_into_ours():
    class Rebinding(Dense):
        def backward(self, dout):
            dx = super().backward(dout)
            self.grads = {k: v.copy() for k, v in self.grads.items()}  # new arrays
            return dx

    layer = Residual(Rebinding(2, 2, rng=0))
    held = layer.grads["block.W"]
    x = np.array([[1.0, 2.0]])
    layer.forward(x)
    layer.backward(np.array([[1.0, -1.0]]))
    np.testing.assert_allclose(held, x.T @ np.array([[1.0, -1.0]]))


def test_training_flag_reaches_the_block():
    seen = []

    class Spy(Activation):
        def forward(self, x, training=False):
            seen.append(training)
            return super().forward(x, training)

    layer = Residual(Spy("tanh"))
    layer.forward(np.zeros((1, 2)), training=True)
    layer.forward(np.zeros((1, 2)))
    assert seen == [True, False]
    assert layer.params == {} and layer.grads == {}


def test_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"x has shape \(2, 3\), block\(x\) has shape \(2, 4\)"):
        Residual(Dense(3, 4, rng=0)).forward(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="block with forward"):
        Residual(np.tanh)
    layer = Residual(Dense(3, 3, rng=0))
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((2, 3)))
    layer.forward(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"expects dout of shape \(2, 3\), got \(2, 4\)"):
        layer.backward(np.zeros((2, 4)))
    assert repr(layer).startswith("Residual(Dense(3, 3)")


def test_parity_with_torch_autograd():
    torch = pytest.importorskip("torch", reason="PyTorch not installed: parity tests skipped")
    rng = np.random.default_rng(7)
    block = _block(4, rng, act="tanh")
    layer = Residual(block)
    x = rng.standard_normal((5, 4))
    dout = rng.standard_normal((5, 4))
    y = layer.forward(x)
    dx = layer.backward(dout)

    W1, b1 = (torch.tensor(block.layers[0].params[k], requires_grad=True) for k in "Wb")
    W2, b2 = (torch.tensor(block.layers[2].params[k], requires_grad=True) for k in "Wb")
    xt = torch.tensor(x, requires_grad=True)
    yt = xt + torch.tanh(xt @ W1 + b1) @ W2 + b2
    yt.backward(torch.tensor(dout))
    assert rel_error(y, yt.detach().numpy()) < 1e-12
    assert rel_error(dx, xt.grad.numpy()) < 1e-12
    assert rel_error(layer.grads["block.0.W"], W1.grad.numpy()) < 1e-12
    assert rel_error(layer.grads["block.2.b"], b2.grad.numpy()) < 1e-12
