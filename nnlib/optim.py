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

The code is split by family: optim_base.py (the Optimizer base class), this file
(SGD), optim_adaptive.py (Adagrad, Adadelta, RMSprop), optim_adam.py (Adam, AdamW,
NAdam); every name is available from nnlib.optim.
"""

from nnlib.clipping import clip_grad_norm, clip_grad_value  # noqa: F401  (public here too)
from nnlib.optim_adam import Adam, AdamW, NAdam  # noqa: F401
from nnlib.optim_adaptive import Adadelta, Adagrad, RMSprop  # noqa: F401
from nnlib.optim_base import Optimizer, _check_range  # noqa: F401  (Optimizer: the base class)
from nnlib.schedules import CosineAnnealingLR, ExponentialLR, LinearWarmup, StepLR  # noqa: F401
from nnlib.validation import lookup


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


_OPTIMIZERS = {"sgd": SGD, "adagrad": Adagrad, "adadelta": Adadelta, "rmsprop": RMSprop,
               "adam": Adam, "adamw": AdamW, "nadam": NAdam}


def get(name):
    """Optimizer class by name ("sgd", "adam", ...): get("adam")(lr=0.01)."""
    return lookup(_OPTIMIZERS, name, "optimizer")


__all__ = ["Optimizer", "SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW", "NAdam",
           "clip_grad_norm", "clip_grad_value", "get",
           "StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearWarmup"]
