"""Optimizers with a step size per weight from past squared gradients (chapter 04):
Adagrad, Adadelta, RMSprop, with torch.optim's update rules and defaults.
Import them from nnlib.optim.
"""

import numpy as np

from nnlib.optim_base import Optimizer, _buffer, _check_range


class Adagrad(Optimizer):
    """Adagrad: per-weight step sizes from the sum of all squared gradients, as torch.optim.Adagrad.

        g = g + weight_decay * w                (if weight_decay != 0)
        clr = lr / (1 + (t - 1) * lr_decay)
        s = s + g * g                           (s starts at initial_accumulator_value)
        w = w - clr * g / (sqrt(s) + eps)

    Defaults: lr=0.01, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
    eps=1e-10. State: "sum" (s). s only grows, so steps only shrink.
    """

    def __init__(self, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
                 initial_accumulator_value=0.0, eps=1e-10):
        super().__init__(lr)
        self.lr_decay = _check_range("Adagrad", "lr_decay", lr_decay)
        self.weight_decay = _check_range("Adagrad", "weight_decay", weight_decay)
        self.initial_accumulator_value = _check_range(
            "Adagrad", "initial_accumulator_value", initial_accumulator_value)
        self.eps = _check_range("Adagrad", "eps", eps)

    def _update(self, w, g, state, lr):
        if self.weight_decay != 0:
            g = g + self.weight_decay * w
        clr = lr / (1 + (state["step"] - 1) * self.lr_decay)
        s = _buffer(state, "sum", w, self.initial_accumulator_value)
        s += g * g
        w -= clr * (g / (np.sqrt(s) + self.eps))


class Adadelta(Optimizer):
    """Adadelta: step sizes from running averages of g^2 and of past steps, as torch.optim.Adadelta.

        g = g + weight_decay * w                (if weight_decay != 0)
        v = rho * v + (1 - rho) * g * g
        delta = sqrt(u + eps) / sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta * delta
        w = w - lr * delta

    Defaults: lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.
    State: "square_avg" (v), "acc_delta" (u).
    """

    def __init__(self, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        super().__init__(lr)
        self.rho = _check_range("Adadelta", "rho", rho, high=1.0)
        self.eps = _check_range("Adadelta", "eps", eps)
        self.weight_decay = _check_range("Adadelta", "weight_decay", weight_decay)

    def _update(self, w, g, state, lr):
        if self.weight_decay != 0:
            g = g + self.weight_decay * w
        rho, eps = self.rho, self.eps
        v, u = _buffer(state, "square_avg", w), _buffer(state, "acc_delta", w)
        v *= rho
        v += (1 - rho) * g * g
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u *= rho
        u += (1 - rho) * delta * delta
        w -= lr * delta


class RMSprop(Optimizer):
    """RMSprop: divide by a running root mean square of the gradient, as torch.optim.RMSprop.

        g = g + weight_decay * w                (if weight_decay != 0)
        v = alpha * v + (1 - alpha) * g * g
        if centered:  a = alpha * a + (1 - alpha) * g;  d = sqrt(v - a * a) + eps
        else:                                           d = sqrt(v) + eps
        if momentum > 0:  b = momentum * b + g / d;  w = w - lr * b
        else:                                        w = w - lr * g / d

    Defaults: lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
    centered=False. eps is added outside the square root. State: "square_avg"
    (v), "grad_avg" (a, if centered), "momentum_buffer" (b, if momentum > 0).
    """

    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False):
        super().__init__(lr)
        self.alpha = _check_range("RMSprop", "alpha", alpha)
        self.eps = _check_range("RMSprop", "eps", eps)
        self.weight_decay = _check_range("RMSprop", "weight_decay", weight_decay)
        self.momentum = _check_range("RMSprop", "momentum", momentum)
        self.centered = bool(centered)

    def _update(self, w, g, state, lr):
        if self.weight_decay != 0:
            g = g + self.weight_decay * w
        alpha = self.alpha
        v = _buffer(state, "square_avg", w)
        v *= alpha
        v += (1 - alpha) * g * g
        if self.centered:
            a = _buffer(state, "grad_avg", w)
            a += (1 - alpha) * (g - a)  # = alpha * a + (1 - alpha) * g, as torch's lerp
            d = np.sqrt(v - a * a) + self.eps
        else:
            d = np.sqrt(v) + self.eps
        if self.momentum > 0:
            b = _buffer(state, "momentum_buffer", w)
            b *= self.momentum
            b += g / d
            w -= lr * b
        else:
            w -= lr * (g / d)
