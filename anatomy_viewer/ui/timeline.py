"""The timeline: the gait cycle from 0 to 100 %, one track per leg, scrubbed with the mouse.

Each leg's track shows stance (the foot on the ground, saturated blue) and swing (muted slate),
the named sub-phases of the cycle as lighter and darker subdivisions with their names where
they fit, markers at initial contact (a triangle pointing down onto the track) and toe-off (a
triangle pointing up, leaving it), percent ticks, and the current position.

Colours follow the widget's palette: the widget is designed for a dark-grey window and adapts
to a light one. The static picture is cached in a pixmap; moving the cursor repaints only the
cursor on top of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from anatomy_viewer.gait.cycle import GaitCycle, Phase
from anatomy_viewer.gait.navigation import (
    EVENT_NAMES,
    event_percent,
    stance_intervals,
    step_percent,
)
from anatomy_viewer.ui.theme import is_dark, mix, text_on

SIDES = (("r", "Right"), ("l", "Left"))

# geometry, in pixels
GUTTER = 46  # left margin holding the leg names
RIGHT_MARGIN = 14
TICK_ROW = 18
TRACK_H = 22
TRACK_GAP = 4
BOTTOM = 6
HEIGHT = TICK_ROW + 2 * TRACK_H + TRACK_GAP + BOTTOM  # 72
LABEL_PAD = 3.0  # free space each side of a phase name inside its band
MIN_ELIDED_CHARS = 6  # an elided name keeps at least this many characters, else abbreviate


# ---------------------------------------------------------------------------------- colours
@dataclass(frozen=True)
class TimelineColours:
    background: QColor
    text: QColor
    ticks: QColor
    stance: QColor
    swing: QColor
    marker: QColor
    cursor: QColor
    halo: QColor


DARK = TimelineColours(
    background=QColor("#2b2d31"),
    text=QColor("#e4e6eb"),
    ticks=QColor("#8b919a"),
    stance=QColor("#3b76c4"),
    swing=QColor("#4a515b"),
    marker=QColor("#ffc857"),
    cursor=QColor("#ffffff"),
    halo=QColor("#141518"),
)
LIGHT = TimelineColours(
    background=QColor("#e9ecf0"),
    text=QColor("#1f2328"),
    ticks=QColor("#6a7079"),
    stance=QColor("#3b76c4"),
    swing=QColor("#c6ccd5"),
    marker=QColor("#c97a00"),
    cursor=QColor("#111111"),
    halo=QColor("#ffffff"),
)


def colours_for(palette: QPalette) -> TimelineColours:
    return DARK if is_dark(palette) else LIGHT


# ------------------------------------------------------------------------ phase-name layout
@dataclass(frozen=True)
class PhaseSegment:
    """A piece of a phase on one track (a phase wrapping past 100 % gives two pieces)."""

    phase: Phase
    start: float  # percent, start < end, both in 0..100
    end: float
    x0: float  # pixels from the start of the track
    x1: float
    text: str  # what is drawn: the full name, an elided or abbreviated one, or ""
    fit: str  # "full", "elided", "abbreviated" or "none"


def phase_segments(phases: Sequence[Phase], side: str) -> list[tuple[Phase, float, float]]:
    """The phases of leg ``side`` as non-wrapping (phase, start, end) pieces, by start."""
    out = []
    for ph in phases:
        if ph.side != side:
            continue
        s, e = ph.start % 100.0 if ph.start != 100.0 else 100.0, ph.end
        if e == 0.0 and s > 0.0:
            e = 100.0
        if s <= e:
            out.append((ph, s, e))
        else:
            out.append((ph, s, 100.0))
            out.append((ph, 0.0, e))
    return sorted((p for p in out if p[2] > p[1]), key=lambda p: p[1])


def abbreviations(names: Sequence[str]) -> dict[str, str]:
    """Initials of each name's words ("loading response" -> "LR"); where two names share their
    initials the last word keeps two letters ("mid-stance" -> "MSt", "mid-swing" -> "MSw", as in
    Perry's notation). A one-word name keeps its first three letters and a dot."""

    def words(n: str) -> list[str]:
        return [w for w in n.replace("-", " ").split() if w]

    def initials(n: str, long_last: bool) -> str:
        ws = words(n)
        if len(ws) <= 1:
            return (n[:3] + ".") if len(n) > 4 else n
        head = "".join(w[0].upper() for w in ws[:-1])
        last = ws[-1]
        return head + (last[0].upper() + last[1:2].lower() if long_last else last[0].upper())

    unique = list(dict.fromkeys(names))
    first = {n: initials(n, False) for n in unique}
    return {
        n: initials(n, True) if any(first[m] == first[n] for m in unique if m != n) else first[n]
        for n in unique
    }


def elide(text: str, width: float, text_width: Callable[[str], float]) -> str:
    """``text`` cut to fit ``width`` with a trailing ellipsis ("" if not even one letter fits)."""
    if text_width(text) <= width:
        return text
    for n in range(len(text) - 1, 0, -1):
        candidate = text[:n].rstrip(" -") + "\u2026"
        if text_width(candidate) <= width:
            return candidate
    return ""


def layout_phase_labels(
    phases: Sequence[Phase],
    side: str,
    track_width: float,
    text_width: Callable[[str], float],
    pad: float = LABEL_PAD,
) -> list[PhaseSegment]:
    """Decide which name each phase band of leg ``side`` shows on a track ``track_width`` px wide.

    In order of preference: the full name, the name elided (keeping at least
    ``MIN_ELIDED_CHARS`` letters), the abbreviation, nothing. ``text_width`` measures a string
    in pixels (e.g. ``QFontMetricsF.horizontalAdvance``).
    """
    short = abbreviations([p.name for p in phases if p.side == side])
    out = []
    for ph, s, e in phase_segments(phases, side):
        x0, x1 = s / 100.0 * track_width, e / 100.0 * track_width
        room = x1 - x0 - 2 * pad
        name = ph.name
        text, fit = "", "none"
        if room > 0 and text_width(name) <= room:
            text, fit = name, "full"
        else:
            el = elide(name, room, text_width) if room > 0 else ""
            if el and len(el) - 1 >= MIN_ELIDED_CHARS:
                text, fit = el, "elided"
            elif room > 0 and text_width(short[name]) <= room:
                text, fit = short[name], "abbreviated"
        out.append(PhaseSegment(ph, s, e, x0, x1, text, fit))
    return out


# --------------------------------------------------------------------------------- widget
class Timeline(QWidget):
    """Custom-painted timeline of one gait cycle. Click, drag, wheel or keys scrub it.

    Signals: ``seekRequested(float)`` while the user moves the position (continuously while
    dragging), ``scrubbingChanged(bool)`` when a mouse drag starts and ends.
    """

    seekRequested = Signal(float)
    scrubbingChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setAccessibleName("Gait cycle timeline")
        self.setAccessibleDescription(
            "Position in the gait cycle from 0 to 100 percent, with the stance and swing "
            "phases of the right and left leg. Click or drag to move; arrow keys step."
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(HEIGHT)
        self.setMinimumWidth(240)
        self._cycle: GaitCycle | None = None
        self._percent = 0.0
        self._dragging = False
        self._hover_x: float | None = None
        self._wheel_rest = 0
        self._cache: QPixmap | None = None

    # ------------------------------------------------------------------ API
    def set_cycle(self, cycle: GaitCycle | None) -> None:
        self._cycle = cycle
        self._cache = None
        self.update()

    def cycle(self) -> GaitCycle | None:
        return self._cycle

    def set_percent(self, percent: float) -> None:
        """Move the cursor (no signal: this is how the playback tells the timeline)."""
        p = min(max(float(percent), 0.0), 100.0)
        if p != self._percent:
            old = self._cursor_rect(self._percent)
            self._percent = p
            self.update(old.united(self._cursor_rect(p)).toAlignedRect())

    def percent(self) -> float:
        return self._percent

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(800, HEIGHT)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(240, HEIGHT)

    # ------------------------------------------------------------------ geometry
    def track_left(self) -> float:
        return float(GUTTER)

    def track_width(self) -> float:
        return max(float(self.width() - GUTTER - RIGHT_MARGIN), 1.0)

    def x_of(self, percent: float) -> float:
        """Widget x coordinate of ``percent``."""
        return self.track_left() + percent / 100.0 * self.track_width()

    def percent_at(self, x: float) -> float:
        """Percent under widget x coordinate ``x`` (clamped to 0..100)."""
        p = (x - self.track_left()) / self.track_width() * 100.0
        return min(max(p, 0.0), 100.0)

    def track_rect(self, side: str) -> QRectF:
        top = TICK_ROW + (0 if side == "r" else TRACK_H + TRACK_GAP)
        return QRectF(self.track_left(), top, self.track_width(), TRACK_H)

    def label_layout(self, side: str) -> list[PhaseSegment]:
        """Which phase names of leg ``side`` are drawn at the current width, and how."""
        if self._cycle is None:
            return []
        fm = QFontMetricsF(self._band_font())
        return layout_phase_labels(
            self._cycle.phases, side, self.track_width(), fm.horizontalAdvance
        )

    def _band_font(self):
        f = self.font()
        f.setPointSizeF(max(f.pointSizeF() * 0.92, 7.0))
        return f

    def _tick_font(self):
        f = self.font()
        f.setPointSizeF(max(f.pointSizeF() * 0.82, 6.5))
        return f

    def _cursor_rect(self, percent: float) -> QRectF:
        x = self.x_of(percent)
        return QRectF(x - 24, 0, 48, self.height())

    # ------------------------------------------------------------------ painting
    def _render_static(self) -> QPixmap:
        dpr = self.devicePixelRatioF()
        pm = QPixmap(QSize(math.ceil(self.width() * dpr), math.ceil(self.height() * dpr)))
        pm.setDevicePixelRatio(dpr)
        pal = self.palette()
        col = colours_for(pal)
        pm.fill(pal.color(QPalette.ColorRole.Window))
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self._paint_ticks(p, col)
        for side, name in SIDES:
            self._paint_track(p, col, side, name)
        p.end()
        return pm

    def _paint_ticks(self, p: QPainter, col: TimelineColours) -> None:
        font = self._tick_font()
        p.setFont(font)
        fm = QFontMetricsF(font)
        base = TICK_ROW - 1.5
        label_every = 10 if self.track_width() / 10 > fm.horizontalAdvance("100") + 8 else 20
        for k in range(0, 101, 5):
            x = self.x_of(k)
            major = k % 10 == 0
            p.setPen(QPen(col.ticks, 1.0))
            p.drawLine(QPointF(x, base), QPointF(x, base - (4.0 if major else 2.0)))
            if k % label_every == 0:
                t = str(k)
                w = fm.horizontalAdvance(t)
                p.setPen(col.text if major else col.ticks)
                p.drawText(QPointF(x - w / 2, base - 5.5), t)
        p.setPen(col.ticks)
        t = "%"
        p.drawText(QPointF(GUTTER - 8 - fm.horizontalAdvance(t), base - 5.5), t)

    def _paint_track(self, p: QPainter, col: TimelineColours, side: str, name: str) -> None:
        rect = self.track_rect(side)
        font = self._band_font()
        p.setFont(font)
        # leg name in the gutter
        p.setPen(col.text)
        p.drawText(
            QRectF(0, rect.top(), GUTTER - 8, rect.height()),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            name,
        )
        clip = QPainterPath()
        clip.addRoundedRect(rect, 3.0, 3.0)
        p.save()
        p.setClipPath(clip)
        p.fillRect(rect, col.swing)
        cycle = self._cycle
        if cycle is None:
            p.restore()
            return
        stance = stance_intervals(cycle, side)
        for s, e in stance:
            p.fillRect(self._span(rect, s, e), col.stance)

        def base_at(percent: float) -> QColor:
            inside = any(s <= percent < e for s, e in stance)
            return col.stance if inside else col.swing

        # sub-phases: every other one lighter, a hairline between them, names where they fit
        layout = self.label_layout(side)
        order_of = {ph: i for i, ph in enumerate(x for x in cycle.phases if x.side == side)}
        for seg in layout:
            order = order_of.get(seg.phase, 0)
            span = self._span(rect, seg.start, seg.end)
            fill = base_at((seg.start + seg.end) / 2)
            if order % 2 == 1:
                p.fillRect(span, mix(fill, col.text, 0.13))
        sep = QPen(col.background if is_dark(self.palette()) else QColor("#ffffff"), 1.0)
        p.setPen(sep)
        for seg in layout:
            if seg.start > 0.0:
                x = round(self.x_of(seg.start)) + 0.5
                p.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        for seg in layout:
            if not seg.text:
                continue
            span = self._span(rect, seg.start, seg.end)
            fill = base_at((seg.start + seg.end) / 2)
            p.setPen(text_on(fill))
            p.drawText(span, int(Qt.AlignmentFlag.AlignCenter), seg.text)
        p.restore()
        # events: initial contact points down onto the track, toe-off points up off it
        p.setPen(QPen(col.halo, 1.0))
        p.setBrush(col.marker)
        for ev in cycle.events_of(side):
            xs = [self.x_of(ev.percent % 100.0)]
            if cycle.periodic and ev.percent % 100.0 == 0.0:
                xs.append(self.x_of(100.0))
            for x in xs:
                p.drawPolygon(self._marker(x, rect, ev.kind))

    @staticmethod
    def _marker(x: float, rect: QRectF, kind: str) -> QPolygonF:
        w, h = 5.0, 6.0
        if kind == "initial_contact":
            y = rect.top()
            pts = [QPointF(x - w, y - 1), QPointF(x + w, y - 1), QPointF(x, y + h)]
        else:
            y = rect.bottom()
            pts = [QPointF(x - w, y + 1), QPointF(x + w, y + 1), QPointF(x, y - h)]
        return QPolygonF(pts)

    def _span(self, rect: QRectF, start: float, end: float) -> QRectF:
        x0, x1 = self.x_of(start), self.x_of(end)
        return QRectF(x0, rect.top(), x1 - x0, rect.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        if self._cache is None or self._cache.deviceIndependentSize().toSize() != self.size():
            self._cache = self._render_static()
        p = QPainter(self)
        p.drawPixmap(0, 0, self._cache)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        col = colours_for(self.palette())
        top = self.track_rect("r").top()
        bottom = self.track_rect("l").bottom()
        if self.hasFocus():
            p.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 1.0))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(
                QRectF(
                    self.track_left() - 2.5, top - 2.5, self.track_width() + 5, bottom - top + 5
                ),
                4,
                4,
            )
        if self._hover_x is not None and not self._dragging:
            p.setPen(QPen(mix(col.cursor, col.background, 0.45), 1.0, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(self._hover_x, top), QPointF(self._hover_x, bottom))
        # cursor: a line with a halo, and a pill with the percent on the tick row
        x = self.x_of(self._percent)
        p.setPen(QPen(col.halo, 4.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(x, top - 1), QPointF(x, bottom + 1))
        p.setPen(QPen(col.cursor, 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(x, top - 1), QPointF(x, bottom + 1))
        font = self._tick_font()
        font.setBold(True)
        p.setFont(font)
        fm = QFontMetricsF(font)
        text = f"{self._percent:.1f}"
        w = fm.horizontalAdvance(text) + 8
        pill = QRectF(x - w / 2, 1, w, TICK_ROW - 3)
        pill.moveLeft(min(max(pill.left(), 1.0), self.width() - w - 1.0))
        p.setPen(QPen(col.halo, 1.0))
        p.setBrush(col.cursor)
        p.drawRoundedRect(pill, 4, 4)
        p.setPen(col.halo)
        p.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), text)
        p.end()

    # ------------------------------------------------------------------ events
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        self._cache = None
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
        ):
            self._cache = None
            self.update()
        super().changeEvent(event)

    def _user_seek(self, percent: float) -> None:
        p = min(max(float(percent), 0.0), 100.0)
        self.set_percent(p)
        self.seekRequested.emit(p)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragging = True
            self.scrubbingChanged.emit(True)
            self._user_seek(self.percent_at(event.position().x()))
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        x = event.position().x()
        if self._dragging:
            self._user_seek(self.percent_at(x))
        else:
            old = self._hover_x
            self._hover_x = min(max(x, self.track_left()), self.track_left() + self.track_width())
            for hx in (old, self._hover_x):
                if hx is not None:
                    self.update(QRectF(hx - 2, 0, 4, self.height()).toAlignedRect())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton and self._dragging:
            self._user_seek(self.percent_at(event.position().x()))
            self._dragging = False
            self.scrubbingChanged.emit(False)
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        self._hover_x = None
        self.update()
        super().leaveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt API)
        """One notch steps one sample (ten with Shift); scrolling down moves forward."""
        delta = event.angleDelta().y() or event.angleDelta().x()
        self._wheel_rest += delta
        notches = int(self._wheel_rest / 120)
        if notches:
            self._wheel_rest -= notches * 120
            n = -notches * (10 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
            self._user_seek(step_percent(self._cycle, self._percent, n))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Keys when the timeline has focus and no window shortcut took them first."""
        key, mods = event.key(), event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        target: float | None = None
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            direction = 1 if key == Qt.Key.Key_Right else -1
            if shift:
                target = event_percent(self._cycle, self._percent, direction)
            else:
                target = step_percent(self._cycle, self._percent, direction)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            target = self._percent + (10.0 if key == Qt.Key.Key_PageDown else -10.0)
        elif key == Qt.Key.Key_Home:
            target = 0.0
        elif key == Qt.Key.Key_End:
            target = 100.0
        if target is None:
            super().keyPressEvent(event)
            return
        self._user_seek(target)
        event.accept()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self.tooltip_at(event.position())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def tooltip_at(self, pos: QPointF) -> str:
        """Tooltip text at widget position ``pos``: the phase's full name and extent, events."""
        cycle = self._cycle
        percent = self.percent_at(pos.x())
        for side, leg in SIDES:
            rect = self.track_rect(side).adjusted(0, -4, 0, 4)
            if not rect.contains(pos) or cycle is None:
                continue
            lines = []
            for seg in self.label_layout(side):
                if seg.start <= percent <= seg.end:
                    ph = seg.phase
                    state = (
                        "stance"
                        if any(s <= percent <= e for s, e in stance_intervals(cycle, side))
                        else "swing"
                    )
                    lines.append(
                        f"<b>{leg} leg: {ph.name}</b><br>{ph.start:.1f}\u2013{ph.end:.1f} % "
                        f"of the cycle ({state})"
                    )
                    break
            tol = 6.0 / self.track_width() * 100.0
            for ev in cycle.events_of(side):
                if abs((percent - ev.percent + 50.0) % 100.0 - 50.0) <= tol:
                    lines.append(f"{leg} {EVENT_NAMES.get(ev.kind, ev.kind)} at {ev.percent:.1f} %")
            if not lines:
                lines.append(f"{leg} leg: {cycle.phase_at(side, percent)}")
            lines.append(f"<span>click to go to {percent:.1f} %</span>")
            return "<br>".join(lines)
        if pos.y() < TICK_ROW:
            return f"{percent:.1f} % of the gait cycle (0 % = right initial contact)"
        return ""
