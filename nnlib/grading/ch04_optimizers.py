"""Chapter 04 (optimizers): the checks of Exercises 4.1 to 4.7.

4.1 to 4.6 are one update step of an optimizer, written as a pure function
that returns the new weights and the new state (``(w, v)``, ``(w, m, v)``).
Each is a ``StepCheck``: the reference is ``nnlib.optim`` itself, given the
state the case starts from, so the expected numbers are torch.optim's. The
returned values are judged one after the other by engine.FunctionCheck's rules
(shape, values, numpy warnings, inputs changed in place), and a learner whose
result equals a catalogued mistake's gets that mistake's hint.

4.7 ``minibatches`` is a generator, judged by its properties (every sample
once, shuffled by its rng, the last batch smaller): see ``ch04_minibatches``.
"""

import numpy as np

from nnlib.grading.ch04_minibatches import MINIBATCHES
from nnlib.grading.ch04_steps import (  # noqa: F401  (the references, public here too)
    StepCheck, ref_adam, ref_adamw, ref_gd, ref_momentum, ref_nesterov, ref_rmsprop,
)
from nnlib.grading.engine import Case, Exercise, FunctionCheck, Mistake


# --- cases ---------------------------------------------------------------------------------------

def _shape(rng):
    """(D,) or (D_in, D_out) with 2 to 4 entries per axis: small enough to print."""
    return tuple(int(n) for n in rng.integers(2, 5, size=int(rng.integers(1, 3))))


def _lr(rng, low=0.02, high=0.5):
    # not smaller: a wrong step must change w by more than the tolerance, so that the
    # catalogued mistakes are told apart by their hints
    return float(np.round(np.exp(rng.uniform(np.log(low), np.log(high))), 4))


def _n(rng, shape, scale=1.0):
    return scale * rng.normal(size=shape)


def _g(rng, shape, scale=1.0):
    """Gradients with 0.5 <= |g| / scale <= 2: far enough from 0 that eps does not matter
    (the cases where it does are labelled so)."""
    return scale * rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 2.0, size=shape)


def gd_cases(rng):
    s = [_shape(rng) for _ in range(4)]
    return [
        Case("worked example: f(w) = 2w^2 + w + 4 at w = 2", (np.array([2.0]), np.array([9.0]), 0.1)),
        Case("random 1-D", (_n(rng, (5,)), _n(rng, (5,)), _lr(rng))),
        Case("random 2-D (D_in, D_out)", (_n(rng, s[0]), _n(rng, s[0]), _lr(rng))),
        Case("random weights", (_n(rng, s[1]), _n(rng, s[1], 10), _lr(rng))),
        Case("a single weight (1,)", (_n(rng, (1,)), _n(rng, (1,)), _lr(rng))),
        Case("lr = 0: nothing moves", (_n(rng, s[2]), _n(rng, s[2]), 0.0)),
        Case("zero gradient", (_n(rng, s[3]), np.zeros(s[3]), _lr(rng))),
    ]


def momentum_cases(rng):
    s = [_shape(rng) for _ in range(5)]
    return [
        # step 2 of the chapter's example (lr 0.02, beta 0.9): w_1 = 1.82, v_1 = f'(2) = 9
        Case("worked example, step 2", (np.array([1.82]), np.array([8.28]), np.array([9.0]), 0.02, 0.9)),
        Case("first step (v = 0), random 1-D", (_n(rng, (4,)), _g(rng, (4,)), np.zeros(4), _lr(rng), 0.9)),
        Case("random 2-D (D_in, D_out), beta = 0.9",
             (_n(rng, s[0]), _g(rng, s[0]), _n(rng, s[0]), _lr(rng), 0.9)),
        Case("random state, beta = 0.5", (_n(rng, s[1]), _g(rng, s[1]), _n(rng, s[1]), _lr(rng), 0.5)),
        Case("random state, beta = 0.99", (_n(rng, s[2]), _g(rng, s[2]), _n(rng, s[2], 5), _lr(rng), 0.99)),
        Case("beta = 0 is plain gradient descent",
             (_n(rng, s[3]), _g(rng, s[3]), np.zeros(s[3]), _lr(rng), 0.0)),
        Case("a single weight (1,)", (_n(rng, (1,)), _g(rng, (1,)), _n(rng, (1,)), _lr(rng), 0.8)),
        Case("zero gradient: the velocity carries on",
             (_n(rng, s[4]), np.zeros(s[4]), _n(rng, s[4]), _lr(rng), 0.9)),
    ]


def rmsprop_cases(rng):
    s = [_shape(rng) for _ in range(4)]
    sq = lambda shape, scale=1.0: scale * rng.uniform(0.1, 2.0, size=shape)  # noqa: E731
    return [
        Case("random 2-D (D_in, D_out), default beta and eps", (_n(rng, s[0]), _g(rng, s[0]), sq(s[0]), _lr(rng))),
        Case("first step (s = 0)", (_n(rng, (4,)), _g(rng, (4,)), np.zeros(4), 0.01)),
        Case("random state, beta = 0.99", (_n(rng, s[1]), _g(rng, s[1]), sq(s[1]), _lr(rng)), {"beta": 0.99}),
        Case("random state, beta = 0.5, eps = 0.1", (_n(rng, s[2]), _g(rng, s[2]), sq(s[2]), 0.1),
             {"beta": 0.5, "eps": 0.1}),
        Case("positive gradients only", (_n(rng, s[3]), np.abs(_g(rng, s[3])), sq(s[3]), _lr(rng))),
        Case("tiny gradients, s = 0 (eps matters)", (_n(rng, (5,)), _n(rng, (5,), 1e-5), np.zeros(5), 0.01)),
        Case("a zero gradient entry, s = 0", (_n(rng, (3,)), np.array([0.0, 1.0, -2.0]), np.zeros(3), 0.01)),
        Case("a single weight (1,)", (_n(rng, (1,)), _g(rng, (1,)), sq((1,)), _lr(rng))),
    ]


def adam_cases(rng):
    s = [_shape(rng) for _ in range(5)]

    def state(shape, scale=1.0):
        return _n(rng, shape, 0.3 * scale), rng.uniform(0.1, 1.0, size=shape) * scale**2

    m1, v1 = state(s[0])
    m2, v2 = state(s[1])
    m3, v3 = state(s[2], 3.0)
    m4, v4 = state(s[3])
    m5, v5 = state((1,))
    return [
        Case("t = 2, random 2-D (D_in, D_out)", (_n(rng, s[0]), _g(rng, s[0]), m1, v1, 2, _lr(rng))),
        Case("first step, t = 1 (m = v = 0)", (_n(rng, (4,)), _g(rng, (4,)), np.zeros(4), np.zeros(4), 1, 0.1)),
        Case("t = 10", (_n(rng, s[1]), _g(rng, s[1]), m2, v2, 10, _lr(rng))),
        Case("t = 1000", (_n(rng, s[2]), _g(rng, s[2], 3.0), m3, v3, 1000, _lr(rng))),
        Case("t = 3, beta1 = 0.5, beta2 = 0.9", (_n(rng, s[3]), _g(rng, s[3]), m4, v4, 3, _lr(rng)),
             {"beta1": 0.5, "beta2": 0.9}),
        Case("tiny gradients, t = 1 (eps matters)", (_n(rng, (5,)), _n(rng, (5,), 1e-9), np.zeros(5),
                                                       np.zeros(5), 1, 0.01)),
        Case("a zero gradient entry, t = 1", (_n(rng, (3,)), np.array([0.0, 0.5, -3.0]), np.zeros(3),
                                              np.zeros(3), 1, 0.01)),
        Case("a single weight (1,), t = 5, eps = 1e-3", (_n(rng, (1,)), _g(rng, (1,)), m5, v5, 5, _lr(rng)),
             {"eps": 1e-3}),
    ]


def adamw_cases(rng):
    cases = adam_cases(rng)
    # the default weight decay on some cases, others given; the first one large enough that
    # a missing or misplaced decay shows at once
    wds = [0.1, None, None, 0.05, 0.5, None, 0.1, 0.2]
    cases[0] = Case(cases[0].label + ", lr = 0.1", cases[0].args[:5] + (0.1,))
    return [Case(c.label + ("" if wd is None else f", weight_decay = {wd}"), c.args,
                 {**c.kwargs, **({} if wd is None else {"weight_decay": wd})})
            for c, wd in zip(cases, wds)]


# --- mistakes --------------------------------------------------------------------------------------

def _ema_momentum(w, grad, v, lr, beta):
    v = beta * v + (1 - beta) * grad
    return w - lr * v, v


def _old_v_momentum(w, grad, v, lr, beta):
    return w - lr * v, beta * v + grad


def _cs231n_momentum(w, grad, v, lr, beta):
    v = beta * v - lr * grad
    return w + v, v


def _adam(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, correct=(True, True),
          t_shift=0, eps_inside=False, square=True, no_eps=False):
    eps = 0.0 if no_eps else eps
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * (grad * grad if square else grad)
    m_hat = m / (1 - beta1 ** (t + t_shift)) if correct[0] else m
    v_hat = v / (1 - beta2 ** (t + t_shift)) if correct[1] else v
    denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
    return w - lr * m_hat / denom, m, v


def _adam_variant(**how):
    return lambda w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8: _adam(
        w, grad, m, v, t, lr, beta1, beta2, eps, **how)


NO_BIAS_CORRECTION = ("Adam without bias correction: m and v start at 0, so divide by (1 - beta1**t) and "
                      "(1 - beta2**t): m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t), and step with "
                      "lr * m_hat / (sqrt(v_hat) + eps). Without it the first steps are about 3 times too long")
T_FROM_ONE = "t counts from 1 (the first step has t = 1): use beta1**t and beta2**t as given, not t - 1 or t + 1"
EPS_OUTSIDE = "eps goes outside the square root: sqrt(v_hat) + eps, not sqrt(v_hat + eps) (as in PyTorch)"
SQUARED = "the second moment averages the SQUARED gradient: v = beta2 * v + (1 - beta2) * grad**2"
ADAM_MISTAKES = (
    Mistake(_adam_variant(correct=(False, False)), NO_BIAS_CORRECTION),
    Mistake(_adam_variant(correct=(True, False)), "correct v too: v_hat = v / (1 - beta2**t)"),
    Mistake(_adam_variant(correct=(False, True)), "correct m too: m_hat = m / (1 - beta1**t)"),
    Mistake(_adam_variant(t_shift=1), T_FROM_ONE),
    Mistake(_adam_variant(t_shift=-1), T_FROM_ONE),
    Mistake(_adam_variant(eps_inside=True), EPS_OUTSIDE),
    Mistake(_adam_variant(square=False), SQUARED),
    Mistake(_adam_variant(no_eps=True),
            "add eps to the denominator, sqrt(v_hat) + eps: with a zero gradient v_hat = 0 and you divide by 0"),
)


def _adamw_variant(order="before", scale_lr=True, l2=False, decay=True):
    def fn(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        if l2:
            return _adam(w, grad + weight_decay * w, m, v, t, lr, beta1, beta2, eps)
        shrink = 1 - (lr * weight_decay if scale_lr else weight_decay)
        if not decay:
            shrink = 1.0
        if order == "before":
            return _adam(w * shrink, grad, m, v, t, lr, beta1, beta2, eps)
        new_w, m, v = _adam(w, grad, m, v, t, lr, beta1, beta2, eps)
        return new_w * shrink, m, v
    return fn


def _decayed(adam_fn):
    def fn(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        return adam_fn(w * (1 - lr * weight_decay), grad, m, v, t, lr, beta1, beta2, eps)
    return fn


ADAMW_MISTAKES = (
    Mistake(_adamw_variant(l2=True),
            "that is Adam with an L2 penalty (weight_decay * w added to the gradient), i.e. Adam(weight_decay=...); "
            "AdamW decouples the decay: first w = w - lr * weight_decay * w, then the Adam step with the plain grad"),
    Mistake(_adamw_variant(scale_lr=False),
            "the decay is multiplied by the learning rate too: w = w - lr * weight_decay * w (PyTorch's AdamW)"),
    Mistake(_adamw_variant(order="after"),
            "decay w BEFORE the Adam step, as PyTorch does: w = w * (1 - lr * weight_decay), then "
            "w = w - lr * m_hat / (sqrt(v_hat) + eps)"),
    Mistake(_adamw_variant(decay=False), "apply the weight decay: w = w - lr * weight_decay * w before the Adam step"),
    # every Adam mistake, made inside AdamW (after a correct decay)
    *[Mistake(_decayed(m.fn), m.hint) for m in ADAM_MISTAKES],
)


def _rmsprop(w, grad, s, lr, beta=0.9, eps=1e-8, square=True, one_minus=True, eps_inside=False,
             root=True, ema=True):
    g2 = grad * grad if square else grad
    s = (beta * s + (1 - beta) * g2 if one_minus else beta * s + g2) if ema else s + g2
    denom = np.sqrt(s + eps) if eps_inside else (np.sqrt(s) if root else s) + eps
    return w - lr * grad / denom, s


def _rms_variant(**how):
    return lambda w, grad, s, lr, beta=0.9, eps=1e-8: _rmsprop(w, grad, s, lr, beta, eps, **how)


RMSPROP_MISTAKES = (
    Mistake(_rms_variant(square=False),
            "RMSprop averages the SQUARED gradient: s = beta * s + (1 - beta) * grad**2 (you averaged grad, "
            "whose square root can be nan)"),
    Mistake(_rms_variant(one_minus=False),
            "the new gradient enters with weight (1 - beta): s = beta * s + (1 - beta) * grad**2"),
    Mistake(_rms_variant(ema=False), "that is Adagrad's sum s + grad**2; RMSprop keeps a moving average: "
                                     "s = beta * s + (1 - beta) * grad**2"),
    Mistake(_rms_variant(eps_inside=True), "eps goes outside the square root: grad / (sqrt(s) + eps), as in PyTorch"),
    Mistake(_rms_variant(root=False), "divide by the square ROOT of s: grad / (sqrt(s) + eps)"),
    Mistake(lambda w, grad, s, lr, beta=0.99, eps=1e-8: _rmsprop(w, grad, s, lr, beta, eps),
            "the default here is beta=0.9 (Hinton's lecture, Keras); PyTorch's RMSprop calls it alpha, default 0.99"),
)

_SIGN = "gradient descent goes DOWNHILL: w - lr * ..., not w + lr * ..."
GD = FunctionCheck(
    name="gd_step", signature="gd_step(w, grad, lr)", params=("w", "grad", "lr"), reference=ref_gd,
    cases=gd_cases,
    mistakes=(Mistake(lambda w, grad, lr: w + lr * grad, _SIGN),
              Mistake(lambda w, grad, lr: w - grad, "multiply the gradient by the learning rate: w - lr * grad"),
              Mistake(lambda w, grad, lr: -lr * grad, "return the new weights w - lr * grad, not only the step")),
)

MOMENTUM_MISTAKES = (
    Mistake(_ema_momentum, "that is the EMA form, v = beta * v + (1 - beta) * grad. This exercise asks for the "
                           "classical (PyTorch) form: v = beta * v + grad, then w = w - lr * v"),
    Mistake(_old_v_momentum, "update v first, then step with the NEW v: v = beta * v + grad; w = w - lr * v"),
    Mistake(_cs231n_momentum, "that is the form v = beta * v - lr * grad; w = w + v. Here v holds the sum of "
                              "gradients (PyTorch's form): v = beta * v + grad; w = w - lr * v"),
    Mistake(lambda w, grad, v, lr, beta: (w + lr * (beta * v + grad), beta * v + grad), _SIGN),
    Mistake(lambda w, grad, v, lr, beta: ref_nesterov(w, grad, v, lr, beta),
            "that is Nesterov's step (grad + beta * v); classical momentum steps with v itself"),
)
MOMENTUM = StepCheck(
    name="momentum_step", signature="momentum_step(w, grad, v, lr, beta)",
    params=("w", "grad", "v", "lr", "beta"), reference=ref_momentum, cases=momentum_cases,
    mistakes=MOMENTUM_MISTAKES, outputs=("w", "v"),
)

NESTEROV = StepCheck(
    name="nesterov_step", signature="nesterov_step(w, grad, v, lr, beta)",
    params=("w", "grad", "v", "lr", "beta"), reference=ref_nesterov, cases=momentum_cases, outputs=("w", "v"),
    mistakes=(
        # (stepping with grad + beta * v_old is this mistake too: it equals v_new)
        Mistake(ref_momentum, "that is classical momentum (w - lr * v); Nesterov steps with "
                              "grad + beta * v: first v = beta * v + grad, then w = w - lr * (grad + beta * v) "
                              "with the NEW v"),
        Mistake(lambda w, grad, v, lr, beta: (w - lr * (grad + beta * (beta * v + (1 - beta) * grad)),
                                              beta * v + (1 - beta) * grad),
                "no (1 - beta) in PyTorch's form: v = beta * v + grad"),
        Mistake(lambda w, grad, v, lr, beta: (w + lr * (grad + beta * (beta * v + grad)), beta * v + grad), _SIGN),
    ),
)

RMSPROP = StepCheck(
    name="rmsprop_step", signature="rmsprop_step(w, grad, s, lr, beta=0.9, eps=1e-8)",
    params=("w", "grad", "s", "lr"), reference=ref_rmsprop, cases=rmsprop_cases, outputs=("w", "s"),
    mistakes=RMSPROP_MISTAKES,
    warn_hint="sqrt of a negative number or a division by zero: s must average grad**2 (never negative), "
              "and eps keeps the denominator sqrt(s) + eps above 0",
)

ADAM = StepCheck(
    name="adam_step", signature="adam_step(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8)",
    params=("w", "grad", "m", "v", "t", "lr"), reference=ref_adam, cases=adam_cases, outputs=("w", "m", "v"),
    mistakes=ADAM_MISTAKES,
    warn_hint="a division by zero or a sqrt of a negative number: check 1 - beta**t (t starts at 1) and "
              "the eps in sqrt(v_hat) + eps",
)

ADAMW = StepCheck(
    name="adamw_step",
    signature="adamw_step(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01)",
    params=("w", "grad", "m", "v", "t", "lr"), reference=ref_adamw, cases=adamw_cases, outputs=("w", "m", "v"),
    mistakes=ADAMW_MISTAKES, warn_hint=ADAM.warn_hint,
)

EXERCISES = {
    "gd_step": Exercise(4, 1, GD),
    "momentum_step": Exercise(4, 2, MOMENTUM),
    "nesterov_step": Exercise(4, 3, NESTEROV),
    "rmsprop_step": Exercise(4, 4, RMSPROP),
    "adam_step": Exercise(4, 5, ADAM),
    "adamw_step": Exercise(4, 6, ADAMW),
    "minibatches": Exercise(4, 7, MINIBATCHES),
}
