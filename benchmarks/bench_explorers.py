"""Redraw latency of every explorer, kernel side: compute + update + PNG, per control change.

Every module in nnlib/explorers/ is searched for factories named ``*_explorer``;
each is built with its defaults, then every control is swept over a few values
(slider positions, dropdown options, checkbox states). SliderPlot records the
time of every redraw in ``timings_ms``.
"""

import importlib
import pkgutil
import statistics

import numpy as np

import nnlib.explorers
from benchmarks.common import percentile, row


def control_values(w, n=6):
    """A few values to sweep one ipywidgets control over (empty when it cannot move)."""
    if getattr(w, "disabled", False):
        return []
    if hasattr(w, "options") and w.options:
        opts = [o[1] if isinstance(o, tuple) else o for o in w.options]
        return opts[1:] + opts[:1]
    if hasattr(w, "min") and hasattr(w, "max"):
        if type(w).__name__ == "FloatLogSlider":
            exps = np.linspace(w.min, w.max, n)
            return [float(w.base ** e) for e in exps] + [w.value]
        vals = np.linspace(w.min, w.max, n)
        if isinstance(w.value, (int, np.integer)) and not isinstance(w.value, bool):
            vals = np.unique(np.round(vals).astype(int))
        return [v.item() for v in vals] + [w.value]
    if isinstance(getattr(w, "value", None), bool):
        return [not w.value, w.value]
    return []


def explorer_factories():
    for info in pkgutil.iter_modules(nnlib.explorers.__path__):
        module = importlib.import_module(f"nnlib.explorers.{info.name}")
        for name in sorted(dir(module)):
            f = getattr(module, name)
            if name.endswith("_explorer") and callable(f) and getattr(f, "__module__", "") == module.__name__:
                yield f"{info.name}.{name}", f


def measure(factory):
    """Sweep every control twice. Returns (first-visit ms, revisit ms, full redraws of the revisit).

    The first pass includes computing each new setting (training, for the
    explorers that train); the second finds every setting computed (explorers
    cache them) and measures the redraw itself.
    """
    plot = factory()
    sweep = [(name, v) for name, w in plot.controls.items() for v in control_values(w)]
    for name, v in sweep:
        plot.set(**{name: v})
    first = list(plot.timings_ms)
    full_before = plot.full_redraws
    for name, v in sweep:
        plot.set(**{name: v})
    return first, plot.timings_ms[len(first):], plot.full_redraws - full_before


def run():
    print("Explorer latency, kernel side (compute + update + PNG) per control change, every control swept")
    print("  first visit: a setting not seen before (includes training); redraw: a setting seen before")
    medians = []
    for label, factory in explorer_factories():
        first, again, full = measure(factory)
        if not again:
            continue
        med = statistics.median(again)
        medians.append(med)
        row(label, f"redraw median {med:5.1f} ms, p95 {percentile(again, 0.95):5.1f}; first visit median "
            f"{statistics.median(first):5.0f} ms; full redraws {full}/{len(again)}",
            "redraw median < 50 ms", med < 50)
    if medians:
        row("all explorers: worst redraw median", f"{max(medians):.1f} ms", "< 50 ms", max(medians) < 50)
