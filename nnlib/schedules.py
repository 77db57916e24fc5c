"""Learning-rate schedules: change optimizer.lr as training goes on (chapter 04).

Shared interface, as in torch.optim.lr_scheduler:

    sched = StepLR(opt, step_size=10)  # base_lr = opt.lr; sets opt.lr = lr_at(0)
    for epoch in range(epochs):
        ...                            # one epoch of opt.step(params, grads)
        sched.step()                   # last_epoch += 1; opt.lr = lr_at(last_epoch)
    sched.lr_at(t)                     # closed form at t = 0, 1, 2, ... (or an array of t)

Any object with an ``lr`` attribute works as the optimizer. The learning rates
are those of torch's schedulers (``get_last_lr()``). torch computes them
recursively from the current lr (so that schedulers can be chained); nnlib uses
the closed form from base_lr, which agrees to rounding error and reads like the
formula. So a value you write into opt.lr by hand lasts until the next step().
"""

import math

import numpy as np


class Schedule:
    """Base class: a learning rate lr(t) at epoch (or step) t = last_epoch.

    A subclass sets its arguments, then calls ``super().__init__(optimizer)``,
    and defines ``_lr(t)`` with numpy operations (t a float array).
    """

    def __init__(self, optimizer):
        if not hasattr(optimizer, "lr"):
            raise TypeError(f"{type(self).__name__} needs an optimizer with an lr "
                            f"attribute, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        self.base_lr = float(optimizer.lr)
        self.last_epoch = 0
        optimizer.lr = self.lr_at(0)

    def step(self):
        """Advance one epoch (or step): last_epoch += 1, then optimizer.lr = lr_at(last_epoch)."""
        self.last_epoch += 1
        self.optimizer.lr = self.lr_at(self.last_epoch)

    def lr_at(self, t):
        """The learning rate at epoch t >= 0; a float for one t, an array of shape (T,) for T of them.

        A pure function of t: it changes neither the optimizer nor last_epoch.
        """
        t_arr = np.asarray(t, dtype=np.float64)
        if np.any(t_arr < 0) or not np.all(np.isfinite(t_arr)):
            raise ValueError(f"{type(self).__name__}.lr_at needs t >= 0, got {t!r}")
        lr = self._lr(t_arr)
        return float(lr) if np.ndim(lr) == 0 else lr

    def _lr(self, t):
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k != "optimizer")
        return f"{type(self).__name__}({args})"


def _positive_int(where, name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{where}: {name} must be an integer >= 1, got {value!r}")
    return int(value)


def _positive(where, name, value):
    value = float(value)
    if not value > 0:
        raise ValueError(f"{where}: {name} must be > 0, got {value}")
    return value


class StepLR(Schedule):
    """Multiply the learning rate by gamma every step_size epochs, as torch's StepLR.

        lr(t) = base_lr * gamma ^ floor(t / step_size)

    Args: optimizer (with .lr = base_lr), step_size (int >= 1), gamma=0.1 (> 0).
    """

    def __init__(self, optimizer, step_size, gamma=0.1):
        self.step_size = _positive_int("StepLR", "step_size", step_size)
        self.gamma = _positive("StepLR", "gamma", gamma)
        super().__init__(optimizer)

    def _lr(self, t):
        return self.base_lr * self.gamma ** np.floor(t / self.step_size)


class ExponentialLR(Schedule):
    """Multiply the learning rate by gamma every epoch, as torch's ExponentialLR.

        lr(t) = base_lr * gamma ^ t

    Args: optimizer (with .lr = base_lr), gamma (> 0; below 1 to decay).
    """

    def __init__(self, optimizer, gamma):
        self.gamma = _positive("ExponentialLR", "gamma", gamma)
        super().__init__(optimizer)

    def _lr(self, t):
        return self.base_lr * self.gamma**t


class CosineAnnealingLR(Schedule):
    """Half a cosine from base_lr down to eta_min over T_max epochs, as torch's CosineAnnealingLR.

        lr(t) = eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2

    lr(0) = base_lr, lr(T_max) = eta_min. Like torch (no restarts), stepping past
    T_max climbs back up along the same cosine (period 2 * T_max): take T_max =
    the number of epochs you train.

    Args: optimizer (with .lr = base_lr), T_max (int >= 1), eta_min=0.
    """

    def __init__(self, optimizer, T_max, eta_min=0.0):
        self.T_max = _positive_int("CosineAnnealingLR", "T_max", T_max)
        self.eta_min = float(eta_min)
        super().__init__(optimizer)

    def _lr(self, t):
        return self.eta_min + (self.base_lr - self.eta_min) * (
            1 + np.cos(math.pi * t / self.T_max)) / 2


class LinearWarmup(Schedule):
    """Raise the learning rate linearly from start_factor * base_lr to base_lr, then hold it.

        lr(t) = base_lr * (start_factor + (1 - start_factor) * min(t, warmup_steps) / warmup_steps)

    The same as torch.optim.lr_scheduler.LinearLR(optimizer, start_factor,
    end_factor=1.0, total_iters=warmup_steps). Small steps at first keep the
    early, noisy updates (Adam's especially) from throwing the weights far off.

    Args: optimizer (with .lr = base_lr), warmup_steps (int >= 1),
    start_factor=1/3 (torch's default; 0 < start_factor <= 1).
    """

    def __init__(self, optimizer, warmup_steps, start_factor=1.0 / 3):
        self.warmup_steps = _positive_int("LinearWarmup", "warmup_steps", warmup_steps)
        self.start_factor = float(start_factor)
        if not 0 < self.start_factor <= 1:
            raise ValueError(
                f"LinearWarmup: start_factor must be > 0 and <= 1, got {start_factor}")
        super().__init__(optimizer)

    def _lr(self, t):
        progress = np.minimum(t, self.warmup_steps) / self.warmup_steps
        return self.base_lr * (self.start_factor + (1 - self.start_factor) * progress)


__all__ = ["Schedule", "StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearWarmup"]
