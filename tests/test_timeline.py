"""Timeline and transport bar: scrubbing, stepping, shortcuts, playback speed, phase names."""

from __future__ import annotations

import time

import numpy as np
import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QFont, QFontMetricsF, QWheelEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget  # noqa: E402

from anatomy_viewer.app.playback import Playback  # noqa: E402
from anatomy_viewer.gait.cycle import Event, GaitCycle, Phase, Provenance  # noqa: E402
from anatomy_viewer.ui.playback import PlaybackClock  # noqa: E402
from anatomy_viewer.ui.timeline import (  # noqa: E402
    Timeline,
    abbreviations,
    event_percent,
    layout_phase_labels,
    step_percent,
)
from anatomy_viewer.ui.transport import (  # noqa: E402
    SHORTCUTS,
    SPEED_STEPS,
    TransportBar,
    install_shortcuts,
    shortcut_list,
    show_shortcuts_dialog,
)

# Perry's walking phases for a stride whose toe-off is at 60 % (right leg; left = +50 %).
PERRY = [
    ("initial contact", 0.0, 2.0),
    ("loading response", 2.0, 10.0),
    ("mid-stance", 10.0, 30.0),
    ("terminal stance", 30.0, 50.0),
    ("pre-swing", 50.0, 60.0),
    ("initial swing", 60.0, 73.0),
    ("mid-swing", 73.0, 87.0),
    ("terminal swing", 87.0, 100.0),
]


def synthetic_cycle(n: int = 201, stride_time: float = 1.0) -> GaitCycle:
    """A small walking-like cycle: right contact 0..60 %, left 50..10 %, Perry phases."""
    pct = np.linspace(0.0, 100.0, n)
    muscles = ("vaslat_r", "soleus_r", "vaslat_l", "soleus_l")
    act = np.array([np.exp(-(((pct - c) % 100.0 - 50.0) ** 2) / 50.0) for c in (60, 95, 10, 45)])
    phases = []
    for side, shift in (("r", 0.0), ("l", 50.0)):
        for name, s, e in PERRY:
            s, e = s + shift, e + shift
            if s >= 100.0:
                s, e = s - 100.0, e - 100.0
            if e > 100.0:
                e -= 100.0
            phases.append(Phase(side, name, s, e))
    return GaitCycle(
        name="synthetic",
        label="Synthetic walk",
        stride_time=stride_time,
        percent=pct,
        coordinates={"knee_angle_r": np.zeros(n)},
        muscle_names=muscles,
        activations=act,
        contact_r=pct < 60.0,
        contact_l=(pct >= 50.0) | (pct < 10.0),
        provenance={m: Provenance("simulated", "test") for m in muscles},
        events=[
            Event("r", "initial_contact", 0.0),
            Event("r", "toe_off", 60.0),
            Event("l", "initial_contact", 50.0),
            Event("l", "toe_off", 10.0),
        ],
        phases=phases,
    )


@pytest.fixture
def cycle() -> GaitCycle:
    return synthetic_cycle()


@pytest.fixture
def window(qtbot, cycle):
    """A main window like the program's: a focusable stand-in for the 3-D viewport above the
    transport bar, shortcuts installed on the window, 1280 px wide."""
    win = QMainWindow()
    win.resize(1280, 300)
    central = QWidget()
    viewport = QWidget()
    viewport.setObjectName("viewport")
    viewport.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    viewport.setMinimumHeight(150)
    playback = Playback()
    clock = PlaybackClock(playback, win)
    transport = TransportBar(playback)
    transport.set_cycle(cycle)
    layout = QVBoxLayout(central)
    layout.addWidget(viewport, 1)
    layout.addWidget(transport)
    win.setCentralWidget(central)
    install_shortcuts(win, transport)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    viewport.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=2000)
    win.viewport, win.playback, win.transport = viewport, playback, transport
    yield win
    clock.stop()
    win.close()


# ------------------------------------------------------------------------ pure functions
def test_step_percent_snaps_to_the_sample_grid_and_wraps(cycle):
    assert step_percent(cycle, 0.0, 1) == pytest.approx(0.5)
    assert step_percent(cycle, 23.47, 1) == pytest.approx(23.5)
    assert step_percent(cycle, 23.47, -1) == pytest.approx(23.0)
    assert step_percent(cycle, 23.5, -1) == pytest.approx(23.0)
    assert step_percent(cycle, 100.0, 1) == pytest.approx(0.5)
    assert step_percent(cycle, 0.0, -1) == pytest.approx(99.5)
    assert step_percent(cycle, 100.0, 1, wrap=False) == pytest.approx(100.0)


def test_event_percent_finds_either_legs_events_and_wraps(cycle):
    assert event_percent(cycle, 0.0, 1) == pytest.approx(10.0)  # left toe-off
    assert event_percent(cycle, 10.0, 1) == pytest.approx(50.0)  # left initial contact
    assert event_percent(cycle, 55.0, 1) == pytest.approx(60.0)  # right toe-off
    assert event_percent(cycle, 70.0, 1) == pytest.approx(0.0)  # wraps to right contact
    assert event_percent(cycle, 50.0, -1) == pytest.approx(10.0)
    assert event_percent(cycle, 5.0, -1) == pytest.approx(0.0)
    assert event_percent(cycle, 0.0, -1) == pytest.approx(60.0)


def test_abbreviations_follow_perrys_notation_where_initials_clash():
    short = abbreviations([name for name, _, _ in PERRY])
    assert short["loading response"] == "LR"
    assert short["mid-stance"] == "MSt"
    assert short["mid-swing"] == "MSw"
    assert short["terminal stance"] == "TSt"
    assert short["initial contact"] == "IC"
    assert abbreviations(["flight"])["flight"] == "fli."


def test_label_layout_prefers_full_then_elided_then_abbreviated_names(cycle):
    def width(text: str) -> float:  # 7 px per character
        return 7.0 * len(text)

    wide = {s.phase.name: s for s in layout_phase_labels(cycle.phases, "r", 1200.0, width)}
    assert wide["mid-stance"].fit == "full"  # 240 px band, 70 px of text
    assert wide["loading response"].fit == "elided"  # 96 px band, 112 px of text
    assert wide["loading response"].text == "loading res\u2026"
    assert wide["initial contact"].text == "IC"  # 24 px band
    narrow = {s.phase.name: s for s in layout_phase_labels(cycle.phases, "r", 600.0, width)}
    assert narrow["mid-stance"].fit == "full"  # 120 px band
    assert narrow["loading response"].text == "LR"  # 48 px: "loadi..." keeps too little
    assert narrow["initial contact"].fit == "none"  # 12 px: not even "IC"
    for seg in list(wide.values()) + list(narrow.values()):
        assert seg.text == "" or width(seg.text) <= seg.x1 - seg.x0


def test_phase_names_are_drawn_at_the_default_window_width(window):
    """At 1280 px every phase band of both legs shows a name: the full name on every band of
    10 % or more, the 2 % initial-contact band as "IC", elided names keeping a word."""
    timeline = window.transport.timeline
    assert timeline.width() > 1150
    for side in ("r", "l"):
        layout = timeline.label_layout(side)
        names = {s.phase.name for s in layout}
        assert names == {name for name, _, _ in PERRY}
        for seg in layout:
            if seg.phase.name == "initial contact":
                assert seg.text == "IC"
            elif seg.end - seg.start >= 10.0:
                assert seg.fit == "full", seg
            elif seg.fit == "elided":
                assert len(seg.text) >= 7, seg
            assert seg.text, seg


def test_tooltip_gives_the_full_phase_name(window):
    timeline = window.transport.timeline
    rect = timeline.track_rect("r")
    text = timeline.tooltip_at(QPointF(timeline.x_of(1.0), rect.center().y()))
    assert "initial contact" in text and "Right" in text
    text = timeline.tooltip_at(QPointF(timeline.x_of(95.0), timeline.track_rect("l").center().y()))
    assert "Left leg: terminal stance" in text  # 45 % after the left foot's contact


# --------------------------------------------------------------------------- timeline
def test_clicking_the_timeline_seeks_to_that_percent(window, qtbot):
    timeline = window.transport.timeline
    y = int(timeline.track_rect("r").center().y())
    for target in (37.0, 82.5, 3.0):
        x = round(timeline.x_of(target))
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
        one_pixel = 100.0 / timeline.track_width()
        assert window.playback.percent == pytest.approx(target, abs=one_pixel)
        assert timeline.percent() == pytest.approx(window.playback.percent)


def test_dragging_scrubs_continuously_and_holds_playback(window, qtbot):
    timeline = window.transport.timeline
    seen: list[float] = []
    timeline.seekRequested.connect(seen.append)
    window.playback.play()
    y = int(timeline.track_rect("l").center().y())
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(timeline.x_of(10)), y))
    assert not window.playback.playing  # held while scrubbing
    for p in (20, 30, 40):
        qtbot.mouseMove(timeline, QPoint(int(timeline.x_of(p)), y))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(timeline.x_of(50)), y))
    assert len(seen) >= 4
    assert seen == sorted(seen)
    assert seen[-1] == pytest.approx(50.0, abs=0.2)
    assert window.playback.playing  # resumes after the drag
    window.playback.pause()


def test_set_percent_moves_the_cursor_without_a_signal(qtbot, cycle):
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.set_cycle(cycle)
    seen: list[float] = []
    timeline.seekRequested.connect(seen.append)
    timeline.set_percent(42.0)
    assert timeline.percent() == 42.0
    assert seen == []


def test_wheel_steps_one_sample(qtbot, cycle):
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.resize(800, timeline.height())
    timeline.set_cycle(cycle)
    timeline.set_percent(20.0)
    seen: list[float] = []
    timeline.seekRequested.connect(seen.append)
    pos = QPointF(100, 30)

    def wheel(dy: int) -> None:
        ev = QWheelEvent(
            pos,
            timeline.mapToGlobal(pos),
            QPoint(0, 0),
            QPoint(0, dy),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(timeline, ev)

    wheel(-120)  # scrolling down (towards the user) moves forward
    assert seen[-1] == pytest.approx(20.5)
    wheel(120)
    wheel(120)
    assert seen[-1] == pytest.approx(19.5)


# --------------------------------------------------------------------- keys and buttons
def test_shortcuts_step_jump_and_change_speed_while_the_viewport_has_focus(window, qtbot):
    pb, vp = window.playback, window.viewport
    assert vp.hasFocus()
    step = 100.0 / (window.transport.cycle().n_samples - 1)

    def key(k, mod=Qt.KeyboardModifier.NoModifier):
        qtbot.keyClick(vp, k, mod)

    key(Qt.Key.Key_Right)
    assert pb.percent == pytest.approx(step)
    key(Qt.Key.Key_Right)
    assert pb.percent == pytest.approx(2 * step)
    key(Qt.Key.Key_Left)
    assert pb.percent == pytest.approx(step)
    key(Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert pb.percent == pytest.approx(10.0)  # left toe-off
    key(Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert pb.percent == pytest.approx(50.0)  # left initial contact
    key(Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert pb.percent == pytest.approx(10.0)
    key(Qt.Key.Key_End)
    assert pb.percent == pytest.approx(100.0)
    key(Qt.Key.Key_Home)
    assert pb.percent == pytest.approx(0.0)

    assert pb.speed == 1.0
    key(Qt.Key.Key_BracketRight)
    assert pb.speed == 1.5
    key(Qt.Key.Key_BracketRight)
    key(Qt.Key.Key_BracketRight)  # already the fastest step
    assert pb.speed == max(SPEED_STEPS)
    for _ in range(3):
        key(Qt.Key.Key_BracketLeft)
    assert pb.speed == 0.5
    assert window.transport.speed_control.currentData() == 0.5

    key(Qt.Key.Key_Space)
    assert pb.playing
    key(Qt.Key.Key_Space)
    assert not pb.playing


def test_buttons_step_jump_and_play(window, qtbot):
    t, pb = window.transport, window.playback
    step = 100.0 / (t.cycle().n_samples - 1)
    pb.seek(30.0)
    qtbot.mouseClick(t.step_forward_button, Qt.MouseButton.LeftButton)
    assert pb.percent == pytest.approx(30.0 + step)
    qtbot.mouseClick(t.step_back_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(t.step_back_button, Qt.MouseButton.LeftButton)
    assert pb.percent == pytest.approx(30.0 - step)
    qtbot.mouseClick(t.next_event_button, Qt.MouseButton.LeftButton)
    assert pb.percent == pytest.approx(50.0)
    qtbot.mouseClick(t.previous_event_button, Qt.MouseButton.LeftButton)
    assert pb.percent == pytest.approx(10.0)
    play = window.findChild(QWidget, "playButton")
    qtbot.mouseClick(play, Qt.MouseButton.LeftButton)
    assert pb.playing and play.text() == "Pause"
    qtbot.mouseClick(t.step_forward_button, Qt.MouseButton.LeftButton)
    assert not pb.playing  # stepping is for looking closely: it pauses
    assert play.text() == "Play"
    t.speed_control.setCurrentIndex(SPEED_STEPS.index(0.25))
    t.speed_control.activated.emit(SPEED_STEPS.index(0.25))
    assert pb.speed == 0.25
    qtbot.mouseClick(t.loop_button, Qt.MouseButton.LeftButton)
    assert pb.loop is False


def test_phase_label_names_each_legs_phase(window):
    pb = window.playback
    label = window.findChild(QWidget, "phaseLabel")
    expected = {
        5.0: ("loading response", "pre-swing"),
        23.5: ("mid-stance", "mid-swing"),
        20.0: ("mid-stance", "initial swing"),
        55.0: ("pre-swing", "loading response"),
        78.0: ("mid-swing", "mid-stance"),
        95.0: ("terminal swing", "terminal stance"),
    }
    for p, (right, left) in expected.items():
        pb.seek(p)
        text = label.text()
        assert text.split("%")[0].strip() == f"{p:.1f}"
        assert f"right: {right}" in text
        assert f"left: {left}" in text
    pb.seek(0.0)
    pb.seek(50.0)  # on an event the label says so
    assert "left initial contact" in label.text()


def test_playback_at_1x_covers_one_cycle_in_one_stride_time(window, qtbot):
    """stride_time 1.0 s: in one second of wall-clock time the position advances 100 % +-20 %."""
    pb = window.playback
    assert pb.stride_time == pytest.approx(1.0) and pb.speed == 1.0 and pb.loop
    advanced = 0.0
    last = pb.percent

    def on_percent(p: float) -> None:
        nonlocal advanced, last
        advanced += (p - last) % 100.0
        last = p

    pb.events.percent.connect(on_percent)
    t0 = time.perf_counter()
    pb.play()
    qtbot.wait(1000)
    pb.pause()
    elapsed = time.perf_counter() - t0
    pb.events.percent.disconnect(on_percent)
    # what the clock says should have happened, and what that means per stride time
    assert advanced == pytest.approx(100.0 * elapsed, rel=0.2)
    assert advanced / elapsed == pytest.approx(100.0, rel=0.2)


# ---------------------------------------------------------------------------- shortcuts
def test_shortcut_list_and_dialog(window, qtbot):
    rows = shortcut_list()
    assert len(rows) == len(SHORTCUTS)
    names = dict(rows)
    assert names["Play / pause"] == "Space"
    assert "Shift" in names["Next foot event (initial contact or toe-off)"]
    dialog = show_shortcuts_dialog(window)
    qtbot.addWidget(dialog)
    table = dialog.findChild(QWidget, "shortcutsTable")
    assert table.rowCount() >= len(SHORTCUTS)
    assert table.item(0, 1).text() == "Space"
    dialog.close()


def test_band_font_is_readable():
    """The phase names use a font of at least 7 pt (tested layout above uses the real font)."""
    timeline = Timeline()
    f: QFont = timeline._band_font()
    assert f.pointSizeF() >= 7.0
    assert QFontMetricsF(f).height() < 22  # fits inside a 22 px track


def test_a_cycle_without_phases_or_events_still_draws(qtbot):
    """Imported cycles may carry only contact flags: stance comes from them, names from
    GaitCycle.phase_at, and stepping by event does nothing."""
    from dataclasses import replace

    from anatomy_viewer.ui.timeline import stance_intervals

    bare = replace(synthetic_cycle(), events=[], phases=[])
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.resize(900, timeline.height())
    timeline.set_cycle(bare)
    assert not timeline.grab().isNull()
    ((start, end),) = stance_intervals(bare, "r")
    assert start == 0.0 and end == pytest.approx(60.0, abs=0.5)
    assert event_percent(bare, 20.0, 1) is None
    text = timeline.tooltip_at(QPointF(timeline.x_of(70.0), timeline.track_rect("r").center().y()))
    assert "Right leg: swing" in text
