"""Chapter 01 explorers: what the neuron explorers share (class colours, the decision line, a grid).

Used by neurons_mp.py, neurons_perceptron.py and neurons_sigmoid.py. Colours as in
``nnlib.viz``: class 0 blue (C0), class 1 red (C3).
"""

import numpy as np

CLASS_COLORS = ("C0", "C3")
RIGHT, WRONG = "#c7e9c0", "#fc9272"  # table cells: green right, salmon wrong
MISS = "#f2a900"  # ring around misclassified points


def line_in_box(w, b, xlim, ylim):
    """End points of the line w[0] x1 + w[1] x2 + b = 0 inside a box.

    Args:
        w: (2,) weights.  b: bias.  xlim, ylim: (lo, hi) of the box.
    Returns:
        (xs, ys): two (2,) arrays, or two empty arrays when the line misses the
        box or w = 0 (then there is no line: the neuron says the same everywhere).
    """
    w1, w2 = float(w[0]), float(w[1])
    points = []
    if w2 != 0:  # crossings with the left and right edges
        points += [(x, -(w1 * x + b) / w2) for x in xlim]
    if w1 != 0:  # crossings with the bottom and top edges
        points += [(-(w2 * y + b) / w1, y) for y in ylim]
    eps = 1e-9 * (1 + abs(xlim[1] - xlim[0]) + abs(ylim[1] - ylim[0]))
    inside = sorted({(round(x, 12), round(y, 12)) for x, y in points
                     if xlim[0] - eps <= x <= xlim[1] + eps and ylim[0] - eps <= y <= ylim[1] + eps})
    if len(inside) < 2:
        return np.array([]), np.array([])
    (x0, y0), (x1, y1) = inside[0], inside[-1]
    return np.array([x0, x1]), np.array([y0, y1])


def grid_points(xlim, ylim, steps):
    """(steps * steps, 2) points of a regular grid; row-major, y varies slowest (as imshow)."""
    gx, gy = np.meshgrid(np.linspace(*xlim, steps), np.linspace(*ylim, steps))
    return np.column_stack([gx.ravel(), gy.ravel()])


def class_legend(target, extra=(), **where):
    """A legend for the two classes plus ``extra`` handles, on an Axes or a Figure."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], ls="", marker="o", color=c, markeredgecolor="white", ms=7,
                      label=f"class {k}") for k, c in enumerate(CLASS_COLORS)]
    return target.legend(handles=handles + list(extra), fontsize=7.5, frameon=True,
                         framealpha=0.85, handletextpad=0.3, borderpad=0.4, labelspacing=0.3,
                         **where)
