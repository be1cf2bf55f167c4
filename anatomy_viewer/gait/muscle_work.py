"""Who does the work: each muscle's force, power and work over a stride.

A muscle's **power** is its tension times its shortening velocity, ``P = F x (-v)``: positive
while it shortens under tension (it *generates* work, driving the body), negative while it
lengthens under tension (it *absorbs* work, braking the body). Over a stride the positive and
negative parts integrate to the muscle's positive and negative **work** (J).

Where the forces come from:

- a gait cycle (:func:`cycle_muscle_power`; a built-in gait, or a trial with simulated
  activations): :func:`~anatomy_viewer.gait.energy.cycle_muscle_forces`, the function the
  cycle's CSV export writes its ``force_`` and ``power_`` columns with: MyoLeg posed with the
  cycle's coordinates, each muscle's tension its activation times MuJoCo's force at full
  activation at its length and speed plus its passive force (the very forces static
  optimisation balances the joint moments with), its power the tension times its shortening
  speed;
- an animation that carries its own forces and power (:func:`animation_muscle_power`);
- a static-optimisation result (:func:`activity_muscle_power`): its own forces and velocities,
  resampled over one stride.

MuJoCo's muscles have rigid tendons: the fibres lengthen and shorten with the whole muscle-tendon
unit, so this is the fibres' power too, and work that people's tendons store and give back (the
Achilles tendon above all) is done here by the fibres. Activations that are measured EMG scaled
to peak 1 are not activations in this sense, and give no forces: :func:`power_source_problem`
says why a cycle cannot be used.

numpy + MuJoCo (through the anatomy layer); no Qt, no VTK.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.gait.cycle import Event, GaitCycle
from anatomy_viewer.gait.energy import activity_stride, activity_window, cycle_muscle_forces
from anatomy_viewer.gait.muscle_activity import MuscleActivity

if TYPE_CHECKING:
    from anatomy_viewer.anatomy.dynamics import LegDynamics
    from anatomy_viewer.gait.animation import CycleAnimation

FORCES_FROM_CYCLE = "activation x MuJoCo's muscle force at full activation, plus the passive force"
FORCES_FROM_OPTIMISATION = "static optimisation's muscle forces"
VASTI = ("vaslat", "vasmed", "vasint")
CALVES = ("gasmed", "gaslat", "soleus")
#: The hip extensors: gluteus maximus and the hamstrings that cross the hip (the short head of
#: biceps femoris crosses the knee only).
HIP_EXTENSORS = ("glmax1", "glmax2", "glmax3", "bflh", "semimem", "semiten")


# ------------------------------------------------------------------ power and work
@dataclass(frozen=True)
class GroupWork:
    """Work of one muscle group of one leg over the stride (J)."""

    key: str
    name: str
    colour: str
    muscles: tuple[str, ...]
    positive: float  # generated
    negative: float  # absorbed (a negative number)


@dataclass(frozen=True)
class MusclePower:
    """Every muscle's tension, power and work over one stride (arrays muscles x samples)."""

    name: str
    label: str
    muscle_names: tuple[str, ...]
    percent: np.ndarray  # (samples,) 0..100
    time: np.ndarray  # (samples,) s from the start of the stride
    forces: np.ndarray  # N: tension, active and passive
    power: np.ndarray  # W: tension x shortening speed (positive generating, negative absorbing)
    source: str  # where the forces come from
    events: tuple[Event, ...] = ()
    periodic: bool = True

    def index(self, muscle: str) -> int:
        try:
            return self.muscle_names.index(muscle)
        except ValueError:
            raise KeyError(f"no muscle {muscle!r} in {self.label}") from None

    def muscle_power(self, muscle: str) -> np.ndarray:
        return self.power[self.index(muscle)]

    def _select(self, start: float, end: float) -> tuple[np.ndarray, np.ndarray]:
        """(time, power) from ``start`` to ``end`` % of the stride, the ends interpolated."""
        if not 0.0 <= start < end <= 100.0:
            raise ValueError(f"a window of the stride runs within 0..100 %, not {start}..{end}")
        inner = (self.percent > start) & (self.percent < end)
        pct = np.concatenate([[start], self.percent[inner], [end]])
        time = np.interp(pct, self.percent, self.time)
        p = self.power
        power = np.stack([np.interp(pct, self.percent, row) for row in p])
        return time, power

    def work(self, start: float = 0.0, end: float = 100.0) -> tuple[np.ndarray, np.ndarray]:
        """(positive, negative) work of every muscle (J) from ``start`` to ``end`` % of the
        stride: the time integrals of the power's positive and negative parts (the negative
        work is a negative number)."""
        time, power = self._select(start, end)
        pos = np.trapezoid(np.maximum(power, 0.0), time, axis=1)
        neg = np.trapezoid(np.minimum(power, 0.0), time, axis=1)
        return pos, neg

    def muscle_work(self, muscles: Sequence[str], start: float = 0.0, end: float = 100.0):
        """(positive, negative) work (J) of the named muscles together, from ``start`` to
        ``end`` % of the stride: each muscle's parts summed (a muscle absorbing while another
        generates is counted in both)."""
        pos, neg = self.work(start, end)
        idx = [self.index(m) for m in muscles]
        return float(pos[idx].sum()), float(neg[idx].sum())

    def group_work(self, side: str = "r") -> list[GroupWork]:
        """Each muscle group's positive and negative work on leg ``side``, catalogue order."""
        pos, neg = self.work()
        out = []
        for g in catalogue().groups:
            names = tuple(f"{b}_{side}" for b in g.bases if f"{b}_{side}" in self.muscle_names)
            if names:
                idx = [self.index(m) for m in names]
                out.append(
                    GroupWork(
                        g.key, g.name, g.colour, names, float(pos[idx].sum()), float(neg[idx].sum())
                    )
                )
        return out

    def net_work(self) -> float:
        """The muscles' net work over the stride (J): near zero on level ground at a steady
        speed, since what is generated is absorbed again within the stride."""
        pos, neg = self.work()
        return float(pos.sum() + neg.sum())

    def first_event(self, side: str, kind: str) -> float | None:
        """Percent of leg ``side``'s first event ``kind`` ("initial_contact", "toe_off")."""
        found = sorted(e.percent for e in self.events if e.side == side and e.kind == kind)
        return found[0] if found else None


@dataclass(frozen=True)
class StrideClaims:
    """The article's claims about who does the work, as (positive, negative) work in J of one
    leg's muscles. Stance is split at its middle: the first half takes the landing, the second
    pushes off."""

    toe_off: float  # percent
    vasti_early: tuple[float, float]  # first half of stance
    calves_early: tuple[float, float]  # first half of stance
    calves_late: tuple[float, float]  # second half of stance
    hip_extensors_stance: tuple[float, float]  # the whole stance


def stride_claims(power: MusclePower, side: str = "r") -> StrideClaims | None:
    """:class:`StrideClaims` of leg ``side`` (None for a stride without that leg's toe-off,
    e.g. a whole trial shown in time, or without the muscles)."""
    toe_off = power.first_event(side, "toe_off")
    if not power.periodic or toe_off is None or toe_off <= 0:
        return None
    names = set(power.muscle_names)

    def leg(bases: Sequence[str]) -> list[str]:
        return [f"{b}_{side}" for b in bases if f"{b}_{side}" in names]

    vasti, calves, extensors = leg(VASTI), leg(CALVES), leg(HIP_EXTENSORS)
    if not (vasti and calves and extensors):
        return None
    mid = toe_off / 2.0
    return StrideClaims(
        toe_off=toe_off,
        vasti_early=power.muscle_work(vasti, 0.0, mid),
        calves_early=power.muscle_work(calves, 0.0, mid),
        calves_late=power.muscle_work(calves, mid, toe_off),
        hip_extensors_stance=power.muscle_work(extensors, 0.0, toe_off),
    )


def power_source_problem(cycle: GaitCycle) -> str | None:
    """Why ``cycle``'s activations give no muscle forces (None: they do): measured EMG scaled
    to peak 1, or no activation data."""
    kinds = {p.kind for p in cycle.provenance.values()}
    if "measured" in kinds:
        return (
            "its activations are measured EMG, each scaled to peak 1: they give the timing of "
            "a muscle's activity, not its force"
        )
    if not kinds or kinds == {"none"}:
        return "it has no muscle activations"
    if not cycle.coordinates:
        return "it has no joint angles"
    return None


def cycle_muscle_power(cycle: GaitCycle, dyn: LegDynamics | None = None) -> MusclePower:
    """Every muscle's tension, power and work over ``cycle`` (see the module documentation).

    The tension is the cycle's activation times MuJoCo's force at full activation at the
    muscle's length and velocity, plus the passive force; the power is the tension times the
    shortening velocity. Raises ValueError when the cycle's activations give no forces
    (:func:`power_source_problem`)."""
    problem = power_source_problem(cycle)
    if problem is not None:
        raise ValueError(f"no muscle power for {cycle.label}: {problem}")
    forces, power = cycle_muscle_forces(cycle, dyn)
    return _from_cycle(cycle, forces, power, FORCES_FROM_CYCLE)


def animation_muscle_power(animation: CycleAnimation) -> MusclePower:
    """The power of an animation that carries its own forces and power (an opened trial: those
    its CSV export writes), else :func:`cycle_muscle_power` of its cycle."""
    if animation.forces is None or animation.power is None:
        return cycle_muscle_power(animation.cycle)
    problem = power_source_problem(animation.cycle)
    if problem is not None:
        raise ValueError(f"no muscle power for {animation.cycle.label}: {problem}")
    return _from_cycle(animation.cycle, animation.forces, animation.power, FORCES_FROM_CYCLE)


def _from_cycle(cycle: GaitCycle, forces: np.ndarray, power: np.ndarray, source: str):
    stride_time = float(cycle.stride_time)
    if not (stride_time > 0 and np.isfinite(stride_time)):
        raise ValueError(f"the stride must last a positive time, not {cycle.stride_time} s")
    return MusclePower(
        name=cycle.name,
        label=cycle.label,
        muscle_names=tuple(cycle.muscle_names),
        percent=np.asarray(cycle.percent, float),
        time=np.asarray(cycle.percent, float) / 100.0 * stride_time,
        forces=np.asarray(forces, float),
        power=np.asarray(power, float),
        source=source,
        events=tuple(cycle.events),
        periodic=cycle.periodic,
    )


@cache
def _builtin(name: str, samples: int) -> MusclePower:
    from anatomy_viewer.gait.library import load_gait

    return cycle_muscle_power(load_gait(name, samples))


def builtin_muscle_power(name: str, samples: int = 201) -> MusclePower:
    """:func:`cycle_muscle_power` of a built-in gait (computed once per process)."""
    return _builtin(name, int(samples))


def activity_muscle_power(
    activity: MuscleActivity,
    window: tuple[float, float] | None = None,
    samples: int = 101,
    *,
    name: str = "trial",
    label: str | None = None,
) -> MusclePower:
    """Power and work from static optimisation's own forces and velocities over ``window``
    (s; default its first full right stride, else the whole trial), resampled to ``samples``
    points of 0..100 %."""
    a, b = window if window is not None else activity_window(activity)
    percent, resample = activity_stride(activity, (a, b), samples)
    t = a + percent / 100.0 * (b - a)
    events = []
    for side in ("r", "l"):
        for kind, times in (
            ("initial_contact", activity.heel_strikes.get(side, ())),
            ("toe_off", activity.toe_offs.get(side, ())),
        ):
            for x in np.asarray(times, float):
                if a - 1e-9 <= x < b - 1e-9:
                    events.append(Event(side, kind, float((x - a) / (b - a) * 100.0)))  # type: ignore[arg-type]
    return MusclePower(
        name=name,
        label=label or f"{name}: {a:.3g}-{b:.3g} s",
        muscle_names=tuple(activity.muscle_names),
        percent=percent,
        time=t - a,
        forces=resample(activity.forces).T,
        power=resample(activity.power).T,
        source=FORCES_FROM_OPTIMISATION,
        events=tuple(events),
        periodic=bool(activity.stride_windows()),
    )
