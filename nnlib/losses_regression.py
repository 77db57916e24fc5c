"""Regression losses: MSE, MAE, Huber, MSLE, MAPE (chapter 03 explains them).

Elementwise: y_pred and y_true of the same shape, any shape ((N,), (N, 1),
(N, D)); the mean runs over all n = y_pred.size entries and the gradient includes
the 1/n. The shared contract is stated in ``nnlib.losses``.
"""

import numpy as np

from nnlib.losses_base import Loss

MAPE_EPS = 1e-7  # Keras's epsilon: MAPE divides by max(|y_true|, MAPE_EPS)


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



mse = MSE()
mae = MAE()
huber = Huber()
msle = MSLE()
mape = MAPE()
