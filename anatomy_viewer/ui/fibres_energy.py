"""The "Fibres and energy" view: the built-in gaits side by side.

Left, each muscle's fast-fibre recruitment averaged over the stride in walking, endurance
running and sprinting (with its share of slow fibres); right, what each gait costs (W/kg,
J/kg/m), where the energy goes (each muscle group's share) and the measured cost with its
citation, and, where the estimate is off, how far and why. The figures come from
:mod:`anatomy_viewer.gait.gait_summary`; the words from ``resources/ui/analysis.toml``.

The panel receives the :class:`~anatomy_viewer.app.model.AppModel`: the gait shown is marked,
the selected muscle's row is highlighted, and clicking a muscle's row selects it through the
model. It computes once, the first time it is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.app.model import AppModel
from anatomy_viewer.gait.gait_summary import GaitCost, GaitsSummary, gaits_summary
from anatomy_viewer.resources import load_toml
from anatomy_viewer.ui.plot_parts import FAST_FIBRE_STOPS
from anatomy_viewer.ui.theme import theme_for

#: Item data role holding a cell's bar length (0..1) and colour.
BAR_ROLE = Qt.ItemDataRole.UserRole + 1
BAR_COLOUR_ROLE = Qt.ItemDataRole.UserRole + 2
#: Bars of fast-fibre recruitment reach the cell's width at this share (no stride average of a
#: built-in gait comes near it).
FAST_BAR_TOP = 0.5
SLOW_COLOUR = FAST_FIBRE_STOPS[0][1]
FAST_COLOUR = FAST_FIBRE_STOPS[2][1]
ENERGY_COLOUR = "#8c96a3"


def _texts() -> dict:
    return load_toml("ui", "analysis.toml")


def _pct(x: float) -> str:
    return f"{x * 100:.0f} %"


class _BarDelegate(QStyledItemDelegate):
    """Paints a horizontal bar behind a cell's text (``BAR_ROLE``: 0..1 of the width)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        value = index.data(BAR_ROLE)
        if value is not None:
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            style = opt.widget.style() if opt.widget else QApplication.style()
            text = opt.text
            opt.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
            r = QRectF(option.rect).adjusted(3, 4, -3, -4)
            colour = QColor(index.data(BAR_COLOUR_ROLE) or FAST_COLOUR)
            colour.setAlphaF(0.75)
            painter.save()
            painter.fillRect(
                QRectF(r.left(), r.top(), r.width() * min(max(float(value), 0.0), 1.0), r.height()),
                colour,
            )
            painter.setPen(opt.palette.color(opt.palette.ColorRole.Text))
            painter.drawText(
                r.adjusted(4, 0, -4, 0),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            painter.restore()
            return
        super().paint(painter, option, index)


def _table(name: str, headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    t.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    t.setItemDelegate(_BarDelegate(t))
    t.setWordWrap(False)
    t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 6)
    h = t.horizontalHeader()
    h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for i in range(1, len(headers)):
        h.setSectionResizeMode(i, QHeaderView.ResizeMode.Fixed)
        t.setColumnWidth(i, 92)
    return t


def _item(text: str, bar: float | None = None, colour: str | None = None) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if bar is not None:
        it.setData(BAR_ROLE, bar)
        it.setData(BAR_COLOUR_ROLE, colour)
    return it


def _swatch(colour: str) -> QPixmap:
    pm = QPixmap(10, 10)
    pm.fill(QColor(colour))
    return pm


class FibresEnergyPanel(QWidget):
    """Fast-fibre recruitment and energy of the built-in gaits (see the module description)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fibresEnergyPanel")
        self.setAccessibleName("Fibre types and energy of the gaits")
        self._model: AppModel | None = None
        self._summary: GaitsSummary | None = None
        self._row_of_muscle: dict[str, int] = {}
        texts = _texts()
        self._gait_names: dict[str, str] = dict(texts["gaits"])
        energy = texts["energy"]

        self.title = QLabel(energy["title"] + " \u2014 the three gaits side by side")
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.title.setFont(f)
        self.status = QLabel("Computing the three gaits\u2026")
        self.status.setObjectName("fibresStatus")

        # fast fibres ----------------------------------------------------------------------
        self.fibre_title = QLabel("Fast-fibre recruitment, stride average (each leg)")
        self.fibre_title.setFont(self._bold())
        self.fibre_intro = QLabel(energy["fibres_intro"])
        self.fibre_intro.setWordWrap(True)
        self.fibre_table = _table("fastFibreTable", ["Muscle", "Slow fibres"])
        self.fibre_table.cellClicked.connect(self._row_clicked)
        self.fibre_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 4, 0)
        lv.addWidget(self.fibre_title)
        lv.addWidget(self.fibre_intro)
        lv.addWidget(self.fibre_table, 1)

        # energy ---------------------------------------------------------------------------
        self.energy_title = QLabel("Energy per gait")
        self.energy_title.setFont(self._bold())
        self.energy_intro = QLabel(energy["energy_intro"])
        self.energy_intro.setWordWrap(True)
        self.cost_table = _table("costTable", [""])
        self.group_title = QLabel("Where the energy goes: each muscle group's share (both legs)")
        self.group_title.setFont(self._bold())
        self.group_table = _table("groupShareTable", ["Muscle group"])
        self.verdict = QLabel()
        self.verdict.setObjectName("costVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.sources = QLabel()
        self.sources.setObjectName("costSources")
        self.sources.setWordWrap(True)
        self.sources.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(4, 0, 0, 0)
        rv.addWidget(self.energy_title)
        rv.addWidget(self.energy_intro)
        rv.addWidget(self.cost_table)
        rv.addWidget(self.verdict)
        rv.addWidget(self.group_title)
        rv.addWidget(self.group_table, 1)
        rv.addWidget(self.sources)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        # The cost and group tables show every row; in a window too short for them all the
        # column scrolls instead of drawing its last lines over the tables.
        self.energy_scroll = QScrollArea()
        self.energy_scroll.setObjectName("energyScroll")
        self.energy_scroll.setWidgetResizable(True)
        self.energy_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.energy_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.energy_scroll.setWidget(right)
        self.split.addWidget(left)
        self.split.addWidget(self.energy_scroll)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.split, 1)
        self._apply_theme()

    def _bold(self) -> QFont:
        f = QFont(self.font())
        f.setBold(True)
        return f

    # ------------------------------------------------------------------ the model
    def bind(self, model: AppModel) -> None:
        """Mark the gait shown and the selected muscle; a row click selects its muscle."""
        self._model = model
        model.events.animation.connect(lambda _a: self._mark_gait())
        model.selection.changed.connect(self._mark_muscle)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._summary is None:
            # let the window appear first: the first computation takes a few seconds
            QTimer.singleShot(0, self.compute)

    def compute(self) -> None:
        """Compute the summary (once per process) and fill the tables."""
        if self._summary is not None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._summary = gaits_summary("r")
        finally:
            QApplication.restoreOverrideCursor()
        self.status.hide()
        self._fill()

    def summary(self) -> GaitsSummary | None:
        return self._summary

    # ------------------------------------------------------------------ filling
    def gait_heading(self, gait: str, wrap: bool = False) -> str:
        """The gait's name in the tables; ``wrap`` breaks a two-word name over two lines."""
        name = self._gait_names.get(gait, gait)
        return name.replace(" ", "\n", 1) if wrap else name

    def _fill(self) -> None:
        s = self._summary
        gaits = list(s.gaits)
        cat = catalogue()

        t = self.fibre_table
        t.setColumnCount(2 + len(gaits))
        t.setHorizontalHeaderLabels(
            ["Muscle", "Slow\nfibres"] + [self.gait_heading(g, wrap=True) for g in gaits]
        )
        for i in range(1, 2 + len(gaits)):
            t.horizontalHeader().setSectionResizeMode(i, QHeaderView.ResizeMode.Fixed)
            t.setColumnWidth(i, 84)
        t.setRowCount(len(s.muscles))
        self._row_of_muscle = {}
        for r, m in enumerate(s.muscles):
            name = QTableWidgetItem(m.name)
            name.setIcon(_swatch(cat.group(m.group).colour))
            name.setToolTip(
                f"{m.name} ({cat.group(m.group).name}): {_pct(m.type1)} slow fibres "
                f"({m.basis}). Click to select it."
            )
            t.setItem(r, 0, name)
            t.setItem(r, 1, _item(_pct(m.type1), m.type1, SLOW_COLOUR))
            for c, g in enumerate(gaits, start=2):
                row = m.gaits[g]
                cell = _item(
                    _pct(row.mean_fast_share), row.mean_fast_share / FAST_BAR_TOP, FAST_COLOUR
                )
                cell.setToolTip(
                    f"{m.name}, {self.gait_heading(g).lower()}: fast fibres are "
                    f"{_pct(row.mean_fast_share)} of the fibres working on average, "
                    f"{_pct(row.peak_fast_share)} at most; some fast fibres work during "
                    f"{_pct(row.time_with_fast)} of the stride."
                )
                t.setItem(r, c, cell)
            for name_ in m.model_muscles:
                self._row_of_muscle[name_.rpartition("_")[0]] = r

        self._fill_costs(gaits)
        self._fill_groups(gaits)
        self._mark_gait()
        if self._model is not None:
            self._mark_muscle(self._model.selection.name)

    def _fill_costs(self, gaits: list[str]) -> None:
        s = self._summary
        t = self.cost_table
        t.setColumnCount(1 + len(gaits))
        t.setHorizontalHeaderLabels([""] + [self.gait_heading(g, wrap=True) for g in gaits])
        self._fit_columns(t, gaits)
        rows = [
            ("Speed", lambda c: f"{c.summary.speed:.1f} m/s" if c.summary.speed else "\u2013"),
            ("Metabolic power", lambda c: f"{c.summary.w_per_kg:.1f} W/kg"),
            (
                "Cost per metre",
                lambda c: (
                    f"{c.summary.j_per_kg_per_m:.2f} J/kg/m"
                    if c.summary.j_per_kg_per_m is not None
                    else "\u2013"
                ),
            ),
            ("Measured net cost *", self._measured_text),
            ("Estimate / measured", self._ratio_text),
            ("Fibre work in the cost", lambda c: _pct(c.summary.parts["work"])),
        ]
        t.setRowCount(len(rows))
        for r, (label, fn) in enumerate(rows):
            head = QTableWidgetItem(label)
            t.setItem(r, 0, head)
            for c, g in enumerate(gaits, start=1):
                cost = s.costs[g]
                cell = _item(fn(cost))
                if label == "Estimate / measured" and cost.within_tolerance is False:
                    cell.setForeground(QBrush(QColor("#d55e00")))
                    f = cell.font()
                    f.setBold(True)
                    cell.setFont(f)
                t.setItem(r, c, cell)
        self._fit_height(t)
        self.verdict.setText("\n".join(self._verdict(s.costs[g]) for g in gaits))
        by_source: dict[str, list[str]] = {}
        for g in gaits:
            m = s.costs[g].measured
            if m is not None and m.source and m.net_j_per_kg_per_m is not None:
                by_source.setdefault(m.source, []).append(self.gait_heading(g).lower())
        self.sources.setText(
            "* Measured net cost, "
            + "; ".join(f"{' and '.join(gs)}: {src}" for src, gs in by_source.items())
            if by_source
            else ""
        )

    def _measured_text(self, cost: GaitCost) -> str:
        m = cost.measured
        if m is None or m.net_j_per_kg_per_m is None:
            return "none"
        return f"{m.net_j_per_kg_per_m:.2f} J/kg/m"

    def _ratio_text(self, cost: GaitCost) -> str:
        r = cost.ratio
        if r is None:
            return "\u2013"
        return f"{r:.2f} ({(r - 1) * 100:+.0f} %)"

    def _verdict(self, cost: GaitCost) -> str:
        texts = _texts()["energy"]
        gait = self.gait_heading(cost.gait)
        m = cost.measured
        r = cost.ratio
        if m is None or r is None:
            why = m.why if m is not None else ""
            return texts["none"].format(gait=gait, why=why)
        direction = "above" if r >= 1 else "below"
        tolerance = (m.tolerance or 0.0) * 100
        if cost.within_tolerance:
            return texts["within"].format(
                gait=gait, percent=abs(r - 1) * 100, direction=direction, tolerance=tolerance
            )
        return texts["off"].format(
            gait=gait,
            percent=abs(r - 1) * 100,
            direction=direction,
            tolerance=tolerance,
            work_share=cost.summary.parts["work"] * 100,
            heat_share=cost.summary.parts["activation_maintenance"] * 100,
        )

    def _fill_groups(self, gaits: list[str]) -> None:
        s = self._summary
        t = self.group_table
        t.setColumnCount(1 + len(gaits))
        t.setHorizontalHeaderLabels(
            ["Muscle group"] + [self.gait_heading(g, wrap=True) for g in gaits]
        )
        self._fit_columns(t, gaits)
        cat = catalogue()
        groups = [g for g in cat.groups]
        t.setRowCount(len(groups))
        top = max((gc.share for c in s.costs.values() for gc in c.summary.groups), default=1.0)
        for r, g in enumerate(groups):
            head = QTableWidgetItem(g.name)
            head.setIcon(_swatch(g.colour))
            t.setItem(r, 0, head)
            for c, gait in enumerate(gaits, start=1):
                share = next((x.share for x in s.costs[gait].summary.groups if x.key == g.key), 0.0)
                t.setItem(r, c, _item(_pct(share), share / top, ENERGY_COLOUR))
        self._fit_height(t)

    def _fit_columns(self, t: QTableWidget, gaits: list[str]) -> None:
        """Gait columns as wide as their bold, marked headings."""
        bold = QFont(t.horizontalHeader().font())
        bold.setBold(True)
        fm = QFontMetrics(bold)
        width = (
            max(
                fm.horizontalAdvance(f"\u25b8 {line}")
                for g in gaits
                for line in self.gait_heading(g, wrap=True).split("\n")
            )
            + 24
        )
        for i in range(1, 1 + len(gaits)):
            t.horizontalHeader().setSectionResizeMode(i, QHeaderView.ResizeMode.Fixed)
            t.setColumnWidth(i, width)

    @staticmethod
    def _fit_height(t: QTableWidget) -> None:
        header = t.horizontalHeader()
        head = max(header.sizeHint().height(), header.height() if header.isVisible() else 0)
        h = head + sum(t.rowHeight(r) for r in range(t.rowCount()))
        t.setMinimumHeight(h + 4)
        t.setMaximumHeight(h + 4)
        t.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    # ------------------------------------------------------------------ marks
    def _mark_gait(self) -> None:
        if self._summary is None:
            return
        shown = None if self._model is None else self._model.gait_name
        for table, first in ((self.fibre_table, 2), (self.cost_table, 1), (self.group_table, 1)):
            for c, g in enumerate(self._summary.gaits, start=first):
                item = table.horizontalHeaderItem(c)
                if item is None:
                    continue
                text = self.gait_heading(g, wrap=True)
                item.setText(f"\u25b8 {text}" if g == shown else text)
                f = item.font()
                f.setBold(g == shown)
                item.setFont(f)
                item.setToolTip("the gait shown" if g == shown else "")

    def _mark_muscle(self, name: str | None) -> None:
        t = self.fibre_table
        row = None
        if name is not None:
            row = self._row_of_muscle.get(name.rpartition("_")[0])
        t.clearSelection()
        if row is not None:
            t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            t.selectRow(row)
            t.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            t.scrollToItem(t.item(row, 0))

    def selected_row(self) -> int | None:
        rows = {i.row() for i in self.fibre_table.selectedItems()}
        return rows.pop() if len(rows) == 1 else None

    def _row_clicked(self, row: int, _column: int) -> None:
        if self._model is None or self._summary is None:
            return
        self._model.selection.select(self._summary.muscles[row].model_muscles[0])

    # ------------------------------------------------------------------ reading back
    def cell_text(self, table: QTableWidget, row_label: str, gait: str) -> str:
        """The text of ``table``'s row ``row_label`` (first column) under ``gait``'s column."""
        col = None
        for c in range(table.columnCount()):
            item = table.horizontalHeaderItem(c)
            heading = item.text().lstrip("\u25b8 ").replace("\n", " ") if item else None
            if heading == self.gait_heading(gait):
                col = c
        for r in range(table.rowCount()):
            if table.item(r, 0).text() == row_label and col is not None:
                return table.item(r, col).text()
        raise KeyError(f"no cell {row_label!r} / {gait!r}")

    def _apply_theme(self) -> None:
        t = theme_for(self.palette())
        muted = t.muted.name()
        for label in (self.fibre_intro, self.energy_intro, self.sources):
            label.setStyleSheet(f"color: {muted};")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_theme()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(1150, 700)
