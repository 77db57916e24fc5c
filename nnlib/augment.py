"""Data augmentation: more training data from the data you have (chapter 05).

An augmentation is a change to an input that should NOT change its label: a
digit moved by one pixel is still the same digit, a point of the moons moved by
a little noise is still in its moon. Training on such variants teaches the
network to ignore them, which regularises it. Augment the training set only;
validation and test data stay as they are.

Shapes: X (N, D) rows are samples; images are stored flattened, row by row, as
``load_digits`` gives them: X (N, H*W) with ``image_shape = (H, W)`` = (8, 8).
Everything random takes ``rng`` (a numpy Generator).
"""

import numpy as np

from nnlib.validation import as_float_array, check_ndim, check_rng


def add_noise(X, std, rng, clip=None):
    """X + Gaussian noise N(0, std^2), drawn independently for every entry.

    Args:
        X: (N, D) inputs. std: noise standard deviation (>= 0). rng: numpy Generator.
        clip: optional (low, high) to keep the values in range, e.g. (0, 1) for pixels.
    Returns:
        (N, D) float array, a new array (X is not changed).
    """
    check_rng(rng, "add_noise")
    X = as_float_array(X, "X", "add_noise")
    if not float(std) >= 0:
        raise ValueError(f"add_noise: std must be >= 0, got {std}")
    out = X + rng.normal(0.0, float(std), size=X.shape).astype(X.dtype)
    return out if clip is None else np.clip(out, *clip)


def shift_image(image, dy, dx):
    """One image moved by (dy, dx) whole pixels, the uncovered border filled with 0.

    Args:
        image: (H, W). dy: rows down (negative: up). dx: columns right (negative: left).
    Returns:
        (H, W) new array; pixels moved past the edge are lost.
    """
    image = as_float_array(image, "image", "shift_image")
    check_ndim(image, 2, "image (H, W)", "shift_image")
    H, W = image.shape
    dy, dx = int(dy), int(dx)
    out = np.zeros_like(image)
    if abs(dy) >= H or abs(dx) >= W:
        return out
    # Source and destination windows of the part that stays inside the image.
    out[max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \
        image[max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out


def random_shifts(X, rng, max_shift=1, image_shape=(8, 8)):
    """Every image of X moved by its own random (dy, dx), each in [-max_shift, max_shift].

    Args:
        X: (N, H*W) flattened images. rng: numpy Generator.
        max_shift: largest shift in pixels (>= 0), or a pair (largest dy, largest dx).
            The 8x8 digits fill the frame from top to bottom (about 12% of the
            ink is in the top row, 12% in the bottom row) but hardly touch the
            left and right columns: (0, 1) moves them sideways without cropping;
            1 also moves them up and down, cropping a stroke now and then.
        image_shape: (H, W).
    Returns:
        X_shifted (N, H*W), and shifts (N, 2) int array of the (dy, dx) used.
    """
    check_rng(rng, "random_shifts")
    X = as_float_array(X, "X", "random_shifts")
    check_ndim(X, 2, "X (N, H*W)", "random_shifts")
    H, W = image_shape
    if X.shape[1] != H * W:
        raise ValueError(f"random_shifts expects X with {H * W} features (images {H}x{W}), got shape {X.shape}")
    limit = np.broadcast_to(np.asarray(max_shift, dtype=np.int64), (2,))
    if (limit < 0).any():
        raise ValueError(f"random_shifts: max_shift must be >= 0, got {max_shift}")
    shifts = rng.integers(-limit, limit + 1, size=(len(X), 2))
    out = np.stack([shift_image(x.reshape(H, W), dy, dx).ravel()
                    for x, (dy, dx) in zip(X, shifts)]) if len(X) else X.copy()
    return out, shifts


def augment(X, y, rng, copies=1, noise_std=0.0, max_shift=0, image_shape=None, clip=None):
    """The training set plus ``copies`` augmented variants of every sample.

    Each copy is shifted (if ``max_shift`` > 0, images only) and then noised (if
    ``noise_std`` > 0). Labels are repeated unchanged.

    Args:
        X: (N, D) inputs (flattened images when shifting). y: (N, ...) targets.
        rng: numpy Generator. copies: variants per sample (>= 0).
        noise_std: Gaussian noise std. max_shift: largest pixel shift, an int or
            (largest dy, largest dx) (see ``random_shifts``).
        image_shape: (H, W), needed when max_shift > 0.
        clip: optional (low, high) for the noised values.
    Returns:
        X_aug ((1 + copies) * N, D) and y_aug ((1 + copies) * N, ...): the originals
        first, then copy 1 of every sample, copy 2, ...
    """
    check_rng(rng, "augment")
    X = as_float_array(X, "X", "augment")
    y = np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"augment: X has {len(X)} samples but y has {len(y)}")
    if int(copies) < 0:
        raise ValueError(f"augment: copies must be >= 0, got {copies}")
    if np.any(max_shift) and image_shape is None:
        raise ValueError("augment: shifting needs image_shape=(H, W), e.g. (8, 8) for the digits")
    parts = [X]
    for _ in range(int(copies)):
        Xc = random_shifts(X, rng, max_shift, image_shape)[0] if np.any(max_shift) else X.copy()
        if noise_std:
            Xc = add_noise(Xc, noise_std, rng, clip=clip)
        parts.append(Xc)
    return np.concatenate(parts), np.concatenate([y] * (1 + int(copies)))
