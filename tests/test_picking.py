"""Clicking muscles in the 3-D view of the main window (under Xvfb).

Clicks go to the projected screen position of a muscle's anchor (a point of its belly facing
the camera): VTK display coordinates (device pixels, origin bottom-left) converted to the
viewport's Qt coordinates as QVTKRenderWindowInteractor converts mouse events the other way.
"""

from __future__ import annotations

import numpy as np
import pytest
from pick_cases import PICK_CASES as SHARED_PICK_CASES
from PySide6.QtCore import QElapsedTimer, QPoint, Qt

from anatomy_viewer.anatomy.descriptions import description
from anatomy_viewer.ui.picking import HOVER_INTERVAL_MS

#: The shared cases, plus a muscle of the left leg seen from the left.
PICK_CASES = [*SHARED_PICK_CASES, ("vaslat_l", "left", ())]
PHASE = 20.0


@pytest.fixture
def window(module_window):
    """The module's window, back to walking at PHASE with nothing selected or hidden."""
    win = module_window
    win.playback.pause()
    if hasattr(win, "set_compare"):
        win.set_compare(None)
    if win.gait_name != "walking":
        win.set_gait("walking")
    win.selection.clear()
    win.scene.set_muscle_visible(None)
    win.playback.seek(PHASE)
    return win


def widget_pos(widget, display_xy) -> QPoint:
    """Qt widget position of VTK display coordinates: y flipped (VTK counts rows from the
    bottom, row 0 being the last of ``height`` rows) and device pixels -> logical pixels."""
    ratio = widget.devicePixelRatioF()
    x, y = display_xy
    return QPoint(round(x / ratio), round(widget.height() - 1 - y / ratio))


def anchor_pos(window, name: str, scene=None) -> QPoint:
    scene = scene or window.scene
    i = window.model.muscle_index(name)
    window.render_window.Render()  # the camera's clipping range and aspect are current
    return widget_pos(window.viewport, scene.display_position(scene.muscle_anchor(i)))


def show_view(window, view: str, hide=()) -> None:
    groups = np.array([m.group for m in window.model.muscles])
    window.scene.set_muscle_visible(~np.isin(groups, hide) if hide else None)
    window.set_view(view)
    window.render_window.Render()


def click(qtbot, window, pos: QPoint) -> None:
    qtbot.mouseClick(window.viewport, Qt.MouseButton.LeftButton, pos=pos)


@pytest.mark.parametrize(("name", "view", "hide"), PICK_CASES)
def test_clicking_a_muscle_shows_it_in_the_info_panel(window, qtbot, name, view, hide):
    show_view(window, view, hide)
    click(qtbot, window, anchor_pos(window, name))
    assert window.selection.name == name
    assert window.scene.selected == window.model.muscle_index(name)
    panel = window.info_panel
    assert panel.isVisible()
    assert panel.title_label.text() == description(name).common_name
    side = "Right leg" if name.endswith("_r") else "Left leg"
    assert side in panel.subtitle_label.text()


def test_every_group_has_a_click_case(leg_model):
    groups = {m.group for m in leg_model.muscles}
    covered = {leg_model.muscles[leg_model.muscle_index(n)].group for n, _, _ in PICK_CASES}
    assert covered == groups


def test_clicking_empty_space_clears_the_selection(window, qtbot):
    show_view(window, "side")
    click(qtbot, window, anchor_pos(window, "vaslat_r"))
    assert window.selection.name == "vaslat_r"
    click(qtbot, window, QPoint(6, window.viewport.height() // 2))  # left edge: background
    assert window.selection.name is None
    assert window.scene.selected is None
    assert window.info_panel.stack.currentIndex() == 0  # the hint
    assert "Click a muscle" in window.info_panel.hint_label.text()


def test_a_drag_rotates_the_camera_and_selects_nothing(window, qtbot):
    show_view(window, "side")
    start = anchor_pos(window, "vaslat_r")
    camera = window.scene.renderer.GetActiveCamera()
    before = camera.GetPosition()
    vp = window.viewport
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for dx in (10, 25, 40):
        qtbot.mouseMove(vp, start + QPoint(dx, 0))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=start + QPoint(40, 0))
    assert window.selection.name is None
    assert camera.GetPosition() != pytest.approx(before)  # the drag did rotate


def test_a_small_jitter_is_still_a_click(window, qtbot):
    show_view(window, "side")
    pos = anchor_pos(window, "vaslat_r")
    vp = window.viewport
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseMove(vp, pos + QPoint(1, 1))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=pos + QPoint(1, 1))
    assert window.selection.name == "vaslat_r"


def test_picking_works_while_playing(window, qtbot):
    show_view(window, "side")
    window.playback.play()
    qtbot.waitUntil(lambda: window.playback.percent > PHASE + 3.0, timeout=3000)
    # The leg moves between frames: aim at where the muscle is now, then click at once.
    click(qtbot, window, anchor_pos(window, "vaslat_r"))
    assert window.playback.playing
    assert window.selection.name == "vaslat_r"
    assert window.info_panel.title_label.text() == description("vaslat_r").common_name


def test_selection_from_elsewhere_shows_in_scene_and_panel(window):
    window.selection.select("soleus_l")  # as the heatmap or the muscle list do
    assert window.scene.selected == window.model.muscle_index("soleus_l")
    assert window.info_panel.title_label.text() == description("soleus").common_name
    assert "Left leg" in window.info_panel.subtitle_label.text()


def test_hovering_names_the_muscle(window, qtbot):
    from PySide6.QtWidgets import QToolTip

    show_view(window, "side")
    pos = anchor_pos(window, "vaslat_r")
    qtbot.mouseMove(window.viewport, pos)
    picker = window.muscle_picker
    qtbot.waitUntil(lambda: picker.hovered == "vaslat_r", timeout=2000)
    assert "Vastus lateralis (right)" in QToolTip.text()
    assert window.selection.name is None  # hovering does not select
    qtbot.mouseMove(window.viewport, QPoint(6, window.viewport.height() // 2))
    qtbot.waitUntil(lambda: picker.hovered is None, timeout=2000)


def test_compare_mode_picks_in_the_viewport_under_the_mouse(window, qtbot):
    if not hasattr(window, "set_compare"):
        pytest.skip("the window has no compare mode")
    window.set_compare(["walking", "running"])
    scenes = window.scenes
    assert len(scenes) == 2
    window.set_view("side")
    pos = anchor_pos(window, "vaslat_r", scene=scenes[1])
    assert pos.x() > window.viewport.width() // 2  # in the right-hand (running) half
    assert window.muscle_picker.scene_at(window.viewport, pos) is scenes[1]
    click(qtbot, window, pos)
    assert window.selection.name == "vaslat_r"
    window.set_compare(None)


def test_hover_picks_are_throttled_and_skipped_while_a_button_is_held(window, qtbot):
    show_view(window, "side")
    picker = window.muscle_picker
    calls = []
    original = picker.muscle_at

    def counting(widget, pos):
        calls.append(pos)
        return original(widget, pos)

    picker.muscle_at = counting
    try:
        pos = anchor_pos(window, "vaslat_r")
        vp = window.viewport
        timer = QElapsedTimer()
        timer.start()
        for i in range(40):  # the mouse keeps moving for a while, an event every few ms
            qtbot.mouseMove(vp, pos + QPoint(i % 3, 0))
            qtbot.wait(4)
        elapsed = timer.elapsed()
        qtbot.wait(2 * HOVER_INTERVAL_MS)
        # at most one pick per interval (and one at the end, where the mouse stopped)
        assert 1 <= len(calls) <= elapsed / HOVER_INTERVAL_MS + 2
        assert calls[-1].toPoint() == pos + QPoint(39 % 3, 0)
        assert picker.hovered == "vaslat_r"
        calls.clear()
        qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=pos)
        press_picks = len(calls)  # the press itself picks once (the click's target)
        for dx in (10, 20, 30):
            qtbot.mouseMove(vp, pos + QPoint(dx, 0))
        qtbot.wait(120)
        assert len(calls) == press_picks  # no hover picks while the button is held
        qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=pos + QPoint(30, 0))
    finally:
        del picker.muscle_at
