"""Chapter 01 explorers: the McCulloch-Pitts neuron, perceptron training, the sigmoid neuron.

Each explorer is ``compute`` (pure numpy, tested) + ``draw`` / ``update`` (matplotlib,
changing artists animated so that a redraw only repaints them) + a factory that
builds the ``SliderPlot``:

    mp_explorer(gate="AND", threshold=2)
    perceptron_explorer(dataset="AND gate", lr=1.0, mode="sample by sample", step=0)
    sigmoid_explorer(w1=1.0, w2=1.0, b=0.0)

Redraws blit: only the artists that change are repainted over a cached background.
A new data set or a run of another length in the perceptron explorer changes its
axes and redraws the whole figure (so its learning-rate slider redraws on release).

Colours as in ``nnlib.viz``: class 0 blue (C0), class 1 red (C3).

Each explorer lives in its own module (neurons_mp.py, neurons_perceptron.py,
neurons_sigmoid.py, with the shared drawing helpers in neurons_common.py); this
module gathers their names, so ``from nnlib.explorers.neurons import mp_explorer``
works as it always has.
"""

from nnlib.explorers.neurons_common import (  # noqa: F401
    CLASS_COLORS, RIGHT, WRONG, MISS, line_in_box, grid_points, class_legend,
)
from nnlib.explorers.neurons_mp import (  # noqa: F401
    GATES, MP_LIM, mp_compute, mp_draw, mp_update, mp_explorer,
)
from nnlib.explorers.neurons_perceptron import (  # noqa: F401
    MODES, GRID, MAX_EPOCHS, W0, B0, DATASETS, perceptron_trajectory, n_positions,
    perceptron_compute, perceptron_draw, perceptron_update, perceptron_explorer,
)
from nnlib.explorers.neurons_sigmoid import (  # noqa: F401
    SIG_LIM, SIG_GRID, T_RANGE, sigmoid_data, sigmoid_compute, sigmoid_draw, sigmoid_update,
    sigmoid_explorer,
)
