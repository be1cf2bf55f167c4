"""The Work view: which muscles generate and which absorb work over the stride, and when.

Three linked plots of the gait shown (right leg), from :mod:`anatomy_viewer.gait.muscle_work`:

- a heatmap of every muscle's power over the cycle (orange generating, blue absorbing);
- the selected muscle's power over the cycle, its generated and absorbed work in stance and
  swing;
- bars of each muscle group's (or muscle's) positive and negative work over the stride.

Under them, the article's claims as figures of the gait shown (the vasti braking the landing,
the calves absorbing then generating, gluteus maximus generating) and where the forces come
from. The panel receives the :class:`~anatomy_viewer.app.model.AppModel`: it follows the gait
or trial shown, the instant and the selected muscle, and a click seeks or selects through the
model. It computes only while it is shown.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.anatomy.dynamics import LegDynamics
from anatomy_viewer.app.model import AppModel
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.muscle_work import (
    MusclePower,
    animation_muscle_power,
    builtin_muscle_power,
    cycle_muscle_power,
    power_source_problem,
    stride_claims,
)
from anatomy_viewer.gait.navigation import stance_intervals
from anatomy_viewer.resources import load_toml
from anatomy_viewer.ui.plot_parts import (
    ABSORBING_COLOUR,
    GENERATING_COLOUR,
    ElidedLabel,
    GroupBand,
    ScrubViewBox,
    counterpart,
    cursor_lines,
    curve_label,
    heatmap_parts,
    muscle_rows,
    plain_builtin_gait,
    power_colormap,
    style_plot,
)
from anatomy_viewer.ui.theme import is_dark, theme_for
from anatomy_viewer.ui.throttle import PlayingThrottle

SIDE = "r"
BAR_MODES = {"groups": "Muscle groups", "muscles": "Muscles"}


def _texts() -> dict[str, str]:
    return dict(load_toml("ui", "analysis.toml")["work"])


def _nice(value: float) -> float:
    """``value`` rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    exp = np.floor(np.log10(value))
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * 10**exp >= value:
            return float(m * 10**exp)
    return float(10 ** (exp + 1))


def joules(value: float) -> str:
    """A work in J as text: whole joules from 10 J, one decimal below."""
    return f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"


def claims_text(power: MusclePower, side: str = SIDE) -> str:
    """The article's claims as figures of ``power``'s gait ("" when they cannot be put, e.g.
    for a whole trial shown in time)."""
    c = stride_claims(power, side)
    if c is None:
        return ""
    return _texts()["claims"].format(
        vasti_neg=joules(-c.vasti_early[1]),
        vasti_pos=joules(c.vasti_early[0]),
        calves_early_neg=joules(-c.calves_early[1]),
        calves_late_pos=joules(c.calves_late[0]),
        extensors_pos=joules(c.hip_extensors_stance[0]),
        extensors_neg=joules(-c.hip_extensors_stance[1]),
    )


class _BarChart(pg.PlotWidget):
    """Horizontal bars: each row's negative work to the left (blue), positive to the right
    (orange), with the figures at the bars' ends. A click reports the row."""

    rowClicked = Signal(int)

    def __init__(self) -> None:
        self.viewbox = ScrubViewBox(invertY=True)
        super().__init__(viewBox=self.viewbox)
        self.setObjectName("workBars")
        self.plot = self.getPlotItem()
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.setLabel("bottom", "work (J): absorbed \u2190 | \u2192 generated")
        self.plot.showGrid(x=True, y=False, alpha=0.15)
        self.neg = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[])
        self.pos = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[])
        self.plot.addItem(self.neg)
        self.plot.addItem(self.pos)
        self.zero = pg.InfiniteLine(0.0, angle=90, movable=False)
        self.plot.addItem(self.zero)
        self.highlight = QGraphicsRectItem()
        self.highlight.setZValue(40)
        self.highlight.setVisible(False)
        self.viewbox.addItem(self.highlight)
        self.labels: list[pg.TextItem] = []
        self.rows: list[tuple[str, float, float]] = []
        self.viewbox.pressed.connect(self._pressed)

    def set_rows(self, rows: list[tuple[str, float, float]], theme) -> None:
        """``rows``: (name, positive J, negative J) from top to bottom."""
        self.rows = rows
        for item in self.labels:
            self.plot.removeItem(item)
        self.labels = []
        n = len(rows)
        y = np.arange(n, dtype=float)
        pos = np.array([r[1] for r in rows]) if rows else np.zeros(0)
        neg = np.array([r[2] for r in rows]) if rows else np.zeros(0)
        self.pos.setOpts(x0=np.zeros(n), y=y, width=pos, height=0.62, brush=GENERATING_COLOUR)
        self.neg.setOpts(x0=neg, y=y, width=-neg, height=0.62, brush=ABSORBING_COLOUR)
        self.pos.setOpts(pen=pg.mkPen(None))
        self.neg.setOpts(pen=pg.mkPen(None))
        reach = _nice(max(float(pos.max(initial=0.0)), float(-neg.min(initial=0.0)), 1.0) * 1.3)
        for i, (_, p, q) in enumerate(rows):
            for value, anchor, x in ((p, (0, 0.5), p), (q, (1, 0.5), q)):
                if abs(value) < 0.05:
                    continue
                t = pg.TextItem(("+" if value > 0 else "") + joules(value), anchor=anchor)
                t.setColor(theme.text)
                t.setPos(x + (reach * 0.01 if value > 0 else -reach * 0.01), i)
                self.plot.addItem(t)
                self.labels.append(t)
        ax = self.plot.getAxis("left")
        ax.setTicks([[(i, r[0]) for i, r in enumerate(rows)]])
        ax.setStyle(hideOverlappingLabels=False)
        self.viewbox.setRange(xRange=(-reach, reach), yRange=(-0.6, max(n, 1) - 0.4), padding=0.0)
        self.zero.setPen(pg.mkPen(theme.muted))

    def set_highlight(self, row: int | None, theme) -> None:
        if row is None or not self.rows:
            self.highlight.setVisible(False)
            return
        x0, x1 = self.viewbox.viewRange()[0]
        self.highlight.setRect(QRectF(x0, row - 0.45, x1 - x0, 0.9))
        pen = QPen(theme.cursor, 1.2)
        pen.setCosmetic(True)
        self.highlight.setPen(pen)
        self.highlight.setVisible(True)

    def _pressed(self, x: float, y: float) -> None:
        row = int(round(y))
        if 0 <= row < len(self.rows):
            self.rowClicked.emit(row)


class WorkPanel(QWidget):
    """Who generates and who absorbs work over the stride (see the module documentation)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workPanel")
        self.setAccessibleName("Muscle work over the stride")
        self._model: AppModel | None = None
        self._power: MusclePower | None = None
        self._for: GaitCycle | None = None  # the cycle the power was computed for
        self._dirty = True
        self._dyn: LegDynamics | None = None
        self._rows: list[str] = []
        self._groups: list[GroupBand] = []
        self._selected: str | None = None
        self._percent = 0.0
        self._bar_mode = "groups"
        self._bar_muscles: list[str] = []
        self._from_simulation = False  # a trial's forces from its static optimisation
        self._curve_items: list = []
        self._theme = theme_for(self.palette())
        texts = _texts()

        self.title = ElidedLabel(texts["title"])
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.title.setFont(f)
        self.bar_control = QComboBox()
        self.bar_control.setObjectName("workBarMode")
        self.bar_control.setAccessibleName("Bars per muscle group or per muscle")
        for key, text in BAR_MODES.items():
            self.bar_control.addItem(text, key)
        self.bar_control.activated.connect(
            lambda i: self.set_bar_mode(str(self.bar_control.itemData(i)))
        )
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(QLabel("Bars:"))
        header.addWidget(self.bar_control)
        self.intro = QLabel(texts["intro"])
        self.intro.setWordWrap(True)

        # power heatmap ------------------------------------------------------------------
        self.heat_view = pg.GraphicsLayoutWidget()
        self.heat_view.setObjectName("workHeatmap")
        self.heat_box = ScrubViewBox(invertY=True)
        self.parts = heatmap_parts(
            self.heat_view, self.heat_box, power_colormap(is_dark(self.palette())), (-1.0, 1.0)
        )
        self.heat, self.image, self.colorbar = (
            self.parts.plot,
            self.parts.image,
            self.parts.colorbar,
        )
        self.group_axis = self.parts.group_axis
        self.row_box = QGraphicsRectItem()
        self.row_box.setZValue(40)
        self.row_box.setVisible(False)
        self.heat_box.addItem(self.row_box)
        self._heat_cursor = cursor_lines(self._theme)
        for line in self._heat_cursor:
            self.heat.addItem(line)

        # the selected muscle's power ------------------------------------------------------
        self.curve_title = ElidedLabel(" ")
        self.curve_box = ScrubViewBox()
        self.curve_view = pg.PlotWidget(viewBox=self.curve_box)
        self.curve_view.setObjectName("workCurve")
        self.curve = self.curve_view.getPlotItem()
        self.curve.hideButtons()
        self.curve.setMenuEnabled(False)
        self.curve.setLabel("left", "power (W)")
        self.curve.setLabel("bottom", "% of gait cycle")
        self.curve.getAxis("bottom").setTicks([[(v, str(v)) for v in range(0, 101, 10)]])
        self.curve.showGrid(x=False, y=True, alpha=0.15)
        self._curve_cursor = cursor_lines(self._theme)
        for line in self._curve_cursor:
            self.curve.addItem(line)
        self.curve_dot = pg.ScatterPlotItem(size=7)
        self.curve_dot.setZValue(60)
        self.curve.addItem(self.curve_dot)

        # bars ----------------------------------------------------------------------------
        self.bars = _BarChart()
        self.bars_title = QLabel()
        self.bars_title.setWordWrap(True)
        bf = self.bars_title.font()
        bf.setBold(True)
        self.bars_title.setFont(bf)

        self.claims = QLabel()
        self.claims.setObjectName("workClaims")
        self.claims.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setObjectName("workNotes")
        self.notes.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("workMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.setSpacing(2)
        lv.addWidget(self.heat_view, 3)
        lv.addWidget(self.curve_title)
        lv.addWidget(self.curve_view, 2)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.setSpacing(2)
        rv.addWidget(self.bars_title)
        rv.addWidget(self.bars, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(left)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.intro)
        layout.addWidget(self.message)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.claims)
        layout.addWidget(self.notes)

        self.heat_box.pressed.connect(self._heat_pressed)
        self.heat_box.dragged.connect(lambda x, y, done: self._seek(x))
        self.curve_box.pressed.connect(lambda x, y: self._seek(x))
        self.curve_box.dragged.connect(lambda x, y, done: self._seek(x))
        self.bars.rowClicked.connect(self._bar_clicked)
        self._apply_theme()

    # ------------------------------------------------------------------ the model
    def bind(self, model: AppModel) -> None:
        """Follow ``model``'s gait or trial, instant and selected muscle; clicks seek and
        select through it."""
        self._model = model
        model.events.animation.connect(lambda _a: self._invalidate())
        model.events.simulated.connect(lambda _s: self._invalidate())
        self._percent_throttle = PlayingThrottle(
            self.set_percent, lambda: model.playback.playing, parent=self
        )
        model.playback.events.percent.connect(self._percent_throttle)
        model.selection.changed.connect(self.set_selected)
        self._selected = model.selection.name
        self._percent = model.playback.percent
        self._invalidate()

    def _invalidate(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    # ------------------------------------------------------------------ API
    def power(self) -> MusclePower | None:
        """The power shown (None: nothing, see :meth:`message_text`)."""
        return self._power

    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    def rows(self) -> list[str]:
        return list(self._rows)

    def bar_rows(self) -> list[tuple[str, float, float]]:
        """The bars as (name, positive J, negative J), top to bottom."""
        return list(self.bars.rows)

    def set_bar_mode(self, mode: str) -> None:
        if mode not in BAR_MODES:
            raise ValueError(f"bar mode must be one of {', '.join(BAR_MODES)}, not {mode!r}")
        self._bar_mode = mode
        self.bar_control.setCurrentIndex(list(BAR_MODES).index(mode))
        self._draw_bars()

    def set_percent(self, percent: float) -> None:
        self._percent = float(percent)
        for line in (*self._heat_cursor, *self._curve_cursor):
            line.setValue(self._percent)
        self._update_dot()

    def set_selected(self, name: str | None) -> None:
        self._selected = name
        if self._power is not None:
            self._draw_selection()

    def selected_row(self) -> str | None:
        """The right-leg muscle whose curve is shown."""
        if self._selected is None or self._power is None:
            return None
        m = counterpart(self._selected, SIDE)
        return m if m in self._power.muscle_names else None

    def refresh(self) -> None:
        """Compute (if the gait shown changed) and draw."""
        model = self._model
        self._dirty = False
        cycle = None if model is None else model.cycle
        if cycle is None:
            self._show_message("No gait is shown.")
            return
        if cycle is not self._for or self._power is None:
            try:
                self._power = self._compute(model, cycle)
            except ValueError as exc:
                self._power = None
                self._for = cycle
                self._show_message(str(exc))
                return
            self._for = cycle
        self.message.hide()
        self.split.show()
        self._draw()

    def _compute(self, model: AppModel, cycle: GaitCycle) -> MusclePower:
        """The power of what is shown: a built-in gait's (computed once), an opened trial's
        own (what its CSV export writes), or, for a trial whose activations are measured EMG,
        that of its static optimisation."""
        self._from_simulation = False
        builtin = plain_builtin_gait(model)
        if builtin is not None and cycle.n_samples == 201:
            return builtin_muscle_power(builtin)
        problem = power_source_problem(cycle)
        if problem is None:
            animation = model.animation
            if animation is not None and animation.power is not None:
                return animation_muscle_power(animation)
            return cycle_muscle_power(cycle, self._dynamics())
        if model.simulated is not None:  # the trial's own static optimisation
            self._from_simulation = True
            return cycle_muscle_power(model.simulated, self._dynamics())
        raise ValueError(_texts()["no_power"].format(label=cycle.label, problem=problem))

    def _dynamics(self) -> LegDynamics:
        if self._dyn is None:
            self._dyn = LegDynamics()
        return self._dyn

    def _span(self) -> str:
        """ "stride", or "trial" for a whole trial shown in time."""
        return "trial" if self._power is not None and not self._power.periodic else "stride"

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.split.hide()
        self.claims.clear()
        self.notes.clear()

    # ------------------------------------------------------------------ drawing
    def _draw(self) -> None:
        power = self._power
        texts = _texts()
        self.title.setText(f"{texts['title']} \u2014 {power.label}, right leg")
        self._rows, self._groups = muscle_rows(power.muscle_names, SIDE)
        idx = [power.index(m) for m in self._rows]
        data = power.power[idx]
        top = _nice(float(np.percentile(np.abs(data), 98)) if data.size else 1.0)
        pct = power.percent
        half = (pct[1] - pct[0]) / 2.0
        self.image.setImage(data, autoLevels=False, levels=(-top, top))
        self.image.setRect(
            QRectF(pct[0] - half, 0.0, pct[-1] - pct[0] + 2 * half, max(len(self._rows), 1))
        )
        cmap = power_colormap(is_dark(self.palette()))
        self.image.setColorMap(cmap)
        self.colorbar.setColorMap(cmap)
        self.colorbar.setLevels((-top, top))
        self.colorbar.axis.setLabel("power (W)")
        self.group_axis.set_groups(self._groups)
        self.parts.set_events([e for e in power.events if e.side == SIDE], self._theme)
        n = max(len(self._rows), 1)
        self.heat_box.setRange(xRange=(0.0, 100.0), yRange=(0.0, n), padding=0.0)
        self.claims.setText(claims_text(power))
        source = texts["forces_cycle"]
        if self._from_simulation:
            source += " " + texts["forces_trial"]
        self.notes.setText(f"{source} {texts['tendons']}")
        self._draw_bars()
        self._draw_selection()
        self.set_percent(self._percent)

    def _draw_bars(self) -> None:
        power = self._power
        if power is None:
            return
        if self._bar_mode == "groups":
            rows = [(g.name, g.positive, g.negative) for g in power.group_work(SIDE)]
            self._bar_muscles = []
            self.bars_title.setText(
                f"Work of each muscle group over the {self._span()} (right leg)"
            )
        else:
            pos, neg = power.work()
            self._bar_muscles = list(self._rows)
            rows = [
                (
                    curve_label(m, None)[0].removesuffix(" (R)"),
                    pos[power.index(m)],
                    neg[power.index(m)],
                )
                for m in self._rows
            ]
            self.bars_title.setText(
                f"Work of each muscle over the {self._span()} (right leg); click one"
            )
        self.bars.set_rows([(n, float(p), float(q)) for n, p, q in rows], self._theme)
        self._draw_selection()

    def _draw_selection(self) -> None:
        power = self._power
        if power is None:
            return
        m = self.selected_row()
        if m is not None and m in self._rows:
            row = self._rows.index(m)
            self.row_box.setRect(QRectF(0.0, row, 100.0, 1.0))
            pen = QPen(self._theme.cursor, 1.5)
            pen.setCosmetic(True)
            self.row_box.setPen(pen)
            self.row_box.setVisible(True)
        else:
            self.row_box.setVisible(False)
        bar_row = None
        if self._bar_mode == "muscles" and m in self._bar_muscles:
            bar_row = self._bar_muscles.index(m)
        elif self._bar_mode == "groups" and m is not None:
            try:
                key = catalogue().group_of(m)
                bar_row = [g.key for g in power.group_work(SIDE)].index(key)
            except (KeyError, ValueError):
                bar_row = None
        self.bars.set_highlight(bar_row, self._theme)
        self._draw_curve(m)

    def _draw_curve(self, muscle: str | None) -> None:
        for item in self._curve_items:
            self.curve.removeItem(item)
        self._curve_items = []
        power = self._power
        if muscle is None:
            self.curve_title.setText(
                "Select a muscle (click a row of the heatmap, a muscle in the 3-D view or a "
                "bar in Muscles mode) to see its power over the stride."
            )
            self.curve_dot.setData([], [])
            return
        t = self._theme
        cycle_like = self._model.cycle if self._model is not None else None
        if cycle_like is not None:
            for s, e in stance_intervals(cycle_like, SIDE):
                band = pg.LinearRegionItem(
                    (s, e), movable=False, brush=pg.mkBrush(t.stance), pen=pg.mkPen(None)
                )
                band.setZValue(-10)
                self.curve.addItem(band)
                self._curve_items.append(band)
        p = power.muscle_power(muscle)
        x = power.percent
        zero = pg.PlotDataItem(x, np.zeros_like(x), pen=pg.mkPen(None))
        gen = pg.PlotDataItem(x, np.maximum(p, 0.0), pen=pg.mkPen(None))
        absb = pg.PlotDataItem(x, np.minimum(p, 0.0), pen=pg.mkPen(None))
        fill_pos = QColor(GENERATING_COLOUR)
        fill_pos.setAlphaF(0.55)
        fill_neg = QColor(ABSORBING_COLOUR)
        fill_neg.setAlphaF(0.55)
        items = [
            zero,
            gen,
            absb,
            pg.FillBetweenItem(zero, gen, brush=pg.mkBrush(fill_pos)),
            pg.FillBetweenItem(absb, zero, brush=pg.mkBrush(fill_neg)),
            pg.PlotDataItem(x, p, pen=pg.mkPen(t.text, width=1.5), antialias=True),
        ]
        for item in items:
            self.curve.addItem(item)
            self._curve_items.append(item)
        lo, hi = float(min(p.min(), 0.0)), float(max(p.max(), 0.0))
        span = max(hi - lo, 1.0)
        self.curve_box.setRange(
            xRange=(0.0, 100.0), yRange=(lo - 0.05 * span, hi + 0.05 * span), padding=0.0
        )
        who = curve_label(muscle, None)[0]
        pos, neg = power.muscle_work([muscle])
        toe_off = power.first_event(SIDE, "toe_off")
        phases = ""
        if power.periodic and toe_off:
            sp, sn = power.muscle_work([muscle], 0.0, toe_off)
            wp, wn = power.muscle_work([muscle], toe_off, 100.0)
            phases = f" (stance +{sp:.1f} / \u2212{-sn:.1f}, swing +{wp:.1f} / \u2212{-wn:.1f})"
        self.curve_title.setText(
            f"{who}: +{pos:.1f} J generated, \u2212{-neg:.1f} J absorbed over the "
            f"{self._span()}{phases}"
        )
        self._update_dot()

    def _update_dot(self) -> None:
        m = self.selected_row()
        if self._power is None or m is None:
            self.curve_dot.setData([], [])
            return
        p = self._power.muscle_power(m)
        y = float(np.interp(self._percent, self._power.percent, p))
        self.curve_dot.setData(
            [self._percent], [y], brush=pg.mkBrush(self._theme.text), pen=pg.mkPen(self._theme.halo)
        )

    # ------------------------------------------------------------------ mouse
    def _seek(self, x: float) -> None:
        if self._model is None or self._power is None:
            return
        p = min(max(x, 0.0), 100.0)
        self._model.playback.seek(p)

    def _heat_pressed(self, x: float, y: float) -> None:
        self._seek(x)
        row = int(np.floor(y))
        if self._model is not None and 0 <= row < len(self._rows):
            self._model.playback.pause()
            self._model.selection.select(self._rows[row])

    def _bar_clicked(self, row: int) -> None:
        if self._model is not None and self._bar_mode == "muscles":
            self._model.selection.select(self._bar_muscles[row])

    def pixel_of(self, muscle: str, percent: float) -> QPoint:
        """Pixel of (``muscle``'s row, ``percent``) in the heatmap's viewport."""
        row = self._rows.index(counterpart(muscle, SIDE))
        scene = self.heat_box.mapViewToScene(QPointF(percent, row + 0.5))
        return self.heat_view.mapFromScene(scene)

    def heat_target(self) -> QWidget:
        return self.heat_view.viewport()

    # ------------------------------------------------------------------ looks
    def _apply_theme(self) -> None:
        t = self._theme = theme_for(self.palette())
        for view in (self.heat_view, self.curve_view, self.bars):
            view.setBackground(t.background)
        self.parts.style(t)
        style_plot(self.curve, t)
        style_plot(self.bars.plot, t)
        for halo, line in (self._heat_cursor, self._curve_cursor):
            halo.setPen(pg.mkPen(t.halo, width=4))
            line.setPen(pg.mkPen(t.cursor, width=1.5))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_theme()
            if self._power is not None:
                self._draw()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(1100, 680)
