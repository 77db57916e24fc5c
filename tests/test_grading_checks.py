"""The exercise checks (nnlib.grading, chapter 02) in the notebook's check().

Correct implementations pass with any seed; every classic mistake of every
exercise is caught, and the feedback names it (the hint); stubs, exceptions,
warnings, in-place changes, lists and wrong shapes get a clear verdict.
"""

import math
import subprocess
import sys

import numpy as np
import pytest

from nnlib import activations as act
from nnlib.grading import Result, check
from nnlib.grading.registry import EXERCISES, chapter_exercises, lookup

from grading_helpers import SEEDS, check_all_pass

# Independent correct implementations (plus nnlib's own, below).
def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


CORRECT = {
    "sigmoid": [act.sigmoid, _sigmoid],
    "sigmoid_grad": [act.sigmoid.grad, lambda z: _sigmoid(z) * (1 - _sigmoid(z))],
    "tanh_grad": [act.tanh.grad, lambda z: 1 - np.tanh(z) ** 2],
    "relu": [act.relu, lambda z: np.maximum(z, 0), lambda z: z * (z > 0)],
    "relu_grad": [act.relu.grad, lambda z: (z > 0).astype(float), lambda z: (z > 0) * 1.0],
    "leaky_relu": [act.leaky_relu, lambda z, alpha=0.01: np.where(z > 0, z, alpha * z)],
    "softmax": [act.softmax, _softmax],
}


def test_every_chapter_02_exercise_has_correct_and_wrong_implementations_here():
    chapter_02 = {name for name, _ in chapter_exercises(2)}
    assert set(CORRECT) == chapter_02
    assert {case[0] for case in WRONG} == chapter_02


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(CORRECT))
def test_correct_implementations_pass(name, seed, capsys):
    results, out = check_all_pass(name, CORRECT[name], seed, capsys)
    for result in results:
        assert result.points == result.max_points == 1 and result.score == 1.0
    label = f"{lookup(name).chapter}.{lookup(name).number}"
    assert out[0].startswith(f"Exercise {label} {name}: passed ") and out[0].endswith(" cases")
    assert len(set(out)) == 1, "a pass prints the same text whatever the seed (nbval compares it)"


def test_fresh_seed_every_run(capsys):
    seeds = {check("softmax", act.softmax).seed for _ in range(6)}
    assert len(seeds) > 1


# --- the mistake catalogue: (exercise, id, wrong implementation, words the feedback must contain)

def _hard_coded(z):
    return np.array([0.11920292202211755, 0.3775406687981454, 0.5, 0.6224593312018546, 0.8807970779778823])


def _relu_in_place(z):
    z[z < 0] = 0
    return z


def _relu_grad_in_place(z):
    z[z > 0] = 1.0
    z[z <= 0] = 0.0
    return z


def _if_else_sigmoid(z):
    if z >= 0:
        return 1 / (1 + np.exp(-z))
    return np.exp(z) / (1 + np.exp(z))


def _forgot_return(z):
    np.maximum(z, 0)


def _renamed_alpha(z, a=0.01):
    return np.where(z > 0, z, a * z)


def _softmax_rows_only(z):  # works for 1-D only: one max and one sum over everything
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


WRONG = [
    ("sigmoid", "naive overflows at -1000", lambda z: 1 / (1 + np.exp(-z)), ["overflows for z = -1000", "np.abs"]),
    ("sigmoid", "np.where both branches", lambda z: np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))),
     ["overflows", "BOTH branches"]),
    ("sigmoid", "sign error", lambda z: 1 / (1 + np.exp(z)), ["sign error"]),
    ("sigmoid", "hard-coded answer", _hard_coded, ["hard-coded"]),
    ("sigmoid", "math.exp", lambda z: 1 / (1 + math.exp(-z)), ["TypeError", "math.exp"]),
    ("sigmoid", "if/else", _if_else_sigmoid, ["ValueError", "np.where"]),
    ("sigmoid", "list", lambda z: [1 / (1 + np.exp(-x)) for x in z], ["returned a list", "numpy array"]),
    ("sigmoid_grad", "z(1-z)", lambda z: z * (1 - z), ["OUTPUT", "s = sigmoid(z)"]),
    ("sigmoid_grad", "sigmoid itself", act.sigmoid, ["sigmoid(z) itself"]),
    ("sigmoid_grad", "overflowing formula", lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, ["overflows", "stable sigmoid"]),
    ("tanh_grad", "1 - z**2", lambda z: 1 - z**2, ["OUTPUT a = tanh(z)", "1 - np.tanh(z)**2"]),
    ("tanh_grad", "no square", lambda z: 1 - np.tanh(z), ["square"]),
    ("tanh_grad", "cosh overflows", lambda z: 1 / np.cosh(z) ** 2, ["np.cosh", "overflow"]),
    ("relu", "modifies input", _relu_in_place, ["in place", "copy"]),
    ("relu", "np.max", lambda z: np.max(z, 0), ["np.maximum(z, 0)", "axis 0"]),
    ("relu", "np.minimum", lambda z: np.minimum(z, 0), ["np.minimum keeps the negative part"]),
    ("relu", "list", lambda z: [max(x, 0.0) for x in z], ["returned a list"]),
    ("relu", "wrong shape", lambda z: np.maximum(z, 0).ravel(), ["returned shape", "shape of the input"]),
    ("relu", "no return", _forgot_return, ["returned None", "return"]),
    ("relu_grad", "returns relu", act.relu, ["relu(z) itself"]),
    ("relu_grad", "1 at zero", lambda z: (z >= 0).astype(float), ["z > 0, not z >= 0"]),
    ("relu_grad", "np.sign", np.sign, ["np.sign"]),
    ("relu_grad", "modifies input", _relu_grad_in_place, ["in place"]),
    ("leaky_relu", "scales positive side", lambda z, alpha=0.01: np.where(z > 0, alpha * z, z), ["NEGATIVE side"]),
    ("leaky_relu", "ignores alpha", lambda z, alpha=0.01: np.where(z > 0, z, 0.01 * z), ["ignores its alpha"]),
    ("leaky_relu", "Keras default", lambda z, alpha=0.3: np.where(z > 0, z, alpha * z), ["default must be alpha=0.01"]),
    ("leaky_relu", "renamed parameter", _renamed_alpha, ["unexpected keyword", "leaky_relu(z, alpha=0.01)"]),
    ("softmax", "no max subtraction", lambda z: np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True),
     ["overflows for z = 1000", "subtract the row maximum first"]),
    ("softmax", "wrong axis", lambda z: np.exp(z) / np.exp(z).sum(axis=0, keepdims=True), ["axis 0", "axis=-1"]),
    ("softmax", "1-D only", _softmax_rows_only, ["whole array", "axis=-1, keepdims=True"]),
    ("softmax", "axis=1", lambda z: np.exp(z - z.max(axis=1, keepdims=True)) / np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True),
     ["AxisError", "axis=-1"]),
    ("softmax", "global max", lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(axis=-1, keepdims=True),
     ["OWN maximum"]),
    ("softmax", "no keepdims", lambda z: np.exp(z) / np.exp(z).sum(axis=-1), ["keepdims=True"]),
]


@pytest.mark.parametrize("name, what, wrong, words", WRONG, ids=[f"{w[0]}-{w[1]}" for w in WRONG])
def test_classic_mistakes_are_caught_with_their_hint(name, what, wrong, words, capsys):
    for seed in (0, 1, 2):
        result = check(name, wrong, seed=seed)
        assert not result.passed and result.points == 0, f"{what} passed with seed {seed}"
        assert result.status == "failed"
        for word in words:
            assert word in result.message, f"{what}: {word!r} missing from\n{result.message}"
        assert result.message == capsys.readouterr().out.rstrip("\n")


def test_failure_shows_case_input_expected_got_and_seed(capsys):
    result = check("sigmoid_grad", lambda z: z * (1 - z), seed=42)
    text = result.message
    assert text.startswith('Exercise 2.2 sigmoid_grad: failed: case 1 of ')
    for part in ("z        = [-2.", "expected = ", "got      = ", "first difference at [0]",
                 "hint: ", "seed 42", "check(sigmoid_grad, seed=42)"):
        assert part in text
    assert "<" not in text, "plain text, no HTML"
    assert check("sigmoid_grad", lambda z: z * (1 - z), seed=42).message == text


def test_same_seed_same_cases_different_seed_different_cases(capsys):
    def wrong_on_random_cases(z):  # right on the fixed cases, wrong once shapes are random
        return act.relu(z) if z.ndim == 1 and z.size in (3, 4, 5) else act.relu(z) + 1
    a = check("relu", wrong_on_random_cases, seed=3).message
    assert a == check("relu", wrong_on_random_cases, seed=3).message
    assert a != check("relu", wrong_on_random_cases, seed=4).message


def test_stub_gives_not_implemented_without_traceback(capsys):
    def sigmoid(z):
        raise NotImplementedError("Exercise 2.1: implement sigmoid")
    result = check(sigmoid)
    out = capsys.readouterr().out
    assert result.status == "not implemented" and not result.passed and result.points == 0
    assert out.splitlines()[0] == "Exercise 2.1 sigmoid: not implemented"
    assert "Traceback" not in out and "raise NotImplementedError" in out


def test_stub_of_another_exercise_is_named(capsys):
    def sigmoid(z):
        raise NotImplementedError("Exercise 2.1: implement sigmoid")

    def sigmoid_grad(z):
        s = sigmoid(z)
        return s * (1 - s)
    result = check(sigmoid_grad)
    assert result.status == "not implemented"
    assert "Exercise 2.1: implement sigmoid" in result.verdict


def test_exception_reports_type_message_case_and_line(capsys):
    def softmax(z):
        raise ValueError("boom")
    result = check(softmax, seed=1)
    assert result.status == "failed"
    assert 'case 1 of 14 "worked example": raised ValueError' in result.verdict
    assert "raised ValueError: boom" in result.message
    assert "at line" in result.message and "in softmax" in result.message


def test_numpy_warnings_are_caught_even_if_the_learner_silenced_them(capsys):
    old = np.seterr(all="ignore")
    try:
        result = check("sigmoid", lambda z: 1 / (1 + np.exp(-z)), seed=0)
    finally:
        np.seterr(**old)
    assert not result.passed and "RuntimeWarning: overflow" in result.message


def test_name_lookup_and_errors(capsys):
    assert check("relu", act.relu, seed=0).passed

    def my_relu(z):
        return np.maximum(z, 0)
    with pytest.raises(ValueError, match="sigmoid, sigmoid_grad.*check\\(\"softmax\", my_softmax\\)"):
        check(my_relu)
    assert check("relu", my_relu, seed=0).passed
    with pytest.raises(TypeError, match="your function itself"):
        check("relu", np.zeros(3))


def test_result_does_not_display_twice_in_jupyter(capsys):
    result = check("relu", act.relu, seed=0)
    assert isinstance(result, Result) and result._ipython_display_() is None
    assert str(result) == result.message == "Exercise 2.4 relu: passed 13 cases"
    assert result.to_dict()["passed"] is True


def test_registry_is_consistent():
    for chapter in {ex.chapter for ex in EXERCISES.values()}:
        numbers = [ex.number for _, ex in chapter_exercises(chapter)]
        assert numbers == list(range(1, len(numbers) + 1)), f"chapter {chapter}: {numbers}"
    assert [n for n, _ in chapter_exercises(2)] == [
        "sigmoid", "sigmoid_grad", "tanh_grad", "relu", "relu_grad", "leaky_relu", "softmax"]
    with pytest.raises(ValueError, match="the exercises are"):
        lookup("rleu")


def test_import_nnlib_does_not_import_grading():
    code = "import sys, nnlib; print('nnlib.grading' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_arguments_that_are_not_plain_data_travel_back_as_none():
    """A function or a Generator passed to the learner's code must not make the
    grader refuse the whole reply (it only compares arrays before and after)."""
    from nnlib.grading.calls import from_wire, invoke, to_wire
    from nnlib.grading.protocol import dumps, safe_loads

    def learner(f, x, rng):
        return f(x) + rng.standard_normal(0).sum()

    call = invoke(learner, (np.sin, np.array([1.0, 2.0]), np.random.default_rng(0)), {})
    back = from_wire(safe_loads(dumps(to_wire(call))))
    assert back.error is None
    assert back.args_after[0] is None and back.args_after[2] is None
    np.testing.assert_array_equal(back.args_after[1], [1.0, 2.0])
    np.testing.assert_allclose(back.value, np.sin([1.0, 2.0]))


def test_a_generator_is_run_inside_the_call_and_returned_as_a_list():
    from nnlib.grading.calls import from_wire, invoke, to_wire
    from nnlib.grading.protocol import dumps, safe_loads

    def batches(x):
        for i in range(0, len(x), 2):
            yield x[i:i + 2]

    def broken(x):
        yield x
        raise ValueError("boom")

    call = from_wire(safe_loads(dumps(to_wire(invoke(batches, (np.arange(5.0),), {})))))
    assert [b.tolist() for b in call.value] == [[0.0, 1.0], [2.0, 3.0], [4.0]]
    err = invoke(broken, (np.arange(2.0),), {}).error
    assert err[0] == "ValueError" and err[1] == "boom"
