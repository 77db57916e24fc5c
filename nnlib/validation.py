"""Input checks shared by nnlib: clear messages instead of broadcasting accidents.

Every public function that takes arrays calls these, so a learner who passes
the wrong shape reads what was expected and what arrived, e.g.
``ValueError: Dense expects X with 3 features, got shape (5, 4)``.
"""

import numpy as np


def as_float_array(x, name="input", where=""):
    """Return ``x`` as a float ndarray: float32 stays float32, everything else
    becomes float64. Raises TypeError for non-numeric input."""
    arr = np.asarray(x)
    if arr.dtype == np.float32 or arr.dtype == np.float64:
        return arr
    if arr.dtype.kind in "biuf":
        return arr.astype(np.float64)
    prefix = f"{where}: " if where else ""
    raise TypeError(f"{prefix}{name} must be numeric, got dtype {arr.dtype}")


def check_ndim(x, ndims, name, where):
    """Raise ValueError unless ``x.ndim`` is in ``ndims`` (an int or a tuple)."""
    ndims = (ndims,) if isinstance(ndims, int) else tuple(ndims)
    if x.ndim not in ndims:
        want = " or ".join(f"{n}-D" for n in ndims)
        raise ValueError(f"{where} expects {name} to be {want}, got shape {x.shape}")


def check_features(x, n_features, name, where):
    """Raise ValueError unless the last axis of ``x`` has ``n_features`` entries."""
    if x.ndim == 0 or x.shape[-1] != n_features:
        raise ValueError(
            f"{where} expects {name} with {n_features} features, got shape {x.shape}"
        )


def check_same_shape(a, b, name_a, name_b, where):
    """Raise ValueError unless ``a`` and ``b`` have exactly the same shape."""
    if a.shape != b.shape:
        raise ValueError(
            f"{where}: {name_a} and {name_b} must have the same shape, "
            f"got {a.shape} and {b.shape}"
        )


def check_rng(rng, where):
    """Raise TypeError unless ``rng`` is a numpy Generator (no global state)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{where} needs rng=np.random.default_rng(seed), got {type(rng).__name__}"
        )


def lookup(table, name, kind):
    """Return ``table[name]``; an unknown name raises ValueError listing the valid ones.

    Objects (not strings) are returned as they are, so ``get(relu)`` works too.
    """
    if not isinstance(name, str):
        return name
    key = name.lower()
    if key not in table:
        valid = ", ".join(sorted(table))
        raise ValueError(f"unknown {kind} {name!r}; valid names: {valid}")
    return table[key]


def make_rng(rng, where):
    """Accept a numpy Generator or an int seed; return a Generator.

    ``None`` is refused on purpose: randomness in nnlib is always explicit.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"{where} needs rng: a numpy Generator such as np.random.default_rng(0), "
        f"or an int seed; got {type(rng).__name__}"
    )


class Parameters:
    """Mixin for function objects with named parameters (activations, initialisers).

    A subclass sets ``name`` and ``defaults`` (e.g. {"alpha": 0.01});
    ``_resolve(params)`` merges a call's keyword parameters into the defaults and
    refuses unknown names, listing the valid ones.
    """

    name = ""
    defaults = {}

    @property
    def params(self):
        """Default parameters, e.g. {"alpha": 0.01} (a copy: edit freely)."""
        return dict(self.defaults)

    def _resolve(self, params):
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            valid = ", ".join(sorted(self.defaults)) or "none"
            raise TypeError(f"{self.name} got unexpected parameter(s) {', '.join(unknown)}; "
                            f"valid parameters: {valid}")
        return {**self.defaults, **params}
