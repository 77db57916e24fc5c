"""Single neurons, from the 1943 threshold unit to the sigmoid neuron (chapter 01).

Three neurons, each one step closer to the units of a modern network. They
share one interface, stated once:

    neuron.fit(X, y) -> neuron      learn from X (N, D) and labels y (N,) in {0, 1}
    neuron.predict(X) -> y_hat      (N,) int64 in {0, 1}

==================  =========================================  =====================
neuron              output for one input x (D,)                how it learns
==================  =========================================  =====================
``MPNeuron``        1 if sum(x) >= threshold else 0 (x binary)  brute force over the
                                                                integer thresholds
``Perceptron``      1 if w . x + b >= 0 else 0                  the perceptron rule
``SigmoidNeuron``   p = sigmoid(w . x + b), 1 if p >= 0.5       gradient descent on BCE
==================  =========================================  =====================

The plain functions ``mp_neuron``, ``find_threshold``, ``perceptron_step`` and
``perceptron_fit`` are the pieces the chapter's exercises ask for, written out
once here (the grader compares your versions with them).

Symbols as in the notebook: ``w`` (D,) weights, ``b`` the bias (a float),
``lr`` the learning rate (eta in the notebook), ``y_hat`` the prediction.
Inputs are checked (shape (N, D), labels in {0, 1}, binary inputs for the MP
neuron) and computed in float64: these neurons are small, exactness matters more.
"""

import numpy as np

from nnlib.activations import sigmoid
from nnlib.validation import as_float_array, check_rng


# -- input checks ---------------------------------------------------------------
def _check_X(X, where, n_features=None):
    """X as a float64 (N, D) array with N >= 1, finite; D must match n_features if given."""
    X = np.asarray(as_float_array(X, "X", where), dtype=np.float64)
    if X.ndim != 2:
        hint = " (one sample? use X.reshape(1, -1))" if X.ndim == 1 else ""
        raise ValueError(f"{where} expects X of shape (N, D), got shape {X.shape}{hint}")
    if X.shape[0] == 0:
        raise ValueError(f"{where} expects at least one sample, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{where}: X must be finite, got {X[~np.isfinite(X)][0]}")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{where} expects X with {n_features} features (as in fit), "
                         f"got shape {X.shape}")
    return X


def _check_binary(X, where):
    """Raise ValueError unless every entry of X is 0 or 1, naming the bad values."""
    bad = (X != 0) & (X != 1)
    if np.any(bad):
        values = ", ".join(f"{v:g}" for v in np.unique(X[bad])[:5])
        raise ValueError(f"{where} takes binary inputs (0 or 1), got {values}")


def _check_y(y, n, where):
    """y as an int64 (N,) array of labels in {0, 1}."""
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"{where} expects y of shape ({n},) (one label per row of X), "
                         f"got shape {y.shape}")
    if y.dtype.kind not in "biuf":
        raise TypeError(f"{where}: y must hold numbers 0 and 1, got dtype {y.dtype}")
    bad = (y != 0) & (y != 1)
    if np.any(bad):
        values = ", ".join(f"{v:g}" for v in np.unique(y[bad].astype(np.float64))[:5])
        raise ValueError(f"{where} expects labels y in {{0, 1}}, got {values}")
    return y.astype(np.int64)


def _check_positive(value, name, where):
    if not (np.isscalar(value) and np.isreal(value) and value > 0):
        raise ValueError(f"{where}: {name} must be a positive number, got {value!r}")
    return value


# -- the McCulloch-Pitts neuron ---------------------------------------------------
def mp_neuron(X, threshold):
    """McCulloch-Pitts neuron: fire (1) when at least ``threshold`` inputs are on.

        y_hat_n = 1 if sum_d X[n, d] >= threshold else 0

    Args:
        X: (N, D) binary inputs (0 or 1; bool, int or float).
        threshold: a number; threshold 0 always fires, D + 1 never does.
    Returns:
        y_hat: (N,) int64 in {0, 1}.
    """
    X = _check_X(X, "mp_neuron")
    _check_binary(X, "mp_neuron")
    return (X.sum(axis=1) >= threshold).astype(np.int64)


def threshold_errors(X, y):
    """Number of wrong rows for every integer threshold 0, 1, ..., D + 1.

    Args:
        X: (N, D) binary inputs.  y: (N,) target labels in {0, 1}.
    Returns:
        errors: (D + 2,) int64; errors[t] = number of n with mp_neuron(X, t)[n] != y[n].
    """
    X = _check_X(X, "threshold_errors")
    _check_binary(X, "threshold_errors")
    y = _check_y(y, X.shape[0], "threshold_errors")
    s = X.sum(axis=1)
    thresholds = np.arange(X.shape[1] + 2)
    fires = s[None, :] >= thresholds[:, None]  # (D + 2, N)
    return (fires != y[None, :].astype(bool)).sum(axis=1).astype(np.int64)


def find_threshold(X, y):
    """The smallest integer threshold with which ``mp_neuron`` reproduces y, or None.

    Brute force over 0, 1, ..., D + 1. These cover every behaviour an MP neuron
    can have on binary inputs: the sum is a whole number in 0..D, so a threshold
    of 1.5 acts exactly as 2, and anything above D acts as D + 1 (never fires).
    None means no threshold works: y is not "at least t inputs on" for any t
    (XOR, NAND: turning an input on must never switch an MP neuron off).

    Args:
        X: (N, D) binary inputs.  y: (N,) labels in {0, 1}.
    Returns:
        int in 0..D+1, or None.
    """
    errors = threshold_errors(X, y)
    exact = np.flatnonzero(errors == 0)
    return int(exact[0]) if exact.size else None


class MPNeuron:
    """McCulloch and Pitts (1943): binary inputs, all weights 1, a threshold.

        y_hat = 1 if x_1 + ... + x_D >= threshold else 0

    ``fit`` does not *learn* in the modern sense: it tries every integer
    threshold 0..D+1 and keeps the smallest that reproduces y. When none does
    it raises ValueError (the function is not computable by one MP neuron);
    call ``find_threshold`` for a None instead of an error.

    Attributes:
        threshold: a number, or None before fit.
        errors_: (D + 2,) wrong rows per threshold, set by fit.
    """

    def __init__(self, threshold=None):
        self.threshold = threshold

    def fit(self, X, y):
        """Set ``threshold`` to the smallest integer that reproduces y; returns self."""
        self.errors_ = threshold_errors(X, y)
        exact = np.flatnonzero(self.errors_ == 0)
        if exact.size == 0:
            best = int(np.argmin(self.errors_))
            raise ValueError(
                "MPNeuron.fit: no threshold reproduces y (one MP neuron cannot compute "
                f"this function); the best, threshold {best}, gets "
                f"{self.errors_[best]} of {len(y)} rows wrong")
        self.threshold = int(exact[0])
        return self

    def predict(self, X):
        """X (N, D) binary -> y_hat (N,) int64: 1 where the row sum >= threshold."""
        if self.threshold is None:
            raise RuntimeError("MPNeuron.predict: set a threshold first "
                               "(MPNeuron(threshold=2)) or call fit(X, y)")
        return mp_neuron(X, self.threshold)

    def __repr__(self):
        return f"MPNeuron(threshold={self.threshold!r})"


# -- the perceptron -----------------------------------------------------------------
def step(z):
    """The perceptron's activation: 1 where z >= 0, else 0 (int64, same shape as z)."""
    return (np.asarray(z) >= 0).astype(np.int64)


def perceptron_step(w, b, x, y, lr):
    """One step of the perceptron rule on one sample; returns a *new* (w, b).

        y_hat = 1 if w . x + b >= 0 else 0
        w <- w - lr (y_hat - y) x
        b <- b - lr (y_hat - y)

    A right answer (y_hat == y) leaves w and b unchanged; a false 1 moves the
    line away from x, a missed 1 moves it towards x. ``w`` is not modified.

    Args:
        w: (D,) weights.  b: bias (float).  x: (D,) one sample.
        y: its label, 0 or 1.  lr: learning rate > 0.
    Returns:
        (w_new (D,) float64, b_new float).
    """
    w = np.asarray(w, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    error = int(w @ x + b >= 0) - y  # y_hat - y, in {-1, 0, 1}
    return w - lr * error * x, float(b - lr * error)


class Perceptron:
    """Rosenblatt's perceptron (1958): a learned line with a step activation.

        y_hat = 1 if w . x + b >= 0 else 0

    Training (``fit``) starts from w = 0, b = 0 (or ``w0``, ``b0``) and visits
    the samples one by one, in the given order each epoch (``shuffle=True``:
    a new order each epoch, drawn from ``rng``), applying ``perceptron_step``.
    It stops after the first epoch without a mistake, or after ``epochs``.

    If the classes are linearly separable this stops after finitely many
    mistakes (Novikoff, 1962); if not (XOR), the line never settles.
    Starting from zero, ``lr`` only scales w and b, so every line drawn on the
    way is the same whatever lr is.

    Args:
        lr: learning rate > 0.  epochs: maximum number of passes over the data.
        shuffle: visit the samples in a random order each epoch (needs ``rng``).
        rng: numpy Generator, used only when shuffle is True.

    Attributes after fit (S = number of sample steps taken):
        w: (D,) float64, b: float.
        errors_: list, mistakes made in each epoch (the last is 0 if converged).
        converged_: True when an epoch made no mistake.
        w_history_: (S + 1, D) weights before any step and after each step.
        b_history_: (S + 1,) biases likewise.
        order_: (S,) int64, the sample visited at each step.
    """

    def __init__(self, lr=1.0, epochs=100, shuffle=False, rng=None):
        self.lr = _check_positive(lr, "lr", "Perceptron")
        if not (isinstance(epochs, (int, np.integer)) and epochs >= 1):
            raise ValueError(f"Perceptron: epochs must be a positive integer, got {epochs!r}")
        self.epochs = int(epochs)
        self.shuffle = shuffle
        if shuffle:
            check_rng(rng, "Perceptron(shuffle=True)")
        self.rng = rng
        self.w, self.b = None, 0.0

    def fit(self, X, y, w0=None, b0=0.0):
        """Train with the perceptron rule; returns self. X (N, D), y (N,) in {0, 1}.

        w0 (D,), b0: the starting weights and bias (default zeros).
        """
        X = _check_X(X, "Perceptron.fit")
        n, d = X.shape
        y = _check_y(y, n, "Perceptron.fit")
        w = np.zeros(d) if w0 is None else np.array(w0, dtype=np.float64).reshape(d)
        b = float(b0)
        ws, bs, order = [w], [b], []
        self.errors_ = []
        for _ in range(self.epochs):
            visit = self.rng.permutation(n) if self.shuffle else np.arange(n)
            mistakes = 0
            for i in visit:
                mistakes += int(step(X[i] @ w + b) != y[i])
                w, b = perceptron_step(w, b, X[i], y[i], self.lr)
                ws.append(w)
                bs.append(b)
                order.append(i)
            self.errors_.append(mistakes)
            if mistakes == 0:
                break
        self.w, self.b = w, b
        self.converged_ = self.errors_[-1] == 0
        self.w_history_, self.b_history_ = np.array(ws), np.array(bs)
        self.order_ = np.array(order, dtype=np.int64)
        return self

    def decision_function(self, X):
        """z = X @ w + b: (N,) float64, the signed score (>= 0 means class 1)."""
        if self.w is None:
            raise RuntimeError("Perceptron: call fit(X, y) first")
        X = _check_X(X, "Perceptron.predict", n_features=len(self.w))
        return X @ self.w + self.b

    def predict(self, X):
        """X (N, D) -> y_hat (N,) int64: step(X @ w + b)."""
        return step(self.decision_function(X))

    def __repr__(self):
        return f"Perceptron(lr={self.lr}, epochs={self.epochs}, shuffle={self.shuffle})"


def perceptron_fit(X, y, lr=1.0, epochs=100):
    """Train a perceptron from w = 0, b = 0, samples in the given order; return (w, b).

    The same as ``Perceptron(lr, epochs).fit(X, y)``: at most ``epochs`` passes,
    stopping after the first pass without a mistake (stopping there does not
    change the result: a pass without mistakes changes nothing).

    Args:
        X: (N, D) inputs.  y: (N,) labels in {0, 1}.  lr: learning rate > 0.
        epochs: maximum number of passes, >= 1.
    Returns:
        (w (D,) float64, b float).
    """
    p = Perceptron(lr=lr, epochs=epochs).fit(X, y)
    return p.w, p.b


# -- the sigmoid neuron ---------------------------------------------------------------
class SigmoidNeuron:
    """A smooth neuron: p = sigmoid(w . x + b), trained by gradient descent on BCE.

    This is logistic regression, and the unit a modern network is built from.
    For X (N, D) and labels y (N,) in {0, 1}:

        z = X @ w + b                                   (N,)
        p = sigmoid(z) = 1 / (1 + exp(-z))              (N,) the probability of class 1
        L = -mean(y log p + (1 - y) log(1 - p))         binary cross-entropy
        dL/dw = X.T @ (p - y) / N                       (D,)
        dL/db = mean(p - y)
        w <- w - lr dL/dw,   b <- b - lr dL/db          one full-batch step per epoch

    L is computed from z (``log(1 + exp(z))`` done stably), so it stays finite
    even when p rounds to exactly 0 or 1. Training starts from w = 0, b = 0 (the
    loss is convex, so the start does not decide where it ends).

    Args:
        lr: learning rate > 0.  epochs: number of gradient steps.

    Attributes after fit:
        w: (D,) float64, b: float.
        loss_history_: (epochs + 1,) the loss before training and after each step.
    """

    def __init__(self, lr=0.5, epochs=500):
        self.lr = _check_positive(lr, "lr", "SigmoidNeuron")
        if not (isinstance(epochs, (int, np.integer)) and epochs >= 0):
            raise ValueError(f"SigmoidNeuron: epochs must be an integer >= 0, got {epochs!r}")
        self.epochs = int(epochs)
        self.w, self.b = None, 0.0

    @staticmethod
    def _loss(z, y):
        # -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))] = log(1 + exp(z)) - y z
        return float(np.mean(np.logaddexp(0.0, z) - y * z))

    def loss(self, X, y):
        """Mean binary cross-entropy of the current (w, b) on X (N, D), y (N,)."""
        X = self._checked(X, "SigmoidNeuron.loss")
        y = _check_y(y, X.shape[0], "SigmoidNeuron.loss")
        return self._loss(X @ self.w + self.b, y)

    def gradients(self, X, y):
        """(dw (D,), db float): the gradient of ``loss(X, y)`` at the current (w, b)."""
        X = self._checked(X, "SigmoidNeuron.gradients")
        y = _check_y(y, X.shape[0], "SigmoidNeuron.gradients")
        delta = sigmoid(X @ self.w + self.b) - y  # dL/dz times N: p - y
        return X.T @ delta / len(y), float(np.mean(delta))

    def fit(self, X, y):
        """Run ``epochs`` full-batch gradient steps from zeros; returns self."""
        X = _check_X(X, "SigmoidNeuron.fit")
        y = _check_y(y, X.shape[0], "SigmoidNeuron.fit")
        self.w, self.b = np.zeros(X.shape[1]), 0.0
        history = [self._loss(X @ self.w + self.b, y)]
        for _ in range(self.epochs):
            dw, db = self.gradients(X, y)
            self.w = self.w - self.lr * dw
            self.b = self.b - self.lr * db
            history.append(self._loss(X @ self.w + self.b, y))
        self.loss_history_ = np.array(history)
        return self

    def _checked(self, X, where):
        if self.w is None:
            raise RuntimeError(f"{where}: call fit(X, y) first (or set w and b)")
        return _check_X(X, where, n_features=len(self.w))

    def predict_proba(self, X):
        """X (N, D) -> p (N,) float64 in (0, 1): sigmoid(X @ w + b)."""
        X = self._checked(X, "SigmoidNeuron.predict_proba")
        return sigmoid(X @ self.w + self.b)

    def predict(self, X):
        """X (N, D) -> y_hat (N,) int64: 1 where p >= 0.5 (that is, where z >= 0)."""
        return (self.predict_proba(X) >= 0.5).astype(np.int64)

    def __repr__(self):
        return f"SigmoidNeuron(lr={self.lr}, epochs={self.epochs})"
