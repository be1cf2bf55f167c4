"""Writing the user's files so that nothing they had is ever lost.

Every file the program writes (pictures, videos, tables, OpenSim files, 3-D scenes, settings)
goes through :func:`atomic_output`: the new content is written to a temporary file beside the
target (same folder, so the final rename stays on one file system), flushed and fsynced,
checked by the caller's ``verify`` function, and only then renamed over the target. A failure,
a cancel, Ctrl-C or SIGTERM (see :func:`terminate_as_interrupt`) removes the temporary file and
leaves an existing target exactly as it was. :class:`PendingOutput` is the same for writers
that work step by step (a video written from the window's event loop).

A target that exists but is not a regular file (a folder, a device such as ``/dev/full``, a
named pipe, a socket) is refused: renaming over it would replace a device node when the
program runs as root.

Standard library only: every layer (``gait``, ``scene``, ``ui``, the CLI) may import it.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = [
    "OutputError",
    "PendingOutput",
    "Terminated",
    "atomic_output",
    "check_output_target",
    "describe_os_error",
    "file_kind",
    "printable",
    "terminate_as_interrupt",
]

#: Temporary files of writes still in progress (see :func:`pending_outputs`).
_pending: set[Path] = set()
_pending_lock = threading.Lock()


@atexit.register
def _remove_pending() -> None:
    """Last resort at interpreter exit: a library that ends the process from inside a call
    (sys.exit in a callback) skips the ``finally`` that would remove a temporary file."""
    with _pending_lock:
        leftovers = list(_pending)
        _pending.clear()
    for tmp in leftovers:
        with contextlib.suppress(OSError):
            tmp.unlink()


_ERRNO_TEXT = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ELOOP: "the path has a loop of symbolic links",
    errno.EFBIG: "the file is too large for this file system",
    errno.EIO: "an input/output error occurred",
}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: object) -> str:
    """``text`` on one line: control characters (a newline in a file name, an escape
    sequence) are shown as escapes (``\\n``, ``\\x1b``), so a message naming any file stays
    one line and cannot change the terminal."""

    def escape(m: re.Match[str]) -> str:
        c = m.group()
        named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c)
        return named or (f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}")

    return _CONTROL.sub(escape, str(text))


class OutputError(OSError):
    """An output could not be written; the message names the file and the cause, and any
    file that was at the target before is unchanged. An OSError, so that code catching
    OSError for writes catches it too."""

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"cannot write {printable(os.fspath(path))}: {problem}")
        self.filename = os.fspath(path)

    def __str__(self) -> str:
        return f"cannot write {printable(os.fspath(self.path))}: {self.problem}"


def describe_os_error(exc: BaseException) -> str:
    """A short, plain cause for an OSError ("the disk is full", "permission denied", ...)."""
    code = getattr(exc, "errno", None)
    name = getattr(exc, "filename", None)
    if code == errno.ENOENT and name and Path(os.fspath(name)).parent.is_dir():
        # the folder is there but refuses new files (/proc, /sys): not a missing folder
        return "new files cannot be created in that folder"
    if code in _ERRNO_TEXT:
        return _ERRNO_TEXT[code]
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:]


def file_kind(mode: int) -> str | None:
    """What a non-regular file is ("a folder", "a named pipe", "a device", ...), for
    messages, from ``os.stat(...).st_mode``; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_output_target(path: str | os.PathLike[str]) -> Path:
    """The real path a new file would replace, or OutputError saying why it cannot be written.

    Symbolic links are followed (the link stays, the file it points to is replaced). The
    target may be absent; if present it must be a regular file. Its folder must exist and be
    writable.
    """
    given = Path(path)
    if not os.fspath(given) or os.fspath(given).endswith(os.sep):
        raise OutputError(path, "it names a folder, not a file")
    try:
        real = Path(os.path.realpath(given, strict=False))
    except OSError as exc:  # e.g. a loop of symbolic links
        raise OutputError(path, describe_os_error(exc)) from None
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(path, describe_os_error(exc)) from None
    if st is not None:
        kind = file_kind(st.st_mode)
        if kind is not None:
            raise OutputError(path, f"it is {kind}, not a regular file")
    folder = real.parent
    try:
        fst = os.stat(folder)
    except FileNotFoundError:
        where = os.fspath(given.parent) or "."
        raise OutputError(path, f"the folder {where} does not exist") from None
    except OSError as exc:
        raise OutputError(path, describe_os_error(exc)) from None
    if not stat.S_ISDIR(fst.st_mode):
        raise OutputError(path, f"{os.fspath(given.parent)} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        where = printable(os.fspath(given.parent) or ".")
        if _read_only(folder):
            raise OutputError(path, f"the folder {where} is on a read-only file system")
        raise OutputError(path, f"the folder {where} is not writable")
    return real


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1))
    except (OSError, AttributeError):
        return False


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename itself is still atomic
    finally:
        os.close(fd)


def _discard(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink()
    with _pending_lock:
        _pending.discard(tmp)


class PendingOutput:
    """A new file being written beside its target: :attr:`tmp` to write to, then
    :meth:`commit` (fsync, ``verify``, rename over the target) or :meth:`discard`.

    For writers that cannot keep a ``with`` block open while they work, such as a video
    written one frame per turn of the window's event loop; :func:`atomic_output` is the same
    as a context manager. The target is checked (:func:`check_output_target`) before anything
    is written, so an unwritable folder or a device is refused before the work starts.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        verify: Callable[[Path], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.verify = verify
        self.real = check_output_target(path)
        try:
            fd, name = tempfile.mkstemp(
                prefix=f".{self.real.stem[:60]}.",
                suffix=f".partial{self.real.suffix}",
                dir=self.real.parent,
            )
        except OSError as exc:
            raise OutputError(path, describe_os_error(exc)) from None
        os.close(fd)
        self.tmp = Path(name)
        self.state = "open"  # then "committed" or "discarded"
        with _pending_lock:
            _pending.add(self.tmp)

    def commit(self) -> Path:
        """Check the written temporary file and rename it over the target; returns the
        target. On any failure the temporary file is removed and the target is unchanged;
        OSErrors come out as :class:`OutputError` naming the target and the cause."""
        if self.state != "open":
            raise RuntimeError(f"{self.path}: the output was already {self.state}")
        path, tmp, real = self.path, self.tmp, self.real
        with _discarded_on_failure(self):
            if not tmp.is_file() or tmp.stat().st_size == 0:
                raise OutputError(path, "nothing was written")
            _fsync_path(tmp)
            if self.verify is not None:
                try:
                    self.verify(tmp)
                except ValueError as exc:  # the check's own words, naming the target
                    raise OutputError(path, str(exc)) from exc
            try:
                mode = stat.S_IMODE(os.stat(real).st_mode)
            except FileNotFoundError:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(tmp, mode)
            # The target may have been replaced by a folder or device while we wrote.
            check_output_target(path)
            os.replace(tmp, real)
            self.state = "committed"
            with _pending_lock:
                _pending.discard(tmp)
            _fsync_dir(real.parent)
        return real

    def discard(self) -> None:
        """Remove the temporary file (the target stays as it was). Never raises; does
        nothing once committed or discarded."""
        if self.state == "open":
            self.state = "discarded"
            _discard(self.tmp)


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str],
    verify: Callable[[Path], None] | None = None,
) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write the new file to; on a clean exit it is
    fsynced, checked and renamed over ``path``.

    The temporary file ends in the target's suffix (encoders choose their format by it) and
    starts with a dot (hidden while it is written). ``verify(tmp)`` may raise to refuse the
    result, e.g. a video with too few frames: a ValueError's text becomes the problem of an
    :class:`OutputError` naming ``path``. Any exception,
    including KeyboardInterrupt and SystemExit, removes the temporary file and leaves the
    target as it was; OSErrors come out as :class:`OutputError` naming ``path`` and the cause.
    The new file keeps the permission bits of the file it replaces.
    """
    out = PendingOutput(path, verify)
    with _discarded_on_failure(out):
        yield out.tmp
    out.commit()


@contextlib.contextmanager
def _discarded_on_failure(out: PendingOutput) -> Iterator[None]:
    """Any exception removes ``out``'s temporary file; an OSError comes out as an
    OutputError naming the target and the cause."""
    try:
        yield
    except OSError as exc:
        out.discard()
        if isinstance(exc, OutputError):
            raise
        raise OutputError(out.path, describe_os_error(exc)) from exc
    except BaseException:
        out.discard()
        raise


def pending_outputs() -> set[Path]:
    """Temporary files of writes in progress (for tests and shutdown)."""
    with _pending_lock:
        return set(_pending)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl-C so that every output in progress is cleaned up;
    ``signum`` is the signal (an exit status of 128 + signum is the convention)."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signal.Signals(signum).name}")
        self.signum = signum


def terminate_as_interrupt() -> None:
    """Make SIGTERM (and SIGHUP) raise :class:`Terminated`, a KeyboardInterrupt, in the main
    thread, so an output being written is cleaned up exactly as on Ctrl-C. Call once from
    the main thread."""

    def _handler(signum, _frame):  # noqa: ANN001 (signal API)
        raise Terminated(signum)

    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, _handler)
