"""Dropout: switch off random units while training (chapter 05 explains it).

Inverted dropout, as torch.nn.Dropout does it. With p the DROP probability:

    training:    mask = (u >= p) / (1 - p)     u ~ U[0, 1) drawn per entry from the layer's rng
                 out  = x * mask               so E[out] = x: each unit is kept with
                                               probability 1 - p and scaled by 1 / (1 - p)
    evaluation:  out  = x                      nothing to undo at test time
    backward:    dx   = dout * mask            (dx = dout in evaluation mode)

Shapes: x, mask, out, dout, dx all (N, D) (any shape works: dropout is elementwise).

The layer interface is the one stated in ``nnlib.layers`` (forward(x, training),
backward(dout), dicts params and grads; Dropout has no parameters) and
``nnlib.layers`` re-exports the class, so ``from nnlib.layers import Dropout``
works. It does not subclass ``nnlib.layers.Layer`` on purpose: that module
imports this one at its end, and a base class from there would make the import
order matter.
"""

from nnlib.validation import as_float_array, make_rng


class Dropout:
    """Inverted dropout with drop probability ``p`` (torch.nn.Dropout(p)).

    Args:
        p: probability of zeroing each entry, 0 <= p <= 1 (p = 1 zeroes everything,
           as in PyTorch; p = 0 is the identity).
        rng: numpy Generator or int seed; every training forward draws a new mask from it.

    Attributes:
        mask: the last training mask (N, D), entries 0 or 1 / (1 - p) (all ones for
            p = 0); None after an evaluation forward. Set ``layer.rng`` to a fresh Generator with the same
            seed to draw the same mask again (gradient checks do that).
    """

    def __init__(self, p=0.5, rng=None):
        p = float(p)
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p is the drop probability and must be in [0, 1], got {p}")
        self.p = p
        self.rng = make_rng(rng, "Dropout")
        self.params, self.grads = {}, {}
        self.mask = None
        self.cache = None

    def forward(self, x, training=False):
        """x (N, D) -> out (N, D): x * mask when training, x itself otherwise."""
        x = as_float_array(x, "x", "Dropout")
        if not training:
            self.mask = None
            self.cache = {"mask": None}  # backward passes dout through
            return x
        keep = self.rng.random(x.shape) >= self.p  # True with probability 1 - p
        # p = 1 keeps nothing; avoid 0 * inf (= nan) in the scale.
        scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)
        self.mask = keep.astype(x.dtype) * x.dtype.type(scale)
        self.cache = {"mask": self.mask}
        return x * self.mask

    def backward(self, dout):
        """dout (N, D) -> dx (N, D) = dout * mask (dout itself after an evaluation forward)."""
        if self.cache is None:
            raise RuntimeError("Dropout.backward called before forward")
        mask = self.cache["mask"]
        dout = as_float_array(dout, "dout", "Dropout.backward")
        if mask is None:
            return dout
        if dout.shape != mask.shape:
            raise ValueError(f"Dropout.backward expects dout of shape {mask.shape}, got {dout.shape}")
        return dout * mask

    def __repr__(self):
        return f"Dropout(p={self.p:g})"
