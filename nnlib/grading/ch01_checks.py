"""ValueCheck, the check of chapter 01's exercises that return a number, None or a pair.

Exercises 1.2 to 1.4 (find_threshold -> int or None, perceptron_step and
perceptron_fit -> (w, b)) return something other than one array, so their check
is a ``ValueCheck``: FunctionCheck's verdicts (stub, exception, numpy warning,
input changed in place), input display and mistake catalogue, with ``compare``
judging the returned value. Chapter 01 of the notebooks explains the exercises.
"""

from dataclasses import dataclass

import numpy as np

from nnlib.grading.engine import (
    fmt, hard_coded_hint, mistake_results, numpy_warnings, same_values, show_field, unchanged_array,
)
from nnlib.grading.tuple_check import ResultCheck


@dataclass(frozen=True)
class ValueCheck(ResultCheck):
    """A FunctionCheck for a function whose result is not one array.

    compare(got, expected) -> None when ``got`` is right, else (summary, detail
        lines, hint or ""); ``got`` is what the learner returned.
    show(name, value) -> detail lines for a value (expected or got).
    mutation_hints: {param name: hint} for a function that changed that input.
    """

    compare: object = None
    show: object = None
    mutation_hints: tuple = ()

    def judge_result(self, case, result, expected, seen):
        got = result.value
        problem = self.compare(got, expected)
        if problem is not None:
            summary, details, hint = problem
            shown = self.show("expected", expected) + self.show("got", got)
            hint = (self._mistake_value_hint(case, got, expected) or hint
                    or hard_coded_hint(got, seen))
            return summary, shown + list(details), hint or (
                "compare your code with the rule stated above the exercise")
        warned = numpy_warnings(result)
        if warned:
            return ("numpy warned (" + warned[0].split(": ", 1)[-1] + ")", [],
                    "your code over- or underflows here: look for a huge or undefined number")
        for name, before, after in zip(self.params, case.args, result.args_after):
            if isinstance(before, np.ndarray) and not unchanged_array(before, after):
                hint = dict(self.mutation_hints).get(name) or (
                    f"your function changed the caller's array {name}: compute a new array instead")
                return (f"changed its input {name} in place",
                        show_field(f"{name} after", after), hint)
        return None

    def _mistake_value_hint(self, case, got, expected):
        """The hint of the first catalogued mistake that returns what the learner returned."""
        for mistake, wrong in mistake_results(self.mistakes, case):
            if self.compare(wrong, expected) is not None and (
                    same_values(got, wrong) or self.compare(got, wrong) is None):
                return mistake.hint
        return ""


def show_value(name, value):
    """Detail lines for a returned value: None, a number, or a pair (w, b)."""
    if value is None:
        return [f"{name:<8} = None"]
    if isinstance(value, (tuple, list)) and len(value) == 2:
        w, b = (" ".join(fmt(v).split()) for v in value)
        return [f"{name:<8} = w {w}, b {b}"]
    try:
        if np.asarray(value).dtype.kind in "biuf":
            return show_field(name, value)
    except Exception:  # noqa: BLE001 - shown as text below
        pass
    return [f"{name:<8} = a {type(value).__name__}: {str(value)[:60]}"]



def gate(name):
    """The truth table (X (4, 2), y (4,)) of a logic gate, e.g. gate("and")."""
    from nnlib.data import logic_gate

    return logic_gate(name)
