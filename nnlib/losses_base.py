"""The Loss base class and the input checks every loss shares (chapter 03 explains losses).

Every loss is a ``Loss``: ``loss(y_pred, y_true) -> float`` (the mean over the
batch), ``loss.grad(y_pred, y_true) -> dy_pred`` (shape of y_pred) and
``loss.name``; a subclass defines ``_value(p, t)`` and ``_grad(p, t)`` side by
side. The full contract (shapes, n, dtypes) is stated in ``nnlib.losses``.
"""

import numpy as np

from nnlib.validation import as_float_array

P_CLIP = 1e-12  # probabilities are clipped to [P_CLIP, 1 - P_CLIP] before log


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
            check_range(p, "y_pred (probabilities)", self.name,
                         f"; for raw scores (logits) use {self.probs_hint}")
        if self.labels:
            return p, check_labels(p, y_true, self.name)
        t = as_float_array(y_true, "y_true", self.name)
        if p.shape != t.shape:
            hint = (f"Reshape one of them, e.g. y_true.reshape({p.shape}) or y_pred.ravel()"
                    if p.size == t.size else self._shape_hint(p, t))
            raise ValueError(f"{self.name}: y_pred and y_true must have the same shape, got "
                             f"{p.shape} and {t.shape} (no broadcasting). {hint}")
        if p.size == 0:
            raise ValueError(f"{self.name}: got an empty batch, shape {p.shape}")
        if self.targets_01:
            check_range(t, "y_true", self.name)
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


def check_range(x, what, where, hint=""):
    outside = ~((x >= 0) & (x <= 1))  # also catches nan
    if np.any(outside):
        raise ValueError(f"{where}: {what} must lie in [0, 1], got {x[outside].flat[0]}{hint}")



def check_2d(p, where, what="y_pred"):
    if p.ndim != 2:
        raise ValueError(f"{where} expects {what} of shape (N, C), got shape {p.shape}")
    if p.shape[0] == 0:
        raise ValueError(f"{where}: got an empty batch, shape {p.shape}")


def check_labels(p, labels, where):
    """Integer class labels (N,) in [0, C) for y_pred (N, C); returns them as int."""
    check_2d(p, where)
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
