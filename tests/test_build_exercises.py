"""tools/build_exercises.py: exercises/ is generated from solutions/, never leaks a
solution, and never overwrites a notebook a learner changed (unless forced, with a backup)."""

import inspect
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nnlib.grading.registry import chapter_exercises

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "build_exercises.py"
SOURCES = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.py"))
CHAPTER = ROOT / "solutions" / "02_activations.py"  # the copy-of-the-tree tests use this one
sys.path.insert(0, str(ROOT / "tools"))
import build_exercises  # noqa: E402


def exercise_of(py):
    return ROOT / "exercises" / f"{py.stem}.ipynb"


def run(tool, *args):
    return subprocess.run([sys.executable, str(tool), *map(str, args)], capture_output=True, text=True)


def solution_lines(py):
    """Every non-blank line inside a solution region of a solutions .py."""
    text = py.read_text()
    regions = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", text, flags=re.S)
    return [line.strip() for region in regions for line in region.splitlines() if line.strip()]


def test_there_are_exercises():
    assert SOURCES
    assert all(exercise_of(py).exists() for py in SOURCES)


def test_committed_exercises_are_what_the_generator_makes():
    out = run(TOOL, "--check")
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("py", SOURCES, ids=lambda p: p.stem)
def test_generator_is_byte_stable(py):
    first = build_exercises.build(py)
    assert first == build_exercises.build(py) == exercise_of(py).read_bytes()


@pytest.mark.parametrize("py", SOURCES, ids=lambda p: p.stem)
def test_stubs_raise_not_implemented_naming_their_exercise(py):
    nb = nbformat.read(exercise_of(py), as_version=4)
    namespace = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "check(" not in cell.source.replace("import check", ""):
            exec(cell.source, namespace)  # noqa: S102 - our own generated stubs
    exercises = chapter_exercises(int(py.stem[:2]))
    assert exercises
    for name, ex in exercises:
        fn = namespace[name]
        required = [p for p in inspect.signature(fn).parameters.values() if p.default is p.empty]
        with pytest.raises(NotImplementedError) as err:
            fn(*[np.zeros(3)] * len(required))
        assert str(err.value) == f"Exercise {ex.chapter}.{ex.number}: implement {name}"


@pytest.mark.parametrize("py", SOURCES, ids=lambda p: p.stem)
def test_no_solution_text_leaks_into_exercises(py):
    lines = solution_lines(py)
    assert len(lines) >= len(chapter_exercises(int(py.stem[:2])))
    nb = nbformat.read(exercise_of(py), as_version=4)
    shown = {line.strip() for cell in nb.cells for line in cell.source.splitlines()}
    leaked = [line for line in lines if line in shown]
    assert not leaked, f"solution lines in exercises/{py.stem}.ipynb: {leaked}"
    assert "SOLUTION" not in exercise_of(py).read_text()


@pytest.mark.parametrize("py", SOURCES, ids=lambda p: p.stem)
def test_exercise_notebook_is_clean_and_keeps_checks(py):
    nb = nbformat.read(exercise_of(py), as_version=4)
    solved = nbformat.read(py.with_suffix(".ipynb"), as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb.metadata and "jupytext" not in nb.metadata
    assert len(nb.cells) == len(solved.cells)
    for cell, original in zip(nb.cells, solved.cells):
        assert cell.cell_type == original.cell_type
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            if original.source.startswith("check("):
                assert cell.source == original.source
        elif "nav" not in cell.metadata.get("tags", []):
            assert cell.source == original.source


def test_stub_keeps_def_docstring_and_indentation():
    src = ('def softmax(z):\n    """Doc."""\n    if True:\n        ### BEGIN SOLUTION\n'
           '        secret = 1\n        ### END SOLUTION\n    return 0')
    assert build_exercises.stub_code(src, "t") == (
        'def softmax(z):\n    """Doc."""\n    if True:\n        # YOUR CODE HERE\n'
        '        raise NotImplementedError("Exercise 2.7: implement softmax")\n    return 0')


@pytest.mark.parametrize("src, message", [
    ("def relu(z):\n    ### BEGIN SOLUTION\n    return z", "without ### END"),
    ("def relu(z):\n    return z\n    ### END SOLUTION", "without ### BEGIN"),
    ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "inside a function"),
    ("def helper(z):\n    ### BEGIN SOLUTION\n    return z\n    ### END SOLUTION", "no exercise"),
])
def test_bad_markers_are_errors(src, message):
    with pytest.raises(ValueError, match=message):
        build_exercises.stub_code(src, "t")


@pytest.fixture
def tree(tmp_path):
    """A copy of solutions/02_activations.py and its exercise notebook; returns its root."""
    for folder in ("solutions", "exercises"):
        (tmp_path / folder).mkdir()
    shutil.copy(CHAPTER.with_suffix(".py"), tmp_path / "solutions")
    shutil.copy(exercise_of(CHAPTER), tmp_path / "exercises")
    return tmp_path


def _change_solution(root):
    """Edit the first solutions .py so that its exercise notebook must be regenerated."""
    py = root / "solutions" / CHAPTER.name
    py.write_text(py.read_text() + "\n# %% [markdown]\n# A new closing remark.\n")
    return root / "exercises" / f"{CHAPTER.stem}.ipynb"


def generate(root, capsys, *flags):
    """Run the generator (in-process: importing jupytext is slow) on the copy at ``root``."""
    code = build_exercises.main([*flags, *map(str, sorted((root / "solutions").glob("*.py")))])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_mode_fails_when_out_of_date(tree, capsys):
    _change_solution(tree)
    code, out, err = generate(tree, capsys, "--check")
    assert code == 1 and f"out of date: exercises/{CHAPTER.stem}.ipynb" in out


def test_learner_changes_are_never_overwritten_without_force(tree, capsys):
    target = _change_solution(tree)
    nb = json.loads(target.read_text())
    code = next(c for c in nb["cells"] if c["cell_type"] == "code" and "NotImplementedError" in "".join(c["source"]))
    code["source"] = "".join(code["source"]).replace(
        "raise NotImplementedError", "return 0  # my work\n    raise NotImplementedError", 1)
    learner = json.dumps(nb, indent=1)
    target.write_text(learner)

    status, out, err = generate(tree, capsys)
    assert status == 1
    assert f"refusing to overwrite exercises/{target.name}" in err and "--force" in err
    assert target.read_text() == learner

    status, out, err = generate(tree, capsys, "--force")
    assert status == 0, err
    backups = list(target.parent.glob(f"{target.stem}.bak-*.ipynb"))
    assert len(backups) == 1 and backups[0].read_text() == learner
    assert re.fullmatch(rf"{target.stem}\.bak-\d{{8}}-\d{{6}}\.ipynb", backups[0].name)
    assert backups[0].name in out
    assert target.read_bytes() == build_exercises.build(tree / "solutions" / CHAPTER.name)
    assert generate(tree, capsys, "--check")[0] == 0


def test_untouched_exercise_is_regenerated_even_after_running_it(tree, capsys):
    target = _change_solution(tree)
    nb = json.loads(target.read_text())
    for cell in nb["cells"]:  # saved by another tool after running: outputs, one-string sources
        cell["source"] = "".join(cell["source"])
        if cell["cell_type"] == "code":
            cell["execution_count"] = 1
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "not implemented\n"}]
    target.write_text(json.dumps(nb, indent=1))
    status, out, err = generate(tree, capsys)
    assert status == 0, err
    assert f"wrote exercises/{target.name}" in out
    assert not list(target.parent.glob("*.bak-*"))
    assert generate(tree, capsys, "--check")[0] == 0
