"""Playback: the current position in the cycle, driven by wall-clock time.

Frames are chosen by elapsed time, so the speed of playback does not depend on how fast the
scene renders: a slow renderer shows fewer frames, never a slower leg.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

MIN_SPEED, MAX_SPEED = 0.1, 2.0


class Playback(QObject):
    """Current percent of the cycle, play/pause, speed (1x = real time) and looping."""

    percentChanged = Signal(float)
    playingChanged = Signal(bool)
    speedChanged = Signal(float)

    def __init__(self, stride_time: float = 1.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._percent = 0.0
        self._speed = 1.0
        self._stride_time = stride_time
        self.loop = True
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(15)  # ask for ~60 Hz; the renderer takes what it can
        self._timer.timeout.connect(self._tick)

    # ------------------------------------------------------------------ properties
    @property
    def percent(self) -> float:
        return self._percent

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def stride_time(self) -> float:
        return self._stride_time

    def set_stride_time(self, seconds: float) -> None:
        self._stride_time = max(float(seconds), 1e-3)

    # ------------------------------------------------------------------ commands
    def seek(self, percent: float) -> None:
        """Go to ``percent`` of the cycle; a value that is not a finite number (NaN, which
        would stick, since every later position computed from it is NaN too) is ignored."""
        p = float(percent)
        if not math.isfinite(p):
            return
        p = p % 100.0 if self.loop and not 0.0 <= p <= 100.0 else min(max(p, 0.0), 100.0)
        if p != self._percent:
            self._percent = p
            self.percentChanged.emit(p)

    def play(self) -> None:
        if not self.playing:
            self._clock.start()
            self._timer.start()
            self.playingChanged.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self.playingChanged.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def set_speed(self, speed: float) -> None:
        if not math.isfinite(float(speed)):
            return
        s = min(max(float(speed), MIN_SPEED), MAX_SPEED)
        if s != self._speed:
            self._speed = s
            self.speedChanged.emit(s)

    def stop(self) -> None:
        """Stop the timer for good (window closing)."""
        self._timer.stop()

    # ------------------------------------------------------------------ timer
    def _tick(self) -> None:
        dt = self._clock.restart() / 1000.0
        advance = dt * self._speed / self._stride_time * 100.0
        p = self._percent + advance
        if p >= 100.0:
            if self.loop:
                p %= 100.0
            else:
                p = 100.0
                self.seek(p)
                self.pause()
                return
        self.seek(p)
