"""Optimizers: gradient descent and its descendants (chapter 04 explains them).

Shared interface: every optimizer has

    opt.step(params, grads)   params, grads: dicts name -> float ndarray, same keys
                              and shapes ({"0.W": W (D_in, D_out), "0.b": b (D_out,)}
                              from Sequential, or a plain {"w": w}); updates every
                              params array IN PLACE
    opt.lr                    the learning rate (eta in the notebook); schedules change it
    opt.state                 name -> {"step": t, buffers with the param's shape};
                              buffer names as in torch ("exp_avg", "momentum_buffer", ...)
    opt.reset()               forget all state (start again from step 0)

Every update rule, default and argument check is that of torch.optim 2.x (the
single-tensor code path), so the numbers agree with PyTorch to rounding error
(tests/test_parity_torch_optim.py). In the formulas, g is the gradient of the
loss with respect to w, t the step number (1, 2, ...), and every operation is
elementwise. Computations stay in the param's dtype (float32 stays float32).
"""

import math
from collections.abc import Mapping

import numpy as np

from nnlib.clipping import clip_grad_norm, clip_grad_value  # noqa: F401  (public here too)
from nnlib.schedules import CosineAnnealingLR, ExponentialLR, LinearWarmup, StepLR
from nnlib.validation import lookup


def _check_range(where, name, value, low=0.0, high=math.inf, high_open=False):
    value = float(value)
    if not (low <= value and (value < high if high_open else value <= high)):
        upper = f" and < {high:g}" if high_open else (f" and <= {high:g}" if high < math.inf else "")
        raise ValueError(f"{where}: {name} must be >= {low:g}{upper}, got {value}")
    return value


def _check_betas(where, betas):
    b1, b2 = betas
    return (_check_range(where, "betas[0]", b1, high=1.0, high_open=True),
            _check_range(where, "betas[1]", b2, high=1.0, high_open=True))


def _buffer(state, key, w, fill=0.0):
    # Buffers are created on first use, with the param's shape and dtype.
    if key not in state:
        state[key] = np.full_like(w, fill)
    return state[key]


class Optimizer:
    """Base class: input checks, per-name state and the loop over parameters.

    A subclass sets its hyperparameters and defines ``_update(w, g, state, lr)``,
    which changes ``w`` in place; ``state["step"]`` is already t for this step.
    """

    def __init__(self, lr):
        self.lr = _check_range(type(self).__name__, "lr", lr)
        self.state = {}

    def reset(self):
        """Forget every buffer and step count."""
        self.state.clear()

    def step(self, params, grads):
        """One update of every array in ``params`` (in place) from ``grads``.

        Args:
            params: dict name -> float ndarray of any shape, e.g. W (D_in, D_out).
            grads: dict with the same keys; grads[name] has the shape of params[name].
        """
        where = f"{type(self).__name__}.step"
        pairs = self._check(params, grads, where)  # all checks before any update
        lr = float(self.lr)
        for key, w, g in pairs:
            state = self.state.setdefault(key, {"step": 0})
            state["step"] += 1
            self._update(w, g, state, lr)

    def _check(self, params, grads, where):
        for what, d in (("params", params), ("grads", grads)):
            if not isinstance(d, Mapping):
                raise TypeError(f"{where}: {what} must be a dict name -> array, "
                                f"e.g. {{'w': w}}; got {type(d).__name__}")
        extra = sorted(set(grads) - set(params))
        if extra:
            raise ValueError(f"{where}: grads has keys with no parameter: {extra}")
        pairs = []
        for key, w in params.items():
            if not (isinstance(w, np.ndarray) and w.dtype.kind == "f" and w.ndim > 0):
                got = (f"a {w.ndim}-D {w.dtype} array" if isinstance(w, np.ndarray)
                       else type(w).__name__)
                raise TypeError(
                    f"{where}: parameter {key!r} must be a float ndarray with at least one "
                    f"dimension (it is updated in place), got {got}; "
                    f"use e.g. w = np.array([2.0])")
            if key not in grads:
                raise ValueError(f"{where}: no gradient for parameter {key!r} "
                                 f"(grads has keys {sorted(grads)})")
            g = np.asarray(grads[key])
            if g.shape != w.shape:
                raise ValueError(f"{where}: gradient for {key!r} has shape {g.shape}, "
                                 f"but the parameter has shape {w.shape}")
            old = [b.shape for b in self.state.get(key, {}).values() if isinstance(b, np.ndarray)]
            if old and old[0] != w.shape:
                raise ValueError(f"{where}: the state of {key!r} was built for shape {old[0]}, "
                                 f"the parameter now has shape {w.shape}; call opt.reset()")
            pairs.append((key, w, g.astype(w.dtype, copy=False)))
        return pairs

    def _update(self, w, g, state, lr):
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k != "state")
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum and Nesterov, as torch.optim.SGD.

        g = g + weight_decay * w                  (L2 penalty, if weight_decay != 0)
        if momentum != 0:
            v = g                                   at t = 1
            v = momentum * v + (1 - dampening) * g  at t > 1
            g = g + momentum * v   if nesterov, else   g = v
        w = w - lr * g

    Defaults: lr=1e-3, momentum=0, dampening=0, nesterov=False, weight_decay=0.
    nesterov needs momentum > 0 and dampening = 0. State: "momentum_buffer" (v).

    Two forms of momentum (chapter 04 shows both). This is the classical form
    (torch's, with dampening = 0): v = momentum * v + g, w = w - lr * v. The EMA
    form of many lecture notes, V = beta * V + (1 - beta) * g, w = w - eta * V,
    gives the same path for momentum = beta and eta = lr / (1 - beta), because
    V = (1 - beta) * v at every step: the EMA form's learning rate is the
    classical one rescaled by 1 / (1 - beta). (dampening = beta is the EMA form
    except at t = 1, where torch takes v = g.)
    """

    def __init__(self, lr=1e-3, momentum=0.0, dampening=0.0, nesterov=False,
                 weight_decay=0.0):
        super().__init__(lr)
        self.momentum = _check_range("SGD", "momentum", momentum)
        self.dampening = float(dampening)
        self.weight_decay = _check_range("SGD", "weight_decay", weight_decay)
        if nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("SGD: nesterov=True needs momentum > 0 and dampening = 0, "
                             f"got momentum={self.momentum}, dampening={self.dampening}")
        self.nesterov = bool(nesterov)

    def _update(self, w, g, state, lr):
        if self.weight_decay != 0:
            g = g + self.weight_decay * w
        if self.momentum != 0:
            v = state.get("momentum_buffer")
            if v is None:
                v = state["momentum_buffer"] = g.copy()
            else:
                v *= self.momentum
                v += (1 - self.dampening) * g
            g = g + self.momentum * v if self.nesterov else v
        w -= lr * g


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


_OPTIMIZERS = {"sgd": SGD, "adagrad": Adagrad, "adadelta": Adadelta, "rmsprop": RMSprop,
               "adam": Adam, "adamw": AdamW, "nadam": NAdam}


def get(name):
    """Optimizer class by name ("sgd", "adam", ...): get("adam")(lr=0.01)."""
    return lookup(_OPTIMIZERS, name, "optimizer")


__all__ = ["Optimizer", "SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW", "NAdam",
           "clip_grad_norm", "clip_grad_value", "get",
           "StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearWarmup"]
