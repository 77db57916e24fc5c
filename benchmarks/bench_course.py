"""Import time of nnlib and execution time of every chapter notebook (on copies: nothing is written)."""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import row

ROOT = Path(__file__).resolve().parent.parent


def import_time(repeats=5):
    code = "import time; t = time.perf_counter(); import nnlib; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(repeats)]
    return min(runs)


def notebook_seconds(path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(path, tmp)
        client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp}})
        t = time.perf_counter()
        client.execute()
        return time.perf_counter() - t


def run():
    print("Course: import time and notebook execution")
    t = import_time()
    row("import nnlib (best of 5)", f"{t * 1e3:.0f} ms", "< 150 ms", t < 0.15)
    total = 0.0
    for folder in ("notebooks", "solutions"):
        for nb in sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb")):
            s = notebook_seconds(nb)
            total += s if folder == "notebooks" else 0
            row(f"{folder}/{nb.name}", f"{s:.1f} s", "< 30 s", s < 30)
    row("whole course (notebooks/)", f"{total:.1f} s", "< 180 s", total < 180)
