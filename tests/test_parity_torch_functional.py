"""Parity with PyTorch: activations, losses and initialisers compute the same
numbers as torch (values and, through torch.autograd, derivatives).

Everything runs in float64 so that differences are round-off only (~1e-15);
the tolerance 1e-12 relative leaves room for a different order of operations.
"""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch not installed: parity tests skipped (pip install torch)")
F = torch.nn.functional

from nnlib import activations as A  # noqa: E402
from nnlib import init as I  # noqa: E402
from nnlib import losses as L  # noqa: E402

RTOL, ATOL = 1e-12, 1e-14


def grad_rtol(name):
    # torch's float64 hardsigmoid backward uses the float32 constant 1/6
    # (0.1666666716...): nnlib keeps the exact 1/6, 3e-8 apart.
    return 1e-7 if name == "hard_sigmoid" else RTOL

TORCH_ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky_relu": F.leaky_relu,  # negative_slope=0.01
    "elu": F.elu,  # alpha=1.0
    "selu": F.selu,
    "softplus": F.softplus,  # beta=1 (threshold=20: exact below it)
    "softsign": F.softsign,
    "swish": F.silu,
    "gelu": lambda z: F.gelu(z, approximate="tanh"),
    "hard_sigmoid": F.hardsigmoid,
    "linear": lambda z: z * 1,
}


def torch_value_and_grad(fn, *arrays, wrt=0):
    """fn applied to torch copies of ``arrays``; returns (value, d sum(value) / d arrays[wrt])."""
    ts = [torch.tensor(x) for x in arrays]
    ts[wrt].requires_grad_(True)
    out = fn(*ts)
    (g,) = torch.autograd.grad(out.sum(), ts[wrt])
    return out.detach().numpy(), g.numpy()


def _z(rng, shape=(6, 7)):
    # |z| <= 15: torch's softplus is exact only below its threshold 20.
    # The kinks themselves are compared in test_activation_at_kinks_and_extremes.
    return np.clip(rng.normal(0, 4, shape), -15, 15)


@pytest.mark.parametrize("name", list(TORCH_ACTIVATIONS))
def test_activation_value_and_derivative(name):
    z = _z(np.random.default_rng(0))
    value, grad = torch_value_and_grad(TORCH_ACTIVATIONS[name], z)
    f = A.get(name)
    np.testing.assert_allclose(f(z), value, rtol=RTOL, atol=ATOL)
    # sum(f(z)) is elementwise, so its gradient is exactly f'(z)
    np.testing.assert_allclose(f.grad(z), grad, rtol=grad_rtol(name), atol=ATOL)


@pytest.mark.parametrize("name", list(TORCH_ACTIVATIONS))
def test_activation_at_kinks_and_extremes(name):
    z = np.array([-1e4, -20.0, -3.0, -1.0, 0.0, 1.0, 3.0, 19.0, 1e4])
    value, grad = torch_value_and_grad(TORCH_ACTIVATIONS[name], z)
    f = A.get(name)
    np.testing.assert_allclose(f(z), value, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(f.grad(z), grad, rtol=grad_rtol(name), atol=ATOL)


@pytest.mark.parametrize("name, alpha, torch_fn", [
    ("leaky_relu", 0.2, lambda z: F.leaky_relu(z, negative_slope=0.2)),
    ("elu", 0.5, lambda z: F.elu(z, alpha=0.5)),
])
def test_activation_parameters(name, alpha, torch_fn):
    z = np.concatenate([_z(np.random.default_rng(1)).ravel(), [0.0]])
    value, grad = torch_value_and_grad(torch_fn, z)
    np.testing.assert_allclose(A.get(name)(z, alpha=alpha), value, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(A.get(name).grad(z, alpha=alpha), grad, rtol=RTOL, atol=ATOL)


def test_selu_constants_are_torch_constants():
    one, minus_big = torch.tensor([1.0], dtype=torch.float64), torch.tensor([-50.0], dtype=torch.float64)
    assert A.SELU_SCALE == F.selu(one).item()
    assert A.SELU_SCALE * A.SELU_ALPHA == pytest.approx(-F.selu(minus_big).item(), rel=1e-15)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_and_log_softmax(axis):
    z = np.random.default_rng(2).normal(0, 5, (4, 6))
    zt = torch.tensor(z)
    np.testing.assert_allclose(A.softmax(z, axis=axis), torch.softmax(zt, dim=axis).numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(A.log_softmax(z, axis=axis), torch.log_softmax(zt, dim=axis).numpy(),
                               rtol=RTOL, atol=ATOL)


# ---- losses ------------------------------------------------------------------

def _check_loss(loss, torch_fn, y_pred, y_true):
    ours_value, ours_grad = loss(y_pred, y_true), loss.grad(y_pred, y_true)
    ts = torch.tensor(y_pred, requires_grad=True)
    value = torch_fn(ts, torch.tensor(y_true))
    (grad,) = torch.autograd.grad(value, ts)
    assert ours_value == pytest.approx(value.item(), rel=RTOL, abs=ATOL)
    np.testing.assert_allclose(ours_grad, grad.numpy(), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("shape", [(8,), (5, 3)])
def test_regression_losses(shape):
    rng = np.random.default_rng(3)
    p, t = rng.normal(0, 2, shape), rng.normal(0, 2, shape)
    _check_loss(L.mse, F.mse_loss, p, t)
    _check_loss(L.mae, F.l1_loss, p, t)
    _check_loss(L.huber, F.huber_loss, p, t)  # delta=1.0
    _check_loss(L.Huber(delta=0.3), lambda a, b: F.huber_loss(a, b, delta=0.3), p, t)
    # kinks: torch's subgradient sign(0) = 0 for L1, and |d| = delta for Huber
    t2 = p.copy().ravel()
    t2[:2] += [0.0, 1.0]
    _check_loss(L.mae, F.l1_loss, p.ravel(), t2)
    _check_loss(L.huber, F.huber_loss, p.ravel(), t2)


def test_binary_cross_entropy():
    rng = np.random.default_rng(4)
    p, t = rng.uniform(0.01, 0.99, (6, 2)), rng.uniform(0, 1, (6, 2))
    _check_loss(L.binary_cross_entropy, F.binary_cross_entropy, p, t)
    x = rng.normal(0, 5, (6, 2))
    _check_loss(L.bce_with_logits, F.binary_cross_entropy_with_logits, x, t)
    # huge logits: both stay exact
    x = np.array([1e4, -1e4, 30.0, -30.0])
    t = np.array([0.0, 1.0, 1.0, 0.0])
    _check_loss(L.bce_with_logits, F.binary_cross_entropy_with_logits, x, t)


def test_binary_cross_entropy_at_exact_zero_and_one_gradient():
    # torch clamps log at -100 (value), nnlib clips p at 1e-12 (value -log(1e-12) = 27.6):
    # only the gradient agrees there, as torch also divides by max(p (1 - p), 1e-12).
    p, t = np.array([0.0, 1.0, 0.5]), np.array([1.0, 0.0, 1.0])
    ts = torch.tensor(p, requires_grad=True)
    (grad,) = torch.autograd.grad(F.binary_cross_entropy(ts, torch.tensor(t)), ts)
    np.testing.assert_allclose(L.binary_cross_entropy.grad(p, t), grad.numpy(), rtol=1e-4)


def test_cross_entropy_family():
    rng = np.random.default_rng(5)
    n, c = 7, 4
    z = rng.normal(0, 3, (n, c))
    y = rng.integers(0, c, n)
    onehot = np.eye(c)[y]

    def ce(logits, labels):
        return F.cross_entropy(logits, labels)

    _check_loss(L.softmax_cross_entropy, ce, z, y)
    _check_loss(L.softmax_cross_entropy, ce, z * 1e4, y)  # huge logits

    probs = A.softmax(z)
    # sparse CCE on probabilities = NLLLoss on their log
    _check_loss(L.sparse_categorical_cross_entropy, lambda p, lab: F.nll_loss(torch.log(p), lab), probs, y)
    # torch has no CCE on probabilities: its defining expression, -sum(y log p) / N.
    # (F.cross_entropy(log p, y) has the same value but re-normalises p, so another gradient.)
    _check_loss(L.categorical_cross_entropy, lambda p, t: -(t * torch.log(p)).sum(dim=1).mean(), probs, onehot)


# ---- initialisers -----------------------------------------------------------
# torch stores a Linear weight as (fan_out, fan_in); nnlib's W is (fan_in, fan_out).
# So nnlib shape (fan_in, fan_out) corresponds to a torch tensor of shape (fan_out, fan_in).

FAN_IN, FAN_OUT = 300, 500
GAIN_RELU = torch.nn.init.calculate_gain("relu")
GAIN_LINEAR = torch.nn.init.calculate_gain("linear")


def test_torch_fan_convention_is_the_transpose():
    w = torch.empty(FAN_OUT, FAN_IN)
    assert torch.nn.init._calculate_fan_in_and_fan_out(w) == (FAN_IN, FAN_OUT)


@pytest.mark.parametrize("name, torch_std", [
    ("glorot_normal", 1.0 * math.sqrt(2 / (FAN_IN + FAN_OUT))),  # xavier_normal_, gain 1
    ("glorot_uniform", 1.0 * math.sqrt(6 / (FAN_IN + FAN_OUT)) / math.sqrt(3)),  # bound / sqrt 3
    ("he_normal", GAIN_RELU / math.sqrt(FAN_IN)),  # kaiming_normal_: gain / sqrt(fan_in)
    ("he_uniform", GAIN_RELU * math.sqrt(3 / FAN_IN) / math.sqrt(3)),
    ("lecun_normal", GAIN_LINEAR / math.sqrt(FAN_IN)),  # kaiming_normal_(nonlinearity="linear")
    ("lecun_uniform", GAIN_LINEAR * math.sqrt(3 / FAN_IN) / math.sqrt(3)),
])
def test_variance_formula_matches_torch_documentation(name, torch_std):
    assert I.get(name).variance((FAN_IN, FAN_OUT)) == pytest.approx(torch_std**2, rel=1e-12)


TI = torch.nn.init
TORCH_INITS = {  # name -> (torch function, its keyword arguments)
    "glorot_normal": (TI.xavier_normal_, {}),
    "glorot_uniform": (TI.xavier_uniform_, {}),
    "he_normal": (TI.kaiming_normal_, {"nonlinearity": "relu"}),
    "he_uniform": (TI.kaiming_uniform_, {"nonlinearity": "relu"}),
    "lecun_normal": (TI.kaiming_normal_, {"nonlinearity": "linear"}),
    "lecun_uniform": (TI.kaiming_uniform_, {"nonlinearity": "linear"}),
    # torch cuts at absolute a, b: +-2 std of 0.05 is +-0.1
    "truncated_normal": (TI.trunc_normal_, {"std": 0.05, "a": -0.1, "b": 0.1}),
    "random_normal": (TI.normal_, {"std": 0.05}),
    "random_uniform": (TI.uniform_, {"a": -0.05, "b": 0.05}),
}


@pytest.mark.parametrize("name", list(TORCH_INITS))
def test_sample_variance_of_torch_init_matches_our_formula(name):
    torch_init, kwargs = TORCH_INITS[name]
    w = torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64)  # torch layout, see above
    torch_init(w, generator=torch.Generator().manual_seed(0), **kwargs)
    ours = I.get(name)((FAN_IN, FAN_OUT), np.random.default_rng(0))
    expected = I.get(name).variance((FAN_IN, FAN_OUT))
    assert w.var().item() == pytest.approx(expected, rel=0.03)
    assert ours.var() == pytest.approx(expected, rel=0.03)
    if name.endswith("uniform"):
        assert w.abs().max().item() <= math.sqrt(3 * expected) * (1 + 1e-12)
