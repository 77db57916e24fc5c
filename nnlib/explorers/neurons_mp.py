"""Chapter 01 explorer: the McCulloch-Pitts neuron, its threshold and the logic gates.

    mp_explorer(gate="AND", threshold=2)

``mp_compute`` (pure numpy, tested) + ``mp_draw`` / ``mp_update`` (matplotlib,
changing artists animated, so a redraw only repaints them) + the factory.
"""

import numpy as np

from nnlib.data import logic_gate
from nnlib.explorers.neurons_common import (
    CLASS_COLORS, MISS, RIGHT, WRONG, class_legend, grid_points, line_in_box,
)
from nnlib.neurons import find_threshold, mp_neuron, threshold_errors

GATES = ("AND", "OR", "NAND", "XOR")
MP_LIM = (-0.45, 1.45)
_MP_GRID = grid_points(MP_LIM, MP_LIM, 60)


def mp_compute(gate, threshold):
    """An MP neuron with two inputs against a gate's truth table.

    Args:
        gate: "AND", "OR", "NAND", "NOR" or "XOR".  threshold: a number (0..3 useful).
    Returns:
        dict with "X" (4, 2) the rows, "sums" (4,) x1 + x2, "target" (4,) the gate,
        "output" (4,) the neuron's, "wrong" (4,) bool, "n_wrong", "errors" (4,)
        wrong rows for thresholds 0, 1, 2, 3, "solution" (the smallest threshold
        that works, or None), "fires" (60, 60) the neuron's output on a grid
        over the plane, "gate", "threshold".
    """
    X, target = logic_gate(gate)
    output = mp_neuron(X, threshold)
    wrong = output != target
    fires = (_MP_GRID.sum(axis=1) >= threshold).reshape(60, 60).astype(float)
    return {"X": X, "sums": X.sum(axis=1), "target": target, "output": output,
            "wrong": wrong, "n_wrong": int(wrong.sum()), "errors": threshold_errors(X, target),
            "solution": find_threshold(X, target), "fires": fires,
            "gate": gate.upper(), "threshold": threshold}


def _mp_table_colors(data):
    """(4, 2, 3) RGB cells of the table's changing columns: target by class, output
    green where right and salmon where wrong."""
    from matplotlib.colors import to_rgb

    cells = np.empty((4, 2, 3))
    for n in range(4):
        cells[n, 0] = to_rgb("#dbe8f5" if data["target"][n] == 0 else "#f7d9d6")
        cells[n, 1] = to_rgb(WRONG if data["wrong"][n] else RIGHT)
    return cells


def mp_draw(fig, data):
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    table, plane = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    # -- truth table: 4 rows x (x1, x2, sum | target, output) ----------------------------
    # Two images: the input columns never change (background), the last two are redrawn.
    table.imshow(np.full((4, 3), 0.95), cmap="gray", vmin=0, vmax=1, aspect="auto",
                 extent=(-0.5, 2.5, 3.5, -0.5))
    image = table.imshow(_mp_table_colors(data), aspect="auto", extent=(2.5, 4.5, 3.5, -0.5))
    table.set_xticks(range(5), ["$x_1$", "$x_2$", "$x_1+x_2$", "target", "neuron"])
    table.xaxis.tick_top()
    table.tick_params(length=0, labelsize=9)
    table.set_yticks([])
    for x in np.arange(-0.5, 5):
        table.axvline(x, color="white", lw=2, zorder=2)
    for y in np.arange(-0.5, 4):
        table.axhline(y, color="white", lw=2, zorder=2)
    for n in range(4):
        for col, value in enumerate([*data["X"][n], data["sums"][n]]):
            table.text(col, n, f"{value:g}", ha="center", va="center", fontsize=11)
    cells = [[table.text(col, n, "", ha="center", va="center", fontsize=11, weight="bold")
              for col in (3, 4)] for n in range(4)]
    marks = [table.text(4.6, n, "", ha="left", va="center", fontsize=9, color="#b2182b",
                        clip_on=False) for n in range(4)]
    table.set(xlim=(-0.5, 4.5), ylim=(3.5, -0.5))
    for spine in table.spines.values():
        spine.set_visible(False)
    # -- the plane: 4 points and the region where the neuron fires -----------------
    cmap = ListedColormap(["#eef3f8", "#fbe3df"])
    region = plane.imshow(data["fires"], origin="lower", extent=(*MP_LIM, *MP_LIM), cmap=cmap,
                          vmin=0, vmax=1, interpolation="nearest", aspect="auto")
    (line,) = plane.plot([], [], color="0.25", lw=1.5)
    X = data["X"]
    points = plane.scatter(X[:, 0], X[:, 1], s=140, zorder=3, edgecolor="white", linewidth=1)
    rings = plane.scatter([], [], s=420, facecolor="none", edgecolor=MISS, linewidth=2.2,
                          zorder=2)
    plane.set(xlim=MP_LIM, ylim=MP_LIM, xticks=[0, 1], yticks=[0, 1], aspect="equal")
    plane.set_xlabel("$x_1$", labelpad=0)
    plane.set_ylabel("$x_2$", labelpad=0)
    plane.tick_params(labelsize=9)
    class_legend(plane, [Patch(color=cmap(1.0), label="fires (1)"),
                          Line2D([], [], ls="", marker="o", ms=10, mfc="none", mec=MISS,
                                 mew=2, label="wrong")], loc="upper left",
                  bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(left=0.02, right=0.8, top=0.78, bottom=0.17, wspace=0.3)
    title = fig.text(0.5, 0.95, "", ha="center", va="center", fontsize=10.5)
    summary = fig.text(0.02, 0.05, "", ha="left", va="center", fontsize=9)
    handles = {"image": image, "cells": cells, "marks": marks, "summary": summary,
               "region": region, "line": line, "points": points, "rings": rings,
               "title": title}
    for artist in [image, *sum(cells, []), *marks, summary, region, line, points, rings, title]:
        artist.set_animated(True)
    mp_update(handles, data)
    return handles


def mp_update(h, data):
    h["image"].set_data(_mp_table_colors(data))
    for n in range(4):
        h["cells"][n][0].set_text(str(data["target"][n]))
        h["cells"][n][1].set_text(str(data["output"][n]))
        h["marks"][n].set_text("wrong" if data["wrong"][n] else "")
    errors = "   ".join(f"θ={t}: {e}" for t, e in enumerate(data["errors"]))
    h["summary"].set_text(f"wrong rows for each threshold:   {errors}")
    h["region"].set_data(data["fires"])
    xs, ys = line_in_box((1.0, 1.0), -data["threshold"], MP_LIM, MP_LIM)
    h["line"].set_data(xs, ys)
    h["points"].set_facecolor([CLASS_COLORS[t] for t in data["target"]])
    wrong = data["X"][data["wrong"]]
    h["rings"].set_offsets(wrong if len(wrong) else np.empty((0, 2)))
    if data["n_wrong"] == 0:
        verdict = f"computes {data['gate']}"
    else:
        verdict = f"{data['n_wrong']} of 4 rows wrong"
        verdict += (f" (θ = {data['solution']} works)" if data["solution"] is not None
                    else f" (no threshold computes {data['gate']})")
    h["title"].set_text(f"{data['gate']} with threshold θ = {data['threshold']}:  {verdict}")


def mp_explorer(gate="AND", threshold=2):
    """Threshold slider and gate dropdown over a two-input MP neuron."""
    import ipywidgets as W

    from nnlib.widgets import SliderPlot

    style = {"description_width": "5.5em"}
    controls = {
        "gate": W.Dropdown(options=GATES, value=gate.upper(), description="gate", style=style),
        "threshold": W.IntSlider(value=threshold, min=0, max=3, description="threshold θ",
                                 style=style),
    }
    return SliderPlot(controls, mp_compute, mp_draw, mp_update, figsize=(7.0, 3.1))
