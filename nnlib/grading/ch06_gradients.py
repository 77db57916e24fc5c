"""Chapter 06 (vanishing and exploding gradients): the checks of Exercises 6.1 to 6.5.

    6.1 glorot_uniform(fan_in, fan_out, rng)  -> W (fan_in, fan_out)     in ch06_init.py
    6.2 he_normal(fan_in, fan_out, rng)       -> W (fan_in, fan_out)     in ch06_init.py
    6.3 clip_by_global_norm(grads, max_norm)  -> a new dict               here
    6.4 residual_forward(x, W, b)             -> (y, cache)               in ch06_residual.py
    6.5 residual_backward(dy, cache)          -> (dx, dW, db)             in ch06_residual.py

6.3 compares with the exact rule (total = sqrt of the sum of every squared
entry; every array times max_norm / total when total > max_norm) at rtol 1e-5,
so PyTorch's variant with max_norm / (total + 1e-6) passes too. The grads dict
must come back as a new dict, with the caller's arrays unchanged.
"""

import copy
import math
from dataclasses import dataclass

import numpy as np

from nnlib.grading.ch06_init import GLOROT_UNIFORM, HE_NORMAL
from nnlib.grading.ch06_residual import RESIDUAL_BACKWARD, RESIDUAL_FORWARD
from nnlib.grading.engine import Case, Exercise, Mistake, _field, _same
from nnlib.grading.tuple_check import TupleCheck, numbers, show_value

# =====================================================================================
# 6.3 clip_by_global_norm
# =====================================================================================


def global_norm(grads):
    return math.sqrt(sum(float(np.sum(np.square(np.asarray(g, dtype=np.float64)))) for g in grads.values()))


def clip_reference(grads, max_norm):
    """total = sqrt(sum of g**2 over every array); scale by max_norm / total if total > max_norm."""
    total = global_norm(grads)
    scale = max_norm / total if total > max_norm else 1.0
    return {k: np.asarray(g, dtype=np.float64) * scale for k, g in grads.items()}


def _model_grads(rng, scale=1.0, ndim=2):
    d, h, c = (int(n) for n in rng.integers(2, 6, size=3))
    grads = {"0.W": rng.normal(size=(d, h)), "0.b": rng.normal(size=h),
             "2.W": rng.normal(size=(h, c)), "2.b": rng.normal(size=c)}
    if ndim == 3:
        grads["0.W"] = rng.normal(size=(2, d, h))
    return {k: scale * v for k, v in grads.items()}


def clip_cases(rng):
    """11 cases: the worked example, a model's gradients above / far below / just below the
    threshold, one array, arrays of very different sizes, a 0-D entry, zeros, max_norm = 0,
    large gradients, 3-D arrays."""
    def around(grads, factor):
        return grads, float(round(factor * global_norm(grads), 6))

    uneven = {"W": rng.normal(0, 3, size=(6, 5)), "b": rng.normal(0, 0.1, size=3)}
    return [
        Case("worked example: total norm 10, max_norm 5",
             ({"W": np.array([[2.0, 4.0], [4.0, 0.0]]), "b": np.array([8.0, 0.0])}, 5.0)),
        Case("a model's gradients, total norm above max_norm", around(_model_grads(rng, 2.0), 0.4)),
        Case("total norm far below max_norm: unchanged", around(_model_grads(rng), 3.0)),
        Case("total norm just below max_norm: unchanged", around(_model_grads(rng), 1.01)),
        Case("one array", ({"W": rng.normal(0, 2, size=(3, 4))}, 1.5)),
        Case("arrays of very different norms", around(uneven, 0.5)),
        Case("a 0-D gradient (one number)", ({"w": np.array(3.0), "b": np.array([4.0, 0.0])}, 2.5)),
        Case("all gradients zero: unchanged", ({"W": np.zeros((2, 3)), "b": np.zeros(3)}, 1.0)),
        Case("max_norm = 0: every gradient becomes 0", (_model_grads(rng), 0.0)),
        Case("large gradients (total norm ~ 1e6)", (_model_grads(rng, 3e5), 5.0)),
        Case("3-D arrays", around(_model_grads(rng, 1.0, ndim=3), 0.7)),
    ]


def clip_judge(case, got):
    grads, max_norm = case.args
    expected = clip_reference(*copy.deepcopy(case.args))
    if not isinstance(got, dict):
        return (f"returned {'None' if got is None else 'a ' + type(got).__name__}, not a dict", [],
                "return a new dict with the same keys as grads: {name: scaled array}")
    if set(got) != set(expected):
        return (f"returned keys {sorted(got)}, expected {sorted(expected)}", [],
                "keep every key of grads, and only those")
    total = global_norm(grads)
    scale = max_norm / total if total > max_norm else 1.0
    info = [f"total norm = {total:.6g}, max_norm = {max_norm:.6g}: "
            + (f"scale every array by {scale:.6g}" if scale < 1 else "below the threshold, unchanged")]
    for key in expected:
        arr = numbers(got[key])
        if arr is None or arr.shape != expected[key].shape:
            return (f"got[{key!r}] has shape {None if arr is None else arr.shape}, expected "
                    f"{expected[key].shape}", [], "each returned array has the shape of its gradient")
        if not np.allclose(arr, expected[key], rtol=1e-5, atol=1e-12):
            shown = info + _field("expected", expected[key]) + _field("got", arr)
            return f"wrong values in {key!r}", shown, ""
    return None


def clip_agree(got, wrong):
    return (isinstance(got, dict) and set(got) == set(wrong)
            and all(numbers(got[k]) is not None and np.shape(got[k]) == np.shape(wrong[k])
                    and np.allclose(numbers(got[k]), wrong[k], rtol=1e-5, atol=1e-12) for k in wrong))


def _clip_variant(norm="global", always=False, invert=False):
    def fn(grads, max_norm):
        g = {k: np.asarray(v, dtype=np.float64) for k, v in grads.items()}
        if norm == "value":
            return {k: np.clip(v, -max_norm, max_norm) for k, v in g.items()}
        if norm == "tensor":
            out = {}
            for k, v in g.items():
                n = float(np.linalg.norm(v.ravel()))
                out[k] = v * (max_norm / n if n > max_norm else 1.0)
            return out
        total = {"global": global_norm(g), "sum": sum(float(np.linalg.norm(v.ravel())) for v in g.values()),
                 "squares": global_norm(g) ** 2}[norm]
        if not (always or total > max_norm) or total == 0:
            return g
        scale = total / max_norm if invert else max_norm / total
        return {k: v * scale for k, v in g.items()}
    return fn


@dataclass(frozen=True)
class DictCheck(TupleCheck):
    """A TupleCheck whose first argument is a dict of arrays: shown key by key, and it
    must not be changed in place or returned as the result."""

    def _judge_value(self, case, result):
        problem = super()._judge_value(case, result)
        if problem is not None:
            return problem
        after = result.args_after[0] if result.args_after else None
        before = case.args[0]
        if isinstance(after, dict):
            for key, value in before.items():
                if key in after and not _same(value, np.asarray(after[key])):
                    return (f"changed grads[{key!r}] in place", _field("after", after[key]),
                            "your function wrote into the caller's arrays (g *= scale, or "
                            "g[...] = ...): build new arrays, g * scale")
            if result.value is after:
                return ("returned the grads dict itself", [],
                        "return a NEW dict ({name: g * scale for name, g in grads.items()}), even "
                        "when nothing is clipped: the caller still owns grads")
        return None

    def _show_inputs(self, case):
        grads, rest = case.args[0], case.args[1:]
        lines = []
        for key, value in grads.items():
            lines += show_value(f"grads[{key!r}]", value)
        for name, value in zip(self.params[1:], rest):
            lines += show_value(name, value)
        return lines


_GLOBAL = ("clip by the GLOBAL norm: total = sqrt(sum over every array of np.sum(g**2)), one number "
           "for all arrays; then scale every array by the same factor max_norm / total")
CLIP_BY_GLOBAL_NORM = DictCheck(
    name="clip_by_global_norm", signature="clip_by_global_norm(grads, max_norm)",
    params=("grads", "max_norm"), reference=None, cases=clip_cases, judge=clip_judge, agree=clip_agree,
    mistakes=(
        Mistake(_clip_variant("tensor"),
                "you clipped each array by its OWN norm (per-tensor clipping): that changes the "
                f"direction of the whole gradient. {_GLOBAL}"),
        Mistake(_clip_variant(always=True),
                "you scaled the gradients although their total norm was below max_norm: clip only "
                "when total > max_norm, otherwise return them unchanged"),
        Mistake(_clip_variant("value"),
                f"that is clipping by VALUE (np.clip of each entry), which changes the direction. {_GLOBAL}"),
        Mistake(_clip_variant("sum"),
                "the global norm is not the sum of the arrays' norms: total = sqrt(sum of the "
                "squared norms) = sqrt(sum over arrays of np.sum(g**2))"),
        Mistake(_clip_variant("squares"),
                "take the square root: total = sqrt(sum over arrays of np.sum(g**2))"),
        Mistake(_clip_variant(invert=True),
                "the factor is max_norm / total (smaller than 1), not total / max_norm"),
    ),
    error_hints=(("ZeroDivisionError", "when every gradient is 0 the total norm is 0: compute "
                                       "max_norm / total only when total > max_norm"),),
)

EXERCISES = {
    "glorot_uniform": Exercise(6, 1, GLOROT_UNIFORM),
    "he_normal": Exercise(6, 2, HE_NORMAL),
    "clip_by_global_norm": Exercise(6, 3, CLIP_BY_GLOBAL_NORM),
    "residual_forward": Exercise(6, 4, RESIDUAL_FORWARD),
    "residual_backward": Exercise(6, 5, RESIDUAL_BACKWARD),
}
