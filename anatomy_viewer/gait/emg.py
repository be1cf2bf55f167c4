"""Measured EMG beside the simulated activations, and how well the two agree.

``resources/gaits/emg.toml`` carries compact models (a few Fourier harmonics) of the EMG
envelopes recorded in the walking and running trials of the Rajagopal et al. (2016) subject,
each with the model muscles its electrode covers and a citation. An envelope is scaled to its
own peak (1): EMG gives the timing of a muscle's activity, not its size. The electrodes were on
the right leg; the built-in cycles are symmetric (the left leg is the right half a cycle
later), so a left muscle reads the right leg's recording half a cycle later, and says so.

Two kinds of EMG are shown beside a simulation:

- the **built-in** envelopes (:func:`emg_channel` for one muscle, :func:`builtin_emg` for all
  of a gait's), beside the built-in cycles' static-optimisation activations;
- a **trial's own** EMG (an opened envelope file, whose activations are then "measured"),
  beside static optimisation of the same trial (:func:`trial_simulation`).

The trial reader scales envelopes outside 0..1 to peak 1 as well. :func:`agreement` is the
comparison the tests hold the simulation to: both curves scaled to their own peaks, "on" at
30 % of the peak or more, and the share of the stride where both are on or both off, with the
correlation of the two curves.

numpy and the standard library only; no Qt, no VTK.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from anatomy_viewer.anatomy.dynamics import LegDynamics
from anatomy_viewer.gait.cycle import GaitCycle, Provenance
from anatomy_viewer.gait.inverse_dynamics import prepare_trial
from anatomy_viewer.gait.library import _series
from anatomy_viewer.gait.muscle_activity import analyse
from anatomy_viewer.resources import load_toml

if TYPE_CHECKING:
    from anatomy_viewer.gait.muscle_activity import MuscleActivity
    from anatomy_viewer.gait.trial import Trial

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


# ------------------------------------------------------------------ EMG beside a simulation
#: A curve is "on" where it reaches this share of its own peak.
ON_THRESHOLD = 0.3
#: The grid agreement is measured on: one point per percent of the stride (0..99; 100 = 0).
AGREEMENT_GRID = np.arange(100.0)
#: How the built-in envelopes are scaled, in the source's own terms.
BUILTIN_SCALING = "scaled to peak 1 by its source"
#: Provenance source of a trial's static optimisation.
TRIAL_SIMULATION_SOURCE = "static optimisation of this trial"


@dataclass(frozen=True)
class EmgTrace:
    """One electrode's envelope over a cycle and the model muscles it covers."""

    key: str  # the source's channel name, e.g. "VL" or a file's column
    muscles: tuple[str, ...]  # model muscles of both legs, e.g. ("vaslat_r", "vaslat_l")
    percent: np.ndarray  # (samples,) 0..100
    envelope: dict[str, np.ndarray]  # side "r"/"l" -> envelope 0..1 over ``percent``


@dataclass(frozen=True)
class MeasuredEmg:
    """The EMG envelopes measured for one gait or trial."""

    source: str  # short, for a legend: "Rajagopal et al. 2016 subject, overground walking"
    citation: str  # full citation
    what: str  # what was recorded, in words
    scaling: str  # how the envelopes are scaled, e.g. "scaled to peak 1 by its source"
    channels: tuple[EmgTrace, ...]

    def channel_of(self, muscle: str) -> EmgTrace | None:
        """The channel covering model muscle ``muscle`` (e.g. ``vaslat_l``), or None."""
        for ch in self.channels:
            if muscle in ch.muscles:
                return ch
        return None

    def envelope(self, muscle: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(percent, envelope 0..1) of the channel covering ``muscle`` on its leg, or None."""
        ch = self.channel_of(muscle)
        if ch is None:
            return None
        return ch.percent, ch.envelope[muscle.rpartition("_")[2]]

    @property
    def muscles(self) -> tuple[str, ...]:
        """Every model muscle some channel covers."""
        return tuple(m for ch in self.channels for m in ch.muscles)


@dataclass(frozen=True)
class Agreement:
    """How well a simulated activation's timing agrees with measured EMG over one stride."""

    on_off: float  # share of the stride (0..1) where both are on or both are off
    correlation: float  # Pearson's r of the two curves (nan if one is flat)
    threshold: float = ON_THRESHOLD

    def text(self, span: str = "stride") -> str:
        """On/off agreement and r in words, over the ``span`` ("stride" or "trial")."""
        r = "r undefined" if not np.isfinite(self.correlation) else f"r = {self.correlation:.2f}"
        return f"on/off agree {self.on_off:.0%} of the {span}, {r}"


# ------------------------------------------------------------------ agreement
def _scaled(values: np.ndarray) -> np.ndarray:
    v = np.clip(np.asarray(values, float), 0.0, None)
    peak = float(v.max()) if v.size else 0.0
    return v / peak if peak > 0 else v


def agreement(emg: np.ndarray, simulated: np.ndarray, threshold: float = ON_THRESHOLD) -> Agreement:
    """Agreement of two curves sampled on the same grid (see the module documentation)."""
    e, s = _scaled(emg), _scaled(simulated)
    if e.shape != s.shape or e.ndim != 1 or len(e) < 2:
        raise ValueError("the EMG and the simulation must be curves on one grid of 2+ samples")
    on_off = float(np.mean((e >= threshold) == (s >= threshold)))
    if np.ptp(e) > 0 and np.ptp(s) > 0:
        r = float(np.corrcoef(e, s)[0, 1])
    else:
        r = float("nan")
    return Agreement(on_off, r, threshold)


def _on_grid(cycle: GaitCycle, values: np.ndarray) -> np.ndarray:
    """``values`` over the cycle resampled on the agreement grid (in % of the cycle)."""
    return np.interp(AGREEMENT_GRID, cycle.percent, values)


def channel_agreement(emg: MeasuredEmg, channel: str, simulated: GaitCycle, side: str = "r"):
    """Agreement of ``channel`` (on leg ``side``) with ``simulated``'s activations: the
    simulation of a channel covering several model muscles is their largest activation at each
    instant (an electrode picks up whichever of them is working). Returns an :class:`Agreement`."""
    ch = next((c for c in emg.channels if c.key == channel), None)
    if ch is None:
        raise KeyError(f"no EMG channel {channel!r}")
    mine = [m for m in ch.muscles if m.endswith(f"_{side}") and m in simulated.muscle_names]
    if not mine:
        raise KeyError(f"channel {channel!r} covers no muscle of the {side} leg in this cycle")
    sim = np.max([_on_grid(simulated, simulated.activation(m)) for m in mine], axis=0)
    env = np.interp(AGREEMENT_GRID, ch.percent, ch.envelope[side])
    return agreement(env, sim)


def muscle_agreement(emg: MeasuredEmg, muscle: str, simulated: GaitCycle) -> Agreement | None:
    """Agreement of the channel covering ``muscle`` with ``simulated`` (None: no channel)."""
    ch = emg.channel_of(muscle)
    if ch is None:
        return None
    return channel_agreement(emg, ch.key, simulated, muscle.rpartition("_")[2])


# ------------------------------------------------------------------ the built-in EMG
def builtin_channels(gait: str) -> tuple[EmgChannel, ...]:
    """Every electrode recorded in built-in gait ``gait``, in the resource file's order."""
    return tuple({id(c): c for c in _channels(gait).values()}.values())


@cache
def _builtin(gait: str, samples: int) -> MeasuredEmg | None:
    channels = builtin_channels(gait)
    if not channels:
        return None
    spec = load_toml(*RESOURCE)[gait]
    percent = np.linspace(0.0, 100.0, samples)
    traces = []
    for ch in channels:
        env = {s: ch.envelope(percent, s) for s in ("r", "l")}
        muscles = tuple(f"{b}_{s}" for s in ("r", "l") for b in ch.muscles)
        traces.append(EmgTrace(ch.channel, muscles, percent, env))
    return MeasuredEmg(
        source=spec["source"],
        citation=spec["citation"],
        what=spec["what"],
        scaling=BUILTIN_SCALING,
        channels=tuple(traces),
    )


def builtin_emg(gait: str, samples: int = 201) -> MeasuredEmg | None:
    """The measured EMG of built-in gait ``gait`` (walking, running), None where there is none
    (sprinting)."""
    return _builtin(gait, int(samples))


# ------------------------------------------------------------------ a trial's own EMG
def cycle_emg(cycle: GaitCycle) -> MeasuredEmg | None:
    """The measured EMG in a cycle's own activations (a trial opened with EMG envelopes): one
    channel per distinct envelope, None when no activation is measured."""
    measured = [m for m in cycle.muscle_names if _kind(cycle, m) == "measured"]
    if not measured:
        return None
    channels: list[EmgTrace] = []
    groups: dict[bytes, list[str]] = {}
    for m in measured:  # one file column may drive several muscles: one channel
        groups.setdefault(cycle.activation(m).tobytes(), []).append(m)
    for muscles in groups.values():
        env = {}
        for m in muscles:
            env.setdefault(m.rpartition("_")[2], np.clip(cycle.activation(m), 0.0, 1.0))
        channels.append(EmgTrace(muscles[0], tuple(muscles), cycle.percent.copy(), env))
    sources = sorted({cycle.provenance[m].source for m in measured if m in cycle.provenance})
    source = ", ".join(sources) or "this trial"
    scaled = any("normalised to peak 1" in n for n in cycle.notes)
    return MeasuredEmg(
        source=source,
        citation=source,
        what=f"EMG envelopes of {cycle.label}",
        scaling="scaled to peak 1 per column when opened"
        if scaled
        else "as in the file (an envelope within 0..1)",
        channels=tuple(channels),
    )


def _kind(cycle: GaitCycle, muscle: str) -> str | None:
    p = cycle.provenance.get(muscle)
    return None if p is None else p.kind


# ------------------------------------------------------------------ EMG beside a simulation
@dataclass(frozen=True)
class EmgComparison:
    """Measured EMG and the simulated activations it is shown beside (None while a trial's
    simulation is not known)."""

    emg: MeasuredEmg
    simulated: GaitCycle | None

    def agreement(self, muscle: str) -> Agreement | None:
        """How the simulation of ``muscle`` agrees with its channel (None: no channel, or no
        simulation, or the muscle is not simulated)."""
        sim = self.simulated
        if sim is None or muscle not in sim.muscle_names or _kind(sim, muscle) != "simulated":
            return None
        return muscle_agreement(self.emg, muscle, sim)

    def simulated_activation(self, muscle: str) -> np.ndarray | None:
        sim = self.simulated
        if sim is None or muscle not in sim.muscle_names or _kind(sim, muscle) != "simulated":
            return None
        return sim.activation(muscle)


def emg_comparison(
    cycle: GaitCycle | None, gait_name: str | None, simulated: GaitCycle | None = None
) -> EmgComparison | None:
    """The EMG to show beside ``cycle``: a built-in gait's measured EMG beside the cycle's own
    (simulated) activations, or a trial's EMG beside ``simulated`` (static optimisation of the
    same trial, :func:`trial_simulation`; None while not known). None when there is no EMG."""
    if cycle is None:
        return None
    if gait_name is not None:
        emg = builtin_emg(gait_name)
        return None if emg is None else EmgComparison(emg, cycle)
    emg = cycle_emg(cycle)
    return None if emg is None else EmgComparison(emg, simulated)


def has_trial_emg(cycle: GaitCycle | None) -> bool:
    """True for a cycle whose activations are (partly) measured EMG."""
    return cycle is not None and any(_kind(cycle, m) == "measured" for m in cycle.muscle_names)


# ------------------------------------------------------------------ a trial's simulation
def trial_simulation(
    trial: Trial,
    shown: GaitCycle,
    *,
    activity: MuscleActivity | None = None,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> GaitCycle:
    """Static optimisation of a trial, cut and sampled exactly like ``shown`` (the cycle made
    from the same trial with its EMG), for the EMG to be shown beside it.

    Runs inverse dynamics and static optimisation on the trial's motion and forces as read
    (:func:`~anatomy_viewer.gait.muscle_activity.analyse`, with a model of its own, so that it
    may run in a thread beside another analysis) unless ``activity`` is given. The result keeps
    the trial's EMG time base, so the same stride is cut; every muscle's provenance is
    "simulated".
    """
    if activity is None:
        dyn = LegDynamics()
        prepared = prepare_trial(trial.motion, trial.grf, dyn)
        activity = analyse(prepared, dyn, progress=progress, cancel=cancel)
    base = activity.to_activations(TRIAL_SIMULATION_SOURCE)
    # on the EMG's own time base, so that the trial is cut at the same stride as with its EMG
    time = trial.activations.time if trial.activations is not None else activity.time
    at = _seconds(time, trial.motion.time)
    values = np.stack(
        [
            np.interp(at, activity.time, activity.activations[:, j])
            for j in range(len(base.muscle_names))
        ]
    )
    acts = replace(base, time=np.asarray(time, float), values=values)
    cycle = replace(trial, activations=acts, mapping=None).to_cycle(
        report_unmapped=False, muscle_names=shown.muscle_names, n_samples=shown.n_samples
    )
    if cycle.n_samples != shown.n_samples or not np.allclose(cycle.percent, shown.percent):
        raise ValueError("the simulated trial was not cut like the one shown")
    cycle.provenance = {
        m: Provenance("simulated", TRIAL_SIMULATION_SOURCE) for m in cycle.muscle_names
    }
    cycle.notes = [*activity.summary_lines()]
    return cycle


def _seconds(time: np.ndarray, motion_time: np.ndarray) -> np.ndarray:
    """A trial file's times in the motion's seconds: the trial reader takes times spanning
    about a thousand times the motion's for milliseconds, and so does this."""
    span = float(motion_time[-1] - motion_time[0])
    if span > 0 and 300.0 <= float(time[-1] - time[0]) / span <= 3000.0:
        return np.asarray(time, float) / 1000.0
    return np.asarray(time, float)
