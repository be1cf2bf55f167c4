"""Playback: the current position in the cycle, and whether and how fast it moves.

Qt-free: a clock (the window's QTimer, a benchmark's loop) calls :meth:`Playback.advance` with
the wall-clock seconds since its last call, so the speed of playback does not depend on how
fast the scene renders: a slow renderer shows fewer frames, never a slower leg.
"""

from __future__ import annotations

import math

from psygnal import Signal, SignalGroup

MIN_SPEED, MAX_SPEED = 0.1, 2.0


class PlaybackEvents(SignalGroup):
    percent = Signal(float)
    playing = Signal(bool)
    speed = Signal(float)
    loop = Signal(bool)


class Playback:
    """Current percent of the cycle, playing or paused, speed (1x = real time), looping.

    ``events.percent`` is emitted every time the position changes (every frame while playing);
    ``events.playing``, ``events.speed`` and ``events.loop`` when those change.
    """

    def __init__(self, stride_time: float = 1.0) -> None:
        self.events = PlaybackEvents()
        self._percent = 0.0
        self._playing = False
        self._speed = 1.0
        self._loop = True
        self._stride_time = max(float(stride_time), 1e-3)

    # ------------------------------------------------------------------ state
    @property
    def percent(self) -> float:
        return self._percent

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def loop(self) -> bool:
        return self._loop

    @loop.setter
    def loop(self, loop: bool) -> None:
        self.set_loop(loop)

    @property
    def stride_time(self) -> float:
        """Seconds of one cycle at 1x."""
        return self._stride_time

    def set_stride_time(self, seconds: float) -> None:
        self._stride_time = max(float(seconds), 1e-3)

    # ------------------------------------------------------------------ commands
    def seek(self, percent: float) -> None:
        """Go to ``percent`` (wrapped when looping, else clamped to 0..100); a value that is
        not a finite number (NaN, which would stick, since every later position computed from
        it is NaN too) is ignored."""
        p = float(percent)
        if not math.isfinite(p):
            return
        p = p % 100.0 if self._loop and not 0.0 <= p <= 100.0 else min(max(p, 0.0), 100.0)
        if p != self._percent:
            self._percent = p
            self.events.percent.emit(p)

    def play(self) -> None:
        if not self._playing:
            self._playing = True
            self.events.playing.emit(True)

    def pause(self) -> None:
        if self._playing:
            self._playing = False
            self.events.playing.emit(False)

    def toggle(self) -> None:
        self.pause() if self._playing else self.play()

    def stop(self) -> None:
        """Stop for good (the window is closing): paused, no event."""
        self._playing = False

    def set_speed(self, speed: float) -> None:
        if not math.isfinite(float(speed)):
            return
        s = min(max(float(speed), MIN_SPEED), MAX_SPEED)
        if s != self._speed:
            self._speed = s
            self.events.speed.emit(s)

    def set_loop(self, loop: bool) -> None:
        loop = bool(loop)
        if loop != self._loop:
            self._loop = loop
            self.events.loop.emit(loop)

    def advance(self, seconds: float) -> None:
        """Move on by ``seconds`` of wall-clock time (while playing): one cycle takes
        ``stride_time / speed`` seconds. Without looping it stops at 100 %."""
        if not self._playing:
            return
        p = self._percent + float(seconds) * self._speed / self._stride_time * 100.0
        if p >= 100.0 and not self._loop:
            self.seek(100.0)
            self.pause()
            return
        self.seek(p % 100.0 if p >= 100.0 else p)
