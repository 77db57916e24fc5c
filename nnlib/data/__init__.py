"""Data for the course: toy sets, house prices, real digits, sequence tasks, text.

Every data set is made here or shipped in the package: nothing is downloaded.
The contract, stated once:

- a generator returns ``(X, y)``; ``X`` is ``(N, D)`` float64 (sequences
  ``(N, T, D)``), rows are samples; ``y`` is ``(N,)`` int64 class labels for
  classification, float64 targets for regression;
- ``n`` is the total number of samples; classes are balanced (sizes differ by
  at most one) and the rows are shuffled;
- anything random takes ``rng``, a ``numpy.random.Generator``
  (``np.random.default_rng(0)``): the same seed gives the same arrays; the
  global numpy random state is never used;
- bad arguments raise ``ValueError`` naming the argument and the value
  received; a missing or wrong ``rng`` raises ``TypeError``.

What is where (each file reads in one sitting):

=====================  ==============================================================
``toy.py``             logic_gate, moons, circles, spirals, blobs, xor_blobs,
                       house_prices (+ HOUSE_FEATURES)
``sequences.py``       adding_problem, sine_waves, recall_first
``bundled.py``         load_digits (real 8x8 digits, CC BY 4.0), load_text,
                       data_file (the files in ``nnlib/data/files/``)
``preprocessing.py``   train_test_split, one_hot, standardize
=====================  ==============================================================

Example::

    rng = np.random.default_rng(0)
    X, y = moons(200, rng, noise=0.1)            # X (200, 2), y (200,)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.25, rng)
"""

from nnlib.data.bundled import data_file, load_digits, load_text
from nnlib.data.preprocessing import one_hot, standardize, train_test_split
from nnlib.data.sequences import adding_problem, recall_first, sine_waves
from nnlib.data.toy import (
    HOUSE_FEATURES, blobs, circles, house_prices, logic_gate, moons, spirals, xor_blobs,
)

__all__ = [
    "logic_gate", "moons", "circles", "spirals", "blobs", "xor_blobs",
    "house_prices", "HOUSE_FEATURES",
    "load_digits", "load_text", "data_file",
    "adding_problem", "sine_waves", "recall_first",
    "train_test_split", "one_hot", "standardize",
]
