"""A progress display for long loops that never pollutes a notebook's saved outputs.

In a Jupyter kernel it shows an ipywidgets bar whose output carries only the
widget view (no text), so nbval and re-execution see nothing that varies; in a
terminal it rewrites one line on stderr. It appears only once the loop has run
longer than ``after`` seconds, so short runs stay silent.
"""

import sys
import time


def _in_jupyter_kernel():
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class Progress:
    """Progress over ``total`` units of work (e.g. epochs).

    Args:
        total: number of units.
        label: shown before the bar, e.g. "fit".
        mode: "auto" (appear after ``after`` seconds), True (at once) or False (never).
        after: seconds before an "auto" display appears.
    """

    def __init__(self, total, label="", mode="auto", after=2.0):
        if mode not in ("auto", True, False):
            raise ValueError(f"progress must be 'auto', True or False, got {mode!r}")
        self.total, self.label, self.mode, self.after = int(total), label, mode, after
        self.start = time.perf_counter()
        self._bar = None
        self._shown = False

    def update(self, done, text=""):
        """Report that ``done`` of ``total`` units are finished; ``text`` e.g. the loss."""
        if self.mode is False:
            return
        if not self._shown:
            elapsed = time.perf_counter() - self.start
            if self.mode == "auto" and (elapsed < self.after or done >= self.total):
                return
            self._show()
        if self._bar is not None:
            self._bar[0].value = done
            self._bar[1].value = f"{done}/{self.total} {text}"
        else:
            print(f"\r{self.label} {done}/{self.total} {text}   ", end="", file=sys.stderr, flush=True)

    def close(self):
        if self._shown and self._bar is None:
            print(file=sys.stderr, flush=True)

    def _show(self):
        self._shown = True
        if not _in_jupyter_kernel():
            return
        import ipywidgets
        from IPython.display import display

        bar = ipywidgets.IntProgress(min=0, max=self.total, description=self.label)
        label = ipywidgets.Label()
        box = ipywidgets.HBox([bar, label])
        # Only the widget view: no text/plain that would differ between runs.
        display({"application/vnd.jupyter.widget-view+json": {
            "version_major": 2, "version_minor": 0, "model_id": box.model_id}}, raw=True)
        self._bar = (bar, label)
