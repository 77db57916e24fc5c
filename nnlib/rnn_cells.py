"""Recurrent cells, one time step at a time: RNN, LSTM, GRU (chapter 07).

Every cell has the same contract, stated once:

    x       (N, D)    the input at step t (a batch of N sequences, D features)
    h_prev  (N, H)    the hidden state after step t-1 (c_prev, the LSTM's cell state, too)
    Wx      (D, kH)   input weights of the k gate blocks side by side
    Wh      (H, kH)   recurrent weights, the same block layout
    b       (kH,)     one bias per gate unit (k = 1 RNN, 4 LSTM, 3 GRU)

``xxx_step_forward`` returns the new state(s) and a ``cache`` tuple (documented
per cell; the exercises of chapter 07 use exactly these caches);
``xxx_step_backward`` takes the gradients of the loss with respect to the new
state(s), dh (N, H) (and dc), and returns the gradients with respect to
everything the step read. Names follow the notebook: ``a`` is the
pre-activation, ``dh`` is dL/dh.

The gate maths sits in small ``*_cell`` functions that take the
pre-activations: the step functions and the layers in ``nnlib.recurrent``
(which project the inputs of all steps with one product) both call them.
Gate orders are PyTorch's: LSTM i, f, g, o (torch.nn.LSTM), GRU r, z, n
(torch.nn.GRU), so the weights map one to one (see ``nnlib.recurrent``).
"""

import numpy as np

from nnlib.activations import sigmoid

ACTIVATIONS = ("tanh", "relu")  # torch.nn.RNN's `nonlinearity` choices


def _act(a, activation):
    return np.tanh(a) if activation == "tanh" else np.maximum(a, 0)


def _act_grad_from_output(h, activation):
    # Both derivatives can be written with the OUTPUT h, so the cache keeps h only:
    # tanh'(a) = 1 - h^2, relu'(a) = 1 where h > 0 (0 at a = 0, as PyTorch).
    return 1 - h * h if activation == "tanh" else (h > 0).astype(h.dtype)


def _check_activation(activation):
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown RNN activation {activation!r}; valid: {', '.join(ACTIVATIONS)}")


# --- vanilla RNN -------------------------------------------------------------------

def rnn_step_forward(x, h_prev, Wx, Wh, b, activation="tanh"):
    """One step of a vanilla RNN:  h = tanh(x Wx + h_prev Wh + b).

    Shapes: x (N, D), h_prev (N, H), Wx (D, H), Wh (H, H), b (H,), h (N, H).
    ``activation="relu"`` uses max(a, 0) instead (torch.nn.RNN(nonlinearity="relu")).

    Returns:
        h: (N, H).  cache: (x, h_prev, Wx, Wh, h).
    """
    _check_activation(activation)
    h = _act(x @ Wx + h_prev @ Wh + b, activation)
    return h, (x, h_prev, Wx, Wh, h)


def rnn_step_backward(dh, cache, activation="tanh"):
    """Backward of ``rnn_step_forward``. With da = dh * (1 - h^2) (tanh'(a) from the output):

        dx = da Wx^T     dh_prev = da Wh^T     dWx = x^T da     dWh = h_prev^T da
        db = sum over N of da

    Shapes: dh (N, H); returns dx (N, D), dh_prev (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    x, h_prev, Wx, Wh, h = cache
    da = dh * _act_grad_from_output(h, activation)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def rnn_forward(x, h0, Wx, Wh, b, activation="tanh"):
    """A vanilla RNN over a whole sequence, the plain loop over t = 0 .. T-1:

        h_t = tanh(x_t Wx + h_{t-1} Wh + b),   h_{-1} = h0

    Shapes: x (N, T, D), h0 (N, H), Wx (D, H), Wh (H, H), b (H,).
    (``nnlib.recurrent.RNN`` computes the same numbers with all input
    projections in one product.)

    Returns:
        h: (N, T, H), every hidden state.  cache: list of the T step caches.
    """
    N, T, _ = x.shape
    h = np.empty((N, T, Wh.shape[0]), dtype=np.result_type(x, Wx))
    cache, h_t = [], h0
    for t in range(T):
        h_t, step_cache = rnn_step_forward(x[:, t], h_t, Wx, Wh, b, activation)
        h[:, t] = h_t
        cache.append(step_cache)
    return h, cache


def rnn_backward(dh, cache, activation="tanh"):
    """Backpropagation through time for ``rnn_forward``.

    dh (N, T, H) holds dL/dh_t coming from the loss at every step; the state's
    gradient also flows back from step t+1:  dh_t(total) = dh[:, t] + dh_prev(t+1).

    Returns:
        dx (N, T, D), dh0 (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    x0, _, Wx, Wh, _ = cache[0]
    N, T, _ = dh.shape
    dx = np.empty((N, T, Wx.shape[0]), dtype=dh.dtype)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wh.shape[1], dtype=dh.dtype)
    dh_prev = np.zeros_like(dh[:, 0])
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t], activation)
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db


# --- LSTM --------------------------------------------------------------------------

def lstm_cell(a, c_prev):
    """The LSTM's gates from the pre-activation a = x Wx + h_prev Wh + b (N, 4H):

        i = sigmoid(a[:, 0:H])     input gate       how much of the candidate to write
        f = sigmoid(a[:, H:2H])    forget gate      how much of the old cell to keep
        g = tanh(a[:, 2H:3H])      candidate        what to write
        o = sigmoid(a[:, 3H:4H])   output gate      how much of the cell to show
        c = f * c_prev + i * g     (the additive update that lets gradients survive)
        h = o * tanh(c)

    Returns:
        h (N, H), c (N, H), (i, f, g, o) each (N, H).
    """
    H = c_prev.shape[-1]
    s = sigmoid(a)  # one call for the three gates (block g is recomputed with tanh below)
    i, f, o = s[:, :H], s[:, H:2 * H], s[:, 3 * H:]
    g = np.tanh(a[:, 2 * H:3 * H])
    c = f * c_prev + i * g
    return o * np.tanh(c), c, (i, f, g, o)


def lstm_cell_backward(dh, dc, c_prev, i, f, g, o, c):
    """Backward of ``lstm_cell``. dh, dc (N, H): dL/dh and dL/dc from above. Then

        dc_total = dc + dh * o * (1 - tanh(c)^2)     (c reaches L directly and through h)
        da = [dc_total * g * i(1-i),  dc_total * c_prev * f(1-f),
              dc_total * i * (1-g^2), dh * tanh(c) * o(1-o)]     (blocks i, f, g, o)
        dc_prev = dc_total * f

    Returns:
        da (N, 4H), dc_prev (N, H).
    """
    tc = np.tanh(c)
    dc_total = dc + dh * o * (1 - tc * tc)
    da = np.concatenate([dc_total * g * i * (1 - i), dc_total * c_prev * f * (1 - f),
                         dc_total * i * (1 - g * g), dh * tc * o * (1 - o)], axis=1)
    return da, dc_total * f


def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    """One LSTM step: a = x Wx + h_prev Wh + b, then the gates of ``lstm_cell``
    (order i, f, g, o, as torch.nn.LSTM).

    Shapes: x (N, D), h_prev and c_prev (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,).

    Returns:
        h (N, H), c (N, H), cache = (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c).
    """
    h, c, (i, f, g, o) = lstm_cell(x @ Wx + h_prev @ Wh + b, c_prev)
    return h, c, (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c)


def lstm_step_backward(dh, dc, cache):
    """Backward of ``lstm_step_forward``: da from ``lstm_cell_backward``, then as the RNN,

        dx = da Wx^T   dh_prev = da Wh^T   dWx = x^T da   dWh = h_prev^T da   db = sum_N da

    Shapes: dh, dc (N, H). Returns dx (N, D), dh_prev (N, H), dc_prev (N, H),
    dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    x, h_prev, c_prev, Wx, Wh, i, f, g, o, c = cache
    da, dc_prev = lstm_cell_backward(dh, dc, c_prev, i, f, g, o, c)
    return da @ Wx.T, da @ Wh.T, dc_prev, x.T @ da, h_prev.T @ da, da.sum(axis=0)


# --- GRU ---------------------------------------------------------------------------

def gru_cell(ax, ah, h_prev):
    """The GRU's gates (torch.nn.GRU's equations and order r, z, n).

    ax = x Wx + b (N, 3H) and ah = h_prev Wh + [0, 0, bhn] (N, 3H) are kept apart
    because the reset gate multiplies only the recurrent part of the candidate:

        r = sigmoid(ax_r + ah_r)             reset gate
        z = sigmoid(ax_z + ah_z)             update gate (1 keeps the old state)
        n = tanh(ax_n + r * ah_n)            candidate
        h = (1 - z) * n + z * h_prev

    Returns:
        h (N, H), (r, z, n) each (N, H).
    """
    H = h_prev.shape[-1]
    rz = sigmoid(ax[:, :2 * H] + ah[:, :2 * H])
    r, z = rz[:, :H], rz[:, H:]
    n = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    return (1 - z) * n + z * h_prev, (r, z, n)


def gru_cell_backward(dh, h_prev, ah_n, r, z, n):
    """Backward of ``gru_cell``. dh (N, H) = dL/dh; ah_n (N, H) the recurrent part of n.

        dn = dh * (1 - z) * (1 - n^2)        (dL/d of the candidate's pre-activation)
        dz = dh * (h_prev - n) * z(1 - z)    dr = dn * ah_n * r(1 - r)
        dax = [dr, dz, dn]     dah = [dr, dz, dn * r]     dh_prev(direct) = dh * z

    Returns:
        dax (N, 3H), dah (N, 3H), dh_prev_direct (N, H) (the path through
        h_prev Wh is added by the caller: dah Wh^T).
    """
    dn = dh * (1 - z) * (1 - n * n)
    dz = dh * (h_prev - n) * z * (1 - z)
    dr = dn * ah_n * r * (1 - r)
    return (np.concatenate([dr, dz, dn], axis=1), np.concatenate([dr, dz, dn * r], axis=1),
            dh * z)


def gru_step_forward(x, h_prev, Wx, Wh, b, bhn):
    """One GRU step with torch.nn.GRU's equations (see ``gru_cell``).

    Shapes: x (N, D), h_prev (N, H), Wx (D, 3H), Wh (H, 3H), b (3H,), bhn (H,):
    b holds the biases of r, z and the input part of n; bhn the bias of the
    recurrent part of n, which sits inside r * (...) and so cannot be merged into b.

    Returns:
        h (N, H), cache = (x, h_prev, Wx, Wh, ah_n, r, z, n).
    """
    H = h_prev.shape[-1]
    ah = h_prev @ Wh
    ah[:, 2 * H:] += bhn
    h, (r, z, n) = gru_cell(x @ Wx + b, ah, h_prev)
    return h, (x, h_prev, Wx, Wh, ah[:, 2 * H:], r, z, n)


def gru_step_backward(dh, cache):
    """Backward of ``gru_step_forward``. dh (N, H). Returns dx (N, D), dh_prev (N, H),
    dWx (D, 3H), dWh (H, 3H), db (3H,), dbhn (H,)."""
    x, h_prev, Wx, Wh, ah_n, r, z, n = cache
    H = h_prev.shape[-1]
    dax, dah, dh_prev = gru_cell_backward(dh, h_prev, ah_n, r, z, n)
    return (dax @ Wx.T, dh_prev + dah @ Wh.T, x.T @ dax, h_prev.T @ dah, dax.sum(axis=0),
            dah[:, 2 * H:].sum(axis=0))


__all__ = [
    "rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward",
    "lstm_cell", "lstm_cell_backward", "lstm_step_forward", "lstm_step_backward",
    "gru_cell", "gru_cell_backward", "gru_step_forward", "gru_step_backward",
]
