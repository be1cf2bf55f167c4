"""The main window under Xvfb: opens, plays, scrubs, switches gait, closes cleanly."""

import pytest
from PySide6.QtCore import QPoint, Qt


@pytest.fixture
def window(qtbot, leg_model):
    from anatomy_viewer.ui.main_window import MainWindow

    win = MainWindow(gait="walking", model=leg_model, autoplay=False)
    qtbot.addWidget(win)
    # pytest-xvfb's screen is 800x600, where the window opens at 90 % of it; the clicks on
    # heatmap rows need the rows of a desktop-sized window.
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def test_key_widgets_are_named_for_automation(window):
    from PySide6.QtWidgets import QWidget

    for name in ("viewport", "timeline", "playButton", "phaseLabel", "speedControl", "heatmap"):
        w = window.findChild(QWidget, name)
        assert w is not None, name
        assert w.accessibleName(), name


def test_the_leg_walks_as_soon_as_the_window_opens(qtbot, leg_model):
    from anatomy_viewer.ui.main_window import MainWindow

    win = MainWindow(gait="walking", model=leg_model)  # autoplay is the default
    qtbot.addWidget(win)
    win.show()
    start = win.playback.percent
    qtbot.waitUntil(lambda: win.playback.percent > start + 5.0, timeout=5000)
    win.close()


def test_play_button_plays_and_pauses(window, qtbot):
    start = window.playback.percent
    qtbot.mouseClick(window.play_button, Qt.MouseButton.LeftButton)
    assert window.playback.playing
    qtbot.waitUntil(lambda: window.playback.percent > start + 5.0, timeout=5000)
    qtbot.mouseClick(window.play_button, Qt.MouseButton.LeftButton)
    assert not window.playback.playing


def _click_timeline(qtbot, window, percent):
    tl = window.timeline
    y = int(tl.track_rect("r").center().y())
    qtbot.mouseClick(tl, Qt.MouseButton.LeftButton, pos=QPoint(round(tl.x_of(percent)), y))


def test_timeline_scrubs_and_the_phase_label_follows(window, qtbot):
    _click_timeline(qtbot, window, 50.0)
    assert window.playback.percent == pytest.approx(50.0, abs=0.5)
    assert window.phase_label.text().lstrip().startswith(f"{window.playback.percent:.1f} %")
    # 10 % of walking: the right foot is on the ground (loading response / mid-stance),
    # the left leg is in pre-swing
    _click_timeline(qtbot, window, 10.0)
    label = window.phase_label.text()
    right = label.split("right:")[1].split("left:")[0]
    assert "swing" not in right
    assert "stance" in right or "loading" in right


def test_switching_gait_keeps_the_phase(window):
    window.playback.seek(30.0)
    window.set_gait("running")
    assert window.playback.percent == pytest.approx(30.0)
    assert window.cycle.name == "running"
    assert window.playback.stride_time == pytest.approx(window.cycle.stride_time)
    assert "Running" in window.statusBar().currentMessage()


def test_heatmap_click_selects_the_muscle_everywhere(window, qtbot):
    hm = window.heatmap
    qtbot.wait(50)  # let the dock layout settle so the plot's geometry is final
    target = hm.mouse_target()
    pos = hm.pixel_of("vaslat_r", 40.0, widget=target)
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=pos)
    assert window.selection.name == "vaslat_r"
    assert window.scene.selected == window.model.muscle_index("vaslat_r")
    assert window.playback.percent == pytest.approx(40.0, abs=1.5)


def test_closing_stops_playback_without_crash(qtbot, leg_model):
    from anatomy_viewer.ui.main_window import MainWindow

    win = MainWindow(gait="walking", model=leg_model, autoplay=True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(100)
    win.close()
    assert not win.playback.playing
    qtbot.wait(100)  # any queued render after close must be a no-op


def test_a_long_trial_name_does_not_widen_the_window(window, qtbot):
    """Titles and panels shorten or wrap a long file name instead of pushing the window
    beyond its size (and off a 1280-pixel screen)."""
    from anatomy_viewer.gait.library import load_gait

    width = window.width()
    cycle = load_gait("walking")
    cycle.label = "subject_07_overground_walking_trial_with_a_long_file_name_2026_11_24.mot"
    window.show_cycle(cycle)
    window.selection.select("vaslat_r")
    qtbot.wait(100)
    assert window.width() <= width
    assert window.curves.title.toolTip().endswith(f"({cycle.label})")


def test_the_window_fits_a_small_laptop_screen(qtbot, leg_model):
    """On a 1366x768 screen the whole window (status bar and Display box included) fits: it
    opens within the screen's available area and can shrink to fit below the title bar and
    above a taskbar."""
    from PySide6.QtCore import QRect, QSize

    from anatomy_viewer.ui.main_window import MainWindow, initial_size

    class Laptop:
        def availableGeometry(self):  # noqa: N802 (Qt API)
            return QRect(0, 0, 1366, 768)

    size = initial_size(Laptop())
    assert size.width() <= 1366 * 0.9 and size.height() <= 768 * 0.9
    assert initial_size(None) == QSize(1280, 800)
    window = MainWindow(gait="walking", model=leg_model, autoplay=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 - 100, hint
    assert hint.height() <= 768 - 120, hint  # title bar ~30 px, taskbar ~48 px, some slack
    area = window.screen().availableGeometry()
    assert window.width() <= max(area.width(), hint.width())
    assert window.height() <= max(area.height(), hint.height())
    window.close()


def test_about_this_gaits_data_scrolls_in_a_resizable_window(window, qtbot):
    """The sources (about 2,000 characters) are in a scrolling text, each citation a list item,
    in a window that fits the screen and can be resized."""
    from PySide6.QtWidgets import QDialog, QTextBrowser

    window.set_gait("running")
    action = next(
        a for a in window.help_menu.actions() if a.text().replace("&", "").startswith("About this")
    )
    action.trigger()
    dialog = window.findChild(QDialog, "gaitDataDialog")
    assert dialog is not None and dialog.isVisible()
    text = dialog.findChild(QTextBrowser, "gaitDataText")
    plain = text.toPlainText()
    assert "Hamner SR, Seth A, Delp SL (2010)" in plain
    assert plain.count("doi:") == window.cycle.source.count("doi:")
    assert "<li" in text.toHtml() and 'href="https://doi.org/10.1016/j.jbiomech.2010.06.025"' in (
        text.toHtml()
    )
    area = window.screen().availableGeometry()
    assert dialog.height() <= area.height() and dialog.width() <= area.width()
    assert dialog.minimumHeight() < dialog.maximumHeight()  # resizable
    dialog.resize(400, 250)
    qtbot.wait(20)
    assert text.verticalScrollBar().maximum() > 0  # the rest scrolls into view
    dialog.close()


def test_clicking_the_heatmap_while_playing_pauses_at_that_instant(window, qtbot):
    window.playback.play()
    hm = window.heatmap
    qtbot.wait(50)
    target = hm.mouse_target()
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=hm.pixel_of("vaslat_r", 40.0, target))
    assert not window.playback.playing
    qtbot.wait(100)
    assert window.playback.percent == pytest.approx(40.0, abs=1.5)
    assert window.selection.name == "vaslat_r"


def test_heatmap_returns_to_the_curves_leg_when_both_legs_are_shown_again(window):
    window.selection.select(None)
    options = window.view_options
    options.set_legs("left")
    assert window.heatmap.side() == "l"
    options.set_legs("both")
    assert window.heatmap.side() == window.curves.side() == "r"
    # a leg chosen in the heatmap itself stays while other options change
    window.heatmap.set_side("l")
    options.set_gain(2.0)
    assert window.heatmap.side() == "l"
    options.set_gain(1.0)
    window.heatmap.set_side("r")


def test_shortcuts_dialog_lists_every_shortcut_of_the_window(window):
    from PySide6.QtWidgets import QTableWidget

    from anatomy_viewer.ui.transport import show_shortcuts_dialog

    dialog = show_shortcuts_dialog(window)
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    dialog.close()
    assert rows["Play / pause"] == "Space"
    assert rows["Side (right)"] == "1" and rows["Left side"] == "5"  # the view keys
    assert rows["Frame the leg"] == "F" and rows["Full screen"] == "F11"
    assert any(keys == "Esc" for keys in rows.values())  # leave a guided view
    assert any("Quit" in name for name in rows)


def test_vtks_own_keys_do_nothing_in_the_3d_view_but_the_programs_keys_work(window, qtbot):
    """VTK's interactor styles bind w (wireframe), 3 (stereo), e/q (quit), p (pick), f (fly
    to), r (reset camera), j/t (joystick) and s: none of them may change the view; the
    window's own keys (space, 1-5; F is the window's "frame the leg", tested below) still
    work with the 3-D view focused."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    vp = window.viewport
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    vp.setFocus()
    window.render_window.Render()
    cam = window.scene.renderer.GetActiveCamera()
    camera = (cam.GetPosition(), cam.GetFocalPoint(), cam.GetViewUp())
    for key in "seprjtqw":  # w last: s would undo it
        QTest.keyClick(vp, key)
        qtbot.wait(1)
    window.render_window.Render()
    assert window.isVisible()  # "e" and "q" did not end the program
    for actor in (window.scene.muscle_actor, *window.scene.bone_actors):
        assert actor.GetProperty().GetRepresentation() == 2  # surface, not wireframe (1)
    assert (cam.GetPosition(), cam.GetFocalPoint(), cam.GetViewUp()) == camera
    QTest.keyClick(vp, "3")  # the program's back view, not VTK's red-blue stereo
    window.render_window.Render()
    assert window.scene.view == "back"
    assert not window.render_window.GetStereoRender()
    QTest.keyClick(vp, Qt.Key.Key_Space)  # the program's play / pause
    assert window.playback.playing
    QTest.keyClick(vp, Qt.Key.Key_Space)
    assert not window.playback.playing
    QTest.keyClick(vp, "2")  # the program's front view
    assert window.scene.view == "front"
