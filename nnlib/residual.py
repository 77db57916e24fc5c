"""Residual connection: y = x + F(x) (chapter 06 explains why it keeps gradients alive).

    block = Sequential([Dense(32, 32, init="he_normal", rng=rng), Activation("relu")])
    layer = Residual(block)          # y = x + block(x); x and y both (N, D)

Backward, with dout = dL/dy (N, D):

    dL/dx = dout + F'(x)^T dout     (the block's backward of dout, plus dout itself)

The "+ dout" is the identity path: whatever the block does, the gradient
reaches x undiminished, so a stack of residual layers does not multiply the
gradient by one small factor per layer. This is the skip connection of ResNet
(He et al., 2016) and, in time instead of depth, the idea behind the LSTM's
cell state (chapter 07).

The layer interface is nnlib's (see nnlib.layers): forward(x, training),
backward(dout) -> dx, dicts params and grads with the same keys.
"""

import numpy as np

from nnlib.layers import Layer
from nnlib.validation import as_float_array


def _flat(block, attribute):
    """The block's params or grads as a flat dict (a Sequential has methods, a layer dicts)."""
    value = getattr(block, attribute, {})
    return value() if callable(value) else value


class Residual(Layer):
    """y = x + F(x), where F is any layer or Sequential whose output is shaped like its input.

    Shapes: x (N, D), F(x) (N, D), y (N, D). (Any shape works, as long as F keeps it.)
    Backward: dx = dout + F.backward(dout); the block's gradients are filled on the way.

    Parameters: the block's own arrays (not copies), under the block's keys with
    the prefix "block.", as PyTorch names a submodule's parameters:
    ``Residual(Dense(...)).params`` has "block.W", "block.b";
    ``Residual(Sequential([Dense, Activation, Dense]))`` has "block.0.W", ...,
    "block.2.b". In a Sequential they become e.g. "3.block.0.W". An optimizer
    that updates ``params`` in place therefore trains the block.

    Args:
        block: an object with forward(x, training) and backward(dout), such as a
            Dense, an Activation or a Sequential; it must return its input's shape.
    """

    def __init__(self, block):
        super().__init__()
        if not (hasattr(block, "forward") and hasattr(block, "backward")):
            raise TypeError(f"Residual needs a block with forward(x, training) and backward(dout), "
                            f"got a {type(block).__name__}")
        self.block = block
        self.params = {f"block.{k}": v for k, v in _flat(block, "params").items()}
        self.grads = {f"block.{k}": v for k, v in _flat(block, "grads").items()}

    def forward(self, x, training=False):
        x = as_float_array(x, "x", "Residual")
        fx = self.block.forward(x, training=training)
        if np.shape(fx) != x.shape:
            raise ValueError(f"Residual needs a block that keeps the shape of its input: "
                             f"x has shape {x.shape}, block(x) has shape {np.shape(fx)} "
                             f"(use n_out = n_in in the block's last Dense)")
        self.cache = x.shape
        return x + fx

    def backward(self, dout):
        shape = self._need_cache()
        dout = as_float_array(dout, "dout", "Residual.backward")
        if dout.shape != shape:
            raise ValueError(f"Residual.backward expects dout of shape {shape}, got {dout.shape}")
        d_block = self.block.backward(dout)
        # Our grads dict holds the block's own arrays; a block that replaced an
        # array instead of writing into it gets its values copied over, so that
        # anyone holding our arrays (an optimizer, fit) sees the new gradient.
        for key, g in _flat(self.block, "grads").items():
            mine = self.grads[f"block.{key}"]
            if mine is not g:
                mine[...] = g
        return dout + d_block  # identity path + path through the block

    def __repr__(self):
        inner = repr(self.block).replace("\n", "\n  ")
        return f"Residual({inner})"


__all__ = ["Residual"]
