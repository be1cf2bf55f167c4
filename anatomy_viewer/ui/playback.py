"""The clock of the playback: a QTimer that advances the model's playback by wall-clock time.

The playback itself (:class:`anatomy_viewer.app.playback.Playback`) is Qt-free; this clock only
runs while it plays. Frames are chosen by elapsed time, so a slow renderer shows fewer frames,
never a slower leg.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer

from anatomy_viewer.app.playback import Playback

__all__ = ["PlaybackClock"]

#: Ask for a tick this often (ms): ~60 Hz; the renderer takes what it can.
TICK_MS = 15


class PlaybackClock(QObject):
    """Runs while ``playback`` plays and advances it by the time since the last tick."""

    def __init__(self, playback: Playback, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.playback = playback
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        playback.events.playing.connect(self._on_playing)
        self._on_playing(playback.playing)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def _on_playing(self, playing: bool) -> None:
        if playing and not self._timer.isActive():
            self._clock.start()
            self._timer.start()
        elif not playing:
            self._timer.stop()

    def stop(self) -> None:
        """Stop for good (the window is closing)."""
        self.playback.events.playing.disconnect(self._on_playing)
        self._timer.stop()
        self.playback.stop()

    def _tick(self) -> None:
        self.playback.advance(self._clock.restart() / 1000.0)
