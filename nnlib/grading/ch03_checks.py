"""PartsCheck, the check of chapter 03's exercises that return several arrays.

Exercises 3.2 dense_backward -> (dX, dW, db), 3.6 softmax_cross_entropy ->
(loss, dlogits) and 3.8 two_layer_net -> (loss, grads) return a tuple (with a
dict of gradients inside for 3.8). A PartsCheck judges each part (``dW``,
``grads["b1"]``...) like a FunctionCheck judges its one array, and says which
part is wrong. Chapter 03 of the notebooks explains the exercises.
"""

from dataclasses import dataclass

import numpy as np

from nnlib.grading.engine import (
    as_array, fmt, hard_coded_hint, matching_mistake, numpy_warnings, show_field,
)
from nnlib.grading.tuple_check import ResultCheck


def pick(value, path):
    """The part of ``value`` at ``path``: pick((loss, grads), (1, "W1")) is grads["W1"]."""
    for key in path:
        value = value[key]
    return value


def sizes(rng, lo=2, hi=6, k=3):
    """k different sizes in [lo, hi): a non-square case, so no shape fits by accident."""
    return [int(s) for s in rng.choice(np.arange(lo, hi), size=k, replace=False)]


@dataclass(frozen=True)
class PartsCheck(ResultCheck):
    """A FunctionCheck for a function returning several arrays, e.g. (dX, dW, db).

    parts:     ((label, path), ...): where each part sits in the returned value,
               e.g. ("dW", (1,)) or ('grads["b1"]', (1, "b1")); checked in this order.
    returns:   how the result is written, e.g. "(dX, dW, db)", for the hints.
    part_hints: ((label, hint), ...) for a part of the wrong shape.
    mutation_hint: the hint for a function that changed one of its inputs.
    """

    parts: tuple = ()
    returns: str = ""
    part_hints: tuple = ()
    mutation_hint: str = ""

    def _structure(self, got):
        """None if ``got`` has the parts where they belong, else (summary, details, hint)."""
        n = 1 + max(path[0] for _, path in self.parts)
        hint = f"return {n} values, in this order: `return {self.returns.strip('()')}`"
        if not isinstance(got, (tuple, list)):
            return f"returned a {type(got).__name__}, expected {self.returns}", [], hint
        if len(got) != n:
            return f"returned {len(got)} values, expected {n}: {self.returns}", [], hint
        for label, path in self.parts:
            if len(path) > 1:
                holder = got[path[0]]
                if not isinstance(holder, dict):
                    return (f"returned a {type(holder).__name__} where the dict of gradients "
                            f"belongs", [], f"the gradients are a dict with the keys of params: "
                            f"{{'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}}")
                if path[1] not in holder:
                    keys = ", ".join(map(repr, holder)) or "none"
                    return (f"the gradients have no key {path[1]!r} (keys: {keys})", [],
                            "use the same keys as params: 'W1', 'b1', 'W2', 'b2'")
        return None

    def judge_result(self, case, result, expected, seen):
        got = result.value
        if got is None:
            return "returned None", [], "your function returns nothing: did you forget `return`?"
        problem = self._structure(got)
        if problem is not None:
            return problem
        warned = numpy_warnings(result)
        notes = [f"numpy warned: {w}" for w in dict.fromkeys(warned)]
        for label, path in self.parts:
            exp = np.asarray(pick(expected, path))
            arr = as_array(pick(got, path), exp)
            if arr is None or arr.dtype.kind not in "biuf":
                what = f"an array of {arr.dtype}" if arr is not None else \
                    f"a {type(pick(got, path)).__name__}"
                return (f"{label} is {what}, not numbers", [],
                        f"{label} must be a numpy array of floats (a loss: one float)")
            shown = show_field(f"expected {label}", exp) + show_field(f"got {label}", arr)
            if arr.shape != exp.shape:
                hint = (self._part_mistake(case, path, arr, exp)
                        or dict(self.part_hints).get(label)
                        or f"{label} must have shape {exp.shape}")
                return f"{label} has shape {arr.shape}, expected {exp.shape}", shown + notes, hint
            close = np.isclose(arr.astype(np.float64), exp, rtol=self.rtol, atol=self.atol)
            if not close.all():
                index = tuple(int(i) for i in np.argwhere(~close)[0])
                where = f"[{', '.join(map(str, index))}]" if index else "(the only entry)"
                diff = (f"first difference in {label} at {where}: expected "
                        f"{fmt(exp[index], 8)}, got {fmt(arr[index], 8)}")
                hint = (self._part_mistake(case, path, arr, exp)
                        or (warned and (case.warn_hint or self.warn_hint))
                        or hard_coded_hint(got, seen)
                        or (np.isnan(arr.astype(np.float64)).any() and
                            "your result contains nan: inf - inf, 0 * inf or 0 / 0 happened "
                            "somewhere (look at the large entries of the input)")
                        or "compare your formulas with the ones stated above the exercise")
                return f"{label}: wrong values", shown + [diff] + notes, hint
        if warned:
            return ("numpy warned (" + warned[0].split(": ", 1)[-1] + ")", notes,
                    case.warn_hint or self.warn_hint or
                    "your code over- or underflows here: rewrite it so no step overflows")
        for name, before, after in zip(self.params, case.args, result.args_after):
            changed = _changed(before, after)
            if changed:
                return (f"changed its input {name}{changed} in place", [],
                        self.mutation_hint or f"your function wrote into the caller's {name}: "
                        "compute new arrays instead")
        return None

    def _part_mistake(self, case, path, arr, exp):
        """The hint of the first catalogued mistake whose part at ``path`` equals the learner's."""
        return matching_mistake(self.mistakes, case, arr, exp, pick=lambda wrong: pick(wrong, path))

    def show_inputs(self, case):
        """Detail lines for the arguments; a dict (params) is shown as its shapes."""
        lines = []
        for name, value in list(zip(self.params, case.args)) + list(case.kwargs.items()):
            if isinstance(value, dict):
                shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in value.items())
                lines.append(f"{name:<8} = {{{shapes}}}")
            else:
                lines += show_field(name, value)
        return lines


def _changed(before, after):
    """'' if an input is unchanged, else which part changed (' ["W1"]' for a dict entry)."""
    if isinstance(before, np.ndarray):
        after = np.asarray(after)
        same = before.shape == after.shape and np.array_equal(before, after, equal_nan=True)
        return "" if same else " "
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            if isinstance(value, np.ndarray) and _changed(value, after.get(key)):
                return f'["{key}"]'
    return ""
