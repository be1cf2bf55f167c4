"""Building blocks of the plots over the gait cycle (pyqtgraph), shared by the panels.

Not a panel: the activation plots, the Work view and the fibre-and-energy view each build
their own widgets from these parts.

- :class:`ScrubViewBox`: a view that does not pan or zoom, whose clicks and drags report the
  instant (and row) under the mouse;
- :class:`GroupAxis` / :class:`EventAxis`: the muscle groups' names and swatches down the left
  of a heatmap, the foot events' names above it;
- :func:`muscle_rows`: one leg's muscles in rows, by group, as every heatmap orders them;
- :class:`Legend`, :class:`ElidedLabel`, :func:`cursor_lines`, :func:`style_plot`,
  :func:`curve_label`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
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
from PySide6.QtWidgets import QSizePolicy, QWidget

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.gait.cycle import Provenance
from anatomy_viewer.gait.fibre_use import FibreState
from anatomy_viewer.scene.colormaps import FIBRE_COLOURS
from anatomy_viewer.ui.theme import PROVENANCE_TEXT, Theme
from anatomy_viewer.ui.widgets import ElidedLabel

__all__ = ["ElidedLabel"]  # re-exported for the plots

SIDE_NAMES = {"r": "right", "l": "left"}
# Okabe & Ito (2008) colour-blind safe qualitative palette, black left out (dark backgrounds)
# and yellow last (it vanishes on white: on a light background it is darkened).
CURVE_COLOURS = ("#e69f00", "#56b4e9", "#009e73", "#d55e00", "#0072b2", "#cc79a7", "#f0e442")
CURVE_COLOURS_EXTRA = ("#999999",)
OTHER_GROUP = ("other", "Other", "#7f7f7f")
EVENT_SHORT = {"initial_contact": "foot strike", "toe_off": "toe-off"}
#: The fast-fibre scale: from the 3-D view's "slow fibres only" blue through a pale neutral
#: to its "fast fibres too" amber and a deeper orange; a muscle at rest in its grey.
FAST_FIBRE_STOPS = (
    (0.0, FIBRE_COLOURS[FibreState.SLOW][0]),
    (0.4, "#d9d4c3"),
    (0.7, FIBRE_COLOURS[FibreState.FAST][0]),
    (1.0, "#e3701a"),
)
REST_COLOUR = FIBRE_COLOURS[FibreState.REST][0]
#: Muscle power: absorbing (negative) blue, generating (positive) orange, nothing at the
#: background's colour (colour-blind safe: blue against orange).
POWER_STOPS_DARK = (
    (0.0, "#9ecae1"),
    (0.25, "#3182bd"),
    (0.5, "#1f2023"),
    (0.75, "#e6550d"),
    (1.0, "#fdd0a2"),
)
POWER_STOPS_LIGHT = (
    (0.0, "#08519c"),
    (0.25, "#6baed6"),
    (0.5, "#ffffff"),
    (0.75, "#fd8d3c"),
    (1.0, "#a63603"),
)
GENERATING_COLOUR = "#e6550d"
ABSORBING_COLOUR = "#3182bd"


def _colormap(stops: Sequence[tuple[float, str]], name: str) -> pg.ColorMap:
    pos = np.array([p for p, _ in stops])
    rgb = np.array([[QColor(c).red(), QColor(c).green(), QColor(c).blue()] for _, c in stops])
    return pg.ColorMap(pos, rgb.astype(np.uint8), name=name)


def fast_fibre_colormap() -> pg.ColorMap:
    """Colours of the fast fibres' share of the working fibres (0 = slow fibres only)."""
    return _colormap(FAST_FIBRE_STOPS, "fast fibres")


def power_colormap(dark: bool) -> pg.ColorMap:
    """Diverging colours of muscle power: blue absorbing, orange generating, none neutral."""
    return _colormap(POWER_STOPS_DARK if dark else POWER_STOPS_LIGHT, "muscle power")


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


def side_of(name: str) -> str | None:
    base, sep, side = name.rpartition("_")
    return side if sep and side in ("r", "l") else None


def counterpart(name: str, side: str) -> str:
    base, sep, s = name.rpartition("_")
    return f"{base}_{side}" if sep and s in ("r", "l") else name


def style_plot(plot: pg.PlotItem, theme: Theme) -> None:
    for key in ("left", "bottom"):
        ax = plot.getAxis(key)
        ax.setPen(pg.mkPen(theme.muted))
        ax.setTextPen(pg.mkPen(theme.text))
        ax.enableAutoSIPrefix(False)
    # let the labels at the ends of the axes show, with room for them on the right
    plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
    plot.getAxis("left").setStyle(hideOverlappingLabels=False)
    plot.setContentsMargins(0, 6, 12, 0)


class ScrubViewBox(pg.ViewBox):
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


def cursor_lines(theme: Theme) -> tuple[pg.InfiniteLine, pg.InfiniteLine]:
    """The current-position line: a thin light line on a dark halo, readable on any colour."""
    halo = pg.InfiniteLine(0.0, angle=90, movable=False, pen=pg.mkPen(theme.halo, width=4))
    line = pg.InfiniteLine(0.0, angle=90, movable=False, pen=pg.mkPen(theme.cursor, width=1.5))
    halo.setZValue(50)
    line.setZValue(51)
    return halo, line


@dataclass(frozen=True)
class GroupBand:
    key: str
    name: str
    colour: str
    first: int  # first row
    count: int


class GroupAxis(pg.AxisItem):
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


class EventAxis(pg.AxisItem):
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


class Legend(QWidget):
    """Legend rows: a line swatch in the curve's style, the muscle (or what the curve is), and
    where it comes from. A row too long for the width takes two lines: the source goes under
    the name instead of being cut short."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curveLegend")
        self.entries: list[tuple[QPen, str, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_entries(self, entries: list[tuple[QPen, str, str]]) -> None:
        self.entries = entries
        self._fit_height()
        self.update()

    def _row_h(self) -> float:
        return QFontMetricsF(self.font()).height() + 3

    def _name_width(self) -> float:
        fm = QFontMetricsF(self.font())
        return max((fm.horizontalAdvance(n) for _, n, _ in self.entries), default=0.0)

    def _layout(self) -> list[tuple[float, bool]]:
        """(top, on two lines) of each entry at the current width."""
        fm = QFontMetricsF(self.font())
        rh = self._row_h()
        name_w = min(self._name_width(), self.width() * 0.5)
        rest = self.width() - 38 - name_w - 20
        out, y = [], 2.0
        for _, _, where in self.entries:
            two = fm.horizontalAdvance("\u2014 " + where) > rest
            out.append((y, two))
            y += rh * (2 if two else 1)
        return out

    def _fit_height(self) -> None:
        if not self.entries:
            self.setFixedHeight(0)
            return
        rows = sum(2 if two else 1 for _, two in self._layout())
        self.setFixedHeight(int(self._row_h() * rows + 4))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_height()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        rh = self._row_h()
        text = self.palette().color(QPalette.ColorRole.WindowText)
        muted = QColor(text)
        muted.setAlphaF(0.65)
        name_w = min(self._name_width(), self.width() * 0.5)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for (pen, name, where), (y, two) in zip(self.entries, self._layout(), strict=True):
            mid = y + rh / 2
            if pen.widthF() >= 8:  # a shaded band
                p.fillRect(QRectF(6, mid - 5, 24, 10), pen.color())
            else:
                swatch = QPen(pen)
                swatch.setWidthF(2.5)
                p.setPen(swatch)
                p.drawLine(QPointF(6, mid), QPointF(30, mid))
            p.setPen(text)
            if two:
                width = self.width() - 38 - 8
                p.drawText(
                    QRectF(38, y, width, rh),
                    int(left),
                    fm.elidedText(name, Qt.TextElideMode.ElideRight, width),
                )
                p.setPen(muted)
                p.drawText(
                    QRectF(38, y + rh, width, rh),
                    int(left),
                    fm.elidedText("\u2014 " + where, Qt.TextElideMode.ElideRight, width),
                )
                continue
            nr = QRectF(38, y, name_w, rh)
            p.drawText(nr, int(left), fm.elidedText(name, Qt.TextElideMode.ElideRight, name_w))
            rest = self.width() - nr.right() - 12
            p.setPen(muted)
            p.drawText(
                QRectF(nr.right() + 8, y, rest, rh),
                int(left),
                fm.elidedText("\u2014 " + where, Qt.TextElideMode.ElideRight, rest),
            )

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        y = event.position().y()
        for (_, name, where), (top, two) in zip(self.entries, self._layout(), strict=True):
            if top <= y < top + self._row_h() * (2 if two else 1):
                self.setToolTip(f"{name} \u2014 {where}")
                break
        super().mouseMoveEvent(event)


@dataclass
class HeatmapParts:
    """A heatmap over the cycle: muscle groups down the left, foot events along the top."""

    plot: pg.PlotItem
    group_axis: GroupAxis
    event_axis: EventAxis
    image: pg.ImageItem
    colorbar: pg.ColorBarItem
    event_lines: list[pg.InfiniteLine]

    def set_events(self, events: Sequence, theme: Theme) -> None:
        """Dashed lines at ``events`` (a leg's :class:`~anatomy_viewer.gait.cycle.Event`), their
        names in the margin above the image, where they cover no row."""
        for line in self.event_lines:
            self.plot.removeItem(line)
        self.event_lines.clear()
        ticks = []
        for ev in sorted(events, key=lambda e: e.percent):
            line = pg.InfiniteLine(
                ev.percent % 100.0,
                angle=90,
                movable=False,
                pen=pg.mkPen(theme.cursor, width=1, style=Qt.PenStyle.DashLine),
            )
            line.setZValue(30)
            line.setOpacity(0.8)
            self.plot.addItem(line)
            self.event_lines.append(line)
            ticks.append((ev.percent % 100.0, EVENT_SHORT.get(ev.kind, ev.kind)))
        self.event_axis.set_events(ticks)

    def style(self, theme: Theme) -> None:
        style_plot(self.plot, theme)
        self.group_axis.text_colour = theme.text
        self.event_axis.text_colour = theme.cursor
        self.colorbar.axis.setPen(pg.mkPen(theme.muted))
        self.colorbar.axis.setTextPen(pg.mkPen(theme.text))


def heatmap_parts(
    view: pg.GraphicsLayoutWidget, viewbox: pg.ViewBox, cmap: pg.ColorMap, levels: tuple
) -> HeatmapParts:
    """Build a heatmap over the cycle in ``view``: the plot on ``viewbox`` with its axes (%
    of the cycle below), the image (rows top to bottom) and a colour bar beside it."""
    view.ci.setContentsMargins(2, 4, 2, 2)
    group_axis, event_axis = GroupAxis(), EventAxis()
    plot = view.addPlot(
        row=0, col=0, viewBox=viewbox, axisItems={"left": group_axis, "top": event_axis}
    )
    plot.hideButtons()
    plot.setMenuEnabled(False)
    plot.getAxis("bottom").setTicks([[(v, str(v)) for v in range(0, 101, 10)]])
    plot.setLabel("bottom", "% of gait cycle")
    plot.showAxis("top")
    image = pg.ImageItem(axisOrder="row-major")
    image.setColorMap(cmap)
    plot.addItem(image)
    colorbar = pg.ColorBarItem(
        values=levels, width=12, colorMap=cmap, interactive=False, colorMapMenu=False
    )
    colorbar.setImageItem(image)
    # Plain numbers on the bar, not pyqtgraph's SI scaling ("0 .. 300" and "(x0.001)" for
    # 0 .. 0.3 with a gain).
    colorbar.axis.setSIPrefixEnableRanges(())
    colorbar.axis.enableAutoSIPrefix(False)
    # Room above and below the bar for the half of the end labels ("0", "1.0") that stands
    # out of it: without it the "0" was cut off at the bottom.
    colorbar.setContentsMargins(0, 8, 0, 8)
    view.addItem(colorbar, row=0, col=1)
    return HeatmapParts(plot, group_axis, event_axis, image, colorbar, [])


def plain_builtin_gait(model) -> str | None:  # noqa: ANN001 (AppModel)
    """The built-in gait whose own cycle the model shows (not a what-if of it, such as weak
    hip abductors, nor a trial), or None."""
    name = model.gait_name
    if name is None or model.animation is None:
        return None
    return name if model.animation is model.gait_animation(name) else None


def muscle_rows(names: Sequence[str], side: str) -> tuple[list[str], list[GroupBand]]:
    """Leg ``side``'s muscles among ``names`` in rows, group by group in the catalogue's
    order (muscles in no group last, as "Other"), and the band of rows of each group."""
    present = set(names)
    rows: list[str] = []
    groups: list[GroupBand] = []
    placed: set[str] = set()
    for g in catalogue().groups:
        mine = [f"{b}_{side}" for b in g.bases if f"{b}_{side}" in present]
        if mine:
            groups.append(GroupBand(g.key, g.name, g.colour, len(rows), len(mine)))
            rows += mine
            placed.update(mine)
    rest = [m for m in names if side_of(m) == side and m not in placed]
    if rest:
        key, name, colour = OTHER_GROUP
        groups.append(GroupBand(key, name, colour, len(rows), len(rest)))
        rows += rest
    return rows, groups
