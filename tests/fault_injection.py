"""Fault injection for the tests: a small file system that fills up and a read-only folder,
each a tmpfs of its own (mounting needs root or a user namespace: where it is not allowed the
tests that use them skip, saying so)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

#: The user's old file: every failure must leave it byte for byte.
OLD = b"the user's old file: must survive every failure\n" * 20


def leftovers(folder: Path) -> list[str]:
    """Temporary files of unfinished writes left in ``folder`` (there must be none)."""
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


def _mount(where: Path, *options: str) -> None:
    if shutil.which("mount") is None:
        pytest.skip("no mount command on this machine")
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        why = result.stderr.strip() or f"exit status {result.returncode}"
        pytest.skip(f"mounting a small tmpfs is not allowed here ({why})")


def _unmount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 512 KiB file system of its own (tmpfs), unmounted afterwards."""
    where = tmp_path / "disk"
    where.mkdir()
    _mount(where, "size=512k", "mode=0755")
    yield where
    _unmount(where)


def fill(disk: Path, leave: int = 0) -> None:
    """Fill ``disk`` up to ``leave`` free bytes (0: completely full)."""
    with open(disk / "filler", "wb", buffering=0) as fh:
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        try:
            if free > leave:
                fh.write(b"\0" * (free - leave))
            while leave == 0:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    assert free <= leave + 4096


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder holding the user's old picture and video, on a file system remounted
    read-only (as root, a folder's permission bits would not stop a write)."""
    where = tmp_path / "ro"
    where.mkdir()
    _mount(where, "size=256k", "mode=0755")
    (where / "old.png").write_bytes(OLD)
    (where / "old.mp4").write_bytes(OLD)
    result = subprocess.run(
        ["mount", "-o", "remount,ro", str(where)], capture_output=True, text=True
    )
    if result.returncode != 0:
        _unmount(where)
        pytest.skip(f"remounting read-only is not allowed here ({result.stderr.strip()})")
    yield where
    _unmount(where)
