"""What a stride costs in energy, muscle by muscle: the muscle energy model on MyoLeg.

For a gait cycle (built in, or a trial with activations) :func:`gait_energy` computes, for every
muscle and sample, what the energy model of :mod:`anatomy_viewer.anatomy.energetics` needs, from
MuJoCo's own muscle model of MyoLeg, the one static optimisation uses
(:class:`~anatomy_viewer.anatomy.dynamics.LegDynamics` and
:mod:`~anatomy_viewer.anatomy.muscle_fibres`):

- the joint coordinates and their time derivatives pose the model and give each muscle's
  length and lengthening velocity; MuJoCo's tendons are rigid, so the fibres lengthen and shorten
  with the whole muscle-tendon unit, and the normalised fibre length, the force-length factor and
  the optimal fibre length are MuJoCo's;
- the contractile force is the activation times MuJoCo's force at full activation at that length
  and velocity (exactly the active force static optimisation balances the joint moments with);
  where static optimisation's own result is at hand, :func:`activity_energy` uses its forces,
  lengths and velocities frame by frame instead of re-posing the cycle;
- each muscle's mass is its share of the MRI volume of its anatomical muscle (Handsfield et al.
  2014, shared among the model lines as the drawn bodies share it,
  :mod:`~anatomy_viewer.anatomy.architecture`) times the density of muscle;
- its share of slow fibres comes from the composition table; excitation is taken equal to the
  activation (static optimisation has no activation dynamics).

The result, :class:`GaitEnergy`, holds every muscle's metabolic rate over the cycle (W) and the
body's cost over the stride in W/kg and J/kg/m; :meth:`GaitEnergy.summary` gives what the window
shows per gait (totals, each anatomical muscle's and each group's share). Costs are **net** (above
rest) and count the legs' 80 muscles only; ``gross_*`` add the whole body's standing rate.

numpy + MuJoCo (through the anatomy layer); no Qt, no VTK.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from anatomy_viewer.anatomy.architecture import CM3, line_volumes, muscle_bodies
from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.anatomy.dynamics import LegDynamics, load_myoleg_with_back
from anatomy_viewer.anatomy.energetics import (
    EnergyModel,
    MuscleEnergyRates,
    energy_constants,
    muscle_energy_rates,
    muscle_mass,
)
from anatomy_viewer.anatomy.fibre_types import fibre_types, type1_fraction
from anatomy_viewer.anatomy.muscle_fibres import (
    fibre_parameters,
    force_length_factor,
    normalised_fibre_length,
)
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.fibre_use import StrideEnergy, stride_energy
from anatomy_viewer.gait.muscle_activity import MuscleActivity
from anatomy_viewer.resources import load_toml

#: Energy model used unless another is asked for (see ``anatomy.energetics.ENERGY_MODELS``).
DEFAULT_MODEL: EnergyModel = "umberger2010"

FORCES_FROM_ACTIVATIONS = "activations x MuJoCo's muscle force at full activation"
FORCES_FROM_OPTIMISATION = "static optimisation's muscle forces"


@dataclass(frozen=True)
class MuscleStates:
    """What the energy model needs, per muscle (rows) and sample (columns) of one stride."""

    muscle_names: tuple[str, ...]
    percent: np.ndarray  # (samples,) 0..100
    activation: np.ndarray  # 0..1
    fiber_length: np.ndarray  # fibre length / optimal fibre length
    fiber_velocity: np.ndarray  # m/s, negative while shortening
    active_force: np.ndarray  # N, contractile force (without the passive part)
    force_length: np.ndarray  # isometric active force-length factor, 0..1
    optimal_fiber_length: np.ndarray  # (muscles,) m
    mass: np.ndarray  # (muscles,) kg
    type1: np.ndarray  # (muscles,) share of slow fibres, 0..1
    forces: str  # where the forces come from

    def rates(self, model: EnergyModel = DEFAULT_MODEL) -> MuscleEnergyRates:
        """Every muscle's metabolic rate (W) at every sample."""
        return muscle_energy_rates(
            model,
            activation=self.activation,
            fiber_length=self.fiber_length,
            fiber_velocity=self.fiber_velocity,
            active_force=self.active_force,
            force_length=self.force_length,
            optimal_fiber_length=self.optimal_fiber_length,
            mass=self.mass,
            type1=self.type1,
        )


# ------------------------------------------------------------------ per-muscle constants


@cache
def _model_masses() -> dict[str, float]:
    m = load_myoleg_with_back()
    names = tuple(m.actuator(i).name for i in range(m.nu))
    forces = np.array([m.actuator_gainprm[i, 2] for i in range(m.nu)], dtype=float)
    volumes_cm3 = line_volumes(muscle_bodies(names, forces), forces) / CM3
    return dict(zip(names, muscle_mass(volumes_cm3).tolist(), strict=True))


def muscle_masses(muscle_names: Sequence[str]) -> np.ndarray:
    """Mass (kg) of each named model muscle: its share of its anatomical muscle's MRI volume
    (Handsfield et al. 2014, lines sharing a volume in proportion to their maximal force, as
    the drawn bodies do) times the density of muscle (Mendez and Keys 1960)."""
    table = _model_masses()
    try:
        return np.array([table[n] for n in muscle_names], dtype=float)
    except KeyError as exc:
        raise KeyError(f"the leg model has no muscle {exc.args[0]!r}") from None


# ------------------------------------------------------------------ muscle states


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


def _is_closed(cycle: GaitCycle) -> bool:
    p = cycle.percent
    if not cycle.periodic or len(p) < 3 or abs(p[0]) > 1e-9 or abs(p[-1] - 100.0) > 1e-9:
        return False
    return all(abs(float(v[-1] - v[0])) < 1e-3 for v in cycle.coordinates.values())


def _check_stride_time(stride_time: float) -> float:
    t = float(stride_time)
    if not (t > 0.0 and np.isfinite(t)):
        raise ValueError(f"the stride must last a positive time, not {stride_time} s")
    return t


def _model_index(dyn: LegDynamics, names: Sequence[str]) -> list[int]:
    index = {n: i for i, n in enumerate(dyn.muscle_names)}
    missing = [n for n in names if n not in index]
    if missing:
        raise KeyError(f"the leg model has no muscle(s) {', '.join(missing)}")
    return [index[n] for n in names]


def _cycle_frames(cycle: GaitCycle, dyn: LegDynamics | None):  # noqa: ANN202
    """MuJoCo's muscle quantities at every sample of ``cycle`` (posed with its coordinates,
    velocities from their time derivatives over the stride time), and the model's indices of
    the cycle's muscles."""
    dyn = dyn or LegDynamics()
    m = dyn.m
    stride_time = _check_stride_time(cycle.stride_time)
    time = cycle.percent / 100.0 * stride_time
    names = list(cycle.coordinates)
    values = np.stack([np.asarray(cycle.coordinates[k], float) for k in names], axis=1)
    for side in ("r", "l"):  # the knee's coupled joints are defined within its range only
        knee = f"knee_angle_{side}"
        if knee in names:
            lo, hi = np.rad2deg(m.jnt_range[m.joint(knee).id])
            values[:, names.index(knee)] = np.clip(values[:, names.index(knee)], lo, hi)
    derivatives = _time_derivative(values, time, _is_closed(cycle))
    n = len(time)
    zero = np.zeros((n, 3))
    coords = {k: values[:, i] for i, k in enumerate(names)}
    speeds = {k: derivatives[:, i] for i, k in enumerate(names)}
    kin = dyn.kinematics(coords, speeds, {}, zero, zero, zero)
    return dyn.compute(kin), _model_index(dyn, cycle.muscle_names)


def cycle_muscle_states(cycle: GaitCycle, dyn: LegDynamics | None = None) -> MuscleStates:
    """The energy model's inputs for every muscle and sample of ``cycle``.

    Lengths, velocities and forces at full activation come from posing MyoLeg with the cycle's
    coordinates (their time derivatives over the stride time give the velocities); the
    contractile force is the cycle's activation times MuJoCo's force at full activation.
    ``dyn``: a :class:`LegDynamics` to use (one per thread); a new one by default.
    """
    frames, idx = _cycle_frames(cycle, dyn)
    lengths = frames.lengths[:, idx]
    activation = np.clip(cycle.activations, 0.0, 1.0)
    full = np.maximum(frames.active_force[:, idx], 0.0)
    return _states(
        cycle.muscle_names,
        cycle.percent,
        activation,
        lengths,
        frames.velocities[:, idx],
        activation * full.T,
        FORCES_FROM_ACTIVATIONS,
    )


def cycle_muscle_forces(
    cycle: GaitCycle, dyn: LegDynamics | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(tension N, power W) of every muscle (rows) at every sample of ``cycle``: the
    contractile force as :func:`cycle_muscle_states` has it plus MuJoCo's passive force at the
    same length; power is tension times shortening velocity (positive while the muscle
    generates work, negative while it absorbs it), as static optimisation's result has it."""
    frames, idx = _cycle_frames(cycle, dyn)
    activation = np.clip(cycle.activations, 0.0, 1.0)
    active = activation * np.maximum(frames.active_force[:, idx], 0.0).T
    tension = active + np.maximum(frames.passive_force[:, idx], 0.0).T
    return tension, -tension * frames.velocities[:, idx].T


def _states(
    names: Sequence[str],
    percent: np.ndarray,
    activation: np.ndarray,
    lengths: np.ndarray,
    velocities: np.ndarray,
    active_force: np.ndarray,
    forces: str,
) -> MuscleStates:
    """Assemble the states; ``activation`` and ``active_force`` muscles x samples, ``lengths``
    and ``velocities`` samples x muscles (in ``names`` order)."""
    m = load_myoleg_with_back()
    p = fibre_parameters(m)
    order = [p.muscle_names.index(n) for n in names]
    full_lengths = np.tile(p.length_at_optimum, (lengths.shape[0], 1))
    full_lengths[:, order] = lengths
    fl = force_length_factor(m, full_lengths)[:, order]
    return MuscleStates(
        muscle_names=tuple(names),
        percent=np.asarray(percent, float),
        activation=np.asarray(activation, float),
        fiber_length=normalised_fibre_length(p, full_lengths)[:, order].T,
        fiber_velocity=np.asarray(velocities, float).T,
        active_force=np.maximum(np.asarray(active_force, float), 0.0),
        force_length=fl.T,
        optimal_fiber_length=p.optimal_fiber_length[order],
        mass=muscle_masses(names),
        type1=type1_fraction(names),
        forces=forces,
    )


def activity_window(activity: MuscleActivity, stride: int = 0) -> tuple[float, float]:
    """The ``stride``-th full right stride of a static-optimisation result (heel strike to heel
    strike), or the whole trial when it holds none."""
    windows = activity.stride_windows()
    if not windows:
        return float(activity.time[0]), float(activity.time[-1])
    if not -len(windows) <= stride < len(windows):
        raise IndexError(f"the trial holds {len(windows)} full strides, not stride {stride}")
    return windows[stride]


def activity_stride(
    activity: MuscleActivity,
    window: tuple[float, float] | None = None,
    samples: int = 101,
) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """(percent, resample) for one stride of a static-optimisation result: ``samples`` points
    of 0..100 % over ``window`` (s; default the first full right stride, else the whole
    trial), and a function resampling a (frames, muscles) array of the result onto them
    ((samples, muscles))."""
    a, b = window if window is not None else activity_window(activity)
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
        return np.stack(
            [np.interp(t, activity.time, values[:, j]) for j in range(values.shape[1])], axis=1
        )

    return percent, resample


def activity_muscle_states(
    activity: MuscleActivity,
    window: tuple[float, float] | None = None,
    samples: int = 101,
) -> MuscleStates:
    """The energy model's inputs from static optimisation's own result over ``window`` (s;
    default the first full right stride), resampled to ``samples`` points of 0..100 %: its
    activations, its contractile forces (tension minus the passive part), and the lengths and
    velocities the optimisation used."""
    percent, resample = activity_stride(activity, window, samples)
    return _states(
        activity.muscle_names,
        percent,
        np.clip(resample(activity.activations), 0.0, 1.0).T,
        resample(activity.lengths),
        resample(activity.velocities),
        resample(activity.active_forces).T,
        FORCES_FROM_OPTIMISATION,
    )


# ------------------------------------------------------------------ the cost of a stride


@dataclass(frozen=True)
class MuscleCost:
    """What one anatomical muscle (both legs, all its model lines) costs over the stride."""

    key: str  # anatomical muscle, e.g. "vastus_lateralis"
    name: str  # e.g. "Vastus lateralis"
    group: str  # muscle group key of its (first) model line
    model_muscles: tuple[str, ...]  # its model lines of both legs
    mean_w: float  # stride mean, W
    share: float  # of the leg muscles' total, 0..1


@dataclass(frozen=True)
class GroupCost:
    """What one muscle group (both legs) costs over the stride."""

    key: str
    name: str
    mean_w: float
    share: float


@dataclass(frozen=True)
class EnergySummary:
    """One gait's cost, as the window shows it."""

    name: str
    label: str
    model: str
    forces: str
    body_mass: float  # kg
    speed: float | None  # m/s
    w_per_kg: float  # net: the leg muscles' metabolic power per kg of body mass
    gross_w_per_kg: float  # plus the whole body's standing rate
    j_per_kg_per_m: float | None  # net cost of transport
    gross_j_per_kg_per_m: float | None
    parts: dict[str, float]  # shares of the total: activation_maintenance, shortening_
    # lengthening (heat) and work
    muscles: tuple[MuscleCost, ...]  # most costly first
    groups: tuple[GroupCost, ...]  # most costly first

    def lines(self, top: int = 5) -> list[str]:
        """Plain-text lines: the totals, the parts, the groups and the ``top`` muscles."""
        per_m = (
            f", {self.j_per_kg_per_m:.2f} J/kg/m (gross {self.gross_j_per_kg_per_m:.2f})"
            if self.j_per_kg_per_m is not None
            else ""
        )
        out = [
            f"{self.label}: {self.w_per_kg:.2f} W/kg above rest (gross {self.gross_w_per_kg:.2f})"
            + per_m,
            "heat of activation and maintenance {:.0%}, of shortening and lengthening {:.0%}, "
            "fibre work {:.0%}".format(
                self.parts["activation_maintenance"],
                self.parts["shortening_lengthening"],
                self.parts["work"],
            ),
            "groups: " + ", ".join(f"{g.name} {g.share:.0%}" for g in self.groups),
        ]
        out += [f"  {c.name}: {c.share:.1%} ({c.mean_w:.0f} W)" for c in self.muscles[:top]]
        return out


@dataclass
class GaitEnergy:
    """Every muscle's metabolic rate over one stride, and what the stride costs."""

    name: str
    label: str
    model: str  # energy model, e.g. "umberger2010"
    forces: str  # where the muscle forces come from
    states: MuscleStates
    rates: MuscleEnergyRates  # W, muscles x samples
    body_mass: float  # kg
    speed: float | None  # m/s
    stride: StrideEnergy = field(init=False)

    def __post_init__(self) -> None:
        self.stride = stride_energy(
            self.rates.total,
            self.percent,
            self.muscle_names,
            body_mass=self.body_mass,
            speed=self.speed,
        )

    @property
    def muscle_names(self) -> tuple[str, ...]:
        return self.states.muscle_names

    @property
    def percent(self) -> np.ndarray:
        return self.states.percent

    # ---------------------------------------------------------------- totals
    @property
    def w_per_kg(self) -> float:
        """Net metabolic power of the leg muscles per kg of body mass, stride mean."""
        return self.stride.w_per_kg

    @property
    def gross_w_per_kg(self) -> float:
        """With the whole body's standing rate (Umberger et al. 2003) added."""
        return self.w_per_kg + energy_constants().basal_rate_standing

    @property
    def j_per_kg_per_m(self) -> float | None:
        """Net cost of transport (J per kg of body mass per metre), None without a speed."""
        return self.stride.j_per_kg_per_m

    @property
    def gross_j_per_kg_per_m(self) -> float | None:
        return self.gross_w_per_kg / self.speed if self.speed else None

    # ---------------------------------------------------------------- curves
    def muscle_rate(self, muscle: str, per_kg_of_muscle: bool = False) -> np.ndarray:
        """One model muscle's metabolic rate at every sample of the stride: W, or W per kg of
        that muscle's own mass."""
        try:
            i = self.muscle_names.index(muscle)
        except ValueError:
            raise KeyError(f"no muscle {muscle!r} in this gait") from None
        rate = self.rates.total[i].copy()
        return rate / self.states.mass[i] if per_kg_of_muscle else rate

    def body_rate(self) -> np.ndarray:
        """The leg muscles' metabolic power per kg of body mass (W/kg) at every sample."""
        return self.rates.total.sum(axis=0) / self.body_mass

    def mean_w(self, muscles: Sequence[str] | None = None) -> float:
        """Stride-mean metabolic power (W) of the named model muscles (all by default)."""
        if muscles is None:
            return float(self.stride.per_muscle_w.sum())
        idx = [self.muscle_names.index(m) for m in muscles]
        return float(self.stride.per_muscle_w[idx].sum())

    def share(self, muscles: Sequence[str]) -> float:
        """Share (0..1) of the leg muscles' metabolic power spent by the named muscles."""
        return self.stride.share(muscles)

    def part_means(self) -> dict[str, float]:
        """Stride-mean W of the heat of activation and maintenance, the heat of shortening and
        lengthening, and the fibres' work (their sum is the total)."""
        out = {}
        for key in ("activation_maintenance", "shortening_lengthening", "work"):
            part = getattr(self.rates, key)
            out[key] = stride_energy(
                part, self.percent, self.muscle_names, body_mass=self.body_mass, speed=None
            ).total_w
        return out

    # ---------------------------------------------------------------- the summary
    def summary(self) -> EnergySummary:
        total = self.mean_w()
        per = dict(zip(self.muscle_names, self.stride.per_muscle_w.tolist(), strict=True))
        table = fibre_types()
        cat = catalogue()
        muscles = []
        for key, comp in table.muscles.items():
            lines = tuple(
                f"{b}_{s}" for s in ("r", "l") for b in comp.model_muscles if f"{b}_{s}" in per
            )
            if not lines:
                continue
            w = sum(per[n] for n in lines)
            muscles.append(MuscleCost(key, comp.name, cat.group_of(lines[0]), lines, w, w / total))
        groups = []
        for g in cat.groups:
            lines = [f"{b}_{s}" for s in ("r", "l") for b in g.bases if f"{b}_{s}" in per]
            if lines:
                w = sum(per[n] for n in lines)
                groups.append(GroupCost(g.key, g.name, w, w / total))
        parts = {k: v / total for k, v in self.part_means().items()}
        return EnergySummary(
            name=self.name,
            label=self.label,
            model=self.model,
            forces=self.forces,
            body_mass=self.body_mass,
            speed=self.speed,
            w_per_kg=self.w_per_kg,
            gross_w_per_kg=self.gross_w_per_kg,
            j_per_kg_per_m=self.j_per_kg_per_m,
            gross_j_per_kg_per_m=self.gross_j_per_kg_per_m,
            parts=parts,
            muscles=tuple(sorted(muscles, key=lambda c: -c.mean_w)),
            groups=tuple(sorted(groups, key=lambda g: -g.mean_w)),
        )


def _energy(
    name: str,
    label: str,
    states: MuscleStates,
    model: EnergyModel,
    body_mass: float,
    speed: float | None,
) -> GaitEnergy:
    return GaitEnergy(
        name=name,
        label=label,
        model=model,
        forces=states.forces,
        states=states,
        rates=states.rates(model),
        body_mass=float(body_mass),
        speed=speed if speed and speed > 0 else None,
    )


def gait_energy(
    cycle: GaitCycle,
    *,
    model: EnergyModel = DEFAULT_MODEL,
    dyn: LegDynamics | None = None,
    body_mass: float | None = None,
) -> GaitEnergy:
    """Every muscle's metabolic rate over ``cycle`` and the stride's cost (see the module
    documentation). ``body_mass`` defaults to the model's (the Rajagopal et al. 2016 subject,
    75 kg), whose muscle volumes and forces the computation uses."""
    dyn = dyn or LegDynamics()
    states = cycle_muscle_states(cycle, dyn)
    return _energy(cycle.name, cycle.label, states, model, body_mass or dyn.mass, cycle.speed)


def activity_energy(
    activity: MuscleActivity,
    *,
    window: tuple[float, float] | None = None,
    samples: int = 101,
    speed: float | None = None,
    model: EnergyModel = DEFAULT_MODEL,
    name: str = "trial",
    label: str | None = None,
) -> GaitEnergy:
    """The cost of one stride of a static-optimisation result, with its own muscle forces
    (:func:`activity_muscle_states`). ``window`` (s) defaults to the first full right stride,
    the one :func:`~anatomy_viewer.gait.opensim_io.trial_to_cycle` shows; ``speed`` (m/s), when
    known, gives the cost per metre. Forces are those of the model's mass, so costs are per kg
    of the model."""
    a, b = window if window is not None else activity_window(activity)
    states = activity_muscle_states(activity, (a, b), samples)
    text = label or f"{name}: {a:.3g}-{b:.3g} s"
    return _energy(name, text, states, model, activity.model_mass, speed)


@dataclass(frozen=True)
class MeasuredCost:
    """A measured net cost of a gait from the literature (``resources/muscles/
    measured_costs.toml``), with the tolerance an estimate is held to and why."""

    gait: str
    net_j_per_kg_per_m: float | None  # None: no measured reference
    source: str  # full citation ("" without a reference)
    measured: str  # what was measured, in words
    tolerance: float | None  # relative
    why: str

    def net_w_per_kg(self, speed: float) -> float | None:
        """The measured cost as metabolic power per kg of body mass at ``speed`` (m/s)."""
        return None if self.net_j_per_kg_per_m is None else self.net_j_per_kg_per_m * speed

    def ratio(self, energy: GaitEnergy) -> float | None:
        """Estimated / measured cost per metre (None without a reference or a speed)."""
        est = energy.j_per_kg_per_m
        if self.net_j_per_kg_per_m is None or est is None:
            return None
        return est / self.net_j_per_kg_per_m


@cache
def measured_costs() -> dict[str, MeasuredCost]:
    """The measured costs of the built-in gaits, by gait name."""
    data = load_toml("muscles", "measured_costs.toml")
    cites = data["citations"]
    out = {}
    for key, entry in data.items():
        if key == "citations":
            continue
        value = entry.get("net_j_per_kg_per_m")
        out[entry["gait"]] = MeasuredCost(
            gait=entry["gait"],
            net_j_per_kg_per_m=None if value is None else float(value),
            source=cites[entry["source"]] if "source" in entry else "",
            measured=entry["measured"],
            tolerance=float(entry["tolerance"]) if "tolerance" in entry else None,
            why=entry["why"],
        )
    return out


@cache
def _builtin(name: str, model: str, samples: int) -> GaitEnergy:
    from anatomy_viewer.gait.library import load_gait

    return gait_energy(load_gait(name, samples), model=model)  # type: ignore[arg-type]


def builtin_gait_energy(
    name: str, model: EnergyModel = DEFAULT_MODEL, samples: int = 201
) -> GaitEnergy:
    """:func:`gait_energy` of a built-in gait (computed once per process; do not modify it)."""
    return _builtin(name, model, int(samples))


def builtin_energy_summaries(model: EnergyModel = DEFAULT_MODEL) -> dict[str, EnergySummary]:
    """The per-gait summaries of the built-in gaits, by name, for showing them side by side."""
    from anatomy_viewer.gait.library import GAIT_NAMES

    return {g: builtin_gait_energy(g, model).summary() for g in GAIT_NAMES}
