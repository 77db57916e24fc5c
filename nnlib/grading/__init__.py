"""Exercises and grading for the course (DESIGN section 5).

In a notebook::

    from nnlib.grading import check
    check(softmax)        # prints e.g. "Exercise 2.7 softmax: passed 14 cases"

From the command line (the learner's code runs in a separate process)::

    python -m nnlib.grading exercises/ [--json report.json] [--min-score 0.8]

Modules: ``engine`` (the function check and its mistake catalogue),
``chNN_topic`` (one per chapter: its exercises), ``registry`` (name ->
Exercise), ``notebook`` (check()), ``calls`` and ``protocol`` (calling learner
code, the private channel), ``worker`` and ``runner`` (the isolated grader),
``result`` (Result), ``__main__`` (the command line).
"""

from nnlib.grading.notebook import check
from nnlib.grading.result import Result

__all__ = ["check", "Result"]
