"""Plots of muscle activation over the gait cycle, linked to the playback (pyqtgraph).

- ``ActivationHeatmap``: every muscle of one leg (rows, grouped by muscle group) against the
  percent of the cycle, coloured with the 3-D view's activation colour map; or, as modes, each
  row scaled to its peak, the measured EMG where there is some, and the share of fast fibres
  among the fibres working (recruitment by size, ``gait.fibre_use``).
- ``ActivationCurves``: the activation curves of chosen muscles or of one group, with the
  leg's stance shaded and each curve's provenance in the legend; for one muscle with measured
  EMG, the EMG envelope beside the simulated activation (on its own axis, scaled as its source
  scales it) and how well the two agree (``gait.emg``).

Both draw the current position as a vertical line that moves without redrawing the data, and
both turn a click or a drag into ``seekRequested(percent)``. Colours follow the palette
(dark-grey by design, light supported).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPen, QStandardItemModel
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
from anatomy_viewer.anatomy.fibre_types import type1_fraction
from anatomy_viewer.app.model import AppModel
from anatomy_viewer.gait.contraction import ACTIVE_THRESHOLD
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.emg import EmgComparison, emg_comparison
from anatomy_viewer.gait.fibre_use import cycle_fast_share
from anatomy_viewer.gait.navigation import stance_intervals
from anatomy_viewer.gait.sampling import activation_at, interpolate
from anatomy_viewer.scene.colormaps import DEFAULT_COLORMAP
from anatomy_viewer.ui.plot_parts import (
    CURVE_COLOURS,
    CURVE_COLOURS_EXTRA,
    OTHER_GROUP,
    REST_COLOUR,
    SIDE_NAMES,
    ElidedLabel,
    GroupBand,
    Legend,
    ScrubViewBox,
    counterpart,
    cursor_lines,
    curve_label,
    fast_fibre_colormap,
    heatmap_parts,
    muscle_rows,
    plain_builtin_gait,
    side_of,
    style_plot,
)
from anatomy_viewer.ui.theme import (
    PROVENANCE_TEXT,
    activation_colormap,
    is_dark,
    mix,
    theme_for,
)
from anatomy_viewer.ui.throttle import PlayingThrottle

__all__ = [
    "HEATMAP_SCALES",
    "ActivationCurves",
    "ActivationHeatmap",
    "ElidedLabel",
    "activation_colormap",
    "curve_label",
]

# heatmap modes: key -> (menu text, colour bar label)
HEATMAP_SCALES = {
    "absolute": ("Activation 0\u20131", "activation"),
    "peak": ("Each muscle's peak", "share of the muscle's peak"),
    "emg": ("Measured EMG", "measured EMG (peak = 1)"),
    "fast": ("Fast-fibre recruitment", "fast-fibre share"),
}
HEATMAP_TOOLTIP = (
    "Activation 0\u20131: the colours of the 3-D view.\n"
    "Each muscle's peak: every row scaled to its own maximum, to compare timing.\n"
    "Measured EMG: the recorded envelopes (walking, running, a trial with EMG), each scaled\n"
    "to peak 1 by its source; rows without an electrode stay empty.\n"
    "Fast-fibre recruitment: the share of fast (Type II) fibres among the fibres working,\n"
    "slow fibres recruited first (size principle); grey while the muscle rests."
)
#: Top of the fast-fibre colour scale: no muscle's fast share of its active fibres goes much
#: above 0.6 (rectus femoris at full activation: its 62 % fast fibres).
FAST_SHARE_TOP = 0.6

#: Smallest height of a heatmap row (pixels); below it the heatmap scrolls.
MIN_ROW_PX = 6
#: Height of the heatmap's axes and margins around the rows (pixels).
HEATMAP_FRAME_PX = 72


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
        self._colormap_name = colormap_name
        self._comparison: EmgComparison | None = None
        self._hovering = False
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
        self.scale_control.setAccessibleName("What the heatmap shows")
        self.scale_control.setToolTip(HEATMAP_TOOLTIP)
        for key, (text, _) in HEATMAP_SCALES.items():
            self.scale_control.addItem(text, key)
        self.scale_control.activated.connect(
            lambda i: self.set_scale(str(self.scale_control.itemData(i)))
        )
        self._update_mode_items()
        header = QHBoxLayout()
        header.setContentsMargins(4, 0, 4, 0)
        header.addWidget(self.title, 1)
        header.addWidget(self.scale_control)
        header.addWidget(self.side_control)

        # plot
        self.view = pg.GraphicsLayoutWidget()
        self.view.setObjectName("heatmapView")
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.viewbox = ScrubViewBox(invertY=True)
        self.parts = heatmap_parts(
            self.view, self.viewbox, activation_colormap(colormap_name), (0.0, 1.0)
        )
        self.plot, self.image, self.colorbar = (
            self.parts.plot,
            self.parts.image,
            self.parts.colorbar,
        )
        self.axis, self.event_axis = self.parts.group_axis, self.parts.event_axis
        # Cells with nothing to show (no electrode, a muscle at rest) hold NaN, which the
        # image would paint white: an overlay paints them in the background's colour.
        self.blank = pg.ImageItem(axisOrder="row-major")
        self.blank.setZValue(5)
        self.plot.addItem(self.blank)
        self.separators = pg.PlotCurveItem(connect="pairs")
        self.separators.setZValue(10)
        self.plot.addItem(self.separators)
        self.highlight = QGraphicsRectItem()
        self.highlight.setZValue(40)
        self.highlight.setVisible(False)
        self.viewbox.addItem(self.highlight)
        self._cursor = cursor_lines(self._theme)
        for line in self._cursor:
            self.plot.addItem(line)

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
        model.events.animation.connect(self._on_animation)
        model.events.simulated.connect(lambda _sim: self._on_animation(model.animation))
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
        self._on_animation(model.animation)
        self._on_display(("colormap", "gain", "legs"))
        self.set_percent(model.playback.percent)
        self.set_selected(model.selection.name)

    def _on_animation(self, animation) -> None:
        model = self._model
        cycle = None if animation is None else animation.cycle
        self._comparison = emg_comparison(cycle, plain_builtin_gait(model), model.simulated)
        self.set_cycle(cycle)

    def _on_display(self, fields: tuple[str, ...]) -> None:
        state = self._model.display.effective
        if "colormap" in fields:
            self._colormap_name = state.colormap
            self._apply_colormap()
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
        self._update_mode_items()
        if not self.scale_available(self._scale):
            self._scale = "absolute"
            self.scale_control.setCurrentIndex(0)
            self._apply_colormap()
        self._rebuild()

    def set_emg(self, comparison: EmgComparison | None) -> None:
        """The measured EMG of the cycle shown (``gait.emg.emg_comparison``), or None."""
        self._comparison = comparison
        self.set_cycle(self._cycle)

    def emg(self) -> EmgComparison | None:
        return self._comparison

    def scale_available(self, scale: str) -> bool:
        """Whether mode ``scale`` can be shown for the cycle shown (EMG needs some)."""
        if scale == "emg":
            return self._comparison is not None
        return scale in HEATMAP_SCALES

    def _update_mode_items(self) -> None:
        model = self.scale_control.model()
        if not isinstance(model, QStandardItemModel):
            return
        for i, key in enumerate(HEATMAP_SCALES):
            item = model.item(i)
            item.setEnabled(self.scale_available(key))
            if key == "emg":
                item.setToolTip(
                    ""
                    if self._comparison is not None
                    else "No measured EMG for this gait: walking and running have some, "
                    "and a trial opened with EMG envelopes."
                )

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
        """What the rows show: "absolute" (activation 0..1, as the 3-D view), "peak" (each row
        divided by that muscle's maximum over the cycle, to compare timing), "emg" (the
        measured EMG envelopes, where there are some) or "fast" (the fast fibres' share of the
        fibres working; grey while a muscle rests)."""
        if scale not in HEATMAP_SCALES:
            raise ValueError(f"scale must be one of {', '.join(HEATMAP_SCALES)}, got {scale!r}")
        if not self.scale_available(scale):
            raise ValueError("there is no measured EMG for the cycle shown")
        self._scale = scale
        self.scale_control.setCurrentIndex(list(HEATMAP_SCALES).index(scale))
        self._apply_colormap()
        self._rebuild()

    def _apply_colormap(self) -> None:
        if self._scale == "fast":
            cmap = fast_fibre_colormap()
        else:
            cmap = activation_colormap(self._colormap_name)
        self.image.setColorMap(cmap)
        self.colorbar.setColorMap(cmap)

    def scale(self) -> str:
        return self._scale

    def _levels(self) -> tuple[float, float]:
        if self._scale == "absolute":
            return (0.0, 1.0 / self._gain)
        if self._scale == "fast":
            return (0.0, FAST_SHARE_TOP)
        return (0.0, 1.0)

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
        key = counterpart(name, self._side)
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
            self.blank.clear()
            self.axis.set_groups([])
            self.event_axis.set_events([])
            self.separators.setData([], [])
            self.title.setText("Muscle activation")
            self.view.setMinimumHeight(0)
            return
        self._rows, self._groups = muscle_rows(cycle.muscle_names, self._side)
        self._row_index = {m: i for i, m in enumerate(self._rows)}
        n = len(self._rows)
        data = self.row_values() if n else np.zeros((1, 2))
        pct = cycle.percent
        half = (pct[1] - pct[0]) / 2.0
        self.image.setImage(data, autoLevels=False, levels=self._levels())
        rect = QRectF(pct[0] - half, 0.0, pct[-1] - pct[0] + 2 * half, max(n, 1))
        self.image.setRect(rect)
        self._paint_blanks(data, rect)
        self._apply_levels()
        # The events' names are ticks of the top axis, in the margin above the image: as
        # labels on the lines they covered the first rows (glutes, hamstrings).
        self.parts.set_events(cycle.events_of(self._side), self._theme)
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
        leg = f"{SIDE_NAMES[self._side]} leg"
        if self._scale == "emg" and self._comparison is not None:
            emg = self._comparison.emg
            self.title.setText(f"Measured EMG \u2014 {cycle.label}")
            self.title.setToolTip(f"Measured EMG, {emg.source}; {emg.scaling}; {leg}")
        elif self._scale == "fast":
            self.title.setText(f"Fast fibres \u2014 {cycle.label}")
            self.title.setToolTip(
                "The fast fibres' share of the fibres each muscle uses (slow fibres are "
                f"recruited first); grey while a muscle rests; {leg}"
            )
        else:
            self.title.setText(f"Every muscle \u2014 {cycle.label}")
            self.title.setToolTip(f"Muscle activation \u2014 {cycle.label}, {leg}")
        self.view.setMinimumHeight(n * MIN_ROW_PX + HEATMAP_FRAME_PX)
        self.set_selected(self._selected)

    def _paint_blanks(self, data: np.ndarray, rect: QRectF) -> None:
        """Cells without a value in the background's colour; in the fast-fibre mode, muscles
        at rest in the 3-D view's "at rest" grey."""
        empty = np.isnan(data)
        if not empty.any():
            self.blank.clear()
            return
        bg = QColor(REST_COLOUR) if self._scale == "fast" else self._theme.background
        rgba = np.zeros(data.shape + (4,), dtype=np.uint8)
        rgba[empty] = (bg.red(), bg.green(), bg.blue(), 255)
        self.blank.setImage(rgba, autoLevels=False)
        self.blank.setRect(rect)

    def blank_cells(self) -> np.ndarray:
        """Rows x samples: True where a cell shows nothing (drawn in the background)."""
        img = self.image.image
        return np.zeros((0, 0), bool) if img is None else np.isnan(img)

    def row_values(self) -> np.ndarray:
        """What the rows show in the current mode (rows x the cycle's samples); NaN where
        there is nothing to show (no electrode on that muscle, a muscle at rest)."""
        cycle = self._cycle
        if cycle is None or not self._rows:
            return np.zeros((0, 0))
        idx = [cycle.muscle_index(m) for m in self._rows]
        act = cycle.activations[idx]
        if self._scale == "peak":
            peak = act.max(axis=1, keepdims=True)
            return np.divide(act, peak, out=np.zeros_like(act), where=peak > 0)
        if self._scale == "fast":
            share = cycle_fast_share(cycle)[idx]
            return np.where(act >= ACTIVE_THRESHOLD, share, np.nan)
        if self._scale == "emg" and self._comparison is not None:
            out = np.full(act.shape, np.nan)
            for i, m in enumerate(self._rows):
                found = self._comparison.emg.envelope(m)
                if found is not None:
                    out[i] = np.interp(cycle.percent, *found)
            return out
        return np.array(act, dtype=float)

    def _apply_theme(self) -> None:
        t = self._theme = theme_for(self.palette())
        self.view.setBackground(t.background)
        self.parts.style(t)
        self.separators.setPen(pg.mkPen(t.background, width=2))
        pen = QPen(t.cursor, 1.5)
        pen.setCosmetic(True)
        self.highlight.setPen(pen)
        self._cursor[0].setPen(pg.mkPen(t.halo, width=4))
        self._cursor[1].setPen(pg.mkPen(t.cursor, width=1.5))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_theme()
            self._rebuild()
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

    def readout_for(self, name: str | None, percent: float) -> str:
        """The line under the heatmap for muscle ``name`` at ``percent``, in the current mode."""
        return self._readout_for(name, percent)

    def _readout_for(self, name: str | None, percent: float) -> str:
        if name is not None:
            name = counterpart(name, self._side)
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
        where = f"{who} \u00b7 {group}"
        if self._scale == "fast":
            if a < ACTIVE_THRESHOLD:
                return f"{where}: at rest at {percent:.1f} %"
            share = float(interpolate(self._cycle, self._fast_row(name), percent))
            slow = float(type1_fraction([name])[0])
            return (
                f"{where}: fast fibres {share:.0%} of the fibres working at {percent:.1f} % "
                f"(activation {a:.2f}; {slow:.0%} of its fibres are slow)"
            )
        if self._scale == "emg" and self._comparison is not None:
            found = self._comparison.emg.envelope(name)
            if found is None:
                return f"{where}: no electrode on this muscle"
            e = float(np.interp(percent, *found))
            text = f"{where}: measured EMG {e:.2f} of its peak at {percent:.1f} %"
            agree = self._comparison.agreement(name)
            if agree is not None:
                text += f"; simulated {agree.text()}"
            return text
        return f"{where}: activation {a:.2f} at {percent:.1f} %  ({kind})"

    def _fast_row(self, name: str) -> np.ndarray:
        cycle = self._cycle
        i = cycle.muscle_index(name)
        return cycle_fast_share(cycle)[i]

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(520, 460)


# ------------------------------------------------------------------------------ curves
class ActivationCurves(QWidget):
    """Activation curves of chosen muscles (or one group) over the cycle, with the stance of
    their leg shaded, the current position, and each curve's provenance in the legend.

    For one muscle with measured EMG (``set_emg``): the simulated activation (left axis) and
    the measured EMG envelope as its source scales it (right axis, peak 1), each labelled with
    where it comes from, and how well the two agree in timing below the legend.

    Curves of estimated activations are dashed. Signal: ``seekRequested(float percent)``.
    """

    seekRequested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curvePlot")
        self.setAccessibleName("Muscle activation curves")
        self._cycle: GaitCycle | None = None
        self._comparison: EmgComparison | None = None
        self._muscles: list[str] = []
        self._group: str | None = None
        self._side = "r"
        self._percent = 0.0
        self._theme = theme_for(self.palette())
        self._curves: list[pg.PlotDataItem] = []
        self._dot_values: list[np.ndarray] = []  # the curves' values over the cycle's samples
        self._bands: list[pg.LinearRegionItem] = []
        self._emg_curve: pg.PlotDataItem | None = None
        self._emg_values: np.ndarray | None = None

        self.title = ElidedLabel("Activation")
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.viewbox = ScrubViewBox()
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
        # The measured EMG on its own scale (peak 1, as its source scales it), right axis.
        self.emg_view = pg.ViewBox(enableMenu=False)
        self.emg_view.setMouseEnabled(False, False)
        self.emg_view.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.plot.scene().addItem(self.emg_view)
        self.plot.getAxis("right").linkToView(self.emg_view)
        self.emg_view.setXLink(self.viewbox)
        self.emg_view.setYRange(0.0, 1.0, padding=0.02)
        self.viewbox.sigResized.connect(self._sync_emg_view)
        self.emg_dot = pg.ScatterPlotItem(size=7)
        self.emg_dot.setZValue(60)
        self.emg_view.addItem(self.emg_dot)
        self._cursor = cursor_lines(self._theme)
        for line in self._cursor:
            self.plot.addItem(line)
        self.dots = pg.ScatterPlotItem(size=7)
        self.dots.setZValue(60)
        self.plot.addItem(self.dots)
        self.legend = Legend()
        self.agreement_label = QLabel()
        self.agreement_label.setObjectName("emgAgreement")
        self.agreement_label.setWordWrap(True)
        self.agreement_label.setContentsMargins(6, 0, 6, 2)
        self.agreement_label.setTextFormat(Qt.TextFormat.PlainText)
        self.agreement_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.agreement_label)
        self.viewbox.pressed.connect(lambda x, y: self._seek(x))
        self.viewbox.dragged.connect(lambda x, y, done: self._seek(x))
        self._show_emg_axis(False)
        self._apply_theme()

    # ------------------------------------------------------------------ the model
    def bind(self, model: AppModel) -> None:
        """Follow ``model``: its cycle and instant; the selected muscle's curve, or the
        muscles a guided view plots; the measured EMG of the gait or trial shown; a click or
        drag seeks there."""
        self._model = model
        model.events.animation.connect(self._on_animation)
        model.events.simulated.connect(lambda _sim: self._on_animation(model.animation))
        self._percent_throttle = PlayingThrottle(
            self.set_percent, lambda: model.playback.playing, parent=self
        )
        model.playback.events.percent.connect(self._percent_throttle)
        model.selection.changed.connect(self._on_selection)
        model.display.events.changed.connect(self._on_display)
        self.seekRequested.connect(model.playback.seek)
        self._on_animation(model.animation)
        self.set_percent(model.playback.percent)

    def _on_animation(self, animation) -> None:
        model = self._model
        cycle = None if animation is None else animation.cycle
        self._comparison = emg_comparison(cycle, plain_builtin_gait(model), model.simulated)
        self.set_cycle(cycle)

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

    def set_emg(self, comparison: EmgComparison | None) -> None:
        """The measured EMG to show beside the simulation (``gait.emg.emg_comparison``)."""
        self._comparison = comparison
        self._redraw()

    def show_muscles(self, names: Sequence[str]) -> None:
        """Curves of these muscles (model names such as ``vaslat_r``); unknown ones are skipped."""
        self._group = None
        self._muscles = list(dict.fromkeys(names))
        sides = {s for s in map(side_of, self._muscles) if s}
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

    def emg_shown(self) -> np.ndarray | None:
        """The measured EMG envelope drawn (over the cycle's samples), or None."""
        return self._emg_values

    def agreement_text(self) -> str:
        """The agreement line under the legend ("" when there is none)."""
        return self.agreement_label.text() if not self.agreement_label.isHidden() else ""

    def set_percent(self, percent: float) -> None:
        """Move the cursor and the dots on the curves (no signal, curves are not redrawn)."""
        self._percent = float(percent)
        for line in self._cursor:
            line.setValue(self._percent)
        self._update_dots()

    def percent(self) -> float:
        return self._percent

    # ------------------------------------------------------------------ drawing
    def _emg_muscle(self, shown: list[str]) -> str | None:
        """The one muscle shown, when measured EMG covers it."""
        if len(shown) != 1 or self._comparison is None:
            return None
        return shown[0] if self._comparison.emg.envelope(shown[0]) is not None else None

    def _pen(self, i: int) -> QPen:
        palette = CURVE_COLOURS + CURVE_COLOURS_EXTRA
        colour = QColor(palette[i % len(palette)])
        if not is_dark(self.palette()) and colour.lightnessF() > 0.6:
            colour = colour.darker(150)
        return pg.mkPen(colour, width=2)

    def _redraw(self) -> None:
        for item in self._curves + self._bands:
            self.plot.removeItem(item)
        if self._emg_curve is not None:
            self.emg_view.removeItem(self._emg_curve)
        self._curves, self._bands, self._dot_values = [], [], []
        self._emg_curve, self._emg_values = None, None
        self.agreement_label.hide()
        cycle = self._cycle
        entries = []
        if cycle is None:
            self.legend.set_entries([])
            self.title.setText("Activation")
            self.dots.setData([], [])
            self.emg_dot.setData([], [])
            self._show_emg_axis(False)
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
        emg_muscle = self._emg_muscle(shown)
        if emg_muscle is not None:
            top = self._draw_with_emg(emg_muscle, entries)
        else:
            for i, m in enumerate(shown):
                prov = cycle.provenance.get(m)
                pen = self._pen(i)
                if prov is not None and prov.kind == "estimated":
                    pen.setStyle(Qt.PenStyle.DashLine)
                y = cycle.activation(m)
                top = max(top, float(np.max(y)))
                self._add_curve(y, pen)
                who, where = curve_label(m, prov)
                entries.append((pen, who, where))
        self._show_emg_axis(emg_muscle is not None)
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
        label = "Activation and measured EMG" if emg_muscle is not None else "Activation"
        self.title.setText(f"{label} \u2014 {what}, {SIDE_NAMES[self._side]} leg ({cycle.label})")
        self._update_dots()

    def _add_curve(self, y: np.ndarray, pen: QPen) -> None:
        curve = pg.PlotDataItem(self._cycle.percent, y, pen=pen, antialias=True)
        self.plot.addItem(curve)
        self._curves.append(curve)
        self._dot_values.append(np.asarray(y, float))

    def _draw_with_emg(self, muscle: str, entries: list) -> float:
        """The simulated activation of ``muscle`` (left axis) and its measured EMG (right
        axis); returns the simulated curve's peak."""
        cycle, comparison = self._cycle, self._comparison
        emg = comparison.emg
        top = 0.0
        pen = self._pen(0)
        sim = comparison.simulated_activation(muscle)
        if sim is not None:
            top = float(np.max(sim))
            self._add_curve(sim, pen)
            entries.append((pen, "simulated (static optimisation)", "activation, left axis"))
        else:
            waiting = QPen(pen)
            waiting.setStyle(Qt.PenStyle.DotLine)
            entries.append(
                (
                    waiting,
                    "simulated (static optimisation)",
                    "not computed for this trial yet"
                    if comparison.simulated is None
                    else "this muscle is not simulated",
                )
            )
        percent, envelope = emg.envelope(muscle)
        values = np.interp(cycle.percent, percent, envelope)
        colour = QColor(self._theme.text)
        emg_pen = pg.mkPen(colour, width=2, style=Qt.PenStyle.DashDotLine)
        fill = QColor(colour)
        fill.setAlphaF(0.12)
        self._emg_curve = pg.PlotDataItem(
            cycle.percent,
            values,
            pen=emg_pen,
            fillLevel=0.0,
            brush=pg.mkBrush(fill),
            antialias=True,
        )
        self.emg_view.addItem(self._emg_curve)
        self._emg_values = values
        channel = emg.channel_of(muscle)
        entries.append((emg_pen, "measured EMG", f"{emg.source}; {emg.scaling}, right axis"))
        agree = comparison.agreement(muscle)
        if agree is not None:
            span = "stride" if cycle.periodic else "trial"
            electrode = f"{channel.key} electrode" if channel.key.isupper() else "EMG"
            self.agreement_label.setText(
                f"{electrode} vs simulation: {agree.text(span)} (each scaled to its own peak, "
                f"on from {agree.threshold:.0%} of it)"
            )
            self.agreement_label.show()
        return top

    def _show_emg_axis(self, shown: bool) -> None:
        axis = self.plot.getAxis("right")
        if shown:
            self.plot.showAxis("right")
            axis.setLabel("EMG (peak 1)")
        else:
            self.plot.hideAxis("right")
        self.emg_view.setVisible(shown)
        self._sync_emg_view()

    def _sync_emg_view(self) -> None:
        self.emg_view.setGeometry(self.viewbox.sceneBoundingRect())
        self.emg_view.linkedViewChanged(self.viewbox, self.emg_view.XAxis)

    def _update_dots(self) -> None:
        cycle = self._cycle
        if cycle is None or not self._dot_values:
            self.dots.setData([], [])
        else:
            p = self._percent
            ys = [float(interpolate(cycle, v, p)) for v in self._dot_values]
            brushes = [c.opts["pen"].color() for c in self._curves]
            self.dots.setData(
                [p] * len(ys), ys, brush=brushes, pen=pg.mkPen(self._theme.halo, width=1)
            )
        if cycle is None or self._emg_values is None:
            self.emg_dot.setData([], [])
        else:
            p = self._percent
            y = float(interpolate(cycle, self._emg_values, p))
            self.emg_dot.setData(
                [p],
                [y],
                brush=pg.mkBrush(self._theme.text),
                pen=pg.mkPen(self._theme.halo, width=1),
            )

    def _apply_theme(self) -> None:
        t = self._theme = theme_for(self.palette())
        self.view.setBackground(t.background)
        style_plot(self.plot, t)
        right = self.plot.getAxis("right")
        right.setPen(pg.mkPen(t.muted))
        right.setTextPen(pg.mkPen(t.text))
        self.agreement_label.setStyleSheet(f"color: {t.text.name()};")
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
