"""The course as a learner sees it: JupyterLab in a real (headless) Chromium.

For every chapter notebook: open it, run all cells, assert no cell shows an
error, then for every explorer press an arrow key on its first slider handle
and assert that the image changed, timing key press -> decoded new image. A
screenshot of each chapter's first explorer is saved in a folder printed at
the end of the run. One exercise is filled in through the editor and checked.
"""

import tempfile
import time
import uuid
from pathlib import Path

import pytest

from .conftest import RESULTS
from .jupyterlab import (CHROMIUM_FLAGS, ENABLED_HANDLE, JS_ALL_EXECUTED, JS_ARM_PROBE, JS_ERRORS, JS_FIND_EXPLORERS,
                         JS_NOTEBOOK_READY, ROOT, JupyterLab, chromium_path, make_workspace)

CHAPTERS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def lab():
    base = Path(tempfile.mkdtemp(prefix="nn-e2e-"))
    RESULTS["screenshots"] = base / "screenshots"
    RESULTS["screenshots"].mkdir()
    with JupyterLab(make_workspace(base)) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield b
        b.close()


def open_notebook(browser, lab, path):
    """Open ``path`` alone in a fresh JupyterLab workspace (no tabs restored from earlier tests)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{lab.url}/lab/workspaces/e2e-{uuid.uuid4().hex[:8]}/tree/{path}?reset")
    page.wait_for_function(JS_NOTEBOOK_READY, arg=path, timeout=90_000, polling=250)
    return page


def run_all(page, timeout_s=120):
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    time.sleep(1.0)  # let the kernel go busy before polling for idle
    page.wait_for_function(JS_ALL_EXECUTED, timeout=timeout_s * 1000, polling=500)


def probe_slider(page, box):
    """Press an arrow key on the box's first slider; return ms to new pixels, or None."""
    handle = box.locator(ENABLED_HANDLE).first
    for key in ("ArrowRight", "ArrowLeft"):  # a slider at its maximum only moves left
        page.evaluate(JS_ARM_PROBE, [box.element_handle()])
        handle.focus()
        page.keyboard.press(key)
        try:
            page.wait_for_function("() => window.__probe.latency !== null", timeout=15_000, polling=20)
            return page.evaluate("() => window.__probe.latency")
        except Exception:  # playwright's TimeoutError: nothing redrawn, try the other way
            continue
    return None


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_runs_and_explorers_respond(browser, lab, name):
    page = open_notebook(browser, lab, f"notebooks/{name}")
    try:
        run_all(page)
        errors = page.evaluate(JS_ERRORS)
        assert not errors, f"{name}: cells raised: {errors}"
        n = page.evaluate(JS_FIND_EXPLORERS)
        if name != "00_start_here.ipynb" or n:
            assert n >= 1, f"{name}: no explorer found"
        for i in range(n):
            box = page.locator(f"[data-explorer='{i}']")
            box.scroll_into_view_if_needed()
            if i == 0:
                box.screenshot(path=str(RESULTS["screenshots"] / f"{name[:-6]}.png"))
            latency = probe_slider(page, box)
            assert latency is not None, f"{name}: explorer {i} did not redraw after a key press"
            RESULTS["latencies_ms"].append(latency)
    finally:
        page.close()


def test_exercise_filled_in_through_the_editor_passes_its_check(browser, lab):
    path = "exercises/02_activations.ipynb"
    if not (ROOT / path).exists():
        pytest.skip(f"{path} not present")
    page = open_notebook(browser, lab, path)
    try:
        index = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
            .findIndex(c => c.model.sharedModel.source.includes('def sigmoid('))""")
        assert index >= 0
        editor = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".cm-content")
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(
            "import numpy as np\n\n"
            "def sigmoid(z):\n"
            "    z = np.asarray(z, dtype=float)\n"
            "    e = np.exp(-np.abs(z))\n"
            "    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))\n")
        page.keyboard.press("Escape")
        run_all(page)
        verdict = page.evaluate(f"""() => {{
            const cells = window.jupyterapp.shell.currentWidget.content.widgets;
            for (let i = {index} + 1; i < cells.length; i++) {{
              const src = cells[i].model.sharedModel.source;
              if (src.includes('check(')) return cells[i].node.querySelector('.jp-OutputArea').innerText;
            }}
            return null; }}""")
        assert verdict is not None and "passed" in verdict, verdict
        assert "sigmoid" in verdict
        page.locator(".jp-Notebook .jp-Cell").nth(index).screenshot(
            path=str(RESULTS["screenshots"] / "exercise_02_sigmoid.png"))
    finally:
        page.close()
