"""A recorded trial cut into what the viewer plays: one stride, or the whole trial in time.

:func:`trial_to_cycle` takes a motion (and optionally activations, ground reaction forces, or
foot events found from the motion itself) and returns a
:class:`~anatomy_viewer.gait.cycle.GaitCycle`: with forces the first full right stride, resampled
to 0..100 % and closed so that it loops; without, the whole trial in time.

numpy + stdlib only (no Qt, no VTK).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import numpy as np

from anatomy_viewer.anatomy.names import model_muscle_names
from anatomy_viewer.gait.cycle import Event, GaitCycle, Phase, Provenance
from anatomy_viewer.gait.opensim_activations import Activations
from anatomy_viewer.gait.opensim_forces import ContactEvents, GroundForces, detect_events
from anatomy_viewer.gait.opensim_motion import FLEXIONS, Motion
from anatomy_viewer.gait.opensim_names import MODEL_COORDINATES
from anatomy_viewer.gait.opensim_table import OpenSimFileError, guard

#: Provenance of a muscle without activation data in an imported trial (shown at zero). Its
#: kind "none" is outside ``ProvenanceKind`` (measured/simulated/estimated) on purpose.
NO_ACTIVATION_DATA = Provenance("none", "no activation data: shown at zero")
#: Samples of a whole trial (no cycle cut): at most this many, at most 100 per second.
MAX_TRIAL_SAMPLES = 2001
#: The largest mismatch (degrees) of a flexion angle between a cut stride's end and its
#: start that is joined over the cycle; more means the cut is not one stride of this motion
#: (forces from another trial, a turn, a stumble).
MAX_JOIN_CORRECTION = 30.0


def _hip_cue(motion: Motion, events: ContactEvents) -> float | None:
    """Fraction of heel strikes at which the striking leg's hip is the more flexed one."""
    t = motion.time
    votes = []
    for s, o in (("r", "l"), ("l", "r")):
        if f"hip_flexion_{s}" in motion.missing or f"hip_flexion_{o}" in motion.missing:
            return None
        for hs in events.heel_strikes[s]:
            if t[0] <= hs <= t[-1]:
                d = np.interp(hs, t, motion.coordinates[f"hip_flexion_{s}"]) - np.interp(
                    hs, t, motion.coordinates[f"hip_flexion_{o}"]
                )
                votes.append(d > 0)
    return float(np.mean(votes)) if len(votes) >= 2 else None


def _intervals_percent(
    intervals: list[tuple[float, float]], a: float, b: float
) -> list[tuple[float, float]]:
    out = []
    for s, e in intervals:
        s2, e2 = max(s, a), min(e, b)
        if e2 > s2:
            out.append(((s2 - a) / (b - a) * 100.0, (e2 - a) / (b - a) * 100.0))
    return out


def _complement(iv: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out, pos = [], 0.0
    for s, e in sorted(iv):
        if s > pos + 1e-9:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < 100.0 - 1e-9:
        out.append((pos, 100.0))
    return out


def _union(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for s, e in sorted(a + b):
        if out and s <= out[-1][1] + 1e-9:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _phase_list(side: str, name: str, iv: list[tuple[float, float]], periodic: bool) -> list[Phase]:
    iv = sorted(iv)
    if periodic and len(iv) >= 2 and iv[0][0] <= 1e-9 and iv[-1][1] >= 100.0 - 1e-9:
        iv = [*iv[1:-1], (iv[-1][0], iv[0][1])]  # wraps around 100 %
    elif periodic and len(iv) == 1 and iv[0][0] <= 1e-9 and iv[0][1] >= 100 - 1e-9:
        iv = [(0.0, 100.0)]
    return [Phase(side, name, round(float(s), 4), round(float(e), 4)) for s, e in iv]


def trial_to_cycle(
    motion: Motion,
    activations: Activations | None = None,
    grf: GroundForces | None = None,
    muscle_names: Iterable[str] | None = None,
    *,
    n_samples: int | None = None,
    threshold: float = 20.0,
    close_cycle: bool = True,
    name: str | None = None,
    notes: list[str] | None = None,
    events: ContactEvents | None = None,
) -> GaitCycle:
    """Turn a trial into a GaitCycle the viewer can play.

    With ground forces: the first full right stride (right heel strike to the next) inside the
    motion (and, if possible, inside the activations) is cut, resampled to ``n_samples`` points
    over 0..100 % (default 101), with contacts, events (heel strikes = "initial_contact",
    toe-offs), phases ("stance"/"swing" per leg, "flight" for both legs while neither foot is
    down, listed first) and ``stride_time`` from the forces. With ``close_cycle`` the small
    mismatch between the stride's end and start is spread linearly over the cycle so that it
    loops without a jump (the largest correction is said in ``notes``).

    Without forces (or without a full right stride inside the motion): the whole trial as a
    non-periodic cycle that plays in real time: percent 0..100 of its duration,
    ``stride_time`` = the duration, at most 100 samples/s and :data:`MAX_TRIAL_SAMPLES`
    samples unless ``n_samples`` says otherwise. Contacts come from the forces when given,
    else from ``events`` (foot events found from the motion itself, e.g. by
    :func:`~anatomy_viewer.gait.trial_activity.motion_events`; the trial is then still shown
    whole, in time), else they are unknown and False.

    Activations: every muscle gets a ``provenance`` entry. With data: ``Provenance(kind, file
    name)``, kind "measured" (EMG) or "simulated" (a simulation). Without data (no activations
    given, or a muscle the file lacks): zeros and :data:`NO_ACTIVATION_DATA`, whose kind is
    "none". ``muscle_names`` defaults to the activations' names, else the model's 80
    muscles. What was done is appended to ``notes`` when a list is given (the GaitCycle has no
    place for it).
    """
    if n_samples is not None and int(n_samples) < 2:
        raise ValueError("n_samples must be 2 or more")
    out_notes: list[str] = [] if notes is None else notes
    out_notes.extend(motion.notes)
    names = (
        tuple(muscle_names)
        if muscle_names is not None
        else (activations.muscle_names if activations is not None else model_muscle_names())
    )
    path = grf.path if grf is not None else motion.path
    with guard(path):
        return _trial_to_cycle(
            motion,
            activations,
            grf,
            names,
            n_samples,
            threshold,
            close_cycle,
            name,
            out_notes,
            None if grf is not None else events,
        )


def _on_motion_clock(motion: Motion, time: np.ndarray, path: Path, notes: list[str]):
    """The times of another file of the trial (forces, activations) on the motion's clock:
    unchanged, or divided by 1000 when they are plainly milliseconds (they span about 1000
    times the motion's seconds and then cover it). A file whose times do not overlap the
    motion's at all belongs to another trial: refused."""
    t0, t1 = float(motion.time[0]), float(motion.time[-1])
    span = t1 - t0
    a, b = float(time[0]), float(time[-1])

    def cover(lo: float, hi: float) -> float:
        return max(0.0, min(hi, t1) - max(lo, t0)) / span if span > 0 else 0.0

    if span > 0 and 300.0 <= (b - a) / span <= 3000.0 and cover(a / 1000, b / 1000) > 0.5:
        notes.append(
            f"{path.name}: its times ({a:.4g}-{b:.4g}) are milliseconds while the motion's are "
            f"seconds ({t0:.3g}-{t1:.3g} s): converted to seconds"
        )
        return time / 1000.0
    if b < t0 or a > t1:
        raise OpenSimFileError(
            path,
            None,
            f"its times ({a:.4g}-{b:.4g} s) do not overlap those of the motion "
            f"{motion.path.name} ({t0:.4g}-{t1:.4g} s): the files are not of one trial",
        )
    return time


def _trial_to_cycle(
    motion: Motion,
    activations: Activations | None,
    grf: GroundForces | None,
    names: tuple[str, ...],
    n_samples: int | None,
    threshold: float,
    close_cycle: bool,
    name: str | None,
    out_notes: list[str],
    motion_events: ContactEvents | None,
) -> GaitCycle:
    t_m = motion.time
    t0, t1 = float(t_m[0]), float(t_m[-1])
    events: ContactEvents | None = motion_events
    window: tuple[float, float] | None = None
    if grf is not None:
        clock = _on_motion_clock(motion, grf.time, grf.path, out_notes)
        if clock is not grf.time:
            grf = replace(grf, time=clock)
    if activations is not None:
        clock = _on_motion_clock(motion, activations.time, activations.path, out_notes)
        if clock is not activations.time:
            activations = replace(activations, time=clock)
    if grf is not None:
        events = detect_events(grf, threshold)
        if grf.assignment.startswith("centre of pressure"):
            cue = _hip_cue(motion, events)
            if cue is not None and cue < 0.25:
                grf = grf.swapped(
                    "the feet were exchanged: at the heel strikes the other leg's hip was the "
                    "more flexed one, so the centre-of-pressure assignment was reversed"
                )
                events = detect_events(grf, threshold)
        out_notes.extend(grf.notes)
        tol = 0.5 / motion.rate if motion.rate > 0 else 0.0
        hs = events.heel_strikes["r"]
        pairs = [
            (float(a), float(b))
            for a, b in zip(hs[:-1], hs[1:], strict=True)
            if a >= t0 - tol and b <= t1 + tol
        ]
        left = events.heel_strikes["l"]
        if grf.plates["l"] and pairs:
            # one left heel strike per stride: skips "strides" spanning a step off the plates
            single = [p for p in pairs if np.count_nonzero((left > p[0]) & (left < p[1])) == 1]
            if not single:
                a, b = pairs[0]
                k = np.count_nonzero((left > a) & (left < b))
                out_notes.append(
                    f"the right stride {a:.3g}-{b:.3g} s holds {k} left heel strikes, not one: "
                    "a step may be missing from the forces"
                )
            pairs = single or pairs
        if activations is not None and pairs:
            ta = activations.time
            covered = [p for p in pairs if p[0] >= ta[0] - tol and p[1] <= ta[-1] + tol]
            if covered:
                pairs = covered
            else:
                out_notes.append(
                    "no right stride lies within the activations' time range: their first or "
                    "last values are held where they end"
                )
        if pairs:
            window = pairs[0]
        else:
            out_notes.append(
                "no complete right stride (two right heel strikes) lies within the motion "
                f"({t0:.3g}-{t1:.3g} s): the whole trial is shown in time"
            )

    if window is not None:
        a, b = window
        periodic = True
        n = int(n_samples) if n_samples else 101
    else:
        a, b = t0, t1
        periodic = False
        rate = min(motion.rate, 100.0) if motion.rate > 0 else 100.0
        wanted = round((b - a) * rate) + 1
        n = int(n_samples) if n_samples else int(min(max(wanted, 101), MAX_TRIAL_SAMPLES))
        if not n_samples and wanted > MAX_TRIAL_SAMPLES:
            out_notes.append(
                f"the {b - a:.0f} s trial is shown with {n} samples ({(n - 1) / (b - a):.3g} "
                "per second); cut it or pass n_samples for more"
            )
    if b <= a:
        raise OpenSimFileError(motion.path, None, "the motion lasts no time")
    percent = np.linspace(0.0, 100.0, n)
    t = a + percent / 100.0 * (b - a)
    t[-1] = b  # exactly: the closing heel strike is in contact like the opening one
    ramp = percent / 100.0

    coords: dict[str, np.ndarray] = {}
    worst = ("", 0.0)
    for k in MODEL_COORDINATES:
        v = np.interp(t, t_m, motion.coordinates[k])
        if periodic and close_cycle:
            drift = float(v[-1] - v[0])
            v = v - drift * ramp
            if abs(drift) > abs(worst[1]):
                worst = (k, drift)
        coords[k] = v
    flexion_drift = max(
        (
            abs(
                float(
                    np.interp(b, t_m, motion.coordinates[k])
                    - np.interp(a, t_m, motion.coordinates[k])
                )
            )
            for k in MODEL_COORDINATES
            if k.startswith(FLEXIONS) and k not in motion.missing
        ),
        default=0.0,
    )
    if periodic and flexion_drift > MAX_JOIN_CORRECTION:
        raise OpenSimFileError(
            grf.path if grf is not None else motion.path,
            None,
            f"the right stride cut at {a:.3g}-{b:.3g} s ends {flexion_drift:.0f}° away from "
            f"where it starts (more than {MAX_JOIN_CORRECTION:g}°): it is not one stride of "
            f"{motion.path.name}; are the forces of this trial?",
        )
    if periodic and close_cycle and worst[0]:
        out_notes.append(
            f"the stride's end was joined to its start (largest correction {worst[1]:.2g}° on "
            f"{worst[0]}, spread over the cycle)"
        )

    # activations
    acts = np.zeros((len(names), n))
    provenance: dict[str, Provenance] = {}
    if activations is not None:
        idx = {m: i for i, m in enumerate(activations.muscle_names)}
        ta = activations.time
        for j, m in enumerate(names):
            i = idx.get(m)
            if i is None or not activations.present[i]:
                continue
            v = np.interp(t, ta, activations.values[i])
            if periodic and close_cycle:
                v = v - (v[-1] - v[0]) * ramp
            acts[j] = np.clip(v, 0.0, 1.0)
            provenance[m] = Provenance(activations.kind, activations.source)
        for m in names:
            provenance.setdefault(m, NO_ACTIVATION_DATA)
        inside = np.mean((t >= ta[0] - 1e-9) & (t <= ta[-1] + 1e-9))
        if inside < 1.0:
            out_notes.append(
                f"the activations cover {inside:.1%} of the {'stride' if periodic else 'trial'}; "
                "their first/last values are held outside"
            )
        out_notes.extend(activations.notes)
        without = sum(p is NO_ACTIVATION_DATA for p in provenance.values())
        if without:
            out_notes.append(f"{without} muscles have no activation data: shown at zero")
    else:
        provenance = dict.fromkeys(names, NO_ACTIVATION_DATA)
        out_notes.append("no activation data: every muscle is shown at zero (provenance 'none')")

    # contacts, events, phases
    ev: list[Event] = []
    phases: list[Phase] = []
    if events is not None:
        contact_r = events.in_contact("r", t)
        contact_l = events.in_contact("l", t)
        span = b - a
        for side in ("r", "l"):
            for kind, times in (
                ("initial_contact", events.heel_strikes[side]),
                ("toe_off", events.toe_offs[side]),
            ):
                for x in times:
                    if a - 1e-9 <= x < b - 1e-9 or (not periodic and abs(x - b) < 1e-9):
                        ev.append(Event(side, kind, round(float((x - a) / span * 100.0), 4)))
        stance = {s: _intervals_percent(events.intervals[s], a, b) for s in ("r", "l")}
        flight: list[tuple[float, float]] = []
        both_feet = motion_events is not None or (grf.plates["r"] and grf.plates["l"])
        if both_feet:
            flight = _complement(_union(stance["r"], stance["l"]))
            for side in ("r", "l"):
                phases += _phase_list(side, "flight", flight, periodic)
        for side in ("r", "l"):
            phases += _phase_list(side, "stance", stance[side], periodic)
            # swing outside flight, as in the built-in gaits: a leg's phases never overlap
            swing = _complement(_union(stance[side], flight))
            phases += _phase_list(side, "swing", swing, periodic)
        if periodic and grf is not None and grf.plates["l"]:
            if not any(e.side == "l" and e.kind == "initial_contact" for e in ev):
                out_notes.append("no left heel strike was recorded within the stride")
        if not periodic and grf is not None:
            cover = np.mean((t >= grf.time[0]) & (t <= grf.time[-1])) if grf is not None else 0
            if cover < 1.0:
                out_notes.append(
                    f"the forces cover {cover:.0%} of the trial: contacts are unknown elsewhere"
                )
        if motion_events is not None:
            out_notes.append(
                "no ground forces: foot strikes and toe-offs were found from the motion itself"
            )
    else:
        contact_r = np.zeros(n, dtype=bool)
        contact_l = np.zeros(n, dtype=bool)
        out_notes.append("no ground forces: foot contacts are unknown (shown as not in contact)")

    speed = None
    tx = motion.pelvis_translation.get("pelvis_tx")
    if tx is not None:
        v = (np.interp(b, t_m, tx) - np.interp(a, t_m, tx)) / (b - a)
        if abs(v) > 0.2:
            speed = round(float(abs(v)), 3)

    stem = motion.path.stem
    if periodic:
        label = f"{motion.path.name}: right stride {a:.3g}-{b:.3g} s"
    else:
        label = f"{motion.path.name}: whole trial {a:.3g}-{b:.3g} s"
    return GaitCycle(
        name=name or stem,
        label=label,
        stride_time=float(b - a),
        percent=percent,
        coordinates=coords,
        muscle_names=names,
        activations=acts,
        contact_r=contact_r,
        contact_l=contact_l,
        provenance=provenance,
        events=sorted(ev, key=lambda e: (e.percent, e.side)),
        phases=phases,
        speed=speed,
        source=motion.path.name,
        periodic=periodic,
        notes=list(out_notes),
        start_time=float(a),
    )
