"""Generate the exercise notebooks from the solutions: exercises/NN_topic.ipynb.

    python tools/build_exercises.py                    # every solutions/NN_topic.py
    python tools/build_exercises.py solutions/02_activations.py
    python tools/build_exercises.py --check            # exit 1 if exercises/ is out of date
    python tools/build_exercises.py --force ...        # replace learner-changed notebooks (backup kept)

The source is solutions/NN_topic.py (jupytext percent), the reviewed source of
truth; its executed .ipynb is not read. In each code cell, every region between
``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers) becomes

    # YOUR CODE HERE
    raise NotImplementedError("Exercise 2.7: implement softmax")

at the marker's indentation; the def line and docstring sit outside the markers
and stay. The exercise number comes from nnlib.grading's registry, looked up by
the name of the function around the region. (A region in a markdown cell becomes
"YOUR ANSWER HERE".) Markdown cells tagged "nav" get the exercise version's
links. Outputs and execution counts are cleared, check cells and the kernelspec
kept, widget state dropped, cell ids fixed: the same source gives the same bytes.

The generated notebook records a hash of its cells in metadata["nnlib"]. A
notebook whose cells no longer match that hash was changed, most likely by a
learner: it is never overwritten unless --force is given, and then a dated
backup (exercises/NN_topic.bak-YYYYmmdd-HHMMSS.ipynb) is written first.
Exit status: 0; 1 if a notebook was refused or (--check) is out of date.
"""

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from navigation import CHAPTERS  # noqa: E402
from notebook_io import read_py  # noqa: E402

from nnlib.grading.registry import EXERCISES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
DEF = re.compile(r"^(\s*)def\s+(\w+)\s*\(")


def stub_code(source, where):
    """Replace each solution region of a code cell by a NotImplementedError stub."""
    lines, out, region = source.splitlines(), [], None
    for number, line in enumerate(lines):
        marker = line.strip()
        if marker == BEGIN:
            if region is not None:
                raise ValueError(f"{where}: {BEGIN} inside another solution region")
            region = number
            indent = line[: len(line) - len(line.lstrip())]
            name = enclosing_function(lines, number, where)
            if name not in EXERCISES:
                raise ValueError(f"{where}: {name}() has a solution region but no exercise in "
                                 f"nnlib/grading/registry.py")
            ex = EXERCISES[name]
            out += [f"{indent}# YOUR CODE HERE",
                    f'{indent}raise NotImplementedError("Exercise {ex.chapter}.{ex.number}: implement {name}")']
        elif marker == END:
            if region is None:
                raise ValueError(f"{where}: {END} without {BEGIN}")
            region = None
        elif region is None:
            out.append(line)
    if region is not None:
        raise ValueError(f"{where}: {BEGIN} without {END}")
    return "\n".join(out)


def enclosing_function(lines, number, where):
    """Name of the def that a marker at ``lines[number]`` sits in."""
    depth = len(lines[number]) - len(lines[number].lstrip())
    for line in reversed(lines[:number]):
        match = DEF.match(line)
        if match and len(match.group(1)) < depth:
            return match.group(2)
    raise ValueError(f"{where}: a solution region must sit inside a function")


def stub_markdown(source):
    return re.sub(rf"{BEGIN}.*?{END}", "YOUR ANSWER HERE", source, flags=re.S)


def chapter_title(stem):
    """'02_activations' -> 'Activations', from tools/navigation.py's chapter list."""
    titles = {f"{num}_{slug}": title for num, slug, title, _ in CHAPTERS}
    return titles.get(stem, stem[3:].replace("_", " ").capitalize())


def nav_text(stem):
    return (f"← [{stem[:2]} {chapter_title(stem)} (the chapter)](../notebooks/{stem}.ipynb)"
            f" | [Course map](../notebooks/00_start_here.ipynb#Course-map)"
            f" | Stuck? [The solutions](../solutions/{stem}.ipynb)")


def cells_hash(nb):
    """sha256 of the cells' types and sources: what a learner edits (not outputs)."""
    def text(source):  # the file format allows a list of lines as well as one string
        return "".join(source) if isinstance(source, list) else source

    data = json.dumps([[c["cell_type"], text(c["source"])] for c in nb["cells"]], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def build(py_path):
    """The exercise notebook for one solutions .py, as bytes."""
    py_path = Path(py_path)
    nb = read_py(py_path)
    for i, cell in enumerate(nb.cells):
        where = f"{py_path.name}, cell {i + 1}"
        tags = list(cell.metadata.get("tags", []))
        cell.metadata = {"tags": tags} if tags else {}
        cell["id"] = f"cell-{i:03d}"
        if cell.cell_type == "code":
            cell.source = stub_code(cell.source, where)
            cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            cell.source = stub_markdown(cell.source)
            if "nav" in tags:
                bottom = cell.source.startswith("---")
                cell.source = ("---\n" if bottom else "") + nav_text(py_path.stem)
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {"kernelspec": nb.metadata["kernelspec"],
                   "language_info": {"name": "python"},
                   "nnlib": {"generated_from": f"solutions/{py_path.name}",
                             "generator": "tools/build_exercises.py",
                             "cells_sha256": cells_hash(nb)}}
    return nbformat.writes(nb).encode() + b"\n"


def learner_changed(path):
    """True unless ``path`` still holds exactly the cells it was generated with."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        recorded = nb["metadata"]["nnlib"]["cells_sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return True
    return cells_hash(nb) != recorded


def backup_path(path):
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate, n = path.with_name(f"{path.stem}.bak-{stamp}.ipynb"), 1
    while candidate.exists():
        candidate, n = path.with_name(f"{path.stem}.bak-{stamp}-{n}.ipynb"), n + 1
    return candidate


def sources(paths):
    if not paths:
        return sorted((ROOT / "solutions").glob("[0-9][0-9]_*.py"))
    found = [Path(p).with_suffix(".py") for p in paths]
    missing = [str(p) for p in found if not p.exists()]
    if missing:
        raise SystemExit(f"no such solutions source: {', '.join(missing)}")
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description="generate exercises/ from solutions/")
    parser.add_argument("paths", nargs="*", help="solutions/NN_topic.py (default: all)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if out of date")
    parser.add_argument("--force", action="store_true",
                        help="overwrite notebooks a learner changed, after a dated backup")
    args = parser.parse_args(argv)
    status = 0
    for py in sources(args.paths):
        target = py.parent.parent / "exercises" / f"{py.stem}.ipynb"
        shown = f"exercises/{target.name}"
        new = build(py)
        old = target.read_bytes() if target.exists() else None
        if old == new:
            continue
        if args.check:
            print(f"out of date: {shown} (run python tools/build_exercises.py)")
            status = 1
        elif old is not None and learner_changed(target):
            if not args.force:
                print(f"refusing to overwrite {shown}: it was changed since it was generated "
                      f"(your work?). To replace it anyway, keeping a dated backup: "
                      f"python tools/build_exercises.py --force solutions/{py.name}", file=sys.stderr)
                status = 1
                continue
            backup = backup_path(target)
            backup.write_bytes(old)
            target.write_bytes(new)
            print(f"wrote {shown} (your previous version is in exercises/{backup.name})")
        else:
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(new)
            print(f"wrote {shown}")
    return status


if __name__ == "__main__":
    sys.exit(main())
