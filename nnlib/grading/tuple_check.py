"""TupleCheck: checking an exercise function that returns several values.

``FunctionCheck`` (engine.py) judges one returned array. Functions such as
``l2_penalty -> (value, grads)`` or ``batchnorm_backward -> (dx, dgamma, dbeta)``
return a tuple, and ``dropout_forward`` is random, so equality with a reference
is not even the right test. A TupleCheck keeps FunctionCheck's verdicts (stub,
exception, numpy warning, input changed in place) and its mistake catalogue,
and hands the judgement of the returned value to a function:

    judge(case, got) -> None if right, else (summary, detail lines, hint)
    agree(got, wrong) -> True if the learner's result equals a mistake's result

The helpers below (split_result, compare_arrays, show_value, ...) build such judges.

``ResultCheck`` is the plainer base of chapter 01's ValueCheck and chapter 03's
PartsCheck: FunctionCheck's case loop, comparing with the reference's result on
each case, with the judgement of the returned value left to ``judge_result``.
"""

import copy
from dataclasses import dataclass

import numpy as np

from nnlib.grading.engine import (
    FunctionCheck, mistake_results, numpy_warnings, show_field, unchanged_array,
)
from nnlib.grading.result import FAILED, PASSED, Outcome

RTOL, ATOL = 1e-7, 1e-9


@dataclass(frozen=True)
class TupleCheck(FunctionCheck):
    """A FunctionCheck for a function that returns several values.

    judge(case, got) -> None when ``got`` is right for ``case``, else
        (summary, detail lines, hint or ""); ``got`` is what the learner returned.
    agree(got, wrong) -> True when the learner's ``got`` equals a mistake's result
        (needed when ``mistakes`` are given; a mistake's hint is used only when
        ``judge`` rejects the mistake's own result on that case).
    repeat: call twice per case and require the same result (random functions
        must take their randomness from their rng argument).
    part_names: pairs (param, names of its parts), to show a tuple argument
        readably, e.g. (("cache", ("x_hat", "gamma", "inv_std")),).
    """

    judge: object = None
    agree: object = None
    repeat: bool = False
    part_names: tuple = ()

    def __call__(self, call, rng):
        cases = self.cases(rng)
        for k, case in enumerate(cases, 1):
            result = call(*case.args, **case.kwargs)
            inputs = self._show_inputs(case)  # the old name: chapter 06 and 07 override it
            if result.error is not None:
                status, summary, details, hint = self.judge_error(k, case, result, inputs)
                if status == FAILED:
                    summary = f'case {k} of {len(cases)} "{case.label}": {summary}'
                return Outcome(status, len(cases), k, summary, tuple(details), hint)
            problem = self._judge_value(case, result)
            if problem is None and self.repeat:
                again = call(*case.args, **case.kwargs)
                if again.error is None and not equal(again.value, result.value):
                    problem = ("a second call with the same rng gave a different result", [],
                               "draw every random number from the rng argument (e.g. "
                               "rng.random(x.shape)), never from np.random: the same rng "
                               "state must give the same result")
            if problem is not None:
                summary, details, hint = problem
                return Outcome(FAILED, len(cases), k, f'case {k} of {len(cases)} "{case.label}": {summary}',
                               tuple(inputs + list(details)), hint)
        return Outcome(PASSED, n_cases=len(cases))

    def _judge_value(self, case, result):
        problem = self.judge(case, result.value)
        if problem is not None:
            summary, details, hint = problem
            return summary, details, self._tuple_mistake_hint(case, result.value) or hint or (
                "compare your code with the formulas stated above the exercise")
        warned = numpy_warnings(result)
        if warned:
            return ("numpy warned (" + warned[0].split(": ", 1)[-1] + ")", [],
                    "your code divides by zero or overflows somewhere: look at the zeros of the input")
        for name, before, after in zip(self.params, case.args, result.args_after):
            if not unchanged(before, after):
                return (f"changed its input {name} in place", [],
                        f"your function wrote into the caller's {name} (e.g. w *= ... or "
                        f"x[...] = ...): compute new arrays instead")
        return None

    def _tuple_mistake_hint(self, case, got):
        for mistake, wrong in mistake_results(self.mistakes, case):
            if self.judge(case, wrong) is not None and self.agree(got, wrong):
                return mistake.hint
        return ""

    def show_inputs(self, case):
        """Detail lines for the arguments; a tuple argument named in part_names part by part."""
        lines = []
        parts_of = dict(self.part_names)
        for name, value in list(zip(self.params, case.args)) + list(case.kwargs.items()):
            if name in parts_of and isinstance(value, (tuple, list)) and len(value) == len(parts_of[name]):
                for part, v in zip(parts_of[name], value):
                    lines += show_value(f"{name} {part}", v)
            else:
                lines += show_value(name, value)
        return lines


def show_value(name, value):
    """Detail lines for an argument or result: arrays, lists of arrays, a Generator, None."""
    if isinstance(value, np.random.Generator):
        return [f"{name:<8} = a numpy Generator (np.random.default_rng(...))"]
    if isinstance(value, (list, tuple)):
        if not value:
            return [f"{name:<8} = {'[]' if isinstance(value, list) else '()'}"]
        lines = []
        for i, v in enumerate(value):
            lines += show_value(f"{name}[{i}]", v)
        return lines
    if value is None or isinstance(value, bool):
        return [f"{name:<8} = {value}"]
    return show_field(name, value)


def unchanged(before, after):
    if isinstance(before, np.ndarray):
        return unchanged_array(before, after)
    if isinstance(before, (list, tuple)):
        return (isinstance(after, (list, tuple)) and len(before) == len(after)
                and all(unchanged(b, a) for b, a in zip(before, after)))
    return True


def equal(a, b):
    try:
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
        if a is None or b is None:
            return a is None and b is None
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype.kind in "biuf" and b.dtype.kind in "biuf":
            return np.array_equal(a.astype(np.float64), b.astype(np.float64), equal_nan=True)
        return np.array_equal(a, b)
    except Exception:  # noqa: BLE001
        return False


def numbers(value):
    """``value`` as a float ndarray, or None if it is not numbers."""
    try:
        arr = np.asarray(value)
    except Exception:  # noqa: BLE001
        return None
    return arr.astype(np.float64) if arr.dtype.kind in "biuf" else None


def close(got, expected, rtol=RTOL, atol=ATOL):
    arr = numbers(got)
    return (arr is not None and arr.shape == np.shape(expected)
            and np.allclose(arr, expected, rtol=rtol, atol=atol, equal_nan=True))


def split_result(got, n, names):
    """(parts, None) when ``got`` is a tuple/list of n values, else (None, problem)."""
    if isinstance(got, (tuple, list)) and len(got) == n:
        return list(got), None
    what = f"{len(got)} values" if isinstance(got, (tuple, list)) else (
        "None" if got is None else f"a {type(got).__name__}")
    return None, (f"returned {what}, not {n} values", [], f"return {n} values: `return {names}`")


def compare_arrays(got_parts, expected_parts, names, shape_hints):
    """First wrong part of a tuple result: (summary, details, hint) or None."""
    for g, e, name, hint in zip(got_parts, expected_parts, names, shape_hints):
        arr = numbers(g)
        if arr is None:
            return f"{name} is not an array of numbers", show_value(f"{name} got", g), f"return {name} as a numpy array"
        if arr.shape != np.shape(e):
            return (f"{name} has shape {arr.shape}, expected {np.shape(e)}", [], hint)
        if not np.allclose(arr, e, rtol=RTOL, atol=ATOL):
            return (f"wrong {name}", show_field(f"{name} expected", e) + show_field(f"{name} got", arr), "")
    return None


@dataclass(frozen=True)
class ResultCheck(FunctionCheck):
    """A FunctionCheck for a function whose result is not one array.

    The case loop is FunctionCheck's (the reference runs on a copy of the
    arguments, so a reference may change them); a subclass judges the value:

        judge_result(case, result, expected, seen) -> None if right, else
            (summary, detail lines, hint); ``result`` is the calls.Call,
            ``seen`` the (case, value) pairs of the cases passed so far.
    """

    def __call__(self, call, rng):
        cases = self.cases(rng)
        seen = []  # (case, returned value) of the cases passed so far
        for k, case in enumerate(cases, 1):
            result = call(*case.args, **case.kwargs)
            expected = self.reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            inputs = self.show_inputs(case)
            if result.error is not None:
                status, summary, details, hint = self.judge_error(k, case, result, inputs)
            else:
                problem = self.judge_result(case, result, expected, seen)
                if problem is None:
                    seen.append((case, result.value))
                    continue
                status, (summary, details, hint) = FAILED, problem
                details = inputs + list(details)
            if status == FAILED:
                summary = f'case {k} of {len(cases)} "{case.label}": {summary}'
            return Outcome(status, len(cases), k, summary, tuple(details), hint)
        return Outcome(PASSED, n_cases=len(cases))

    def judge_result(self, case, result, expected, seen):
        raise NotImplementedError(f"{type(self).__name__} must define judge_result")
