"""Chapter 05 exercise checks: correct implementations pass with any seed; every
mistake of the catalogue (the issue's list and more) is caught with its hint."""

from pathlib import Path

import numpy as np
import pytest

from nnlib.batchnorm import BatchNorm
from nnlib.dropout import Dropout
from nnlib.grading import check
from nnlib.grading.registry import chapter_exercises
from nnlib.regularizers import L1, L2

from grading_helpers import SEEDS, check_all_pass

ROOT = Path(__file__).resolve().parent.parent


# --- correct implementations, written two ways where it matters ----------------------------

def _l2(weights, lam):
    return lam * sum(np.sum(w ** 2) for w in weights), [2 * lam * w for w in weights]


def _l2_nnlib(weights, lam):
    params = {f"{i}.W": w for i, w in enumerate(weights)}
    grads = L2(lam).grad(params)
    return L2(lam)(params), [grads[f"{i}.W"] for i in range(len(weights))]


def _l1(weights, lam):
    return float(lam * sum(np.abs(w).sum() for w in weights)), tuple(lam * np.sign(w) for w in weights)


def _l1_nnlib(weights, lam):
    params = {f"W{i}": w for i, w in enumerate(weights)}
    grads = L1(lam).grad(params)
    return L1(lam)(params), [grads[f"W{i}"] for i in range(len(weights))]


def _dropout(x, p, rng, training=True):
    if not training:
        return x, None
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, mask


def _dropout_binomial(x, p, rng, training=True):  # another correct way to draw the mask
    if not training:
        return x.copy(), np.ones_like(x)
    mask = rng.binomial(1, 1 - p, size=x.shape) / (1 - p)
    return mask * x, mask


def _dropout_nnlib(x, p, rng, training=True):
    layer = Dropout(p, rng=rng)
    out = layer.forward(x, training=training)
    return out, layer.mask


def _bn(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    inv = 1 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    return gamma * x_hat + beta, (x_hat, gamma, inv)


def _bn_backward_staged(dout, cache):
    """The computational-graph derivation, step by step (CS231n style)."""
    x_hat, gamma, inv = cache
    n = len(dout)
    dx_hat = dout * gamma
    dvar = np.sum(dx_hat * x_hat, axis=0) * (-0.5) * inv ** 2  # dL/dvar, with x - mu = x_hat / inv
    dmu = -np.sum(dx_hat, axis=0) * inv
    dx = dx_hat * inv + dvar * 2 * (x_hat / inv) / n + dmu / n
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


def _bn_backward_nnlib(dout, cache):
    x_hat, gamma, inv = cache
    layer = BatchNorm(x_hat.shape[1])
    layer.params["gamma"][...] = gamma
    layer.cache = (x_hat, inv, True)
    return layer.backward(dout), layer.grads["gamma"].copy(), layer.grads["beta"].copy()


CORRECT = {
    "l2_penalty": [_l2, _l2_nnlib],
    "l1_penalty": [_l1, _l1_nnlib],
    "dropout_forward": [_dropout, _dropout_binomial, _dropout_nnlib],
    "dropout_backward": [lambda dout, mask: dout * mask, lambda dout, mask: np.multiply(mask, dout)],
    "batchnorm_forward": [_bn],
    "batchnorm_backward": [_bn_backward_staged, _bn_backward_nnlib],
}


def test_chapter_5_has_these_six_exercises_in_order():
    assert [name for name, _ in chapter_exercises(5)] == list(CORRECT)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(CORRECT))
def test_correct_implementations_pass(name, seed, capsys):
    _, out = check_all_pass(name, CORRECT[name], seed, capsys)
    assert len(set(out)) == 1 and " passed " in out[0], "a pass prints the same text whatever the seed"


# --- mistakes --------------------------------------------------------------------------------------

def _dropout_variant(scale="inverted", keep_p=False, eval_mask=False, global_rng=False):
    def fn(x, p, rng, training=True):
        if not training and not eval_mask:
            return x, None
        draw = np.random.random(x.shape) if global_rng else rng.random(x.shape)
        keep = draw < p if keep_p else draw >= p
        factor = {"inverted": 1 / (1 - p), "none": 1.0, "1/p": 1 / p if p else 1.0}[scale]
        mask = keep * factor
        return x * mask, mask
    return fn


def _dropout_bool_mask(x, p, rng, training=True):
    if not training:
        return x, None
    keep = rng.random(x.shape) >= p
    return x * keep / (1 - p), keep


def _dropout_old_test_rule(x, p, rng, training=True):
    if not training:
        return x * (1 - p), None
    keep = rng.random(x.shape) >= p
    return x * keep, keep * 1.0


def _l2_in_place(weights, lam):
    for w in weights:
        w *= 2 * lam
    return lam * sum(np.sum((w / (2 * lam)) ** 2) for w in weights) if lam else 0.0, weights


def _l2_per_array(weights, lam):
    return [lam * np.sum(w ** 2) for w in weights], [2 * lam * w for w in weights]


def _bn_naive_backward(dout, cache):
    x_hat, gamma, inv = cache
    return dout * gamma * inv, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


def _bn_unbiased(x, gamma, beta, eps=1e-5):
    mu, var = x.mean(axis=0), x.var(axis=0, ddof=1)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x_hat, gamma, 1 / np.sqrt(var + eps))


def _bn_eps_outside(x, gamma, beta, eps=1e-5):
    mu, std = x.mean(axis=0), x.std(axis=0)
    x_hat = (x - mu) / (std + eps)
    return gamma * x_hat + beta, (x_hat, gamma, 1 / (std + eps))


def _bn_axis1(x, gamma, beta, eps=1e-5):
    mu, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x_hat, gamma, 1 / np.sqrt(var.ravel() + eps))


def _bn_one_pass(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = (x ** 2).mean(axis=0) - mu ** 2
    inv = 1 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    return gamma * x_hat + beta, (x_hat, gamma, inv)


def _bn_wrong_cache(x, gamma, beta, eps=1e-5):
    out, (x_hat, g, inv) = _bn(x, gamma, beta, eps)
    return out, (x_hat, g, 1 / inv)  # the std instead of its inverse


WRONG = [
    # the list
    ("dropout_forward", "no 1/(1-p) scaling", _dropout_variant(scale="none"), ["no 1/(1 - p) scaling"]),
    ("dropout_forward", "p as keep probability, scaled by 1/p", _dropout_variant(keep_p=True, scale="1/p"),
     ["probability of DROPPING", "keep probability"]),
    ("dropout_forward", "p as keep probability, scaled by 1/(1-p)", _dropout_variant(keep_p=True),
     ["dropped fraction is 1 - p", "probability of DROPPING"]),
    ("dropout_forward", "mask in evaluation mode", _dropout_variant(eval_mask=True),
     ["evaluation mode (training=False) dropout does nothing"]),
    ("batchnorm_forward", "unbiased variance", _bn_unbiased, ["BIASED batch variance"]),
    ("l2_penalty", "gradient without the factor 2",
     lambda weights, lam: (lam * sum(np.sum(w ** 2) for w in weights), [lam * w for w in weights]),
     ["misses the factor 2"]),
    ("batchnorm_backward", "ignores mean and variance", _bn_naive_backward, ["treats the batch mean and variance as constants"]),
    # more
    ("dropout_forward", "np.random instead of rng", _dropout_variant(global_rng=True), ["never from np.random"]),
    ("dropout_forward", "boolean mask", _dropout_bool_mask, ["SCALED mask"]),
    ("dropout_forward", "old test-time rule", _dropout_old_test_rule, ["no 1/(1 - p) scaling"]),
    ("dropout_forward", "returns out only", lambda x, p, rng, training=True: x, ["returned a ndarray, not 2 values"]),
    ("dropout_backward", "ignores the mask", lambda dout, mask: dout, ["no gradient"]),
    ("dropout_backward", "boolean mask", lambda dout, mask: dout * (mask > 0), ["already holds 1 / (1 - p)"]),
    ("l2_penalty", "with 1/2", lambda w, lam: (0.5 * lam * sum(np.sum(a ** 2) for a in w), [lam * a for a in w]),
     ["without the 1/2"]),
    ("l2_penalty", "mean", lambda w, lam: (lam * sum(np.mean(a ** 2) for a in w), [2 * lam * a for a in w]),
     ["not the mean"]),
    ("l2_penalty", "in place", _l2_in_place, ["in place"]),
    ("l2_penalty", "value per array", _l2_per_array, ["value is ONE number"]),
    ("l2_penalty", "L1 instead", lambda w, lam: (lam * sum(np.abs(a).sum() for a in w), [lam * np.sign(a) for a in w]),
     ["that is the L1 penalty"]),
    ("l1_penalty", "gradient lam everywhere",
     lambda w, lam: (lam * sum(np.abs(a).sum() for a in w), [lam * np.ones_like(a) for a in w]), ["sign(w)"]),
    ("l1_penalty", "w / |w|", lambda w, lam: (lam * sum(np.abs(a).sum() for a in w), [lam * a / np.abs(a) for a in w]),
     ["0 / 0 = nan", "np.sign"]),
    ("l1_penalty", "no abs", lambda w, lam: (lam * sum(a.sum() for a in w), [lam * np.sign(a) for a in w]),
     ["absolute value"]),
    ("l1_penalty", "L2 gradient", lambda w, lam: (lam * sum(np.abs(a).sum() for a in w), [2 * lam * a for a in w]),
     ["gradient of L2"]),
    ("batchnorm_forward", "eps outside the root", _bn_eps_outside, ["INSIDE the square root"]),
    ("batchnorm_forward", "per sample (axis 1)", _bn_axis1, ["per FEATURE", "axis=0"]),
    ("batchnorm_forward", "one-pass variance", _bn_one_pass, ["mean(x**2) - mean(x)**2"]),
    ("batchnorm_forward", "gamma and beta swapped",
     lambda x, g, b, eps=1e-5: _bn(x, b, g, eps)[:1] + ((_bn(x, g, b, eps)[1]),), ["gamma scales and beta shifts"]),
    ("batchnorm_forward", "wrong cache", _bn_wrong_cache, ["wrong cache inv_std"]),
    ("batchnorm_backward", "no mean term",
     lambda d, c: (c[2] / len(d) * (len(d) * d * c[1] - c[0] * np.sum(d * c[1] * c[0], 0)),
                   np.sum(d * c[0], 0), d.sum(0)), ["through the batch mean"]),
    ("batchnorm_backward", "dgamma and dbeta swapped",
     lambda d, c: (_bn_backward_nnlib(d, c)[0], d.sum(0), np.sum(d * c[0], 0)), ["you swapped them"]),
    ("batchnorm_backward", "dgamma not summed",
     lambda d, c: (_bn_backward_nnlib(d, c)[0], d * c[0], d.sum(0)), ["dgamma has the shape of gamma"]),
]


@pytest.mark.parametrize("name, what, fn, words", WRONG, ids=[f"{w[0]}: {w[1]}" for w in WRONG])
@pytest.mark.parametrize("seed", [0, 3])
def test_mistakes_are_caught_with_their_hint(name, what, fn, words, seed):
    result = check(name, fn, seed=seed)
    assert not result.passed and result.status == "failed", result.message
    for word in words:
        assert word in result.message, f"{what}: {word!r} not in\n{result.message}"


def test_stubs_are_not_implemented():
    def l2_penalty(weights, lam):
        raise NotImplementedError("Exercise 5.1: implement l2_penalty")

    def dropout_forward(x, p, rng, training=True):
        raise NotImplementedError("Exercise 5.3: implement dropout_forward")

    for fn in (l2_penalty, dropout_forward):
        result = check(fn, seed=0)
        assert result.status == "not implemented" and result.points == 0


def test_the_failing_case_shows_the_rng_without_an_address():
    message = check("dropout_forward", _dropout_variant(scale="none"), seed=0).message
    assert "rng      = a numpy Generator" in message and "0x" not in message


def test_isolated_grader_gives_the_solutions_full_marks():
    from nnlib.grading.runner import grade_notebook

    report = grade_notebook(ROOT / "solutions" / "05_regularisation.ipynb", seed=5)
    assert [r.points for r in report.results] == [1] * 6, [r.message for r in report.results]
    assert report.cell_errors == []
