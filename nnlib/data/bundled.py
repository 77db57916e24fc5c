"""Data sets shipped inside the package (no download, works offline).

The files live in ``nnlib/data/files/`` beside their licence notes and are read
with ``importlib.resources``, so they work from a source checkout and from an
installed wheel alike.
"""

import functools
import gzip
import importlib.resources

import numpy as np

DIGITS_FILE = "digits.csv.gz"
TEXT_FILE = "text.txt"


def data_file(name):
    """Return a ``Traversable`` for a bundled file, e.g. ``data_file("DIGITS_LICENSE.txt")``.

    Read it with ``.read_text()`` or ``.open("rb")``; ``str(...)`` may not be a
    real path when nnlib is installed as a zip.
    """
    return importlib.resources.files("nnlib.data") / "files" / name


@functools.lru_cache(maxsize=1)
def _digits_table():
    with data_file(DIGITS_FILE).open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.int64)
    table.setflags(write=False)   # cached: hand out copies only
    return table


def load_digits(scale=True):
    """The 8x8 handwritten digits: 1,797 real images of the digits 0-9.

    The test part of the UCI "Optical Recognition of Handwritten Digits" data
    set (E. Alpaydin and C. Kaynak, 1998, https://doi.org/10.24432/C50P49),
    CC BY 4.0; the copy shipped here is scikit-learn's. Full notice:
    ``data_file("DIGITS_LICENSE.txt").read_text()``.

    Each image is 8x8 pixels holding how many of 16 pixels of the original
    32x32 scan were inked, an integer 0..16. Row i of X is image i flattened
    row by row: ``X[i].reshape(8, 8)`` shows it. About 180 images per digit.

    Args:
        scale: if True (default) divide the pixels by 16, so X lies in [0, 1];
            if False keep the raw counts 0..16.
    Returns:
        X: (1797, 64) float64.  y: (1797,) int64, the digit 0..9.
    """
    table = _digits_table()
    X = table[:, :64].astype(np.float64)
    if scale:
        X /= 16.0
    return X, table[:, 64].copy()


def load_text():
    """A small English corpus (about 26 KB, 5,000 words) for character models (chapter 07).

    Plain ASCII prose written for this course (see TEXT_LICENSE.txt): short,
    regular sentences about neurons, learning, the weather and the sea, so a
    small character-level LSTM can pick up spelling and simple grammar in
    minutes. Paragraphs are separated by a blank line; 55 distinct characters.

    Returns:
        text: str.
    """
    return data_file(TEXT_FILE).read_text(encoding="ascii")
