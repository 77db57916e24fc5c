"""Chapter 06: the checks of Exercises 6.1 glorot_uniform and 6.2 he_normal.

    glorot_uniform(fan_in, fan_out, rng) -> W (fan_in, fan_out) ~ U(-l, l), l = sqrt(6 / (fan_in + fan_out))
    he_normal(fan_in, fan_out, rng)      -> W (fan_in, fan_out) ~ N(0, 2 / fan_in)

The initialisers are random, and a learner may draw in any correct way, so they
are judged by statistics on large draws (up to 30,000 weights): the shape, the
bounds (uniform), the mean, the variance and, for the normal, the kurtosis, each
within 6 standard errors of the theory (a correct function fails about once in
a billion runs). The same rng state must give the same array (each case is
called twice) and two different rngs different arrays. A known mistake is
recognised when the learner's statistics match the mistaken function's. The rng
is passed as the keyword ``rng=``: the grader's worker sends back only the
positional arguments, and a Generator is not plain data.
"""

import math
from dataclasses import dataclass

import numpy as np

from nnlib.grading.engine import Case, Mistake
from nnlib.grading.result import FAILED, PASSED, Outcome
from nnlib.grading.tuple_check import TupleCheck, equal, numbers

# =====================================================================================
# 6.1 glorot_uniform, 6.2 he_normal
# =====================================================================================

KURTOSIS = {"uniform": 1.8, "normal": 3.0}  # E[(w - mu)^4] / Var^2 of each distribution


def _stats(W):
    """(n, mean, variance, max |W|, kurtosis) of an array of draws."""
    W = np.asarray(W, dtype=np.float64)
    mean, var = float(W.mean()), float(W.var())
    kurt = float(np.mean((W - mean) ** 4) / var**2) if var > 0 else float("nan")
    return W.size, mean, var, float(np.abs(W).max()), kurt


def _describe(stats):
    n, mean, var, top, kurt = stats
    return f"{n} values in [-{top:.4g}, {top:.4g}], mean {mean:.3g}, variance {var:.4g}"


def init_judge(kind, variance, formula):
    """judge(case, got) for an initialiser whose draws have Var = variance(fan_in, fan_out)."""
    def judge(case, got):
        fan_in, fan_out = case.args
        if not isinstance(got, np.ndarray) or numbers(got) is None:
            return (f"returned {'None' if got is None else 'a ' + type(got).__name__}, not an array "
                    "of numbers", [], "return the weight array W (a numpy array)")
        if got.shape != (fan_in, fan_out):
            hint = ("the shape is (fan_in, fan_out): W is (D_in, D_out) so that X @ W works; "
                    "you returned (fan_out, fan_in)" if got.shape == (fan_out, fan_in) else
                    "pass size=(fan_in, fan_out) to the rng's method")
            return f"returned shape {got.shape}, expected {(fan_in, fan_out)}", [], hint
        if not np.isfinite(got).all():
            return "returned inf or nan", [], "every weight must be a finite number"
        var = variance(fan_in, fan_out)
        stats = n, mean, got_var, top, kurt = _stats(got)
        limit = math.sqrt(3 * var)
        expected = (f"{formula}: " + (f"values in [-{limit:.4g}, {limit:.4g}], " if kind == "uniform" else "")
                    + f"mean 0, variance {var:.4g}")
        lines = [f"expected = {expected}", f"got      = {_describe(stats)}"]
        if kind == "uniform" and top > limit * (1 + 1e-9):
            return f"values outside [-limit, limit] = [-{limit:.4g}, {limit:.4g}]", lines, ""
        if kind == "uniform" and n >= 1000 and top < limit * (1 - 30 / n):
            return (f"no value comes near the limit {limit:.4g}", lines, "")
        if abs(mean) > 6 * math.sqrt(var / n):
            return "the mean is not 0", lines, ""
        if abs(got_var / var - 1) > 6 * math.sqrt((KURTOSIS[kind] - 1) / n):
            return f"wrong variance ({got_var:.4g}, expected {var:.4g})", lines, ""
        if kind == "normal" and n >= 1000 and abs(kurt - 3) > 6 * math.sqrt(24 / n):
            return (f"the values are not normally distributed (kurtosis {kurt:.2f}, a normal has 3)",
                    lines, "")
        return None
    return judge


def init_agree(got, wrong):
    """True when two large draws look like the same distribution (used for mistake hints)."""
    if not (isinstance(got, np.ndarray) and numbers(got) is not None and np.shape(wrong) == got.shape
            and got.size >= 1000 and np.isfinite(got).all()):
        return False
    n, m1, v1, top1, k1 = _stats(got)
    _, m2, v2, top2, k2 = _stats(wrong)
    if v2 == 0 or v1 == 0:
        return v1 == v2
    return (abs(v1 / v2 - 1) < 8 * math.sqrt(2 / n) and abs(m1 - m2) < 8 * math.sqrt((v1 + v2) / n)
            and abs(k1 - k2) < 8 * math.sqrt(24 / n)
            and (k2 > 2.2 or abs(top1 / top2 - 1) < 0.02))  # bounded draws: the same bound


def init_cases(rng):
    """8 cases: fan_in < fan_out and fan_in > fan_out (large), the chapter's (64, 32),
    one input (1, D) and one output (D, 1) with D ~ 25,000, square, (4, 3) and (1, 1).
    Each call gets its own seeded Generator as the keyword rng."""
    a, b = int(rng.integers(100, 201)), int(rng.integers(250, 401))
    c, big = int(rng.integers(50, 121)), int(rng.integers(20000, 30001))
    seeds = [int(s) for s in rng.integers(0, 2**31, size=8)]
    shapes = [("fan_in < fan_out", (a, b)), ("fan_in > fan_out", (b, a)),
              ("the chapter's layer (64, 32)", (64, 32)), ("one input (1, fan_out)", (1, big)),
              ("one output (fan_in, 1)", (big, 1)), ("square (D, D)", (c, c)),
              ("small (4, 3)", (4, 3)), ("a single weight (1, 1)", (1, 1))]
    return [Case(f"{label}: fan_in = {s[0]}, fan_out = {s[1]}", s, {"rng": np.random.default_rng(seed)})
            for (label, s), seed in zip(shapes, seeds)]


@dataclass(frozen=True)
class RandomArrayCheck(TupleCheck):
    """A TupleCheck for a function of (fan_in, fan_out, rng): after its cases, one more
    case checks that two different rngs give two different arrays."""

    def __call__(self, call, rng):
        outcome = super().__call__(call, rng)
        if outcome.status != PASSED:
            return outcome
        k = outcome.n_cases + 1
        first = call(8, 5, rng=np.random.default_rng(1))
        second = call(8, 5, rng=np.random.default_rng(2))
        if first.error is None and second.error is None and equal(first.value, second.value):
            return Outcome(FAILED, k, k, f'case {k} of {k} "two different rngs": the same array twice',
                           ("fan_in   = 8", "fan_out  = 5", "rng      = np.random.default_rng(1), then (2)"),
                           "draw from the rng you are given (rng.uniform, rng.normal): a fixed seed "
                           "inside your function gives every layer the same weights")
        return Outcome(PASSED, n_cases=k)


def _glorot(limit_fn, uniform=True):
    """A mistaken glorot_uniform: U(-l, l) (or a normal with its variance) with l = limit_fn(...)."""
    def fn(fan_in, fan_out, rng):
        limit = limit_fn(fan_in, fan_out)
        if uniform:
            return rng.uniform(-limit, limit, size=(fan_in, fan_out))
        return rng.normal(0.0, limit / math.sqrt(3), size=(fan_in, fan_out))
    return fn


_GLOROT = "limit = sqrt(6 / (fan_in + fan_out)), so that Var(W) = limit**2 / 3 = 2 / (fan_in + fan_out)"
GLOROT_UNIFORM = RandomArrayCheck(
    name="glorot_uniform", signature="glorot_uniform(fan_in, fan_out, rng)", params=("fan_in", "fan_out"),
    reference=None, cases=init_cases, repeat=True, agree=init_agree,
    judge=init_judge("uniform", lambda fi, fo: 2 / (fi + fo),
                     "U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out))"),
    mistakes=(
        Mistake(_glorot(lambda fi, fo: math.sqrt(6 / fi)),
                f"sqrt(6 / fan_in) is He-uniform's limit; Glorot averages both fans: {_GLOROT}"),
        Mistake(_glorot(lambda fi, fo: math.sqrt(6 / fo)),
                f"fan_out alone is not enough: Glorot uses fan_in + fan_out. {_GLOROT}"),
        Mistake(_glorot(lambda fi, fo: math.sqrt(3 / (fi + fo))),
                f"the numerator is 6, not 3: {_GLOROT}"),
        Mistake(_glorot(lambda fi, fo: math.sqrt(2 / (fi + fo))),
                f"sqrt(2 / (fan_in + fan_out)) is the STANDARD DEVIATION of glorot_normal; the uniform "
                f"needs a wider limit because Var U(-l, l) = l**2 / 3: {_GLOROT}"),
        Mistake(_glorot(lambda fi, fo: math.sqrt(1 / (fi + fo))), f"wrong limit: {_GLOROT}"),
        Mistake(_glorot(lambda fi, fo: 6 / (fi + fo)), f"take the square root: {_GLOROT}"),
        Mistake(_glorot(lambda fi, fo: math.sqrt(6) / (fi + fo)),
                f"the square root covers the whole fraction: {_GLOROT}"),
        Mistake(_glorot(lambda fi, fo: 1 / math.sqrt(fi)),
                "limit = 1 / sqrt(fan_in) is PyTorch's default for nn.Linear, not Glorot: " + _GLOROT),
        Mistake(lambda fan_in, fan_out, rng: rng.uniform(0.0, math.sqrt(6 / (fan_in + fan_out)),
                                                         size=(fan_in, fan_out)),
                "draw from U(-limit, limit), both signs: rng.uniform(-limit, limit, size=(fan_in, fan_out))"),
        Mistake(_glorot(lambda fi, fo: math.sqrt(6 / (fi + fo)), uniform=False),
                "glorot_UNIFORM draws from a uniform distribution: rng.uniform(-limit, limit, size=...)"),
    ),
)


def _he(std_fn, normal=True):
    def fn(fan_in, fan_out, rng):
        std = std_fn(fan_in, fan_out)
        if normal:
            return rng.normal(0.0, std, size=(fan_in, fan_out))
        return rng.uniform(-math.sqrt(3) * std, math.sqrt(3) * std, size=(fan_in, fan_out))
    return fn


def _truncated_he(fan_in, fan_out, rng):
    w = rng.normal(size=(fan_in, fan_out))
    while np.any(np.abs(w) > 2):
        bad = np.abs(w) > 2
        w[bad] = rng.normal(size=int(bad.sum()))
    return w * math.sqrt(2 / fan_in) / 0.87962566103423978  # Keras rescales the std


_HE = "W ~ N(0, 2 / fan_in): rng.normal(0.0, np.sqrt(2 / fan_in), size=(fan_in, fan_out))"
HE_NORMAL = RandomArrayCheck(
    name="he_normal", signature="he_normal(fan_in, fan_out, rng)", params=("fan_in", "fan_out"),
    reference=None, cases=init_cases, repeat=True, agree=init_agree,
    judge=init_judge("normal", lambda fi, fo: 2 / fi, "N(0, 2 / fan_in)"),
    mistakes=(
        Mistake(_he(lambda fi, fo: math.sqrt(2 / fo)),
                "fan_out where fan_in belongs: He keeps the variance of the FORWARD pass, which "
                f"depends on the number of inputs of each unit, fan_in = W.shape[0]. {_HE}"),
        Mistake(_he(lambda fi, fo: 2 / fi),
                "numpy's normal takes the STANDARD DEVIATION, not the variance: "
                f"scale = sqrt(2 / fan_in). {_HE}"),
        Mistake(_he(lambda fi, fo: math.sqrt(1 / fi)),
                "N(0, 1 / fan_in) is LeCun's initialiser; He doubles it because ReLU zeroes half "
                f"its inputs and so halves the variance. {_HE}"),
        Mistake(_he(lambda fi, fo: math.sqrt(2 / (fi + fo))),
                f"N(0, 2 / (fan_in + fan_out)) is Glorot's normal initialiser. {_HE}"),
        Mistake(_he(lambda fi, fo: 2 / math.sqrt(fi)),
                f"the square root covers the 2 as well: std = sqrt(2 / fan_in). {_HE}"),
        Mistake(_he(lambda fi, fo: math.sqrt(2 / fi), normal=False),
                f"he_NORMAL draws from a normal distribution, not a uniform one. {_HE}"),
        Mistake(_truncated_he,
                "that is a truncated normal (Keras's HeNormal); here he_normal is the plain normal "
                f"N(0, 2 / fan_in), as torch.nn.init.kaiming_normal_. {_HE}"),
    ),
)

__all__ = ["GLOROT_UNIFORM", "HE_NORMAL", "init_cases", "init_judge", "init_agree", "RandomArrayCheck"]
