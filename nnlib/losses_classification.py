"""Classification losses: binary, categorical and softmax cross-entropy, hinge (chapter 03).

Binary losses are elementwise on p (or logits) and y of the same shape; class
losses take y_pred (N, C) and one-hot y_true (N, C) or integer labels (N,) in
[0, C), the mean running over the N rows. The shared contract is stated in
``nnlib.losses``.
"""

import numpy as np

from nnlib.activations import log_softmax, sigmoid, softmax
from nnlib.losses_base import Loss, P_CLIP, check_2d

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



class CategoricalLoss(Loss):
    """Base for losses on y_pred (N, C) and one-hot (or soft) y_true (N, C)."""

    def _check(self, y_pred, y_true):
        p, t = super()._check(y_pred, y_true)
        check_2d(p, self.name)
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



binary_cross_entropy = BinaryCrossEntropy()
bce_with_logits = BCEWithLogits()
categorical_cross_entropy = CategoricalCrossEntropy()
sparse_categorical_cross_entropy = SparseCategoricalCrossEntropy()
softmax_cross_entropy = SoftmaxCrossEntropy()
hinge = Hinge()
squared_hinge = SquaredHinge()
categorical_hinge = CategoricalHinge()
