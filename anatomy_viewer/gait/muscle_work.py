"""Who does the work: each muscle's force, power and work over a stride.

A muscle's **power** is its tension times its shortening velocity, ``P = F x (-v)``: positive
while it shortens under tension (it *generates* work, driving the body), negative while it
lengthens under tension (it *absorbs* work, braking the body). Over a stride the positive and
negative parts integrate to the muscle's positive and negative **work** (J).

Where the forces come from:

- a gait cycle (:func:`cycle_muscle_power`; a built-in gait, or a trial with simulated
  activations): MyoLeg is posed with the cycle's coordinates, whose time derivatives over the
  stride give each muscle-tendon unit's lengthening velocity; MuJoCo's muscle model gives the
  force at full activation at that length and velocity and the passive force; the tension is
  the activation times the first plus the second, the very forces static optimisation balances
  the joint moments with (the way :mod:`anatomy_viewer.gait.energy` computes a stride's cost);
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

import numpy as np

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.anatomy.dynamics import LegDynamics
from anatomy_viewer.gait.cycle import Event, GaitCycle
from anatomy_viewer.gait.muscle_activity import MuscleActivity

FORCES_FROM_CYCLE = "activation x MuJoCo's muscle force at full activation, plus the passive force"
FORCES_FROM_OPTIMISATION = "static optimisation's muscle forces"
VASTI = ("vaslat", "vasmed", "vasint")
CALVES = ("gasmed", "gaslat", "soleus")
#: The hip extensors: gluteus maximus and the hamstrings that cross the hip (the short head of
#: biceps femoris crosses the knee only).
HIP_EXTENSORS = ("glmax1", "glmax2", "glmax3", "bflh", "semimem", "semiten")


# ------------------------------------------------------------------ posing a cycle
@dataclass(frozen=True)
class CycleMechanics:
    """MuJoCo's muscle states along a cycle, for the cycle's muscles (samples x muscles)."""

    muscle_names: tuple[str, ...]
    time: np.ndarray  # (samples,) s from the cycle's start
    lengths: np.ndarray  # m, muscle-tendon length
    velocities: np.ndarray  # m/s, lengthening velocity
    full_active_force: np.ndarray  # N, contractile force at full activation
    passive_force: np.ndarray  # N


def _time_derivative(values: np.ndarray, time: np.ndarray, periodic: bool) -> np.ndarray:
    """d values / d time along the first axis; a periodic stride (last sample = first) is
    differentiated across its seam."""
    if periodic:
        span = time[-1] - time[0]
        t = np.concatenate([[time[-2] - span], time, [time[1] + span]])
        v = np.concatenate([values[-2:-1], values, values[1:2]])
        return np.gradient(v, t, axis=0)[1:-1]
    edge = 2 if len(time) > 2 else 1
    return np.gradient(values, time, axis=0, edge_order=edge)


def is_closed(cycle: GaitCycle) -> bool:
    """True for a periodic cycle from 0 to 100 % whose last sample repeats its first."""
    p = cycle.percent
    if not cycle.periodic or len(p) < 3 or abs(p[0]) > 1e-9 or abs(p[-1] - 100.0) > 1e-9:
        return False
    return all(abs(float(v[-1] - v[0])) < 1e-3 for v in cycle.coordinates.values())


def check_stride_time(stride_time: float) -> float:
    t = float(stride_time)
    if not (t > 0.0 and np.isfinite(t)):
        raise ValueError(f"the stride must last a positive time, not {stride_time} s")
    return t


def model_index(dyn: LegDynamics, names: Sequence[str]) -> list[int]:
    index = {n: i for i, n in enumerate(dyn.muscle_names)}
    missing = [n for n in names if n not in index]
    if missing:
        raise KeyError(f"the leg model has no muscle(s) {', '.join(missing)}")
    return [index[n] for n in names]


def cycle_mechanics(cycle: GaitCycle, dyn: LegDynamics | None = None) -> CycleMechanics:
    """Pose MyoLeg along ``cycle``: each muscle's length, lengthening velocity (from the
    coordinates' time derivatives over the stride time), force at full activation and passive
    force at every sample. ``dyn``: a :class:`LegDynamics` to use (one per thread)."""
    dyn = dyn or LegDynamics()
    m = dyn.m
    stride_time = check_stride_time(cycle.stride_time)
    time = cycle.percent / 100.0 * stride_time
    names = list(cycle.coordinates)
    values = np.stack([np.asarray(cycle.coordinates[k], float) for k in names], axis=1)
    for side in ("r", "l"):  # the knee's coupled joints are defined within its range only
        knee = f"knee_angle_{side}"
        if knee in names:
            lo, hi = np.rad2deg(m.jnt_range[m.joint(knee).id])
            values[:, names.index(knee)] = np.clip(values[:, names.index(knee)], lo, hi)
    derivatives = _time_derivative(values, time, is_closed(cycle))
    n = len(time)
    zero = np.zeros((n, 3))
    coords = {k: values[:, i] for i, k in enumerate(names)}
    speeds = {k: derivatives[:, i] for i, k in enumerate(names)}
    frames = dyn.compute(dyn.kinematics(coords, speeds, {}, zero, zero, zero))
    idx = model_index(dyn, cycle.muscle_names)
    return CycleMechanics(
        muscle_names=tuple(cycle.muscle_names),
        time=time,
        lengths=frames.lengths[:, idx],
        velocities=frames.velocities[:, idx],
        full_active_force=np.maximum(frames.active_force[:, idx], 0.0),
        passive_force=np.maximum(frames.passive_force[:, idx], 0.0),
    )


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
    velocities: np.ndarray  # m/s: lengthening velocity
    source: str  # where the forces come from
    events: tuple[Event, ...] = ()
    periodic: bool = True

    @property
    def power(self) -> np.ndarray:
        """W: tension x shortening velocity (positive = generating, negative = absorbing)."""
        return -self.forces * self.velocities

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
    mech = cycle_mechanics(cycle, dyn)
    activation = np.clip(cycle.activations, 0.0, 1.0)
    forces = activation * mech.full_active_force.T + mech.passive_force.T
    return MusclePower(
        name=cycle.name,
        label=cycle.label,
        muscle_names=mech.muscle_names,
        percent=np.asarray(cycle.percent, float),
        time=mech.time,
        forces=forces,
        velocities=mech.velocities.T.copy(),
        source=FORCES_FROM_CYCLE,
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
    windows = activity.stride_windows()
    if window is None:
        window = windows[0] if windows else (float(activity.time[0]), float(activity.time[-1]))
    a, b = window
    t0, t1 = float(activity.time[0]), float(activity.time[-1])
    if not (t0 - 1e-9 <= a < b <= t1 + 1e-9):
        raise ValueError(
            f"the window {a:.4g}-{b:.4g} s is not within the trial ({t0:.4g}-{t1:.4g} s)"
        )
    if samples < 3:
        raise ValueError(f"at least 3 samples are needed, not {samples}")
    percent = np.linspace(0.0, 100.0, int(samples))
    t = a + percent / 100.0 * (b - a)

    def resample(values: np.ndarray) -> np.ndarray:
        return np.stack([np.interp(t, activity.time, values[:, j]) for j in range(values.shape[1])])

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
        forces=resample(activity.forces),
        velocities=resample(activity.velocities),
        source=FORCES_FROM_OPTIMISATION,
        events=tuple(events),
        periodic=bool(windows),
    )
