"""Chapter 02 (activations): the checks of Exercises 2.1 to 2.7.

Each exercise is a ``FunctionCheck`` against ``nnlib.activations`` with cases
from ``elementwise_cases`` (random shapes 0-D to 3-D, a batch of one, zeros,
magnitudes up to 1e4) and a catalogue of the classic mistakes with their hints.
``EXERCISES`` maps each function name to (chapter, number, check).
"""

import numpy as np

from nnlib import activations as act
from nnlib.grading.engine import Case, Exercise, FunctionCheck, Mistake


def _random(rng, shape):
    return rng.normal(0.0, 3.0, size=shape)


def _shape(rng, ndim):
    """A random shape with ``ndim`` axes of 2 to 4 entries: small enough to print."""
    return tuple(int(n) for n in rng.integers(2, 5, size=ndim))


def elementwise_cases(rng, worked, big_pos="", big_neg=""):
    """13 cases for an elementwise f(z): z 1-D ``worked`` example first, then
    0-D, random 1-D / 2-D (N, D) / 3-D (N, T, D), a batch of one, zeros and
    large magnitudes. ``big_pos`` / ``big_neg`` are the hints for a numpy
    warning on large positive / negative z."""
    mixed = np.array([[-1000.0, -1.0, 0.0, 1000.0], [1e4, 2.5, -1e4, 30.0]])
    return [
        Case("worked example", (np.array(worked, dtype=float),)),
        Case("a single number (0-D array)", (np.array(_random(rng, ())),)),
        Case("random 1-D", (_random(rng, _shape(rng, 1)),)),
        Case("random 2-D (N, D)", (_random(rng, _shape(rng, 2)),)),
        Case("random 3-D (N, T, D)", (_random(rng, _shape(rng, 3)),)),
        Case("random 2-D (N, D)", (_random(rng, _shape(rng, 2)),)),
        Case("a batch of one (1, D)", (_random(rng, (1, int(rng.integers(2, 6)))),)),
        Case("zeros", (np.zeros((2, 3)),)),
        Case("exact zero among small values", (np.array([-1e-9, 0.0, 1e-9]),)),
        Case("large positive z", (np.array([20.0, 700.0, 1000.0, 1e4]),), warn_hint=big_pos),
        Case("large negative z", (np.array([-1e4, -1000.0, -700.0, -20.0]),), warn_hint=big_neg),
        Case("large magnitudes, 2-D", (mixed,), warn_hint=big_neg or big_pos),
        Case("random 3-D, large scale", (100 * _random(rng, _shape(rng, 3)),),
             warn_hint=big_neg or big_pos),
    ]


# --- 2.1 sigmoid -----------------------------------------------------------------

_STABLE = ("Use e = np.exp(-np.abs(z)), which never overflows, and return 1 / (1 + e) where "
           "z >= 0 and e / (1 + e) where z < 0. np.where evaluates BOTH branches for every "
           "entry, so each branch must itself be safe for all z")
SIGMOID = FunctionCheck(
    name="sigmoid", signature="sigmoid(z)", params=("z",), reference=act.sigmoid,
    cases=lambda rng: elementwise_cases(
        rng, [-2.0, -0.5, 0.0, 0.5, 2.0],
        big_pos=f"your sigmoid overflows for z = 1000: np.exp(z) = exp(1000) = inf. {_STABLE}",
        big_neg=f"your sigmoid overflows for z = -1000: np.exp(-z) = exp(1000) = inf. {_STABLE}"),
    mistakes=(
        Mistake(lambda z: 1 / (1 + np.exp(z)),
                "sign error: sigmoid(z) = 1 / (1 + exp(-z)); you computed sigmoid(-z)"),
        Mistake(lambda z: 1 / (1 - np.exp(-z)), "the denominator is 1 + exp(-z), not 1 - exp(-z)"),
        Mistake(lambda z: np.exp(-z) / (1 + np.exp(-z)),
                "exp(-z) / (1 + exp(-z)) is 1 - sigmoid(z) = sigmoid(-z); sigmoid(z) = 1 / (1 + exp(-z))"),
    ),
    warn_hint=f"your sigmoid overflows for large |z|. {_STABLE}",
)

# --- 2.2 sigmoid_grad --------------------------------------------------------------

SIGMOID_GRAD = FunctionCheck(
    name="sigmoid_grad", signature="sigmoid_grad(z)", params=("z",), reference=act.sigmoid.grad,
    cases=lambda rng: elementwise_cases(rng, [-2.0, -0.5, 0.0, 0.5, 2.0]),
    mistakes=(
        Mistake(lambda z: z * (1 - z),
                "z * (1 - z) is the derivative written with the OUTPUT a = sigmoid(z): "
                "sigma'(z) = a (1 - a). Your function is given z, so compute s = sigmoid(z) "
                "first, then return s * (1 - s)"),
        Mistake(act.sigmoid, "that is sigmoid(z) itself; the derivative is s * (1 - s) with s = sigmoid(z)"),
        Mistake(lambda z: -act.sigmoid.grad(z), "sign error: sigma'(z) = s (1 - s) is never negative"),
        Mistake(lambda z: act.sigmoid(z) * (1 + act.sigmoid(z)), "it is s * (1 - s), with a minus"),
    ),
    warn_hint=("your sigmoid_grad overflows for large |z| (e.g. exp(-z) for z = -1000): compute "
               "s = sigmoid(z) with your stable sigmoid from Exercise 2.1, then return s * (1 - s)"),
)

# --- 2.3 tanh_grad -----------------------------------------------------------------

TANH_GRAD = FunctionCheck(
    name="tanh_grad", signature="tanh_grad(z)", params=("z",), reference=act.tanh.grad,
    cases=lambda rng: elementwise_cases(rng, [-2.0, -0.5, 0.0, 0.5, 2.0]),
    mistakes=(
        Mistake(lambda z: 1 - z**2,
                "1 - z**2 is the derivative written with the OUTPUT a = tanh(z): tanh'(z) = 1 - a**2. "
                "Your function is given z: return 1 - np.tanh(z)**2"),
        Mistake(lambda z: 1 - np.tanh(z), "square the tanh: tanh'(z) = 1 - tanh(z)**2"),
        Mistake(lambda z: (1 - np.tanh(z)) ** 2, "only tanh(z) is squared: 1 - tanh(z)**2, not (1 - tanh(z))**2"),
        Mistake(np.tanh, "that is tanh(z) itself; the derivative is 1 - tanh(z)**2"),
        Mistake(lambda z: np.tanh(z) ** 2 - 1, "sign error: tanh'(z) = 1 - tanh(z)**2 is never negative"),
    ),
    warn_hint=("np.cosh and np.exp overflow for |z| > 710: use 1 - np.tanh(z)**2, "
               "np.tanh is safe for every z"),
)

# --- 2.4 relu, 2.5 relu_grad ----------------------------------------------------------

RELU = FunctionCheck(
    name="relu", signature="relu(z)", params=("z",), reference=act.relu,
    cases=lambda rng: elementwise_cases(rng, [-2.0, -0.5, 0.0, 0.5, 2.0]),
    mistakes=(
        Mistake(lambda z: np.max(z, 0),
                "np.max(z, 0) is the largest entry along axis 0 (it shrinks the array); "
                "np.maximum(z, 0) is the elementwise maximum you want"),
        Mistake(lambda z: np.minimum(z, 0), "np.minimum keeps the negative part; relu(z) = np.maximum(z, 0)"),
        Mistake(np.abs, "relu replaces negative z by 0; it does not flip their sign"),
        Mistake(lambda z: (z > 0).astype(float),
                "that is relu's derivative (1 or 0); relu itself returns z where z > 0, else 0"),
    ),
)

RELU_GRAD = FunctionCheck(
    name="relu_grad", signature="relu_grad(z)", params=("z",), reference=act.relu.grad,
    cases=lambda rng: elementwise_cases(rng, [-2.0, -0.5, 0.0, 0.5, 2.0]),
    mistakes=(
        Mistake(act.relu, "you returned relu(z) itself; its derivative is 1 where z > 0 and 0 elsewhere"),
        Mistake(lambda z: (z >= 0).astype(float),
                "at z = 0 the derivative is taken as 0 here (as in PyTorch): use z > 0, not z >= 0"),
        Mistake(np.sign, "np.sign gives -1 for negative z; relu'(z) is 0 there (1 where z > 0)"),
    ),
)

# --- 2.6 leaky_relu --------------------------------------------------------------------

_ALPHA_DEFAULT = "the default must be alpha=0.01 (PyTorch's negative_slope); Keras uses 0.3"
LEAKY_RELU = FunctionCheck(
    name="leaky_relu", signature="leaky_relu(z, alpha=0.01)", params=("z",), reference=act.leaky_relu,
    cases=lambda rng: [
        Case("worked example, default alpha", (np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),)),
        Case("random 1-D, alpha = 0.2", (_random(rng, _shape(rng, 1)),), {"alpha": 0.2}),
        Case("random 2-D (N, D), alpha = 0.3", (_random(rng, _shape(rng, 2)),), {"alpha": 0.3}),
        Case("random 3-D (N, T, D), default alpha", (_random(rng, _shape(rng, 3)),)),
        Case("a single negative number (0-D), alpha = 0.1", (np.array(-abs(_random(rng, ())) - 0.1),),
             {"alpha": 0.1}),
        Case("a batch of one (1, D), alpha = 0.05", (_random(rng, (1, 4)),), {"alpha": 0.05}),
        Case("alpha = 0 is relu", (_random(rng, _shape(rng, 2)),), {"alpha": 0.0}),
        Case("zeros", (np.zeros((2, 3)),), {"alpha": 0.2}),
        Case("large magnitudes, default alpha", (np.array([-1e4, -1000.0, 0.0, 1000.0, 1e4]),)),
        Case("large magnitudes, alpha = 0.2", (np.array([[-1e4, 1e4], [-1000.0, 1000.0]]),),
             {"alpha": 0.2}),
    ],
    mistakes=(
        Mistake(lambda z, alpha=0.01: np.where(z > 0, alpha * z, z),
                "alpha scales the NEGATIVE side: leaky_relu(z) = z where z > 0, alpha * z elsewhere"),
        Mistake(lambda z, alpha=0.01: np.where(z > 0, z, 0.01 * z),
                "your function ignores its alpha argument: use alpha, not the number 0.01"),
        Mistake(lambda z, alpha=0.3: act.leaky_relu(z, alpha=alpha), _ALPHA_DEFAULT),
        Mistake(lambda z, alpha=0.2: act.leaky_relu(z, alpha=alpha), _ALPHA_DEFAULT),
        Mistake(lambda z, alpha=0.1: act.leaky_relu(z, alpha=alpha), _ALPHA_DEFAULT),
        Mistake(lambda z, alpha=0.01: np.maximum(z, 0), "that is plain relu: negative z give alpha * z, not 0"),
        Mistake(lambda z, alpha=0.01: np.where(z > 0, z, -alpha * z), "the negative side is alpha * z (negative), not -alpha * z"),
    ),
)

# --- 2.7 softmax -------------------------------------------------------------------

_SHIFT = ("subtract the row maximum first, np.max(z, axis=-1, keepdims=True): "
          "softmax(z - max z) = softmax(z), and no exponent is above 0")
_OVERFLOW = f"your softmax overflows for z = 1000 (exp(1000) = inf, inf / inf = nan): {_SHIFT}"
_PER_ROW = ("subtract each row's OWN maximum (np.max(z, axis=-1, keepdims=True)): one maximum over "
            "the whole array makes exp underflow to 0 in rows far below it, and 0 / 0 = nan")
_GLOBAL = ("your softmax normalises over the whole array: right for one vector (1-D), but for a "
           "batch (N, C) each row must sum to 1: use np.sum(e, axis=-1, keepdims=True)")


def _softmax_no_shift(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def _softmax_axis(z, axis, shift_axis="same"):
    m = np.max(z) if shift_axis is None else np.max(z, axis=axis, keepdims=True)
    e = np.exp(z - m)
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_cases(rng):
    """14 cases: 1-D, 2-D (N, C) incl. square, 3-D (N, T, C), one row, one class, large values."""
    n = int(rng.integers(2, 4))
    return [
        Case("worked example", (np.array([2.0, 1.0, 0.1]),)),
        Case("random 1-D", (_random(rng, _shape(rng, 1)),)),
        Case("random 2-D (N, C)", (_random(rng, (n, n + int(rng.integers(1, 3)))),)),
        Case("random square 2-D (C, C)", (_random(rng, (n, n)),)),
        Case("random 3-D (N, T, C)", (_random(rng, _shape(rng, 3)),)),
        Case("a batch of one (1, C)", (_random(rng, (1, 4)),)),
        Case("one class (N, 1)", (_random(rng, (3, 1)),)),
        Case("zeros", (np.zeros((2, 4)),)),
        Case("large equal scores", (np.array([1000.0, 1000.0, 1000.0]),), warn_hint=_OVERFLOW),
        Case("large scores", (np.array([1000.0, 1001.0, 1002.0]),), warn_hint=_OVERFLOW),
        Case("large negative scores", (np.array([-1000.0, -1001.0, -1002.0]),), warn_hint=_OVERFLOW),
        Case("rows far apart", (np.array([[0.0, 1.0, 2.0], [1000.0, 1001.0, 1002.0]]),), warn_hint=_PER_ROW),
        Case("random 3-D, scale 1e4", (1e4 * rng.normal(size=_shape(rng, 3)),), warn_hint=_OVERFLOW),
        Case("random 2-D, scale 100", (100 * _random(rng, _shape(rng, 2)),), warn_hint=_OVERFLOW),
    ]


SOFTMAX = FunctionCheck(
    name="softmax", signature="softmax(z)", params=("z",), reference=act.softmax,
    cases=softmax_cases,
    mistakes=(
        Mistake(_softmax_no_shift, _OVERFLOW),
        Mistake(lambda z: np.exp(z - np.max(z)) / np.sum(np.exp(z - np.max(z))), _GLOBAL),
        Mistake(lambda z: np.exp(z) / np.sum(np.exp(z)), _GLOBAL),
        Mistake(lambda z: _softmax_axis(z, axis=0),
                "you normalised over axis 0 (down the columns); the classes are the LAST axis: "
                "use axis=-1 in np.max and np.sum, so that each row sums to 1"),
        Mistake(lambda z: _softmax_axis(z, axis=1),
                "axis=1 is the last axis only for 2-D input: use axis=-1, which works for "
                "(C,), (N, C) and (N, T, C)"),
        Mistake(lambda z: _softmax_axis(z, axis=-1, shift_axis=None), _PER_ROW),
        Mistake(lambda z: np.exp(z - np.max(z, axis=-1, keepdims=True))
                / np.sum(np.exp(z - np.max(z, axis=-1, keepdims=True)), axis=-1),
                "use keepdims=True in np.sum, so that the row sums (N, 1) divide their own rows"),
    ),
    warn_hint=_OVERFLOW,
    shape_hint="softmax returns an array shaped like z: normalise, do not reduce",
    error_hints=(("could not be broadcast",
                  "use keepdims=True in np.max and np.sum, so that the (N, 1) row results "
                  "broadcast against the (N, C) scores"),),
)

EXERCISES = {
    "sigmoid": Exercise(2, 1, SIGMOID),
    "sigmoid_grad": Exercise(2, 2, SIGMOID_GRAD),
    "tanh_grad": Exercise(2, 3, TANH_GRAD),
    "relu": Exercise(2, 4, RELU),
    "relu_grad": Exercise(2, 5, RELU_GRAD),
    "leaky_relu": Exercise(2, 6, LEAKY_RELU),
    "softmax": Exercise(2, 7, SOFTMAX),
}
