"""Loss functions and their gradients (chapter 03 explains them).

Shared interface: every loss is an object ``loss`` with

    loss(y_pred, y_true) -> float           the mean over the batch
    loss.grad(y_pred, y_true) -> dy_pred    d(that mean) / d(y_pred), shape of y_pred
    loss.name

``n`` below is the number of entries the mean runs over: all elements of y_pred
for the elementwise losses (PyTorch's reduction="mean"), the N rows for the
class losses. The gradient includes the 1/n, so ``model.backward(loss.grad(...))``
is the gradient of exactly the number that was printed.

Shapes: elementwise losses take y_pred and y_true of the same shape, any shape
((N,), (N, 1), (N, D)); a mismatch is an error, never a broadcast ((N, 1) minus
(N,) would silently give (N, N)). Class losses take y_pred (N, C) and either
one-hot y_true (N, C) or integer labels (N,) in [0, C).

Numbers: computed in float64, returned as a Python float; the gradient is
float32 when y_pred is. Where PyTorch has the loss, nnlib gives the same value
and gradient, including the subgradient at a kink (torch's sign(0) = 0).
"""

import numpy as np

from nnlib.activations import log_softmax, sigmoid, softmax
from nnlib.validation import as_float_array, lookup

P_CLIP = 1e-12  # probabilities are clipped to [P_CLIP, 1 - P_CLIP] before log
MAPE_EPS = 1e-7  # Keras's epsilon: MAPE divides by max(|y_true|, MAPE_EPS)


class Loss:
    """Base class. Subclasses define ``_value(p, t)`` and ``_grad(p, t)`` side by
    side on float64 arrays (p = y_pred, t = y_true, already checked)."""

    name = ""
    labels = False  # True: y_true is integer labels (N,), not an array like y_pred
    probs_hint = ""  # set: y_pred must be probabilities; the hint names the logits loss
    targets_01 = False  # True: y_true must lie in [0, 1]

    def _check(self, y_pred, y_true):
        p = as_float_array(y_pred, "y_pred", self.name)
        if self.probs_hint:
            _check_range(p, "y_pred (probabilities)", self.name,
                         f"; for raw scores (logits) use {self.probs_hint}")
        if self.labels:
            return p, _check_labels(p, y_true, self.name)
        t = as_float_array(y_true, "y_true", self.name)
        if p.shape != t.shape:
            hint = (f"Reshape one of them, e.g. y_true.reshape({p.shape}) or y_pred.ravel()"
                    if p.size == t.size else self._shape_hint(p, t))
            raise ValueError(f"{self.name}: y_pred and y_true must have the same shape, got "
                             f"{p.shape} and {t.shape} (no broadcasting). {hint}")
        if p.size == 0:
            raise ValueError(f"{self.name}: got an empty batch, shape {p.shape}")
        if self.targets_01:
            _check_range(t, "y_true", self.name)
        return p, t.astype(np.float64)

    def _shape_hint(self, p, t):
        return "Pass arrays of the same shape."

    def __call__(self, y_pred, y_true):
        p, t = self._check(y_pred, y_true)
        return float(self._value(p.astype(np.float64), t))

    def grad(self, y_pred, y_true):
        """d(mean loss)/d(y_pred); same shape (and float dtype) as y_pred."""
        p, t = self._check(y_pred, y_true)
        return np.asarray(self._grad(p.astype(np.float64), t), dtype=p.dtype)

    def __repr__(self):
        return f"<loss {self.name}>"


def _check_range(x, what, where, hint=""):
    outside = ~((x >= 0) & (x <= 1))  # also catches nan
    if np.any(outside):
        raise ValueError(f"{where}: {what} must lie in [0, 1], got {x[outside].flat[0]}{hint}")


class MSE(Loss):
    """Mean squared error: L = mean((y_pred - y_true)^2)   (torch.nn.MSELoss).

    Gradient: dL/dy_pred = 2 (y_pred - y_true) / n.
    When to use it: regression with roughly Gaussian noise; punishes large
    errors strongly, so outliers dominate.
    """

    name = "mse"

    def _value(self, p, t):
        return np.mean((p - t) ** 2)

    def _grad(self, p, t):
        return 2 * (p - t) / p.size


class MAE(Loss):
    """Mean absolute error: L = mean(|y_pred - y_true|)   (torch.nn.L1Loss).

    Gradient: sign(y_pred - y_true) / n, with sign(0) = 0 at the kink (as torch).
    When to use it: regression with outliers (it predicts the median); its
    gradient does not shrink near the optimum, so lower the learning rate.
    """

    name = "mae"

    def _value(self, p, t):
        return np.mean(np.abs(p - t))

    def _grad(self, p, t):
        return np.sign(p - t) / p.size


class Huber(Loss):
    """Huber loss, d = y_pred - y_true (torch.nn.HuberLoss, delta = 1.0):

        L = mean( 0.5 d^2                   if |d| <= delta
                  delta (|d| - 0.5 delta)   otherwise )

    Gradient: d / n inside, delta sign(d) / n outside (continuous at |d| = delta).
    When to use it: regression with some outliers: MSE near the target, MAE far
    from it. ``Huber(delta=0.5)`` makes one with another delta.
    """

    name = "huber"

    def __init__(self, delta=1.0):
        if not delta > 0:
            raise ValueError(f"huber: delta must be > 0, got {delta}")
        self.delta = float(delta)

    def _value(self, p, t):
        a = np.abs(p - t)
        return np.mean(np.where(a <= self.delta, 0.5 * a**2, self.delta * (a - 0.5 * self.delta)))

    def _grad(self, p, t):
        return np.clip(p - t, -self.delta, self.delta) / p.size


class MSLE(Loss):
    """Mean squared logarithmic error: L = mean((log(1 + y_pred) - log(1 + y_true))^2).

    Gradient: 2 (log(1 + y_pred) - log(1 + y_true)) / ((1 + y_pred) n).
    Needs y_pred > -1 and y_true > -1 (an error otherwise; Keras instead clips
    both below at its epsilon 1e-7 first, so the two agree for inputs >= 1e-7).
    When to use it: positive targets spanning orders of magnitude (prices,
    counts), where relative error matters. torch has no built-in MSLE.
    """

    name = "msle"

    def _check(self, y_pred, y_true):
        p, t = super()._check(y_pred, y_true)
        for x, what in ((p, "y_pred"), (t, "y_true")):
            if np.any(x <= -1):
                raise ValueError(f"msle: {what} must be > -1 (it takes log(1 + x)), got {x.min()}")
        return p, t

    def _value(self, p, t):
        return np.mean((np.log1p(p) - np.log1p(t)) ** 2)

    def _grad(self, p, t):
        return 2 * (np.log1p(p) - np.log1p(t)) / (1 + p) / p.size


class MAPE(Loss):
    """Mean absolute percentage error (Keras's definition, eps = 1e-7):

        L = 100 mean(|y_true - y_pred| / max(|y_true|, eps))

    Gradient: 100 sign(y_pred - y_true) / (max(|y_true|, eps) n), sign(0) = 0.
    When to use it: reporting relative error of positive targets; targets near
    0 blow it up. torch has no built-in MAPE.
    """

    name = "mape"

    def _value(self, p, t):
        return 100 * np.mean(np.abs(t - p) / np.maximum(np.abs(t), MAPE_EPS))

    def _grad(self, p, t):
        return 100 * np.sign(p - t) / np.maximum(np.abs(t), MAPE_EPS) / p.size


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy on probabilities p = y_pred in [0, 1], targets y in [0, 1]:

        L = -mean(y log(p) + (1 - y) log(1 - p)),  p clipped to [1e-12, 1 - 1e-12]

    Gradient: (p - y) / (p (1 - p) n), at the clipped p (so p = 0 or 1 exactly
    gives a large finite gradient, like torch.nn.BCELoss, not the zero slope of
    the clip). torch clamps log at -100 instead of clipping p: values agree
    inside [1e-12, 1 - 1e-12].
    When to use it: binary (or multi-label) classification after a sigmoid.
    Prefer bce_with_logits: it skips the sigmoid and is exact for any logit.
    """

    name = "binary_cross_entropy"
    probs_hint = "bce_with_logits"
    targets_01 = True

    def _value(self, p, t):
        p = np.clip(p, P_CLIP, 1 - P_CLIP)
        return -np.mean(t * np.log(p) + (1 - t) * np.log1p(-p))

    def _grad(self, p, t):
        p = np.clip(p, P_CLIP, 1 - P_CLIP)
        return (p - t) / (p * (1 - p)) / p.size


class BCEWithLogits(Loss):
    """Binary cross-entropy on logits x = y_pred, targets y in [0, 1]
    (torch.nn.BCEWithLogitsLoss): L = BCE(sigmoid(x), y), computed as

        L = mean(max(x, 0) - x y + log(1 + exp(-|x|)))

    which is exact and finite for any x (no exp of a large positive number).
    Gradient: (sigmoid(x) - y) / n.
    When to use it: binary classification with a linear last layer.
    """

    name = "bce_with_logits"
    targets_01 = True

    def _value(self, x, t):
        return np.mean(np.maximum(x, 0) - x * t + np.log1p(np.exp(-np.abs(x))))

    def _grad(self, x, t):
        return (sigmoid(x) - t) / x.size


def _check_2d(p, where, what="y_pred"):
    if p.ndim != 2:
        raise ValueError(f"{where} expects {what} of shape (N, C), got shape {p.shape}")
    if p.shape[0] == 0:
        raise ValueError(f"{where}: got an empty batch, shape {p.shape}")


def _check_labels(p, labels, where):
    """Integer class labels (N,) in [0, C) for y_pred (N, C); returns them as int."""
    _check_2d(p, where)
    n, c = p.shape
    y = np.asarray(labels)
    if y.shape == p.shape:
        raise ValueError(f"{where} expects integer labels of shape ({n},), got one-hot-like shape "
                         f"{y.shape}; use labels.argmax(axis=1) or categorical_cross_entropy")
    if y.shape != (n,):
        raise ValueError(f"{where} expects labels of shape ({n},) for y_pred {p.shape}, got "
                         f"shape {y.shape}" + ("; use labels.ravel()" if y.size == n else ""))
    if y.dtype.kind == "f":
        non_int = y[y != np.round(y)]
        if non_int.size:
            raise ValueError(
                f"{where}: labels must be integers (class indices), got {non_int[0].item()}")
    elif y.dtype.kind not in "biu":
        raise ValueError(f"{where}: labels must be integers (class indices), got dtype {y.dtype}")
    bad = y[(y < 0) | (y >= c)]
    if bad.size:
        raise ValueError(f"{where}: labels must be in [0, C) = [0, {c}), got {bad[0].item()}")
    return y.astype(np.intp)


class CategoricalLoss(Loss):
    """Base for losses on y_pred (N, C) and one-hot (or soft) y_true (N, C)."""

    def _check(self, y_pred, y_true):
        p, t = super()._check(y_pred, y_true)
        _check_2d(p, self.name)
        return p, t

    def _shape_hint(self, p, t):
        if t.shape == p.shape[:1]:
            return ("y_true looks like integer labels (N,): one-hot encode it, or use "
                    "sparse_categorical_cross_entropy / softmax_cross_entropy")
        return f"Expected y_true of shape {p.shape} (one-hot)."


class CategoricalCrossEntropy(CategoricalLoss):
    """Categorical cross-entropy on probabilities p (N, C), one-hot y (N, C):

        L = -(1/N) sum_i sum_c y_ic log(p_ic),  p clipped below at 1e-12

    Gradient: -y / (p N). Soft labels (rows of y summing to 1) work too.
    When to use it: multi-class classification after a softmax layer; with a
    linear last layer prefer softmax_cross_entropy (stable, simpler gradient).
    """

    name = "categorical_cross_entropy"
    probs_hint = "softmax_cross_entropy"

    def _value(self, p, t):
        return -np.sum(t * np.log(np.maximum(p, P_CLIP))) / p.shape[0]

    def _grad(self, p, t):
        return -t / np.maximum(p, P_CLIP) / p.shape[0]


class SparseCategoricalCrossEntropy(Loss):
    """Cross-entropy on probabilities p (N, C) with integer labels y (N,):

        L = -(1/N) sum_i log(p_i,y_i),  p clipped below at 1e-12

    Same as torch.nn.NLLLoss on log(p). Gradient: -1 / (p_i,y_i N) at the label
    entry of each row, 0 elsewhere.
    When to use it: like categorical_cross_entropy, without one-hot encoding.
    """

    name = "sparse_categorical_cross_entropy"
    labels = True
    probs_hint = "softmax_cross_entropy"

    def _value(self, p, y):
        return -np.mean(np.log(np.maximum(p[np.arange(len(y)), y], P_CLIP)))

    def _grad(self, p, y):
        dp = np.zeros_like(p)
        rows = np.arange(len(y))
        dp[rows, y] = -1 / np.maximum(p[rows, y], P_CLIP) / len(y)
        return dp


class SoftmaxCrossEntropy(Loss):
    """Cross-entropy on logits z (N, C) with integer labels y (N,)
    (torch.nn.CrossEntropyLoss):

        L = -(1/N) sum_i log_softmax(z_i)_y_i

    computed with log_softmax, so finite for logits of any size.
    Gradient: (softmax(z) - onehot(y)) / N.
    When to use it: multi-class classification with a linear last layer; the
    standard choice.
    """

    name = "softmax_cross_entropy"
    labels = True

    def _value(self, z, y):
        return -np.mean(log_softmax(z)[np.arange(len(y)), y])

    def _grad(self, z, y):
        dz = softmax(z)
        dz[np.arange(len(y)), y] -= 1
        return dz / len(y)


def _signed_labels(t, where):
    """Keras convention: labels given as {0, 1} become {-1, 1} (t -> 2 t - 1)."""
    values = set(np.unique(t).tolist())
    if values <= {0.0, 1.0}:
        return 2 * t - 1
    if values <= {-1.0, 1.0}:
        return t
    raise ValueError(f"{where}: y_true must be all in {{-1, 1}} or all in {{0, 1}}, "
                     f"got values {sorted(values)[:5]}")


class Hinge(Loss):
    """Hinge loss (Keras), y_true in {-1, 1} ({0, 1} is converted to {-1, 1} as Keras does):

        L = mean(max(0, 1 - y y_pred))

    Gradient: -y / n where the margin y y_pred < 1, else 0 (0 at the kink).
    When to use it: binary max-margin (SVM-style) classification, y_pred a raw score.
    """

    name = "hinge"

    def _check(self, y_pred, y_true):
        p, t = super()._check(y_pred, y_true)
        return p, _signed_labels(t, self.name)

    def _value(self, p, t):
        return np.mean(np.maximum(0, 1 - t * p))

    def _grad(self, p, t):
        return -t * (1 - t * p > 0) / p.size


class SquaredHinge(Hinge):
    """Squared hinge loss (Keras), y_true in {-1, 1} (or {0, 1}, converted):

        L = mean(max(0, 1 - y y_pred)^2)

    Gradient: -2 y max(0, 1 - y y_pred) / n (smooth: no kink).
    When to use it: like hinge, with a smooth gradient that punishes large violations more.
    """

    name = "squared_hinge"

    def _value(self, p, t):
        return np.mean(np.maximum(0, 1 - t * p) ** 2)

    def _grad(self, p, t):
        return -2 * t * np.maximum(0, 1 - t * p) / p.size


class CategoricalHinge(CategoricalLoss):
    """Categorical hinge (Keras), scores s = y_pred (N, C), one-hot y (N, C):

        pos_i = sum_c y_ic s_ic,  neg_i = max_c (1 - y_ic) s_ic
        L = mean_i max(0, neg_i - pos_i + 1)

    (Keras's max includes the true class with (1 - y) s = 0, so neg_i >= 0.)
    Gradient, for rows with a positive loss: -y_i, plus (1 - y_ij) at the
    arg-max j of neg_i; divided by N. 0 at the kink.
    When to use it: multi-class max-margin classification.
    """

    name = "categorical_hinge"

    def _value(self, s, t):
        pos = np.sum(t * s, axis=1)
        neg = np.max((1 - t) * s, axis=1)
        return np.mean(np.maximum(0, neg - pos + 1))

    def _grad(self, s, t):
        n = s.shape[0]
        masked = (1 - t) * s
        j = np.argmax(masked, axis=1)
        active = (masked[np.arange(n), j] - np.sum(t * s, axis=1) + 1) > 0
        ds = -t.copy()
        ds[np.arange(n), j] += 1 - t[np.arange(n), j]
        return ds * active[:, None] / n


mse = MSE()
mae = MAE()
huber = Huber()
msle = MSLE()
mape = MAPE()
binary_cross_entropy = BinaryCrossEntropy()
bce_with_logits = BCEWithLogits()
categorical_cross_entropy = CategoricalCrossEntropy()
sparse_categorical_cross_entropy = SparseCategoricalCrossEntropy()
softmax_cross_entropy = SoftmaxCrossEntropy()
hinge = Hinge()
squared_hinge = SquaredHinge()
categorical_hinge = CategoricalHinge()

LOSSES = {
    f.name: f
    for f in (mse, mae, huber, msle, mape, binary_cross_entropy, bce_with_logits,
              categorical_cross_entropy, sparse_categorical_cross_entropy,
              softmax_cross_entropy, hinge, squared_hinge, categorical_hinge)
}


def get(name):
    """Return the loss called ``name`` (case-insensitive), e.g. get("MSE").

    A loss object is returned unchanged (so ``get(Huber(delta=0.5))`` works).
    An unknown name raises ValueError listing the valid ones.
    """
    return lookup(LOSSES, name, "loss")
