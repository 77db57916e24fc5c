"""Chapter 04, Exercise 4.7: the check of ``minibatches(X, y, batch_size, rng)``.

The function yields ``(X_batch, y_batch)`` pairs. There is no single right
answer to compare with (any shuffle is fine), so ``MinibatchCheck`` checks the
properties instead. Every sample's first feature is its number (X[i, 0] = i),
so each batch tells which samples it holds. For every case:

- each item is a pair (X_batch (b, D), y_batch (b, ...)) and y_batch holds the
  y rows of the same samples as X_batch;
- every sample appears exactly once (no duplicates: no sampling with
  replacement; none missing: the last, partial batch is not dropped);
- batch sizes are batch_size, except the last one, which may be smaller; no
  empty batch;
- the order is shuffled (not 0, 1, 2, ...; not merely the batches reordered);
- the same rng state gives the same batches and another state other batches
  (the shuffle comes from ``rng``, not from np.random or a new generator).

The rng is passed as the keyword ``rng=`` (the grader sends arguments back
as plain data, and a Generator is not). The learner's generator is consumed
here, at most ``LIMIT`` items.
"""

import itertools
from dataclasses import dataclass

import numpy as np

from nnlib.grading.calls import describe_error
from nnlib.grading.engine import Case, FunctionCheck
from nnlib.grading.result import FAILED, PASSED, Outcome

LIMIT = 10_000

REPLACEMENT = ("a sample appears twice: that is sampling WITH replacement (rng.integers, or rng.choice "
               "without replace=False). Shuffle instead: order = rng.permutation(N), then cut order "
               "into slices order[start:start + batch_size]")
DROP_LAST = ("the last, partial batch is missing: with N = {n} and batch_size = {b} the last batch has "
             "{r} samples. Loop with range(0, N, batch_size) so it is yielded too")
NO_SHUFFLE = ("the samples come in their original order 0, 1, 2, ...: shuffle them first with "
              "order = rng.permutation(N), then take X[order[start:stop]]")
BATCH_ORDER = ("each batch holds consecutive samples: you shuffled the order of the batches, not the "
               "samples. Shuffle the sample indices (rng.permutation(N)), then cut them into batches")
SEPARATE = ("X_batch and y_batch do not belong together: index X and y with the SAME indices "
            "(idx = order[start:stop]; yield X[idx], y[idx]); shuffling them separately breaks the pairs")
EMPTY = ("an empty batch: when batch_size divides N there is no partial batch; range(0, N, batch_size) "
         "gives exactly the right starts")
USE_RNG = ("the same rng state gave different batches: draw the shuffle from the rng argument "
           "(rng.permutation(N)), never from np.random.shuffle / np.random.permutation")
IGNORES_RNG = ("two different rng states gave the same batches: use the rng you are given "
               "(rng.permutation(N)); do not create a new generator inside the function")


def minibatch_cases(rng):
    """(label, N, D, batch_size, y kind) for the random cases; the fixed ones first."""
    n = int(rng.integers(21, 41))
    b = int(rng.integers(3, 9))
    if n % b == 0:
        n += 1
    return [
        Case("10 samples, batch_size 3 (last batch 1)", (10, 3, 3, "labels")),
        Case("12 samples, batch_size 4 (no partial batch)", (12, 2, 4, "labels")),
        Case(f"{n} samples, batch_size {b}", (n, int(rng.integers(1, 5)), b, "labels")),
        Case("one-hot y (N, C), 15 samples, batch_size 4", (15, 3, 4, "one-hot")),
        Case("batch_size 1", (11, 2, 1, "labels")),
        Case("batch_size larger than N: one batch", (10, 2, 32, "labels")),
        Case("batch_size = N", (16, 2, 16, "labels")),
    ]


def make_data(n, d, kind, rng):
    """X (N, D) with X[:, 0] = 0..N-1 (the sample's number) and random other features;
    y (N,) labels 100 + i, or (N, 3) rows [i, -i, 1]."""
    X = np.column_stack([np.arange(n, dtype=np.float64), rng.normal(size=(n, d - 1))])
    i = np.arange(n)
    y = 100 + i if kind == "labels" else np.column_stack([i, -i, np.ones(n)]).astype(np.float64)
    return X, y


def _describe(X, y, b):
    return [f"X        = ({len(X)}, {X.shape[1]}) array; X[i, 0] = i marks sample i",
            f"y        = {'labels 100 + i' if y.ndim == 1 else 'one-hot-like rows [i, -i, 1]'}, "
            f"shape {y.shape}", f"batch_size = {b}"]


@dataclass(frozen=True)
class MinibatchCheck(FunctionCheck):
    """Property check of a mini-batch generator (see the module docstring)."""

    def __call__(self, call, rng):
        cases = self.cases(rng)
        for k, case in enumerate(cases, 1):
            n, d, b, kind = case.args
            X, y = make_data(n, d, kind, rng)
            seed = int(rng.integers(1_000_000))
            runs, problems = [], []
            for s in (seed, seed, seed + 1):
                result = call(X, y, b, rng=np.random.default_rng(s))
                problem, order = self._judge_run(k, case, result, X, y, b)
                runs.append(order)
                problems.append(problem)
            found = [p for p in problems if p is not None]
            if found:
                # A call that only reshuffles the batches keeps them in order now and then:
                # prefer the batch-order verdict, and any other verdict to "not shuffled".
                status, summary, details, hint = min(found, key=_rank)
                if status == FAILED:
                    summary = f'case {k} of {len(cases)} "{case.label}": {summary}'
                return Outcome(status, len(cases), k, summary, tuple(_describe(X, y, b) + details), hint)
            problem = None
            if runs[0] != runs[1]:
                problem = "two calls with the same rng state gave different batches", USE_RNG
            elif runs[0] == runs[2] and n > 3:
                problem = "two different rng states gave the same batches", IGNORES_RNG
            if problem:
                return Outcome(FAILED, len(cases), k, f'case {k} of {len(cases)} "{case.label}": {problem[0]}',
                               tuple(_describe(X, y, b)), problem[1])
        return Outcome(PASSED, n_cases=len(cases))

    def _judge_run(self, k, case, result, X, y, b):
        """(None, sample order) if one call's batches are right, else ((status, summary,
        details, hint), None)."""
        if result.error is not None:
            return self._judge_error(k, case, result, []), None
        found = self._batches(result.value, X, y, b)
        return (None, found) if isinstance(found, list) else (found, None)

    def _batches(self, value, X, y, b):
        """The sample order (a list) if the batches are right, else the problem (a tuple)."""
        items, error = _consume(value)
        if error is not None:
            etype, message, where = error
            return (FAILED, f"raised {etype} while producing the batches",
                    [f"raised {etype}: {message}"] + ([f"at {where}"] if where else []),
                    self._error_hint(etype, message))
        if items is None:
            return (FAILED, f"returned a {type(value).__name__}, not batches", [],
                    "yield one pair per batch: `yield X[idx], y[idx]` inside a loop over the batches")
        n, sizes, order = len(X), [], []
        for j, item in enumerate(items):
            if not (isinstance(item, (tuple, list)) and len(item) == 2):
                return (FAILED, f"item {j} is not a pair (X_batch, y_batch)", [],
                        "yield a pair per batch: `yield X[idx], y[idx]`")
            xb, yb = (np.asarray(a) for a in item)
            if xb.ndim != 2 or xb.shape[1] != X.shape[1] or len(yb) != len(xb) or yb.shape[1:] != y.shape[1:]:
                return (FAILED, f"batch {j} has shapes {xb.shape} and {yb.shape}",
                        [f"expected X_batch (b, {X.shape[1]}) and y_batch (b{', 3' if y.ndim == 2 else ''})"],
                        "index the ROWS of X and y with the same index array: X[idx], y[idx]")
            if len(xb) == 0:
                return FAILED, f"batch {j} is empty", [], EMPTY
            ids = xb[:, 0]
            if not (np.all(ids == np.round(ids)) and np.all((ids >= 0) & (ids < n))):
                return (FAILED, f"batch {j} holds rows that are not rows of X", [],
                        "yield rows of X as they are (X[idx]): do not change the data")
            ids = ids.astype(int)
            if not np.array_equal(yb, y[ids]):
                return FAILED, f"in batch {j}, y_batch does not match X_batch", [], SEPARATE
            sizes.append(len(ids))
            order += ids.tolist()
        got = [f"got      = {len(sizes)} batches of sizes {_short(sizes)}", f"samples  = {_short(order)}"]
        want = [f"expected = {-(-n // b)} batches of sizes {_short(_sizes(n, b))}, every sample once"]
        if len(set(order)) < len(order):
            return FAILED, "a sample appears more than once", want + got, REPLACEMENT
        if len(order) < n:
            missing = n - len(order)
            dropped = missing == n % b and all(s == b for s in sizes)
            hint = DROP_LAST.format(n=n, b=b, r=n % b) if dropped else (
                "every sample must be in exactly one batch per call")
            return FAILED, f"{missing} of {n} samples never appear", want + got, hint
        if n > 3 and order == list(range(n)):
            return FAILED, "the samples are not shuffled", want + got, NO_SHUFFLE
        starts = np.cumsum([0] + sizes[:-1])
        if n > 3 and b > 1 and all(order[s:s + z] == list(range(order[s], order[s] + z))
                                    for s, z in zip(starts, sizes)):
            return FAILED, "only the order of the batches is shuffled", want + got, BATCH_ORDER
        if sizes != _sizes(n, b):
            return (FAILED, "wrong batch sizes", want + got,
                    "every batch has batch_size samples except the last, which holds the rest")
        return order


def _rank(problem):
    return {BATCH_ORDER: 0, NO_SHUFFLE: 2}.get(problem[3], 1)


def _sizes(n, b):
    return [b] * (n // b) + ([n % b] if n % b else [])


def _short(values, k=12):
    return "[" + ", ".join(map(str, values[:k])) + (", ...]" if len(values) > k else "]")


def _consume(value):
    """(list of items, None), (None, None) if ``value`` yields nothing usable, or (None, error)."""
    if isinstance(value, (list, tuple)):
        return list(value[: LIMIT + 1]), None
    if isinstance(value, (np.ndarray, str, bytes, dict)) or not hasattr(value, "__iter__"):
        return None, None
    try:
        with np.errstate(all="ignore"):
            return list(itertools.islice(value, LIMIT + 1)), None
    except Exception as err:  # noqa: BLE001 - learner code runs while we iterate
        return None, describe_error(err)


def ref_minibatches(X, y, batch_size, rng):
    """A correct generator: shuffle the indices once, cut them into slices."""
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


MINIBATCHES = MinibatchCheck(
    name="minibatches", signature="minibatches(X, y, batch_size, rng)",
    params=("X", "y", "batch_size"), reference=ref_minibatches, cases=minibatch_cases,
)
