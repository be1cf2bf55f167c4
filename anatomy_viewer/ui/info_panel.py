"""The "Muscle" panel: what the selected muscle is and what it is doing right now.

The description (anatomy, actions, role in the stride, training, fibre type, sources) is
HTML built once per selection from ``resources/muscles/descriptions.toml``; beside it, a second
tab "Fibres & energy" gives the muscle's fibre-type composition with its source, recruitment
by size in plain words (``resources/muscles/fibre_types_and_energy.md``) and what the muscle
costs in energy in the gait shown. The live part (activation now, contraction mode now, which
fibres it is using now, the measured EMG now where it was recorded, the cursor on the muscle's
activation curve) follows the playback and is the only thing updated per frame: a few labels
(only when their text changes), small bars and a cursor line.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QTextDocumentFragment
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.anatomy.descriptions import MuscleDescription, description
from anatomy_viewer.anatomy.fibre_types import composition, recruitment_in_brief
from anatomy_viewer.anatomy.recruitment import fast_share
from anatomy_viewer.gait.contraction import ACTIVE_THRESHOLD, ContractionMode
from anatomy_viewer.gait.emg import EmgChannel, emg_channel
from anatomy_viewer.gait.fibre_use import FibreState, fibre_states
from anatomy_viewer.gait.navigation import stance_intervals
from anatomy_viewer.gait.sampling import muscle_at
from anatomy_viewer.scene.colormaps import FIBRE_COLOURS, colormap
from anatomy_viewer.ui.theme import PROVENANCE_TEXT, is_dark, theme_for
from anatomy_viewer.ui.throttle import PlayingThrottle
from anatomy_viewer.ui.widgets import ElidedLabel

if TYPE_CHECKING:
    from anatomy_viewer.app.model import AppModel
    from anatomy_viewer.gait.animation import CycleAnimation

HINT = "Click a muscle to learn what it does"
HINT_MORE = (
    "Hover over the leg to see the muscles' names; click one (or a row of the activation "
    "heatmap) to read where it sits, what it does in the stride and how to train it."
)
#: The description keeps at least this height (pixels); below it the page scrolls.
TEXT_MIN_HEIGHT = 110
#: Height of the activation curve in the live box (pixels).
CURVE_HEIGHT = 50
SIDE_WORDS = {"r": "Right leg", "l": "Left leg"}
#: Contraction modes in a runner's words: (name, what the muscle is doing).
MODE_WORDS: dict[int, tuple[str, str]] = {
    ContractionMode.CONCENTRIC: ("Concentric", "shortening while it pulls (driving the movement)"),
    ContractionMode.ECCENTRIC: (
        "Eccentric",
        "lengthening under load (braking); striped in the 3-D view",
    ),
    ContractionMode.ISOMETRIC: ("Isometric", "holding its length under load (bracing)"),
    ContractionMode.INACTIVE: (
        "Inactive",
        f"relaxed (below {ACTIVE_THRESHOLD * 100:.0f} % activation)",
    ),
}
MODE_COLOURS: dict[int, str] = {
    ContractionMode.CONCENTRIC: "#e69f00",
    ContractionMode.ECCENTRIC: "#d55e00",
    ContractionMode.ISOMETRIC: "#56b4e9",
    ContractionMode.INACTIVE: "#8b919a",
}
JOINT_WORDS = {"hip": "Hip", "knee": "Knee", "ankle": "Ankle", "foot": "Foot"}
#: The measured EMG's bar and dotted curve: a neutral grey-blue, apart from the activation.
EMG_COLOUR = "#9fb3c8"
FIBRES_TAB = "Fibres && energy"  # (&& shows one &)


def fibre_text(activation: float | None, type1: float) -> tuple[FibreState | None, str]:
    """Which fibres a muscle of ``type1`` slow fibres (0..1) uses at ``activation``, in words:
    ``(state, "fast fibres too: 31 % of those working")``: 31 % of the fibres it is using
    are fast ones."""
    if activation is None:
        return None, "fibres in use not known (no activation data)"
    a = float(activation)
    state = FibreState(int(fibre_states(np.array([a]), np.array([type1]))[0]))
    if state == FibreState.REST:
        return state, "at rest"
    if state == FibreState.SLOW:
        return state, "slow fibres only"
    share = float(fast_share(np.array([a]), np.array([type1]))[0])
    return state, f"fast fibres too: {share * 100:.0f} % of those working"


def fibre_html(state: FibreState | None, text: str) -> str:
    colour = "#8b919a" if state is None else FIBRE_COLOURS[state][0]
    return f'<span style="color:{colour};">\u25a0</span> {_esc(text[:1].upper() + text[1:])}'


def mode_text(mode: int | None) -> str:
    """``"Eccentric \u2014 lengthening under load (braking); ..."`` (or unknown)."""
    if mode is None:
        return "Contraction mode not known for this motion"
    name, what = MODE_WORDS[int(mode)]
    return f"{name} \u2014 {what}"


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def description_html(name: str, d: MuscleDescription, palette: QPalette) -> str:
    """The description of muscle ``name`` (model name) as simple HTML for a QTextBrowser."""
    muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
    dark = is_dark(palette)
    heading = "#c9d1d9" if dark else "#24292f"

    def section(title: str, body: str) -> str:
        return (
            f'<h3 style="margin:10px 0 2px 0; color:{heading}; font-size:small; '
            f'text-transform:uppercase; letter-spacing:1px;">{_esc(title)}</h3>{body}'
        )

    def para(text: str) -> str:
        return f'<p style="margin:0 0 2px 0;">{_esc(text)}</p>'

    rows = []
    for joint, text in d.actions.items():
        none = text.lower().startswith("none")
        style = f' style="color:{muted};"' if none else ""
        rows.append(
            f'<tr><td style="padding:2px 8px 2px 0;" valign="top"><b>{JOINT_WORDS[joint]}</b></td>'
            f"<td{style} valign='top' style='padding:2px 0;'>{_esc(text)}</td></tr>"
        )
    actions = f'<table cellspacing="0" cellpadding="0">{"".join(rows)}</table>'
    exercises = "".join(f"<li>{_esc(e)}</li>" for e in d.exercises)
    sources = "".join(f'<li style="color:{muted};">{_esc(s)}</li>' for s in d.sources)
    parts = [
        section("Actions at the joints", actions),
        section("In the stride", para(d.running_role)),
        section("When weak or tight", para(d.when_weak_or_tight)),
        section(
            "Exercises",
            f'<ul style="margin:0; margin-left:-20px;">{exercises}</ul>',
        ),
        section("Fibre type", para(d.fibre_type)),
        section("Origin", para(d.origin)),
        section("Insertion", para(d.insertion)),
        section("Nerve supply", para(d.innervation)),
        section(
            "Sources",
            f'<ul style="margin:0; margin-left:-20px; font-size:small;">{sources}</ul>',
        ),
    ]
    return "".join(parts)


def _energy_lines(gait: str, name: str) -> list[str]:
    """What muscle ``name`` (and its anatomical muscle) costs over built-in ``gait``'s stride."""
    from anatomy_viewer.gait.energy import builtin_gait_energy  # MuJoCo: only when asked

    energy = builtin_gait_energy(gait)
    summary = energy.summary()
    mine = energy.mean_w([name])
    total = energy.mean_w()
    whole = next((m for m in summary.muscles if name in m.model_muscles), None)
    lines = [
        f"<b>{_esc(energy.label)}</b>: {mine:.1f} W on average over the stride, "
        f"{energy.share([name]) * 100:.1f} % of what the legs' {len(energy.muscle_names)} "
        f"muscles spend ({total:.0f} W, {energy.w_per_kg:.1f} W/kg above rest)."
    ]
    if whole is not None and len(whole.model_muscles) > 1:
        lines.append(
            f"{_esc(whole.name)} as a whole, both legs: {whole.mean_w:.0f} W, "
            f"{whole.share * 100:.1f} %."
        )
    return lines


def fibres_html(model: AppModel, name: str, palette: QPalette) -> str:
    """The "Fibres & energy" tab of muscle ``name``: its composition with the source (an
    assumed value said to be one), recruitment by size in plain words, how it recruits over the
    stride of the gait(s) shown, and its metabolic cost there."""
    from anatomy_viewer.gait.fibre_use import gait_fast_fibre_summary
    from anatomy_viewer.resources import load_toml

    muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
    heading = "#c9d1d9" if is_dark(palette) else "#24292f"

    def section(title: str, body: str) -> str:
        return (
            f'<h3 style="margin:8px 0 2px 0; color:{heading}; font-size:small; '
            f'text-transform:uppercase; letter-spacing:1px;">{_esc(title)}</h3>{body}'
        )

    def para(html_text: str, style: str = "") -> str:
        return f'<p style="margin:0 0 4px 0;{style}">{html_text}</p>'

    c = composition(name)
    slow, fast = c.type1_percent, 100.0 - c.type1_percent
    comp = [
        para(
            f"<b>{_esc(c.name)}</b>: {slow:.0f} % slow-twitch (Type I), {fast:.0f} % "
            "fast-twitch (Type II) fibres."
        )
    ]
    if c.basis == "assumed":
        comp.append(para(f"<b>Assumed</b>: {_esc(c.notes)}"))
    else:
        comp.append(para(f"{_esc(c.basis_text[:1].upper() + c.basis_text[1:])}."))
        if c.surface_percent is not None and c.deep_percent is not None:
            comp.append(
                para(
                    f"Near the surface {c.surface_percent:.0f} %, in the depth "
                    f"{c.deep_percent:.0f} % slow fibres (autopsy samples)."
                )
            )
        if c.notes:
            comp.append(para(_esc(c.notes)))
    sources = list(c.sources) + [s for s in c.cited if s not in c.sources]
    word = "Based on" if c.basis == "assumed" else "Source"
    comp += [para(f"{word}: {_esc(s)}", f" color:{muted}; font-size:small;") for s in sources]

    brief = "".join(para(_esc(p)) for p in recruitment_in_brief().split("\n\n"))
    gaits: list[tuple[str | None, object]] = []
    if model.animation is not None:
        gaits.append((model.gait_name, model.animation.cycle))
    if model.compared is not None:
        gaits.append((model.compared.gaits[1], model.compared.animation.cycle))
    over = [
        para(
            f"This muscle works on slow fibres alone up to {slow:.0f} % activation; above "
            "that, fast fibres join."
        )
    ]
    for _gait, cycle in gaits:
        if name not in cycle.muscle_names or not cycle.periodic:
            continue
        row = gait_fast_fibre_summary(cycle).row(name)
        if row.time_with_fast == 0.0:
            text = "slow fibres only, all stride long."
        else:
            text = (
                f"fast fibres recruited during {row.time_with_fast * 100:.0f} % of the stride, "
                f"up to {row.peak_fast_share * 100:.0f} % of its working fibres."
            )
        over.append(para(f"<b>{_esc(cycle.label)}</b>: {text}"))

    costs: list[str] = []
    for gait, cycle in gaits:
        if gait is None:
            label = getattr(cycle, "label", "this motion")
            costs.append(para(f"{_esc(label)}: not computed for an opened trial."))
            continue
        costs += [para(line) for line in _energy_lines(gait, name)]
    cites = load_toml("muscles", "energy_model.toml")["citations"]
    costs.append(
        para(
            "Metabolic rate by the muscle energy model of Umberger et al. (2003) in Umberger's "
            "(2010) revision, from the simulated muscle forces, lengths and speeds of the "
            "stride: an estimate, not a measurement.",
            f" color:{muted};",
        )
    )
    costs += [
        para(f"Source: {_esc(cites[k])}", f" color:{muted}; font-size:small;")
        for k in ("umberger2003", "umberger2010")
    ]
    return "".join(
        [
            section("Fibre types", "".join(comp)),
            section("Which fibres it uses", brief + "".join(over)),
            section("Energy in this gait", "".join(costs)),
        ]
    )


class LevelBar(QWidget):
    """A thin horizontal bar 0..1 filled in the 3-D view's activation colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = 0.0
        self._colour = QColor("#888888")
        self._cmap = None
        self.setMinimumHeight(10)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(120, 12)

    def set_colormap(self, cmap) -> None:
        self._cmap = cmap
        self.set_value(self._value, force=True)

    def set_fixed_colour(self, colour: QColor) -> None:
        """Fill in one colour whatever the value (no colour map)."""
        self._cmap = None
        self._colour = QColor(colour)
        self.update()

    def value(self) -> float:
        return self._value

    def set_value(self, value: float, force: bool = False) -> None:
        v = float(np.clip(value, 0.0, 1.0))
        if not force and abs(v - self._value) < 0.002:
            return
        self._value = v
        if self._cmap is not None:
            r, g, b = self._cmap(np.array([v]))[0]
            self._colour = QColor.fromRgbF(float(r), float(g), float(b))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        groove = self.palette().color(QPalette.ColorRole.Mid)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(groove)
        p.drawRoundedRect(r, 4, 4)
        if self._value > 0:
            fill = QRectF(r.x(), r.y(), max(r.height(), r.width() * self._value), r.height())
            p.setBrush(self._colour)
            p.drawRoundedRect(fill, 4, 4)
        p.end()


class InfoPanel(QWidget):
    """Description and live state of the selected muscle (``objectName`` "infoPanel")."""

    def __init__(self, model: AppModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setObjectName("infoPanel")
        self.setAccessibleName("Muscle information")
        self._muscle: str | None = None
        self._animation: CycleAnimation | None = None
        self._row: np.ndarray | None = None  # activation over the cycle
        self._modes: np.ndarray | None = None
        # the same muscle in the compared (right-hand) gait, while two gaits are compared
        self._animation2: CycleAnimation | None = None
        self._row2: np.ndarray | None = None
        self._modes2: np.ndarray | None = None
        self._theme = theme_for(self.palette())
        self._live_text = ("", "")
        self._still: str | None = None  # the view shows a still pose, not the motion
        self._type1 = 0.5  # the selected muscle's share of slow fibres
        self._emg: EmgChannel | None = None  # measured EMG of the muscle in the gait shown

        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        # -- nothing selected -----------------------------------------------------------
        hint_page = QWidget()
        hl = QVBoxLayout(hint_page)
        hl.setContentsMargins(18, 24, 18, 18)
        self.hint_label = QLabel(HINT)
        self.hint_label.setObjectName("infoHint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        f = self.hint_label.font()
        f.setPointSizeF(f.pointSizeF() * 1.35)
        f.setBold(True)
        self.hint_label.setFont(f)
        more = QLabel(HINT_MORE)
        more.setWordWrap(True)
        more.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        more.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        hl.addWidget(self.hint_label)
        hl.addSpacing(6)
        hl.addWidget(more)
        hl.addStretch(1)
        self.stack.addWidget(hint_page)

        # -- a muscle -------------------------------------------------------------------
        page = QWidget()
        pl = QVBoxLayout(page)
        pl.setContentsMargins(10, 8, 10, 6)
        pl.setSpacing(3)
        self.title_label = QLabel()
        self.title_label.setObjectName("infoTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tf = QFont(self.title_label.font())
        tf.setPointSizeF(tf.pointSizeF() * 1.3)
        tf.setBold(True)
        self.title_label.setFont(tf)
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("infoSubtitle")
        self.subtitle_label.setWordWrap(True)
        self.subtitle_label.setTextFormat(Qt.TextFormat.RichText)
        pl.addWidget(self.title_label)
        pl.addWidget(self.subtitle_label)
        # What the muscle does, first: in a short dock the rest of the page scrolls, but this
        # line is always in view.
        self.summary_label = QLabel()
        self.summary_label.setObjectName("infoSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sf = QFont(self.summary_label.font())
        sf.setPointSizeF(sf.pointSizeF() * 1.05)
        self.summary_label.setFont(sf)
        pl.addWidget(self.summary_label)

        live = QFrame()
        live.setObjectName("infoLive")
        live.setFrameShape(QFrame.Shape.StyledPanel)
        ll = QVBoxLayout(live)
        ll.setContentsMargins(8, 6, 8, 6)
        ll.setSpacing(3)
        row = QHBoxLayout()
        now = self.activation_caption = QLabel("Activation now")
        self.activation_label = QLabel("\u2013")
        self.activation_label.setObjectName("infoActivation")
        af = QFont(self.activation_label.font())
        af.setBold(True)
        af.setPointSizeF(af.pointSizeF() * 1.2)
        self.activation_label.setFont(af)
        self.activation_label.setMinimumWidth(
            self.activation_label.fontMetrics().horizontalAdvance("100 %") + 4
        )
        self.activation_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.activation_bar = LevelBar()
        self.activation_bar.setObjectName("infoActivationBar")
        self.activation_bar.set_colormap(colormap(model.display.effective.colormap))
        row.addWidget(now)
        row.addWidget(self.activation_bar, 1)
        row.addWidget(self.activation_label)
        ll.addLayout(row)
        # Where EMG was recorded for this muscle in this gait: its envelope now, beside the
        # simulated activation above.
        self.emg_row = QWidget()
        self.emg_row.setObjectName("infoEmgRow")
        er = QHBoxLayout(self.emg_row)
        er.setContentsMargins(0, 0, 0, 0)
        self.emg_caption = QLabel("Measured EMG")
        self.emg_bar = LevelBar()
        self.emg_bar.setObjectName("infoEmgBar")
        self.emg_bar.set_fixed_colour(QColor(EMG_COLOUR))
        self.emg_label = QLabel("\u2013")
        self.emg_label.setObjectName("infoEmg")
        self.emg_label.setFont(af)
        self.emg_label.setMinimumWidth(self.activation_label.minimumWidth())
        self.emg_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        er.addWidget(self.emg_caption)
        er.addWidget(self.emg_bar, 1)
        er.addWidget(self.emg_label)
        self.emg_row.setVisible(False)
        ll.addWidget(self.emg_row)
        w = max(now.sizeHint().width(), self.emg_caption.sizeHint().width())
        now.setMinimumWidth(w)
        self.emg_caption.setMinimumWidth(w)
        self.mode_label = QLabel()
        self.mode_label.setObjectName("infoMode")
        self.mode_label.setWordWrap(True)
        self.mode_label.setTextFormat(Qt.TextFormat.RichText)
        ll.addWidget(self.mode_label)
        # Which fibres it is using now (recruitment by size from its activation).
        self.fibre_label = QLabel()
        self.fibre_label.setObjectName("infoFibres")
        self.fibre_label.setWordWrap(True)
        self.fibre_label.setTextFormat(Qt.TextFormat.RichText)
        ll.addWidget(self.fibre_label)
        # While two gaits are compared: the same muscle in the right-hand gait.
        self.compare_label = QLabel()
        self.compare_label.setObjectName("infoCompare")
        self.compare_label.setWordWrap(True)
        self.compare_label.setTextFormat(Qt.TextFormat.RichText)
        self.compare_label.setVisible(False)
        ll.addWidget(self.compare_label)

        self.plot_title = QLabel()
        self.plot_title.setWordWrap(True)
        self.plot_title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        ll.addWidget(self.plot_title)
        self.curve_view = pg.PlotWidget()
        self.curve_view.setObjectName("infoCurve")
        self.curve_view.setFixedHeight(CURVE_HEIGHT)
        self.curve_view.setMouseEnabled(False, False)
        self.curve_view.setMenuEnabled(False)
        plot = self.curve_view.getPlotItem()
        plot.hideButtons()
        plot.setContentsMargins(0, 2, 6, 0)
        plot.getAxis("bottom").setTicks([[(v, f"{v}") for v in range(0, 101, 25)]])
        plot.getAxis("left").setWidth(30)
        self.curve = pg.PlotDataItem([], [], antialias=True)
        plot.addItem(self.curve)
        self.compare_curve = pg.PlotDataItem([], [], antialias=True)  # dashed: compared gait
        plot.addItem(self.compare_curve)
        self.emg_curve = pg.PlotDataItem([], [], antialias=True)  # dotted: measured EMG
        plot.addItem(self.emg_curve)
        self.cursor = pg.InfiniteLine(0.0, angle=90, movable=False)
        self.cursor.setZValue(50)
        plot.addItem(self.cursor)
        self.dot = pg.ScatterPlotItem(size=7)
        self.dot.setZValue(60)
        plot.addItem(self.dot)
        self._bands: list[pg.LinearRegionItem] = []
        ll.addWidget(self.curve_view)
        # One line (the whole source in its tooltip): the description below keeps its room.
        self.provenance_label = ElidedLabel()
        self.provenance_label.setObjectName("infoProvenance")
        pf = self.provenance_label.font()
        pf.setPointSizeF(pf.pointSizeF() * 0.88)
        self.provenance_label.setFont(pf)
        self.provenance_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        ll.addWidget(self.provenance_label)
        pl.addWidget(live)

        self.text = QTextBrowser()
        self.text.setObjectName("infoText")
        self.text.setOpenExternalLinks(False)
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        self.text.document().setDocumentMargin(2)
        # The fibre types, recruitment and energy: a tab beside the description, so that the
        # description keeps its height.
        self.fibre_text = QTextBrowser()
        self.fibre_text.setObjectName("infoFibreText")
        self.fibre_text.setOpenExternalLinks(False)
        self.fibre_text.setFrameShape(QFrame.Shape.NoFrame)
        self.fibre_text.document().setDocumentMargin(2)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("infoTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setStyleSheet("QTabBar::tab { padding: 2px 10px; }")
        self.tabs.addTab(self.text, "About")
        self.tabs.addTab(self.fibre_text, FIBRES_TAB)
        self.tabs.setMinimumHeight(TEXT_MIN_HEIGHT)
        self.tabs.currentChanged.connect(lambda _i: self._fill_fibre_text())
        self._fibre_text_for: tuple | None = None
        pl.addWidget(self.tabs, 1)
        # In a short dock the whole page scrolls rather than squeezing its parts together.
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack.addWidget(scroll)

        self._apply_theme()
        model.selection.changed.connect(self.show_muscle)
        self._percent_throttle = PlayingThrottle(
            self.set_percent, lambda: model.playback.playing, parent=self
        )
        model.playback.events.percent.connect(self._percent_throttle)
        model.events.animation.connect(self.refresh)
        model.events.compared.connect(self.refresh)
        model.events.still.connect(self._on_still)
        model.display.events.changed.connect(self._on_display)
        self.show_muscle(model.selection.name)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(360, 240)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        # The page scrolls, so a short dock is fine: 280 px would hold the window's minimum
        # height above a 768-pixel laptop screen (with the Muscles dock under it).
        return QSize(280, 120)

    # ------------------------------------------------------------------ API
    @property
    def muscle(self) -> str | None:
        """The model name of the muscle shown (e.g. ``"vaslat_r"``), or None."""
        return self._muscle

    def text_content(self) -> str:
        """Everything the panel says, as plain text (title, side, live values, description)."""
        if self._muscle is None:
            return self.hint_label.text()
        parts = [
            self.title_label.text(),
            _plain(self.subtitle_label.text()),
            self.summary_label.text(),
            f"{self.activation_caption.text()} {self.activation_label.text()}",
        ]
        if self.emg_row.isVisibleTo(self):
            parts.append(f"{self.emg_caption.text()} {self.emg_label.text()}")
        parts += [
            _plain(self.mode_label.text()),
            _plain(self.fibre_label.text()),
        ]
        if self.compare_label.isVisibleTo(self):
            parts.append(_plain(self.compare_label.text()))
        parts += [
            self.provenance_label.text(),
            self.text.toPlainText(),
        ]
        return "\n".join(parts)

    def show_muscle(self, name: str | None) -> None:
        """Show muscle ``name`` (a model name), or the hint for None."""
        self._muscle = name
        if name is None:
            self.stack.setCurrentIndex(0)
            return
        cat = catalogue()
        m = cat.muscle(name)
        d = description(name)
        group = cat.group(m.group)
        self.title_label.setText(d.common_name)
        self.title_label.setAccessibleName(d.common_name)
        self.subtitle_label.setText(
            f"{SIDE_WORDS[m.side]} \u00b7 <i>{_esc(d.latin_name)}</i> \u00b7 "
            f'<span style="color:{group.colour};">\u25a0</span>&nbsp;<b>{_esc(group.name)}</b>'
        )
        self.summary_label.setText(d.main_action)
        self.text.setHtml(description_html(name, d, self.palette()))
        self.text.verticalScrollBar().setValue(0)
        comp = composition(name)
        self._type1 = comp.type1
        self.fibre_label.setToolTip(
            f"{comp.name}: {comp.type1_percent:.0f} % slow fibres. It works on slow fibres "
            f"alone up to {comp.type1_percent:.0f} % activation, with fast fibres as well above "
            f"that.\n\n{recruitment_in_brief()}"
        )
        self._bind(force=True)
        self.stack.setCurrentIndex(1)
        dock = self.parentWidget()
        if isinstance(dock, QDockWidget) and dock.isHidden():
            dock.show()

    def set_still_pose(self, note: str | None) -> None:
        """The 3-D view shows a still pose (``note`` says which) instead of the motion: no
        live values then. None: back to the motion's values."""
        self._still = note
        self.cursor.setVisible(note is None)
        if self._muscle is not None:
            self._update_live(self.model.playback.percent, force=True)

    def _on_still(self, still) -> None:
        self.set_still_pose(
            None if still is None else f"{still.label}: a still pose, so no activation to show"
        )

    def _on_display(self, fields: tuple[str, ...]) -> None:
        if "colormap" in fields:
            self.activation_bar.set_colormap(colormap(self.model.display.effective.colormap))

    def set_percent(self, percent: float) -> None:
        """Update the live values at ``percent`` of the cycle (cheap: called every frame)."""
        if self._muscle is not None and self.isVisible():
            self._update_live(percent)

    def refresh(self, *_args) -> None:
        """Fetch the curves again (the gait shown or compared changed)."""
        if self._muscle is not None:
            self._bind(force=True)

    def fibre_text_content(self) -> str:
        """The "Fibres & energy" tab as plain text (filled first if it is not yet)."""
        self._fill_fibre_text(force=True)
        return self.fibre_text.toPlainText()

    def _compared_animation(self) -> CycleAnimation | None:
        """The right-hand gait's animation while two gaits are compared, else None."""
        compared = self.model.compared
        return None if compared is None else compared.animation

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._muscle is not None:
            self._update_live(self.model.playback.percent, force=True)

    # ------------------------------------------------------------------ internals
    def _bind(self, force: bool = False) -> None:
        """Fetch the muscle's curve and modes from the window's current animation."""
        anim = self.model.animation
        self._animation = anim
        self._row = self._modes = None
        for band in self._bands:
            self.curve_view.removeItem(band)
        self._bands = []
        name = self._muscle
        cycle = None if anim is None else anim.cycle
        prov = None
        if cycle is not None and name in cycle.muscle_names:
            i = cycle.muscle_index(name)
            self._row = np.asarray(cycle.activations[i], dtype=float)
            if anim.modes is not None:
                self._modes = anim.modes[i]
            prov = cycle.provenance.get(name)
        if self._row is None or (prov is not None and prov.kind == "none"):
            self.curve.setData([], [])
            self._row = None
            self.plot_title.setText("No activation data for this muscle in this motion")
            self.curve_view.setToolTip("")
        else:
            side = catalogue().muscle(name).side
            for s, e in stance_intervals(cycle, side):
                band = pg.LinearRegionItem(
                    (s, e), movable=False, brush=pg.mkBrush(self._theme.stance), pen=pg.mkPen(None)
                )
                band.setZValue(-10)
                self.curve_view.addItem(band)
                self._bands.append(band)
            group = catalogue().group(catalogue().muscle(name).group)
            pen = pg.mkPen(QColor(group.colour).lighter(115), width=2)
            if prov is not None and prov.kind == "estimated":
                pen.setStyle(Qt.PenStyle.DashLine)
            self.curve.setData(cycle.percent, self._row, pen=pen)
            top = max(0.2, float(np.ceil(self._row.max() * 10.0 + 0.5) / 10.0))
            self.curve_view.setXRange(0.0, 100.0, padding=0.0)
            self._set_y_top(top)
            kind = PROVENANCE_TEXT.get(prov.kind, prov.kind) if prov else "provenance unknown"
            # A built-in gait's short label reads well ("Over the running stride"); an imported
            # trial's label is a file name that cannot wrap and would widen the panel.
            stride = cycle.label.lower() if len(cycle.label) <= 24 else "this"
            the = "the " if stride != "this" else ""
            self.plot_title.setText(f"Over {the}{stride} stride: {kind}")
            self.curve_view.setToolTip(
                f"Activation over the stride. Shaded: {SIDE_WORDS[side].split()[0].lower()} "
                "foot on the ground; the vertical line is now."
            )
        self._bind_compared(name if self._row is not None else None)
        self._bind_emg(name if self._row is not None else None)
        self._fibre_text_for = None
        self._fill_fibre_text()
        self.provenance_label.setText(
            f"Source: {prov.source}" if prov is not None and prov.source else ""
        )
        self.provenance_label.setVisible(bool(self.provenance_label.text()))
        self._live_text = ("", "")
        self._update_live(self.model.playback.percent, force=force)

    def _set_y_top(self, top: float) -> None:
        """The curve's scale 0..top, labelled at its ends only (the plot is short)."""
        top = min(top, 1.0)
        self.curve_view.setYRange(0.0, top, padding=0.02)
        self.curve_view.getPlotItem().getAxis("left").setTicks(
            [[(0.0, "0"), (top, f"{top:.1f}")], []]
        )

    def _bind_compared(self, name: str | None) -> None:
        """The same muscle in the compared (right-hand) gait: a dashed curve and a live line."""
        anim2 = self._compared_animation()
        self._animation2 = anim2
        self._row2 = self._modes2 = None
        if anim2 is not None and name is not None and name in anim2.cycle.muscle_names:
            i = anim2.cycle.muscle_index(name)
            self._row2 = np.asarray(anim2.cycle.activations[i], dtype=float)
            self._modes2 = None if anim2.modes is None else anim2.modes[i]
            pen = pg.mkPen(self._theme.text, width=1.5, style=Qt.PenStyle.DashLine)
            self.compare_curve.setData(anim2.cycle.percent, self._row2, pen=pen)
            top = max(self._row.max(), self._row2.max())
            top = max(0.2, float(np.ceil(top * 10.0 + 0.5) / 10.0))
            self._set_y_top(top)
            first = self._animation.cycle.label
            self.plot_title.setText(
                f"Over the stride: {first} (solid), {anim2.cycle.label} (dashed)"
            )
        else:
            self.compare_curve.setData([], [])
        self.compare_label.setVisible(self._row2 is not None)

    def _bind_emg(self, name: str | None) -> None:
        """The measured EMG of the muscle in the built-in gait shown, where it was recorded:
        a bar and value beside the simulated activation, a dotted curve in the plot."""
        gait = self.model.gait_name
        channel = None if name is None or self.model.still is not None else emg_channel(gait, name)
        anim = self._animation
        if channel is not None and (anim is None or not anim.cycle.periodic):
            channel = None
        self._emg = channel
        self.emg_row.setVisible(channel is not None)
        if channel is None:
            self.activation_caption.setText("Activation now")
            self.emg_curve.setData([], [])
            return
        prov = anim.cycle.provenance.get(name)
        kind = "Simulated" if prov is None or prov.kind == "simulated" else prov.kind.title()
        self.activation_caption.setText(f"{kind} now")
        side = catalogue().muscle(name).side
        self.emg_caption.setText("Measured EMG")
        leg_note = (
            " Recorded on the right leg: the left leg shows it half a stride later, as the "
            "built-in stride is symmetric."
            if side == "l"
            else ""
        )
        tip = (
            f"Measured EMG envelope ({channel.channel}) of {channel.what}, scaled to its peak "
            "over the stride: it shows when the muscle works, not how hard, so it is given as "
            f"a share of its own peak.{leg_note}\nSource: {channel.citation}"
        )
        for w in (self.emg_row, self.emg_bar, self.emg_label, self.emg_caption):
            w.setToolTip(tip)
        percent = anim.cycle.percent
        top = float(self._row.max()) if self._row is not None else 1.0
        pen = pg.mkPen(QColor(EMG_COLOUR), width=1.5, style=Qt.PenStyle.DotLine)
        self.emg_curve.setData(percent, channel.envelope(percent, side) * top, pen=pen)
        self.curve_view.setToolTip(
            self.curve_view.toolTip()
            + " Dotted: the measured EMG, scaled to the simulated curve's peak."
        )

    def _fill_fibre_text(self, force: bool = False) -> None:
        """Fill the "Fibres & energy" tab for the muscle and gait shown (only while the tab
        is shown, or when ``force``d: the energy of a gait takes a moment the first time)."""
        name = self._muscle
        if name is None or (not force and self.tabs.currentWidget() is not self.fibre_text):
            return
        compared = self.model.compared
        key = (
            name,
            self.model.gait_name,
            id(self._animation),
            None if compared is None else compared.gaits,
        )
        if key == self._fibre_text_for:
            return
        self._fibre_text_for = key
        self.fibre_text.setHtml(fibres_html(self.model, name, self.palette()))
        self.fibre_text.verticalScrollBar().setValue(0)

    def _update_live(self, percent: float, force: bool = False) -> None:
        anim = self._animation
        fibres = ""
        if self._still is not None:
            texts = ("\u2013", _esc(self._still))
            self.activation_bar.set_value(0.0)
            self.dot.setData([], [])
        elif anim is None or self._row is None:
            texts = ("\u2013", mode_text(None) if anim is None else "No data")
            self.activation_bar.set_value(0.0)
            self.dot.setData([], [])
        else:
            cycle = anim.cycle
            p = float(percent) % 100.0 if cycle.periodic else float(percent)
            now = muscle_at(anim, self._muscle, percent)
            a = now.activation or 0.0
            mode = now.mode
            colour = MODE_COLOURS.get(mode, self._theme.muted.name())
            texts = (
                f"{a * 100:.0f} %",
                f'<span style="color:{colour};">\u25cf</span> {_esc(mode_text(mode))}',
            )
            self.activation_bar.set_value(a)
            self.cursor.setValue(p)
            self.dot.setData([p], [a])
            fibres = fibre_html(*fibre_text(now.activation, self._type1))
            if self._emg is not None:
                side = catalogue().muscle(self._muscle).side
                e = self._emg.at(p, side)
                self.emg_bar.set_value(e)
                self.emg_label.setText(f"{e * 100:.0f} %")
        if self._row2 is not None and self._animation2 is not None and self._still is None:
            cycle2 = self._animation2.cycle
            now2 = muscle_at(self._animation2, self._muscle, percent)
            a2 = now2.activation or 0.0
            mode2 = now2.mode
            colour = MODE_COLOURS.get(mode2, self._theme.muted.name())
            state2, words2 = fibre_text(now2.activation, self._type1)
            self.compare_label.setText(
                f"<b>{_esc(cycle2.label)} now: {a2 * 100:.0f} %</b> "
                f'<span style="color:{colour};">\u25cf</span> {_esc(mode_text(mode2))}<br>'
                f"{fibre_html(state2, words2)}"
            )
        if force or texts[0] != self._live_text[0]:
            self.activation_label.setText(texts[0])
        if force or texts[1] != self._live_text[1]:
            self.mode_label.setText(texts[1])
        if force or fibres != self.fibre_label.text():
            self.fibre_label.setText(fibres)
            self.fibre_label.setVisible(bool(fibres))
        self._live_text = texts

    def _apply_theme(self) -> None:
        t = self._theme = theme_for(self.palette())
        self.curve_view.setBackground(t.background)
        plot = self.curve_view.getPlotItem()
        for key in ("left", "bottom"):
            ax = plot.getAxis(key)
            ax.setPen(pg.mkPen(t.muted))
            ax.setTextPen(pg.mkPen(t.text))
        self.cursor.setPen(pg.mkPen(t.cursor, width=1.5))
        self.dot.setPen(pg.mkPen(t.halo, width=1))
        self.dot.setBrush(pg.mkBrush(t.cursor))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_theme()
            if self._muscle is not None:
                self.show_muscle(self._muscle)
        super().changeEvent(event)


def _plain(rich: str) -> str:
    """Plain text of a short rich-text label."""
    return QTextDocumentFragment.fromHtml(rich).toPlainText()


def info_dock(model: AppModel, parent: QWidget) -> QDockWidget:
    """The "Muscle" dock holding an :class:`InfoPanel` of ``model``."""
    panel = InfoPanel(model)
    dock = QDockWidget("Muscle", parent)
    dock.setObjectName("muscleDock")
    dock.setWidget(panel)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    dock.setMinimumWidth(300)
    return dock
