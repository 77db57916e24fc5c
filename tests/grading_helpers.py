"""Helpers shared by the grading tests (test_grading_*.py): correct code must pass every check.

Imported as ``from grading_helpers import ...``: pytest puts this tests/ folder on
sys.path (its default "prepend" import mode, no __init__.py here).
"""

from nnlib.grading import check

SEEDS = [0, 1, 7, 2024, 999_999]  # a pass must not depend on the seed


def check_all_pass(name, fns, seed, capsys):
    """Run check(name, fn, seed=seed) for each correct fn and assert that each passes.

    Returns (results, printed): the Result of each fn and the lines check() printed.
    """
    results = []
    for fn in fns:
        result = check(name, fn, seed=seed)
        assert result.passed, result.message
        results.append(result)
    return results, capsys.readouterr().out.splitlines()
