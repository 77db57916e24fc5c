"""Maintainer tools: navigation is up to date, environment check, the start explorer."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_navigation_and_course_map_are_up_to_date():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "navigation.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_course_map_links_existing_chapters_only():
    sys.path.insert(0, str(ROOT / "tools"))
    import navigation

    table = navigation.course_map("")
    for ch in navigation.CHAPTERS:
        linked = f"notebooks/{ch[0]}_{ch[1]}.ipynb" in table
        assert linked == (ROOT / "notebooks" / f"{ch[0]}_{ch[1]}.ipynb").exists()


def test_environment_check_reports_every_package(capsys):
    from nnlib.environment import REQUIRED, check_environment, environment_rows

    rows = environment_rows()
    assert {r[0] for r in rows} == set(REQUIRED) | {"python"}
    assert check_environment() is True
    assert "numpy" in capsys.readouterr().out


def test_environment_version_comparison():
    from nnlib.environment import _as_tuple

    assert _as_tuple("1.26.4") >= _as_tuple("1.26")
    assert _as_tuple("8.1.0rc1") >= _as_tuple("8.1")
    assert _as_tuple("3.7.5") < _as_tuple("3.8")


def test_start_explorer_compute_matches_the_formula():
    from nnlib.explorers.start import compute, neuron_explorer

    d = compute(w=2.0, b=-1.0, x=1.5)
    assert d["z"] == pytest.approx(2.0)
    assert d["y"] == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert d["x_half"] == pytest.approx(0.5)
    assert compute(w=0.0, b=1.0, x=0.0)["x_half"] is None
    plot = neuron_explorer()
    before = plot.png
    plot.set(w=-3.0)
    assert plot.png != before
