"""Plot helpers: pure functions that draw on a given matplotlib Axes.

None of them creates a figure or touches pyplot's global state; each returns
the artists it made so that an explorer can update them later (``set_data``).
"""

import numpy as np


def function_and_derivative(ax, z, f, df, label="f", color="C0"):
    """Draw f(z) and f'(z) on ``ax``. z, f, df: (K,) arrays. Returns (line_f, line_df)."""
    (line_f,) = ax.plot(z, f, color=color, lw=2, label=f"{label}(z)")
    (line_df,) = ax.plot(z, df, color=color, lw=1.5, ls="--", label=f"{label}'(z)")
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0, color="0.8", lw=0.8, zorder=0)
    ax.set_xlabel("z")
    return line_f, line_df


def grid_2d(X, steps=120, margin=0.5):
    """A mesh covering the points X (N, 2): returns (xx, yy, grid) with grid (steps*steps, 2)."""
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], steps), np.linspace(lo[1], hi[1], steps))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def probability_map(ax, xx, yy, p, cmap="RdBu_r"):
    """Show p (a (steps, steps) array in [0, 1]) as an image under 2-D data. Returns the image."""
    return ax.imshow(p, origin="lower", extent=(xx.min(), xx.max(), yy.min(), yy.max()),
                     cmap=cmap, vmin=0, vmax=1, aspect="auto", alpha=0.6, interpolation="bilinear")


def scatter_classes(ax, X, y, colors=("C0", "C3", "C2", "C1", "C4"), size=18):
    """Scatter X (N, 2) coloured by integer labels y (N,). Returns one artist per class."""
    return [ax.scatter(X[y == k, 0], X[y == k, 1], s=size, color=colors[k % len(colors)],
                       edgecolor="white", linewidth=0.5, label=f"class {k}")
            for k in np.unique(y)]


def loss_curves(ax, history, keys=("loss", "val_loss")):
    """Plot per-epoch curves from a History (or a dict of lists). Returns the lines."""
    h = getattr(history, "history", history)
    lines = []
    for key in keys:
        if key in h:
            (line,) = ax.plot(np.arange(1, len(h[key]) + 1), h[key], label=key)
            lines.append(line)
    ax.set_xlabel("epoch")
    ax.legend(frameon=False)
    return lines
