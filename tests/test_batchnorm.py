"""BatchNorm: the four steps, running statistics, evaluation mode, gradients, PyTorch parity."""

import numpy as np
import pytest

from nnlib.batchnorm import BatchNorm
from nnlib.gradcheck import check_layer, rel_error
from nnlib.layers import Activation, BatchNorm as ReExported, Dense
from nnlib.model import Sequential


def test_layers_re_exports_batchnorm():
    assert ReExported is BatchNorm


def test_training_forward_on_a_hand_case():
    # feature 0: 1, 2, 3 -> mean 2, biased var 2/3; feature 1: 4, 4, 4 -> mean 4, var 0
    x = np.array([[1.0, 4.0], [2.0, 4.0], [3.0, 4.0]])
    layer = BatchNorm(2, eps=1e-5)
    layer.params["gamma"][...] = [2.0, 1.0]
    layer.params["beta"][...] = [0.5, -1.0]
    out = layer.forward(x, training=True)
    s = np.sqrt(2 / 3 + 1e-5)
    np.testing.assert_allclose(out[:, 0], 2.0 * np.array([-1, 0, 1]) / s + 0.5)
    np.testing.assert_allclose(out[:, 1], [-1.0, -1.0, -1.0])
    # running stats: 0.9 * 0 + 0.1 * mean; 0.9 * 1 + 0.1 * unbiased var (1 for feature 0, 0 for 1)
    np.testing.assert_allclose(layer.running_mean, [0.2, 0.4])
    np.testing.assert_allclose(layer.running_var, [0.9 + 0.1 * 1.0, 0.9])


def test_training_output_has_mean_beta_and_std_gamma_per_feature():
    rng = np.random.default_rng(0)
    x = rng.normal(5.0, 3.0, size=(64, 4))
    layer = BatchNorm(4)
    layer.params["gamma"][...] = [1.0, 2.0, 0.5, 3.0]
    layer.params["beta"][...] = [0.0, -1.0, 2.0, 1.0]
    out = layer.forward(x, training=True)
    np.testing.assert_allclose(out.mean(axis=0), layer.params["beta"], atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), layer.params["gamma"], rtol=1e-5)


def test_evaluation_uses_running_statistics():
    rng = np.random.default_rng(1)
    layer = BatchNorm(3, momentum=0.2)
    for _ in range(5):
        layer.forward(rng.normal(2.0, 4.0, size=(16, 3)), training=True)
    x = rng.normal(size=(5, 3))
    out = layer.forward(x, training=False)
    expected = (x - layer.running_mean) / np.sqrt(layer.running_var + 1e-5)
    np.testing.assert_allclose(out, expected)
    # one sample gives the same answer alone and inside a batch
    np.testing.assert_allclose(layer.forward(x[:1], training=False), out[:1])


def test_momentum_none_is_the_cumulative_average():
    rng = np.random.default_rng(2)
    layer = BatchNorm(2, momentum=None)
    batches = [rng.normal(size=(8, 2)) for _ in range(4)]
    for b in batches:
        layer.forward(b, training=True)
    np.testing.assert_allclose(layer.running_mean, np.mean([b.mean(0) for b in batches], axis=0))
    np.testing.assert_allclose(layer.running_var, np.mean([b.var(0, ddof=1) for b in batches], axis=0))
    assert int(layer.buffers["num_batches_tracked"]) == 4


def test_evaluation_forward_changes_no_statistics():
    layer = BatchNorm(2)
    layer.forward(np.random.default_rng(0).normal(size=(4, 2)), training=False)
    np.testing.assert_array_equal(layer.running_mean, 0.0)
    np.testing.assert_array_equal(layer.running_var, 1.0)


# (N = 2 is degenerate: x_hat is always -1, +1, so dx is round-off only.)
@pytest.mark.parametrize("n, d", [(3, 1), (5, 3), (16, 4)])
def test_gradient_check_in_training_mode(n, d):
    rng = np.random.default_rng(n)
    layer = BatchNorm(d)
    layer.params["gamma"][...] = rng.normal(1.0, 0.5, d)
    layer.params["beta"][...] = rng.normal(size=d)
    errors = check_layer(layer, rng.normal(1.0, 2.0, size=(n, d)), training=True)
    assert max(errors.values()) < 1e-6, errors


def test_gradient_check_in_evaluation_mode():
    rng = np.random.default_rng(3)
    layer = BatchNorm(3)
    layer.forward(rng.normal(size=(10, 3)), training=True)
    layer.params["gamma"][...] = [0.5, 2.0, -1.0]
    errors = check_layer(layer, rng.normal(size=(4, 3)), training=False)
    assert max(errors.values()) < 1e-6, errors


def test_backward_ignoring_the_batch_statistics_is_wrong():
    # The naive rule dx = dout * gamma / sqrt(var + eps) misses the terms through
    # mu and var: the gradient check must tell them apart.
    rng = np.random.default_rng(4)
    layer = BatchNorm(3)
    x = rng.normal(size=(6, 3))
    layer.forward(x, training=True)
    dout = rng.normal(size=(6, 3))
    dx = layer.backward(dout)
    naive = dout / np.sqrt(x.var(0) + 1e-5)
    assert rel_error(dx, naive) > 1e-2
    np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-12)  # shifting x changes nothing


def test_gradient_check_of_a_network_with_batchnorm():
    rng = np.random.default_rng(5)
    model = Sequential([Dense(3, 5, rng=rng), BatchNorm(5), Activation("tanh"), Dense(5, 2, rng=rng)])
    x = rng.normal(size=(7, 3))
    errors = check_layer(model, x, training=True)
    # A bias right before BatchNorm is subtracted again with the mean: its gradient
    # is exactly 0 (round-off against round-off gives a meaningless relative error).
    assert np.abs(model.grads()["0.b"]).max() < 1e-12
    del errors["0.b"]
    assert max(errors.values()) < 1e-6, errors


def test_float32_stays_float32():
    out = BatchNorm(2).forward(np.ones((3, 2), dtype=np.float32), training=True)
    assert out.dtype == np.float32


def test_errors_are_clear():
    with pytest.raises(ValueError, match="more than 1 sample per batch when training"):
        BatchNorm(3).forward(np.ones((1, 3)), training=True)
    with pytest.raises(ValueError, match=r"BatchNorm expects X with 3 features, got shape \(4, 2\)"):
        BatchNorm(3).forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match="expects X \\(N, D\\) to be 2-D"):
        BatchNorm(3).forward(np.ones((4, 2, 3)))
    with pytest.raises(RuntimeError, match="before forward"):
        BatchNorm(3).backward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="momentum"):
        BatchNorm(3, momentum=1.5)


# -- PyTorch parity --------------------------------------------------------------------

torch = pytest.importorskip("torch", reason="PyTorch not installed: parity tests skipped")


def _pair(d, momentum=0.1, seed=0):
    rng = np.random.default_rng(seed)
    ours = BatchNorm(d, momentum=momentum)
    theirs = torch.nn.BatchNorm1d(d, momentum=momentum).double()
    gamma, beta = rng.normal(1.0, 0.3, d), rng.normal(size=d)
    ours.params["gamma"][...], ours.params["beta"][...] = gamma, beta
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(gamma))
        theirs.bias.copy_(torch.from_numpy(beta))
    return ours, theirs, rng


@pytest.mark.parametrize("momentum", [0.1, 0.3, None])
def test_torch_forward_and_running_statistics_over_several_steps(momentum):
    ours, theirs, rng = _pair(4, momentum)
    theirs.train()
    for step in range(6):
        x = rng.normal(3.0, 2.0, size=(int(rng.integers(2, 20)), 4))
        np.testing.assert_allclose(ours.forward(x, training=True),
                                   theirs(torch.from_numpy(x)).detach().numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours.running_mean, theirs.running_mean.numpy(), rtol=1e-12)
        np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), rtol=1e-12)
    theirs.eval()
    x = rng.normal(size=(5, 4))
    np.testing.assert_allclose(ours.forward(x, training=False),
                               theirs(torch.from_numpy(x)).detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("training", [True, False])
def test_torch_backward(training):
    ours, theirs, rng = _pair(3, seed=1)
    for _ in range(3):  # some running statistics for evaluation mode
        x = rng.normal(size=(8, 3))
        ours.forward(x, training=True)
        theirs.train()(torch.from_numpy(x))
    x = rng.normal(1.0, 2.0, size=(9, 3))
    dout = rng.normal(size=(9, 3))
    xt = torch.from_numpy(x).requires_grad_(True)
    theirs.train(training)
    theirs(xt).backward(torch.from_numpy(dout))
    ours.forward(x, training=training)
    dx = ours.backward(dout)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.grads["gamma"], theirs.weight.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.grads["beta"], theirs.bias.grad.numpy(), rtol=1e-10)
