"""Browser tests: skip with a reason when Chromium or playwright is missing."""

import importlib.util

import pytest

from .jupyterlab import chromium_path

RESULTS = {"latencies_ms": [], "screenshots": None}


def pytest_collection_modifyitems(config, items):
    reason = None
    if chromium_path() is None:
        reason = "Chromium not found: browser tests skipped (apt-get install -y chromium)"
    elif importlib.util.find_spec("playwright") is None:
        reason = "playwright not installed: browser tests skipped (pip install playwright)"
    if reason:
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter):
    lat = sorted(RESULTS["latencies_ms"])
    if RESULTS["screenshots"]:
        terminalreporter.write_line(f"e2e: explorer screenshots in {RESULTS['screenshots']}")
    if lat:
        median = lat[len(lat) // 2]
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        terminalreporter.write_line(
            f"e2e: slider key press to new pixels over {len(lat)} explorers: "
            f"median {median:.0f} ms, 95th percentile {p95:.0f} ms, max {lat[-1]:.0f} ms")
