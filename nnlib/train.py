"""Training loop: mini-batch gradient descent on a Sequential (chapters 03 to 06).

    history = fit(model, "softmax_cross_entropy", SGD(lr=0.1), X, y,
                  epochs=20, batch_size=32, rng=np.random.default_rng(0),
                  validation_data=(X_val, y_val))
    history.history["loss"], history.history["val_accuracy"], history.diverged

One step: out = model.forward(X_batch, training=True); L = loss(out, y_batch);
model.backward(loss.grad(out, y_batch)); optional clipping; optimizer.step(params, grads).
"""

import numpy as np

from nnlib import losses as losses_mod
from nnlib.progress import Progress
from nnlib.validation import as_float_array, make_rng

# How to read predictions as classes, per loss (for the accuracy metric).
_CLASS_RULES = {
    "softmax_cross_entropy": "argmax_labels",
    "sparse_categorical_cross_entropy": "argmax_labels",
    "categorical_cross_entropy": "argmax_onehot",
    "categorical_hinge": "argmax_onehot",
    "binary_cross_entropy": "threshold_0.5",
    "bce_with_logits": "threshold_0",
    "hinge": "sign",
    "squared_hinge": "sign",
}


def accuracy(out, y, loss_name):
    """Fraction of correct predictions, read the way ``loss_name`` reads outputs.

    Args:
        out: model output, (N, C) or (N, 1) or (N,).
        y: targets as the loss takes them (labels (N,), one-hot (N, C) or 0/1 (N, 1)).

    Returns:
        float in [0, 1], or None if the loss is a regression loss.
    """
    rule = _CLASS_RULES.get(loss_name)
    if rule is None:
        return None
    y = np.asarray(y)
    if rule == "argmax_labels":
        return float(np.mean(out.argmax(axis=-1) == y))
    if rule == "argmax_onehot":
        return float(np.mean(out.argmax(axis=-1) == y.argmax(axis=-1)))
    if rule == "threshold_0.5":
        return float(np.mean((out >= 0.5) == (y >= 0.5)))
    if rule == "threshold_0":
        return float(np.mean((out >= 0) == (y >= 0.5)))
    return float(np.mean(np.sign(out) == np.where(y > 0, 1, -1)))


class History:
    """What happened during ``fit``.

    Attributes:
        history: dict of per-epoch lists: "loss" (mean training loss over the
            epoch's batches), "val_loss", and "accuracy"/"val_accuracy" for
            classification losses.
        batch_loss: list of the loss of every step (to see the noise of SGD).
        epochs: number of completed epochs.
        diverged: None, or {"epoch", "step", "loss"} of the first step whose loss
            was not finite (training stopped there).
    """

    def __init__(self):
        self.history = {}
        self.batch_loss = []
        self.epochs = 0
        self.diverged = None

    def _log(self, **values):
        for k, v in values.items():
            if v is not None:
                self.history.setdefault(k, []).append(v)

    def __getitem__(self, key):
        return self.history[key]

    def __repr__(self):
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        state = f", diverged at step {self.diverged['step']}" if self.diverged else ""
        return f"History(epochs={self.epochs}{state}; {last})"


def evaluate(model, loss, X, y):
    """Loss (and accuracy where it applies) of ``model`` on (X, y), in evaluation mode.

    Returns:
        (loss value, accuracy or None).
    """
    loss = losses_mod.get(loss)
    with np.errstate(all="ignore"):
        out = model.forward(as_float_array(X, "X", "evaluate"), training=False)
        value = loss(out, y)
    return value, accuracy(out, y, loss.name)


def fit(model, loss, optimizer, X, y, epochs=10, batch_size=32, rng=None,
        validation_data=None, shuffle=True, clip_norm=None, progress="auto",
        callback=None):
    """Train ``model`` with mini-batch gradient descent; return a History.

    Args:
        model: a Sequential (forward/backward/params()/grads()).
        loss: a loss name or object from nnlib.losses.
        optimizer: an nnlib.optim optimizer (``step(params, grads)``).
        X: inputs (N, D). y: targets as the loss takes them ((N,) labels, (N, C), (N, 1)).
        epochs: passes over the data. batch_size: samples per step (>= N means full batch).
        rng: numpy Generator or int seed used to shuffle each epoch (required if shuffle).
        validation_data: optional (X_val, y_val), evaluated after every epoch.
        clip_norm: if set, gradients are clipped to this global norm before each step.
        progress: "auto" (a bar once training has run over 2 s), True or False.
        callback: optional ``callback(epoch, history, model)`` after every epoch.

    Training stops at the first step whose loss is not finite (the learning rate
    is too large, usually); ``history.diverged`` records where, and no overflow
    warnings are printed.
    """
    loss = losses_mod.get(loss)
    X = as_float_array(X, "X", "fit")
    y = np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"fit: X has {len(X)} samples but y has {len(y)}")
    if int(epochs) < 0 or int(batch_size) < 1:
        raise ValueError(f"fit needs epochs >= 0 and batch_size >= 1, got {epochs}, {batch_size}")
    rng = make_rng(rng, "fit") if shuffle else None
    n = len(X)
    params, grads = model.params(), model.grads()
    history = History()
    bar = Progress(epochs, label="fit", mode=progress)
    step = 0
    for epoch in range(int(epochs)):
        order = rng.permutation(n) if shuffle else np.arange(n)
        total, seen = 0.0, 0
        for start in range(0, n, int(batch_size)):
            idx = order[start:start + int(batch_size)]
            with np.errstate(all="ignore"):
                out = model.forward(X[idx], training=True)
                value = loss(out, y[idx])
                if np.isfinite(value):
                    model.backward(loss.grad(out, y[idx]))
                    if clip_norm is not None:
                        from nnlib.optim import clip_grad_norm
                        clip_grad_norm(grads, clip_norm)
                    optimizer.step(params, grads)
            step += 1
            history.batch_loss.append(float(value))
            if not np.isfinite(value):
                history.diverged = {"epoch": epoch, "step": step, "loss": float(value)}
                bar.close()
                return history
            total += value * len(idx)
            seen += len(idx)
        train_acc = None
        if loss.name in _CLASS_RULES:
            train_acc = evaluate(model, loss, X, y)[1]
        val_loss = val_acc = None
        if validation_data is not None:
            val_loss, val_acc = evaluate(model, loss, *validation_data)
        history._log(loss=total / seen, accuracy=train_acc, val_loss=val_loss, val_accuracy=val_acc)
        history.epochs = epoch + 1
        if callback is not None:
            callback(epoch, history, model)
        bar.update(epoch + 1, f"loss {total / seen:.4g}")
    bar.close()
    return history
