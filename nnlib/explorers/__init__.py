"""The chapters' explorers, one module per chapter, each built on ``nnlib.widgets.SliderPlot``.

Every explorer module keeps its parts apart so that tests and curious learners
can call them directly:

    compute(...) -> data        pure numpy, no drawing
    draw(fig, data) -> handles  the first drawing
    update(handles, data)       later redraws (artists updated in place)
    xxx_explorer(...)           builds the SliderPlot with its controls
"""
