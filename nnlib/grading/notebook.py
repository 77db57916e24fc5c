"""check(): run an exercise's checks in the notebook and print the verdict.

    from nnlib.grading import check
    check(sigmoid)                 # the exercise is found by the function's name
    check("softmax", my_softmax)   # or named explicitly
    check(softmax, seed=1234)      # repeat the random cases of an earlier run

The learner's function runs here, in the learner's own kernel (fast feedback);
``python -m nnlib.grading`` grades the same checks with the learner's code in a
separate process. The verdict is plain text, so it reads the same in
JupyterLab, in a terminal and in nbval's comparison.
"""

import secrets

import numpy as np

from nnlib.grading.calls import invoke
from nnlib.grading.registry import lookup
from nnlib.grading.result import make_result


def check(name_or_fn, fn=None, *, seed=None):
    """Check one exercise function; print the verdict and return a Result.

    Args:
        name_or_fn: the function (its __name__ names the exercise), or the
            exercise name as a string, followed by the function.
        fn: the function, when the first argument is the name.
        seed: int for the random cases; None draws a fresh seed (printed on
            failure, so the same cases can be run again).

    Returns:
        Result with .passed, .message, .points, .max_points, .score, .seed.
    """
    if fn is None:
        fn = name_or_fn
        name = getattr(fn, "__name__", None)
    else:
        name = name_or_fn
    if not callable(fn):
        raise TypeError(f"check() needs your function itself, e.g. check(sigmoid), "
                        f"got a {type(fn).__name__}")
    exercise = lookup(name)
    seed = fresh_seed() if seed is None else int(seed)

    def call(*args, **kwargs):
        return invoke(fn, args, kwargs)

    outcome = exercise.check(call, np.random.default_rng(seed))
    result = make_result(name, exercise, outcome, seed)
    print(result.message)
    return result


def fresh_seed():
    """A new random seed, short enough to type: 0 to 999999."""
    return secrets.randbelow(1_000_000)
