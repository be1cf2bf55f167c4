"""Plots of muscle activation over the gait cycle, linked to the playback (pyqtgraph).

- ``ActivationHeatmap``: every muscle of one leg (rows, grouped by muscle group) against the
  percent of the cycle, coloured with the 3-D view's activation colour map.
- ``ActivationCurves``: the activation curves of chosen muscles or of one group, with the
  leg's stance shaded and each curve's provenance in the legend.

Both draw the current position as a vertical line that moves without redrawing the data, and
both turn a click or a drag into ``seekRequested(percent)``. Colours follow the palette
(dark-grey by design, light supported).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.app.model import AppModel
from anatomy_viewer.gait.cycle import GaitCycle, Provenance
from anatomy_viewer.gait.navigation import stance_intervals
from anatomy_viewer.gait.sampling import activation_at
from anatomy_viewer.scene.colormaps import DEFAULT_COLORMAP
from anatomy_viewer.ui.theme import (
    PROVENANCE_TEXT,
    Theme,
    activation_colormap,
    is_dark,
    mix,
    theme_for,
)
from anatomy_viewer.ui.throttle import PlayingThrottle

SIDE_NAMES = {"r": "right", "l": "left"}
# Okabe & Ito (2008) colour-blind safe qualitative palette, black left out (dark backgrounds)
# and yellow last (it vanishes on white: on a light background it is darkened).
CURVE_COLOURS = ("#e69f00", "#56b4e9", "#009e73", "#d55e00", "#0072b2", "#cc79a7", "#f0e442")
CURVE_COLOURS_EXTRA = ("#999999",)
OTHER_GROUP = ("other", "Other", "#7f7f7f")
# heatmap colour scales: key -> (menu text, colour bar label)
HEATMAP_SCALES = {
    "absolute": ("Activation 0\u20131", "activation"),
    "peak": ("Each muscle's peak", "share of the muscle's peak"),
}
EVENT_SHORT = {"initial_contact": "foot strike", "toe_off": "toe-off"}
#: Smallest height of a heatmap row (pixels); below it the heatmap scrolls.
MIN_ROW_PX = 6
#: Height of the heatmap's axes and margins around the rows (pixels).
HEATMAP_FRAME_PX = 72


def curve_label(name: str, provenance: Provenance | None) -> tuple[str, str]:
    """("Vastus lateralis (R)", "measured EMG, Rajagopal 2016 ...") for a legend row."""
    try:
        m = catalogue().muscle(name)
        who = f"{m.display_name} ({m.side.upper()})"
    except KeyError:
        who = name
    if provenance is None:
        return who, "provenance unknown"
    kind = PROVENANCE_TEXT.get(provenance.kind, provenance.kind)
    return who, f"{kind}, {provenance.source}" if provenance.source else kind


def _side_of(name: str) -> str | None:
    base, sep, side = name.rpartition("_")
    return side if sep and side in ("r", "l") else None


def _counterpart(name: str, side: str) -> str:
    base, sep, s = name.rpartition("_")
    return f"{base}_{side}" if sep and s in ("r", "l") else name


def _style_plot(plot: pg.PlotItem, theme: Theme) -> None:
    for key in ("left", "bottom"):
        ax = plot.getAxis(key)
        ax.setPen(pg.mkPen(theme.muted))
        ax.setTextPen(pg.mkPen(theme.text))
        ax.enableAutoSIPrefix(False)
    # let the labels at the ends of the axes show, with room for them on the right
    plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
    plot.getAxis("left").setStyle(hideOverlappingLabels=False)
    plot.setContentsMargins(0, 6, 12, 0)


class _ScrubViewBox(pg.ViewBox):
    """A ViewBox that does not pan or zoom: a left click or drag reports view coordinates."""

    pressed = Signal(float, float)  # x, y in view coordinates
    dragged = Signal(float, float, bool)  # x, y, finished

    def __init__(self, **kwargs) -> None:
        super().__init__(enableMenu=False, **kwargs)
        self.setMouseEnabled(False, False)

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph API)
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            p = self.mapSceneToView(ev.scenePos())
            self.pressed.emit(p.x(), p.y())
        else:
            ev.ignore()

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802 (pyqtgraph API)
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        if ev.isStart():
            p = self.mapSceneToView(ev.buttonDownScenePos())
            self.pressed.emit(p.x(), p.y())
        p = self.mapSceneToView(ev.scenePos())
        self.dragged.emit(p.x(), p.y(), ev.isFinish())

    def wheelEvent(self, ev, axis=None) -> None:  # noqa: N802 (pyqtgraph API)
        ev.ignore()


def _cursor_lines(theme: Theme) -> tuple[pg.InfiniteLine, pg.InfiniteLine]:
    """The current-position line: a thin light line on a dark halo, readable on any colour."""
    halo = pg.InfiniteLine(0.0, angle=90, movable=False, pen=pg.mkPen(theme.halo, width=4))
    line = pg.InfiniteLine(0.0, angle=90, movable=False, pen=pg.mkPen(theme.cursor, width=1.5))
    halo.setZValue(50)
    line.setZValue(51)
    return halo, line


# ------------------------------------------------------------------------------ heatmap
@dataclass(frozen=True)
class GroupBand:
    key: str
    name: str
    colour: str
    first: int  # first row
    count: int


class _GroupAxis(pg.AxisItem):
    """Left axis of the heatmap: a colour swatch and the name of each muscle group."""

    SWATCH = 5

    def __init__(self) -> None:
        super().__init__("left")
        self.groups: list[GroupBand] = []
        self.drawn: list[str] = []  # the group names drawn at the last paint
        self.text_colour = QColor("#e4e6eb")
        self.setWidth(118)

    def set_groups(self, groups: list[GroupBand]) -> None:
        self.groups = groups
        self.picture = None
        self.update()

    def paint(self, p: QPainter, opt, widget) -> None:
        view = self.linkedView()
        if view is None or not self.groups:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        rect = self.boundingRect()
        font = QFont(self.style["tickFont"] or p.font())
        fm = QFontMetricsF(font)
        p.setFont(font)
        right = rect.right() - 3
        last_bottom = -1e9
        self.drawn: list[str] = []
        for g in self.groups:
            top = self.mapFromScene(view.mapViewToScene(QPointF(0, g.first))).y()
            bottom = self.mapFromScene(view.mapViewToScene(QPointF(0, g.first + g.count))).y()
            top, bottom = min(top, bottom), max(top, bottom)
            p.fillRect(
                QRectF(right - self.SWATCH, top + 1, self.SWATCH, bottom - top - 2),
                QColor(g.colour),
            )
            label_rect = QRectF(rect.left(), top, right - self.SWATCH - 6 - rect.left(), 0)
            label_rect.setTop((top + bottom) / 2 - fm.height() / 2)
            label_rect.setHeight(fm.height())
            if label_rect.top() < last_bottom:
                continue  # no room: the swatch stays, the name would run into the last one
            last_bottom = label_rect.bottom()
            self.drawn.append(g.name)
            text = fm.elidedText(g.name, Qt.TextElideMode.ElideRight, label_rect.width())
            p.setPen(self.text_colour)
            p.drawText(
                label_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text
            )


class _EventAxis(pg.AxisItem):
    """Top axis of the heatmap: the foot events' names above their dashed lines, in the
    margin above the image so that they cover no data. A name starts at its line (ends at
    it near 100 %) so that one at 0 % is not cut in half."""

    def __init__(self) -> None:
        super().__init__("top")
        self.events: list[tuple[float, str]] = []
        self.text_colour = QColor("#e4e6eb")
        self.setHeight(16)

    def set_events(self, events: list[tuple[float, str]]) -> None:
        self.events = list(events)
        self.picture = None
        self.update()

    def paint(self, p: QPainter, opt, widget) -> None:
        view = self.linkedView()
        if view is None or not self.events:
            return
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        rect = self.boundingRect()
        font = QFont(self.style["tickFont"] or p.font())
        fm = QFontMetricsF(font)
        p.setFont(font)
        p.setPen(self.text_colour)
        for percent, name in self.events:
            x = self.mapFromScene(view.mapViewToScene(QPointF(percent, 0))).x()
            w = fm.horizontalAdvance(name) + 2
            left = x + 3 if percent < 85 else x - 3 - w
            left = min(max(left, rect.left()), rect.right() - w)
            p.drawText(
                QRectF(left, rect.top(), w, rect.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                name,
            )


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" to the width it is given, instead of
    widening the window (a long trial name in a title pushed the window off the screen).
    The full text is in the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        self._full = text
        self.setToolTip(text)
        self._elide()

    def text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = QFontMetricsF(self.font())
        shown = metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, max(self.width(), 40.0))
        super().setText(shown)


class ActivationHeatmap(QWidget):
    """Activation of every muscle of one leg over the cycle: rows = muscles, by group.

    Signals: ``seekRequested(float percent)`` on a click and continuously while dragging;
    ``muscleSelected(str)`` with the muscle of the clicked row.
    """

    seekRequested = Signal(float)
    muscleSelected = Signal(str)

    def __init__(
        self, side: str = "r", colormap_name: str = DEFAULT_COLORMAP, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("heatmap")
        self.setAccessibleName("Muscle activation heatmap")
        self._cycle: GaitCycle | None = None
        self._side = side
        self._rows: list[str] = []  # muscle names, top to bottom
        self._row_index: dict[str, int] = {}
        self._groups: list[GroupBand] = []
        self._selected: str | None = None
        self._percent = 0.0
        self._gain = 1.0
        self._scale = "absolute"
        self._hovering = False
        self._event_lines: list[pg.InfiniteLine] = []
        self._theme = theme_for(self.palette())

        # header: title, colour scale and leg switch
        self.title = ElidedLabel("Muscle activation")
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.side_control = QComboBox()
        self.side_control.setObjectName("heatmapSide")
        self.side_control.setAccessibleName("Leg shown in the heatmap")
        self.side_control.addItem("Right leg", "r")
        self.side_control.addItem("Left leg", "l")
        self.side_control.setCurrentIndex(0 if side == "r" else 1)
        self.side_control.activated.connect(
            lambda i: self.set_side(str(self.side_control.itemData(i)))
        )
        self.scale_control = QComboBox()
        self.scale_control.setObjectName("heatmapScale")
        self.scale_control.setAccessibleName("Colour scale of the heatmap")
        self.scale_control.setToolTip(
            "Activation 0\u20131: the colours of the 3-D view.\n"
            "Each muscle's peak: every row scaled to its own maximum, to compare timing."
        )
        for key, (text, _) in HEATMAP_SCALES.items():
            self.scale_control.addItem(text, key)
        self.scale_control.activated.connect(
            lambda i: self.set_scale(str(self.scale_control.itemData(i)))
        )
        header = QHBoxLayout()
        header.setContentsMargins(4, 0, 4, 0)
        header.addWidget(self.title, 1)
        header.addWidget(self.scale_control)
        header.addWidget(self.side_control)

        # plot
        self.view = pg.GraphicsLayoutWidget()
        self.view.setObjectName("heatmapView")
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.view.ci.setContentsMargins(2, 4, 2, 2)
        self.viewbox = _ScrubViewBox(invertY=True)
        self.axis = _GroupAxis()
        self.event_axis = _EventAxis()
        self.plot = self.view.addPlot(
            row=0,
            col=0,
            viewBox=self.viewbox,
            axisItems={"left": self.axis, "top": self.event_axis},
        )
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.getAxis("bottom").setTicks([[(v, str(v)) for v in range(0, 101, 10)]])
        self.plot.setLabel("bottom", "% of gait cycle")
        self.plot.showAxis("top")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(activation_colormap(colormap_name))
        self.plot.addItem(self.image)
        self.separators = pg.PlotCurveItem(connect="pairs")
        self.separators.setZValue(10)
        self.plot.addItem(self.separators)
        self.highlight = QGraphicsRectItem()
        self.highlight.setZValue(40)
        self.highlight.setVisible(False)
        self.viewbox.addItem(self.highlight)
        self._cursor = _cursor_lines(self._theme)
        for line in self._cursor:
            self.plot.addItem(line)
        self.colorbar = pg.ColorBarItem(
            values=(0.0, 1.0),
            width=12,
            colorMap=activation_colormap(colormap_name),
            interactive=False,
            colorMapMenu=False,
        )
        self.colorbar.setImageItem(self.image)
        # With a gain the colour bar ends below 1: keep plain numbers there, not pyqtgraph's
        # SI scaling ("0 .. 300" and "(x0.001)" for 0 .. 0.3).
        self.colorbar.axis.setSIPrefixEnableRanges(())
        self.colorbar.axis.enableAutoSIPrefix(False)
        # Room above and below the bar for the half of the end labels ("0", "1.0") that
        # stands out of it: without it the "0" was cut off at the bottom.
        self.colorbar.setContentsMargins(0, 8, 0, 8)
        self.view.addItem(self.colorbar, row=0, col=1)

        self.readout = QLabel(" ")
        self.readout.setObjectName("heatmapReadout")
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.readout.setContentsMargins(4, 0, 4, 0)

        # Every row keeps MIN_ROW_PX: in a short dock the rows scroll instead of shrinking to
        # slivers whose group names run into each other.
        self.scroll = QScrollArea()
        self.scroll.setObjectName("heatmapScroll")
        self.scroll.setWidget(self.view)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.readout)

        self.viewbox.pressed.connect(self._on_pressed)
        self.viewbox.dragged.connect(self._on_dragged)
        self.view.scene().sigMouseMoved.connect(self._on_hover)
        self._apply_theme()

    # ------------------------------------------------------------------ the model
    def bind(self, model: AppModel) -> None:
        """Follow ``model`` (cycle, instant, selected muscle, colours, gain, legs shown) and
        write through it: a click or drag seeks there and pauses, a row selects its muscle."""
        self._model = model
        self._legs = model.display.effective.legs
        self._side_before_legs = self._side
        model.events.animation.connect(lambda a: self.set_cycle(None if a is None else a.cycle))
        self._percent_throttle = PlayingThrottle(
            self.set_percent, lambda: model.playback.playing, parent=self
        )
        model.playback.events.percent.connect(self._percent_throttle)
        model.selection.changed.connect(self.set_selected)
        model.display.events.changed.connect(self._on_display)
        self.seekRequested.connect(model.playback.seek)
        # A click or drag shows that instant: playing on would move away from it.
        self.seekRequested.connect(lambda _percent: model.playback.pause())
        self.muscleSelected.connect(model.selection.select)
        self.set_cycle(model.cycle)
        self._on_display(("colormap", "gain", "legs"))
        self.set_percent(model.playback.percent)
        self.set_selected(model.selection.name)

    def _on_display(self, fields: tuple[str, ...]) -> None:
        state = self._model.display.effective
        if "colormap" in fields:
            cmap = activation_colormap(state.colormap)
            self.image.setColorMap(cmap)
            self.colorbar.setColorMap(cmap)
        if "gain" in fields and state.gain != self._gain:
            self.set_gain(state.gain)
        if "legs" in fields:
            previous, self._legs = self._legs, state.legs
            if state.legs != "both":
                if previous == "both":
                    self._side_before_legs = self._side
                if self._side != state.legs[0]:
                    self.set_side(state.legs[0])
            elif previous != "both" and self._side == previous[0]:
                # The heatmap followed the one leg drawn; with both drawn it goes back to
                # the leg it showed before.
                self.set_side(self._side_before_legs)

    # ------------------------------------------------------------------ API
    def set_cycle(self, cycle: GaitCycle | None) -> None:
        self._cycle = cycle
        self._rebuild()

    def set_side(self, side: str) -> None:
        """Show the right ("r") or left ("l") leg; the selection follows to that leg."""
        if side not in ("r", "l"):
            raise ValueError(f"side must be 'r' or 'l', got {side!r}")
        self._side = side
        self.side_control.setCurrentIndex(0 if side == "r" else 1)
        self._rebuild()

    def side(self) -> str:
        return self._side

    def set_gain(self, gain: float) -> None:
        """Colour = map(clip(gain * activation)), as ``LegScene.set_gain`` shows the muscles
        (used by the absolute scale)."""
        if not gain > 0:
            raise ValueError("gain must be positive")
        self._gain = float(gain)
        self._apply_levels()

    def set_scale(self, scale: str) -> None:
        """Colour scale: "absolute" (activation 0..1, as the 3-D view) or "peak" (each row
        divided by that muscle's maximum over the cycle, to compare timing)."""
        if scale not in HEATMAP_SCALES:
            raise ValueError(f"scale must be one of {', '.join(HEATMAP_SCALES)}, got {scale!r}")
        self._scale = scale
        self.scale_control.setCurrentIndex(list(HEATMAP_SCALES).index(scale))
        self._rebuild()

    def scale(self) -> str:
        return self._scale

    def _levels(self) -> tuple[float, float]:
        return (0.0, 1.0 / self._gain) if self._scale == "absolute" else (0.0, 1.0)

    def _apply_levels(self) -> None:
        self.image.setLevels(self._levels())
        self.colorbar.setLevels(self._levels())
        self.colorbar.axis.setLabel(HEATMAP_SCALES[self._scale][1])

    def set_percent(self, percent: float) -> None:
        """Move the cursor (no signal, no redraw of the image)."""
        self._percent = float(percent)
        for line in self._cursor:
            line.setValue(self._percent)
        if not self._hovering:
            self.readout.setText(self._readout_for(self._selected, self._percent))

    def percent(self) -> float:
        return self._percent

    def set_selected(self, name: str | None) -> None:
        """Outline the row of muscle ``name`` (its counterpart on the shown leg), or none."""
        self._selected = name
        row = None
        if name is not None:
            try:
                row = self.row_of(name)
            except KeyError:
                row = None
        if not self._hovering:
            self.readout.setText(
                self._readout_for(self._rows[row] if row is not None else None, self._percent)
            )
        if row is None:
            self.highlight.setVisible(False)
            return
        self.highlight.setRect(QRectF(0.0, row, 100.0, 1.0))
        self.highlight.setVisible(True)

    def selected(self) -> str | None:
        return self._selected

    def rows(self) -> list[str]:
        """Muscle names of the rows, top to bottom."""
        return list(self._rows)

    def groups(self) -> list[GroupBand]:
        return list(self._groups)

    def row_of(self, name: str) -> int:
        """Row of muscle ``name``, or of its counterpart when it is on the other leg."""
        key = _counterpart(name, self._side)
        if key not in self._row_index:
            raise KeyError(f"muscle {name!r} is not in the heatmap")
        return self._row_index[key]

    def muscle_at_row(self, row: int) -> str:
        return self._rows[row]

    def mouse_target(self) -> QWidget:
        """The widget that receives mouse events of the plot (for tests and automation)."""
        return self.view.viewport()

    def pixel_of(self, muscle: str, percent: float, widget: QWidget | None = None) -> QPoint:
        """Pixel of the centre of (``muscle``'s row, ``percent``) in ``widget`` coordinates
        (default: this widget). Use ``mouse_target()`` as ``widget`` to click there."""
        row = self.row_of(muscle)
        scene = self.viewbox.mapViewToScene(QPointF(percent, row + 0.5))
        vp = self.view.mapFromScene(scene)
        if widget is None:
            widget = self
        return self.view.viewport().mapTo(widget, vp) if widget is not self.view.viewport() else vp

    # ------------------------------------------------------------------ building
    def _rebuild(self) -> None:
        cycle = self._cycle
        self._rows, self._groups = [], []
        if cycle is None:
            self.image.clear()
            self.axis.set_groups([])
            self.event_axis.set_events([])
            self.separators.setData([], [])
            self.title.setText("Muscle activation")
            self.view.setMinimumHeight(0)
            return
        present = set(cycle.muscle_names)
        cat = catalogue()
        placed: set[str] = set()
        for g in cat.groups:
            names = [f"{b}_{self._side}" for b in g.bases if f"{b}_{self._side}" in present]
            if names:
                self._groups.append(GroupBand(g.key, g.name, g.colour, len(self._rows), len(names)))
                self._rows += names
                placed.update(names)
        rest = [m for m in cycle.muscle_names if _side_of(m) == self._side and m not in placed]
        if rest:
            key, name, colour = OTHER_GROUP
            self._groups.append(GroupBand(key, name, colour, len(self._rows), len(rest)))
            self._rows += rest
        self._row_index = {m: i for i, m in enumerate(self._rows)}
        n = len(self._rows)
        data = np.array([cycle.activation(m) for m in self._rows]) if n else np.zeros((1, 2))
        if self._scale == "peak":
            peak = data.max(axis=1, keepdims=True)
            data = np.divide(data, peak, out=np.zeros_like(data), where=peak > 0)
        pct = cycle.percent
        half = (pct[1] - pct[0]) / 2.0
        self.image.setImage(data, autoLevels=False, levels=self._levels())
        self.image.setRect(QRectF(pct[0] - half, 0.0, pct[-1] - pct[0] + 2 * half, max(n, 1)))
        self._apply_levels()
        for line in self._event_lines:
            self.plot.removeItem(line)
        self._event_lines = []
        # The events' names are ticks of the top axis, in the margin above the image: as
        # labels on the lines they covered the first rows (glutes, hamstrings).
        event_ticks = []
        for ev in cycle.events_of(self._side):
            line = pg.InfiniteLine(
                ev.percent % 100.0,
                angle=90,
                movable=False,
                pen=pg.mkPen(self._theme.cursor, width=1, style=Qt.PenStyle.DashLine),
            )
            line.setZValue(30)
            line.setOpacity(0.8)
            self.plot.addItem(line)
            self._event_lines.append(line)
            event_ticks.append((ev.percent % 100.0, EVENT_SHORT.get(ev.kind, ev.kind)))
        self.event_axis.set_events(event_ticks)
        xs, ys = [], []
        for g in self._groups[1:]:
            xs += [0.0, 100.0]
            ys += [g.first, g.first]
        self.separators.setData(xs, ys)
        self.axis.set_groups(self._groups)
        self.viewbox.setRange(xRange=(0.0, 100.0), yRange=(0.0, max(n, 1)), padding=0.0)
        self.viewbox.setLimits(xMin=0.0, xMax=100.0, yMin=0.0, yMax=max(n, 1))
        # The leg is in the combo box beside the title: the title keeps to the gait, so that
        # it fits the default width.
        self.title.setText(f"Every muscle \u2014 {cycle.label}")
        self.title.setToolTip(
            f"Muscle activation \u2014 {cycle.label}, {SIDE_NAMES[self._side]} leg"
        )
        self.view.setMinimumHeight(n * MIN_ROW_PX + HEATMAP_FRAME_PX)
        self.set_selected(self._selected)

    def _apply_theme(self) -> None:
        t = self._theme = theme_for(self.palette())
        self.view.setBackground(t.background)
        _style_plot(self.plot, t)
        self.axis.text_colour = t.text
        self.event_axis.text_colour = t.cursor
        self.colorbar.axis.setPen(pg.mkPen(t.muted))
        self.colorbar.axis.setTextPen(pg.mkPen(t.text))
        self.separators.setPen(pg.mkPen(t.background, width=2))
        pen = QPen(t.cursor, 1.5)
        pen.setCosmetic(True)
        self.highlight.setPen(pen)
        self._cursor[0].setPen(pg.mkPen(t.halo, width=4))
        self._cursor[1].setPen(pg.mkPen(t.cursor, width=1.5))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_theme()
        super().changeEvent(event)

    # ------------------------------------------------------------------ mouse
    def _row_at(self, y: float) -> int | None:
        row = int(np.floor(y))
        return row if 0 <= row < len(self._rows) else None

    def _on_pressed(self, x: float, y: float) -> None:
        if self._cycle is None:
            return
        p = min(max(x, 0.0), 100.0)
        self.set_percent(p)
        self.seekRequested.emit(p)
        row = self._row_at(y)
        if row is not None:
            name = self._rows[row]
            self.set_selected(name)
            self.muscleSelected.emit(name)

    def _on_dragged(self, x: float, y: float, finished: bool) -> None:
        if self._cycle is None:
            return
        p = min(max(x, 0.0), 100.0)
        self.set_percent(p)
        self.seekRequested.emit(p)

    def _on_hover(self, scene_pos: QPointF) -> None:
        self._hovering = False
        if self._cycle is None or not self.viewbox.sceneBoundingRect().contains(scene_pos):
            self.readout.setText(self._readout_for(self._selected, self._percent))
            return
        v = self.viewbox.mapSceneToView(scene_pos)
        row = self._row_at(v.y())
        if row is None:
            return
        self._hovering = True
        self.readout.setText(self._readout_for(self._rows[row], min(max(v.x(), 0.0), 100.0)))

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        self._hovering = False
        self.readout.setText(self._readout_for(self._selected, self._percent))
        super().leaveEvent(event)

    def _readout_for(self, name: str | None, percent: float) -> str:
        if name is not None:
            name = _counterpart(name, self._side)
        if name is None or self._cycle is None or name not in self._cycle.muscle_names:
            return "Hover over a row to read a muscle; click to select it and go to that instant."
        a = activation_at(self._cycle, name, percent)
        who, _ = curve_label(name, None)
        prov = self._cycle.provenance.get(name)
        kind = PROVENANCE_TEXT.get(prov.kind, prov.kind) if prov else "provenance unknown"
        try:
            group = catalogue().group(catalogue().group_of(name)).name
        except KeyError:
            group = OTHER_GROUP[1]
        return f"{who} \u00b7 {group}: activation {a:.2f} at {percent:.1f} %  ({kind})"

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(520, 460)


# ------------------------------------------------------------------------------ curves
class _Legend(QWidget):
    """Legend rows: a line swatch in the curve's style, the muscle, and its provenance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curveLegend")
        self.entries: list[tuple[QPen, str, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_entries(self, entries: list[tuple[QPen, str, str]]) -> None:
        self.entries = entries
        self.setFixedHeight(int(self._row_h() * len(entries) + 4) if entries else 0)
        self.update()

    def _row_h(self) -> float:
        return QFontMetricsF(self.font()).height() + 3

    def _name_width(self) -> float:
        fm = QFontMetricsF(self.font())
        return max((fm.horizontalAdvance(n) for _, n, _ in self.entries), default=0.0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        rh = self._row_h()
        text = self.palette().color(QPalette.ColorRole.WindowText)
        muted = QColor(text)
        muted.setAlphaF(0.65)
        name_w = min(self._name_width(), self.width() * 0.5)
        for i, (pen, name, where) in enumerate(self.entries):
            y = 2 + i * rh
            mid = y + rh / 2
            if pen.widthF() >= 8:  # a shaded band
                p.fillRect(QRectF(6, mid - 5, 24, 10), pen.color())
            else:
                swatch = QPen(pen)
                swatch.setWidthF(2.5)
                p.setPen(swatch)
                p.drawLine(QPointF(6, mid), QPointF(30, mid))
            p.setPen(text)
            nr = QRectF(38, y, name_w, rh)
            p.drawText(
                nr,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                fm.elidedText(name, Qt.TextElideMode.ElideRight, name_w),
            )
            rest = self.width() - nr.right() - 12
            p.setPen(muted)
            p.drawText(
                QRectF(nr.right() + 8, y, rest, rh),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                fm.elidedText("\u2014 " + where, Qt.TextElideMode.ElideRight, rest),
            )

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        i = int((event.position().y() - 2) // self._row_h())
        if 0 <= i < len(self.entries):
            _, name, where = self.entries[i]
            self.setToolTip(f"{name} \u2014 {where}")
        super().mouseMoveEvent(event)


class ActivationCurves(QWidget):
    """Activation curves of chosen muscles (or one group) over the cycle, with the stance of
    their leg shaded, the current position, and each curve's provenance in the legend.

    Curves of estimated activations are dashed. Signal: ``seekRequested(float percent)``.
    """

    seekRequested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curvePlot")
        self.setAccessibleName("Muscle activation curves")
        self._cycle: GaitCycle | None = None
        self._muscles: list[str] = []
        self._group: str | None = None
        self._side = "r"
        self._percent = 0.0
        self._theme = theme_for(self.palette())
        self._curves: list[pg.PlotDataItem] = []
        self._bands: list[pg.LinearRegionItem] = []

        self.title = ElidedLabel("Activation")
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.viewbox = _ScrubViewBox()
        self.view = pg.PlotWidget(viewBox=self.viewbox)
        self.view.setObjectName("curveView")
        self.plot = self.view.getPlotItem()
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.setLabel("bottom", "% of gait cycle")
        self.plot.setLabel("left", "activation")
        self.plot.getAxis("bottom").setTicks([[(v, str(v)) for v in range(0, 101, 10)]])
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        self.viewbox.setRange(xRange=(0.0, 100.0), yRange=(0.0, 1.0), padding=0.0)
        self._cursor = _cursor_lines(self._theme)
        for line in self._cursor:
            self.plot.addItem(line)
        self.dots = pg.ScatterPlotItem(size=7)
        self.dots.setZValue(60)
        self.plot.addItem(self.dots)
        self.legend = _Legend()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend)
        self.viewbox.pressed.connect(lambda x, y: self._seek(x))
        self.viewbox.dragged.connect(lambda x, y, done: self._seek(x))
        self._apply_theme()

    # ------------------------------------------------------------------ the model
    def bind(self, model: AppModel) -> None:
        """Follow ``model``: its cycle and instant; the selected muscle's curve, or the
        muscles a guided view plots; a click or drag seeks there."""
        self._model = model
        model.events.animation.connect(lambda a: self.set_cycle(None if a is None else a.cycle))
        self._percent_throttle = PlayingThrottle(
            self.set_percent, lambda: model.playback.playing, parent=self
        )
        model.playback.events.percent.connect(self._percent_throttle)
        model.selection.changed.connect(self._on_selection)
        model.display.events.changed.connect(self._on_display)
        self.seekRequested.connect(model.playback.seek)
        self.set_cycle(model.cycle)
        self.set_percent(model.playback.percent)

    def _on_selection(self, name: str | None) -> None:
        if name is not None:
            self.show_muscles([name])

    def _on_display(self, fields: tuple[str, ...]) -> None:
        curves = self._model.display.effective.curves
        if "curves" in fields and curves is not None:
            self.show_muscles(curves)

    # ------------------------------------------------------------------ API
    def set_cycle(self, cycle: GaitCycle | None) -> None:
        self._cycle = cycle
        if self._group is not None:
            self.show_group(self._group, self._side)
        else:
            self.show_muscles(self._muscles)

    def show_muscles(self, names: Sequence[str]) -> None:
        """Curves of these muscles (model names such as ``vaslat_r``); unknown ones are skipped."""
        self._group = None
        self._muscles = list(dict.fromkeys(names))
        sides = {s for s in map(_side_of, self._muscles) if s}
        if len(sides) == 1:
            self._side = sides.pop()
        self._redraw()

    def show_group(self, key: str, side: str | None = None) -> None:
        """Curves of every muscle of group ``key`` on leg ``side`` (default: the current leg)."""
        if side is not None:
            self._side = side
        group = catalogue().group(key)
        self._group = key
        self._muscles = [f"{b}_{self._side}" for b in group.bases]
        self._redraw()

    def muscles(self) -> list[str]:
        """Muscles with a curve."""
        return [
            m for m in self._muscles if self._cycle is not None and m in self._cycle.muscle_names
        ]

    def side(self) -> str:
        """The leg of the curves shown: "r" or "l"."""
        return self._side

    def legend_entries(self) -> list[str]:
        """The legend as text: "Vastus lateralis (R) — simulated, <source>" per curve."""
        return [f"{n} \u2014 {w}" for _, n, w in self.legend.entries]

    def set_percent(self, percent: float) -> None:
        """Move the cursor and the dots on the curves (no signal, curves are not redrawn)."""
        self._percent = float(percent)
        for line in self._cursor:
            line.setValue(self._percent)
        self._update_dots()

    def percent(self) -> float:
        return self._percent

    # ------------------------------------------------------------------ drawing
    def _redraw(self) -> None:
        for item in self._curves + self._bands:
            self.plot.removeItem(item)
        self._curves, self._bands = [], []
        cycle = self._cycle
        entries = []
        if cycle is None:
            self.legend.set_entries([])
            self.title.setText("Activation")
            self.dots.setData([], [])
            return
        t = self._theme
        for s, e in stance_intervals(cycle, self._side):
            band = pg.LinearRegionItem(
                (s, e), movable=False, brush=pg.mkBrush(t.stance), pen=pg.mkPen(None)
            )
            band.setZValue(-10)
            self.plot.addItem(band)
            self._bands.append(band)
        top = 0.0
        shown = self.muscles()
        palette = CURVE_COLOURS + CURVE_COLOURS_EXTRA
        for i, m in enumerate(shown):
            prov = cycle.provenance.get(m)
            colour = QColor(palette[i % len(palette)])
            if not is_dark(self.palette()) and colour.lightnessF() > 0.6:
                colour = colour.darker(150)
            pen = pg.mkPen(colour, width=2)
            if prov is not None and prov.kind == "estimated":
                pen.setStyle(Qt.PenStyle.DashLine)
            y = cycle.activation(m)
            top = max(top, float(np.max(y)))
            curve = pg.PlotDataItem(cycle.percent, y, pen=pen, antialias=True)
            self.plot.addItem(curve)
            self._curves.append(curve)
            who, where = curve_label(m, prov)
            entries.append((pen, who, where))
        if self._bands:
            shade = mix(t.background, QColor(t.stance.rgb()), t.stance.alphaF())
            entries.append(
                (
                    QPen(shade, 10),
                    "stance (shaded)",
                    f"{SIDE_NAMES[self._side]} foot on the ground",
                )
            )
        self.legend.set_entries(entries)
        ymax = max(0.2, float(np.ceil(top * 10.0 + 0.5) / 10.0))
        self.viewbox.setXRange(0.0, 100.0, padding=0.0)
        self.viewbox.setYRange(0.0, min(ymax, 1.0), padding=0.02)  # room for the end labels
        if self._group is not None:
            what = catalogue().group(self._group).name
        elif len(shown) == 1:
            what = curve_label(shown[0], None)[0]
        else:
            what = f"{len(shown)} muscles" if shown else "no muscle selected"
        self.title.setText(
            f"Activation \u2014 {what}, {SIDE_NAMES[self._side]} leg ({cycle.label})"
        )
        self._update_dots()

    def _update_dots(self) -> None:
        cycle = self._cycle
        shown = self.muscles()
        if cycle is None or not shown:
            self.dots.setData([], [])
            return
        p = self._percent
        ys = [activation_at(cycle, m, p) for m in shown]
        brushes = [c.opts["pen"].color() for c in self._curves]
        self.dots.setData([p] * len(ys), ys, brush=brushes, pen=pg.mkPen(self._theme.halo, width=1))

    def _apply_theme(self) -> None:
        t = self._theme = theme_for(self.palette())
        self.view.setBackground(t.background)
        _style_plot(self.plot, t)
        self._cursor[0].setPen(pg.mkPen(t.halo, width=4))
        self._cursor[1].setPen(pg.mkPen(t.cursor, width=1.5))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_theme()
            self._redraw()
        super().changeEvent(event)

    def _seek(self, x: float) -> None:
        if self._cycle is None:
            return
        p = min(max(x, 0.0), 100.0)
        self.set_percent(p)
        self.seekRequested.emit(p)

    def pixel_of(self, percent: float, value: float = 0.5) -> QPoint:
        """Pixel of (``percent``, ``value``) in the plot's viewport (``mouse_target()``)."""
        scene = self.viewbox.mapViewToScene(QPointF(percent, value))
        return self.view.mapFromScene(scene)

    def mouse_target(self) -> QWidget:
        return self.view.viewport()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(520, 320)
