"""Batch normalisation: standardise each feature over the batch (chapters 05 and 06).

Training mode, for x (N, D), the four steps (per feature d, over the N samples):

    mu    = mean over N of x                          (D,)   batch mean
    var   = mean over N of (x - mu)^2                 (D,)   batch variance, BIASED (divide by N)
    x_hat = (x - mu) / sqrt(var + eps)                (N, D) normalise
    out   = gamma * x_hat + beta                      (N, D) scale and shift (learnable)

and the running statistics are updated exactly as torch.nn.BatchNorm1d does it:

    running_mean = (1 - momentum) * running_mean + momentum * mu
    running_var  = (1 - momentum) * running_var  + momentum * var * N / (N - 1)   (UNBIASED)

(momentum=None uses the cumulative average: momentum = 1 / number of batches seen.)
Evaluation mode normalises with running_mean and running_var instead of the
batch's statistics, so a single sample gives the same answer in any batch.

Backward in training mode, with dout (N, D) and dx_hat = dout * gamma (mu and
var depend on x, which gives the two extra terms):

    dgamma = sum over N of dout * x_hat                                  (D,)
    dbeta  = sum over N of dout                                          (D,)
    dx     = (1 / sqrt(var + eps)) / N * (N * dx_hat - sum_N dx_hat - x_hat * sum_N (dx_hat * x_hat))
In evaluation mode the statistics are constants: dx = dout * gamma / sqrt(running_var + eps).

The layer interface is the one stated in ``nnlib.layers`` (which re-exports
this class); see nnlib/dropout.py for why it is defined apart from ``Layer``.
"""

import numpy as np

from nnlib.validation import as_float_array, check_features, check_ndim


class BatchNorm:
    """Batch normalisation over the samples of (N, D) input (torch.nn.BatchNorm1d(D)).

    Args:
        n: D, the number of features.
        momentum: weight of the new batch in the running statistics (PyTorch's
            convention, default 0.1; Keras's momentum=0.99 is 1 - this), or None for
            a cumulative average.
        eps: added to the variance before the square root.
        dtype: float64 (default) or float32 for gamma and beta.

    Attributes:
        params: {"gamma": (D,) ones, "beta": (D,) zeros}, learned.
        buffers: {"running_mean": (D,) zeros, "running_var": (D,) ones,
            "num_batches_tracked": () int}: state, not learned (PyTorch's buffers).
            ``fit``'s early stopping saves and restores them with the weights.
    """

    def __init__(self, n, momentum=0.1, eps=1e-5, dtype=np.float64):
        if int(n) < 1:
            raise ValueError(f"BatchNorm needs n >= 1 features, got {n}")
        if momentum is not None and not 0.0 <= float(momentum) <= 1.0:
            raise ValueError(f"BatchNorm: momentum must be in [0, 1] or None, got {momentum}")
        if float(eps) <= 0:
            raise ValueError(f"BatchNorm: eps must be > 0, got {eps}")
        self.n = int(n)
        self.momentum = None if momentum is None else float(momentum)
        self.eps = float(eps)
        self.params = {"gamma": np.ones(self.n, dtype=dtype), "beta": np.zeros(self.n, dtype=dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.buffers = {"running_mean": np.zeros(self.n), "running_var": np.ones(self.n),
                        "num_batches_tracked": np.zeros((), dtype=np.int64)}
        self.cache = None

    @property
    def running_mean(self):
        return self.buffers["running_mean"]

    @property
    def running_var(self):
        return self.buffers["running_var"]

    def forward(self, x, training=False):
        """x (N, D) -> out (N, D); batch statistics when training, running ones otherwise."""
        x = as_float_array(x, "X", "BatchNorm")
        check_ndim(x, 2, "X (N, D)", "BatchNorm")
        check_features(x, self.n, "X", "BatchNorm")
        gamma, beta = (p.astype(x.dtype, copy=False) for p in (self.params["gamma"], self.params["beta"]))
        if training:
            n = x.shape[0]
            if n < 2:  # the variance of one sample is 0: x_hat would be all zeros
                raise ValueError(f"BatchNorm needs more than 1 sample per batch when training, "
                                 f"got X of shape {x.shape}")
            mu = x.mean(axis=0)
            var = x.var(axis=0)  # biased (ddof=0) for the normalisation
            self._update_running(mu, var, n)
        else:
            mu = self.running_mean.astype(x.dtype)
            var = self.running_var.astype(x.dtype)
        inv_std = 1.0 / np.sqrt(var + x.dtype.type(self.eps))
        x_hat = (x - mu) * inv_std
        self.cache = (x_hat, inv_std, training)
        return gamma * x_hat + beta

    def _update_running(self, mu, var, n):
        self.buffers["num_batches_tracked"] += 1
        m = 1.0 / float(self.buffers["num_batches_tracked"]) if self.momentum is None else self.momentum
        # In place, so that references to the buffers (saved states) stay valid.
        self.running_mean[...] = (1 - m) * self.running_mean + m * mu
        self.running_var[...] = (1 - m) * self.running_var + m * var * n / (n - 1)  # unbiased

    def backward(self, dout):
        """dout (N, D) -> dx (N, D); fills grads["gamma"] and grads["beta"] (D,)."""
        if self.cache is None:
            raise RuntimeError("BatchNorm.backward called before forward")
        x_hat, inv_std, training = self.cache
        dout = as_float_array(dout, "dout", "BatchNorm.backward")
        if dout.shape != x_hat.shape:
            raise ValueError(f"BatchNorm.backward expects dout of shape {x_hat.shape}, got {dout.shape}")
        gamma = self.params["gamma"].astype(dout.dtype, copy=False)
        self.grads["gamma"][...] = np.sum(dout * x_hat, axis=0)
        self.grads["beta"][...] = np.sum(dout, axis=0)
        dx_hat = dout * gamma
        if not training:
            return dx_hat * inv_std
        n = dout.shape[0]
        return inv_std / n * (n * dx_hat - dx_hat.sum(axis=0)
                              - x_hat * np.sum(dx_hat * x_hat, axis=0))

    def __repr__(self):
        return f"BatchNorm({self.n}, momentum={self.momentum}, eps={self.eps:g})"
