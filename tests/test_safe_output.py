"""atomic_output: the old file survives every failure, and nothing temporary is left behind."""

from __future__ import annotations

import os
import stat

import pytest

from anatomy_viewer.safe_output import (
    OutputError,
    atomic_output,
    check_output_target,
    pending_outputs,
)


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


def test_new_file_is_written_and_no_temporary_file_stays(tmp_path):
    target = tmp_path / "table.csv"
    with atomic_output(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".csv" and tmp.name.startswith(".")
        tmp.write_text("a,b\n1,2\n")
        assert not target.exists()  # nothing at the target until the write is complete
    assert target.read_text() == "a,b\n1,2\n"
    assert _leftovers(tmp_path) == [] and not pending_outputs()


@pytest.mark.parametrize("failure", [RuntimeError("boom"), KeyboardInterrupt(), SystemExit(2)])
def test_a_failure_leaves_the_old_file_exactly_as_it_was(tmp_path, failure):
    target = tmp_path / "keep.png"
    target.write_bytes(b"old picture")
    with pytest.raises(type(failure)), atomic_output(target) as tmp:
        tmp.write_bytes(b"half a new pict")
        raise failure
    assert target.read_bytes() == b"old picture"
    assert _leftovers(tmp_path) == [] and not pending_outputs()


def test_verify_can_refuse_the_result(tmp_path):
    target = tmp_path / "v.mp4"
    target.write_bytes(b"old video")

    def verify(path):
        raise OutputError(target, "the video has 3 of 14 frames")

    with pytest.raises(OutputError, match="3 of 14 frames"), atomic_output(target, verify) as tmp:
        tmp.write_bytes(b"short")
    assert target.read_bytes() == b"old video" and _leftovers(tmp_path) == []


def test_an_empty_result_is_refused(tmp_path):
    target = tmp_path / "x.csv"
    target.write_text("old")
    with pytest.raises(OutputError, match="nothing was written"), atomic_output(target):
        pass
    assert target.read_text() == "old"


def test_permissions_of_the_replaced_file_are_kept(tmp_path):
    target = tmp_path / "x.csv"
    target.write_text("old")
    os.chmod(target, 0o640)
    with atomic_output(target) as tmp:
        tmp.write_text("new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "new"


def test_a_symbolic_link_stays_and_its_file_is_replaced(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with atomic_output(link) as tmp:
        tmp.write_text("new")
    assert link.is_symlink() and real.read_text() == "new"


def test_non_regular_targets_are_refused(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        check_output_target(tmp_path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="named pipe"):
        check_output_target(fifo)
    if os.path.exists("/dev/null"):
        with pytest.raises(OutputError, match="device"):
            check_output_target("/dev/null")
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # never renamed over


def test_missing_or_unwritable_folder_is_named(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        check_output_target(tmp_path / "nope" / "x.png")
    if os.geteuid() == 0:
        pytest.skip("root may write in read-only folders")
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o500)
    try:
        with pytest.raises(OutputError, match="not writable"):
            check_output_target(ro / "x.png")
    finally:
        os.chmod(ro, 0o700)


def test_output_error_is_an_os_error_naming_file_and_cause(tmp_path):
    err = OutputError(tmp_path / "a.png", "the disk is full")
    assert isinstance(err, OSError)
    assert str(err) == f"cannot write {tmp_path / 'a.png'}: the disk is full"


def test_a_pending_output_is_committed_or_discarded_later(tmp_path):
    from anatomy_viewer.safe_output import PendingOutput

    target = tmp_path / "v.gif"
    target.write_bytes(b"old")
    job = PendingOutput(target)
    job.tmp.write_bytes(b"frame 1")
    assert target.read_bytes() == b"old" and job.tmp in pending_outputs()
    job.discard()
    job.discard()  # twice is harmless
    assert target.read_bytes() == b"old" and _leftovers(tmp_path) == []
    job = PendingOutput(target, verify=lambda p: None)
    job.tmp.write_bytes(b"new video")
    assert job.commit() == target and target.read_bytes() == b"new video"
    assert _leftovers(tmp_path) == [] and not pending_outputs()


def test_a_value_error_from_verify_names_the_target(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old")

    def verify(path):
        raise ValueError("3 of 101 rows read back whole")

    with pytest.raises(OutputError) as err, atomic_output(target, verify) as tmp:
        tmp.write_text("partial")
    assert str(err.value) == f"cannot write {target}: 3 of 101 rows read back whole"
    assert err.value.filename == str(target) and target.read_text() == "old"


def test_an_os_error_while_writing_says_the_cause(tmp_path):
    import errno as errno_module

    target = tmp_path / "x.png"
    target.write_bytes(b"old")
    with pytest.raises(OutputError, match="the disk is full"), atomic_output(target) as tmp:
        tmp.write_bytes(b"half")
        raise OSError(errno_module.ENOSPC, "No space left on device")
    assert target.read_bytes() == b"old" and _leftovers(tmp_path) == []


def test_messages_stay_on_one_line():
    from anatomy_viewer.safe_output import printable

    assert printable("a\nb\r\tc\x1b[31m\u2028") == "a\\nb\\r\\tc\\x1b[31m\\u2028"
    err = OutputError("/tmp/two\nlines.png", "the disk is full")
    assert "\n" not in str(err) and "two\\nlines.png" in str(err)


def test_sigterm_raises_an_interrupt_that_names_the_signal():
    import signal

    from anatomy_viewer.safe_output import Terminated, terminate_as_interrupt

    before = signal.getsignal(signal.SIGTERM)
    terminate_as_interrupt()
    try:
        with pytest.raises(KeyboardInterrupt) as err:
            signal.raise_signal(signal.SIGTERM)
        assert isinstance(err.value, Terminated) and err.value.signum == signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, before)
