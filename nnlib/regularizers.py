"""Weight penalties: L2 (ridge), L1 (lasso) and elastic net (chapter 05 explains them).

A penalty adds a term to the loss that grows with the size of the weights:

    L2:           R(W) = lam * sum w^2                 dR/dw = 2 * lam * w
    L1:           R(W) = lam * sum |w|                 dR/dw = lam * sign(w)   (0 at w = 0)
    elastic net:  R(W) = l1 * sum |w| + l2 * sum w^2   dR/dw = l1 * sign(w) + 2 * l2 * w

summed over every WEIGHT array, never over biases (or BatchNorm's gamma and beta):
a bias only shifts a unit, it adds no capacity worth penalising. Which parameters
are weights is decided by their name: ``is_weight(name)`` is True when the
parameter's own name (the part after the last ".") starts with "W" or "w", so
Dense's "W", RNN's "Wx" and "Wh", Sequential's "0.W" and a plain {"w": w} count;
"b", "gamma", "beta" do not. Pass ``select=`` to choose differently.

Conventions differ between sources: this course (and Keras's ``l2(lam)``) has no
1/2 in front of the L2 sum; PyTorch's ``weight_decay=wd`` in SGD adds wd * w to
the gradient, which is the gradient of (wd / 2) * sum w^2, so SGD(weight_decay=2 * lam)
does what L2(lam) does. AdamW's decoupled weight decay is different again (chapter 04).

Usage with ``fit``: ``fit(..., penalty=L2(1e-3))`` adds the value to the loss and
the gradient to the weights' gradients before each step. ``L1(lam, proximal=True)``
(and ElasticNet) instead apply the proximal step after each optimizer step,

    w <- sign(w) * max(|w| - lr * l1, 0)       (soft-thresholding; then / (1 + 2 lr l2))

which sets small weights to EXACTLY zero, where the plain (sub)gradient lam * sign(w)
only makes them hover around zero. The proximal step is exact for plain SGD.
"""

import numpy as np

from nnlib.validation import as_float_array


def is_weight(name):
    """True for weight parameters ("W", "0.W", "Wx", "w"), False for "b", "gamma", ..."""
    return str(name).rsplit(".", 1)[-1][:1] in ("W", "w")


class Penalty:
    """Base class: a penalty on the weight arrays of a params dict.

    Subclasses define ``_value(w) -> float`` and ``_grad(w) -> array`` for one array.

    Args:
        select: name -> bool, which parameters are penalised (default ``is_weight``).
        proximal: if True, ``fit`` calls ``prox`` after each step instead of adding
            ``grad`` to the gradients (subclasses that support it).
    """

    proximal = False

    def __init__(self, select=is_weight):
        self.select = select

    def weights(self, params):
        """The penalised entries of ``params``: dict name -> array."""
        if not isinstance(params, dict):
            raise TypeError(f"{type(self).__name__} expects a dict name -> array "
                            f"(model.params()), got {type(params).__name__}")
        return {k: as_float_array(v, k, type(self).__name__) for k, v in params.items() if self.select(k)}

    def __call__(self, params):
        """The penalty value R (a float) for a params dict {name: array}."""
        return float(sum(self._value(w) for w in self.weights(params).values()))

    value = __call__

    def grad(self, params):
        """dR/dw for each penalised array: dict name -> array of its shape
        (names that are not penalised are left out)."""
        return {k: self._grad(w) for k, w in self.weights(params).items()}

    def prox(self, params, lr):
        """Proximal step with step size ``lr``, in place (only for proximal penalties)."""
        raise NotImplementedError(f"{type(self).__name__} has no proximal step")


def _check_lam(lam, name, where):
    lam = float(lam)
    if not lam >= 0:
        raise ValueError(f"{where}: {name} must be >= 0, got {lam}")
    return lam


class L2(Penalty):
    """Ridge: R = lam * sum w^2 over the weights; dR/dw = 2 lam w (it shrinks every weight)."""

    def __init__(self, lam, select=is_weight):
        super().__init__(select)
        self.lam = _check_lam(lam, "lam", "L2")

    def _value(self, w):
        return self.lam * np.sum(w * w)

    def _grad(self, w):
        return 2.0 * self.lam * w

    def __repr__(self):
        return f"L2(lam={self.lam:g})"


class ElasticNet(Penalty):
    """R = l1 * sum |w| + l2 * sum w^2; dR/dw = l1 sign(w) + 2 l2 w (sign(0) = 0).

    Args:
        l1, l2: the two strengths, >= 0 (L1(lam) is ElasticNet(lam, 0)).
        proximal: apply the L1 part as a proximal step in ``fit`` (exact zeros).
    """

    def __init__(self, l1, l2, proximal=False, select=is_weight):
        super().__init__(select)
        self.l1 = _check_lam(l1, "l1", type(self).__name__)
        self.l2 = _check_lam(l2, "l2", type(self).__name__)
        self.proximal = bool(proximal)

    def _value(self, w):
        return self.l1 * np.sum(np.abs(w)) + self.l2 * np.sum(w * w)

    def _grad(self, w):
        return self.l1 * np.sign(w) + 2.0 * self.l2 * w

    def prox(self, params, lr):
        """w <- sign(w) max(|w| - lr l1, 0) / (1 + 2 lr l2) for every penalised array, in place.

        This is the exact minimiser of R(v) + |v - w|^2 / (2 lr): one proximal
        gradient (ISTA) step when it follows a plain gradient step on the data loss.
        """
        lr = float(lr)
        for w in self.weights(params).values():
            shrunk = np.sign(w) * np.maximum(np.abs(w) - lr * self.l1, 0.0) / (1.0 + 2.0 * lr * self.l2)
            w[...] = shrunk

    def __repr__(self):
        extra = ", proximal=True" if self.proximal else ""
        return f"ElasticNet(l1={self.l1:g}, l2={self.l2:g}{extra})"


class L1(ElasticNet):
    """Lasso: R = lam * sum |w| over the weights; dR/dw = lam sign(w) (0 at w = 0, as in PyTorch).

    The gradient has the same size for every weight, however small: it pushes small
    weights all the way to zero (with ``proximal=True``, exactly to zero).
    """

    def __init__(self, lam, proximal=False, select=is_weight):
        super().__init__(lam, 0.0, proximal=proximal, select=select)
        self.lam = self.l1

    def __repr__(self):
        extra = ", proximal=True" if self.proximal else ""
        return f"L1(lam={self.lam:g}{extra})"


def get(name, lam, **kwargs):
    """A penalty by name: get("l2", 1e-3), get("l1", 1e-3), get("elastic_net", 1e-3) (half L1, half L2)."""
    key = str(name).lower().replace("-", "_").replace(" ", "_")
    if key == "l2":
        return L2(lam, **kwargs)
    if key == "l1":
        return L1(lam, **kwargs)
    if key in ("elastic_net", "elasticnet"):
        return ElasticNet(lam / 2, lam / 2, **kwargs)
    raise ValueError(f"unknown penalty {name!r}; valid names: elastic_net, l1, l2")
