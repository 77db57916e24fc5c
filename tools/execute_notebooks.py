"""Re-execute course notebooks from their .py source and write them back with outputs.

    python tools/execute_notebooks.py notebooks/00_start_here.py [more paths or folders]
    python tools/execute_notebooks.py --all

For each pair the .py (jupytext percent) is read, executed top to bottom in a
fresh python3 kernel whose working directory is the notebook's folder, and the
.ipynb is written with its outputs (fixed cell ids, widget state stripped), so
that nbval can compare them. Prints how long each notebook took; exits 1 if a
cell raises without the `raises-exception` tag.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notebook_io import pair_of, read_py, write_ipynb  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PAIRED_FOLDERS = ("notebooks", "solutions")


def execute(py_path, timeout=300):
    """Execute one .py notebook and write its .ipynb; return seconds taken."""
    py_path, ipynb_path = pair_of(py_path)
    nb = read_py(py_path)
    # A fixed hash seed and the Agg backend keep outputs identical run to run.
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ["MPLBACKEND"] = "Agg"
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3",
        resources={"metadata": {"path": str(py_path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    write_ipynb(nb, ipynb_path)
    return seconds


def collect(paths, all_):
    if all_:
        paths = [ROOT / f for f in PAIRED_FOLDERS]
    found = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(p.glob("[0-9][0-9]_*.py"))
        else:
            found.append(p.with_suffix(".py"))
    missing = [p for p in found if not p.exists()]
    if missing:
        sys.exit(f"no such notebook source: {', '.join(map(str, missing))}")
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help=".py/.ipynb files or folders")
    parser.add_argument("--all", action="store_true", help="every notebook in notebooks/ and solutions/")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args(argv)
    if not args.paths and not args.all:
        parser.error("give notebook paths or --all")
    total, failed = 0.0, []
    for py in collect(args.paths, args.all):
        try:
            seconds = execute(py, args.timeout)
        except CellExecutionError as err:
            failed.append(py)
            print(f"FAILED  {py}\n{err}", file=sys.stderr)
            continue
        total += seconds
        print(f"{seconds:6.1f} s  {py}")
    print(f"{total:6.1f} s  total")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
