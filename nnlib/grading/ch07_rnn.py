"""Chapter 07 checks of Exercises 7.1 to 7.3: rnn_step_forward, rnn_step_backward, rnn_forward,
with their catalogues of classic mistakes."""


import numpy as np

from nnlib.activations import sigmoid as sig
from nnlib.grading.ch07_checks import (
    Check, RNN_CACHE, _dims, agree_on, backward_cases, forward_cases, make_judge, rnn_args,
)
from nnlib.grading.engine import Case, Mistake
from nnlib.rnn_cells import rnn_forward, rnn_step_backward, rnn_step_forward


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
