"""Timing helpers: interleaved repeats so that compared code sees the same machine load."""

import statistics
import time


def interleaved(funcs, repeats=20, warmup=3):
    """Time several zero-argument callables in alternation; return median seconds per name.

    Alternating A, B, C, A, B, C... (rather than all of A, then all of B) keeps
    a noisy machine from favouring whichever ran during a quiet spell.
    """
    for _ in range(warmup):
        for f in funcs.values():
            f()
    samples = {name: [] for name in funcs}
    for _ in range(repeats):
        for name, f in funcs.items():
            t = time.perf_counter()
            f()
            samples[name].append(time.perf_counter() - t)
    return {name: statistics.median(s) for name, s in samples.items()}


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def row(label, value, target=None, ok=None):
    mark = "" if ok is None else ("  ok" if ok else "  MISSED")
    tgt = f"  (target {target})" if target else ""
    print(f"  {label:<52} {value}{tgt}{mark}")
