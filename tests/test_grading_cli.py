"""The command-line grader: python -m nnlib.grading PATH...

Solutions score full marks, generated exercises score zero ("not implemented"),
and the hostile or broken notebooks in tests/grading_fixtures/ (made by
make_fixtures.py there) are graded correctly: an infinite loop, sys.exit,
os._exit and a segfault, monkeypatching nnlib.grading and numpy, fake output,
a syntax error each cost only what they break.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nnlib.grading import protocol
from nnlib.grading.__main__ import main
from nnlib.grading.runner import chapter_of, is_check_cell
from nnlib.grading.worker import strip_magics

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "grading_fixtures"
SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb"))


def grader(*args, cwd=ROOT):
    """Start ``python -m nnlib.grading ARGS`` (returns the Popen; .communicate() waits)."""
    return subprocess.Popen([sys.executable, "-m", "nnlib.grading", *map(str, args)], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc):
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


@pytest.fixture(scope="module")
def fixture_runs(tmp_path_factory):
    """Grade every fixture notebook, all at once (each in its own grader), from a
    scratch folder: {stem: (exit status, stdout, {exercise: result dict}, json)}."""
    tmp = tmp_path_factory.mktemp("grading")
    procs = {nb.stem: grader(nb, "--timeout", "2", "--seed", "11", "--json", tmp / f"{nb.stem}.json", cwd=tmp)
             for nb in sorted(FIXTURES.glob("02_*.ipynb"))}
    runs = {}
    for stem, proc in procs.items():
        code, out, err = finish(proc)
        data = json.loads((tmp / f"{stem}.json").read_text())
        runs[stem] = (code, out, {r["exercise"]: r for r in data["results"]}, data)
    runs["_cwd"] = tmp
    return runs


def statuses(results):
    return {name: r["status"] for name, r in results.items()}


def test_every_solution_scores_full_marks(tmp_path):
    assert SOLUTIONS, "no solution notebooks"
    code, out, err = finish(grader("solutions", "--min-score", "1", "--json", tmp_path / "s.json"))
    assert code == 0, out + err
    data = json.loads((tmp_path / "s.json").read_text())
    assert {r["notebook"] for r in data["results"]} == {f"solutions/{p.name}" for p in SOLUTIONS}
    assert all(r["passed"] and r["points"] == r["max_points"] for r in data["results"]), out
    assert data["total"]["score"] == 1.0
    assert out.splitlines()[-1].startswith(f"total: {data['total']['points']}/{data['total']['points']} points (100%)")


def test_every_exercise_scores_zero_not_implemented(tmp_path):
    assert EXERCISES, "no exercise notebooks"
    code, out, err = finish(grader("exercises", "--max-score", "0", "--json", tmp_path / "e.json"))
    assert code == 0, out + err
    data = json.loads((tmp_path / "e.json").read_text())
    assert len(data["results"]) >= 7
    assert {r["status"] for r in data["results"]} == {"not implemented"}
    assert {r["verdict"] for r in data["results"]} == {"not implemented"}
    assert data["total"]["points"] == 0


def test_table_lists_notebook_exercise_points_verdict(fixture_runs):
    code, out, results, data = fixture_runs["02_syntax_error"]
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("notebook"))
    assert header.split() == ["notebook", "exercise", "points", "verdict"]
    row = next(line for line in lines if "2.1 sigmoid" in line)
    assert "02_syntax_error" in row and "1/1" in row and "passed 13 cases" in row
    assert lines[-1].startswith("total: 6/7 points (86%) in 1 notebook(s)") and "seed 11" in lines[-1]
    assert data["total"] == {"points": 6, "max_points": 7, "score": 6 / 7}
    assert set(results["relu"]) >= {"notebook", "exercise", "label", "points", "max_points",
                                    "status", "verdict", "message", "passed", "seed"}


def test_syntax_error_costs_only_its_exercise(fixture_runs):
    code, out, results, data = fixture_runs["02_syntax_error"]
    assert code == 0
    assert statuses(results) == {**{n: "passed" for n in results}, "tanh_grad": "not defined"}
    assert "SyntaxError" in results["tanh_grad"]["verdict"]
    assert "def tanh_grad(z):" in results["tanh_grad"]["verdict"]


def test_infinite_loops_cost_only_their_exercise(fixture_runs):
    code, out, results, data = fixture_runs["02_infinite_loop"]
    assert statuses(results) == {**{n: "passed" for n in results}, "relu": "timed out"}
    assert results["relu"]["verdict"] == "timed out: no answer within 2 s"
    errors = " ".join(next(iter(data["cell_errors"].values())))
    assert "ran longer than 2 s" in errors and "did not finish within 2 s; skipped" in errors


def test_sys_exit_is_an_exception_not_the_end(fixture_runs):
    code, out, results, data = fixture_runs["02_sys_exit"]
    assert statuses(results) == {**{n: "passed" for n in results}, "tanh_grad": "failed"}
    assert "raised SystemExit" in results["tanh_grad"]["verdict"]
    assert "sys.exit" in results["tanh_grad"]["message"]


def test_os_exit_and_segfault_are_crashes_of_their_exercise_only(fixture_runs):
    code, out, results, data = fixture_runs["02_os_exit"]
    assert statuses(results) == {**{n: "passed" for n in results},
                                 "relu_grad": "crashed", "leaky_relu": "crashed"}
    assert "exited with code 1" in results["relu_grad"]["verdict"]
    assert "SIGSEGV" in results["leaky_relu"]["verdict"]
    assert "crashed the process (it exited with code 3); skipped" in out


def test_monkeypatching_the_grader_or_numpy_fakes_nothing(fixture_runs):
    code, out, results, data = fixture_runs["02_monkeypatch"]
    assert set(statuses(results).values()) == {"failed"} and data["total"]["points"] == 0
    assert "cannot read" in results["softmax"]["message"]
    assert not (fixture_runs["_cwd"] / "PWNED_BY_NOTEBOOK").exists(), "a reply ran code in the grader"


def test_printed_fake_results_do_not_reach_the_grader_output(fixture_runs):
    code, out, results, data = fixture_runs["02_fake_output"]
    assert statuses(results) == {**{n: "not implemented" for n in results}, "sigmoid_grad": "failed"}
    # The fake lines show up only inside the one-line report of sigmoid_grad's exception.
    assert all("boom" in line for line in out.splitlines() if "FAKE" in line)
    assert "\x1b" not in out
    assert not any(line.startswith(("total: 7/7", "Exercise 2.")) for line in out.splitlines())
    assert out.splitlines()[-1].startswith("total: 0/7 points (0%)")


def test_min_score_sets_the_exit_status(capsys):
    exercise = str(EXERCISES[0])
    assert main([exercise, "--min-score", "0.5", "--timeout", "5"]) == 1
    assert main([exercise, "--timeout", "5"]) == 0  # default: any score passes
    assert "not implemented" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["no/such/notebook.ipynb"], "no such file or folder"),
    (["exercises", "--min-score", "80"], "fractions from 0 to 1"),
    (["tests"], "no exercise notebooks"),
    (["README.md"], "not a notebook"),
])
def test_usage_errors_exit_2(args, message, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2 and message in capsys.readouterr().err


def test_check_cells_are_recognised():
    assert is_check_cell("check(sigmoid)")
    assert is_check_cell("result = check('softmax', softmax, seed=1)\ncheck(relu)")
    assert not is_check_cell("def relu(z):\n    return z\ncheck(relu)")
    assert not is_check_cell("from nnlib.grading import check")
    assert not is_check_cell("check(")  # a syntax error runs (and fails) in the worker
    assert not is_check_cell("")


def test_magics_are_skipped_not_syntax_errors():
    src = "%timeit relu(z)\nx = 1\n    !ls\n"
    assert strip_magics(src) == "pass\nx = 1\n    pass\n"
    compile(strip_magics("%%time\ny = 2"), "<cell>", "exec")


def test_replies_cannot_name_arbitrary_classes():
    import pickle

    import numpy as np

    ok = protocol.safe_loads(pickle.dumps({"value": np.arange(3.0), "s": ("a", 1, 2.5, None, 1j)}))
    assert ok["value"].tolist() == [0.0, 1.0, 2.0]
    with pytest.raises(protocol.RefusedPickle, match="posix.system|nt.system"):
        import os
        protocol.safe_loads(pickle.dumps(os.system))


def test_chapter_from_file_name():
    assert chapter_of("exercises/02_activations.ipynb") == 2
    assert chapter_of("exercises/02_activations-Copy1.ipynb") == 2
    assert chapter_of("my_notebook.ipynb") is None
