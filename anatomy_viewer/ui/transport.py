"""The transport bar: play/pause, frame and event stepping, loop, speed, the timeline, the phase.

``TransportBar`` binds a ``Playback`` (the clock) to a ``Timeline`` (the picture). Keyboard
shortcuts live on the main window (``install_shortcuts``) so they work whichever widget has
the focus, the 3-D viewport included.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from anatomy_viewer.app.model import AppModel
from anatomy_viewer.app.playback import Playback
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.navigation import event_percent, sample_step, step_percent
from anatomy_viewer.gait.sampling import phase_text
from anatomy_viewer.ui.timeline import Timeline

SPEED_STEPS: tuple[float, ...] = (0.1, 0.25, 0.5, 1.0, 1.5, 2.0)
ICON_SIZE = 18

# (action id, what it does, key sequences in portable text)
SHORTCUTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("play", "Play / pause", ("Space",)),
    ("step_back", "Step back one frame", ("Left",)),
    ("step_forward", "Step forward one frame", ("Right",)),
    ("previous_event", "Previous foot event (initial contact or toe-off)", ("Shift+Left",)),
    ("next_event", "Next foot event (initial contact or toe-off)", ("Shift+Right",)),
    ("start", "Go to 0 % (right initial contact)", ("Home",)),
    ("end", "Go to 100 %", ("End",)),
    ("slower", "Slower", ("[",)),
    ("faster", "Faster", ("]",)),
)


def shortcut_list() -> list[tuple[str, str]]:
    """(what it does, keys as shown to the user) of every transport shortcut."""
    out = []
    for _, name, keys in SHORTCUTS:
        shown = ", ".join(
            QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys
        )
        out.append((name, shown))
    return out


def format_speed(speed: float) -> str:
    return f"{speed:g}\u00d7"


# ------------------------------------------------------------------------------- icons
def _icon(kind: str, colour: QColor) -> QIcon:
    """A flat media icon drawn with QPainter, so it is crisp at any DPI and follows the theme."""
    icon = QIcon()
    for scale in (1, 2):
        s = ICON_SIZE * scale
        pm = QPixmap(s, s)
        pm.setDevicePixelRatio(scale)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        _draw_icon(p, kind, float(ICON_SIZE), colour)
        p.end()
        icon.addPixmap(pm)
    return icon


def _tri(x0: float, x1: float, y0: float, y1: float) -> QPolygonF:
    """A triangle pointing right (x1 > x0) or left (x1 < x0) between rows y0..y1."""
    return QPolygonF([QPointF(x0, y0), QPointF(x1, (y0 + y1) / 2), QPointF(x0, y1)])


def _draw_icon(p: QPainter, kind: str, s: float, colour: QColor) -> None:
    m = s * 0.2
    top, bottom = m, s - m
    if kind == "play":
        p.drawPolygon(_tri(s * 0.28, s * 0.8, top, bottom))
    elif kind == "pause":
        w = s * 0.18
        p.drawRoundedRect(QRectF(s * 0.28, top, w, bottom - top), 1, 1)
        p.drawRoundedRect(QRectF(s * 0.72 - w, top, w, bottom - top), 1, 1)
    elif kind in ("step_forward", "step_back"):
        bar = QRectF(s * 0.68, top, s * 0.12, bottom - top)
        tri = _tri(s * 0.22, s * 0.64, top, bottom)
        if kind == "step_back":
            bar = QRectF(s - bar.right(), top, bar.width(), bar.height())
            tri = _tri(s * 0.78, s * 0.36, top, bottom)
        p.drawRect(bar)
        p.drawPolygon(tri)
    elif kind in ("next_event", "previous_event"):
        # a foot-strike marker (triangle pointing down) behind a double arrow
        if kind == "next_event":
            p.drawPolygon(_tri(s * 0.12, s * 0.46, top + 1, bottom - 1))
            p.drawPolygon(_tri(s * 0.46, s * 0.8, top + 1, bottom - 1))
            p.drawRect(QRectF(s * 0.8, top, s * 0.1, bottom - top))
        else:
            p.drawPolygon(_tri(s * 0.88, s * 0.54, top + 1, bottom - 1))
            p.drawPolygon(_tri(s * 0.54, s * 0.2, top + 1, bottom - 1))
            p.drawRect(QRectF(s * 0.1, top, s * 0.1, bottom - top))
    elif kind == "loop":
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(colour, s * 0.1, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        r = QRectF(s * 0.18, s * 0.26, s * 0.64, s * 0.48)
        path = QPainterPath()
        path.addRoundedRect(r, s * 0.2, s * 0.2)
        p.drawPath(path)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        # an arrowhead on the top edge, pointing right
        p.drawPolygon(_tri(s * 0.46, s * 0.68, r.top() - s * 0.13, r.top() + s * 0.13))


# ------------------------------------------------------------------------------- widget
class TransportBar(QWidget):
    """Controls of the playback and the timeline, in two rows:

    [ timeline ........................................................................ ]
    [ |< << > >> >| loop  speed           23.5 %   right: mid-stance   left: initial swing ]

    ``playback`` is driven; ``timeline`` is created when not given. ``set_cycle`` must be
    called with the cycle being shown (it also sets the playback's stride time).
    """

    def __init__(
        self,
        playback: Playback,
        timeline: Timeline | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("transportBar")
        self.setAccessibleName("Playback controls")
        self.playback = playback
        self.timeline = timeline or Timeline()
        self._cycle: GaitCycle | None = None
        self._resume_after_scrub = False

        def button(name: str, tip: str, slot: Callable[[], None], icon: str) -> QToolButton:
            b = QToolButton()
            b.setObjectName(name)
            b.setAccessibleName(tip.split(" (")[0])
            b.setToolTip(tip)
            b.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
            b.setAutoRaise(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the viewport/timeline
            b.setProperty("iconKind", icon)
            b.clicked.connect(slot)
            return b

        keys = {
            k: QKeySequence(v[0]).toString(QKeySequence.SequenceFormat.NativeText)
            for k, _, v in SHORTCUTS
        }
        self.previous_event_button = button(
            "previousEventButton",
            f"Previous foot event ({keys['previous_event']})",
            self.previous_event,
            "previous_event",
        )
        self.step_back_button = button(
            "stepBackButton",
            f"Step back one frame ({keys['step_back']})",
            self.step_back,
            "step_back",
        )
        self.play_button = button(
            "playButton", f"Play / pause ({keys['play']})", self.playback.toggle, "play"
        )
        self.step_forward_button = button(
            "stepForwardButton",
            f"Step forward one frame ({keys['step_forward']})",
            self.step_forward,
            "step_forward",
        )
        self.next_event_button = button(
            "nextEventButton",
            f"Next foot event ({keys['next_event']})",
            self.next_event,
            "next_event",
        )
        for b in (self.step_back_button, self.step_forward_button):
            b.setAutoRepeat(True)
            b.setAutoRepeatDelay(350)
            b.setAutoRepeatInterval(60)
        self.loop_button = button(
            "loopButton", "Loop: play the cycle over and over", lambda: None, "loop"
        )
        self.loop_button.setCheckable(True)
        self.loop_button.setChecked(self.playback.loop)
        self.loop_button.toggled.connect(self.set_loop)
        self.playback.events.loop.connect(self._on_loop)

        self.speed_control = QComboBox()
        self.speed_control.setObjectName("speedControl")
        self.speed_control.setAccessibleName("Playback speed")
        self.speed_control.setToolTip(
            f"Playback speed: 1\u00d7 is real time (slower {keys['slower']}, "
            f"faster {keys['faster']})"
        )
        self.speed_control.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        for s in SPEED_STEPS:
            self.speed_control.addItem(format_speed(s), s)
        self.speed_control.activated.connect(
            lambda i: self.playback.set_speed(float(self.speed_control.itemData(i)))
        )
        speed_label = QLabel("Speed")
        speed_label.setBuddy(self.speed_control)

        self.phase_label = QLabel()
        self.phase_label.setObjectName("phaseLabel")
        self.phase_label.setAccessibleName("Current percent and phase of each leg")
        self.phase_label.setTextFormat(Qt.TextFormat.PlainText)
        self.phase_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Ignored: the text never sets the bar's minimum width (it would hold a small window
        # wider than a laptop screen); a narrow window clips it, the tooltip has it whole.
        self.phase_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.phase_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        for b in (
            self.previous_event_button,
            self.step_back_button,
            self.play_button,
            self.step_forward_button,
            self.next_event_button,
        ):
            row.addWidget(b)
        row.addSpacing(8)
        row.addWidget(self.loop_button)
        row.addSpacing(12)
        row.addWidget(speed_label)
        row.addSpacing(4)
        row.addWidget(self.speed_control)
        row.addSpacing(16)
        row.addWidget(self.phase_label, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 10, 4)
        layout.setSpacing(0)
        layout.addWidget(self.timeline)
        layout.addLayout(row)

        self.timeline.seekRequested.connect(self.playback.seek)
        self.timeline.scrubbingChanged.connect(self._on_scrubbing)
        self.playback.events.percent.connect(self._on_percent)
        self.playback.events.playing.connect(self._on_playing)
        self.playback.events.speed.connect(self._on_speed)
        self._still_text: str | None = None
        self._update_icons()
        self._on_playing(self.playback.playing)
        self._on_speed(self.playback.speed)
        self._on_percent(self.playback.percent)

    # ------------------------------------------------------------------ API
    def bind(self, model: AppModel) -> None:
        """Follow ``model``: its current cycle, and the note of a still pose when one shows."""
        model.events.animation.connect(
            lambda anim: self.set_cycle(None if anim is None else anim.cycle)
        )
        model.events.still.connect(self._on_still)
        self.set_cycle(model.cycle)

    def _on_still(self, still) -> None:
        self._still_text = (
            None
            if still is None
            else f"Exercise pose: {still.label} (still; play or seek to return to the stride)"
        )
        self.show_phase_text()

    def set_cycle(self, cycle: GaitCycle | None) -> None:
        """Show ``cycle``: the timeline, the phase label and the playback's stride time."""
        self._cycle = cycle
        self.timeline.set_cycle(cycle)
        if cycle is not None:
            self.playback.set_stride_time(cycle.stride_time)
        self._on_percent(self.playback.percent)

    def cycle(self) -> GaitCycle | None:
        return self._cycle

    def frame_step(self) -> float:
        """One frame (one sample of the cycle) in percent."""
        return sample_step(self._cycle)

    def step_forward(self) -> None:
        self._seek_paused(step_percent(self._cycle, self.playback.percent, 1, self.playback.loop))

    def step_back(self) -> None:
        self._seek_paused(step_percent(self._cycle, self.playback.percent, -1, self.playback.loop))

    def next_event(self) -> None:
        p = event_percent(self._cycle, self.playback.percent, 1)
        if p is not None:
            self._seek_paused(p)

    def previous_event(self) -> None:
        p = event_percent(self._cycle, self.playback.percent, -1)
        if p is not None:
            self._seek_paused(p)

    def go_to_start(self) -> None:
        self.playback.seek(0.0)

    def go_to_end(self) -> None:
        self.playback.seek(100.0)

    def slower(self) -> None:
        lower = [s for s in SPEED_STEPS if s < self.playback.speed - 1e-9]
        if lower:
            self.playback.set_speed(lower[-1])

    def faster(self) -> None:
        higher = [s for s in SPEED_STEPS if s > self.playback.speed + 1e-9]
        if higher:
            self.playback.set_speed(higher[0])

    def set_loop(self, loop: bool) -> None:
        self.playback.set_loop(loop)

    def _on_loop(self, loop: bool) -> None:
        if self.loop_button.isChecked() != loop:
            self.loop_button.setChecked(loop)

    def phase_text(self, percent: float) -> str:
        """ "23.5 %   right: mid-stance   left: initial swing" (plus the event at that instant;
        seconds instead of percent for a whole trial)."""
        return phase_text(self._cycle, percent)

    # ------------------------------------------------------------------ slots
    def _seek_paused(self, percent: float) -> None:
        """Stepping is for looking closely: it pauses the playback first."""
        self.playback.pause()
        self.playback.seek(percent)

    def _on_percent(self, percent: float) -> None:
        self.timeline.set_percent(percent)
        self.show_phase_text()

    def show_phase_text(self, text: str | None = None) -> None:
        """Show ``text`` in the phase label (e.g. while a still pose is shown), or, with None,
        the current percent and phase of each leg."""
        if text is None:
            text = self._still_text or self.phase_text(self.playback.percent)
        self.phase_label.setText(text)
        self.phase_label.setToolTip(text)

    def _on_playing(self, playing: bool) -> None:
        self.play_button.setProperty("iconKind", "pause" if playing else "play")
        self.play_button.setIcon(_icon("pause" if playing else "play", self._icon_colour()))
        self.play_button.setText("Pause" if playing else "Play")
        self.play_button.setAccessibleName("Pause" if playing else "Play")

    def _on_speed(self, speed: float) -> None:
        i = self.speed_control.findData(speed)
        if i < 0:  # a speed set elsewhere that is not one of the steps: list it
            pos = sum(
                1
                for k in range(self.speed_control.count())
                if float(self.speed_control.itemData(k)) < speed
            )
            self.speed_control.insertItem(pos, format_speed(round(speed, 3)), speed)
            i = pos
        self.speed_control.setCurrentIndex(i)

    def _on_scrubbing(self, scrubbing: bool) -> None:
        """Dragging the timeline holds the playback still; it resumes on release."""
        if scrubbing:
            self._resume_after_scrub = self.playback.playing
            self.playback.pause()
        elif self._resume_after_scrub:
            self._resume_after_scrub = False
            self.playback.play()

    def _icon_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.ButtonText)

    def _update_icons(self) -> None:
        colour = self._icon_colour()
        for b in self.findChildren(QToolButton):
            kind = b.property("iconKind")
            if kind:
                b.setIcon(_icon(str(kind), colour))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.PaletteChange:
            self._update_icons()
        super().changeEvent(event)


# ---------------------------------------------------------------------------- shortcuts
def install_shortcuts(window: QMainWindow, transport: TransportBar) -> dict[str, QAction]:
    """Add the transport's keyboard shortcuts to ``window`` as QActions (window-wide: they work
    while the 3-D viewport or any other child has the focus). Returns the actions by id."""
    slots: dict[str, Callable[[], None]] = {
        "play": transport.playback.toggle,
        "step_back": transport.step_back,
        "step_forward": transport.step_forward,
        "previous_event": transport.previous_event,
        "next_event": transport.next_event,
        "start": transport.go_to_start,
        "end": transport.go_to_end,
        "slower": transport.slower,
        "faster": transport.faster,
    }
    actions = {}
    for key, name, seqs in SHORTCUTS:
        act = QAction(name, window)
        act.setObjectName(f"{key}Action")
        act.setShortcuts([QKeySequence(s) for s in seqs])
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.setAutoRepeat(key in ("step_back", "step_forward"))
        act.triggered.connect(slots[key])
        window.addAction(act)
        actions[key] = act
    return actions


def window_shortcut_list(window: QWidget) -> list[tuple[str, str]]:
    """(what it does, keys) of every other QAction of ``window`` that has a shortcut (views,
    File menu, Learn...), read from the actions themselves so the list cannot drift."""
    seen = {keys for _, keys in shortcut_list()}
    rows = []
    for act in window.findChildren(QAction):
        seqs = [k for k in act.shortcuts() if not k.isEmpty()]
        if not seqs:
            continue
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in seqs)
        if keys in seen:
            continue
        seen.add(keys)
        name = act.text().replace("&", "").rstrip("\u2026.").strip() or act.toolTip()
        rows.append((name, keys))
    return rows


def show_shortcuts_dialog(parent: QWidget | None = None) -> QDialog:
    """A small window listing the keyboard shortcuts (Help > Keyboard shortcuts): the
    transport's, then every other shortcut of ``parent``'s actions."""
    dialog = QDialog(parent)
    dialog.setObjectName("shortcutsDialog")
    dialog.setWindowTitle("Keyboard shortcuts")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    rows = shortcut_list()
    if parent is not None:
        rows += window_shortcut_list(parent)
    rows += [
        ("Go to an instant: click or drag on the timeline or in a plot", "Mouse"),
        ("Step one frame (ten with Shift) over the timeline", "Wheel"),
    ]
    table = QTableWidget(len(rows), 2)
    table.setObjectName("shortcutsTable")
    table.setHorizontalHeaderLabels(["Action", "Keys"])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    for r, (name, keys) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(name))
        k = QTableWidgetItem(keys)
        f = k.font()
        f.setBold(True)
        k.setFont(f)
        table.setItem(r, 1, k)
    table.resizeColumnsToContents()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(buttons)
    width = table.horizontalHeader().length() + 60
    height = table.verticalHeader().length() + table.horizontalHeader().height() + 80
    dialog.resize(max(width, 420), height)
    dialog.show()
    return dialog
