"""Start JupyterLab on a throwaway copy of the course and drive it with Chromium.

Used by the browser tests. The server runs on a free loopback port without a
token, on a temporary copy of notebooks/ and exercises/ (JupyterLab autosaves,
and the repository must never change under a test), with its own settings
folder that turns notebook windowing off so every cell stays in the page.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                  "--no-first-run"]


def chromium_path():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_workspace(base):
    """Copy the learner-facing folders into ``base``; return it."""
    for folder in ("notebooks", "exercises"):
        shutil.copytree(ROOT / folder, base / folder,
                        ignore=shutil.ignore_patterns("*.py", ".ipynb_checkpoints"))
    settings = base / "_settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    news = base / "_settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    return base


class JupyterLab:
    """A running JupyterLab server; ``url`` is its base URL. Use as a context manager."""

    def __init__(self, workspace, timeout=60):
        self.workspace, self.timeout = Path(workspace), timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(self.workspace / "_settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.workspace / "_workspaces"),
                   MPLBACKEND="Agg", PYTHONHASHSEED="0")
        self.log = open(self.workspace / "jupyterlab.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser", "--ip=127.0.0.1",
             f"--port={self.port}", "--ServerApp.token=", "--ServerApp.password=",
             "--LabApp.expose_app_in_browser=True", "--ServerApp.disable_check_xsrf=True",
             f"--ServerApp.root_dir={self.workspace}"],
            cwd=self.workspace, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early; see {self.workspace / 'jupyterlab.log'}")
            try:
                urllib.request.urlopen(f"{self.url}/api/status", timeout=2)
                return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise RuntimeError(f"JupyterLab did not start in {self.timeout} s")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


# The first slider handle that is not disabled (a disabled slider cannot move).
ENABLED_HANDLE = ".noUi-target:not([disabled]) .noUi-handle"

# JavaScript run in the page (window.jupyterapp exists thanks to expose_app_in_browser).
# Ready when the ACTIVE widget is the requested notebook (not some other tab) and
# its kernel is idle.
JS_NOTEBOOK_READY = """(path) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!(w && w.context && w.context.path === path && w.context.isReady && k && k.status === 'idle');
}"""

JS_ALL_EXECUTED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session.kernel;
  if (k.status !== 'idle') return false;
  return w.content.widgets.every(c => c.model.type !== 'code' || !c.model.sharedModel.source.trim()
                                      || c.model.executionCount !== null);
}"""

JS_ERRORS = """() => {
  const errs = [];
  window.jupyterapp.shell.currentWidget.content.widgets.forEach((cell, i) => {
    if (cell.model.type !== 'code') return;
    const tags = cell.model.getMetadata('tags') || [];
    const outs = cell.model.outputs;
    for (let j = 0; j < outs.length; j++) {
      const o = outs.get(j).toJSON();
      if (o.output_type === 'error' && !tags.includes('raises-exception'))
        errs.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
    }
  });
  return errs;
}"""

# Mark every explorer (an output box holding a widget image and a slider) with an index.
JS_FIND_EXPLORERS = """() => {
  const ENABLED_HANDLE = '.noUi-target:not([disabled]) .noUi-handle';
  let n = 0;
  document.querySelectorAll('.jp-OutputArea-output img.widget-image').forEach(img => {
    const box = img.parentElement;
    if (box && box.querySelector(ENABLED_HANDLE)) box.setAttribute('data-explorer', String(n++));
  });
  return n;
}"""

# Arm a latency probe: time from the keydown on the handle to the decoded new image.
JS_ARM_PROBE = """([box]) => {
  const ENABLED_HANDLE = '.noUi-target:not([disabled]) .noUi-handle';
  const img = box.querySelector('img.widget-image');
  const handle = box.querySelector(ENABLED_HANDLE);
  window.__probe = {latency: null, before: img.src};
  handle.addEventListener('keydown', () => { window.__probe.t0 = performance.now(); },
                          {capture: true, once: true});
  const obs = new MutationObserver(() => {
    if (img.src !== window.__probe.before) {
      obs.disconnect();
      img.decode().then(() => { window.__probe.latency = performance.now() - window.__probe.t0; });
    }
  });
  obs.observe(img, {attributes: true, attributeFilter: ['src']});
  return true;
}"""
