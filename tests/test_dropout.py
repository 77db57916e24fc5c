"""Dropout: inverted scaling, the drop probability, evaluation mode, gradients, PyTorch."""

import numpy as np
import pytest

from nnlib.dropout import Dropout
from nnlib.gradcheck import check_layer
from nnlib.layers import Dropout as ReExported
from nnlib.model import Sequential


def test_layers_re_exports_dropout():
    assert ReExported is Dropout


def test_mask_is_zero_or_one_over_keep_and_out_is_x_times_mask():
    layer = Dropout(0.25, rng=0)
    x = np.random.default_rng(1).standard_normal((50, 40))
    out = layer.forward(x, training=True)
    assert set(np.unique(layer.mask)) == {0.0, 1 / 0.75}
    np.testing.assert_array_equal(out, x * layer.mask)


def test_the_mask_comes_from_the_layer_rng():
    # Same rule written out: keep where u >= p, u from the same generator.
    x = np.ones((6, 7))
    u = np.random.default_rng(5).random(x.shape)
    out = Dropout(0.4, rng=np.random.default_rng(5)).forward(x, training=True)
    np.testing.assert_allclose(out, np.where(u >= 0.4, 1 / 0.6, 0.0))


@pytest.mark.parametrize("p", [0.1, 0.3, 0.8])
def test_p_is_the_drop_probability_and_the_expectation_is_unchanged(p):
    x = np.full((400, 500), 2.0)
    out = Dropout(p, rng=3).forward(x, training=True)
    dropped = np.mean(out == 0)
    sigma = np.sqrt(p * (1 - p) / x.size)
    assert abs(dropped - p) < 5 * sigma
    assert abs(out.mean() - 2.0) < 5 * 2.0 * np.sqrt(p / (1 - p) / x.size)


def test_evaluation_mode_is_the_identity_and_backward_passes_dout():
    layer = Dropout(0.5, rng=0)
    x = np.arange(12.0).reshape(3, 4)
    out = layer.forward(x, training=False)
    np.testing.assert_array_equal(out, x)
    assert layer.mask is None
    np.testing.assert_array_equal(layer.backward(np.ones((3, 4))), np.ones((3, 4)))
    np.testing.assert_array_equal(layer.forward(x), x)  # training defaults to False


def test_p_zero_and_p_one():
    x = np.random.default_rng(0).standard_normal((5, 3))
    np.testing.assert_array_equal(Dropout(0.0, rng=0).forward(x, training=True), x)
    with np.errstate(all="raise"):
        out = Dropout(1.0, rng=0).forward(x, training=True)
    np.testing.assert_array_equal(out, np.zeros_like(x))


def test_backward_is_dout_times_the_same_mask():
    layer = Dropout(0.5, rng=2)
    layer.forward(np.ones((4, 5)), training=True)
    dout = np.random.default_rng(0).standard_normal((4, 5))
    np.testing.assert_array_equal(layer.backward(dout), dout * layer.mask)


class _Reseeded(Dropout):
    """Dropout that draws the same mask at every forward (for the numerical gradient)."""

    def forward(self, x, training=False):
        self.rng = np.random.default_rng(7)
        return super().forward(x, training)


def test_gradient_check_in_training_mode():
    rng = np.random.default_rng(0)
    errors = check_layer(_Reseeded(0.3, rng=7), rng.standard_normal((6, 5)), training=True)
    assert errors["x"] < 1e-6, errors


def test_gradient_check_through_a_network_with_dropout():
    from nnlib.layers import Activation, Dense
    rng = np.random.default_rng(1)
    model = Sequential([Dense(3, 6, rng=rng), Activation("tanh"), _Reseeded(0.5, rng=7), Dense(6, 2, rng=rng)])
    errors = check_layer(model, rng.standard_normal((4, 3)), training=True)
    assert max(errors.values()) < 1e-6, errors


def test_float32_stays_float32():
    x = np.ones((3, 4), dtype=np.float32)
    assert Dropout(0.5, rng=0).forward(x, training=True).dtype == np.float32


def test_errors_are_clear():
    with pytest.raises(ValueError, match="drop probability and must be in"):
        Dropout(1.5, rng=0)
    with pytest.raises(TypeError, match="needs rng"):
        Dropout(0.5)
    with pytest.raises(RuntimeError, match="before forward"):
        Dropout(0.5, rng=0).backward(np.ones((2, 2)))
    layer = Dropout(0.5, rng=0)
    layer.forward(np.ones((2, 3)), training=True)
    with pytest.raises(ValueError, match=r"dout of shape \(2, 3\), got \(3, 2\)"):
        layer.backward(np.ones((3, 2)))


# -- PyTorch parity: same rule (zero with probability p, scale the rest by 1 / (1 - p)) --

torch = pytest.importorskip("torch", reason="PyTorch not installed: parity tests skipped")


@pytest.mark.parametrize("p", [0.2, 0.5, 0.7])
def test_torch_dropout_scales_and_drops_like_ours(p):
    torch.manual_seed(0)
    x = np.full((300, 400), 3.0)
    theirs = torch.nn.functional.dropout(torch.from_numpy(x), p=p, training=True).numpy()
    ours = Dropout(p, rng=0).forward(x, training=True)
    # the same two values: 0 and x / (1 - p)
    np.testing.assert_allclose(np.unique(theirs), np.unique(ours))
    np.testing.assert_allclose(np.unique(ours), [0.0, 3.0 / (1 - p)])
    # the same fraction dropped and the same expectation, within sampling noise
    sigma = np.sqrt(p * (1 - p) / x.size)
    assert abs(np.mean(theirs == 0) - np.mean(ours == 0)) < 7 * sigma
    assert abs(theirs.mean() - ours.mean()) < 7 * 3.0 * np.sqrt(p / (1 - p) / x.size)
    # evaluation mode: both are the identity
    np.testing.assert_array_equal(
        torch.nn.functional.dropout(torch.from_numpy(x), p=p, training=False).numpy(),
        Dropout(p, rng=0).forward(x, training=False))


def test_torch_dropout_backward_is_dout_times_its_mask_like_ours():
    torch.manual_seed(1)
    x = torch.ones((20, 30), dtype=torch.float64, requires_grad=True)
    out = torch.nn.functional.dropout(x, p=0.4, training=True)
    dout = torch.randn(20, 30, dtype=torch.float64)
    out.backward(dout)
    mask = out.detach().numpy()  # x is ones, so out is torch's scaled mask
    layer = Dropout(0.4, rng=0)
    layer.forward(np.ones((20, 30)), training=True)
    layer.mask[...] = mask  # our backward with torch's mask (the cache holds the same array)
    np.testing.assert_allclose(layer.backward(dout.numpy()), x.grad.numpy())
