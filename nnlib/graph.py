"""Drawing a computational graph with matplotlib patches (chapter 03).

A graph is two plain structures:

    nodes = {"X": (x, y, "X\\n(4, 3)", "var"), "mm1": (x, y, "@ +", "op"), ...}
    edges = [("X", "mm1"), ("mm1", "Z1"), ...]

``kind`` is "var" (an array the network computes), "param" (a weight or bias),
"data" (an input or a target) or "op" (an operation). Variables are rounded
boxes, operations circles; arrows run between their outlines.

Like ``nnlib.viz``, every function draws on a given Axes (in data coordinates;
the caller sets the limits, an aspect ratio of 1 keeps circles round) and
returns the artists it made, so an explorer can restyle them later.
"""

from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

NODE_SIZE = (1.0, 0.72)  # width, height of a variable box, in data units
OP_RADIUS = 0.34

STYLES = {  # face colour per kind; edges are dark grey
    "var": "#ffffff",
    "param": "#fff4d6",
    "data": "#e8eef7",
    "op": "#f0f0f0",
}


def node_patch(xy, kind, pad=0.0, **style):
    """The outline of a node at ``xy``: a rounded box, or a circle for kind "op".

    ``pad`` grows it (a highlight ring drawn around a node uses pad > 0).
    Returns an unattached patch (add it with ``ax.add_patch``).
    """
    x, y = xy
    if kind == "op":
        return Circle((x, y), OP_RADIUS + pad, **style)
    w, h = NODE_SIZE
    return FancyBboxPatch((x - w / 2 - pad, y - h / 2 - pad), w + 2 * pad, h + 2 * pad,
                          boxstyle="round,pad=0,rounding_size=0.12", **style)


def draw_node(ax, xy, label, kind="var", fontsize=9):
    """One node with its label. Returns (patch, text)."""
    patch = node_patch(xy, kind, facecolor=STYLES[kind], edgecolor="0.25", lw=1.2, zorder=2)
    ax.add_patch(patch)
    text = ax.text(*xy, label, ha="center", va="center", fontsize=fontsize, zorder=3,
                   linespacing=1.1)
    return patch, text


def draw_edge(ax, patch_a, patch_b, color="0.45", lw=1.1, **style):
    """An arrow from one node's outline to another's. Returns the FancyArrowPatch."""
    arrow = FancyArrowPatch(_centre(patch_a), _centre(patch_b), patchA=patch_a, patchB=patch_b,
                            arrowstyle="-|>", mutation_scale=11, color=color, lw=lw,
                            shrinkA=1, shrinkB=1, zorder=1, **style)
    ax.add_patch(arrow)
    return arrow


def draw_graph(ax, nodes, edges, fontsize=9):
    """Draw every node and edge.

    Args:
        ax: matplotlib Axes (its limits are left to the caller).
        nodes: dict key -> (x, y, label, kind).
        edges: list of (from_key, to_key).

    Returns:
        dict with "patches" and "texts" (key -> artist) and "edges"
        ((from, to) -> arrow).
    """
    patches, texts = {}, {}
    for key, (x, y, label, kind) in nodes.items():
        patches[key], texts[key] = draw_node(ax, (x, y), label, kind, fontsize)
    arrows = {(a, b): draw_edge(ax, patches[a], patches[b]) for a, b in edges}
    return {"patches": patches, "texts": texts, "edges": arrows}


def highlight_ring(ax, nodes, key, color="C1", lw=2.5, ls="-", pad=0.07, alpha=1.0):
    """An unfilled ring around node ``key`` (for showing the current step). Returns the patch."""
    x, y, _, kind = nodes[key]
    ring = node_patch((x, y), kind, pad=pad, facecolor="none", edgecolor=color, lw=lw,
                      ls=ls, alpha=alpha, zorder=4)
    ax.add_patch(ring)
    return ring


def _centre(patch):
    if isinstance(patch, Circle):
        return patch.center
    return (patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2)
