"""The private channel between the grader and its worker process.

Messages are pickles framed by an 8-byte length. The grader -> worker direction
is trusted (the grader wrote it). The worker -> grader direction is NOT: the
worker runs learner code, which could craft any bytes. So the grader reads
replies only with ``safe_loads``, an unpickler that rebuilds plain Python data
(numbers, strings, tuples, lists, dicts) and numpy arrays and refuses every
other class, so a reply can never run code in the grader.
"""

import io
import pickle
import struct

HEADER = struct.Struct(">Q")
MAX_MESSAGE = 256 * 2**20  # bytes; a bigger reply is treated as a crash

# The only globals a reply may name: what numpy needs to rebuild arrays and scalars.
_ALLOWED = {
    ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "scalar"),
    ("numpy", "ndarray"), ("numpy", "dtype"), ("builtins", "complex"),
}


class RefusedPickle(pickle.UnpicklingError):
    """A reply named a class or function that the grader does not load."""


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise RefusedPickle(f"{module}.{name}")


def safe_loads(data):
    """Unpickle untrusted bytes: plain data and numpy arrays only (else RefusedPickle)."""
    return _SafeUnpickler(io.BytesIO(data)).load()


def dumps(obj):
    return pickle.dumps(obj, protocol=4)


def send(stream, payload):
    """Write one framed message (``payload`` already pickled bytes) and flush."""
    stream.write(HEADER.pack(len(payload)) + payload)
    stream.flush()


def recv(stream):
    """Read one framed message's bytes; None at end of stream.

    Raises ValueError for a frame larger than MAX_MESSAGE.
    """
    header = _read_exact(stream, HEADER.size)
    if header is None:
        return None
    (size,) = HEADER.unpack(header)
    if size > MAX_MESSAGE:
        raise ValueError(f"message of {size} bytes is larger than {MAX_MESSAGE}")
    return _read_exact(stream, size)


def _read_exact(stream, n):
    chunks, got = [], 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)
