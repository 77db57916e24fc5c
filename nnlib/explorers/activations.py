"""Chapter 02 explorers: activation functions, saturation, dying ReLU, softmax temperature.

Four explorers, each in the course's pattern (see ``nnlib.widgets``):

    gallery_*     every activation with its derivative; the saturated region shaded
    saturation_*  a Gaussian batch of inputs, scaled, through sigmoid, tanh and ReLU
    dying_*       a layer of 64 ReLU units on the real digits, with a shared bias
    softmax_*     softmax(z / T) of fixed logits z at temperature T, and its entropy

For each, ``*_compute(...)`` is a pure function returning a dict of arrays
(tests and learners call it), ``*_draw(fig, data)`` builds the figure once,
``*_update(handles, data)`` changes the artists in place, and
``*_explorer(...)`` returns the ``SliderPlot``. Everything random is seeded.

Each explorer lives in its own module (activations_gallery.py,
activations_saturation.py, activations_dying.py, activations_softmax.py); this
module gathers their names, so ``from nnlib.explorers.activations import
gallery_explorer`` works as it always has.
"""

from nnlib.explorers.activations_gallery import (  # noqa: F401
    NAMES, LABELS, FORMULAS, RANGES, Z_RANGE, SATURATION_THRESHOLD, gallery_compute, ALPHA_MAX,
    gallery_ylim, gallery_draw, gallery_update, gallery_explorer,
)
from nnlib.explorers.activations_saturation import (  # noqa: F401
    SAT_NAMES, N_BINS, OUT_EDGES, GRAD_EDGES, GRAD_MAX, saturation_compute, saturation_draw,
    saturation_update, saturation_explorer,
)
from nnlib.explorers.activations_dying import (  # noqa: F401
    BIAS_GRID, dying_compute, dying_draw, dying_update, dying_explorer,
)
from nnlib.explorers.activations_softmax import (  # noqa: F401
    CLASSES, LOGITS, softmax_compute, softmax_draw, softmax_update, softmax_explorer,
)
