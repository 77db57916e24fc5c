"""Glue layers that connect recurrent layers to ordinary ones (chapter 07).

    LastStep()               (N, T, H) -> (N, H): keep the last hidden state
                             (sequence in, one answer out: the memory task)
    TimeDistributed(layer)   applies a 2-D layer (Dense) at every step:
                             (N, T, H) -> (N, T, C) (one answer per step: the character model)

Both follow the layer interface of ``nnlib.layers`` (forward(x, training),
backward(dout) -> dx, params/grads), so they fit in a ``Sequential``:

    Sequential([LSTM(4, 32, rng), LastStep(), Dense(32, 4, rng=rng)])
"""

import numpy as np

from nnlib.layers import Layer
from nnlib.validation import as_float_array, check_ndim


class LastStep(Layer):
    """out = x[:, -1]: the hidden state after the last step.

    Shapes: x (N, T, H), out (N, H). Backward puts dout at the last step and
    zeros elsewhere: dx (N, T, H), so only the last step receives a gradient
    from the loss (earlier steps get theirs through BPTT).
    """

    def forward(self, x, training=False):
        x = as_float_array(x, "x", "LastStep")
        check_ndim(x, 3, "x (N, T, H)", "LastStep")
        self.cache = x.shape
        return x[:, -1]

    def backward(self, dout):
        shape = self._need_cache()
        dout = as_float_array(dout, "dout", "LastStep.backward")
        if dout.shape != (shape[0], shape[2]):
            raise ValueError(f"LastStep.backward expects dout of shape {(shape[0], shape[2])}, "
                             f"got {dout.shape}")
        dx = np.zeros(shape, dtype=dout.dtype)
        dx[:, -1] = dout
        return dx

    def __repr__(self):
        return "LastStep()"


class TimeDistributed(Layer):
    """The same 2-D layer at every time step, as one call on the (N*T, H) rows.

    Shapes: x (N, T, H) -> out (N, T, C); backward dout (N, T, C) -> dx (N, T, H).
    ``params`` and ``grads`` are the wrapped layer's own dicts (the same weights
    at every step: their gradient is the sum over steps, which the reshape gives).
    """

    def __init__(self, layer):
        super().__init__()
        self.layer = layer
        self.params, self.grads = layer.params, layer.grads

    def forward(self, x, training=False):
        x = as_float_array(x, "x", "TimeDistributed")
        check_ndim(x, 3, "x (N, T, H)", "TimeDistributed")
        N, T, H = x.shape
        self.cache = (N, T)
        out = self.layer.forward(x.reshape(N * T, H), training=training)
        return out.reshape(N, T, -1)

    def backward(self, dout):
        N, T = self._need_cache()
        dout = as_float_array(dout, "dout", "TimeDistributed.backward")
        check_ndim(dout, 3, "dout (N, T, C)", "TimeDistributed.backward")
        dx = self.layer.backward(dout.reshape(N * T, -1))
        return dx.reshape(N, T, -1)

    def __repr__(self):
        return f"TimeDistributed({self.layer!r})"


__all__ = ["LastStep", "TimeDistributed"]
