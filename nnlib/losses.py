"""Loss functions and their gradients (chapter 03 explains them).

Shared interface: every loss is an object ``loss`` with

    loss(y_pred, y_true) -> float           the mean over the batch
    loss.grad(y_pred, y_true) -> dy_pred    d(that mean) / d(y_pred), shape of y_pred
    loss.name

``n`` below is the number of entries the mean runs over: all elements of y_pred
for the elementwise losses (PyTorch's reduction="mean"), the N rows for the
class losses. The gradient includes the 1/n, so ``model.backward(loss.grad(...))``
is the gradient of exactly the number that was printed.

Shapes: elementwise losses take y_pred and y_true of the same shape, any shape
((N,), (N, 1), (N, D)); a mismatch is an error, never a broadcast ((N, 1) minus
(N,) would silently give (N, N)). Class losses take y_pred (N, C) and either
one-hot y_true (N, C) or integer labels (N,) in [0, C).

Numbers: computed in float64, returned as a Python float; the gradient is
float32 when y_pred is. Where PyTorch has the loss, nnlib gives the same value
and gradient, including the subgradient at a kink (torch's sign(0) = 0).

The base class and shared checks are in losses_base.py, the regression losses in
losses_regression.py, the classification losses in losses_classification.py;
this module gathers them (``from nnlib.losses import mse`` works as always) and
keeps the registry ``LOSSES`` and ``get``.
"""

from nnlib.losses_base import (  # noqa: F401
    P_CLIP, Loss, check_range, check_2d, check_labels,
)
from nnlib.losses_classification import (  # noqa: F401
    BinaryCrossEntropy, BCEWithLogits, CategoricalLoss, CategoricalCrossEntropy,
    SparseCategoricalCrossEntropy, SoftmaxCrossEntropy, Hinge, SquaredHinge, CategoricalHinge,
    binary_cross_entropy, bce_with_logits, categorical_cross_entropy,
    sparse_categorical_cross_entropy, softmax_cross_entropy, hinge, squared_hinge,
    categorical_hinge,
)
from nnlib.losses_regression import (  # noqa: F401
    MAPE_EPS, MSE, MAE, Huber, MSLE, MAPE, mse, mae, huber, msle, mape,
)
from nnlib.validation import lookup

LOSSES = {
    f.name: f
    for f in (mse, mae, huber, msle, mape, binary_cross_entropy, bce_with_logits,
              categorical_cross_entropy, sparse_categorical_cross_entropy,
              softmax_cross_entropy, hinge, squared_hinge, categorical_hinge)
}


def get(name):
    """Return the loss called ``name`` (case-insensitive), e.g. get("MSE").

    A loss object is returned unchanged (so ``get(Huber(delta=0.5))`` works).
    An unknown name raises ValueError listing the valid ones.
    """
    return lookup(LOSSES, name, "loss")
