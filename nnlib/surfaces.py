"""2-D test surfaces for optimizers: value and gradient, vectorised (chapter 04).

Every surface is an object with the same interface, stated once here:

    s.f(W)        W (..., 2) points (x, y)  ->  (...,) values f(x, y)
    s.grad(W)     W (..., 2)                ->  (..., 2) gradients (df/dx, df/dy)
    s.minima      (K, 2) every minimiser;  s.f_min: the lowest value
    s.start       (2,) where the chapter's explorer starts the optimizers
    s.xlim, s.ylim  a plotting window that holds the start and the minima
    s.lr          a learning rate at which plain gradient descent behaves (for the explorer)

``W`` may be one point (2,), a path (T, 2) or a grid (H, W, 2): the functions
work on the last axis, so ``s.f(np.stack([xx, yy], axis=-1))`` evaluates a
whole mesh at once. ``get(name)`` builds one by name ("quadratic",
"rosenbrock", "saddle", "two_minima"). The gradients are written out by hand
and checked against numerical ones in tests/test_surfaces.py.
"""

import numpy as np

from nnlib.validation import lookup


def _xy(W, where):
    W = np.asarray(W, dtype=np.float64)
    if W.ndim == 0 or W.shape[-1] != 2:
        raise ValueError(f"{where} expects points of shape (..., 2), got shape {W.shape}")
    return W, W[..., 0], W[..., 1]


class Surface:
    """Base class: a subclass defines ``_f(x, y)`` and ``_grad(x, y) -> (dx, dy)``."""

    name = "surface"
    formula = ""

    def f(self, W):
        """Values f(x, y): W (..., 2) -> (...,)."""
        _, x, y = _xy(W, f"{type(self).__name__}.f")
        return self._f(x, y)

    def grad(self, W):
        """Gradients (df/dx, df/dy): W (..., 2) -> (..., 2)."""
        W, x, y = _xy(W, f"{type(self).__name__}.grad")
        out = np.empty(W.shape)
        out[..., 0], out[..., 1] = self._grad(x, y)  # (a constant partial broadcasts)
        return out

    @property
    def f_min(self):
        return float(np.min(self.f(self.minima)))

    def __repr__(self):
        return f"{type(self).__name__}({self.formula})"


class Quadratic(Surface):
    """An ill-conditioned bowl: f(x, y) = (x^2 + kappa * y^2) / 2.

    The Hessian is diag(1, kappa): curvature 1 along x, kappa along y, so the
    condition number (largest over smallest curvature) is kappa. Gradient
    descent is stable only for lr < 2 / kappa, and then moves along x by a
    factor (1 - lr) per step: the larger kappa, the slower. Minimum 0 at (0, 0).
    """

    name = "quadratic"

    def __init__(self, kappa=10.0):
        self.kappa = float(kappa)
        if not self.kappa >= 1:
            raise ValueError(f"Quadratic: the condition number kappa must be >= 1, got {kappa}")
        self.formula = f"(x² + {self.kappa:g}·y²) / 2"
        self.minima = np.zeros((1, 2))
        self.start = np.array([-4.0, 1.5])
        self.xlim, self.ylim = (-4.5, 4.5), (-2.2, 2.2)
        self.lr = 0.02

    def _f(self, x, y):
        return 0.5 * (x * x + self.kappa * y * y)

    def _grad(self, x, y):
        return x, self.kappa * y


class Rosenbrock(Surface):
    """Rosenbrock's banana valley: f(x, y) = scale * ((a - x)^2 + b * (y - x^2)^2).

    The minimum f = 0 sits at (a, a^2) at the end of a long curved valley
    whose floor is almost flat: easy to find, slow to follow. The classic
    benchmark is a = 1, b = 100, scale = 1; the explorer uses b = 10 and
    scale = 0.1 so that one learning rate suits every surface it shows.
    """

    name = "rosenbrock"

    def __init__(self, a=1.0, b=10.0, scale=0.1):
        self.a, self.b, self.scale = float(a), float(b), float(scale)
        self.formula = f"{self.scale:g}·(({self.a:g} − x)² + {self.b:g}·(y − x²)²)"
        self.minima = np.array([[self.a, self.a**2]])
        self.start = np.array([-1.5, 2.0])
        self.xlim, self.ylim = (-2.0, 2.0), (-0.8, 3.0)
        self.lr = 0.05

    def _f(self, x, y):
        return self.scale * ((self.a - x) ** 2 + self.b * (y - x * x) ** 2)

    def _grad(self, x, y):
        r = y - x * x
        return (self.scale * (-2 * (self.a - x) - 4 * self.b * x * r),
                self.scale * (2 * self.b * r))


class Saddle(Surface):
    """A saddle point between two valleys: f(x, y) = x^2 / 2 + y^4 / 4 - y^2 / 2.

    At (0, 0) the gradient is zero but it is not a minimum: f curves up along
    x and down along y. Started on the ridge with y tiny, gradient descent
    creeps away from the saddle (y grows by a factor 1 + lr per step), while
    methods that rescale small gradients escape fast. Minima: (0, -1) and
    (0, 1), f = -1/4.
    """

    name = "saddle"
    formula = "x²/2 + y⁴/4 − y²/2"

    def __init__(self):
        self.minima = np.array([[0.0, -1.0], [0.0, 1.0]])
        self.start = np.array([-3.0, 1e-3])
        self.xlim, self.ylim = (-3.5, 3.5), (-1.6, 1.6)
        self.lr = 0.1

    def _f(self, x, y):
        y2 = y * y
        return 0.5 * x * x + 0.25 * y2 * y2 - 0.5 * y2

    def _grad(self, x, y):
        return x, y * y * y - y


class TwoMinima(Surface):
    """A shallow local minimum beside a deeper global one.

        f(x, y) = (x^2 - 1)^2 + depth * x + (y - x / 2)^2 / 2

    A double well along x, tilted by ``depth`` so that the left minimum
    (x near -1) is lower, and a valley along y = x / 2. Plain gradient
    descent stops in whichever well it reaches first; momentum can carry
    an optimizer over the ridge between them. The minima are found from
    the cubic f_x = 0 (with y = x / 2 on the valley floor).
    """

    name = "two_minima"

    def __init__(self, depth=0.3):
        self.depth = float(depth)
        self.formula = f"(x² − 1)² + {self.depth:g}·x + (y − x/2)²/2"
        # On the valley floor y = x / 2, so f_x = 4x (x^2 - 1) + depth = 0.
        roots = np.roots([4.0, 0.0, -4.0, self.depth])
        real = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
        xs = real[[0, -1]]  # the outer two roots are the minima, the middle one the ridge
        self.minima = np.stack([xs, xs / 2], axis=-1)
        self.start = np.array([2.0, 2.0])
        self.xlim, self.ylim = (-2.2, 2.4), (-1.6, 2.4)
        self.lr = 0.02

    def _f(self, x, y):
        return (x * x - 1) ** 2 + self.depth * x + 0.5 * (y - 0.5 * x) ** 2

    def _grad(self, x, y):
        r = y - 0.5 * x
        return 4 * x * (x * x - 1) + self.depth - 0.5 * r, r


_SURFACES = {"quadratic": Quadratic, "rosenbrock": Rosenbrock, "saddle": Saddle,
             "two_minima": TwoMinima}


def get(name, **kwargs):
    """A surface by name: get("quadratic", kappa=20), get("rosenbrock"), ..."""
    return lookup(_SURFACES, name, "surface")(**kwargs)


def mesh(surface, steps=121):
    """The surface on a steps x steps grid over its window, for contour plots.

    Returns:
        xx, yy: (steps, steps) coordinates; zz: (steps, steps) values f(xx, yy).
    """
    xs = np.linspace(*surface.xlim, steps)
    ys = np.linspace(*surface.ylim, steps)
    xx, yy = np.meshgrid(xs, ys)
    return xx, yy, surface.f(np.stack([xx, yy], axis=-1))


__all__ = ["Surface", "Quadratic", "Rosenbrock", "Saddle", "TwoMinima", "get", "mesh"]
