"""The built-in gait cycles: walking, running and sprinting.

Each cycle is rebuilt from a compact model in ``resources/gaits/<name>.toml`` (Fourier series of
the right leg's coordinates and muscle activations, stride time, speed, toe-off, provenance
and citations; ``tools/fit_gait_models.py`` documents how the models were fitted to published
data). The left leg is the right leg half a cycle later: the built-in cycles are symmetric.

numpy and the standard library only; no Qt, no VTK.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

import numpy as np

from anatomy_viewer.anatomy.names import COORDINATES, model_muscle_names
from anatomy_viewer.gait.cycle import Event, GaitCycle, Phase, Provenance
from anatomy_viewer.resources import load_toml

GAIT_NAMES: tuple[str, ...] = ("walking", "running", "sprinting")

#: Pelvis coordinates that change sign when the legs swap (rotations about the forward and
#: vertical axes); pelvis_tilt (about the lateral axis) does not.
_PELVIS_MIRRORED = ("pelvis_list", "pelvis_rotation")


def _series(spec: dict[str, Any], percent: np.ndarray) -> np.ndarray:
    """Evaluate ``mean + sum_k cos_k cos(k w) + sin_k sin(k w)``, w = 2 pi percent / 100."""
    w = 2.0 * np.pi * np.asarray(percent, float) / 100.0
    y = np.full_like(w, float(spec["mean"]))
    for k, (a, b) in enumerate(zip(spec["cos"], spec["sin"], strict=True), start=1):
        y += a * np.cos(k * w) + b * np.sin(k * w)
    return y


def _in_stance(percent: np.ndarray, initial_contact: float, toe_off: float) -> np.ndarray:
    return (np.asarray(percent) - initial_contact) % 100.0 < (toe_off - initial_contact) % 100.0


def _phases_walking(spec: dict[str, Any], toe_off: float) -> list[tuple[str, float, float]]:
    """Perry's phases scaled to this cycle's toe-off, for a leg whose contact is at 0 %."""
    nominal = float(spec["nominal_toe_off"])

    def scale(p: float) -> float:
        if p <= nominal:
            return p * toe_off / nominal
        return toe_off + (p - nominal) * (100.0 - toe_off) / (100.0 - nominal)

    return [(ph["name"], scale(ph["start"]), scale(ph["end"])) for ph in spec["phases"]]


def _phases_running(
    spec: dict[str, Any], toe_off: float, other_contact: float, other_toe_off: float
) -> list[tuple[str, float, float]]:
    """Absorption, propulsion, then swing split into flight while neither foot is down."""
    mid = toe_off * float(spec["stance_split"])
    out = [("absorption", 0.0, mid), ("propulsion", mid, toe_off)]
    # swing of this leg runs toe_off..100; the other foot is down other_contact..other_toe_off
    if toe_off < other_contact:
        out.append(("flight", toe_off, other_contact))
    swing_start = max(toe_off, other_contact)
    out.append(("swing", swing_start, min(other_toe_off, 100.0)))
    if other_toe_off < 100.0:
        out.append(("flight", other_toe_off, 100.0))
    return [p for p in out if p[2] > p[1]]


def _build(name: str, samples: int) -> GaitCycle:
    spec = load_toml("gaits", f"{name}.toml")
    phase_spec = load_toml("gaits", "phases.toml")[name]
    percent = np.linspace(0.0, 100.0, samples)
    toe_off = float(spec["toe_off_percent"])
    shift = {"r": 0.0, "l": 50.0}

    coords: dict[str, np.ndarray] = {}
    model_coords = spec["coordinates"]
    for c in COORDINATES:
        if c in model_coords:  # pelvis
            coords[c] = _series(model_coords[c], percent)
            continue
        base, side = c[:-2], c[-1]
        if base in model_coords:
            coords[c] = _series(model_coords[base], percent - shift[side])
        else:
            coords[c] = np.zeros(samples)  # subtalar and mtp are not modelled
    for c in _PELVIS_MIRRORED:
        # the model is antisymmetric (odd harmonics only): half a cycle later it is the mirror
        # image, as the left leg's step must be. Checked here so that a refit cannot break it.
        later = _series(model_coords[c], percent - 50.0)
        if not np.allclose(later, -coords[c], atol=1e-6):
            raise ValueError(f"{name}: {c} is not left-right symmetric in the resource file")

    muscle_names = model_muscle_names()
    muscles = spec["muscles"]
    activations = np.zeros((len(muscle_names), samples))
    provenance: dict[str, Provenance] = {}
    for i, m in enumerate(muscle_names):
        base, side = m[:-2], m[-1]
        ms = muscles[base]
        activations[i] = np.clip(_series(ms, percent - shift[side]), 0.0, 1.0)
        provenance[m] = Provenance(ms["provenance"], ms["source"])

    contact_r = _in_stance(percent, 0.0, toe_off)
    contact_l = _in_stance(percent, 50.0, 50.0 + toe_off)
    events = [
        Event("r", "initial_contact", 0.0),
        Event("r", "toe_off", toe_off),
        Event("l", "initial_contact", 50.0),
        Event("l", "toe_off", (50.0 + toe_off) % 100.0),
    ]

    if phase_spec["scheme"] == "perry":
        leg_phases = _phases_walking(phase_spec, toe_off)
    else:
        leg_phases = _phases_running(phase_spec, toe_off, 50.0, 50.0 + toe_off)
    phases = []
    for side in ("r", "l"):
        for ph_name, start, end in leg_phases:
            s, e = start + shift[side], end + shift[side]
            if s >= 100.0:
                s, e = s - 100.0, e - 100.0
            if e > 100.0:
                e -= 100.0  # wraps around the end of the cycle: start > end
            phases.append(Phase(side, ph_name, s, e))

    return GaitCycle(
        name=name,
        label=spec["label"],
        stride_time=float(spec["stride_time"]),
        percent=percent,
        coordinates=coords,
        muscle_names=muscle_names,
        activations=activations,
        contact_r=contact_r,
        contact_l=contact_l,
        provenance=provenance,
        events=events,
        phases=phases,
        speed=float(spec["speed"]),
        source=" ".join(spec["notes"]) + " Sources: " + " | ".join(spec["citations"].values()),
        periodic=True,
    )


@cache
def _cached(name: str, samples: int) -> GaitCycle:
    return _build(name, samples)


def load_gait(name: str, samples: int = 201) -> GaitCycle:
    """The built-in cycle ``name`` (one of GAIT_NAMES) sampled at ``samples`` points on 0..100 %.

    Built once per (name, samples) and cached; every call returns an independent copy.
    """
    if name not in GAIT_NAMES:
        raise ValueError(f"unknown gait {name!r}; valid gaits: {', '.join(GAIT_NAMES)}")
    if samples < 2:
        raise ValueError(f"samples must be at least 2, got {samples}")
    return copy.deepcopy(_cached(name, int(samples)))


def gait_info(name: str) -> dict[str, Any]:
    """The resource file's metadata of a built-in gait: label, notes, citations, timing."""
    if name not in GAIT_NAMES:
        raise ValueError(f"unknown gait {name!r}; valid gaits: {', '.join(GAIT_NAMES)}")
    spec = load_toml("gaits", f"{name}.toml")
    keys = ("name", "label", "stride_time", "speed", "toe_off_percent", "notes", "citations")
    return {k: copy.deepcopy(spec[k]) for k in keys}
