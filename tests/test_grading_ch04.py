"""The chapter 04 exercise checks (nnlib.grading.ch04_optimizers) through check().

Correct implementations, written in several styles, pass with several seeds;
every mistake of the catalogue (issue 6 names: Adam without bias correction,
the EMA form of momentum, RMSprop averaging grad instead of grad^2, AdamW as
L2 in the gradient, sampling with replacement, dropping the last partial
batch, not shuffling; and more) fails with its own hint; stubs are "not
implemented". The references are nnlib.optim, checked against the formulas
written out here by hand.
"""

import numpy as np
import pytest

from nnlib.grading import check
from nnlib.grading.ch04_minibatches import MinibatchCheck
from nnlib.grading.ch04_optimizers import ref_adam, ref_adamw, ref_momentum, ref_nesterov, ref_rmsprop
from nnlib.grading.registry import chapter_exercises

SEEDS = (0, 1, 7, 2024)


# -- correct implementations ---------------------------------------------------------------
def gd_step(w, grad, lr):
    return w - lr * grad


def gd_copy(w, grad, lr):
    out = w.copy()
    out -= lr * grad
    return out


def momentum_step(w, grad, v, lr, beta):
    v = beta * v + grad
    return w - lr * v, v


def momentum_list(w, grad, v, lr, beta):
    v_new = np.multiply(beta, v) + grad
    return [w - lr * v_new, v_new]


def nesterov_step(w, grad, v, lr, beta):
    v = beta * v + grad
    return w - lr * (grad + beta * v), v


def rmsprop_step(w, grad, s, lr, beta=0.9, eps=1e-8):
    s = beta * s + (1 - beta) * grad**2
    return w - lr * grad / (np.sqrt(s) + eps), s


def adam_step(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_torch_style(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = m + (1 - beta1) * (grad - m)  # torch's lerp form
    v = beta2 * v + (1 - beta2) * np.square(grad)
    denom = np.sqrt(v) / np.sqrt(1 - beta2**t) + eps
    return w - lr / (1 - beta1**t) * m / denom, m, v


def adamw_step(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
    w = w * (1 - lr * weight_decay)
    return adam_step(w, grad, m, v, t, lr, beta1, beta2, eps)


def minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


def minibatches_list(X, y, batch_size, rng):
    idx = np.arange(len(X))
    rng.shuffle(idx)
    return [(X[part], y[part]) for part in np.array_split(idx, range(batch_size, len(X), batch_size))]


CORRECT = [gd_step, gd_copy, momentum_step, momentum_list, nesterov_step, rmsprop_step, adam_step,
           adam_torch_style, adamw_step, minibatches, minibatches_list]
NAMES = {"gd_copy": "gd_step", "momentum_list": "momentum_step", "adam_torch_style": "adam_step",
         "minibatches_list": "minibatches"}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fn", CORRECT, ids=lambda f: f.__name__)
def test_correct_implementations_pass(fn, seed, capsys):
    result = check(NAMES.get(fn.__name__, fn.__name__), fn, seed=seed)
    assert result.passed, result.message
    assert result.points == result.max_points == 1
    assert capsys.readouterr().out.startswith("Exercise 4.")


def test_the_chapter_has_seven_exercises_in_order():
    names = [name for name, _ in chapter_exercises(4)]
    assert names == ["gd_step", "momentum_step", "nesterov_step", "rmsprop_step", "adam_step",
                     "adamw_step", "minibatches"]


# -- the references agree with the formulas written out -------------------------------------
def test_references_match_hand_written_formulas():
    rng = np.random.default_rng(3)
    w, g, m = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    v = rng.uniform(0, 1, size=(3, 4))
    for got, want in [
        (ref_momentum(w, g, m, 0.1, 0.9), momentum_step(w, g, m, 0.1, 0.9)),
        (ref_momentum(w, g, m, 0.1, 0.0), momentum_step(w, g, m, 0.1, 0.0)),
        (ref_nesterov(w, g, m, 0.1, 0.8), nesterov_step(w, g, m, 0.1, 0.8)),
        (ref_rmsprop(w, g, v, 0.01, beta=0.5, eps=1e-3), rmsprop_step(w, g, v, 0.01, 0.5, 1e-3)),
        (ref_adam(w, g, m, v, 7, 0.01), adam_step(w, g, m, v, 7, 0.01)),
        (ref_adamw(w, g, m, v, 2, 0.1, weight_decay=0.3), adamw_step(w, g, m, v, 2, 0.1, weight_decay=0.3)),
    ]:
        for a, b in zip(got, want):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


# -- mistakes --------------------------------------------------------------------------------
def adam_no_bias_correction(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    return w - lr * m / (np.sqrt(v) + eps), m, v


def adam_t_from_zero(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    return adam_step(w, grad, m, v, t + 1, lr, beta1, beta2, eps)[0], *adam_step(w, grad, m, v, t, lr)[1:]


def adam_eps_inside(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    return w - lr * (m / (1 - beta1**t)) / np.sqrt(v / (1 - beta2**t) + eps), m, v


def adam_in_place(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad**2
    return w - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps), m, v


def adam_no_eps(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    return w - lr * (m / (1 - beta1**t)) / np.sqrt(v / (1 - beta2**t)), m, v


def rmsprop_no_root(w, grad, s, lr, beta=0.9, eps=1e-8):
    s = beta * s + (1 - beta) * grad**2
    return w - lr * grad / (s + eps), s


def momentum_ema(w, grad, v, lr, beta):
    v = beta * v + (1 - beta) * grad
    return w - lr * v, v


def momentum_old_v(w, grad, v, lr, beta):
    return w - lr * v, beta * v + grad


def momentum_cs231n(w, grad, v, lr, beta):
    v = beta * v - lr * grad
    return w + v, v


def momentum_only_w(w, grad, v, lr, beta):
    return w - lr * (beta * v + grad)


def nesterov_classical(w, grad, v, lr, beta):
    return momentum_step(w, grad, v, lr, beta)


def nesterov_old_v(w, grad, v, lr, beta):
    return w - lr * (grad + beta * v), beta * v + grad  # grad + beta v_old = v_new: classical


def adamw_no_decay(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
    return adam_step(w, grad, m, v, t, lr, beta1, beta2, eps)


def rmsprop_grad_not_squared(w, grad, s, lr, beta=0.9, eps=1e-8):
    s = beta * s + (1 - beta) * grad
    return w - lr * grad / (np.sqrt(s) + eps), s


def rmsprop_adagrad(w, grad, s, lr, beta=0.9, eps=1e-8):
    s = s + grad**2
    return w - lr * grad / (np.sqrt(s) + eps), s


def rmsprop_eps_inside(w, grad, s, lr, beta=0.9, eps=1e-8):
    s = beta * s + (1 - beta) * grad**2
    return w - lr * grad / np.sqrt(s + eps), s


def rmsprop_torch_default(w, grad, s, lr, beta=0.99, eps=1e-8):
    return rmsprop_step(w, grad, s, lr, beta, eps)


def adamw_as_l2(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
    return adam_step(w, grad + weight_decay * w, m, v, t, lr, beta1, beta2, eps)


def adamw_no_lr(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
    return adam_step(w - weight_decay * w, grad, m, v, t, lr, beta1, beta2, eps)


def adamw_after(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
    w, m, v = adam_step(w, grad, m, v, t, lr, beta1, beta2, eps)
    return w - lr * weight_decay * w, m, v


def adamw_no_bias_correction(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
    return adam_no_bias_correction(w * (1 - lr * weight_decay), grad, m, v, t, lr, beta1, beta2, eps)


def gd_uphill(w, grad, lr):
    return w + lr * grad


def gd_in_place(w, grad, lr):
    w -= lr * grad
    return w


def batches_with_replacement(X, y, batch_size, rng):
    idx = rng.integers(0, len(X), size=len(X))
    for start in range(0, len(X), batch_size):
        yield X[idx[start:start + batch_size]], y[idx[start:start + batch_size]]


def batches_choice(X, y, batch_size, rng):
    for _ in range(-(-len(X) // batch_size)):
        idx = rng.choice(len(X), size=batch_size)
        yield X[idx], y[idx]


def batches_drop_last(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for k in range(len(X) // batch_size):
        idx = order[k * batch_size:(k + 1) * batch_size]
        yield X[idx], y[idx]


def batches_no_shuffle(X, y, batch_size, rng):
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]


def batches_shuffle_batches(X, y, batch_size, rng):
    starts = np.arange(0, len(X), batch_size)
    for start in rng.permutation(starts):
        yield X[start:start + batch_size], y[start:start + batch_size]


def batches_separate(X, y, batch_size, rng):
    ix, iy = rng.permutation(len(X)), rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        yield X[ix[start:start + batch_size]], y[iy[start:start + batch_size]]


def _global_stream():
    # stands in for np.random's global generator (a new state at every call), but
    # deterministic, so that this test does not depend on the global state
    calls = iter(range(10**6))
    return lambda n: np.random.RandomState(next(calls)).permutation(n)


def batches_global_random(X, y, batch_size, rng, _permutation=_global_stream()):
    order = _permutation(len(X))
    for start in range(0, len(X), batch_size):
        yield X[order[start:start + batch_size]], y[order[start:start + batch_size]]


def batches_own_rng(X, y, batch_size, rng):
    yield from minibatches(X, y, batch_size, np.random.default_rng(0))


def batches_empty_last(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X) + batch_size, batch_size):
        if start <= len(X):
            yield X[order[start:start + batch_size]], y[order[start:start + batch_size]]


def batches_raise(X, y, batch_size, rng):
    yield X[:1], y[:1]
    raise IndexError("oops")


def batches_in_place(X, y, batch_size, rng):
    rng.shuffle(X)  # shuffles X itself (and loses the pairing)
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]


MISTAKES = [
    ("adam_step", adam_no_bias_correction, "without bias correction"),
    ("adam_step", adam_t_from_zero, "t counts from 1"),
    ("adam_step", adam_eps_inside, "eps goes outside the square root"),
    ("adam_step", adam_in_place, "changed its input m in place"),
    ("adam_step", adam_no_eps, "add eps to the denominator"),
    ("momentum_step", momentum_ema, "that is the EMA form"),
    ("momentum_step", momentum_old_v, "step with the NEW v"),
    ("momentum_step", momentum_cs231n, "v = beta * v - lr * grad; w = w + v"),
    ("momentum_step", momentum_only_w, "you returned only the new w"),
    ("nesterov_step", nesterov_classical, "that is classical momentum"),
    ("nesterov_step", nesterov_old_v, "that is classical momentum"),
    ("rmsprop_step", rmsprop_grad_not_squared, "averages the SQUARED gradient"),
    ("rmsprop_step", rmsprop_adagrad, "Adagrad's sum"),
    ("rmsprop_step", rmsprop_eps_inside, "eps goes outside the square root"),
    ("rmsprop_step", rmsprop_torch_default, "the default here is beta=0.9"),
    ("rmsprop_step", rmsprop_no_root, "square ROOT"),
    ("adamw_step", adamw_as_l2, "Adam with an L2 penalty"),
    ("adamw_step", adamw_no_lr, "multiplied by the learning rate"),
    ("adamw_step", adamw_after, "decay w BEFORE the Adam step"),
    ("adamw_step", adamw_no_decay, "apply the weight decay"),
    ("adamw_step", adamw_no_bias_correction, "without bias correction"),
    ("gd_step", gd_uphill, "DOWNHILL"),
    ("gd_step", gd_in_place, "changed its input w in place"),
    ("minibatches", batches_with_replacement, "sampling WITH replacement"),
    ("minibatches", batches_choice, "sampling WITH replacement"),
    ("minibatches", batches_drop_last, "the last, partial batch is missing"),
    ("minibatches", batches_no_shuffle, "original order"),
    ("minibatches", batches_shuffle_batches, "shuffled the order of the batches, not the samples"),
    ("minibatches", batches_separate, "index X and y with the SAME indices"),
    ("minibatches", batches_global_random, "never from np.random"),
    ("minibatches", batches_own_rng, "do not create a new generator"),
    ("minibatches", batches_empty_last, "an empty batch"),
    ("minibatches", batches_raise, "raised IndexError"),
    ("minibatches", batches_in_place, "X_batch and y_batch do not belong together"),
]


@pytest.mark.parametrize("seed", SEEDS[:2])
@pytest.mark.parametrize("name, fn, hint", MISTAKES, ids=[m[1].__name__ for m in MISTAKES])
def test_mistakes_fail_with_their_hint(name, fn, hint, seed, capsys):
    result = check(name, fn, seed=seed)
    assert not result.passed
    assert result.status == "failed"
    assert hint in result.message, result.message
    assert f"check({name}, seed={seed})" in result.message  # how to repeat the cases


def test_a_failure_shows_the_input_expected_and_got(capsys):
    result = check("adam_step", adam_no_bias_correction, seed=0)
    text = result.message
    assert 'case 1 of 8 "t = 2, random 2-D (D_in, D_out)": w (returned value 1 of 3) wrong values' in text
    for field in ("grad", "expected", "got", "first difference"):
        assert field in text


def test_minibatch_failure_lists_the_batches(capsys):
    text = check("minibatches", batches_drop_last, seed=0).message
    assert "expected = 4 batches of sizes [3, 3, 3, 1]" in text
    assert "got      = 3 batches of sizes [3, 3, 3]" in text


@pytest.mark.parametrize("name", ["gd_step", "momentum_step", "adam_step", "minibatches"])
def test_stubs_are_not_implemented(name, capsys):
    def stub(*args, **kwargs):
        raise NotImplementedError(f"Exercise 4.1: implement {name}")
    result = check(name, stub, seed=0)
    assert result.status == "not implemented" and result.points == 0


def test_minibatches_accepts_a_list_of_batches_from_the_grader():
    # The command-line grader receives the batches as data (a list), not a generator.
    check_ = chapter_exercises(4)[-1][1].check
    assert isinstance(check_, MinibatchCheck)

    def call(*args, **kwargs):
        from nnlib.grading.calls import invoke
        c = invoke(minibatches, args, kwargs)
        return type(c)(value=list(c.value), error=c.error, warnings=c.warnings, args_after=c.args_after)

    assert check_(call, np.random.default_rng(0)).status == "passed"
