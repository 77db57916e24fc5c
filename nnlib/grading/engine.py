"""Checking an exercise function against nnlib's reference, case by case.

The shared interface of every check (a registry entry's ``check``):

    check(call, rng) -> Outcome

``call(*args, **kwargs)`` runs the learner's function and returns a
``calls.Call`` (value or exception, numpy warnings, the arguments after the
call); ``rng`` is a numpy Generator for the random cases. A check never calls
learner code itself, so the same check runs in the notebook and in the
isolated command-line grader.

``FunctionCheck`` is the check for "implement this function": its cases are
built from ``rng`` (random shapes and values plus fixed edge cases), each
result is compared with the reference (float64 tolerances rtol 1e-7, atol
1e-12) and must have the right type and shape, raise no numpy warning and leave
its input unchanged. The first failing case is reported with its input,
expected and got, and a hint: from the mistake catalogue when the learner's
output equals a known-wrong implementation's output on that case, otherwise
from what went wrong (warning, nan, shape, exception, a hard-coded answer).

The public helpers at the bottom (``show_field``, ``fmt``, ``numpy_warnings``,
``mistake_results``, ``matching_mistake``, ``same_values``, ``hard_coded_hint``,
``unchanged_array``) are what the other checks (tuple_check.py, the chapter
modules) build on.
"""

import copy
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from nnlib.grading.result import FAILED, NOT_IMPLEMENTED, PASSED, Outcome

RTOL, ATOL = 1e-7, 1e-12

MATH_HINT = ("math.exp and friends take one number; np.exp, np.tanh, np.maximum and "
             "np.where work on whole arrays of any shape")
IF_HINT = ("`if z > 0:` decides for one number only; for arrays use np.where(condition, a, b) "
           "or np.maximum, which decide elementwise")
ZERO_D_HINT = ("a single number (a 0-D array) has no length and no rows: avoid loops, len() and "
               "indexing, and use numpy's elementwise operations, which work for every shape")
AXIS_HINT = ("your code assumes more axes than this input has: use axis=-1 (the last axis), "
             "which exists for 1-D, 2-D and 3-D input alike")
# (text found in "Type: message", hint); {signature} is filled in.
GENERIC_ERROR_HINTS = (
    ("unexpected keyword argument", "keep the signature {signature}"),
    ("positional argument", "keep the signature {signature}"),
    ("could not be broadcast", "the shapes in one of your operations do not fit together; "
                               "print the .shape of each operand for this input"),
    ("out of bounds for array of dimension", AXIS_HINT),
    ("truth value of an array", IF_HINT),
    ("only length-1 arrays", MATH_HINT), ("only 0-dimensional arrays", MATH_HINT),
    ("only size-1 arrays", MATH_HINT), ("must be real number", MATH_HINT),
    ("iteration over a 0-d array", ZERO_D_HINT), ("len() of unsized object", ZERO_D_HINT),
    ("too many indices", ZERO_D_HINT),
    ("SystemExit", "your function called sys.exit() or exit(): a function ends with `return`"),
    ("UnreadableResult", "return a numpy array (np.ndarray): the grader reads numbers, not other objects"),
    ("NameError", "a name is not defined: run the cells above first (including the imports "
                  "and any function yours uses)"),
)


class Exercise(NamedTuple):
    """A registry entry: Exercise 2.7 is Exercise(chapter=2, number=7, check=SOFTMAX).

    ``check(call, rng) -> Outcome``; ``points`` earned when it passes.
    """

    chapter: int
    number: int
    check: object
    points: int = 1


@dataclass(frozen=True)
class Case:
    """One input: ``args`` / ``kwargs`` for the function, a label the learner reads,
    and optionally the hint to give if numpy warns on this input."""

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    warn_hint: str = ""


@dataclass(frozen=True)
class Mistake:
    """A known-wrong implementation and the hint for a learner whose output equals it."""

    fn: object
    hint: str


@dataclass(frozen=True)
class FunctionCheck:
    """The check for an exercise that implements one function.

    name, signature: e.g. "leaky_relu", "leaky_relu(z, alpha=0.01)".
    params:    names of the positional arguments, for display, e.g. ("z",).
    reference: the trusted implementation (nnlib), same signature.
    cases:     rng -> list of Case (a fixed number of cases, so that a pass
               prints the same text every time).
    mistakes:  Mistake tuple, most specific first.
    warn_hint, shape_hint: hints for a numpy warning / a wrong shape.
    error_hints: (text, hint) pairs tried before the generic ones.
    """

    name: str
    signature: str
    params: tuple
    reference: object
    cases: object
    mistakes: tuple = ()
    warn_hint: str = ""
    shape_hint: str = "return an array with the shape of the input"
    error_hints: tuple = ()
    rtol: float = RTOL
    atol: float = ATOL

    def __call__(self, call, rng):
        cases = self.cases(rng)
        seen = []  # (case, returned array) of the cases passed so far
        for k, case in enumerate(cases, 1):
            result = call(*case.args, **case.kwargs)
            expected = np.asarray(self.reference(*case.args, **case.kwargs))
            problem = self._judge(k, case, result, expected, seen)
            if problem is not None:
                status, summary, details, hint = problem
                if status == FAILED:
                    summary = f'case {k} of {len(cases)} "{case.label}": {summary}'
                return Outcome(status, len(cases), k, summary, tuple(details), hint)
            seen.append((case, np.asarray(result.value)))
        return Outcome(PASSED, n_cases=len(cases))

    def _judge(self, k, case, result, expected, seen):
        """None if ``result`` is right for ``case``, else (status, summary, details, hint)."""
        if result.error is not None:
            return self.judge_error(k, case, result, self.show_inputs(case))
        problem = self._judge_value(case, result, expected, seen)
        if problem is not None:
            summary, details, hint = problem
            return FAILED, summary, self.show_inputs(case) + details, hint
        return None

    def _judge_value(self, case, result, expected, seen):
        """None if the returned value is right, else (summary, details, hint)."""
        warned = numpy_warnings(result)
        notes = [f"numpy warned: {w}" for w in dict.fromkeys(warned)]
        got = result.value
        if got is None:
            return "returned None", [], "your function returns nothing: did you forget `return`?"
        if isinstance(got, (list, tuple)):
            return (f"returned a {type(got).__name__}, not a numpy array", [],
                    "return a numpy array: compute with numpy on the whole array at once "
                    "(or convert at the end with np.asarray)")
        arr = as_array(got, expected)
        if arr is None or arr.dtype.kind not in "biuf":
            what = f"an array of {arr.dtype}" if arr is not None else f"a {type(got).__name__}"
            return (f"returned {what}, not an array of numbers", [],
                    "return a numpy array of floats, shaped like the expected result")
        shown = show_field("expected", expected) + show_field("got", arr)
        if arr.shape != expected.shape:
            hint = self._mistake_hint(case, arr, expected) or hard_coded_hint(arr, seen) \
                or self.shape_hint
            return f"returned shape {arr.shape}, expected {expected.shape}", shown + notes, hint
        close = np.isclose(arr.astype(np.float64), expected, rtol=self.rtol, atol=self.atol)
        if not close.all():
            diff = self._first_difference(case, arr, expected, close)
            hint = (self._mistake_hint(case, arr, expected)
                    or (warned and (case.warn_hint or self.warn_hint))
                    or hard_coded_hint(arr, seen)
                    or (np.isnan(arr.astype(np.float64)).any() and
                        "your result contains nan: inf / inf, 0 / 0 or inf - inf happened "
                        "somewhere (look at the large or equal entries of the input)")
                    or "compare your formula with the one stated above the exercise")
            return "wrong values", shown + [diff] + notes, hint
        if warned:
            return ("numpy warned (" + warned[0].split(": ", 1)[-1] + ")",
                    notes, case.warn_hint or self.warn_hint or
                    "your code over- or underflows here: rewrite it so no step overflows")
        for name, before, after in zip(self.params, case.args, result.args_after):
            if isinstance(before, np.ndarray) and not unchanged_array(before, after):
                return (f"changed its input {name} in place", show_field(f"{name} after", after),
                        f"your function wrote into the caller's array {name} (e.g. {name}[...] = ... "
                        f"or {name} *= ...): compute a new array instead, or start from {name}.copy()")
        return None

    def judge_error(self, k, case, result, inputs):
        """The verdict for a call that raised: (status, summary, detail lines, hint).

        ``k`` is the case number (a stub's NotImplementedError on case 1 means "not
        implemented"); ``inputs`` are the detail lines showing the case's arguments.
        """
        etype, message, where = result.error
        if etype == "NotImplementedError" and k == 1:
            own_stub = not message or message.endswith(f"implement {self.name}")
            summary = "" if own_stub else f"it raised NotImplementedError: {message}"
            return (NOT_IMPLEMENTED, summary, [],
                    "replace the line `raise NotImplementedError(...)` with your code, "
                    "run that cell, then run the check again")
        lines = inputs + [f"raised {etype}: {message}"] + ([f"at {where}"] if where else [])
        return FAILED, f"raised {etype}", lines, self._error_hint(etype, message)

    _judge_error = judge_error  # the older name, still used by chapter 04

    def _error_hint(self, etype, message):
        text = f"{etype}: {message}"
        for needle, hint in self.error_hints + GENERIC_ERROR_HINTS:
            if needle in text:
                return hint.format(signature=self.signature)
        return f"your function raised {etype} for this input; the signature is {self.signature}"

    def _mistake_hint(self, case, arr, expected):
        """The hint of the first catalogued mistake whose output equals the learner's."""
        return matching_mistake(self.mistakes, case, arr, expected)

    def show_inputs(self, case):
        """Detail lines showing the case's arguments, 'name = value' each."""
        lines = []
        for name, value in zip(self.params, case.args):
            lines += show_field(name, value)
        for name, value in case.kwargs.items():
            lines += show_field(name, value)
        return lines

    def _show_inputs(self, case):
        # The older name: chapter 06 and 07 checks override it, TupleCheck calls it.
        return self.show_inputs(case)

    def _first_difference(self, case, arr, expected, close):
        index = tuple(int(i) for i in np.argwhere(~close)[0])
        where = f"[{', '.join(map(str, index))}]" if index else "(the only entry)"
        first = case.args[0] if case.args else None
        at = ""
        if isinstance(first, np.ndarray) and first.shape == expected.shape:
            at = f" ({self.params[0]} = {fmt(first[index], 8)})"
        return (f"first difference at {where}{at}: expected {fmt(expected[index], 8)}, "
                f"got {fmt(arr[index], 8)}")


def numpy_warnings(result):
    """The numpy warnings (RuntimeWarning, FloatingPointError) a call raised, as text."""
    return [w for w in result.warnings if w.startswith(("RuntimeWarning", "FloatingPointError"))]


def mistake_results(mistakes, case):
    """(mistake, its result on ``case``) for each catalogued mistake that runs on it.

    Each mistake gets copies of the arguments; one that raises is skipped.
    """
    for mistake in mistakes:
        try:
            with np.errstate(all="ignore"):
                wrong = mistake.fn(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        except Exception:  # noqa: BLE001 - that mistake cannot even run on this case
            continue
        yield mistake, wrong


def matching_mistake(mistakes, case, arr, expected, pick=None):
    """The hint of the first mistake whose output equals the learner's array ``arr``.

    ``pick(output)`` selects the part to compare (default: the whole output); a
    mistake that gives ``expected`` on this case is no mistake here. "" if none.
    """
    for mistake, wrong in mistake_results(mistakes, case):
        try:
            wrong = np.asarray(wrong if pick is None else pick(wrong), dtype=np.float64)
        except Exception:  # noqa: BLE001 - that mistake's output has no such part
            continue
        if wrong.shape != arr.shape or (wrong.shape == expected.shape and
                                        np.allclose(wrong, expected, equal_nan=True)):
            continue
        if np.allclose(arr.astype(np.float64), wrong, rtol=1e-6, atol=1e-9, equal_nan=True):
            return mistake.hint
    return ""


def same_values(a, b):
    """True if two results are identical numbers: arrays, numbers, None, tuples, dicts."""
    try:
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(same_values(a[k], b[k]) for k in a)
        if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
            return len(a) == len(b) and all(same_values(x, y) for x, y in zip(a, b))
        if a is None or b is None:
            return a is None and b is None
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype.kind in "biuf" and np.array_equal(a, b)
    except Exception:  # noqa: BLE001 - a strange value is simply not equal
        return False


def hard_coded_hint(got, seen):
    """A hint if ``got`` equals the value returned for an earlier, different case."""
    for j, (case, previous) in enumerate(seen, 1):
        if same_values(got, previous):
            return (f"your function returned exactly what it returned for case {j} "
                    f'("{case.label}"), whose input was different: is the answer hard-coded?')
    return ""


def unchanged_array(before, after):
    """True if the array ``after`` the call equals the argument ``before`` it (nan == nan)."""
    after = np.asarray(after)
    return before.shape == after.shape and np.array_equal(before, after, equal_nan=True)


def as_array(got, expected):
    """The learner's value as an ndarray, or None if it is not array-like."""
    if isinstance(got, np.ndarray):
        return got
    if isinstance(got, np.generic) or (isinstance(got, (int, float)) and expected.ndim == 0):
        return np.asarray(got)
    return None


def fmt(value, precision=4):
    """Compact text for a number or a small array (long arrays are summarised)."""
    a = np.asarray(value)
    if a.dtype.kind not in "biuf":
        return repr(value)
    return np.array2string(a, precision=precision, suppress_small=True, threshold=30,
                           edgeitems=2, max_line_width=72)


def show_field(name, value):
    """Detail lines 'name = value', continuation lines aligned under the value."""
    head = f"{name:<8} = "
    text = fmt(value).splitlines()
    return [head + text[0]] + [" " * len(head) + line for line in text[1:]]


# The older private names, still imported by chapter 05, 06 and 07 modules.
_fmt, _field, _same, _as_array = fmt, show_field, unchanged_array, as_array
