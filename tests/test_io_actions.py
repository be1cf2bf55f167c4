"""File menu under Xvfb: open trials (dialog-free), mapping dialog, errors, pictures, video, CSV.

Dialogs are opened non-blocking by the code under test and inspected here; nothing waits on a
modal dialog.
"""

from __future__ import annotations

import csv

import imageio.v3 as iio3
import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from trial_files import STRIDE, write_bad_motion, write_emg_csv, write_grf, write_motion

from anatomy_viewer.gait.export import cycle_columns
from anatomy_viewer.ui.io_dialogs import PictureOptions

LOAD_MS = 20000


@pytest.fixture
def window(qtbot, leg_model):
    from anatomy_viewer.ui.main_window import MainWindow

    win = MainWindow(gait="walking", model=leg_model, autoplay=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    io = win.io_actions
    for box in (io.error_box, io.mapping_dialog, io.join_question, io.info_bar.details_box):
        if box is not None:
            box.close()
    win.close()


@pytest.fixture
def files(tmp_path):
    return {
        "motion": write_motion(tmp_path / "walk.mot"),
        "grf": write_grf(tmp_path / "walk_grf.mot"),
        "emg": write_emg_csv(tmp_path / "emg.csv"),
    }


def _open(qtbot, window, paths):
    io = window.io_actions
    with qtbot.waitSignal(io.trialShown, timeout=LOAD_MS) as blocker:
        assert io.open_files(paths)
    return blocker.args[0]


def test_file_menu_offers_open_picture_video_and_data(window):
    texts = [a.text().replace("&", "") for a in window.file_menu.actions() if a.text()]
    for entry in ("Open trial…", "Save picture…", "Export video…", "Export cycle data…"):
        assert entry in texts
    assert texts[-1] == "Quit"


def test_motion_and_forces_show_the_trial_on_the_timeline(window, qtbot, files):
    window.playback.seek(40.0)
    cycle = _open(qtbot, window, [files["grf"], files["motion"]])  # any order
    assert window.cycle is cycle and cycle.periodic
    assert window.transport.cycle() is cycle and window.timeline.cycle() is cycle
    assert window.playback.stride_time == pytest.approx(STRIDE, abs=0.01)
    assert cycle.percent[0] == 0.0 and cycle.percent[-1] == 100.0
    assert window.playback.percent == pytest.approx(40.0)  # the phase is kept
    bar = window.io_actions.info_bar
    assert bar.isVisible()
    text = bar.label.text()
    assert "walk.mot (joint angles)" in text and "walk_grf.mot (ground reaction forces)" in text
    assert any("held at 0" in n for n in bar.notes)  # missing coordinates are said
    bar.show_details()
    assert "held at 0" in bar.details_box.informativeText()


def test_the_opened_bar_goes_when_a_built_in_gait_is_shown(window, qtbot, files):
    _open(qtbot, window, [files["motion"]])
    bar = window.io_actions.info_bar
    assert bar.isVisible()
    window.set_gait("running")
    assert not bar.isVisible()
    # the Gait menu does the same
    _open(qtbot, window, [files["motion"]])
    assert bar.isVisible()
    next(a for a in window.gait_menu.actions() if a.data() == "walking").trigger()
    assert window.gait_name == "walking"
    assert not bar.isVisible()


def test_a_bad_file_shows_an_error_dialog_and_keeps_the_trial(window, qtbot, files, tmp_path):
    good = _open(qtbot, window, [files["motion"], files["grf"]])
    bad, line = write_bad_motion(tmp_path / "bad.mot")
    io = window.io_actions
    with qtbot.waitSignal(io.loadFailed, timeout=LOAD_MS) as blocker:
        io.open_files([bad])
    assert f"bad.mot, line {line}" in blocker.args[0]
    box = io.error_box
    assert box is not None and box.isVisible()
    assert "bad.mot" in box.windowTitle()
    assert f"line {line}" in box.text() and "'oops'" in box.text()
    assert window.cycle is good  # what was loaded stays loaded
    assert window.playback.stride_time == pytest.approx(STRIDE, abs=0.01)


def test_a_bad_file_given_on_the_command_line_is_explained_in_the_window(window, tmp_path):
    """`anatomy-viewer open bad.mot`: the window starts on its gait and says why."""
    from anatomy_viewer.gait.trial import read_trial, sort_files

    bad, line = write_bad_motion(tmp_path / "bad.mot")
    with pytest.raises(Exception) as err:
        read_trial(sort_files([bad]))
    window.io_actions.show_open_failure(bad, str(err.value))
    box = window.io_actions.error_box
    assert box.isVisible() and box.windowTitle() == "Could not open bad.mot"
    assert f"line {line}" in box.text() and "built-in gait" in box.text()
    assert window.cycle is not None and window.cycle.name  # a gait is shown


def test_emg_columns_are_confirmed_in_a_dialog(window, qtbot, files):
    io = window.io_actions
    io.open_files([files["motion"], files["emg"]])
    qtbot.waitUntil(lambda: io.mapping_dialog is not None, timeout=LOAD_MS)
    dialog = io.mapping_dialog
    assert dialog.isVisible()
    table = {
        dialog.table.item(i, 0).text(): (
            dialog.table.item(i, 1).text(),
            dialog.table.item(i, 2).text(),
        )
        for i in range(dialog.table.rowCount())
    }
    assert table["vaslat_r"][0] == "vaslat_r"
    assert table["TA"] == ("tibant_r", "suggestion: please check")
    assert table["SOL"][0] == "soleus_r"
    assert table["Trigger"][0] == ""  # listed, not silently dropped
    dialog.set_muscles("Trigger", "no_such_muscle")
    dialog.accept()
    assert dialog.isVisible() and "no_such_muscle" in dialog.error.text()
    dialog.set_muscles("Trigger", "")
    dialog.set_muscles("SOL", "soleus_r, gasmed_r")
    with qtbot.waitSignal(io.trialShown, timeout=LOAD_MS) as blocker:
        dialog.accept()
    cycle = blocker.args[0]
    assert cycle.activation("tibant_r").max() > 0.5
    assert cycle.provenance["gasmed_r"].kind == "measured"
    assert cycle.provenance["glmax1_r"].kind == "none"
    assert not cycle.periodic  # no forces: the whole trial in time
    assert window.playback.stride_time == pytest.approx(3.0)


def test_activations_opened_alone_join_the_trial_shown_when_the_user_says_so(window, qtbot, files):
    _open(qtbot, window, [files["motion"]])
    io = window.io_actions
    shown = window.cycle
    # No: nothing changes
    io.open_files([files["emg"]])
    qtbot.waitUntil(lambda: io.join_question is not None, timeout=LOAD_MS)
    assert "emg.csv" in io.join_question.text() and "walk.mot" in io.join_question.text()
    with qtbot.waitSignal(io.loadFailed, timeout=LOAD_MS):
        io.join_question.button(QMessageBox.StandardButton.No).click()
    assert window.cycle is shown and not io.busy
    # Yes: the activations join the motion shown
    io.open_files([files["emg"]])
    qtbot.waitUntil(lambda: io.join_question is not None, timeout=LOAD_MS)
    io.join_question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: io.mapping_dialog is not None, timeout=LOAD_MS)
    with qtbot.waitSignal(io.trialShown, timeout=LOAD_MS) as blocker:
        io.mapping_dialog.reject()  # only the columns named like the model's muscles
    cycle = blocker.args[0]
    assert cycle.provenance["vaslat_r"].kind == "measured"
    assert cycle.provenance["tibant_r"].kind == "none"
    assert io.trial.files.motion == files["motion"]
    assert "kept from the trial shown" in io.info_bar.label.text()


@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_files_dropped_on_the_window_open(window, qtbot, files):
    io = window.io_actions
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(files["motion"])), QUrl.fromLocalFile(str(files["grf"]))])
    pos = QPointF(window.width() / 2, window.height() / 3)
    enter = QDragEnterEvent(  # the QPoint form: the only one before PySide6 6.12
        pos.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(io.trialShown, timeout=LOAD_MS):
        QApplication.sendEvent(window, drop)
    assert io.trial.files.grf == files["grf"]


def test_opening_can_be_cancelled(window, qtbot, tmp_path):
    before = window.cycle
    long = write_motion(tmp_path / "long.mot", duration=60.0)
    io = window.io_actions
    assert io.open_files([long])
    assert io.progress is not None
    io.progress.canceled.emit()  # what its Cancel button does
    qtbot.waitUntil(lambda: not io.busy, timeout=LOAD_MS)
    assert window.cycle is before
    assert "cancelled" in window.statusBar().currentMessage()


def test_picture_at_a_chosen_size_with_transparent_background(window, qtbot, files, tmp_path):
    _open(qtbot, window, [files["motion"], files["grf"]])
    out = window.io_actions.save_picture(
        tmp_path / "leg.png", PictureOptions((320, 200), transparent=True)
    )
    img = iio3.imread(out)
    assert img.shape == (200, 320, 4)
    assert all(img[y, x, 3] == 0 for y, x in ((0, 0), (0, -1), (-1, 0), (-1, -1)))
    assert img[..., 3].max() == 255


def test_picture_follows_the_window_camera(window, tmp_path):
    io = window.io_actions
    window.set_view("front")
    front = iio3.imread(io.save_picture(tmp_path / "front.png", PictureOptions((160, 120))))
    window.set_view("side")
    side = iio3.imread(io.save_picture(tmp_path / "side.png", PictureOptions((160, 120))))
    again = iio3.imread(io.save_picture(tmp_path / "side2.png", PictureOptions((160, 120))))
    assert np.array_equal(side, again)
    assert np.abs(front.astype(int) - side.astype(int)).mean() > 2.0


def test_video_export_runs_in_the_event_loop_and_reports(window, qtbot, tmp_path):
    from anatomy_viewer.scene.export import VideoSettings

    io = window.io_actions
    settings = VideoSettings(fps=10, cycles=1, size=(160, 120), view=None)
    with qtbot.waitSignal(io.videoFinished, timeout=LOAD_MS) as blocker:
        assert io.export_video(tmp_path / "walk.gif", settings)
        assert io.busy and io.progress.maximum() == round(window.cycle.stride_time * 10)
    result = blocker.args[0]
    assert result.frames == round(window.cycle.stride_time * 10)
    assert iio3.imread(result.path, index=None).shape[:3] == (result.frames, 120, 160)
    assert "Saved" in window.statusBar().currentMessage()


def test_video_export_can_be_cancelled(window, qtbot, tmp_path):
    from anatomy_viewer.scene.export import VideoSettings

    io = window.io_actions
    out = tmp_path / "walk.mp4"
    with qtbot.waitSignal(io.videoFinished, timeout=LOAD_MS) as blocker:
        io.export_video(out, VideoSettings(fps=30, cycles=3, size=(160, 120)))
        qtbot.waitUntil(lambda: io.video_job is not None and io.video_job.index >= 2)
        io.progress.canceled.emit()  # what its Cancel button does
    assert blocker.args[0] is None
    assert not out.exists() and not io.busy


def test_cycle_data_export_has_the_command_line_columns(window, tmp_path):
    from anatomy_viewer import cli

    out = window.io_actions.export_cycle_data(tmp_path / "walking.csv")
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert cli.main(["cycle", "--gait", "walking", "-o", str(tmp_path / "cli.csv")]) == 0
    with (tmp_path / "cli.csv").open() as fh:
        assert list(rows[0]) == list(next(csv.DictReader(fh)))
    quantities = ("fast", "force", "power")
    assert list(rows[0]) == cycle_columns(window.cycle, with_modes=True, quantities=quantities)
    assert len(rows) == 101
    assert {r["mode_vaslat_r"] for r in rows} <= {
        "concentric",
        "eccentric",
        "isometric",
        "inactive",
    }


def test_playback_pauses_while_loading_and_resumes(window, qtbot, files):
    io = window.io_actions
    window.playback.play()
    with qtbot.waitSignal(io.trialShown, timeout=LOAD_MS):
        io.open_files([files["motion"], files["grf"]])
        assert not window.playback.playing  # the worker gets the CPU
    assert window.playback.playing
    window.playback.pause()


# ============================================================================ nothing is lost
@pytest.mark.parametrize("name", ["old.mp4", "old.gif"])
def test_cancelling_a_video_over_an_existing_file_keeps_it(window, qtbot, tmp_path, name):
    from fault_injection import OLD, leftovers

    from anatomy_viewer.scene.export import VideoSettings

    io = window.io_actions
    out = tmp_path / name
    out.write_bytes(OLD)
    with qtbot.waitSignal(io.videoFinished, timeout=LOAD_MS) as blocker:
        io.export_video(out, VideoSettings(fps=30, cycles=3, size=(160, 120)))
        qtbot.waitUntil(lambda: io.video_job is not None and io.video_job.index >= 10)
        io.progress.canceled.emit()  # what its Cancel button does
    assert blocker.args[0] is None and not io.busy and io.progress is None
    assert out.read_bytes() == OLD and leftovers(tmp_path) == []
    assert f"{name} was left as it was" in window.statusBar().currentMessage()


def test_a_video_to_a_read_only_folder_ends_at_once_with_a_dialog(window, read_only_folder):
    from fault_injection import OLD

    from anatomy_viewer.scene.export import VideoSettings

    io = window.io_actions
    out = read_only_folder / "old.mp4"
    assert not io.export_video(out, VideoSettings(fps=10, cycles=1, size=(160, 120)))
    assert io.error_box is not None and io.error_box.isVisible()
    assert "read-only" in io.error_box.text() and str(out) in io.error_box.text()
    assert io.progress is None and not io.busy  # no progress dialog left hanging
    assert out.read_bytes() == OLD


def test_a_video_on_a_full_disk_fails_with_a_dialog_and_keeps_the_old_file(
    window, qtbot, small_disk
):
    from fault_injection import OLD, fill, leftovers

    from anatomy_viewer.scene.export import VideoSettings

    io = window.io_actions
    out = small_disk / "old.mp4"
    out.write_bytes(OLD)
    fill(small_disk, 16384)
    with qtbot.waitSignal(io.videoFinished, timeout=LOAD_MS) as blocker:
        assert io.export_video(out, VideoSettings(fps=10, cycles=1, size=(160, 120)))
    assert blocker.args[0] is None and not io.busy and io.progress is None
    assert "the disk is full" in io.error_box.text() and "left as it was" in io.error_box.text()
    assert "Saved" not in window.statusBar().currentMessage()
    assert out.read_bytes() == OLD and leftovers(small_disk) == []


def test_pictures_and_tables_on_a_full_disk_keep_the_old_file(window, small_disk):
    from fault_injection import OLD, fill, leftovers

    io = window.io_actions
    png, csv_file = small_disk / "old.png", small_disk / "old.csv"
    png.write_bytes(OLD)
    csv_file.write_bytes(OLD)
    fill(small_disk)
    assert io.save_picture(png, PictureOptions((320, 240))) is None
    assert "the disk is full" in io.error_box.text()
    io.error_box.close()
    assert io.export_cycle_data(csv_file) is None
    assert "the disk is full" in io.error_box.text()
    assert png.read_bytes() == OLD and csv_file.read_bytes() == OLD
    assert leftovers(small_disk) == []


def test_cancel_ends_an_open_that_does_not_return(window, qtbot, files, monkeypatch):
    """A read that blocks (a slow network drive; a pipe used to block for good): Cancel
    ends the job at once and the next file opens."""
    import threading

    from anatomy_viewer.app import trials

    release = threading.Event()
    real_read = trials.read_trial

    def stuck(*args, **kwargs):
        release.wait(30)
        return real_read(*args, **kwargs)

    monkeypatch.setattr(trials, "read_trial", stuck)
    io = window.io_actions
    before = window.cycle
    assert io.open_files([files["motion"]])
    assert io.busy
    io.progress.canceled.emit()
    assert not io.busy and io.progress is None and window.cycle is before
    assert "cancelled" in window.statusBar().currentMessage()
    monkeypatch.setattr(trials, "read_trial", real_read)
    cycle = _open(qtbot, window, [files["motion"], files["grf"]])  # not "Still busy"
    assert cycle.periodic
    release.set()
    qtbot.wait(200)
    assert window.cycle is cycle  # the cancelled read's late result is ignored


def test_the_video_dialog_offers_five_seconds_and_refuses_what_cannot_finish(window):
    from anatomy_viewer.ui.io_dialogs import VideoDialog

    window.set_gait("running")
    dialog = VideoDialog(window.cycle, window)
    try:
        stride = window.cycle.stride_time
        assert dialog.cycles.value() * stride >= 5.0 > (dialog.cycles.value() - 1) * stride
        assert dialog.export_button.isEnabled()
        dialog.format.setCurrentIndex(dialog.format.findData(".gif"))
        dialog.fps.setValue(60)  # more than a GIF can play
        assert not dialog.export_button.isEnabled() and "50 frames/s" in dialog.summary.text()
        dialog.fps.setValue(30)
        assert dialog.export_button.isEnabled()
    finally:
        dialog.close()
        window.set_gait("walking")


def test_about_shows_the_version(window, monkeypatch):
    from importlib.metadata import version

    from anatomy_viewer.ui import main_window

    shown = []
    monkeypatch.setattr(main_window.QMessageBox, "about", lambda *a: shown.append(a[2]))
    next(a for a in window.help_menu.actions() if a.text() == "&About").trigger()
    assert f"Anatomy Viewer {version('anatomy-viewer')}" in shown[0]


@pytest.mark.parametrize("step, estimate", [("Posing", False), ("Estimating", True)])
def test_closing_the_window_while_a_trial_loads_ends_cleanly(step, estimate, tmp_path):
    """Closing while the worker poses the leg used to crash the program at exit (a
    segmentation fault, or "RuntimeError: Signal source has been deleted") or hang it; the
    same while it estimates the muscle activity."""
    import subprocess
    import sys

    long = write_motion(tmp_path / "long.mot", duration=120.0)
    script = f"""
from PySide6.QtCore import QTimer
from anatomy_viewer.ui.app import application
from anatomy_viewer.ui.main_window import MainWindow
app = application()
win = MainWindow(gait="walking", autoplay=False)
win.show()
io = win.io_actions
io.estimate = {estimate!r}
io.open_files([{str(long)!r}])
def watch():
    if io.progress is not None and {step!r} in io.progress.labelText():
        win.close()
    else:
        QTimer.singleShot(10, watch)
watch()
app.exec()
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_a_motion_alone_lights_up_and_the_bar_says_how(window, qtbot, files):
    cycle = _open(qtbot, window, [files["motion"]])
    assert cycle.provenance["vaslat_r"].kind == "simulated"
    assert "static optimisation" in cycle.provenance["vaslat_r"].source
    assert cycle.activations.max() > 0.05
    bar = window.io_actions.info_bar
    assert "Muscle activity estimated by static optimisation" in bar.label.text()
    assert "ground forces estimated" in bar.label.text()
    assert any(n.startswith("residual forces") for n in bar.notes)
    # stance and swing from the motion itself, on the timeline too
    assert {p.name for p in window.timeline.cycle().phases if p.side == "r"} >= {"stance"}
    # muscle forces for the panels, through the one sampling API
    now = window.app_model.muscle_now("vaslat_r")
    assert now.force is not None and now.force >= 0.0


def test_without_the_estimate_the_leg_stays_at_rest(window, qtbot, files):
    window.io_actions.estimate = False
    cycle = _open(qtbot, window, [files["motion"]])
    assert cycle.provenance["vaslat_r"].kind == "none" and cycle.activations.max() == 0.0
    assert "not estimated (as asked)" in " ".join(window.io_actions.info_bar.notes)


def test_the_estimate_can_be_cancelled(window, qtbot, tmp_path):
    before = window.cycle
    long = write_motion(tmp_path / "long.mot", duration=60.0)
    io = window.io_actions
    assert io.open_files([long])
    qtbot.waitUntil(
        lambda: io.progress is not None and "Estimating" in io.progress.labelText(),
        timeout=LOAD_MS,
    )
    io.progress.canceled.emit()
    qtbot.waitUntil(lambda: not io.busy, timeout=LOAD_MS)
    assert window.cycle is before
    assert "cancelled" in window.statusBar().currentMessage()


def test_open_restores_and_saves_the_settings(qtbot, tmp_path, monkeypatch, files):
    """'anatomy-viewer open' opens the window with the user's settings, as the plain window
    does: restored when it opens, saved when it closes."""
    from anatomy_viewer.gait.trial import load_trial
    from anatomy_viewer.ui import app

    ini = tmp_path / "settings.ini"
    ini.write_text("[view]\ngain=2.5\nlegs=right\n[playback]\nspeed=0.5\n")
    monkeypatch.setenv("ANATOMY_VIEWER_SETTINGS", str(ini))
    win = app.open_window(trial=load_trial(files["motion"]), estimate=False)
    qtbot.addWidget(win)
    try:
        assert win.settings is not None and win.settings.path == ini
        assert win.app_model.display.user.gain == 2.5 and win.playback.speed == 0.5
        qtbot.waitUntil(lambda: win.app_model.gait_name is None, timeout=LOAD_MS)
        assert win.cycle.name == "walk"  # the trial is shown
        win.view_options.set_legs("left")
    finally:
        win.close()
    saved = ini.read_text()
    assert "legs=left" in saved and "gain=2.5" in saved and "speed=0.5" in saved
