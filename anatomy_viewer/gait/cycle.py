"""A gait cycle: joint coordinates and muscle activations over 0..100 % of a stride.

numpy only; no Qt, no VTK. 0 % is the right foot's initial contact (heel strike).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

ProvenanceKind = Literal["measured", "simulated", "estimated", "none"]
EventKind = Literal["initial_contact", "toe_off"]


@dataclass(frozen=True)
class Provenance:
    """Where an activation curve comes from: measured EMG, a simulation, an estimate, or
    nothing at all (``"none"``: an imported trial without activation data for that muscle)."""

    kind: ProvenanceKind
    source: str  # short citation, e.g. "Rajagopal et al. 2016, MocoTrack walking"


@dataclass(frozen=True)
class Event:
    side: str  # "r" or "l"
    kind: EventKind
    percent: float


@dataclass(frozen=True)
class Phase:
    side: str  # "r" or "l"
    name: str  # e.g. "loading response", "swing", "flight"
    start: float  # percent; a phase may wrap around 100 (start > end)
    end: float

    def contains(self, percent: float) -> bool:
        p = percent % 100.0
        if self.start <= self.end:
            return self.start <= p < self.end
        return p >= self.start or p < self.end


@dataclass
class Frame:
    """One instant of a cycle."""

    percent: float
    coordinates: dict[str, float]  # degrees
    activations: np.ndarray  # (n_muscles,) 0..1
    contact_r: bool
    contact_l: bool


@dataclass
class GaitCycle:
    """Coordinates and activations sampled on a uniform percent grid.

    ``percent`` runs from 0 to 100 inclusive; for a periodic cycle the last sample equals the
    first. ``coordinates`` holds degrees, ``activations`` is (n_muscles, n_samples) in 0..1.
    """

    name: str
    label: str
    stride_time: float  # seconds for one cycle: 1x playback is real time
    percent: np.ndarray
    coordinates: dict[str, np.ndarray]
    muscle_names: tuple[str, ...]
    activations: np.ndarray
    contact_r: np.ndarray
    contact_l: np.ndarray
    provenance: dict[str, Provenance] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    speed: float | None = None  # m/s
    source: str = ""  # citation of the kinematics
    periodic: bool = True
    notes: list[str] = field(default_factory=list)  # what an importer did, for the user
    start_time: float = 0.0  # seconds into the recording at 0 % (a trial's cut stride)

    def __post_init__(self) -> None:
        self.percent = np.asarray(self.percent, dtype=float)
        n = len(self.percent)
        if n < 2 or np.any(np.diff(self.percent) <= 0):
            raise ValueError(f"{self.name}: percent must increase strictly (got {n} samples)")
        self.activations = np.asarray(self.activations, dtype=float)
        if self.activations.shape != (len(self.muscle_names), n):
            raise ValueError(
                f"{self.name}: activations have shape {self.activations.shape}, "
                f"expected ({len(self.muscle_names)}, {n})"
            )
        for k, v in self.coordinates.items():
            if len(v) != n:
                raise ValueError(f"{self.name}: coordinate {k} has {len(v)} samples, expected {n}")
        self.contact_r = np.asarray(self.contact_r, dtype=bool)
        self.contact_l = np.asarray(self.contact_l, dtype=bool)
        self._muscle_index = {m: i for i, m in enumerate(self.muscle_names)}

    # ------------------------------------------------------------------ look-ups
    @property
    def n_samples(self) -> int:
        return len(self.percent)

    def muscle_index(self, name: str) -> int:
        return self._muscle_index[name]

    def activation(self, muscle: str) -> np.ndarray:
        return self.activations[self._muscle_index[muscle]]

    def _nearest(self, i: int, u: float) -> int:
        from anatomy_viewer.gait.sampling import nearest

        return nearest(i, u)

    def _locate(self, percent: float) -> tuple[int, float]:
        """Sample index and fraction for linear interpolation at ``percent``
        (:func:`anatomy_viewer.gait.sampling.locate`)."""
        from anatomy_viewer.gait.sampling import locate

        return locate(self, percent)

    def sample(self, percent: float) -> Frame:
        """The frame at ``percent`` (wrapped into 0..100 for a periodic cycle), interpolated."""
        i, u = self._locate(percent)
        coords = {k: float(v[i] * (1 - u) + v[i + 1] * u) for k, v in self.coordinates.items()}
        act = self.activations[:, i] * (1 - u) + self.activations[:, i + 1] * u
        j = self._nearest(i, u)
        return Frame(float(percent), coords, act, bool(self.contact_r[j]), bool(self.contact_l[j]))

    def coordinate_frames(self) -> list[dict[str, float]]:
        """Every sample's coordinates as a dict (the input of ``LegModel.pose_sequence``)."""
        keys = list(self.coordinates)
        arr = np.array([self.coordinates[k] for k in keys])
        return [dict(zip(keys, arr[:, i].tolist(), strict=True)) for i in range(self.n_samples)]

    def phase_at(self, side: str, percent: float) -> str:
        """Name of the phase of leg ``side`` at ``percent`` ("stance"/"swing" if no phases)."""
        for ph in self.phases:
            if ph.side == side and ph.contains(percent):
                return ph.name
        i, u = self._locate(percent)
        j = self._nearest(i, u)
        contact = self.contact_r if side == "r" else self.contact_l
        return "stance" if contact[j] else "swing"

    def events_of(self, side: str | None = None) -> list[Event]:
        return sorted(
            (e for e in self.events if side is None or e.side == side), key=lambda e: e.percent
        )
