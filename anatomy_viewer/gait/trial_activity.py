"""A recorded trial made ready to show: muscle activity, foot events and muscle forces.

What the window's File > Open, ``anatomy-viewer open`` and every headless command given
``--motion`` do with the files of a trial, in one place:

- a motion without activations gets them estimated by inverse dynamics and static optimisation
  (:func:`~anatomy_viewer.gait.muscle_activity.estimate_activations`, cached per input in the
  user's cache folder), with the measured ground forces when there is a force file, else with
  forces estimated from the motion; the result says which forces were used and how large the
  residuals were (:attr:`TrialCycle.summary`). A force file that inverse dynamics cannot use
  (one without a centre of pressure) gives way to estimated forces, said in a note; a motion it
  cannot use leaves the leg at rest, said too. ``estimate=False`` keeps the leg at rest;
- a trial without a force file gets its foot strikes and toe-offs from the motion
  (:func:`~anatomy_viewer.gait.inverse_dynamics.kinematic_contacts`), so the timeline shows
  each leg's stance and swing; the trial is still shown whole, in time;
- every muscle's tension and power over the cycle, from the cycle's activations on MyoLeg as
  for the built-in gaits (:attr:`TrialCycle.forces`, :attr:`TrialCycle.power`; static
  optimisation's own forces, on the filtered motion, stay in :attr:`TrialCycle.activity`).

numpy + the anatomy layer; no Qt, no VTK.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.export import has_activation_data
from anatomy_viewer.gait.kinematic_events import KinematicContacts
from anatomy_viewer.gait.muscle_activity import (
    Cancelled,
    MuscleActivity,
    estimate_activations,
)
from anatomy_viewer.gait.opensim_forces import ContactEvents
from anatomy_viewer.gait.opensim_table import OpenSimFileError
from anatomy_viewer.gait.trial import Trial

#: Progress of the work: (fraction done 0..1, what is being done).
Progress = Callable[[float, str], None]
#: The share of the progress bar the estimate takes (cutting and posing follow).
ESTIMATE_SHARE = 0.9

__all__ = [
    "Cancelled",
    "TrialCycle",
    "motion_events",
    "trial_cycle",
]


@dataclass
class TrialCycle:
    """A trial's cycle and what was computed for it."""

    cycle: GaitCycle
    #: Static optimisation's result over the trial, when the activity was estimated.
    activity: MuscleActivity | None = None
    #: (muscles, samples) muscle tension (N) and power (W) on the cycle's samples, where the
    #: cycle has activations: computed from them on MyoLeg at the cycle's own lengths and
    #: speeds (:func:`~anatomy_viewer.gait.energy.cycle_muscle_forces`), as for the built-in
    #: gaits, so the same cycle read back with its activations has the same forces.
    forces: np.ndarray | None = None
    power: np.ndarray | None = None
    #: What the user should read first: whether and how muscle activity was estimated, the
    #: forces used and the residuals (also the first of ``cycle.notes``).
    summary: list[str] = field(default_factory=list)

    @property
    def estimated(self) -> bool:
        return self.activity is not None


def motion_events(contacts: KinematicContacts) -> ContactEvents:
    """Foot events found from the motion as the force plates' events are given: each foot
    is down from a foot strike to the next toe-off (and from the start of the recording to a
    first toe-off that comes before any strike), as
    :func:`~anatomy_viewer.gait.kinematic_events.detect_contacts` has them."""
    time = np.asarray(contacts.time, float)
    before, after = float(time[0]) - 1.0, float(time[-1]) + 1.0
    intervals: dict[str, list[tuple[float, float]]] = {}
    for side in ("r", "l"):
        strikes = np.asarray(contacts.heel_strikes[side], float)
        offs = np.asarray(contacts.toe_offs[side], float)
        spans: list[tuple[float, float]] = []
        if len(offs) and (not len(strikes) or offs[0] < strikes[0]):
            spans.append((before, float(offs[0])))
        for a in strikes:
            later = offs[offs > a]
            spans.append((float(a), float(later[0]) if len(later) else after))
        merged: list[list[float]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        intervals[side] = [(a, b) for a, b in merged]
    return ContactEvents(
        time=time,
        contact={s: np.asarray(contacts.contact[s], bool) for s in ("r", "l")},
        intervals=intervals,
        heel_strikes={s: np.asarray(contacts.heel_strikes[s], float) for s in ("r", "l")},
        toe_offs={s: np.asarray(contacts.toe_offs[s], float) for s in ("r", "l")},
        threshold=float("nan"),
    )


def _activity_contacts(activity: MuscleActivity) -> KinematicContacts:
    return KinematicContacts(
        time=activity.time,
        contact={"r": activity.contact[:, 0], "l": activity.contact[:, 1]},
        heel_strikes=activity.heel_strikes,
        toe_offs=activity.toe_offs,
        method="",
    )


def _estimate(
    trial: Trial,
    mass: float | None,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
    notes: list[str],
) -> MuscleActivity | None:
    """Static optimisation of the trial, or None (with a note saying why)."""
    motion = trial.files.motion
    grf = trial.files.grf

    def step(fraction: float) -> None:
        if progress is not None:
            progress(
                ESTIMATE_SHARE * fraction,
                "Estimating muscle activity (inverse dynamics and static optimisation)…",
            )

    try:
        return estimate_activations(motion, grf, mass=mass, progress=step, cancel=cancel)
    except OpenSimFileError as exc:
        if grf is None or exc.path != grf:
            notes.append(_not_estimated(exc))
            return None
        notes.append(f"{_said(exc)}; the ground forces were estimated from the motion instead")
    try:
        return estimate_activations(motion, None, mass=mass, progress=step, cancel=cancel)
    except OpenSimFileError as exc:
        notes.append(_not_estimated(exc))
        return None


def _said(exc: OpenSimFileError) -> str:
    return str(exc).rstrip(".")


def _not_estimated(exc: OpenSimFileError) -> str:
    return f"muscle activity could not be estimated: {_said(exc)}; the leg is shown at rest"


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def trial_cycle(
    trial: Trial,
    *,
    estimate: bool = True,
    mass: float | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    report_unmapped: bool = True,
) -> TrialCycle:
    """The trial's cycle with its muscle activity, foot events and forces (see the module).

    ``mass``: the subject's mass (kg) for the estimate. ``progress(fraction, what)`` is called
    as the work goes on (an exception it raises stops the work and propagates); ``cancel()``
    returning True stops the estimate with :class:`Cancelled`. ``report_unmapped``: as for
    :meth:`~anatomy_viewer.gait.trial.Trial.to_cycle`. Raises
    :class:`OpenSimFileError` for files that cannot be cut into a cycle (as
    :meth:`Trial.to_cycle`); ``ValueError`` for a mass outside 10..400 kg.
    """
    if mass is not None and not (np.isfinite(mass) and 10.0 <= mass <= 400.0):
        raise ValueError(f"the subject's mass must be 10..400 kg, not {mass:g}")
    notes: list[str] = []
    summary: list[str] = []
    activity = None
    if estimate and trial.activations is None and trial.files.motion is not None:
        activity = _estimate(trial, mass, progress, cancel, summary)
    if activity is not None:
        forces = "measured" if activity.forces_source == "measured" else "estimated"
        summary.insert(
            0,
            "muscle activity estimated by this program (inverse dynamics and static "
            f"optimisation of the model's 80 muscles, ground forces {forces})",
        )
        summary += [line for line in activity.summary_lines() if not line.startswith("ground")]
        source = f"static optimisation of {trial.motion.path.name}, ground forces {forces}"
        trial = replace(trial, activations=activity.to_activations(source))
    elif trial.activations is None and not estimate:
        summary.append("muscle activity not estimated (as asked): every muscle is shown at rest")

    events = None
    if trial.grf is None:
        if progress is not None:
            progress(ESTIMATE_SHARE, "Finding the foot strikes and toe-offs from the motion…")
        contacts = _activity_contacts(activity) if activity is not None else None
        if contacts is None:
            contacts = _contacts_from_motion(trial, notes)
        if contacts is not None:
            events = motion_events(contacts)
    if progress is not None:
        progress(ESTIMATE_SHARE, "Cutting the stride…")
    cycle = trial.to_cycle(events=events, report_unmapped=report_unmapped)
    cycle.notes = _unique(summary + notes + cycle.notes)
    result = TrialCycle(cycle, activity, summary=summary)
    if has_activation_data(cycle):
        from anatomy_viewer.gait.energy import cycle_muscle_forces
        from anatomy_viewer.gait.muscle_activity import shared_dynamics

        result.forces, result.power = cycle_muscle_forces(cycle, shared_dynamics())
    return result


def _contacts_from_motion(trial: Trial, notes: list[str]) -> KinematicContacts | None:
    from anatomy_viewer.gait.inverse_dynamics import kinematic_contacts
    from anatomy_viewer.gait.muscle_activity import shared_dynamics

    try:
        contacts = kinematic_contacts(trial.motion, shared_dynamics())
    except OpenSimFileError as exc:
        notes.append(f"foot contacts could not be found from the motion: {exc.problem}")
        return None
    notes.append("foot contacts from the motion: " + contacts.method)
    return contacts
