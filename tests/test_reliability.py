"""Nothing the user had is lost: real faults injected into the real program.

A small file system that fills up (a tmpfs mounted with ``size=``), a read-only folder (a tmpfs
remounted read-only: root ignores permission bits), Ctrl-C and SIGTERM sent to a running
``anatomy-viewer export``, outputs that are devices, named pipes or folders, and inputs that
are named pipes or devices. Each test checks what a user would see: the exit status, one
error line naming the file and the cause, the old file byte for byte, no temporary file left.

Mounting needs root (or a user namespace); where it is not allowed the tests say so and skip.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fault_injection import OLD, fill, leftovers

from anatomy_viewer import cli

ROOT = Path(__file__).resolve().parents[1]


def _one_error_line(capsys) -> str:
    err = [ln for ln in capsys.readouterr().err.splitlines() if "error" in ln]
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


# ============================================================================ a full disk
CASES = {
    "keep.csv": ["cycle"],
    "keep.png": ["render", "--size", "320x240"],
    "keep.jpg": ["render", "--size", "640x480"],
    "keep.mp4": ["export", "--size", "160x120", "--fps", "10", "--cycles", "1"],
    "keep.gif": ["export", "--size", "160x120", "--fps", "10", "--cycles", "1"],
}


@pytest.mark.parametrize(
    "name, leave",
    [(name, 0) for name in CASES] + [("keep.csv", 16384), ("keep.mp4", 16384)],
)
def test_a_full_disk_keeps_the_old_file_and_says_so(name, leave, small_disk, capsys):
    """Full (0 bytes free) or nearly full (16 KiB free: a part of the new file fits, which
    used to leave a truncated file, or a cut video reported as saved)."""
    out = small_disk / name
    out.write_bytes(OLD)
    fill(small_disk, leave)
    assert cli.main([*CASES[name], "-o", str(out)]) == 2
    line = _one_error_line(capsys)
    assert f"cannot write {out}: the disk is full" in line
    assert out.read_bytes() == OLD
    assert leftovers(small_disk) == []
    assert "wrote" not in capsys.readouterr().out


def test_a_read_only_folder_is_refused_before_rendering(read_only_folder, capsys):
    for name, argv in (("old.png", CASES["keep.png"]), ("old.mp4", CASES["keep.mp4"])):
        out = read_only_folder / name
        started = time.monotonic()
        assert cli.main([*argv, "-o", str(out)]) == 2
        line = _one_error_line(capsys)
        assert f"cannot write {out}: the folder {read_only_folder}" in line
        assert "read-only" in line
        assert out.read_bytes() == OLD
        assert time.monotonic() - started < 30  # refused up front, nothing rendered
    assert leftovers(read_only_folder) == []


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_an_output_that_is_a_pipe_or_folder_is_refused_and_left_alone(kind, tmp_path, capsys):
    out = tmp_path / "out.csv"
    os.mkfifo(out) if kind == "fifo" else out.mkdir()
    assert cli.main(["cycle", "-o", str(out)]) == 2
    what = "a named pipe" if kind == "fifo" else "a folder"
    assert f"cannot write {out}: it is {what}, not a regular file" in _one_error_line(capsys)
    mode = out.stat().st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISDIR(mode)


# ============================================================================ interrupted
def _partial_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if ".partial" in p.name]


def _processes_using(folder: Path) -> list[str]:
    """Command lines of running processes that name ``folder`` (an orphaned ffmpeg)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if str(folder) in cmd and "pytest" not in cmd:
            found.append(cmd)
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to see running processes")
@pytest.mark.parametrize(
    "sig, name",
    [(signal.SIGINT, "old.mp4"), (signal.SIGTERM, "old.mp4"), (signal.SIGTERM, "old.gif")],
)
def test_ctrl_c_or_sigterm_during_an_export_keeps_the_old_video(sig, name, tmp_path):
    out = tmp_path / name
    out.write_bytes(OLD)
    argv = ["export", "--gait", "walking", "--cycles", "20", "--fps", "30"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "anatomy_viewer", *argv, "--size", "160x120", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            partial = _partial_files(tmp_path)
            if partial and partial[0].exists() and partial[0].stat().st_size > 0:
                break  # frames are being written
            time.sleep(0.05)
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(sig)
        _stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + sig, stderr
    assert "Traceback" not in stderr
    assert f"interrupted ({signal.Signals(sig).name})" in stderr
    assert out.read_bytes() == OLD
    assert _partial_files(tmp_path) == []
    assert _processes_using(tmp_path) == []  # ffmpeg was stopped too


# ============================================================================ inputs
def _call_with_timeout(fn, seconds: float = 30.0):
    """Run ``fn()`` in a thread; fail (instead of hanging the test run) if it blocks."""
    result: list = []
    thread = threading.Thread(target=lambda: result.append(fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked (reading a pipe or a device?)"
    return result[0]


@pytest.mark.parametrize("kind", ["fifo", "dev/zero"])
def test_a_pipe_or_device_as_input_is_refused_without_blocking(kind, tmp_path, capsys):
    if kind == "fifo":
        src = tmp_path / "pipe.mot"
        os.mkfifo(src)  # nothing ever writes to it: reading would block for good
    else:
        if not os.path.exists("/dev/zero"):
            pytest.skip("needs /dev/zero")
        src = Path("/dev/zero")  # reading never ends
    argv = ["cycle", "--motion", str(src), "-o", str(tmp_path / "x.csv")]
    assert _call_with_timeout(lambda: cli.main(argv)) == 2
    what = "a named pipe" if kind == "fifo" else "a device"
    assert f"is {what}, not a regular file" in _one_error_line(capsys)
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("kind", ["fifo", "dev/zero"])
def test_the_readers_refuse_a_pipe_or_device_without_blocking(kind, tmp_path):
    from anatomy_viewer.gait.opensim_io import OpenSimFileError
    from anatomy_viewer.gait.trial import sort_files

    if kind == "fifo":
        src = tmp_path / "pipe.mot"
        os.mkfifo(src)
    else:
        src = Path("/dev/zero")

    def read():
        try:
            sort_files([src])  # what the window does first with a dropped file
        except OpenSimFileError as exc:
            return str(exc)
        return "read"

    message = _call_with_timeout(read)
    assert "not a regular file" in message


def test_muscle_activity_of_a_pipe_is_refused_without_blocking(tmp_path):
    """The activity cache hashes its input files first: a pipe must not block that either."""
    from anatomy_viewer.gait.muscle_activity import estimate_activations
    from anatomy_viewer.gait.opensim_io import OpenSimFileError

    src = tmp_path / "pipe.mot"
    os.mkfifo(src)

    def run():
        try:
            estimate_activations(src)
        except OpenSimFileError as exc:
            return str(exc)
        return "read"

    assert _call_with_timeout(run) == "pipe.mot: is a named pipe, not a regular file."


def test_a_symbolic_link_loop_is_not_called_a_missing_file(tmp_path, capsys):
    loop = tmp_path / "loop.mot"
    loop.symlink_to(tmp_path / "loop2.mot")
    (tmp_path / "loop2.mot").symlink_to(loop)
    assert cli.main(["cycle", "--motion", str(loop), "-o", str(tmp_path / "x.csv")]) == 2
    line = _one_error_line(capsys)
    assert "loop of symbolic links" in line and "no such file" not in line


def test_a_file_in_a_folder_that_may_not_be_searched_is_not_called_missing(tmp_path, capsys):
    if os.geteuid() == 0:
        pytest.skip("root searches every folder; the message is checked in test_input_checks")
    folder = tmp_path / "closed"
    folder.mkdir()
    (folder / "m.mot").write_text("x")
    folder.chmod(0)
    try:
        argv = ["cycle", "--motion", str(folder / "m.mot"), "-o", str(tmp_path / "x.csv")]
        assert cli.main(argv) == 2
        line = _one_error_line(capsys)
        assert "permission denied" in line and "no such file" not in line
    finally:
        folder.chmod(0o700)


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display (pytest-xvfb)")
def test_sigterm_to_the_window_during_an_export_keeps_the_old_video(tmp_path):
    """The window closes as on File > Quit: the export stops, its temporary file goes."""
    out = tmp_path / "old.mp4"
    out.write_bytes(OLD)
    script = f"""
from PySide6.QtCore import QTimer
from anatomy_viewer.scene.export import VideoSettings
from anatomy_viewer.ui.app import application
from anatomy_viewer.ui.main_window import MainWindow
app = application()
win = MainWindow(gait="walking", autoplay=False)
win.show()
win.io_actions.export_video({str(out)!r}, VideoSettings(fps=30, cycles=20, size=(160, 120)))
def report():
    job = win.io_actions.video_job
    if job is not None and job.index >= 5:
        print("exporting", flush=True)
    else:
        QTimer.singleShot(20, report)
report()
app.exec()
print("closed", flush=True)
"""
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "exporting", proc.stderr.read()
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "closed" in stdout, stderr
    assert "Traceback" not in stderr
    assert out.read_bytes() == OLD
    assert _partial_files(tmp_path) == [] and _processes_using(tmp_path) == []


def test_a_signal_during_a_vtk_render_arrives_after_it_as_keyboard_interrupt():
    """VTK ends the process (exit status 1, no clean-up) if KeyboardInterrupt is raised inside
    a Python observer it calls; renders therefore hold Ctrl-C and SIGTERM until they return."""
    import os

    from anatomy_viewer.safe_output import terminate_as_interrupt
    from anatomy_viewer.scene.vtk_util import signals_held

    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    terminate_as_interrupt()
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            reached_end_of_block = False
            with pytest.raises(KeyboardInterrupt):
                with signals_held():
                    os.kill(os.getpid(), sig)
                    time.sleep(0.05)  # a signal not held would interrupt here
                    reached_end_of_block = True
            assert reached_end_of_block
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
