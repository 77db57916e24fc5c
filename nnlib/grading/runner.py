"""Grade a notebook with the learner's code in a separate process (the trusted side).

How the isolation works:

1. The grader reads the notebook as data (JSON) and picks its code cells,
   leaving out cells that only call check(...).
2. A worker process (``worker.py``) executes those cells one by one, each under
   a time limit; it prints into os.devnull. A cell that kills or hangs the
   worker is skipped and the worker restarted, so it costs only what it defines.
3. For each exercise of the notebook's chapter the checks run HERE. They call
   the learner's function through a proxy: the inputs go to the worker over a
   private pipe, the result comes back as data that ``protocol.safe_loads``
   reads (plain values and numpy arrays only). Whatever the notebook prints,
   patches (nnlib.grading, numpy) or redefines stays inside the worker.
4. An exercise whose calls do not answer within the time limit, or whose call
   kills the worker, gets "timed out" / "crashed"; the worker is restarted for
   the next exercise.
"""

import ast
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnlib.grading import protocol
from nnlib.grading.calls import from_wire, plain, unreadable
from nnlib.grading.registry import chapter_exercises
from nnlib.grading.result import CRASHED, NOT_DEFINED, TIMED_OUT, Outcome, make_result
from nnlib.grading.worker import strip_magics

GRACE = 2.0  # seconds the grader waits beyond the worker's own per-cell limit


class WorkerGone(Exception):
    """The worker process died (os._exit, a segfault, out of memory) or garbled the channel."""


class WorkerTimeout(Exception):
    """The worker did not answer in time."""


class Worker:
    """A worker process and the grader's end of its private channel."""

    def __init__(self, folder):
        import nnlib

        env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
        root = str(Path(nnlib.__file__).resolve().parent.parent)  # nnlib importable from any cwd
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        # Its own session (POSIX): close() can then end whatever the notebook started, too.
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nnlib.grading.worker"], cwd=folder, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=os.name == "posix")
        self.replies = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        # A thread (rather than select) so that waiting with a timeout works on every OS.
        try:
            while (data := protocol.recv(self.proc.stdout)) is not None:
                self.replies.put(data)
        except (OSError, ValueError):
            pass
        self.replies.put(None)

    def request(self, message, timeout):
        """Send ``message``; return the reply's bytes. Raises WorkerTimeout / WorkerGone."""
        try:
            protocol.send(self.proc.stdin, protocol.dumps(message))
        except OSError:
            raise WorkerGone(self.exit_text()) from None
        try:
            data = self.replies.get(timeout=max(timeout, 0.001))
        except queue.Empty:
            raise WorkerTimeout from None
        if data is None:
            raise WorkerGone(self.exit_text())
        return data

    def exit_text(self):
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "it stopped answering"
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"it exited with code {code}"

    def close(self):
        if os.name == "posix":
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:  # already gone
                pass
        self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


def decode(data):
    """A worker's reply as plain data; WorkerGone when it is not readable."""
    try:
        return protocol.safe_loads(data)
    except Exception as err:  # noqa: BLE001 - any garbage from the worker
        raise WorkerGone(f"it sent an unreadable reply ({type(err).__name__})") from None


def read_code_cells(path):
    """[(cell index, source)] of a notebook's code cells; ValueError if unreadable."""
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
        found = []
        for i, cell in enumerate(cells):
            if cell.get("cell_type") == "code":
                source = cell.get("source", "")
                found.append((i, "".join(source) if isinstance(source, list) else str(source)))
        return found
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ValueError(f"cannot read {path} as a notebook ({type(err).__name__}: {err})") from None


def is_check_cell(source):
    """True for a cell whose every statement is a call of check(...) (maybe assigned)."""
    try:
        tree = ast.parse(strip_magics(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for stmt in tree.body:
        value = getattr(stmt, "value", None) if isinstance(stmt, (ast.Expr, ast.Assign)) else None
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                and value.func.id == "check"):
            return False
    return bool(tree.body)


def chapter_of(path):
    """The chapter number from a file name like 02_activations.ipynb, else None."""
    match = re.match(r"(\d\d)_", Path(path).name)
    return int(match.group(1)) if match else None


@dataclass
class NotebookReport:
    """The grading of one notebook: its Results and the cells that failed to run."""

    path: str
    results: list
    cell_errors: list


class Session:
    """One notebook's code in a worker; restarts the worker when it dies or hangs."""

    def __init__(self, path, timeout):
        self.folder = str(Path(path).resolve().parent)
        self.cells = [(i, src) for i, src in read_code_cells(path) if not is_check_cell(src)]
        self.timeout = timeout
        self.errors = {}   # cell index -> what went wrong there
        self.skip = set()  # cells that crashed or hung a worker: not run again
        self.worker = None

    def start(self):
        """A worker with every cell executed (except those that kill or hang it)."""
        while True:
            worker, index = Worker(self.folder), None
            try:
                decode(worker.request(("ping",), 30))
                for index, source in self.cells:
                    if index in self.skip:
                        continue
                    reply = decode(worker.request(("exec", index, source, self.timeout),
                                                  self.timeout + GRACE))
                    if reply[2] is not None:
                        kind, message, where = map(plain, reply[2])
                        self.errors[index] = f"{kind}: {message}" + (f" ({where})" if where else "")
                        if kind == "CellTimeout":  # do not wait for it again after a restart
                            self.skip.add(index)
                return worker
            except (WorkerTimeout, WorkerGone) as err:
                worker.close()
                if index is None:
                    raise RuntimeError(f"the grading worker did not start: {err}") from None
                self.skip.add(index)
                self.errors[index] = (f"did not finish within {self.timeout:g} s; skipped"
                                      if isinstance(err, WorkerTimeout)
                                      else f"crashed the process ({err}); skipped")

    def close(self):
        if self.worker is not None:
            self.worker.close()
            self.worker = None

    def grade(self, name, exercise, seed):
        """The Result of one exercise, its checks run here against the worker's function."""
        if self.worker is None:
            self.worker = self.start()
        try:
            kind = plain(decode(self.worker.request(("names", [name]), self.timeout + GRACE))[1][name], 80)
        except (WorkerTimeout, WorkerGone, KeyError, IndexError, TypeError) as err:
            self.close()
            return make_result(name, exercise, Outcome(CRASHED, summary=f"the worker failed ({err})"), None)
        if kind != "function":
            return make_result(name, exercise, self._not_defined(name, kind), None)
        deadline = time.monotonic() + self.timeout

        def call(*args, **kwargs):
            data = self.worker.request(("call", name, args, kwargs), deadline - time.monotonic())
            try:
                return from_wire(protocol.safe_loads(data))
            except protocol.RefusedPickle as err:
                return unreadable(f"it contains a {err}")
            except Exception as err:  # noqa: BLE001
                return unreadable(f"{type(err).__name__}: {err}")

        try:
            outcome = exercise.check(call, np.random.default_rng(seed))
        except WorkerTimeout:
            self.close()
            outcome = Outcome(TIMED_OUT, summary=f"no answer within {self.timeout:g} s",
                              hint="look for a loop that never ends in your function")
        except WorkerGone as err:
            self.close()
            outcome = Outcome(CRASHED, summary=f"the process running your code died ({err})",
                              hint="something in your function ended the process (os._exit, "
                                   "a crash in compiled code, or running out of memory)")
        return make_result(name, exercise, outcome, seed)

    def _not_defined(self, name, kind):
        pattern = re.compile(rf"^\s*def\s+{re.escape(name)}\s*\(", re.M)
        for index, source in self.cells:
            if index in self.errors and pattern.search(source):
                return Outcome(NOT_DEFINED, summary=f"the cell that defines it ({cell_name(index, source)}) "
                               f"failed: {self.errors[index]}", hint="fix that cell and run it again")
        if kind != "missing":
            return Outcome(NOT_DEFINED, summary=f"{name} is {kind}, not a function")
        return Outcome(NOT_DEFINED, summary=f"there is no function called {name} in the notebook",
                       hint="keep the function's name and signature as given in the exercise")


def cell_name(index, source):
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return f"cell {index + 1} `{plain(first, 40)}`"


def grade_notebook(path, timeout=10.0, seed=0):
    """Grade every exercise of the notebook's chapter; return a NotebookReport."""
    exercises = chapter_exercises(chapter_of(path))
    try:
        session = Session(path, timeout)
    except ValueError as err:
        outcome = Outcome(NOT_DEFINED, summary=str(err))
        return NotebookReport(str(path), [make_result(n, ex, outcome, None) for n, ex in exercises], [str(err)])
    try:
        results = [session.grade(name, exercise, seed) for name, exercise in exercises]
    finally:
        session.close()
    errors = [f"{cell_name(i, src)}: {session.errors[i]}" for i, src in session.cells if i in session.errors]
    return NotebookReport(str(path), results, errors)
