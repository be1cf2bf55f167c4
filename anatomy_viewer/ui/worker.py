"""A worker thread for the window's slow jobs (reading, estimating and posing a trial), with
progress and Cancel carried back to the GUI thread through queued Qt signals.

``Job(fn, on_done)`` runs ``fn(progress)`` in a thread of its own; ``progress(fraction, what)``
(fraction 0..1, or -1 for "busy, no measure") is emitted as :attr:`Job.progressed`, and raises
:class:`Cancelled` inside the worker once :attr:`Job.cancelled` is set, so the job stops at its
next step. The result or the exception arrives as :attr:`Job.succeeded` / :attr:`Job.failed`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal


class Cancelled(Exception):
    """Raised inside a worker's progress callback when the user pressed Cancel."""


class Job(QObject):
    """Runs ``fn(progress)`` in a thread; results come back through queued signals."""

    progressed = Signal(object, float, str)  # (job, fraction or -1 for busy, what)
    succeeded = Signal(object, object)  # (job, result)
    failed = Signal(object, object)  # (job, exception)

    def __init__(
        self,
        fn: Callable[[Callable[[float, str], None]], object],
        on_done: Callable[[object], None],
    ) -> None:
        super().__init__()
        self._fn = fn
        self.on_done = on_done
        self.cancelled = False
        # Not a daemon: the program does not tear down (MuJoCo, numpy) under a worker still
        # running at exit, which crashed it; a cancelled worker stops at its next step.
        self.thread = threading.Thread(target=self._run, name="trial-loader", daemon=False)

    def start(self) -> None:
        self.thread.start()

    def _progress(self, fraction: float, what: str) -> None:
        if self.cancelled:
            raise Cancelled()
        self._emit(self.progressed, float(fraction), what)

    def _emit(self, signal, *args) -> None:
        """Emit from the worker; nothing happens once the window (and with it the receivers,
        or at exit this object) is gone: the result is no longer wanted."""
        try:
            signal.emit(self, *args)
        except RuntimeError:  # "Signal source has been deleted"
            self.cancelled = True

    def _run(self) -> None:
        try:
            result = self._fn(self._progress)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, shown there
            self._emit(self.failed, exc)
        else:
            if self.cancelled:
                self._emit(self.failed, Cancelled())
            else:
                self._emit(self.succeeded, result)
