"""Activation functions and their derivatives (chapter 02 explains them).

Shared interface: every activation is an object ``f`` with

    f(z, **params)       the value, elementwise; z any shape (N, D), (N, T, H), ...
    f.grad(z, **params)  the derivative df/dz, elementwise, evaluated at z
                         (z, not f(z)); same shape as z
    f.name, f.params     its name and a dict of its default parameters

Parameters are keywords, e.g. ``leaky_relu(z, alpha=0.2)``; an unknown keyword
raises TypeError naming the valid ones. Output dtype: float32 input stays
float32, everything else becomes float64. ``softmax`` and ``log_softmax`` are
plain functions (they mix entries along an axis, so they have no elementwise
derivative). ``get(name)`` looks an activation up by name.

Every definition and default matches PyTorch (torch.nn.functional), including
the derivative chosen at a kink (relu'(0) = 0). All of them are finite and
warning-free for |z| of 1e4 and beyond: no exp of a large positive number is
ever taken.
"""

import math

import numpy as np

from nnlib.validation import Parameters, as_float_array, lookup


class Activation(Parameters):
    """Base class: an elementwise function f(z) with its derivative f'(z).

    Subclasses define ``_f(z, **params)`` and ``_df(z, **params)`` side by side
    and set ``name`` and ``defaults``. Shapes: z (any), f(z) and f'(z) like z.
    """

    def __call__(self, z, **params):
        z = as_float_array(z, "z", self.name)
        return np.asarray(self._f(z, **self._resolve(params)), dtype=z.dtype)

    def grad(self, z, **params):
        """Elementwise derivative df/dz at z; shape and dtype of z."""
        z = as_float_array(z, "z", f"{self.name}.grad")
        return np.asarray(self._df(z, **self._resolve(params)), dtype=z.dtype)

    def __repr__(self):
        extra = "".join(f", {k}={v!r}" for k, v in self.defaults.items())
        return f"<activation {self.name}{extra}>"


def _sigmoid(z):
    # exp(-|z|) is in (0, 1]: it never overflows, whatever the sign of z.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


class Sigmoid(Activation):
    """sigmoid(z) = 1 / (1 + exp(-z)), in (0, 1).   sigmoid'(z) = s (1 - s), s = sigmoid(z).

    Saturates for |z| > ~5 (gradient below 0.007): chapter 02 and 06.
    """

    name = "sigmoid"

    def _f(self, z):
        return _sigmoid(z)

    def _df(self, z):
        s = _sigmoid(z)
        return s * (1 - s)


class Tanh(Activation):
    """tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)), in (-1, 1).   tanh'(z) = 1 - tanh(z)^2."""

    name = "tanh"

    def _f(self, z):
        return np.tanh(z)

    def _df(self, z):
        return 1 - np.tanh(z) ** 2


class ReLU(Activation):
    """relu(z) = max(z, 0).   relu'(z) = 1 if z > 0 else 0 (0 at z = 0, as PyTorch)."""

    name = "relu"

    def _f(self, z):
        return np.maximum(z, 0)

    def _df(self, z):
        return (z > 0).astype(z.dtype)


class LeakyReLU(Activation):
    """leaky_relu(z) = z if z > 0 else alpha z   (alpha = 0.01, torch.nn.LeakyReLU).

    leaky_relu'(z) = 1 if z > 0 else alpha (alpha at z = 0, as PyTorch). Keras
    uses alpha = 0.3 by default (chapter 02: the dying-ReLU fix).
    """

    name = "leaky_relu"
    defaults = {"alpha": 0.01}

    def _f(self, z, alpha):
        return np.where(z > 0, z, alpha * z)

    def _df(self, z, alpha):
        return np.where(z > 0, 1.0, alpha)


class ELU(Activation):
    """elu(z) = z if z > 0 else alpha (exp(z) - 1)   (alpha = 1.0, torch.nn.ELU).

    elu'(z) = 1 if z > 0 else alpha exp(z) (alpha at z = 0, as PyTorch).
    """

    name = "elu"
    defaults = {"alpha": 1.0}

    def _f(self, z, alpha):
        # np.where evaluates both branches: min(z, 0) keeps exp away from big z.
        return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))

    def _df(self, z, alpha):
        return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0)))


# torch.nn.SELU's constants (Klambauer et al. 2017, "Self-Normalizing Neural Networks").
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


class SELU(Activation):
    """selu(z) = scale * (z if z > 0 else alpha (exp(z) - 1)),
    alpha = 1.6732632423543772, scale = 1.0507009873554805 (torch.nn.SELU).

    selu'(z) = scale if z > 0 else scale alpha exp(z). Keeps activations near
    mean 0 / variance 1 with lecun_normal weights (chapter 06).
    """

    name = "selu"

    def _f(self, z):
        return SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0)))

    def _df(self, z):
        return SELU_SCALE * np.where(z > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(z, 0)))


class Softplus(Activation):
    """softplus(z) = log(1 + exp(z))   (beta = 1), a smooth relu.   softplus'(z) = sigmoid(z).

    Computed as logaddexp(0, z), exact for all z. torch.nn.Softplus returns z
    itself for z > 20 (its ``threshold``): a difference of at most exp(-20) ~ 2.1e-9.
    """

    name = "softplus"

    def _f(self, z):
        return np.logaddexp(0, z)

    def _df(self, z):
        return _sigmoid(z)


class Softsign(Activation):
    """softsign(z) = z / (1 + |z|), in (-1, 1).   softsign'(z) = 1 / (1 + |z|)^2."""

    name = "softsign"

    def _f(self, z):
        return z / (1 + np.abs(z))

    def _df(self, z):
        # (1 / (1 + |z|))^2 rather than 1 / (1 + |z|)^2: underflows to 0, never overflows.
        return (1 / (1 + np.abs(z))) ** 2


class Swish(Activation):
    """swish(z) = z sigmoid(z)   (beta = 1: torch.nn.SiLU).

    swish'(z) = s + z s (1 - s) = s (1 + z (1 - s)), s = sigmoid(z).
    """

    name = "swish"

    def _f(self, z):
        return z * _sigmoid(z)

    def _df(self, z):
        s = _sigmoid(z)
        return s * (1 + z * (1 - s))


_GELU_K = math.sqrt(2 / math.pi)
_GELU_C = 0.044715


class GELU(Activation):
    """gelu(z) = 0.5 z (1 + tanh(k (z + c z^3))), k = sqrt(2/pi), c = 0.044715.

    The tanh approximation, torch.nn.GELU(approximate="tanh"); the exact GELU is
    z Phi(z) with Phi the standard normal CDF (differs by less than 1e-3).
    gelu'(z) = 0.5 (1 + t) + 0.5 z (1 - t^2) k (1 + 3 c z^2), t = tanh(k (z + c z^3)).
    """

    name = "gelu"

    @staticmethod
    def _u_t(z):
        # tanh is exactly +-1 once |z| > 100, so clipping z inside it changes
        # nothing but keeps z^3 from overflowing for huge |z|.
        u = np.clip(z, -100, 100)
        return u, np.tanh(_GELU_K * (u + _GELU_C * u**3))

    def _f(self, z):
        _, t = self._u_t(z)
        return 0.5 * z * (1 + t)

    def _df(self, z):
        u, t = self._u_t(z)
        # (1 - t^2) is exactly 0 where z was clipped, so u may stand in for z.
        return 0.5 * (1 + t) + 0.5 * u * (1 - t**2) * _GELU_K * (1 + 3 * _GELU_C * u**2)


class HardSigmoid(Activation):
    """hard_sigmoid(z) = relu6(z + 3) / 6 = min(max(z / 6 + 1/2, 0), 1)   (torch.nn.Hardsigmoid).

    hard_sigmoid'(z) = 1/6 if -3 < z < 3 else 0 (0 at z = +-3, as PyTorch).
    Older Keras (before 3.0) used min(max(0.2 z + 0.5, 0), 1) instead: the
    same idea with the kinks at z = +-2.5.
    """

    name = "hard_sigmoid"

    def _f(self, z):
        return np.clip(z + 3, 0, 6) / 6

    def _df(self, z):
        return np.where((z > -3) & (z < 3), 1 / 6, 0.0)


class Linear(Activation):
    """linear(z) = z (the identity: no activation).   linear'(z) = 1."""

    name = "linear"

    def _f(self, z):
        return z.copy()

    def _df(self, z):
        return np.ones_like(z)


sigmoid = Sigmoid()
tanh = Tanh()
relu = ReLU()
leaky_relu = LeakyReLU()
elu = ELU()
selu = SELU()
softplus = Softplus()
softsign = Softsign()
swish = Swish()
gelu = GELU()
hard_sigmoid = HardSigmoid()
linear = Linear()


def _check_axis(z, axis, where):
    if z.ndim == 0:
        raise ValueError(f"{where} needs an array with at least 1 axis, got a 0-D value")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"{where}: axis {axis} is out of range for shape {z.shape}")


def softmax(z, axis=-1):
    """softmax(z)_i = exp(z_i) / sum_j exp(z_j), along ``axis``.

    Subtracting the maximum first, exp(z_i - max z), gives the same result
    (the factor exp(-max z) cancels) without overflow for z = 1000 (chapter 02).

    Args:
        z: scores, e.g. (N, C); any shape with at least one axis.
        axis: the axis that sums to 1 (default the last, the classes).

    Returns:
        p: same shape as z, entries in [0, 1], summing to 1 along ``axis``.
    """
    z = as_float_array(z, "z", "softmax")
    _check_axis(z, axis, "softmax")
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    """log_softmax(z)_i = z_i - log(sum_j exp(z_j))
                     = (z_i - m) - log(sum_j exp(z_j - m)),  m = max_j z_j.

    Never takes log(0): finite wherever z is finite, even where softmax
    underflows to 0 (log(softmax(z)) would give -inf there). Cross-entropy
    uses it (chapter 03).

    Args:
        z: scores, e.g. (N, C); any shape with at least one axis.
        axis: the axis to normalise over (default the last).

    Returns:
        same shape as z, entries <= 0.
    """
    z = as_float_array(z, "z", "log_softmax")
    _check_axis(z, axis, "log_softmax")
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


# Name -> object. "silu" and "identity" are PyTorch's names for swish and linear.
ACTIVATIONS = {
    f.name: f
    for f in (sigmoid, tanh, relu, leaky_relu, elu, selu, softplus, softsign,
              swish, gelu, hard_sigmoid, linear)
}
ACTIVATIONS["silu"] = swish
ACTIVATIONS["identity"] = linear


def get(name):
    """Return the activation called ``name`` (case-insensitive), e.g. get("ReLU").

    An activation object is returned unchanged. An unknown name raises
    ValueError listing the valid ones. softmax is not here: it is not
    elementwise (``nnlib.layers.Activation("softmax")`` handles it).
    """
    return lookup(ACTIVATIONS, name, "activation")
