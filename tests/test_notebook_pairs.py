"""Every committed notebook agrees with its jupytext .py and is committed executed.

`jupytext --diff` exits 0 even when a pair differs, so this compares cell types,
sources and tags itself.
"""

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from notebook_io import cell_signature, read_py  # noqa: E402

PAIRS = sorted(p for folder in ("notebooks", "solutions") for p in (ROOT / folder).glob("[0-9][0-9]_*.py"))


def test_there_are_notebooks():
    assert any(p.parent.name == "notebooks" for p in PAIRS)


@pytest.mark.parametrize("py", PAIRS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pair_has_same_cells(py):
    ipynb = py.with_suffix(".ipynb")
    assert ipynb.exists(), f"{ipynb.name} missing: run python tools/execute_notebooks.py {py.relative_to(ROOT)}"
    from_py = cell_signature(read_py(py))
    from_nb = cell_signature(nbformat.read(ipynb, as_version=4))
    for i, (a, b) in enumerate(zip(from_py, from_nb)):
        assert a == b, f"cell {i} differs between {py.name} and {ipynb.name}: edit the .py, then re-execute"
    assert len(from_py) == len(from_nb), f"{py.name} has {len(from_py)} cells, {ipynb.name} {len(from_nb)}"


@pytest.mark.parametrize("py", PAIRS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_notebook_is_executed_and_clean(py):
    nb = nbformat.read(py.with_suffix(".ipynb"), as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert "widgets" not in nb.metadata, "strip widget state (tools/execute_notebooks.py does)"
    code = [c for c in nb.cells if c.cell_type == "code"]
    counts = [c.execution_count for c in code]
    assert None not in counts, "every code cell must be executed"
    assert counts == list(range(1, len(code) + 1)), "executed top to bottom in one run"
    for cell in code:
        for out in cell.outputs:
            if out.output_type == "error":
                assert "raises-exception" in cell.metadata.get("tags", []), cell.source[:80]
