"""Sequential: a network as a list of layers (chapter 03).

    model = Sequential([Dense(2, 8, rng=rng), Activation("relu"), Dense(8, 1, rng=rng)])
    out = model.forward(X, training=True)       # X (N, D) -> out (N, C)
    dX  = model.backward(dout)                  # dout (N, C) -> dX (N, D)
    model.params(), model.grads()               # flat dicts {"0.W": ..., "0.b": ..., "2.W": ...}

The flat dicts hold the layers' own arrays (not copies), so an optimizer that
updates ``model.params()`` in place trains the layers.
"""

from nnlib.layers import Layer


class Sequential:
    """Layers applied in order; backward runs them in reverse (the chain rule).

    Args:
        layers: list of objects with forward(x, training) and backward(dout).
    """

    def __init__(self, layers):
        layers = list(layers)
        for i, layer in enumerate(layers):
            if not (hasattr(layer, "forward") and hasattr(layer, "backward")):
                raise TypeError(
                    f"Sequential: item {i} ({type(layer).__name__}) is not a layer "
                    "(it needs forward(x, training) and backward(dout))"
                )
        self.layers = layers

    def forward(self, x, training=False):
        """x (N, D) -> output of the last layer (N, C). Caches for backward."""
        for layer in self.layers:
            x = layer.forward(x, training=training)
        return x

    __call__ = forward

    def backward(self, dout, input_grad=True):
        """dout = dL/d(output) (N, C) -> dL/dx (N, D); fills every layer's grads.

        With ``input_grad=False`` (what training needs) a first Dense layer skips
        computing dL/dx, one matrix product of its size, and None is returned.
        """
        first = self.layers[0] if self.layers else None
        for layer in reversed(self.layers):
            if layer is first and not input_grad and hasattr(layer, "backward_params"):
                layer.backward_params(dout)
                return None
            dout = layer.backward(dout)
        return dout

    def params(self):
        """Flat dict "index.name" -> parameter array (the layers' own arrays)."""
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers)
                for k, v in getattr(layer, "params", {}).items()}

    def grads(self):
        """Flat dict with the same keys as params(), holding the last backward's gradients."""
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers)
                for k, v in getattr(layer, "grads", {}).items()}

    def n_params(self):
        return int(sum(p.size for p in self.params().values()))

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]

    def __repr__(self):
        inner = ",\n".join(f"  {i}: {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential([\n{inner}\n])  # {self.n_params()} parameters"


__all__ = ["Sequential", "Layer"]
