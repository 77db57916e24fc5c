"""Chapter 04 (optimizers): the machinery of the step checks (Exercises 4.2 to 4.6).

The references are ``nnlib.optim`` itself, started from the state a case gives
(so the expected numbers are torch.optim's), and ``StepCheck`` judges a
function that returns several arrays, ``(w, v)`` or ``(w, m, v)``: each by
engine.FunctionCheck's rules (shape, values, numpy warnings, inputs changed in
place), in order, with the mistake catalogue applied to each. The cases and
the mistakes are in ``ch04_optimizers``.
"""

import copy
from dataclasses import dataclass

import numpy as np

from nnlib import optim
from nnlib.grading.calls import Call
from nnlib.grading.engine import FunctionCheck, Mistake
from nnlib.grading.result import FAILED, PASSED, Outcome


# --- the references: nnlib.optim, started from the case's state ----------------------------

def _run(opt, w, grad, state):
    params, opt.state["w"] = {"w": np.array(w, dtype=np.float64)}, state
    opt.step(params, {"w": np.asarray(grad, dtype=np.float64)})
    return params["w"], opt.state["w"]


def ref_gd(w, grad, lr):
    return _run(optim.SGD(lr), w, grad, {"step": 0})[0]


def ref_momentum(w, grad, v, lr, beta, nesterov=False):
    if beta == 0:  # v = 0 * v + grad = grad, and both forms are plain gradient descent
        return ref_gd(w, grad, lr), np.array(grad, dtype=np.float64)
    # a state at step 1 with a buffer: torch's update v = beta v + g (its first step
    # sets v = g, the same as starting from v = 0)
    opt = optim.SGD(lr, momentum=beta, nesterov=nesterov)
    w, state = _run(opt, w, grad, {"step": 1, "momentum_buffer": np.array(v, dtype=np.float64)})
    return w, state["momentum_buffer"]


def ref_nesterov(w, grad, v, lr, beta):
    return ref_momentum(w, grad, v, lr, beta, nesterov=True)


def ref_rmsprop(w, grad, s, lr, beta=0.9, eps=1e-8):
    w, state = _run(optim.RMSprop(lr, alpha=beta, eps=eps), w, grad,
                    {"step": 0, "square_avg": np.array(s, dtype=np.float64)})
    return w, state["square_avg"]


def ref_adam(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=None):
    opt = (optim.Adam(lr, betas=(beta1, beta2), eps=eps) if weight_decay is None else
           optim.AdamW(lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay))
    w, state = _run(opt, w, grad, {"step": int(t) - 1, "exp_avg": np.array(m, dtype=np.float64),
                                   "exp_avg_sq": np.array(v, dtype=np.float64)})
    return w, state["exp_avg"], state["exp_avg_sq"]


def ref_adamw(w, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
    return ref_adam(w, grad, m, v, t, lr, beta1, beta2, eps, weight_decay=weight_decay)


# --- StepCheck: a function returning several arrays --------------------------------------------

@dataclass(frozen=True)
class StepCheck(FunctionCheck):
    """A FunctionCheck for ``f(...) -> (out_1, ..., out_K)``, K = len(outputs) arrays.

    ``reference`` and every mistake's ``fn`` return such a tuple. Each returned
    array is judged by FunctionCheck's rules against the reference's, in order;
    the first wrong one is reported with its name, e.g. "v (returned value 2 of 2)".
    """

    outputs: tuple = ()

    def __call__(self, call, rng):
        cases = self.cases(rng)
        seen = [[] for _ in self.outputs]
        for k, case in enumerate(cases, 1):
            result = call(*case.args, **case.kwargs)
            expected = self.reference(*copy.deepcopy(case.args), **case.kwargs)
            problem = self._judge_tuple(k, case, result, expected, seen)
            if problem is not None:
                status, summary, details, hint = problem
                if status == FAILED:
                    summary = f'case {k} of {len(cases)} "{case.label}": {summary}'
                return Outcome(status, len(cases), k, summary, tuple(details), hint)
            for i, got in enumerate(result.value):
                seen[i].append((case, np.asarray(got)))
        return Outcome(PASSED, n_cases=len(cases))

    def _judge_tuple(self, k, case, result, expected, seen):
        if result.error is not None:
            return self._judge_error(k, case, result, self._show_inputs(case))
        got, n, names = result.value, len(self.outputs), ", ".join(self.outputs)
        if not (isinstance(got, (tuple, list)) and len(got) == n):
            if isinstance(got, np.ndarray) and got.shape == np.shape(expected[0]):
                hint = (f"you returned only the new {self.outputs[0]}; return all of ({names}): "
                        f"the caller keeps the new state for the next step")
            else:
                hint = f"end with `return {names}`"
            what = (f"{len(got)} values" if isinstance(got, (tuple, list)) else
                    "None" if got is None else f"a {type(got).__name__}")
            return FAILED, f"returned {what}, not the {n} values ({names})", self._show_inputs(case), hint
        for i, name in enumerate(self.outputs):
            part = _PartCheck(
                name=self.name, signature=self.signature, params=self.params, reference=None,
                cases=None, warn_hint=self.warn_hint, rtol=self.rtol, atol=self.atol,
                shape_hint=f"return {name} with the shape of the input {self.params[0]}",
                mistakes=tuple(Mistake(_part(m.fn, i), m.hint) for m in self.mistakes))
            one = Call(value=got[i], warnings=result.warnings, args_after=result.args_after)
            problem = part._judge(k, case, one, np.asarray(expected[i]), seen[i])
            if problem is not None:
                status, summary, details, hint = problem
                return status, f"{name} (returned value {i + 1} of {n}) {summary}", details, hint
        return None


def _part(fn, i):
    return lambda *args, **kwargs: fn(*args, **kwargs)[i]


@dataclass(frozen=True)
class _PartCheck(FunctionCheck):
    """FunctionCheck for one returned array, with a finer test for "equals a mistake".

    Some mistakes (eps inside the square root) change the result by less than
    FunctionCheck's 1e-5 "same as expected" margin but more than the 1e-7
    tolerance. Such a mistake is recognised when the learner's result is a
    thousand times closer to the mistake's result than the mistake's is to the
    right one.
    """

    def _mistake_hint(self, case, arr, expected):
        got = arr.astype(np.float64)
        for mistake in self.mistakes:
            try:
                with np.errstate(all="ignore"):
                    wrong = np.asarray(mistake.fn(*copy.deepcopy(case.args), **case.kwargs), dtype=np.float64)
            except Exception:  # noqa: BLE001 - that mistake cannot even run on this case
                continue
            if wrong.shape != got.shape or np.allclose(wrong, expected, rtol=self.rtol, atol=self.atol):
                continue
            if not np.array_equal(np.isfinite(wrong), np.isfinite(got)):
                continue
            finite = np.isfinite(wrong)
            if not np.array_equal(wrong[~finite], got[~finite], equal_nan=True):
                continue
            gap = np.max(np.abs(wrong - expected)[finite], initial=0.0)
            if not finite.all() or np.max(np.abs(got - wrong)[finite], initial=0.0) <= 1e-3 * gap:
                if np.allclose(got[finite], wrong[finite], rtol=1e-6, atol=1e-9):
                    return mistake.hint
        return ""
