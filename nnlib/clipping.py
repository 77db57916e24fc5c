"""Gradient clipping (chapter 06): keep one bad step from wrecking training.

Both functions change the gradient arrays in place, as torch.nn.utils does,
and are also available from nnlib.optim.
"""

from collections.abc import Mapping

import numpy as np


def _check_range(where, name, value):
    value = float(value)
    if not value >= 0:  # inf is allowed (no clipping); NaN is not
        raise ValueError(f"{where}: {name} must be >= 0, got {value}")
    return value


def _grad_arrays(grads, where):
    arrays = list(grads.values()) if isinstance(grads, Mapping) else list(grads)
    for g in arrays:
        if not (isinstance(g, np.ndarray) and g.dtype.kind == "f"):
            raise TypeError(f"{where} scales gradients in place: each must be a float "
                            f"ndarray, got {type(g).__name__}")
    return arrays


def clip_grad_norm(grads, max_norm):
    """Scale all gradients together so that their global L2 norm is at most max_norm.

        total_norm = sqrt(sum over every array g and every entry of g^2)
        clip_coef = max_norm / (total_norm + 1e-6)
        if clip_coef < 1:  g = g * clip_coef   for every g (in place)

    One norm over all arrays, not one per array, so the direction of the whole
    gradient is kept (chapter 06). Same as torch.nn.utils.clip_grad_norm_.

    Args:
        grads: dict name -> float ndarray (any shapes), or a list of arrays.
        max_norm: the largest allowed global norm, >= 0.
    Returns:
        total_norm: float, the global norm BEFORE clipping.
    """
    max_norm = _check_range("clip_grad_norm", "max_norm", max_norm)
    arrays = _grad_arrays(grads, "clip_grad_norm")
    if not arrays:
        return 0.0
    total_norm = float(np.linalg.norm([np.linalg.norm(g.ravel()) for g in arrays]))
    clip_coef = max_norm / (total_norm + 1e-6)
    if clip_coef < 1:
        for g in arrays:
            g *= clip_coef
    return total_norm


def clip_grad_value(grads, clip_value):
    """Clip every gradient entry to [-clip_value, clip_value], in place.

    Each entry on its own, so the direction of the gradient can change
    (unlike clip_grad_norm). Same as torch.nn.utils.clip_grad_value_.

    Args:
        grads: dict name -> float ndarray (any shapes), or a list of arrays.
        clip_value: >= 0.
    """
    clip_value = _check_range("clip_grad_value", "clip_value", clip_value)
    for g in _grad_arrays(grads, "clip_grad_value"):
        np.clip(g, -clip_value, clip_value, out=g)
