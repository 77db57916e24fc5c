"""Chapter 03 explorers: losses, a forward/backward stepper, and a training playground.

Three explorers, each in the course's pattern (see ``nnlib.widgets``):

    loss_*        one loss for one sample: the loss and its gradient as the
                  prediction moves; beside it a line fitted under MSE, MAE and
                  Huber, with and without outliers
    stepper_*     the 3-4-1 house-price network, one operation at a time: the
                  forward pass, then the backward pass, on a drawn graph
    playground_*  a small classifier trained on a 2-D data set, in the spirit of
                  the TensorFlow Playground: decision boundary and loss curve

For each, the ``*_compute`` functions (or ``Playground.compute``) are plain
numpy that tests and learners call; ``*_draw(fig, data)`` builds the figure once
and ``*_update(handles, data)`` changes its artists in place; ``*_explorer(...)``
returns the ``SliderPlot``. Everything random is seeded.

Each explorer lives in its own module (backprop_losses.py for the loss explorer,
backprop_stepper.py for the forward/backward stepper, backprop_playground.py for
the playground); this module gathers their names, so
``from nnlib.explorers.backprop import loss_explorer`` works as it always has.
"""

from nnlib.explorers.backprop_losses import (  # noqa: F401
    LOSS_NAMES, KINDS, LOSS_KIND, LOSS_FORMULAS, N_CURVE, one_sample, loss_and_slope,
    loss_curves, loss_limits, loss_compute, line_fits, FIT_COLORS, loss_draw, loss_update,
    loss_explorer,
)
from nnlib.explorers.backprop_stepper import (  # noqa: F401
    HOUSE_INPUTS, house_data, example_params, forward_backward_trace, stepper_graph,
    GRAD_LABELS, GRAD_STEP, MAX_CELLS, stepper_compute, stepper_draw, stepper_update,
    TABLE_FONT, CELL, ROW_H, FEATURE_LABELS, DISPLAY_NAMES, stepper_explorer,
)
from nnlib.explorers.backprop_playground import (  # noqa: F401
    PLAYGROUND_SETS, PLAYGROUND_NOISE, PLAYGROUND_ACTIVATIONS, LEARNING_RATES, EPOCH_STEP,
    MAX_EPOCHS, playground_data, build_classifier, Playground, boundary_lines,
    playground_draw, playground_update, playground_explorer,
)
