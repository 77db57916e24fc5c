"""Generate the course's navigation: previous / index / next links and the course map.

    python tools/navigation.py          # rewrite nav cells and the README course map
    python tools/navigation.py --check  # exit 1 if anything is out of date (a test runs this)

Chapter notebooks carry markdown cells tagged "nav" at the top and bottom; their
text is generated here from CHAPTERS, so links never go stale. Both the .py
source and its executed .ipynb are updated (markdown only: outputs are kept, so
no re-execution is needed).
The README's map sits between the markers <!-- course-map:start/end -->. A link
is made only for files that exist; planned chapters are listed without one.
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

# (number, slug, title, what you learn)
CHAPTERS = [
    ("00", "start_here", "Start here", "how the course works, an environment check, your first explorer"),
    ("01", "neurons", "Neurons", "McCulloch-Pitts neuron, perceptron learning rule, AND/OR vs XOR, the sigmoid neuron"),
    ("02", "activations", "Activations", "sigmoid, tanh, ReLU family, GELU, softmax; derivatives, saturation, dying ReLU"),
    ("03", "backprop", "Forward and backprop", "layers as matrices, losses, the chain rule by hand, gradient checking"),
    ("04", "optimizers", "Gradient descent and optimizers", "learning rate and divergence, momentum, Adam and friends, schedules"),
    ("05", "regularisation", "Regularisation", "over/underfitting, L1/L2, dropout, batch norm, early stopping"),
    ("06", "gradients", "Vanishing and exploding gradients", "initialisers, per-layer statistics, residual connections, clipping"),
    ("07", "rnn_lstm", "RNN and LSTM", "recurrence, BPTT, LSTM gates, GRU, a character model"),
]

NAV_TAG = "nav"
MAP_START, MAP_END = "<!-- course-map:start -->", "<!-- course-map:end -->"
EX_START, EX_END = "<!-- exercises:start -->", "<!-- exercises:end -->"


def stem(ch):
    return f"{ch[0]}_{ch[1]}"


def exists(folder, ch, ext=".ipynb"):
    return (ROOT / folder / f"{stem(ch)}{ext}").exists()


def nav_text(i, position):
    """Markdown for chapter i's nav cell ("top" or "bottom"), as seen from notebooks/."""
    parts = []
    if i > 0:
        prev = CHAPTERS[i - 1]
        parts.append(f"← [{prev[0]} {prev[2]}]({stem(prev)}.ipynb)")
    parts.append(f"[Course map]({stem(CHAPTERS[0])}.ipynb#Course-map)")
    if i + 1 < len(CHAPTERS):
        nxt = CHAPTERS[i + 1]
        target = f"[{nxt[0]} {nxt[2]}]({stem(nxt)}.ipynb)" if exists("notebooks", nxt) else f"{nxt[0]} {nxt[2]} (coming soon)"
        parts.append(f"{target} →")
    line = " | ".join(parts)
    return line if position == "top" else f"---\n{line}"


def course_map(prefix):
    """The course map as a markdown table; ``prefix`` is the path from the reader to the repo root."""
    rows = ["| # | chapter | what you learn | exercises |", "|---|---------|----------------|-----------|"]
    for ch in CHAPTERS:
        title = f"[{ch[2]}]({prefix}notebooks/{stem(ch)}.ipynb)" if exists("notebooks", ch) else f"{ch[2]} (coming soon)"
        ex = f"[exercises]({prefix}exercises/{stem(ch)}.ipynb)" if exists("exercises", ch) else "—"
        rows.append(f"| {ch[0]} | {title} | {ch[3]} | {ex} |")
    return "\n".join(rows)


def exercise_table():
    """Every graded exercise, per chapter, from nnlib.grading's registry (the README lists them)."""
    from nnlib.grading.registry import chapter_exercises

    rows = ["| chapter | exercises (function names; one point each unless noted) |", "|---|---|"]
    for ch in CHAPTERS:
        found = chapter_exercises(int(ch[0]))
        if not found:
            continue
        names = ", ".join(f"{int(ch[0])}.{ex.number} `{name}`" + (f" ({ex.points} points)" if ex.points != 1 else "")
                          for name, ex in found)
        link = f"[{ch[0]} {ch[2]}](exercises/{stem(ch)}.ipynb)" if exists("exercises", ch) else f"{ch[0]} {ch[2]}"
        rows.append(f"| {link} | {names} |")
    return "\n".join(rows)


def _rewrite_between(text, start, end, body):
    if start not in text:
        return text
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"


def _rewrite_nav_cells(text, i):
    """Replace the bodies of the nav cells of a percent-format .py."""
    pattern = re.compile(r'(# %% \[markdown\] tags=\["nav"\]\n)((?:#.*\n|#\n)*?)(?=\n|\Z)')
    matches = list(pattern.finditer(text))
    if len(matches) != 2:
        raise SystemExit(f"chapter {CHAPTERS[i][0]}: expected 2 nav cells (top and bottom), found {len(matches)}")
    out, last = [], 0
    for m, position in zip(matches, ("top", "bottom")):
        body = "".join(f"# {line}".rstrip() + "\n" for line in nav_text(i, position).splitlines())
        out += [text[last:m.start(2)], body]
        last = m.end(2)
    return "".join(out) + text[last:]


def _rewrite_map(text, prefix, comment=""):
    """Replace the lines between the map markers; ``comment`` is "# " inside a .py markdown cell."""
    if MAP_START not in text:
        return text
    head, rest = text.split(MAP_START, 1)
    _, tail = rest.split(MAP_END, 1)
    table = "".join(f"{comment}{line}\n" for line in course_map(prefix).splitlines())
    return f"{head}{MAP_START}\n{table}{comment}{MAP_END}{tail}"


def _ipynb_text(ipynb, i):
    """The executed notebook with its nav cells (and course map) regenerated, outputs untouched."""
    import nbformat

    from notebook_io import normalise

    nb = nbformat.read(ipynb, as_version=4)
    navs = [c for c in nb.cells if c.cell_type == "markdown" and NAV_TAG in c.metadata.get("tags", [])]
    for cell, position in zip(navs, ("top", "bottom")):
        cell.source = nav_text(i, position)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and MAP_START in cell.source:
            cell.source = _rewrite_map(cell.source, "../")
    return nbformat.writes(normalise(nb)) + "\n"


def targets():
    """(path, new text) for every generated file: .py sources, their .ipynb, the README."""
    result = []
    for i, ch in enumerate(CHAPTERS):
        py = ROOT / "notebooks" / f"{stem(ch)}.py"
        if py.exists():
            text = _rewrite_nav_cells(py.read_text(), i)
            if i == 0:  # the start notebook shows the map in a markdown cell
                text = _rewrite_map(text, "../", comment="# ")
            result.append((py, text))
            if py.with_suffix(".ipynb").exists():
                result.append((py.with_suffix(".ipynb"), _ipynb_text(py.with_suffix(".ipynb"), i)))
    readme = ROOT / "README.md"
    if readme.exists():
        text = _rewrite_map(readme.read_text(), "")
        result.append((readme, _rewrite_between(text, EX_START, EX_END, exercise_table())))
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description="generate navigation links and the course map")
    parser.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    args = parser.parse_args(argv)
    stale = [p for p, text in targets() if p.read_text() != text]
    if args.check:
        for p in stale:
            print(f"stale navigation: {p.relative_to(ROOT)} (run python tools/navigation.py)")
        return 1 if stale else 0
    for p, text in targets():
        if p in stale:
            p.write_text(text)
            print(f"updated {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
