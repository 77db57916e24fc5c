"""Chapter 07 (RNN and LSTM): the checks of Exercises 7.1 to 7.5.

Each compares with ``nnlib.rnn_cells`` on random shapes (N, D, H with D != H, so
that a swapped Wx / Wh fails loudly) and edge cases (a batch of one, one hidden
unit, zero states, saturated gates, N = T). The caches are fixed, so that the
backward exercises can be checked on their own (the grader calls one function
at a time):

    rnn_step_forward  -> (h, cache),     cache = (x, h_prev, Wx, Wh, h)
    lstm_step_forward -> (h, c, cache),  cache = (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c)

``rnn_forward``'s cache is free (only h is checked). Gate order i, f, g, o (PyTorch).
"""

import copy
import itertools

import numpy as np

from nnlib.activations import sigmoid as sig
from nnlib.grading.engine import Case, Exercise, Mistake, _field
from nnlib.grading.tuple_check import TupleCheck, close, numbers, split_result
from nnlib.rnn_cells import (
    lstm_step_backward, lstm_step_forward, rnn_forward, rnn_step_backward, rnn_step_forward,
)

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

def _rnn_variant(f=np.tanh, bias=True, swap=False, cache_a=False):
    def fn(x, h_prev, Wx, Wh, b):
        a = (x @ Wh + h_prev @ Wx) if swap else (x @ Wx + h_prev @ Wh)
        a = a + b if bias else a
        h = f(a)
        return h, (x, h_prev, Wx, Wh, a if cache_a else h)
    return fn


_SWAP = ("x multiplies Wx (D, H) and h_prev multiplies Wh (H, H): a = x @ Wx + h_prev @ Wh + b "
         "(you swapped the two weight matrices)")
RNN_STEP_FORWARD = Check(
    name="rnn_step_forward", signature="rnn_step_forward(x, h_prev, Wx, Wh, b)",
    params=("x", "h_prev", "Wx", "Wh", "b"), reference=None, cases=forward_cases(rnn_args),
    judge=make_judge(rnn_step_forward, ("h", "cache"), {"h": "h has shape (N, H): x @ Wx is (N, H)"},
                     {"cache h": "the cache's last item is h = tanh(a), the OUTPUT: the backward "
                                 "computes tanh'(a) = 1 - h**2 from it"}, cache=RNN_CACHE),
    agree=agree_on(1),
    mistakes=(
        Mistake(_rnn_variant(f=lambda a: a), "apply tanh: h = tanh(x @ Wx + h_prev @ Wh + b)"),
        Mistake(_rnn_variant(bias=False), "add the bias b: a = x @ Wx + h_prev @ Wh + b"),
        Mistake(_rnn_variant(f=sig), "the vanilla RNN uses tanh, not the sigmoid"),
        Mistake(_rnn_variant(f=lambda a: np.maximum(a, 0)), "the activation is tanh, not ReLU"),
        Mistake(_rnn_variant(swap=True), _SWAP),
    ),
    part_names=(),
    error_hints=(("mismatch in its core dimension", _SWAP + "; check each product's shapes"),),
)

# --- 7.2 rnn_step_backward -------------------------------------------------------------------

def _rnn_back_variant(deriv=lambda h: 1 - h * h, dh_prev_W="Wh", dWh_from="h_prev"):
    def fn(dh, cache):
        x, h_prev, Wx, Wh, h = cache
        da = dh * deriv(h)
        W = Wh if dh_prev_W == "Wh" else Wx
        return (da @ Wx.T, da @ W.T, x.T @ da, (h_prev if dWh_from == "h_prev" else h).T @ da,
                da.sum(axis=0))
    return fn


_TANH_MISSING = ("the tanh derivative is missing: first da = dh * (1 - h**2) (h is tanh(a), "
                 "stored in the cache), then every gradient comes from da")
RNN_STEP_BACKWARD = Check(
    name="rnn_step_backward", signature="rnn_step_backward(dh, cache)", params=("dh", "cache"),
    reference=None, cases=backward_cases(rnn_args, rnn_step_forward, 1),
    part_names=(("cache", RNN_CACHE),),
    judge=make_judge(rnn_step_backward, ("dx", "dh_prev", "dWx", "dWh", "db"), {
        "dx": "dx = da @ Wx.T has the shape of x (N, D)",
        "dh_prev": "dh_prev = da @ Wh.T has the shape of h_prev (N, H)",
        "dWx": "dWx = x.T @ da has the shape of Wx (D, H)",
        "dWh": "dWh = h_prev.T @ da has the shape of Wh (H, H)",
        "db": "db has the shape of b (H,): sum da over the batch, da.sum(axis=0)"}),
    agree=agree_on(5),
    mistakes=(
        Mistake(_rnn_back_variant(deriv=lambda h: 1.0), _TANH_MISSING),
        Mistake(_rnn_back_variant(deriv=lambda h: 1 - np.tanh(h) ** 2),
                "the cache holds h = tanh(a), the output: tanh'(a) = 1 - h**2. "
                "1 - np.tanh(h)**2 applies tanh a second time"),
        Mistake(_rnn_back_variant(deriv=lambda h: 1 - h), "tanh'(a) = 1 - h**2: square h"),
        Mistake(_rnn_back_variant(deriv=lambda h: h * (1 - h)),
                "h * (1 - h) is the sigmoid's derivative; tanh's is 1 - h**2"),
        Mistake(_rnn_back_variant(dh_prev_W="Wx"),
                "dh_prev goes back through the recurrent weights: dh_prev = da @ Wh.T (dx uses Wx)"),
        Mistake(_rnn_back_variant(dWh_from="h"),
                "Wh multiplied h_prev in the forward step: dWh = h_prev.T @ da, not h.T @ da"),
    ),
)

# --- 7.3 rnn_forward -------------------------------------------------------------------------

def _rnn_seq_variant(start="h0", recur=True, shift=False, time_major=False):
    def fn(x, h0, Wx, Wh, b):
        N, T, _ = x.shape
        h_t = np.zeros_like(h0) if start == "zeros" else h0
        out = []
        for t in range(T):
            out.append(h_t)
            x_t = x[t] if time_major else x[:, t]
            h_t = np.tanh(x_t @ Wx + (h_t if recur else h0) @ Wh + b)
            if not shift:
                out[-1] = h_t
        return np.stack(out, axis=1), None
    return fn


def rnn_forward_cases(rng):
    N, D, H = _dims(rng)
    T = int(rng.integers(3, 7))

    def args(n, t, d, h, scale=1.0, zero=False):
        x, h0, *w = rnn_args(rng, n, d, h, scale, zero)
        return (scale * rng.normal(size=(n, t, d)), h0, *w)

    return [
        Case("a small example (N=2, T=3, D=3, H=4)", args(2, 3, 3, 4)),
        Case("random N, T, D, H", args(N, T, D, H)),
        Case("one step (T=1)", args(N, 1, D, H)),
        Case("a batch of one (N=1)", args(1, T, D, H)),
        Case("h0 = 0", args(N, T, D, H, zero=True)),
        Case("N = T", args(T, T, D, H)),
        Case("a longer sequence (T=12)", args(N, 12, D, H)),
        Case("D = H", args(N, T, H, H)),
        Case("large inputs (saturated units)", args(N, T, D, H, scale=100.0)),
    ]


_TIME_MAJOR = "x is batch-first (N, T, D): the input at step t is x[:, t], not x[t]"
RNN_FORWARD = Check(
    name="rnn_forward", signature="rnn_forward(x, h0, Wx, Wh, b)", params=("x", "h0", "Wx", "Wh", "b"),
    reference=None, cases=rnn_forward_cases, agree=agree_on(1),
    judge=make_judge(rnn_forward, ("h", "cache"), {
        "h": "return EVERY hidden state: h has shape (N, T, H), h[:, t] = h_t "
             "(np.stack(list_of_h_t, axis=1) builds it)"}),
    mistakes=(
        Mistake(_rnn_seq_variant(recur=False),
                "each step must use the PREVIOUS step's state: h_t = tanh(x_t Wx + h_{t-1} Wh + b); "
                "you used h0 at every step"),
        Mistake(_rnn_seq_variant(start="zeros"), "start from the given h0, not from zeros"),
        Mistake(_rnn_seq_variant(shift=True),
                "h[:, t] is the state AFTER step t (h0 itself is not part of the output): "
                "store h_t after computing it"),
        Mistake(_rnn_seq_variant(time_major=True), _TIME_MAJOR),
    ),
    error_hints=tuple((text, _TIME_MAJOR + "; otherwise print the .shape of each operand")
                      for text in ("mismatch in its core dimension", "could not be broadcast")),
)

# --- 7.4 lstm_step_forward ---------------------------------------------------------------------

def _lstm_variant(order="ifgo", input_gate=True, forget_gate=True, tanh_h=True, g_act=np.tanh):
    def fn(x, h_prev, c_prev, Wx, Wh, b):
        H = h_prev.shape[1]
        a = x @ Wx + h_prev @ Wh + b
        block = {name: a[:, k * H:(k + 1) * H] for k, name in enumerate(order)}
        i, f, o, g = sig(block["i"]), sig(block["f"]), sig(block["o"]), g_act(block["g"])
        c = (f * c_prev if forget_gate else c_prev) + (i * g if input_gate else g)
        h = o * (np.tanh(c) if tanh_h else c)
        return h, c, (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c)
    return fn


def _order_hint(order, what):
    names = ", ".join(order)
    extra = " (i, f, o, g is the order of the CS231n assignment)" if order == "ifog" else ""
    return (f"gates in the wrong order: you {what} as {names}{extra}; nnlib and PyTorch use "
            "i, f, g, o: i = a[:, :H], f = a[:, H:2*H], g = a[:, 2*H:3*H], o = a[:, 3*H:]")


_WRONG_ORDERS = ["".join(p) for p in itertools.permutations("ifgo") if "".join(p) != "ifgo"]
_INPUT_GATE = "the input gate is missing from the cell update: c = f * c_prev + i * g"
_NO_TANH = "the output is h = o * tanh(c), not o * c: squash the cell state with tanh first"
LSTM_STEP_FORWARD = Check(
    name="lstm_step_forward", signature="lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)",
    params=("x", "h_prev", "c_prev", "Wx", "Wh", "b"), reference=None,
    cases=forward_cases(lstm_args, warn=_SIGMOID_WARN, large=1000.0), warn_hint=_SIGMOID_WARN, agree=agree_on(2),
    judge=make_judge(lstm_step_forward, ("h", "c", "cache"), {
        "h": "h has shape (N, H): split a (N, 4H) into four blocks of H columns",
        "c": "c has shape (N, H), like c_prev"}, {
        "cache i": "the cache holds the gate VALUES i, f, g, o (after sigmoid / tanh)",
        "cache c": "the cache's last item is the new cell state c"}, cache=LSTM_CACHE),
    mistakes=(
        Mistake(_lstm_variant(input_gate=False), _INPUT_GATE),
        Mistake(_lstm_variant(tanh_h=False), _NO_TANH),
        Mistake(_lstm_variant(forget_gate=False),
                "the forget gate is missing: c = f * c_prev + i * g (f decides how much of c_prev stays)"),
        Mistake(_lstm_variant(g_act=sig), "the candidate g uses tanh (values in (-1, 1)); only "
                                          "the gates i, f, o use the sigmoid"),
        *(Mistake(_lstm_variant(order=o), _order_hint(o, "read the blocks of a")) for o in _WRONG_ORDERS),
    ),
    error_hints=(("mismatch in its core dimension",
                  "a = x @ Wx + h_prev @ Wh + b: x (N, D) multiplies Wx (D, 4H), h_prev (N, H) "
                  "multiplies Wh (H, 4H)"),),
)

# --- 7.5 lstm_step_backward --------------------------------------------------------------------

def _lstm_back_variant(order="ifgo", forget_in_dc_prev=True, dh_into_dc=True, tanh_grad=True,
                       h_tanh=True, input_gate=True, gate_grads=True):
    def fn(dh, dc, cache):
        x, h_prev, c_prev, Wx, Wh, i, f, g, o, c = cache
        tc = np.tanh(c) if h_tanh else c
        slope = (1 - tc * tc) if (tanh_grad and h_tanh) else 1.0
        dct = dc + dh * o * slope if dh_into_dc else dc
        d = {"i": dct * g, "f": dct * c_prev, "g": dct * i if input_gate else dct, "o": dh * tc}
        if gate_grads:
            d = {"i": d["i"] * i * (1 - i), "f": d["f"] * f * (1 - f), "g": d["g"] * (1 - g * g),
                 "o": d["o"] * o * (1 - o)}
        da = np.concatenate([d[k] for k in order], axis=1)
        dc_prev = dct * f if forget_in_dc_prev else dct
        return da @ Wx.T, da @ Wh.T, dc_prev, x.T @ da, h_prev.T @ da, da.sum(axis=0)
    return fn


LSTM_STEP_BACKWARD = Check(
    name="lstm_step_backward", signature="lstm_step_backward(dh, dc, cache)",
    params=("dh", "dc", "cache"), reference=None, agree=agree_on(6),
    cases=backward_cases(lstm_args, lstm_step_forward, 2), part_names=(("cache", LSTM_CACHE),),
    judge=make_judge(lstm_step_backward, ("dx", "dh_prev", "dc_prev", "dWx", "dWh", "db"), {
        "dx": "dx = da @ Wx.T has the shape of x (N, D), with da (N, 4H)",
        "dh_prev": "dh_prev = da @ Wh.T has the shape of h_prev (N, H)",
        "dc_prev": "dc_prev has the shape of c_prev (N, H)",
        "dWx": "dWx = x.T @ da has the shape of Wx (D, 4H)",
        "dWh": "dWh = h_prev.T @ da has the shape of Wh (H, 4H)",
        "db": "db has the shape of b (4H,): sum da over the batch, da.sum(axis=0)"}, {
        "dc_prev": "dc_prev = dc_total * f with dc_total = dc + dh * o * (1 - tanh(c)**2)"}),
    mistakes=(
        Mistake(_lstm_back_variant(forget_in_dc_prev=False),
                "dc_prev is missing the forget gate: c = f * c_prev + i * g, so "
                "dc_prev = dc_total * f"),
        Mistake(_lstm_back_variant(dh_into_dc=False),
                "h = o * tanh(c) depends on c too: use dc_total = dc + dh * o * (1 - tanh(c)**2) "
                "for the gates and for dc_prev, not dc alone"),
        Mistake(_lstm_back_variant(tanh_grad=False),
                "the tanh derivative is missing on the path from h to c: "
                "dc_total = dc + dh * o * (1 - tanh(c)**2)"),
        Mistake(_lstm_back_variant(h_tanh=False),
                "h = o * tanh(c), not o * c: do = dh * tanh(c) and dc_total = dc + dh * o * (1 - tanh(c)**2)"),
        Mistake(_lstm_back_variant(input_gate=False),
                "the candidate was written as i * g: dg = dc_total * i (the input gate is missing)"),
        Mistake(_lstm_back_variant(gate_grads=False),
                "the gates' own derivatives are missing: multiply by i(1-i), f(1-f), o(1-o) "
                "(sigmoid) and 1 - g**2 (tanh) to get the gradient of a"),
        *(Mistake(_lstm_back_variant(order=o), _order_hint(o, "stacked the gate gradients in da"))
          for o in _WRONG_ORDERS),
    ),
)

EXERCISES = {
    "rnn_step_forward": Exercise(7, 1, RNN_STEP_FORWARD),
    "rnn_step_backward": Exercise(7, 2, RNN_STEP_BACKWARD),
    "rnn_forward": Exercise(7, 3, RNN_FORWARD),
    "lstm_step_forward": Exercise(7, 4, LSTM_STEP_FORWARD),
    "lstm_step_backward": Exercise(7, 5, LSTM_STEP_BACKWARD),
}
