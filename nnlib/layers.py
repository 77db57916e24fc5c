"""Layers: the building blocks of a network (chapters 03, 05, 06).

Every layer has the same interface, stated once here:

    out = layer.forward(x, training=False)   # x (N, D_in)  -> out (N, D_out)
    dx  = layer.backward(dout)               # dout (N, D_out) -> dx (N, D_in)
    layer.params   # dict name -> array, e.g. {"W": (D_in, D_out), "b": (D_out,)}
    layer.grads    # dict with the same keys, filled by backward

``forward`` keeps in ``self.cache`` what ``backward`` needs (the input, the
pre-activation...). ``backward`` overwrites ``grads`` (it does not accumulate,
unlike PyTorch's ``.grad``) and returns dL/dx. Names follow the chapters'
maths: ``dout`` is dL/d(output), ``dW`` is dL/dW.
"""

import numpy as np

from nnlib import activations, init as initializers
from nnlib.validation import as_float_array, check_features, check_ndim, make_rng


class Layer:
    """Base class: no parameters, identity forward/backward shapes."""

    def __init__(self):
        self.params = {}
        self.grads = {}
        self.cache = None

    def forward(self, x, training=False):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def _need_cache(self):
        if self.cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return self.cache


class Dense(Layer):
    """Fully connected layer: out = X @ W + b.

    Shapes: X (N, D_in), W (D_in, D_out), b (D_out,), out (N, D_out).
    Backward, with dout = dL/dout (N, D_out):
        dW = X^T @ dout            (D_in, D_out)
        db = sum over N of dout    (D_out,)
        dX = dout @ W^T            (N, D_in)
    Same numbers as torch.nn.Linear, whose weight is stored transposed (D_out, D_in).

    Args:
        n_in, n_out: D_in and D_out.
        init: name or function from nnlib.init for W (default "glorot_uniform",
            Keras's default; torch.nn.Linear uses U(-1/sqrt(D_in), 1/sqrt(D_in))).
        rng: numpy Generator or int seed (required: initialisation is random).
        dtype: float64 (default) or float32.
    """

    def __init__(self, n_in, n_out, init="glorot_uniform", rng=None, dtype=np.float64):
        super().__init__()
        if int(n_in) < 1 or int(n_out) < 1:
            raise ValueError(f"Dense needs n_in >= 1 and n_out >= 1, got {n_in}, {n_out}")
        self.n_in, self.n_out = int(n_in), int(n_out)
        rng = make_rng(rng, "Dense")
        W = initializers.get(init)((self.n_in, self.n_out), rng)
        self.params = {"W": W.astype(dtype), "b": np.zeros(self.n_out, dtype=dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def forward(self, x, training=False):
        x = as_float_array(x, "X", "Dense")
        check_ndim(x, 2, "X (N, D_in)", "Dense")
        check_features(x, self.n_in, "X", "Dense")
        W, b = self.params["W"], self.params["b"]
        if W.dtype != x.dtype:  # float32 input stays float32
            W, b = W.astype(x.dtype), b.astype(x.dtype)
        self.cache = x
        return x @ W + b

    def backward(self, dout):
        self.backward_params(dout)
        return dout @ self.params["W"].astype(dout.dtype, copy=False).T

    def backward_params(self, dout):
        """Fill grads["W"] and grads["b"] from dout (N, D_out) without computing dX.

        Training never needs the gradient with respect to the data, so the first
        layer of a network can skip that matrix product (Sequential.backward
        with input_grad=False, as fit does).
        """
        x = self._need_cache()
        dout = as_float_array(dout, "dout", "Dense.backward")
        if dout.shape != (x.shape[0], self.n_out):
            raise ValueError(
                f"Dense.backward expects dout of shape {(x.shape[0], self.n_out)}, got {dout.shape}"
            )
        gW, gb = self.grads["W"], self.grads["b"]
        if gW.dtype == dout.dtype:  # write straight into the buffers: no temporaries
            np.matmul(x.T, dout, out=gW)
            np.sum(dout, axis=0, out=gb)
        else:
            gW[...] = x.T @ dout
            gb[...] = dout.sum(axis=0)

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out})"


class Activation(Layer):
    """Elementwise activation as a layer: out = f(z); backward dz = dout * f'(z).

    ``Activation("softmax")`` applies softmax over the last axis; its backward uses
    the Jacobian-vector product dz = s * (dout - sum(dout * s, axis=-1)).
    Shapes: z and out (N, D) (any shape for elementwise functions).

    Args:
        name: an activation name from nnlib.activations (e.g. "relu"), or the object.
        **params: its parameters, e.g. Activation("leaky_relu", alpha=0.2).
    """

    def __init__(self, name, **params):
        super().__init__()
        self.is_softmax = isinstance(name, str) and name.lower() == "softmax"
        self.f = None if self.is_softmax else activations.get(name)
        self.name = "softmax" if self.is_softmax else self.f.name
        self.kwargs = params
        if self.is_softmax and params:
            raise TypeError(f"softmax takes no parameters, got {sorted(params)}")

    def forward(self, x, training=False):
        z = as_float_array(x, "z", f"Activation({self.name!r})")
        if self.is_softmax:
            out = activations.softmax(z, axis=-1)
            self.cache = out
            return out
        self.cache = z
        return self.f(z, **self.kwargs)

    def backward(self, dout):
        cache = self._need_cache()
        dout = as_float_array(dout, "dout", f"Activation({self.name!r}).backward")
        if dout.shape != cache.shape:
            raise ValueError(
                f"Activation({self.name!r}).backward expects dout of shape {cache.shape}, got {dout.shape}"
            )
        if self.is_softmax:
            s = cache
            return s * (dout - np.sum(dout * s, axis=-1, keepdims=True))
        return dout * self.f.grad(cache, **self.kwargs)

    def __repr__(self):
        extra = "".join(f", {k}={v!r}" for k, v in self.kwargs.items())
        return f"Activation({self.name!r}{extra})"


# Layers defined in their own files (one idea per file), re-exported here.
from nnlib.dropout import Dropout  # noqa: E402
from nnlib.batchnorm import BatchNorm  # noqa: E402
from nnlib.residual import Residual  # noqa: E402
