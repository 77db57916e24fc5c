"""Gradient checking: compare an analytic gradient with central differences.

Chapter 03 explains it. The central difference

    df/dx_i  ~  (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)

has error O(eps^2). Compare with ``rel_error``:

    rel_error(a, b) = max |a - b| / max(|a| + |b|, tiny)      (elementwise, then max)

In float64 with eps = 1e-6 a correct gradient gives about 1e-7 or less (1e-9 is
typical); 1e-3 or more means a bug. In float32 expect only about 1e-3: use float64
for checking. Kinks (ReLU at 0) can give large errors at those points only.
"""

import numpy as np

from nnlib.validation import as_float_array


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of a scalar function.

    Args:
        f: callable taking an array shaped like ``x`` and returning a float.
        x: array of any shape (float64 recommended). Perturbed in place one entry
           at a time and always restored, so ``x`` is unchanged afterwards (this
           lets ``f`` close over an array such as a layer's ``W``).
        eps: step size.

    Returns:
        dx: array with the shape of ``x``, ``dx[i] ~ df/dx[i]``.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError("numerical_gradient needs a float ndarray x (it is perturbed in place)")
    dx = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        try:
            x[i] = old + eps
            f_plus = float(f(x))
            x[i] = old - eps
            f_minus = float(f(x))
        finally:
            x[i] = old
        dx[i] = (f_plus - f_minus) / (2 * eps)
    return dx


def rel_error(a, b):
    """Largest elementwise relative error ``|a - b| / (|a| + |b|)`` (0 where both are 0).

    Args:
        a, b: arrays of the same shape (or scalars).

    Returns:
        float: about 1e-7 or less for a correct float64 gradient.
    """
    a = as_float_array(a, "a", "rel_error").astype(np.float64)
    b = as_float_array(b, "b", "rel_error").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: shapes differ, {a.shape} and {b.shape}")
    denom = np.abs(a) + np.abs(b)
    num = np.abs(a - b)
    with np.errstate(invalid="ignore", divide="ignore"):
        err = np.where(denom > 1e-300, num / np.maximum(denom, 1e-300), 0.0)
    # Tiny gradients (both below 1e-10) are compared absolutely: relative error
    # of round-off noise says nothing.
    err = np.where(denom < 1e-10, num, err)
    return float(err.max()) if err.size else 0.0


def check_layer(layer, x, rng=None, training=True, eps=1e-6):
    """Gradient-check a layer (or a Sequential) that has forward/backward/params/grads.

    Uses the scalar loss L = sum(forward(x) * R) with a fixed random R, so
    dL/dout = R. Stochastic layers (Dropout) must draw the same mask on every
    forward call for the check to make sense; pass ``training=False`` or a layer
    whose rng is re-seeded by the caller.

    Args:
        layer: object with ``forward(x, training)``, ``backward(dout)`` and, if it
            has parameters, dicts ``params`` and ``grads`` (or methods
            ``params()``/``grads()`` for a Sequential).
        x: input array (float64), e.g. ``(N, D)`` or ``(N, T, D)``.
        rng: numpy Generator for R (default: seed 0).

    Returns:
        dict name -> relative error, with ``"x"`` for dL/dx and one entry per
        parameter; ``max(result.values())`` is the worst.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    x = np.array(x, dtype=np.float64)
    out = layer.forward(x, training=training)
    R = rng.standard_normal(out.shape)

    def loss_of_current():
        return float(np.sum(layer.forward(x, training=training) * R))

    layer.forward(x, training=training)
    dx = layer.backward(R)
    params = layer.params() if callable(getattr(layer, "params", None)) else getattr(layer, "params", {})
    grads = layer.grads() if callable(getattr(layer, "grads", None)) else getattr(layer, "grads", {})
    analytic = {name: np.array(g, copy=True) for name, g in grads.items()}

    errors = {"x": rel_error(dx, numerical_gradient(lambda _: loss_of_current(), x, eps))}
    for name, p in params.items():
        num = numerical_gradient(lambda _: loss_of_current(), p, eps)
        errors[name] = rel_error(analytic[name], num)
    return errors
