"""Per-layer statistics of a network: are the activations and gradients healthy? (chapter 06)

Two ways to get them:

    stats = layer_stats(model, X, y, "softmax_cross_entropy")   # one forward + backward now
    stats["act_std"], stats["grad_norm"]                         # arrays (L,), one entry per layer

    recorder = StatsRecorder(X_probe, y_probe, "softmax_cross_entropy")
    recorder.record(model)                      # optional: the state before training (epoch 0)
    history = fit(..., callback=recorder)       # after every epoch
    history.layer_stats["grad_norm"]            # (E, L): row e after history.layer_stats["epoch"][e] epochs

"Layer" means one item of ``model.layers`` (a Dense, an Activation, a
Residual block...), numbered as in ``model.params()`` keys. In a healthy deep
network the activations' standard deviation and the gradient sizes stay within
a factor of a few from the first layer to the last; a steady shrink (or growth)
layer after layer is the vanishing (or exploding) gradient.
"""

import numpy as np

from nnlib import losses as losses_mod
from nnlib.validation import as_float_array

STAT_KEYS = ("act_mean", "act_std", "grad_mean", "grad_std", "grad_norm")


def _std(a):
    return float(np.std(a)) if a.size else float("nan")


def _mean(a):
    return float(np.mean(a)) if a.size else float("nan")


def layer_names(model):
    """One label per layer, e.g. ["0 Dense(64, 32)", "1 Activation('relu')"]."""
    return [f"{i} {layer!r}".split("\n")[0] for i, layer in enumerate(model.layers)]


def param_grad_norm(layer):
    """Global L2 norm of one layer's parameter gradients, sqrt(sum of g^2 over all its
    gradient arrays); nan for a layer without parameters."""
    grads = getattr(layer, "grads", None)
    grads = grads() if callable(grads) else grads
    if not grads:
        return float("nan")
    return float(np.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads.values())))


def layer_stats(model, X, y, loss, training=False):
    """One forward and one backward pass of ``model`` on (X, y), with statistics per layer.

    With a_l the output of layer l and delta_l = dL/da_l the gradient arriving at it:

        act_mean[l] = mean(a_l)          act_std[l] = std(a_l)      over all N x D entries
        grad_mean[l] = mean(delta_l)     grad_std[l] = std(delta_l)
        grad_norm[l] = sqrt(sum over the layer's gradient arrays g of sum(g^2))
                       (dL/dW and dL/db together; nan for layers without parameters)

    Side effects, as in one training step without the update: the layers'
    caches and ``grads`` are overwritten (fit overwrites them again at its next
    step). With training=False (default) nothing else changes: dropout is off and
    batch norm uses its running statistics (still 0 and 1 before any training, so
    batch norm is then the identity). training=True shows the network as the
    optimizer sees it (use it for networks with batch norm) but also updates batch
    norm's running statistics and draws dropout masks.

    Args:
        model: a Sequential (``model.layers``).
        X: inputs (N, D). y: targets as the loss takes them.
        loss: a loss name or object from nnlib.losses.
        training: the mode passed to every layer's forward.

    Returns:
        dict with "names" (list of L labels), "loss" (float) and arrays (L,)
        "act_mean", "act_std", "grad_mean", "grad_std", "grad_norm".
        Non-finite values (an exploding network) are kept as inf/nan, silently.
    """
    loss = losses_mod.get(loss)
    a = as_float_array(X, "X", "layer_stats")
    if not getattr(model, "layers", None):
        raise ValueError("layer_stats needs a Sequential with at least one layer (model.layers)")
    acts, deltas = [], []
    with np.errstate(all="ignore"):  # exploding networks are a lesson here, not an error
        for layer in model.layers:
            a = layer.forward(a, training=training)
            acts.append((_mean(a), _std(a)))
        value = float(loss(a, y))
        delta = loss.grad(a, y)
        for layer in reversed(model.layers):
            deltas.append((_mean(delta), _std(delta)))
            delta = layer.backward(delta)
        grad_norm = np.array([param_grad_norm(layer) for layer in model.layers])
    deltas.reverse()
    act_mean, act_std = (np.array(v, dtype=np.float64) for v in zip(*acts))
    grad_mean, grad_std = (np.array(v, dtype=np.float64) for v in zip(*deltas))
    return {"names": layer_names(model), "loss": value, "act_mean": act_mean, "act_std": act_std,
            "grad_mean": grad_mean, "grad_std": grad_std, "grad_norm": grad_norm}


class StatsRecorder:
    """A ``fit`` callback that records ``layer_stats`` on a fixed probe batch after every epoch.

    The record goes into ``history.layer_stats`` (a new attribute of fit's History):

        "epoch"  (E,) epochs completed when the row was recorded (0 = before training)
        "loss"   (E,) the loss on the probe batch
        "act_mean", "act_std", "grad_mean", "grad_std", "grad_norm"   (E, L)
        "names"  list of L layer labels

    A fixed probe batch (not the last training batch) makes the rows comparable
    from epoch to epoch. The gradients are computed with the weights at the end
    of the epoch, before any clipping. ``history.layer_stats`` appears after the
    first completed epoch (fit stops before the callback when training diverges);
    ``recorder.table()`` always has every row recorded so far.

    Args:
        X, y: the probe batch, (N, D) and targets as the loss takes them.
        loss: a loss name or object from nnlib.losses.
        training: passed to layer_stats (default False: see there).
        every: record every ``every`` epochs (and always after the first).
    """

    def __init__(self, X, y, loss, training=False, every=1):
        if int(every) < 1:
            raise ValueError(f"StatsRecorder needs every >= 1, got {every}")
        self.X, self.y = as_float_array(X, "X", "StatsRecorder"), np.asarray(y)
        self.loss, self.training, self.every = losses_mod.get(loss), training, int(every)
        self.rows = []  # (epochs completed, stats dict)

    def record(self, model, epochs_done=0):
        """Record the statistics now (call it once before fit for the epoch-0 row)."""
        stats = layer_stats(model, self.X, self.y, self.loss, training=self.training)
        self.rows.append((int(epochs_done), stats))
        return stats

    def __call__(self, epoch, history, model):
        done = epoch + 1  # fit passes the index of the epoch just completed
        if epoch == 0 or done % self.every == 0:
            self.record(model, done)
        history.layer_stats = self.table()

    def table(self):
        """The rows recorded so far as a dict of arrays (see the class docstring)."""
        if not self.rows:
            return {"epoch": np.zeros(0, dtype=int), "loss": np.zeros(0), "names": [],
                    **{k: np.zeros((0, 0)) for k in STAT_KEYS}}
        stats = [s for _, s in self.rows]
        return {"epoch": np.array([e for e, _ in self.rows]),
                "loss": np.array([s["loss"] for s in stats]),
                "names": list(stats[-1]["names"]),
                **{k: np.stack([s[k] for s in stats]) for k in STAT_KEYS}}


__all__ = ["layer_stats", "layer_names", "param_grad_norm", "StatsRecorder", "STAT_KEYS"]
