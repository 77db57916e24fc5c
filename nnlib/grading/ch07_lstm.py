"""Chapter 07 checks of Exercises 7.4 and 7.5: lstm_step_forward and lstm_step_backward
(gate order i, f, g, o), with their catalogues of classic mistakes."""

import itertools

import numpy as np

from nnlib.activations import sigmoid as sig
from nnlib.grading.ch07_checks import (
    Check, LSTM_CACHE, _SIGMOID_WARN, agree_on, backward_cases, forward_cases, lstm_args, make_judge,
)
from nnlib.grading.engine import Mistake
from nnlib.rnn_cells import lstm_step_backward, lstm_step_forward


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
