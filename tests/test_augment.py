"""Augmentation: noise, pixel shifts of 8x8 digits, the augmented training set."""

import numpy as np
import pytest

from nnlib import augment as A
from nnlib.data import load_digits


def test_shift_image_by_hand():
    img = np.arange(1.0, 10.0).reshape(3, 3)
    np.testing.assert_array_equal(A.shift_image(img, 1, 0), [[0, 0, 0], [1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(A.shift_image(img, 0, -1), [[2, 3, 0], [5, 6, 0], [8, 9, 0]])
    np.testing.assert_array_equal(A.shift_image(img, -1, 1), [[0, 4, 5], [0, 7, 8], [0, 0, 0]])
    np.testing.assert_array_equal(A.shift_image(img, 0, 0), img)
    np.testing.assert_array_equal(A.shift_image(img, 3, 0), np.zeros((3, 3)))


def test_shift_image_agrees_with_np_roll_away_from_the_border():
    img = np.zeros((8, 8))
    img[2:6, 3:5] = np.arange(8.0).reshape(4, 2)
    for dy, dx in [(1, 1), (-2, 1), (2, -3), (0, 2)]:
        np.testing.assert_array_equal(A.shift_image(img, dy, dx), np.roll(img, (dy, dx), axis=(0, 1)))


def test_random_shifts_of_digits_keep_the_ink_and_use_the_reported_shifts():
    X, _ = load_digits()
    rng = np.random.default_rng(0)
    Xs, shifts = A.random_shifts(X[:50], rng, max_shift=1)
    assert Xs.shape == (50, 64) and shifts.shape == (50, 2)
    assert set(np.unique(shifts)) <= {-1, 0, 1} and len(np.unique(shifts)) == 3
    for x, xs, (dy, dx) in zip(X[:50], Xs, shifts):
        np.testing.assert_array_equal(xs.reshape(8, 8), A.shift_image(x.reshape(8, 8), dy, dx))
    # the digits fill the frame vertically: up/down shifts crop some ink, sideways hardly any
    assert 0.85 * X[:50].sum() < Xs.sum() < X[:50].sum()
    sideways, shifts = A.random_shifts(X[:50], rng, max_shift=(0, 1))
    assert np.all(shifts[:, 0] == 0) and set(np.unique(shifts[:, 1])) == {-1, 0, 1}
    assert sideways.sum() > 0.99 * X[:50].sum()


def test_add_noise_statistics_clip_and_no_input_change():
    rng = np.random.default_rng(1)
    X = np.full((200, 50), 0.5)
    out = A.add_noise(X, 0.1, rng)
    assert abs((out - X).std() - 0.1) < 0.003 and abs((out - X).mean()) < 0.003
    np.testing.assert_array_equal(X, 0.5)
    clipped = A.add_noise(X, 1.0, rng, clip=(0, 1))
    assert clipped.min() == 0.0 and clipped.max() == 1.0


def test_augment_stacks_originals_then_copies_with_labels():
    X, y = load_digits()
    X, y = X[:30], y[:30]
    Xa, ya = A.augment(X, y, np.random.default_rng(2), copies=2, noise_std=0.05,
                       max_shift=1, image_shape=(8, 8), clip=(0, 1))
    assert Xa.shape == (90, 64) and ya.shape == (90,)
    np.testing.assert_array_equal(Xa[:30], X)
    np.testing.assert_array_equal(ya, np.tile(y, 3))
    assert not np.allclose(Xa[30:60], X) and Xa.min() >= 0 and Xa.max() <= 1


def test_same_seed_same_augmentation():
    X, y = load_digits()
    runs = [A.augment(X[:10], y[:10], np.random.default_rng(3), copies=1, max_shift=1,
                      image_shape=(8, 8))[0] for _ in range(2)]
    np.testing.assert_array_equal(*runs)


def test_errors_are_clear():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"expects X with 64 features \(images 8x8\), got shape \(2, 10\)"):
        A.random_shifts(np.ones((2, 10)), rng)
    with pytest.raises(ValueError, match="needs image_shape"):
        A.augment(np.ones((2, 64)), np.ones(2), rng, max_shift=1)
    with pytest.raises(ValueError, match="std must be >= 0"):
        A.add_noise(np.ones(3), -1, rng)
    with pytest.raises(TypeError, match="needs rng"):
        A.add_noise(np.ones(3), 0.1, 0)
