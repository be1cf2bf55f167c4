"""Room for the leg: at the window's usual sizes the 3-D view takes most of the window and the
leg most of the view's height in every camera preset; every panel is one click away on the
toolbar; F frames the leg, F11 is full screen; an older saved layout does not bring back the
small view. Under Xvfb."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRect, Qt

from anatomy_viewer.scene.measures import display_positions, leg_height_share

PRESETS = ("side", "front", "back", "three_quarter", "left")
DEFAULT = (1280, 800)  # the window's default size, on a large screen


class Screen:
    """A screen of ``w`` x ``h`` for ``initial_size``."""

    def __init__(self, w: int, h: int) -> None:
        self.w, self.h = w, h

    def availableGeometry(self):  # noqa: N802 (Qt API)
        return QRect(0, 0, self.w, self.h)


def _sizes() -> list[tuple[int, int]]:
    from anatomy_viewer.ui.main_window import initial_size

    small = initial_size(Screen(1280, 800)).toTuple()  # 1152x720
    laptop = initial_size(Screen(1366, 768)).toTuple()  # 1229x691
    return [DEFAULT, small, laptop]


SIZES = _sizes()


@pytest.fixture
def window(module_window, qtbot):
    """The module's window as it opens (panels closed), at a size; back to walking at 0 %."""
    win = module_window
    win.playback.pause()
    win.selection.clear()
    for act in win.panel_actions.values():
        if act.isChecked():
            act.trigger()
    win.set_gait("walking")
    win.playback.seek(0.0)

    def sized(size):
        win.resize(*size)
        qtbot.waitUntil(lambda: win.size().toTuple() == tuple(size), timeout=2000)
        qtbot.wait(50)
        win.render_window.Render()
        return win

    yield sized
    if win.isFullScreen():
        win.set_full_screen(False)
    win.resize(*DEFAULT)


def view_share(win) -> float:
    vp = win.viewport
    return vp.width() * vp.height() / (win.width() * win.height())


def project(scene, points: np.ndarray) -> np.ndarray:
    """``measures.display_positions``, checked against ``scene.display_position``."""
    xy = display_positions(scene, points)
    some = points[:: max(len(points) // 5, 1)]
    assert np.allclose(xy[:: max(len(points) // 5, 1)], [scene.display_position(p) for p in some])
    return xy


def leg_share(win) -> float:
    """Height of the leg's projected bones (both legs, pelvis, sacrum) over the 3-D view's."""
    win.render_window.Render()
    return leg_height_share(win.scene)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_3d_view_takes_most_of_the_window(window, size):
    win = window(size)
    assert view_share(win) >= 0.60
    # and the transport bar and the toolbar are there, whole
    assert win.transport.isVisible() and win.toolbar.isVisible()
    assert win.timeline.height() == win.timeline.minimumHeight()


@pytest.mark.parametrize("size", SIZES[1:], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_leg_fills_the_view_in_every_preset_all_stride_long(window, size):
    win = window(size)
    h = win.render_window.GetSize()[1]
    shares = {}
    for view in PRESETS:
        win.set_view(view)
        for percent in (0.0, 25.0, 50.0, 75.0):
            win.playback.seek(percent)  # the framing holds still while the leg moves
            shares[view, percent] = leg_share(win)
            xy = project(win.scene, win.scene.leg_points())
            assert 0 <= xy[:, 1].min() and xy[:, 1].max() <= h, (view, percent)  # not cut
    low = min(shares, key=shares.get)
    assert shares[low] >= 0.75, (low, shares[low])


def test_every_panel_is_one_click_away_on_the_toolbar(window, qtbot):
    win = window(SIZES[2])
    docks = {
        "muscle": win.info_dock,
        "muscles": win.muscles_dock,
        "plots": win.plots_dock,
        "learn": win.learn.dock,
    }
    for key, dock in docks.items():
        assert not dock.isVisible(), key  # the window opens with the leg's room
        button = win.toolbar.widgetForAction(win.panel_actions[key])
        assert button.isVisible() and button.text()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(dock.isVisible, timeout=2000)
        assert win.panel_actions[key].isChecked()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda d=dock: not d.isVisible(), timeout=2000)
    # The plots keep their features: the heatmap's rows select and seek, as before.
    qtbot.mouseClick(
        win.toolbar.widgetForAction(win.panel_actions["plots"]), Qt.MouseButton.LeftButton
    )
    qtbot.wait(100)
    hm = win.heatmap
    target = hm.mouse_target()
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=hm.pixel_of("vaslat_r", 40.0, target))
    assert win.selection.name == "vaslat_r"
    assert win.playback.percent == pytest.approx(40.0, abs=1.5)
    assert win.info_dock.isVisible()  # a selected muscle opens its page
    # A panel behind another one's tab comes to the front in one click too.
    win.panel_actions["learn"].trigger()
    assert win.learn.dock.isVisible() and not win.muscles_dock.isVisible()
    win.panel_actions["muscles"].trigger()
    qtbot.waitUntil(win.muscles_dock.isVisible, timeout=2000)
    for key in ("plots", "muscle", "muscles", "learn"):
        if win.panel_actions[key].isChecked():
            win.panel_actions[key].trigger()


def test_f_frames_the_leg_from_where_the_camera_looks(window, qtbot):
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    win = window(SIZES[2])
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=2000)
    cam = win.scene.renderer.GetActiveCamera()
    cam.Azimuth(50.0)  # the user rotated the leg and zoomed far in
    cam.Dolly(4.0)
    win.render_window.Render()
    assert leg_share(win) > 1.5  # the leg is far larger than the view
    direction = np.subtract(cam.GetFocalPoint(), cam.GetPosition())
    win.viewport.setFocus()
    QTest.keyClick(win.viewport, Qt.Key.Key_F)
    win.render_window.Render()
    after = np.subtract(cam.GetFocalPoint(), cam.GetPosition())
    # the same direction (VTK's own "f" would fly towards the point under the mouse)...
    assert np.allclose(after / np.linalg.norm(after), direction / np.linalg.norm(direction))
    # ... and the whole leg in view, filling it
    w, h = win.render_window.GetSize()
    xy = project(win.scene, win.scene.leg_points())
    assert xy[:, 0].min() >= 0 and xy[:, 0].max() <= w
    assert xy[:, 1].min() >= 0 and xy[:, 1].max() <= h
    assert max(np.ptp(xy[:, 1]) / h, np.ptp(xy[:, 0]) / w) >= 0.85
    assert win.frame_action.shortcut().toString() == "F"
    win.set_view("three_quarter")


def test_f11_switches_full_screen_on_and_off(window, qtbot):
    from PySide6.QtTest import QTest

    win = window(SIZES[2])
    win.activateWindow()
    QTest.keyClick(win.viewport, Qt.Key.Key_F11)
    qtbot.waitUntil(win.isFullScreen, timeout=2000)
    assert win.full_screen_action.isChecked()
    QTest.keyClick(win.viewport, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not win.isFullScreen(), timeout=2000)
    assert not win.full_screen_action.isChecked()


def test_a_layout_saved_by_an_earlier_version_does_not_shrink_the_view(qtbot, leg_model, tmp_path):
    """Version 1 kept the plots under the view and the panels beside it: restored, that
    layout would give the leg a third of the window again."""
    from anatomy_viewer.ui.main_window import MainWindow
    from anatomy_viewer.ui.settings import STATE_VERSION, open_settings

    old = MainWindow(gait="walking", model=leg_model, autoplay=False)
    qtbot.addWidget(old)
    old.show()
    qtbot.waitExposed(old)
    for dock in (old.plots_dock, old.info_dock, old.muscles_dock):
        dock.show()
    old.resize(*SIZES[2])
    qtbot.wait(100)
    assert view_share(old) < 0.5
    state = bytes(old.saveState(STATE_VERSION - 1).data())
    geometry = bytes(old.saveGeometry().data())
    old.close()
    path = tmp_path / "viewer.ini"
    open_settings(path).save({"window/state": state, "window/geometry": geometry})

    warnings: list[str] = []
    settings = open_settings(path)
    settings.warn = warnings.append
    win = MainWindow(gait="walking", model=leg_model, autoplay=False, settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    try:
        qtbot.wait(100)
        assert not win.plots_dock.isVisible() and not win.info_dock.isVisible()
        assert view_share(win) >= 0.60
        assert len(warnings) == 1 and "earlier version" in warnings[0]
    finally:
        win.close()
