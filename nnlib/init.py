"""Weight initialisers (chapter 06 explains them: why the variance must shrink
with the number of inputs, or activations and gradients vanish or explode).

Shared interface: every initialiser is an object ``f`` with

    f(shape, rng, **params) -> W      float64 array of that shape
    f.variance(shape, **params)       the variance Var(W_ij) its draws have
    f.name, f.params                  its name and a dict of default parameters

``shape = (fan_in, fan_out)``: nnlib's dense layer computes X @ W + b with W
(D_in, D_out), so fan_in = D_in = shape[0]. PyTorch stores the transpose,
weight (fan_out, fan_in); the numbers are the same. A 1-D shape (n,) is a
bias and is only accepted by zeros, ones and constant. ``rng`` is a
numpy Generator (np.random.default_rng(seed)); zeros, ones and constant take
rng=None. ``get(name)`` looks one up by name.

Normal versions: nnlib (like torch.nn.init) draws glorot/he/lecun normal from
an untruncated normal. Keras draws them from a normal truncated at 2 std and
rescaled so that the variance is the same: the variance formula holds for both.
"""

import math

import numpy as np

from nnlib.validation import Parameters, check_rng, lookup

# Var of a standard normal truncated to [-2, 2]: 1 - 4 phi(2) / (2 Phi(2) - 1).
TRUNCATED_VARIANCE_FACTOR = 1 - 4 * math.exp(-2) / math.sqrt(2 * math.pi) / math.erf(math.sqrt(2))
# = 0.7737413...: a truncated_normal with std s has variance 0.7737 s^2.


class Initializer(Parameters):
    """Base class. Subclasses define ``_draw(shape, rng, **params)`` and
    ``_variance(fan_in, fan_out, **params)`` side by side."""

    random = True  # False: rng may be None
    bias_ok = False  # True: a 1-D shape (n,) is allowed

    def _check_shape(self, shape):
        if isinstance(shape, (int, np.integer)) and self.bias_ok:
            shape = (shape,)
        ok_ndims = (1, 2) if self.bias_ok else (2,)
        try:
            shape = tuple(int(s) for s in shape)
        except (TypeError, ValueError):
            shape = None
        if shape is None or len(shape) not in ok_ndims or min(shape) < 1:
            extra = ""
            if shape is not None and len(shape) == 1 and not self.bias_ok:
                extra = ("; 1-D shapes (biases) only work with zeros, ones and constant: "
                         "fan_in and fan_out need a 2-D weight")
            raise ValueError(f"{self.name} expects shape (fan_in, fan_out) of positive ints"
                             f"{' or (n,)' if self.bias_ok else ''}, got {shape!r}{extra}")
        return shape

    def __call__(self, shape, rng=None, **params):
        shape = self._check_shape(shape)
        params = self._resolve(params)
        if self.random:
            check_rng(rng, self.name)
        return np.asarray(self._draw(shape, rng, **params), dtype=np.float64)

    def variance(self, shape, **params):
        """Theoretical Var(W_ij) for W of this shape, e.g. he_normal.variance((256, 128))."""
        shape = self._check_shape(shape)
        # A 1-D (bias) shape only reaches constant initialisers, which ignore the fans.
        fan_in, fan_out = shape if len(shape) == 2 else (shape[0], shape[0])
        return float(self._variance(fan_in, fan_out, **self._resolve(params)))

    def __repr__(self):
        return f"<initializer {self.name}>"


class Constant(Initializer):
    """constant: every entry = value (default 0.0). Variance 0.

    Fine for biases; for weights, every unit of a layer computes the same thing
    and gets the same gradient, so they never become different (symmetry).
    """

    name = "constant"
    defaults = {"value": 0.0}
    random = False
    bias_ok = True

    def _draw(self, shape, rng, value):
        return np.full(shape, value, dtype=np.float64)

    def _variance(self, fan_in, fan_out, value):
        return 0.0


class Zeros(Constant):
    """zeros: every entry 0. Variance 0. The usual bias initialiser."""

    name = "zeros"
    defaults = {}

    def _draw(self, shape, rng):
        return np.zeros(shape)

    def _variance(self, fan_in, fan_out):
        return 0.0


class Ones(Zeros):
    """ones: every entry 1. Variance 0."""

    name = "ones"

    def _draw(self, shape, rng):
        return np.ones(shape)


class RandomNormal(Initializer):
    """random_normal: W ~ N(mean, std^2), mean = 0, std = 0.05 (Keras RandomNormal).

    Variance std^2, the same for every layer size: too small for wide layers,
    too large for narrow ones (chapter 06's point).
    """

    name = "random_normal"
    defaults = {"mean": 0.0, "std": 0.05}

    def _draw(self, shape, rng, mean, std):
        return rng.normal(mean, std, size=shape)

    def _variance(self, fan_in, fan_out, mean, std):
        return std**2


class RandomUniform(Initializer):
    """random_uniform: W ~ U(low, high), low = -0.05, high = 0.05 (Keras RandomUniform).

    Variance (high - low)^2 / 12.
    """

    name = "random_uniform"
    defaults = {"low": -0.05, "high": 0.05}

    def _draw(self, shape, rng, low, high):
        return rng.uniform(low, high, size=shape)

    def _variance(self, fan_in, fan_out, low, high):
        return (high - low) ** 2 / 12


class TruncatedNormal(Initializer):
    """truncated_normal: W ~ N(mean, std^2) with draws beyond mean +- 2 std
    redrawn; mean = 0, std = 0.05 (Keras TruncatedNormal).

    Variance std^2 * 0.7737413 (= 1 - 4 phi(2) / (2 Phi(2) - 1), phi and Phi the
    standard normal density and CDF): cutting the tails shrinks it.
    torch.nn.init.trunc_normal_ cuts at absolute values a = -2, b = 2 instead.
    """

    name = "truncated_normal"
    defaults = {"mean": 0.0, "std": 0.05}

    def _draw(self, shape, rng, mean, std):
        w = rng.normal(0.0, 1.0, size=shape)
        outside = np.abs(w) > 2
        while np.any(outside):  # about 4.6% per round
            w[outside] = rng.normal(0.0, 1.0, size=int(outside.sum()))
            outside = np.abs(w) > 2
        return mean + std * w

    def _variance(self, fan_in, fan_out, mean, std):
        return std**2 * TRUNCATED_VARIANCE_FACTOR


class ScaledNormal(Initializer):
    """Base for N(0, scale / fan) initialisers; subclasses set ``_variance``."""

    def _draw(self, shape, rng):
        return rng.normal(0.0, math.sqrt(self._variance(*shape)), size=shape)


class ScaledUniform(Initializer):
    """Base for U(-l, l) initialisers with l = sqrt(3 Var), since Var U(-l, l) = l^2 / 3."""

    def limit(self, shape):
        """The bound l: every draw lies in [-l, l]."""
        return math.sqrt(3 * self.variance(shape))

    def _draw(self, shape, rng):
        l = self.limit(shape)
        return rng.uniform(-l, l, size=shape)


class GlorotNormal(ScaledNormal):
    """glorot_normal (Xavier): W ~ N(0, 2 / (fan_in + fan_out))
    (torch.nn.init.xavier_normal_ with gain 1; Keras GlorotNormal truncates, same variance).

    Keeps the variance of activations (forward) and of gradients (backward)
    about constant for tanh/sigmoid/linear layers: a compromise of 1/fan_in and 1/fan_out.
    """

    name = "glorot_normal"

    def _variance(self, fan_in, fan_out):
        return 2 / (fan_in + fan_out)


class GlorotUniform(ScaledUniform):
    """glorot_uniform (Xavier): W ~ U(-l, l), l = sqrt(6 / (fan_in + fan_out))
    (torch.nn.init.xavier_uniform_, Keras GlorotUniform, Keras's default).

    Variance l^2 / 3 = 2 / (fan_in + fan_out), as glorot_normal.
    """

    name = "glorot_uniform"

    def _variance(self, fan_in, fan_out):
        return 2 / (fan_in + fan_out)


class HeNormal(ScaledNormal):
    """he_normal (Kaiming): W ~ N(0, 2 / fan_in)
    (torch.nn.init.kaiming_normal_, mode="fan_in", gain sqrt(2) for relu;
    Keras HeNormal truncates, same variance).

    ReLU zeroes half its inputs, halving the variance; the factor 2 puts it back.
    """

    name = "he_normal"

    def _variance(self, fan_in, fan_out):
        return 2 / fan_in


class HeUniform(ScaledUniform):
    """he_uniform (Kaiming): W ~ U(-l, l), l = sqrt(6 / fan_in)
    (torch.nn.init.kaiming_uniform_(nonlinearity="relu"), Keras HeUniform).

    Variance l^2 / 3 = 2 / fan_in, as he_normal.
    """

    name = "he_uniform"

    def _variance(self, fan_in, fan_out):
        return 2 / fan_in


class LecunNormal(ScaledNormal):
    """lecun_normal: W ~ N(0, 1 / fan_in)
    (torch.nn.init.kaiming_normal_(nonlinearity="linear"); Keras LecunNormal truncates).

    Keeps the variance of X @ W equal to that of X; the init for SELU networks.
    """

    name = "lecun_normal"

    def _variance(self, fan_in, fan_out):
        return 1 / fan_in


class LecunUniform(ScaledUniform):
    """lecun_uniform: W ~ U(-l, l), l = sqrt(3 / fan_in) (Keras LecunUniform).

    Variance l^2 / 3 = 1 / fan_in, as lecun_normal.
    """

    name = "lecun_uniform"

    def _variance(self, fan_in, fan_out):
        return 1 / fan_in


zeros = Zeros()
ones = Ones()
constant = Constant()
random_normal = RandomNormal()
random_uniform = RandomUniform()
truncated_normal = TruncatedNormal()
glorot_normal = GlorotNormal()
glorot_uniform = GlorotUniform()
he_normal = HeNormal()
he_uniform = HeUniform()
lecun_normal = LecunNormal()
lecun_uniform = LecunUniform()

# Name -> object. "xavier_*" and "kaiming_*" are PyTorch's names for the same thing.
INITIALIZERS = {
    f.name: f
    for f in (zeros, ones, constant, random_normal, random_uniform, truncated_normal,
              glorot_normal, glorot_uniform, he_normal, he_uniform, lecun_normal, lecun_uniform)
}
INITIALIZERS.update(xavier_normal=glorot_normal, xavier_uniform=glorot_uniform,
                    kaiming_normal=he_normal, kaiming_uniform=he_uniform)


def get(name):
    """Return the initialiser called ``name`` (case-insensitive), e.g. get("he_normal").

    An initialiser object (or any callable f(shape, rng)) is returned unchanged.
    An unknown name raises ValueError listing the valid ones.
    """
    return lookup(INITIALIZERS, name, "initializer")
