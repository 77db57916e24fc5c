"""Environment check for the start notebook: are the course's packages here and new enough?

    from nnlib.environment import check_environment
    check_environment()          # prints a table, returns True when all is well
"""

import importlib.metadata
import sys

# package -> minimum version (the same minimums as pyproject.toml)
REQUIRED = {
    "numpy": "1.26", "matplotlib": "3.8", "ipywidgets": "8.1",
    "jupyterlab": "4.0", "nbval": "0.11", "jupytext": "1.16",
}


def _as_tuple(version):
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def environment_rows():
    """One row per required package: (name, installed version or None, minimum, ok)."""
    rows = [("python", sys.version.split()[0], "3.11", sys.version_info >= (3, 11))]
    for name, minimum in REQUIRED.items():
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            rows.append((name, None, minimum, False))
            continue
        rows.append((name, version, minimum, _as_tuple(version) >= _as_tuple(minimum)))
    return rows


def check_environment():
    """Print a table of the course's packages and return True if every one is fine."""
    rows = environment_rows()
    print(f"{'package':<12} {'installed':<12} {'minimum':<8} ok")
    for name, version, minimum, ok in rows:
        print(f"{name:<12} {version or 'missing':<12} {minimum:<8} {'yes' if ok else 'NO'}")
    bad = [name for name, _, _, ok in rows if not ok]
    if bad:
        print(f"\nFix: pip install -e \".[dev]\" in the course folder (problem with: {', '.join(bad)})")
    return not bad
