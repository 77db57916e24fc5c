"""Chapter 07 checks, shared machinery: the Check class, argument makers for random
shapes and the case builders used by ch07_rnn.py and ch07_lstm.py."""

import copy

import numpy as np

from nnlib.grading.engine import Case, _field
from nnlib.grading.tuple_check import TupleCheck, close, numbers, split_result

RNN_CACHE = ("x", "h_prev", "Wx", "Wh", "h")
LSTM_CACHE = ("x", "h_prev", "c_prev", "Wx", "Wh", "i", "f", "g", "o", "c")
_SIGMOID_WARN = ("np.exp(-a) overflows for a pre-activation a below -709: use a stable sigmoid, "
                 "e.g. `from nnlib.activations import sigmoid` (or your Exercise 2.1), or "
                 "0.5 * (1 + np.tanh(a / 2)), which never overflows")


class Check(TupleCheck):
    """TupleCheck whose numpy-warning verdict carries the case's (or the check's) hint."""

    def _judge_value(self, case, result):
        problem = super()._judge_value(case, result)
        if problem is not None and problem[0].startswith("numpy warned"):
            return problem[0], problem[1], case.warn_hint or self.warn_hint or problem[2]
        return problem

    def _show_inputs(self, case):
        # A cache of 5 or 10 arrays printed in full would bury the difference: show
        # its items' shapes (the learner reruns the case with check(fn, seed=...)).
        parts_of = dict(self.part_names)
        lines = []
        for name, value in zip(self.params, case.args):
            if name in parts_of:
                items = ", ".join(f"{n} {np.shape(v)}" for n, v in zip(parts_of[name], value))
                lines.append(f"{name:<8} = ({items})")
            else:
                lines += _field(name, value)
        return lines


# --- judging a tuple result ---------------------------------------------------------------

def _compare(got, expected, name, shape_hint, value_hint):
    arr = numbers(got)
    if arr is None:
        return f"{name} is not an array of numbers", [], f"return {name} as a numpy array"
    if arr.shape != np.shape(expected):
        return f"{name} has shape {arr.shape}, expected {np.shape(expected)}", [], shape_hint
    ok = np.isclose(arr, expected, rtol=1e-7, atol=1e-9)
    if not ok.all():
        where = tuple(int(i) for i in np.argwhere(~ok)[0])
        diff = f"first difference at {list(where)}: expected {expected[where]:.8g}, got {arr[where]:.8g}"
        return (f"wrong {name}", _field(f"{name} expected", expected) + _field(f"{name} got", arr) + [diff],
                value_hint)
    return None


def make_judge(reference, names, shape_hints, value_hints=None, cache=None):
    """judge(case, got): compare the returned tuple ``names`` with ``reference``'s.

    shape_hints / value_hints: {name: hint}. cache: the names of the cache items,
    compared one by one (None: the cache is not checked).
    """
    value_hints = value_hints or {}

    def judge(case, got):
        expected = reference(*copy.deepcopy(case.args), **case.kwargs)
        parts, problem = split_result(got, len(names), ", ".join(names))
        if problem:
            return problem
        for part, want, name in zip(parts, expected, names):
            if name != "cache":
                wrong = _compare(part, want, name, shape_hints.get(name, ""), value_hints.get(name, ""))
                if wrong:
                    return wrong
        if cache is None:
            return None
        items, problem = split_result(parts[-1], len(cache), "")
        if problem:
            return ("cache is not the tuple asked for", [],
                    f"return cache = ({', '.join(cache)}), {len(cache)} arrays in this order: "
                    "the backward exercise reads them")
        for part, want, name in zip(items, expected[-1], cache):
            wrong = _compare(part, want, f"cache item {name}",
                             f"the cache item {name} is the array {name} itself",
                             value_hints.get(f"cache {name}", f"store {name} itself in the cache"))
            if wrong:
                return wrong
        return None

    return judge


def agree_on(n):
    """agree(got, wrong): the learner's first ``n`` results equal the mistake's."""
    def agree(got, wrong):
        return (isinstance(got, (tuple, list)) and len(got) >= n
                and all(close(g, w, 1e-6, 1e-9) for g, w in zip(got[:n], wrong[:n])))
    return agree


# --- inputs --------------------------------------------------------------------------------

def _dims(rng):
    """(N, D, H): N in 2..4, D and H in 2..5 with D != H."""
    N, D, H = (int(v) for v in rng.integers((2, 2, 2), (5, 6, 6)))
    return N, (D + 1 if D == H else D), H


def _weights(rng, D, H, k):
    return rng.normal(0, 0.6, (D, k * H)), rng.normal(0, 0.6, (H, k * H)), rng.normal(0, 0.6, k * H)


def rnn_args(rng, N, D, H, scale=1.0, zero_state=False):
    h_prev = np.zeros((N, H)) if zero_state else np.tanh(rng.normal(size=(N, H)))
    return (scale * rng.normal(size=(N, D)), h_prev, *_weights(rng, D, H, 1))


def lstm_args(rng, N, D, H, scale=1.0, zero_state=False):
    h_prev, c_prev = ((np.zeros((N, H)), np.zeros((N, H))) if zero_state else
                      (np.tanh(rng.normal(size=(N, H))), rng.normal(size=(N, H))))
    return (scale * rng.normal(size=(N, D)), h_prev, c_prev, *_weights(rng, D, H, 4))


def step_shapes(rng, large=100.0):
    """(label, N, D, H, options) of the shared step cases; ``large`` scales x in the last."""
    N, D, H = _dims(rng)
    return [
        ("a small example (N=2, D=3, H=4)", 2, 3, 4, {}),
        ("random N, D, H", *_dims(rng), {}),
        ("random N, D, H", N, D, H, {}),
        ("random N, D, H, more samples", 3 * N, D, H, {}),
        ("a batch of one (N=1)", 1, D, H, {}),
        ("one hidden unit (H=1)", N, D, 1, {}),
        ("zero states (the first step)", N, D, H, {"zero_state": True}),
        ("D = H (square weights)", N, H, H, {}),
        ("large inputs (saturated units)", N, D, H, {"scale": large}),
    ]


def forward_cases(make_args, warn="", large=100.0):
    def cases(rng):
        return [Case(label, make_args(rng, n, d, h, **opt), warn_hint=warn if "large" in label else "")
                for label, n, d, h, opt in step_shapes(rng, large)]
    return cases


def backward_cases(make_args, forward, n_states):
    """Cases (dh[, dc], cache) with the cache from nnlib's forward, plus zero gradients."""
    def cases(rng):
        out = []
        for label, n, d, h, opt in step_shapes(rng):
            cache = forward(*make_args(rng, n, d, h, **opt))[-1]
            grads = tuple(rng.normal(size=(n, h)) for _ in range(n_states))
            out.append(Case(label, grads + (cache,)))
        n, d, h = _dims(rng)
        cache = forward(*make_args(rng, n, d, h))[-1]
        for k in range(n_states):
            grads = [rng.normal(size=(n, h)) for _ in range(n_states)]
            grads[k] = np.zeros((n, h))
            out.append(Case(f"d{'hc'[k]} = 0", tuple(grads) + (cache,)))
        return out
    return cases


# --- 7.1 rnn_step_forward --------------------------------------------------------------------
