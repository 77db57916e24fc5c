"""Outcome of a check (what the check found) and Result (what the learner reads).

A check returns an ``Outcome``; ``make_result`` turns it into a ``Result`` with
the exercise's label and points and the verdict text. The same Result comes
from ``check()`` in a notebook and from ``python -m nnlib.grading``.
"""

from dataclasses import asdict, dataclass

# Statuses, from best to worst. Only PASSED earns points.
PASSED = "passed"
FAILED = "failed"
NOT_IMPLEMENTED = "not implemented"
NOT_DEFINED = "not defined"
TIMED_OUT = "timed out"
CRASHED = "crashed"


@dataclass(frozen=True)
class Outcome:
    """What a check found.

    status:  one of the statuses above.
    n_cases: how many cases the check has; ``case`` the number of the failing one.
    summary: one line, e.g. 'case 9 of 13 "large negative z": numpy warned (overflow)'.
    details: the lines shown under the verdict: input, expected, got, difference.
    hint:    advice aimed at the likely mistake ("" if none).
    """

    status: str
    n_cases: int = 0
    case: int = 0
    summary: str = ""
    details: tuple = ()
    hint: str = ""


@dataclass(frozen=True)
class Result:
    """The graded result of one exercise.

    exercise: its function name, e.g. "softmax"; label: "2.7".
    status:   "passed", "failed", "not implemented", "not defined", "timed out", "crashed".
    verdict:  one line for tables, e.g. "passed 14 cases".
    message:  the full text that check() prints (verdict, failing case, hint, seed).
    points, max_points: points earned (all or nothing) and possible.
    seed:     the seed the random cases came from (None if no case ran).
    """

    exercise: str
    label: str
    status: str
    verdict: str
    message: str
    points: int
    max_points: int
    seed: int = None

    @property
    def passed(self):
        return self.status == PASSED

    @property
    def score(self):
        """Fraction of the points earned, 0.0 to 1.0."""
        return self.points / self.max_points if self.max_points else 0.0

    def to_dict(self):
        return {**asdict(self), "passed": self.passed}

    def __str__(self):
        return self.message

    def _ipython_display_(self):
        # check() has already printed the verdict; showing the Result again as
        # the cell's Out[] value would print it twice. print(result) shows it.
        return None


def make_result(name, exercise, outcome, seed):
    """Build the Result of ``exercise`` (a registry entry) from its Outcome."""
    label = f"{exercise.chapter}.{exercise.number}"
    points = exercise.points if outcome.status == PASSED else 0
    head = f"Exercise {label} {name}:"
    if outcome.status == PASSED:
        verdict = f"passed {outcome.n_cases} cases"
    elif outcome.summary:
        verdict = f"{outcome.status}: {outcome.summary}"
    else:
        verdict = outcome.status
    lines = [f"{head} {verdict}"]
    lines += [f"  {line}" for line in outcome.details]
    if outcome.hint:
        lines.append(f"  hint: {outcome.hint}")
    if outcome.status == FAILED and seed is not None:
        lines.append(f"  (random cases from seed {seed}: check({name}, seed={seed}) repeats them)")
    return Result(exercise=name, label=label, status=outcome.status, verdict=verdict,
                  message="\n".join(lines), points=points, max_points=exercise.points,
                  seed=seed)
