"""Early stopping, and saving / restoring a model's state (chapter 05).

    history = fit(..., validation_data=(X_val, y_val), early_stopping=10)
    history.best_epoch, history.stopped_epoch       # indices into history["val_loss"]

Early stopping watches the validation loss after every epoch. When it has not
improved (by more than ``min_delta``) for ``patience`` epochs in a row, training
stops; at the end the weights of the best epoch are put back (``restore_best``),
so the model you keep is the one that generalised best, not the last one.

A model's state is every parameter (``model.params()``) plus every buffer:
arrays a layer keeps that are not learned by gradient descent, such as
BatchNorm's running mean and variance, held in a layer's ``buffers`` dict.
``model_state`` finds them in ``model.layers`` (and in nested ``layers`` lists
or a ``block``, for composite layers).
"""

import numpy as np


def _buffer_arrays(obj, prefix=""):
    """(name, array) of every buffer of ``obj`` and of the layers it contains."""
    found = [(f"{prefix}{k}", v) for k, v in getattr(obj, "buffers", {}).items()]
    children = list(enumerate(getattr(obj, "layers", []) or []))
    block = getattr(obj, "block", None)
    if block is not None:
        children.append(("block", block))
    for key, child in children:
        found += _buffer_arrays(child, f"{prefix}{key}.")
    return found


def model_state(model):
    """A copy of the model's parameters and buffers: dict name -> array.

    Params are named as in ``model.params()`` ("0.W"); buffers get the prefix
    "buffer:" ("buffer:1.running_mean").
    """
    state = {k: np.array(v, copy=True) for k, v in model.params().items()}
    state.update({f"buffer:{k}": np.array(v, copy=True) for k, v in _buffer_arrays(model)})
    return state


def load_state(model, state):
    """Write a ``model_state`` copy back into the model's own arrays (in place)."""
    current = dict(model.params())
    current.update({f"buffer:{k}": v for k, v in _buffer_arrays(model)})
    if set(current) != set(state):
        raise ValueError(f"load_state: the state has entries {sorted(state)}, "
                         f"the model has {sorted(current)}")
    for k, v in current.items():
        v[...] = state[k]


class EarlyStopping:
    """Stop when the validation loss has not improved for ``patience`` epochs.

    Args:
        patience: epochs without improvement to wait before stopping (>= 1).
        min_delta: an improvement must lower the best loss by more than this.
        restore_best: put the best epoch's weights (and buffers) back at the end.

    After training: ``best_epoch`` and ``best_loss`` (epoch indices start at 0, like
    the per-epoch lists), ``stopped_epoch`` (None if training ran all its epochs).
    """

    def __init__(self, patience=5, min_delta=0.0, restore_best=True):
        if int(patience) < 1:
            raise ValueError(f"EarlyStopping: patience must be >= 1, got {patience}")
        self.patience = int(patience)
        self.min_delta = float(min_delta)
        self.restore_best = bool(restore_best)
        self.reset()

    def reset(self):
        self.best_loss, self.best_epoch, self.best_state = np.inf, None, None
        self.wait, self.stopped_epoch = 0, None

    def step(self, epoch, val_loss, model):
        """Record one epoch's validation loss; return True when training should stop."""
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.wait = float(val_loss), epoch, 0
            if self.restore_best:
                self.best_state = model_state(model)
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            return True
        return False

    def finish(self, model):
        """Restore the best weights (if asked and if any epoch was recorded)."""
        if self.restore_best and self.best_state is not None:
            load_state(model, self.best_state)

    def __repr__(self):
        return f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta:g})"


def as_early_stopping(value):
    """fit's ``early_stopping`` argument: None, a patience (int) or an EarlyStopping."""
    if value is None or isinstance(value, EarlyStopping):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return EarlyStopping(patience=int(value))
    raise TypeError(f"early_stopping must be a patience (int) or an EarlyStopping, "
                    f"got {type(value).__name__}")
