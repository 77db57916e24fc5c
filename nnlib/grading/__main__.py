"""Grade exercise notebooks from the command line.

    python -m nnlib.grading exercises/                      # a folder: every NN_topic.ipynb in it
    python -m nnlib.grading exercises/02_activations.ipynb --json report.json
    python -m nnlib.grading solutions/ --min-score 1        # CI: solutions score full marks
    python -m nnlib.grading exercises/ --max-score 0        # CI: fresh exercises score nothing

Each notebook's code runs in a separate process with a time limit; the checks
run in this process (see nnlib/grading/runner.py). Prints the details of every
exercise that failed, a table (notebook, exercise, points, verdict) and a total.
Exit status: 0, or 1 when the score (a fraction, 0 to 1) is below --min-score
or above --max-score, 2 for a usage error (no such path, no exercises).
"""

import argparse
import json
import sys
from pathlib import Path

from nnlib.grading.notebook import fresh_seed
from nnlib.grading.registry import chapter_exercises
from nnlib.grading.result import NOT_IMPLEMENTED, PASSED
from nnlib.grading.runner import chapter_of, grade_notebook


def collect(paths):
    """The notebooks to grade, or raise ValueError naming the bad path."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += [p for p in sorted(path.glob("[0-9][0-9]_*.ipynb"))
                      if ".bak-" not in p.name and chapter_exercises(chapter_of(p))]
        elif not path.exists():
            raise ValueError(f"no such file or folder: {path}")
        elif path.suffix != ".ipynb":
            raise ValueError(f"not a notebook (.ipynb): {path}")
        elif not chapter_exercises(chapter_of(path)):
            raise ValueError(f"no graded exercises for {path.name}: exercise notebooks are named "
                             f"after their chapter, e.g. 02_activations.ipynb")
        else:
            found.append(path)
    if not found:
        raise ValueError(f"no exercise notebooks in {', '.join(paths)}")
    return found


def table(reports):
    """The results as text lines: notebook, exercise, points, verdict."""
    rows = [(Path(r.path).with_suffix("").as_posix(), f"{res.label} {res.exercise}",
             f"{res.points}/{res.max_points}", res.verdict)
            for r in reports for res in r.results]
    head = ("notebook", "exercise", "points", "verdict")
    widths = [max(len(row[i]) for row in rows + [head]) for i in range(3)]
    return [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}  {d}" for a, b, c, d in [head] + rows]


def details(reports):
    """The full message of every exercise that did not pass (beyond 'not implemented')."""
    lines = []
    for report in reports:
        if report.cell_errors:
            lines.append(f"{report.path}: cells that failed while the notebook ran:")
            lines += [f"  {e}" for e in report.cell_errors]
        for res in report.results:
            if res.status not in (PASSED, NOT_IMPLEMENTED):
                lines.append(f"{report.path}:")
                lines += [f"  {line}" for line in res.message.splitlines()]
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nnlib.grading",
                                     description="Grade exercise notebooks (learner code runs in a separate process).")
    parser.add_argument("paths", nargs="+", help="notebooks (.ipynb) or folders of them")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--min-score", type=float, default=0.0,
                        help="exit 1 if the score (0 to 1) is below this (default 0: any score passes)")
    parser.add_argument("--max-score", type=float, default=1.0,
                        help="exit 1 if the score is above this (CI: unsolved exercises score 0)")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds per notebook cell and per exercise (default 10)")
    parser.add_argument("--seed", type=int, help="seed of the random cases (default: a fresh one)")
    args = parser.parse_args(argv)
    if not (0 <= args.min_score <= 1 and 0 <= args.max_score <= 1) or args.timeout <= 0:
        parser.error("--min-score and --max-score are fractions from 0 to 1; --timeout must be positive")
    try:
        notebooks = collect(args.paths)
    except ValueError as err:
        parser.error(str(err))
    seed = fresh_seed() if args.seed is None else args.seed
    reports = [grade_notebook(path, timeout=args.timeout, seed=seed) for path in notebooks]

    points = sum(res.points for r in reports for res in r.results)
    possible = sum(res.max_points for r in reports for res in r.results)
    score = points / possible if possible else 0.0
    extra = details(reports)
    print("\n".join(extra + ([""] if extra else []) + table(reports)))
    print(f"total: {points}/{possible} points ({score:.0%}) in {len(reports)} notebook(s); "
          f"random cases from seed {seed} (--seed {seed} repeats them)")
    if args.json:
        data = {
            "seed": seed, "timeout": args.timeout,
            "total": {"points": points, "max_points": possible, "score": score},
            "results": [{"notebook": r.path, **res.to_dict()} for r in reports for res in r.results],
            "cell_errors": {r.path: r.cell_errors for r in reports if r.cell_errors},
        }
        Path(args.json).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return 1 if score < args.min_score or score > args.max_score else 0


if __name__ == "__main__":
    sys.exit(main())
