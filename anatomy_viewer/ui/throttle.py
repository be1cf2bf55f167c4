"""Fewer updates of the secondary views while the leg plays.

Software OpenGL leaves little time per frame: the 3-D view and the timeline follow every
frame, but the plots' cursors and the Muscle panel's live values need not move 30 times a
second. :class:`PlayingThrottle` passes a value on at most every ``interval_ms`` while the
playback plays, and always the last one (the view ends where the leg is); paused, every
value passes at once (scrubbing and stepping stay exact).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QObject, QTimer

#: While playing, a secondary view updates at most this often (ms): about 15 times a second.
SECONDARY_INTERVAL_MS = 66


class PlayingThrottle(QObject):
    """Calls ``fn(value)``: at once when ``playing()`` is False, else at most every
    ``interval_ms``, the last value delivered when the interval ends."""

    def __init__(
        self,
        fn: Callable[[float], None],
        playing: Callable[[], bool],
        interval_ms: int = SECONDARY_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._fn = fn
        self._playing = playing
        self._interval = int(interval_ms)
        self._clock = QElapsedTimer()
        self._value: float | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._flush)

    def __call__(self, value: float) -> None:
        if not self._playing():
            self._timer.stop()
            self._value = None
            self._deliver(value)
            return
        elapsed = self._clock.elapsed() if self._clock.isValid() else self._interval
        if elapsed >= self._interval:
            self._timer.stop()
            self._value = None
            self._deliver(value)
        else:
            self._value = value
            if not self._timer.isActive():
                self._timer.start(self._interval - elapsed)

    def _deliver(self, value: float) -> None:
        self._clock.restart()
        self._fn(value)

    def _flush(self) -> None:
        if self._value is not None:
            value, self._value = self._value, None
            self._deliver(value)
