"""Read and write the course's notebook pairs the same way everywhere.

The .py (jupytext percent format) is the source of truth; the .ipynb is its
executed copy with outputs. Used by tools/execute_notebooks.py and the tests.
"""

from pathlib import Path

import jupytext
import nbformat

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def read_py(py_path):
    """Read a percent-format .py into a notebook with the course's kernelspec."""
    nb = jupytext.read(py_path, fmt="py:percent")
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.setdefault("language_info", {"name": "python"})
    return nb


def normalise(nb):
    """Make a notebook byte-stable: fixed cell ids, no timing metadata, no widget state.

    Widget state is dropped because it is large, changes every run and GitHub
    rejects malformed state; the outputs keep a static PNG for viewers.
    """
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("jupytext", None)
    nb.nbformat, nb.nbformat_minor = 4, 5
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
        cell.metadata.pop("execution", None)
        cell.metadata.pop("jupyter", None)
        if not cell.metadata.get("tags"):
            cell.metadata.pop("tags", None)
    return nb


def cell_signature(nb):
    """(cell_type, source, tags) per cell: what must agree between a .py and its .ipynb."""
    return [
        (c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", ())))
        for c in nb.cells
    ]


def pair_of(path):
    """Return (py_path, ipynb_path) for either member of a pair."""
    path = Path(path)
    return path.with_suffix(".py"), path.with_suffix(".ipynb")


def write_ipynb(nb, path):
    nbformat.write(normalise(nb), str(path))
