"""Training loop: mini-batch gradient descent on a Sequential (chapters 03 to 06).

    history = fit(model, "softmax_cross_entropy", SGD(lr=0.1), X, y,
                  epochs=20, batch_size=32, rng=np.random.default_rng(0),
                  validation_data=(X_val, y_val))
    history.history["loss"], history.history["val_accuracy"], history.diverged

One step: out = model.forward(X_batch, training=True); L = loss(out, y_batch);
model.backward(loss.grad(out, y_batch)); optional clipping; optimizer.step(params, grads).

Regularisation (chapter 05): ``penalty=L2(1e-3)`` (nnlib.regularizers) trains on
L + R(W): R's value is added to the loss and its gradient to the weights'
gradients before clipping and the step (a proximal penalty applies its step
after the optimizer's instead). ``early_stopping=patience`` (nnlib.callbacks)
stops when the validation loss has not improved for that many epochs and puts
the best epoch's weights back.
"""

import numpy as np

from nnlib import losses as losses_mod
from nnlib.callbacks import as_early_stopping
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
            epoch's batches; the data loss, without any penalty), "val_loss", and
            "accuracy"/"val_accuracy" for classification losses; with a penalty
            also "penalised_loss" (mean over the batches of loss + penalty, the
            quantity that was minimised).
        batch_loss: list of the (data) loss of every step (to see the noise of SGD).
        epochs: number of completed epochs.
        diverged: None, or {"epoch", "step", "loss"} of the first step whose loss
            was not finite (training stopped there).
        best_epoch, stopped_epoch: with early stopping, the index (from 0, into the
            per-epoch lists) of the epoch with the lowest val_loss, whose weights
            were restored, and of the epoch after which training stopped (None if
            it ran every epoch). Both None without early stopping.
    """

    def __init__(self):
        self.history = {}
        self.batch_loss = []
        self.epochs = 0
        self.diverged = None
        self.best_epoch = None
        self.stopped_epoch = None

    def _log(self, **values):
        for k, v in values.items():
            if v is not None:
                self.history.setdefault(k, []).append(v)

    def __getitem__(self, key):
        return self.history[key]

    def __repr__(self):
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        state = f", diverged at step {self.diverged['step']}" if self.diverged else ""
        if self.stopped_epoch is not None:
            state += f", stopped after epoch {self.stopped_epoch}, best epoch {self.best_epoch}"
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
        callback=None, penalty=None, early_stopping=None):
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
        penalty: optional weight penalty from nnlib.regularizers (L2, L1, ElasticNet):
            its value is added to each batch's loss and its gradient to the
            weights' gradients before clipping and the step (it applies to the
            parameters it selects: names starting with "W" by default, not biases).
            A proximal penalty (``L1(lam, proximal=True)``) applies
            ``penalty.prox(params, optimizer.lr)`` after each step instead.
        early_stopping: optional patience (int) or nnlib.callbacks.EarlyStopping;
            needs validation_data. Stops when val_loss has not improved for
            ``patience`` epochs; restores the weights (and BatchNorm statistics) of
            the best epoch at the end; sets history.best_epoch and .stopped_epoch.

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
    stopper = as_early_stopping(early_stopping)
    if stopper is not None:
        if validation_data is None:
            raise ValueError("fit: early_stopping watches the validation loss; pass validation_data=(X_val, y_val)")
        stopper.reset()
    rng = make_rng(rng, "fit") if shuffle else None
    n = len(X)
    params, grads = model.params(), model.grads()
    history = History()
    bar = Progress(epochs, label="fit", mode=progress)
    step = 0
    for epoch in range(int(epochs)):
        order = rng.permutation(n) if shuffle else np.arange(n)
        total, total_penalised, seen = 0.0, 0.0, 0
        for start in range(0, n, int(batch_size)):
            idx = order[start:start + int(batch_size)]
            with np.errstate(all="ignore"):
                out = model.forward(X[idx], training=True)
                value = loss(out, y[idx])
                penalised = value + (penalty(params) if penalty is not None else 0.0)
                if np.isfinite(penalised):
                    model.backward(loss.grad(out, y[idx]), input_grad=False)
                    if penalty is not None and not penalty.proximal:
                        for name, g in penalty.grad(params).items():
                            grads[name] += g
                    if clip_norm is not None:
                        from nnlib.optim import clip_grad_norm
                        clip_grad_norm(grads, clip_norm)
                    optimizer.step(params, grads)
                    if penalty is not None and penalty.proximal:
                        penalty.prox(params, optimizer.lr)
            step += 1
            history.batch_loss.append(float(value))
            if not np.isfinite(penalised):
                history.diverged = {"epoch": epoch, "step": step, "loss": float(penalised)}
                break
            total += value * len(idx)
            total_penalised += penalised * len(idx)
            seen += len(idx)
        if history.diverged is not None:
            break
        train_acc = None
        if loss.name in _CLASS_RULES:
            train_acc = evaluate(model, loss, X, y)[1]
        val_loss = val_acc = None
        if validation_data is not None:
            val_loss, val_acc = evaluate(model, loss, *validation_data)
        history._log(loss=total / seen, accuracy=train_acc, val_loss=val_loss, val_accuracy=val_acc,
                     penalised_loss=total_penalised / seen if penalty is not None else None)
        history.epochs = epoch + 1
        if callback is not None:
            callback(epoch, history, model)
        bar.update(epoch + 1, f"loss {total / seen:.4g}")
        if stopper is not None and stopper.step(epoch, val_loss, model):
            break
    bar.close()
    if stopper is not None:
        stopper.finish(model)
        history.best_epoch, history.stopped_epoch = stopper.best_epoch, stopper.stopped_epoch
    return history
