"""Packaging stays consistent: pyproject vs environment.yml, import cost, README commands."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def requirement_names(reqs):
    return {re.split(r"[<>=!~ \[]", r)[0].strip().lower() for r in reqs}


def conda_dependencies():
    names, in_deps = set(), False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        m = re.match(r"^  - ([A-Za-z0-9_.-]+)", line)
        if in_deps and m:
            names.add(m.group(1).lower())
    return names - {"python", "pip"}


def test_environment_yml_and_pyproject_list_the_same_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names = requirement_names(project["dependencies"] + project["optional-dependencies"]["dev"])
    assert conda_dependencies() == pip_names


def test_pyproject_pins_minimums_only():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for req in project["dependencies"] + project["optional-dependencies"]["dev"]:
        assert ">=" in req and "==" not in req and "<" not in req.replace("<=", ""), req


def test_import_nnlib_is_cheap_and_pulls_in_no_plotting():
    code = ("import time, sys; t = time.perf_counter(); import nnlib; "
            "import nnlib.layers, nnlib.train; dt = time.perf_counter() - t; "
            "print(dt, 'matplotlib' in sys.modules, 'ipywidgets' in sys.modules)")
    runs = []
    for _ in range(3):  # best of three: the first may pay for a cold disk cache
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        seconds, mpl, widgets = out.stdout.split()
        runs.append(float(seconds))
        assert mpl == "False" and widgets == "False"
    assert min(runs) < 0.15, runs


def test_readme_states_the_two_setup_commands_and_the_start_command():
    readme = (ROOT / "README.md").read_text()
    assert 'pip install -e ".[dev]"' in readme
    assert "\npytest\n" in readme
    assert "jupyter lab notebooks/00_start_here.ipynb" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'pip install --quiet -e ".[dev]"' in ci and "\npytest\n" in ci
