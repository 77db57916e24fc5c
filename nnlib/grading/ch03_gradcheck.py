"""Chapter 03 (forward and backprop): the check of Exercise 3.7 numerical_gradient.

    3.7 numerical_gradient(f, x, eps=1e-6)     -> like x              GradientCheck

The reference is ``nnlib.gradcheck.numerical_gradient``; the test functions f
are probes that refuse to be evaluated with more than one entry of x moved, and
the mistakes (a forward difference, dividing by eps instead of 2 eps, a fixed
eps) are recognised by GradientCheck's closeness rule.
"""

from dataclasses import dataclass

import numpy as np

from nnlib.gradcheck import numerical_gradient as _numerical_gradient
from nnlib.grading.ch03_checks import sizes
from nnlib.grading.engine import Case, FunctionCheck, Mistake, mistake_results

# =====================================================================================
# 3.7 numerical_gradient
# =====================================================================================
# The test functions f are small classes, not lambdas: the command-line grader
# sends them to the worker process that runs the learner's code. They are passed
# by keyword, numerical_gradient(f=..., x=...): the worker sends the positional
# arguments back after the call (to see whether an array was changed in place),
# and the grader reads back numbers and arrays only, never objects.
#
# Each f is also a probe: it knows the x it was made for and refuses to be
# evaluated where more than one entry of x has moved. So a learner who forgets
# to put an entry back (or moves a whole row, or every entry at once) gets an
# error naming it at the first wrong evaluation, in the notebook and in the grader.


class Probe:
    """Base of the test functions: f(x) = self.value(x), evaluated one moved entry at a time."""

    def __init__(self, x0):
        self.x0 = np.array(x0, dtype=np.float64)
        self.good_calls = 0

    def __call__(self, x):
        x = np.asarray(x, dtype=np.float64)
        if x.shape != self.x0.shape:
            raise ValueError(f"f was called with an array of shape {x.shape}; call it with x "
                             f"itself, shape {self.x0.shape}, with one entry moved")
        moved = np.argwhere(np.abs(x - self.x0) > 1e-10 * (1 + np.abs(self.x0)))
        if len(moved) > 1:
            where = ", ".join(str(tuple(int(i) for i in m)) for m in moved[:3])
            more = ", ..." if len(moved) > 3 else ""
            if self.good_calls == 0:
                raise ValueError(f"f was evaluated with {len(moved)} entries of x moved at once "
                                 f"(at {where}{more}): several entries moved together")
            raise ValueError(f"f was evaluated with {len(moved)} entries of x moved (at {where}"
                             f"{more}): an entry moved earlier was not put back")
        self.good_calls += 1
        return float(self.value(x))


class Square(Probe):
    """f(x) = sum(x^2); gradient 2x."""

    def value(self, x):
        return np.sum(x * x)

    def __repr__(self):
        return "f(x) = sum(x**2)"


class SineSum(Probe):
    """f(x) = sum(sin(k x)); gradient k cos(k x)."""

    def __init__(self, x0, k):
        super().__init__(x0)
        self.k = float(k)

    def value(self, x):
        return np.sum(np.sin(self.k * x))

    def __repr__(self):
        return f"f(x) = sum(sin({self.k:g} * x))"


class LogSumExp(Probe):
    """f(x) = log(sum(exp(w * x))), every entry coupled to every other."""

    def __init__(self, x0, w):
        super().__init__(x0)
        self.w = w

    def value(self, x):
        s = self.w * x
        m = s.max()
        return m + np.log(np.sum(np.exp(s - m)))

    def __repr__(self):
        return "f(x) = log(sum(exp(w * x))), w fixed"


class LinearMSE(Probe):
    """f(W) = mean((A @ W - T)^2): the loss of a linear layer as a function of its weights."""

    def __init__(self, x0, A, T):
        super().__init__(x0)
        self.A, self.T = A, T

    def value(self, W):
        return np.mean((self.A @ W - self.T) ** 2)

    def __repr__(self):
        return f"f(W) = mean((A @ W - T)**2), A {self.A.shape}, T {self.T.shape}"


class TanhLayer(Probe):
    """f(x) = sum(tanh(x @ V)) for x of shape (..., D)."""

    def __init__(self, x0, V):
        super().__init__(x0)
        self.V = V

    def value(self, x):
        return np.sum(np.tanh(x @ self.V))

    def __repr__(self):
        return f"f(x) = sum(tanh(x @ V)), V {self.V.shape}"


def numerical_gradient_reference(f, x, eps=1e-6):
    return _numerical_gradient(f, np.array(x, dtype=np.float64), eps)


def _grad_case(label, make, x, **kwargs):
    """A case numerical_gradient(f=make(x), x=x, ...), with arguments by keyword (see above)."""
    return Case(label, (), {"f": make(x), "x": x, **kwargs})


def gradient_cases(rng):
    n, d = sizes(rng, 2, 6, 2)
    A, T, w = rng.normal(size=(8, d)), rng.normal(size=(8, 3)), rng.normal(size=(n, d))
    V1, V2 = rng.normal(size=(d, 2)), rng.normal(size=(d, 3))
    return [
        _grad_case("worked example", Square, np.array([1.0, 2.0, 3.0])),
        _grad_case(f"random 1-D ({n},)", lambda x: SineSum(x, 3), rng.normal(size=n)),
        _grad_case(f"random 2-D ({n}, {d})", lambda x: LogSumExp(x, w), rng.normal(size=(n, d))),
        _grad_case(f"weights W ({d}, 3) of a linear layer", lambda x: LinearMSE(x, A, T),
                   rng.normal(size=(d, 3))),
        _grad_case(f"random 3-D (2, {n}, {d})", lambda x: TanhLayer(x, V1),
                   rng.normal(size=(2, n, d))),
        _grad_case("eps = 1e-3 given", lambda x: SineSum(x, 3), rng.normal(size=(n, d)), eps=1e-3),
        _grad_case("a batch of one (1, D)", lambda x: TanhLayer(x, V2), rng.normal(size=(1, d))),
        _grad_case("one entry (1,)", lambda x: SineSum(x, 2), rng.normal(size=1)),
        _grad_case("x far from 0", lambda x: SineSum(x, 1), 50 * rng.normal(size=n)),
    ]


def _nd_variant(f, x, eps=1e-6, scheme="central", fixed_eps=None):
    x = np.array(x, dtype=np.float64)
    eps = fixed_eps if fixed_eps is not None else eps
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        if scheme == "forward":
            x[i] = old
            grad[i] = (f_plus - f(x)) / eps
        else:
            x[i] = old - eps
            grad[i] = (f_plus - f(x)) / (2 * eps if scheme == "central" else eps)
        x[i] = old
    return grad


_RESTORE = ("put x back after each entry: save old = x[i] before moving it and set x[i] = old "
            "after evaluating f(x + eps) and f(x - eps). Otherwise every later entry is "
            "differentiated at a shifted point, and the caller's x comes back changed")
_ONE_AT_A_TIME = ("move ONE entry at a time, for every entry whatever the shape of x: "
                  "`for i in np.ndindex(x.shape):` gives each index, then x[i] is one number. "
                  "`for i in range(len(x))` moves whole rows of a 2-D x, and x + eps moves every "
                  "entry (it measures the sum of all the partial derivatives)")


@dataclass(frozen=True)
class GradientCheck(FunctionCheck):
    """FunctionCheck for numerical_gradient: its mistakes are small (a forward difference is
    off by about eps), so a mistake is recognised when the learner's result is much closer
    to the mistake's than to the reference (the default rule, within 1e-5, would miss them)."""

    def _mistake_hint(self, case, arr, expected):
        arr = arr.astype(np.float64)
        for mistake, wrong in mistake_results(self.mistakes, case):
            try:
                wrong = np.asarray(wrong, dtype=np.float64)
            except Exception:  # noqa: BLE001 - that mistake did not return numbers
                continue
            if wrong.shape != arr.shape:
                continue
            if wrong.shape != expected.shape:
                if np.allclose(arr, wrong, rtol=1e-6, atol=1e-9):
                    return mistake.hint
                continue
            if np.allclose(wrong, expected, rtol=self.rtol, atol=self.atol):
                continue  # this mistake makes no difference on this case
            if np.all(np.abs(arr - wrong) <= 0.01 * np.abs(wrong - expected) + 1e-10):
                return mistake.hint
        return ""


NUMERICAL_GRADIENT = GradientCheck(
    name="numerical_gradient", signature="numerical_gradient(f, x, eps=1e-6)", params=("f", "x"),
    reference=numerical_gradient_reference, cases=gradient_cases,
    mistakes=(
        Mistake(lambda f, x, eps=1e-6: _nd_variant(f, x, eps, scheme="forward"),
                "use the central difference (f(x + eps) - f(x - eps)) / (2 eps): the one-sided "
                "(f(x + eps) - f(x)) / eps has an error of order eps, the central one of order eps**2"),
        Mistake(lambda f, x, eps=1e-6: _nd_variant(f, x, eps, scheme="half"),
                "divide by 2 eps: the points x + eps and x - eps are 2 eps apart"),
        Mistake(lambda f, x, eps=1e-6: _nd_variant(f, x, eps, fixed_eps=1e-6),
                "use the eps you are given (the argument), not a fixed 1e-6"),
    ),
    error_hints=(("was not put back", _RESTORE), ("moved at once", _ONE_AT_A_TIME),
                 ("f was called with an array of shape",
                  "call f with an array shaped like x (not flattened), with one entry moved")),
    shape_hint="the gradient has the shape of x: one partial derivative per entry",
    rtol=1e-7, atol=1e-9,
)
