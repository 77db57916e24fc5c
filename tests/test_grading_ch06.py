"""The chapter 06 exercise checks (nnlib.grading.ch06_gradients) through check().

Correct implementations written as a learner might (in different styles) pass
with several seeds; the mistakes the issue lists, written independently here,
are caught with their hints; every catalogued mistake is caught with its own
hint; stubs are "not implemented". The references agree with nnlib's own
initialisers, clip_grad_norm and Residual layer. (Grading the solutions and
exercises notebooks end to end, in a separate process, is tests/test_grading_cli.py's job.)
"""

import math

import numpy as np
import pytest

from nnlib import init
from nnlib.grading import check
from nnlib.grading.ch06_gradients import EXERCISES, clip_reference
from nnlib.grading.ch06_residual import residual_backward_reference, residual_forward_reference
from nnlib.grading.registry import chapter_exercises
from nnlib.layers import Activation, Dense, Residual
from nnlib.model import Sequential
from nnlib.optim import clip_grad_norm

SEEDS = [0, 1, 2, 12345]


def passed(name, fn, seed):
    result = check(name, fn, seed=seed)
    return result.passed, result.message


def failed_with(name, fn, hint_part, seed=0):
    result = check(name, fn, seed=seed)
    assert result.status == "failed", result.message
    assert hint_part in result.message, result.message
    return result


# -- correct implementations, in different styles ---------------------------------------------

def glorot_uniform_scaled(fan_in, fan_out, rng):
    limit = math.sqrt(6 / (fan_in + fan_out))
    return (2 * rng.random((fan_in, fan_out)) - 1) * limit


def glorot_uniform_nnlib(fan_in, fan_out, rng):
    return init.glorot_uniform((fan_in, fan_out), rng)


def he_normal_standard(fan_in, fan_out, rng):
    return rng.standard_normal(size=(fan_in, fan_out)) * np.sqrt(2.0 / fan_in)


def he_normal_nnlib(fan_in, fan_out, rng):
    return init.he_normal((fan_in, fan_out), rng)


def clip_concatenated(grads, max_norm):
    flat = np.concatenate([np.ravel(g) for g in grads.values()])
    total = np.linalg.norm(flat)
    if total <= max_norm:
        return {k: np.array(g, copy=True) for k, g in grads.items()}
    return {k: g * (max_norm / total) for k, g in grads.items()}


def clip_torch_style(grads, max_norm):  # PyTorch's formula, with its 1e-6
    total = math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))
    coef = min(1.0, max_norm / (total + 1e-6))
    return {k: coef * g for k, g in grads.items()}


def residual_forward_where(x, W, b):
    z = np.dot(x, W) + b
    return x + np.where(z > 0, z, 0.0), [x, W, z]


def residual_backward_explicit(dy, cache):
    x, W, z = cache
    dz = np.where(z > 0, dy, 0.0)
    dx = dy.copy()
    dx += dz @ W.T
    return dx, x.T.dot(dz), np.sum(dz, axis=0)


CORRECT = [("glorot_uniform", glorot_uniform_scaled), ("glorot_uniform", glorot_uniform_nnlib),
           ("he_normal", he_normal_standard), ("he_normal", he_normal_nnlib),
           ("clip_by_global_norm", clip_concatenated), ("clip_by_global_norm", clip_torch_style),
           ("residual_forward", residual_forward_where), ("residual_backward", residual_backward_explicit)]


@pytest.mark.parametrize("name, fn", CORRECT, ids=[f"{n}-{f.__name__}" for n, f in CORRECT])
@pytest.mark.parametrize("seed", SEEDS)
def test_correct_implementations_pass(name, fn, seed):
    ok, message = passed(name, fn, seed)
    assert ok, message


def test_the_chapter_has_five_exercises_in_order():
    assert [(name, ex.number) for name, ex in chapter_exercises(6)] == [
        ("glorot_uniform", 1), ("he_normal", 2), ("clip_by_global_norm", 3),
        ("residual_forward", 4), ("residual_backward", 5)]


# -- the mistakes the issue lists, written independently -----------------------------------------

def test_fan_out_where_fan_in_belongs():
    def he_normal(fan_in, fan_out, rng):
        return rng.normal(0, np.sqrt(2 / fan_out), (fan_in, fan_out))
    failed_with("he_normal", he_normal, "fan_out where fan_in belongs")


@pytest.mark.parametrize("limit, hint", [
    (lambda fi, fo: math.sqrt(6 / fi), "He-uniform's limit"),
    (lambda fi, fo: math.sqrt(3 / (fi + fo)), "the numerator is 6"),
    (lambda fi, fo: math.sqrt(2 / (fi + fo)), "STANDARD DEVIATION of glorot_normal"),
    (lambda fi, fo: 6 / (fi + fo), "take the square root"),
])
def test_wrong_glorot_limits(limit, hint):
    def glorot_uniform(fan_in, fan_out, rng):
        lim = limit(fan_in, fan_out)
        return rng.uniform(-lim, lim, size=(fan_in, fan_out))
    failed_with("glorot_uniform", glorot_uniform, hint)


def test_per_tensor_instead_of_global_norm_clipping():
    def clip_by_global_norm(grads, max_norm):
        return {k: g * min(1.0, max_norm / max(np.linalg.norm(g), 1e-12)) for k, g in grads.items()}
    failed_with("clip_by_global_norm", clip_by_global_norm, "per-tensor clipping")


def test_clipping_that_scales_under_the_threshold():
    def clip_by_global_norm(grads, max_norm):
        total = math.sqrt(sum(np.sum(g * g) for g in grads.values()))
        return {k: g * max_norm / max(total, 1e-12) for k, g in grads.items()}
    failed_with("clip_by_global_norm", clip_by_global_norm, "below max_norm")


def test_residual_backward_that_drops_the_identity_path():
    def residual_backward(dy, cache):
        x, W, z = cache
        dz = dy * (z > 0)
        return dz @ W.T, x.T @ dz, dz.sum(0)
    failed_with("residual_backward", residual_backward, "identity path is missing")


# -- more ways to go wrong ------------------------------------------------------------------------

def test_global_numpy_random_and_a_fixed_seed_are_caught():
    def he_normal(fan_in, fan_out, rng):
        return np.random.normal(0, np.sqrt(2 / fan_in), (fan_in, fan_out))
    failed_with("he_normal", he_normal, "never from np.random")

    def glorot_uniform(fan_in, fan_out, rng):
        lim = np.sqrt(6 / (fan_in + fan_out))
        return np.random.default_rng(0).uniform(-lim, lim, (fan_in, fan_out))
    result = failed_with("glorot_uniform", glorot_uniform, "draw from the rng you are given")
    assert "two different rngs" in result.message


def test_transposed_shape_and_a_wrong_distribution():
    def he_normal(fan_in, fan_out, rng):
        return rng.normal(0, np.sqrt(2 / fan_in), (fan_out, fan_in))
    failed_with("he_normal", he_normal, "you returned (fan_out, fan_in)")

    def glorot_uniform(fan_in, fan_out, rng):  # right variance, but normal
        return rng.normal(0, np.sqrt(2 / (fan_in + fan_out)), (fan_in, fan_out))
    failed_with("glorot_uniform", glorot_uniform, "draws from a uniform distribution")


def test_clipping_in_place_or_returning_the_input_is_caught():
    def clip_in_place(grads, max_norm):
        total = math.sqrt(sum(np.sum(g * g) for g in grads.values()))
        if total > max_norm:
            for g in grads.values():
                g *= max_norm / total
        return dict(grads)
    failed_with("clip_by_global_norm", clip_in_place, "in place")

    def clip_same_dict(grads, max_norm):
        total = math.sqrt(sum(np.sum(g * g) for g in grads.values()))
        if total <= max_norm:
            return grads
        return {k: g * max_norm / total for k, g in grads.items()}
    failed_with("clip_by_global_norm", clip_same_dict, "return a NEW dict")


def test_division_by_a_zero_norm_is_caught():
    def clip_by_global_norm(grads, max_norm):
        total = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
        scale = np.minimum(1.0, max_norm / total)
        return {k: g * scale for k, g in grads.items()}
    result = failed_with("clip_by_global_norm", clip_by_global_norm, "numpy warned")
    assert "all gradients zero" in result.message


def test_residual_forward_cache_and_skip():
    def no_skip(x, W, b):
        z = x @ W + b
        return np.maximum(z, 0), (x, W, z)
    failed_with("residual_forward", no_skip, "skip connection is missing")

    def cache_after_relu(x, W, b):
        a = np.maximum(x @ W + b, 0)
        return x + a, (x, W, a)
    failed_with("residual_forward", cache_after_relu, "cache the PRE-activation")

    def cache_as_dict(x, W, b):
        z = x @ W + b
        return x + np.maximum(z, 0), {"x": x, "W": W, "z": z}
    failed_with("residual_forward", cache_as_dict, "cache = (x, W, z)")


# -- every catalogued mistake, with its own hint --------------------------------------------------

CATALOGUE = [(name, i) for name, ex in EXERCISES.items() for i in range(len(ex.check.mistakes))]


@pytest.mark.parametrize("name, i", CATALOGUE, ids=[f"{n}-{i}" for n, i in CATALOGUE])
def test_every_catalogued_mistake_is_caught_with_its_hint(name, i):
    mistake = EXERCISES[name].check.mistakes[i]
    for seed in (0, 1):
        result = check(name, mistake.fn, seed=seed)
        assert result.status == "failed", result.message
        assert mistake.hint in result.message, result.message


# -- stubs, and the references against nnlib -------------------------------------------------------

@pytest.mark.parametrize("name", list(EXERCISES))
def test_stubs_are_not_implemented(name):
    number = EXERCISES[name].number

    def stub(*args, **kwargs):
        raise NotImplementedError(f"Exercise 6.{number}: implement {name}")
    result = check(name, stub, seed=0)
    assert result.status == "not implemented" and result.points == 0


def test_clip_reference_agrees_with_nnlib_clip_grad_norm():
    rng = np.random.default_rng(0)
    for max_norm in (0.5, 3.0, 100.0):
        grads = {"W": rng.normal(size=(4, 3)), "b": rng.normal(size=3)}
        ours = clip_reference(grads, max_norm)
        theirs = {k: v.copy() for k, v in grads.items()}
        clip_grad_norm(theirs, max_norm)
        for k in grads:
            np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-6)


def test_residual_references_agree_with_the_nnlib_layer():
    rng = np.random.default_rng(0)
    dense = Dense(4, 4, init="he_normal", rng=rng)
    dense.params["b"][...] = rng.normal(size=4)
    layer = Residual(Sequential([dense, Activation("relu")]))
    x, dy = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    y, cache = residual_forward_reference(x, dense.params["W"], dense.params["b"])
    np.testing.assert_allclose(y, layer.forward(x), rtol=1e-12)
    dx, dW, db = residual_backward_reference(dy, cache)
    np.testing.assert_allclose(dx, layer.backward(dy), rtol=1e-12)
    np.testing.assert_allclose(dW, layer.grads["block.0.W"], rtol=1e-12)
    np.testing.assert_allclose(db, layer.grads["block.0.b"], rtol=1e-12)


def test_init_judges_agree_with_nnlib_variances():
    from nnlib.grading.ch06_init import GLOROT_UNIFORM, HE_NORMAL
    from nnlib.grading.engine import Case

    case = Case("x", (300, 200), {})
    for check_, ref in ((GLOROT_UNIFORM, init.glorot_uniform), (HE_NORMAL, init.he_normal)):
        assert check_.judge(case, ref((300, 200), np.random.default_rng(5))) is None
        assert check_.judge(case, 1.2 * ref((300, 200), np.random.default_rng(5))) is not None
