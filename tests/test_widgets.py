"""SliderPlot: compute and draw without a front end, artists updated in place, PNG fallback."""

import base64

import ipywidgets
import numpy as np
import pytest

from nnlib.widgets import SliderPlot

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def sigmoid_explorer(update=True, calls=None):
    calls = calls if calls is not None else []

    def compute(w, b):
        z = np.linspace(-5, 5, 50)
        return z, 1 / (1 + np.exp(-(w * z + b)))

    def draw(fig, data):
        calls.append("draw")
        ax = fig.add_subplot()
        (line,) = ax.plot(*data)
        return {"ax": ax, "line": line}

    def upd(handles, data):
        calls.append("update")
        handles["line"].set_data(*data)

    controls = {"w": ipywidgets.FloatSlider(value=1.0, min=-3, max=3),
                "b": ipywidgets.FloatSlider(value=0.0, min=-3, max=3)}
    return SliderPlot(controls, compute, draw, upd if update else None, figsize=(4, 3), dpi=80)


def test_compute_and_draw_work_without_a_front_end():
    plot = sigmoid_explorer()
    assert plot.png.startswith(PNG_MAGIC)
    assert plot.size_px == (320, 240)
    z, y = plot.data
    assert y[25] == pytest.approx(1 / (1 + np.exp(-z[25])))


def test_redraw_updates_artists_instead_of_rebuilding():
    calls = []
    plot = sigmoid_explorer(calls=calls)
    ax, line = plot.handles["ax"], plot.handles["line"]
    before = plot.png
    plot.set(w=3.0)
    assert calls == ["draw", "update"]
    assert plot.handles["ax"] is ax and plot.fig.axes == [ax] and list(ax.lines) == [line]
    np.testing.assert_allclose(line.get_ydata(), plot.data[1])
    assert plot.png != before
    assert len(plot.timings_ms) == 1


def test_without_update_the_figure_is_redrawn_from_scratch():
    calls = []
    plot = sigmoid_explorer(update=False, calls=calls)
    plot.set(b=1.0)
    assert calls == ["draw", "draw"] and len(plot.fig.axes) == 1


def test_controls_drive_redraws_once_the_widget_exists():
    plot = sigmoid_explorer()
    image = plot.widget.children[1]
    assert isinstance(image, ipywidgets.Image)
    assert image.layout.width == "320px" and image.layout.height == "240px"
    assert plot.widget.layout.flex_flow == "row wrap"  # wraps instead of being cut off
    plot.controls["w"].value = -2.0
    assert image.value == plot.png and len(plot.timings_ms) == 1


def test_output_has_widget_view_and_static_png_but_no_text():
    bundle = sigmoid_explorer()._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.jupyter.widget-view+json", "image/png"}
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)


def test_text_repr_is_deterministic():
    assert repr(sigmoid_explorer()) == "SliderPlot(controls: w, b; 320x240 px)"


def test_unknown_control_and_bad_layout():
    with pytest.raises(KeyError, match="no control 'x'; controls: w, b"):
        sigmoid_explorer().set(x=1)
    with pytest.raises(ValueError, match="layout must be"):
        SliderPlot({"a": ipywidgets.FloatSlider()}, lambda a: a, lambda f, d: None, layout="grid")


def test_continuous_update_can_be_switched_off():
    controls = {"a": ipywidgets.FloatSlider()}
    SliderPlot(controls, lambda a: a, lambda f, d: None, continuous_update=False)
    assert controls["a"].continuous_update is False


def test_blitting_redraws_only_animated_artists_and_stays_correct():
    """Animated artists are drawn over a cached background; the result equals a full render."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    def compute(w):
        z = np.linspace(-5, 5, 50)
        return z, np.tanh(w * z)

    def draw(fig, data):
        ax = fig.add_subplot()
        (line,) = ax.plot(*data)
        line.set_animated(True)
        ax.set_ylim(-1.1, 1.1)
        return {"line": line, "ax": ax}

    def update(h, data):
        h["line"].set_data(*data)

    plot = SliderPlot({"w": ipywidgets.FloatSlider(value=1.0, min=-3, max=3)}, compute, draw, update,
                      figsize=(4, 3), dpi=80)
    background = plot._background
    plot.set(w=2.5)
    assert plot._background is background and plot.full_redraws == 0  # blitted
    fresh = Figure(figsize=(4, 3), dpi=80)
    FigureCanvasAgg(fresh)
    h = draw(fresh, compute(2.5))
    h["line"].set_animated(False)
    buf = io.BytesIO()
    fresh.savefig(buf, format="png")
    a = np.asarray(Image.open(io.BytesIO(plot.png)).convert("RGBA"))
    b = np.asarray(Image.open(buf).convert("RGBA"))
    assert a.shape == b.shape and np.abs(a.astype(int) - b.astype(int)).max() == 0
    h_limits = plot.handles["ax"]
    h_limits.set_ylim(-2, 2)  # a static change: the next redraw must be a full one
    plot.set(w=1.0)
    assert plot._background is not background and plot.full_redraws == 1


def test_an_axis_turned_off_does_not_defeat_blitting():
    def draw(fig, data):
        ax = fig.add_subplot()
        ax.axis("off")
        text = ax.text(0.5, 0.5, str(data), animated=True)
        return {"text": text}

    def update(h, data):
        h["text"].set_text(str(data))

    plot = SliderPlot({"a": ipywidgets.IntSlider(value=1)}, lambda a: a, draw, update)
    background = plot._background
    plot.set(a=5)
    assert plot._background is background and not plot.fig.stale


def test_the_start_explorer_blits_every_slider_move():
    from nnlib.explorers.start import neuron_explorer

    plot = neuron_explorer()
    for w in (-2.0, 0.0, 0.5, 3.0):
        plot.set(w=w)
    plot.set(b=1.0, x=-2.0)
    assert plot.full_redraws == 0


def test_cached_text_draws_the_same_pixels_as_ordinary_text():
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    from nnlib.widgets import CachedText, cached_text

    def render(cached):
        fig = Figure(figsize=(3, 1), dpi=80)
        FigureCanvasAgg(fig)
        t = fig.text(0.1, 0.5, "dW1 = X^T dZ1  (3, 4)", fontsize=11, color="C3")
        if cached:
            assert isinstance(cached_text(t), CachedText)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        fig.savefig(io.BytesIO(), format="png")  # second draw: from the cache
        return np.asarray(Image.open(buf).convert("RGBA")).astype(int), t

    plain, _ = render(False)
    cached, t = render(True)
    assert np.abs(plain - cached).max() <= 1 and len(t._sprites) == 1
