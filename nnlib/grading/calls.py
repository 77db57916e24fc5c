"""Calling a learner's function and recording what happened: the Call record.

The checks never call learner code directly. They call ``call(*args, **kwargs)``
and get back a ``Call``: the value returned, or the exception raised (its type
name, message and the line of learner code), the numpy warnings it emitted, and
the arguments as they were after the call (to see whether the input was changed
in place). ``invoke`` builds that record; the in-notebook ``check()`` uses it in
the learner's own kernel, the grading worker uses the same function in its
separate process and sends the record to the grader as plain data
(``to_wire`` / ``from_wire``).
"""

import copy
import inspect
import itertools
import traceback
import warnings
from dataclasses import dataclass

import numpy as np


MAX_GENERATED = 100_000  # items taken from a learner's generator at most


@dataclass(frozen=True)
class Call:
    """What one call of a learner's function did.

    value:      the returned object (None if it raised).
    error:      None, or (type name, message, where) when it raised; ``where`` is
                the learner's line, e.g. "line 3 in softmax: return e / s".
    warnings:   warning texts, e.g. "RuntimeWarning: overflow encountered in exp".
    args_after: the positional arguments after the call (copies made before it).
    """

    value: object = None
    error: tuple = None
    warnings: tuple = ()
    args_after: tuple = ()


def invoke(fn, args, kwargs, catch=Exception):
    """Call ``fn(*args, **kwargs)`` on copies of the arguments and return a Call.

    A generator function's items are collected into a list (at most MAX_GENERATED).

    numpy's floating-point warnings are switched on for the call (overflow,
    divide, invalid; not underflow) and recorded, whatever ``np.seterr`` the
    learner set. Exceptions of class ``catch`` are recorded, others propagate
    (in a notebook, KeyboardInterrupt must still stop a hanging function).
    """
    args_copy = copy.deepcopy(tuple(args))
    kwargs_copy = copy.deepcopy(dict(kwargs))
    value, error = None, None
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            value = fn(*args_copy, **kwargs_copy)
            if inspect.isgenerator(value):
                # Run the generator's body here, under the same watch (warnings,
                # exceptions, the worker's time limit); a generator object itself
                # cannot travel to the grader. The cap stops an endless one.
                value = list(itertools.islice(value, MAX_GENERATED))
        except catch as err:  # noqa: BLE001 - learner code may raise anything
            error = describe_error(err)
    texts = tuple(f"{w.category.__name__}: {w.message}" for w in caught)
    return Call(value=value, error=error, warnings=texts, args_after=args_copy)


def describe_error(err):
    """(type name, message, where) of an exception raised in learner code."""
    frames = traceback.extract_tb(err.__traceback__)[1:]  # drop invoke's own frame
    # The learner's line is the last frame outside numpy and nnlib.
    ours = [f for f in frames if not _is_library(f.filename)]
    where = ""
    if ours:
        f = ours[-1]
        where = f"line {f.lineno} in {f.name}" + (f": {f.line.strip()}" if f.line else "")
    message = str(err)
    if isinstance(err, SyntaxError) and err.lineno:
        message = f"{err.msg} (line {err.lineno})"
    return (type(err).__name__, message, where)


def _is_library(filename):
    parts = filename.replace("\\", "/").split("/")
    return "numpy" in parts or ("nnlib" in parts and "grading" in parts)


def _plain_data(obj):
    """True for what the grader's safe unpickler rebuilds: numbers, str, None,
    numeric numpy arrays and scalars, and tuples/lists/dicts of those."""
    if obj is None or isinstance(obj, (bool, int, float, complex, str, np.generic)):
        return True
    if isinstance(obj, np.ndarray):
        return obj.dtype != object
    if isinstance(obj, (tuple, list)):
        return all(_plain_data(o) for o in obj)
    if isinstance(obj, dict):
        return all(isinstance(k, str) and _plain_data(v) for k, v in obj.items())
    return False


def to_wire(call):
    """The Call as a dict of plain data (numpy arrays, str, tuples) for pickling.

    Arguments that are not plain data (a function, a random Generator) are sent
    back as None: the grader only compares arrays before and after the call,
    and it would refuse to unpickle such objects.
    """
    args_after = tuple(a if _plain_data(a) else None for a in call.args_after)
    return {"value": call.value, "error": call.error,
            "warnings": tuple(call.warnings), "args_after": args_after}


def plain(text, limit=300):
    """One line of printable text, at most ``limit`` characters.

    Texts from the worker (exception messages, warnings) are the learner's: a
    newline or a terminal escape in them must not draw fake lines in the report.
    """
    text = "".join(ch if ch.isprintable() else " " for ch in str(text))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def from_wire(data):
    """Rebuild a Call from ``to_wire`` data received from a worker (untrusted)."""
    if not isinstance(data, dict):
        return unreadable(f"a {type(data).__name__} instead of a call record")
    error = data.get("error")
    if error is not None:
        if not (isinstance(error, tuple) and len(error) == 3 and all(isinstance(e, str) for e in error)):
            return unreadable("a malformed error record")
        error = tuple(plain(e) for e in error)
    texts = data.get("warnings", ())
    if not (isinstance(texts, tuple) and all(isinstance(t, str) for t in texts)):
        return unreadable("malformed warnings")
    texts = tuple(plain(t) for t in texts)
    args_after = data.get("args_after", ())
    if not isinstance(args_after, tuple):
        return unreadable("malformed arguments")
    return Call(value=data.get("value"), error=error, warnings=texts, args_after=args_after)


def unreadable(what):
    """A Call for a reply the grader refused to read (see protocol.safe_loads)."""
    return Call(error=("UnreadableResult", f"the grader cannot read what your function "
                       f"returned ({what}); return a numpy array", ""))


# Used by the worker: a returned object that cannot even be pickled (a lambda,
# a generator) is reported the same way as one the grader refuses to read.
def picklable_or_error(call, dumps):
    """Return ``dumps(to_wire(call))``, replacing an unpicklable value by an error."""
    try:
        return dumps(to_wire(call))
    except Exception as err:  # noqa: BLE001
        bad = Call(error=("UnreadableResult", f"the grader cannot read what your function "
                          f"returned (a {type(call.value).__name__}: {err}); return a numpy array", ""),
                   warnings=call.warnings)
        return dumps(to_wire(bad))
