"""Adam and its relatives (chapter 04): Adam, AdamW (decoupled weight decay) and NAdam,
with torch.optim's update rules and defaults. Import them from nnlib.optim.
"""

import math

import numpy as np

from nnlib.optim_base import Optimizer, _buffer, _check_betas, _check_range


def _decay(opt, w, g, lr):
    # Adam and NAdam: L2 penalty in the gradient, or decoupled (AdamW) shrinking of w.
    if opt.weight_decay == 0:
        return g
    if opt.decoupled_weight_decay:
        w *= 1 - lr * opt.weight_decay
        return g
    return g + opt.weight_decay * w


def _moments(opt, w, g, state):
    b1, b2 = opt.betas
    m, v = _buffer(state, "exp_avg", w), _buffer(state, "exp_avg_sq", w)
    m *= b1
    m += (1 - b1) * g
    v *= b2
    v += (1 - b2) * g * g
    return m, v


class Adam(Optimizer):
    """Adam: momentum on g plus RMSprop on g^2, with bias correction, as torch.optim.Adam.

        g = g + weight_decay * w                  (L2, if weight_decay != 0)
          or  w = w - lr * weight_decay * w       (if decoupled_weight_decay: AdamW)
        m = beta1 * m + (1 - beta1) * g           (first moment)
        v = beta2 * v + (1 - beta2) * g * g       (second moment)
        v_max = max(v_max, v); use v_max for v    (if amsgrad)
        m_hat = m / (1 - beta1^t),  v_hat = v / (1 - beta2^t)   (bias correction)
        w = w - lr * m_hat / (sqrt(v_hat) + eps)

    Defaults: lr=1e-3, betas=(beta1, beta2)=(0.9, 0.999), eps=1e-8,
    weight_decay=0, amsgrad=False, decoupled_weight_decay=False.
    State: "exp_avg" (m), "exp_avg_sq" (v), "max_exp_avg_sq" (v_max, if amsgrad).
    At t = 1, m_hat = g and v_hat = g^2: the first step is about lr * sign(g).
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False, decoupled_weight_decay=False):
        name = type(self).__name__
        super().__init__(lr)
        self.betas = _check_betas(name, betas)
        self.eps = _check_range(name, "eps", eps)
        self.weight_decay = _check_range(name, "weight_decay", weight_decay)
        self.amsgrad = bool(amsgrad)
        self.decoupled_weight_decay = bool(decoupled_weight_decay)

    def _update(self, w, g, state, lr):
        g = _decay(self, w, g, lr)
        m, v = _moments(self, w, g, state)
        b1, b2 = self.betas
        t = state["step"]
        if self.amsgrad:
            v_max = _buffer(state, "max_exp_avg_sq", w)
            np.maximum(v_max, v, out=v_max)
            v = v_max
        denom = np.sqrt(v) / math.sqrt(1 - b2**t) + self.eps
        w -= lr / (1 - b1**t) * (m / denom)


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay, as torch.optim.AdamW.

        w = w - lr * weight_decay * w             (shrink w directly, not through g)
        then the Adam update of w with the plain gradient g (see Adam)

    Defaults: lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False.
    Same as Adam(..., decoupled_weight_decay=True). With L2 inside Adam the
    penalty is divided by sqrt(v_hat) too; decoupled, every weight decays alike.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False):
        super().__init__(lr, betas, eps, weight_decay, amsgrad, decoupled_weight_decay=True)


class NAdam(Optimizer):
    """NAdam: Adam with Nesterov momentum and a momentum warm-up, as torch.optim.NAdam.

        g = g + weight_decay * w                  (L2, if weight_decay != 0)
          or  w = w - lr * weight_decay * w       (if decoupled_weight_decay)
        mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))     (and mu_{t+1})
        mu_product = mu_1 * mu_2 * ... * mu_t
        m = beta1 * m + (1 - beta1) * g,   v = beta2 * v + (1 - beta2) * g * g
        d = sqrt(v / (1 - beta2^t)) + eps
        w = w - lr * (1 - mu_t) / (1 - mu_product) * g / d
              - lr * mu_{t+1} / (1 - mu_product * mu_{t+1}) * m / d

    Defaults: lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
    momentum_decay=4e-3, decoupled_weight_decay=False.
    State: "exp_avg" (m), "exp_avg_sq" (v), "mu_product" (a float).
    """

    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 momentum_decay=4e-3, decoupled_weight_decay=False):
        super().__init__(lr)
        self.betas = _check_betas("NAdam", betas)
        self.eps = _check_range("NAdam", "eps", eps)
        self.weight_decay = _check_range("NAdam", "weight_decay", weight_decay)
        self.momentum_decay = _check_range("NAdam", "momentum_decay", momentum_decay)
        self.decoupled_weight_decay = bool(decoupled_weight_decay)

    def _update(self, w, g, state, lr):
        b1, b2 = self.betas
        t = state["step"]
        g = _decay(self, w, g, lr)
        mu = b1 * (1.0 - 0.5 * 0.96 ** (t * self.momentum_decay))
        mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * self.momentum_decay))
        state["mu_product"] = state.get("mu_product", 1.0) * mu
        mu_product = state["mu_product"]
        m, v = _moments(self, w, g, state)
        d = np.sqrt(v / (1 - b2**t)) + self.eps
        w -= lr * (1.0 - mu) / (1.0 - mu_product) * (g / d)
        w -= lr * mu_next / (1.0 - mu_product * mu_next) * (m / d)
