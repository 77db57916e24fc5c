"""Recurrent layers: RNN, LSTM, GRU over whole sequences, with BPTT (chapter 07).

Every recurrent layer has the same interface, stated once here:

    h  = layer.forward(x, h0=None)    # x (N, T, D) batch-first -> h (N, T, H), every hidden state
    dx = layer.backward(dh)           # dh (N, T, H) = dL/dh_t for every t -> dx (N, T, D)
    layer.params / layer.grads        # "Wx" (D, kH), "Wh" (H, kH), "b" (kH,)  (+ GRU "bhn" (H,))
    layer.dh0                         # dL/dh0 (N, H) after backward (LSTM: dc0 too)
    layer.grad_norms                  # (T,) ||dL/dh_t|| for every t, after backward

k = 1 (RNN), 4 (LSTM, gates i, f, g, o), 3 (GRU, gates r, z, n). ``h0`` (N, H)
defaults to zeros; the LSTM also takes ``c0`` and keeps its cell states in
``layer.c`` (N, T, H). The final states are ``h[:, -1]`` (and ``layer.c[:, -1]``).

How the work is done: the input projections of all T steps are ONE product,
x.reshape(N*T, D) @ Wx + b; then each step adds h_{t-1} @ Wh (one product for all
gates) and applies the cell of ``nnlib.rnn_cells``. Backward runs the steps in
reverse (backpropagation through time), adding the gradient that flows back from
step t+1 to the one from the loss at step t:

    dL/dh_t = dh[:, t] + (the part of dL/dh_{t+1} that flows through h_t)

``grad_norms[t]`` is the Frobenius norm of that total dL/dh_t (N, H), the curve
the chapter plots. Gradients of the inputs and Wx come from one product each.

Truncated BPTT: ``layer.truncate = k`` (or the ``truncate`` argument) cuts the
gradient flowing from step t to step t-1 whenever t is a positive multiple of k,
the same as detaching the state every k steps in PyTorch (``h = h.detach()``
between chunks of k steps). Forward values are unchanged, and there is no cut
at t = 0, so the first chunk's gradient still reaches h0 (``dh0``).

Gradient clipping works on ``grads`` after backward:
``nnlib.clipping.clip_grad_norm(layer.grads, max_norm)``, or ``fit(..., clip_norm=)``.

PyTorch mapping (tests/test_parity_torch_recurrent.py checks it, batch_first=True):
    torch weight_ih_l0 (kH, D) = Wx.T,  weight_hh_l0 (kH, H) = Wh.T
    RNN, LSTM: torch bias_ih_l0 + bias_hh_l0 = b  (nnlib keeps one bias per gate unit;
               load torch weights with b = b_ih + b_hh, export with b_ih = b, b_hh = 0)
    GRU: b_ih = b and b_hh = [0, 0, bhn]; from torch, b = b_ih + [b_hr, b_hz, 0] and
         bhn = b_hn (torch's hidden bias of n sits inside r * (...), so it stays separate)

Initialisation as torch: every weight ~ U(-1/sqrt(H), 1/sqrt(H)). Biases start
at 0, except the LSTM's forget gate, which starts at ``forget_bias`` (default
1.0, the "forget-gate bias trick" of Gers et al. 2000 and Jozefowicz et al.
2015; Keras's unit_forget_bias). torch draws its biases from the same uniform
as the weights instead.
"""

import numpy as np

from nnlib.layers import Layer
from nnlib.rnn_cells import (  # noqa: F401  (step functions re-exported: nnlib.recurrent.lstm_step_forward)
    ACTIVATIONS, _act, _act_grad_from_output, _check_activation, gru_cell, gru_cell_backward,
    gru_step_backward, gru_step_forward, lstm_cell, lstm_cell_backward, lstm_step_backward,
    lstm_step_forward, rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward,
)
from nnlib.sequence_layers import LastStep, TimeDistributed  # noqa: F401
from nnlib.validation import as_float_array, check_features, check_ndim, make_rng


class Recurrent(Layer):
    """Shared forward/backward loop; a subclass defines its cell (``_cell``, ``_cell_back``)
    and the names of its state (("h",) or ("h", "c"))."""

    k = 1               # gate blocks
    states = ("h",)

    def __init__(self, n_in, n_hidden, rng, truncate=None, dtype=np.float64):
        super().__init__()
        name = type(self).__name__
        if int(n_in) < 1 or int(n_hidden) < 1:
            raise ValueError(f"{name} needs n_in >= 1 and n_hidden >= 1, got {n_in}, {n_hidden}")
        self.n_in, self.n_hidden = int(n_in), int(n_hidden)
        rng = make_rng(rng, name)
        D, H, kH = self.n_in, self.n_hidden, self.k * self.n_hidden
        bound = 1 / np.sqrt(H)  # torch.nn.RNN/LSTM/GRU's U(-1/sqrt(H), 1/sqrt(H))
        self.params = {"Wx": rng.uniform(-bound, bound, (D, kH)).astype(dtype),
                       "Wh": rng.uniform(-bound, bound, (H, kH)).astype(dtype),
                       "b": np.zeros(kH, dtype=dtype)}
        self.truncate = truncate
        self.grad_norms = None
        self._init_extra()
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def _init_extra(self):
        pass

    # -- checks ----------------------------------------------------------------------
    def _check_x(self, x):
        name = type(self).__name__
        x = as_float_array(x, "x", name)
        check_ndim(x, 3, "x (N, T, D) (batch first)", name)
        check_features(x, self.n_in, "x", name)
        if x.shape[1] < 1:
            raise ValueError(f"{name} needs at least one time step, got x of shape {x.shape}")
        return x

    def _initial(self, value, label, N, dtype):
        if value is None:
            return np.zeros((N, self.n_hidden), dtype=dtype)
        value = as_float_array(value, label, type(self).__name__).astype(dtype, copy=False)
        if value.shape != (N, self.n_hidden):
            raise ValueError(f"{type(self).__name__} expects {label} of shape "
                             f"{(N, self.n_hidden)} (N, H), got {value.shape}")
        return value

    def _weights(self, dtype):
        # float32 input stays float32 (as Dense)
        return {k: v.astype(dtype, copy=False) for k, v in self.params.items()}

    # -- forward: one product for all input projections, then the loop over t -------------
    def forward(self, x, h0=None, training=False, **initial):
        """x (N, T, D), h0 (N, H) or None (zeros) -> h (N, T, H), every hidden state."""
        x = self._check_x(x)
        unknown = set(initial) - {f"{s}0" for s in self.states[1:]}
        if unknown:
            raise TypeError(f"{type(self).__name__}.forward got unexpected initial state(s) "
                            f"{sorted(unknown)}; it takes h0" + "".join(f", {s}0" for s in self.states[1:]))
        N, T, D = x.shape
        p = self._weights(x.dtype)
        state = tuple(self._initial(h0 if s == "h" else initial.get(f"{s}0"), f"{s}0", N, x.dtype)
                      for s in self.states)
        ax = (x.reshape(N * T, D) @ p["Wx"] + p["b"]).reshape(N, T, -1)
        out = {s: np.empty((N, T, self.n_hidden), dtype=x.dtype) for s in self.states}
        caches = []
        for t in range(T):
            ah = state[0] @ p["Wh"]                   # one product for all gates
            state, cache = self._cell(ax[:, t], ah, state, p)
            caches.append(cache)
            for s, value in zip(self.states, state):
                out[s][:, t] = value
        self.cache = (x, caches, p)
        for s in self.states[1:]:
            setattr(self, s, out[s])   # the LSTM's cell states: layer.c (N, T, H)
        return out["h"]

    # -- backward: BPTT --------------------------------------------------------------
    def backward(self, dh, truncate=None):
        """dh (N, T, H) -> dx (N, T, D); fills grads, dh0 (dc0), grad_norms (T,).

        truncate: overrides ``self.truncate`` (None: full BPTT; k: cut every k steps).
        """
        x, caches, p = self._need_cache()
        N, T, D = x.shape
        dh = as_float_array(dh, "dh", f"{type(self).__name__}.backward")
        if dh.shape != (N, T, self.n_hidden):
            raise ValueError(f"{type(self).__name__}.backward expects dh of shape "
                             f"{(N, T, self.n_hidden)} (N, T, H), got {dh.shape}")
        k = self.truncate if truncate is None else truncate
        if k is not None and int(k) < 1:
            raise ValueError(f"truncate must be None or an int >= 1, got {k}")
        dax = np.empty((N, T, self.k * self.n_hidden), dtype=dh.dtype)
        dWh = np.zeros_like(p["Wh"])
        has_bhn = "bhn" in self.params
        dah_sum = np.zeros(self.k * self.n_hidden, dtype=dh.dtype)  # for the GRU's bhn
        dstate = [0.0 for _ in self.states]     # dL/d(state) flowing back from step t+1
        norms = np.empty(T)
        for t in reversed(range(T)):
            dstate[0] = dstate[0] + dh[:, t]
            norms[t] = np.linalg.norm(dstate[0])
            dax[:, t], dah, dstate = self._cell_back(dstate, caches[t])
            h_prev = caches[t][0]
            dWh += h_prev.T @ dah
            if has_bhn:
                dah_sum += dah.sum(axis=0)
            dstate[0] = dstate[0] + dah @ p["Wh"].T
            if k is not None and t > 0 and t % int(k) == 0:
                dstate = [0.0 for _ in dstate]    # the state was "detached" here
        dax2 = dax.reshape(N * T, -1)
        self.grads["Wx"][...] = x.reshape(N * T, D).T @ dax2
        self.grads["Wh"][...] = dWh
        self.grads["b"][...] = dax2.sum(axis=0)
        if has_bhn:
            self.grads["bhn"][...] = dah_sum[2 * self.n_hidden:]
        self.grad_norms = norms
        for s, d in zip(self.states, dstate):
            setattr(self, f"d{s}0", d)
        return (dax2 @ p["Wx"].T).reshape(N, T, D)

    def n_params(self):
        return int(sum(v.size for v in self.params.values()))

    def __repr__(self):
        extra = f", truncate={self.truncate}" if self.truncate else ""
        return f"{type(self).__name__}({self.n_in}, {self.n_hidden}{extra})"


class RNN(Recurrent):
    """Vanilla (Elman) RNN:  h_t = tanh(x_t Wx + h_{t-1} Wh + b)   (torch.nn.RNN).

    Shapes: x (N, T, D), Wx (D, H), Wh (H, H), b (H,), h (N, T, H).

    Args:
        n_in, n_hidden: D and H.  rng: numpy Generator or int seed.
        activation: "tanh" (default) or "relu" (torch's nonlinearity="relu").
        truncate: None (full BPTT) or k (truncated BPTT, see the module docstring).
        dtype: float64 (default) or float32.
    """

    def __init__(self, n_in, n_hidden, rng, activation="tanh", truncate=None, dtype=np.float64):
        _check_activation(activation)
        self.activation = activation
        super().__init__(n_in, n_hidden, rng, truncate, dtype)

    def _cell(self, ax, ah, state, p):
        h = _act(ax + ah, self.activation)
        return (h,), (state[0], h)

    def _cell_back(self, dstate, cache):
        _, h = cache
        da = dstate[0] * _act_grad_from_output(h, self.activation)
        return da, da, [0.0]     # h_prev reaches h only through h_prev Wh (added by the loop)


class LSTM(Recurrent):
    """Long short-term memory (torch.nn.LSTM, gate order i, f, g, o):

        a_t = x_t Wx + h_{t-1} Wh + b                       (N, 4H)
        i, f, o = sigmoid(blocks 0, 1, 3 of a_t),  g = tanh(block 2)
        c_t = f * c_{t-1} + i * g,    h_t = o * tanh(c_t)

    Shapes: x (N, T, D), Wx (D, 4H), Wh (H, 4H), b (4H,), h and c (N, T, H).
    ``forward(x, h0=None, c0=None)``; after it ``layer.c`` holds every cell state,
    after backward ``layer.dc0`` holds dL/dc0.

    Args:
        n_in, n_hidden: D and H.  rng: numpy Generator or int seed.
        forget_bias: initial bias of the forget gate (default 1.0: remember by default).
        truncate: None or k (truncated BPTT).  dtype: float64 or float32.
    """

    k = 4
    states = ("h", "c")

    def __init__(self, n_in, n_hidden, rng, forget_bias=1.0, truncate=None, dtype=np.float64):
        self.forget_bias = float(forget_bias)
        super().__init__(n_in, n_hidden, rng, truncate, dtype)

    def _init_extra(self):
        H = self.n_hidden
        self.params["b"][H:2 * H] = self.forget_bias

    def forward(self, x, h0=None, c0=None, training=False):
        """x (N, T, D), h0 and c0 (N, H) or None -> h (N, T, H); cell states in ``self.c``."""
        return super().forward(x, h0, training, c0=c0)

    def _cell(self, ax, ah, state, p):
        h_prev, c_prev = state
        h, c, gates = lstm_cell(ax + ah, c_prev)
        return (h, c), (h_prev, c_prev, *gates, c)

    def _cell_back(self, dstate, cache):
        _, c_prev, i, f, g, o, c = cache
        da, dc_prev = lstm_cell_backward(dstate[0], dstate[1], c_prev, i, f, g, o, c)
        return da, da, [0.0, dc_prev]


class GRU(Recurrent):
    """Gated recurrent unit (torch.nn.GRU, gate order r, z, n):

        r = sigmoid(x Wx_r + b_r + h Wh_r),  z = sigmoid(x Wx_z + b_z + h Wh_z)
        n = tanh(x Wx_n + b_n + r * (h Wh_n + bhn)),   h_t = (1 - z) * n + z * h_{t-1}

    Shapes: x (N, T, D), Wx (D, 3H), Wh (H, 3H), b (3H,), bhn (H,), h (N, T, H).
    ``bhn`` is torch's b_hn: it is multiplied by r, so it cannot be merged into b.

    Args:
        n_in, n_hidden: D and H.  rng: numpy Generator or int seed.
        truncate: None or k (truncated BPTT).  dtype: float64 or float32.
    """

    k = 3

    def _init_extra(self):
        self.params["bhn"] = np.zeros(self.n_hidden, dtype=self.params["b"].dtype)

    def _cell(self, ax, ah, state, p):
        H = self.n_hidden
        ah[:, 2 * H:] += p["bhn"]
        h, (r, z, n) = gru_cell(ax, ah, state[0])
        return (h,), (state[0], ah[:, 2 * H:], r, z, n)

    def _cell_back(self, dstate, cache):
        h_prev, ah_n, r, z, n = cache
        dax, dah, dh_prev = gru_cell_backward(dstate[0], h_prev, ah_n, r, z, n)
        return dax, dah, [dh_prev]


__all__ = ["Recurrent", "RNN", "LSTM", "GRU", "LastStep", "TimeDistributed",
           "rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward",
           "lstm_step_forward", "lstm_step_backward", "gru_step_forward", "gru_step_backward"]
