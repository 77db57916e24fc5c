"""Interactive explorers: one pattern, ``SliderPlot`` (every chapter uses it).

An explorer is three plain functions and some controls:

    compute(**values) -> data       # pure: no drawing, tests call it directly
    draw(fig, data)   -> handles    # first draw: create axes and artists, return them
    update(handles, data)           # every later redraw: change the artists (set_data...)

    plot = SliderPlot({"w": FloatSlider(...), "b": FloatSlider(...)}, compute, draw, update)
    plot                            # last expression of a cell: shows controls + image

The figure is a matplotlib ``Figure`` rendered with Agg (no pyplot, no global
figure manager) into an ``ipywidgets.Image`` shown at the figure's own pixel
size. Moving a control calls compute and update, then re-renders the PNG; the
figure is never rebuilt. Artists that ``draw`` marks with
``artist.set_animated(True)`` are drawn over a cached background (blitting),
so the axes, ticks and labels that never change are not re-rendered. When
anything else changes (axis limits, say) the figure is stale and is redrawn
in full; ``update`` may also return "full" to force that. The cell's saved output carries the widget view and a
static PNG of the default view (for GitHub and nbviewer), and as text only
a fixed summary (no ids), so re-executing a notebook gives the same comparable
output every time.

Text is the slowest thing to blit (glyphs are rendered on every frame). For an
animated text with a few possible strings, ``cached_text(ax.text(...))`` keeps
the pixels of each string and pastes them afterwards.
"""

import base64
import io
import time

import ipywidgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image


class SliderPlot:
    """Controls plus a figure that redraws when a control changes.

    Args:
        controls: dict name -> ipywidgets value widget (FloatSlider, Dropdown,
            Checkbox, ...); ``compute`` receives their values as keyword arguments.
        compute: ``compute(**values) -> data``; pure, fast (aim for < 30 ms).
        draw: ``draw(fig, data) -> handles``; builds the axes and artists once.
        update: ``update(handles, data)``; updates the artists in place; returns
            "full" when static parts changed too. If None, the figure is cleared
            and ``draw`` runs again (slower; avoid).
        figsize: inches; with ``dpi`` gives the image size in pixels.
        dpi: dots per inch (100 gives 1 inch = 100 px).
        layout: "side" (controls left of the plot) or "stacked" (controls above).
        continuous_update: False for explorers whose redraw is slower than about
            50 ms, so sliders redraw on release instead of on every pixel.
    """

    def __init__(self, controls, compute, draw, update=None, figsize=(6.4, 3.6),
                 dpi=100, layout="side", continuous_update=True):
        if layout not in ("side", "stacked"):
            raise ValueError(f"layout must be 'side' or 'stacked', got {layout!r}")
        if not controls:
            raise ValueError("SliderPlot needs at least one control")
        self.controls = dict(controls)
        self.compute, self._draw, self._update = compute, draw, update
        self.fig = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self.layout = layout
        self.timings_ms = []  # compute + update + render, per redraw
        self.full_redraws = 0  # redraws that could not blit (static parts changed)
        self._background = None
        self.data = self.compute(**self.values)
        self.handles = self._draw(self.fig, self.data)
        self.png = self._render(full=True)
        self._widget = None
        for w in self.controls.values():
            if hasattr(w, "continuous_update"):
                w.continuous_update = continuous_update

    # -- state -------------------------------------------------------------
    @property
    def values(self):
        """Current control values as a dict name -> value."""
        return {name: w.value for name, w in self.controls.items()}

    @property
    def size_px(self):
        """(width, height) of the rendered image in pixels."""
        w, h = self.fig.get_size_inches() * self.fig.dpi
        return int(round(w)), int(round(h))

    def set(self, **values):
        """Set controls programmatically (as a learner would); redraws once per change."""
        for name, value in values.items():
            if name not in self.controls:
                raise KeyError(f"no control {name!r}; controls: {', '.join(self.controls)}")
            self.controls[name].value = value
        if self._widget is None:  # no observers yet: redraw by hand
            self.redraw()

    # -- drawing -------------------------------------------------------------
    def redraw(self, change=None):
        """Recompute and update the figure; returns the new PNG bytes."""
        start = time.perf_counter()
        self.data = self.compute(**self.values)
        if self._update is not None:
            full = self._update(self.handles, self.data) == "full"
        else:
            self.fig.clear()
            self.handles = self._draw(self.fig, self.data)
            full = True
        self.png = self._render(full)
        self.timings_ms.append((time.perf_counter() - start) * 1e3)
        if self._widget is not None:
            self._image.value = self.png
        return self.png

    def _render(self, full):
        """Draw (all, or only the animated artists over the cached background) and encode PNG."""
        # matplotlib marks the figure stale when a non-animated artist changes
        # (animated ones do not propagate), so a forgotten set_animated costs
        # speed, never a stale picture.
        if full or self._background is None or self.fig.stale:
            self.full_redraws += self._background is not None
            # findobj() before draw(): it creates tick objects lazily (on an axis
            # turned off, say), which would leave the figure stale after drawing.
            self._animated = sorted((a for a in self.fig.findobj() if a.get_animated()),
                                    key=lambda a: a.get_zorder())
            self.canvas.draw()  # Agg skips animated artists here
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self._animated:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        image.save(buf, format="png", compress_level=1)  # speed over size: it is redrawn often
        return buf.getvalue()

    # -- front end -----------------------------------------------------------
    @property
    def widget(self):
        """The ipywidgets container (controls and image), built on first use."""
        if self._widget is None:
            width, height = self.size_px
            self._image = ipywidgets.Image(
                value=self.png, format="png", width=width, height=height,
                layout=ipywidgets.Layout(width=f"{width}px", height=f"{height}px",
                                         min_width=f"{width}px", object_fit="contain"),
            )
            controls = ipywidgets.VBox(list(self.controls.values()),
                                       layout=ipywidgets.Layout(min_width="300px"))
            if self.layout == "stacked":
                self._widget = ipywidgets.VBox([controls, self._image])
            else:
                # Side by side where the notebook is wide enough; where it is not
                # (a laptop with JupyterLab's sidebar open) the image wraps below
                # the controls instead of being cut off.
                self._widget = ipywidgets.HBox([controls, self._image],
                                               layout=ipywidgets.Layout(flex_flow="row wrap"))
            for w in self.controls.values():
                w.observe(self.redraw, names="value")
        return self._widget

    def __repr__(self):
        # IPython adds this as text/plain next to the bundle below; it must not
        # contain ids or addresses, or re-executed notebooks would differ.
        width, height = self.size_px
        return f"SliderPlot(controls: {', '.join(self.controls)}; {width}x{height} px)"

    def _repr_mimebundle_(self, include=None, exclude=None):
        # Widget view for JupyterLab, static PNG for viewers; IPython adds
        # text/plain from __repr__ above.
        return {
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id,
            },
            "image/png": base64.b64encode(self.png).decode("ascii"),
        }


class CachedText(Text):
    """A Text that keeps the pixels of each string it has drawn with Agg.

    Blitting redraws every animated artist on every frame, and rendering glyphs
    is the slow part (~0.15 ms a character). For a text with few states (the
    stepper has a dozen) each (string, colour, position) is rendered once onto
    a transparent canvas and afterwards pasted as an image (the same pixels,
    to within 1/255). Other renderers (PDF, SVG) draw it as ordinary text.
    Use it only for texts with a bounded number of strings: it keeps them all.
    """

    def draw(self, renderer):
        from matplotlib.backends.backend_agg import RendererAgg

        if type(renderer) is not RendererAgg or not self.get_visible() or not self.get_text():
            return super().draw(renderer)
        pos = self.get_transform().transform(self.get_unitless_position())
        key = (self.get_text(), to_rgba(self.get_color(), self.get_alpha()),
               round(float(pos[0]), 4), round(float(pos[1]), 4),
               renderer.width, renderer.height, renderer.dpi)
        cache = self.__dict__.setdefault("_sprites", {})
        if key not in cache:
            off = RendererAgg(renderer.width, renderer.height, renderer.dpi)
            super().draw(off)
            rgba = np.asarray(off.buffer_rgba())
            rows, cols = np.nonzero(rgba[:, :, 3].any(axis=1))[0], np.nonzero(rgba[:, :, 3].any(axis=0))[0]
            cache[key] = None if not len(rows) else (
                int(cols[0]), int(renderer.height - rows[-1] - 1),
                rgba[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1][::-1].copy())
        if cache[key] is not None:
            x, y, image = cache[key]
            gc = renderer.new_gc()
            renderer.draw_image(gc, x, y, image)
            gc.restore()
        self.stale = False


def cached_text(text):
    """Make a Text drawn by ``fig.text`` / ``ax.text`` a CachedText (same artist, same state)."""
    text.__class__ = CachedText
    return text
