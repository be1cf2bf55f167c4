"""Measured EMG of the built-in gaits, to show beside the simulated activations.

``resources/gaits/emg.toml`` carries compact models (a few Fourier harmonics) of the EMG
envelopes recorded in the walking and running trials of the Rajagopal et al. (2016) subject,
each with the model muscles its electrode covers and a citation. An envelope is scaled to its
own peak (1): EMG gives the timing of a muscle's activity, not its size. The electrodes were on
the right leg; the built-in cycles are symmetric (the left leg is the right half a cycle
later), so a left muscle reads the right leg's recording half a cycle later, and says so.

numpy and the standard library only; no Qt, no VTK.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from anatomy_viewer.gait.library import _series
from anatomy_viewer.resources import load_toml

RESOURCE: tuple[str, ...] = ("gaits", "emg.toml")


@dataclass(frozen=True)
class EmgChannel:
    """One electrode's envelope over a built-in gait's stride (right leg, 0 = right heel strike)."""

    gait: str
    channel: str  # e.g. "GMAX"
    muscles: tuple[str, ...]  # model base names it covers, e.g. ("glmax1", "glmax2", "glmax3")
    what: str  # the recording, in words
    citation: str
    spec: dict

    def envelope(self, percent, side: str = "r") -> np.ndarray:
        """The envelope (0..1 of its peak over the stride) at ``percent`` of the stride, for
        the muscle on ``side`` (the left leg reads the recording half a cycle later)."""
        p = np.asarray(percent, dtype=float)
        if side == "l":
            p = p - 50.0
        return np.clip(_series(self.spec, p % 100.0) / self._peak, 0.0, 1.0)

    def at(self, percent: float, side: str = "r") -> float:
        return float(self.envelope(np.array([percent]), side)[0])

    @property
    def _peak(self) -> float:
        return _peak(self.gait, self.channel)


@cache
def _peak(gait: str, channel: str) -> float:
    spec = load_toml(*RESOURCE)[gait]["channels"][channel]
    return float(max(_series(spec, np.linspace(0.0, 100.0, 1001)).max(), 1e-9))


@cache
def _channels(gait: str) -> dict[str, EmgChannel]:
    data = load_toml(*RESOURCE)
    if gait not in data:
        return {}
    entry = data[gait]
    out: dict[str, EmgChannel] = {}
    for key, spec in entry["channels"].items():
        channel = EmgChannel(
            gait=gait,
            channel=key,
            muscles=tuple(spec["muscles"]),
            what=str(entry["what"]),
            citation=str(entry["citation"]),
            spec=dict(spec),
        )
        for base in channel.muscles:
            out.setdefault(base, channel)
    return out


def emg_channel(gait: str | None, muscle: str) -> EmgChannel | None:
    """The measured EMG covering model muscle ``muscle`` (``glmax1_r``) in built-in gait
    ``gait``, or None where none was recorded (sprinting, most deep muscles)."""
    if gait is None:
        return None
    base, _, side = muscle.rpartition("_")
    if side not in ("r", "l"):
        base = muscle
    return _channels(gait).get(base)
