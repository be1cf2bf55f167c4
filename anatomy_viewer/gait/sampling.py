"""What is shown at one instant of a cycle: one way to sample a gait for every view.

The 3-D view, the panels, the plots and the picture captions all ask this module what the leg
does at a percent of the cycle, so that they agree to the sample:

- continuous values (coordinates, activations, muscle forces when an animation has them) are
  interpolated linearly between the two samples around the instant;
- categories (contraction mode, foot contact) come from the nearest sample, the later one on a
  tie (:func:`nearest_index`);
- a periodic cycle wraps (100 % is 0 %); a whole trial (not periodic) is clamped to its ends.

Captions say where the instant is: "23.5 %" of a stride, or "1.25 s" into a whole trial
(:func:`position_text`), then each leg's phase (:func:`phase_text`, :func:`caption_text`).

numpy only; no Qt, no VTK.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.navigation import EVENT_NAMES, events_at, sample_step

if TYPE_CHECKING:
    from anatomy_viewer.gait.animation import CycleAnimation

SIDE_WORDS = {"r": "right", "l": "left"}


# ------------------------------------------------------------------------------ locating
def locate(cycle: GaitCycle, percent: float) -> tuple[int, float]:
    """(i, u): the instant lies between samples i and i + 1, a fraction u of the way."""
    p = float(percent)
    if cycle.periodic:
        p = p % 100.0
    grid = cycle.percent
    p = min(max(p, grid[0]), grid[-1])
    i = int(np.searchsorted(grid, p, side="right") - 1)
    i = min(max(i, 0), cycle.n_samples - 2)
    return i, float((p - grid[i]) / (grid[i + 1] - grid[i]))


def nearest(i: int, u: float) -> int:
    """The nearer of samples i and i + 1 to a point a fraction u between them (the later one
    on a tie): the one rule by which categories are read."""
    return i if u < 0.5 else i + 1


def nearest_index(cycle: GaitCycle, percent: float) -> int:
    """The sample nearest to ``percent`` (the later one on a tie): where categories come from."""
    return nearest(*locate(cycle, percent))


def interpolate(cycle: GaitCycle, values: np.ndarray, percent: float) -> np.ndarray | float:
    """``values`` (..., n_samples) at ``percent``, linearly interpolated along the last axis."""
    i, u = locate(cycle, percent)
    v = np.asarray(values)
    out = v[..., i] * (1.0 - u) + v[..., i + 1] * u
    return float(out) if np.ndim(out) == 0 else out


def activation_at(cycle: GaitCycle, muscle: str, percent: float) -> float:
    """Activation (0..1) of ``muscle`` (a model name) at ``percent``."""
    return float(interpolate(cycle, cycle.activation(muscle), percent))


def mode_at(animation: CycleAnimation, muscle: str, percent: float) -> int | None:
    """Contraction mode code of ``muscle`` at ``percent``; None when modes are not known."""
    if animation.modes is None:
        return None
    cycle = animation.cycle
    return int(animation.modes[cycle.muscle_index(muscle), nearest_index(cycle, percent)])


def force_at(animation: CycleAnimation, muscle: str, percent: float) -> float | None:
    """Muscle force (N) of ``muscle`` at ``percent`` when the animation has forces, else None."""
    forces = animation.forces
    if forces is None:
        return None
    cycle = animation.cycle
    return float(interpolate(cycle, forces[cycle.muscle_index(muscle)], percent))


# ------------------------------------------------------------------------------ one muscle
@dataclass(frozen=True)
class MuscleInstant:
    """What one muscle does at one instant."""

    muscle: str
    percent: float
    activation: float | None  # None: the motion has no activation for this muscle
    mode: int | None  # ContractionMode code, None when not known
    force: float | None  # newtons, None when the animation has no forces


def muscle_at(animation: CycleAnimation, muscle: str, percent: float) -> MuscleInstant:
    """Activation, contraction mode and force of ``muscle`` at ``percent`` of ``animation``."""
    cycle = animation.cycle
    if muscle not in cycle.muscle_names:
        return MuscleInstant(muscle, float(percent), None, None, None)
    prov = cycle.provenance.get(muscle)
    has_data = prov is None or prov.kind != "none"
    return MuscleInstant(
        muscle,
        float(percent),
        activation_at(cycle, muscle, percent) if has_data else None,
        mode_at(animation, muscle, percent),
        force_at(animation, muscle, percent),
    )


# ------------------------------------------------------------------------------ captions
def seconds_at(cycle: GaitCycle, percent: float) -> float:
    """Time (s) from the start of the cycle or trial at ``percent``."""
    return float(percent) / 100.0 * cycle.stride_time


def position_text(cycle: GaitCycle | None, percent: float, digits: int = 1) -> str:
    """Where the instant is: "23.5 %" of a stride, or "1.25 s" into a whole trial."""
    if cycle is not None and not cycle.periodic:
        return f"{seconds_at(cycle, percent):.2f} s"
    return f"{percent:{4 + digits}.{digits}f} %"


def contacts_known(cycle: GaitCycle) -> bool:
    """Whether the cycle says when the feet are on the ground (else phases mean nothing)."""
    return bool(cycle.phases) or bool(cycle.contact_r.any() or cycle.contact_l.any())


def phase_text(cycle: GaitCycle | None, percent: float) -> str:
    """ "23.5 %   right: mid-stance   left: initial swing", plus the foot event at that
    instant ("   • right toe-off") when there is one."""
    where = position_text(cycle, percent)
    if cycle is None:
        return where
    text = where
    if contacts_known(cycle):
        text += f"   right: {cycle.phase_at('r', percent)}   left: {cycle.phase_at('l', percent)}"
    at = events_at(cycle, percent, sample_step(cycle) / 2)
    if at:
        text += "   \u2022 " + ", ".join(
            f"{SIDE_WORDS.get(e.side, e.side)} {EVENT_NAMES.get(e.kind, e.kind)}" for e in at
        )
    return text


def caption_text(
    cycle: GaitCycle, percent: float, *, show_percent: bool = True, show_phase: bool = True
) -> str:
    """The caption of a picture or a video frame, two lines: the gait (or trial), then the
    percent of the stride (the time into a whole trial) and each leg's phase (left out when the
    cycle knows no foot contacts)."""
    parts = []
    if show_percent:
        if cycle.periodic:
            parts.append(f"{percent:.0f} % of the stride")
        else:
            parts.append(f"{seconds_at(cycle, percent):.2f} s into the trial")
    if show_phase and contacts_known(cycle):
        parts.append(
            f"right: {cycle.phase_at('r', percent)}    left: {cycle.phase_at('l', percent)}"
        )
    return "\n".join([cycle.label, *(["    ".join(parts)] if parts else [])])
