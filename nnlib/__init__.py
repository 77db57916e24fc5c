"""nnlib: the small numpy library behind the Neural Network Fundamentals course.

Each submodule holds one idea (activations, losses, init, layers, model, optim,
train, gradcheck, neurons, recurrent, data) and is imported on first use, so
``import nnlib`` costs only numpy. ``nnlib.viz`` and ``nnlib.widgets`` pull in
matplotlib and ipywidgets only when you use them.

Conventions shared by every module (the chapters explain them):

- rows are samples: ``X`` is ``(N, D)``, a dense layer computes ``X @ W + b``
  with ``W`` ``(D_in, D_out)`` and ``b`` ``(D_out,)``; sequences are ``(N, T, D)``;
- float64 by default, float32 input stays float32;
- anything random takes an explicit ``rng`` (``numpy.random.Generator``);
- where PyTorch has the same thing, nnlib computes the same numbers.
"""

import importlib
import importlib.util

__version__ = "0.1.0"


def __getattr__(name):
    # Lazy submodules: `nnlib.losses` works without an explicit import, but
    # `import nnlib` stays cheap (no matplotlib, no ipywidgets).
    if not name.startswith("_") and importlib.util.find_spec(f"nnlib.{name}") is not None:
        return importlib.import_module(f"nnlib.{name}")
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")
