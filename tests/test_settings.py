"""Settings survive a restart: a window saves to an INI file in tmp_path and a new window reads
it. Nothing here touches the user's own settings."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt


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
    win.view_options.set_colour_mode("fibre_types")
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
            "colour_mode": "fibre_types",
            "gain": pytest.approx(2.5),
        }
        scene = again.scene
        assert scene.gain == pytest.approx(2.5)
        assert scene.colormap.name == "cividis"
        assert scene.colour_mode == "fibre_types"
        assert again.display_controls.colour_mode.currentText() == "Fibre types"
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
    path.write_text("[gait]\nlast=running\n")
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
    monkeypatch.setattr(settings_module.SettingsFile, "save", lambda self, v: written.append(v))
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
    assert s.fileName() == str(path)


# ============================================================================ corrupt files
CORRUPT = {
    "lists": ("[view]\nlegs=a, b\ncolormap=x, y\n", 2),
    "out of range": ("[view]\ngain=9\nbone_opacity=-1\n[playback]\nspeed=1e309\n", 3),
    "not numbers": ("[view]\ngain=nan\nbone_opacity=1_0\n[playback]\nspeed=١\n", 3),
    "wrong words": ("[gait]\nlast=swimming\n[view]\nlegend=maybe\ncamera=above\n", 3),
    "bad layout": ("[window]\ngeometry=@ByteArray(\\x1)\nstate=@Base64(!!)\n", 2),
    "stray lines": ("\x01garbage\n[view\nlegs\n", 1),
    "empty": ("", 0),
    "binary": (bytes(range(256)) * 8, 1),
    "huge": ("[view]\n" + "x=1\n" * 100_000, 1),
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_every_bad_value_falls_back_with_one_line(case, tmp_path):
    from anatomy_viewer.ui.settings import SCHEMA, read_settings

    content, bad = CORRUPT[case]
    path = tmp_path / "viewer.ini"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    lines: list[str] = []
    values = read_settings(path, lines.append)
    assert len(lines) == bad and all("\n" not in ln for ln in lines)
    for key, value in values.items():  # what is kept is valid
        assert SCHEMA[key].parse(SCHEMA[key].format(value)) == value


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_settings_path_that_is_no_file_is_not_read_or_replaced(kind, tmp_path):
    import os

    from anatomy_viewer.ui.settings import SettingsFile

    path = tmp_path / "viewer.ini"
    path.mkdir() if kind == "folder" else os.mkfifo(path)
    lines: list[str] = []
    store = SettingsFile(path, lines.append)  # a pipe would block a plain open()
    assert store.values == {} and "not a settings file" in lines[0]
    assert store.save({"gait/last": "running"}) is False
    assert "not a regular file" in lines[-1]
    assert path.is_dir() if kind == "folder" else not path.is_file()


def test_the_issue_file_starts_the_window_and_is_repaired_on_close(
    qtbot, leg_model, tmp_path, capsys
):
    """``legs=a, b`` and ``colormap=x, y`` used to raise TypeError at every start."""
    path = tmp_path / "viewer.ini"
    path.write_text("[view]\nlegs=a, b\ncolormap=x, y\ngain=2\n")
    win = _open(qtbot, leg_model, path)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(e.startswith("anatomy-viewer: settings: viewer.ini") for e in err)
    assert win.view_options.legs == "both" and win.view_options.colormap == "activation"
    assert win.view_options.gain == 2.0  # the good value is kept
    win.close()
    again = _open(qtbot, leg_model, path)
    again.close()
    assert capsys.readouterr().err == ""  # written back valid


def test_a_failed_save_keeps_the_previous_settings(tmp_path, monkeypatch):
    import os

    from anatomy_viewer.ui import settings as settings_module

    path = tmp_path / "viewer.ini"
    path.write_text("[gait]\nlast=running\n")
    before = path.read_bytes()
    lines: list[str] = []
    store = settings_module.SettingsFile(path, lines.append)

    def crash(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)  # as if the disk filled up at the last step
    assert store.save({"gait/last": "sprinting", "view/gain": 2.0}) is False
    assert path.read_bytes() == before
    assert lines == [f"not saved: cannot write {path}: the disk is full"]
    assert [p.name for p in tmp_path.iterdir()] == ["viewer.ini"]


def test_saved_values_read_back_exactly(tmp_path):
    from anatomy_viewer.ui.settings import SettingsFile, read_settings

    values = {
        "gait/last": "sprinting",
        "playback/speed": 0.3,
        "view/legs": "left",
        "view/bone_opacity": 0.25,
        "view/legend": False,
        "view/colormap": "cividis",
        "view/gain": 3.5,
        "view/camera": "back",
        "window/geometry": bytes(range(256)),
    }
    store = SettingsFile(tmp_path / "sub" / "viewer.ini")
    assert store.save(values)
    assert read_settings(tmp_path / "sub" / "viewer.ini") == values


# ============================================================================ fuzzing
def _ini_lines():
    from hypothesis import strategies as st

    from anatomy_viewer.ui.settings import SCHEMA

    keys = sorted(SCHEMA)
    value = st.one_of(
        st.text(max_size=30),
        st.sampled_from(["both", "left", "cividis", "walking", "true", "0.5", "2", "nan", ""]),
        st.floats(allow_nan=True).map(repr),
        st.binary(max_size=20).map(lambda b: f"@Base64({b.hex()})"),
    )
    entry = st.tuples(st.sampled_from(keys), value).map(
        lambda kv: f"[{kv[0].split('/')[0]}]\n{kv[0].split('/')[1]}={kv[1]}"
    )
    return st.lists(st.one_of(entry, st.text(max_size=40)), max_size=12).map("\n".join)


def test_the_settings_reader_never_fails_and_keeps_only_valid_values():
    """Any text at all: the reader returns valid values only, reports every problem on one
    line each, and what it keeps writes and reads back unchanged. (Derandomised in CI by
    conftest's hypothesis profile.)"""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from anatomy_viewer.ui.settings import SCHEMA, format_settings, parse_settings

    @settings(max_examples=300, deadline=None)
    @given(st.one_of(st.text(), _ini_lines()))
    def check(text):
        lines: list[str] = []
        values = parse_settings(text, lines.append)
        assert all("\n" not in ln and "\r" not in ln for ln in lines)
        assert set(values) <= set(SCHEMA)
        for key, value in values.items():
            assert SCHEMA[key].parse(SCHEMA[key].format(value)) == value
        assert parse_settings(format_settings(values), lines.append) == values

    check()
