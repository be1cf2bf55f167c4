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
