"""The grading worker: runs one notebook's code in its own process, then serves calls.

Started by ``runner.Worker`` as ``python -m nnlib.grading.worker``. Its stdin
and stdout become the private channel to the grader (moved to new file
descriptors first); descriptors 0, 1 and 2 then point at os.devnull, so nothing
the notebook prints reaches the grader's output. Requests come from the grader
(see ``protocol``); replies:

    ("ping",)                       -> ("pong",)
    ("exec", i, source, timeout)    -> ("done", i, None or (type, message, where))
    ("names", [name, ...])          -> ("names", {name: "function" | "missing" | "a <type>"})
    ("call", name, args, kwargs)    -> calls.to_wire(Call)

Each cell runs under a time limit (SIGALRM where the platform has it); any
exception, SyntaxError and SystemExit included, is recorded for that cell and
the next cell runs. Calls are not timed here: the grader kills a worker that
does not answer in time.
"""

import builtins
import linecache
import os
import pickle
import signal
import sys
from contextlib import contextmanager

from nnlib.grading import protocol
from nnlib.grading.calls import describe_error, invoke, picklable_or_error


class CellTimeout(BaseException):
    """Raised by the alarm in a cell that runs too long (BaseException, so that a
    learner's ``except Exception`` does not swallow it)."""


def strip_magics(source):
    """Replace IPython lines (``%timeit ...``, ``!pip ...``, ``%%time``) by ``pass``."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            line = line[: len(line) - len(stripped)] + "pass"
        lines.append(line)
    return "\n".join(lines) + "\n"


@contextmanager
def time_limit(seconds):
    """Raise CellTimeout in the block after ``seconds`` (no limit without SIGALRM)."""
    if not seconds or not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum, frame):
        raise CellTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_cell(namespace, index, source, seconds):
    """Execute one cell's source in ``namespace``; None, or (type, message, where)."""
    filename = f"<cell {index}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    try:
        code = compile(strip_magics(source), filename, "exec")
        with time_limit(seconds):
            exec(code, namespace)  # noqa: S102 - running the learner's notebook is the job
    except CellTimeout:
        return ("CellTimeout", f"the cell ran longer than {seconds:g} s", "")
    except BaseException as err:  # noqa: BLE001 - SystemExit and SyntaxError included
        return describe_error(err)
    return None


def describe_name(namespace, name):
    if name not in namespace:
        return "missing"
    value = namespace[name]
    return "function" if callable(value) else f"a {type(value).__name__}"


def handle(namespace, request):
    """Serve one request; return the reply as pickled bytes."""
    kind = request[0]
    if kind == "exec":
        _, index, source, seconds = request
        return protocol.dumps(("done", index, run_cell(namespace, index, source, seconds)))
    if kind == "names":
        return protocol.dumps(("names", {n: describe_name(namespace, n) for n in request[1]}))
    if kind == "call":
        _, name, args, kwargs = request
        call = invoke(namespace[name], args, kwargs, catch=BaseException)
        return picklable_or_error(call, protocol.dumps)
    return protocol.dumps(("pong",))


def main():
    channel_in = os.fdopen(os.dup(0), "rb")
    channel_out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    while True:
        data = protocol.recv(channel_in)
        if data is None:
            return
        protocol.send(channel_out, handle(namespace, pickle.loads(data)))


if __name__ == "__main__":
    main()
