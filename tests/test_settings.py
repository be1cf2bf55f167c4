"""Settings survive a restart: a window saves to an INI file in tmp_path and a new window reads
it. Nothing here touches the user's own settings."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt


def _open(qtbot, leg_model, path, gait=None):
    from anatomy_viewer.ui.main_window import MainWindow
    from anatomy_viewer.ui.settings import open_settings

    win = MainWindow(gait=gait, model=leg_model, autoplay=False, settings=open_settings(path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_settings_survive_a_restart(qtbot, leg_model, tmp_path):
    path = tmp_path / "viewer.ini"
    win = _open(qtbot, leg_model, path)
    assert win.gait_name == "walking"  # nothing saved yet
    win.set_gait("sprinting")
    win.playback.set_speed(0.5)
    win.view_options.set_gain(2.5)
    win.view_options.set_legs("left")
    win.view_options.set_bone_opacity(0.3)
    win.view_options.set_legend(False)
    win.view_options.set_colormap("cividis")
    win.set_view("back")
    win.close()
    assert path.exists()

    again = _open(qtbot, leg_model, path)
    try:
        assert again.gait_name == "sprinting"
        assert again.playback.speed == pytest.approx(0.5)
        assert again.view_options.state() == {
            "legs": "left",
            "bone_opacity": pytest.approx(0.3),
            "legend": False,
            "colormap": "cividis",
            "gain": pytest.approx(2.5),
        }
        scene = again.scene
        assert scene.gain == pytest.approx(2.5)
        assert scene.colormap.name == "cividis"
        assert not scene.legend_visible
        sides = {again.model.muscles[i].side for i in np.flatnonzero(scene.visible_muscles())}
        assert sides == {"l"}
        assert scene.view == "back"
        # the controls show the restored values
        assert again.display_controls.gain.value() == 5  # 2.5 in steps of 0.5
        assert again.display_controls.legend.isChecked() is False
        assert again.speed_control.currentText().startswith("0.5")
    finally:
        again.close()


def test_window_size_and_docks_survive_a_restart(qtbot, leg_model, tmp_path):
    from PySide6.QtWidgets import QDockWidget

    path = tmp_path / "viewer.ini"
    win = _open(qtbot, leg_model, path)
    docks = {d.objectName() for d in win.findChildren(QDockWidget)}
    assert {"plotsDock", "musclesDock"} <= docks and "" not in docks  # saveState needs names
    for d in win.findChildren(QDockWidget):
        if d.objectName() != "musclesDock":
            d.hide()
    win.removeDockWidget(win.muscles_dock)
    win.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, win.muscles_dock)
    win.muscles_dock.show()
    # (the transport bar holds the width above the 800 pixels of pytest-xvfb's screen, on which
    # Qt keeps a restored window; the height is free)
    win.resize(win.minimumSizeHint().width(), 520)
    qtbot.waitUntil(lambda: win.height() == 520, timeout=2000)
    win.close()

    again = _open(qtbot, leg_model, path)
    try:
        assert again.height() == 520
        assert again.dockWidgetArea(again.muscles_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
        assert again.muscles_dock.isVisible()
        assert not again.plots_dock.isVisible()
    finally:
        again.close()


def test_a_gait_asked_for_wins_over_the_saved_one(qtbot, leg_model, tmp_path):
    path = tmp_path / "viewer.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.setValue("gait/last", "running")
    settings.sync()
    win = _open(qtbot, leg_model, path, gait="walking")
    assert win.gait_name == "walking"
    win.close()


def test_unreadable_values_fall_back_to_defaults(qtbot, leg_model, tmp_path):
    path = tmp_path / "viewer.ini"
    path.write_text(
        "[gait]\nlast=swimming\n[playback]\nspeed=fast\n"
        "[view]\ngain=lots\nlegs=three\ncolormap=rainbow\ncamera=above\nlegend=maybe\n"
        "[window]\ngeometry=garbage\nstate=garbage\n"
    )
    win = _open(qtbot, leg_model, path)
    try:
        assert win.gait_name == "walking"
        assert win.playback.speed == 1.0
        assert win.view_options.state()["gain"] == 1.0
        assert win.view_options.legs == "both"
        assert win.view_options.colormap == "activation"
        assert win.view_options.legend is True
        assert win.scene.view == "three_quarter"
        assert win.dockWidgetArea(win.muscles_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    finally:
        win.close()


def test_a_window_without_settings_writes_nothing(qtbot, leg_model, tmp_path, monkeypatch):
    from anatomy_viewer.ui import settings as settings_module
    from anatomy_viewer.ui.main_window import MainWindow

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    written = []
    monkeypatch.setattr(QSettings, "setValue", lambda self, *a: written.append(a))
    win = MainWindow(gait="walking", model=leg_model, autoplay=False)
    qtbot.addWidget(win)
    win.close()
    assert written == []
    assert settings_module.last_gait(None) is None


def test_the_settings_file_can_come_from_the_environment(tmp_path, monkeypatch):
    from anatomy_viewer.ui.settings import ENV_VAR, open_settings

    path = tmp_path / "from_env.ini"
    monkeypatch.setenv(ENV_VAR, str(path))
    s = open_settings()
    assert s.format() == QSettings.Format.IniFormat
    assert s.fileName() == str(path)
