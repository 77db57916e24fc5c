"""The shared machinery of nnlib's optimizers (chapter 04): the Optimizer base class and
argument checks. The optimizers themselves are in optim.py (SGD), optim_adaptive.py
(Adagrad, Adadelta, RMSprop) and optim_adam.py (Adam, AdamW, NAdam); import them from
nnlib.optim.
"""

import math
from collections.abc import Mapping

import numpy as np


def _check_range(where, name, value, low=0.0, high=math.inf, high_open=False):
    value = float(value)
    if not (low <= value and (value < high if high_open else value <= high)):
        upper = f" and < {high:g}" if high_open else (f" and <= {high:g}" if high < math.inf else "")
        raise ValueError(f"{where}: {name} must be >= {low:g}{upper}, got {value}")
    return value


def _check_betas(where, betas):
    b1, b2 = betas
    return (_check_range(where, "betas[0]", b1, high=1.0, high_open=True),
            _check_range(where, "betas[1]", b2, high=1.0, high_open=True))


def _buffer(state, key, w, fill=0.0):
    # Buffers are created on first use, with the param's shape and dtype.
    if key not in state:
        state[key] = np.full_like(w, fill)
    return state[key]


class Optimizer:
    """Base class: input checks, per-name state and the loop over parameters.

    A subclass sets its hyperparameters and defines ``_update(w, g, state, lr)``,
    which changes ``w`` in place; ``state["step"]`` is already t for this step.
    """

    def __init__(self, lr):
        self.lr = _check_range(type(self).__name__, "lr", lr)
        self.state = {}

    def reset(self):
        """Forget every buffer and step count."""
        self.state.clear()

    def step(self, params, grads):
        """One update of every array in ``params`` (in place) from ``grads``.

        Args:
            params: dict name -> float ndarray of any shape, e.g. W (D_in, D_out).
            grads: dict with the same keys; grads[name] has the shape of params[name].
        """
        where = f"{type(self).__name__}.step"
        pairs = self._check(params, grads, where)  # all checks before any update
        lr = float(self.lr)
        for key, w, g in pairs:
            state = self.state.setdefault(key, {"step": 0})
            state["step"] += 1
            self._update(w, g, state, lr)

    def _check(self, params, grads, where):
        for what, d in (("params", params), ("grads", grads)):
            if not isinstance(d, Mapping):
                raise TypeError(f"{where}: {what} must be a dict name -> array, "
                                f"e.g. {{'w': w}}; got {type(d).__name__}")
        extra = sorted(set(grads) - set(params))
        if extra:
            raise ValueError(f"{where}: grads has keys with no parameter: {extra}")
        pairs = []
        for key, w in params.items():
            if not (isinstance(w, np.ndarray) and w.dtype.kind == "f" and w.ndim > 0):
                got = (f"a {w.ndim}-D {w.dtype} array" if isinstance(w, np.ndarray)
                       else type(w).__name__)
                raise TypeError(
                    f"{where}: parameter {key!r} must be a float ndarray with at least one "
                    f"dimension (it is updated in place), got {got}; "
                    f"use e.g. w = np.array([2.0])")
            if key not in grads:
                raise ValueError(f"{where}: no gradient for parameter {key!r} "
                                 f"(grads has keys {sorted(grads)})")
            g = np.asarray(grads[key])
            if g.shape != w.shape:
                raise ValueError(f"{where}: gradient for {key!r} has shape {g.shape}, "
                                 f"but the parameter has shape {w.shape}")
            old = [b.shape for b in self.state.get(key, {}).values() if isinstance(b, np.ndarray)]
            if old and old[0] != w.shape:
                raise ValueError(f"{where}: the state of {key!r} was built for shape {old[0]}, "
                                 f"the parameter now has shape {w.shape}; call opt.reset()")
            pairs.append((key, w, g.astype(w.dtype, copy=False)))
        return pairs

    def _update(self, w, g, state, lr):
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k != "state")
        return f"{type(self).__name__}({args})"
